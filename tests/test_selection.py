"""The cross-case views follow the finder's filters (issue 14 point 5): the data each case adds is
the charts' own; in Chromium, filtering the finder redraws the cross-case timeline and rewrites its
table, clearing brings the default back, an address with filters opens the evidence map filtered
(also from file:// in the offline edition), more than CASE_CAP matches draw CASE_CAP with a note,
without JavaScript the default stays; axe finds nothing serious or critical; 375 px fits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import Watch, axe_violations, serve
from playwright.sync_api import Browser, Page
from test_offline import offline_zip, unpacked  # noqa: F401  (fixtures: the offline edition)

from generator.charts.plan import CASE_CAP, case_events, cross_timeline_data, evidence_data, plain, timeline_cases
from generator.charts.selection import INDEX_FILE, case_file, selection_cases, selection_files
from generator.pipeline import check

REPO = Path(__file__).resolve().parent.parent
INDEX = check(REPO)
CASES = INDEX.all("case-study")
READY = "[data-hb-finder][data-hb-loaded] [data-hb-facets] details"
TIMELINE_ROWS = "[data-hb-rows='cross-timeline'] tbody tr td:first-child"
MAP_ROWS = "[data-hb-rows='evidence-map'] tbody tr td:first-child"
TEXTS = "els => els.map(e => e.textContent.trim())"
# the drawn chart's rows (timeline) and columns (map), read from its Bokeh document
BOKEH_FACTORS = """name => { for (let i = Bokeh.documents.length - 1; i >= 0; i--) {
  const m = Bokeh.documents[i].get_model_by_name(name); if (m) return m.factors; } return null; }"""


def _payload(script: bytes) -> dict:
    text = script.decode("utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(");")])


# --- the data ------------------------------------------------------------------------------------


def test_every_case_has_a_file_and_the_index_names_those_without_a_timeline() -> None:
    files = selection_files(INDEX)
    assert set(files) == {INDEX_FILE} | {case_file(c.id) for c in CASES}
    info = _payload(files[INDEX_FILE])
    assert info["cap"] == CASE_CAP
    assert info["without_timeline"] == [c.id for c in CASES if not c.timeline]


def test_a_case_row_is_the_charts_own_row() -> None:
    """The script draws from the same rows and cells as the default chart (plan.py), so a filtered
    chart of the default cases is the default chart."""
    data = selection_cases(INDEX)
    default = cross_timeline_data(INDEX, {c.id: case_events(c) for c in timeline_cases(INDEX)})["rows"]
    assert default and [data[c.id]["timeline"] for c in timeline_cases(INDEX)] == default
    cells = evidence_data(INDEX)["cells"]
    for cell in cells:
        case = next(c for c in CASES if plain(c.short_title, 60) == cell["case"])
        got = data[case.id]["cells"].get(cell["factor"])
        assert (got[0] if got else "") == cell["role"], cell
        assert (got[1] if got else "") == cell["meaning"], cell


# --- in Chromium ---------------------------------------------------------------------------------


def _drawn(page: Page, chart: str) -> None:
    page.mouse.move(5, 5)
    page.mouse.move(15, 15)
    page.wait_for_selector(f"#chart-{chart}[data-bokeh-rendered]:not(.hb-chart--stale)", timeout=60000)


@pytest.mark.browser
def test_filtering_the_finder_redraws_the_cross_case_timeline_and_its_table(page: Page, site: str) -> None:
    watch = Watch(page)
    page.goto(site + "cases/")
    page.wait_for_selector(READY)
    default = page.eval_on_selector_all(TIMELINE_ROWS, TEXTS)
    assert default == [c.short_title for c in timeline_cases(INDEX)]
    country = "United Kingdom (England)"
    expected = [c.short_title for c in CASES if c.country == country and c.timeline]
    assert 0 < len(expected) < len(default)
    page.click("summary:has-text('Country')")
    page.click(f"label.hb-facet__value:has(input[value='{country}'])")
    page.wait_for_selector("[data-hb-selection-note='cross-timeline']:not([hidden])")
    assert page.eval_on_selector_all(TIMELINE_ROWS, TEXTS) == expected
    note = page.text_content("[data-hb-selection-note='cross-timeline']")
    assert f"the {len(expected)} case studies with a timeline that the finder's filters match" in note
    _drawn(page, "cross-timeline")
    rows = page.evaluate(BOKEH_FACTORS, "hb-cross-y")
    assert rows == [plain(t, 60) for t in reversed(expected)]
    height = page.evaluate("document.getElementById('chart-cross-timeline').style.height")
    assert height == f"{90 + 40 * len(expected)}px"
    # on paper the text version, filtered, stands in for the chart
    page.emulate_media(media="print")
    assert page.is_visible("[data-hb-selection-note='cross-timeline']")
    assert page.is_visible(f"[data-hb-rows='cross-timeline'] tr:has-text('{expected[0]}')")
    page.emulate_media(media="screen")
    # the finder offers the same cases on the evidence map
    link = page.get_attribute("[data-hb-map-link]", "href")
    assert link and "/factors/?country=" in link and link.endswith("#matrix")
    # clearing the filters brings the default back, chart and table
    page.click("[data-hb-clear]")
    page.wait_for_selector("[data-hb-selection-note='cross-timeline'][hidden]", state="attached")
    assert page.eval_on_selector_all(TIMELINE_ROWS, TEXTS) == default
    page.wait_for_function(f"({BOKEH_FACTORS})('hb-cross-y').length === {len(default)}")
    assert page.is_hidden("[data-hb-map-link]")
    assert watch.errors == []


@pytest.mark.browser
def test_an_address_with_filters_opens_the_evidence_map_filtered(page: Page, site: str) -> None:
    watch = Watch(page)
    wanted = {"Netherlands", "France"}
    expected = [c.short_title for c in CASES if c.country in wanted]
    assert len(expected) == 2
    page.goto(site + "factors/?country=Netherlands&country=France#matrix")
    page.wait_for_selector("[data-hb-selection-note='evidence-map']:not([hidden])")
    assert page.eval_on_selector_all(MAP_ROWS, TEXTS) == expected
    # the map one factor at a time names only these cases
    listed = " ".join(page.eval_on_selector_all("[data-hb-factor]", TEXTS))
    others = [c.short_title for c in CASES if c.country not in wanted]
    assert not any(f" in {name}" in listed or f", {name}" in listed for name in others)
    assert any(f" in {name}" in listed for name in expected)
    _drawn(page, "evidence-map")
    assert page.evaluate(BOKEH_FACTORS, "hb-evidence-x") == expected
    # the note leads back to the finder with the same filters, and to the default map
    hrefs = page.eval_on_selector_all("[data-hb-selection-note='evidence-map'] a", "els => els.map(e => e.href)")
    assert "cases/?country=Netherlands&country=France#all" in hrefs[0]
    assert hrefs[1].endswith("/factors/#matrix")
    assert watch.errors == []


@pytest.mark.browser
def test_the_finder_leads_to_the_same_cases_on_the_evidence_map(page: Page, site: str) -> None:
    """By instant navigation (the page is not loaded again), the map opens filtered."""
    watch = Watch(page)
    page.goto(site + "cases/?country=France")
    page.wait_for_selector("[data-hb-map-link]:not([hidden])")
    page.evaluate("window.hbSamePage = true")
    page.click("[data-hb-map-link]")
    page.wait_for_selector("[data-hb-selection-note='evidence-map']:not([hidden])")
    assert page.eval_on_selector_all(MAP_ROWS, TEXTS) == [c.short_title for c in CASES if c.country == "France"]
    assert page.evaluate("window.hbSamePage === true")
    assert watch.errors == []


@pytest.mark.browser
def test_without_javascript_the_default_selection_stays(chromium: Browser, site: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site + "factors/?country=France#matrix")
        assert page.eval_on_selector_all(MAP_ROWS, TEXTS) == [c.short_title for c in CASES[:CASE_CAP]]
        page.goto(site + "cases/?country=France")
        assert page.eval_on_selector_all(TIMELINE_ROWS, TEXTS) == [c.short_title for c in timeline_cases(INDEX)]
        assert page.is_hidden("[data-hb-selection-note='cross-timeline']")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["cases/?country=Netherlands&country=France#compare", "factors/?level=city#matrix"])
@pytest.mark.parametrize("width", [1280, 375])
def test_filtered_views_are_accessible_and_fit_a_phone(chromium: Browser, site: str, path: str, width: int) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(site + path)
        page.wait_for_selector(".hb-selection-note:not([hidden])")
        page.mouse.move(5, 5)
        if page.is_visible(".hb-chart"):  # on a phone the evidence map gives way to its list
            page.wait_for_selector(".hb-chart[data-bokeh-rendered]:not(.hb-chart--stale)", timeout=60000)
        if width == 375:
            assert page.evaluate("document.documentElement.scrollWidth") <= 376
        violations = axe_violations(page)
        assert violations == [], "\n".join(violations)
    finally:
        context.close()


@pytest.mark.browser
def test_the_evidence_map_follows_filters_offline(page: Page, unpacked: Path) -> None:  # noqa: F811
    """The selection data loads as scripts, so filtering works opened from disk."""
    watch = Watch(page)
    page.goto((unpacked / "factors" / "index.html").as_uri() + "?country=France#matrix")
    page.wait_for_selector("[data-hb-selection-note='evidence-map']:not([hidden])")
    assert page.eval_on_selector_all(MAP_ROWS, TEXTS) == [c.short_title for c in CASES if c.country == "France"]
    link = page.eval_on_selector(f"{MAP_ROWS} a", "e => e.href")
    assert link.startswith("file://") and Path(link.removeprefix("file://").split("#")[0]).is_file(), link
    assert watch.errors == []
    assert all(r.startswith("file://") for r in watch.requests)


# --- more cases than the cap ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built project with more cases than CASE_CAP (the calibrated synthetic corpus)."""
    from bench import corpus
    from generator.config import load_config
    from generator.pipeline import build

    project = corpus.make_project(tmp_path_factory.mktemp("many") / "project", CASE_CAP + 15)
    build(load_config(project))
    return project


@pytest.mark.browser
def test_more_matches_than_the_cap_draw_the_first_cap_with_a_note(page: Page, many: Path) -> None:
    index = check(many, drafts=False)
    cases = [c for c in index.all("case-study") if c.timeline]
    # the filter value most cases share; it must match more than the cap for this test to mean anything
    counts: dict[str, int] = {}
    for c in cases:
        counts[c.status] = counts.get(c.status, 0) + 1
    status, matching = max(counts.items(), key=lambda kv: kv[1])
    assert matching > CASE_CAP
    expected = [c.short_title for c in cases if c.status == status][:CASE_CAP]
    with serve(many / "site") as url:
        page.goto(url + f"cases/?status={status}")
        page.wait_for_selector("[data-hb-selection-note='cross-timeline']:not([hidden])")
        assert page.eval_on_selector_all(TIMELINE_ROWS, TEXTS) == expected
        note = page.text_content("[data-hb-selection-note='cross-timeline']")
        assert f"the first {CASE_CAP} of the {matching} case studies with a timeline" in note
        page.goto(url + f"factors/?status={status}#matrix")
        page.wait_for_selector("[data-hb-selection-note='evidence-map']:not([hidden])")
        assert len(page.eval_on_selector_all(MAP_ROWS, TEXTS)) == CASE_CAP
        _drawn(page, "evidence-map")
        assert len(page.evaluate(BOKEH_FACTORS, "hb-evidence-x")) == CASE_CAP
