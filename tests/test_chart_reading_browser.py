"""Charts on a phone and the cross-case axis switch, in Chromium (issue 19 points 2, 3, 7, 9)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.cdp = context.new_cdp_session(page)  # type: ignore[attr-defined]  # the swipe helpers find the session here
    yield page
    context.close()


def _rendered(page: Page, selector: str) -> None:
    """Wait for a chart to be drawn, arriving as a reader does: charts.js draws a chart only once
    the reader has shown up (a key, the pointer) and the chart is near the viewport."""
    page.keyboard.press("Shift")
    page.mouse.move(5, 5)
    page.locator(selector).scroll_into_view_if_needed()
    page.wait_for_selector(f"{selector}[data-bokeh-rendered]", state="attached", timeout=30000)
    page.wait_for_function(
        "s => { const c = document.querySelector(s + ' canvas') || "
        "[...document.querySelector(s).querySelectorAll('*')].find(e => e.shadowRoot); return !!c; }",
        arg=selector,
        timeout=20000,
    )
    page.wait_for_timeout(300)


def _swipe_up(page: Page, x: float, y: float, distance: int = 200) -> None:
    """A one-finger swipe, as Chromium's touch emulation delivers it (touchstart, moves, touchend)."""
    cdp = page.cdp  # type: ignore[attr-defined]  # set by the phone fixture
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 11):
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - distance * i / 10}]}
        )
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(400)


def _chart_centre(page: Page, selector: str) -> tuple[float, float]:
    page.evaluate(
        "s => { const e = document.querySelector(s); window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 200); }",
        selector,
    )
    page.wait_for_timeout(300)
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize(
    ("path", "chart"), [("cases/highlands/", "#chart-timeline-highlands"), ("cases/", "#chart-cross-timeline")]
)
def test_a_swipe_on_a_timeline_scrolls_the_page(phone: Page, site: str, path: str, chart: str) -> None:
    phone.goto(site + path)
    _rendered(phone, chart)
    x, y = _chart_centre(phone, chart)
    before = phone.evaluate("scrollY")
    _swipe_up(phone, x, y)
    after = phone.evaluate("scrollY")
    assert after - before > 100, f"a swipe on the chart scrolled the page by {after - before} px"
    # the control: once the reader picks the pan tool, the same swipe pans the chart instead
    phone.evaluate(
        "s => { for (const d of Bokeh.documents) for (const r of d.roots()) if (r.toolbar) "
        "for (const t of r.toolbar.tools) if (t.type === 'PanTool' || t.constructor.name === 'PanTool') t.active = true; }",
        chart,
    )
    phone.wait_for_timeout(300)
    x, y = _chart_centre(phone, chart)
    before = phone.evaluate("scrollY")
    _swipe_up(phone, x, y)
    assert abs(phone.evaluate("scrollY") - before) < 20


def test_first_tap_names_an_event_and_the_second_opens_it(phone: Page, site: str) -> None:
    phone.goto(site + "cases/highlands/")
    chart = "#chart-timeline-highlands"
    _rendered(phone, chart)
    _chart_centre(phone, chart)
    point = phone.evaluate(
        """s => {
          const host = document.querySelector(s);
          const doc = Bokeh.documents.find(d => d.get_model_by_name('hb-events') &&
            d.roots()[0].id.startsWith('timeline-highlands'));
          const src = doc.get_model_by_name('hb-events');
          const view = Object.values(Bokeh.index).find(v => v.model === doc.roots()[0]);
          const r = view.canvas_view.el.getBoundingClientRect();
          const i = src.data.x.length - 1;
          return {x: r.left + view.frame.x_scale.compute(src.data.x[i]),
                  y: r.top + view.frame.y_scale.compute(src.data.y[i]),
                  label: src.data.label[i], url: src.data.url[i]};
        }""",
        chart,
    )
    target = point["url"].lstrip("#")
    phone.touchscreen.tap(point["x"], point["y"])
    phone.wait_for_timeout(500)
    note = phone.locator(".hb-figure:has(#chart-timeline-highlands) .hb-tap-note")
    assert point["label"] in note.inner_text() and "tap it again" in note.inner_text()
    top = f"document.getElementById('{target}').getBoundingClientRect().top"
    assert phone.evaluate(top) > 500  # not followed yet
    phone.wait_for_timeout(1200)  # not a double tap: the reader read the note
    phone.touchscreen.tap(point["x"], point["y"])
    phone.wait_for_timeout(600)
    assert abs(phone.evaluate(top)) < 100  # the event's entry is at the top


def test_a_mouse_click_opens_an_event_at_once(page: Page, site: str) -> None:
    page.goto(site + "cases/highlands/")
    _rendered(page, "#chart-timeline-highlands")
    _chart_centre(page, "#chart-timeline-highlands")
    point = page.evaluate(
        """() => {
          const doc = Bokeh.documents.find(d => d.get_model_by_name('hb-events'));
          const src = doc.get_model_by_name('hb-events');
          const view = Object.values(Bokeh.index).find(v => v.model === doc.roots()[0]);
          const r = view.canvas_view.el.getBoundingClientRect();
          return {x: r.left + view.frame.x_scale.compute(src.data.x[0]),
                  y: r.top + view.frame.y_scale.compute(src.data.y[0]), url: src.data.url[0]};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_timeout(500)
    target = point["url"].lstrip("#")
    assert abs(page.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top")) < 100


def test_the_axis_switch_relabels_the_axis(page: Page, site: str) -> None:
    page.goto(site + "cases/")
    _rendered(page, "#chart-cross-timeline")
    title = "Bokeh.documents.map(d => d.get_model_by_name('hb-cross-xaxis')).filter(a => a)[0].axis_label"
    notes = "Bokeh.documents.map(d => d.get_model_by_name('hb-cross-outside')).filter(a => a)[0].data.text"
    assert page.evaluate(title) == "Year"
    calendar_notes = page.evaluate(notes)
    assert any("earlier events" in n for n in calendar_notes)
    page.check("input[value='relative']")
    assert page.evaluate(title).startswith("Years since the trigger")
    rng = page.evaluate("Bokeh.documents.map(d => d.get_model_by_name('hb-cross-range')).filter(a => a)[0].start")
    assert rng < 0
    assert any("earlier events" in n for n in page.evaluate(notes))
    page.check("input[value='calendar']")
    assert page.evaluate(title) == "Year"
    assert page.evaluate(notes) == calendar_notes


def test_evidence_map_reads_on_a_phone_and_draws_from_tablet_width(chromium: Browser, site: str) -> None:
    for width, chart_shown in ((390, False), (768, True), (1366, True)):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(site + "factors/")
        figure = page.locator(".hb-figure:has(#chart-evidence-map)")
        blocks = page.locator(".hb-evidence-list .hb-evidence-factor")
        assert figure.is_visible() == chart_shown, width
        assert blocks.first.is_visible() == (not chart_shown), width
        if not chart_shown:
            assert blocks.count() >= 20
            first = blocks.first.inner_text()
            assert "trigger in" in first and "Highlands" in first
            # every block fits the screen: nothing to scroll sideways
            widths = blocks.evaluate_all("els => els.map(e => e.scrollWidth - e.clientWidth)")
            assert max(widths) <= 0
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
