"""MkDocs hook: the hosted edition's search index, made beside MkDocs on the second core.

Only when the build asks for it (generator/output/publish.py sets HANDBOOK_SEARCH_INDEX to a folder
of its own); otherwise, as under `handbook serve`, in the offline edition or in a plain `mkdocs
build` of the same Markdown, every function here leaves the page alone.

MkDocs converts every page's Markdown first and only then renders and writes the pages. As each
page is converted, its article is written, marked for Pagefind, into the folder
(`search.shadow_page`); once all are converted (`on_env`), Pagefind starts on that folder and writes
its bundle into the site while MkDocs renders the pages on the other core. At the end MkDocs waits for
it, checks what it wrote and leaves the figures for the build (`search.RESULT_FILE`). A failed index
fails the build, so no site without search is swapped in. Each built page also gets the marks
(`search.mark_page`), which the highlighting on arrival reads, as when the site was marked after the
fact.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from generator.output import search


class _Run:
    """What one build's indexing holds between MkDocs' events."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.pages = 0
        self.words: set[str] = set()
        self.proc: Any = None
        self.started = 0.0


_run: _Run | None = None


def _work() -> Path | None:
    value = os.environ.get(search.ENV, "").strip()
    return Path(value) if value else None


def _indexed(page: Any) -> bool:
    """Material's switch: `search: exclude: true` in a page's front matter keeps it out of search."""
    meta = page.meta.get("search") if isinstance(page.meta, dict) else None
    return not (isinstance(meta, dict) and meta.get("exclude"))


def on_pre_build(config: Any) -> None:
    global _run
    _stop()
    work = _work()
    _run = _Run(work) if work else None


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if _run is None or not _indexed(page):
        return html
    path = page.file.dest_uri
    shadow, headings = search.shadow_page(html, page.title or config.site_name, path)
    target = _run.work / search.PAGES_DIR / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(shadow, encoding="utf-8")
    _run.pages += 1
    _run.words |= search.heading_words(headings)
    return html


def on_env(env: Any, config: Any, files: Any) -> Any:
    if _run is not None and _run.proc is None:
        (_run.work / search.PAGES_DIR).mkdir(parents=True, exist_ok=True)
        _run.started = time.perf_counter()
        _run.proc = search.start_pagefind(
            _run.work / search.PAGES_DIR, Path(config.site_dir) / search.BUNDLE, _run.work
        )
    return env


def on_post_page(output: str, page: Any, config: Any) -> str:
    if _run is None or not _indexed(page):
        return output
    return search.mark_page(output, page.file.dest_uri)[0]


def on_post_build(config: Any) -> None:
    global _run
    run, _run = _run, None
    if run is None or run.proc is None:
        return
    waiting = time.perf_counter()
    try:
        size = search.finish_pagefind(run.proc, Path(config.site_dir) / search.BUNDLE, run.work, run.words)
    except search.SearchIndexError as e:
        raise PluginError(f"search index: {e}") from None
    done = time.perf_counter()
    figures = {"pages": run.pages, "seconds": done - run.started, "bytes": size, "waited": done - waiting}
    (run.work / search.RESULT_FILE).write_text(json.dumps(figures), encoding="utf-8")


def on_build_error(error: Exception) -> None:
    _stop()


def _stop() -> None:
    """No Pagefind left running after a build that stopped on an error."""
    global _run
    if _run is not None and _run.proc is not None and _run.proc.poll() is None:
        _run.proc.kill()
        _run.proc.wait()
    _run = None
