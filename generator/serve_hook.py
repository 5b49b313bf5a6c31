"""MkDocs hook: under `handbook serve`, regenerate the pages before each rebuild so that editing a
YAML file or a template shows up in the preview. Inert in every other build."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WATCH = ("casestudies", "content", "toolkit", "site_templates")


def on_config(config: Any) -> Any:
    if os.environ.get("HANDBOOK_SERVE"):
        config.watch.extend(str(ROOT / folder) for folder in WATCH)
    return config


def on_pre_build(config: Any) -> None:
    if not os.environ.get("HANDBOOK_SERVE"):
        return
    from generator.build import generate
    from generator.config import load_config
    from generator.errors import ContentError

    try:
        generate(load_config(ROOT))
    except ContentError as e:  # keep serving the last good pages and show what is wrong
        print(e.report())
