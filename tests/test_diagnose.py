"""The self-diagnosis rules (generator/output/selfdiagnosis.py over toolkit/diagnosis/), pinned down with the
report's own cases."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from diagnose_scenarios import BY_NAME, SCENARIOS, Scenario
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from generator.errors import Collector
from generator.output import selfdiagnosis
from generator.output.pages import Settings, render_pages
from generator.pipeline import check
from generator.records import models

REPO = Path(__file__).resolve().parent.parent
INDEX = check(REPO)
RULES = selfdiagnosis.rules_of(INDEX)
DATA = selfdiagnosis.export(INDEX)
PHASES = [p.id for p in INDEX.all("phase")]
A = selfdiagnosis.Answers.of


def test_the_rules_are_valid_and_complete() -> None:
    assert RULES is not None
    problems = Collector()
    selfdiagnosis.check_rules(INDEX, problems)
    assert problems.problems == []
    assert {p.phase for p in RULES.profiles} == set(PHASES)
    assert {(a.phase, a.corner) for a in RULES.corner_advice} == {(p, c) for p in PHASES for c in selfdiagnosis.CORNERS}
    assert {f.factor for f in RULES.factors} == {f.id for f in INDEX.all("factor")}, "the page asks about every factor"


def test_every_table_a1_row_gives_statements_and_scores_its_own_phase_highest() -> None:
    for phase in PHASES:
        own = [s for s in RULES.statements if s.row == phase]
        assert len(own) >= 2, phase
        for s in own:
            points = {pp.phase: pp.points for pp in s.points}
            assert points[phase] == max(points.values()), s.id


WEIGHT_LEVEL = {"none": 0, "small": 1, "moderate": 2, "large": 3, "very-large": 3}


def test_each_profile_is_read_from_its_triangle() -> None:
    for p in RULES.profiles:
        tri = INDEX.get("triangle", p.triangle)
        assert tri.phase == p.phase
        for corner in selfdiagnosis.CORNERS:
            assert getattr(p, corner) == WEIGHT_LEVEL[getattr(tri.corners, corner).weight], (p.phase, corner)


def test_the_export_is_plain_deterministic_json() -> None:
    text = selfdiagnosis.export_json(DATA)
    assert json.loads(text) == DATA
    assert selfdiagnosis.export_json(selfdiagnosis.export(check(REPO))) == text
    assert [s["id"] for s in DATA["statements"]] == [s.id for s in RULES.statements]
    assert set(DATA["profiles"]) == set(PHASES)
    for case in DATA["cases"]:
        assert case["states"] and case["states"][-1]["current"]
        assert all(s["next"] for s in case["states"]), case["id"]


# --- the report's own cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_the_reports_cases_come_out_where_the_report_puts_them(scenario: Scenario) -> None:
    result = selfdiagnosis.assess(DATA, scenario.answers(INDEX))
    assert result["phase"] == scenario.expected, result["points"]
    case = INDEX.get("case-study", scenario.case)
    if scenario.placement == "report":
        assert case.phase is not None and case.phase.phase == scenario.expected
        assert result["cases"][0]["id"] == scenario.case, "the case itself is the most similar"
        assert result["cases"][0]["distance"] == 0
    else:
        spans = {s.phase for s in case.phase_spans}
        assert scenario.expected in spans


def test_knowsley_in_2007_is_in_mobilisation_ahead_of_mainstreaming() -> None:
    result = selfdiagnosis.assess(DATA, BY_NAME["knowsley-2007"].answers(INDEX))
    assert result["phase"] == "mobilisation"
    # Knowsley already had a strategy for its one service, so Phase 3 is the runner-up: a lead, not a toss-up
    assert result["ranking"][1] == "mainstreaming"
    assert result["confidence"] != "toss-up"
    assert result["reasons"]["statements_for"]
    assert [c["id"] for c in result["cases"]][:1] == ["knowsley"]
    assert 2 <= len(result["cases"]) <= RULES.similarity.show


def test_walking_the_highlands_timeline_reproduces_its_phase_spans() -> None:
    walk = [BY_NAME[n] for n in ("highlands-1998", "highlands-2000", "highlands-2004", "highlands-2007")]
    phases = [selfdiagnosis.assess(DATA, s.answers(INDEX))["phase"] for s in walk]
    spans = [s.phase for s in sorted(INDEX.get("case-study", "highlands").phase_spans, key=lambda s: s.start)]
    assert phases == spans == ["latent", "design-and-discover", "mobilisation", "mainstreaming"]


def test_a_latent_service_is_shown_the_uk_cases_before_their_trigger() -> None:
    result = selfdiagnosis.assess(DATA, BY_NAME["highlands-1998"].answers(INDEX))
    cases = {c["id"]: c for c in result["cases"]}
    assert cases, "there is always something to compare with"
    for cid, match in cases.items():
        state = next(c for c in DATA["cases"] if c["id"] == cid)["states"][match["state"]]
        assert state["phase"] == "latent" and not state["current"]
        assert state["next_phase"] == "design-and-discover"


# --- the rules, one at a time --------------------------------------------------------------------------


@pytest.mark.parametrize("phase", PHASES)
def test_ticking_one_rows_statements_gives_that_phase(phase: str) -> None:
    own = [s.id for s in RULES.statements if s.row == phase]
    assert selfdiagnosis.assess(DATA, A(own))["phase"] == phase


@pytest.mark.parametrize("phase", PHASES)
def test_a_phases_own_triangle_alone_gives_that_phase(phase: str) -> None:
    profile = DATA["profiles"][phase]
    result = selfdiagnosis.assess(DATA, A(corners={c: profile[c] for c in selfdiagnosis.CORNERS}))
    assert result["phase"] == phase
    assert result["reasons"]["distance"] == 0


def test_too_few_answers_give_no_phase() -> None:
    assert selfdiagnosis.assess(DATA, A())["phase"] is None
    assert selfdiagnosis.assess(DATA, A(corners={"authority": 3, "capacity": 1}))["phase"] is None
    assert selfdiagnosis.assess(DATA, A(present=["external-inspection"]))["phase"] is None


def test_points_add_up_as_the_rules_say() -> None:
    top = max(s.level for s in RULES.scale)
    s = RULES.statements[0]
    answers = A([s.id], {"value": 0}, ["local-culture-of-innovation"])
    points = selfdiagnosis.score(DATA, answers)
    culture = next(f for f in RULES.factors if f.factor == "local-culture-of-innovation")
    for phase in PHASES:
        expected = sum(pp.points for pp in s.points if pp.phase == phase)
        expected += top - abs(0 - DATA["profiles"][phase]["value"])
        expected += sum(pp.points for pp in culture.present if pp.phase == phase)
        assert points[phase] == expected, phase


def test_a_tie_goes_to_the_earlier_phase() -> None:
    tied = {"frontline-and-centre"}  # design-and-discover 3
    latent_three = [s.id for s in RULES.statements if {pp.phase: pp.points for pp in s.points} == {"latent": 3}]
    answers = A([*tied, latent_three[0]])
    points = selfdiagnosis.score(DATA, answers)
    assert points["latent"] == points["design-and-discover"]
    result = selfdiagnosis.assess(DATA, answers)
    assert result["phase"] == "latent" and result["confidence"] == "toss-up" and result["lead"] == 0


def test_confidence_bands_follow_the_lead() -> None:
    bands = {b.id: b.min_lead for b in RULES.confidence}
    one = selfdiagnosis.assess(DATA, A(["little-room-to-grow"]))  # latent 2, nothing else
    assert one["lead"] == 2 and one["confidence"] == "narrow" == next(k for k, v in bands.items() if v <= 2)
    many = selfdiagnosis.assess(DATA, A([s.id for s in RULES.statements if s.row == "embedding"]))
    assert many["lead"] >= bands["clear"] and many["confidence"] == "clear"


def test_weakest_corner_is_the_biggest_shortfall_against_the_phase() -> None:
    mob = DATA["profiles"]["mobilisation"]
    answers = A(
        ["initial-resources-one-service", "infrastructure-being-built"], {"authority": 3, "capacity": 0, "value": 1}
    )
    result = selfdiagnosis.assess(DATA, answers)
    assert result["phase"] == "mobilisation"
    assert result["weakest"] == {"corner": "capacity", "level": 0, "expected": mob["capacity"], "short": True}


def test_weakest_corner_ties_follow_the_phases_priority() -> None:
    # mainstreaming expects 2/3/2; authority and value both fall one short, so its priority decides
    profile = DATA["profiles"]["mainstreaming"]
    answers = A(["strategy-one-service", "capacity-in-that-service"], {"authority": 1, "capacity": 3, "value": 1})
    weakest = selfdiagnosis.assess(DATA, answers)["weakest"]
    first = next(c for c in profile["priority"] if c in ("authority", "value"))
    assert weakest["corner"] == first and weakest["short"]


def test_weakest_corner_when_nothing_falls_short_is_the_lowest() -> None:
    answers = A(["strategy-one-service"], {"authority": 3, "capacity": 3, "value": 2})
    weakest = selfdiagnosis.assess(DATA, answers)["weakest"]
    assert weakest == {
        "corner": "value",
        "level": 2,
        "expected": DATA["profiles"]["mainstreaming"]["value"],
        "short": False,
    }
    assert selfdiagnosis.assess(DATA, A(["strategy-one-service"]))["weakest"] is None


def test_factors_marked_missing_count_against_matching_cases() -> None:
    base = BY_NAME["knowsley-2007"]
    with_all = selfdiagnosis.assess(DATA, base.answers(INDEX))
    knowsley_factors = next(c for c in DATA["cases"] if c["id"] == "knowsley")["factors"]
    missing = A(base.statements, base.corners, [], knowsley_factors)
    without = selfdiagnosis.assess(DATA, missing)
    k_with = next(c for c in with_all["cases"] if c["id"] == "knowsley")
    k_without = next((c for c in without["cases"] if c["id"] == "knowsley"), None)
    assert k_without is None or k_without["points"] < k_with["points"]
    assert without["missing"] == [f["id"] for f in DATA["factors"] if f["id"] in knowsley_factors]


def test_each_case_is_shown_once_and_no_more_than_the_rules_allow() -> None:
    for s in SCENARIOS:
        cases = selfdiagnosis.assess(DATA, s.answers(INDEX))["cases"]
        ids = [c["id"] for c in cases]
        assert len(ids) == len(set(ids)) <= RULES.similarity.show
        assert all(c["points"] >= RULES.similarity.min_points for c in cases)
        assert [c["points"] for c in cases] == sorted((c["points"] for c in cases), reverse=True)


# --- answers in the address ---------------------------------------------------------------------------

IDS = st.sets(st.sampled_from([s.id for s in RULES.statements]))
FACTORS = st.sets(st.sampled_from([f.factor for f in RULES.factors]))
CORNER_ANSWERS = st.dictionaries(st.sampled_from(selfdiagnosis.CORNERS), st.integers(0, 3))


@given(IDS, CORNER_ANSWERS, FACTORS, FACTORS)
def test_answers_survive_the_query_string(
    statements: set[str], corners: dict[str, int], present: set[str], missing: set[str]
) -> None:
    answers = A(statements, corners, present, missing - present)
    query = selfdiagnosis.to_query(answers)
    assert re.fullmatch(r"(\?[a-z0-9=.&-]*)?", query)
    assert selfdiagnosis.from_query(query) == answers


def test_a_scenario_query_reads_as_expected() -> None:
    query = selfdiagnosis.to_query(
        A(
            ["little-room-to-grow", "frontline-pockets"],
            {"authority": 1, "value": 0},
            ["social-need"],
            ["external-inspection"],
        )
    )
    assert query == "?s=frontline-pockets.little-room-to-grow&a=1&v=0&p=social-need&m=external-inspection"


# --- problems in the rules are reported, not silently used ------------------------------------------


def _problems(**update: object) -> list[str]:
    broken = RULES.model_copy(update=update)
    return [message for _, message in selfdiagnosis.rule_problems(INDEX, broken)]


def test_broken_rules_are_reported() -> None:
    assert any("no profile for the phase 'embedding'" in p for p in _problems(profiles=RULES.profiles[:-1]))
    assert any("already given" in p for p in _problems(statements=[*RULES.statements, RULES.statements[0]]))
    assert any("no advice" in p for p in _problems(corner_advice=RULES.corner_advice[1:]))
    bad_priority = RULES.profiles[0].model_copy(update={"priority": ["authority", "authority", "value"]})
    assert any("each of authority" in p for p in _problems(profiles=[bad_priority, *RULES.profiles[1:]]))
    flat = [b.model_copy(update={"min_lead": 3}) for b in RULES.confidence]
    assert any("min_lead must fall" in p for p in _problems(confidence=flat))
    unsourced = RULES.factors[0].model_copy(update={"sources": []})
    assert any("needs sources" in p for p in _problems(factors=[unsourced, *RULES.factors[1:]]))


def test_an_unknown_case_is_left_to_the_index_to_report() -> None:
    unknown = RULES.cases[0].model_copy(update={"case": "highland"})
    assert _problems(cases=[unknown, *RULES.cases[1:]]) == []


def test_the_model_refuses_unknown_keys_and_out_of_range_points() -> None:
    raw = RULES.model_dump()
    with pytest.raises(ValidationError):
        models.DiagnosisRules.model_validate({**raw, "weights": {}})
    raw["statements"][0]["points"][0]["points"] = 9
    with pytest.raises(ValidationError):
        models.DiagnosisRules.model_validate(raw)


# --- the page ---------------------------------------------------------------------------------------


def test_the_page_embeds_the_same_rules_in_a_data_attribute_and_no_typed_script() -> None:
    pages = render_pages(INDEX, Settings("T", "https://example.org/", "", "2026-01-01"), REPO / "site_templates", {})
    text = pages[selfdiagnosis.PAGE_PATH]
    match = re.search(r'<form [^>]*data-rules="([^"]*)"', text)
    assert match and json.loads(html.unescape(match.group(1))) == DATA
    assert 'data-rules-url="../diagnosis.json"' in text
    assert not re.search(r"<script[^>]+type=", text)
    for s in RULES.statements:
        assert f'value="{s.id}"' in text
    assert "[Answer a short set of questions](self-diagnosis.md)" in pages["toolkit/index.md"]


def test_the_build_publishes_the_rules_beside_the_page() -> None:
    files = selfdiagnosis.export_files(INDEX)
    assert list(files) == ["toolkit/diagnosis.json"]
    assert json.loads(files["toolkit/diagnosis.json"]) == DATA
