"""The real thing: the real handbook built with `mkdocs build --strict`, asserted on its HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pagefind_index import search_docs

from generator.charts.bokeh_json import BOKEH_FILE
from generator.charts.draw import chart_item
from generator.commands.linkcheck import broken_links, parse
from generator.pipeline import check

REPO = Path(__file__).resolve().parent.parent
INDEX = check(REPO)


def _site(project: Path) -> Path:
    return project / "site"


def _html(project: Path, page: str) -> str:
    return (_site(project) / page / "index.html").read_text(encoding="utf-8")


def _links(project: Path, page: str) -> list[str]:
    return parse(_site(project) / page / "index.html").links


@pytest.mark.parametrize(
    "kind, folder",
    [
        ("case-study", "cases"),
        ("factor", "factors"),
        ("phase", "lifecycle"),
        ("work", "literature"),
        ("triangle", "triangles"),
    ],
)
def test_every_record_has_a_page(built_handbook: Path, kind: str, folder: str) -> None:
    for record in INDEX.all(kind):
        assert (_site(built_handbook) / folder / record.id / "index.html").is_file(), record.id


def test_home_and_listing_pages(built_handbook: Path) -> None:
    for page in (
        "",
        "cases",
        "factors",
        "lifecycle",
        "literature",
        "toolkit",
        "findings",
        "glossary",
        "about",
        "literature-review",
    ):
        assert (_site(built_handbook) / page / "index.html").is_file(), page


def test_no_broken_internal_links_or_anchors(built_handbook: Path) -> None:
    assert broken_links(_site(built_handbook)) == []


def test_case_and_factor_link_both_ways(built_handbook: Path) -> None:
    for case in INDEX.all("case-study"):
        for use in [*case.triggers, *case.drivers, *case.enablers]:
            assert f"../../factors/{use.factor}/" in _links(built_handbook, f"cases/{case.id}")
            assert any(h.startswith(f"../../cases/{case.id}/") for h in _links(built_handbook, f"factors/{use.factor}"))


def test_case_and_phase_link_both_ways(built_handbook: Path) -> None:
    placed = [c for c in INDEX.all("case-study") if c.phase]
    assert placed
    for case in placed:
        assert f"../../lifecycle/{case.phase.phase}/" in _links(built_handbook, f"cases/{case.id}")
        assert any(
            h.startswith(f"../../cases/{case.id}/") for h in _links(built_handbook, f"lifecycle/{case.phase.phase}")
        )


def test_case_and_work_link_both_ways(built_handbook: Path) -> None:
    for case in INDEX.all("case-study"):
        for citation in case.citations:
            assert f"../../literature/{citation.work}/" in _links(built_handbook, f"cases/{case.id}")
            assert f"../../cases/{case.id}/" in _links(built_handbook, f"literature/{citation.work}")


def test_search_index_finds_girfec_in_the_highlands(built_handbook: Path) -> None:
    docs = search_docs(_site(built_handbook))
    hits = {d["location"].split("#")[0] for d in docs if re.search(r"\bGIRFEC\b", d["text"] + d["title"])}
    assert "cases/highlands/" in hits


def _search_docs(project: Path) -> list[dict[str, str]]:
    """The hosted edition's search index (Pagefind), section by section."""
    return search_docs(_site(project))


def _words(text: str) -> str:
    """Text as a string of words, so Markdown, tags and entities do not matter when comparing."""
    return " ".join(re.findall(r"[^\W_]+", re.sub(r"<[^>]+>|&\w+;", " ", text)))


def test_search_index_leaves_out_sources_citation_and_link_lists(built_handbook: Path) -> None:
    """`data-search-exclude` keeps what repeats on every page, or what only points elsewhere, out of
    the search index (Material's in the offline edition; Pagefind's, through generator/output/search.py,
    in the hosted one): a section under such a heading goes whole."""
    docs = _search_docs(built_handbook)
    text = " ".join(d["text"] for d in docs)
    for phrase in ("From the report:", "Used on:", "The timeline as text:", "Read this part of the story"):
        assert phrase not in text, phrase
    case_pages = [d for d in docs if d["location"].startswith("cases/") and d["location"] != "cases/"]
    anchors = {d["location"].split("#")[1] for d in case_pages if "#" in d["location"]}
    assert not anchors & {"background", "literature", "terms", "cite"}
    assert "The triangle as text:" not in " ".join(d["text"] for d in case_pages)
    assert not [d for d in docs if re.fullmatch(r"factors/[^/]+/#cases", d["location"])]
    highlands = {d["location"]: d for d in docs if d["location"].startswith("cases/highlands/")}
    timeline = _words(highlands["cases/highlands/#timeline"]["text"])
    case = INDEX.get("case-study", "highlands")
    for event in case.timeline:
        for note in [event.date_note or "", *(f"{s.section} (lines {s.lines})" for s in event.sources if s.lines)]:
            assert not note or _words(note) not in timeline, note
    page = _words(" ".join(d["text"] for d in highlands.values()))
    for citation in case.citations:
        work = INDEX.get("work", citation.work)
        assert _words(f"{', '.join(work.authors)} ({work.year or 'n.d.'}) {work.title}") not in page, work.id
    assert "Case study drawn from NESTA" not in " ".join(d["text"] for d in case_pages)
    for page in _site(built_handbook).rglob("*.html"):
        assert "data-search-exclude }" not in page.read_text(encoding="utf-8"), page


def test_search_index_keeps_what_readers_look_for(built_handbook: Path) -> None:
    docs = {d["location"]: d for d in _search_docs(built_handbook)}
    case = INDEX.get("case-study", "highlands")
    assert docs["cases/highlands/"]["title"] == case.title
    assert _words(case.summary) in _words(docs["cases/highlands/"]["text"])
    timeline = _words(docs["cases/highlands/#timeline"]["text"])
    for event in case.timeline:
        assert _words(event.label) in timeline, event.id
        assert _words(event.description) in timeline, event.id
    factor = INDEX.get("factor", "charismatic-leadership")
    assert docs["factors/charismatic-leadership/"]["title"] == factor.name
    term = INDEX.get("term", "girfec")
    assert _words(term.definition) in _words(docs[f"glossary/#{term.id}"]["text"])
    assert "The triangle as text:" in docs["triangles/latent/"]["text"]


def test_nothing_is_loaded_from_another_host(built_handbook: Path) -> None:
    for page in _site(built_handbook).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html):
            if 'rel="canonical"' in tag:  # names the page's address; the browser requests nothing
                continue
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), f"{page}: {tag}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_bokehjs_is_served_from_the_site_and_matches_the_package(built_handbook: Path) -> None:
    from bokeh.settings import settings

    served = _site(built_handbook) / BOKEH_FILE
    assert served.read_bytes() == (Path(settings.bokehjs_path()) / "js" / "bokeh.min.js").read_bytes()


def test_chart_json_is_never_in_a_typed_script_block(built_handbook: Path) -> None:
    html = _html(built_handbook, "cases/highlands")
    content = html[html.index("<article") : html.index("</article>")]  # what instant navigation swaps in
    assert 'data-bokeh-src="charts/' in content
    assert not re.search(r'<script[^>]+type="application/json"', content)
    assert "data-bokeh-item" not in content  # the JSON is in its own file, not in the page


def test_each_chart_is_one_file_named_by_its_input(built_handbook: Path) -> None:
    from generator.charts.draw import chart_path
    from generator.charts.plan import chart_specs
    from generator.pipeline import check

    specs = chart_specs(check(built_handbook))
    site = _site(built_handbook)
    srcs = {}
    for page in ("cases/highlands", "cases/knowsley", "triangles/mainstreaming-success", "cases"):
        srcs[page] = dict(re.findall(r'id="chart-([^"]+)"[^>]*data-bokeh-src="([^"]+)"', _html(built_handbook, page)))
    for found in srcs.values():
        for name, src in found.items():
            kind, data, _ = specs[name]
            assert "assets/" + src == chart_path(name, kind, data)
            script = (site / "assets" / src).read_bytes()
            assert script.startswith(f'hbChart("{src[len("charts/") : -len(".js")]}",'.encode())
            assert chart_item(script)["root_id"].startswith(name + "-")
    # a chart shown on several pages is one file: the same triangle on a case page and its own page
    shared = set(srcs["cases/highlands"].items()) & set(srcs["triangles/mainstreaming-success"].items())
    assert shared, srcs
    assert len({*srcs["cases/highlands"].values(), *srcs["cases/knowsley"].values()}) == 4


def test_sidebar_lists_only_listing_pages(built_handbook: Path) -> None:
    html = _html(built_handbook, "cases/highlands")
    nav = html[html.index('class="md-nav md-nav--primary"') : html.index('class="md-sidebar md-sidebar--secondary"')]
    assert len(re.findall(r'class="md-nav__link', nav)) < 20
