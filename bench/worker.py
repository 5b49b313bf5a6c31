"""One measured run in a process of its own, so that its peak memory is its own.

    python -m bench.worker build PROJECT            handbook build (generate + mkdocs --strict + swap)
    python -m bench.worker mkdocs PROJECT OUT       plain `python -m mkdocs build --strict -d OUT`
    python -m bench.worker profile PROJECT          cProfile of the generator stages (no MkDocs)
    python -m bench.worker profile-mkdocs PROJECT OUT   cProfile of the MkDocs build, in-process

Prints one JSON object on its last line of stdout. Peak memory is VmHWM, per process: this one's
(the generator; for `mkdocs` only a small launcher) read at the end, and each Python child's (the
MkDocs subprocess) reported at its exit by bench/_rss/sitecustomize.py. CPU time (user + system) of
this process and of its children comes from getrusage.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

START = time.perf_counter()


RSS_DIR = Path(__file__).resolve().parent / "_rss"  # holds the sitecustomize that reports child peaks


def _watch_children() -> Path:
    """Make every Python process started from here on report its peak memory into a file."""
    fd, name = tempfile.mkstemp(prefix="handbook-bench-rss-", suffix=".tsv")
    os.close(fd)
    os.environ["HANDBOOK_BENCH_RSS"] = name
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(RSS_DIR), os.environ.get("PYTHONPATH", "")) if p)
    return Path(name)


def _own_peak_kb() -> int:
    """This process's peak resident memory (VmHWM); ru_maxrss would include the parent's peak at fork."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _usage(rss_file: Path) -> dict[str, Any]:
    children = []
    for line in rss_file.read_text(encoding="utf-8").splitlines():
        _pid, kb, cmd = line.split("\t", 2)
        children.append({"kb": int(kb), "cmd": cmd})
    rss_file.unlink()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rss_self_kb": _own_peak_kb(),
        "rss_children_kb": max((c["kb"] for c in children), default=kids.ru_maxrss),
        "children": children,
        "cpu_self": me.ru_utime + me.ru_stime,
        "cpu_children": kids.ru_utime + kids.ru_stime,
    }


def run_build(project: Path) -> dict[str, Any]:
    mark = time.perf_counter()
    from generator.config import load_config
    from generator.pipeline import build

    imported = time.perf_counter() - mark
    rss_file = _watch_children()
    mark = time.perf_counter()
    result = build(load_config(project))
    spent = time.perf_counter() - mark
    return {
        # "other": what build() spent outside its timed stages (assets, exports, redirects, the swap);
        # search_index is Pagefind's run beside MkDocs, not a stage: only its search_wait adds to the build
        "timings": {
            "import": imported,
            **result.timings,
            "other": spent - sum(v for k, v in result.timings.items() if k != "search_index"),
        },
        "written": result.written,
        "removed": result.removed,
        "unchanged": result.unchanged,
        "counts": getattr(result, "counts", {}),  # parsed / rendered / reused
        "records": sum(len(v) for v in result.index.records.values()),
        "in_process": time.perf_counter() - START,
        **_usage(rss_file),
    }


def run_mkdocs(project: Path, out: Path) -> dict[str, Any]:
    # the same command the build runs (publish._run_mkdocs): -q would also turn strict mode off
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(out)]
    rss_file = _watch_children()
    mark = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=project, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    )
    seconds = time.perf_counter() - mark
    if proc.returncode != 0:
        raise SystemExit(f"plain mkdocs build failed:\n{proc.stdout}{proc.stderr}")
    return {"timings": {"mkdocs": seconds}, **_usage(rss_file)}


# Functions whose cumulative time says where the generator's time goes, as (file suffix, name).
AREAS = (
    ("generator/pipeline.py", "check", "check: all (load, validate, index)"),
    ("generator/stages/load.py", "parse_source", "check: parse YAML (files parsed in this process)"),
    ("generator/stages/validate.py", "validate_document", "check: pydantic validation (in this process)"),
    ("generator/stages/index.py", "build_index", "check: index (references, back-links, terms)"),
    ("generator/stages/index.py", "find_term_uses", "check: glossary term search"),
    ("generator/charts/draw.py", "plan_charts", "charts: plan (cache lookups, file names, snippets)"),
    ("generator/charts/draw.py", "draw_planned", "charts: drawing (in this process)"),
    ("generator/charts/bokeh_json.py", "fill_prototype", "charts: fill chart prototypes (timelines, evidence map)"),
    ("bokeh/embed/standalone.py", "json_item", "charts: Bokeh json_item (serialise)"),
    ("generator/charts/bokeh_json.py", "stable_ids", "charts: renumber ids"),
    ("generator/charts/figures.py", "timeline", "charts: figures.timeline"),
    ("generator/charts/figures.py", "cross_timeline", "charts: figures.cross_timeline"),
    ("generator/charts/figures.py", "evidence_map", "charts: figures.evidence_map"),
    ("generator/charts/figures.py", "triangle", "charts: figures.triangle"),
    ("generator/charts/plan.py", "evidence_data", "charts: evidence_data"),
    ("generator/charts/plan.py", "cross_timeline_data", "charts: cross_timeline_data"),
    ("generator/output/pages.py", "render_pages", "render: all pages"),
    ("generator/stages/index.py", "factor_uses", "render: Index.factor_uses"),
    ("generator/stages/index.py", "all", "render+charts: Index.all (sorts every call)"),
    ("generator/stages/index.py", "cases_at_phase", "render: Index.cases_at_phase"),
    ("generator/charts/bokeh_json.py", "bokeh_assets", "other: read BokehJS"),
    ("generator/records/schemas.py", "schema_files", "other: JSON schemas"),
    ("generator/output/redirects.py", "redirect_files", "other: redirects"),
    ("generator/output/selfdiagnosis.py", "export_files", "other: self-diagnosis files"),
    ("generator/output/exports.py", "export_files", "other: downloads (JSON, CSV, citations)"),
    ("generator/output/publish.py", "write_docs", "write: compare and write"),
)


def run_profile(project: Path) -> dict[str, Any]:
    """cProfile of generate(): the generator's stages without MkDocs."""
    from generator.config import load_config
    from generator.pipeline import generate

    profiler = cProfile.Profile()
    mark = time.perf_counter()
    profiler.enable()
    result = generate(load_config(project))
    profiler.disable()
    wall = time.perf_counter() - mark
    result.timings["other"] = wall - sum(result.timings.values())
    return {"wall": wall, "timings": result.timings, "written": len(result.written), **_summary(profiler, AREAS)}


MKDOCS_AREAS = (
    ("mkdocs/commands/build.py", "build", "the whole MkDocs build"),
    ("mkdocs/commands/build.py", "_populate_page", "read + convert each page (Markdown to HTML)"),
    ("markdown/core.py", "convert", "… Python-Markdown with the extensions"),
    ("mkdocs/structure/pages.py", "validate_anchor_links", "… anchor validation of links"),
    ("mkdocs/commands/build.py", "_build_page", "render each page with the theme and write it"),
    ("mkdocs/commands/build.py", "get_context", "… template context (navigation) per page"),
    ("jinja2/environment.py", "render", "… Jinja templates of the theme"),
    ("material/plugins/search/plugin.py", "on_page_context", "… search plugin: index each page"),
    ("material/plugins/search/plugin.py", "on_post_build", "search plugin: write the index"),
    ("mkdocs/utils/__init__.py", "write_file", "write files"),
    ("mkdocs/structure/files.py", "copy_file", "copy static files"),
)


def run_profile_mkdocs(project: Path, out: Path) -> dict[str, Any]:
    """cProfile of `mkdocs build --strict` of the project's generated Markdown, in this process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.chdir(project)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(out), strict=True)
    profiler = cProfile.Profile()
    mark = time.perf_counter()
    profiler.enable()
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    profiler.disable()
    wall = time.perf_counter() - mark
    return {"wall": wall, "timings": {"mkdocs": wall}, **_summary(profiler, MKDOCS_AREAS, focus="")}


def _summary(profiler: cProfile.Profile, areas: tuple[tuple[str, str, str], ...], focus: str = "generator/") -> dict:
    """Named areas' cumulative time, the top functions by cumulative time (under `focus`) and by own time."""
    stats = pstats.Stats(profiler, stream=io.StringIO())
    raw: dict[tuple[str, int, str], Any] = stats.stats  # type: ignore[attr-defined]  # pstats keeps its table here; typeshed does not declare it
    rows = []
    for (file, line, name), (_cc, nc, tt, ct, _callers) in raw.items():
        where = _short(file, line, name)
        rows.append({"where": where, "file": file, "name": name, "calls": nc, "tottime": tt, "cumtime": ct})
    found = []
    for suffix, name, label in areas:
        hits = [r for r in rows if r["file"].replace(os.sep, "/").endswith(suffix) and r["name"] == name]
        if hits:
            calls = sum(r["calls"] for r in hits)
            found.append({"area": label, "calls": calls, "cumtime": max(r["cumtime"] for r in hits)})
    by_cum = sorted(rows, key=lambda r: -r["cumtime"])
    by_tot = sorted(rows, key=lambda r: -r["tottime"])
    keep = ("where", "calls", "tottime", "cumtime")
    return {
        "areas": found,
        "top_cumulative": [{k: r[k] for k in keep} for r in by_cum if focus in r["where"]][:20],
        "top_own_time": [{k: r[k] for k in keep} for r in by_tot[:20]],
    }


def _short(file: str, line: int, name: str) -> str:
    """'generator/stages/index.py:42(all)', 'bokeh/core/...', or '{built-in method ...}'."""
    if file == "~":
        return name
    path = file.replace(os.sep, "/")
    if "/site-packages/" in path:
        path = path.split("/site-packages/", 1)[1]
    elif "/generator/" in path:
        path = "generator/" + path.rsplit("/generator/", 1)[1]
    elif "/lib/python3" in path:
        path = path.split("/lib/", 1)[1].split("/", 1)[1]
    return f"{path}:{line}({name})"


def main(argv: list[str]) -> int:
    action, project = argv[0], Path(argv[1]).resolve()
    if action == "build":
        out = run_build(project)
    elif action == "mkdocs":
        out = run_mkdocs(project, Path(argv[2]).resolve())
    elif action == "profile":
        out = run_profile(project)
    elif action == "profile-mkdocs":
        out = run_profile_mkdocs(project, Path(argv[2]).resolve())
    else:
        raise SystemExit(f"unknown action {action!r}")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
