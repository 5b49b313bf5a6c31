"""Validated settings: where the sources are, where the output goes, the site's name and URL."""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import BuildError

# mkdocs.yml's site_url when HANDBOOK_SITE_URL is not set (its `extra.placeholder_site_url`). A
# build with it works, but every absolute address it prints (print headers, handouts, citations,
# citation downloads) is this placeholder: it warns, pages say so, and with
# HANDBOOK_REQUIRE_SITE_URL=1 (set by the publishing workflow, with HANDBOOK_SITE_URL) it stops.
PLACEHOLDER_SITE_URL = "https://handbook.example.org/"
REQUIRE_SITE_URL = "HANDBOOK_REQUIRE_SITE_URL"


@dataclass(frozen=True)
class Config:
    root: Path
    site_name: str
    site_url: str
    repo_url: str
    edition: str = ""  # a dated edition's name (HANDBOOK_EDITION, e.g. "2027.1"); "" for the current handbook
    drafts: bool = False  # include case studies whose status is 'draft' (handbook build --drafts, serve)
    cache: bool = True  # keep and reuse what a build learnt in build/cache (generator/speed); off: --no-cache

    @property
    def placeholder(self) -> bool:
        """True when the site is built without its published address (HANDBOOK_SITE_URL unset)."""
        return self.site_url == PLACEHOLDER_SITE_URL

    @property
    def templates(self) -> Path:
        return self.root / "site_templates"

    @property
    def docs_dir(self) -> Path:
        return self.root / "build" / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def mkdocs_file(self) -> Path:
        return self.root / "mkdocs.yml"


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose !ENV and !!python tags only MkDocs needs to understand."""


def _env(loader: yaml.SafeLoader, node: yaml.ScalarNode | yaml.SequenceNode) -> object:
    """MkDocs' `!ENV [NAME, default]`: the first variable that is set, else the default."""
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    *variables, default = names if len(names) > 1 else [*names, None]
    return next((os.environ[v] for v in variables if os.environ.get(v)), default)


_TolerantLoader.add_constructor("!ENV", _env)
_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def load_config(root: Path, drafts: bool | None = None, cache: bool = True) -> Config:
    """Settings from mkdocs.yml. Drafts are included when asked for, or when HANDBOOK_DRAFTS is set
    (as `handbook serve` sets it for its MkDocs process)."""
    settings = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    return Config(
        root=root,
        site_name=str(settings.get("site_name", "Handbook")),
        site_url=str(settings.get("site_url") or "").rstrip("/") + "/",
        repo_url=str(settings.get("repo_url") or ""),
        edition=edition_name(),
        drafts=bool(os.environ.get("HANDBOOK_DRAFTS")) if drafts is None else drafts,
        cache=cache,
    )


EDITION = re.compile(r"^20\d\d\.[1-9]\d?$")


def edition_name() -> str:
    """HANDBOOK_EDITION, when a dated edition is being built (see generator/commands/editions.py)."""
    name = os.environ.get("HANDBOOK_EDITION", "")
    if name and not EDITION.match(name):
        raise BuildError(f"HANDBOOK_EDITION={name!r}: an edition is named YEAR.NUMBER, e.g. 2027.1.")
    return name


def build_date(review_dates: list[str]) -> str:
    """The date printed on the site: SOURCE_DATE_EPOCH if set, else the newest review date.
    Never the clock, so two builds of the same sources are identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
    return max(review_dates, default="2008-01-01")
