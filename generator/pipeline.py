"""The stages in order; the one place the order lives.

YAML files -> raw documents -> records -> index -> charts + pages -> docs folder -> MkDocs -> Pagefind
(`check` runs the stages up to the index, `generate` up to the docs folder, `build` all of them.)

On two cores, `build` overlaps what does not depend on what is still being made: the MkDocs process
is started first and imports its modules and compiles the theme's templates while the sources are
checked, and a second process compiles the generator's templates meanwhile
(generator/speed/templates.py); each chart's file is named from its input, so the pages are
rendered and MkDocs runs before the charts are filled in (generator/charts/shipped.py) or drawn by
Bokeh, and their files join the docs folder and the new site once MkDocs is done; the downloads are
made and written with the static files by a second process while the pages render; in MkDocs, hooks
copy the docs folder's static files, convert the last pages and run Pagefind on the second core
(generator/hooks/copy.py, generator/hooks/convert.py, generator/hooks/search.py).
The output is the same bytes as stage after stage (tests/test_publish.py, tests/test_cache.py).
"""

from __future__ import annotations

import datetime
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.charts.bokeh_json import bokeh_assets
from generator.charts.draw import draw_planned, plan_charts
from generator.charts.selection import selection_files
from generator.commands.editions import versions_file
from generator.config import PLACEHOLDER_SITE_URL, REQUIRE_SITE_URL, Config, build_date
from generator.errors import Collector, ContentError, Problem
from generator.jobs import Done, Pending
from generator.output import publish, selfdiagnosis
from generator.output.exports import RecordJson, export_files
from generator.output.finder import finder_files
from generator.output.pages import Settings, make_environment, render_pages, template_names
from generator.output.redirects import redirect_files
from generator.records.schemas import schema_files
from generator.stages import read
from generator.stages.index import Index, build_index
from generator.stages.validate import Loaded

if TYPE_CHECKING:
    from generator.speed import Speed

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    index: Index
    written: list[str]
    removed: list[str]
    unchanged: int
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # files parsed, pages rendered and reused
    # generate(charts_later=True): the charts still being drawn, {path in the docs folder: data script}
    drawing: Pending[dict[str, bytes]] | None = None


def check(root: Path, speed: Speed | None = None, drafts: bool = True) -> Index:
    """Load, validate and cross-link every source; raise ContentError listing every problem.
    With `speed` (generator/speed), files whose bytes did not change since the last build are not
    read again. `drafts=False` leaves draft case studies out of the index (the published site)."""
    problems = Collector()
    loaded = speed.load_records(root, problems) if speed else read.load_records(root, problems)
    if not drafts:
        loaded = without_drafts(loaded)
    memo, kept = speed.term_memo() if speed else (None, None)
    index = build_index(
        loaded, problems, memo, kept, speed.map if speed else None, speed.reference_memo() if speed else None
    )
    selfdiagnosis.check_rules(index, problems)
    problems.raise_if_any()  # before anything is kept: a failed build writes nothing
    if speed:
        speed.checked()
    return index


def open_speed(config: Config) -> Speed | None:
    """The speed machinery for this build (build/cache), or None when the config switches it off:
    then no cache file is read or written and every stage runs in full."""
    if not config.cache:
        return None
    from generator.speed import Speed

    return Speed(config.root / "build")


def without_drafts(loaded: list[Loaded]) -> list[Loaded]:
    """Every record but the case studies whose status is 'draft'."""
    kept = [item for item in loaded if not (item.kind == "case-study" and item.record.status == "draft")]  # type: ignore[attr-defined]  # a case study has a status
    if len(kept) != len(loaded):
        log.info(
            "%d draft case stud%s left out (build with --drafts to include)",
            len(loaded) - len(kept),
            "y" if len(loaded) - len(kept) == 1 else "ies",
        )
    return kept


def generate(config: Config, charts_later: bool = False) -> BuildResult:
    """Check the sources and write the Markdown and assets MkDocs needs into build/docs.
    `charts_later`: the data files of the charts Bokeh has to draw are not waited for; they are
    left in `result.drawing` for `build`, which adds them once MkDocs has built the pages."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    speed = open_speed(config)
    if speed:  # while the sources are checked
        speed.compile_templates(config.templates, make_environment, template_names)
    index = check(config.root, speed, drafts=config.drafts)
    timings["check"] = time.perf_counter() - started
    settings = site_settings(config, index)
    check_site_url(config)
    later = speed.preview_edit(config.docs_dir) if speed else None  # under serve, after an edit: they wait
    mark = time.perf_counter()
    texts: dict[Any, Any] | None = None
    drawing: Pending[dict[str, bytes]]
    if speed:  # the charts are filled in (or drawn by Bokeh, which this one never imports) by a second process
        cache = speed.chart_cache()
        planned = plan_charts(index, cache)
        drawing = (
            # drawn beside MkDocs (charts_later), one process is enough: the other core is this one's
            speed.beside(
                lambda: draw_planned(planned, cache, None if charts_later else speed.map_few),
                "the charts",
                nice=10 if charts_later else 0,
            )
            if planned.todo
            else Done(draw_planned(planned, cache))
        )
    else:
        planned = plan_charts(index)
        drawing = Done(draw_planned(planned))
    # the files no page is rendered from: assets, BokehJS, the charts at hand, and the downloads
    static = {**publish.collect_assets(config.templates / "assets"), **bokeh_assets(), **planned.files}
    kept = speed.record_json() if speed and later is None else None

    def downloads() -> tuple[dict[str, bytes], dict[Any, Any] | None]:
        return data_files(config, index, settings, kept) if later is None else ({}, None)

    writing: Pending[tuple[list[str], list[str]]] | None = None
    data: dict[str, bytes] = {}
    if speed and charts_later:  # in a build, a second process makes the downloads and writes it all
        writing = speed.beside(lambda: write_beside(config, speed, static, downloads), "the files beside the pages")
    else:
        data, texts = downloads()
    timings["charts"] = time.perf_counter() - mark  # and the files beside the pages
    mark = time.perf_counter()
    reuse = speed.page_cache(config.docs_dir, index, config.templates, settings) if speed else None
    pages = render_pages(index, settings, config.templates, planned.html, reuse, speed.map if speed else None)
    timings["render"] = time.perf_counter() - mark
    rendered = len(pages)
    files = {path: pages.pop(path).encode("utf-8") for path in sorted(pages)}  # never every page twice
    if not charts_later:
        wait = time.perf_counter()
        files.update(drawing.result())
        timings["charts"] += time.perf_counter() - wait
    mark = time.perf_counter()
    keep = (reuse.reused if reuse else set()) | (later or set())
    beside_written: list[str] = []
    if writing is None:
        files.update({**static, **data})
        data_paths = set(data)
    else:  # before write_docs clears out what is not listed
        beside_written, written_data = writing.result()
        data_paths, texts = set(written_data), None  # the second process kept the records' JSON
        keep |= set(static) | data_paths
    if speed and later is None:
        speed.downloads(config.docs_dir, data_paths)
    result = publish.write_docs(files, config.docs_dir, keep=keep)
    result = publish.WriteResult(  # (an old copy of a chart still being drawn was removed)
        sorted(result.written + beside_written), result.removed, result.unchanged - len(beside_written)
    )
    if speed:
        speed.written(files, texts)
    timings["write"] = time.perf_counter() - mark
    counts = (
        speed.counts(rendered)
        if speed
        else {"parsed": sum(len(v) for v in index.records.values()), "rendered": rendered, "reused": 0}
    )
    log.info(
        "%d pages rendered, %d reused; %d files written, %d removed, %d unchanged",
        counts["rendered"],
        counts["reused"],
        len(result.written),
        len(result.removed),
        result.unchanged,
    )
    return BuildResult(
        index, result.written, result.removed, result.unchanged, timings, counts, drawing if charts_later else None
    )


def write_beside(
    config: Config,
    speed: Speed,
    static: dict[str, bytes],
    downloads: Callable[[], tuple[dict[str, bytes], dict[Any, Any] | None]],
) -> tuple[list[str], list[str]]:
    """In a build's second process, while the pages are rendered: make the downloads (`data_files`),
    write them and the static files into the docs folder, and keep the records' JSON for the next
    build. (the paths written, the downloads' paths)."""
    data, texts = downloads()
    written = publish.add_docs({**static, **data}, config.docs_dir)
    speed.keep_record_json(texts)
    return written, sorted(data)


def data_files(
    config: Config, index: Index, settings: Settings, kept: dict[Any, Any] | None
) -> tuple[dict[str, bytes], dict[Any, Any]]:
    """The files no page needs in order to be shown: the editors' schemas, redirects, the version
    list, the downloads and citations, and the data the self-diagnosis, finder and selection pages
    fetch; and each record's JSON text for the next build (`kept`: the last build's). Under `handbook
    serve` they follow an edit in the next build (generator/speed, `preview_edit`)."""
    files = {f"schemas/{name}": data for name, data in schema_files().items()}
    files.update(redirect_files(index))
    if not config.edition:  # an edition is published inside a site whose root holds the list
        files.update(versions_file())
    files.update(selfdiagnosis.export_files(index))
    files.update(finder_files(index))
    files.update(selection_files(index))
    texts = RecordJson(index, kept)
    files.update(
        export_files(
            index, settings.site_name, settings.site_url, settings.build_date[:4], texts, edition=settings.edition_label
        )
    )
    return files, texts.new


def build(config: Config) -> BuildResult:
    """Generate, then build the site with MkDocs --strict and swap it into site/. MkDocs is started
    first, so that it imports its modules on the second core while the generator works."""
    started = publish.StartedMkDocs(config.mkdocs_file)
    try:
        result = generate(config, charts_later=True)
    except BaseException:
        started.cancel()
        raise
    waited = 0.0

    def charts() -> dict[str, bytes]:  # once MkDocs has built the pages, before the site is swapped in
        nonlocal waited
        mark = time.perf_counter()
        files = result.drawing.result() if result.drawing else {}
        added = publish.add_docs(files, config.docs_dir)
        result.written = sorted(result.written + added)  # the build's account of build/docs is whole
        result.unchanged += len(files) - len(added)
        waited = time.perf_counter() - mark
        return files

    mark = time.perf_counter()
    date = site_settings(config, result.index).build_date
    epoch = str(int(datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.UTC).timestamp()))
    # MkDocs dates the sitemap and gzip headers from SOURCE_DATE_EPOCH: the same sources give the same bytes
    env = {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", epoch)}
    indexed = publish.build_site(
        config.mkdocs_file, config.site_dir, env, search_index=True, started=started, late_files=charts
    )
    # Pagefind runs beside MkDocs (hooks/search.py), and Bokeh draws the charts meanwhile: the MkDocs
    # step is the time less the waits for them after MkDocs
    result.timings["search_index"] = indexed.seconds if indexed else 0.0
    result.timings["search_wait"] = indexed.waited if indexed else 0.0
    result.timings["charts_wait"] = waited
    result.timings["mkdocs"] = time.perf_counter() - mark - result.timings["search_wait"] - waited
    return result


def check_site_url(config: Config) -> None:
    """Warn when the site is built with the placeholder address; with HANDBOOK_REQUIRE_SITE_URL=1
    (the publishing workflow's hook) stop instead, before anything is written."""
    if not config.placeholder:
        return
    text = config.mkdocs_file.read_text(encoding="utf-8") if config.mkdocs_file.is_file() else ""
    line = next((n for n, row in enumerate(text.splitlines(), 1) if row.startswith("site_url:")), 0)
    what = (
        f"site_url is the placeholder {PLACEHOLDER_SITE_URL}: print headers, handouts and citations "
        "will show it (marked as a placeholder on the pages)."
    )
    how = "Set HANDBOOK_SITE_URL to the address the site is published at, e.g. HANDBOOK_SITE_URL=https://example.org/handbook/ ./run build."
    if os.environ.get(REQUIRE_SITE_URL, "") not in ("", "0"):
        raise ContentError(
            [Problem(config.mkdocs_file.name, line, "site_url", f"{what} {REQUIRE_SITE_URL} is set. {how}")]
        )
    log.warning("%s:%d: %s %s", config.mkdocs_file.name, line, what, how)


def site_settings(config: Config, index: Index) -> Settings:
    dates = [r.date for case in index.all("case-study") for r in case.reviewed]
    return Settings(config.site_name, config.site_url, config.repo_url, build_date(dates), config.edition)
