"""Property-based tests: whatever bytes an editor commits, loading and validating either accepts
them or raises the project's own ContentError, never another exception, within a time bound."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import Collector, ContentError
from generator.records.kinds import BY_NAME
from generator.stages.load import parse_document
from generator.stages.validate import validate_document

REPO = Path(__file__).resolve().parent.parent
CASE_TEXT = (REPO / "casestudies" / "knowsley.yaml").read_text(encoding="utf-8")
FUZZ = settings(max_examples=150, deadline=3000, suppress_health_check=[HealthCheck.too_slow])


def check_text(text: str, kind: str = "case-study", path: str = "casestudies/knowsley.yaml") -> None:
    problems = Collector()
    doc = parse_document(path, text, BY_NAME[kind], problems)
    if doc is not None:
        validate_document(doc, problems)
    problems.raise_if_any()


def accepts_or_explains(text: str, kind: str = "case-study") -> None:
    try:
        check_text(text, kind)
    except ContentError as e:
        for problem in e.problems:  # every problem is located and explained
            assert problem.path and problem.message.endswith((".", "?")), problem


def test_the_real_case_study_is_accepted() -> None:
    check_text(CASE_TEXT)


@FUZZ
@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    accepts_or_explains(text)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30), st.dates()
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)


@FUZZ
@given(documents, st.sampled_from(sorted(BY_NAME)))
def test_random_yaml_documents(data: object, kind: str) -> None:
    accepts_or_explains(yaml.safe_dump(data, allow_unicode=True), kind)


LINES = CASE_TEXT.splitlines()


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["delete", "duplicate", "tab", "indent", "dedent", "value", "chars"]),
            st.integers(0, len(LINES) - 1),
            st.text(max_size=8),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutations_of_a_real_case_study(mutations: list[tuple[str, int, str]]) -> None:
    lines = list(LINES)
    for op, at, extra in mutations:
        at %= len(lines)
        line = lines[at]
        if op == "delete":
            del lines[at]
        elif op == "duplicate":
            lines.insert(at, line)
        elif op == "tab":
            lines[at] = "\t" + line
        elif op == "indent":
            lines[at] = "  " + line
        elif op == "dedent":
            lines[at] = line[2:]
        elif op == "value" and ":" in line:
            lines[at] = line.split(":", 1)[0] + ": " + extra
        else:
            lines[at] = line[: len(line) // 2] + extra + line[len(line) // 2 :]
        if not lines:
            lines = [""]
    accepts_or_explains("\n".join(lines) + "\n")


def test_an_alias_bomb_is_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(20)
    )
    import pytest

    # 9**20 nodes if expanded: a loader that expanded it would never return. It is refused while
    # streaming parser events, before anything is built.
    with pytest.raises(ContentError) as info:
        check_text(bomb)
    assert "aliases (*name) are not allowed" in str(info.value.problems[0])
