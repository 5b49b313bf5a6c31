"""What Pagefind indexed, for the tests (generator/search.py reads it)."""

from __future__ import annotations

from generator.search import read_fragments as fragments
from generator.search import sections as search_docs

__all__ = ["fragments", "search_docs"]
