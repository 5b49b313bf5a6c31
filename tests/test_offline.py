"""The offline edition (issue 9): a zip that works opened from file://, with no server and no
network: navigation, search, charts and the interactive tools."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from browser import Watch, reach_charts
from conftest import REPO, make_project
from playwright.sync_api import Page

from generator.config import load_config
from generator.output.offline import FOLDER, OFFLINE_CONFIG, ZIP_NAME, build_offline

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_zip(built_handbook: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`handbook offline` in a project of its own that already has a built site/ (the chart
    cache comes from the session's build, so no chart is drawn twice)."""
    project = make_project(tmp_path_factory.mktemp("offline") / "project")
    shutil.copy(REPO / OFFLINE_CONFIG, project / OFFLINE_CONFIG)
    shutil.copytree(built_handbook / "build" / "chart-cache", project / "build" / "chart-cache")
    (project / "site" / "assets").mkdir(parents=True)
    return build_offline(load_config(project))


@pytest.fixture(scope="module")
def unpacked(offline_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(offline_zip) as zf:
        zf.extractall(dest)
    return dest / FOLDER


def test_the_zip_holds_one_folder_with_the_whole_site(offline_zip: Path) -> None:
    project = offline_zip.parent.parent
    assert offline_zip == project / "dist" / ZIP_NAME
    assert (project / "site" / "assets" / ZIP_NAME).read_bytes() == offline_zip.read_bytes(), "offered on the site"
    with zipfile.ZipFile(offline_zip) as zf:
        names = zf.namelist()
        assert {n.split("/")[0] for n in names} == {FOLDER}
        for needed in (
            "index.html",
            "README.txt",
            "cases/highlands.html",
            "search/search_index.js",
            "assets/vendor/iframe-worker/shim.js",
            "assets/charts.js",
        ):
            assert f"{FOLDER}/{needed}" in names, needed
        assert not any(n.endswith(ZIP_NAME) for n in names)
        home = zf.read(f"{FOLDER}/index.html").decode()
    assert "unpkg.com" not in home and 'src="assets/vendor/iframe-worker/shim.js"' in home
    for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", home):
        assert 'rel="canonical"' in tag or not re.search(r'(?:src|href)="(?:https?:)?//', tag), tag


def test_the_about_page_offers_the_zip(built_handbook: Path) -> None:
    about = (built_handbook / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[^"]*assets/handbook-offline\.zip"', about)


def test_offline_edition_works_from_file_urls(page: Page, unpacked: Path) -> None:
    watch = Watch(page)
    page.goto((unpacked / "index.html").as_uri())
    # navigation: the sidebar to the case studies, then a case study
    page.click("nav.md-nav--primary a[href$='cases/index.html']")
    page.wait_for_url("**/cases/index.html")
    reach_charts(page)
    # the cross-case timeline's axis switch still drives the chart
    read = "Bokeh.documents[0].get_model_by_name('hb-cross-points').data.x.slice(0, 3)"
    calendar = page.evaluate(read)
    page.check("input[value='relative']")
    assert page.evaluate(read) != calendar
    page.click("article a[href$='highlands.html']")
    page.wait_for_url("**/cases/highlands.html")
    reach_charts(page)
    assert page.locator("[data-bokeh-rendered]").count() >= 2
    # search, from the index inlined as a script and the worker run in an iframe
    page.click("input[data-md-component='search-query']")
    page.keyboard.type("GIRFEC")
    page.wait_for_selector(".md-search-result__item", timeout=20000)
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert any(h.startswith("file://") and "cases/highlands.html" in h for h in links), links
    assert watch.errors == []
    assert watch.requests and all(r.startswith("file://") for r in watch.requests), [
        r for r in watch.requests if not r.startswith("file://")
    ]


FIRST_CHART_LINK = """() => {
  for (const doc of Bokeh.documents)
    for (const m of doc.all_models)
      if (m.data && m.data.url && m.data.url.length) return m.data.url[0];
  return null;
}"""


def test_interactive_tools_work_offline(page: Page, unpacked: Path) -> None:
    """Pages with charts or forms run from disk (the diagnosis tool too, when the build makes it),
    and clicking a chart opens its page as a file."""
    watch = Watch(page)
    missing: list[str] = []
    page.on("requestfailed", lambda r: missing.append(r.url))
    for rel in ["lifecycle/index.html", "factors/index.html", "toolkit/diagnose.html", "toolkit/self-diagnosis.html"]:
        if not (unpacked / rel).is_file():
            continue
        page.goto((unpacked / rel).as_uri())
        page.wait_for_load_state("load")
        reach_charts(page)
    page.goto((unpacked / "lifecycle" / "index.html").as_uri())
    reach_charts(page)
    link = page.evaluate(FIRST_CHART_LINK)
    assert link and link.endswith(".md"), link
    page.evaluate("link => window.hbOpen(link)", link)
    page.wait_for_url("**/" + link.replace(".md", ".html"))
    assert missing == [], "files the pages ask for that are not where they look (a path written for directory URLs?)"
    assert watch.errors == []
    assert all(r.startswith("file://") for r in watch.requests)


def test_every_link_in_a_self_diagnosis_result_opens_offline(page: Page, unpacked: Path) -> None:
    """Issue 19.1: the action sheet's links (phase, cases, gaps, the guide's own links) point at
    files the offline edition holds (cases/knowsley.html, not cases/knowsley/index.html)."""
    from diagnose_scenarios import BY_NAME

    from generator.output import selfdiagnosis
    from generator.pipeline import check

    index = check(REPO)
    base = BY_NAME["knowsley-2007"].answers(index)
    gaps = {"external-inspection", "political-support"}
    answers = selfdiagnosis.Answers.of(base.statements, base.corners, set(base.present) - gaps, gaps)
    watch = Watch(page)
    page.goto((unpacked / "toolkit" / "self-diagnosis.html").as_uri() + selfdiagnosis.to_query(answers))
    page.wait_for_selector("#hb-diag-form[data-hb-ready]")
    hrefs = page.eval_on_selector_all("#hb-diag-result a[href]", "els => els.map(e => e.href)")
    assert page.locator("#hb-diag-result .hb-diag-gaps a").count() == 2
    assert page.locator("#hb-diag-result [data-case] a").count() >= 1
    assert len(hrefs) >= 5, hrefs
    root = unpacked.resolve().as_uri()
    for href in dict.fromkeys(hrefs):
        assert href.startswith(root + "/"), href
        target, _, anchor = href.partition("#")
        target = target.partition("?")[0]
        if target.endswith("/toolkit/self-diagnosis.html"):
            continue  # "This scenario": the page itself
        rel = target[len(root) + 1 :]
        assert (unpacked / rel).is_file(), f"{href}: the offline edition has no {rel}"
        page.goto(href)
        page.wait_for_load_state("load")
        assert page.url.startswith(target), (href, page.url)
        assert page.locator("article h1").count() == 1, href
        if anchor:
            assert page.locator(f"[id='{anchor}']").count() == 1, href
    assert watch.errors == []


def test_finder_and_compare_work_offline(page: Page, unpacked: Path) -> None:
    """The finder's data and the compare page's cases load as scripts, so both run from disk."""
    watch = Watch(page)
    page.goto((unpacked / "cases" / "index.html").as_uri() + "?country=France")
    page.wait_for_selector("[data-hb-finder][data-hb-loaded] [data-hb-facets] details")
    shown = page.eval_on_selector_all(
        ".hb-finder-list li > a", "els => els.filter(e => !e.closest('li').hidden).map(e => e.getAttribute('href'))"
    )
    assert shown == ["lille.html"], shown
    page.goto((unpacked / "compare.html").as_uri() + "?cases=lille,gouda")
    page.wait_for_selector(".hb-compare__table")
    links = page.eval_on_selector_all(".hb-compare__table thead a", "els => els.map(e => e.href)")
    assert [link.rsplit("/", 1)[-1] for link in links] == ["lille.html", "gouda.html"]
    for link in links:
        assert Path(link.removeprefix("file://")).is_file(), link
    assert watch.errors == []
    assert all(r.startswith("file://") for r in watch.requests)


def test_the_offline_about_page_offers_the_published_zip(unpacked: Path) -> None:
    """The zip holds no zip: its About page links the published one, not a file beside it."""
    about = (unpacked / "about.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*handbook-offline\.zip)"', about)
    assert links and all(re.match(r"https?://", h) for h in links), links
