"""Issue 19 (points 5, 6, 8, 11, 12): what practitioners, trainers and phone readers stumbled on.
Point 1 (offline self-diagnosis links) is tested in test_offline.py."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import Watch
from playwright.sync_api import Browser, Page

from generator.config import PLACEHOLDER_SITE_URL, REQUIRE_SITE_URL, load_config
from generator.errors import ContentError
from generator.pipeline import generate

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
HANDOUT = "pathways/what-triggers-local-innovation-handout/"


def _html(project: Path, page: str) -> str:
    return (project / "site" / page / "index.html").read_text(encoding="utf-8")


# --- 19.5 placeholder addresses --------------------------------------------------------------------


def test_a_build_with_the_placeholder_address_says_so(built_mini: Path) -> None:
    assert load_config(built_mini).placeholder
    about = _html(built_mini, "about")
    zip_link = re.search(r'href="([^"]*handbook-offline\.zip)"', about)
    assert zip_link and zip_link.group(1) == "../assets/handbook-offline.zip", "a relative link to the zip"
    assert PLACEHOLDER_SITE_URL + "assets" not in about
    case = _html(built_mini, "cases/riverton")
    assert 'class="hb-print-header__placeholder"' in case, "the print header says the address is a placeholder"
    assert 'class="hb-placeholder-note"' in case, "the citation says its address is a placeholder"
    assert 'class="hb-placeholder-note"' in _html(built_mini, "data")


def test_a_build_with_the_published_address_has_no_placeholder_notes(built_handbook: Path) -> None:
    for page in ("cases/knowsley", "data", HANDOUT.rstrip("/")):
        html = _html(built_handbook, page)
        assert "hb-placeholder-note" not in html and "hb-print-header__placeholder" not in html, page
        assert PLACEHOLDER_SITE_URL not in html, page


def test_the_placeholder_warns_and_the_publishing_hook_stops_it(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("HANDBOOK_SITE_URL", raising=False)
    with caplog.at_level(logging.WARNING):
        generate(load_config(mini_project))
    assert any("placeholder" in r.getMessage() and "HANDBOOK_SITE_URL" in r.getMessage() for r in caplog.records)
    shutil.rmtree(mini_project / "build" / "docs")
    monkeypatch.setenv(REQUIRE_SITE_URL, "1")
    with pytest.raises(ContentError) as err:
        generate(load_config(mini_project))
    assert re.match(r"mkdocs\.yml:\d+: site_url: .*placeholder.*Set HANDBOOK_SITE_URL", err.value.report())
    assert not (mini_project / "build" / "docs").exists(), "nothing was written"
    monkeypatch.setenv("HANDBOOK_SITE_URL", "https://example.net/handbook/")
    generate(load_config(mini_project))  # with the real address the hook lets it through


# --- 19.11 the self-diagnosis is linked where readers look -------------------------------------------


@pytest.mark.parametrize(
    "page", ["", "lifecycle/latent", "lifecycle/mobilisation", "pathways/where-are-we-in-the-lifecycle"]
)
def test_the_self_diagnosis_is_linked_from(built_handbook: Path, page: str) -> None:
    html = _html(built_handbook, page) if page else (built_handbook / "site" / "index.html").read_text("utf-8")
    assert re.search(r'<a href="(\.\./)*toolkit/self-diagnosis/"', html), page


# --- 19.12 small things, in the pages ------------------------------------------------------------------


def test_toolkit_headings_do_not_repeat_the_step(built_handbook: Path) -> None:
    for page in ("toolkit", "toolkit/diagnose", "toolkit/grow-or-fail"):
        text = re.sub(r"<[^>]+>", "", _html(built_handbook, page))
        assert not re.search(r"Step \d+: Step \w+", text), page
    assert re.search(r"<h1[^>]*>Step One: Diagnosing", _html(built_handbook, "toolkit/diagnose"))


@pytest.mark.parametrize(
    "folder,expects",
    [
        ("triangles", 'href="mobilisation-success/"'),
        ("downloads", "cases/knowsley.json"),
        ("schemas", "case-study.schema.json"),
    ],
)
def test_folders_have_index_pages(built_handbook: Path, folder: str, expects: str) -> None:
    html = _html(built_handbook, folder)
    assert expects in html
    assert 'class="hb-path"' in html, "the page shows where it is"


def test_the_home_page_offers_a_way_in_by_role(built_handbook: Path) -> None:
    html = (built_handbook / "site" / "index.html").read_text("utf-8")
    roles = html[html.index('id="start"') : html.index('id="contents"')]
    for role, target in (
        ("run or change a service", "toolkit/self-diagnosis/"),
        ("workshop or a course", "pathways/"),
        ("edit or add to the handbook", "data/"),
    ):
        assert role in roles and f'href="{target}"' in roles, role


# --- 19.6 handouts ----------------------------------------------------------------------------------


def test_the_handout_names_pages_and_sections_not_ids(built_handbook: Path) -> None:
    html = _html(built_handbook, HANDOUT.rstrip("/"))
    reads = re.findall(r'<a class="hb-handout-read" href="[^"]+">([^<]+)</a>', html)
    assert len(reads) == 9, reads
    assert not [r for r in reads if re.search(r"[a-z]+-[a-z]+/|#", r)], reads
    assert "Knowsley › Triggers, drivers and enablers" in reads
    assert "Pittsburgh › 1980–1989: Steel industry collapses, bringing mass unemployment and population loss" in reads
    urls = re.findall(r'<span class="hb-handout-url">([^<]+)</span>', html)
    assert len(urls) == 9 and "cases/knowsley/#factors" in urls[1], urls


def _pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, through poppler's pdftotext (./run test installs it)."""
    assert shutil.which("pdftotext"), "the handout test needs poppler-utils: apt-get install poppler-utils"
    count = int(
        re.search(
            r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        ).group(1)
    )
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for n in range(1, count + 1)
    ]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.browser
def test_the_handout_prints_on_two_a4_pages_with_rows_whole(page: Page, site: str, tmp_path: Path) -> None:
    page.goto(site + HANDOUT)
    page.wait_for_load_state("networkidle")
    rows = page.eval_on_selector_all(
        ".hb-handout tbody tr",
        "trs => trs.map(tr => [tr.querySelector('a.hb-handout-read').textContent, tr.querySelector('.hb-handout-url').textContent])",
    )
    steps = page.eval_on_selector_all(
        ".hb-handout-step",
        "els => els.map(e => [e.querySelector('h3').textContent, e.querySelector('li:last-of-type').textContent])",
    )
    page.emulate_media(media="print")
    style = page.evaluate("""() => {  // what print keeps: borders, whole rows and steps, room for notes
      const td = document.querySelector('.hb-handout tbody td'), tr = td.parentElement;
      const notes = document.querySelector('.hb-handout-notes'), step = document.querySelector('.hb-handout-step');
      return {border: parseFloat(getComputedStyle(td).borderTopWidth), row: getComputedStyle(tr).breakInside,
              step: getComputedStyle(step).breakInside, notes: notes.getBoundingClientRect().height,
              notesLine: parseFloat(getComputedStyle(notes).borderBottomWidth)};
    }""")
    assert style["border"] >= 1 and style["notesLine"] >= 1, style
    assert style["row"] == "avoid" and style["step"] == "avoid", style
    assert style["notes"] >= 30, "room to write under the questions"
    pdf = tmp_path / "handout.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    pages = _pdf_pages(pdf)
    assert len(pages) <= 2, f"{len(pages)} A4 pages"
    squeezed = [_squeeze(t) for t in pages]
    for read, address in rows:  # a row's first line (its titles) and its last (the address) on one page
        on = [n for n, t in enumerate(squeezed) if _squeeze(address) in t]
        assert len(on) == 1, (address, on)
        assert _squeeze(" ".join(read.split()[:2])) in squeezed[on[0]], f"row split: {read} / {address}"
    for heading, last in steps:  # a step's heading and its last question on one page
        where = [n for n, t in enumerate(squeezed) if _squeeze(heading.replace("¶", "")) in t]
        assert where and _squeeze(" ".join(last.split()[-5:])) in squeezed[where[0]], f"step split: {heading}"


# --- 19.8 where am I, on a phone and on a desktop ----------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_a_case_page_shows_its_path_and_its_sections(chromium: Browser, site: str, viewport: dict[str, int]) -> None:
    context = chromium.new_context(viewport=viewport, has_touch=viewport is PHONE)
    try:
        page = context.new_page()
        watch = Watch(page)
        page.goto(site + "cases/highlands/")
        page.wait_for_load_state("networkidle")
        path = page.locator("nav.hb-path li")
        assert [t.strip("› \n") for t in path.all_inner_texts()] == ["Home", "Case studies", "Highlands"]
        assert page.is_visible("nav.hb-path")
        if viewport is DESKTOP:
            active = page.locator("nav.md-nav--primary .md-nav__item--active > a.md-nav__link")
            assert active.count() == 1 and active.inner_text().strip() == "Case studies"
            assert page.is_visible(".md-sidebar--secondary nav.md-nav--secondary")
            assert page.is_hidden("nav.hb-onpage"), "the table of contents beside the text is enough"
        else:
            assert page.is_visible("nav.hb-onpage summary")
            page.click("nav.hb-onpage summary")
            entries = page.locator("nav.hb-onpage li a")
            assert entries.count() >= 10
            page.click("nav.hb-onpage li a[href$='#timeline']")  # instant navigation makes links absolute
            page.wait_for_function("location.hash === '#timeline'")
            page.wait_for_function("Math.abs(document.getElementById('timeline').getBoundingClientRect().top) < 200")
            assert page.evaluate("scrollY") > 2000
        page.click("nav.hb-path li:nth-child(2) a")  # the path leads back to the listing
        page.wait_for_url(site + "cases/")
        page.wait_for_selector("h1:has-text('Case studies')")
        assert watch.errors == []
    finally:
        context.close()


# --- 19.12 small things, in a browser -----------------------------------------------------------------

WIDEST_TABLE = """() => {
  const box = [...document.querySelectorAll('article .md-typeset__scrollwrap')].find(b => b.querySelector('th') &&
      [...b.querySelectorAll('th')].some(th => th.textContent.trim() === 'Trigger year' ) && b.querySelectorAll('th').length >= 4);
  const th = [...box.querySelectorAll('th')].find(th => th.textContent.trim() === 'Trigger year');
  const b = box.getBoundingClientRect(), t = th.getBoundingClientRect();
  return {scrolls: box.scrollWidth > box.clientWidth + 1, marked: box.classList.contains('hb-scrolls'),
          hint: getComputedStyle(box, '::before').content, shown: t.right <= b.right + 1 && t.left >= b.left - 1};
}"""


@pytest.mark.browser
def test_tables_fit_on_a_desktop_and_say_they_scroll_on_a_phone(chromium: Browser, site: str) -> None:
    for viewport in (DESKTOP, PHONE):
        context = chromium.new_context(viewport=viewport)
        try:
            page = context.new_page()
            page.goto(site + "cases/")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)  # main.html marks scrolling tables just after load
            table = page.evaluate(WIDEST_TABLE)
            if viewport is DESKTOP:
                assert not table["scrolls"] and table["shown"], table
                assert not table["marked"] and table["hint"] in ("none", "normal"), table
            else:
                assert table["scrolls"] and table["marked"] and "Scroll sideways" in table["hint"], table
        finally:
            context.close()


DIAGNOSIS_QUERY = (
    "?s=infrastructure-being-built.initial-resources-one-service.small-scale-successes.strategy-one-service&a=3&c=2&v=2"
)

TARGETS = """() => [...document.querySelectorAll('#hb-diag-form input')].map(input => {
  const label = input.closest('label'), r = (label || input).getBoundingClientRect();
  const words = label ? [...label.querySelectorAll('span')].concat([label]).map(s => s.innerText.trim()).filter(Boolean)[0] || '' : '';
  return {name: input.name, value: input.value, w: r.width, h: r.height, words: words};
})"""

BROKEN_WORDS = """() => {
  const broken = [];
  document.querySelectorAll('#hb-diag-factors tbody th').forEach(th => {
    const text = th.firstChild, re = /\\S+/g; let m;
    while ((m = re.exec(text.data))) {
      const range = document.createRange();
      range.setStart(text, m.index); range.setEnd(text, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  });
  return broken;
}"""


@pytest.mark.browser
def test_the_self_diagnosis_works_by_touch_on_a_phone(chromium: Browser, site: str) -> None:
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        watch = Watch(page)
        page.goto(site + "toolkit/self-diagnosis/" + DIAGNOSIS_QUERY)
        page.wait_for_selector("#hb-diag-form[data-hb-ready]")
        targets = page.evaluate(TARGETS)
        assert len(targets) >= 90
        small = [t for t in targets if t["w"] < 24 or t["h"] < 24]
        assert small == [], small[:5]
        unlabelled = [t for t in targets if not t["words"]]
        assert unlabelled == [], unlabelled[:5]
        assert page.evaluate(BROKEN_WORDS) == [], "factor names break mid-word"
        assert page.locator("#hb-diag-factors a").count() == 0, "no link in the answers to lead out of the form"
        name = page.locator("#hb-diag-factors tbody th").first
        name.tap()
        box = page.locator("#hb-diag-factors tbody tr").first.locator("label.hb-diag-choice").first
        box.tap()
        assert "/toolkit/self-diagnosis/" in page.url and "p=" in page.url
        # the long result opens with a short summary, which links down to each part
        first = page.eval_on_selector("#hb-diag-result", "s => [...s.children].map(c => c.className || c.tagName)")
        assert first[:3] == ["H2", "hb-diag-caveat", "hb-diag-summary"], first
        summary = page.inner_text(".hb-diag-summary")
        assert (
            summary.startswith("In short.") and "Likely phase: Phase 2: Mobilisation" in summary and len(summary) < 600
        )
        for href in page.eval_on_selector_all(".hb-diag-summary a", "els => els.map(e => e.getAttribute('href'))"):
            assert page.locator(href).count() == 1, href
        assert watch.errors == []
    finally:
        context.close()
