"""Redirects for renamed records, so a link a trainer put in a course never breaks.

A record's `moved_from` ids each get a small page at the old address that forwards to the new
one, keeping the #anchor (old section anchors survive as aliases on the new page, see the
`aliases` macro). Both URL styles are written: `old/index.html` for the hosted site and
`old.html` for the offline edition.
"""

from __future__ import annotations

import html

from generator.output import urls
from generator.records.kinds import KINDS
from generator.stages.index import Index

# The forwarding page (str.format fields; not a Jinja template, not a chart prototype)
REDIRECT_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved: {title}</title>
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={target}">
<script>location.replace({target_js} + location.hash);</script>
</head>
<body>
<p>This page has moved to <a href="{target}">{title}</a>.</p>
</body>
</html>
"""


def redirect_files(index: Index) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for kind in KINDS:
        if not kind.template:
            continue  # records shown on a shared page keep their old anchors as aliases instead
        for record in index.all(kind.name):
            new_page = kind.url(record).partition("#")[0]  # e.g. cases/new-id.md
            title = getattr(record, "title", None) or getattr(record, "name", None) or record.id
            for old in record.moved_from:
                old_page = kind.page.format(id=old, category=getattr(record, "category", ""))
                files.update(_pages(old_page, new_page, str(title)))
    return files


def _pages(old_md: str, new_md: str, title: str) -> dict[str, bytes]:
    """The old page's file in both URL styles, each forwarding to the new page in the same style."""
    return {
        urls.site_file(old_md, style): _html(urls.relative_url(old_md, new_md, style), title) for style in (True, False)
    }


def _html(target: str, title: str) -> bytes:
    import json

    text = REDIRECT_PAGE.format(
        title=html.escape(title),
        target=html.escape(target, quote=True),
        target_js=html.escape(json.dumps(target), quote=False),
    )
    return text.encode("utf-8")
