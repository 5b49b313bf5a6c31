"""The hosted edition's search index: Pagefind, run on the built site as a stage after MkDocs.

Material's own search writes one index that every page fetches when it loads (35 MB at a
thousand cases); Pagefind writes a chunked index that the page's search box loads only when the
reader starts typing, a few chunks per query. The offline edition (file://, where Pagefind cannot
load) keeps Material's search; see mkdocs-offline.yml.

The stage marks up each page before indexing (the marks are inert attributes, the page looks and
works the same):
- `data-pagefind-body` on the article: only the page's own text is indexed, never the header,
  menus or footer repeated on every page;
- `data-pagefind-weight` on the page title (h1), so a page about a thing ranks above pages that
  mention it in passing;
- a section whose heading carries `data-search-exclude` (sources, citations, link lists: the
  attribute Material's search honours) is wrapped in `data-pagefind-ignore`, and so is every other
  element with that attribute.
Then it writes `pagefind/words.json`: the words of the pages' titles and headings, which the search
box uses to correct a mistyped query (Pagefind itself matches prefixes, not misspellings).

In a build, the indexing runs beside MkDocs on the second core (generator/hooks/search.py): as
MkDocs converts each page's Markdown it writes the page's article, marked, into a folder of its
own (`shadow_page`), and Pagefind starts on that folder once every page is converted, while MkDocs
is still rendering and writing the pages; the build waits for it at the end. A page whose front
matter says `search: exclude: true` (Material's switch) is left out. `index_site` does the same
after the fact, on a built site.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path

from generator.errors import BuildError
from generator.output import urls
from generator.records.kinds import BY_NAME

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
WORDS_FILE = "words.json"
# Set for MkDocs by the build (generator/output/publish.py): a folder where the search hook keeps
# the pages it marks and, when Pagefind is done, RESULT_FILE with its figures.
ENV = "HANDBOOK_SEARCH_INDEX"
PAGES_DIR = "pages"
RESULT_FILE = "result.json"
# Pagefind weighs an h1 7.0 and body text 1.0 by default. Record pages (cases, factors, phases,
# the toolkit) and their titles rank above passing mentions; a bibliography entry, a short page
# that names its publisher again and again, ranks below the records that use it.
TITLE_WEIGHT = "10"
QUIET = {"work": ("0.3", "2")}  # kind of record: (weight of its pages' text, of their titles)
# Never indexed, even inside the article: the print header, heading permalinks, the text
# versions of charts already excluded from Material's search, anything marked for exclusion.
EXCLUDE = [
    "[data-search-exclude]",
    ".hb-print-header",
    ".headerlink",
    ".md-source-file",
    ".md-content__button",
    "[data-bokeh-item]",
    "script",
]
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"')
_H1 = re.compile(r"<h1(?=[\s>])")
_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W\d_]{4,}")
_ARTICLE_END = "</article>"


class SearchIndexError(BuildError):
    """Pagefind failed on the built site."""


@dataclass(frozen=True)
class IndexResult:
    pages: int
    seconds: float  # Pagefind's run, with the marking where that was a pass of its own
    bytes: int
    waited: float  # what it added to the build: the wait once MkDocs was done, or all of it when run after


def mark_page(html: str, path: str = "") -> tuple[str, list[str]]:
    """The page (at `path` in the site) with Pagefind's marks added, and the text of its headings
    (title first). A page without Material's article (a redirect stub) comes back unchanged and is
    not indexed."""
    m = _ARTICLE.search(html)
    if not m:
        return html, []
    start = m.end()
    end = html.find(_ARTICLE_END, start)
    if end < 0:
        return html, []
    body = html[start:end]
    headings = [_text(h.group(3)) for h in _HEADING.finditer(body)]
    body_weight, title_weight = _quiet(path) or (None, TITLE_WEIGHT)
    body = _H1.sub(f'<h1 data-pagefind-weight="{title_weight}"', body, count=1)
    body = _wrap_excluded_sections(body)
    mark = " data-pagefind-body" + (f' data-pagefind-weight="{body_weight}"' if body_weight else "")
    return html[:start] + mark + body + html[end:], [h for h in headings if h]


def _quiet(path: str) -> tuple[str, str] | None:
    """The weights of a record page in QUIET (`path` is its file in the built site), else None. A
    kind's folder holds its records' pages and its listing page, which is not quiet."""
    for kind, weights in QUIET.items():
        folder = urls.page_folder(BY_NAME[kind])
        if path.startswith(folder + "/") and path != urls.site_file(urls.listing_page(folder)):
            return weights
    return None


def _text(fragment: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", fragment)).split())


def _wrap_excluded_sections(body: str) -> str:
    """Wrap each section whose heading has data-search-exclude, up to the next heading of the same
    or a higher level, in a `data-pagefind-ignore` block (Material's search drops such a section
    whole; Pagefind's selectors would drop the heading alone)."""
    out: list[str] = []
    pos = 0
    heads = list(_HEADING.finditer(body))
    for i, h in enumerate(heads):
        if h.start() < pos or "data-search-exclude" not in h.group(2):
            continue
        level = int(h.group(1))
        stop = next((n.start() for n in heads[i + 1 :] if int(n.group(1)) <= level), len(body))
        out.append(body[pos : h.start()])
        out.append('<div data-pagefind-ignore="all">' + body[h.start() : stop] + "</div>")
        pos = stop
    out.append(body[pos:])
    return "".join(out)


def prepare_site(site: Path) -> tuple[int, list[str]]:
    """Mark every page of the built site in place; returns the number of pages marked and the
    sorted vocabulary of their headings."""
    words: set[str] = set()
    pages = 0
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html" or rel.startswith((BUNDLE + "/", "assets/")):
            continue
        html = path.read_text(encoding="utf-8")
        marked, headings = mark_page(html, rel)
        if marked is html:
            continue
        path.write_text(marked, encoding="utf-8")
        pages += 1
        words |= heading_words(headings)
    return pages, sorted(words)


def shadow_page(content: str, title: str, path: str) -> tuple[str, list[str]]:
    """What Pagefind reads of a page whose converted Markdown is `content` (MkDocs' page.content),
    marked as `mark_page` marks the built page: its article alone, with the title as Material adds
    it when the text has no h1. Returns it with the text of its headings (title first)."""
    h1 = "" if "<h1" in content else f"<h1>{escape(title)}</h1>"
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f'<body><article class="md-content__inner md-typeset">{h1}{content}{_ARTICLE_END}</body></html>'
    )
    return mark_page(html, path)


def heading_words(headings: list[str]) -> set[str]:
    """The words of these headings that words.json offers for correcting a query."""
    return {w.lower() for h in headings for w in _WORD.findall(h)}


def start_pagefind(pages: Path, bundle: Path, config_dir: Path) -> subprocess.Popen[bytes]:
    """Pagefind started on the folder `pages`, writing its bundle into `bundle`; its configuration
    and its output go into `config_dir` (Pagefind reads its configuration from the folder it runs in)."""
    config = {
        "site": str(pages.resolve()),
        "output_path": str(bundle.resolve()),
        "exclude_selectors": EXCLUDE,
        "force_language": "en",
    }
    (config_dir / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
    with (config_dir / "pagefind.log").open("wb") as out:  # a file, not a pipe nobody reads while it runs
        return subprocess.Popen([sys.executable, "-m", "pagefind", "--quiet"], cwd=config_dir, stdout=out, stderr=out)


def finish_pagefind(proc: subprocess.Popen[bytes], bundle: Path, config_dir: Path, words: set[str]) -> int:
    """Wait for Pagefind, check what it wrote, write the heading vocabulary beside its index; the
    bundle's size in bytes. Raises SearchIndexError when Pagefind failed."""
    code = proc.wait()
    if code != 0:
        log_file = config_dir / "pagefind.log"
        said = log_file.read_text(encoding="utf-8", errors="replace").strip() if log_file.is_file() else ""
        raise SearchIndexError(said or f"pagefind exited with status {code}")
    if not (bundle / "pagefind.js").is_file():
        raise SearchIndexError(f"{bundle}: Pagefind wrote no pagefind.js. Is the pagefind[bin] package installed?")
    (bundle / WORDS_FILE).write_text(json.dumps(sorted(words), separators=(",", ":")), encoding="utf-8")
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())


def index_site(site: Path) -> IndexResult:
    """Mark the pages of a built site, run Pagefind on `site` (writing site/pagefind/) and write the
    heading vocabulary beside its index (a build does this beside MkDocs instead: hooks/search.py)."""
    started = time.perf_counter()
    pages, words = prepare_site(site)
    with tempfile.TemporaryDirectory(prefix="pagefind-") as tmp:
        proc = start_pagefind(site, site / BUNDLE, Path(tmp))
        size = finish_pagefind(proc, site / BUNDLE, Path(tmp), set(words))
    seconds = time.perf_counter() - started
    result = IndexResult(pages, seconds, size, waited=seconds)
    log.info("search: indexed %d pages in %.2f s (%d KiB)", result.pages, result.seconds, result.bytes // 1024)
    return result


def read_result(work: Path) -> IndexResult | None:
    """The figures the search hook left in `work` (the folder named by ENV), or None when it left none
    (a mkdocs.yml that does not list generator/hooks/search.py)."""
    path = work / RESULT_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return IndexResult(int(data["pages"]), float(data["seconds"]), int(data["bytes"]), float(data["waited"]))


FRAGMENT_SIGNATURE = b"pagefind_dcd"
_HEADING_ELEMENTS = {"h2", "h3", "h4", "h5", "h6"}


def read_fragments(site: Path) -> list[dict]:
    """What Pagefind indexed, page by page (its fragment files: gzipped JSON after a signature):
    url, content (the indexed text), meta (title) and anchors (the page's headings with ids)."""
    out = []
    for path in sorted((site / BUNDLE / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        if not raw.startswith(FRAGMENT_SIGNATURE):
            raise SearchIndexError(f"{path}: not a Pagefind fragment")
        out.append(json.loads(raw[len(FRAGMENT_SIGNATURE) :]))
    return out


def sections(site: Path) -> list[dict[str, str]]:
    """The index as [{location, title, text}], one entry per page (its text before the first
    section) and one per section, as Material's search_index.json has them."""
    docs = []
    for frag in read_fragments(site):
        words = frag["content"].split()
        page = frag["url"].lstrip("/")
        cuts = sorted(
            (a["location"], a["id"], a["text"]) for a in frag.get("anchors", []) if a["element"] in _HEADING_ELEMENTS
        )
        first = cuts[0][0] if cuts else len(words)
        docs.append({"location": page, "title": frag["meta"].get("title", ""), "text": " ".join(words[:first])})
        for i, (at, anchor, title) in enumerate(cuts):
            end = cuts[i + 1][0] if i + 1 < len(cuts) else len(words)
            docs.append({"location": f"{page}#{anchor}", "title": title, "text": " ".join(words[at:end])})
    return docs
