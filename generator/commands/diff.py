"""`handbook diff BASE`: what a change does to the handbook, as Markdown for a pull request's job
summary. The records and generated pages of the working tree are compared with those of a git
revision, which is materialised from `git archive` into a temporary folder. Both sides go through
the same stages (load, validate, index, render); MkDocs is not needed.

Records are compared by kind and id; each is listed with the published addresses it affects:
its own page and the pages of the records that refer to it (the index's back-links), so that a
changed factor lists the case pages that cite it.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import load_config
from generator.errors import BuildError, ContentError
from generator.output.pages import render_pages
from generator.output.urls import url_path
from generator.pipeline import check, site_settings
from generator.records.kinds import BY_NAME, KINDS
from generator.stages.index import Index

MAX_PAGES = 60  # pages listed by name in the page section; the rest are counted
_NEEDED = ("casestudies", "content", "toolkit", "site_templates", "mkdocs.yml")


class DiffError(BuildError):
    """BASE cannot be read or its sources do not go through the generator."""


@dataclass(frozen=True)
class Snapshot:
    index: Index
    records: dict[tuple[str, str], Any]  # (kind, id) -> the record as JSON data
    pages: dict[str, str]  # docs path -> generated Markdown


@dataclass(frozen=True)
class Change:
    kind: str
    rid: str
    status: str  # "added" | "changed" | "removed"
    pages: list[str]  # published addresses, the record's own first


def snapshot(root: Path, templates: Path | None = None) -> Snapshot:
    """Load, validate, index and render the project at `root` (no cache, nothing written)."""
    index = check(root)
    config = load_config(root)
    pages = render_pages(index, site_settings(config, index), templates or config.templates, _NoCharts())
    records = {
        (kind, rid): loaded.record.model_dump(mode="json")
        for kind, by_id in index.records.items()
        for rid, loaded in by_id.items()
    }
    return Snapshot(index, records, pages)


class _NoCharts(dict[str, str]):
    """Charts are drawn from the records already compared; pages are compared without them."""

    def __missing__(self, key: str) -> str:
        return ""


def materialise(root: Path, base: str, dest: Path, needed: tuple[str, ...] = _NEEDED) -> Path:
    """The project's folders and files `needed` as they are at git revision `base`, extracted into
    `dest`; returns `dest`."""
    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", what=base)
    data = subprocess.run(
        ["git", "archive", "--format=tar", f"{base}:{prefix}" if prefix else base],
        cwd=root,
        capture_output=True,
    )
    if data.returncode != 0:
        raise DiffError(f"git archive {base} failed: {data.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(data.stdout)) as tar:
        # files and folders only: a link could point anywhere (the working tree's own are used instead)
        members = [m for m in tar.getmembers() if m.name.split("/")[0] in needed and (m.isfile() or m.isdir())]
        tar.extractall(dest, members=members, filter="data")
    if not (dest / "mkdocs.yml").is_file():  # settings only: the site's name and address
        (dest / "mkdocs.yml").write_bytes((root / "mkdocs.yml").read_bytes())
    return dest


def _git(root: Path, *args: str, what: str = "") -> str:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        hint = f"'{what}' is not a commit of this repository (fetch it first?)" if what else proc.stderr.strip()
        raise DiffError(f"git {' '.join(args)} failed: {hint}.")
    return proc.stdout


def compare(old: Snapshot, new: Snapshot) -> list[Change]:
    """Records added, changed and removed, in the order of kinds.py, then by id."""
    changes = []
    for kind in KINDS:
        ids = {rid for k, rid in old.records.keys() | new.records.keys() if k == kind.name}
        for rid in sorted(ids):
            key = (kind.name, rid)
            if key not in old.records:
                changes.append(Change(kind.name, rid, "added", affected(new.index, *key)))
            elif key not in new.records:
                changes.append(Change(kind.name, rid, "removed", affected(old.index, *key)))
            elif old.records[key] != new.records[key]:
                pages = affected(new.index, *key)
                pages += [p for p in affected(old.index, *key) if p not in pages]  # no longer citing it
                changes.append(Change(kind.name, rid, "changed", pages))
    return changes


def affected(index: Index, kind: str, rid: str) -> list[str]:
    """The record's own address, then those of the records that refer to it or, for a glossary term,
    use its words (sorted, each once)."""
    own = url_path(index.url(kind, rid))
    citing = {url_path(index.url(fk, fid)) for fk, fid, _ in index.backlinks.get((kind, rid), [])}
    if kind == "term":  # terms are linked wherever their words appear
        citing |= {url_path(index.url(k, user.id)) for k, user in index.term_users(rid)}
    return [own, *sorted(citing - {own})]


def page_changes(old: Snapshot, new: Snapshot) -> dict[str, list[str]]:
    """Published addresses of generated pages added, changed and removed."""
    return {
        "added": sorted(url_path(p) for p in new.pages.keys() - old.pages.keys()),
        "changed": sorted(url_path(p) for p in new.pages.keys() & old.pages.keys() if new.pages[p] != old.pages[p]),
        "removed": sorted(url_path(p) for p in old.pages.keys() - new.pages.keys()),
    }


def report(base: str, changes: list[Change], pages: dict[str, list[str]]) -> str:
    """The Markdown printed by `handbook diff`."""
    counts = {s: sum(c.status == s for c in changes) for s in ("added", "changed", "removed")}
    lines = [
        "## What this change does to the handbook",
        "",
        f"Compared with `{base}`: {counts['added']} added, {counts['changed']} changed and "
        f"{counts['removed']} removed record{'s' if len(changes) != 1 else ''}; "
        f"{sum(len(v) for v in pages.values())} generated page{'s' if sum(len(v) for v in pages.values()) != 1 else ''} differ.",
    ]
    if not changes and not any(pages.values()):
        return "\n".join([*lines, "", "No record and no page changes."]) + "\n"
    for status in ("added", "changed", "removed"):
        chosen = [c for c in changes if c.status == status]
        if not chosen:
            continue
        lines += ["", f"### Records {status}", ""]
        lines += [_record_line(c) for c in chosen]
    if any(pages.values()):
        lines += ["", "### Generated pages", ""]
        for status in ("added", "changed", "removed"):
            names = pages[status]
            if names:
                shown = ", ".join(f"`{n}`" for n in names[:MAX_PAGES])
                more = f" and {len(names) - MAX_PAGES} more" if len(names) > MAX_PAGES else ""
                lines.append(f"- {status} ({len(names)}): {shown}{more}")
    return "\n".join(lines) + "\n"


def _record_line(change: Change) -> str:
    own, *others = change.pages
    line = f"- {BY_NAME[change.kind].label} `{change.rid}`: `{own}`"
    if others:
        line += "; pages that refer to it: " + ", ".join(f"`{p}`" for p in others)
    return line


def diff(root: Path, base: str) -> str:
    """Compare the working tree at `root` with git revision `base`; returns the Markdown report.
    Raises ContentError when the working tree's sources have problems, DiffError when BASE's do."""
    new = snapshot(root)
    with tempfile.TemporaryDirectory(prefix="handbook-diff-") as tmp:
        base_root = materialise(root, base, Path(tmp))
        templates = base_root / "site_templates"
        try:
            old = snapshot(base_root, templates if templates.is_dir() else root / "site_templates")
        except ContentError as e:
            raise DiffError(f"{base}: its sources do not pass this generator's checks:\n{e.report()}") from None
    return report(base, compare(old, new), page_changes(old, new))
