"""The build benchmark: synthetic corpora of N case studies, each built cold, warm after an edit,
warm with no change, and compared with a plain MkDocs build of the same Markdown.

    .venv/bin/python -m bench                          # N = 10, 100, 1000; writes docs/benchmarks.md
    .venv/bin/python -m bench --sizes 10,100 --out /tmp/b.md --profile 0

Every build runs in a fresh project folder under a temporary directory, in a subprocess of its own
(bench/worker.py), so peak memory is per process. Results go between the markers in the output file;
text outside the markers (the analysis) is kept.
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
from pathlib import Path
from typing import Any

from bench import corpus

REPO = corpus.REPO
SNAPSHOT = ("generator", "site_templates", "content", "toolkit", "mkdocs.yml")
BEGIN = "<!-- bench:results:begin (written by `python -m bench`; edit outside these markers) -->"
END = "<!-- bench:results:end -->"
STAGES = ("check", "charts", "render", "write")
PACKAGES = ("mkdocs", "mkdocs-material", "bokeh", "pydantic", "jinja2", "pyyaml", "markdown", "pymdown-extensions")
KB, MB = 1024, 1024 * 1024

# Targets, evaluated at every size; the issue sets them for N = 1000.
TARGETS = (
    ("cold", "Cold full build ≤ 1.5× plain MkDocs", 1.5, "x"),
    ("edit_generator", "Warm, one case edited: generator step < 1 s", 1.0, "s"),
    ("edit_ratio", "Warm, one case edited: whole build < 1.2× no-change rebuild", 1.2, "x"),
    ("nochange_written", "Warm, no change: generator writes no files", 0, "files"),
    ("memory", "Peak memory < 1 GB (generator + MkDocs processes)", 1024, "MB"),
    ("case_html", "Case page HTML < 60 KB (largest case page)", 60, "KB"),
    ("search_index", "Search index < 10 MB", 10, "MB"),
)


# --- running ------------------------------------------------------------------------------------------


def take_snapshot(dest: Path, source: str) -> Path:
    """Copy the generator, templates, content and MkDocs configuration once, from the working tree or
    from a git revision (`git archive`, read-only), so that every build of a run uses the same code
    even while the repository is being edited."""
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


def _env(snapshot: Path) -> dict[str, str]:
    # the snapshot's generator first; bench itself from the repository
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": f"{snapshot}{os.pathsep}{REPO}"}
    # as on an author's machine: bytecode caches are written and reused; no site URL or serve mode
    for name in ("HANDBOOK_SITE_URL", "HANDBOOK_SERVE", "SOURCE_DATE_EPOCH", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


SNAP: Path = REPO  # set by main() to the run's snapshot


def worker(*args: str) -> dict[str, Any]:
    """Run bench.worker in its own process; its JSON plus the wall time seen from outside."""
    load = _loadavg()
    mark = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.worker", *args], cwd=SNAP, capture_output=True, text=True, env=_env(SNAP)
    )
    wall = time.perf_counter() - mark
    if proc.returncode != 0:
        raise RuntimeError(f"bench.worker {' '.join(args)} failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall"] = wall
    out["load_before"] = load
    out["cpu"] = out["cpu_self"] + out["cpu_children"]
    return out


def _loadavg() -> float:
    """The one-minute load average: other work on the machine slows the builds down."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return -1.0


def handbook_check(project: Path) -> dict[str, Any]:
    mark = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "check"],
        cwd=SNAP,
        capture_output=True,
        text=True,
        env=_env(SNAP),
    )
    return {
        "ok": proc.returncode == 0,
        "wall": time.perf_counter() - mark,
        "message": (proc.stdout + proc.stderr).strip()[-2000:],
    }


def clean(project: Path) -> None:
    for name in ("build", "site"):
        shutil.rmtree(project / name, ignore_errors=True)


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(runs, key=lambda r: r["wall"])
    return ordered[(len(ordered) - 1) // 2]


def bench_size(n: int, work: Path, args: argparse.Namespace, say: Any) -> dict[str, Any]:
    project = work / f"n{n}" / "project"
    mark = time.perf_counter()
    corpus.make_project(project, n, args.seed, source=SNAP)
    result: dict[str, Any] = {"n": n, "corpus": {**corpus.corpus_stats(project), "seconds": time.perf_counter() - mark}}
    say(f"N={n}: corpus of {n} cases, {result['corpus']['words_mean']:.0f} words per case on average")

    result["check"] = handbook_check(project)
    say(f"N={n}: handbook check {'passed' if result['check']['ok'] else 'FAILED'} in {result['check']['wall']:.1f} s")
    if not result["check"]["ok"]:
        raise RuntimeError(f"the synthetic corpus fails `handbook check`:\n{result['check']['message']}")

    ids = corpus.case_ids(n, args.seed)
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in ("cold", "nochange", "edit", "edit_timeline", "peer")}
    for _ in range(args.repeat):
        clean(project)  # empty build/ (and the chart cache in it) and site/
        runs["cold"].append(worker("build", str(project)))
        say(f"N={n}: cold build {runs['cold'][-1]['wall']:.1f} s")
    result["site"] = site_metrics(project / "site", ids)
    for _ in range(args.repeat):
        runs["nochange"].append(worker("build", str(project)))
        say(
            f"N={n}: warm, no change {runs['nochange'][-1]['wall']:.1f} s, {len(runs['nochange'][-1]['written'])} written"
        )
    for r in range(args.repeat):
        corpus.edit_case(project, ids[(n // 2 + r) % n], "context_and_need")
        runs["edit"].append(worker("build", str(project)))
        say(
            f"N={n}: warm, one case edited {runs['edit'][-1]['wall']:.1f} s, {len(runs['edit'][-1]['written'])} written"
        )
    for r in range(args.repeat):
        corpus.edit_case(project, ids[(n // 3 + r) % n], "timeline")
        runs["edit_timeline"].append(worker("build", str(project)))
        say(f"N={n}: warm, one timeline event edited {runs['edit_timeline'][-1]['wall']:.1f} s")
    for r in range(args.repeat):
        out = work / f"n{n}" / f"peer-site-{r}"
        runs["peer"].append(worker("mkdocs", str(project), str(out)))
        shutil.rmtree(out, ignore_errors=True)
        say(f"N={n}: plain mkdocs build {runs['peer'][-1]['wall']:.1f} s")
    result["runs"] = {k: median_run(v) for k, v in runs.items()}
    result["repeats"] = {k: [round(r["wall"], 2) for r in v] for k, v in runs.items()}

    if n in args.profile:
        clean(project)
        cold = worker("profile", str(project))
        say(f"N={n}: profiled cold generator {cold['wall']:.1f} s")
        corpus.edit_case(project, ids[n // 2], "context_and_need")
        warm = worker("profile", str(project))
        say(f"N={n}: profiled warm generator (one case edited) {warm['wall']:.1f} s")
        result["profile"] = {"cold": cold, "warm": warm}
    if not args.keep:
        shutil.rmtree(work / f"n{n}", ignore_errors=True)
    return result


# --- measuring the site -------------------------------------------------------------------------------

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"']+)["']""", re.I)
_ITEM = re.compile(r'data-bokeh-item="([^"]*)"')


def page_scripts(page: Path, site: Path) -> dict[str, int]:
    """The JavaScript a page loads beyond BokehJS: its script files (by role), inline scripts and
    the chart JSON in data-bokeh-item attributes (bytes once the attribute is unescaped)."""
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
    for item in _ITEM.findall(text):
        out["chart_json"] += len(html.unescape(item).encode("utf-8"))
        out["charts"] += 1
    out["total"] = sum(v for k, v in out.items() if k != "charts")
    return out


def site_metrics(site: Path, case_ids: list[str]) -> dict[str, Any]:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    case_pages = [site / "cases" / cid / "index.html" for cid in case_ids]
    missing = [p for p in case_pages if not p.is_file()]
    if missing:
        raise RuntimeError(f"{len(missing)} case pages missing from the site, e.g. {missing[0]}")
    sizes = [p.stat().st_size for p in case_pages]
    gz = [len(gzip.compress(p.read_bytes(), 6)) for p in case_pages[:200]]
    scripts = [page_scripts(p, site) for p in case_pages]
    totals = [s["total"] for s in scripts]
    median_page = sorted(zip(totals, range(len(scripts)), strict=True))[len(scripts) // 2][1]
    index = site / "search" / "search_index.json"
    search = json.loads(index.read_text(encoding="utf-8"))
    largest = sorted(pages, key=lambda p: -p.stat().st_size)[:5]
    return {
        "bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        "html_pages": len(pages),
        "html_bytes": sum(p.stat().st_size for p in pages),
        "search_index_bytes": index.stat().st_size,
        "search_index_gzip_bytes": len(gzip.compress(index.read_bytes(), 6)),
        "search_entries": len(search.get("docs", [])),
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


# --- machine ------------------------------------------------------------------------------------------


def machine(source: str = "worktree") -> dict[str, Any]:
    import importlib.metadata

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    rev = "HEAD" if source == "worktree" else source
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, capture_output=True, text=True)
    label = f"git revision {source} ({commit.stdout.strip()})"
    if source == "worktree":
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *SNAPSHOT], cwd=REPO, capture_output=True, text=True
        ).stdout.splitlines()
        label = f"the working tree at commit {commit.stdout.strip() or 'unknown'}" + (
            f" with {len(dirty)} uncommitted changes in {', '.join(SNAPSHOT)}" if dirty else ""
        )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_bytes": ram,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit.stdout.strip() or "unknown",
        "source_label": label,
    }


# --- targets ------------------------------------------------------------------------------------------


def gen_seconds(run: dict[str, Any]) -> float:
    return sum(run["timings"].get(s, 0.0) for s in STAGES)


def measures(res: dict[str, Any]) -> dict[str, float]:
    r, s = res["runs"], res["site"]
    return {
        "cold": r["cold"]["wall"] / r["peer"]["wall"],
        "edit_generator": gen_seconds(r["edit"]),
        "edit_ratio": r["edit"]["wall"] / r["nochange"]["wall"],
        "nochange_written": len(r["nochange"]["written"]) + len(r["nochange"]["removed"]),
        "memory": (r["cold"]["rss_self_kb"] + r["cold"]["rss_children_kb"]) / KB,
        "case_html": s["case_html_max"] / KB,
        "search_index": s["search_index_bytes"] / MB,
    }


def verdict(key: str, value: float, limit: float) -> tuple[bool, str]:
    if key == "nochange_written":
        ok = value == 0
        return ok, "holds" if ok else f"fails: {value:.0f} files written"
    strict = key in ("edit_generator", "edit_ratio", "memory", "case_html", "search_index")
    ok = value < limit if strict else value <= limit
    if ok:
        return True, f"holds ({(1 - value / limit) * 100:.0f}% headroom)"
    return False, f"fails by {value / limit:.1f}× ({value - limit:+.2f} over)" if key != "memory" else (
        f"fails by {value / limit:.1f}×"
    )


def fmt_measure(key: str, value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "files":
        return f"{value:.0f}"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB" and key == "memory":
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


def _stages(run: dict[str, Any]) -> str:
    t = run["timings"]
    return " + ".join(f"{s} {_s(t.get(s, 0.0))}" for s in STAGES)


def why_lines(res: dict[str, Any]) -> list[str]:
    """Where the time goes, in words, from the stage timings."""
    r = res["runs"]
    cold, peer, edit, same, tl = r["cold"], r["peer"], r["edit"], r["nochange"], r["edit_timeline"]
    t = cold["timings"]
    over = cold["wall"] - peer["wall"]
    gen = gen_seconds(cold)
    lines = [
        f"Cold build {_s(cold['wall'])} s against plain MkDocs {_s(peer['wall'])} s: {_s(over)} s more. "
        f"The generator stages take {_s(gen)} s ({_stages(cold)}), Python start-up and imports "
        f"{_s(t.get('import', 0.0))} s, and the MkDocs stage inside the build {_s(t.get('mkdocs', 0.0))} s "
        f"(the plain run: {_s(peer['timings']['mkdocs'])} s). "
        f"Charts are {t.get('charts', 0.0) / max(gen, 1e-9) * 100:.0f}% of the generator's time.",
        f"Warm, one case edited: generator {_s(gen_seconds(edit))} s ({_stages(edit)}); MkDocs "
        f"{_s(edit['timings'].get('mkdocs', 0.0))} s rebuilds all {res['site']['html_pages']} pages, since MkDocs "
        f"has no incremental build. {len(edit['written'])} files written: "
        f"{', '.join(edit['written'][:6])}{' …' if len(edit['written']) > 6 else ''}.",
        f"Warm, no change: generator {_s(gen_seconds(same))} s ({_stages(same)}), all spent re-reading, "
        f"re-validating and re-rendering everything to find that nothing changed; MkDocs "
        f"{_s(same['timings'].get('mkdocs', 0.0))} s.",
        f"Warm, one timeline event edited: charts {_s(tl['timings'].get('charts', 0.0))} s (that case's timeline, "
        f"the cross-case timeline and anything else whose data holds the event are rebuilt), "
        f"generator {_s(gen_seconds(tl))} s, whole build {_s(tl['wall'])} s.",
    ]
    return lines


def render_block(results: list[dict[str, Any]], info: dict[str, Any], args: argparse.Namespace) -> str:
    sizes = [res["n"] for res in results]
    head = "| | " + " | ".join(f"N = {n}" for n in sizes) + " |\n|---|" + "---:|" * len(sizes) + "\n"

    def row(label: str, fn: Any) -> str:
        return f"| {label} | " + " | ".join(fn(res) for res in results) + " |\n"

    def run(res: dict[str, Any], name: str) -> dict[str, Any]:
        return res["runs"][name]

    out = [BEGIN, ""]
    out.append(f"## Results ({info['date']})\n")
    out.append(
        f"Command: `.venv/bin/python -m bench --sizes {','.join(map(str, sizes))} --seed {args.seed} "
        f"--repeat {args.repeat} --profile {','.join(map(str, args.profile)) or 0}"
        f"{' --source ' + args.source if args.source != 'worktree' else ''}`. "
        f"{'Each timing is the median of ' + str(args.repeat) + ' runs. ' if args.repeat > 1 else 'One run of each. '}"
        "Times are wall-clock seconds of the whole process (Python start-up included) unless a stage is named; "
        "stage times come from `BuildResult.timings`.\n"
    )
    out.append("### Machine\n")
    ram = info["ram_bytes"] / (1024**3)
    pk = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    out.append(
        f"- CPU: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), {ram:.1f} GB RAM\n"
        f"- Python {info['python']} on {info['platform']}\n- Packages: {pk}\n"
        f"- Generator, templates and content: {info['source_label']}; date {info['date']}\n"
    )

    big = results[-1]
    out.append(f"### Targets (N = {big['n']})\n")
    out.append("| Target | " + " | ".join(f"N = {n}" for n in sizes) + f" | Verdict at N = {big['n']} |\n")
    out.append("|---|" + "---:|" * len(sizes) + "---|\n")
    for key, label, limit, unit in TARGETS:
        values = [measures(res)[key] for res in results]
        _, text = verdict(key, values[-1], limit)
        out.append(f"| {label} | " + " | ".join(fmt_measure(key, v, unit) for v in values) + f" | {text} |\n")
    out.append("")
    out.append(f"Why, from the stage timings at N = {big['n']}:\n")
    out.extend(f"- {line}" for line in why_lines(big))
    out.append("")

    out.append("### Summary\n")
    table = head
    table += row(
        "Case studies (words per case, mean)", lambda r: f"{r['corpus']['cases']} ({r['corpus']['words_mean']:.0f})"
    )
    table += row("Records checked", lambda r: str(run(r, "cold")["records"]))
    table += row("`handbook check`, s", lambda r: _s(r["check"]["wall"]))
    table += row("**Cold** `handbook build`, s", lambda r: f"**{_s(run(r, 'cold')['wall'])}**")
    table += row("  generator stages (check+charts+render+write), s", lambda r: _s(gen_seconds(run(r, "cold"))))
    table += row("  MkDocs stage, s", lambda r: _s(run(r, "cold")["timings"]["mkdocs"]))
    table += row("**Plain MkDocs** of the same Markdown, s", lambda r: f"**{_s(run(r, 'peer')['wall'])}**")
    table += row("Cold ÷ plain MkDocs", lambda r: f"{measures(r)['cold']:.2f}×")
    table += row("**Warm, one case edited**, s", lambda r: f"**{_s(run(r, 'edit')['wall'])}**")
    table += row("  generator stages, s", lambda r: _s(gen_seconds(run(r, "edit"))))
    table += row("  files written", lambda r: str(len(run(r, "edit")["written"])))
    table += row("Warm, one timeline event edited, s", lambda r: _s(run(r, "edit_timeline")["wall"]))
    table += row(
        "  generator stages (of which charts), s",
        lambda r: f"{_s(gen_seconds(run(r, 'edit_timeline')))} ({_s(run(r, 'edit_timeline')['timings']['charts'])})",
    )
    table += row("**Warm, no change**, s", lambda r: f"**{_s(run(r, 'nochange')['wall'])}**")
    table += row("  generator stages, s", lambda r: _s(gen_seconds(run(r, "nochange"))))
    table += row("  files written", lambda r: str(len(run(r, "nochange")["written"])))
    table += row("Edited ÷ no change", lambda r: f"{measures(r)['edit_ratio']:.2f}×")
    table += row("Peak RSS, generator process (cold)", lambda r: _b(run(r, "cold")["rss_self_kb"] * KB))
    table += row("Peak RSS, MkDocs subprocess (cold build)", lambda r: _b(run(r, "cold")["rss_children_kb"] * KB))
    table += row("Peak RSS, plain MkDocs", lambda r: _b(run(r, "peer")["rss_children_kb"] * KB))
    table += row("Site size (files)", lambda r: f"{_b(r['site']['bytes'])} ({r['site']['files']})")
    table += row("HTML pages", lambda r: str(r["site"]["html_pages"]))
    table += row(
        "search_index.json (gzip)",
        lambda r: f"{_b(r['site']['search_index_bytes'])} ({_b(r['site']['search_index_gzip_bytes'])})",
    )
    table += row("Search entries", lambda r: str(r["site"]["search_entries"]))
    table += row(
        "Case page HTML, mean / max", lambda r: f"{_b(r['site']['case_html_mean'])} / {_b(r['site']['case_html_max'])}"
    )
    table += row("Case page HTML gzip, mean", lambda r: _b(r["site"]["case_html_gzip_mean"]))
    table += row(
        "JS per case page beyond BokehJS, mean / max",
        lambda r: f"{_b(r['site']['case_js_mean'])} / {_b(r['site']['case_js_max'])}",
    )
    table += row(
        "  of which chart JSON, mean / max",
        lambda r: f"{_b(r['site']['case_chart_json_mean'])} / {_b(r['site']['case_chart_json_max'])}",
    )
    table += row(
        "Largest page", lambda r: f"{r['site']['largest_pages'][0][0]} ({_b(r['site']['largest_pages'][0][1])})"
    )
    out.append(table)

    for res in results:
        n = res["n"]
        out.append(f"### N = {n}: stages\n")
        out.append(
            "| Run | check | charts | render | write | generator | MkDocs | start-up + imports | total (wall) "
            "| written / removed / unchanged | peak RSS generator | peak RSS MkDocs |"
        )
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        labels = (
            ("cold", "Cold build"),
            ("edit", "Warm, one case edited"),
            ("edit_timeline", "Warm, one timeline event edited"),
            ("nochange", "Warm, no change"),
        )
        for key, label in labels:
            x = res["runs"][key]
            t = x["timings"]
            out.append(
                f"| {label} | "
                + " | ".join(_s(t.get(s, 0.0)) for s in STAGES)
                + f" | {_s(gen_seconds(x))} | {_s(t.get('mkdocs', 0.0))} | {_s(t.get('import', 0.0))} | {_s(x['wall'])} "
                f"| {len(x['written'])} / {len(x['removed'])} / {x['unchanged']} "
                f"| {_b(x['rss_self_kb'] * KB)} | {_b(x['rss_children_kb'] * KB)} |"
            )
        p = res["runs"]["peer"]
        out.append(
            f"| Plain `mkdocs build` | | | | | | {_s(p['timings']['mkdocs'])} | | {_s(p['wall'])} | | "
            f"| {_b(p['rss_children_kb'] * KB)} |"
        )
        if args.repeat > 1:
            out.append("")
            out.append("Wall times of every repeat: " + "; ".join(f"{k} {v}" for k, v in res["repeats"].items()) + ".")
        s = res["site"]
        m = s["case_js_median_page"]
        out.append("")
        out.append(
            f"Corpus: {res['corpus']['cases']} cases, {res['corpus']['words_min']}-{res['corpus']['words_max']} words "
            f"each (mean {res['corpus']['words_mean']:.0f}), {res['corpus']['events_min']}-{res['corpus']['events_max']} "
            f"timeline events, {res['corpus']['factor_uses_min']} factor uses, {_b(res['corpus']['yaml_bytes'])} of YAML. "
            f"Case page scripts beyond BokehJS (median page): Material bundle {_b(m['material'])}, assets/charts.js "
            f"{_b(m['charts_js'])}, other script files {_b(m['other_files'])}, inline {_b(m['inline'])}, chart JSON "
            f"{_b(m['chart_json'])} in {m['charts']} charts; total {_b(m['total'])}. Largest pages: "
            + ", ".join(f"{p} {_b(b)}" for p, b in s["largest_pages"])
            + "."
        )
        out.append("")
        if "profile" in res:
            out.extend(profile_tables(res))
    out.append(END)
    return "\n".join(out) + "\n"


def profile_tables(res: dict[str, Any]) -> list[str]:
    out = []
    for key, label in (("cold", "cold (empty build/ and chart cache)"), ("warm", "warm, one case edited")):
        prof = res["profile"][key]
        out.append(
            f"#### Profile: generator at N = {res['n']}, {label}\n\n"
            f"cProfile of `generate()` (no MkDocs), {_s(prof['wall'])} s under the profiler; stages "
            + ", ".join(f"{k} {_s(v)}" for k, v in prof["timings"].items())
            + ".\n"
        )
        out.append("| Where the time goes | calls | cumulative s |\n|---|---:|---:|")
        out.extend(f"| {a['area']} | {a['calls']} | {_s(a['cumtime'])} |" for a in prof["areas"])
        out.append("")
        out.append("Top functions by own time:\n\n| function | calls | own s | cumulative s |\n|---|---:|---:|---:|")
        out.extend(
            f"| `{r['where']}` | {r['calls']} | {_s(r['tottime'])} | {_s(r['cumtime'])} |"
            for r in prof["top_own_time"][:12]
        )
        out.append("")
    return out


def write_results(path: Path, block: str) -> None:
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            before, rest = text.split(BEGIN, 1)
            after = rest.split(END, 1)[1]
            path.write_text(before + block.rstrip("\n") + after, encoding="utf-8")
            return
        path.write_text(text.rstrip("\n") + "\n\n" + block, encoding="utf-8")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Build benchmarks\n\nRun with `.venv/bin/python -m bench` (see bench/run.py).\n\n" + block, encoding="utf-8"
    )


def print_summary(res: dict[str, Any], say: Any) -> None:
    r, s = res["runs"], res["site"]
    say(f"\nN = {res['n']}")
    for key, label in (
        ("cold", "cold"),
        ("edit", "warm, 1 edit"),
        ("edit_timeline", "warm, timeline"),
        ("nochange", "warm, no change"),
    ):
        x = r[key]
        say(
            f"  {label:16} {_stages(x)} | mkdocs {_s(x['timings'].get('mkdocs', 0))} | total {_s(x['wall'])} s | "
            f"written {len(x['written'])} | RSS gen {_b(x['rss_self_kb'] * KB)}, mkdocs {_b(x['rss_children_kb'] * KB)}"
        )
    say(f"  {'plain mkdocs':16} total {_s(r['peer']['wall'])} s | RSS {_b(r['peer']['rss_children_kb'] * KB)}")
    say(f"  cold / plain mkdocs {measures(res)['cold']:.2f}x; edit / no change {measures(res)['edit_ratio']:.2f}x")
    say(
        f"  site {_b(s['bytes'])}, search index {_b(s['search_index_bytes'])}, case page HTML mean "
        f"{_b(s['case_html_mean'])} max {_b(s['case_html_max'])}, JS beyond BokehJS mean {_b(s['case_js_mean'])}"
    )
    for key, label, limit, _unit in TARGETS:
        ok, text = verdict(key, measures(res)[key], limit)
        say(f"  [{'ok' if ok else 'FAIL'}] {label}: {text}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10,100,1000", help="corpus sizes, comma-separated (default 10,100,1000)")
    p.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    p.add_argument("--repeat", type=int, default=1, help="runs of each warm/cold/plain build; the median is kept")
    p.add_argument("--profile", default="100", help="sizes at which to cProfile the generator, or 0 for none")
    p.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"), help="results file (Markdown)")
    p.add_argument("--json", default=None, help="also write the raw results as JSON here")
    p.add_argument("--workdir", default=None, help="where the throwaway projects go (default: a temp folder)")
    p.add_argument("--keep", action="store_true", help="keep the throwaway projects")
    p.add_argument(
        "--source",
        default="worktree",
        help="where the generator, templates and content come from: 'worktree' (default) or a git revision",
    )
    args = p.parse_args(argv)
    args.sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    args.profile = [int(x) for x in args.profile.split(",") if x.strip() and int(x) > 0]
    if not args.sizes or min(args.sizes) < 1 or args.repeat < 1:
        p.error("sizes must be positive and --repeat at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def say(msg: str) -> None:
        print(msg, flush=True)

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    global SNAP
    SNAP = take_snapshot(work / "snapshot", args.source)
    info = machine(args.source)
    say(
        f"Benchmark in {work} on {info['cpu']} ({info['cores']} cores), Python {info['python']}; "
        f"code and content from {info['source_label']}"
    )
    results = []
    try:
        for n in args.sizes:
            results.append(bench_size(n, work, args, say))
            print_summary(results[-1], say)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    block = render_block(results, info, args)
    write_results(Path(args.out), block)
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "results": results}, indent=1), encoding="utf-8")
    say(f"\nResults written to {args.out}")
    return 0
