"""Golden pages: the Markdown generated for the small fixture site, reviewed as a diff.

Refresh after an intended change with:  UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
then read `git diff tests/golden` before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MINI, REPO

from generator.charts.draw import build_charts
from generator.output.pages import Settings, render_pages
from generator.pipeline import check

GOLDEN = Path(__file__).parent / "golden"
SETTINGS = Settings("Test Handbook", "https://handbook.example.org/", "", "2026-11-30")


def _pages() -> dict[str, str]:
    index = check(MINI)
    # a page names each chart's file by the hash of its JSON, which pins the chart byte for byte
    return render_pages(index, SETTINGS, REPO / "site_templates", build_charts(index, None).html)


PAGES = _pages()


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
    assert _pages() == PAGES
