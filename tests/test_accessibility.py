"""Readable by everyone, everywhere (issue 9): axe-core finds no serious or critical violation on
any kind of page; charts have a name and a linked text version; headings, links and language are
right; every control works from the keyboard with a visible focus; pages fit a 375 px phone; a
printed case study is a clean document.

axe-core is vendored in tests/vendor/ (see the README there) and injected into each page.
Screenshots and the printed PDF land in the test's tmp folder; set HANDBOOK_A11Y_SHOTS=folder to
keep them somewhere to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import Watch, axe_violations, reach_charts
from conftest import SITE_URL
from playwright.sync_api import Browser, BrowserContext, Page

from generator.pipeline import check

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parent.parent
INDEX = check(REPO)

_phases = [p for p in INDEX.all("phase") if INDEX.triangles_of(p.id)] or INDEX.all("phase")
_phase = next((p for p in _phases if p.questions), _phases[0])
_triangle = INDEX.all("triangle")[0]
_factor = max(INDEX.all("factor"), key=lambda f: len(INDEX.cited_by("factor", f.id, "case-study")))
# Every kind of page. A path whose page the build does not make (the interactive diagnosis tool
# before it exists) is skipped, so it is tested as soon as it is there.
PAGES = {
    "home": "",
    "cases index": "cases/",
    "factors index": "factors/",
    "lifecycle": "lifecycle/",
    "bibliography": "literature/",
    "toolkit": "toolkit/",
    "findings index": "findings/",
    "case study": "cases/highlands/",
    "factor": f"factors/{_factor.id}/",
    "phase": f"lifecycle/{_phase.id}/",
    "triangle": f"triangles/{_triangle.id}/",
    "glossary": "glossary/",
    "toolkit step": f"toolkit/{INDEX.all('toolkit-step')[-1].id}/",
    "diagnosis tool": "toolkit/diagnose/",
    "self-diagnosis tool": "toolkit/self-diagnosis/",
    "work": f"literature/{INDEX.all('work')[0].id}/",
    "literature review": "literature-review/",
    "about": "about/",
}
VAGUE_LINKS = {"here", "click here", "read more", "more", "link", "this", "this page", "click", "go"}


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("HANDBOOK_A11Y_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def site_dir(built_handbook: Path) -> Path:
    return built_handbook / "site"


def _page(chromium: Browser, width: int, height: int = 900) -> tuple[BrowserContext, Page]:
    context = chromium.new_context(viewport={"width": width, "height": height})
    return context, context.new_page()


def _open(page: Page, site: str, site_dir: Path, path: str) -> None:
    assert (site_dir / path / "index.html").is_file(), f"the build makes no page {path}"
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    reach_charts(page)


# --- every kind of page ------------------------------------------------------------------------------

OUTLINE = """() => Array.from(document.querySelectorAll('article h1, article h2, article h3, article h4, article h5, article h6'))
  .filter(h => h.offsetParent !== null).map(h => [Number(h.tagName[1]), h.textContent.trim()])"""

LINK_TEXTS = """() => Array.from(document.querySelectorAll('article a[href]')).map(a =>
  (a.getAttribute('aria-label') || a.textContent || a.getAttribute('title') || '').trim().toLowerCase())"""

CHARTS = """() => Array.from(document.querySelectorAll('.hb-chart')).map(c => {
  const described = document.getElementById(c.getAttribute('aria-describedby') || '');
  const link = c.parentElement.querySelector('.hb-chart-caption a');
  const target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  return {id: c.id, role: c.getAttribute('role'), label: c.getAttribute('aria-label') || '',
          described: described ? described.textContent.trim() : null,
          link: link ? link.textContent.trim() : null, target: target ? target.id : null,
          describedVisible: !!(described && described.offsetParent !== null)};
})"""


PHONE_ESCAPES = """() => Array.from(document.querySelectorAll('article table, .hb-chart')).filter(el => {
  if (el.getBoundingClientRect().right <= 376) return false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if ((o === 'auto' || o === 'scroll') && p.getBoundingClientRect().right <= 376) return false;
  }
  return true;
}).map(el => el.tagName + '#' + el.id)"""


def _check_phone(page: Page, path: str, shots: Path) -> None:
    """At 375 px nothing scrolls sideways but inside its own box (wide tables, charts)."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.wait_for_timeout(300)  # Bokeh re-lays out on resize
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / f"phone-{path.strip('/').replace('/', '-') or 'home'}.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 376, f"{path} scrolls sideways at 375 px: {width} px wide"
    assert page.evaluate(PHONE_ESCAPES) == [], "wider than the phone and not in a scroll box"
    page.wait_for_timeout(300)  # main.html marks the scrolling tables
    violations = axe_violations(page)
    assert violations == [], "at 375 px:\n" + "\n".join(violations)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_is_accessible_and_fits_a_phone(
    chromium: Browser, site: str, site_dir: Path, path: str, tmp_path: Path
) -> None:
    context, page = _page(chromium, 1280)
    try:
        _open(page, site, site_dir, path)
        assert page.evaluate("document.documentElement.lang") == "en"

        outline = page.evaluate(OUTLINE)
        assert [level for level, _ in outline].count(1) == 1, outline
        for (above, _), (level, text) in zip(outline, outline[1:], strict=False):
            assert level <= above + 1, f"'{text}' is an h{level} straight after an h{above}"

        vague = [t for t in page.evaluate(LINK_TEXTS) if t in VAGUE_LINKS]
        assert not vague, f"links that do not say where they go: {vague}"

        for chart in page.evaluate(CHARTS):
            assert chart["role"] == "img" and len(chart["label"]) > 20, chart
            assert chart["described"], f"{chart['id']}: aria-describedby names no text on the page"
            assert chart["describedVisible"], f"{chart['id']}: its text version is hidden"
            assert chart["link"] == "Text version of this chart" and chart["target"], chart

        violations = axe_violations(page)
        assert violations == [], "\n".join(violations)

        _check_phone(page, path, _shots(tmp_path))
    finally:
        context.close()


@pytest.mark.parametrize("path", ["lifecycle/", "cases/#compare", "factors/#matrix"])
def test_charts_not_yet_drawn_are_accessible(chromium: Browser, site: str, path: str) -> None:
    """Before the reader moves (issue 17: nothing loads until then) a chart's box holds its static
    picture, hidden from assistive technology; the page passes axe in that state too, at 375 px."""
    context, page = _page(chromium, 375, 812)
    try:
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-bokeh-rendered]").count() == 0
        statics = page.locator(".hb-chart .hb-chart-static")
        assert statics.count() == page.locator(".hb-chart").count() > 0
        assert all(statics.nth(i).get_attribute("aria-hidden") == "true" for i in range(statics.count()))
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        violations = axe_violations(page)
        assert violations == [], "\n".join(violations)
    finally:
        context.close()


# --- keyboard ----------------------------------------------------------------------------------------

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {key: 'BODY', tag: 'BODY', type: '', name: '', visible: false};
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  return {key: KEY(el), tag: el.tagName, type: el.type || '', name: el.name || '',
          visible: outline || (!!s.boxShadow && s.boxShadow !== 'none')};
}"""
CONTROLS = """() => Array.from(document.querySelectorAll(
  'article input:not([type=hidden]), article select, article textarea, article button, article [role=button]'))
  .filter(el => !el.disabled && el.getClientRects().length && el.tabIndex >= 0)
  .map(el => ({key: KEY(el), type: el.type || '', name: el.name || ''}))"""
KEY = """() => { window.KEY = el => el.id || [el.tagName, el.name, el.value,
  (el.closest('label') || el).textContent.trim().slice(0, 60)].join('|'); }"""


def _tab_through(page: Page, limit: int = 900) -> dict[str, dict]:
    """Press Tab until focus leaves the page; returns each element that got focus, by key."""
    seen: dict[str, dict] = {}
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["tag"] == "BODY" and seen:
            break
        seen.setdefault(state["key"], state)
    return seen


KEYBOARD_PAGES = {
    "cases index": "cases/",
    "phase": f"lifecycle/{_phase.id}/",
    "diagnosis tool": "toolkit/diagnose/",
    "self-diagnosis tool": "toolkit/self-diagnosis/",
}


@pytest.mark.parametrize("path", KEYBOARD_PAGES.values(), ids=KEYBOARD_PAGES.keys())
def test_every_control_is_reached_by_tab_with_a_visible_focus(
    chromium: Browser, site: str, site_dir: Path, path: str
) -> None:
    context, page = _page(chromium, 1280)
    try:
        _open(page, site, site_dir, path)
        page.evaluate(KEY)
        controls = page.evaluate(CONTROLS)
        reached = _tab_through(page)
        groups = {v["name"] for v in reached.values() if v["type"] == "radio"}
        for c in controls:
            # a radio group is one tab stop: reaching one of its buttons reaches the group
            assert c["key"] in reached or (c["type"] == "radio" and c["name"] in groups), (
                f"{c['key']} is not reached with Tab on {path}"
            )
        keys = {c["key"] for c in controls}
        hidden = [k for k, v in reached.items() if k in keys and not v["visible"]]
        assert not hidden, f"no visible focus on {hidden}"
    finally:
        context.close()


def test_cross_timeline_axis_toggle_works_from_the_keyboard(chromium: Browser, site: str, site_dir: Path) -> None:
    context, page = _page(chromium, 1280)
    try:
        _open(page, site, site_dir, "cases/")
        read = "Bokeh.documents[0].get_model_by_name('hb-cross-points').data.x.slice(0, 3)"
        calendar = page.evaluate(read)
        for _ in range(300):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.name") == "hb-axis":
                break
        else:
            pytest.fail("Tab never reaches the time-axis switch")
        page.evaluate(KEY)
        assert page.evaluate(FOCUS_STATE)["visible"], "the focused radio button shows no focus"
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.querySelector('input[name=hb-axis]:checked').value") == "relative"
        assert page.evaluate(read) != calendar
        page.keyboard.press("ArrowLeft")
        assert page.evaluate(read) == calendar
    finally:
        context.close()


def test_phase_checklist_ticks_from_the_keyboard(chromium: Browser, site: str, site_dir: Path) -> None:
    assert _phase.questions, "no phase has questions: the checklist has nothing to tick"
    context, page = _page(chromium, 1280)
    try:
        _open(page, site, site_dir, f"lifecycle/{_phase.id}/")
        box = page.locator("article .hb-check input").first
        box.focus()
        page.keyboard.press("Space")
        assert box.is_checked()
    finally:
        context.close()


# --- print -------------------------------------------------------------------------------------------

PRINT_STATE = """() => {
  const shown = sel => Array.from(document.querySelectorAll(sel)).some(el => getComputedStyle(el).display !== 'none' && el.getClientRects().length);
  const after = a => getComputedStyle(a, '::after').content;
  const internal = document.querySelector('article a[data-print-url]');
  const external = Array.from(document.querySelectorAll('article a[href^="http"]')).find(a => !a.hasAttribute('data-print-url') && !a.hasAttribute('data-print-local'));
  const local = Array.from(document.querySelectorAll('article a[data-print-local]')).map(after).filter(c => c !== 'none');
  return {
    chrome: ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-search', '.md-footer', '.md-tabs', '.md-top']
      .filter(shown),
    charts: shown('.hb-chart'), captions: shown('.hb-chart-caption'),
    texts: Array.from(document.querySelectorAll('.hb-chart-text')).every(el => el.getClientRects().length > 0),
    events: shown('.hb-event'),
    header: shown('.hb-print-header') ? document.querySelector('.hb-print-header').innerText : null,
    internal: internal ? [internal.getAttribute('href'), internal.dataset.printUrl, after(internal)] : null,
    external: external ? [external.getAttribute('href'), '', after(external)] : null,
    local: local,
  };
}"""


def test_a_printed_case_study_is_a_clean_document(
    chromium: Browser, site: str, site_dir: Path, built_handbook: Path, tmp_path: Path
) -> None:
    from generator.config import load_config

    context, page = _page(chromium, 1280)
    try:
        _open(page, site, site_dir, "cases/highlands/")
        page.emulate_media(media="print")
        state = page.evaluate(PRINT_STATE)
        assert state["chrome"] == [], f"navigation or search printed: {state['chrome']}"
        assert not state["charts"] and not state["captions"], "charts print as their text versions"
        assert state["texts"] and state["events"]
        assert state["header"] and load_config(built_handbook).site_name in state["header"]
        assert f"{SITE_URL}cases/highlands/" in state["header"], state["header"]
        href, stable, shown = state["internal"]
        assert stable.startswith(SITE_URL) and stable.split("#")[0].endswith("/") and ".html" not in stable, state
        assert stable in shown or "attr(data-print-url)" in shown, shown
        assert state["local"] == [], "links to a place on the same page print no address"
        if state["external"]:
            href, _, shown = state["external"]
            assert href in shown or "attr(href)" in shown, shown
        page.pdf(path=str(_shots(tmp_path) / "case-study.pdf"), format="A4")
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "lifecycle/mobilisation/",
        "pathways/what-triggers-local-innovation/",
        "pathways/where-are-we-in-the-lifecycle-handout/",
    ],
)
def test_phase_pages_pathways_and_handouts_print_cleanly(
    chromium: Browser, site: str, site_dir: Path, path: str
) -> None:
    context, page = _page(chromium, 1280)
    try:
        _open(page, site, site_dir, path)
        page.emulate_media(media="print")
        state = page.evaluate(PRINT_STATE)
        assert state["chrome"] == [], f"navigation or search printed: {state['chrome']}"
        assert not state["charts"] and not state["captions"], "charts print as their text versions"
        assert state["header"] and f"{SITE_URL}{path}" in state["header"], state["header"]
        if state["internal"]:
            _, stable, shown = state["internal"]
            assert stable.startswith(SITE_URL) and (stable in shown or "attr(data-print-url)" in shown), state
    finally:
        context.close()


def test_no_request_leaves_the_site_while_auditing(chromium: Browser, site: str, site_dir: Path) -> None:
    """The accessibility additions (print header, captions, shim) load nothing from elsewhere."""
    context, page = _page(chromium, 1280)
    try:
        watch = Watch(page)
        _open(page, site, site_dir, "cases/highlands/")
        assert watch.errors == []
        assert all(r.startswith(site) for r in watch.requests), [r for r in watch.requests if not r.startswith(site)]
    finally:
        context.close()
