"""Index -> Bokeh charts, embedded as HTML snippets. Pure and deterministic."""

from __future__ import annotations

from pathlib import Path

from generator.index import Index


def build_charts(index: Index, cache_dir: Path) -> dict[str, str]:
    return {}


def bokeh_assets() -> dict[str, bytes]:
    return {}
