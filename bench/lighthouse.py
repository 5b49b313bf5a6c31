"""Phone speed of a built site: Lighthouse (mobile profile, simulated throttling) over the pages
issue 17 names, served with gzip from this machine, scores written into docs/benchmarks.md.

    ./run build                                             # or any built site/
    .venv/bin/python -m bench.lighthouse                    # label "current", 3 runs a page
    .venv/bin/python -m bench.lighthouse --label before --runs 1 --site /tmp/site-before

The npm `lighthouse` package is installed by this script into build/lighthouse/ (npm registry; it
needs `node` and `npm`, Debian: `apt-get install nodejs npm`) and drives Debian's Chromium
(CHROME_PATH, default /usr/bin/chromium). The site is served by a small Python server on a free
loopback port that gzips text files, as a real host would. Each page is measured --runs times and
the median of each figure is reported. Results go between the lighthouse markers in the output file,
one table per --label (a run replaces the table of its own label and keeps the others); text outside
the markers is kept. It is a measurement, not a gate: it never fails on a low score.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import gzip
import http.server
import json
import logging
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "lighthouse@13"
PREFIX = REPO / "build" / "lighthouse"
BEGIN = "<!-- lighthouse:start (written by `python -m bench.lighthouse`; edit outside these markers) -->"
END = "<!-- lighthouse:end -->"
# (label, path): the pages of issue 17. A fragment opens the page scrolled to that chart, so the
# chart is in view from the first paint (the hardest case for a lazily drawn chart).
PAGES = (
    ("home", ""),
    ("case study (Highlands)", "cases/highlands/"),
    ("cases list", "cases/"),
    ("cross-case timeline", "cases/#compare"),
    ("lifecycle", "lifecycle/"),
    ("phase (mobilisation)", "lifecycle/mobilisation/"),
    ("evidence map", "factors/#matrix"),
    ("self-diagnosis", "toolkit/self-diagnosis/"),
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".map")
log = logging.getLogger("bench.lighthouse")


# --- a static server that gzips ----------------------------------------------------------------------


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as SimpleHTTPRequestHandler does, gzipped (level 6) when the client accepts it
    and the file is text; compressed bodies are kept in memory for the run."""

    cache: dict[tuple[str, float], bytes] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not wants or not path.endswith(COMPRESSIBLE) or not os.path.isfile(path):
            return super().send_head()
        if os.path.isdir(self.translate_path(self.path)) and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # let the base class redirect to the slash form
        key = (path, os.path.getmtime(path))
        if key not in self.cache:
            self.cache[key] = gzip.compress(Path(path).read_bytes(), compresslevel=6)
        body = self.cache[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        import io

        return io.BytesIO(body)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` gzipped on a free loopback port; yields the base URL."""
    handler = functools.partial(GzipHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --- Lighthouse -----------------------------------------------------------------------------------------


def install(prefix: Path) -> Path:
    """The lighthouse CLI, installed with npm into `prefix` unless it is there already."""
    cli = prefix / "node_modules" / ".bin" / "lighthouse"
    if cli.exists():
        return cli
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed. Install Node.js and npm (Debian: apt-get install -y nodejs npm).")
    prefix.mkdir(parents=True, exist_ok=True)
    log.info("installing %s into %s", LIGHTHOUSE, prefix)
    subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--loglevel=error", LIGHTHOUSE],
        check=True,
    )
    return cli


def run_lighthouse(cli: Path, url: str, chrome: str, out: Path, cpu: float | None = None) -> dict[str, Any]:
    """One Lighthouse run (mobile form factor and simulated throttling, its defaults; `cpu`: a CPU
    slowdown multiplier instead of Lighthouse's 4x); its report."""
    env = {**os.environ, "CHROME_PATH": chrome}
    cmd = [
        str(cli),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if cpu is not None:
        cmd.append(f"--throttling.cpuSlowdownMultiplier={cpu:.2f}")
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, timeout=600)
    return json.loads(out.read_text(encoding="utf-8"))


def calibrated_multiplier(benchmark_index: float) -> float:
    """The CPU slowdown multiplier that makes this host emulate Lighthouse's target phone, from its
    benchmark index: the piecewise-linear mapping of the Lighthouse team's CPU throttling calculator
    (linked from Lighthouse's docs/throttling.md, "CPU throttling": 4x is meant for a host of index
    about 1,533; 3x at 1,300, 2x at 800, 1x at 150). Lighthouse itself warns, with its default 4x,
    when the index is under 1,000 ("the tested device appears to have a slower CPU than Lighthouse
    expects")."""
    if benchmark_index >= 1300:
        return 3 + (benchmark_index - 1300) / 233
    if benchmark_index >= 800:
        return 2 + (benchmark_index - 800) / 500
    return max(1.0, 1 + (benchmark_index - 150) / 650)


def calibrate(cli: Path, base: str, chrome: str, runs: int = 3) -> tuple[float, list[float]]:
    """(multiplier, the benchmark indexes it came from): Lighthouse run `runs` times on the home page
    (reports discarded), the median of their benchmark indexes mapped by calibrated_multiplier."""
    seen: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            report = run_lighthouse(cli, base, chrome, Path(tmp) / f"c{i}.json")
            seen.append(report.get("environment", {}).get("benchmarkIndex") or 0)
    multiplier = calibrated_multiplier(statistics.median(seen))
    log.info("calibration: benchmark index %s, CPU slowdown multiplier %.2f", seen, multiplier)
    return multiplier, seen


def figures(report: dict[str, Any]) -> dict[str, float]:
    """The figures the table shows, from one Lighthouse report."""
    audits = report["audits"]
    out: dict[str, float] = {cat: round((report["categories"][cat]["score"] or 0) * 100) for cat in CATEGORIES}
    out["bi"] = report.get("environment", {}).get("benchmarkIndex") or 0
    for key, audit in (
        ("fcp", "first-contentful-paint"),
        ("lcp", "largest-contentful-paint"),
        ("tbt", "total-blocking-time"),
        ("cls", "cumulative-layout-shift"),
        ("si", "speed-index"),
        ("bytes", "total-byte-weight"),
    ):
        out[key] = audits[audit]["numericValue"]
    return out


def measure(
    cli: Path, base: str, pages: list[tuple[str, str]], runs: int, chrome: str, cpu: float | None = None
) -> dict[str, Any]:
    results: dict[str, Any] = {"pages": [], "lighthouse": "", "benchmark_index": [], "warnings": set()}
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in pages:
            reports = []
            for i in range(runs):
                report = run_lighthouse(cli, base + path, chrome, Path(tmp) / f"r{i}.json", cpu)
                reports.append(figures(report))
                results["warnings"].update(w.split(". ")[0] for w in report.get("runWarnings", []))
                results["lighthouse"] = report.get("lighthouseVersion", "")
                results["chromium"] = report.get("environment", {}).get("hostUserAgent", "")
                bi = report.get("environment", {}).get("benchmarkIndex")
                if bi:
                    results["benchmark_index"].append(bi)
                log.info("%s run %d: %s", label, i + 1, reports[-1])
            median = {k: statistics.median(r[k] for r in reports) for k in reports[0]}
            spread = (min(r["performance"] for r in reports), max(r["performance"] for r in reports))
            results["pages"].append({"label": label, "path": path, "median": median, "perf_range": spread})
    return results


# --- docs/benchmarks.md ---------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    def first(path: str, field: str) -> str:
        with contextlib.suppress(OSError):
            for line in Path(path).read_text(encoding="utf-8").splitlines():
                if line.startswith(field):
                    return line.split(":", 1)[1].strip()
        return ""

    def output(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO).stdout.strip()
        except OSError:
            return "unknown"

    mem = first("/proc/meminfo", "MemTotal")
    return {
        "cpu": first("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": str(os.cpu_count()),
        "ram": f"{int(mem.split()[0]) / 1024**2:.1f} GB" if mem else "unknown",
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "node": output("node", "--version"),
        "commit": output("git", "rev-parse", "--short", "HEAD"),
        "platform": platform.platform(),
    }


def table(label: str, results: dict[str, Any], info: dict[str, str], runs: int, site: str, cpu: str = "") -> str:
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    bi = results["benchmark_index"]
    warned = "; ".join(sorted(results.get("warnings", ()))) or "none"
    lines = [
        f"<!-- lighthouse:run {label} -->",
        f"### {label} ({date})",
        "",
        f"Lighthouse {results['lighthouse']}, mobile profile (simulated throttling), {results.get('chromium', '')}; "
        f"site `{site}` served gzipped from 127.0.0.1. Median of {runs} run(s) a page. Machine: {info['cpu']}, "
        f"{info['cores']} cores, {info['ram']} RAM, {info['platform']}, node {info['node']}, load average "
        f"{info['load']} at the end, Lighthouse benchmark index "
        f"{(str(round(min(bi))) + '-' + str(round(max(bi)))) if bi else 'unknown'}; commit {info['commit']}.",
        "",
        f"CPU slowdown: {cpu or 'Lighthouse default (4x)'}. Lighthouse's warnings: {warned}.",
        "",
        "| page | performance (range) | TBT | LCP | FCP | CLS | weight | accessibility | best practices | SEO "
        "| benchmark index |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in results["pages"]:
        m = p["median"]
        lo, hi = p["perf_range"]
        rng = f" ({lo}-{hi})" if lo != hi else ""
        lines.append(
            f"| {p['label']} (`{p['path'] or '/'}`) | {m['performance']:.0f}{rng} | {m['tbt']:,.0f} ms | "
            f"{m['lcp'] / 1000:.1f} s | {m['fcp'] / 1000:.1f} s | {m['cls']:.3f} | {m['bytes'] / 1024:,.0f} KiB | "
            f"{m['accessibility']:.0f} | {m['best-practices']:.0f} | {m['seo']:.0f} | {m['bi']:.0f} |"
        )
    lines.append("")
    return "\n".join(lines)


def write(out: Path, label: str, block: str) -> None:
    """Put `block` between the markers of `out`, replacing an earlier table with the same label."""
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    if BEGIN not in text:
        text = text.rstrip("\n") + f"\n\n## Phone speed (Lighthouse)\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    body, tail = rest.split(END, 1)
    runs = re.split(r"(?=<!-- lighthouse:run )", body.strip("\n"))
    kept = [r.strip("\n") for r in runs if r.strip() and not r.startswith(f"<!-- lighthouse:run {label} -->")]
    blocks = [*kept, block.strip("\n")]
    out.write_text(head + BEGIN + "\n" + "\n\n".join(blocks) + "\n" + END + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=REPO / "site", help="a built site folder (default site/)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs a page; the median is reported")
    parser.add_argument("--label", default="current", help="names this run's table (e.g. before, after)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--only", help="comma-separated page paths to measure instead of all")
    parser.add_argument("--prefix", type=Path, default=PREFIX, help="where npm installs lighthouse")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument(
        "--cpu",
        default="default",
        help="CPU slowdown: 'default' (Lighthouse's 4x, meant for a host of benchmark index about 1,533), "
        "'calibrate' (measured on this host first, see calibrated_multiplier), or a number",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if not (args.site / "index.html").is_file():
        raise SystemExit(f"{args.site}: no built site here (index.html missing). Run ./run build first.")
    pages = list(PAGES)
    if args.only:
        wanted = args.only.split(",")
        pages = [p for p in PAGES if p[1] in wanted] or [(w, w) for w in wanted]
    cli = install(args.prefix)
    with serve(args.site) as base:
        cpu: float | None = None
        how = ""
        if args.cpu == "calibrate":
            cpu, seen = calibrate(cli, base, args.chrome)
            how = (
                f"{cpu:.2f}x, calibrated to this host (benchmark index {', '.join(f'{b:.0f}' for b in seen)} in three "
                "calibration runs on the home page, median mapped by the Lighthouse team's CPU throttling calculator)"
            )
        elif args.cpu != "default":
            cpu = float(args.cpu)
            how = f"{cpu:.2f}x, set by hand"
        results = measure(cli, base, pages, args.runs, args.chrome, cpu)
    block = table(args.label, results, machine(), args.runs, str(args.site), how)
    print(block)
    write(args.out, args.label, block)
    log.info("written to %s", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
