"""`handbook linkcheck SITE` (generator/commands/linkcheck.py), the check the pull-request workflow
runs on the strict build: every internal link and anchor leads somewhere, and what does not is listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.commands.linkcheck import broken_links


def _site(root: Path, pages: dict[str, str]) -> Path:
    site = root / "site"
    for path, body in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    return site


GOOD = {
    "index.html": '<a href="cases/">cases</a> <a href="#top">top</a> <h1 id="top">Home</h1>'
    '<a href="https://example.org/">elsewhere</a> <img src="assets/logo.svg">',
    "cases/index.html": '<a href="../">home</a> <a href="../#top">top of home</a> <a name="old"></a>',
    "assets/logo.svg": "<svg/>",
}


def test_a_site_whose_links_all_resolve_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, GOOD)
    assert broken_links(site) == []
    assert main(["--root", str(tmp_path), "linkcheck", "site"]) == 0
    assert "Every internal link and anchor in site/ resolves." in capsys.readouterr().out


def test_a_missing_page_and_a_missing_anchor_are_each_listed_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = dict(GOOD)
    pages["cases/index.html"] += '<a href="../factors/">gone</a> <a href="../#nowhere">no anchor</a>'
    site = _site(tmp_path, pages)
    expected = ["cases/index.html: ../factors/ (no such file)", "cases/index.html: ../#nowhere (no such anchor)"]
    assert broken_links(site) == expected
    assert main(["--root", str(tmp_path), "linkcheck", "site"]) == 1
    assert capsys.readouterr().out.splitlines() == expected


def test_no_built_site_is_a_clear_error_not_a_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path), "linkcheck", "site"]) == 2
    assert "no built site here. Run `handbook build` first." in capsys.readouterr().err
