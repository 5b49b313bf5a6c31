"""`handbook linkcheck SITE`: every internal link and anchor in the built HTML (raw HTML included)
must lead somewhere. The pull-request workflow runs it on the strict build; the tests use it too."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Files put into site/ after MkDocs builds it: `handbook offline` (run by ./run build) adds the zip.
WRITTEN_LATER = {"assets/handbook-offline.zip"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name"):
            if values.get(key) and (key == "id" or tag == "a"):
                self.ids.add(str(values[key]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag in ("link", "script", "img") and (values.get("href") or values.get("src")):
            self.links.append(str(values.get("href") or values.get("src")))


def parse(path: Path) -> _Page:
    """The ids (and `<a name>`s) a page defines and the links it makes."""
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path) -> list[str]:
    """Every internal link in every page whose target file or anchor does not exist."""
    pages = {p: parse(p) for p in site.rglob("*.html")}
    broken = []
    for path, page in sorted(pages.items()):
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = _resolve(site, path, unquote(parts.path))
            if target is None and _site_path(site, path, unquote(parts.path)) in WRITTEN_LATER:
                continue
            if target is None:
                broken.append(f"{path.relative_to(site)}: {href} (no such file)")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(site)}: {href} (no such anchor)")
    return broken


def _site_path(site: Path, page: Path, href_path: str) -> str:
    base = page.parent.relative_to(site).as_posix()
    return posixpath.normpath(posixpath.join(base, href_path))


def _resolve(site: Path, page: Path, href_path: str) -> Path | None:
    if not href_path:
        return page
    base = page.parent.relative_to(site).as_posix()
    joined = posixpath.normpath(posixpath.join(base, href_path)) if not href_path.startswith("/") else href_path[1:]
    target = site / joined
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None
