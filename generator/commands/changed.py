"""`handbook check --changed`: the problems a pull request brings, in the files it touches and in
references into and out of them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from generator.errors import BuildError, ContentError
from generator.pipeline import check
from generator.records.kinds import KINDS

_UNKNOWN_REF = re.compile(r"unknown [a-z -]+ '([a-z0-9-]+)'")


def changed_files(root: Path, base: str) -> list[str]:
    """Source files changed since `base` (committed or not), relative to root."""

    def git(*args: str) -> list[str]:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        if proc.returncode != 0:
            raise BuildError(
                f"git {' '.join(args)} failed: {proc.stderr.strip()}. Is '{base}' a branch "
                "or commit of this repository?"
            )
        return proc.stdout.split("\n")

    names = set(git("diff", "--name-only", f"{base}...HEAD")) | set(git("diff", "--name-only", "HEAD"))
    names |= set(git("ls-files", "--others", "--exclude-standard"))
    folders = tuple(k.folder + "/" for k in KINDS)
    return sorted(n for n in names if n.startswith(folders) and n.endswith((".yaml", ".yml")))


def check_changed(root: Path, files: list[str]) -> int:
    """Check everything, report what concerns `files`; returns how many records refer to them."""
    ids = {Path(f).stem for f in files}
    try:
        index = check(root)
    except ContentError as e:
        relevant = [p for p in e.problems if p.path in files or _names_changed_id(p.message, ids)]
        if relevant:
            raise ContentError(relevant) from None
        return 0
    return sum(len(index.backlinks.get((k.name, i), [])) for k in KINDS for i in ids)


def _names_changed_id(message: str, ids: set[str]) -> bool:
    m = _UNKNOWN_REF.search(message)
    return bool(m and m.group(1) in ids)
