"""Search in the hosted edition (Pagefind, issue 14 point 2; issue 19 point 10), in Chromium on
the real built handbook: a page load fetches no search data, the header box answers from the
keyboard shortcut, the queries a reader would type put the pages they meant in the top three
(QUERIES is data: it stays when the engine changes), a page appears once, a typo is forgiven,
and a result lands on its section with the words marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import Watch
from pagefind_index import fragments
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

# query -> pages of which at least one must be among the first three results; all of them must
# be pages of the site ("cases/knowsley/" is the page at that address).
QUERIES: dict[str, list[str]] = {
    "GIRFEC": ["cases/highlands/"],
    "Ofsted": ["cases/knowsley/"],  # Knowsley's innovation was triggered by an Ofsted inspection
    "Gouda": ["cases/gouda/"],
    "strategic triangle": ["triangles/", "lifecycle/", "glossary/"],
    "leadership": [
        "factors/collaborative-leadership/",
        "factors/long-term-leadership/",
        "factors/political-and-official-leadership/",
        "factors/charismatic-leadership/",
    ],
    "leadrship": [  # a typo: corrected against the words of the site's titles
        "factors/collaborative-leadership/",
        "factors/long-term-leadership/",
        "factors/political-and-official-leadership/",
        "factors/charismatic-leadership/",
    ],
}
RESULTS = ".md-search-result__item > a:first-child"
DONE = "document.querySelector('[data-hb-search-meta]').textContent.match(/matching page|No matching/)"


def _path(href: str, site: str) -> str:
    return href.split("#")[0].split("?")[0].replace(site, "").lstrip("/")


def _search(page: Page, query: str) -> list[str]:
    page.fill("[data-hb-search-query]", "")
    page.fill("[data-hb-search-query]", query)
    page.wait_for_function(DONE, timeout=60000)
    return page.eval_on_selector_all(RESULTS, "els => els.map(e => e.href)")


def test_expected_pages_exist(built_handbook: Path) -> None:
    """The table names real pages (a renamed page makes the table fail here, not silently)."""
    site = built_handbook / "site"
    for query, pages in QUERIES.items():
        for p in pages:
            assert (site / p / "index.html").is_file(), (query, p)


def test_index_holds_article_text_only(built_handbook: Path) -> None:
    frags = {f["url"]: f for f in fragments(built_handbook / "site")}
    highlands = frags["/cases/highlands/"]
    assert highlands["meta"]["title"].startswith("Innovation in Children")
    assert "GIRFEC" in highlands["content"]
    # no header, menus or footer: their words are in no page's indexed text
    for chrome in ("Back to top", "Made with", "Skip to content", "Table of contents"):
        assert not [u for u, f in frags.items() if chrome in f["content"]], chrome
    assert "/404.html" not in frags and "/404/" not in frags


def test_page_load_fetches_no_search_data(page: Page, site: str) -> None:
    watch = Watch(page)
    page.goto(site + "cases/highlands/")
    page.wait_for_load_state("networkidle")
    assert not [r for r in watch.requests if "/pagefind/" in r or "search_index" in r]
    page.keyboard.press("/")  # Material's shortcut opens the box
    assert page.evaluate("document.activeElement.matches('[data-hb-search-query]')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.type("GIRFEC")
    page.wait_for_function(DONE, timeout=60000)
    assert [r for r in watch.requests if r.endswith("/pagefind/pagefind.js")]
    assert not [r for r in watch.requests if not r.startswith(site)], "a request left the site"
    assert watch.errors == []


@pytest.mark.parametrize("query", list(QUERIES))
def test_query_puts_the_right_page_in_the_top_three(page: Page, site: str, query: str) -> None:
    page.goto(site)
    page.keyboard.press("s")
    hrefs = _search(page, query)
    paths = [_path(h, site) for h in hrefs]
    assert set(paths[:3]) & set(QUERIES[query]), (query, paths[:5])
    assert len(paths) == len(set(paths)), f"a page listed twice for {query!r}: {paths}"


def test_typo_says_what_it_searched(page: Page, site: str) -> None:
    page.goto(site)
    page.click("[data-hb-search-query]")
    _search(page, "leadrship")
    assert "leadership" in page.text_content("[data-hb-search-meta]")


def test_result_lands_on_its_section_with_the_words_marked(page: Page, site: str) -> None:
    page.goto(site)
    page.click("[data-hb-search-query]")
    hrefs = _search(page, "GIRFEC")
    first = next(h for h in hrefs if "/cases/highlands/" in h)
    assert re.search(r"[?&]highlight=girfec", first, re.I) and "#" in first, first
    excerpt = page.inner_html(".md-search-result__item")
    assert re.search(r"<mark>GIRFEC</mark>", excerpt, re.I)
    page.click(f"{RESULTS}[href*='/cases/highlands/']")
    page.wait_for_url(re.compile(r".*/cases/highlands/\?highlight=.*"))
    page.wait_for_selector("article mark.hb-search-hit", timeout=10000)
    anchor = first.split("#")[1]
    top = page.evaluate(f"document.getElementById({anchor!r}).getBoundingClientRect().top")
    assert 0 <= top < 900, f"section {anchor} is not in view ({top})"
    assert not page.evaluate("document.getElementById('__search').checked")


def test_search_works_at_phone_width(chromium: Browser, site: str) -> None:
    context = chromium.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        page.goto(site + "cases/")
        page.click("label.md-header__button[for='__search']")
        page.wait_for_selector("[data-hb-search-query]", state="visible")
        page.keyboard.type("Gouda")
        page.wait_for_function(DONE, timeout=60000)
        first = page.locator(RESULTS).first
        assert first.is_visible()
        box = first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 376
        # Material's search overlay grows by a transform while the search opens (0.3 s), which can
        # widen the page for that moment; once it is open, nothing may scroll sideways
        try:
            page.wait_for_function("document.documentElement.scrollWidth <= 376", timeout=3000)
        except PlaywrightTimeout:
            pytest.fail(f"the page scrolls sideways: {page.evaluate('document.documentElement.scrollWidth')} px wide")
    finally:
        context.close()
