"""What Pagefind indexed, for the tests (generator/output/search.py reads it)."""

from __future__ import annotations

from generator.output.search import read_fragments as fragments
from generator.output.search import sections as search_docs

__all__ = ["fragments", "search_docs"]
