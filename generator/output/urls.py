"""Published URLs: the one place a record or a docs path becomes the address a reader sees.

A record's docs path comes from the kinds table (`Kind.url`, reached as `Index.url(kind, id)`: a
case study is `cases/<id>.md`, a finding `findings/<category>.md#<id>`). A docs path becomes a URL the way MkDocs
makes it, in both of its styles:

- directory URLs (`use_directory_urls: true`, the hosted site): `cases/gouda.md` -> `cases/gouda/`,
  `cases/index.md` -> `cases/`, `index.md` -> `` (the site's root);
- flat URLs (`use_directory_urls: false`, the offline edition): `cases/gouda.md` ->
  `cases/gouda.html`, `cases/index.md` -> `cases/index.html`.

The stable address printed on pages and in citations is always the directory form under
`site_url`. Pages, exports, redirects, search, `handbook diff`, editions and the templates (as the
Jinja global `published_url` and, in the theme, the filter of the same name) all call these
functions; tests/test_urls.py fails if a second way creeps back.
"""

from __future__ import annotations

import posixpath

from generator.records.kinds import BY_NAME, KINDS, Kind

INDEX_PAGE = "index.md"  # a folder's own page, addressed as the folder


def at_anchor(docs: str, anchor: str) -> str:
    """A page link moved to `anchor` on the same page ('findings/journey.md#j-1', 'j-2' ->
    'findings/journey.md#j-2'); with no anchor the link keeps its own."""
    return with_anchor(docs.partition("#")[0], anchor) if anchor else docs


def with_anchor(path: str, anchor: str) -> str:
    """'cases/gouda.md', 'factors' -> 'cases/gouda.md#factors'; an empty anchor adds nothing."""
    return path + (f"#{anchor}" if anchor else "")


def url_path(docs: str, directory_urls: bool = True) -> str:
    """A docs path ('cases/gouda.md#top') as its URL relative to the site root: 'cases/gouda/#top'
    with directory URLs, 'cases/gouda.html#top' with flat ones. The anchor is kept."""
    path, _, anchor = docs.partition("#")
    stem = path.removesuffix(".md")
    if not directory_urls:
        return with_anchor(stem + ".html", anchor)
    if path == INDEX_PAGE:
        stem = ""
    elif path.endswith("/" + INDEX_PAGE):
        stem = stem.removesuffix("index")
    else:
        stem += "/"
    return with_anchor(stem, anchor)


def site_file(docs: str, directory_urls: bool = True) -> str:
    """The file a docs page becomes in the built site: 'cases/gouda/index.html' (directory URLs)
    or 'cases/gouda.html' (flat). The anchor, if any, is dropped."""
    url = url_path(docs.partition("#")[0], directory_urls)
    return url + "index.html" if directory_urls else url


def published_url(site_url: str, docs: str) -> str:
    """A docs path as its absolute, stable address: `site_url` (ending in '/') plus its directory
    URL, e.g. 'https://handbook.example.org/cases/gouda/#top'."""
    return site_url + url_path(docs)


def relative_url(from_docs: str, to_docs: str, directory_urls: bool = True) -> str:
    """The link from one page's URL to another's, as the built site needs it: '../new/' from
    'cases/old/' to 'cases/new/' with directory URLs, 'new.html' with flat ones."""
    target, _, anchor = url_path(to_docs, directory_urls).partition("#")
    here = posixpath.dirname(site_file(from_docs, directory_urls)) or "."
    rel = posixpath.relpath(target or ".", here) + ("/" if directory_urls else "")
    return with_anchor(rel, anchor)


def page_folder(kind: Kind) -> str:
    """The folder of the site a kind's pages live in ('cases' for case studies), '' for a kind
    shown on a top-level page (glossary terms, review themes)."""
    return posixpath.dirname(kind.page)


def listing_folders() -> list[str]:
    """The folders that hold records' pages, each once, in the order of the kinds table; each has
    a listing page `<folder>/index.md`."""
    return list(dict.fromkeys(f for f in map(page_folder, KINDS) if f))


def listing_page(folder: str) -> str:
    """A folder's listing page in the docs folder: 'cases' -> 'cases/index.md'."""
    return f"{folder}/{INDEX_PAGE}"


def handout_page(pathway_id: str) -> str:
    """A course pathway's printable handout, beside the pathway's own page in the docs folder:
    'pathways/<id>-handout.md'."""
    return BY_NAME["pathway"].page.format(id=f"{pathway_id}-handout")
