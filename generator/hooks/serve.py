"""MkDocs hook: under `handbook serve`, regenerate the pages before each rebuild so that editing a
YAML file or a template shows up in the preview. In every build, it tells the theme which dated
edition is being built (HANDBOOK_EDITION, see generator/commands/editions.py) as `config.extra.edition`."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

WATCH = ("casestudies", "content", "toolkit", "site_templates")
log = logging.getLogger("mkdocs.plugins.handbook")


def _root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent  # the project that holds mkdocs.yml


def on_config(config: Any) -> Any:
    config.extra["edition"] = os.environ.get("HANDBOOK_EDITION", "")  # "" for the current handbook
    if os.environ.get("HANDBOOK_SERVE"):
        config.watch.extend(str(_root(config) / folder) for folder in WATCH if (_root(config) / folder).exists())
    return config


def on_pre_build(config: Any) -> None:
    if not os.environ.get("HANDBOOK_SERVE"):
        return
    from generator.config import load_config
    from generator.errors import HandbookError
    from generator.pipeline import generate

    try:
        generate(load_config(_root(config)))
    except HandbookError as e:  # keep serving the last good pages and say what is wrong (a content or template error)
        log.error("%s", e.report())
