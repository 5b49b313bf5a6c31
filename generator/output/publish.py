"""Writes the docs folder (build/docs) and runs MkDocs into a temporary folder that is swapped into
site/ only when the strict build succeeded, so a failed build leaves the last good site byte for
byte as it was. The only module that writes build/docs or replaces site/; other writers add beside
them: the caches in build/ (generator/speed/), `handbook schemas` (schemas/), the offline edition
(dist/ and site/assets/), dated editions (site/editions/ and site/versions.json) and `handbook new`
(one new source file)."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError
from generator.output import search

log = logging.getLogger(__name__)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class PublishError(BuildError):
    """MkDocs refused the generated site (a strict-mode warning or an error), or Pagefind failed on it."""

    def report(self) -> str:
        return f"{self}\nMkDocs refused the generated site; the previous site/ was left as it was."


@dataclass(frozen=True)
class WriteResult:
    written: list[str]
    removed: list[str]
    unchanged: int


def write_docs(files: dict[str, bytes], docs_dir: Path, keep: set[str] | frozenset[str] = frozenset()) -> WriteResult:
    """Make docs_dir hold exactly `files` and the files in `keep` (checked to be up to date already):
    rewrite a file only when its bytes changed, remove files whose source is gone. A file of another
    size is rewritten without being read. Whatever else is there (a folder or a link in place of a
    file, a file in place of a folder, a file that cannot be read) is replaced, never published."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    present = _files_under(docs_dir)
    written, unchanged = [], len(keep)
    for rel, data in sorted(files.items()):
        if present.get(rel) == len(data) and _same(docs_dir / rel, data):
            unchanged += 1
            continue
        _put(docs_dir, rel, data)
        written.append(rel)
    removed = sorted((rel for rel in present if rel not in files and rel not in keep), reverse=True)
    for rel in removed:
        path = docs_dir / rel
        if path.is_symlink() or path.is_file():  # a folder written in its place above stays
            path.unlink()
    _remove_empty_folders(docs_dir)
    return WriteResult(written, removed, unchanged)


def add_docs(files: dict[str, bytes], docs_dir: Path) -> list[str]:
    """Write `files` into docs_dir beside what is there (files finished after `write_docs`, which
    removed any old copy), each only when its bytes changed, replacing whatever is in the way; the
    paths written."""
    written = []
    for rel, data in sorted(files.items()):
        path = docs_dir / rel
        if path.is_file() and not path.is_symlink() and _same(path, data):
            continue
        _put(docs_dir, rel, data)
        written.append(rel)
    return written


def _put(docs_dir: Path, rel: str, data: bytes) -> None:
    """Write docs_dir/rel, clearing whatever is in the way."""
    try:
        _write(docs_dir / rel, data)
    except OSError:  # a file where a folder should be, or a folder in the file's place
        _make_room(docs_dir, rel)
        _write(docs_dir / rel, data)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:  # unreadable: rewritten
        return False


def _make_room(docs_dir: Path, rel: str) -> None:
    """Clear the way for a file at docs_dir/rel: a file or link where one of its folders should be,
    a folder in its place."""
    here = docs_dir
    for part in rel.split("/")[:-1]:
        here = here / part
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            here.unlink()
    path = docs_dir / rel
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)


def _files_under(folder: Path) -> dict[str, int]:
    """{path relative to folder, with '/': size} of every file below folder, and of every link
    (size -1: never taken for a file that is up to date). os.scandir: a build of a thousand case
    studies has thousands of files, and pathlib objects cost more than the stat."""
    found: dict[str, int] = {}
    todo = [("", str(folder))]
    while todo:
        prefix, here = todo.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                if entry.is_symlink():
                    found[prefix + entry.name] = -1
                elif entry.is_dir(follow_symlinks=False):
                    todo.append((prefix + entry.name + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    found[prefix + entry.name] = entry.stat(follow_symlinks=False).st_size
    return found


def _remove_empty_folders(folder: Path) -> None:
    for here, _, _ in os.walk(folder, topdown=False):  # children first, so emptied parents go too
        if here != str(folder) and not os.listdir(here):
            os.rmdir(here)


def collect_assets(folder: Path, prefix: str = "assets") -> dict[str, bytes]:
    """Static files shipped with the templates, keyed by their path in the docs folder."""
    return {
        f"{prefix}/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def build_site(
    mkdocs_file: Path,
    site_dir: Path,
    env: dict[str, str] | None = None,
    search_index: bool = False,
    started: StartedMkDocs | None = None,
    late_files: Callable[[], dict[str, bytes]] | None = None,
) -> search.IndexResult | None:
    """Run `mkdocs build --strict` into a fresh folder beside site_dir, index it with Pagefind when
    `search_index` (the hosted edition: beside MkDocs, by generator/hooks/search.py, or after it
    when the mkdocs.yml does not list that hook), then swap it in. Returns the search stage's figures.
    `started`: a MkDocs process started ahead for this mkdocs.yml (`StartedMkDocs`), used instead of
    a new one. `late_files()`: {path: bytes} of static files finished while MkDocs ran (the charts
    Bokeh drew meanwhile), put into the new site before it is swapped in; its errors stop the build
    as MkDocs' do."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    work = _search_folder(scratch_folder(site_dir.parent)) if search_index else None
    indexed = None
    try:
        beside = {BESIDE_ENV: "1", **({search.ENV: str(work)} if work else {})}
        _run_mkdocs(mkdocs_file, staging, {**(env or {}), **beside}, started)
        if work:
            indexed = search.read_result(work)
            if indexed is None:
                log.info("search: %s does not list generator/hooks/search.py; indexing after MkDocs", mkdocs_file.name)
                try:
                    indexed = search.index_site(staging)
                except search.SearchIndexError as e:
                    raise PublishError(f"search index: {e}") from None
        if late_files:
            add_docs(late_files(), staging)
        _swap(staging, site_dir)
        return indexed
    finally:
        for folder in (staging, work):
            if folder and folder.exists():
                shutil.rmtree(folder, ignore_errors=True)


# The build asks MkDocs' hooks to work on the second core: generator/hooks/copy.py copies the docs
# folder's static files and generator/hooks/convert.py converts the last pages while MkDocs converts.
BESIDE_ENV = "HANDBOOK_BESIDE_MKDOCS"
SCRATCH = Path("/dev/shm")  # noqa: S108 - Linux's memory-backed folder, for the search hook's copies of the pages
SCRATCH_FREE = 1 << 30  # used only with this much room (Docker gives containers 64 MB there)


def scratch_folder(fallback: Path) -> Path:
    """Where the search hook writes its copy of every page for Pagefind to read: memory (SCRATCH)
    when it is there with room to spare, since creating a file there costs a twentieth of creating
    it on disk and the copies are thrown away after the build; otherwise `fallback`."""
    try:
        stat = os.statvfs(SCRATCH)
        if SCRATCH.is_dir() and os.access(SCRATCH, os.W_OK) and stat.f_bavail * stat.f_frsize >= SCRATCH_FREE:
            return SCRATCH
    except (AttributeError, OSError):
        pass
    return fallback


SEARCH_PREFIX = ".handbook-search-"  # then the building process's id: a folder of a build that was killed is found


def _search_folder(parent: Path) -> Path:
    """A new folder in `parent` for the search hook's copies of the pages, named after this process;
    the folders of builds that were killed before they could remove theirs are removed first."""
    for old in parent.glob(SEARCH_PREFIX + "*"):
        pid = old.name.removeprefix(SEARCH_PREFIX).split("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{SEARCH_PREFIX}{os.getpid()}-", dir=parent))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        pass
    return True


_MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1"}  # MkDocs 1.6 otherwise prints a notice about MkDocs 2.0


def _mkdocs_args(mkdocs_file: Path, out: Path) -> list[str]:
    # no -q: it drops warnings before strict mode counts them (and -v skips anchor checks)
    return ["build", "--strict", "--clean", "-f", str(mkdocs_file), "-d", str(out)]


class StartedMkDocs:
    """A `mkdocs` process started before the docs folder is ready (generator/output/mkdocs_child.py):
    it imports MkDocs, Material and the hooks' modules on the second core while the generator works,
    then runs `mkdocs build` when `build_site` gives it the arguments. `cancel` ends it unused."""

    def __init__(self, mkdocs_file: Path) -> None:
        self.mkdocs_file = mkdocs_file
        self.proc: subprocess.Popen[str] | None = subprocess.Popen(
            [sys.executable, "-m", "generator.output.mkdocs_child", str(mkdocs_file)],
            cwd=mkdocs_file.parent,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **_MKDOCS_ENV},
        )

    def run(self, args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
        """(exit status, standard output, standard error) of `mkdocs` run with `args` and `env` added."""
        proc, self.proc = self.proc, None
        assert proc is not None, "a started MkDocs runs once"
        try:
            out, err = proc.communicate(json.dumps({"args": args, "env": env}) + "\n")
        except BrokenPipeError:  # it had already exited: its output says why
            out, err = proc.communicate()
        return proc.returncode, out, err

    def cancel(self) -> None:
        """End the process unused (the build stopped first). Killed rather than sent an end of input:
        a process forked since it started (the charts being drawn) holds its input open too."""
        proc, self.proc = self.proc, None
        if proc is not None:
            proc.kill()
            proc.communicate()

    def __del__(self) -> None:
        if getattr(self, "proc", None) is not None:
            self.cancel()


def _run_mkdocs(mkdocs_file: Path, out: Path, env: dict[str, str] | None, started: StartedMkDocs | None = None) -> None:
    args = _mkdocs_args(mkdocs_file, out)
    if started is not None and started.mkdocs_file == mkdocs_file:
        code, stdout, stderr = started.run(args, env or {})
    else:
        if started is not None:
            started.cancel()
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", *args],
            capture_output=True,
            text=True,
            cwd=mkdocs_file.parent,
            env={**os.environ, **_MKDOCS_ENV, **(env or {})},
        )
        code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
    messages = [_ANSI.sub("", line) for line in (stdout + stderr).splitlines() if line.strip()]
    if code != 0:
        problems = [m for m in messages if m.startswith(("WARNING", "ERROR", "Aborted", "Error"))]
        raise PublishError("\n".join(problems or messages) or f"mkdocs exited with status {code}")
    for line in messages:
        log.info("mkdocs: %s", line)


def _swap(new: Path, site_dir: Path) -> None:
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        old.rmdir()
        os.replace(site_dir, old)
    os.replace(new, site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
