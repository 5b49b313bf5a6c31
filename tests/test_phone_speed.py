"""Fast on a phone (issue 17 point 3), the parts that can be checked without a stopwatch: nothing
moves once a page is drawn (cumulative layout shift, as Chromium's own layout-shift entries count
it, at a phone's size and a desktop's), the finder's form is in the page before its script runs,
Material's wrapping of tables takes no extra room, and no script of ours forces the browser to lay
the page out while it opens. The Lighthouse scores themselves are a measurement, not a test:
`python -m bench.lighthouse` writes them into docs/benchmarks.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.output.finder import finder_data, shown_facets
from generator.pipeline import check

REPO = Path(__file__).resolve().parent.parent
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
# The pages Lighthouse measures (bench/lighthouse.py), the fragments opening at their charts.
PAGES = [
    "",
    "cases/highlands/",
    "cases/",
    "cases/#compare",
    "lifecycle/",
    "lifecycle/mobilisation/",
    "factors/#matrix",
    "toolkit/self-diagnosis/",
]
SHIFTS = """window.__hbShifts = [];
new PerformanceObserver(list => list.getEntries().forEach(e => window.__hbShifts.push({
  value: e.value, at: Math.round(e.startTime),
  moved: (e.sources || []).map(s => s.node ? s.node.nodeName + '.' + (s.node.className || '') : '?')})))
  .observe({type: 'layout-shift', buffered: true});"""


def _observed(chromium: object, site: str, path: str, device: dict, script: str, found: str, settle: int = 0) -> list:
    """What `script`, run before the page's own, gathered in `found` once the page has loaded and
    `settle` ms more have passed."""
    context = chromium.new_context(**device)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.add_init_script(script)
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(settle)
        return page.evaluate(found)
    finally:
        context.close()


def _shifts(chromium: object, site: str, path: str, device: dict) -> list[dict]:
    # 1 s more: late work (idle callbacks, resize observers) has run
    return _observed(chromium, site, path, device, SHIFTS, "window.__hbShifts", settle=1000)


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_nothing_moves_once_a_page_is_drawn_on_a_phone(chromium: object, site: str, path: str) -> None:
    shifts = _shifts(chromium, site, path, PHONE)
    assert sum(s["value"] for s in shifts) < 0.005, shifts


@pytest.mark.browser
@pytest.mark.parametrize("path", ["cases/", "factors/#matrix"])
def test_nothing_moves_once_a_page_is_drawn_on_a_desktop(chromium: object, site: str, path: str) -> None:
    shifts = _shifts(chromium, site, path, DESKTOP)
    assert sum(s["value"] for s in shifts) < 0.005, shifts


def test_the_cases_page_holds_the_finders_filters() -> None:
    """Every filter the finder's data has is named in the page, in the finder's order."""
    index = check(REPO)
    with_values = [(f["key"], f["label"]) for f in finder_data(index)["facets"] if f["values"]]
    assert shown_facets(index) == with_values
    assert len(with_values) >= 8


@pytest.mark.browser
def test_the_finders_filters_are_in_the_page_before_its_script_runs(chromium: object, site: str) -> None:
    context = chromium.new_context(**PHONE)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        # the page as served, with scripts on but the finder's own script not (yet) run
        page.route("**/assets/finder.js", lambda route: route.abort())
        page.goto(site + "cases/")
        summaries = page.eval_on_selector_all(
            "[data-hb-facets] details > summary", "els => els.map(e => e.textContent)"
        )
        assert summaries[:3] == ["Country", "Level of government", "Service field"], summaries
        assert page.is_visible("#hb-finder-q") and page.is_visible("[data-hb-facets] summary")
        assert page.text_content("[data-hb-count]").startswith("All ")
        # the finder's data never arrives: the form, which would filter nothing, is set aside
        page = context.new_page()
        page.route("**/assets/finder/cases.js", lambda route: route.abort())
        page.goto(site + "cases/")
        page.wait_for_selector("[data-hb-finder][hidden]", state="attached")
        assert not page.is_visible("[data-hb-finder]")
    finally:
        context.close()


TABLE_GAPS = """() => Array.from(document.querySelectorAll('article table')).map(t => {
  const box = t.closest('.md-typeset__scrollwrap') || t;
  const next = box.nextElementSibling;
  return [Math.round(t.getBoundingClientRect().top + scrollY), next ? Math.round(next.getBoundingClientRect().top + scrollY) : null];
})"""


@pytest.mark.browser
@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_wrapped_tables_take_the_room_of_bare_ones(chromium: object, site: str, device: dict) -> None:
    """Material wraps tables in scrolling boxes from its script, and main.html adds a hint to the
    boxes that scroll: with and without JavaScript every table and what follows it sit at the same
    place (the factors page has several tables, some of which scroll on a phone)."""
    places = {}
    for js in (False, True):
        context = chromium.new_context(java_script_enabled=js, **device)  # type: ignore[attr-defined]
        try:
            page = context.new_page()
            page.goto(site + "factors/")
            if js:
                page.wait_for_selector("article .md-typeset__scrollwrap", state="attached")
                page.wait_for_timeout(500)
            places[js] = page.evaluate(TABLE_GAPS)
            if js and device is PHONE:
                assert page.locator("article .md-typeset__scrollwrap.hb-scrolls").count() >= 1
        finally:
            context.close()
    assert len(places[True]) >= 4
    assert places[True] == places[False]


def _trace_opening(
    chromium: object, site: str, path: str, trace: Path, categories: list[str], settle: int
) -> list[dict]:
    """Chromium's trace events (in `categories`) while `path` opens at a phone's size, until the
    network is idle and `settle` ms more have passed."""
    context = chromium.new_context(**PHONE)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        chromium.start_tracing(page=page, path=str(trace), categories=categories)  # type: ignore[attr-defined]
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(settle)
        chromium.stop_tracing()  # type: ignore[attr-defined]
    finally:
        context.close()
    events = json.loads(trace.read_text(encoding="utf-8"))
    return events["traceEvents"] if isinstance(events, dict) else events


def _forced_layouts(chromium: object, site: str, path: str, trace: Path) -> list[str]:
    """Layouts and style recalculations that a script of ours forced while `path` opened."""
    timeline = ["devtools.timeline", "disabled-by-default-devtools.timeline"]
    events = _trace_opening(
        chromium, site, path, trace, [*timeline, "disabled-by-default-devtools.timeline.stack"], 1000
    )
    ours = ("/assets/charts.js", "/assets/search.js", "/assets/finder.js", "/assets/diagnose.js")
    forced = []
    for e in events:
        if e.get("name") not in ("Layout", "UpdateLayoutTree"):
            continue
        args = e.get("args") or {}
        stack = (args.get("beginData") or {}).get("stackTrace") or args.get("stackTrace") or []
        for frame in stack:
            url = frame.get("url", "")
            if url.split("?")[0].endswith(ours) or url.split("#")[0] == site + path.split("#")[0]:
                forced.append(f"{e['name']} from {frame.get('functionName') or '?'} ({url}:{frame.get('lineNumber')})")
                break
    return forced


@pytest.mark.browser
@pytest.mark.parametrize("path", ["cases/highlands/", "lifecycle/mobilisation/", "cases/", "toolkit/self-diagnosis/"])
def test_no_script_of_ours_forces_a_layout_while_a_page_opens(
    chromium: object, site: str, path: str, tmp_path: Path
) -> None:
    """A forced layout runs inside the script's own task and makes it long on a phone; our page
    scripts (the inline one in main.html and assets/*.js) read sizes only from observers' calls."""
    assert _forced_layouts(chromium, site, path, tmp_path / "trace.json") == []


def _restyled_by_stylesheets(chromium: object, site: str, path: str, trace: Path) -> list[str]:
    """The elements Chromium restyled because a stylesheet changed while `path` opened (its
    invalidation tracking: "Style rule change"), less the document's root and head."""
    categories = ["devtools.timeline", "disabled-by-default-devtools.timeline.invalidationTracking"]
    events = _trace_opening(chromium, site, path, trace, categories, 300)
    # the trace holds every frame Chromium has open (its own pages too): this page's frame only
    frames = {
        d.get("frame")
        for e in events
        if e.get("name") == "CommitLoad"
        and (d := (e.get("args") or {}).get("data") or {}).get("url", "").startswith(site)
    }
    assert frames, "no CommitLoad event for the page in the trace"
    restyled = []
    for e in events:
        data = (e.get("args") or {}).get("data") or {}
        if e.get("name") != "StyleRecalcInvalidationTracking" or data.get("frame") not in frames:
            continue
        if data.get("reason") == "Style rule change" and str(data.get("nodeName")).split(" ")[0] not in (
            "HTML",
            "HEAD",
        ):
            restyled.append(str(data.get("nodeName")))
    return restyled


@pytest.mark.browser
@pytest.mark.parametrize("path", ["cases/highlands/", "toolkit/self-diagnosis/"])
def test_no_stylesheet_restyles_the_page_once_it_has_a_body(
    chromium: object, site: str, path: str, tmp_path: Path
) -> None:
    """Material's instant navigation makes the page's relative addresses absolute when its script
    runs; a stylesheet whose address changes then loads again and the whole page is restyled (about
    1,300 elements on the Highlands page), a long task on a phone. overrides/main.html does it in
    the head, once the stylesheets have loaded and before there is a body to restyle.
    Measured as Chromium counts it, not by the order of load events: a <link>'s load event is
    dispatched a while after its stylesheet is applied, sometimes after Material's script has run.
    (Making each address absolute before its stylesheet had loaded, so that each loaded once,
    restyled the whole page in 6 loads out of 15: that load no longer held Material's script back,
    nor the first paint; docs/benchmarks.md, session 7.)"""
    restyled = _restyled_by_stylesheets(chromium, site, path, tmp_path / "trace.json")
    # A stylesheet applied again restyles every element parsed by then: hundreds on these pages
    # (117-1,293 measured without main.html's script). One landing just as the parser opens the
    # body restyles the body alone.
    assert len(restyled) < 20, restyled


SHEET_LOADS = """window.__hbSheets = {loads: {}};
document.addEventListener('load', e => { const t = e.target;
  if (t.tagName === 'LINK' && t.rel === 'stylesheet') {
    const name = t.href.split('/').pop(); window.__hbSheets.loads[name] = (window.__hbSheets.loads[name] || 0) + 1; } }, true);"""


@pytest.mark.browser
def test_instant_navigation_keeps_the_stylesheets_in_force(chromium: object, site: str) -> None:
    """Material's instant navigation compares the next page's head with this one, element by
    element: a <link> that differs (its address relative, say) is removed and its stylesheet
    loaded again, on every page followed."""
    context = chromium.new_context(**PHONE)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.add_init_script(SHEET_LOADS)
        page.goto(site + "cases/")
        page.wait_for_load_state("networkidle")  # Material fetches the sitemap before it intercepts links
        page.evaluate("""() => { window.hbSamePage = true; window.__hbSheets.loads = {};
          window.hbLinks = Array.from(document.querySelectorAll('head link[rel=stylesheet]')); }""")
        page.click("article a[href$='/cases/highlands/']")
        page.wait_for_function("location.pathname.endsWith('/cases/highlands/')")
        page.wait_for_load_state("networkidle")
        after = page.evaluate("""() => ({same: window.hbSamePage === true,
          kept: Array.from(document.querySelectorAll('head link[rel=stylesheet]')).every((l, i) => l === window.hbLinks[i]),
          links: document.querySelectorAll('head link[rel=stylesheet]').length,
          loads: window.__hbSheets.loads})""")
    finally:
        context.close()
    assert after["same"], "the link must be followed by instant navigation"
    assert after["links"] >= 4 and after["kept"], after
    assert after["loads"] == {}, after
