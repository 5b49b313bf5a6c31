"""The published site loads nothing from another host: no page has a `src`, `srcset`, `poster` or
`data` attribute, a loading `<link>` or a CSS `url()` / `@import` (in a style attribute, a <style>
block or one of the site's CSS files) that names an address elsewhere. Links to other sites are fine.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import SITE_URL

LOADING_ATTRS = ("src", "srcset", "poster", "data")
LOADING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "icon",
    "apple-touch-icon",
    "manifest",
    "import",
    "preconnect",
    "dns-prefetch",
}
_ELSEWHERE = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:)?//", re.I)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^)'"]*)|@import\s+['"]([^'"]*)""", re.I)


def elsewhere(url: str, own: str = SITE_URL) -> bool:
    """Whether a browser would fetch `url` from another host than the site's own."""
    return bool(_ELSEWHERE.match(url)) and not url.strip().startswith((own, own.replace("http:", "https:", 1)))


def css_elsewhere(css: str) -> list[str]:
    return [u for m in _CSS_URL.finditer(css) if elsewhere(u := (m.group(1) or m.group(2) or ""))]


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in LOADING_ATTRS:
            if name not in values:
                continue
            urls = [c.split()[0] for c in values[name].split(",") if c.split()] if name == "srcset" else [values[name]]
            self.found += [f"<{tag} {name}={u}>" for u in urls if elsewhere(u)]
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and rels & LOADING_RELS and elsewhere(values.get("href", "")):
            self.found.append(f"<link rel={values['rel']} href={values['href']}>")
        self.found += [f"<{tag} style=url({u})>" for u in css_elsewhere(values.get("style", ""))]
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.found += [f"<style> url({u})" for u in css_elsewhere(data)]


def remote_loads(html: str) -> list[str]:
    scanner = _Loads()
    scanner.feed(html)
    return scanner.found


def test_the_scanner_finds_every_kind_of_remote_load() -> None:
    page = """<html><head><link rel="stylesheet" href="https://cdn.example/s.css">
    <link rel="canonical" href="https://handbook.example.org/"><style>p{background:url(//cdn.example/b.png)}</style>
    </head><body><img src="https://img.example/a.png"><img srcset="a.png 1x, //img.example/b.png 2x">
    <video poster="http://media.example/p.jpg"></video><object data="https://obj.example/o"></object>
    <p style="background-image: url('https://img.example/c.png')">x</p><a href="https://elsewhere.example/">a link</a>
    <img src="assets/local.png"><img src="OWN/assets/own.png"></body></html>""".replace("OWN/", SITE_URL)
    assert remote_loads(page) == [
        "<link rel=stylesheet href=https://cdn.example/s.css>",
        "<style> url(//cdn.example/b.png)",
        "<img src=https://img.example/a.png>",
        "<img srcset=//img.example/b.png>",
        "<video poster=http://media.example/p.jpg>",
        "<object data=https://obj.example/o>",
        "<p style=url(https://img.example/c.png)>",
    ]
    assert css_elsewhere("@import 'https://fonts.example/x.css'; a{b:url(data:image/svg+xml;x)}") == [
        "https://fonts.example/x.css"
    ]


def test_no_built_page_loads_anything_from_another_host(built_handbook: Path) -> None:
    site = built_handbook / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    found = {page.relative_to(site).as_posix(): remote_loads(page.read_text(encoding="utf-8")) for page in pages}
    assert {page: loads for page, loads in found.items() if loads} == {}


def test_no_stylesheet_of_the_site_loads_anything_from_another_host(built_handbook: Path) -> None:
    site = built_handbook / "site"
    sheets = sorted(site.rglob("*.css"))
    assert sheets
    found = {p.relative_to(site).as_posix(): css_elsewhere(p.read_text(encoding="utf-8")) for p in sheets}
    assert {sheet: urls for sheet, urls in found.items() if urls} == {}
