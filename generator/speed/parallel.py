"""The second core: a list of independent jobs split between this process and one forked child.

A cold build at a thousand cases spends most of the generator's time on work that is the same for
every file or page and shares nothing: parsing and validating each source file, rendering each page.
`split_map` runs every other job in a child process forked for the purpose (it sees the parent's
memory as it was, so nothing but the jobs' results crosses over, pickled through a pipe) while this
process runs the rest, and gives the results back in the jobs' order: the build's output is the
same bytes as with one process (tests/test_parallel.py).

It runs everything in this process when that is safer or cannot pay: fewer than `least` jobs, one
usable core (unless `HANDBOOK_WORKERS=2`), `HANDBOOK_WORKERS=1`, no `fork` on this system, other
threads running (forking a threaded process can copy a lock another thread holds), or under
`handbook serve` (HANDBOOK_SERVE set): the preview runs the generator beside MkDocs' server threads and
keeps what each build made in this process's memory for the next, and a preview build has few
files to read anyway. If the child fails for
any reason, its jobs are run again here, so an error is raised (and reported) exactly as without it.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

LEAST = 64  # fewer jobs than this are not worth a process (forking costs some milliseconds)
_FAILED = b"F"
_DONE = b"D"


def workers() -> int:
    """How many processes a split uses here: 2 with a second usable core and nothing against it.
    HANDBOOK_WORKERS=1 keeps everything in one process; =2 splits even on one core (for tests)."""
    asked = os.environ.get("HANDBOOK_WORKERS", "").strip()
    if asked == "1" or not hasattr(os, "fork") or threading.active_count() > 1 or os.environ.get("HANDBOOK_SERVE"):
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return 2 if cores >= 2 or asked == "2" else 1


def split_map(func: Callable[[T], R], jobs: Sequence[T], least: int = LEAST) -> list[R]:
    """[func(job) for job in jobs], the odd-numbered jobs run in a forked child when it pays.
    Interleaving (rather than halves) gives each process a share of every kind of job."""
    if len(jobs) < least or workers() < 2:
        return [func(job) for job in jobs]
    theirs = list(jobs[1::2])
    log.debug("%d jobs: %d in a second process", len(jobs), len(theirs))
    child = Background(lambda: [func(job) for job in theirs], f"{len(theirs)} jobs")
    mine = [func(job) for job in jobs[0::2]]
    results = child.result()
    out: list[R] = []
    for i, result in enumerate(mine):
        out.append(result)
        if i < len(results):
            out.append(results[i])
    return out


class Background(Generic[R]):
    """`func()` computed in a forked child while this process goes on; `result()` waits for it. Where
    a split would not fork (`workers`), it is computed here at once; if the child fails, `result()`
    computes it here."""

    def __init__(self, func: Callable[[], R], what: str = "a job", nice: int = 0) -> None:
        self.func, self.what = func, what
        self.pid, self.pipe = 0, -1
        if workers() < 2:
            self.value = func()
            return
        read_end, write_end = os.pipe()
        gc.freeze()  # the child's collector leaves the objects it inherits alone: no copying them all on write
        pid = os.fork()
        if pid == 0:  # the child: run it, send the result, leave without running the parent's exit code
            os.close(read_end)
            if nice:
                os.nice(nice)
            _child(func, write_end)
        gc.unfreeze()
        os.close(write_end)
        self.pid, self.pipe = pid, read_end
        log.debug("%s in a second process", what)

    def result(self) -> R:
        if self.pid:
            self.value = self._collect()
        return self.value

    def _collect(self) -> R:
        data = self._drain()
        if data.startswith(_DONE):
            try:
                return pickle.loads(data[1:])  # noqa: S301 - our own child's bytes, through a pipe it inherited
            except Exception:  # noqa: BLE001, S110 - a truncated or damaged result is a failed child
                pass
        log.warning("the second worker process failed: %s run again in this one", self.what)
        return self.func()

    def _drain(self) -> bytes:
        """What the child sent, once it has exited."""
        with os.fdopen(self.pipe, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self.pid, 0)
        self.pid = 0
        return data

    def __del__(self) -> None:
        if self.pid:  # never waited for (the build stopped on an error first): no child left behind
            self._drain()


def _child(func: Callable[[], object], write_end: int) -> None:
    status = 0
    try:
        payload = _DONE + pickle.dumps(func(), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - any failure is reported by running the job again in the parent
        payload, status = _FAILED, 1
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(status)
