"""MkDocs hook: where a page sits in the handbook. The sidebar lists only the listing pages, so a
record page (cases/highlands/) belongs to the listing page of its folder (cases/): that menu item
is marked active while the page is rendered, and main.html shows the path Home › Case studies ›
Highlands from `hb_section`. Folders without a listing page of their own in the sidebar belong to
the one named in SECTIONS."""

from __future__ import annotations

from typing import Any

from generator.output.urls import listing_page

# folder -> the sidebar page it belongs to, where that is not <folder>/index.md
SECTIONS = {"triangles": "lifecycle/index.md", "downloads": "data.md", "schemas": "data.md"}


def section_of(src_uri: str, nav_pages: dict[str, Any]) -> Any:
    """The sidebar page a page belongs to, or None (a top-level page, or one of no section)."""
    folder, sep, _ = src_uri.partition("/")
    if not sep:
        return None
    return nav_pages.get(SECTIONS.get(folder, listing_page(folder)))


_activated: list[Any] = []  # the sidebar page marked active for the page being rendered


def on_page_context(context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
    _reset()
    pages = {p.file.src_uri: p for p in nav.pages}
    section = section_of(page.file.src_uri, pages)
    if section is page:
        section = None
    context["hb_section"] = section
    if section is not None and not section.active:
        section.active = True  # highlighted in the sidebar for this page only (undone after it)
        _activated.append(section)
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    _reset()
    return output


def _reset() -> None:
    while _activated:
        _activated.pop().active = False
