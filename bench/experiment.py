"""What two template changes would do, tried on copies of the generated Markdown before anyone
changes a template: plain MkDocs builds of variants of a built project's build/docs.

    .venv/bin/python -m bench --sizes 1000 --workdir /tmp/hb --keep
    .venv/bin/python -m bench.experiment /tmp/hb/n1000/project --rounds 3

Variants: as generated; chart JSON moved out of the pages (each chart div keeps a short
`data-bokeh-src` address instead of its `data-bokeh-item` JSON); the report-source paragraphs
excluded from search (`data-search-exclude`); both. Rounds run the variants interleaved, in
alternating order, so that load on the machine falls on all of them alike. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_ITEM = re.compile(r'id="chart-([^"]+)"([^>]*?)data-bokeh-item="[^"]*"')
VARIANTS = (
    ("as generated", False, False),
    ("chart JSON in separate files", True, False),
    ("report-source paragraphs excluded from search", False, True),
    ("both", True, True),
)


def make_variant(project: Path, dest: Path, charts_out: bool, sources_out: bool) -> Path:
    (dest / "build").mkdir(parents=True)
    shutil.copytree(project / "build" / "docs", dest / "build" / "docs")
    shutil.copy(project / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("generator", "site_templates"):
        (dest / name).symlink_to((project / name).resolve())
    for page in (dest / "build" / "docs").rglob("*.md"):
        text = new = page.read_text(encoding="utf-8")
        if charts_out:
            new = _ITEM.sub(
                lambda m: f'id="chart-{m.group(1)}"{m.group(2)}data-bokeh-src="../../assets/charts/{m.group(1)}.json"',
                new,
            )
        if sources_out:
            new = new.replace('<p class="hb-source" markdown>', '<p class="hb-source" data-search-exclude markdown>')
        if new != text:
            page.write_text(new, encoding="utf-8")
    return dest


def plain_build(folder: Path) -> dict[str, Any]:
    out = folder / "site-out"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = os.times()
    mark = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.yml", "-d", str(out)],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - mark
    after = os.times()
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout[-2000:] + proc.stderr[-2000:])
    cases = [p.stat().st_size for p in (out / "cases").glob("*/index.html")]
    result = {
        "wall": wall,
        "cpu": (after.children_user - before.children_user) + (after.children_system - before.children_system),
        "search": (out / "search" / "search_index.json").stat().st_size,
        "case_mean": statistics.mean(cases),
        "case_max": max(cases),
        "site": sum(p.stat().st_size for p in out.rglob("*") if p.is_file()),
    }
    shutil.rmtree(out)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.experiment", description=__doc__.split("\n\n")[0])
    p.add_argument("project", help="a project folder built by the benchmark (kept with --keep)")
    p.add_argument("--rounds", type=int, default=3, help="builds of each variant (default 3)")
    args = p.parse_args(argv)
    project = Path(args.project).resolve()
    work = Path(tempfile.mkdtemp(prefix="handbook-experiment-"))
    try:
        folders = {
            label: make_variant(project, work / str(i), charts, sources)
            for i, (label, charts, sources) in enumerate(VARIANTS)
        }
        runs: dict[str, list[dict[str, Any]]] = {label: [] for label in folders}
        for r in range(args.rounds):
            for label in list(folders) if r % 2 == 0 else list(reversed(folders)):
                runs[label].append(plain_build(folders[label]))
                print(f"round {r + 1}: {label}: {runs[label][-1]['wall']:.1f} s", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    kb, mb = 1024, 1024 * 1024
    print(
        "| Variant | MkDocs wall, s (each run) | median | CPU median, s | search_index.json | case page HTML mean / max | site |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, results in runs.items():
        first = results[0]
        walls = ", ".join(f"{x['wall']:.1f}" for x in results)
        print(
            f"| {label} | {walls} "
            f"| {statistics.median(x['wall'] for x in results):.1f} | {statistics.median(x['cpu'] for x in results):.1f} "
            f"| {first['search'] / mb:.1f} MB | {first['case_mean'] / kb:.1f} / {first['case_max'] / kb:.1f} KB "
            f"| {first['site'] / mb:.1f} MB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
