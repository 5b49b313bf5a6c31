"""The speed machinery, kept apart from the stages: `store` (the one verified on-disk store), `sources`
(validated records of unchanged files), `pages` (pages whose inputs did not change) and `charts`
(charts whose inputs did not change), all kept through `store`; `parallel` (files to read and
pages to render split over two processes on a machine with a second core); and `templates` (Jinja
templates compiled ahead by a second process, kept in memory only).

The pipeline talks to this package only through `Speed`, and only when the build's config asks for
it (`handbook build --no-cache` switches it off): the stages take and return plain data and give
the same bytes without any of it (tests/test_cache.py builds the real content both ways).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from generator.errors import Collector
from generator.speed.charts import ChartCache
from generator.speed.pages import PageCache, static_key
from generator.speed.parallel import Background, split_map, workers
from generator.speed.sources import SourceCache, in_memory, load_records, read_pickle, write_pickle
from generator.speed.templates import Compiled, compile_ahead
from generator.stages.index import Index, RefMemo
from generator.stages.validate import Loaded

T = TypeVar("T")
R = TypeVar("R")

# Under `handbook serve`: the paths of the files the last full build wrote that no page needs to be
# shown (pipeline.data_files), by docs folder. A preview build after an edit leaves them as they are.
_DOWNLOADS: dict[Path, frozenset[str]] = {}
# Under `handbook serve`: each record's references, by (kind, id, its file's SHA-256) (build_index).
_REFERENCES: dict[Path, RefMemo] = {}


class Speed:
    """What one build keeps for the next, in build/cache and build/chart-cache; the pipeline's one
    interface to this package. `read_only` uses what the last build kept and writes nothing."""

    def __init__(self, build_dir: Path, read_only: bool = False) -> None:
        self.folder = build_dir / "cache"
        self.chart_folder: Path | None = None if read_only else build_dir / "chart-cache"
        self.sources = SourceCache(self.folder, read_only)
        self.pages: PageCache | None = None
        self.texts: dict[Any, Any] | None = None  # the records' JSON the last build kept (record_json)
        self.saving: Background[None] | None = None  # the record cache being written (checked)
        self.later: frozenset[str] = frozenset()  # files left as they were for the next build
        self.ahead: Background[Compiled] | None = None  # the templates being compiled (compile_templates)

    def load_records(self, root: Path, problems: Collector) -> list[Loaded]:
        """The records of every source file, those of unchanged files from the last build."""
        return load_records(root, problems, self.sources)

    def term_memo(self) -> tuple[dict[Any, Any], dict[Any, Any]]:
        """(glossary-term matches the last build made, what this build keeps) for build_index."""
        return self.sources.terms, self.sources.terms_kept

    def reference_memo(self) -> RefMemo | None:
        """Under serve, the records' references found by the last build in this process (a record
        whose file has the same SHA-256 has the same references); None otherwise: walk every record."""
        if not in_memory():
            return None
        return _REFERENCES.setdefault(self.folder, {})

    def checked(self) -> None:
        """The sources passed the check: keep their records for the next build (written by a second
        process while this one goes on; `written` waits for it)."""
        if self.sources.folder is not None and not self.sources.read_only:  # `handbook check` keeps nothing
            self.saving = Background(self.sources.save, "the record cache")

    def chart_cache(self) -> ChartCache:
        """The chart cache (build/chart-cache); a read-only Speed keeps no charts."""
        return ChartCache(self.chart_folder)

    def compile_templates(
        self, templates: Path, make: Callable[[Path], Any], names: Callable[[Any], list[str]]
    ) -> None:
        """Compile the templates (`names(make(templates))`) in a second process while this one checks
        the sources (speed/templates.py); `page_cache`'s environment then loads their code from it.
        Not under serve, which keeps its environment, templates compiled, from one build to the next."""
        if workers() >= 2 and not in_memory():

            def compiled() -> Compiled:
                env = make(templates)
                return compile_ahead(env, names(env))

            self.ahead = Background(compiled, "compiling the templates")

    def page_cache(self, docs_dir: Path, index: Index, templates: Path, settings: Any) -> PageCache:
        """Decides which pages in `docs_dir` can be reused (render_pages' `reuse`)."""
        changed: frozenset[str] = frozenset()
        if in_memory():  # a preview build: pages about other records may wait for the next build
            parsed = set(self.sources.parsed)
            changed = frozenset(
                item.id for items in index.records.values() for item in items.values() if item.doc.path in parsed
            )
        self.pages = PageCache(self.folder, docs_dir, index, static_key(templates, settings), changed)
        if self.ahead is not None:
            self.pages.compiled = self.ahead.result
        return self.pages

    @staticmethod
    def map(func: Callable[[T], R], jobs: list[T]) -> list[R]:
        """[func(job) for job in jobs] in order, on both cores when it pays (speed/parallel.py)."""
        return split_map(func, jobs)

    @staticmethod
    def beside(func: Callable[[], R], what: str, nice: int = 0) -> Background[R]:
        """`func()` computed beside the rest of the build (a forked process); `.result()` waits for it.
        `nice`: the process's niceness (10: it yields its core to the build's critical path)."""
        return Background(func, what, nice)

    @staticmethod
    def map_few(func: Callable[[T], R], jobs: list[T]) -> list[R]:
        """The same for a few long jobs (Bokeh drawing a chart: a tenth of a second or more each)."""
        return split_map(func, jobs, least=2)

    def preview_edit(self, docs_dir: Path) -> frozenset[str] | None:
        """In a preview build after an edit (files were read again, and a full build in this process
        wrote the downloads into `docs_dir`, all still there): the downloads' paths, which this build
        leaves as they are and the next build writes again. Otherwise None: write them now."""
        kept = _DOWNLOADS.get(docs_dir)
        if not in_memory() or not self.sources.parsed or kept is None:
            return None
        folder = str(docs_dir)
        if not all(os.path.isfile(os.path.join(folder, rel)) for rel in kept):
            return None
        self.later = kept
        return kept

    def downloads(self, docs_dir: Path, paths: set[str]) -> None:
        """This build wrote the downloads `paths` into `docs_dir` (kept in memory under serve)."""
        if in_memory():
            _DOWNLOADS[docs_dir] = frozenset(paths)

    def record_json(self) -> dict[Any, Any]:
        """Each record's JSON text from the last build, by (kind, id), with its file's hash."""
        self.texts = read_pickle(self.folder, "record-json")
        return self.texts

    def written(self, files: dict[str, bytes], texts: dict[Any, Any] | None) -> None:
        """The docs folder now holds `files`: keep what each page read and the records' JSON (None:
        the downloads were left for the next build, which dumps the records again)."""
        if self.saving is not None:
            self.saving.result()
        if self.pages is not None:
            self.pages.save(files)
        self.keep_record_json(texts)

    def keep_record_json(self, texts: dict[Any, Any] | None) -> None:
        """Keep the records' JSON for the next build when it changed (None: nothing to keep)."""
        if texts is not None and texts != self.texts:
            write_pickle(self.folder, "record-json", texts)

    def counts(self, rendered: int) -> dict[str, int]:
        """Files parsed and pages rendered (`rendered` when no page was up for reuse) and reused."""
        return {
            "parsed": len(self.sources.parsed),
            "rendered": self.pages.rendered if self.pages else rendered,
            "reused": len(self.pages.reused) if self.pages else 0,
            "deferred": len(self.pages.deferred) if self.pages else 0,  # left for the next build (serve)
            "unchecked": self.pages.unchecked if self.pages else 0,  # left unchecked for the next build (serve)
            "deferred_files": len(self.later),  # downloads left for the next build (serve)
        }
