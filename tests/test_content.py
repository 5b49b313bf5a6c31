"""Tests of the handbook's content itself: what the report says must be in the records.

These tests load the real sources (casestudies/, content/, toolkit/) through the same check the
build runs, then assert facts about the content: the ten case studies, the seven timelines and
their trigger events, the five lifecycle phases, the report's Table 1 cell by cell, that every
factor, work, phase and triangle is reachable from somewhere, that each case study carries the
fields the report supports, and that the contradictions the report is known for are recorded.

Expected values taken from the report are written out here as data, so that a change to the
content that drifts from the report fails with a message naming the record and the difference.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import check
from generator.records.models import FINDING_CATEGORY_TITLES
from generator.stages.index import Index, case_uses

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index() -> Index:
    return check(REPO)


def _texts(value: Any) -> list[str]:
    """Every string inside a record (or part of one), for 'does it mention X' checks."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return [s for name in type(value).model_fields for s in _texts(getattr(value, name))]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _texts(item)]
    if isinstance(value, str):
        return [value]
    return []


def _text(value: Any) -> str:
    return "\n".join(_texts(value))


# --- case studies ------------------------------------------------------------------------------

CASES = {
    1: "highlands",
    2: "knowsley",
    3: "south-tyneside",
    4: "tower-hamlets",
    5: "gouda",
    6: "lille",
    7: "pittsburgh",
    8: "portland",
    9: "cambridge",
    10: "social-network-analysis",
}


def test_there_are_exactly_ten_case_studies_numbered_1_to_10(index: Index) -> None:
    cases = index.all("case-study")
    numbers = {c.id: c.number for c in cases}
    assert len(cases) == 10, f"expected 10 case studies, found {len(cases)}: {sorted(numbers)}"
    assert sorted(n for n in numbers.values() if n is not None) == list(range(1, 11)), (
        f"case study numbers must be 1-10, each once; found {numbers}"
    )
    by_number = {c.number: c.id for c in cases}
    assert by_number == CASES, f"case numbers do not match the report's order: {by_number}"


# --- timelines and their triggers --------------------------------------------------------------

# The event each case's timeline marks as its trigger: the event the report's Table 1 names.
TRIGGER_EVENTS = {
    "highlands": "consultancy-report-1999",  # 'Report by external consultancy'
    "knowsley": "ofsted-inspection-1999",  # '1999 Ofsted inspection'
    "south-tyneside": "ofsted-best-value-2000",  # '2000 Ofsted inspection and two Audit Commission reports'
    "tower-hamlets": "impending-ofsted-inspection",  # 'Ofsted inspection in the late nineties - threat ...'
    "gouda": "street-clashes-2002",  # 'Clashes between Moroccan youth in 2002'
    "lille": "mauroy-mayor",  # 'Leadership in the form of a new Mayor in 1973'
    "pittsburgh": "steel-collapse",  # 'Collapse of the steel and coal industry ... in the eighties'
}
TRIGGER_YEARS = {
    "highlands": 1999,
    "knowsley": 1999,
    "south-tyneside": 2000,
    "gouda": 2002,
    "lille": 1973,
}


def test_exactly_seven_cases_have_timelines(index: Index) -> None:
    with_timeline = {c.id for c in index.all("case-study") if c.timeline}
    assert with_timeline == set(TRIGGER_EVENTS), (
        "the report prints Timelines 1-7 only (cases 1-7); "
        f"missing: {sorted(set(TRIGGER_EVENTS) - with_timeline)}, "
        f"unexpected: {sorted(with_timeline - set(TRIGGER_EVENTS))}"
    )


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_each_timeline_has_exactly_one_trigger_event(index: Index) -> None:
    problems = []
    for case_id in sorted(TRIGGER_EVENTS):
        events = [e for e in index.get("case-study", case_id).timeline if e.trigger]
        if [e.id for e in events] != [TRIGGER_EVENTS[case_id]]:
            problems.append(
                f"{case_id}: the one event with trigger: true should be '{TRIGGER_EVENTS[case_id]}' "
                f"(the event Table 1 names), found {[e.id for e in events]}"
            )
        elif case_id in TRIGGER_YEARS and events[0].year != TRIGGER_YEARS[case_id]:
            problems.append(
                f"{case_id}: trigger event '{events[0].id}' should be dated {TRIGGER_YEARS[case_id]}, found {events[0].year}"
            )
    assert not problems, _report(problems)


def test_cases_without_timelines_have_no_trigger_events(index: Index) -> None:
    for case in index.all("case-study"):
        if case.id not in TRIGGER_EVENTS:
            assert not [e for e in case.timeline if e.trigger], f"{case.id} has no printed timeline"


def test_uncertain_timeline_dates_carry_a_note(index: Index) -> None:
    missing = [
        f"{c.id}#{e.id} ({e.certainty})"
        for c in index.all("case-study")
        for e in c.timeline
        if e.certainty != "sure" and not (e.date_note and e.date_note.strip())
    ]
    assert not missing, f"timeline events whose date is not 'sure' need a date_note: {missing}"


# --- phases -------------------------------------------------------------------------------------

PHASES = {0: "latent", 1: "design-and-discover", 2: "mobilisation", 3: "mainstreaming", 4: "embedding"}


def test_there_are_five_phases_numbered_0_to_4(index: Index) -> None:
    phases = {p.number: p.id for p in index.all("phase")}
    assert len(index.all("phase")) == 5, f"expected 5 lifecycle phases, found {sorted(phases.values())}"
    assert phases == PHASES, f"phases must be numbered 0-4 in the report's order; found {phases}"


# --- Table 1 --------------------------------------------------------------------------------------

# Table 1, 'Summary of drivers and enablers from case studies' (report lines 1366-1574), cell by cell.
# Labels are the printed cell text; curly quotes are written as plain ASCII quotes (house style).
# Which column a cell sits in is reconstructed from the scrambled extraction and each case's own
# section 5; 'Attitude to risk ...' falls at the join of the Lille and Gouda enabler cells and is
# shown with Lille (recorded there with confidence 'ambiguous').
TABLE1: dict[str, dict[str, list[str]]] = {
    "highlands": {
        "trigger": ["Report by external consultancy"],
        "driver": [
            "Underperformance",
            "Charismatic Leadership",
            "Capacity restraints due to resources having to cover sparse population over a large geographical area",
        ],
        "enabler": [
            "Organisational culture",
            "Collaboration and Partnership working",
            "National policy framework to integrate Children's Services",
        ],
    },
    "knowsley": {
        "trigger": ["1999 Ofsted inspection"],
        "driver": [
            "Crisis and underperformance",
            "Leadership from a number of different agencies",
            "Organisational culture that is willing to accept risk",
            "National policy framework and international policy debates e.g. The Excellence in Cities "
            "Programme, Every Child Matters, Building Schools for the Future Programme",
        ],
        "enabler": ["Political support and stable political environment", "Partnership working"],
    },
    "south-tyneside": {
        "trigger": ["2000 Ofsted inspection and two Audit Commission reports"],
        "driver": [
            "Underperformance",
            "Charismatic Leadership",
            "Organisational culture of strong communication, risk taking and 'no blame' ethos",
        ],
        "enabler": ["Political Support", "National policy framework", "External funding (NRF)"],
    },
    "tower-hamlets": {
        "trigger": ["Ofsted inspection in the late nineties – threat of service being identified as failing"],
        "driver": [
            "Underperformance",
            "Local political pressure from unstable political environment",
            "Leadership from local political figures and senior officers in the Council",
        ],
        "enabler": [
            "Capacity of the third sector",
            "Local culture of innovation",
            "Flexible funding to support new management teams/consultants",
        ],
    },
    "pittsburgh": {
        "trigger": ["Collapse of the steel and coal industry resulting in mass unemployment in the eighties"],
        "driver": [
            "Crisis",
            "Collaborative leadership from Universities and Foundations",
            "Resources from previous wealth",
        ],
        "enabler": ["Strong informal networks", "Local culture of innovation"],
    },
    "lille": {
        "trigger": ["Leadership in the form of a new Mayor in 1973"],
        "driver": [
            "Need resulting from widespread deprivation",
            "Strong collaborative leadership",
            "Strong informal networks",
        ],
        "enabler": [
            "Long term leadership",
            "Decentralisation of central government",
            "Attitude to risk concentrating more on meeting needs than on finance",
        ],
    },
    "gouda": {
        "trigger": ["Clashes between Moroccan youth in 2002"],
        "driver": [
            "Leadership and influence from senior officials in the Council and community organisations",
            "Social problems within the Moroccan community",
        ],
        "enabler": [
            "Devolving of power to local government",
            "Available funding from central government funds and housing corporations",
        ],
    },
}

# The factor each Table 1 cell is normalised to (content/factors/); a change of mapping is caught too.
TABLE1_FACTORS: dict[str, dict[str, list[str]]] = {
    "highlands": {
        "trigger": ["external-inspection"],
        "driver": ["underperformance", "charismatic-leadership", "capacity-constraints"],
        "enabler": ["organisational-culture", "partnership-working", "national-policy-framework"],
    },
    "knowsley": {
        "trigger": ["external-inspection"],
        "driver": [
            "underperformance",
            "collaborative-leadership",
            "organisational-culture",
            "national-policy-framework",
        ],
        "enabler": ["political-support", "partnership-working"],
    },
    "south-tyneside": {
        "trigger": ["external-inspection"],
        "driver": ["underperformance", "charismatic-leadership", "organisational-culture"],
        "enabler": ["political-support", "national-policy-framework", "external-funding"],
    },
    "tower-hamlets": {
        "trigger": ["external-inspection"],
        "driver": ["underperformance", "political-pressure", "political-and-official-leadership"],
        "enabler": ["third-sector-capacity", "local-culture-of-innovation", "external-funding"],
    },
    "pittsburgh": {
        "trigger": ["economic-collapse"],
        "driver": ["social-need", "collaborative-leadership", "legacy-resources"],
        "enabler": ["informal-networks", "local-culture-of-innovation"],
    },
    "lille": {
        "trigger": ["new-political-leadership"],
        "driver": ["social-need", "collaborative-leadership", "informal-networks"],
        "enabler": ["long-term-leadership", "decentralisation", "needs-led-risk-attitude"],
    },
    "gouda": {
        "trigger": ["community-conflict"],
        "driver": ["collaborative-leadership", "social-need"],
        "enabler": ["decentralisation", "external-funding"],
    },
}


def _table1_cells(index: Index) -> dict[str, dict[str, list[tuple[str, str | None]]]]:
    cells: dict[str, dict[str, list[tuple[str, str | None]]]] = {}
    for case in index.all("case-study"):
        for use in case_uses(case):
            if use.use.in_table1:
                cells.setdefault(case.id, {}).setdefault(use.role, []).append((use.use.factor, use.use.label))
    return cells


def test_exactly_the_seven_table1_cases_have_table1_factor_uses(index: Index) -> None:
    found = set(_table1_cells(index))
    assert found == set(TABLE1), (
        "Table 1 has seven rows (Highland, Knowsley, South Tyneside, Tower Hamlets, Pittsburgh, Lille, Gouda); "
        f"in_table1 uses missing for {sorted(set(TABLE1) - found)}, unexpected for {sorted(found - set(TABLE1))}"
    )


def test_every_table1_row_has_a_trigger_a_driver_and_an_enabler(index: Index) -> None:
    cells = _table1_cells(index)
    problems = [
        f"{case_id}: Table 1 gives at least one {role}, but no in_table1 {role} is recorded"
        for case_id in sorted(TABLE1)
        for role in ("trigger", "driver", "enabler")
        if not cells.get(case_id, {}).get(role)
    ]
    assert not problems, _report(problems)


def test_table1_cell_labels_match_the_report_verbatim(index: Index) -> None:
    cells = _table1_cells(index)
    problems = []
    for case_id in sorted(TABLE1):
        for role, expected in TABLE1[case_id].items():
            labels = [label for _, label in cells.get(case_id, {}).get(role, [])]
            if Counter(labels) != Counter(expected):
                problems.append(
                    f"{case_id} {role}s in Table 1 differ from the report.\n"
                    f"  missing: {sorted(set(expected) - set(labels))}\n"
                    f"  unexpected: {sorted(set(labels) - set(expected))}"
                )
    assert not problems, _report(problems)


def test_table1_cells_use_the_agreed_factors(index: Index) -> None:
    cells = _table1_cells(index)
    problems = []
    for case_id in sorted(TABLE1):
        for role, expected in TABLE1_FACTORS[case_id].items():
            factors = [factor for factor, _ in cells.get(case_id, {}).get(role, [])]
            if Counter(factors) != Counter(expected):
                problems.append(f"{case_id} {role} factors for Table 1 changed: expected {expected}, found {factors}")
    assert not problems, _report(problems)


def test_table1_has_46_cells_in_all(index: Index) -> None:
    total = sum(len(v) for row in _table1_cells(index).values() for v in row.values())
    expected = sum(len(v) for row in TABLE1.values() for v in row.values())
    assert expected == 46
    assert total == expected, f"Table 1 has {expected} cells; {total} in_table1 factor uses are recorded"


# --- factors, works and other records are all reachable ---------------------------------------------


def test_every_factor_is_used_by_at_least_one_case(index: Index) -> None:
    unused = [f.id for f in index.all("factor") if not index.factor_uses(f.id)]
    assert not unused, f"factors no case study uses: {unused}"


def _backlinks(index: Index, kind: str, rid: str) -> list[tuple[str, str]]:
    return [(k, i) for k, i, _ in index.backlinks.get((kind, rid), [])]


def test_every_literature_work_is_cited(index: Index) -> None:
    """'Cited' means: the work lists report footnotes that cite it, or some record refers to it
    (a case study's citations, a factor, a finding, a review theme, ...)."""
    # the 2008 report itself is cited by every `section:` source, which names a place in it
    uncited = [
        w.id
        for w in index.all("work")
        if not w.footnotes and not _backlinks(index, "work", w.id) and w.id != "nesta-young-foundation-2008"
    ]
    assert not uncited, f"literature works with no footnote numbers and no record citing them: {uncited}"


# Triangles that may have no back-link although they are not failure variants, with the reason.
TRIANGLE_EXCEPTIONS = {
    "embedding-sustainable-isolated": (
        "Table B2's 'Sustainable: Isolated Innovation' outcome; the report names no case study that ended "
        "in this state (it calls the Highlands a service 'innovating in isolation', line 1919, but places "
        "it under Phase 3: Mainstreaming), so no case can honestly point to it. It is drawn on the "
        "Embedding phase page with the other Phase 4 triangles."
    ),
}


@pytest.mark.parametrize("kind", ["factor", "phase", "work", "triangle"])
def test_no_orphan_records(index: Index, kind: str) -> None:
    """Factors, phases, works and triangles need at least one back-link from another record.
    Failure variants of the strategic triangle are exempt: every triangle of a phase is drawn on
    that phase's page (see site_templates/phase.md.j2), so they are never unreachable. The same
    holds for the documented TRIANGLE_EXCEPTIONS. The 2008 report's own entry is linked from every
    numbered note that names a place in it and from the About page."""
    phase_ids = {p.id for p in index.all("phase")}
    orphans = []
    for record in index.all(kind):
        if _backlinks(index, kind, record.id) or (kind, record.id) == ("work", "nesta-young-foundation-2008"):
            continue
        if kind == "triangle" and (record.variant == "failure" or record.id in TRIANGLE_EXCEPTIONS):
            assert record.phase in phase_ids, f"triangle '{record.id}' has no back-link and no phase page to appear on"
            continue
        orphans.append(record.id)
    assert not orphans, f"{kind} records that nothing links to: {orphans}"


def test_every_term_is_on_the_glossary_and_every_finding_on_a_findings_page(index: Index) -> None:
    """Terms and findings are listed by construction: the glossary page lists every term and each
    finding category has its own page. Check that this construction covers them all."""
    assert len({t.id for t in index.all("term")}) == len(index.all("term"))
    bad = [f.id for f in index.all("finding") if f.category not in FINDING_CATEGORY_TITLES]
    assert not bad, f"findings whose category has no findings page: {bad}"


# Glossary terms that the case studies and findings use, and pages that must link to them.
REQUIRED_TERM_USES = {
    "open-space": ["finding/recommendation-internal-capacities"],
    "action-learning-sets": ["finding/recommendation-creating-collaboratives"],
    "planning-for-real": ["case-study/portland", "finding/recommendation-mobilising-the-public"],
    "super-output-area": ["case-study/south-tyneside"],
    "third-sector": ["case-study/tower-hamlets", "case-study/social-network-analysis", "factor/third-sector-capacity"],
    "communities-of-practice": [
        "finding/recommendation-internal-capacities",
        "finding/recommendation-creating-collaboratives",
    ],
    "commissioning": ["case-study/tower-hamlets", "finding/recommendation-training-good-commissioners"],
    "comprehensive-performance-assessment": [
        "case-study/south-tyneside",
        "case-study/knowsley",
        "case-study/tower-hamlets",
    ],
    "neighbourhood-renewal-fund": ["case-study/south-tyneside", "case-study/tower-hamlets", "case-study/knowsley"],
    "pathfinder": ["case-study/highlands", "case-study/knowsley"],
    "girfec": ["case-study/highlands"],
}


@pytest.mark.parametrize("term_id", sorted(REQUIRED_TERM_USES))
def test_required_glossary_terms_are_linked_from_the_pages_that_use_them(index: Index, term_id: str) -> None:
    users = {f"{kind}/{record.id}" for kind, record in index.term_users(term_id)}
    missing = [page for page in REQUIRED_TERM_USES[term_id] if page not in users]
    term = index.get("term", term_id)
    assert not missing, (
        f"glossary term '{term.term}' is not linked from {missing}; "
        f"add the wording those pages use to its matches (now {term.matches})"
    )


# --- what every case study carries -------------------------------------------------------------------

# Cases for which the report gives fewer items than the general minimum, with the reason.
CITATION_EXCEPTIONS: dict[str, str] = {
    # Every case cites at least one work. Gouda cites only footnote 120 (Central Bureau of
    # Statistics, 2006); there is nothing more to add there.
}
MIN_PEOPLE, MIN_LESSONS, MIN_CITATIONS = 3, 2, 1


def _missing_fields(case: Any) -> list[str]:
    """What a report case lacks of the fields the report supports, in words."""
    missing = [
        f"'{name}' is empty"
        for name in ("summary", "context_and_need", "strategy", "outcomes")
        if not (getattr(case, name) or "").strip()
    ]
    if len(case.people) < MIN_PEOPLE:
        missing.append(f"at least {MIN_PEOPLE} people/organisations, found {len(case.people)}")
    if len(case.lessons) < MIN_LESSONS:
        missing.append(f"at least {MIN_LESSONS} lessons, found {len(case.lessons)}")
    if case.id not in CITATION_EXCEPTIONS and len(case.citations) < MIN_CITATIONS:
        missing.append(f"at least {MIN_CITATIONS} citation, found none")
    if not case.sources:
        missing.append("no sources")
    if not case.analysis:
        missing.append("the case's drivers-and-enablers analysis is missing")
    if not case.background and case.case_type == "full":
        missing.append("background data is missing")
    return missing


def test_every_report_case_has_the_fields_the_report_supports(index: Index) -> None:
    problems = [
        f"{case_id}: {what}"
        for case_id in (CASES[n] for n in sorted(CASES))
        for what in _missing_fields(index.get("case-study", case_id))
    ]
    assert not problems, _report(problems)


def test_citations_give_footnote_numbers(index: Index) -> None:
    problems = []
    for case_id in (CASES[n] for n in sorted(CASES)):
        bare = [c.work for c in index.get("case-study", case_id).citations if not c.footnotes]
        if bare:
            problems.append(f"{case_id}: citations without the report's footnote numbers: {bare}")
    assert not problems, _report(problems)


# Cases where the report names no individual person, with the reason.
NO_PERSON_EXCEPTIONS = {
    "cambridge": "The Cambridge mini case study names organisations and reports only, no individual (lines 10227-10651).",
}


def test_cases_name_the_people_the_report_names(index: Index) -> None:
    no_person = [
        c.id
        for c in index.all("case-study")
        if c.id not in NO_PERSON_EXCEPTIONS and not any(a.kind == "person" for a in c.people)
    ]
    # The social network analysis case is anonymised but still names Karen Stephenson and others.
    assert not no_person, f"case studies that name no person at all: {no_person}"


# --- the social network analysis case ---------------------------------------------------------------


def test_sna_case_covers_netform_and_the_key_connector_roles(index: Index) -> None:
    case = index.get("case-study", "social-network-analysis")
    text = _text(case)
    for phrase in ("NetForm", "Karen Stephenson", "hubs", "gatekeepers", "pulsetakers"):
        assert phrase.lower() in text.lower(), f"the SNA case should mention '{phrase}'"
    assert any("Karen Stephenson" in a.name and a.kind == "person" for a in case.people), (
        "Karen Stephenson, who devised NetForm, should be among the SNA case's people"
    )


def test_sna_case_records_the_seven_versus_six_networks_contradiction(index: Index) -> None:
    case = index.get("case-study", "social-network-analysis")
    found = [
        c.id
        for c in case.contradictions
        if "seven" in _text(c).lower() and "six" in _text(c).lower() and "network" in _text(c).lower()
    ]
    assert found, (
        "the report says NetForm uses seven networks but describes only six; the SNA case must record "
        f"that as a contradiction (found {[c.id for c in case.contradictions]})"
    )


# --- contradictions the report is known for ----------------------------------------------------------

KNOWN_CONTRADICTIONS = [
    # case, words the topic or readings must contain, the years both readings give
    ("tower-hamlets", "commission", ("2001", "2002")),
    ("gouda", "devol", ("1999", "2000")),
    ("lille", "mauroy", ("1973", "1983")),
]


@pytest.mark.parametrize(("case_id", "about", "years"), KNOWN_CONTRADICTIONS)
def test_known_contradictions_are_recorded(index: Index, case_id: str, about: str, years: tuple[str, str]) -> None:
    case = index.get("case-study", case_id)
    matching = []
    for c in case.contradictions:
        readings = [_text(r) for r in c.readings]
        whole = _text(c).lower()
        if about in whole and all(any(y in r for r in readings) for y in years):
            matching.append(c)
    assert matching, (
        f"{case_id}: expected a contradiction about '{about}' whose readings give both {years}; "
        f"found {[(c.id, c.topic) for c in case.contradictions]}"
    )
    for c in matching:
        assert len(c.readings) >= 2 and c.shown and c.why, f"{case_id}#{c.id}: needs both readings, 'shown' and 'why'"
        for r in c.readings:
            assert r.sources, f"{case_id}#{c.id}: every reading needs its place in the report"
