"""A synthetic, seeded corpus of N case studies in a throwaway project folder.

The project gets copies of the repository's real content/ and toolkit/ folders (factors, phases,
triangles, literature, glossary, findings...) and mkdocs.yml, and symlinks to site_templates/ and
generator/, like tests/conftest.py's make_project. Only casestudies/ is synthetic.

The report's findings refer to the ten report case studies by id, so the first ten synthetic cases
take those ids (highlands, knowsley, ...) and every reference resolves; their text is synthetic like
the rest. The corpus is calibrated to the report's own cases (see Profile): case i copies the
shape of the (i mod 10)-th real case (words per text field and per section, the number of process
and analysis sections, timeline events and their words, figures, background rows, citations,
people, lessons, contradictions, source references and factor uses per role), with +-15 % jitter.
`calibration_table` compares the two distributions; docs/benchmarks.md shows it.

Prose is built from sentence frames whose slots are drawn from word lists, so no two cases share
their text (page size and search-index size depend on that), and case i is the same whatever N is,
apart from the choice of related cases. Every case has its own place name (its short title).
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
COPIED = ("content", "toolkit")
LINKED = ("site_templates", "generator")
REPORT_CASE_IDS = (
    "highlands",
    "knowsley",
    "south-tyneside",
    "tower-hamlets",
    "gouda",
    "lille",
    "pittsburgh",
    "portland",
    "cambridge",
    "social-network-analysis",
)
# Keys whose string values are ids, enums, dates or report locations rather than prose.
NOT_PROSE = {
    "id",
    "section",
    "lines",
    "case",
    "work",
    "factor",
    "phase",
    "triangle",
    "layer",
    "kind",
    "type",
    "basis",
    "certainty",
    "confidence",
    "date",
    "case_type",
    "level",
    "year",
}


class _Dumper(yaml.SafeDumper):
    """Never writes anchors and aliases (the loader refuses them); multi-line text as a block."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: dict[str, Any]) -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return "# Synthetic benchmark case study (bench/corpus.py); not from the report.\n" + body


def make_project(dest: Path, n: int, seed: int = 7, source: Path = REPO) -> Path:
    """A project folder at `dest` with the real content of `source` (the repository, or a snapshot of
    it) and N synthetic case studies. The real content refers to the report's ten case studies, so
    the project passes `handbook check` only when N >= 10."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        if (source / name).exists():
            shutil.copytree(source / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(source / "mkdocs.yml", dest / "mkdocs.yml")
    for name in LINKED:
        (dest / name).symlink_to(source / name)
    write_cases(dest, n, seed, real_profiles(source))
    return dest


def write_cases(root: Path, n: int, seed: int = 7, profiles: list[Profile] | None = None) -> list[Path]:
    world = World.read(root)
    profiles = profiles or real_profiles()
    ids = case_ids(n, seed)
    places = place_names(n, seed)
    folder = root / "casestudies"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, cid in enumerate(ids):
        path = folder / f"{cid}.yaml"
        case = make_case(i, ids, world, seed, places, profiles[i % len(profiles)])
        path.write_text(dump_yaml(case), encoding="utf-8")
        paths.append(path)
    return paths


@dataclass(frozen=True)
class World:
    """The ids the synthetic cases may refer to, read from the copied content."""

    factors: dict[str, list[str]]  # category -> factor ids
    phases: list[str]  # in lifecycle order
    triangles: dict[str, list[str]]  # phase id -> triangle ids
    works: list[str]
    anchors: dict[str, list[str]]  # case id -> anchors on its page that the real content links to

    @classmethod
    def read(cls, root: Path) -> World:
        def records(folder: str) -> list[dict[str, Any]]:
            return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / folder).glob("*.yaml"))]

        factors: dict[str, list[str]] = {"trigger": [], "driver": [], "enabler": []}
        for f in records("content/factors"):
            factors[f["category"]].append(f["id"])
        phases = [p["id"] for p in sorted(records("content/phases"), key=lambda p: p["number"])]
        triangles: dict[str, list[str]] = {p: [] for p in phases}
        for t in records("content/triangles"):
            if t.get("phase"):
                triangles[t["phase"]].append(t["id"])
        works = [w["id"] for w in records("content/literature")]
        anchors: dict[str, list[str]] = {}
        for folder in COPIED:
            for path in sorted((root / folder).rglob("*.yaml")):
                for case, anchor in _CASE_LINK.findall(path.read_text(encoding="utf-8")):
                    if anchor not in PAGE_ANCHORS and anchor not in anchors.setdefault(case, []):
                        anchors[case].append(anchor)
        return cls(factors, phases, triangles, works, anchors)


# Links into a case page from other records ('case-study/<id>#<anchor>' in pathways, 'cases/<id>.md#...').
_CASE_LINK = re.compile(r"(?:case-study/|cases/)([a-z0-9-]+)(?:\.md)?#([a-z0-9-]+)")
# Anchors the case page template writes itself (its headings).
PAGE_ANCHORS = frozenset(
    "summary background context-and-need strategy process outcomes analysis factors lifecycle timeline people "
    "lessons related literature contradictions cite layers conclusions reviewed data terms top".split()
)


# --- word lists --------------------------------------------------------------------------------------

PREFIXES = (
    "Ash Brad Carl Dun Elm Fen Glen Hal Kel Lang Mar Nor Oak Pen Rother Stan Thorn Wes Whit Bel Cor Dray Lin "
    "Mel Crow Hart Hol Kings Lough Red Sand Tam War Wick Bram Cal Gar Hadd Ket Mort Pres Rud Sel Sut Tor Wal"
).split()
SUFFIXES = (
    "bridge moor ford ton by field wick ham stead mouth dale haven worth bury holm ley gate combe well port "
    "thorpe minster ing den hurst"
).split()
COUNTRIES = (
    ("United Kingdom (England)", ("North West England", "Yorkshire", "the East Midlands", "the South West", "Kent")),
    ("United Kingdom (Scotland)", ("the Highlands", "Fife", "the Scottish Borders", "Lanarkshire")),
    ("United Kingdom (Wales)", ("the South Wales valleys", "Gwynedd", "Powys")),
    ("Netherlands", ("South Holland", "Gelderland", "North Brabant")),
    ("France", ("Nord-Pas-de-Calais", "Brittany", "Auvergne")),
    ("United States", ("Pennsylvania", "Oregon", "Ohio", "Michigan")),
    ("Denmark", ("Jutland", "Zealand")),
    ("Sweden", ("Skane", "Norrland")),
    ("Canada", ("Ontario", "Manitoba", "Nova Scotia")),
    ("Ireland", ("Munster", "Connacht")),
    ("Germany", ("the Ruhr", "Saxony", "Lower Saxony")),
    ("Finland", ("Ostrobothnia", "Karelia")),
)
LEVELS = ("city", "region", "borough", "district", "locality")
LEVEL_NOUN = {
    "city": "city council",
    "region": "regional council",
    "borough": "borough council",
    "district": "district council",
    "locality": "local partnership board",
}

SERVICES = (
    {
        "field": "Children's services",
        "users": ("children", "families", "young carers", "children in care", "new parents"),
        "sites": ("children's centres", "family hubs", "primary schools", "nurseries"),
        "staff": ("social workers", "health visitors", "family support workers", "teachers"),
        "measures": ("referrals to social care", "children on protection plans", "school attendance"),
        "kind": ("organisational: integrated children's services", "service: one assessment for each family"),
    },
    {
        "field": "Secondary education",
        "users": ("pupils", "school leavers", "parents", "teenagers"),
        "sites": ("secondary schools", "learning centres", "sixth forms", "further education colleges"),
        "staff": ("head teachers", "teachers", "governors", "careers advisers"),
        "measures": ("GCSE results", "staying-on rates", "exclusions", "unauthorised absence"),
        "kind": ("system-wide: a single 14-19 phase", "organisational: federated school governance"),
    },
    {
        "field": "Adult social care",
        "users": ("older people", "disabled adults", "carers", "people leaving hospital"),
        "sites": ("day centres", "care homes", "community hubs", "extra-care housing"),
        "staff": ("care managers", "home carers", "occupational therapists", "district nurses"),
        "measures": ("delayed discharges", "admissions to residential care", "time to assessment"),
        "kind": ("service: personal budgets for care", "organisational: joint health and care teams"),
    },
    {
        "field": "Housing and regeneration",
        "users": ("tenants", "leaseholders", "homeless households", "residents of the estates"),
        "sites": ("housing estates", "tower blocks", "neighbourhood offices", "former industrial land"),
        "staff": ("housing officers", "planners", "regeneration managers", "estate caretakers"),
        "measures": ("non-decent homes", "empty properties", "rent arrears", "tenant satisfaction"),
        "kind": ("place-based: estate regeneration led by tenants", "financial: a community land trust"),
    },
    {
        "field": "Community safety",
        "users": ("young people at risk", "victims of crime", "shopkeepers", "neighbourhood residents"),
        "sites": ("town centres", "youth clubs", "street markets", "neighbourhood watch areas"),
        "staff": ("police officers", "youth workers", "community wardens", "street mediators"),
        "measures": ("reported crime", "antisocial behaviour incidents", "fear of crime"),
        "kind": ("service: street mediation by trained residents", "organisational: a joint safety team"),
    },
    {
        "field": "Employment and skills",
        "users": ("jobseekers", "school leavers", "lone parents", "redundant steelworkers"),
        "sites": ("job centres", "skills academies", "business parks", "training workshops"),
        "staff": ("employment advisers", "trainers", "employers", "mentors"),
        "measures": ("long-term unemployment", "apprenticeship starts", "adult qualifications"),
        "kind": ("partnership: an employer-led skills compact", "service: a single route into work"),
    },
    {
        "field": "Public health",
        "users": ("smokers", "people with diabetes", "new mothers", "older residents"),
        "sites": ("GP surgeries", "pharmacies", "leisure centres", "community kitchens"),
        "staff": ("health trainers", "practice nurses", "public health officers", "volunteers"),
        "measures": ("smoking rates", "childhood obesity", "life expectancy", "emergency admissions"),
        "kind": ("service: health trainers recruited locally", "social: a neighbourhood food network"),
    },
    {
        "field": "Youth services",
        "users": ("young people", "teenagers not in education", "young offenders", "youth councillors"),
        "sites": ("youth centres", "sports halls", "detached youth projects", "skate parks"),
        "staff": ("youth workers", "coaches", "volunteers", "probation officers"),
        "measures": ("young people not in education or work", "first-time entrants to youth justice"),
        "kind": ("service: a youth opportunity card", "democratic: a youth council with its own budget"),
    },
    {
        "field": "Transport and land use",
        "users": ("commuters", "cyclists", "bus passengers", "rural residents"),
        "sites": ("bus corridors", "park-and-ride sites", "cycle routes", "the light-rail line"),
        "staff": ("transport planners", "engineers", "bus operators", "urban designers"),
        "measures": ("car journeys", "bus patronage", "journey times", "road casualties"),
        "kind": ("policy: an urban growth boundary", "infrastructure: integrated land use and transit"),
    },
    {
        "field": "Neighbourhood renewal",
        "users": ("residents", "community groups", "local traders", "faith groups"),
        "sites": ("neighbourhood centres", "community halls", "shopping parades", "allotments"),
        "staff": ("community development workers", "neighbourhood managers", "volunteers"),
        "measures": ("deprivation scores", "volunteering rates", "resident satisfaction"),
        "kind": ("democratic: neighbourhood budgets", "organisational: neighbourhood management"),
    },
    {
        "field": "Mental health",
        "users": ("people with mental illness", "carers", "young adults in crisis", "veterans"),
        "sites": ("recovery colleges", "crisis houses", "drop-in centres", "clubhouses"),
        "staff": ("psychiatric nurses", "peer workers", "psychologists", "support workers"),
        "measures": ("admissions to hospital", "readmissions", "people in work after treatment"),
        "kind": ("service: peer-led recovery", "organisational: a crisis café run with a charity"),
    },
    {
        "field": "Libraries and culture",
        "users": ("readers", "schoolchildren", "older learners", "artists"),
        "sites": ("branch libraries", "museums", "arts centres", "mobile libraries"),
        "staff": ("librarians", "curators", "artists in residence", "volunteers"),
        "measures": ("library visits", "book issues", "participation in the arts"),
        "kind": ("service: libraries as community hubs", "cultural: a festival run by residents"),
    },
)

ORG_TYPES = (
    "Health Board",
    "Housing Association",
    "Community Trust",
    "Voluntary Action",
    "Chamber of Commerce",
    "Learning Partnership",
    "Development Agency",
    "Foundation",
    "Credit Union",
    "Tenants' Federation",
)
NATIONAL_BODIES = (
    "the Audit Commission",
    "Ofsted",
    "the Innovation Unit",
    "the Local Government Association",
    "the regional development agency",
    "the national lottery",
    "the Department of Health",
    "the housing ministry",
    "a national charity",
    "two universities",
)
FIRST = (
    "Anne Brian Carol David Elena Farid Grace Hugh Irene James Karen Liam Maria Nadia Owen Priya Rachel Simon "
    "Tomas Una Victor Wendy Yusuf Zoe Ahmed Bridget Colin Deirdre Ewan Fatima"
).split()
LAST = (
    "Archer Bell Campbell Dawson Evans Fraser Gill Hughes Iqbal Jensen Kerr Lewis Morgan Nolan O'Brien Patel "
    "Quinn Reid Shaw Taylor Usher Vance Walsh Young Zielinski Brennan Costa Duval Eriksen Fischer"
).split()
ROLES = (
    "chief executive",
    "council leader",
    "director of services",
    "cabinet member",
    "head of policy",
    "programme manager",
    "community organiser",
    "chair of the partnership",
)
OPENERS = (
    "By the late 1990s",
    "For more than a decade",
    "At the start of the period",
    "According to interviewees",
    "In the words of one officer",
    "As the report notes",
    "Over the following years",
    "Before the change",
    "At first",
    "Within two years",
    "Looking back",
    "In the early stages",
)
ADVERBS = (
    "steadily",
    "quietly",
    "sharply",
    "slowly",
    "visibly",
    "unevenly",
    "rapidly",
    "gradually",
    "markedly",
    "modestly",
)
ADJECTIVES = (
    "fragmented",
    "stretched",
    "underfunded",
    "poorly coordinated",
    "risk-averse",
    "overloaded",
    "inward-looking",
    "slow",
    "costly",
    "disjointed",
)
GOOD = ("clearer", "faster", "closer", "better targeted", "more personal", "cheaper", "more trusted", "simpler")
VERBS = (
    "pooled",
    "redesigned",
    "piloted",
    "merged",
    "devolved",
    "commissioned",
    "rebuilt",
    "tested",
    "reorganised",
    "opened",
)
TERMS = (
    "social enterprise",
    "third sector",
    "best practice",
    "public value",
    "social capital",
    "pathfinder",
    "commissioning",
    "intermediaries",
    "continuous improvement",
    "communities of practice",
)
LAYER_NAMES = ("systemic", "sectoral", "frontline", "public")
EVENT_TYPES = ("inspection", "leadership", "strategy", "structure", "funding", "recognition", "crisis", "outcome")


class Prose:
    """Sentences about one case, drawn from sentence frames with slots filled at random."""

    def __init__(self, rng: random.Random, place: str, service: dict[str, Any], orgs: list[str], people: list[str]):
        self.rng = rng
        self.place = place
        self.service = service
        self.orgs = orgs
        self.people = people

    def pick(self, seq: Any) -> Any:
        return self.rng.choice(seq)

    def slots(self) -> dict[str, Any]:
        s, r = self.service, self.rng
        return {
            "place": self.place,
            "users": self.pick(s["users"]),
            "users2": self.pick(s["users"]),
            "site": self.pick(s["sites"]),
            "staff": self.pick(s["staff"]),
            "measure": self.pick(s["measures"]),
            "field": s["field"].lower(),
            "org": self.pick(self.orgs),
            "person": self.pick(self.people),
            "body": self.pick(NATIONAL_BODIES),
            "opener": self.pick(OPENERS),
            "adv": self.pick(ADVERBS),
            "adj": self.pick(ADJECTIVES),
            "adj2": self.pick(ADJECTIVES),
            "good": self.pick(GOOD),
            "verb": self.pick(VERBS),
            "term": self.pick(TERMS),
            "slow": self.pick(("slow", "halting", "uneven", "patchy", "hard-won")),
            "culture": self.pick(("continuous improvement", "open innovation", "learning", "experiment")),
            "pct": r.randint(4, 61),
            "pct2": r.randint(3, 48),
            "num": r.choice((3, 4, 5, 6, 7, 8, 9, 12, 14, 20, 25, 40)),
            "big": f"{r.randint(2, 95) * 1000:,}",
            "money": r.choice(("£1.2m", "£3m", "£450,000", "£8m", "£15m", "€2m", "$4m", "£600,000")),
            "years": r.randint(2, 9),
        }

    def say(self, frames: tuple[str, ...], count: int) -> str:
        chosen = self.rng.sample(frames, min(count, len(frames)))
        return " ".join(_sentence(t.format(**self.slots())) for t in chosen)

    def fill(self, frames: tuple[str, ...], words: int, paragraph: int = 90) -> str:
        """Sentences from `frames` until about `words` words (at least one sentence), in
        paragraphs of about `paragraph` words."""
        paragraphs: list[list[str]] = [[]]
        total = here = 0
        while total < words or not paragraphs[0]:
            sentence = _sentence(self.pick(frames).format(**self.slots()))
            n = len(sentence.split())
            if paragraphs[0] and total + n / 2 > words:  # nearer the target without it
                break
            if here >= paragraph:
                paragraphs.append([])
                here = 0
            paragraphs[-1].append(sentence)
            total += n
            here += n
        return "\n\n".join(" ".join(p) for p in paragraphs)


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


CONTEXT = (
    "{opener}, {field} in {place} was {adj} and {adj2}, and {users} noticed it first.",
    "{measure} had risen {adv} for {years} years while budgets stood still.",
    "only {pct} per cent of {users} said the {site} met their needs, well below the national figure.",
    "the {staff} worked in separate teams with their own rules, so {users} told their story again and again.",
    "a survey by {org} found that {pct} per cent of {users2} had stopped using the {site} altogether.",
    "unemployment in the poorest wards was {pct2} per cent, and {big} people lived on low incomes.",
    "{body} described the service as {adj}, and local councillors accepted that something had to change.",
    "the {site} had been built for a larger population and many stood half empty.",
    "costs were rising {adv}: {money} a year went on crisis responses that earlier help could have avoided.",
    "{users} and {users2} relied on the same {staff}, who had little time to plan ahead.",
    "many of the {site} sat in neighbourhoods that had lost their main employer a generation earlier.",
    '{person} later said that the old arrangements "suited the institutions rather than the people".',
)
STRATEGY = (
    "the council chose to start small, with {num} {site} acting as pathfinders for the rest of {place}.",
    "{person} set out a plan to put {users} at the centre of the {field} and to share budgets across agencies.",
    "{org} and the council {verb} their teams so that {staff} could work from the same {site}.",
    "rather than buy a ready-made model, officers visited other places and adapted what they had seen of {term} elsewhere.",
    "the strategy named {num} priorities and a simple test for each: would {users} notice the difference?",
    "{money} was set aside for experiments, and each pilot had to report back within {years} months.",
    "the partners agreed to measure {measure} every quarter and to publish the results.",
    "the plan gave {staff} the freedom to try new ideas without asking permission for each one.",
    "a joint board with {org} took charge of the money, so no single agency could block a decision.",
    "{users} were invited to help design the new {site} from the first workshop onwards.",
)
STRATEGY_ITEMS = (
    "**A single front door.** One contact point at the {site} leads {users} to every service.",
    "**Shared budgets.** The council and {org} pool {money} a year for {field}.",
    "**Local teams.** {staff} are grouped by neighbourhood rather than by profession.",
    "**Learning from users.** Panels of {users} review each change before it spreads.",
    "**Open data.** Figures on {measure} are published every quarter.",
    "**Small grants.** Community groups can bid for up to {money} to test their own ideas.",
)
PROCESS = (
    "the first pilot ran in {num} {site}, where {staff} tried the new approach with {users}.",
    "progress was {slow} at first, because the {staff} had to unlearn habits built up over {years} years.",
    "{person} met the {staff} every week and removed rules that slowed them down.",
    "{org} brought volunteers and local knowledge the council lacked, especially among {users2}.",
    "when the pilot showed a fall in {measure}, the partners {verb} the remaining {site} along the same lines.",
    "staff exchanges with {body} helped the team see its own practice afresh.",
    "a consultation reached {big} residents, and their comments reshaped the plan in several places.",
    "the team kept a log of what failed as well as what worked, and shared it with {org}.",
    "some managers resisted the change, and two of the {site} left the programme for a year.",
    "the new way of working was written into the contracts of the {staff}, so it no longer relied on a few enthusiasts.",
)
OUTCOMES = (
    "{measure} fell by {pct} per cent over {years} years, faster than in comparable places.",
    "satisfaction among {users} rose from {pct2} to {pct} per cent in the annual survey.",
    "{body} later rated the service as good, and other councils came to visit.",
    "the partners estimate that earlier help saves about {money} a year.",
    "in all, {num} of the {site} now work the new way, and more plan to follow.",
    "the gains were uneven: {users2} benefited less than expected, and the partners are still asking why.",
    "the programme won a national award and was cited as an example of {term} in a government paper.",
)
ANALYSIS = (
    "interviewees said the pressure of {measure} made change unavoidable, the kind of burning platform the literature describes.",
    "leadership came from {person} and from {org}, who trusted each other enough to share risk.",
    "national policy helped: {body} offered money and cover for experiments in {field}.",
    "a culture of {culture} meant that {staff} were used to trying things and reporting honestly.",
    "without the funding from {org}, the pilots would not have lasted beyond the first year.",
    "the {adj} structures of the past became a reason to start again rather than to patch things up.",
    "the partnership grew out of informal networks that already linked {staff} across agencies.",
    "political support in {place} was stable, so the council could take risks with {field} without fear of a sudden reversal.",
)
CONCLUSIONS = (
    "{place} shows how a {adj} service can become {good} when {users} shape it.",
    "the case is still changing, and its lessons depend on keeping {staff} and {org} at the table.",
    "what travelled best from {place} was not the model itself but the habit of testing ideas quickly with {users}.",
    "the story echoes other cases in the handbook where {body} and local leaders worked together on {field}.",
)
EVENT_LABELS = {
    "trigger": ("Critical report on {field} published", "Inspection finds {site} failing", "Crisis in {field}"),
    "inspection": ("{body} inspects {field}", "Review of {site} by {body}", "Follow-up inspection"),
    "leadership": ("{person} appointed", "New leadership team at {org}", "Change of council leader"),
    "strategy": ("Strategy for {field} agreed", "Partners sign a joint plan", "Vision for {place} launched"),
    "structure": ("Joint team with {org} formed", "{site} merged", "Neighbourhood teams created"),
    "funding": ("{money} awarded for pilots", "Budgets pooled with {org}", "Lottery grant for {site}"),
    "recognition": ("National award for {place}", "Named a pathfinder area", "Cited in a government white paper"),
    "crisis": ("Funding cut threatens the pilots", "{org} withdraws", "Local elections change control"),
    "outcome": ("{measure} falls by {pct} per cent", "{num} {site} adopt the model", "Evaluation published"),
}
EVENT_TEXT = (
    "{org} and the council respond, and {staff} are asked for ideas.",
    "the change affects about {big} {users} across {place}.",
    "{person} says it marked the point when the work became permanent.",
    "it gives the partners {money} and {years} years to show results.",
    "the decision is contested, but the {staff} support it.",
    "local papers report it widely and {users} begin to ask for the new service.",
    "{body} follows it closely and asks for regular reports.",
    "it moves {measure} into the council's headline targets.",
)
MEANING = (
    "{measure} in {place} had become impossible to ignore.",
    "{person} and {org} shared the risk of trying something new.",
    "{body} gave the work money and legitimacy at the right moment.",
    "{staff} were trusted to experiment with {users}.",
    "the {site} were {adj} and staff knew it.",
    "links between {org} and the council predated the programme.",
    "pressure from {users} kept the issue on the agenda.",
    "a stable majority let the council take long-term risks.",
)
FACTOR_LABELS = (
    "{measure} rising",
    "leadership from {org}",
    "pressure from {users}",
    "funding from {body}",
    "networks among {staff}",
    "{adj} services",
    "support from councillors",
    "a culture of trying things",
)
PHASE_EVIDENCE = (
    "the new approach is established in {num} {site} but not yet across {place}.",
    "partners are still building the teams and the money that growth needs.",
    "the work has outlived its first leaders and is part of normal business.",
    "the report's own summary says the case is at this stage.",
)
LESSONS = (
    "start with a small number of {site} and make the results visible early.",
    "give {staff} permission to fail, and a way of sharing what failure teaches.",
    "pool budgets with {org} before the pilots need them, not after.",
    "ask {users} what they need before redesigning the {site}.",
    "plan for the day {person} and the other first leaders move on.",
    "use a critical report from {body} as a catalyst, not as the plan.",
)
ROLE_TEXT = (
    "led the partnership and chaired its board.",
    "ran the pilots and reported on them each quarter.",
    "brought volunteers and knowledge of {users}.",
    "funded the first {num} {site}.",
    "championed the change among {staff}.",
    "evaluated the results for {body}.",
)
PROCESS_HEADINGS = (
    "Leadership and vision",
    "Building the partnership",
    "Piloting the new service",
    "Involving {users}",
    "Scaling up across {place}",
    "Changing the workforce",
)
ANALYSIS_HEADINGS = (
    "Driver: pressure to improve",
    "Driver: leadership",
    "Enabler: funding",
    "Enabler: partnership",
    "Driver: organisational culture",
    "Enabler: political support",
)


# --- calibration: the shape of the report's own cases ------------------------------------------


@dataclass(frozen=True)
class Profile:
    """The measurable shape of one real case study: words per text field and per section, the
    number of sections, events, figures, sources, citations, people, lessons and factor uses. A
    synthetic case copies the shape of one real case (case i that of the i-th real case, in turn),
    with some jitter, so the corpus has the real cases' distribution rather than one average."""

    id: str
    context: int
    strategy: int
    outcomes: int
    conclusions: int
    process: tuple[int, ...]  # words per section
    analysis: tuple[int, ...]
    events: int
    event_words: int  # per event (label, description, date notes)
    figures: int  # outcome figures
    background: int
    citations: int
    uses: tuple[int, int, int]  # triggers, drivers, enablers
    use_words: int  # per factor use
    lessons: int
    lesson_words: int
    people: int
    person_words: int
    contradictions: int
    sources: int  # source references anywhere in the record
    phase_words: int  # the lifecycle placement's evidence
    note_words: int  # figures, background, phase spans, layers, related cases, citations, period
    words: int  # prose words in all


NOTE_FIELDS = ("outcome_figures", "background", "phase_spans", "layers", "related_cases", "citations", "period")


def _mean(values: list[int]) -> int:
    return round(sum(values) / len(values)) if values else 0


def _count_sources(data: Any) -> int:
    if isinstance(data, dict):
        return sum(len(v) if k == "sources" and isinstance(v, list) else _count_sources(v) for k, v in data.items())
    if isinstance(data, list):
        return sum(_count_sources(v) for v in data)
    return 0


def profile_of(case: dict[str, Any]) -> Profile:
    def words(key: str) -> int:
        return prose_words(case.get(key) or "")

    def each(key: str) -> list[int]:
        return [prose_words(x) for x in case.get(key) or []]

    uses = [case.get(r) or [] for r in ("triggers", "drivers", "enablers")]
    return Profile(
        id=case["id"],
        context=words("context_and_need"),
        strategy=words("strategy"),
        outcomes=words("outcomes"),
        conclusions=words("conclusions"),
        process=tuple(each("process")),
        analysis=tuple(each("analysis")),
        events=len(case.get("timeline") or []),
        event_words=_mean(each("timeline")),
        figures=len(case.get("outcome_figures") or []),
        background=len(case.get("background") or []),
        citations=len(case.get("citations") or []),
        uses=(len(uses[0]), len(uses[1]), len(uses[2])),
        use_words=_mean([prose_words(u) for role in uses for u in role]),
        lessons=len(case.get("lessons") or []),
        lesson_words=_mean(each("lessons")),
        people=len(case.get("people") or []),
        person_words=_mean(each("people")),
        contradictions=len(case.get("contradictions") or []),
        sources=_count_sources(case),
        phase_words=prose_words(case.get("phase") or {}),
        note_words=sum(prose_words(case.get(k) or "", k) for k in NOTE_FIELDS),
        words=prose_words(case),
    )


def real_profiles(source: Path = REPO) -> list[Profile]:
    """The profiles of the real case studies in `source`/casestudies, in the report's order."""
    cases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((source / "casestudies").glob("*.yaml"))]
    order = {cid: k for k, cid in enumerate(REPORT_CASE_IDS)}
    cases.sort(key=lambda c: (order.get(c["id"], len(order)), c["id"]))
    return [profile_of(c) for c in cases]


def case_ids(n: int, seed: int = 7) -> list[str]:
    """The first ten are the report's case ids (the findings refer to them); then place-number ids."""
    ids = list(REPORT_CASE_IDS[:n])
    places = place_names(n, seed)
    for i in range(len(ids), n):
        ids.append(f"{_slug(places[i])}-{i:04d}")
    return ids


def place_name(rng: random.Random) -> str:
    return rng.choice(PREFIXES) + rng.choice(SUFFIXES)


QUALIFIERS = (
    "East {}",
    "West {}",
    "North {}",
    "South {}",
    "Upper {}",
    "Lower {}",
    "Great {}",
    "Little {}",
    "{} Vale",
    "{} Green",
    "{} Cross",
    "{} Heath",
    "{} Park",
    "{} Bay",
    "{} Hill",
    "{} Common",
)


def place_names(n: int, seed: int = 7) -> list[str]:
    """A place name for each of n cases, every one different (they are the cases' short titles, which
    the cross-case charts use as axis labels), as real places are: a name drawn a second time gets a
    qualifier, 'East Ashby'. Case i's name depends only on cases 0..i, not on n."""
    names: list[str] = []
    seen: set[str] = set()
    for i in range(n):
        base = place_name(random.Random(f"{seed}:place:{i}"))
        forms = [base, *(q.format(base) for q in QUALIFIERS), f"{base} {i}"]
        name = next(form for form in forms if form not in seen)
        seen.add(name)
        names.append(name)
    return names


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _src(rng: random.Random, i: int, where: str) -> dict[str, str]:
    start = rng.randint(100, 9000)
    return {"section": f"Synthetic case {i + 1}, {where}", "lines": f"{start}-{start + rng.randint(3, 60)}"}


def make_case(
    i: int, ids: list[str], world: World, seed: int = 7, places: list[str] | None = None, shape: Profile | None = None
) -> dict[str, Any]:
    """Case i of the corpus as a plain dict, ready to dump as YAML, shaped like the real case
    `shape` (by default the i-th of the report's cases, in turn)."""
    if shape is None:
        profiles = real_profiles()
        shape = profiles[i % len(profiles)]
    rng = random.Random(f"{seed}:case:{i}")

    def jitter(value: int) -> int:  # +-15 %, so that clones of one real case differ
        return max(0, round(value * rng.uniform(0.85, 1.15)))

    place = (places or place_names(i + 1, seed))[i]
    country, regions = rng.choice(COUNTRIES)
    region = rng.choice(regions)
    level = rng.choice(LEVELS)
    service = rng.choice(SERVICES)
    council = f"{place} {LEVEL_NOUN[level].title()}"
    orgs = [council, f"{place} {rng.choice(ORG_TYPES)}", f"the {region.removeprefix('the ')} {rng.choice(ORG_TYPES)}"]
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(max(3, shape.people))]
    people = [f"{rng.choice(ROLES)} {name}" for name in names]
    p = Prose(rng, place, service, orgs, people)
    start = rng.randint(1985, 2004)
    end = start + rng.randint(6, 14)

    process = []
    for j, words in enumerate(shape.process or (60,)):
        text = PROCESS_HEADINGS[(j + i) % len(PROCESS_HEADINGS)].format(**p.slots())
        process.append(
            {
                "id": f"{_slug(text)}-{j + 1}",
                "heading": f"3.{j + 1} {text}",
                "body": p.fill(PROCESS, jitter(words) - len(text.split())),
                "sources": [_src(rng, i, f"section 3.{j + 1}")],
            }
        )

    roles = {
        role: rng.sample(world.factors[kind], min(count, len(world.factors[kind])))
        for role, kind, count in zip(
            ("triggers", "drivers", "enablers"), ("trigger", "driver", "enabler"), shape.uses, strict=True
        )
    }
    analysis = []
    for j, words in enumerate(shape.analysis):
        heading = ANALYSIS_HEADINGS[(j + i) % len(ANALYSIS_HEADINGS)]
        pool = roles["drivers" if heading.startswith("Driver") else "enablers"] or roles["drivers"] or roles["enablers"]
        section: dict[str, Any] = {
            "id": f"{_slug(heading)}-{j + 1}",
            "heading": f"5.{j + 1} {heading}",
            "body": p.fill(ANALYSIS, jitter(words) - len(heading.split())),
        }
        if pool:
            section["factors"] = [pool[j % len(pool)]]
        section["sources"] = [_src(rng, i, f"section 5.{j + 1}")]
        analysis.append(section)
    sections = [s["id"] for s in process + analysis]

    uses: dict[str, list[dict[str, Any]]] = {}
    for role, factors in roles.items():
        uses[role] = []
        for f in factors:
            use: dict[str, Any] = {"factor": f, "meaning": p.fill(MEANING, jitter(shape.use_words) - 6)}
            if rng.random() < 0.6:
                use["label"] = _sentence(rng.choice(FACTOR_LABELS).format(**p.slots()))
            use["in_table1"] = False
            use["confidence"] = rng.choice(("sure", "sure", "probable", "ambiguous"))
            use["sources"] = [_src(rng, i, "section 5") for _ in range(rng.randint(1, 2))]
            uses[role].append(use)

    phase_pos = rng.randrange(len(world.phases))
    phase = world.phases[phase_pos]
    placement: dict[str, Any] = {
        "phase": phase,
        "basis": rng.choice(("stated", "inferred")),
        "evidence": p.fill(PHASE_EVIDENCE, jitter(shape.phase_words)),
    }
    if world.triangles.get(phase):
        placement["triangle"] = rng.choice(world.triangles[phase])
    placement["sources"] = [_src(rng, i, "section 6") for _ in range(3)]

    spans = []
    mid = rng.randint(start + 1, end - 1)
    earlier = world.phases[max(0, phase_pos - 1)]
    spans.append({"phase": earlier, "start": start, "end": mid, "basis": "inferred", "note": p.say(PHASE_EVIDENCE, 1)})
    if earlier != phase:
        spans.append({"phase": phase, "start": mid + 1, "basis": rng.choice(("stated", "inferred"))})

    timeline = []
    count = shape.events and max(1, shape.events + rng.randint(-1, 1))
    years = sorted(rng.randint(start, end) for _ in range(count))
    types = (["trigger"] + [rng.choice(EVENT_TYPES) for _ in range(count - 1)])[:count]
    for k, (year, kind) in enumerate(zip(years, types, strict=True)):
        label = rng.choice(EVENT_LABELS[kind]).format(**p.slots())
        event: dict[str, Any] = {
            "id": f"{_slug(label)[:40].strip('-')}-{k + 1}",
            "year": year,
        }
        if rng.random() < 0.15 and year < end:
            event["end_year"] = rng.randint(year + 1, end)
        event["label"] = label[:120]
        event["type"] = kind
        if k == 0:
            event["trigger"] = True
        event["description"] = p.fill(EVENT_TEXT, jitter(shape.event_words) - len(label.split()))
        if rng.random() < 0.12:
            other = year + rng.choice((-1, 1))
            event["certainty"] = "probable"
            event["date_note"] = f"The printed timeline gives {other}; the narrative gives {year}."
            event["other_years"] = [other]
        if rng.random() < 0.3:
            event["section"] = rng.choice(sections)
        event["sources"] = [_src(rng, i, "timeline"), _src(rng, i, "section 3")]
        timeline.append(event)

    _add_anchors(world.anchors.get(ids[i], []), process, timeline)
    n = len(ids)
    others = [j for j in rng.sample(range(n), min(n, 3)) if j != i][:2]
    case: dict[str, Any] = {
        "id": ids[i],
        "title": f"{service['field']} in {place}, {country.split(' (')[0]}",
        "short_title": place,
        "case_type": rng.choice(("full", "full", "mini")),
        "place": f"{place}, {region}",
        "country": country,
        "level": level,
        "service_field": service["field"],
        "innovation_kind": rng.choice(service["kind"]),
        "period": {"start": start, "end": end},
        "summary": p.say(CONTEXT, 1) + " " + p.say(OUTCOMES, 1),
        "context_and_need": p.fill(CONTEXT, jitter(shape.context)) + "\n",
        "strategy": p.fill(STRATEGY, jitter(shape.strategy) - 25)
        + "\n\n"
        + "\n".join(f"- {_sentence(t.format(**p.slots()))}" for t in rng.sample(STRATEGY_ITEMS, 2))
        + "\n",
        "process": process,
        "outcomes": p.fill(OUTCOMES, jitter(shape.outcomes)),
        "outcome_figures": [
            {
                "label": f"Change in {service['measures'][k % len(service['measures'])]} ({k + 1})",
                "value": -rng.randint(3, 40),
                "unit": "%",
                "year": f"{start}-{end}",
                "source": f"Synthetic case {i + 1}, section 4",
            }
            for k in range(shape.figures)
        ],
        "background": _background(rng, i, start, end, shape.background),
        "analysis": analysis,
        "conclusions": p.fill(CONCLUSIONS, jitter(shape.conclusions)),
        **uses,
        "phase": placement,
        "phase_spans": spans,
        "layers": [
            {"layer": layer, "note": p.say(PROCESS, 1), "sources": [_src(rng, i, "section 5")]}
            for layer in rng.sample(LAYER_NAMES, 1)
        ],
        "timeline": timeline,
        "people": [
            {"name": name, "kind": "person", "role": p.fill(ROLE_TEXT, jitter(shape.person_words) - 2, 999)}
            for name in dict.fromkeys(names[: max(0, shape.people - 1)])
        ]
        + [{"name": orgs[1], "kind": "organisation", "role": _sentence(p.say(ROLE_TEXT, 1))}],
        "lessons": [p.fill(LESSONS, jitter(shape.lesson_words), 999) for _ in range(shape.lessons)],
        "related_cases": [
            {"case": ids[j], "note": f"Both cases deal with {service['field'].lower()} under similar pressures."}
            for j in others
        ],
        "citations": [
            {"work": w, "footnotes": [rng.randint(1, 400)], "about": f"Evidence on {p.pick(service['measures'])}."}
            for w in rng.sample(world.works, min(len(world.works), shape.citations))
        ],
    }
    if shape.contradictions:
        case["contradictions"] = [
            {
                "id": f"start-year-{k + 1}",
                "topic": f"When the work began (reading {k + 1})",
                "readings": [
                    {"reading": f"It began in {start}. " + p.say(CONTEXT, 1), "sources": [_src(rng, i, "summary")]},
                    {
                        "reading": f"It began in {start + 1}. " + p.say(CONTEXT, 1),
                        "sources": [_src(rng, i, "timeline")],
                    },
                ],
                "shown": f"{start}.",
                "why": "The narrative gives the earlier year twice. " + p.say(ANALYSIS, 1),
            }
            for k in range(shape.contradictions)
        ]
    case.update(origin="report2008", contributors=["Bench corpus"], reviewers=["Bench corpus"], status="reviewed")
    _add_notes(case, p, jitter(shape.note_words))
    case["reviewed"] = [{"date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "note": "Synthetic."}]
    case["sources"] = [_src(rng, i, "summary") for _ in range(max(1, shape.sources - _count_sources(case)))]
    return case


def _add_anchors(anchors: list[str], process: list[dict[str, Any]], timeline: list[dict[str, Any]]) -> None:
    """Give the case the event and section ids that the real content links to, so those links resolve."""
    events = iter(timeline[1:])
    for anchor in anchors:
        if anchor.startswith("event-"):
            next(events)["id"] = anchor.removeprefix("event-")
        else:
            process.append({**process[-1], "id": anchor, "heading": f"3.{len(process) + 1} {anchor.replace('-', ' ')}"})


def _add_notes(case: dict[str, Any], p: Prose, words: int) -> None:
    """Caveats on the background and outcome figures, so that the case's figures, spans, layers,
    related cases and citations hold about `words` words, as the real case's do."""
    rows = case["background"] + case["outcome_figures"]
    missing = words - sum(prose_words(case.get(k) or "", k) for k in NOTE_FIELDS)
    if not rows or missing <= 0:
        return
    each = max(1, missing // len(rows))
    for row in rows:
        row["note"] = p.fill(ANALYSIS, each, 10**6)


def _background(rng: random.Random, i: int, start: int, end: int, count: int = 6) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"label": "Population", "value": rng.randint(8, 900) * 1000, "unit": "people", "year": str(start)},
        {"label": "Area", "value": rng.randint(12, 26000), "unit": "km²"},
        {"label": "Unemployment rate", "value": round(rng.uniform(2, 18), 1), "unit": "%", "year": str(end - 1)},
        {"label": "Council budget", "value": rng.randint(40, 900), "unit": "£m", "year": f"c.{start}"},
        {"label": "Wards among the most deprived tenth", "value": f"{rng.randint(1, 12)} of {rng.randint(13, 30)}"},
        {"label": "Voluntary organisations", "value": rng.randint(40, 900), "unit": "groups"},
    ]
    rows = [
        dict(
            rows[k % len(rows)],
            label=f"{rows[k % len(rows)]['label']} ({k // len(rows) + 1})" if k >= len(rows) else rows[k]["label"],
        )
        for k in range(count)
    ]
    for row in rows:
        row["source"] = f"Synthetic case {i + 1} background data"
    return rows


# --- measuring the corpus -----------------------------------------------------------------------------


def prose_words(data: Any, key: str = "") -> int:
    """Words in a case's text fields (ids, enums, years, dates and report locations left out)."""
    if isinstance(data, dict):
        return sum(prose_words(v, k) for k, v in data.items() if k not in NOT_PROSE)
    if isinstance(data, list):
        return sum(prose_words(v, key) for v in data)
    if isinstance(data, str):
        return len(data.split())
    return 0


def corpus_stats(root: Path) -> dict[str, float]:
    cases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "casestudies").glob("*.yaml"))]
    words = [prose_words(c) for c in cases]
    events = [len(c["timeline"]) for c in cases]
    uses = [sum(len(c[r]) for r in ("triggers", "drivers", "enablers")) for c in cases]
    return {
        "cases": len(cases),
        "words_mean": sum(words) / len(words),
        "words_min": min(words),
        "words_max": max(words),
        "events_min": min(events),
        "events_max": max(events),
        "factor_uses_min": min(uses),
        "factor_uses_max": max(uses),
        "yaml_bytes": sum(p.stat().st_size for p in (root / "casestudies").glob("*.yaml")),
    }


def edit_case(root: Path, case_id: str, field: str = "context_and_need") -> None:
    """Change one sentence of one case, as an author would: the first sentence of `field`
    ('context_and_need', or 'timeline' for the first event's description)."""
    path = root / "casestudies" / f"{case_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    new = "An editor rewrote this sentence to see how long a rebuild takes."
    if new in str(data):
        new = new.replace("this sentence", "this sentence again")
    if field == "timeline":
        data["timeline"][0]["description"] = new + " " + data["timeline"][0]["description"]
    else:
        first, _, rest = data[field].partition(". ")
        data[field] = new + " " + rest if rest else new + "\n"
    path.write_text(dump_yaml(data), encoding="utf-8")


# --- real against synthetic -----------------------------------------------------------------------

CALIBRATED = (  # (Profile field or function, label)
    ("words", "Words per case (prose)"),
    ("context", "Words: context and need"),
    ("strategy", "Words: strategy"),
    ("outcomes", "Words: outcomes"),
    ("process_words", "Words per process section"),
    ("analysis_words", "Words per analysis section"),
    ("sections", "Process + analysis sections"),
    ("events", "Timeline events"),
    ("event_words", "Words per timeline event"),
    ("all_figures", "Figures (outcome + background)"),
    ("sources", "Source references"),
    ("citations", "Literature citations"),
    ("factor_uses", "Factor uses"),
    ("people", "People and organisations"),
)


def _value(pr: Profile, key: str) -> list[float]:
    if key == "process_words":
        return list(pr.process)
    if key == "analysis_words":
        return list(pr.analysis)
    if key == "sections":
        return [len(pr.process) + len(pr.analysis)]
    if key == "all_figures":
        return [pr.figures + pr.background]
    if key == "factor_uses":
        return [sum(pr.uses)]
    return [getattr(pr, key)]


def calibration_table(real: list[Profile], synthetic: list[Profile]) -> str:
    """Markdown: mean, min and max of each calibrated measure, real cases against synthetic ones."""

    def stats(profiles: list[Profile], key: str) -> str:
        values = [v for pr in profiles for v in _value(pr, key)]
        if not values:
            return "–"
        return f"{sum(values) / len(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"

    lines = [
        f"| Measure | Report's cases (N = {len(real)}): mean (min–max) | Synthetic (N = {len(synthetic)}): mean (min–max) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {label} | {stats(real, key)} | {stats(synthetic, key)} |" for key, label in CALIBRATED]
    return "\n".join(lines)


def synthetic_profiles(root: Path) -> list[Profile]:
    return [
        profile_of(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted((root / "casestudies").glob("*.yaml"))
    ]
