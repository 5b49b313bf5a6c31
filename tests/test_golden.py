"""Golden pages: the Markdown generated for the small fixture site, reviewed as a diff.

Refresh after an intended change with:  UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
then read `git diff tests/golden` before committing.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import MINI, REPO

from generator.charts.draw import build_charts
from generator.output.pages import Settings, render_pages
from generator.pipeline import check

GOLDEN = Path(__file__).parent / "golden"
SETTINGS = Settings("Test Handbook", "https://handbook.example.org/", "", "2026-11-30")


def _pages() -> tuple[dict[str, str], dict[str, bytes]]:
    index = check(MINI)
    charts = build_charts(index, None)
    return render_pages(index, SETTINGS, REPO / "site_templates", charts.html), charts.files


PAGES, CHART_FILES = _pages()
CHARTS = GOLDEN / "charts.txt"


def test_golden_charts() -> None:
    """A page names each chart's file by the chart's input (generator/charts/draw.py, `chart_path`),
    so what Bokeh drew is pinned here: the SHA-256 of every chart file of the fixture site."""
    text = "".join(f"{path} {hashlib.sha256(script).hexdigest()}\n" for path, script in sorted(CHART_FILES.items()))
    if os.environ.get("UPDATE_GOLDEN"):
        CHARTS.write_text(text, encoding="utf-8")
    assert text == CHARTS.read_text(encoding="utf-8")


def test_golden_set_of_pages() -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for path, text in PAGES.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    assert sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")) == sorted(PAGES)


@pytest.mark.parametrize("path", sorted(PAGES))
def test_golden_page(path: str) -> None:
    assert PAGES[path] == (GOLDEN / path).read_text(encoding="utf-8")


def test_output_is_deterministic() -> None:
    assert _pages() == (PAGES, CHART_FILES)
