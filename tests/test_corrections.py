"""Issue 18: the handbook's inferences never read as the report's, and the slips a close reading found.

Each test guards one correction: placements say how strong they are wherever they are shown,
the per-case lessons are marked as the handbook's reading, Table 1 is shown as the report prints
it, case pages open with what a practitioner reads first, and the specific slips stay fixed.
Expected values from the report are written out here as data (with the report's section), so a
drift fails with a message naming the record.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from generator.output import exports, selfdiagnosis
from generator.output.pages import Settings, render_pages
from generator.pipeline import check
from generator.records.models import PLACEMENT_SHORT, PLACEMENT_WORDS
from generator.stages.index import Index

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index() -> Index:
    return check(REPO)


@pytest.fixture(scope="module")
def pages(index: Index) -> dict[str, str]:
    settings = Settings("Handbook", "https://example.org/", "https://example.org/repo", "2026-01-01")
    return render_pages(index, settings, REPO / "site_templates", {})


def _words(text: str) -> str:
    return " ".join(text.split())


# --- 1. placements and their strength -----------------------------------------------------------------

# How strongly the report supports each placement (section 5.1 names the Highlands, Knowsley and
# South Tyneside in their phases; for Tower Hamlets it finds only "some signs"; it names no phase
# for Lille, Portland or the network analysis).
PLACEMENTS = {
    "highlands": ("mainstreaming", "stated"),
    "knowsley": ("mobilisation", "stated"),
    "south-tyneside": ("embedding", "stated"),
    "tower-hamlets": ("embedding", "partial"),
    "lille": ("embedding", "inferred"),
    "portland": ("embedding", "inferred"),
    "social-network-analysis": ("mobilisation", "inferred"),
}


def test_each_placement_has_the_basis_the_report_supports(index: Index) -> None:
    found = {c.id: (c.phase.phase, c.phase.basis) for c in index.all("case-study") if c.phase}
    assert found == PLACEMENTS


def test_tower_hamlets_quotes_the_reports_hedge(index: Index) -> None:
    placement = index.get("case-study", "tower-hamlets").phase
    assert placement is not None and placement.hedge is not None
    assert placement.hedge.quote.startswith("some signs")
    assert placement.hedge.source.section == "Section 5.1, Phase 4: Embedding"
    assert "some signs" in placement.strength and placement.strength.startswith(PLACEMENT_WORDS["partial"])


def test_tower_hamlets_draws_no_triangle_stronger_than_south_tynesides(index: Index) -> None:
    # The report finds only "some signs" of Embedding in Tower Hamlets, but does place South Tyneside
    # there: the weaker case must not get the more ambitious (pervasive) triangle.
    assert index.get("case-study", "south-tyneside").phase.triangle == "embedding-sustainable"
    assert index.get("case-study", "tower-hamlets").phase.triangle is None


def _placed(index: Index) -> list:
    return [c for c in index.all("case-study") if c.phase]


def _line_with(page: str, link: str) -> list[str]:
    return [line for line in page.splitlines() if link in line]


@pytest.mark.parametrize(
    ("page", "link", "words"),
    [
        # the cases list has a line per case (a thousand at scale): a word or two, explained above it
        ("cases/index.md", "]({id}.md)", "placement_short"),
        ("index.md", "](cases/{id}.md)", "placement_strength"),
        ("lifecycle/index.md", "](../cases/{id}.md)", "placement_strength"),
    ],
)
def test_every_list_of_placements_says_how_strong_each_is(
    index: Index, pages: dict[str, str], page: str, link: str, words: str
) -> None:
    for case in _placed(index):
        lines = _line_with(pages[page], link.format(id=case.id))
        assert lines, f"{page}: no line links to {case.id}"
        strength = getattr(case, words)
        assert all(f"({strength})" in line for line in lines), (
            f"{page}: {case.id} is shown in a phase without its strength ({strength!r})"
        )


def test_the_cases_list_explains_its_short_strength_words(pages: dict[str, str]) -> None:
    intro = _words(pages["cases/index.md"].split("{ .hb-finder-intro }")[0].rsplit("\n\n", 1)[-1])
    for short in PLACEMENT_SHORT.values():
        assert f"*{short}*" in intro, f"the cases list uses ({short}) without saying what it means"


def test_phase_pages_say_how_strong_each_placement_is(index: Index, pages: dict[str, str]) -> None:
    for case in _placed(index):
        lines = _line_with(pages[f"lifecycle/{case.phase.phase}.md"], f"](../cases/{case.id}.md#lifecycle)")
        assert lines and all(case.phase.strength in line for line in lines), case.id


def test_case_pages_state_the_placement_at_its_own_strength(index: Index, pages: dict[str, str]) -> None:
    opening = {
        "stated": "*Stated by the report:* the report places",
        "partial": "*Partly evidenced by the report:* the report does not simply place",
        "inferred": "*The handbook's own reading:* the report names no phase for",
    }
    for case in _placed(index):
        page = pages[f"cases/{case.id}.md"]
        assert opening[case.phase.basis] in page, case.id
        facts = _line_with(page, "| **Lifecycle phase** |")
        assert len(facts) == 1 and case.phase.strength in facts[0], case.id


def test_no_page_states_a_placement_more_strongly_than_its_basis(index: Index, pages: dict[str, str]) -> None:
    weaker = [c for c in _placed(index) if c.phase.basis != "stated"]
    problems = []
    for path, text in pages.items():
        flat = _words(text)
        for case in weaker:
            pattern = rf"(?<!not simply )(the report|report) (places|placed|puts|put) {re.escape(case.short_title)} (in|at|into) "
            if re.search(pattern, flat, re.I):
                problems.append(f"{path}: says the report places {case.short_title}")
        if "(an inference from the text, not a statement)" in flat:
            problems.append(f"{path}: the old self-contradicting wording")
    assert not problems, "\n".join(problems)


def test_self_diagnosis_similar_cases_carry_the_strength(index: Index, pages: dict[str, str]) -> None:
    data = selfdiagnosis.export(index)
    assert data is not None
    for case in data["cases"]:
        record = index.get("case-study", case["id"])
        for state in case["states"]:
            assert state["strength"], case["id"]
            if state["current"]:
                assert state["strength"] == record.phase.strength, case["id"]
            else:
                assert state["strength"] == selfdiagnosis.PAST_STRENGTH
    page = pages[selfdiagnosis.PAGE_PATH]
    tower = [line for line in page.splitlines() if "cases/tower-hamlets.md" in line and "report was written" in line]
    assert tower and all("some signs" in line for line in tower)
    script = (REPO / "site_templates/assets/diagnose.js").read_text(encoding="utf-8")
    assert "state.strength" in script and "where the handbook reads the report" not in script


def test_downloads_carry_the_strength(index: Index) -> None:
    files = exports.export_files(index, "Handbook", "https://example.org/", "2026")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["downloads/cases.csv"].decode("utf-8")))}
    assert rows["tower-hamlets"]["phase_basis"] == "partial"
    assert rows["tower-hamlets"]["phase_hedge"].startswith("some signs")
    assert rows["lille"]["phase_strength"] == PLACEMENT_WORDS["inferred"]
    assert rows["knowsley"]["phase_strength"] == PLACEMENT_WORDS["stated"]
    case = json.loads(files["downloads/cases/tower-hamlets.json"])
    assert case["phase"]["basis"] == "partial" and case["phase"]["hedge"]["quote"].startswith("some signs")
    codebook = files["downloads/codebook.md"].decode("utf-8")
    for words in PLACEMENT_WORDS.values():
        assert words in codebook
    schema = json.loads((REPO / "schemas/case-study.schema.json").read_text(encoding="utf-8"))
    assert "partial" in json.dumps(schema) and "hedge" in json.dumps(schema)


# --- 3. lessons -----------------------------------------------------------------------------------------


def test_every_lesson_is_marked_as_the_handbooks_reading(index: Index, pages: dict[str, str]) -> None:
    for case in index.all("case-study"):
        if not case.lessons:
            continue
        page = pages[f"cases/{case.id}.md"]
        heading = page.index("## Lessons: the handbook's reading {#lessons}")
        label = page.index("*The handbook's reading:* these lessons are the handbook's own synthesis", heading)
        first = page.index("\n- ", heading)
        assert label < first, f"{case.id}: the label must come before the first lesson"


def _lessons(index: Index, case_id: str) -> str:
    return _words(" ".join(index.get("case-study", case_id).lessons))


def test_lessons_keep_within_the_report(index: Index) -> None:
    # Appendix C, case study 4, section 5.6: about £150,000 paid for the management team and consultants.
    tower = _lessons(index, "tower-hamlets")
    assert "£150,000" in tower and "management team" in tower and "consultants" in tower
    assert "capacity building" not in tower
    # Pittsburgh: the report gives no advice that starting the shift earlier makes innovations sturdier.
    assert "sturdier" not in _lessons(index, "pittsburgh")
    # Duplication is the report's finding about Pittsburgh (case study 7), not Gouda.
    assert "duplicat" not in _lessons(index, "gouda")
    assert "duplicat" in _lessons(index, "pittsburgh")


# --- 4-8. summaries, slips, Table A2, Figure A1, self-diagnosis, verdicts ---------------------------------


def test_goudas_summary_limits_national_policy_and_fragility_to_the_targeted_partnership(index: Index) -> None:
    summary = _words(index.get("case-study", "gouda").summary)
    assert "The work runs against national policy" not in summary
    assert re.search(r"targeted partnership runs against it and rests on a fragile consensus", summary)
    assert "Renewal was enabled by national policy" in summary


def test_small_slips_stay_fixed(index: Index) -> None:
    from test_content import _text

    knowsley = _words(_text(index.get("case-study", "knowsley")))
    assert "opened in 2003" not in knowsley and "Vocation and Skills Centre, opened" not in knowsley
    assert "funded the creation of a new Vocation and Skills Centre" in knowsley
    assert "groups of 150" not in knowsley and "Twelve focus groups with 150" in knowsley
    tower = _words(_text(index.get("case-study", "tower-hamlets")))
    assert "new to the borough" not in tower and "three new providers" in tower
    gouda = index.get("case-study", "gouda")
    factor_g = next(p for p in gouda.people if p.name == "Factor G")
    assert "municipal" not in factor_g.role.lower()
    note = next(r.note for r in index.get("case-study", "pittsburgh").related_cases if r.case == "portland")
    assert "outside government" not in note and "public-sector leadership" in note


def test_table_a2_wording_follows_the_report(index: Index) -> None:
    from test_content import _text

    everything = " ".join(
        _words(_text(r)) for kind in ("phase", "triangle", "diagnosis-rules") for r in index.all(kind)
    )
    assert "personal risk" not in everything
    assert "others recognise" not in everything
    assert any("expose themselves" in p for p in index.get("phase", "design-and-discover").pitfalls)
    assert '"identified approach or strategy"' in index.get("phase", "mainstreaming").progression


def test_figure_a1_is_read_with_a_hedge(index: Index) -> None:
    body = _words(next(s.body for s in index.get("toolkit-step", "grow-or-fail").sections if s.id == "figure-a1"))
    assert "cannot be recovered" in body and "The handbook's reading, not the report's" in body
    assert "Read it simply as" not in body


# Step Three questions (Appendix A) and Table A1 phrases the self-diagnosis rules used nearly word for word.
REPORT_WORDING = [
    "Would you do better to focus on improvement?",
    "Do you need to put more resources into your failing area?",
    "Is there pressure to change? Is there demand for doing things differently?",
    "Are you capturing feedback from the public, service users and other agencies?",
    "Can you quantify and communicate the value of your innovation?",
    "Is the evidence of effectiveness robust enough to convince other service managers and local politicians?",
    "The local authority has strategies and infrastructure to support innovation in one service or sector.",
    "Innovation is taking place collaboratively across several services, sectors or agencies.",
    "The local authority has a strategy, infrastructure and investment to support widespread innovation.",
    "It is confident enough to recognise and support good ideas and to 'kill' innovations that are not "
    "returning public or organisational value.",
]


def _runs(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_self_diagnosis_rules_are_in_the_handbooks_words(index: Index) -> None:
    from test_content import _texts

    rules = index.get("diagnosis-rules", "diagnosis")
    report = set().union(*(_runs(q) for q in REPORT_WORDING))
    problems = []
    for part in (*rules.statements, *rules.corner_advice, *rules.corners):
        for text in _texts(part.model_copy(update={"sources": []})):
            unquoted = re.sub(r'"[^"]*"', "", text)
            shared = _runs(unquoted) & report
            if shared:
                problems.append(f"{text[:60]!r}: {sorted(' '.join(s) for s in shared)[:3]}")
    assert not problems, "\n".join(problems)


def test_the_two_missing_verdicts_are_on_their_case_pages(index: Index) -> None:
    # Section 3, case study summaries (South Tyneside; Tower Hamlets).
    south = _words(index.get("case-study", "south-tyneside").conclusions)
    assert "considerable risk" in south and "mainstream government funding" in south
    tower = _words(index.get("case-study", "tower-hamlets").conclusions)
    assert "mainstream" in tower and "across local government" in tower


def test_commissioning_dates_are_told_the_same_way_as_on_the_case_page(index: Index) -> None:
    glossary = _words(index.get("term", "commissioning").definition)
    assert "2001" in glossary and "2002" in glossary and "the handbook shows 2001" in glossary
    assert "let the first contracts in 2002" not in glossary
    contradiction = next(x for x in index.get("case-study", "tower-hamlets").contradictions if x.id == "start-year")
    assert contradiction.shown.startswith("2001")


# --- 9. Table 1 as printed --------------------------------------------------------------------------------

# Table 1, 'Summary of drivers and enablers from case studies': its rows top to bottom, each with its
# "Case study area" cell as printed (curly apostrophe written plain), and its source line.
TABLE1_ROWS = [
    ("highlands", "Highland Children's Services"),
    ("knowsley", "Knowsley Secondary Education"),
    ("south-tyneside", "South Tyneside Social Exclusion"),
    ("tower-hamlets", "Tower Hamlets Youth Services"),
    ("pittsburgh", "Pittsburgh Unemployment and workforce development"),
    ("lille", "Lille Regeneration of governance structures"),
    ("gouda", "Gouda Building community cohesion"),
]


def test_table1_rows_are_recorded_as_printed(index: Index) -> None:
    rows = sorted((c.table1.order, c.id, c.table1.area) for c in index.all("case-study") if c.table1)
    assert [(cid, area) for _, cid, area in rows] == TABLE1_ROWS


def test_table1_is_rendered_in_the_reports_order_with_its_source_line(pages: dict[str, str]) -> None:
    page = pages["factors/index.md"]
    table = page[page.index("{#table-1}") : page.index("{#matrix}")]
    shown = re.findall(r"^\| \[([^\]]+)\]\(\.\./cases/([a-z-]+)\.md#factors\)", table, re.M)
    assert [(cid, area) for area, cid in shown] == TABLE1_ROWS
    assert '"Source: Young Foundation (2007)"' in table


def test_table1_cells_keep_the_reports_order_within_each_column(index: Index, pages: dict[str, str]) -> None:
    from test_content import TABLE1

    page = pages["factors/index.md"]
    table = page[page.index("{#table-1}") : page.index("{#matrix}")]
    for cid, _ in TABLE1_ROWS:
        row = next(line for line in table.splitlines() if f"../cases/{cid}.md#factors" in line)
        cells = row.strip("|").split(" | ")[1:]
        for cell, role in zip(cells, ("trigger", "driver", "enabler"), strict=True):
            labels = [label.replace("&#39;", "'") for label in re.findall(r"\[([^\]]+)\]", cell)]
            assert labels == TABLE1[cid][role], f"{cid} {role}s: {labels}"


def test_factors_list_files_each_case_under_its_role_once(index: Index, pages: dict[str, str]) -> None:
    page = pages["factors/index.md"]
    sections = {
        role: page[page.index(f"{{#{role}s}}") : page.index(nxt)]
        for role, nxt in (("trigger", "{#drivers}"), ("driver", "{#enablers}"), ("enabler", "{#table-1}"))
    }
    for factor in index.all("factor"):
        uses = index.factor_uses(factor.id)
        for role, text in sections.items():
            row = next((line for line in text.splitlines() if f"]({factor.id}.md)" in line), "")
            listed = re.findall(r"\(\.\./cases/([a-z-]+)\.md#factors\)", row)
            expected = list(dict.fromkeys(u.case.id for u in uses if u.role == role))
            assert listed == expected, f"{factor.id} under {role}s: {listed}, expected {expected}"
    drivers = next(line for line in sections["driver"].splitlines() if "](informal-networks.md)" in line)
    enablers = next(line for line in sections["enabler"].splitlines() if "](informal-networks.md)" in line)
    for cid in ("pittsburgh", "highlands", "cambridge"):
        assert f"cases/{cid}.md" in enablers and f"cases/{cid}.md" not in drivers


# --- 10. case pages: what a practitioner reads first, and timelines -----------------------------------------


def test_case_pages_open_with_the_brief_placement_factors_and_lessons(index: Index, pages: dict[str, str]) -> None:
    order = ["In brief", "| **Lifecycle phase** |", "{#factors}", "{#lessons}", "{#lifecycle}", "{#context-and-need}"]
    for case in index.all("case-study"):
        page = pages[f"cases/{case.id}.md"]
        marks = [m for m in order if m != "{#lessons}" or case.lessons]
        positions = [page.index(m) for m in marks]
        assert positions == sorted(positions), f"{case.id}: {marks} out of order"
        if case.timeline:
            assert page.index("{#timeline}") > page.index("{#context-and-need}")


def test_highlands_girfec_pathfinder_is_one_event(index: Index) -> None:
    events = index.get("case-study", "highlands").timeline
    girfec = [e for e in events if e.year in (2006, 2007) and "GIRFEC" in e.label and "first phase" in e.label.lower()]
    assert [e.id for e in girfec] == ["girfec-pathfinder-2006"]
    merged = girfec[0]
    assert (merged.year, merged.end_year) == (2006, 2007)
    assert {"girfec-first-phase-begins-2006", "girfec-first-phase-span"} <= set(merged.moved_from)


def test_no_timeline_repeats_an_event_in_the_same_years_under_the_same_label(index: Index) -> None:
    for case in index.all("case-study"):
        seen: dict[tuple[int, str], str] = {}
        for e in case.timeline:
            key = (e.year, re.sub(r"\W+", " ", e.label.lower()).strip())
            assert key not in seen, f"{case.id}: {e.id} repeats {seen[key]}"
            seen[key] = e.id


def test_the_compare_page_data_says_how_strong_each_placement_is(index: Index) -> None:
    from generator.output import finder

    for case in _placed(index):
        phase = finder.case_data(index, case)["phase"]
        assert phase[3] == case.placement_strength, case.id
    assert "partly evidenced" in finder.case_data(index, index.get("case-study", "tower-hamlets"))["phase"][3]
