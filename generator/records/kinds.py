"""The one table that maps each kind of record to its folder, model, URL and template."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from generator.records import models


@dataclass(frozen=True)
class Kind:
    name: str  # used in Ref("...") and in error messages
    folder: str  # relative to the project root
    model: type[BaseModel]
    page: str  # the page that shows a record, formatted with the record's fields
    anchor: str  # the anchor on that page ("" when the record has the page to itself)
    template: str  # site_templates/<template> for a page of its own, "" when shown on a shared page
    label: str  # human name, singular

    def url(self, record: BaseModel) -> str:
        """The record's stable address relative to the docs root, e.g. 'cases/gouda.md#top'."""
        fields = record.model_dump(include={"id", "category"})
        anchor = self.anchor.format(**fields)
        return self.page.format(**fields) + (f"#{anchor}" if anchor else "")


# one row per kind, so the table reads as a table
# fmt: off
KINDS: tuple[Kind, ...] = (
    Kind("case-study", "casestudies", models.CaseStudy, "cases/{id}.md", "", "case.md.j2", "case study"),
    Kind("factor", "content/factors", models.Factor, "factors/{id}.md", "", "factor.md.j2", "factor"),
    Kind("phase", "content/phases", models.Phase, "lifecycle/{id}.md", "", "phase.md.j2", "lifecycle phase"),
    Kind("triangle", "content/triangles", models.Triangle, "triangles/{id}.md", "", "triangle.md.j2", "strategic triangle"),
    Kind("work", "content/literature", models.Work, "literature/{id}.md", "", "work.md.j2", "literature work"),
    Kind("footnote", "content/footnotes", models.Footnote, "literature/index.md", "{id}", "", "footnote"),
    Kind("term", "content/glossary", models.Term, "glossary.md", "{id}", "", "glossary term"),
    Kind("finding", "content/findings", models.Finding, "findings/{category}.md", "{id}", "", "finding"),
    Kind("review-theme", "content/review", models.ReviewTheme, "literature-review.md", "{id}", "", "literature-review theme"),
    Kind("toolkit-step", "toolkit", models.ToolkitStep, "toolkit/{id}.md", "", "toolkit-step.md.j2", "toolkit step"),
    Kind("pathway", "content/pathways", models.Pathway, "pathways/{id}.md", "", "pathway.md.j2", "course pathway"),
    # the self-diagnosis rules are rendered once by output/pages.py as the self-diagnosis page
    Kind("diagnosis-rules", "toolkit/diagnosis", models.DiagnosisRules, "toolkit/self-diagnosis.md", "", "", "self-diagnosis rules"),
)
# fmt: on

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
