"""How long `handbook serve --dirty` takes to show an edit to one case's text, at N cases:

    .venv/bin/python -m bench.serve [--n 1000] [--edits 3] [--work DIR]

Builds a synthetic project of N cases (bench/corpus.py), starts the preview on a free port, waits
for the first build to be served, then edits one case's outcomes text (a new word each time) and
polls that case's page until the word is there. Prints each time from saving the file to the
word being served, and to the end of the rebuilds the edit caused (the server's log quiet for 3 s:
pages that list the case follow in a second rebuild). Slow (the first build of 1,000 cases takes minutes), so not in `./run test`.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

from bench.corpus import case_ids, dump_yaml, make_project

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback only
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for(url: str, word: str, limit: float) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if word in fetch(url):
            return time.perf_counter() - started
        time.sleep(0.1)
    return None


def wait_quiet(log: Path, quiet: float, limit: float) -> float:
    """The time (perf_counter) of the last finished rebuild, once every rebuild started has finished
    (MkDocs logs "Building documentation..." and "Documentation built in ...") and no other has
    started for `quiet` s."""
    started = last = time.perf_counter()
    seen = ""
    while time.perf_counter() - started < limit:
        text = log.read_text(encoding="utf-8", errors="replace")
        if text != seen:
            seen, last = text, time.perf_counter()
        busy = text.count("Building documentation") > text.count("Documentation built in")
        if not busy and time.perf_counter() - last >= quiet:
            break
        time.sleep(0.1)
    return last


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--edits", type=int, default=3)
    p.add_argument("--work", type=Path)
    args = p.parse_args(argv)
    work = (args.work or Path(tempfile.mkdtemp(prefix="handbook-serve-"))).resolve()
    project = work / f"n{args.n}"
    if not project.exists():
        make_project(project, args.n)
    case = case_ids(args.n)[args.n // 2]
    port = free_port()
    url = f"http://127.0.0.1:{port}/cases/{case}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    log = open(work / "serve.log", "w")  # noqa: SIM115 - open for the server's whole life
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(project),
            "serve",
            "--dirty",
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        first = wait_for(url, "</html>", 1800)
        if first is None:
            print("the first build was not served within 30 minutes; see", work / "serve.log")
            return 2
        print(f"N = {args.n}: first build served after {time.perf_counter() - started:.1f} s", flush=True)
        wait_quiet(work / "serve.log", 5.0, 600)
        path = project / "casestudies" / f"{case}.yaml"
        for i in range(args.edits):
            time.sleep(3)  # let the watcher settle
            word = f"benchedit{i}x{int(time.time())}"
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["outcomes"] = f"{word} {data['outcomes']}"
            path.write_text(dump_yaml(data), encoding="utf-8")
            saved = time.perf_counter()
            shown = wait_for(url, word, 300)
            settled = wait_quiet(work / "serve.log", 3.0, 300) - saved
            print(
                f"edit {i + 1}: "
                + (f"shown {shown:.1f} s after saving" if shown is not None else "not shown in 300 s")
                + f"; every rebuild it caused (pages listing the case) done {settled:.1f} s after saving"
                + f" (load average {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
