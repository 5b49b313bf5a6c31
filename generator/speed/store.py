"""The one store for everything a build keeps for the next one (build/cache, build/chart-cache).

An entry is one file: a header line with the SHA-256 of the payload, then the payload. It is written
to a temporary file beside the entry and renamed over it, so a reader finds the old entry or the new
one, never half of either. Reading checks the header and the checksum: an entry that is missing,
unreadable (no permission, a folder in its place), cut short, padded, emptied or changed in any other
way reads as None. A damaged entry is logged once and the caller builds it again; no damaged entry can
pass for a sound one (Git treats its object store the same way).

Files kept elsewhere and reused by content (pages in build/docs) are checked with `matches`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import secrets
import shutil
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MAGIC = b"handbook-store/1 sha256:"
_HEADER_LEN = len(MAGIC) + 64 + 1  # the magic, the hex digest and a newline
_warned: set[str] = set()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(path: Path) -> bytes | None:
    """The payload of the entry at `path`, or None when it is missing or fails its check."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:  # a folder in its place, no permission, a file where a folder should be
        return _damaged(path, e.strerror or type(e).__name__)
    if len(data) < _HEADER_LEN or not data.startswith(MAGIC) or data[_HEADER_LEN - 1 : _HEADER_LEN] != b"\n":
        return _damaged(path, "no store header")
    payload = data[_HEADER_LEN:]
    if digest(payload).encode("ascii") != data[len(MAGIC) : _HEADER_LEN - 1]:
        return _damaged(path, "checksum does not match")
    return payload


def write(path: Path, payload: bytes) -> None:
    """Store `payload` at `path` atomically. A cache that cannot be written is logged and skipped:
    the build's output never depends on it."""
    _warned.discard(str(path))
    tmp = None
    try:
        _make_room(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")  # one per writer
        with open(tmp, "xb") as f:
            f.write(MAGIC + digest(payload).encode("ascii") + b"\n" + payload)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        log.warning("%s: could not keep this cache entry for the next build (%s); the build goes on.", path, e)
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def remove(path: Path) -> None:
    """Remove the entry at `path`, if there is one."""
    _warned.discard(str(path))
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError as e:
        log.warning("%s: could not remove this cache entry (%s); the build goes on.", path, e)


def read_text(path: Path) -> str | None:
    payload = read(path)
    if payload is None:
        return None
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return _damaged(path, "not UTF-8")


def write_text(path: Path, text: str) -> None:
    write(path, text.encode("utf-8"))


def read_json(path: Path) -> Any | None:
    text = read_text(path)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return _damaged(path, "not JSON")


def write_json(path: Path, value: Any) -> None:
    write_text(path, json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def read_pickle(path: Path) -> Any | None:
    """A value this code pickled into the store (never anything from users)."""
    payload = read(path)
    if payload is None:
        return None
    try:
        return pickle.loads(payload)
    except Exception as e:  # noqa: BLE001 - unpickling can fail in any way; the entry is rebuilt
        return _damaged(path, f"cannot be unpickled: {type(e).__name__}")


def write_pickle(path: Path, value: Any) -> None:
    write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def matches(path: Path, expected: str, seen: dict[Path, tuple[tuple[int, int, int], str]] | None = None) -> bool:
    """Whether the file at `path` (outside the store, e.g. a page in build/docs) has the SHA-256
    `expected`; a file that differs or cannot be read is logged once as damaged. With `seen` (kept
    by a long-running preview), a file whose mtime, size and inode are those it had when it last
    matched is not read again."""
    if seen is not None:
        try:
            st = path.stat()
        except OSError:
            st = None
        key = None if st is None else (st.st_mtime_ns, st.st_size, st.st_ino)
        if key is not None and seen.get(path) == (key, expected):
            return True
        if not matches(path, expected):
            return False
        if key is not None:
            seen[path] = (key, expected)
        return True
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    except OSError as e:
        _damaged(path, e.strerror or type(e).__name__)
        return False
    if digest(data) != expected:
        _damaged(path, "changed since the last build wrote it")
        return False
    return True


def _damaged(path: Path, reason: str) -> Any:  # always None; typed Any so that readers can `return` it
    """Log a damaged entry (once per entry and process) and read it as missing."""
    if str(path) not in _warned:
        _warned.add(str(path))
        log.warning("%s: damaged build cache entry (%s); ignored and built again.", path, reason)
    return None


def _make_room(path: Path) -> None:
    """Clear what stands where the entry goes: a folder in its place, a file in place of its folder."""
    if path.parent.exists() and not path.parent.is_dir():
        path.parent.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
