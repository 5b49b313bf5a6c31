"""What only a browser shows: charts drawn, tooltips, instant navigation, no stray requests."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import DRAWN, Watch, reach_charts
from playwright.sync_api import Page

from generator.charts.bokeh_json import BOKEH_VERSION
from generator.pipeline import check

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parent.parent
INDEX = check(REPO)


def _charts_rendered(page: Page, expected: int) -> None:
    """The reader reaches every chart of the page (tests/browser.py reach_charts); each is drawn."""
    assert reach_charts(page) >= expected
    assert page.locator("[data-bokeh-rendered]").count() >= expected
    sizes = page.eval_on_selector_all(".hb-chart canvas", "els => els.map(e => [e.width, e.height])")
    assert sizes and all(w > 0 and h > 0 for w, h in sizes)


CHART_PAGES = [f"cases/{c.id}/" for c in INDEX.all("case-study") if c.timeline or (c.phase and c.phase.triangle)]
CHART_PAGES += [f"lifecycle/{p.id}/" for p in INDEX.all("phase") if INDEX.triangles_of(p.id)]
CHART_PAGES += ["cases/", "factors/", "lifecycle/"]


@pytest.mark.parametrize("path", CHART_PAGES)
def test_every_chart_renders_without_console_errors(page: Page, site: str, path: str) -> None:
    watch = Watch(page)
    page.goto(site + path)
    expected = page.locator(".hb-chart").count()
    assert expected > 0
    _charts_rendered(page, expected)
    assert watch.errors == []
    assert all(r.startswith(site) for r in watch.requests), [r for r in watch.requests if not r.startswith(site)]


SHIFTS = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) total += e.value; })
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 200);
})"""
BOXES = "() => Array.from(document.querySelectorAll('.hb-figure, .hb-chart-text')).map(e => e.getBoundingClientRect().height)"


def _chart_requests(watch: Watch) -> list[str]:
    return [r for r in watch.requests if "bokeh" in r or "/assets/charts/" in r]


def test_a_chart_in_view_shows_its_picture_and_costs_nothing_until_the_reader_comes(page: Page, site: str) -> None:
    """Issue 17: the lifecycle page opens with its curve in view. Until the reader moves, touches or
    types, the page loads neither BokehJS nor chart data and shows the curve's static picture; then
    the chart near the viewport is drawn in a box that was already its size (no layout shift), and
    the charts far below are not."""
    watch = Watch(page)
    page.goto(site + "lifecycle/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert _chart_requests(watch) == []
    curve = page.locator("#chart-lifecycle-curve")
    assert curve.locator(".hb-chart-static svg polyline").is_visible()
    assert curve.evaluate("el => el.getBoundingClientRect().bottom <= innerHeight"), "the curve is in view"
    boxes = page.evaluate(BOXES)
    page.mouse.move(5, 5)
    page.mouse.move(25, 25)
    page.wait_for_function(DRAWN, arg=curve.element_handle(), timeout=30000)
    page.wait_for_timeout(500)
    assert curve.locator(".hb-chart-static").count() == 0, "the drawn chart replaces the picture"
    assert page.evaluate(BOXES) == boxes, "drawing a chart changed the size of a box"
    assert page.evaluate(SHIFTS) == 0
    assert len([r for r in watch.requests if f"bokeh-{BOKEH_VERSION}." in r]) == 1
    last = page.locator(".hb-chart").last
    assert not last.evaluate(DRAWN), "a chart screens away is not drawn before the reader nears it"
    assert len([r for r in watch.requests if "/assets/charts/" in r]) < page.locator(".hb-chart").count()
    last.scroll_into_view_if_needed()
    page.wait_for_function(DRAWN, arg=last.element_handle(), timeout=30000)
    assert page.evaluate(SHIFTS) == 0
    assert watch.errors == []


def test_the_cross_case_axis_chosen_before_the_chart_is_drawn_applies(page: Page, site: str) -> None:
    page.goto(site + "cases/#compare")
    page.check("input[value='relative']")  # the reader's first input
    page.wait_for_function(DRAWN, arg=page.locator("#chart-cross-timeline").element_handle(), timeout=30000)
    points = page.evaluate("Bokeh.documents[0].get_model_by_name('hb-cross-points').data.x.slice(0, 3)")
    assert all(x < 100 for x in points), "the chart shows years since the trigger, as chosen"


SCREEN_POINT = """([chart, x, y]) => {
  const views = Bokeh.index instanceof Map ? [...Bokeh.index.values()] : Object.values(Bokeh.index);
  const v = views.find(v => v.el.closest && v.el.closest('#' + chart));
  const r = v.el.getBoundingClientRect();
  return [r.x + v.frame.x_scale.compute(x), r.y + v.frame.y_scale.compute(y)];
}"""
TOOLTIP_TEXT = "els => els.map(e => (e.shadowRoot ? e.shadowRoot.textContent : '') + e.textContent).join(' ')"


def test_hovering_a_timeline_event_shows_its_tooltip(page: Page, site: str) -> None:
    case = INDEX.get("case-study", "highlands")
    event = sorted(case.timeline, key=lambda e: e.year)[0]
    page.goto(site + "cases/highlands/")
    _charts_rendered(page, 2)
    page.locator("#chart-timeline-highlands").scroll_into_view_if_needed()
    x, y = page.evaluate(SCREEN_POINT, ["chart-timeline-highlands", event.year, event.type])
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    text = page.eval_on_selector_all(".bk-Tooltip", TOOLTIP_TEXT)
    assert event.label.split(" ")[0] in text and str(event.year) in text, text


def test_charts_render_after_instant_navigation(page: Page, site: str) -> None:
    watch = Watch(page)
    page.goto(site + "cases/")
    _charts_rendered(page, 1)
    page.wait_for_load_state("networkidle")  # Material fetches the sitemap before it intercepts links
    page.evaluate("window.hbSamePage = true")
    page.click("article a[href$='/cases/highlands/']")
    # instant navigation changes the address without a load event: wait for the address itself
    page.wait_for_function("location.pathname.endsWith('/cases/highlands/')")
    _charts_rendered(page, 2)
    assert page.evaluate("window.hbSamePage === true"), "the link must be followed by instant navigation"
    assert watch.errors == []


def test_a_page_without_charts_loads_no_bokehjs(page: Page, site: str) -> None:
    watch = Watch(page)
    page.goto(site + "glossary/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".hb-chart").count() == 0
    assert not [r for r in watch.requests if "bokeh" in r]


def test_cross_timeline_switches_to_years_since_the_trigger(page: Page, site: str) -> None:
    page.goto(site + "cases/")
    _charts_rendered(page, 1)
    read = "Bokeh.documents[0].get_model_by_name('hb-cross-points').data.x.slice(0, 3)"
    calendar = page.evaluate(read)
    page.check("input[value='relative']")
    relative = page.evaluate(read)
    assert all(c > 1800 for c in calendar)
    assert relative != calendar
    bounds = page.evaluate(
        "[Bokeh.documents[0].get_model_by_name('hb-cross-range').start, "
        "Bokeh.documents[0].get_model_by_name('hb-cross-range').end]"
    )
    assert bounds[0] < 0 < bounds[1], "in trigger-aligned mode the axis runs through year 0"
    page.check("input[value='calendar']")
    assert page.evaluate(read) == calendar


def test_search_answers_girfec(page: Page, site: str) -> None:
    page.goto(site)
    page.click("input[data-hb-search-query]")  # Pagefind's box (hosted edition)
    page.keyboard.type("GIRFEC")
    page.wait_for_selector(".md-search-result__item", timeout=20000)
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert any("/cases/highlands/" in h for h in links)
