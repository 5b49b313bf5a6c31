"""Search, listing pages and build time at scale (issue 14 point 6), on the calibrated corpus.

    python -m bench.search --sizes 10,100,1000 [--workdir DIR] [--query leadership]

For each N: a throwaway project with N synthetic cases (bench/corpus.py), built cold with
`handbook build` (generator + MkDocs + Pagefind), then the same generated Markdown with plain
`mkdocs build`, each in a process of its own and timed from outside it as bench.run times them (no search index at all: the handbook's mkdocs.yml switches Material's search off,
so the comparison counts all of Pagefind's indexing on our side). Then, in headless Chromium at
phone width over a local server (no compression, so transfers are bytes as stored): what a case
page fetches from the search bundle when it loads, and what the first query fetches in all
(script, WASM, index chunks, fragments) and how long until its results show. Prints a Markdown
table; writes nothing else.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from bench import corpus
from bench.run import worker

REPO = corpus.REPO
LISTINGS = ("index.html", "cases/index.html", "factors/index.html")
KB = 1024


def listing_pages(site: Path) -> list[Path]:
    """The home page, the cases and factors lists, every factor page and every phase page."""
    pages = [site / p for p in LISTINGS]
    pages += sorted((site / "factors").glob("*/index.html"))
    pages += sorted((site / "lifecycle").glob("*/index.html")) + [site / "lifecycle" / "index.html"]
    return [p for p in pages if p.is_file()]


def build(project: Path) -> dict[str, Any]:
    """A cold `handbook build` in a process of its own (bench.worker, as bench.run times it): the wall
    time from outside, the interpreter's start and the imports counted, and the build's stages."""
    for name in ("build", "site"):
        shutil.rmtree(project / name, ignore_errors=True)
    out = worker("build", str(project))
    timings = out["timings"]
    return {
        "wall": out["wall"],
        "search_index": timings.get("search_index", 0.0),
        "search_wait": timings.get("search_wait", 0.0),
        "stages": ", ".join(f"{name} {seconds:.2f}" for name, seconds in timings.items()),
    }


def plain_mkdocs(project: Path) -> float:
    """Plain `mkdocs build --strict` of the same Markdown, timed the same way (bench.worker)."""
    out = Path(tempfile.mkdtemp(prefix="plain-", dir=project))
    try:
        return float(worker("mkdocs", str(project), str(out))["wall"])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _load(path: Path) -> ModuleType:
    """A module of tests/ by its path (tests/ is on pytest's path, not on the benchmark's)."""
    spec = importlib.util.spec_from_file_location(f"_bench_{path.stem}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def browser_figures(site: Path, case_id: str, query: str) -> dict[str, Any]:
    helpers = _load(REPO / "tests" / "browser.py")  # Chromium and a loopback server, shared with the tests
    browser, serve = helpers.browser, helpers.serve

    with serve(site) as base, browser() as b:
        context = b.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        sizes: list[tuple[str, int, float]] = []

        def done(request: Any) -> None:
            try:
                body = request.sizes()["responseBodySize"]
            except Exception:  # noqa: BLE001 - a request without a response counts nothing
                body = 0
            sizes.append((request.url, body, time.perf_counter()))

        page.on("requestfinished", done)
        page.goto(base + f"cases/{case_id}/")
        page.wait_for_load_state("networkidle")
        on_load = sum(s for url, s, _ in sizes if "/pagefind/" in url)
        load_requests = len(sizes)
        page.click("label.md-header__button[for='__search']")
        started = time.perf_counter()
        page.keyboard.type(query)
        page.wait_for_selector(".md-search-result__item", timeout=60000)
        shown = time.perf_counter() - started
        page.wait_for_load_state("networkidle")
        first = sizes[load_requests:]
        context.close()
    return {
        "search_on_load": on_load,
        "first_query_bytes": sum(s for _, s, _ in first),
        "first_query_requests": len(first),
        "results_seconds": shown,
    }


def measure(n: int, work: Path, query: str, log: Any) -> dict[str, Any]:
    project = corpus.make_project(work / f"n{n}", n)
    log(f"N = {n}: building")
    built = build(project)
    log(
        f"N = {n}: handbook build {built['wall']:.1f} s (Pagefind {built['search_index']:.1f} s, "
        f"waited for {built['search_wait']:.1f} s after MkDocs; stages: {built['stages']}); plain mkdocs"
    )
    plain = plain_mkdocs(project)
    site = project / "site"
    listings = listing_pages(site)
    largest = max(listings, key=lambda p: p.stat().st_size)
    cases = sorted((site / "cases").glob("*/index.html"))
    raw = [p.stat().st_size for p in cases]
    gz = [len(gzip.compress(p.read_bytes(), 6)) for p in cases[:300]]
    bundle = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    log(f"N = {n}: Chromium")
    figures = browser_figures(site, corpus.case_ids(n)[0], query)
    return {
        "n": n,
        "build": built["wall"],
        "search_index": built["search_index"],
        "search_wait": built["search_wait"],
        "plain_mkdocs": plain,
        "largest_listing": (largest.relative_to(site).as_posix(), largest.stat().st_size),
        "listings_over_150k": sum(1 for p in listings if p.stat().st_size > 150 * KB),
        "listings": len(listings),
        "case_raw_mean": statistics.mean(raw),
        "case_raw_max": max(raw),
        "case_gz_mean": statistics.mean(gz),
        "bundle": bundle,
        **figures,
    }


def table(results: list[dict[str, Any]], query: str) -> str:
    def kb(b: float) -> str:
        return f"{b / KB:,.0f} KB"

    rows = [
        ("Search data fetched on page load (a case page)", lambda r: kb(r["search_on_load"])),
        (
            f"First query ({query!r}): transfer in all",
            lambda r: f"{kb(r['first_query_bytes'])} in {r['first_query_requests']} requests",
        ),
        ("First query: results shown after typing", lambda r: f"{r['results_seconds']:.2f} s"),
        ("Pagefind bundle on disk (index, fragments, scripts, WASM)", lambda r: kb(r["bundle"])),
        (
            "Time to index (Pagefind, started once MkDocs has converted every page)",
            lambda r: f"{r['search_index']:.1f} s",
        ),
        ("… of which the build waited for it after MkDocs", lambda r: f"{r['search_wait']:.1f} s"),
        ("Largest listing page (HTML)", lambda r: f"{kb(r['largest_listing'][1])} (`{r['largest_listing'][0]}`)"),
        ("Listing pages over 150 KB", lambda r: f"{r['listings_over_150k']} of {r['listings']}"),
        ("Case page HTML, mean raw (gzipped)", lambda r: f"{kb(r['case_raw_mean'])} ({kb(r['case_gz_mean'])})"),
        ("Case page HTML, largest raw", lambda r: kb(r["case_raw_max"])),
        ("Cold `handbook build` (generator + MkDocs + Pagefind)", lambda r: f"{r['build']:.1f} s"),
        ("Plain `mkdocs build` of the same Markdown, no search", lambda r: f"{r['plain_mkdocs']:.1f} s"),
        ("Ratio (target ≤ 1.5×)", lambda r: f"{r['build'] / r['plain_mkdocs']:.2f}×"),
    ]
    head = "| Measure | " + " | ".join(f"N = {r['n']:,}" for r in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]
    lines += [f"| {label} | " + " | ".join(fn(r) for r in results) + " |" for label, fn in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10,100", help="corpus sizes, comma-separated (default 10,100)")
    p.add_argument("--query", default="leadership")
    p.add_argument("--workdir", default=None)
    p.add_argument("--calibration", action="store_true", help="also print the real-against-synthetic table")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="handbook-search-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    results = [measure(int(n), work, args.query, log) for n in args.sizes.split(",")]
    print(table(results, args.query))
    if args.calibration:
        biggest = work / f"n{results[-1]['n']}"
        print()
        print(corpus.calibration_table(corpus.real_profiles(), corpus.synthetic_profiles(biggest)))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
