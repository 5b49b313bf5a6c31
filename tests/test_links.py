"""Links that never break: published URLs and anchors stay, renamed records redirect.

tests/published-urls.txt is the committed list of every page and anchor the handbook has
published. After adding pages, refresh it with
    UPDATE_URLS=1 .venv/bin/python -m pytest tests/test_links.py -k published
(removals are refused: a URL may only go away behind a redirect).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import MINI, make_project
from playwright.sync_api import Browser

from generator.commands.linkcheck import parse

PUBLISHED = Path(__file__).parent / "published-urls.txt"
REFRESH = re.compile(r'http-equiv="refresh" content="0; url=([^"]+)"')
SKIP = ("assets/", "search/", "schemas/", "404.html", "downloads/")


def published(site: Path) -> set[str]:
    """Every page (as its directory URL) and every heading or event anchor on it."""
    urls = set()
    for page in site.rglob("index.html"):
        rel = page.parent.relative_to(site).as_posix()
        url = "/" if rel == "." else f"/{rel}/"
        if url[1:].startswith(SKIP) or REFRESH.search(page.read_text(encoding="utf-8")):
            continue
        urls.add(url)
        html = page.read_text(encoding="utf-8")
        article = html[html.find("<article") : html.find("</article>")]
        for anchor in re.findall(r'<(?:h[2-6]|div|a)\b[^>]*\bid="([^"]+)"', article):
            if not anchor.startswith("__"):
                urls.add(f"{url}#{anchor}")
    return urls


def resolves(site: Path, url: str) -> bool:
    path, _, anchor = url.partition("#")
    page = site / path.lstrip("/") / "index.html"
    if not page.is_file():
        return False
    moved = REFRESH.search(page.read_text(encoding="utf-8"))
    if moved:
        page = (page.parent / moved.group(1) / "index.html").resolve()
        if not page.is_file():
            return False
    return not anchor or anchor in parse(page).ids


def test_published_urls_and_anchors_still_resolve(built_handbook: Path) -> None:
    site = built_handbook / "site"
    now = published(site)
    before = set(PUBLISHED.read_text().split()) if PUBLISHED.exists() else set()
    lost = sorted(u for u in before if not resolves(site, u))
    assert not lost, f"published URLs that no longer resolve (add moved_from to keep them): {lost[:20]}"
    if os.environ.get("UPDATE_URLS"):
        PUBLISHED.write_text("\n".join(sorted(before | now)) + "\n")
    assert now <= set(PUBLISHED.read_text().split()), "new pages: refresh the list with UPDATE_URLS=1"


def _rename_riverton(project: Path) -> None:
    old = project / "casestudies" / "riverton.yaml"
    text = old.read_text()
    text = text.replace("id: riverton\n", "id: riverton-borough\nmoved_from: [riverton]\n", 1)
    text = text.replace("  - id: leadership\n", "  - id: leaders\n    moved_from: [leadership]\n", 1)
    text = text.replace("section: leadership", "section: leaders")
    (project / "casestudies" / "riverton-borough.yaml").write_text(text)
    old.unlink()
    for path in (project / "content").rglob("*.yaml"):
        path.write_text(path.read_text().replace("cases: [riverton]", "cases: [riverton-borough]"))


def test_a_renamed_case_keeps_its_old_url_and_anchors(tmp_path: Path) -> None:
    from generator.config import load_config
    from generator.pipeline import build

    project = make_project(tmp_path / "p", MINI)
    _rename_riverton(project)
    build(load_config(project))
    site = project / "site"
    old_page = (site / "cases" / "riverton" / "index.html").read_text()
    assert "url=../riverton-borough/" in old_page and "location.hash" in old_page
    assert resolves(site, "/cases/riverton/#leadership")  # the old anchor, through the redirect
    assert resolves(site, "/cases/riverton/#event-inspection-1999")
    assert (site / "cases" / "riverton.html").is_file()  # the offline edition's flat address too


@pytest.mark.browser
def test_renamed_case_redirect_in_a_browser(tmp_path: Path, chromium: Browser) -> None:
    from browser import serve

    from generator.config import load_config
    from generator.pipeline import build

    project = make_project(tmp_path / "p", MINI)
    _rename_riverton(project)
    build(load_config(project))
    with serve(project / "site") as url:
        page = chromium.new_page()
        page.goto(url + "cases/riverton/#leadership")
        page.wait_for_url("**/cases/riverton-borough/#leadership")
        assert page.locator("#leadership").count() == 1
