"""MkDocs hook: the last part of the pages converted from Markdown by a second process.

Only when the build asks for it (generator/output/publish.py sets HANDBOOK_BESIDE_MKDOCS=1) and a
second core is there to use (`generator.speed.parallel.workers`); otherwise, as under
`handbook serve`, in the offline edition or in a plain `mkdocs build` of the same Markdown, MkDocs
converts every page itself.

MkDocs converts the pages one after the other on one core (Python-Markdown and its extensions:
about two thirds of its time at a thousand cases), then renders them with the theme. Here, once
MkDocs has made the navigation (`on_nav`, just before it converts), a forked process converts the
last pages (about `SHARE` of the work, reckoned from their sizes) while MkDocs converts the
others. When MkDocs reaches the first of those pages it takes the child's results (`on_pre_page`): each page's HTML,
table of contents, title, metadata and anchors, exactly what `Page.render` and `Page.read_source`
would have set; every plugin event still runs in MkDocs, in the usual order, on the same values.
What the conversion logged in the child (a link to a missing page, say) is logged again in MkDocs,
where `--strict` counts it. A page the child could not convert is converted by MkDocs itself, so
its error is reported exactly as without this hook. Nothing is taken from the child if any other
plugin reads or changes a page's source (`on_page_read_source`, `on_page_markdown`), which the child
does not run.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page

from generator.output.publish import BESIDE_ENV

log = logging.getLogger("mkdocs.hooks.convert")  # under MkDocs' logger: shown as its own lines

SHARE = 0.5  # of the conversion's cost (PAGE_COST + bytes, each page), the child's
PAGE_COST = 2600  # what converting a page costs beyond its size, in bytes of Markdown: Python-Markdown
# and its extensions set up for each page take about as long as converting 2.6 KB (measured: 1.55 ms
# a page and 0.61 ms a KB, over the 160 pages of the benchmark corpus at N = 10)
LEAST = 16  # fewer pages than this are not worth a process


class _Share:
    """One build's pages converted by the child, from `on_nav` until MkDocs has taken them."""

    def __init__(self, sources: set[str], running: Any) -> None:
        self.sources = sources  # the src_uri of each page the child converts
        self.running = running  # a generator.speed.parallel.Background, until its results are in
        self.made: dict[str, dict[str, Any] | None] = {}  # src_uri -> what the child made (None: not made)

    def take(self, src: str) -> dict[str, Any] | None:
        """What the child made of this page (waiting for it the first time), or None."""
        if self.running is not None:
            waiting = time.perf_counter()
            self.made, self.running = self.running.result(), None
            taken = sum(1 for value in self.made.values() if value is not None)
            log.info(
                "%d of %d pages converted from Markdown by a second process (MkDocs waited %.2f s for them)",
                taken,
                len(self.sources),
                time.perf_counter() - waiting,
            )
        return self.made.get(src)


_share: _Share | None = None


def on_pre_build(config: Any) -> None:
    _stop()


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    global _share
    _stop()
    if not os.environ.get(BESIDE_ENV) or _others_read_sources(config):
        return nav
    from generator.speed.parallel import Background, workers

    if workers() < 2:
        return nav
    pages = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
    if len(pages) < LEAST:
        return nav
    theirs = _last_share(pages)
    running = Background(lambda: _convert_all(theirs, config, files), f"{len(theirs)} pages converted")
    _share = _Share({f.src_uri for f in theirs}, running)
    return nav


def on_pre_page(page: Any, config: Any, files: Any) -> Any:
    if _share is None or page.file.src_uri not in _share.sources:
        return page
    made = _share.take(page.file.src_uri)
    if made is None:  # the child could not convert it: MkDocs does, and reports what is wrong
        return page
    for name, level, message in made["logged"]:
        logging.getLogger(name).log(level, "%s", message)
    page.read_source = lambda config: _read(page, made)
    page.render = lambda config, files: _render(page, made, files)
    return page


def on_post_build(config: Any) -> None:
    _stop()


def on_build_error(error: Exception) -> None:
    _stop()


def _others_read_sources(config: Any) -> bool:
    """Whether a plugin other than this hook reads or changes a page's source before conversion."""
    events = config.plugins.events
    return bool(events.get("page_read_source") or events.get("page_markdown"))


def _last_share(pages: list[Any]) -> list[Any]:
    """The last pages, about SHARE of the cost of converting them all."""
    sizes = [PAGE_COST + (os.path.getsize(f.abs_src_path) if f.abs_src_path else 0) for f in pages]
    left = SHARE * sum(sizes)
    i = len(pages)
    while i > 1 and left > 0:
        i -= 1
        left -= sizes[i]
    return pages[i:]


def _convert_all(files_: list[Any], config: Any, files: Any) -> dict[str, dict[str, Any] | None]:
    """Each page read and converted as MkDocs' Page.read_source and Page.render do (in the child)."""
    out: dict[str, dict[str, Any] | None] = {}
    for file in files_:
        page = file.page if file.page is not None else Page(None, file, config)
        with _captured() as logged:
            config._current_page = page
            try:
                page.read_source(config)
                page.render(config, files)
            except Exception:  # noqa: BLE001 - MkDocs converts it again and reports the error itself
                out[file.src_uri] = None
                continue
            finally:
                config._current_page = None
        links = page.links_to_anchors
        out[file.src_uri] = {
            "markdown": page.markdown,
            "meta": page.meta,
            "content": page.content,
            "toc": page.toc,
            "title": page._title_from_render,
            "anchors": page.present_anchor_ids,
            "links": None if links is None else {to.src_uri: found for to, found in links.items()},
            "logged": logged,
        }
    return out


class _Kept(logging.Handler):
    """Keeps each record as (logger, level, message)."""

    def __init__(self) -> None:
        super().__init__()
        self.logged: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.logged.append((record.name, record.levelno, record.getMessage()))


@contextmanager
def _captured() -> Iterator[list[tuple[str, int, str]]]:
    """What is logged meanwhile, kept as (logger, level, message) instead of being shown."""
    keep = _Kept()
    logged = keep.logged
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
    saved = [(lg, lg.handlers[:], lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.handlers = [keep]
    loggers[1].propagate = False
    try:
        yield logged
    finally:
        for lg, handlers, propagate in saved:
            lg.handlers, lg.propagate = handlers, propagate


def _read(page: Any, made: dict[str, Any]) -> None:
    page.markdown, page.meta = made["markdown"], made["meta"]
    del page.read_source  # the class's own again


def _render(page: Any, made: dict[str, Any], files: Any) -> None:
    page.content, page.toc, page._title_from_render = made["content"], made["toc"], made["title"]
    page.present_anchor_ids = made["anchors"]
    if made["links"] is not None:
        page.links_to_anchors = {files.get_file_from_path(src): found for src, found in made["links"].items()}
    del page.render


def _stop() -> None:
    """Nothing left of a build that stopped early: its results dropped, its child waited for (by
    the Background's own clean-up, without running its work again here)."""
    global _share
    _share = None
