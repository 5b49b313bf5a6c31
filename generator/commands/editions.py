"""Dated editions: the handbook as it stood at a release (e.g. `2027.1`), published for good at
`editions/<name>/` beside the current handbook, on GitHub Pages or any static host.

`handbook edition cut NAME [--rev REV] --into SITE` builds the sources of git revision REV (or
of the working tree) in a temporary copy of the project, with that copy's own generator and
templates, HANDBOOK_EDITION=NAME and the edition's own address as site_url, then puts the built
site at SITE/editions/NAME/ and rewrites SITE/versions.json. The edition's pages carry a banner
linking to the same page in the current handbook, and their citations name the edition.

versions.json is in mike's format (a list of {"version", "title", "aliases"}, newest first), the
MkDocs convention for versions; the current handbook is the entry "current" (alias "latest"),
every other entry lives at editions/<version>/. The version selector (theme override main.html)
reads it from the site's root. Because the current handbook stays at the root, its addresses
never change when an edition is cut.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator.config import EDITION, load_config
from generator.errors import BuildError
from generator.output.urls import listing_page, published_url

log = logging.getLogger(__name__)

FOLDER = "editions"
VERSIONS = "versions.json"
CURRENT = {"version": "current", "title": "Current handbook", "aliases": ["latest"]}
_PROJECT = (
    "casestudies",
    "content",
    "toolkit",
    "site_templates",
    "generator",
    "mkdocs.yml",
    "mkdocs-offline.yml",
    "pyproject.toml",
)


class EditionError(BuildError):
    """A bad edition name, a revision that cannot be read, or a build that failed."""


def check_name(name: str) -> str:
    if not EDITION.match(name):
        raise EditionError(f"'{name}' is not an edition name: use YEAR.NUMBER, e.g. 2027.1 (the first of 2027).")
    return name


def cut(root: Path, name: str, into: Path, rev: str | None = None) -> Path:
    """Build edition `name` from `rev` (None: the working tree) into `into`/editions/<name>/;
    returns that folder. The rest of `into` is left as it was, apart from versions.json."""
    from generator.commands.diff import (  # diff imports the build stages, which import this module
        DiffError,
        materialise,
    )

    check_name(name)
    base_url = load_config(root).site_url
    with tempfile.TemporaryDirectory(prefix=f"handbook-edition-{name}-") as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        if rev:
            try:
                materialise(root, rev, project, _PROJECT)
            except DiffError as e:
                raise EditionError(str(e)) from None
        else:
            _copy_working_tree(root, project)
        built = _build(project, name, published_url(base_url, listing_page(f"{FOLDER}/{name}")))
        target = into / FOLDER / name
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = into / FOLDER / f".{name}-new"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(built, staging)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    write_versions(into)
    return target


def _copy_working_tree(root: Path, project: Path) -> None:
    for name in _PROJECT:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy(source, project / name)


def _build(project: Path, name: str, site_url: str) -> Path:
    """`handbook build` then `handbook offline` in the copy (the edition's About page offers its own
    offline zip), run with the copy's own generator (python -m from its folder)."""
    if not (project / "generator").is_dir():
        raise EditionError("the revision has no generator/ folder: it predates editions.")
    env = {**os.environ, "HANDBOOK_EDITION": name, "HANDBOOK_SITE_URL": site_url, "PYTHONPATH": str(project)}
    steps = ["build", "offline"] if (project / "mkdocs-offline.yml").is_file() else ["build"]
    for step in steps:
        proc = subprocess.run(
            [sys.executable, "-m", "generator", step], cwd=project, env=env, capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise EditionError(f"edition {name} did not build (handbook {step}):\n{proc.stderr.strip()}")
    return project / "site"


def editions(site: Path) -> list[str]:
    """Names of the editions present in `site`, newest first."""
    folder = site / FOLDER
    names = [p.name for p in folder.iterdir() if p.is_dir() and EDITION.match(p.name)] if folder.is_dir() else []
    return sorted(names, key=lambda n: tuple(int(part) for part in n.split(".")), reverse=True)


def versions(site: Path) -> list[dict[str, Any]]:
    """versions.json's entries: the current handbook, then every edition present, newest first."""
    return [dict(CURRENT)] + [{"version": n, "title": f"Edition {n}", "aliases": []} for n in editions(site)]


def versions_file() -> dict[str, bytes]:
    """The versions.json every build publishes (the current handbook only), so that the Version
    menu's request never fails; `cut` rewrites it in the site with the editions."""
    return {VERSIONS: (json.dumps([CURRENT], indent=1) + "\n").encode("utf-8")}


def write_versions(site: Path) -> Path:
    path = site / VERSIONS
    path.write_text(json.dumps(versions(site), indent=1) + "\n", encoding="utf-8")
    log.info("%s: %d edition(s)", path, len(editions(site)))
    return path
