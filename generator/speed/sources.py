"""What the last build learnt about unchanged sources, kept in build/cache between builds.

- Records: each source file's validated record, keyed by the SHA-256 of the file's bytes. A file
  whose bytes are unchanged is not parsed or validated again. Only files without problems are
  kept, so a file with problems is read again on every build and reports the same file:line
  messages; the key lines of a cached file are read again only if a later stage reports on it.
- Glossary-term matches of each record, keyed by the file's hash and the set of term phrases.

Every entry also depends on a version key (this package's source, pydantic, PyYAML and Python),
so a cached record is exactly what reading the file again would give. The files are pickles this
code wrote into build/ (never anything from users), kept in the verified store (generator/speed/store.py):
anything damaged, unreadable, stale or from another version is ignored and rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sys
from pathlib import Path
from typing import Any

import pydantic
import yaml

from generator.errors import Collector, Problem
from generator.records.kinds import Kind
from generator.speed import store
from generator.speed.parallel import split_map
from generator.stages.load import RawDocument, read_source, source_files
from generator.stages.read import read_record
from generator.stages.validate import Loaded

log = logging.getLogger(__name__)

SHARDS = 16  # records are stored in this many files: an edit rewrites one, a build reads a few big ones


@functools.cache
def version_key() -> str:
    """Changes whenever the code that turns a file into a record could give a different result."""
    digest = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}|{yaml.__version__}".encode())
    package = Path(__file__).resolve().parent.parent  # generator/: every module of every stage
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class SourceCache:
    """Records and term matches of unchanged files; `folder=None` keeps nothing (every file is read)."""

    def __init__(self, folder: Path | None, read_only: bool = False) -> None:
        """read_only: use what the last build kept, never write (`handbook check` writes nothing)."""
        self.folder, self.read_only = folder, read_only
        self.shards = [read_pickle(folder, f"records-{i:02d}") for i in range(SHARDS)]
        self.kept: list[dict[str, tuple[str, Any]]] = [{} for _ in range(SHARDS)]
        self.terms: dict[tuple[str, str], list[str]] = read_pickle(folder, "terms")
        self.terms_kept: dict[tuple[str, str], list[str]] = {}
        self.parsed: list[str] = []  # files read and validated this build (not found in the cache)

    def record(self, rel: str, digest: str) -> Any | None:
        entry = self.shards[_shard(rel)].get(rel)
        if entry is None or entry[0] != digest:
            return None
        self.kept[_shard(rel)][rel] = entry
        return entry[1]

    def keep(self, rel: str, digest: str, record: Any) -> None:
        self.kept[_shard(rel)][rel] = (digest, record)

    def save(self) -> None:
        """Write the shards whose entries changed, and the term matches, dropping what was not used."""
        if self.folder is None or self.read_only:
            return
        for i, (old, new) in enumerate(zip(self.shards, self.kept, strict=True)):
            if not new:  # nothing to keep: no file (so a damaged one does not stay)
                store.remove(self.folder / f"records-{i:02d}.pickle")
            elif _digests(old) != _digests(new):
                write_pickle(self.folder, f"records-{i:02d}", new)
        if not self.terms_kept:
            store.remove(self.folder / "terms.pickle")
        elif self.terms_kept != self.terms:
            write_pickle(self.folder, "terms", self.terms_kept)


# Under `handbook serve` one process rebuilds after every edit: it keeps what it last read or wrote
# of each cache file, and uses it again while the file is the one it saw (same mtime, size and
# inode), instead of unpickling thousands of validated records again. Callers never change what
# read_pickle returns. Other commands read the files each time (a test builds many projects).
_MEMORY: dict[Path, tuple[tuple[int, int, int], dict[Any, Any]]] = {}


# Under `handbook serve`: each source file's SHA-256 with its stat (mtime, size, inode) when it was
# read, by path. A file whose stat is the same is not read and hashed again (git's index does the
# same); it is taken as the record kept for that hash, and read as usual if there is none.
_SOURCES: dict[str, tuple[tuple[int, int, int], str]] = {}


def in_memory() -> bool:
    """Under `handbook serve`: one process rebuilds after every edit (HANDBOOK_SERVE is set)."""
    return bool(os.environ.get("HANDBOOK_SERVE"))


def _stat_key(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def read_pickle(folder: Path | None, name: str) -> dict[Any, Any]:
    """The entries of build/cache/<name>.pickle, or {} if it is missing, damaged or stale."""
    if folder is None:
        return {}
    path = folder / f"{name}.pickle"
    if in_memory() and path.is_file() and (kept := _MEMORY.get(path)) is not None and kept[0] == _stat_key(path):
        return kept[1]
    found = store.read_pickle(path)
    if not (isinstance(found, tuple) and len(found) == 2 and found[0] == version_key()):
        return {}
    entries = found[1] if isinstance(found[1], dict) else {}
    if in_memory():
        _MEMORY[path] = (_stat_key(path), entries)
    return entries


def write_pickle(folder: Path, name: str, entries: dict[Any, Any]) -> None:
    path = folder / f"{name}.pickle"
    store.write_pickle(path, (version_key(), entries))
    if in_memory() and path.is_file():
        _MEMORY[path] = (_stat_key(path), entries)


def _shard(rel: str) -> int:
    return hashlib.sha256(rel.encode()).digest()[0] % SHARDS


def _digests(entries: dict[str, tuple[str, Any]]) -> dict[str, str]:
    return {rel: digest for rel, (digest, _) in entries.items()}


def _read_one(job: tuple[str, bytes, Kind]) -> tuple[Any, list[Problem]]:
    """One file's bytes as (its validated record or None, the problems found in it)."""
    rel, raw, kind = job
    found = Collector()
    return read_record(rel, raw, kind, found), found.problems


def load_records(root: Path, problems: Collector, cache: SourceCache) -> list[Loaded]:
    """Every source file as a validated record: from the cache when its bytes are unchanged, else
    parsed and validated, split between this process and a forked one when there are many
    (generator/speed/parallel.py); problems go to `problems`. Records keep no raw data."""
    slots: list[list[Any]] = []  # [rel, kind, path, digest, record], in file order
    misses: list[tuple[list[Any], bytes]] = []
    remember = in_memory()
    for path, kind in source_files(root):
        rel = path.relative_to(root).as_posix()
        stat: tuple[int, int, int] | None = None
        if remember:
            try:
                stat = _stat_key(path)  # before reading: a later change gives another stat next time
            except OSError:
                stat = None
            seen = _SOURCES.get(str(path))
            if stat is not None and seen is not None and seen[0] == stat:
                record = cache.record(rel, seen[1])
                if record is not None:
                    slots.append([rel, kind, path, seen[1], record])
                    continue
        raw = read_source(root, path, rel, problems)
        if raw is None:
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if stat is not None:
            _SOURCES[str(path)] = (stat, digest)
        slot = [rel, kind, path, digest, cache.record(rel, digest)]
        slots.append(slot)
        if slot[4] is None:
            misses.append((slot, raw))
    read = split_map(_read_one, [(slot[0], raw, slot[1]) for slot, raw in misses])  # on both cores when it pays
    for (slot, _), (record, found) in zip(misses, read, strict=True):
        problems.problems.extend(found)
        cache.parsed.append(slot[0])
        slot[4] = record
        if record is not None:
            cache.keep(slot[0], slot[3], record)
    return [
        Loaded(RawDocument(rel, kind, None, source=path, digest=digest), record)
        for rel, kind, path, digest, record in slots
        if record is not None
    ]
