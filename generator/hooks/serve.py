"""MkDocs hook: under `handbook serve`, regenerate the pages before each rebuild so that editing a
YAML file or a template shows up in the preview; pages that only list an edited record may wait
for the next rebuild, which a file in build/serve-pending/ asks for at once. In every build, it tells the theme which dated
edition is being built (HANDBOOK_EDITION, see generator/commands/editions.py) as `config.extra.edition`."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from generator.speed.templates import Compiled

WATCH = ("casestudies", "content", "toolkit", "site_templates")
log = logging.getLogger("mkdocs.plugins.handbook")


def _root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent  # the project that holds mkdocs.yml


def on_config(config: Any) -> Any:
    config.extra["edition"] = os.environ.get("HANDBOOK_EDITION", "")  # "" for the current handbook
    if os.environ.get("HANDBOOK_SERVE"):
        config.watch.extend(str(_root(config) / folder) for folder in WATCH if (_root(config) / folder).exists())
        _pending(config).mkdir(parents=True, exist_ok=True)
        config.watch.append(str(_pending(config)))
    return config


def _pending(config: Any) -> Path:
    """A folder the preview watches: written when a build left pages for the next one."""
    return _root(config) / "build" / "serve-pending"


def on_pre_build(config: Any) -> None:
    if not os.environ.get("HANDBOOK_SERVE"):
        return
    from generator.config import load_config
    from generator.errors import HandbookError
    from generator.pipeline import generate

    started = time.perf_counter()
    try:
        result = generate(load_config(_root(config)))
    except HandbookError as e:  # keep serving the last good pages and say what is wrong (a content or template error)
        log.error("%s", e.report())
        return
    deferred = result.counts.get("deferred", 0)
    unchecked = result.counts.get("unchecked", 0)
    files = result.counts.get("deferred_files", 0)
    log.info(
        "handbook: generated in %.1f s (%d page(s) rendered, %d reused, %d written)",
        time.perf_counter() - started,
        result.counts.get("rendered", 0),
        result.counts.get("reused", 0),
        len(result.written),
    )
    if deferred or unchecked or files:  # the edited record's pages first; the pages listing it and downloads next
        log.info(
            "next build: %d page(s) that list the edited records, %d other page(s) to check, %d download(s)",
            deferred,
            unchecked,
            files,
        )
        (_pending(config) / "pages").write_text(f"{deferred} {unchecked} {files}\n", encoding="utf-8")


# The theme's templates compiled once per preview process. MkDocs makes a new Jinja environment for
# every rebuild, so Material's templates were compiled again each time (about half a second); Jinja
# checks each template's source against the checksum kept with its code, so an edited template is
# compiled again (generator/speed/templates.py).
_COMPILED = Compiled()


def on_env(env: Any, config: Any, files: Any) -> Any:
    if os.environ.get("HANDBOOK_SERVE"):
        env.bytecode_cache = _COMPILED
    return env


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Under `handbook serve`, MkDocs does not watch build/docs: only the generator writes there, in
    on_pre_build, before MkDocs reads it, so its writes never need another build (which would run
    the whole generator again after every edit). Sources and templates are watched (on_config)."""
    if os.environ.get("HANDBOOK_SERVE"):
        server.unwatch(config.docs_dir)
    return server
