"""What the last build learnt about unchanged sources, kept in build/cache between builds.

- Records: each source file's validated record, keyed by the SHA-256 of the file's bytes. A file
  whose bytes are unchanged is not parsed or validated again. Only files without problems are
  kept, so a file with problems is read again on every build and reports the same file:line
  messages; the key lines of a cached file are read again only if a later stage reports on it.
- Glossary-term matches of each record, keyed by the file's hash and the set of term phrases.

Every entry also depends on a version key (this package's source, pydantic, PyYAML and Python),
so a cached record is exactly what reading the file again would give. The files are pickles this
code wrote into build/ (never anything from users); anything unreadable, stale or from another
version is ignored and rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path
from typing import Any

import pydantic
import yaml

from generator.errors import Collector
from generator.kinds import Kind
from generator.load import RawDocument, decode_source, parse_document, read_source, source_files
from generator.validate import Loaded, validate_document

log = logging.getLogger(__name__)

SHARDS = 16  # records are stored in this many files: an edit rewrites one, a build reads a few big ones


@functools.cache
def version_key() -> str:
    """Changes whenever the code that turns a file into a record could give a different result."""
    digest = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}|{yaml.__version__}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class SourceCache:
    """Records and term matches of unchanged files; `folder=None` keeps nothing (every file is read)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
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
        if self.folder is None:
            return
        for i, (old, new) in enumerate(zip(self.shards, self.kept, strict=True)):
            if _digests(old) != _digests(new):
                write_pickle(self.folder, f"records-{i:02d}", new)
        if self.terms_kept != self.terms:
            write_pickle(self.folder, "terms", self.terms_kept)


def read_pickle(folder: Path | None, name: str) -> dict[Any, Any]:
    """The entries of build/cache/<name>.pickle, or {} if it is missing, unreadable or stale."""
    path = None if folder is None else folder / f"{name}.pickle"
    if path is None or not path.is_file():
        return {}
    try:
        with open(path, "rb") as f:
            version, entries = pickle.load(f)
    except Exception as e:  # a cache we cannot read is rebuilt, whatever went wrong with it
        log.info("ignoring unreadable cache file %s (%s)", path, e)
        return {}
    return entries if version == version_key() and isinstance(entries, dict) else {}


def write_pickle(folder: Path, name: str, entries: dict[Any, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.pickle"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(pickle.dumps((version_key(), entries), protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, path)


def _shard(rel: str) -> int:
    return hashlib.sha256(rel.encode()).digest()[0] % SHARDS


def _digests(entries: dict[str, tuple[str, Any]]) -> dict[str, str]:
    return {rel: digest for rel, (digest, _) in entries.items()}


def load_records(root: Path, problems: Collector, cache: SourceCache) -> list[Loaded]:
    """Every source file as a validated record: from the cache when its bytes are unchanged, else
    read, parsed and validated (problems go to `problems`). Records keep no raw data or key lines."""
    out = []
    for path, kind in source_files(root):
        rel = path.relative_to(root).as_posix()
        raw = read_source(root, path, rel, problems)
        if raw is None:
            continue
        digest = hashlib.sha256(raw).hexdigest()
        record = cache.record(rel, digest)
        if record is None:
            cache.parsed.append(rel)
            loaded = _read_record(rel, raw, kind, problems)
            if loaded is None:
                continue
            record = loaded.record
            cache.keep(rel, digest, record)
        out.append(Loaded(RawDocument(rel, kind, None, source=path, digest=digest), record))
    return out


def _read_record(rel: str, raw: bytes, kind: Kind, problems: Collector) -> Loaded | None:
    text = decode_source(rel, raw, problems)
    doc = None if text is None else parse_document(rel, text, kind, problems)
    return None if doc is None else validate_document(doc, problems)  # None when the file has problems

