"""What only a browser shows: charts drawn, tooltips, instant navigation, no stray requests."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import Watch

from generator.build import check

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parent.parent
INDEX = check(REPO)








def _charts_rendered(page: object, expected: int) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        f"document.querySelectorAll('[data-bokeh-rendered]').length >= {expected}", timeout=20000
    )
    sizes = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".hb-chart canvas", "els => els.map(e => [e.width, e.height])"
    )
    assert sizes and all(w > 0 and h > 0 for w, h in sizes)


CHART_PAGES = [f"cases/{c.id}/" for c in INDEX.all("case-study") if c.timeline or (c.phase and c.phase.triangle)]
CHART_PAGES += [f"lifecycle/{p.id}/" for p in INDEX.all("phase") if INDEX.triangles_of(p.id)]
CHART_PAGES += ["cases/", "factors/", "lifecycle/"]


@pytest.mark.parametrize("path", CHART_PAGES)
def test_every_chart_renders_without_console_errors(page: object, site: str, path: str) -> None:
    watch = Watch(page)
    page.goto(site + path)  # type: ignore[attr-defined]
    expected = page.locator(".hb-chart").count()  # type: ignore[attr-defined]
    assert expected > 0
    _charts_rendered(page, expected)
    assert watch.errors == []
    assert all(r.startswith(site) for r in watch.requests), [r for r in watch.requests if not r.startswith(site)]


SCREEN_POINT = """([chart, x, y]) => {
  const views = Bokeh.index instanceof Map ? [...Bokeh.index.values()] : Object.values(Bokeh.index);
  const v = views.find(v => v.el.closest && v.el.closest('#' + chart));
  const r = v.el.getBoundingClientRect();
  return [r.x + v.frame.x_scale.compute(x), r.y + v.frame.y_scale.compute(y)];
}"""
TOOLTIP_TEXT = "els => els.map(e => (e.shadowRoot ? e.shadowRoot.textContent : '') + e.textContent).join(' ')"


def test_hovering_a_timeline_event_shows_its_tooltip(page: object, site: str) -> None:
    case = INDEX.get("case-study", "highlands")
    event = sorted(case.timeline, key=lambda e: e.year)[0]
    page.goto(site + "cases/highlands/")  # type: ignore[attr-defined]
    _charts_rendered(page, 2)
    page.locator("#chart-timeline-highlands").scroll_into_view_if_needed()  # type: ignore[attr-defined]
    x, y = page.evaluate(SCREEN_POINT, ["chart-timeline-highlands", event.year, event.type])  # type: ignore
    page.mouse.move(x, y)  # type: ignore[attr-defined]
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    text = page.eval_on_selector_all(".bk-Tooltip", TOOLTIP_TEXT)  # type: ignore[attr-defined]
    assert event.label.split(" ")[0] in text and str(event.year) in text, text


def test_charts_render_after_instant_navigation(page: object, site: str) -> None:
    watch = Watch(page)
    page.goto(site + "cases/")  # type: ignore[attr-defined]
    _charts_rendered(page, 1)
    page.wait_for_load_state("networkidle")  # Material fetches the sitemap before it intercepts links
    page.evaluate("window.hbSamePage = true")  # type: ignore[attr-defined]
    page.click("article a[href$='/cases/highlands/']")  # type: ignore[attr-defined]
    # instant navigation changes the address without a load event: wait for the address itself
    page.wait_for_function("location.pathname.endsWith('/cases/highlands/')")  # type: ignore[attr-defined]
    _charts_rendered(page, 2)
    assert page.evaluate("window.hbSamePage === true"), "the link must be followed by instant navigation"  # type: ignore
    assert watch.errors == []


def test_a_page_without_charts_loads_no_bokehjs(page: object, site: str) -> None:
    watch = Watch(page)
    page.goto(site + "glossary/")  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert page.locator(".hb-chart").count() == 0  # type: ignore[attr-defined]
    assert not [r for r in watch.requests if "bokeh" in r]


def test_cross_timeline_switches_to_years_since_the_trigger(page: object, site: str) -> None:
    page.goto(site + "cases/")  # type: ignore[attr-defined]
    _charts_rendered(page, 1)
    read = "Bokeh.documents[0].get_model_by_name('hb-cross-points').data.x.slice(0, 3)"
    calendar = page.evaluate(read)  # type: ignore[attr-defined]
    page.check("input[value='relative']")  # type: ignore[attr-defined]
    relative = page.evaluate(read)  # type: ignore[attr-defined]
    assert all(c > 1800 for c in calendar)
    assert relative != calendar
    bounds = page.evaluate(
        "[Bokeh.documents[0].get_model_by_name('hb-cross-range').start, "  # type: ignore
        "Bokeh.documents[0].get_model_by_name('hb-cross-range').end]"
    )
    assert bounds[0] < 0 < bounds[1], "in trigger-aligned mode the axis runs through year 0"
    page.check("input[value='calendar']")  # type: ignore[attr-defined]
    assert page.evaluate(read) == calendar  # type: ignore[attr-defined]


def test_search_answers_girfec(page: object, site: str) -> None:
    page.goto(site)  # type: ignore[attr-defined]
    page.click("input[data-hb-search-query]")  # type: ignore[attr-defined]  # Pagefind's box (hosted edition)
    page.keyboard.type("GIRFEC")  # type: ignore[attr-defined]
    page.wait_for_selector(".md-search-result__item", timeout=20000)  # type: ignore[attr-defined]
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")  # type: ignore
    assert any("/cases/highlands/" in h for h in links)
