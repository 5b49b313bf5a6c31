"""Pages whose inputs did not change are not rendered again.

While a page renders, every call its templates make on the index (`index.get`, `index.all`, ...)
and every chart snippet they look up is recorded with a hash of the answer. Records hash as their
kind, id and the SHA-256 of their source file, so a hash changes exactly when a record the page
read changed. The next build reuses the page that build/docs already holds when the page's
template sources, settings, code and context are the same, every recorded call gives the same
hash again, and the file in build/docs still has the SHA-256 of the page that build wrote (a page
changed or damaged there is rendered again).
Anything a page reads that cannot be recorded this way makes it render every time.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeGuard

from pydantic import BaseModel

from generator.speed import store
from generator.speed.sources import in_memory, read_pickle, version_key, write_pickle
from generator.stages.index import Index

Call = tuple[str, str, tuple[Any, ...], str]  # (target "index" or "charts", name, args, hash of the answer)


class Opaque(Exception):
    """A value the page read that has no stable hash: the page cannot be reused."""


class Hashes:
    """Hashes of index answers, with records hashed by their source file's hash."""

    def __init__(self, index: Index) -> None:
        self.records = {
            id(item.record): f"{item.kind}/{item.id}/{item.doc.digest}".encode()
            for items in index.records.values()
            for item in items.values()
            if item.doc.digest
        }
        self.index = index
        self._works: bytes | None = None

    def reads(self, name: str, args: tuple[Any, ...]) -> str | None:
        """A hash of everything the answer to `index.name(*args)` is computed from, for the calls
        known to read only their case and the works (`case_notes` and `evidence`: notes.case_notes
        takes the case and the works, and nothing else); None for any other call, or when a record
        it reads has no source hash."""
        if name not in ("case_notes", "evidence") or len(args) != 1 or not isinstance(args[0], str):
            return None
        item = self.index.records["case-study"].get(args[0])
        if item is None or not item.doc.digest:
            return None
        if self._works is None:
            works = list(self.index.records["work"].values())
            if not all(work.doc.digest for work in works):
                return None
            self._works = hashlib.sha256(b"".join(f"{w.id}/{w.doc.digest};".encode() for w in works)).digest()
        return hashlib.sha256(f"{name}|{item.id}/{item.doc.digest}|".encode() + self._works).hexdigest()

    def of(self, value: Any) -> str:
        digest = hashlib.sha256()
        self._feed(digest, value)
        return digest.hexdigest()[:32]

    def _feed(self, digest: Any, value: Any) -> None:
        token = self.records.get(id(value))
        if token is not None:
            digest.update(b"R" + token)
        elif value is None or isinstance(value, (str, int, float, bool)):
            digest.update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, (list, tuple)):
            digest.update(b"[")
            for item in value:
                self._feed(digest, item)
            digest.update(b"]")
        elif isinstance(value, dict):
            digest.update(b"{")
            for key, item in value.items():
                self._feed(digest, key)
                self._feed(digest, item)
            digest.update(b"}")
        elif isinstance(value, BaseModel):
            digest.update(f"M{type(value).__name__}:".encode() + value.model_dump_json().encode())
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            digest.update(f"D{type(value).__name__}".encode())
            self._feed(digest, [getattr(value, f.name) for f in dataclasses.fields(value)])
        else:
            raise Opaque(type(value).__name__)


class RecordingIndex:
    """Stands in for the index in one page's templates and records what they ask it."""

    def __init__(self, index: Index, answers: Callable[[str, str, tuple[Any, ...]], tuple[Any, str]]) -> None:
        self._index, self._answers, self._calls = index, answers, list[Call]()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._index, name)
        if not callable(attr):
            self._calls.append(("opaque", name, (), ""))
            return attr

        def call(*args: Any) -> Any:
            result, digest = self._answers("index", name, args)
            self._calls.append(("index", name, args, digest))
            return result

        return call

    def context(self) -> dict[str, Any]:
        """The template globals that stand in for the index and the chart snippets."""
        return {"index": self, "charts": RecordingCharts(self)}


class RecordingCharts:
    """Stands in for the chart snippets in one page's templates and records which it looked up."""

    def __init__(self, index: RecordingIndex) -> None:
        self._index = index

    def get(self, name: str, default: Any = None) -> Any:
        result, digest = self._index._answers("charts", "get", (name,))
        self._index._calls.append(("charts", "get", (name,), digest))
        return default if result is None else result

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def __getitem__(self, name: str) -> Any:
        result = self.get(name)
        if result is None:
            raise KeyError(name)
        return result


# Under `handbook serve`, the Jinja environment of each templates folder is kept between builds: its
# templates are compiled once, and Jinja compiles a template again when its file changes.
_ENVIRONMENTS: dict[Path, Any] = {}
_SEEN: dict[Path, tuple[tuple[int, int, int], str]] = {}  # pages in build/docs found to be as written
# The hashes of answers whose inputs are known (Hashes.reads), with those inputs' hash: an answer is
# taken from here only while what it is computed from is the same.
_ANSWERS: dict[tuple[str, str, tuple[Any, ...]], tuple[str, str]] = {}

STALE = "stale"  # the key of a page left as it was for one preview build: the next build renders it


class PageCache:
    """The pages of the last build and what each read; decides which pages can be reused.

    With `changed` (under `handbook serve`: the ids of the records whose files were read again this
    build), the edited records' own pages show first and the pages that only list them follow in
    the next build (`handbook serve` asks for that build at once, see generator/hooks/serve.py):
    - a page none of whose recorded calls names a changed record can show nothing of it but
      through lists of records (`index.all`, a factor's uses): it is left as it was, unchecked
      (`unchecked`), and the next build, which checks every page, renders it if it changed;
    - a page with a call naming a changed record is checked in full: rendered if an answer about
      the changed record differs, else left as it was and marked stale (`deferred`) if answers
      differ only through lists."""

    def __init__(
        self, folder: Path, docs_dir: Path, index: Index, static: str, changed: frozenset[str] = frozenset()
    ) -> None:
        self.folder, self.docs_dir, self.index, self.changed = folder, docs_dir, index, changed
        self.deferred: list[str] = []
        self.unchecked = 0  # pages left as they were, unchecked, for the next build (`changed`)
        self._naming: dict[tuple[str, str, tuple[Any, ...]], bool] = {}  # call -> it names a changed record
        self._digests: dict[tuple[str, str, tuple[Any, ...]], str] = {}  # call -> its answer's hash, this build
        self.charts: dict[str, Any] = {}  # the chart snippets as the templates see them (set by render_pages)
        self.static = static  # hash of templates, settings and code, the same for every page
        self.hashes = Hashes(index)
        self.old: dict[str, tuple[str, list[Call], str | None]] = read_pickle(folder, "pages")
        self.new: dict[str, tuple[str, list[Call], str | None]] = {}
        self.memo: dict[tuple[str, str, tuple[Any, ...]], tuple[Any, str]] = {}
        self.reused: set[str] = set()
        self.rendered = 0
        self.compiled: Callable[[], Any] | None = None  # the templates compiled ahead (Speed.compile_templates)

    def environment(self, templates: Path, make: Callable[[Path], Any]) -> Any:
        """The Jinja environment for `templates`: `make(templates)`, kept between builds under serve."""
        if not in_memory():
            env = make(templates)
            if self.compiled is not None:
                env.bytecode_cache = self.compiled()
            return env
        if templates not in _ENVIRONMENTS:
            _ENVIRONMENTS[templates] = make(templates)
        return _ENVIRONMENTS[templates]

    def answer(self, target: str, name: str, args: tuple[Any, ...]) -> tuple[Any, str]:
        """The answer to a call and its hash, each computed once per build."""
        key = (target, name, args)
        if key not in self.memo:
            result = self.charts.get(args[0]) if target == "charts" else getattr(self.index, name)(*args)
            self.memo[key] = (result, self.hashes.of(result))
        return self.memo[key]

    def digest(self, target: str, name: str, args: tuple[Any, ...]) -> str:
        """The hash of the answer to a call; under serve, kept between builds for the calls whose
        inputs are known, while those inputs are the same (the answer is then not computed)."""
        key = (target, name, args)
        found = self._digests.get(key)
        if found is not None:
            return found
        reads = self.hashes.reads(name, args) if target == "index" and key not in self.memo and in_memory() else None
        if reads is None:
            digest = self.answer(target, name, args)[1]
        elif (kept := _ANSWERS.get(key)) is not None and kept[0] == reads:
            digest = kept[1]
        else:
            digest = self.answer(target, name, args)[1]
            _ANSWERS[key] = (reads, digest)
        self._digests[key] = digest
        return digest

    def page_key(self, path: str, template: str, extra: dict[str, Any]) -> str | None:
        try:
            return self.hashes.of([self.static, path, template, sorted(extra.items())])
        except Opaque:
            return None

    def reusable(self, path: str, key: str | None) -> bool:
        """Whether the page at `path` in build/docs is what rendering it now would give."""
        old = self.old.get(path)
        if key is None or not _sound(old) or old[0] != key:
            return False
        if self.changed and not any(self._names_changed(target, name, args) for target, name, args, _ in old[1]):
            if not store.matches(self.docs_dir / path, old[2], _SEEN if in_memory() else None):
                return False
            self.new[path] = old  # as it was: the next build checks it against what it read then
            self.unchecked += 1
            return True
        try:
            differ = [
                (target, name, args)
                for target, name, args, digest in old[1]
                if target == "opaque" or self.digest(target, name, args) != digest
            ]
        except (LookupError, AttributeError, TypeError, Opaque):  # e.g. a record it read is gone: render it
            return False
        if differ and not self._deferrable(differ):
            return False
        if not store.matches(self.docs_dir / path, old[2], _SEEN if in_memory() else None):  # the page written
            return False
        self.new[path] = (STALE, old[1], old[2]) if differ else old
        return True

    def _names_changed(self, target: str, name: str, args: tuple[Any, ...]) -> bool:
        """Whether a recorded call names a record changed this build (by its id), or cannot be told."""
        key = (target, name, args)
        named = self._naming.get(key)
        if named is None:
            named = self._naming[key] = target == "opaque" or any(
                rid in str(arg) for arg in args for rid in self.changed
            )
        return named

    def _deferrable(self, differ: list[tuple[str, str, tuple[Any, ...]]]) -> bool:
        """Whether a page whose answers `differ` may wait for the next build: only in a preview build
        after an edit, and only when no changed call is about a changed record (by its id)."""
        if not self.changed:
            return False
        return not any(self._names_changed(*call) for call in differ)

    def recorder(self) -> RecordingIndex:
        return RecordingIndex(self.index, self.answer)

    def remember(self, path: str, key: str | None, recorder: RecordingIndex) -> None:
        calls = recorder._calls
        if key is not None and not any(target == "opaque" for target, *_ in calls):
            self.new[path] = (key, calls, None)

    def outcome(self, path: str) -> tuple[str, list[Call], str | None] | None:
        """What this build keeps of the page at `path` (after `reusable` or `remember`): the part of
        the cache's state a page job sends back when it ran in another process."""
        return self.new.get(path)

    def adopt(self, path: str, entry: tuple[str, list[Call], str | None] | None, rendered: bool) -> None:
        """Take a page job's `outcome`, in page order, whichever process ran it."""
        if entry is not None:
            self.new[path] = entry
        if rendered:
            self.rendered += 1
            return
        self.reused.add(path)
        if entry is not None and entry[0] == STALE:
            self.deferred.append(path)

    def save(self, files: dict[str, bytes]) -> None:
        """Store what each page read, with the SHA-256 of the page written this build (`files`)."""
        for path, (key, calls, digest) in list(self.new.items()):
            if digest is None:
                self.new[path] = (key, calls, store.digest(files[path]))
        write_pickle(self.folder, "pages", self.new)


def _sound(entry: Any) -> TypeGuard[tuple[str, list[Call], str]]:
    """Whether a page cache entry has the shape this code writes (key, calls, page digest)."""
    return isinstance(entry, tuple) and len(entry) == 3 and all(isinstance(v, str) for v in (entry[0], entry[2]))


def static_key(templates: Path, settings: Any) -> str:
    """What every page depends on besides the index: template sources, settings and the code."""
    digest = hashlib.sha256(f"{version_key()}|{settings!r}".encode())
    for path in sorted(templates.rglob("*.j2")):
        digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
