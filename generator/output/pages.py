"""The index -> Markdown pages, with Jinja. Returns {path: text}; writes nothing.

Every value a template prints is escaped for Markdown unless it went through one of the
filters below, which sanitise it: content can never inject HTML, attribute lists or
script links into a page (the documented safe subset is in CONTRIBUTING.md).
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from generator.charts import legends
from generator.charts.plan import trigger_year
from generator.errors import TemplateError
from generator.jobs import Mapper, in_turn
from generator.output import selfdiagnosis, urls
from generator.output.finder import shown_facets
from generator.records import models
from generator.records.kinds import BY_NAME
from generator.stages.index import Index, case_uses

if TYPE_CHECKING:
    from generator.speed.pages import PageCache


@dataclass(frozen=True)
class Settings:
    site_name: str
    site_url: str
    repo_url: str
    build_date: str  # from SOURCE_DATE_EPOCH or the newest review date: never the clock
    edition: str = ""  # a dated edition's name, "" for the current handbook (see generator/commands/editions.py)

    @property
    def edition_label(self) -> str:
        """How citations name the edition: 'edition 2027.1', or the current version with its date."""
        return f"edition {self.edition}" if self.edition else f"current version, built {self.build_date}"

    @property
    def placeholder(self) -> bool:
        """Built without the published address: printed addresses and citations are placeholders."""
        from generator.config import PLACEHOLDER_SITE_URL

        return self.site_url == PLACEHOLDER_SITE_URL


Job = tuple[str, str, dict[str, Any]]  # (page path, template, the page's own context)


def render_pages(
    index: Index,
    settings: Settings,
    templates: Path,
    charts: dict[str, str],
    reuse: PageCache | None = None,
    run: Mapper | None = None,
) -> dict[str, str]:
    """Every page of the handbook, as Markdown text keyed by its path under the docs folder. With
    `reuse` (generator/speed/pages.py), pages whose inputs did not change since the last build are
    left out. `run` maps the page jobs (generator/speed/parallel.py: on two cores); by default in turn."""
    env = reuse.environment(templates, make_environment) if reuse is not None else make_environment(templates)
    trusted_charts = {name: Markup(snippet) for name, snippet in charts.items()}  # built by generator/charts/draw.py
    base = {
        "index": index,
        "site": settings,
        "charts": trusted_charts,
        "finding_pages": models.FINDING_CATEGORY_TITLES,
        "kinds": list(BY_NAME.values()),
    }
    if reuse is not None:
        reuse.charts = trusted_charts

    def one(job: Job) -> tuple[str | None, Any]:
        """The page's text (None when reused) and what the page cache learnt about it."""
        path, template, extra = job
        if reuse is None:
            return _render(env, template, {**base, "page_path": path, **extra}), None
        key = reuse.page_key(path, template, extra)
        if reuse.reusable(path, key):
            return None, reuse.outcome(path)
        recorder = reuse.recorder()
        context = {**base, **recorder.context()}  # index and charts that record what the page reads
        text = _render(env, template, {**context, "page_path": path, **extra})
        reuse.remember(path, key, recorder)
        return text, reuse.outcome(path)

    jobs = page_jobs(index)
    if run is not None:  # compiled here once, not in each process the jobs are split between
        compile_templates(env)
    pages: dict[str, str] = {}
    for (path, _, _), (text, outcome) in zip(jobs, (run or in_turn)(one, jobs), strict=True):
        if text is not None:
            pages[path] = text
        if reuse is not None:
            reuse.adopt(path, outcome, rendered=text is not None)
    return pages


def page_jobs(index: Index) -> list[Job]:
    """Every page to write, in order: (path under the docs folder, template, the page's context)."""
    jobs: list[Job] = []

    def page(path: str, template: str, **extra: Any) -> None:
        jobs.append((path, template, extra))

    for name in ("index", "about", "glossary", "literature-review", "data"):
        page(f"{name}.md", f"{name}.md.j2")
    page("compare.md", "compare.md.j2")
    page(selfdiagnosis.PAGE_PATH, "self-diagnosis.md.j2", diagnosis=selfdiagnosis.page_context(index))
    for folder in (*urls.listing_folders(), "downloads", "schemas"):  # every folder is an address too
        page(urls.listing_page(folder), f"{folder}-index.md.j2")
    for pathway in index.all("pathway"):
        page(
            urls.handout_page(pathway.id),
            "pathway-handout.md.j2",
            record=pathway,
            source=index.source_path("pathway", pathway.id),
        )
    for category, title in models.FINDING_CATEGORY_TITLES.items():
        page(BY_NAME["finding"].page.format(category=category), "findings.md.j2", category=category, title=title)
    for kind in BY_NAME.values():
        if not kind.template:
            continue
        for record in index.all(kind.name):
            page(kind.url(record), kind.template, record=record, source=index.source_path(kind.name, record.id))
    return jobs


def _render(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    """One page; a template that fails is reported as the handbook's TemplateError (exit 2)."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateError as e:
        raise TemplateError(e) from e


def template_names(env: jinja2.Environment) -> list[str]:
    """Every template of the folder (the pages' and the macros they import)."""
    return env.list_templates(extensions=["j2"])


def compile_templates(env: jinja2.Environment) -> None:
    """Compile every template into the environment (or load it from its bytecode cache: the templates
    compiled ahead, generator/speed/templates.py): rendering the pages on two cores then compiles
    each template once, before the split, instead of once in each process (about 0.2 s of a small
    build). A template that does not compile is reported as `_render` does."""
    try:
        for name in template_names(env):
            env.get_template(name)
    except jinja2.TemplateError as e:
        raise TemplateError(e) from e


def make_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # macro output is Markup; every other value goes through escape_text
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        comment_start_string="{%#",  # so Markdown's {#anchor} needs no escaping in templates
        comment_end_string="#%}",
        finalize=escape_text,
    )
    env.filters.update(md=md, cell=cell, json=json_string, href=href)
    env.globals.update(
        step_url=step_url,
        trigger_year=trigger_year,
        years=years,
        url=url,
        page_url=page_url,
        case_uses=case_uses,
        kind_label=kind_label,
        evidence_label=evidence_label,
        report_work=models.REPORT_WORK,
        cluster_titles=models.CLUSTER_TITLES,
        step_titles=step_titles,
        step_address=step_address,
        published_url=published_url,
        handout_page=urls.handout_page,
    )
    env.globals.update(legends.GLOBALS)
    env.globals.update(finder_facets=shown_facets)
    return env


# --- escaping and sanitising --------------------------------------------------------------------

_HTMLISH = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;"})
_PLAIN = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;"}
)
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(\s+\"[^\"]*\")?\s*\)")
_REF_DEF = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(\S+)", re.M)
_SAFE_URL = re.compile(r"^(https?://|#|mailto:)", re.I)
_SNIPPET = re.compile(r"-{1,3}8<-{1,3}")


def escape_text(value: Any) -> Any:
    """Escape a plain value for Markdown: no HTML, no attribute lists, no links. Markup passes as it is."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(value.translate(_PLAIN))


def md(value: str | None) -> Markup:
    """Sanitise a Markdown field: paragraphs, lists, emphasis and http(s) links; no HTML."""
    if value is None:
        return Markup("")
    text = value.translate(_HTMLISH)
    text = _SNIPPET.sub("--8&lt;--", text)
    text = _LINK.sub(lambda m: m.group(0) if _SAFE_URL.match(m.group(2)) else m.group(1), text)  # keep the words
    text = _REF_DEF.sub(lambda m: m.group(0) if _SAFE_URL.match(m.group(2)) else "", text)
    return Markup(text.strip())


def cell(value: Any) -> Markup:
    """A value for one table cell: one line, pipes escaped."""
    if value is None:
        return Markup("")
    text = str(value) if isinstance(value, Markup) else str(escape_text(str(value)))
    return Markup(" ".join(text.split()).replace("|", "\\|"))


def json_string(value: Any) -> Markup:
    """A front-matter value (page title, description): a JSON string is valid YAML whatever the text
    holds, and it is HTML-escaped because the theme prints titles into pages unescaped."""
    import markupsafe

    return Markup(json.dumps(str(markupsafe.escape(str(value))), ensure_ascii=False))


def href(value: str) -> Markup:
    """An address for a Markdown link; anything but http(s) becomes a dead '#'."""
    return Markup(value) if re.match(r"^https?://[^\s<>\"'()]+$", value) else Markup("#")


def years(start: int | None, end: int | None) -> str:
    if start is None:
        return "n.d."
    if end is None or end == start:
        return str(start)
    return f"{start}–{end}"


def evidence_label(kind: str) -> str:
    """'inspection' -> 'inspection report' (models.EVIDENCE_LABELS)."""
    return models.EVIDENCE_LABELS[kind][0]


def kind_label(kind: str) -> str:
    return BY_NAME[kind].label


# --- links between pages ------------------------------------------------------------------------


@jinja2.pass_context
def url(ctx: jinja2.runtime.Context, kind: str, rid: str) -> Markup:
    """A relative link from the page being rendered to a record."""
    index: Index = ctx["index"]
    return page_url(ctx, index.url(kind, rid))


@jinja2.pass_context
def step_url(ctx: jinja2.runtime.Context, link: str) -> Markup:
    """A pathway step's '<kind>/<id>#anchor' as a relative link."""
    kind, _, rest = link.partition("/")
    rid, _, anchor = rest.partition("#")
    target = ctx["index"].url(kind, rid)  # records on a shared page carry their own anchor
    return page_url(ctx, urls.at_anchor(target, anchor))


_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*(?:\{#([^\s}]+)[^}]*\})?[ \t]*$", re.M)
_FRONT_TITLE = re.compile(r"^title: (\".*\")$", re.M)  # the page's short title, as a JSON string
_MD_LINK_TEXT = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@jinja2.pass_context
def step_titles(ctx: jinja2.runtime.Context, link: str) -> tuple[str, str]:
    """A pathway step's '<kind>/<id>#anchor' as the titles a reader sees: (the page's title, the
    section's heading or "" when the link is to the whole page or the section has no heading).
    Read from the target page as the templates render it, so a heading's wording lives in one place."""
    kind_name, _, rest = link.partition("/")
    rid, _, anchor = rest.partition("#")
    index = ctx["index"]
    kind = BY_NAME[kind_name]
    record = index.get(kind_name, rid)
    if not anchor and kind.anchor:
        anchor = kind.anchor.format(**record.model_dump(include={"id", "category"}))
    if kind.template:
        text = ctx.environment.get_template(kind.template).render(
            {
                **ctx.get_all(),
                "page_path": kind.url(record),
                "record": record,
                "source": index.source_path(kind_name, rid),
            }
        )
    elif kind_name == "finding":
        text = ctx.environment.get_template("findings.md.j2").render(
            {
                **ctx.get_all(),
                "page_path": kind.url(record),
                "category": record.category,
                "title": models.FINDING_CATEGORY_TITLES[record.category],
            }
        )
    else:
        return (kind.label.capitalize(), "")
    headings = [(_plain(m.group(1)), m.group(2) or "") for m in _HEADING.finditer(_strip_front_matter(text))]
    front = _FRONT_TITLE.search(text.split("\n---\n", 1)[0]) if text.startswith("---\n") else None
    page_title = (
        _plain(json.loads(front.group(1))) if front else headings[0][0] if headings else kind.label.capitalize()
    )
    section = next((h for h, a in headings if anchor and a == anchor), "")
    if not section and anchor.startswith("event-") and kind_name == "case-study":
        event = next((e for e in record.timeline if f"event-{e.id}" == anchor), None)
        section = f"{years(event.year, event.end_year)}: {event.label}" if event else ""
    return (page_title, section)


def _strip_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end > 0:
            return text[end + 5 :]
    return text


def _plain(heading: str) -> str:
    """A rendered heading as plain text: link text kept, entities of the escaped title undone."""
    import html

    return html.unescape(_MD_LINK_TEXT.sub(r"\1", heading)).strip()


@jinja2.pass_context
def step_address(ctx: jinja2.runtime.Context, link: str) -> str:
    """A pathway step's '<kind>/<id>#anchor' as its absolute published address, for print."""
    kind, _, rest = link.partition("/")
    rid, _, anchor = rest.partition("#")
    return urls.published_url(ctx["site"].site_url, urls.at_anchor(ctx["index"].url(kind, rid), anchor))


@jinja2.pass_context
def published_url(ctx: jinja2.runtime.Context, target: str) -> str:
    """A docs path ('cases/gouda.md#top') as its absolute published address (see output/urls.py)."""
    return urls.published_url(ctx["site"].site_url, target)


@jinja2.pass_context
def page_url(ctx: jinja2.runtime.Context, target: str) -> Markup:
    """A relative link from the page being rendered to `target` ('path.md' or 'path.md#anchor')."""
    path, _, frag = target.partition("#")
    rel = _relpath(path, posixpath.dirname(ctx["page_path"]) or ".") if path else ""
    return Markup(rel + (f"#{frag}" if frag else ""))


@functools.lru_cache(maxsize=1 << 16)
def _relpath(path: str, here: str) -> str:
    return posixpath.relpath(path, here)
