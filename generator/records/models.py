"""One typed model per kind of record.

Every model forbids unknown keys and is strict, so a typo or a YAML 1.1 surprise
(`no` read as False, `1.10` read as 1.1, an unquoted date) is an error, not a quiet
coercion. Every field has a description: `schemas/` is generated from these models
and editors see the descriptions as hover help.

A field that points at another record is annotated with `Ref("kind")`; the index
stage finds those annotations and resolves every reference, so adding a reference
field here is all it takes to have it checked and back-linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
YEAR_MIN, YEAR_MAX = 1800, 2100


@dataclass(frozen=True)
class Ref:
    """Marks a string field as the id of a record of `kind`."""

    kind: str


@dataclass(frozen=True)
class Anchor:
    """Marks a field whose value becomes a section anchor in the record's page."""


def _id(description: str) -> object:
    return Field(pattern=ID_PATTERN, min_length=1, max_length=80, description=description)


RecordId = Annotated[
    StrictStr, _id("The record's id: lowercase words joined by hyphens, equal to the file name without .yaml.")
]
AnchorId = Annotated[
    StrictStr,
    _id("A stable anchor id for this part of the page (lowercase-hyphen). Never change it once published."),
    Anchor(),
]
CaseId = Annotated[StrictStr, _id("Id of a case study in casestudies/."), Ref("case-study")]
FactorId = Annotated[StrictStr, _id("Id of a factor in content/factors/."), Ref("factor")]
PhaseId = Annotated[StrictStr, _id("Id of a lifecycle phase in content/phases/."), Ref("phase")]
TriangleId = Annotated[StrictStr, _id("Id of a strategic triangle in content/triangles/."), Ref("triangle")]
WorkId = Annotated[StrictStr, _id("Id of a literature work in content/literature/."), Ref("work")]
TermId = Annotated[StrictStr, _id("Id of a glossary term in content/glossary/."), Ref("term")]
ThemeId = Annotated[StrictStr, _id("Id of a literature-review theme in content/review/."), Ref("review-theme")]

Year = Annotated[StrictInt, Field(ge=YEAR_MIN, le=YEAR_MAX, description="A calendar year, e.g. 2004.")]
Text = Annotated[StrictStr, Field(min_length=1, description="Plain text, one line or a short paragraph.")]
Markdown = Annotated[
    StrictStr,
    Field(
        min_length=1,
        description="Markdown text in your own words (paragraphs, lists, *emphasis*, **strong**, links to "
        "http(s) addresses). Raw HTML is not allowed.",
    ),
]
Confidence = Literal["sure", "probable", "ambiguous"]
Basis = Literal["stated", "inferred"]
PlacementBasis = Literal["stated", "partial", "inferred"]
PLACEMENT_WORDS: dict[str, str] = {  # how strong a placement is, in the words every page and download uses
    "stated": "stated by the report",
    "partial": "partly evidenced by the report",
    "inferred": "the handbook's own reading",
}
PLACEMENT_SHORT: dict[str, str] = {  # the same in a word or two, for one-line lists (the cases list explains them)
    "stated": "stated",
    "partial": "partly evidenced",
    "inferred": "a reading",
}
CONTRIBUTED_PLACEMENT_WORDS: dict[str, str] = {  # the same for a contributed case, which the report never saw
    "stated": "stated by its sources",
    "partial": "partly evidenced by its sources",
    "inferred": "its contributors' own reading",
}
Corner = Literal["authority", "capacity", "value"]
Weight = Literal["none", "small", "moderate", "large", "very-large"]
IsoDate = Annotated[
    StrictStr, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="A date written YYYY-MM-DD, in quotes.")
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


REPORT_WORK = "nesta-young-foundation-2008"  # the 2008 report's own entry in content/literature/

EvidenceKind = Literal[
    "report2008",
    "inspection",
    "independent-evaluation",
    "official-document",
    "self-report",
    "interview",
    "news",
    "data-set",
    "research",
    "other",
]
EVIDENCE_LABELS: dict[str, tuple[str, str]] = {  # kind -> (one, many), as the evidence summary words them
    "report2008": ("place in the 2008 report", "places in the 2008 report"),
    "inspection": ("inspection report", "inspection reports"),
    "independent-evaluation": ("independent evaluation", "independent evaluations"),
    "official-document": ("official document", "official documents"),
    "self-report": ("self-report", "self-reports"),
    "interview": ("interview", "interviews"),
    "news": ("news article", "news articles"),
    "data-set": ("data set", "data sets"),
    "research": ("research publication", "research publications"),
    "other": ("other source", "other sources"),
}


class Source(Model):
    """Where a statement comes from: a place in the 2008 report (`section`), or a work in the
    bibliography (`work`, with an optional `locator` such as a page)."""

    section: Text | None = Field(
        default=None,
        description="A place in the 2008 report, by the report's own label, e.g. 'Table 1', 'section 5.1', "
        "'Appendix C, case study 3, section 5.2', 'footnote 63'. Leave out when the source is another work.",
    )
    work: WorkId | None = Field(
        default=None,
        description="A work in content/literature/ that says so: an inspection report, an evaluation, a council "
        "paper, a news article, an interview, a data set... Add the work first if it is not there. Leave out for a "
        "place in the 2008 report.",
    )
    locator: Text | None = Field(
        default=None,
        description="Where in the work: a page, section, paragraph or table, e.g. 'p. 12', 'section 3', 'Table 2'.",
    )
    lines: StrictStr | None = Field(
        default=None,
        pattern=r"^\d+(-\d+)?(, ?\d+(-\d+)?)*$",
        description="Editors' metadata, never shown on a page: line numbers in the handbook's working copy of the "
        "2008 report, e.g. '4013-4016' or '3572, 3825-3840'.",
    )


Sources = Annotated[
    list[Source],
    Field(min_length=1, description="Where this comes from: places in the 2008 report or works; at least one."),
]


class Record(Model):
    """Fields every record has."""

    id: RecordId
    moved_from: list[Annotated[StrictStr, _id("A former id of this record.")]] = Field(
        default_factory=list,
        description="Former ids of this record. The build writes redirects from their old URLs so links never break.",
    )


# --- case studies -------------------------------------------------------------------------


class Period(Model):
    start: Year = Field(description="First year the case covers.")
    end: Year | None = Field(default=None, description="Last year the case covers; leave out if it is ongoing.")
    note: Text | None = Field(default=None, description="Anything uncertain about the period.")


class DataPoint(Model):
    label: Text = Field(description="What is measured, e.g. 'Population'.")
    value: StrictInt | StrictFloat | StrictStr = Field(description="The figure as its source gives it.")
    unit: StrictStr | None = Field(default=None, description="Unit, e.g. '%', 'people', '£m', 'km²'.")
    year: StrictStr | None = Field(
        default=None,
        pattern=r"^\d{4}(-\d{4})?$|^c\.\d{4}$",
        description="Year or span the figure refers to, in quotes: '2004', '1995-2005' or 'c.2007'.",
    )
    source: Text | None = Field(default=None, description="The report's source for the figure (footnote, body).")
    sources: list[Source] = Field(
        default_factory=list,
        description="Where the figure comes from, as places in the 2008 report or works. Required in a contributed case.",
    )
    note: Text | None = Field(default=None, description="A caveat, e.g. a contradiction elsewhere in the report.")


class Section(Model):
    id: AnchorId
    moved_from: list[Annotated[StrictStr, _id("A former anchor id.")]] = Field(
        default_factory=list, description="Former anchor ids of this part of the page; links to them keep working."
    )
    heading: Text = Field(
        description="The heading: as the report prints it for a case of the report; your own for a contributed case."
    )
    body: Markdown
    sources: list[Source] = Field(
        default_factory=list,
        description="Where this section comes from (places in the 2008 report or works). Required in a contributed case.",
    )


class AnalysisSection(Section):
    factors: list[FactorId] = Field(default_factory=list, description="Factors this part of the analysis discusses.")


class FactorUse(Model):
    factor: FactorId
    meaning: Markdown = Field(description="What this factor meant in this place, in your own words.")
    label: Text | None = Field(
        default=None,
        description="The case's own words for it: the Table 1 cell text verbatim where the case is in Table 1.",
    )
    in_table1: StrictBool = Field(
        default=False,
        description="True when the report's Table 1 assigns it to this case; always false in a contributed case.",
    )
    confidence: Confidence = Field(default="sure", description="How sure the assignment is (Table 1 is scrambled).")
    sources: list[Source] = Field(
        default_factory=list,
        description="Where the assignment comes from (the report, or works). Required in a contributed case.",
    )


class Hedge(Model):
    """The report's own words that make a placement only partly evidenced."""

    quote: Text = Field(description="The report's hedging words, verbatim and short, e.g. 'some signs'.")
    source: Source = Field(description="Where the report says it.")


class PhasePlacement(Model):
    phase: PhaseId
    moved_from: list[Annotated[StrictStr, _id("A former anchor id.")]] = Field(
        default_factory=list,
        description="Former anchor ids in this part of the page, e.g. a triangle chart no longer drawn; links to "
        "them land on the lifecycle section.",
    )
    basis: PlacementBasis = Field(
        description="How strong the placement is: 'stated' when the report itself places the case in the phase; "
        "'partial' when the report gives hedged evidence for it (quote the hedge in `hedge`); 'inferred' when "
        "the report names no phase and the placement is the handbook's own reading."
    )
    hedge: Hedge | None = Field(
        default=None, description="Required when basis is 'partial': the report's hedging words and their place."
    )
    evidence: Markdown = Field(description="Why the case sits in this phase, in your own words.")
    triangle: TriangleId | None = Field(
        default=None,
        description="The strategic-triangle state the case's own story matches, in the handbook's reading (the "
        "report draws no triangle for a single case); leave out where the report's evidence is too thin.",
    )
    sources: Sources

    @property
    def strength(self) -> str:
        """The placement's strength in plain words, for a case of the 2008 report."""
        return self.strength_for("report2008")

    def strength_for(self, origin: str) -> str:
        """The placement's strength in plain words for a case of this origin, with the hedge quoted
        for a partial one."""
        words = (PLACEMENT_WORDS if origin == "report2008" else CONTRIBUTED_PLACEMENT_WORDS)[self.basis]
        if self.basis == "partial" and self.hedge is not None:
            src = self.hedge.source
            place = src.section or " ".join(x for x in (src.work, src.locator) if x)
            return f"{words}: \u201c{self.hedge.quote}\u201d, {place}"
        return words


EventType = Literal[
    "trigger", "inspection", "leadership", "strategy", "structure", "funding", "recognition", "crisis", "outcome"
]


class TimelineEvent(Model):
    id: AnchorId
    moved_from: list[Annotated[StrictStr, _id("A former anchor id.")]] = Field(
        default_factory=list, description="Former anchor ids of this part of the page; links to them keep working."
    )
    year: Year = Field(description="The year the handbook shows (the narrative's year where they differ).")
    end_year: Year | None = Field(default=None, description="For a span, the last year.")
    label: Text = Field(max_length=120, description="A short label for the chart.")
    type: EventType = Field(description="What kind of event it is.")
    trigger: StrictBool = Field(
        default=False,
        description="True for the one event the report names as the case's trigger (Table 1). The cross-case "
        "timeline lines cases up on it.",
    )
    description: Markdown
    certainty: Confidence = Field(default="sure", description="How sure the date is.")
    date_note: Text | None = Field(
        default=None,
        description="Required when certainty is not 'sure': the other year the printed timeline or summary gives, and why.",
    )
    other_years: list[Year] = Field(default_factory=list, description="Other years the report gives for this event.")
    section: Annotated[StrictStr, _id("Anchor id of the process or analysis section that tells this event.")] | None = (
        Field(default=None, description="The id of the section of this case study that tells the event.")
    )
    sources: Sources


class Table1Row(Model):
    """The case's row in the report's Table 1, as printed."""

    order: Annotated[StrictInt, Field(ge=1, le=99)] = Field(description="Position of the row in Table 1, top first.")
    area: Text = Field(
        description="The row's 'Case study area' cell verbatim, with its subtitle, e.g. 'Highland Children's Services'."
    )


class PhaseSpan(Model):
    phase: PhaseId
    start: Year
    end: Year | None = Field(default=None, description="Last year of the phase; leave out if ongoing.")
    basis: Basis
    note: Text | None = None


class Actor(Model):
    name: Text
    kind: Literal["person", "organisation", "group"] = Field(description="A person, an organisation or a group/body.")
    role: Markdown = Field(description="What they did in this case.")


class Citation(Model):
    work: WorkId
    footnotes: list[Annotated[StrictInt, Field(ge=1, le=400)]] = Field(
        default_factory=list, description="The report's footnote numbers that cite the work here."
    )
    about: Text | None = Field(default=None, description="What the case cites it for.")


class RelatedCase(Model):
    case: CaseId
    note: Text = Field(description="How the two cases relate.")


LayerName = Literal["systemic", "sectoral", "frontline", "public"]


class LayerPlacement(Model):
    layer: LayerName = Field(description="A layer of the report's Figure 5 local innovation system.")
    note: Markdown
    sources: Sources


class Reading(Model):
    reading: Text = Field(description="One reading, as one source gives it.")
    sources: Sources


class Contradiction(Model):
    id: AnchorId
    moved_from: list[Annotated[StrictStr, _id("A former anchor id.")]] = Field(
        default_factory=list, description="Former anchor ids of this part of the page; links to them keep working."
    )
    topic: Text = Field(
        description="What the sources disagree about: the report with itself, or two of a contributed case's sources."
    )
    readings: list[Reading] = Field(min_length=2, description="Every reading the sources give, each with its source.")
    shown: Text = Field(description="Which reading the handbook shows.")
    why: Text = Field(description="Why the handbook shows that reading.")


class Review(Model):
    date: IsoDate
    note: Text = Field(description="A short note of what changed or was checked.")


Origin = Literal["report2008", "contributed"]
Status = Literal["draft", "reviewed"]


class CaseStudy(Record):
    number: Annotated[StrictInt, Field(ge=1, le=999)] | None = Field(
        default=None, description="The report's case study number (1-10); leave out for new cases."
    )
    origin: Origin = Field(
        description="'report2008' for a case study of the 2008 report; 'contributed' for a case added from its "
        "own sources (every section, figure, timeline event and factor then needs sources)."
    )
    contributors: list[Text] = Field(
        min_length=1, description="Who wrote this record, as they wish to be credited (names or organisations)."
    )
    reviewers: list[Text] = Field(
        default_factory=list,
        description="Who reviewed it against its sources. A reviewed case needs at least one reviewer.",
    )
    status: Status = Field(
        description="'draft' until a reviewer has checked it against its sources; drafts are left out of the "
        "published site (handbook build --drafts includes them)."
    )
    first_published: IsoDate | None = Field(
        default=None, description="The date the case was first published in the handbook, 'YYYY-MM-DD'."
    )
    title: Text = Field(description="The full title: as the report gives it, or your own for a contributed case.")
    short_title: Text = Field(max_length=40, description="A short name for tables and charts, e.g. 'Highlands'.")
    case_type: Literal["full", "mini", "experiment"] = Field(
        default="full", description="A full case study, a mini case study, or an experiment (the SNA case)."
    )
    place: Text
    country: Text
    level: Literal["city", "region", "borough", "district", "locality"] = Field(description="The level of government.")
    service_field: Text = Field(description="The field of service, e.g. 'Children's services'.")
    innovation_kind: Text = Field(description="The kind of innovation, e.g. 'organisational: integrated services'.")
    period: Period
    summary: Text = Field(
        max_length=600,
        description="Two or three sentences in your own words: what happened and why it matters. No quotations "
        "longer than a phrase; the sources are cited in the notes, not in the text.",
    )
    context_and_need: Markdown
    strategy: Markdown
    process: list[Section] = Field(default_factory=list, description="The innovation process, in the report's order.")
    outcomes: Markdown
    outcome_figures: list[DataPoint] = Field(default_factory=list, description="Outcomes with figures.")
    background: list[DataPoint] = Field(default_factory=list, description="The case's background data.")
    analysis: list[AnalysisSection] = Field(
        default_factory=list, description="The case's drivers-and-enablers analysis, under its own headings."
    )
    conclusions: Markdown | None = Field(default=None, description="The case's summary and conclusions.")
    table1: Table1Row | None = Field(
        default=None, description="The case's row in the report's Table 1; leave out for a case not in the table."
    )
    triggers: list[FactorUse] = Field(default_factory=list)
    drivers: list[FactorUse] = Field(default_factory=list)
    enablers: list[FactorUse] = Field(default_factory=list)
    phase: PhasePlacement | None = Field(default=None, description="Where the report places the case in the lifecycle.")
    phase_spans: list[PhaseSpan] = Field(
        default_factory=list, description="Phases over time, for the timeline shading."
    )
    layers: list[LayerPlacement] = Field(default_factory=list, description="The case's place in Figure 5's layers.")
    timeline: list[TimelineEvent] = Field(default_factory=list)
    people: list[Actor] = Field(
        default_factory=list,
        description="People and organisations, with their roles, as the sources name them (public roles only).",
    )
    lessons: list[Markdown] = Field(default_factory=list)
    related_cases: list[RelatedCase] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list, description="Literature the case cites.")
    contradictions: list[Contradiction] = Field(default_factory=list)
    reviewed: list[Review] = Field(
        default_factory=list, description="Review history, newest last; the last entry's date is the last review."
    )
    sources: Sources

    @property
    def last_reviewed(self) -> str | None:
        return self.reviewed[-1].date if self.reviewed else None

    @property
    def placement_strength(self) -> str | None:
        """How strong the case's lifecycle placement is, in the words for its origin."""
        return self.phase.strength_for(self.origin) if self.phase else None

    @property
    def placement_short(self) -> str | None:
        """The same in a word or two (PLACEMENT_SHORT), for one line per case in a long list."""
        return PLACEMENT_SHORT[self.phase.basis] if self.phase else None


# --- factors, phases, triangles ---------------------------------------------------------

Cluster = Literal["will-to-change", "internal-capacity", "external-resources"]
CLUSTER_TITLES: dict[str, str] = {  # as the factor pages name each critical-factor cluster (section 4.2)
    "will-to-change": "the will to change",
    "internal-capacity": "internal capacity",
    "external-resources": "external resources and feedback",
}


class Factor(Record):
    name: Text
    category: Literal["trigger", "driver", "enabler"] = Field(description="Its group in Table 1.")
    cluster: Cluster = Field(
        description="The critical-factor cluster (section 4.2): the will to change, internal capacity, "
        "or external resources and feedback."
    )
    description: Markdown
    works: list[WorkId] = Field(default_factory=list, description="Related literature.")
    related: list[FactorId] = Field(default_factory=list, description="Related factors.")
    sources: Sources


class QuestionGroup(Model):
    id: AnchorId
    moved_from: list[Annotated[StrictStr, _id("A former anchor id.")]] = Field(
        default_factory=list, description="Former anchor ids of this part of the page; links to them keep working."
    )
    heading: Text = Field(description="The heading question, verbatim from Step Three.")
    questions: list[Text] = Field(min_length=1)
    note: Text | None = Field(default=None, description="E.g. that the printed list may be incomplete.")


class Phase(Record):
    number: Annotated[StrictInt, Field(ge=0, le=4)]
    name: Text
    other_names: list[Text] = Field(default_factory=list, description="Other names the report uses for the phase.")
    summary: Text = Field(max_length=400)
    description: Markdown
    typology: Markdown = Field(description="Table A1: what innovation looks like in this phase.")
    progression: Markdown | None = Field(
        default=None, description="Table A2: what it takes to progress to the next phase (none for phase 0)."
    )
    pitfalls: list[Markdown] = Field(default_factory=list, description="Table A2: barriers and pitfalls.")
    questions: list[QuestionGroup] = Field(default_factory=list, description="Step Three questions.")
    sources: Sources


class CornerWeight(Model):
    weight: Weight
    basis: Basis
    note: Text | None = None


class Corners(Model):
    authority: CornerWeight
    capacity: CornerWeight
    value: CornerWeight


class Link(Model):
    source: Corner = Field(description="Where the influence comes from.")
    target: Corner = Field(description="Where it goes.")
    strength: Literal["strong", "weak", "broken"] = Field(description="Weak and broken links are drawn dashed.")
    basis: Basis
    note: Text | None = None


class Triangle(Record):
    title: Text
    phase: PhaseId | None = Field(default=None, description="The phase; leave out for an end state.")
    variant: Literal["single", "success", "failure", "pervasive", "sustainable-isolated", "sustainable"]
    order: StrictInt = Field(description="Position in the lifecycle sequence, for sorting.")
    corners: Corners
    links: list[Link] = Field(default_factory=list)
    description: Markdown
    sources: Sources


# --- literature, glossary, findings, review ---------------------------------------------


class Work(Record):
    authors: list[Text] = Field(min_length=1, description="Authors or the organisation, as printed.")
    year: Year | None = None
    title: Text
    publisher: Text | None = Field(default=None, description="Publisher, or the journal with volume and pages.")
    url: Annotated[StrictStr, Field(pattern=r"^https?://[^\s<>\"']+$")] | None = Field(
        default=None, description="An http(s) address."
    )
    type: Literal["book", "report", "article", "chapter", "policy", "web", "data", "other"] = Field(
        description="The form of publication, for citation exports (BibTeX, RIS, CSL)."
    )
    evidence: EvidenceKind | None = Field(
        default=None,
        description="What kind of evidence the work is, for a case's evidence summary: inspection, "
        "independent-evaluation, official-document, self-report (what an organisation says of itself), interview, "
        "news, data-set, research or other. Required for a work a contributed case cites.",
    )
    origin: Origin = Field(
        default="report2008",
        description="'report2008' for a work the 2008 report cites (or the report itself); 'contributed' for a work "
        "added as a source of a contributed case.",
    )
    accessed: IsoDate | None = Field(
        default=None, description="For a web address: the date you last opened it, 'YYYY-MM-DD'."
    )
    footnotes: list[Annotated[StrictInt, Field(ge=1, le=400)]] = Field(
        default_factory=list, description="Every report footnote that cites the work, Ibid. notes included."
    )
    themes: list[ThemeId] = Field(default_factory=list, description="Literature-review themes that discuss it.")
    cited_for: Text | None = Field(default=None, description="What the report cites it for, in your own words.")
    note: Text | None = Field(default=None, description="Transcription problems, 'as printed' oddities.")


class Footnote(Record):
    number: Annotated[StrictInt, Field(ge=1, le=400)]
    status: Literal["lost", "url-only", "gloss", "data-source"] = Field(
        description="'lost' when the marker survives but the text does not."
    )
    text: Text | None = Field(default=None, description="Own-words gist, or the URL. Leave out for a lost note.")
    context: Text = Field(description="What the body text around the marker is about.")
    sources: Sources


class Term(Record):
    term: Text
    matches: list[Text] = Field(
        default_factory=list,
        description="Exact phrases that count as a use of the term in other pages (the term itself is always one).",
    )
    definition: Markdown
    related: list[TermId] = Field(default_factory=list)
    sources: Sources


FindingCategory = Literal[
    "assumption", "critical-factor", "journey", "recommendation", "research-need", "conclusion", "system-layer"
]
# Each category of finding has its own page, findings/<category>.md (kinds.py); its title, in the
# order the findings index lists them.
FINDING_CATEGORY_TITLES: dict[str, str] = {
    "assumption": "Six widely-held assumptions",
    "critical-factor": "Three critical factors",
    "journey": "The journey to successful innovation",
    "system-layer": "Layers of a local innovation system",
    "recommendation": "Recommendations",
    "research-need": "Where research is needed",
    "conclusion": "Conclusions",
}


class Finding(Record):
    category: FindingCategory
    order: StrictInt = Field(description="Position within its category.")
    title: Text
    summary: Text = Field(max_length=500)
    body: Markdown
    verdict: Markdown | None = Field(default=None, description="For an assumption: what the research found.")
    cluster: Cluster | None = Field(default=None, description="For a critical factor: its cluster.")
    factors: list[FactorId] = Field(default_factory=list)
    cases: list[CaseId] = Field(default_factory=list)
    works: list[WorkId] = Field(default_factory=list)
    sources: Sources


class ReviewTheme(Record):
    number: Annotated[StrictStr, Field(pattern=r"^\d+(\.\d+)?$")] = Field(description="Section number, e.g. '2.1'.")
    title: Text = Field(description="The heading as printed in Appendix D.")
    summary: Markdown
    points: list[Markdown] = Field(default_factory=list)
    works: list[WorkId] = Field(default_factory=list, description="Works the theme discusses.")
    lost_notes: list[Annotated[StrictInt, Field(ge=1, le=400)]] = Field(
        default_factory=list, description="Footnotes cited in the theme whose text is lost."
    )
    sources: Sources


class ToolkitStep(Record):
    number: Annotated[StrictInt, Field(ge=1, le=3)]
    title: Text
    summary: Text = Field(max_length=400)
    body: Markdown
    sections: list[Section] = Field(default_factory=list)
    sources: Sources


# --- course pathways ----------------------------------------------------------------------------

LINK_KINDS = "case-study|factor|phase|triangle|work|finding|toolkit-step|term|review-theme"


class PathwayStep(Model):
    id: AnchorId
    title: Text
    link: Annotated[
        StrictStr,
        Field(
            pattern=rf"^({LINK_KINDS})/[a-z0-9]+(-[a-z0-9]+)*(#[a-z0-9]+(-[a-z0-9]+)*)?$",
            description="The page or section to read: '<kind>/<id>' or '<kind>/<id>#<anchor>', e.g. "
            "'case-study/knowsley#timeline' or 'phase/mobilisation#questions'.",
        ),
    ]
    purpose: Markdown = Field(description="Why this step: what the group should get from it.")
    questions: list[Text] = Field(min_length=1, description="Discussion questions for the group.")
    minutes: Annotated[StrictInt, Field(ge=1, le=480)] = Field(description="Time to allow, in minutes.")


class Pathway(Record):
    title: Text
    audience: Text = Field(description="Who the pathway is for, e.g. 'council officers new to the lifecycle'.")
    summary: Text = Field(max_length=500)
    purpose: Markdown = Field(description="What the session achieves, for the trainer.")
    steps: list[PathwayStep] = Field(min_length=1, description="The steps, in order.")
    sources: list[Source] = Field(default_factory=list, description="Parts of the report the pathway draws on.")


# --- self-diagnosis rules (toolkit/diagnosis/) ---------------------------------------------------

Points = Annotated[StrictInt, Field(ge=-5, le=5, description="Points, a whole number from -5 to 5.")]
Level = Annotated[StrictInt, Field(ge=0, le=3, description="A level on the 0-3 scale.")]


class PhasePoints(Model):
    phase: PhaseId
    points: Points = Field(description="Points this answer adds to the phase (negative to count against it).")


class DiagnosisStatement(Model):
    """One short statement taken from a Table A1 row, with the phases it points to."""

    id: AnchorId
    row: PhaseId = Field(description="The phase whose Table A1 description the statement comes from.")
    text: Text = Field(max_length=200, description="The statement as the user reads it, in the handbook's words.")
    points: list[PhasePoints] = Field(min_length=1, description="Points for each phase when the statement is ticked.")
    note: Text | None = Field(default=None, description="Why a neighbouring phase gets points too.")
    sources: Sources


class ScaleLevel(Model):
    level: Level
    label: Text = Field(max_length=40, description="A short name for the level, e.g. 'strong'.")


class CornerQuestion(Model):
    corner: Corner
    label: Text = Field(max_length=40, description="The corner's name as the page shows it.")
    question: Text = Field(description="The question the user answers on the 0-3 scale.")
    hint: Text = Field(description="What counts towards this corner, from the report's definition.")
    sources: Sources


class CornerProfile(Model):
    """The triangle a phase expects, on the 0-3 scale, read from a Table B2 / section 5.3 triangle."""

    phase: PhaseId
    triangle: TriangleId = Field(description="The strategic triangle the levels are read from.")
    authority: Level
    capacity: Level
    value: Level
    priority: list[Corner] = Field(
        min_length=3,
        max_length=3,
        description="The corners in the order the report says matter most in this phase; breaks ties when "
        "choosing the weakest corner.",
    )
    note: Text | None = None


class CornerAdvice(Model):
    """What the report says follows from a weak corner in a phase."""

    phase: PhaseId
    corner: Corner
    triangle: TriangleId | None = Field(default=None, description="The triangle (usually a failure one) it draws on.")
    advice: Markdown = Field(description="What the report says follows, in the handbook's words.")
    sources: Sources


class FactorRule(Model):
    factor: FactorId
    present: list[PhasePoints] = Field(default_factory=list, description="Points when the factor is present.")
    missing: list[PhasePoints] = Field(default_factory=list, description="Points when the factor is missing.")
    note: Text | None = Field(default=None, description="Why the factor points to those phases.")
    sources: list[Source] = Field(default_factory=list, description="Required when the factor carries points.")


class CaseNote(Model):
    """A case the page can match. It is matched where the report leaves it (with `next`) and in each
    earlier phase of its phase_spans (with the following span's note as what it did next)."""

    case: CaseId
    next: Text = Field(max_length=500, description="What the place did next, or was doing, when the report left it.")
    sources: Sources


class DiagnosisScoring(Model):
    statement_multiplier: Annotated[StrictInt, Field(ge=0, le=10)] = Field(
        description="Each ticked statement's points are multiplied by this."
    )
    corner_multiplier: Annotated[StrictInt, Field(ge=0, le=10)] = Field(
        description="Per answered corner, each phase gets (top of scale - distance from its profile) x this."
    )
    factor_multiplier: Annotated[StrictInt, Field(ge=0, le=10)] = Field(
        description="Each present or missing factor's points are multiplied by this."
    )
    min_statements: Annotated[StrictInt, Field(ge=0, le=20)] = Field(
        description="A diagnosis needs at least this many ticked statements, or all three corners answered."
    )


class ConfidenceBand(Model):
    id: AnchorId
    label: Text = Field(max_length=60)
    min_lead: Annotated[StrictInt, Field(ge=0, le=100)] = Field(
        description="The least lead, in points, of the likely phase over the next one for this band."
    )
    meaning: Text


class SimilarityRule(Model):
    phase_points: list[Annotated[StrictInt, Field(ge=0, le=20)]] = Field(
        min_length=5, max_length=5, description="Points by distance between the phases (0 = same phase, ... 4)."
    )
    shared_factor_points: Annotated[StrictInt, Field(ge=0, le=10)] = Field(
        description="Points for each factor present in both the user's answers and the case."
    )
    conflict_points: Annotated[StrictInt, Field(ge=0, le=10)] = Field(
        description="Points taken off for each factor the user says is missing but the case had."
    )
    past_phase_points_off: Annotated[StrictInt, Field(ge=0, le=10)] = Field(
        description="Points taken off a match with a phase the case has passed through (its phase_spans) "
        "rather than the phase the report leaves it in."
    )
    show: Annotated[StrictInt, Field(ge=1, le=5)] = Field(description="How many cases to show at most.")
    min_points: Annotated[StrictInt, Field(ge=0, le=50)] = Field(description="A case needs this many points to show.")


class DiagnosisRules(Record):
    """The rules of the self-diagnosis page: data, read by generator/output/selfdiagnosis.py and the page's script."""

    title: Text
    framing: Markdown = Field(description="How to read the result: a structured reading of the model, not a verdict.")
    scale: list[ScaleLevel] = Field(min_length=2, description="The levels of the corner scale, lowest first.")
    statements: list[DiagnosisStatement] = Field(min_length=1)
    corners: list[CornerQuestion] = Field(min_length=3, max_length=3)
    profiles: list[CornerProfile] = Field(min_length=1, description="One per phase.")
    corner_advice: list[CornerAdvice] = Field(default_factory=list, description="One per phase and corner.")
    factors: list[FactorRule] = Field(default_factory=list, description="The factors the page asks about.")
    cases: list[CaseNote] = Field(default_factory=list, description="The cases that can be matched.")
    scoring: DiagnosisScoring
    confidence: list[ConfidenceBand] = Field(min_length=1, description="Highest band first.")
    similarity: SimilarityRule
    sources: Sources
