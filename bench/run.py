"""The build benchmark: synthetic corpora of N case studies, each built cold, warm after an edit,
warm with no change, and compared with a plain MkDocs build of the same Markdown.

    .venv/bin/python -m bench                        # N = 10, 100, 1000; writes docs/benchmarks.md
    .venv/bin/python -m bench --sizes 10,100 --repeat 3 --out /tmp/bench.md

The generator, templates, content and mkdocs.yml are copied once into a snapshot (from the working
tree, or with --source REV from a git revision), so that every build of a run uses the same code.
Every build runs in a fresh project folder under a temporary directory, in a process of its own
(bench/worker.py), so that peak memory is per process. Results go between the markers in the
output file; text outside the markers (the analysis) is kept.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import html
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import corpus
from generator.output import search

REPO = corpus.REPO
SNAPSHOT = ("generator", "site_templates", "content", "toolkit", "mkdocs.yml")
BEGIN = "<!-- bench:results:begin (written by `python -m bench`; edit outside these markers) -->"
END = "<!-- bench:results:end -->"
# The generator's stages, in order; "other" is what build() spends outside the stages it times itself
# (assets, schemas, redirects, downloads), measured by the worker as the remainder.
STAGES = ("check", "charts", "render", "other", "write")
PACKAGES = ("mkdocs", "mkdocs-material", "bokeh", "pydantic", "jinja2", "pyyaml", "markdown", "pymdown-extensions")
KB, MB = 1024, 1024 * 1024
RUNS = (  # key, label; in the order they run
    ("cold", "Cold build"),
    ("nochange", "Warm, no change"),
    ("edit", "Warm, one case edited"),
    ("edit_timeline", "Warm, one timeline event edited"),
    ("peer", "Plain `mkdocs build`"),
)
# (key, label, limit, unit); the issue sets them for N = 1000, they are evaluated at every size.
TARGETS = (
    ("cold", "Cold full build ≤ 1.5× plain MkDocs", 1.5, "x"),
    ("edit_generator", "Warm, one case edited: generator step < 1 s", 1.0, "s"),
    ("edit_ratio", "Warm, one case edited: whole build < 1.2× no-change rebuild", 1.2, "x"),
    ("nochange_written", "Warm, no change: generator writes no files", 0, "files"),
    ("memory", "Peak memory < 1 GB (generator + its parse workers + its MkDocs process)", 1024, "MB"),
    ("case_html", "Case page HTML < 60 KB (largest case page)", 60, "KB"),
    ("search_index", "Search index < 10 MB", 10, "MB"),
)
SNAP: Path = REPO  # main() points this at the run's snapshot
WAIT_IDLE = 0.0  # main() sets it from --wait-idle


# --- running ------------------------------------------------------------------------------------------


def take_snapshot(dest: Path, source: str) -> Path:
    """Copy what a build reads, once: from the working tree or from a git revision (`git archive`,
    which changes nothing in the repository)."""
    dest.mkdir(parents=True, exist_ok=True)
    if source == "worktree":
        for name in SNAPSHOT:
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif (REPO / name).is_file():
                shutil.copy(REPO / name, dest / name)
    else:
        tar = subprocess.run(
            ["git", "archive", "--format=tar", source, "--", *SNAPSHOT], cwd=REPO, capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            archive.extractall(dest, filter="data")
    return dest


def _env() -> dict[str, str]:
    """The snapshot's generator first on the path, bench itself from the repository."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": f"{SNAP}{os.pathsep}{REPO}"}
    # as on an author's machine: bytecode caches are written and reused; no site URL or serve mode
    for name in ("HANDBOOK_SITE_URL", "HANDBOOK_SERVE", "SOURCE_DATE_EPOCH", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def worker(*args: str) -> dict[str, Any]:
    """Run bench.worker in its own process: its JSON, plus the wall time seen from outside."""
    busy = wait_for_quiet(WAIT_IDLE)
    load = _loadavg()
    mark = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.worker", *args], cwd=SNAP, capture_output=True, text=True, env=_env()
    )
    wall = time.perf_counter() - mark
    if proc.returncode != 0:
        raise RuntimeError(f"bench.worker {' '.join(args)} failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out.update(wall=wall, load_before=load, busy_before=busy)
    if "cpu_self" in out:
        out["cpu"] = out["cpu_self"] + out["cpu_children"]
    return out


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def busy_cores(seconds: float = 1.0) -> float:
    """How many cores the rest of the machine keeps busy, sampled over `seconds` (-1 if unknown)."""
    try:
        b0, t0 = _cpu_ticks()
        time.sleep(seconds)
        b1, t1 = _cpu_ticks()
    except (OSError, ValueError, IndexError):
        return -1.0
    return (b1 - b0) / max(t1 - t0, 1) * (os.cpu_count() or 1)


def wait_for_quiet(max_wait: float, limit: float = 0.3) -> float:
    """Before a run, wait up to `max_wait` seconds for the other work on the machine to use less than
    `limit` of a core; return what it used in the last sample."""
    deadline = time.monotonic() + max_wait
    busy = busy_cores(1.0)
    while max_wait > 0 and busy > limit and time.monotonic() < deadline:
        time.sleep(4.0)
        busy = busy_cores(1.0)
    return busy


def _loadavg() -> float:
    """The one-minute load average before a run: other work on the machine slows builds down."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return -1.0


def handbook_check(project: Path) -> dict[str, Any]:
    """`handbook check` on the project, as an author runs it."""
    mark = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "check"],
        cwd=SNAP,
        capture_output=True,
        text=True,
        env=_env(),
    )
    return {"ok": proc.returncode == 0, "wall": time.perf_counter() - mark, "message": (proc.stdout + proc.stderr)}


def clean(project: Path) -> None:
    """Empty build/ (with the chart cache in it) and site/: the next build is cold."""
    for name in ("build", "site"):
        shutil.rmtree(project / name, ignore_errors=True)


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(runs, key=lambda r: r["wall"])
    return ordered[(len(ordered) - 1) // 2]


def bench_size(n: int, work: Path, args: argparse.Namespace, say: Callable[[str], None]) -> dict[str, Any]:
    project = work / f"n{n}" / "project"
    mark = time.perf_counter()
    corpus.make_project(project, n, args.seed, source=SNAP)
    result: dict[str, Any] = {"n": n, "corpus": {**corpus.corpus_stats(project), "seconds": time.perf_counter() - mark}}
    say(f"N={n}: corpus of {n} cases, {result['corpus']['words_mean']:.0f} words per case on average")

    result["check"] = handbook_check(project)
    say(f"N={n}: handbook check {'passed' if result['check']['ok'] else 'FAILED'} in {result['check']['wall']:.1f} s")
    if not result["check"]["ok"]:
        raise RuntimeError(f"the synthetic corpus fails `handbook check`:\n{result['check']['message'][-3000:]}")

    ids = corpus.case_ids(n, args.seed)
    repeat = args.repeats[n]
    runs: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in RUNS}

    def measure(key: str, *worker_args: str) -> None:
        runs[key].append(worker(*worker_args))
        last = runs[key][-1]
        written = f", {len(last['written'])} files written" if "written" in last else ""
        say(f"N={n}: {dict(RUNS)[key].lower()} {last['wall']:.1f} s{written}")

    for _ in range(repeat):
        clean(project)
        measure("cold", "build", str(project))
    result["site"] = site_metrics(project / "site", ids)
    for _ in range(repeat):
        measure("nochange", "build", str(project))
    for r in range(repeat):
        corpus.edit_case(project, ids[(n // 2 + r) % n], "context_and_need")
        measure("edit", "build", str(project))
    if not args.quick:
        for r in range(repeat):
            corpus.edit_case(project, ids[(n // 3 + r) % n], "timeline")
            measure("edit_timeline", "build", str(project))
    for r in range(repeat):
        out = work / f"n{n}" / f"peer-site-{r}"  # outside the project, as a hand-written site's would be
        measure("peer", "mkdocs", str(project), str(out))
        shutil.rmtree(out, ignore_errors=True)
    result["runs"] = {key: median_run(v) for key, v in runs.items() if v}
    result["repeats"] = {key: [round(r["wall"], 2) for r in v] for key, v in runs.items() if v}

    if n in args.profile and not args.quick:
        clean(project)
        cold = worker("profile", str(project))
        say(f"N={n}: profiled cold generator {cold['wall']:.1f} s")
        corpus.edit_case(project, ids[n // 2], "context_and_need")
        warm = worker("profile", str(project))
        say(f"N={n}: profiled warm generator (one case edited) {warm['wall']:.1f} s")
        site = work / f"n{n}" / "profile-site"
        plain = worker("profile-mkdocs", str(project), str(site))
        shutil.rmtree(site, ignore_errors=True)
        say(f"N={n}: profiled plain MkDocs build {plain['wall']:.1f} s")
        result["profile"] = {"cold": cold, "warm": warm, "mkdocs": plain}
    if not args.keep:
        shutil.rmtree(work / f"n{n}", ignore_errors=True)
    return result


# --- measuring the site -------------------------------------------------------------------------------

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"']+)["']""", re.I)
_ITEM = re.compile(r'data-bokeh-src="([^"]*)"')
_CHART = re.compile(r'<div class="hb-chart" id="chart-([a-z]+)[^"]*"[^>]*?data-bokeh-src="([^"]*)"')
_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)


def page_parts(text: str) -> dict[str, int]:
    """Where a page's HTML bytes go: chart references (the attribute naming each chart's data file)
    by chart kind, the rest of the article, and the theme around it (header, navigation, footer,
    scripts)."""
    parts: dict[str, int] = {}
    for kind, item in _CHART.findall(text):
        parts[f"chart:{kind}"] = parts.get(f"chart:{kind}", 0) + len(item.encode("utf-8"))
    article = sum(len(m.encode("utf-8")) for m in _ARTICLE.findall(text))
    charts = sum(parts.values())
    parts["article without charts"] = article - charts
    parts["theme (header, navigation, footer, scripts)"] = len(text.encode("utf-8")) - article
    return parts


def search_breakdown(docs: list[dict[str, Any]], case_ids: list[str]) -> dict[str, Any]:
    """Search-index bytes by top folder, and for case pages by section (process and analysis
    sections, whose ids vary, counted together)."""
    by_folder: dict[str, int] = {}
    by_section: dict[str, int] = {}
    cases = {f"cases/{cid}/" for cid in case_ids}
    for entry in docs:
        size = len(json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        page, _, anchor = entry["location"].partition("#")
        folder = page.split("/", 1)[0] or "(home)"
        by_folder[folder] = by_folder.get(folder, 0) + size
        if page in cases:
            key = anchor if anchor in corpus.PAGE_ANCHORS or not anchor else "(process and analysis sections)"
            key = key or "(page top: in brief, facts)"
            by_section[key] = by_section.get(key, 0) + size
    return {
        "by_folder": sorted(by_folder.items(), key=lambda kv: -kv[1]),
        "case_sections": sorted(by_section.items(), key=lambda kv: -kv[1]),
        "per_case": sum(by_section.values()) / max(len(case_ids), 1),
    }


def page_scripts(page: Path, site: Path) -> dict[str, int]:
    """The JavaScript a page loads beyond BokehJS: its script files by role, inline scripts, and the
    chart data files its charts load (`data-bokeh-src`, relative to the site's assets folder)."""
    text = page.read_text(encoding="utf-8")
    out = {"material": 0, "charts_js": 0, "other_files": 0, "inline": 0, "chart_json": 0, "charts": 0}
    for attrs, body in _SCRIPT.findall(text):
        src = _SRC.search(attrs)
        if not src:
            out["inline"] += len(body.encode("utf-8"))
            continue
        target = (page.parent / src.group(1).split("?")[0].split("#")[0]).resolve()
        if re.search(r"bokeh-[\d.]+\.min\.js$", target.name):
            continue
        size = target.stat().st_size if target.is_file() and site.resolve() in target.parents else 0
        if "/assets/javascripts/bundle." in target.as_posix():
            out["material"] += size
        elif target.name == "charts.js":
            out["charts_js"] += size
        else:
            out["other_files"] += size
    for src in _ITEM.findall(text):
        out["chart_json"] += (site / "assets" / html.unescape(src)).stat().st_size
        out["charts"] += 1
    out["total"] = sum(v for k, v in out.items() if k != "charts")
    return out


def site_metrics(site: Path, case_ids: list[str]) -> dict[str, Any]:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    case_pages = [site / "cases" / cid / "index.html" for cid in case_ids]
    missing = [p for p in case_pages if not p.is_file()]
    if missing:
        raise RuntimeError(f"{len(missing)} case pages are missing from the site, e.g. {missing[0]}")
    sizes = [p.stat().st_size for p in case_pages]
    parts: dict[str, int] = {}
    for p in case_pages:
        for key, value in page_parts(p.read_text(encoding="utf-8")).items():
            parts[key] = parts.get(key, 0) + value
    gz = [len(gzip.compress(p.read_bytes(), 6)) for p in case_pages[:200]]
    scripts = [page_scripts(p, site) for p in case_pages]
    totals = [s["total"] for s in scripts]
    median_page = sorted(zip(totals, range(len(scripts)), strict=True))[len(scripts) // 2][1]
    bundle = [p for p in (site / search.BUNDLE).rglob("*") if p.is_file()]  # Pagefind's index, scripts, WASM
    docs = search.sections(site)
    largest = sorted(pages, key=lambda p: -p.stat().st_size)[:5]
    return {
        "bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        "html_pages": len(pages),
        "html_bytes": sum(p.stat().st_size for p in pages),
        "search_index_bytes": sum(p.stat().st_size for p in bundle),
        # Pagefind's index files are gzipped already; its scripts are not
        "search_index_gzip_bytes": sum(
            p.stat().st_size
            if p.name.endswith(("pagefind", "_fragment", "_index", "_meta", "_filter"))
            else len(gzip.compress(p.read_bytes(), 6))
            for p in bundle
        ),
        "search_entries": len(docs),
        "search": search_breakdown(docs, case_ids),
        "case_html_parts": sorted(((k, v / len(case_pages)) for k, v in parts.items()), key=lambda kv: -kv[1]),
        "case_html_mean": statistics.mean(sizes),
        "case_html_max": max(sizes),
        "case_html_max_page": case_pages[sizes.index(max(sizes))].relative_to(site).as_posix(),
        "case_html_gzip_mean": statistics.mean(gz),
        "case_js_mean": statistics.mean(totals),
        "case_js_max": max(totals),
        "case_js_median_page": scripts[median_page],
        "case_chart_json_mean": statistics.mean(s["chart_json"] for s in scripts),
        "case_chart_json_max": max(s["chart_json"] for s in scripts),
        "largest_pages": [(p.relative_to(site).as_posix(), p.stat().st_size) for p in largest],
    }


# --- the machine --------------------------------------------------------------------------------------


def _proc_field(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine(source: str = "worktree") -> dict[str, Any]:
    import importlib.metadata

    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    rev = "HEAD" if source == "worktree" else source
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, capture_output=True, text=True)
    sha = commit.stdout.strip() or "unknown"
    label = f"git revision {source} ({sha})"
    if source == "worktree":
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *SNAPSHOT], cwd=REPO, capture_output=True, text=True
        ).stdout.splitlines()
        label = f"the working tree at commit {sha}" + (
            f", with {len(dirty)} uncommitted changes in {', '.join(SNAPSHOT)}" if dirty else ""
        )
    mem = _proc_field("/proc/meminfo", "MemTotal")
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_bytes": int(mem.split()[0]) * 1024 if mem else 0,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": sha,
        "source_label": label,
    }


# --- targets ------------------------------------------------------------------------------------------


def gen_seconds(run: dict[str, Any]) -> float:
    """The generator's own time (check, charts, render, other, write), without start-up and MkDocs."""
    return sum(run["timings"].get(s, 0.0) for s in STAGES)


def measures(res: dict[str, Any]) -> dict[str, float]:
    r, s = res["runs"], res["site"]
    return {
        "cold": r["cold"]["wall"] / r["peer"]["wall"],
        "edit_generator": gen_seconds(r["edit"]),
        "edit_ratio": r["edit"]["wall"] / r["nochange"]["wall"],
        "nochange_written": len(r["nochange"]["written"]) + len(r["nochange"]["removed"]),
        "memory": (r["cold"]["rss_self_kb"] + _workers_kb(r["cold"]) + r["cold"]["rss_children_kb"]) / KB,
        "case_html": s["case_html_max"] / KB,
        "search_index": s["search_index_bytes"] / MB,
    }


def verdict(key: str, value: float, limit: float) -> tuple[bool, str]:
    """Whether a target holds, and by how much it holds or fails."""
    if key == "nochange_written":
        return (True, "holds") if value == 0 else (False, f"fails: {value:.0f} files written")
    ok = value <= limit if key == "cold" else value < limit
    if ok:
        return True, f"holds ({(1 - value / limit) * 100:.0f}% headroom)"
    return False, f"fails: {value / limit:.1f}× the limit"


def fmt_measure(key: str, value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "files":
        return f"{value:.0f}"
    if unit == "s":
        return f"{value:.2f} s"
    if key == "memory":
        return f"{value:.0f} MB"
    return f"{value:.1f} {unit}"


# --- reporting ----------------------------------------------------------------------------------------


def _s(x: float) -> str:
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def _b(n: float) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= KB:
        return f"{n / KB:.1f} KB"
    return f"{n:.0f} B"


def _load(run: dict[str, Any]) -> str:
    return f"{run.get('busy_before', -1):.1f}; {run['load_before']:.1f}"


def _stages(run: dict[str, Any]) -> str:
    t = run["timings"]
    return " + ".join(f"{s} {_s(t.get(s, 0.0))}" for s in STAGES)


def _workers_kb(run: dict[str, Any]) -> int:
    """The parse workers' peaks summed (they run side by side while the generator holds its own)."""
    return (run.get("counts") or {}).get("parse_workers_peak_kb", 0)


def _counts(run: dict[str, Any]) -> str:
    c = run.get("counts") or {}
    if not c:
        return "with no count of the files parsed and pages rendered"
    return (
        f"{c.get('parsed', 0)} source files parsed, {c.get('rendered', 0)} pages rendered and "
        f"{c.get('reused', 0)} reused"
    )


def why_lines(res: dict[str, Any]) -> list[str]:
    """Where the time goes, in words, from the stage timings."""
    r = res["runs"]
    cold, peer, edit, same = r["cold"], r["peer"], r["edit"], r["nochange"]
    t = cold["timings"]
    gen = gen_seconds(cold)
    lines = [
        f"Cold: {_s(cold['wall'])} s against {_s(peer['wall'])} s for plain MkDocs, {_s(cold['wall'] - peer['wall'])} s "
        f"more. The generator stages take {_s(gen)} s ({_stages(cold)}), start-up and imports "
        f"{_s(t.get('import', 0.0))} s, and the MkDocs stage of the build {_s(t.get('mkdocs', 0.0))} s (plain run "
        f"{_s(peer['timings']['mkdocs'])} s). Charts are {t.get('charts', 0.0) / max(gen, 1e-9) * 100:.0f}% of the "
        f"generator stages. In CPU time the cold build is {cold['cpu'] / peer['cpu']:.2f}× plain MkDocs "
        f"({_s(cold['cpu'])} s against {_s(peer['cpu'])} s).",
        f"Warm, one case edited: the generator stages take {_s(gen_seconds(edit))} s ({_stages(edit)}), "
        f"{_counts(edit)}, to write {len(edit['written'])} "
        f"files ({', '.join(edit['written'][:5])}{' …' if len(edit['written']) > 5 else ''}). MkDocs then takes "
        f"{_s(edit['timings'].get('mkdocs', 0.0))} s to rebuild all {res['site']['html_pages']} pages: it has no "
        "incremental build.",
        f"Warm, no change: the generator stages take {_s(gen_seconds(same))} s ({_stages(same)}; "
        f"{_counts(same)}) to find that nothing changed, and MkDocs {_s(same['timings'].get('mkdocs', 0.0))} s; the whole build is "
        f"{same['wall'] / peer['wall']:.2f}× a plain MkDocs build.",
    ]
    if "edit_timeline" in r:
        tl = r["edit_timeline"]
        lines.append(
            f"Warm, one timeline event edited: charts take {_s(tl['timings'].get('charts', 0.0))} s, because that "
            "case's timeline and the cross-case timeline (which holds every case's events) are built again; "
            f"generator stages {_s(gen_seconds(tl))} s, whole build {_s(tl['wall'])} s."
        )
    busy = [x.get("busy_before", -1) for x in r.values()]
    if max(busy) > 0.3:
        lines.append(
            f"Other work kept {min(busy):.1f}-{max(busy):.1f} of the {os.cpu_count()} cores busy just before the "
            "runs, so the wall times carry noise; the CPU times are steadier."
        )
    return lines


def render_block(results: list[dict[str, Any]], info: dict[str, Any], args: argparse.Namespace) -> str:
    sizes = [res["n"] for res in results]
    big = results[-1]

    def table(rows: list[tuple[str, Callable[[dict[str, Any]], str]]]) -> list[str]:
        out = ["| | " + " | ".join(f"N = {n}" for n in sizes) + " |", "|---|" + "---:|" * len(sizes)]
        for label, fn in rows:
            out.append(f"| {label} | " + " | ".join(fn(res) for res in results) + " |")
        return out

    def run(name: str, fn: Callable[[dict[str, Any]], str]) -> Callable[[dict[str, Any]], str]:
        return lambda res: fn(res["runs"][name]) if name in res["runs"] else "—"

    cmd = (
        f".venv/bin/python -m bench --sizes {','.join(map(str, sizes))} --seed {args.seed} --repeat {args.repeat} "
        f"--profile {','.join(map(str, args.profile)) or 0}"
        + (f" --source {args.source}" if args.source != "worktree" else "")
        + (" --quick" if args.quick else "")
        + (f" --wait-idle {args.wait_idle:g}" if args.wait_idle else "")
    )
    out = [BEGIN, "", f"## Results ({info['date']})", ""]
    out.append(
        f"Command: `{cmd}`. "
        + "Each figure is from the median of "
        + ", ".join(f"{args.repeats[n]} run{'s' if args.repeats[n] > 1 else ''} at N = {n}" for n in sizes)
        + ". "
        + "Times are wall-clock seconds of the whole process (Python start-up included) unless a stage is "
        "named; stage times come from `BuildResult.timings`.\n"
    )
    out.append("### Machine\n")
    pk = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    out.append(
        f"- CPU: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
        f"{info['ram_bytes'] / 1024**3:.1f} GB RAM\n- Python {info['python']} on {info['platform']}\n"
        f"- Packages: {pk}\n- Generator, templates and content: {info['source_label']}\n"
    )

    out.append(f"### Targets at N = {big['n']}\n")
    out.append("| Target | " + " | ".join(f"N = {n}" for n in sizes) + f" | At N = {big['n']} |")
    out.append("|---|" + "---:|" * len(sizes) + "---|")
    for key, label, limit, unit in TARGETS:
        values = [measures(res)[key] for res in results]
        out.append(
            f"| {label} | "
            + " | ".join(fmt_measure(key, v, unit) for v in values)
            + f" | {verdict(key, values[-1], limit)[1]} |"
        )
    out.append("")
    out.append(f"Why, from the stage timings at N = {big['n']}:\n")
    out.extend(f"- {line}" for line in why_lines(big))
    out.append("")

    out.append("### Summary\n")
    out.extend(
        table(
            [
                (
                    "Case studies (words per case, mean)",
                    lambda r: f"{r['corpus']['cases']} ({r['corpus']['words_mean']:.0f})",
                ),
                ("Records checked", run("cold", lambda x: str(x["records"]))),
                ("`handbook check`, s", lambda r: _s(r["check"]["wall"])),
                ("**Cold** `handbook build`, s", run("cold", lambda x: f"**{_s(x['wall'])}**")),
                (
                    "… generator stages (check + charts + render + other + write), s",
                    run("cold", lambda x: _s(gen_seconds(x))),
                ),
                ("… MkDocs stage, s", run("cold", lambda x: _s(x["timings"]["mkdocs"]))),
                ("**Plain MkDocs** of the same Markdown, s", run("peer", lambda x: f"**{_s(x['wall'])}**")),
                (
                    "Cold ÷ plain MkDocs (wall; CPU)",
                    lambda r: f"{measures(r)['cold']:.2f}×; {r['runs']['cold']['cpu'] / r['runs']['peer']['cpu']:.2f}×",
                ),
                ("**Warm, one case edited**, s", run("edit", lambda x: f"**{_s(x['wall'])}**")),
                ("… generator stages, s", run("edit", lambda x: _s(gen_seconds(x)))),
                ("… files written", run("edit", lambda x: str(len(x["written"])))),
                ("Warm, one timeline event edited, s", run("edit_timeline", lambda x: _s(x["wall"]))),
                (
                    "… generator stages (charts), s",
                    run("edit_timeline", lambda x: f"{_s(gen_seconds(x))} ({_s(x['timings']['charts'])})"),
                ),
                ("**Warm, no change**, s", run("nochange", lambda x: f"**{_s(x['wall'])}**")),
                ("… generator stages, s", run("nochange", lambda x: _s(gen_seconds(x)))),
                ("… files written", run("nochange", lambda x: str(len(x["written"])))),
                ("Edited ÷ no change (wall)", lambda r: f"{measures(r)['edit_ratio']:.2f}×"),
                ("Peak memory, generator process (cold)", run("cold", lambda x: _b(x["rss_self_kb"] * KB))),
                ("Peak memory, its parse workers together (cold)", run("cold", lambda x: _b(_workers_kb(x) * KB))),
                ("Peak memory, its MkDocs process (cold)", run("cold", lambda x: _b(x["rss_children_kb"] * KB))),
                ("Peak memory, plain MkDocs", run("peer", lambda x: _b(x["rss_children_kb"] * KB))),
                ("Site size (files)", lambda r: f"{_b(r['site']['bytes'])} ({r['site']['files']})"),
                ("HTML pages", lambda r: str(r["site"]["html_pages"])),
                (
                    "Search bundle, Pagefind (gzip)",
                    lambda r: f"{_b(r['site']['search_index_bytes'])} ({_b(r['site']['search_index_gzip_bytes'])})",
                ),
                ("Search index entries", lambda r: str(r["site"]["search_entries"])),
                (
                    "Case page HTML, mean / max",
                    lambda r: f"{_b(r['site']['case_html_mean'])} / {_b(r['site']['case_html_max'])}",
                ),
                ("Case page HTML gzipped, mean", lambda r: _b(r["site"]["case_html_gzip_mean"])),
                (
                    "Case page JS beyond BokehJS, mean / max",
                    lambda r: f"{_b(r['site']['case_js_mean'])} / {_b(r['site']['case_js_max'])}",
                ),
                (
                    "… of which chart JSON, mean / max",
                    lambda r: f"{_b(r['site']['case_chart_json_mean'])} / {_b(r['site']['case_chart_json_max'])}",
                ),
                (
                    "Largest page",
                    lambda r: f"{r['site']['largest_pages'][0][0]} ({_b(r['site']['largest_pages'][0][1])})",
                ),
            ]
        )
    )
    out.append("")
    for res in results:
        out.extend(size_details(res, args))
    out.append(END)
    return "\n".join(out) + "\n"


def size_details(res: dict[str, Any], args: argparse.Namespace) -> list[str]:
    n = res["n"]
    out = [f"### N = {n}\n"]
    out.append(
        "| Run | check | charts | render | other | write | generator | MkDocs | start-up + imports | total | CPU "
        "| written / removed / unchanged | peak memory generator / MkDocs | other load before (cores busy; 1-min load) |"
    )
    out.append("|---|" + "---:|" * 13)
    for key, label in RUNS:
        if key not in res["runs"]:
            continue
        x = res["runs"][key]
        t = x["timings"]
        if key == "peer":
            out.append(
                f"| {label} | | | | | | | {_s(t['mkdocs'])} | | {_s(x['wall'])} | {_s(x['cpu'])} | "
                f"| {_b(x['rss_children_kb'] * KB)} | {_load(x)} |"
            )
            continue
        out.append(
            f"| {label} | "
            + " | ".join(_s(t.get(s, 0.0)) for s in STAGES)
            + f" | {_s(gen_seconds(x))} | {_s(t.get('mkdocs', 0.0))} | {_s(t.get('import', 0.0))} | {_s(x['wall'])} "
            f"| {_s(x['cpu'])} | {len(x['written'])} / {len(x['removed'])} / {x['unchanged']} "
            f"| {_b(x['rss_self_kb'] * KB)} / {_b(x['rss_children_kb'] * KB)} | {_load(x)} |"
        )
    out.append("")
    if args.repeats.get(n, 1) > 1:
        out.append("Wall times of every repeat: " + "; ".join(f"{k} {v}" for k, v in res["repeats"].items()) + ".\n")
    c, s = res["corpus"], res["site"]
    m = s["case_js_median_page"]
    out.append(
        f"Corpus: {c['cases']} cases of {c['words_min']}-{c['words_max']} words (mean {c['words_mean']:.0f}), "
        f"{c['events_min']}-{c['events_max']} timeline events and {c['factor_uses_min']} factor uses each; "
        f"{_b(c['yaml_bytes'])} of YAML. Scripts of the median case page beyond BokehJS: Material bundle "
        f"{_b(m['material'])}, assets/charts.js {_b(m['charts_js'])}, other script files {_b(m['other_files'])}, "
        f"inline {_b(m['inline'])}, chart JSON {_b(m['chart_json'])} in {m['charts']} charts; {_b(m['total'])} in "
        "all. Largest pages: " + ", ".join(f"{p} {_b(b)}" for p, b in s["largest_pages"]) + ".\n"
    )
    out.append(
        "Case page HTML, mean bytes by part: "
        + ", ".join(f"{k} {_b(v)}" for k, v in s["case_html_parts"])
        + ". Search index by folder: "
        + ", ".join(f"{k} {_b(v)}" for k, v in s["search"]["by_folder"][:8])
        + f"; per case page {_b(s['search']['per_case'])}, by section: "
        + ", ".join(f"{k} {_b(v / max(c['cases'], 1))}" for k, v in s["search"]["case_sections"][:8])
        + ".\n"
    )
    if "profile" in res:
        out.extend(profile_tables(res))
    return out


def profile_tables(res: dict[str, Any]) -> list[str]:
    out = []
    kinds = (
        ("cold", "the generator, cold (empty build/ and chart cache)"),
        ("warm", "the generator, warm, one case edited"),
        ("mkdocs", "plain MkDocs of the same Markdown"),
    )
    for key, label in kinds:
        if key not in res["profile"]:
            continue
        prof = res["profile"][key]
        what = "`generate()` (no MkDocs)" if key != "mkdocs" else "`mkdocs build --strict`, in one process"
        out.append(
            f"#### Profile of {label}, N = {res['n']}\n\n"
            f"cProfile of {what}: {_s(prof['wall'])} s under the profiler"
            + ("; stages " + ", ".join(f"{k} {_s(v)}" for k, v in prof["timings"].items()) if key != "mkdocs" else "")
            + ".\n"
        )
        out.append("| Where the time goes | calls | cumulative s |\n|---|---:|---:|")
        out.extend(f"| {a['area']} | {a['calls']} | {_s(a['cumtime'])} |" for a in prof["areas"])
        out.append("")
        if key != "mkdocs":
            out.append(
                "| Generator functions by cumulative time | calls | own s | cumulative s |\n|---|---:|---:|---:|"
            )
            out.extend(
                f"| `{r['where']}` | {r['calls']} | {_s(r['tottime'])} | {_s(r['cumtime'])} |"
                for r in prof["top_cumulative"][:15]
            )
            out.append("")
        out.append("| Top functions by own time | calls | own s | cumulative s |\n|---|---:|---:|---:|")
        out.extend(
            f"| `{r['where']}` | {r['calls']} | {_s(r['tottime'])} | {_s(r['cumtime'])} |"
            for r in prof["top_own_time"][:12]
        )
        out.append("")
    return out


def write_results(path: Path, block: str) -> None:
    """Replace the results between the markers; keep everything else in the file."""
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            before, rest = text.split(BEGIN, 1)
            after = rest.split(END, 1)[1]
            path.write_text(before + block.rstrip("\n") + after, encoding="utf-8")
        else:
            path.write_text(text.rstrip("\n") + "\n\n" + block, encoding="utf-8")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Build benchmarks\n\nRun with `.venv/bin/python -m bench`.\n\n" + block, encoding="utf-8")


def print_summary(res: dict[str, Any], say: Callable[[str], None]) -> None:
    r, s = res["runs"], res["site"]
    say(f"\nN = {res['n']}")
    for key, label in RUNS:
        if key not in r:
            continue
        x = r[key]
        if key == "peer":
            say(f"  {label:32} total {_s(x['wall'])} s | CPU {_s(x['cpu'])} s | peak {_b(x['rss_children_kb'] * KB)}")
            continue
        say(
            f"  {label:32} {_stages(x)} | mkdocs {_s(x['timings'].get('mkdocs', 0))} | total {_s(x['wall'])} s | "
            f"CPU {_s(x['cpu'])} s | written {len(x['written'])} | peak generator {_b(x['rss_self_kb'] * KB)}, "
            f"MkDocs {_b(x['rss_children_kb'] * KB)}"
        )
    say(
        f"  site {_b(s['bytes'])}, search index {_b(s['search_index_bytes'])}, case page HTML mean "
        f"{_b(s['case_html_mean'])} max {_b(s['case_html_max'])}, JS beyond BokehJS mean {_b(s['case_js_mean'])}"
    )
    for key, label, limit, unit in TARGETS:
        value = measures(res)[key]
        ok, text = verdict(key, value, limit)
        say(f"  [{'ok' if ok else 'FAIL'}] {label}: {fmt_measure(key, value, unit)}, {text}")


def _args_record(args: argparse.Namespace) -> dict[str, Any]:
    """What render_block needs of the arguments, as JSON (run keys are strings there)."""
    keep = ("sizes", "seed", "repeat", "profile", "source", "quick", "wait_idle")
    return {**{k: getattr(args, k) for k in keep}, "repeats": {str(k): v for k, v in args.repeats.items()}}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description="Benchmark `handbook build` on synthetic corpora.")
    p.add_argument("--sizes", default="10,100,1000", help="corpus sizes, comma-separated (default 10,100,1000)")
    p.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    p.add_argument(
        "--repeat",
        default="1",
        help="runs of each kind of build, the median reported: one number, or one per size (e.g. 3,3,1)",
    )
    p.add_argument("--profile", default="100", help="sizes at which to cProfile the generator (default 100; 0: none)")
    p.add_argument("--quick", action="store_true", help="skip the timeline-edit build and the profiles")
    p.add_argument(
        "--out", default=str(REPO / "docs" / "benchmarks.md"), help="results file (default docs/benchmarks.md)"
    )
    p.add_argument("--json", default=None, help="also write the raw results as JSON to this file")
    p.add_argument("--workdir", default=None, help="where the throwaway projects go (default: a new temp folder)")
    p.add_argument("--keep", action="store_true", help="keep the throwaway projects")
    p.add_argument("--source", default="worktree", help="'worktree' (default) or a git revision to build")
    p.add_argument(
        "--from-json",
        metavar="PATH",
        help="write the results file from the raw results of an earlier run (--json) instead of running",
    )
    p.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before each build, wait up to this long for other work on the machine to stop (default 0)",
    )
    args = p.parse_args(argv)
    try:
        args.sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
        args.profile = [int(x) for x in args.profile.split(",") if x.strip() and int(x) > 0]
        repeats = [int(x) for x in args.repeat.split(",") if x.strip()]
    except ValueError:
        p.error("--sizes, --repeat and --profile take whole numbers separated by commas")
    if len(repeats) == 1:
        repeats *= len(args.sizes)
    if len(repeats) != len(args.sizes):
        p.error("--repeat takes one number, or one per size")
    args.repeats = dict(zip(args.sizes, repeats, strict=True))
    if not args.sizes or min(args.sizes) < len(corpus.REPORT_CASE_IDS) or min(repeats) < 1:
        # the report's findings, pathways and diagnosis rules refer to its ten case studies by id
        p.error(f"sizes must be at least {len(corpus.REPORT_CASE_IDS)} and --repeat at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    global SNAP, WAIT_IDLE
    args = parse_args(argv)
    WAIT_IDLE = args.wait_idle
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        before = argparse.Namespace(**saved["args"])
        before.repeats = {int(k): v for k, v in before.repeats.items()}
        write_results(Path(args.out), render_block(saved["results"], saved["machine"], before))
        print(f"Results written to {args.out}")
        return 0

    def say(msg: str) -> None:
        print(msg, flush=True)

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        SNAP = take_snapshot(work / "snapshot", args.source)
        info = machine(args.source)
        say(
            f"Benchmark in {work} on {info['cpu']} ({info['cores']} cores), Python {info['python']}; "
            f"building {info['source_label']}"
        )
        for n in args.sizes:
            results.append(bench_size(n, work, args, say))
            print_summary(results[-1], say)
    finally:
        if not args.keep:
            shutil.rmtree(work / "snapshot" if args.workdir else work, ignore_errors=True)
    write_results(Path(args.out), render_block(results, info, args))
    if args.json:
        saved = {"machine": info, "results": results, "args": _args_record(args)}
        Path(args.json).write_text(json.dumps(saved, indent=1), encoding="utf-8")
    say(f"\nResults written to {args.out}")
    return 0
