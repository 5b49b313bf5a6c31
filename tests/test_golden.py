"""Golden pages: the Markdown generated for the small fixture site, reviewed as a diff.

Refresh after an intended change with:  UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
then read `git diff tests/golden` before committing.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from conftest import MINI, REPO

from generator.build import check
from generator.charts import build_charts
from generator.render import Settings, render_pages

GOLDEN = Path(__file__).parent / "golden"
SETTINGS = Settings("Test Handbook", "https://handbook.example.org/", "", "2026-11-30")
_ITEM = re.compile(r'data-bokeh-item="([^"]*)"')


def _pages() -> dict[str, str]:
    index = check(MINI)
    pages = render_pages(index, SETTINGS, REPO / "site_templates", build_charts(index, None))
    # the chart JSON is long: the golden files hold its hash, which still pins it byte for byte
    return {
        p: _ITEM.sub(lambda m: f'data-bokeh-item="sha256:{hashlib.sha256(m.group(1).encode()).hexdigest()}"', t)
        for p, t in pages.items()
    }


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
