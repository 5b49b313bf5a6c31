"""What each piece of the speed machinery (generator/speed) earns: the generator step and the whole
build with the page cache on and off, and with the package off. (It measured the parse worker pool
too, `no-pool`, until the pool was removed for not paying: docs/benchmarks.md.)

    .venv/bin/python -m bench.seam [--sizes real,1000] [--repeat 2] [--out results.json]

"real" is the repository's own content; a number N is bench/corpus.py's project of N cases. Every
variant has its own project folder, and the variants run interleaved (all of them once, then all
again), so that a change in the machine's load falls on all of them alike. Each measurement runs
in a fresh process. Prints one line per measurement with the load average before it.

Variants: `all` (every cache, and the second core: generator/speed/parallel.py), `one-process`
(every cache, one process: `HANDBOOK_WORKERS=1`), `no-pages` (the page cache off), `none`
(`handbook build --no-cache`: nothing from generator/speed, one process).
Steps: `cold` (no build/ folder), `nochange` (again, nothing changed), `edit` (one case's text
edited), each the generator step alone (generate) or, with --whole, the whole build (MkDocs too);
and `check` (`handbook check` with no build/ folder: every file parsed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import corpus

REPO = corpus.REPO
VARIANTS = ("all", "one-process", "no-pages", "none")
STEPS = ("cold", "nochange", "edit")


def make(dest: Path, size: str) -> Path:
    if size == "real":
        dest.mkdir(parents=True)
        for name in ("casestudies", "content", "toolkit"):
            shutil.copytree(REPO / name, dest / name)
        shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
        for name in corpus.LINKED:
            (dest / name).symlink_to(REPO / name)
        return dest
    return corpus.make_project(dest, int(size))


def one(project: Path, variant: str, step: str, whole: bool) -> dict[str, Any]:
    """One measurement in this process (run by `measure` in a child)."""
    from generator.config import load_config

    if variant == "no-pages":
        from generator import speed

        speed.Speed.page_cache = lambda self, *args: None  # type: ignore[assignment, method-assign]
    config = load_config(project, cache=variant != "none")
    mark = time.perf_counter()
    if step == "check":
        from generator.pipeline import check

        check(project, None if variant == "none" else _read_only(project))
        return {"seconds": time.perf_counter() - mark}
    from generator.pipeline import build, generate

    result = (build if whole else generate)(config)
    seconds = time.perf_counter() - mark
    return {"seconds": seconds, "timings": result.timings, "counts": result.counts, "written": len(result.written)}


def _read_only(project: Path) -> Any:
    from generator.speed import Speed

    return Speed(project / "build", read_only=True)


def measure(project: Path, variant: str, step: str, whole: bool) -> dict[str, Any]:
    load = os.getloadavg()[0]
    args = [sys.executable, "-m", "bench.seam", "--one", str(project), variant, step] + (["--whole"] if whole else [])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    for name in ("HANDBOOK_SERVE", "HANDBOOK_SITE_URL", "HANDBOOK_WORKERS"):
        env.pop(name, None)
    if variant == "one-process":
        env["HANDBOOK_WORKERS"] = "1"
    proc = subprocess.run(args, cwd=REPO, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout[-2000:] + proc.stderr[-2000:])
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out.update(load_before=load, variant=variant, step=step, whole=whole)
    return out


def run_size(
    size: str,
    work: Path,
    repeat: int,
    whole: bool,
    say: Any,
    variants: tuple[str, ...] = VARIANTS,
    warm_only: bool = False,
) -> list[dict[str, Any]]:
    """Each step for each variant, `repeat` times. With `warm_only`, one cold build (every cache) is
    shared by the variants' projects and only `check` and the warm steps are measured."""
    base = make(work / f"{size}-base", size)
    edit_id = "highlands" if size == "real" else corpus.case_ids(int(size))[int(size) // 2]
    rows = []
    steps = ("check", *STEPS)
    if warm_only:
        rows.append({**measure(base, "all", "cold", whole), "size": size, "rep": 0})
        say(f"{size:>5} shared cold build {rows[-1]['seconds']:7.2f} s  load {rows[-1]['load_before']:.2f}")
        steps = ("nochange", "edit")
    for rep in range(repeat):
        projects = {}
        for variant in variants:
            projects[variant] = work / f"{size}-{variant}-{rep}"
            shutil.copytree(base, projects[variant], symlinks=True)
        for step in steps:
            for variant in variants if rep % 2 == 0 else tuple(reversed(variants)):
                if step == "edit":
                    corpus.edit_case(projects[variant], edit_id)
                row = measure(projects[variant], variant, step, whole)
                row.update(size=size, rep=rep)
                rows.append(row)
                say(
                    f"{size:>5} {variant:9} {step:8} {row['seconds']:7.2f} s  load {row['load_before']:.2f}  "
                    f"{row.get('timings', '')} {row.get('counts', '')}"
                )
        for project in projects.values():
            shutil.rmtree(project)
    return rows


def run_checks(size: str, work: Path, repeat: int, variants: tuple[str, ...], say: Any) -> list[dict[str, Any]]:
    """`handbook check` on a project with no build/ folder, every file parsed."""
    base = make(work / f"{size}-base", size)
    rows = []
    for rep in range(repeat):
        for variant in variants if rep % 2 == 0 else tuple(reversed(variants)):
            row = {**measure(base, variant, "check", False), "size": size, "rep": rep}
            rows.append(row)
            say(f"{size:>5} {variant:9} check    {row['seconds']:7.2f} s  load {row['load_before']:.2f}")
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="real,1000")
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--whole", action="store_true", help="time the whole build (MkDocs too), not the generator step")
    p.add_argument("--out", type=Path)
    p.add_argument("--variants", default=",".join(VARIANTS))
    p.add_argument("--warm-only", action="store_true", help="one shared cold build, then the warm steps only")
    p.add_argument("--check-only", action="store_true", help="only `handbook check` with no build/ folder")
    p.add_argument("--one", nargs=3, metavar=("PROJECT", "VARIANT", "STEP"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one:
        print(json.dumps(one(Path(args.one[0]), args.one[1], args.one[2], args.whole)))
        return 0
    work = Path(tempfile.mkdtemp(prefix="handbook-seam-"))
    rows: list[dict[str, Any]] = []
    try:
        for size in args.sizes.split(","):
            say = lambda line: print(line, flush=True)  # noqa: E731
            variants = tuple(args.variants.split(","))
            if args.check_only:
                rows += run_checks(size, work, args.repeat, variants, say)
            else:
                rows += run_size(size, work, args.repeat, args.whole, say, variants, args.warm_only)
            if args.out:
                args.out.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
