"""Loaded by the Python processes the benchmark starts (it is put first on their PYTHONPATH): when
HANDBOOK_BENCH_RSS names a file, each process appends its peak resident memory (VmHWM) to it at exit.

VmHWM belongs to the process's own address space, so unlike getrusage's ru_maxrss it does not
inherit the parent's peak across fork and exec: the MkDocs subprocess that the generator starts
reports MkDocs' memory, not the generator's."""

import atexit
import os
import sys


def _report() -> None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
        with open(os.environ["HANDBOOK_BENCH_RSS"], "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\t{kb}\t{' '.join(sys.argv[:3])}\n")
    except (OSError, StopIteration, KeyError, ValueError):
        pass


if os.environ.get("HANDBOOK_BENCH_RSS"):
    atexit.register(_report)
