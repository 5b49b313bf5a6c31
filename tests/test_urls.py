"""Published URLs: one function (generator/output/urls.py) and every producer agreeing with it.

The unit tests state the URL scheme on their own (it is an interface: courses and citations link
to it). The agreement tests take every record of the real content through each place that prints
or writes an address (pages, templates, exports, redirects, `handbook diff`, search, the built
site) and compare with the function, so a second way of making a URL that drifts fails here.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SITE_URL

from generator.commands.diff import affected
from generator.output import search, urls
from generator.output.exports import export_files
from generator.output.pages import Settings, render_pages
from generator.output.redirects import redirect_files
from generator.pipeline import check
from generator.records.kinds import BY_NAME, KINDS
from generator.stages.index import Index

SITE = "https://handbook.example.org/"

# --- the function ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("docs", "directory", "flat"),
    [
        ("index.md", "", "index.html"),
        ("cases/index.md", "cases/", "cases/index.html"),
        ("cases/gouda.md", "cases/gouda/", "cases/gouda.html"),
        ("glossary.md", "glossary/", "glossary.html"),
        ("glossary.md#asset", "glossary/#asset", "glossary.html#asset"),
        ("findings/assumption.md#a-1", "findings/assumption/#a-1", "findings/assumption.html#a-1"),
        ("literature/index.md#fn-12", "literature/#fn-12", "literature/index.html#fn-12"),
        ("editions/2027.1/index.md", "editions/2027.1/", "editions/2027.1/index.html"),
    ],
)
def test_url_path_in_both_styles(docs: str, directory: str, flat: str) -> None:
    assert urls.url_path(docs) == urls.url_path(docs, directory_urls=True) == directory
    assert urls.url_path(docs, directory_urls=False) == flat


@pytest.mark.parametrize(
    ("docs", "directory", "flat"),
    [
        ("index.md", "index.html", "index.html"),
        ("cases/index.md", "cases/index.html", "cases/index.html"),
        ("cases/gouda.md#top", "cases/gouda/index.html", "cases/gouda.html"),
        ("literature-review.md", "literature-review/index.html", "literature-review.html"),
    ],
)
def test_site_file_in_both_styles(docs: str, directory: str, flat: str) -> None:
    assert urls.site_file(docs) == directory
    assert urls.site_file(docs, directory_urls=False) == flat


def test_published_url_is_the_directory_form_under_site_url_with_the_anchor() -> None:
    assert urls.published_url(SITE, "cases/gouda.md") == "https://handbook.example.org/cases/gouda/"
    assert urls.published_url(SITE, "cases/gouda.md#factors") == "https://handbook.example.org/cases/gouda/#factors"
    assert urls.published_url(SITE, "index.md") == SITE
    assert (
        urls.published_url("https://x.org/editions/2027.1/", "glossary.md#a")
        == "https://x.org/editions/2027.1/glossary/#a"
    )


@pytest.mark.parametrize(
    ("old", "new", "directory", "flat"),
    [
        ("cases/old.md", "cases/new.md", "../new/", "new.html"),
        ("literature/old.md", "cases/new.md#x", "../../cases/new/#x", "../cases/new.html#x"),
        ("glossary.md", "about.md", "../about/", "about.html"),
    ],
)
def test_relative_url_from_one_page_to_another(old: str, new: str, directory: str, flat: str) -> None:
    assert urls.relative_url(old, new) == directory
    assert urls.relative_url(old, new, directory_urls=False) == flat


def test_at_anchor_moves_a_link_to_another_anchor_or_keeps_its_own() -> None:
    assert urls.at_anchor("findings/journey.md#j-1", "j-2") == "findings/journey.md#j-2"
    assert urls.at_anchor("findings/journey.md#j-1", "") == "findings/journey.md#j-1"
    assert urls.at_anchor("cases/gouda.md", "factors") == "cases/gouda.md#factors"


def test_listing_pages_come_from_the_kinds_table() -> None:
    assert urls.listing_folders() == [
        "cases",
        "factors",
        "lifecycle",
        "triangles",
        "literature",
        "findings",
        "toolkit",
        "pathways",
    ]
    assert urls.listing_page("cases") == "cases/index.md"
    assert urls.handout_page("first-session") == "pathways/first-session-handout.md"


# The published scheme of every kind, written out: (directory URL, flat URL) of a record.
SCHEME = {
    "case-study": ("cases/{id}/", "cases/{id}.html"),
    "factor": ("factors/{id}/", "factors/{id}.html"),
    "phase": ("lifecycle/{id}/", "lifecycle/{id}.html"),
    "triangle": ("triangles/{id}/", "triangles/{id}.html"),
    "work": ("literature/{id}/", "literature/{id}.html"),
    "footnote": ("literature/#{id}", "literature/index.html#{id}"),
    "term": ("glossary/#{id}", "glossary.html#{id}"),
    "finding": ("findings/{category}/#{id}", "findings/{category}.html#{id}"),
    "review-theme": ("literature-review/#{id}", "literature-review.html#{id}"),
    "toolkit-step": ("toolkit/{id}/", "toolkit/{id}.html"),
    "pathway": ("pathways/{id}/", "pathways/{id}.html"),
    "diagnosis-rules": ("toolkit/self-diagnosis/", "toolkit/self-diagnosis.html"),
}


@pytest.fixture(scope="module")
def index() -> Index:
    return check(REPO)


def test_the_scheme_names_every_kind() -> None:
    assert set(SCHEME) == set(BY_NAME)


@pytest.mark.parametrize("kind", [k.name for k in KINDS])
def test_records_of_every_kind_in_both_styles(index: Index, kind: str) -> None:
    records = index.all(kind)
    assert records, f"the content has no {kind} record to test with"
    directory, flat = SCHEME[kind]
    for r in records:
        fields = {"id": r.id, "category": getattr(r, "category", "")}
        docs = index.url(kind, r.id)
        assert urls.url_path(docs) == directory.format(**fields)
        assert urls.url_path(docs, directory_urls=False) == flat.format(**fields)
        assert urls.published_url(SITE, docs) == SITE + directory.format(**fields)


# --- every producer agrees with the function ---------------------------------------------------


def _page_records(index: Index) -> list[tuple[str, Any]]:
    """(kind, record) of every record that has a page of its own."""
    return [(k.name, r) for k in KINDS if k.template for r in index.all(k.name)]


@pytest.fixture(scope="module")
def pages(index: Index) -> dict[str, str]:
    return render_pages(index, Settings("T", SITE, "", "2026-01-01"), REPO / "site_templates", {})


def test_pages_are_written_at_the_records_docs_paths(index: Index, pages: dict[str, str]) -> None:
    for kind, r in _page_records(index):
        assert index.url(kind, r.id) in pages, (kind, r.id)
    for folder in urls.listing_folders():
        assert urls.listing_page(folder) in pages, folder
    for p in index.all("pathway"):
        assert urls.handout_page(p.id) in pages, p.id


def test_case_pages_cite_their_published_url(index: Index, pages: dict[str, str]) -> None:
    for case in index.all("case-study"):
        address = urls.published_url(SITE, index.url("case-study", case.id))
        assert re.search(rf"^> .* {re.escape(address)}$", pages[index.url("case-study", case.id)], re.M), case.id


def test_handouts_print_each_steps_published_url(index: Index, pages: dict[str, str]) -> None:
    steps = 0
    for p in index.all("pathway"):
        text = pages[urls.handout_page(p.id)]
        for step in p.steps:
            kind, _, rest = step.link.partition("/")
            rid, _, anchor = rest.partition("#")
            address = urls.published_url(SITE, urls.at_anchor(index.url(kind, rid), anchor))
            assert f'<span class="hb-handout-url">{address}</span>' in text, step.link
            steps += 1
    assert steps


def test_case_citations_in_the_exports_use_the_published_url(index: Index) -> None:
    files = export_files(index, "T", SITE, "2026")
    for case in index.all("case-study"):
        csl = json.loads(files[f"downloads/cite/case-study-{case.id}.json"])[0]
        assert csl["URL"] == urls.published_url(SITE, index.url("case-study", case.id))
    assert json.loads(files["downloads/cite/handbook.json"])[0]["URL"] == SITE


class _Renamed:
    """The index with every record given a former id 'old-<id>', so each page gets a redirect."""

    def __init__(self, index: Index) -> None:
        self._index = index

    def all(self, kind: str) -> list[Any]:
        return [r.model_copy(update={"moved_from": [f"old-{r.id}"]}) for r in self._index.all(kind)]


_REFRESH = re.compile(rb'http-equiv="refresh" content="0; url=([^"]+)"')


def test_redirects_lead_to_the_records_page_in_both_styles(index: Index) -> None:
    files = redirect_files(_Renamed(index))  # type: ignore[arg-type]
    for kind, r in _page_records(index):
        new = index.url(kind, r.id)
        old = BY_NAME[kind].page.format(id=f"old-{r.id}", category="")
        for style in (True, False):
            stub = urls.site_file(old, style)
            target = _REFRESH.search(files[stub]).group(1).decode()  # type: ignore[union-attr]
            landed = posixpath.normpath(posixpath.join(posixpath.dirname(stub), target))
            assert landed == posixpath.normpath(urls.url_path(new, style)), (stub, target)


def test_diff_names_each_record_by_its_url_path(index: Index) -> None:
    for kind in KINDS:
        for r in index.all(kind.name):
            assert affected(index, kind.name, r.id)[0] == urls.url_path(index.url(kind.name, r.id))


def test_search_weighs_work_pages_and_not_their_listing(index: Index) -> None:
    weights = search.QUIET["work"]
    for w in index.all("work"):
        assert search._quiet(urls.site_file(index.url("work", w.id))) == weights
    assert search._quiet(urls.site_file(urls.listing_page("literature"))) is None
    for kind, r in _page_records(index):
        if kind != "work":
            assert search._quiet(urls.site_file(index.url(kind, r.id))) is None, (kind, r.id)


def test_the_built_site_serves_each_record_at_its_url(built_handbook: Path) -> None:
    """MkDocs, the theme's print header (the hook's filter) and Pagefind agree with the function."""
    site = built_handbook / "site"
    published = check(built_handbook, drafts=False)
    indexed = {f["url"] for f in search.read_fragments(site)}
    header = re.compile(r'<p class="hb-print-header__url">([^<]*)</p>')
    for kind, r in _page_records(published):
        docs = published.url(kind, r.id)
        html = (site / urls.site_file(docs)).read_text(encoding="utf-8")
        assert header.findall(html) == [urls.published_url(SITE_URL, docs)], docs
        assert "/" + urls.url_path(docs) in indexed, docs


def test_no_second_implementation_in_the_code() -> None:
    """Turning a docs path into a URL by hand ('.md' to '/' or '.html', or MkDocs' canonical_url
    patched up) happens only in generator/output/urls.py."""
    hand_made = re.compile(
        r"""removesuffix\(["']\.md["']\)|replace\(\s*["']\.md["']|canonical_url|\+ ?["']/?index\.html"""
    )
    found = []
    for path in sorted(
        [
            *(REPO / "generator").rglob("*.py"),
            *(REPO / "site_templates").rglob("*.j2"),
            *(REPO / "site_templates" / "overrides").rglob("*.html"),
        ]
    ):
        if path == REPO / "generator" / "output" / "urls.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if hand_made.search(line):
                found.append(f"{path.relative_to(REPO)}:{n}: {line.strip()}")
    assert not found, "a docs path made into a URL outside generator/output/urls.py:\n" + "\n".join(found)


def test_category_titles_name_every_category_of_the_models() -> None:
    """Finding categories and factor clusters are titled in models.py, one title per allowed value."""
    from typing import get_args

    from generator.records import models

    assert set(models.FINDING_CATEGORY_TITLES) == set(get_args(models.FindingCategory))
    assert set(models.CLUSTER_TITLES) == set(get_args(models.Cluster))
