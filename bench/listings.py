"""Every listing page's HTML size at scale (issue 14 point 5), on the calibrated corpus.

    python -m bench.listings --n 1000 [--workdir DIR]

Builds a throwaway project with N synthetic cases (bench/corpus.py) with `handbook build`, then
prints a Markdown table of the size of each listing page (home, cases, factors, every factor page,
the lifecycle page and every phase page) against the 150 KB target, and the size of the data the
cross-case views load when a reader filters (assets/selection/). Lighter than bench.search: no plain
MkDocs build, no browser. Writes nothing but the throwaway project.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench import corpus
from bench.search import build, listing_pages
from generator.charts.plan import CASE_CAP

KB = 1024
TARGET = 150 * KB


def sizes(site: Path) -> list[tuple[str, int]]:
    return [(p.relative_to(site).as_posix(), p.stat().st_size) for p in listing_pages(site)]


def table(n: int, rows: list[tuple[str, int]], selection: list[Path], load: str) -> str:
    lines = [
        f"Listing pages at N = {n} (load average when measured: {load})",
        "",
        "| Page | HTML | Under 150 KB |",
        "|---|---:|---|",
    ]
    lines += [f"| `{name}` | {size / KB:.1f} KB | {'yes' if size < TARGET else 'NO'} |" for name, size in rows]
    per_case = [p.stat().st_size for p in selection if p.name.startswith("case-")]
    if per_case:
        lines += [
            "",
            f"Filter data (assets/selection/): {len(per_case)} case files, mean {sum(per_case) / len(per_case) / KB:.1f} KB, "
            f"largest {max(per_case) / KB:.1f} KB; at most {CASE_CAP} are loaded for one filter.",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1000, help="number of cases (default 1000)")
    p.add_argument("--workdir", type=Path, default=None, help="where to build (default: a temporary folder)")
    args = p.parse_args(argv)
    logging_quiet()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="listings-"))
    try:
        project = corpus.make_project(work / f"n{args.n}", args.n)
        build(project)
        site = project / "site"
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        rows = sizes(site)
        selection = sorted((site / "assets" / "selection").glob("*.js"))
        sys.stdout.write(table(args.n, rows, selection, load) + "\n")
        over = [name for name, size in rows if size >= TARGET]
        return 1 if over else 0
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


def logging_quiet() -> None:
    import logging

    logging.basicConfig(level=logging.WARNING)


if __name__ == "__main__":
    raise SystemExit(main())
