"""Caches that cannot lie: whatever happens to a file the build keeps in build/ for the next build,
the next `handbook build` exits 0 and publishes the site a clean build publishes, byte for byte.

The small fixture site is built once; each case copies that project (without its site/), damages
one group of kept files in one way, runs `handbook build` through its real entry point, and compares
site/ with the clean build's. Two groups, so that no damaged file hides another from the build:
a damaged page index (build/cache/pages.pickle) makes every page render again, which would leave the
pages kept in build/docs unread; everything else can be damaged at once. Each damaged cache entry
and each damaged page the build would have reused must be reported as damaged (so it was read and
refused, not merely unused), and afterwards every entry in the store reads as sound again.

Permission errors: the tests run as root, which reads a file of mode 000 anyway. The build then runs
with an empty capability bounding set (prctl PR_CAPBSET_DROP before exec), so root has no
CAP_DAC_OVERRIDE and the kernel refuses to open the file, as it would for any other user; the test
checks that it does before building.
"""

from __future__ import annotations

import ctypes
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINI, make_project

from generator.speed import store
from generator.speed.sources import read_pickle


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _without_root_powers() -> None:
    """In the child before exec: drop every capability from the bounding set, so that a process of
    root's uid obeys file permissions."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(64):
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP; past the last capability it fails harmlessly


def _run(args: list[str], powerless: bool) -> subprocess.CompletedProcess[str]:
    drop = _without_root_powers if powerless and os.geteuid() == 0 else None
    return subprocess.run(args, capture_output=True, text=True, preexec_fn=drop, timeout=600)


def _build(project: Path, powerless: bool = False) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "generator", "--root", str(project), "build"], powerless)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    project = make_project(tmp_path_factory.mktemp("clean") / "project", MINI)
    proc = _build(project)
    assert proc.returncode == 0, proc.stderr
    return project, _files(project / "site")


# --- ways to damage a file -----------------------------------------------------------------------


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _cut_and_random(path: Path) -> None:  # as in the issue: half its length, then 64 random bytes
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + random.Random(path.name).randbytes(64))


def _append_random(path: Path) -> None:
    path.write_bytes(path.read_bytes() + random.Random(path.name).randbytes(64))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _wrong_json(path: Path) -> None:
    path.write_text('{"version": 1, "entries": {"a": "b"}}\n', encoding="utf-8")


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside").write_bytes(b"x")


def _no_permission(path: Path) -> None:
    path.chmod(0)


DAMAGES: dict[str, Callable[[Path], None]] = {
    "truncated": _truncate,
    "cut-and-random-bytes": _cut_and_random,
    "random-bytes-appended": _append_random,
    "empty": _empty,
    "wrong-json": _wrong_json,
    "directory": _directory,
    "no-permission": _no_permission,
}

# Each group: the files damaged (globs under build/) and the files removed.
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "kept-pages-and-caches": (
        (
            "cache/records-*.pickle",
            "cache/terms.pickle",
            "cache/record-json.pickle",
            "chart-cache/*.json",
            "docs/**/*.md",
            "docs/assets/charts/*.js",
        ),
        (),
    ),
    # as in the issue: chart cache damaged and the chart scripts gone from build/docs
    "page-index-and-charts": (("cache/pages.pickle", "chart-cache/*.json"), ("docs/assets/charts/*.js",)),
}


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("group", GROUPS)
def test_a_damaged_cache_gives_the_clean_site(
    clean: tuple[Path, dict[str, bytes]], tmp_path: Path, group: str, damage: str
) -> None:
    source, expected = clean
    project = tmp_path / "project"
    shutil.copytree(source, project, symlinks=True, ignore=lambda d, _: ["site"] if Path(d) == source else [])
    build = project / "build"
    damaged_globs, removed_globs = GROUPS[group]
    damaged = sorted({p for pattern in damaged_globs for p in build.glob(pattern) if p.is_file()})
    assert len(damaged) >= 5
    reused_pages = set(read_pickle(build / "cache", "pages"))  # the pages the build would take from build/docs
    for pattern in removed_globs:
        for path in build.glob(pattern):
            path.unlink()
    for path in damaged:
        DAMAGES[damage](path)
    powerless = damage == "no-permission"
    if powerless:  # the build really cannot read these files
        probe = _run([sys.executable, "-c", f"open({str(damaged[0])!r}, 'rb')"], powerless)
        assert probe.returncode != 0 and "PermissionError" in probe.stderr

    proc = _build(project, powerless)

    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert _files(project / "site") == expected
    stored = [p for p in damaged if p.parent.name in ("cache", "chart-cache")]
    pages = [p for p in damaged if p.suffix == ".md" and p.relative_to(build / "docs").as_posix() in reused_pages]
    assert stored and (pages or group != "kept-pages-and-caches")
    for path in stored + pages:
        assert f"{path}: damaged build cache entry" in proc.stderr, path
    for path in (build / "cache").iterdir():
        assert store.read(path) is not None, f"{path} was not written again"
    for path in (build / "chart-cache").iterdir():
        assert store.read(path) is not None, f"{path} was not written again"
    assert not [p for p in build.rglob("*.tmp")]


# --- the store itself -----------------------------------------------------------------------------


@pytest.mark.parametrize("damage", [d for d in DAMAGES if d != "no-permission"])
def test_a_damaged_entry_reads_as_missing_and_is_logged_once(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "entry.json"
    value = {"chart": list(range(200))}  # long enough that half of it still holds the whole header
    store.write_json(path, value)
    assert store.read_json(path) == value
    DAMAGES[damage](path)
    assert store.read_json(path) is None
    assert store.read_json(path) is None
    assert [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()] == [
        f"{path}: damaged build cache entry ({_reason(damage)}); ignored and built again."
    ]
    store.write_json(path, {"chart": [4]})  # a folder in its place is cleared
    assert store.read_json(path) == {"chart": [4]}
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]  # no temporary file left


def _reason(damage: str) -> str:
    if damage == "directory":
        return "Is a directory"
    if damage in ("truncated", "random-bytes-appended", "cut-and-random-bytes"):
        return "checksum does not match"
    return "no store header"


def test_a_changed_payload_with_its_header_kept_fails_the_checksum(tmp_path: Path) -> None:
    path = tmp_path / "entry.pickle"
    store.write_pickle(path, ("v", {"records": 1}))
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit flipped
    assert store.read_pickle(path) is None
