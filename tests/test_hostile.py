"""Nothing injected: a deliberately hostile case study builds into a site where none of its HTML,
scripts, event handlers or script URLs survive: not in a page, a chart tooltip, the search index
or a download; and in Chromium no injected script runs."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, make_project
from htmlscan import dangerous
from pagefind_index import search_docs
from playwright.sync_api import Browser

from generator.charts.draw import chart_item

HOSTILE = Path(__file__).parent / "fixtures" / "hostile" / "hostile.yaml"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from generator.config import load_config
    from generator.pipeline import build

    project = make_project(tmp_path_factory.mktemp("hostile") / "p", MINI)
    shutil.copy(HOSTILE, project / "casestudies" / "hostile.yaml")
    build(load_config(project))
    yield project / "site"


def test_no_dangerous_html_in_any_page_content(hostile_site: Path) -> None:
    for page in hostile_site.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        if "<article" not in text:
            continue
        article = text[text.index("<article") : text.index("</article>")]
        assert dangerous(article) == [], page.relative_to(hostile_site)
        handlers = [d for d in dangerous(text) if "= on <" in d]  # no event handler anywhere in the page
        assert handlers == [], page.relative_to(hostile_site)


def test_the_payload_is_shown_as_text(hostile_site: Path) -> None:
    text = (hostile_site / "cases" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned" in text  # visible, harmless


def test_chart_tooltips_carry_no_markup(hostile_site: Path) -> None:
    text = (hostile_site / "cases" / "hostile" / "index.html").read_text(encoding="utf-8")
    srcs = re.findall(r'data-bokeh-src="([^"]*)"', text)
    items = [chart_item((hostile_site / "assets" / html.unescape(src)).read_bytes()) for src in srcs]
    assert items
    tags = set(re.findall(r"</?([a-zA-Z]+)", json.dumps(items)))
    assert tags <= {"div", "b", "br", "i"}, tags  # only the tooltip template's own markup


def test_search_index_entries_are_safe(hostile_site: Path) -> None:
    """Pagefind keeps each page's text as text (the payload is in it, as characters); what the
    search box shows is checked in the browser below."""
    docs = search_docs(hostile_site)
    assert [d for d in docs if "__pwned" in d["text"]], "the payload is indexed as text"


@pytest.mark.browser
def test_search_results_show_the_payload_as_text(hostile_site: Path, page: Any) -> None:
    """Uses the session's browser (a second sync Playwright in one process is refused)."""
    from browser import Watch, serve

    with serve(hostile_site) as base:
        watch = Watch(page)
        page.goto(base)
        page.click("[data-hb-search-query]")
        page.keyboard.type("pwned")
        page.wait_for_function(  # Pagefind loads on first use: allow for a loaded machine
            "document.querySelector('[data-hb-search-meta]').textContent.match(/matching page|No matching/)",
            timeout=60000,
        )
        results = page.inner_html("[data-hb-search-results]")
        assert "__pwned" in page.text_content("[data-hb-search-results]")
        assert dangerous(results) == [], results
        for item in page.query_selector_all(".md-search-result__item"):
            item.hover()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert watch.errors == []


def test_downloads_are_safe(hostile_site: Path) -> None:
    for path in (hostile_site / "downloads").rglob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, cell)
    case = json.loads((hostile_site / "downloads" / "cases" / "hostile.json").read_text())
    assert case["title"].startswith("<script>")  # JSON keeps the text as data; it is never HTML


@pytest.mark.browser
def test_no_injected_script_runs_in_chromium(hostile_site: Path, chromium: Browser) -> None:
    from browser import Watch, serve

    with serve(hostile_site) as url:
        page = chromium.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        watch = Watch(page)
        for path in ("cases/hostile/", "cases/", "factors/", "factors/underperformance/", "data/"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            page.mouse.move(300, 300)
            assert page.evaluate("window.__pwned") is None, path
            assert page.title() != "PWNED"
        assert dialogs == []
        assert not [r for r in watch.requests if not r.startswith(url)]
