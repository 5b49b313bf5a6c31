"""MkDocs hook: the theme's templates (site_templates/overrides/) get the handbook's one way of
making a published URL (generator/output/urls.py) as the Jinja filter `published_url`:
`page.file.src_uri | published_url(config.site_url)` is the page's stable address."""

from __future__ import annotations

from typing import Any

from generator.output import urls


def published_url(docs: str, site_url: str) -> str:
    """A page's docs path as its absolute published address under `site_url` (directory form)."""
    return urls.published_url(site_url, docs)


def on_env(env: Any, config: Any, files: Any) -> Any:
    env.filters["published_url"] = published_url
    return env
