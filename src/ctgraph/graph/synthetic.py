"""A synthetic graph shaped like the real one, at any scale, for benchmarks and tests.

The real graph is small (a few thousand triples), so engines and validators cannot be
compared on it. This module writes N-Quads directly (no CSV, no rdflib terms, so x100
takes seconds) with the real data's shape: one named graph per source report, the
reports in the default graph, countries and measures in a reference graph, entities of
every type (Member States share their country's IRI), working groups with chairs and
members, projects with implementers, partners, donors, countries, regions, pillars,
statuses, scopes, budgets and dated periods, events, resolutions that projects cite,
contributions, statistics, and a citation (report + line) behind every fact. Counts
at scale 1 follow the real tables; a scale factor multiplies them. The output is a
function of (scale, seed, violations) only.

`violations=n` appends, for every constraint of every targeted shape in the shapes
file, `n` extra resources that break that constraint and nothing else (derived from
the shapes, not listed by hand), and records the expected results in `expected`.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import pycountry
import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SDO, SH, SKOS, XSD
from rdflib.term import Node

from ctgraph.namespaces import (
    CTG,
    DATASET_IRI,
    DCAT,
    DERIVED_GRAPH,
    DESCRIPTION_GRAPH,
    DISCREPANCIES_GRAPH,
    ELI,
    ONTOLOGY_IRI,
    REGIONS_GRAPH,
    VOID,
    graph_iri,
    mint,
    report_iri,
)

#: the measures the reports give a coordination framework's size in
FRAMEWORK_MEASURES = ("member-entities", "members", "observers", "working-groups")
#: records per table at scale 1, as in the real tables once every report is in
BASE_COUNTS = {
    "sources": 5,
    "entities": 250,
    "working_groups": 10,
    "memberships": 40,
    "people": 12,
    "posts": 16,
    "appointments": 12,
    "resolutions": 50,
    "instruments": 20,
    "region_definitions": 21,
    "regions": 35,
    "projects": 380,
    "project_counts": 10,
    "events": 90,
    "contributions": 50,
    "measures": 30,
    "observations": 40,
    "functions": 20,
    "discrepancies": 12,
    "replacements": 2,
}
SCALES = (1, 10, 100, 1000)
DISCREPANCY_KINDS = (
    CTG.ResolutionYearMismatch,
    CTG.CountMismatch,
    CTG.FigureMismatch,
    CTG.RepeatedSerial,
    CTG.MissingSerial,
    CTG.NearDuplicateNames,
)
REFERENCE_GRAPH = mint("graph", "reference")
TOPICS = (
    "Counter-Terrorism",
    "Border Security",
    "Aviation Security",
    "Countering the Financing of Terrorism",
    "Victims of Terrorism",
    "Preventing Violent Extremism",
    "Cybersecurity",
    "Human Rights",
    "Gender",
    "Criminal Justice",
    "Rule of Law",
    "Youth Engagement",
    "Critical Infrastructure",
    "Foreign Terrorist Fighters",
    "Legal Frameworks",
)
KINDS_OF_OFFICE = ("Office", "Centre", "Programme", "Directorate", "Fund", "Agency")
CITIES = ("Geneva", "Vienna", "New York", "Nairobi", "Doha", "Madrid", "Rabat", "Bonn")
ENTITY_TYPES = (
    (CTG.UNEntity, 45),
    (CTG.InternationalOrganisation, 20),
    (CTG.MemberState, 20),
    (CTG.Partner, 10),
    (CTG.Unit, 5),
)
ROLES = (CTG.Chair, CTG.CoChair, CTG.ViceChair, CTG.Member, CTG.Observer)
STATUSES = (
    CTG.Pipeline,
    CTG.Implementation,
    CTG.Finalisation,
    CTG.Closed,
    CTG.Cancelled,
    CTG.Suspended,
)
SCOPES = (CTG.GlobalScope, CTG.RegionalScope, CTG.MultiNationalScope, CTG.NationalScope)
FUNDING = (CTG.Contribution, CTG.Pledge, CTG.InKindContribution, CTG.FundingTotal)
ACTS = (CTG.establishes, CTG.renewsMandateOf, CTG.requestsReportFrom, CTG.endorses)
PILLARS = ("i", "ii", "iii", "iv")
#: offset of the index of injected resources, so their IRIs never meet valid ones
FRESH = 1_000_000


# --- N-Triples terms -----------------------------------------------------------------


def iri(value: str) -> str:
    return f"<{value}>"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def lit(text: str, datatype: str | None = None, lang: str | None = None) -> str:
    if lang:
        return f'"{escape(text)}"@{lang}'
    if datatype and datatype != str(XSD.string):
        return f'"{escape(text)}"^^<{datatype}>'
    return f'"{escape(text)}"'


LITERAL = re.compile(r'^"(.*)"(?:\^\^<([^>]*)>|@([A-Za-z0-9-]+))?$', re.DOTALL)


def parse_literal(term: str) -> tuple[str, str | None, str | None] | None:
    """(lexical, datatype, language) of an N-Triples literal; None for an IRI."""
    match = LITERAL.match(term)
    if match is None:
        return None
    text = match.group(1).replace('\\"', '"').replace("\\\\", "\\")
    return text, match.group(2), match.group(3)


def date_term(day: dt.date, precision: str) -> str:
    if precision == "year":
        return lit(str(day.year), str(XSD.gYear))
    if precision == "month":
        return lit(f"{day.year:04d}-{day.month:02d}", str(XSD.gYearMonth))
    return lit(day.isoformat(), str(XSD.date))


def first_day(day: dt.date, precision: str) -> dt.date:
    if precision == "year":
        return dt.date(day.year, 1, 1)
    if precision == "month":
        return dt.date(day.year, day.month, 1)
    return day


def last_day(day: dt.date, precision: str) -> dt.date:
    if precision == "year":
        return dt.date(day.year, 12, 31)
    if precision == "month":
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return day


def day_term(day: dt.date) -> str:
    return lit(day.isoformat(), str(XSD.date))


# --- records -------------------------------------------------------------------------


@dataclass
class Record:
    """One resource's statements in one named graph (None: the default graph)."""

    subject: str
    graph: str | None
    kind: str
    types: list[str]
    props: list[tuple[str, str]] = field(default_factory=list)

    def add(self, predicate: object, obj: str) -> None:
        statement = (str(predicate), obj)
        if statement not in self.props:
            self.props.append(statement)

    def values(self, predicate: str) -> list[str]:
        return [o for p, o in self.props if p == predicate]

    def lines(self) -> Iterator[str]:
        tail = f" <{self.graph}> .\n" if self.graph else " .\n"
        s = f"<{self.subject}> "
        for cls in self.types:
            yield f"{s}<{RDF.type}> <{cls}>{tail}"
        for p, o in self.props:
            yield f"{s}<{p}> {o}{tail}"


@dataclass(frozen=True)
class Kind:
    """One constraint of one targeted shape that an injected resource can break."""

    node_shape: Node
    shape: Node
    component: URIRef
    path: URIRef | None
    parameter: Node
    key: tuple[str, str, str]
    datatype: Node | None = None


@dataclass
class Synthetic:
    """What was generated: counts, triples written, and the violations injected."""

    scale: float
    seed: int
    counts: Counter[str] = field(default_factory=Counter)
    quads: int = 0
    expected: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    not_injected: list[tuple[str, str, str]] = field(default_factory=list)
    nquads: str = ""


class Generator:
    """Write the synthetic graph's records, valid ones first, then injected ones."""

    def __init__(self, scale: float, seed: int, sink: Callable[[str], object]) -> None:
        self.scale, self.seed = scale, seed
        self.rng = random.Random(f"ctgraph-synthetic:{seed}:{scale}")
        self.sink = sink
        self.result = Synthetic(scale, seed)
        self.n = {
            table: max(2, round(count * scale)) for table, count in BASE_COUNTS.items()
        }
        self.sources: list[tuple[str, str, dt.date]] = []  # (id, graph, date)
        self.cited: set[str] = set()
        codes = sorted(c.alpha_3 for c in pycountry.countries)
        self.rng.shuffle(codes)
        self.free_codes = codes
        self.countries: dict[str, str] = {}  # code -> label, for the reference graph
        self.member_states: list[str] = []  # entity IRIs that are countries
        self.organs: dict[str, str] = {}
        self.frameworks: list[str] = []
        self.entities: list[str] = []  # every entity IRI except Member States
        self.un_entities: list[str] = []
        self.groups: list[str] = []
        self.people: list[str] = []
        self.posts: list[str] = []
        self.resolutions: list[str] = []
        self.regions: list[str] = []
        self.definitions: list[str] = []
        self.projects: list[str] = []
        self.programmes: list[str] = []
        self.measures: list[str] = []
        self.pool: dict[tuple[str, str], list[str]] = defaultdict(list)

    # --- output ----------------------------------------------------------------

    def emit(self, record: Record, remember: bool = True) -> None:
        for line in record.lines():
            self.sink(line)
            self.result.quads += 1
        self.result.counts[record.kind] += 1
        if remember:
            self.remember(record)

    def remember(self, record: Record) -> None:
        """Keep a few distinct values per (kind, property) for maxCount injections."""
        for p, o in record.props:
            values = self.pool[(record.kind, p)]
            if len(values) < 8 and o not in values:
                values.append(o)

    # --- shared helpers ----------------------------------------------------------

    def pick(self, items: list[str], k: int = 1) -> list[str]:
        if not items:
            return []
        return self.rng.sample(items, min(k, len(items)))

    def source(self) -> tuple[str, str, dt.date]:
        return self.sources[self.rng.randrange(len(self.sources))]

    def cite(self, record: Record, source: tuple[str, str, dt.date]) -> None:
        sid, graph, _ = source
        line = self.rng.randint(1, 4000)
        citation = str(mint("citation", sid, f"line-{line}"))
        record.add(PROV.wasDerivedFrom, iri(citation))
        if citation not in self.cited:
            self.cited.add(citation)
            self.emit(self.citation_record(citation, graph, sid, f"line {line}"))

    def citation_record(self, citation: str, graph: str, sid: str, locator: str):
        record = Record(citation, graph, "citation", [str(CTG.Citation)])
        record.add(PROV.hadPrimarySource, iri(str(report_iri(sid))))
        record.add(CTG.locator, lit(locator))
        return record

    def label(self, record: Record, text: str, lang: str | None = "en") -> None:
        record.add(RDFS.label, lit(text, lang=lang))

    def period(self, record: Record, start_chance: float, end_chance: float) -> None:
        if self.rng.random() >= start_chance:
            return
        start = dt.date(2005, 1, 1) + dt.timedelta(days=self.rng.randrange(7300))
        precision = self.rng.choice(("year", "month", "day"))
        record.add(SDO.startDate, date_term(start, precision))
        record.add(CTG.periodStart, day_term(first_day(start, precision)))
        if self.rng.random() < end_chance:
            end = start + dt.timedelta(days=self.rng.randrange(2500))
            end_precision = self.rng.choice(("year", "month", "day"))
            record.add(SDO.endDate, date_term(end, end_precision))
            record.add(CTG.periodEnd, day_term(last_day(end, end_precision)))

    def country(self, code: str | None = None) -> str:
        """A country IRI, registered for the reference graph."""
        if code is None:
            if self.countries and (not self.free_codes or self.rng.random() < 0.7):
                code = self.rng.choice(sorted(self.countries))
            else:
                code = self.free_codes.pop()
        if code not in self.countries:
            found = pycountry.countries.get(alpha_3=code)
            name = getattr(found, "common_name", None) or found.name
            self.countries[code] = name
            if code in self.free_codes:
                self.free_codes.remove(code)
        return str(mint("country", code.lower()))

    def money(self) -> str:
        amount = self.rng.randrange(10_000, 50_000_000)
        text = f"{amount}.5" if self.rng.random() < 0.2 else str(amount)
        return lit(text, str(XSD.decimal))

    def name(self, i: int, kind: str | None = None) -> str:
        office = kind or self.rng.choice(KINDS_OF_OFFICE)
        return f"{office} for {self.rng.choice(TOPICS)} {i}"

    # --- tables ------------------------------------------------------------------

    def generate(self) -> None:
        for i in range(self.n["sources"]):
            self.emit(self.new_source(i))
        for record in self.fixed_entities():
            self.emit(record)
        for i in range(self.n["entities"]):
            for record in self.new_entity(i, fresh=False):
                self.emit(record)
        for i, pillar in enumerate(PILLARS):
            self.emit(self.pillar(i, pillar))
        for table, factory in (
            ("working_groups", self.new_group),
            ("people", self.new_person),
            ("posts", self.new_post),
            ("appointments", self.new_appointment),
            ("memberships", self.new_membership),
            ("resolutions", self.new_resolution),
            ("instruments", self.new_instrument),
            ("region_definitions", self.new_region_definition),
            ("regions", self.new_region),
            ("projects", self.new_project),
            ("project_counts", self.new_project_count),
            ("events", self.new_event),
            ("contributions", self.new_funding),
            ("measures", self.new_measure),
            ("observations", self.new_observation),
            ("functions", self.new_function),
            ("discrepancies", self.new_discrepancy),
            ("replacements", self.new_replacement),
        ):
            for i in range(self.n[table]):
                self.emit(factory(i))

    def new_source(self, i: int) -> Record:
        sid = f"synthetic-report-{i}"
        date = dt.date(2017 + i % 9, 1 + (i * 5) % 12, 1)
        graph = str(graph_iri(sid))
        self.sources.append((sid, graph, date))
        report = str(report_iri(sid))
        record = Record(report, None, "source", [str(CTG.SourceReport)])
        title = f"Synthetic report {i} on {self.rng.choice(TOPICS)}"
        record.add(DCTERMS.title, lit(title, lang="en"))
        record.add(DCTERMS.date, date_term(date, "month"))
        record.add(DCTERMS.publisher, lit("United Nations Office of Counter-Terrorism"))
        record.add(DCTERMS.language, lit("en"))
        record.add(CTG.fileName, lit(f"{i:03d}_synthetic.txt"))
        described = Record(graph, None, "graph", [str(PROV.Entity)])
        described.add(PROV.hadPrimarySource, iri(report))
        described.add(PROV.wasDerivedFrom, iri(report))
        described.add(RDFS.label, lit(f"Facts stated in {title}", lang="en"))
        self.emit(described)
        return record

    def fixed_entities(self) -> Iterator[Record]:
        """The organs, and the frameworks: the Compact and CTITF at scale 1, one more
        per half scale unit beyond, so a framework keeps about as many members and
        working groups as the Compact has, whatever the scale."""
        source = self.sources[0]
        extra = [
            (f"framework-{i}", f"Coordination framework {i}", None)
            for i in range(2, max(2, round(2 * self.scale)))
        ]
        for slug, name, cls in (
            ("compact", "Global Counter-Terrorism Coordination Compact", None),
            ("ctitf", "Counter-Terrorism Implementation Task Force", None),
            *extra,
            ("security-council", "Security Council", CTG.UNEntity),
            ("general-assembly", "General Assembly", CTG.UNEntity),
            ("human-rights-council", "Human Rights Council", CTG.UNEntity),
        ):
            subject = str(mint("entity", slug))
            kind = cls or CTG.CoordinationFramework
            record = Record(subject, source[1], "entity", [str(kind)])
            self.label(record, name)
            self.cite(record, source)
            if cls is None:
                self.frameworks.append(subject)
            else:
                self.organs[slug] = subject
                self.un_entities.append(subject)
            self.entities.append(subject)
            yield record

    def new_entity(self, i: int, fresh: bool = True) -> Iterator[Record]:
        source = self.source()
        cls = self.rng.choices(
            [c for c, _ in ENTITY_TYPES], [w for _, w in ENTITY_TYPES]
        )[0]
        if cls == CTG.MemberState and (fresh or not self.free_codes):
            cls = CTG.UNEntity
        if cls == CTG.MemberState:
            subject = self.country(self.free_codes[-1])
            name = self.countries[subject.rsplit("/", 1)[1].upper()]
            self.member_states.append(subject)
        else:
            subject = str(mint("entity", f"e-{i}"))
            name = self.name(i)
        record = Record(subject, source[1], "entity", [str(cls)])
        self.label(record, name)
        if cls != CTG.MemberState:
            if self.rng.random() < 0.6:
                record.add(CTG.acronym, lit(f"E{i}"))
            if self.rng.random() < 0.1:
                self.label(record, f"实体{i}", "zh")
            if self.rng.random() < 0.2:
                record.add(SKOS.altLabel, lit(f"The {name}", lang="en"))
        if cls == CTG.Unit or (cls == CTG.UNEntity and self.rng.random() < 0.05):
            record.add(ORG.subOrganizationOf, iri(self.rng.choice(self.un_entities)))
        self.cite(record, source)
        yield record
        if cls != CTG.MemberState:
            self.entities.append(subject)
            if cls == CTG.UNEntity:
                self.un_entities.append(subject)
        if fresh:
            return
        if self.rng.random() < 0.18:
            yield self.membership(
                i,
                self.rng.choice(self.frameworks),
                subject,
                self.rng.choice((CTG.Member, CTG.Observer)),
                source,
                dates=False,
            )
        if self.rng.random() < 0.1 and cls != CTG.MemberState:
            # the same entity stated again by another report, in that report's graph
            again = self.rng.choice([s for s in self.sources if s != source])
            restated = Record(subject, again[1], "entity-restated", [str(cls)])
            self.label(restated, name)
            self.cite(restated, again)
            yield restated

    def pillar(self, i: int, slug: str) -> Record:
        source = self.sources[0]
        record = Record(str(mint("pillar", slug)), source[1], "pillar", [])
        record.types.append(str(SKOS.Concept))
        record.add(SKOS.inScheme, iri(str(CTG.PillarScheme)))
        record.add(SKOS.notation, lit(slug.upper()))
        record.add(
            SKOS.prefLabel, lit(f"Pillar {slug.upper()} of the Strategy", lang="en")
        )
        self.label(record, f"Pillar {slug.upper()}")
        self.cite(record, source)
        return record

    def pillars(self, record: Record, most: int) -> None:
        for slug in self.rng.sample(PILLARS, self.rng.randint(1, most)):
            record.add(CTG.pillar, iri(str(mint("pillar", slug))))

    def new_group(self, i: int) -> Record:
        source = self.source()
        subject = str(mint("working-group", f"wg-{i}"))
        committee = self.rng.random() < 0.1
        cls = CTG.CoordinationCommittee if committee else CTG.WorkingGroup
        record = Record(subject, source[1], "group", [str(cls)])
        self.label(record, f"Working Group on {self.rng.choice(TOPICS)} {i}")
        parent = self.rng.choice(self.frameworks)
        record.add(ORG.subOrganizationOf, iri(parent))
        if not committee:
            record.add(CTG.number, lit(str(i + 1), str(XSD.integer)))
            self.pillars(record, 2)
        self.cite(record, source)
        self.groups.append(subject)
        return record

    def membership(
        self,
        i: int,
        organisation: str,
        member: str,
        role: URIRef,
        source: tuple[str, str, dt.date],
        dates: bool = True,
    ) -> Record:
        subject = str(mint("membership", f"m-{i}-{organisation.rsplit('/', 1)[1]}"))
        record = Record(subject, source[1], "membership", [str(ORG.Membership)])
        record.add(ORG.organization, iri(organisation))
        record.add(ORG.member, iri(member))
        record.add(ORG.role, iri(str(role)))
        record.add(CTG.asOf, date_term(source[2], "month"))
        if dates:
            self.period(record, 0.5, 0.4)
        self.cite(record, source)
        return record

    def new_membership(self, i: int) -> Record:
        source = self.source()
        organisation = self.rng.choice(self.groups)
        if self.people and self.rng.random() < 0.1:
            member = self.rng.choice(self.people)
        else:
            member = self.rng.choice(self.entities + self.member_states)
        return self.membership(i, organisation, member, self.rng.choice(ROLES), source)

    def new_person(self, i: int) -> Record:
        source = self.source()
        subject = str(mint("person", f"person-{i}"))
        record = Record(subject, source[1], "person", [str(CTG.Person)])
        self.label(record, f"Person {i}")
        self.cite(record, source)
        self.people.append(subject)
        return record

    def new_post(self, i: int) -> Record:
        source = self.source()
        subject = str(mint("post", f"post-{i}"))
        record = Record(subject, source[1], "post", [str(ORG.Post)])
        self.label(record, f"Head of {self.rng.choice(TOPICS)} {i}")
        record.add(ORG.postIn, iri(self.rng.choice(self.entities)))
        self.cite(record, source)
        self.posts.append(subject)
        return record

    def new_appointment(self, i: int) -> Record:
        source = self.source()
        person, post = self.rng.choice(self.people), self.rng.choice(self.posts)
        subject = str(mint("appointment", f"a-{i}"))
        record = Record(subject, source[1], "appointment", [str(CTG.Appointment)])
        record.add(ORG.member, iri(person))
        record.add(CTG.post, iri(post))
        record.add(CTG.asOf, date_term(source[2], "month"))
        self.period(record, 0.6, 0.4)
        self.cite(record, source)
        return record

    def new_resolution(self, i: int) -> Record:
        source = self.source()
        body = self.rng.choices(("SC", "GA", "HRC", "PRST"), (50, 30, 10, 10))[0]
        year, session, number = 2000 + i % 25, 55 + i % 25, 1000 + i
        if body == "SC":
            symbol, slug = f"S/RES/{number} ({year})", f"s-res-{number}-{year}"
            cls, organ = CTG.SecurityCouncilResolution, "security-council"
        elif body == "GA":
            symbol, slug = f"A/RES/{session}/{number}", f"a-res-{session}-{number}"
            cls, organ = CTG.GeneralAssemblyResolution, "general-assembly"
        elif body == "HRC":
            symbol = f"A/HRC/RES/{session}/{number}"
            slug = f"a-hrc-res-{session}-{number}"
            cls, organ = CTG.HumanRightsCouncilResolution, "human-rights-council"
        else:
            symbol, slug = f"S/PRST/{year}/{number}", f"s-prst-{year}-{number}"
            cls, organ = CTG.PresidentialStatement, "security-council"
        subject = str(mint("resolution", slug))
        record = Record(subject, source[1], "resolution", [str(cls)])
        record.add(ELI.id_local, lit(symbol))
        record.add(RDFS.label, lit(symbol))
        record.add(ELI.number, lit(str(number), str(XSD.integer)))
        record.add(ELI.passed_by, iri(self.organs[organ]))
        if body in ("SC", "PRST"):
            record.add(CTG.year, lit(str(year), str(XSD.integer)))
        else:
            record.add(CTG.session, lit(str(session), str(XSD.integer)))
        if self.rng.random() < 0.7:
            record.add(
                ELI.title, lit(f"Threats caused by terrorist acts {i}", lang="en")
            )
        if self.rng.random() < 0.6:
            adopted = dt.date(year, 1 + i % 12, 1 + i % 28)
            record.add(ELI.date_document, date_term(adopted, "day"))
        if self.rng.random() < 0.2:
            record.add(self.rng.choice(ACTS), iri(self.rng.choice(self.entities)))
        record.add(CTG.statedIn, iri(str(report_iri(source[0]))))  # as the build does
        if self.rng.random() < 0.2:  # and cited again by a later report
            again = self.source()
            record.add(CTG.statedIn, iri(str(report_iri(again[0]))))
        self.cite(record, source)
        self.resolutions.append(subject)
        return record

    def new_instrument(self, i: int) -> Record:
        source = self.source()
        subject = str(mint("instrument", f"instrument-{i}"))
        record = Record(subject, source[1], "instrument", [str(CTG.LegalInstrument)])
        self.label(record, f"Convention on {self.rng.choice(TOPICS)} {i}")
        record.add(CTG.year, lit(str(self.rng.randint(1963, 2005)), str(XSD.integer)))
        self.cite(record, source)
        return record

    def new_region(self, i: int) -> Record:
        source = self.source()
        subject = str(mint("region", f"region-{i}"))
        record = Record(subject, source[1], "region", [str(CTG.Region)])
        self.label(record, f"Region {i}")
        for _ in range(self.rng.randint(0, 6)):
            record.add(CTG.includesCountry, iri(self.country()))
        if self.definitions:  # as the build does, for the regions it can define
            record.add(
                CTG.countriesFrom, iri(self.definitions[i % len(self.definitions)])
            )
        self.cite(record, source)
        self.regions.append(subject)
        return record

    def new_region_definition(self, i: int) -> Record:
        subject = str(mint("region-definition", f"definition-{i}"))
        record = Record(
            subject,
            str(REGIONS_GRAPH),
            "region-definition",
            [str(CTG.RegionDefinition)],
        )
        self.label(record, f"Definition {i} of a region's countries")
        record.add(DCTERMS.source, iri(f"https://example.org/regions/{i}"))
        self.definitions.append(subject)
        return record

    def new_project(self, i: int) -> Record:
        source = self.source()
        subject = str(mint("project", f"p-{i}"))
        cls = self.rng.choices(
            (CTG.Project, CTG.Programme, CTG.Initiative), (85, 10, 5)
        )[0]
        record = Record(subject, source[1], "project", [str(cls)])
        self.label(record, f"Project on {self.rng.choice(TOPICS)} {i}")
        record.add(CTG.serial, lit(str(1 + i % 400)))
        self.pillars(record, 2)
        rng = self.rng
        if rng.random() < 0.9:
            status = rng.choice(STATUSES)
            record.add(CTG.status, iri(str(status)))
            record.add(CTG.statusText, lit(str(status).rsplit("#", 1)[1].lower()))
        if rng.random() < 0.5:
            record.add(DCTERMS.description, lit(f"Capacity building {i}", lang="en"))
        self.period(record, 0.8, 0.75)
        if rng.random() < 0.4:
            record.add(CTG.durationText, lit(f"{rng.randint(1, 48)} months"))
        for entity in self.pick(self.entities, rng.randint(1, 3)):
            record.add(CTG.implementedBy, iri(entity))
        if rng.random() < 0.3:
            for entity in self.pick(self.entities, rng.randint(1, 2)):
                record.add(CTG.partner, iri(entity))
        if rng.random() < 0.2:
            donors = self.member_states or self.entities
            for entity in self.pick(donors, rng.randint(1, 2)):
                record.add(CTG.fundedBy, iri(entity))
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 4)):
                record.add(CTG.country, iri(self.country()))
        if rng.random() < 0.2:
            for region in self.pick(self.regions, rng.randint(1, 2)):
                record.add(CTG.region, iri(region))
        if rng.random() < 0.8:
            scope = rng.choice(SCOPES)
            record.add(CTG.scope, iri(str(scope)))
            record.add(CTG.scopeText, lit(str(scope).rsplit("#", 1)[1]))
        if rng.random() < 0.3:
            for resolution in self.pick(self.resolutions, rng.randint(1, 2)):
                record.add(CTG.citesResolution, iri(resolution))
        if rng.random() < 0.4:
            record.add(CTG.budget, self.money())
            record.add(CTG.currency, lit("USD"))
        if self.programmes and rng.random() < 0.1:
            record.add(DCTERMS.isPartOf, iri(rng.choice(self.programmes)))
        if rng.random() < 0.1:
            launched = dt.date(2010 + i % 14, 1 + i % 12, 1)
            record.add(CTG.launchDate, date_term(launched, "month"))
        self.cite(record, source)
        self.projects.append(subject)
        if cls == CTG.Programme:
            self.programmes.append(subject)
        return record

    def new_project_count(self, i: int) -> Record:
        source = self.source()
        pillar = PILLARS[i % 4]
        subject = str(mint("project-count", pillar, f"stated-{i}"))
        record = Record(subject, source[1], "project-count", [str(CTG.ProjectCount)])
        record.add(CTG.pillar, iri(str(mint("pillar", pillar))))
        record.add(CTG.value, lit(str(self.rng.randint(5, 400)), str(XSD.integer)))
        record.add(
            DCTERMS.description, lit(f"Pillar {pillar.upper()} total", lang="en")
        )
        self.cite(record, source)
        return record

    def new_event(self, i: int) -> Record:
        source = self.source()
        rng = self.rng
        subject = str(mint("event", f"event-{i}"))
        record = Record(subject, source[1], "event", [str(CTG.Event)])
        self.label(record, f"Workshop on {rng.choice(TOPICS)} {i}")
        self.period(record, 1.0, 0.3)
        if rng.random() < 0.6:
            record.add(CTG.city, lit(rng.choice(CITIES)))
        if rng.random() < 0.6:
            record.add(CTG.country, iri(self.country()))
        for entity in self.pick(self.entities, rng.randint(1, 2)):
            record.add(CTG.organisedBy, iri(entity))
        if rng.random() < 0.3:
            for entity in self.pick(self.entities, rng.randint(1, 2)):
                record.add(CTG.partner, iri(entity))
        if rng.random() < 0.4:
            record.add(
                CTG.participantCount, lit(str(rng.randint(5, 900)), str(XSD.integer))
            )
        if self.projects and rng.random() < 0.2:
            record.add(CTG.partOfProgramme, iri(rng.choice(self.projects)))
        self.cite(record, source)
        return record

    def new_funding(self, i: int) -> Record:
        source = self.source()
        rng = self.rng
        cls = rng.choices(FUNDING, (60, 25, 5, 10))[0]
        subject = str(mint("contribution", f"c-{i}"))
        record = Record(subject, source[1], "funding", [str(cls)])
        if cls != CTG.FundingTotal:
            donors = self.member_states if rng.random() < 0.7 else []
            record.add(CTG.donor, iri(rng.choice(donors or self.entities)))
        record.add(CTG.recipient, iri(rng.choice(self.entities)))
        if cls != CTG.InKindContribution:
            record.add(CTG.amount, self.money())
            record.add(CTG.currency, lit(rng.choice(("USD", "USD", "EUR", "GBP"))))
        record.add(DCTERMS.date, date_term(source[2], "month"))
        if rng.random() < 0.5:
            record.add(CTG.rank, lit(str(1 + i % 20), str(XSD.integer)))
        if cls == CTG.FundingTotal:
            record.add(CTG.donorCount, lit(str(rng.randint(2, 40)), str(XSD.integer)))
            record.add(DCTERMS.type, lit("total-pledged"))
        self.cite(record, source)
        return record

    def new_measure(self, i: int) -> Record:
        # the first are the measures the reports give the Compact's size in
        slug = FRAMEWORK_MEASURES[i] if i < len(FRAMEWORK_MEASURES) else f"measure-{i}"
        subject = str(mint("measure", slug))
        record = Record(subject, str(REFERENCE_GRAPH), "measure", [str(CTG.Measure)])
        record.add(SKOS.inScheme, iri(str(CTG.MeasureScheme)))
        record.add(SKOS.prefLabel, lit(f"Measure {i}", lang="en"))
        record.add(SKOS.definition, lit(f"How many of thing {i}.", lang="en"))
        self.measures.append(subject)
        return record

    def new_observation(self, i: int) -> Record:
        source = self.source()
        rng = self.rng
        subject = str(mint("observation", f"o-{i}"))
        record = Record(subject, source[1], "observation", [str(CTG.Observation)])
        # a framework's own size, as the reports state the Compact's, or anything
        kinds = (self.frameworks, self.entities, self.projects or self.entities)
        about = rng.choice((*kinds, self.groups))
        record.add(CTG.subject, iri(rng.choice(about)))
        # a framework's size in the measures the reports use for the Compact's
        measures = self.measures
        if about is self.frameworks:
            measures = self.measures[: len(FRAMEWORK_MEASURES)] or self.measures
        record.add(CTG.measure, iri(rng.choice(measures)))
        value = f"{rng.randint(1, 5000)}.{rng.randint(1, 9)}"
        record.add(CTG.value, lit(value, str(XSD.decimal)))
        if rng.random() < 0.2:
            record.add(CTG.unit, lit("USD"))
        date = source[2] - dt.timedelta(days=rng.randrange(400))
        record.add(DCTERMS.date, date_term(date, "month"))
        record.add(CTG.periodStart, day_term(first_day(date, "month")))
        self.cite(record, source)
        return record

    def new_function(self, i: int) -> Record:
        source = self.source()
        entity = self.rng.choice(self.entities)
        subject = str(mint("function", f"f-{i}"))
        record = Record(subject, source[1], "function", [str(CTG.MandatedFunction)])
        record.add(CTG.subject, iri(entity))
        record.add(CTG.number, lit(str(1 + i % 12), str(XSD.integer)))
        self.label(record, f"Function {i}: coordinate {self.rng.choice(TOPICS)}")
        self.cite(record, source)
        return record

    def new_discrepancy_side(self, i: int, n: int) -> Record:
        subject = str(mint("discrepancy", "synthetic", f"d-{i}", str(n)))
        record = Record(
            subject,
            str(DISCREPANCIES_GRAPH),
            "discrepancy-side",
            [str(CTG.DiscrepancySide)],
        )
        record.add(CTG.statedValue, lit(f"{self.rng.randint(5, 400)} projects"))
        self.cite(record, self.source())
        return record

    def new_discrepancy(self, i: int) -> Record:
        """Two sides that disagree, as the build records them, with their sides."""
        subject = str(mint("discrepancy", "synthetic", f"d-{i}"))
        record = Record(
            subject, str(DISCREPANCIES_GRAPH), "discrepancy", [str(CTG.Discrepancy)]
        )
        record.add(CTG.discrepancyKind, iri(str(DISCREPANCY_KINDS[i % 6])))
        record.add(RDFS.comment, lit(f"Synthetic discrepancy {i}", lang="en"))
        for involved in self.pick(self.projects, 2):
            record.add(CTG.involves, iri(involved))
        for n in (1, 2):
            side = self.new_discrepancy_side(i, n)
            self.emit(side)
            record.add(CTG.side, iri(side.subject))
        return record

    def new_replacement(self, i: int) -> Record:
        """Working groups replaced by others from a date on."""
        source = self.source()
        subject = str(mint("replacement", f"synthetic-{i}"))
        record = Record(subject, source[1], "replacement", [str(CTG.Replacement)])
        old, new = (self.pick(self.groups, 2) * 2)[:2]
        record.add(CTG.replaces, iri(old))
        record.add(CTG.replacedBy, iri(new))
        self.period(record, 1.0, 0.0)
        self.cite(record, source)
        return record

    def new_country(self, i: int) -> Record:
        """A user-assigned code (XAA-XZZ), never a real country, for injections."""
        code = "X" + chr(65 + (i // 26) % 26) + chr(65 + i % 26)
        subject = str(mint("country", code.lower()))
        record = Record(subject, str(REFERENCE_GRAPH), "country", [str(CTG.Country)])
        self.label(record, f"Testland {code}")
        record.add(SKOS.notation, lit(code))
        return record

    def new_citation(self, i: int) -> Record:
        sid, graph, _ = self.source()
        citation = str(mint("citation", sid, f"row-{i}"))
        return self.citation_record(citation, graph, sid, f"row {i}")

    def reference(self) -> None:
        graph = str(REFERENCE_GRAPH)
        described = Record(graph, graph, "graph", [str(PROV.Entity)])
        described.add(
            RDFS.label, lit("Reference data: countries and measures", lang="en")
        )
        self.emit(described)
        for code in sorted(self.countries):
            found = pycountry.countries.get(alpha_3=code)
            subject = str(mint("country", code.lower()))
            record = Record(subject, graph, "country", [str(CTG.Country)])
            self.label(record, self.countries[code])
            record.add(SKOS.notation, lit(code))
            record.add(CTG.m49, lit(found.numeric))
            self.emit(record)

    def description(self) -> None:
        """The dataset's own description, in its graph as the build writes it (the
        parts a synthetic graph has: kinds, title, size so far)."""
        graph = str(DESCRIPTION_GRAPH)
        types = [str(VOID.Dataset), str(DCAT.Dataset)]
        record = Record(str(DATASET_IRI), graph, "dataset", types)
        record.add(DCTERMS.title, lit(f"Synthetic graph x{self.scale:g}", lang="en"))
        record.add(VOID.triples, lit(str(self.result.quads), str(XSD.integer)))
        self.emit(record, remember=False)

    def ontology(self) -> None:
        """The ontology in its own named graph, as the build writes it."""
        from ctgraph.validation.shacl import load_ontology

        tail = f" <{ONTOLOGY_IRI}> .\n"
        for s, p, o in sorted(load_ontology()):
            self.sink(f"{s.n3()} {p.n3()} {o.n3()}{tail}")
            self.result.quads += 1

    # --- injected violations -------------------------------------------------------

    def factories(self) -> dict[URIRef, Callable[[int], Record]]:
        """A fresh resource of each targeted class, with all its parts valid."""

        def entity(i: int) -> Record:
            return next(iter(self.new_entity(i)))

        return {
            CTG.Entity: entity,
            CTG.Country: self.new_country,
            CTG.Region: self.new_region,
            CTG.RegionDefinition: self.new_region_definition,
            CTG.WorkingGroup: self.new_group,
            ORG.Membership: self.new_membership,
            CTG.Person: self.new_person,
            ORG.Post: self.new_post,
            CTG.Appointment: self.new_appointment,
            CTG.Resolution: self.new_resolution,
            CTG.LegalInstrument: self.new_instrument,
            CTG.Project: self.new_project,
            CTG.Event: self.new_event,
            CTG.MandatedFunction: self.new_function,
            CTG.FundingRecord: self.new_funding,
            CTG.Observation: self.new_observation,
            CTG.ProjectCount: self.new_project_count,
            CTG.Measure: self.new_measure,
            CTG.Citation: self.new_citation,
            CTG.Discrepancy: self.new_discrepancy,
            CTG.DiscrepancySide: lambda i: self.new_discrepancy_side(i, 1),
            CTG.Replacement: self.new_replacement,
            CTG.SourceReport: self.new_source,
            CTG.CoImplementation: self.new_co_implementation,
            CTG.PillarActivity: self.new_pillar_activity,
        }

    def new_co_implementation(self, i: int) -> Record:
        """A derived pair as the rules write it (only to break: the generator
        leaves derived facts to the rules)."""
        subject = str(mint("co-implementation", "synthetic", f"p-{i}"))
        record = Record(
            subject,
            str(DERIVED_GRAPH),
            "co-implementation",
            [str(CTG.CoImplementation)],
        )
        first, second = sorted(self.pick(self.entities, 2))
        record.add(CTG.firstImplementer, iri(first))
        record.add(CTG.secondImplementer, iri(second))
        record.add(
            CTG.sharedActivityCount, lit(str(self.rng.randint(1, 9)), XSD.integer)
        )
        record.add(CTG.sharedActivityReport, iri(str(report_iri(self.source()[0]))))
        return record

    def new_pillar_activity(self, i: int) -> Record:
        """A derived pillar activity as the rules write it (only to break)."""
        subject = str(mint("pillar-activity", "synthetic", f"a-{i}"))
        record = Record(
            subject, str(DERIVED_GRAPH), "pillar-activity", [str(CTG.PillarActivity)]
        )
        record.add(CTG.activeEntity, iri(self.rng.choice(self.entities)))
        record.add(CTG.activePillar, iri(str(mint("pillar", self.rng.choice(PILLARS)))))
        record.add(
            CTG.activityCount, lit(str(self.rng.randint(0, 9)), str(XSD.integer))
        )
        record.add(CTG.groupCount, lit(str(self.rng.randint(0, 3)), str(XSD.integer)))
        return record

    def inject(self, kinds: list[Kind], shapes: Graph, per_kind: int) -> None:
        """Append `per_kind` resources breaking each kind, and expect their results."""
        factories = self.factories()
        counter = FRESH
        for kind in kinds:
            for _ in range(per_kind):
                if kind.component == SH.SPARQLConstraintComponent:
                    self.emit(self.undeclared_term(counter), remember=False)
                    counter += 1
                    self.result.expected[kind.key] += 1
                    continue
                classes = sorted(
                    shapes.objects(kind.node_shape, SH.targetClass), key=str
                )
                factory = next((factories[c] for c in classes if c in factories), None)
                done = False
                for _ in range(50 if factory else 0):
                    counter += 1
                    record = factory(counter)  # type: ignore[misc]
                    self.remember(record)
                    if self.mutate(record, kind, counter):
                        self.emit(record, remember=False)
                        self.result.expected[kind.key] += 1
                        done = True
                        break
                    self.emit(record, remember=False)  # valid, so harmless
                if not done:
                    self.result.not_injected.append(kind.key)
                    break

    def undeclared_term(self, k: int) -> Record:
        """A statement using a ctg: term the ontology does not declare."""
        record = Record(str(mint("unknown", f"s-{k}")), self.sources[0][1], "typo", [])
        record.add(str(CTG._NS) + f"undeclaredTerm{k}", lit("typo"))
        return record

    def mutate(self, record: Record, kind: Kind, k: int) -> bool:
        """Break exactly one constraint of `record`; False when it cannot.

        A valid record has every required value; an optional one it lacks is added
        in its broken form.
        """
        path = str(kind.path)
        values = record.values(path)
        parameter, component = kind.parameter, kind.component
        pool = [v for v in self.pool[(record.kind, path)] if v not in values]

        def put(new: str) -> None:
            if values:
                index = record.props.index((path, values[0]))
                record.props[index] = (path, new)
            else:
                record.add(path, new)

        if component == SH.MinCountConstraintComponent:
            if not values:
                return False
            record.props = [(p, o) for p, o in record.props if p != path]
        elif component == SH.MaxCountConstraintComponent:
            needed = int(parameter) + 1 - len(values)  # type: ignore[call-overload]
            if len(pool) < needed:
                return False
            for value in pool[:needed]:
                record.add(path, value)
        elif component in (
            SH.ClassConstraintComponent,
            SH.OrConstraintComponent,
            SH.InConstraintComponent,
        ):
            put(iri(str(mint("unknown", f"v-{k}"))))
        elif component == SH.DatatypeConstraintComponent:
            sample = next(filter(None, map(parse_literal, values + pool)), None)
            if sample is None:
                return False
            put(wrong_type(sample[0], parameter))
        elif component == SH.PatternConstraintComponent:
            put(lit("not valid"))
        elif component in (
            SH.MinInclusiveConstraintComponent,
            SH.MaxInclusiveConstraintComponent,
        ):
            if not isinstance(parameter, Literal):
                return False
            step = -1 if component == SH.MinInclusiveConstraintComponent else 1
            datatype = kind.datatype or parameter.datatype
            put(lit(str(parameter.value + step), str(datatype)))
        elif component == SH.LessThanOrEqualsConstraintComponent:
            others = record.values(str(parameter))
            parsed = parse_literal(others[0]) if others else None
            if parsed is None:
                before = dt.date(2020, 1, 1)
                record.add(str(parameter), day_term(before))
            elif parsed[1] == str(XSD.date):
                before = dt.date.fromisoformat(parsed[0])
            else:
                return False
            put(day_term(before + dt.timedelta(days=1)))
        elif component == SH.UniqueLangConstraintComponent:
            tagged = [p for p in map(parse_literal, values) if p and p[2]]
            text, lang = (tagged[0][0], tagged[0][2]) if tagged else ("Name", "en")
            if not tagged:
                record.add(path, lit(text, lang=lang))
            record.add(path, lit(text + " (variant)", lang=lang))
        else:
            return False
        return True


def wrong_type(lexical: str, datatype: Node) -> str:
    """The same value with another datatype that still meets any range on it."""
    if datatype == XSD.integer:
        return lit(lexical, str(XSD.decimal))
    if datatype == XSD.decimal:
        return lit(str(int(Decimal(lexical))), str(XSD.integer))
    if datatype == XSD.string:
        return lit(lexical, lang="en")
    return lit(lexical)


# --- kinds of violation, read from the shapes -------------------------------------

INJECTABLE = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
}


def violation_kinds(shapes: Graph) -> list[Kind]:
    """Every (targeted shape, constraint) pair, keyed as the report names results."""
    from ctgraph.validation.shacl import result_names, shape_name, short

    names = result_names(shapes)
    kinds: list[Kind] = []
    targeted = set(shapes.subjects(SH.targetClass, None)) | set(
        shapes.subjects(SH.targetNode, None)
    )
    for node_shape in sorted(targeted, key=str):
        for constraint in shapes.objects(node_shape, SH.sparql):
            key = (
                shape_name(names, shapes, node_shape),
                short(names, SH.SPARQLConstraintComponent),
                "",
            )
            kinds.append(
                Kind(
                    node_shape,
                    node_shape,
                    SH.SPARQLConstraintComponent,
                    None,
                    constraint,
                    key,
                )
            )
        props = sorted(
            shapes.objects(node_shape, SH.property),
            key=lambda s: (str(shapes.value(s, SH.path)), str(s)),
        )
        for prop in props:
            path = shapes.value(prop, SH.path)
            if not isinstance(path, URIRef):
                continue
            for parameter, component in INJECTABLE.items():
                for value in shapes.objects(prop, parameter):
                    if parameter == SH.minCount and int(value) < 1:
                        continue
                    if parameter == SH.uniqueLang and not value:
                        continue
                    key = (
                        shape_name(names, shapes, prop),
                        short(names, component),
                        short(names, path),
                    )
                    datatype = shapes.value(prop, SH.datatype)
                    kinds.append(
                        Kind(node_shape, prop, component, path, value, key, datatype)
                    )
    return kinds


def generate(
    scale: float = 1,
    seed: int = 0,
    violations: int = 0,
    out: TextIO | None = None,
    shapes: Graph | None = None,
) -> Synthetic:
    """Generate the graph as N-Quads: into `out`, or into `Synthetic.nquads`.

    `violations` is how many resources break each constraint kind of the shapes.
    """
    chunks: list[str] = []
    sink = out.write if out is not None else chunks.append
    generator = Generator(scale, seed, sink)
    generator.generate()
    if violations:
        from ctgraph.validation.shacl import load_shapes

        shapes = shapes if shapes is not None else load_shapes()
        generator.inject(violation_kinds(shapes), shapes, violations)
    generator.reference()
    generator.description()
    generator.ontology()
    result = generator.result
    if out is None:
        result.nquads = "".join(chunks)
    return result


def write(
    path: Path, scale: float = 1, seed: int = 0, violations: int = 0
) -> Synthetic:
    """Generate straight to an N-Quads file (what the benchmark loads)."""
    with path.open("w", encoding="utf-8", buffering=1 << 20) as handle:
        return generate(scale, seed, violations, out=handle)


def load_store(data: Synthetic, store: ox.Store | None = None) -> ox.Store:
    """The generated N-Quads in an Oxigraph store (in memory unless given)."""
    store = store if store is not None else ox.Store()
    store.bulk_load(data.nquads, format=ox.RdfFormat.N_QUADS)
    return store


def load_dataset(data: Synthetic) -> Dataset:
    """The generated N-Quads in an rdflib Dataset, one graph per source."""
    dataset = Dataset()
    dataset.parse(data=data.nquads, format="nquads")
    return dataset
