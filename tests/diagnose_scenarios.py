"""The report's own cases as self-diagnosis answers, shared by test_diagnose.py and
test_diagnose_browser.py.

Each scenario answers the page's questions as someone in that place could have, at the time
named, from what the report says (line numbers are the report's text extraction). The factors
marked present are the case's own triggers, drivers and enablers, read from its YAML record, so
the scenarios are not tuned by hand to the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.output import selfdiagnosis
from generator.stages.index import Index, case_uses


@dataclass(frozen=True)
class Scenario:
    name: str
    case: str
    expected: str  # the phase the report (or the handbook's reading of its timeline) gives
    statements: tuple[str, ...]
    corners: dict[str, int]
    missing: tuple[str, ...] = ()
    with_case_factors: bool = True
    placement: str = "report"  # "report": the report's own placement; "timeline": the handbook's phase_spans

    def answers(self, index: Index) -> selfdiagnosis.Answers:
        asked = {f.factor for f in selfdiagnosis.rules_of(index).factors}
        case = index.get("case-study", self.case)
        present = {u.use.factor for u in case_uses(case)} & asked if self.with_case_factors else set()
        return selfdiagnosis.Answers.of(self.statements, self.corners, present - set(self.missing), self.missing)


SCENARIOS = [
    # Section 5.1: "Knowsley is now at this stage", creating structures and teams for its new
    # learning centres (lines 2028-2031). In 2007: BSF money (about £250m) for secondary
    # education (4804-4806); governance structures being developed (4833-4836); a strategy for
    # radical innovation in that one service (5527-5530); new classroom layouts tried in three City
    # Learning Centres. Strong leadership and stable political support (4856-4900, 5357-5369);
    # capacity being built through the 14-19 Collegiate; value showing in doubled GCSE results.
    Scenario(
        "knowsley-2007",
        "knowsley",
        "mobilisation",
        (
            "initial-resources-one-service",
            "infrastructure-being-built",
            "strategy-one-service",
            "small-scale-successes",
        ),
        {"authority": 3, "capacity": 2, "value": 2},
    ),
    # Section 5.1: the Highlands have moved into mainstreaming (2042-2045); the Council is
    # consolidating change (3949-3955) but it is too early to claim spread to other services
    # (4348-4352). Children's Services has its strategy, pooled budgets and GIRFEC Pathfinder money.
    # Authority matters less than at the start; steady gains against targets (4340-4348).
    Scenario(
        "highlands-2007",
        "highlands",
        "mainstreaming",
        ("strategy-one-service", "capacity-in-that-service", "lessons-stay-put"),
        {"authority": 2, "capacity": 3, "value": 2},
    ),
    # Section 5.1: "some signs" of embedding, as commissioning spread to other parts of the council
    # (2054-2059); the only comprehensively innovative UK case, with a borough-wide Third Sector
    # Strategy (7316-7330); the Youth Opportunity Card to be tested in 2008 while contracts run
    # (7056-7066); services rated as performing strongly (7050-7055).
    Scenario(
        "tower-hamlets-2007",
        "tower-hamlets",
        "embedding",
        ("collaborative-across-services", "widespread-support", "different-stages"),
        {"authority": 3, "capacity": 3, "value": 3},
    ),
    # Section 5.1: success on social exclusion raised confidence across the authority, with
    # national recognition and a culture of creativity and controlled risk-taking (2060-2065);
    # partnership work on exclusion across many services; a 2007 Beacon Award (6228-6240).
    Scenario(
        "south-tyneside-2007",
        "south-tyneside",
        "embedding",
        ("collaborative-across-services", "back-and-kill"),
        {"authority": 3, "capacity": 3, "value": 3},
    ),
    # The Highlands through the handbook's reading of its timeline (phase_spans). Before the 1999
    # consultancy report nothing changed (latent, 1997-1998): no trigger yet.
    Scenario(
        "highlands-1998",
        "highlands",
        "latent",
        ("frontline-pockets", "fragmented-little-value"),
        {"authority": 1, "capacity": 1, "value": 0},
        missing=("external-inspection",),
        with_case_factors=False,
        placement="timeline",
    ),
    # 1999-2000: the report triggers a review, new leaders arrive and the model is designed;
    # section 5.3 names the Highlands as using authority to build capacity at this stage (2141-2143).
    Scenario(
        "highlands-2000",
        "highlands",
        "design-and-discover",
        ("frontline-and-centre", "interest-no-infrastructure"),
        {"authority": 3, "capacity": 1, "value": 0},
        placement="timeline",
    ),
    # 2001-2005: For Highland's Children, joint structures, pooled budgets and co-location put the
    # new service in place.
    Scenario(
        "highlands-2004",
        "highlands",
        "mobilisation",
        ("initial-resources-one-service", "infrastructure-being-built"),
        {"authority": 3, "capacity": 2, "value": 1},
        placement="timeline",
    ),
]

BY_NAME = {s.name: s for s in SCENARIOS}
