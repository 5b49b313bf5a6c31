"""Dated editions (generator/commands/editions.py): an edition cut from a git tag of a small fixture
handbook, published beside the current one, with its banner, the selector's data and citations
that name the edition."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, REPO, SOURCE_DIRS, git
from playwright.sync_api import Page

SITE = "https://handbook.example.org/"


def handbook(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HANDBOOK_EDITION", "HANDBOOK_SITE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(repo), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**env, "HANDBOOK_SITE_URL": SITE},
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository of the mini handbook (its own copy of the generator and templates, as a real
    clone has), tagged edition-2027.1, then changed; main built, then the edition cut into it."""
    repo = tmp_path_factory.mktemp("editions") / "repo"
    repo.mkdir()
    for name in SOURCE_DIRS:
        shutil.copytree(MINI / name, repo / name)
    for name in ("generator", "site_templates"):
        shutil.copytree(REPO / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copy(REPO / "mkdocs-offline.yml", repo / "mkdocs-offline.yml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the mini handbook")
    git(repo, "tag", "edition-2027.1")
    case = repo / "casestudies" / "riverton.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("Attendance rose", "Attendance doubled"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "after the edition")
    proc = handbook(repo, "build")
    assert proc.returncode == 0, proc.stderr
    # every build publishes the list with the current handbook only, so the menu's request never fails
    assert json.loads((repo / "site" / "versions.json").read_text(encoding="utf-8")) == [
        {"version": "current", "title": "Current handbook", "aliases": ["latest"]}
    ]
    proc = handbook(repo, "edition", "cut", "2027.1", "--rev", "edition-2027.1", "--into", "site")
    assert proc.returncode == 0, proc.stderr
    return repo / "site"


def page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_the_edition_has_its_own_permanent_address_and_keeps_its_text(published: Path) -> None:
    edition = page(published, "editions/2027.1/cases/riverton/index.html")
    current = page(published, "cases/riverton/index.html")
    assert "Attendance rose" in edition and "Attendance doubled" not in edition
    assert "Attendance doubled" in current
    assert f'<link rel="canonical" href="{SITE}editions/2027.1/cases/riverton/">' in edition
    assert f"<loc>{SITE}editions/2027.1/cases/riverton/</loc>" in page(published, "editions/2027.1/sitemap.xml")
    # its About page offers its own offline zip, at the edition's address
    about = page(published, "editions/2027.1/about/index.html")
    assert 'href="../assets/handbook-offline.zip"' in about  # relative: editions/2027.1/assets/ on any host
    assert (published / "editions/2027.1/assets/handbook-offline.zip").is_file()


def test_the_banner_links_to_the_same_page_in_the_current_handbook(published: Path) -> None:
    for path in ("cases/riverton/", "glossary/", ""):
        html = page(published, f"editions/2027.1/{path}index.html")
        banner = re.search(r'<p class="hb-edition-banner" data-edition="2027.1">(.*?)</p>', html, re.S)
        assert banner, path
        href = re.search(r'href="([^"]+)"', banner.group(1)).group(1)
        target = (published / "editions/2027.1" / path / href).resolve()
        assert target == (published / path).resolve(), (path, href)
        assert (target / "index.html").is_file()
    assert "hb-edition-banner" not in page(published, "cases/riverton/index.html")  # the current one has none


def test_versions_json_is_in_mikes_format_and_every_page_points_the_selector_at_it(published: Path) -> None:
    assert json.loads(page(published, "versions.json")) == [
        {"version": "current", "title": "Current handbook", "aliases": ["latest"]},
        {"version": "2027.1", "title": "Edition 2027.1", "aliases": []},
    ]
    for site_page, edition in (
        ("cases/riverton/index.html", "current"),
        ("editions/2027.1/cases/riverton/index.html", "2027.1"),
    ):
        nav = re.search(r'<nav class="hb-editions"[^>]*>', page(published, site_page)).group(0)
        assert f'data-edition="{edition}"' in nav
        versions = re.search(r'data-versions="([^"]+)"', nav).group(1)
        assert (published / Path(site_page).parent / versions).resolve() == (published / "versions.json").resolve()
    assert not (published / "editions/2027.1/versions.json").exists()  # one list, at the site's root


def test_citations_name_the_edition(published: Path) -> None:
    edition = page(published, "editions/2027.1/cases/riverton/index.html")
    current = page(published, "cases/riverton/index.html")
    assert re.search(r"Evidence Handbook \(\d{4}\), edition 2027\.1\.", edition)
    assert re.search(r"Evidence Handbook \(\d{4}\), current version, built \d{4}-\d\d-\d\d\.", current)
    assert "edition 2027.1" in page(published, "editions/2027.1/data/index.html")
    assert "version = {edition 2027.1}" in page(published, "editions/2027.1/downloads/cite/case-study-riverton.bib")
    assert "ET  - edition 2027.1" in page(published, "editions/2027.1/downloads/cite/handbook.ris")
    assert '<p class="hb-print-header__edition">Edition 2027.1</p>' in edition


def test_a_second_edition_is_listed_newest_first_and_a_bad_name_is_refused(published: Path) -> None:
    repo = published.parent
    proc = handbook(repo, "edition", "cut", "2027.2", "--into", "site")  # the working tree
    assert proc.returncode == 0, proc.stderr
    assert [v["version"] for v in json.loads(page(published, "versions.json"))] == ["current", "2027.2", "2027.1"]
    assert "Attendance doubled" in page(published, "editions/2027.2/cases/riverton/index.html")
    bad = handbook(repo, "edition", "cut", "latest", "--into", "site")
    assert bad.returncode == 2 and "'latest' is not an edition name" in bad.stderr and "Traceback" not in bad.stderr
    missing = handbook(repo, "edition", "cut", "2028.1", "--rev", "no-such-tag", "--into", "site")
    assert missing.returncode == 2 and "'no-such-tag' is not a commit" in missing.stderr


@pytest.mark.browser
def test_the_selector_lists_the_editions_and_opens_the_same_page(published: Path, page: Page) -> None:
    from browser import serve

    with serve(published) as url:
        page.goto(f"{url}editions/2027.1/cases/riverton/")
        page.wait_for_selector("nav.hb-editions:not([hidden])")
        options = page.eval_on_selector_all(
            "nav.hb-editions option", "els => els.map(e => [e.textContent, e.selected])"
        )
        assert options[0] == ["Current handbook", False] and ["Edition 2027.1", True] in options
        with page.expect_navigation():
            page.select_option("nav.hb-editions select", label="Current handbook")
        assert page.url == f"{url}cases/riverton/"
        assert page.locator(".hb-edition-banner").count() == 0
