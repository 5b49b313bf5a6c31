"""The second core (generator/speed/parallel.py): jobs split with a forked child give what one
process gives, in the same order, and a child that fails costs time, never a result.

The splits run in fresh Python processes: a split refuses to fork a process with other threads
running, and the test process may have some (browser fixtures), so the split could quietly not
happen here. Each test checks, by process ids, that it did happen where it says so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from conftest import REPO, make_project

from generator.speed import parallel


def _python(code: str, workers: str = "2", cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HANDBOOK_WORKERS": workers}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True, env=env, timeout=600
    )


SPLIT = """
    import json, os, sys
    sys.path.insert(0, {repo!r})
    from generator.speed.parallel import split_map
    parent = os.getpid()

    def job(n):
        {body}
        return [n * n, os.getpid()]

    print(json.dumps([parent, split_map(job, list(range(200)))]))
"""


def _split(body: str = "pass", workers: str = "2") -> tuple[int, list[list[int]], str]:
    proc = _python(SPLIT.format(repo=str(REPO), body=body), workers)
    assert proc.returncode == 0, proc.stderr
    parent, results = json.loads(proc.stdout)
    return parent, results, proc.stderr


def test_every_other_job_runs_in_a_second_process_and_results_keep_their_order() -> None:
    parent, results, _ = _split()
    assert [value for value, _ in results] == [n * n for n in range(200)]
    pids = [pid for _, pid in results]
    assert set(pids[0::2]) == {parent}
    assert len(set(pids[1::2])) == 1 and pids[1] != parent  # the odd jobs, all in one child


def test_handbook_workers_1_keeps_everything_in_one_process() -> None:
    parent, results, _ = _split(workers="1")
    assert {pid for _, pid in results} == {parent}
    assert [value for value, _ in results] == [n * n for n in range(200)]


@pytest.mark.parametrize(
    "body",
    [
        "if os.getpid() != parent: raise RuntimeError('boom')",  # an error in the child's jobs
        "if os.getpid() != parent: os._exit(3)",  # the child dies without a word
        "if os.getpid() != parent: sys.stdout.flush(); os.kill(os.getpid(), 9)",  # killed (out of memory, say)
    ],
)
def test_a_failed_child_costs_time_never_a_result(body: str) -> None:
    parent, results, stderr = _split(body)
    assert [value for value, _ in results] == [n * n for n in range(200)]
    assert {pid for _, pid in results} == {parent}  # the child's jobs were run again here
    assert "the second worker process failed" in stderr


BACKGROUND = """
    import json, os, sys
    sys.path.insert(0, {repo!r})
    from generator.speed.parallel import Background
    parent = os.getpid()

    def job():
        {body}
        return [sum(range(1000)), os.getpid()]

    later = Background(job)
    print(json.dumps([parent, later.result()]))
"""


@pytest.mark.parametrize("fails", [False, True])
def test_a_background_job_runs_beside_this_process_or_again_here_if_it_fails(fails: bool) -> None:
    body = "if os.getpid() != parent: raise RuntimeError('boom')" if fails else "pass"
    proc = _python(BACKGROUND.format(repo=str(REPO), body=body))
    assert proc.returncode == 0, proc.stderr
    parent, (value, pid) = json.loads(proc.stdout)
    assert value == sum(range(1000))
    assert (pid == parent) == fails
    assert ("the second worker process failed" in proc.stderr) == fails


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.workers() == 1
        assert parallel.split_map(lambda n: (n, os.getpid()), list(range(100))) == [
            (n, os.getpid()) for n in range(100)
        ]
    finally:
        stop.set()
        thread.join()


def test_few_jobs_stay_in_this_process() -> None:
    assert parallel.split_map(lambda n: os.getpid(), list(range(parallel.LEAST - 1))) == [os.getpid()] * (
        parallel.LEAST - 1
    )


GENERATE = """
    import json, logging, os, sys
    sys.path.insert(0, {repo!r})
    logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format="%(name)s: %(message)s")
    from generator.config import load_config
    from pathlib import Path
    from generator.pipeline import generate
    result = generate(load_config(Path({root!r})))
    print(json.dumps(result.counts))
"""


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_real_content_generates_the_same_bytes_on_one_core_and_on_two(tmp_path: Path) -> None:
    trees = {}
    for workers in ("1", "2"):
        project = make_project(tmp_path / f"w{workers}", REPO)
        proc = _python(GENERATE.format(repo=str(REPO), root=str(project)), workers)
        assert proc.returncode == 0, proc.stderr
        split = [line for line in proc.stderr.splitlines() if "in a second process" in line]
        assert bool(split) == (workers == "2"), split  # files read and pages rendered on both, or neither
        if workers == "2":
            assert len(split) >= 3  # the source files, the glossary-term scan, the charts (if any to draw), the pages
        trees[workers] = _tree(project / "build" / "docs")
    assert trees["1"] == trees["2"]


def test_problems_found_in_either_process_are_all_reported_in_file_order(tmp_path: Path) -> None:
    project = make_project(tmp_path / "broken", REPO)
    cases = sorted((project / "casestudies").glob("*.yaml"))
    for path in (cases[0], cases[1]):  # one file for each process
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\ncountry:", "\ncountri:", 1), encoding="utf-8")
    outputs = {}
    for workers in ("1", "2"):
        shutil.rmtree(project / "build", ignore_errors=True)
        proc = subprocess.run(
            [str(Path(sys.executable).parent / "handbook"), "--root", str(project), "check"],
            capture_output=True,
            text=True,
            env={**os.environ, "HANDBOOK_WORKERS": workers},
        )
        assert proc.returncode == 1
        outputs[workers] = proc.stderr
    assert outputs["1"] == outputs["2"]
    assert all(f"casestudies/{p.name}:" in outputs["2"] for p in (cases[0], cases[1]))
