"""Issue 13: provenance a reader can follow, contributed cases, drafts, evidence summaries."""

from __future__ import annotations

import re
from pathlib import Path

LINE_LOCATOR = re.compile(r"\blines? \d{3,5}\b")


def _published_text(site: Path) -> dict[str, str]:
    """Every page, chart file and search index of a built site, by path."""
    files = [*site.rglob("*.html"), *(site / "assets" / "charts").rglob("*"), *site.rglob("search_index.json")]
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in files if p.is_file()}


def test_no_line_numbers_or_text_extraction_on_any_page(built_handbook: Path) -> None:
    published = _published_text(built_handbook / "site")
    assert len([p for p in published if p.endswith(".html")]) > 80
    hits = {path: LINE_LOCATOR.findall(text)[:3] for path, text in published.items() if LINE_LOCATOR.search(text)}
    assert hits == {}
    extraction = [path for path, text in published.items() if "text extraction" in text.lower()]
    assert extraction == []
