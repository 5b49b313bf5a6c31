"""Unit tests per stage, in memory, from small strings and dicts."""

from __future__ import annotations

import re
from pathlib import Path

import hypothesis
import hypothesis.strategies as st
import pytest
from pydantic import ValidationError

from generator.errors import Collector, ContentError
from generator.output.pages import cell, escape_text, md
from generator.records import models
from generator.records.kinds import BY_NAME
from generator.stages.index import build_index, phrase_pattern, references
from generator.stages.load import parse_document
from generator.stages.validate import validate_document

GOOD_FACTOR = """id: a-factor
name: A factor
category: driver
cluster: will-to-change
description: Something that drives change.
sources:
  - section: 'Table 1'
    lines: '1366-1574'
"""


def _load(text: str, kind: str = "factor", path: str = "content/factors/a-factor.yaml"):
    problems = Collector()
    doc = parse_document(path, text, BY_NAME[kind], problems)
    return doc, problems


def test_load_keeps_the_line_of_every_key() -> None:
    doc, problems = _load(GOOD_FACTOR)
    assert not problems.problems
    assert doc.lines[("name",)] == 2
    assert doc.lines[("sources", 0, "lines")] == 8
    assert doc.line_of(("sources", 0, "missing")) == 7  # a missing key points at its parent


def test_validate_builds_a_strict_frozen_model() -> None:
    doc, _ = _load(GOOD_FACTOR)
    problems = Collector()
    loaded = validate_document(doc, problems)
    assert loaded is not None and loaded.id == "a-factor"
    assert isinstance(loaded.record, models.Factor)
    with pytest.raises(ValidationError):
        loaded.record.name = "changed"  # type: ignore[misc]  # the model is frozen: the point of the test


def test_strict_types_refuse_yaml_11_coercions() -> None:
    doc, _ = _load(GOOD_FACTOR.replace("name: A factor", "name: yes"))
    problems = Collector()
    assert validate_document(doc, problems) is None
    assert "got true (a yes/no value)" in problems.problems[0].message


def test_index_resolves_references_and_builds_backlinks() -> None:
    problems = Collector()
    docs = []
    for rid, extra in (("a-factor", "related: [b-factor]\n"), ("b-factor", "")):
        doc, _ = _load(GOOD_FACTOR.replace("a-factor", rid) + extra, path=f"content/factors/{rid}.yaml")
        docs.append(validate_document(doc, problems))
    index = build_index(docs, problems)
    assert not problems.problems
    assert index.backlinks[("factor", "b-factor")] == [("factor", "a-factor", ("related", 0))]
    assert [f.id for f in index.cited_by("factor", "b-factor")] == ["a-factor"]


def test_index_suggests_the_nearest_id() -> None:
    problems = Collector()
    doc, _ = _load(GOOD_FACTOR + "related: [a-factr]\n")
    index = build_index([validate_document(doc, problems)], problems)
    assert index is not None
    assert [p.message for p in problems.problems] == ["unknown factor 'a-factr'. Did you mean 'a-factor'?"]
    with pytest.raises(ContentError):
        problems.raise_if_any()


def test_references_are_found_from_annotations() -> None:
    case = models.CaseStudy.model_validate(
        {
            "id": "x",
            "title": "X",
            "short_title": "X",
            "origin": "report2008",
            "contributors": ["Tests"],
            "status": "draft",
            "place": "P",
            "country": "C",
            "level": "city",
            "service_field": "S",
            "innovation_kind": "K",
            "period": {"start": 2000},
            "summary": "S",
            "context_and_need": "C",
            "strategy": "S",
            "outcomes": "O",
            "sources": [{"section": "S"}],
            "drivers": [{"factor": "underperformance", "meaning": "m"}],
            "citations": [{"work": "moore-1995"}],
            "related_cases": [{"case": "y", "note": "n"}],
            "phase": {
                "phase": "latent",
                "basis": "stated",
                "evidence": "e",
                "triangle": "latent",
                "sources": [{"section": "S"}],
            },
        }
    )
    assert sorted((k, v) for _, k, v in references(case)) == [
        ("case-study", "y"),
        ("factor", "underperformance"),
        ("phase", "latent"),
        ("triangle", "latent"),
        ("work", "moore-1995"),
    ]


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    'A paragraph\n{: onclick="alert(1)" }',
    "[x][r]\n\n[r]: javascript:alert(1)",
    "<iframe src=//evil></iframe>",
    "<style>body{display:none}</style>",
    "<javascript:alert(1)>",
]


def _html(markdown_text: str) -> str:
    import markdown

    return markdown.markdown(markdown_text, extensions=["attr_list", "md_in_html", "tables", "toc"])


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("escape", [md, escape_text], ids=["markdown-field", "plain-field"])
def test_hostile_fields_never_become_html(hostile: str, escape) -> None:
    from htmlscan import dangerous

    assert dangerous(_html(str(escape(hostile)))) == []


def test_snippet_includes_are_neutralised() -> None:
    assert "--8<--" not in md('--8<-- "/etc/passwd"')


def test_safe_markdown_survives() -> None:
    text = "A **bold** claim, a [link](https://example.org/a?b=1) and a list:\n\n- one\n- two"
    assert md(text) == text


def test_table_cells_are_one_line_with_pipes_escaped() -> None:
    assert cell("a | b\nc") == "a \\| b c"


def test_an_empty_project_is_valid_and_holds_no_records(tmp_path: Path) -> None:
    from generator.pipeline import check

    index = check(tmp_path)  # no folders at all: not an error, and every kind is there, empty
    assert {kind: len(records) for kind, records in index.records.items()} == dict.fromkeys(BY_NAME, 0)


@pytest.mark.parametrize("hostile", HOSTILE[:4])
def test_the_scanner_catches_unescaped_input(hostile: str) -> None:
    from htmlscan import dangerous

    assert dangerous(_html(hostile)) != []


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    phrases=st.lists(st.text(alphabet="ab -.(é", min_size=1, max_size=5), min_size=1, max_size=8, unique=True),
    text=st.text(alphabet="ab -.(é\n", max_size=60),
)
def test_glossary_pattern_finds_what_a_flat_alternation_finds(phrases: list[str], text: str) -> None:
    """The trie-shaped pattern for glossary phrases matches exactly where the plain alternation
    (longest phrase first) matches, including phrases that are prefixes of others."""
    flat = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))
    trie = phrase_pattern(phrases)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_glossary_pattern_prefers_the_longer_phrase() -> None:
    pattern = phrase_pattern(["social", "social innovation", "innovation"])
    assert [m.group(0) for m in pattern.finditer("local social innovation, social care")] == [
        "social innovation",
        "social",
    ]
