"""Property-based tests: whatever bytes an editor commits, loading and validating either accepts
them or raises the project's own ContentError, never another exception, within a time bound."""

from __future__ import annotations

from pathlib import Path

import pytest
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
    # 9**20 nodes if expanded: a loader that expanded it would never return. It is refused while
    # streaming parser events, before anything is built.
    with pytest.raises(ContentError) as info:
        check_text(bomb)
    assert "aliases (*name) are not allowed" in str(info.value.problems[0])


# --- the data parse_document builds is what PyYAML's safe loader builds ---------------------------------


def _parsed(text: str) -> object:
    problems = Collector()
    doc = parse_document("content/x.yaml", text, BY_NAME["term"], problems)
    return None if doc is None else doc.data


@FUZZ
@given(st.dictionaries(st.text(max_size=12), documents, min_size=1, max_size=5), st.sampled_from([None, False, True]))
def test_the_data_built_while_checking_is_what_safe_load_builds(data: dict, flow: bool | None) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    assert _parsed(text) == yaml.load(text, Loader=yaml.SafeLoader)  # the pure-Python loader, as a reference


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: yes\nc: ~\nd: 2008-01-02\ne: 1.5\nf: '1'\ng: |\n  block\nh: >\n  folded\n",
        "1: one\nyes: true key\n~: null key\n2008-01-02: date key\n",
        "s: !!set {a, b}\no: !!omap [{a: 1}, {b: 2}]\nb: !!binary aGVsbG8=\nt: !!str 12\n",
        "a: [1, [2, {b: c}], {d: [e]}]\n",
    ],
)
def test_tagged_and_typed_values_are_built_as_safe_load_builds_them(text: str) -> None:
    assert _parsed(text) == yaml.load(text, Loader=yaml.SafeLoader)


@pytest.mark.parametrize("text", ["? [a, b]\n: x\n", "? {a: 1}\n: x\n", "a: !!python/object:os.system x\n"])
def test_values_the_safe_loader_refuses_are_refused_with_a_line(text: str) -> None:
    problems = Collector()
    assert parse_document("content/x.yaml", text, BY_NAME["term"], problems) is None
    assert problems.problems and problems.problems[0].line >= 1


def test_every_real_source_parses_to_what_safe_load_gives() -> None:
    paths = [p for folder in ("casestudies", "content", "toolkit") for p in sorted((REPO / folder).rglob("*.yaml"))]
    assert len(paths) > 300
    for path in paths:
        text = path.read_text(encoding="utf-8-sig")
        assert _parsed(text) == yaml.load(text, Loader=yaml.SafeLoader), path
