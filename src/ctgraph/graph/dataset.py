"""Map checked source records to RDF: one named graph per source report.

Every row's triples go into the named graph of the report it cites, and the row's
main resource points at a citation (report + locator) with `prov:wasDerivedFrom`, so
any fact can be traced to the place in the report that states it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pycountry
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD

from ctgraph.graph.discrepancies import Place, find_all
from ctgraph.graph.resolutions import CuratedSymbol, ResolutionRegistry, resolution_iri
from ctgraph.namespaces import (
    CTG,
    DISCREPANCIES_GRAPH,
    ELI,
    M49_STANDARD,
    PREFIXES,
    REGIONS_GRAPH,
    RESOLUTIONS_GRAPH,
    graph_iri,
    mint,
    report_iri,
)
from ctgraph.sources.mentions import ReportMention
from ctgraph.sources.symbols import Symbol, SymbolError, parse_symbol
from ctgraph.sources.tables import PartialDate, Record, SourceError, parse_date

REFERENCE_GRAPH = mint("graph", "reference")

ENTITY_TYPES = {
    "un-entity": CTG.UNEntity,
    "organisation": CTG.InternationalOrganisation,
    "member-state": CTG.MemberState,
    "partner": CTG.Partner,
    "collaboration": CTG.CoordinationFramework,
    "unit": CTG.Unit,
}
GROUP_KINDS = {
    "working-group": CTG.WorkingGroup,
    "coordination-committee": CTG.CoordinationCommittee,
}
ROLES = {
    "chair": CTG.Chair,
    "co-chair": CTG.CoChair,
    "vice-chair": CTG.ViceChair,
    "secretariat": CTG.Secretariat,
    "member": CTG.Member,
    "observer": CTG.Observer,
    "guest-member": CTG.GuestMember,
}
STATUSES = {
    "pipeline": CTG.Pipeline,
    "implementation": CTG.Implementation,
    "finalisation": CTG.Finalisation,
    "closed": CTG.Closed,
    "cancelled": CTG.Cancelled,
    "suspended": CTG.Suspended,
}
SCOPES = {
    "global": CTG.GlobalScope,
    "regional": CTG.RegionalScope,
    "multi-national": CTG.MultiNationalScope,
    "national": CTG.NationalScope,
}
PROJECT_KINDS = {
    "project": CTG.Project,
    "programme": CTG.Programme,
    "initiative": CTG.Initiative,
}
FUNDING_KINDS = {
    "contribution": CTG.Contribution,
    "pledge": CTG.Pledge,
    "in-kind": CTG.InKindContribution,
    "total-pledged": CTG.FundingTotal,
    "total-received": CTG.FundingTotal,
}
ACTS = {
    "establishes": CTG.establishes,
    "renews-mandate": CTG.renewsMandateOf,
    "requests-report": CTG.requestsReportFrom,
    "endorses": CTG.endorses,
}
RESOLUTION_CLASSES = {
    "SC": CTG.SecurityCouncilResolution,
    "GA": CTG.GeneralAssemblyResolution,
    "HRC": CTG.HumanRightsCouncilResolution,
    "PRST": CTG.PresidentialStatement,
}
ORGANS = {
    "SC": "security-council",
    "GA": "general-assembly",
    "HRC": "human-rights-council",
    "PRST": "security-council",
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: an xsd:decimal as a report prints it (after its thousands commas are dropped)
DECIMAL = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?$")

#: the kinds of id that have one canonical name (the `name` column)
NAMED = ("entity", "working-group", "person")

#: which id space a table's ids live in
ID_KINDS = {
    "entities": "entity",
    "working_groups": "working-group",
    "people": "person",
    "posts": "post",
    "instruments": "instrument",
    "pillars": "pillar",
    "regions": "region",
    "projects": "project",
    "events": "event",
    "contributions": "contribution",
    "measures": "measure",
    "observations": "observation",
}


def slugify(text: str) -> str:
    """ASCII slug of any text, for IRIs minted from names or locators: accents are
    dropped, any other character separates (so "lines 12–14" keeps its two
    numbers apart, as "lines 12-14" does)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-") or "x"


def date_literal(date: PartialDate) -> Literal:
    """A literal typed with the precision the report gives."""
    if date.day:
        return Literal(str(date), datatype=XSD.date)
    if date.month:
        return Literal(str(date), datatype=XSD.gYearMonth)
    return Literal(str(date), datatype=XSD.gYear)


def day_literal(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


@dataclass
class Resolved:
    kind: str
    iri: URIRef


class GraphBuilder:
    """Turn all records into a Dataset; raise SourceError on the first bad row."""

    def __init__(self, tables: dict[str, list[Record]]) -> None:
        self.tables = tables
        self.registry = ResolutionRegistry([])
        self.ds = Dataset()
        for prefix, ns in PREFIXES.items():
            self.ds.bind(prefix, ns)
        self.ids: dict[str, Resolved] = {}
        self.names: dict[str, tuple[str, Record]] = {}
        self.sources: dict[str, Record] = {}
        self.countries: set[str] = set()
        self.curated: list[tuple[Place, Symbol]] = []
        #: source id -> the resolutions its report cites (the `mentions` table)
        self.mentions: dict[str, list[ReportMention]] = {}

    # --- identifiers -------------------------------------------------------------

    def register(self, record: Record, kind: str, slug: str) -> None:
        if not SLUG.match(slug):
            raise record.fail(f"id {slug!r} is not a slug (a-z, 0-9, hyphens)")
        if kind == "entity" and record.get("type") == "member-state":
            iri = self.country_iri(record, slug)
        else:
            iri = mint(kind, slug)
        known = self.ids.get(slug)
        if known and known.kind != kind:
            article = "an" if known.kind[0] in "aeiou" else "a"
            raise record.fail(f"id {slug!r} is already used for {article} {known.kind}")
        self.ids[slug] = Resolved(kind, iri)
        if kind in NAMED:
            name = record.get("name")
            first, where = self.names.setdefault(slug, (name, record))
            if first != name:
                raise record.fail(
                    f"{kind} {slug!r} is named {name!r} here but {first!r} at "
                    f"{where.path}, line {where.line}: one canonical name per id "
                    "(put variants in alt_labels)"
                )

    def ref(self, record: Record, column: str, value: str, *kinds: str) -> URIRef:
        """Resolve an id written in a cell to its IRI, or fail naming the cell."""
        found = self.ids.get(value)
        if found is None and "entity" in kinds:
            # a Member State without a row of its own: its ISO 3166-1 code
            if re.fullmatch(r"[a-z]{3}", value) and pycountry.countries.get(
                alpha_3=value.upper()
            ):
                return self.country_iri(record, value)
        if found is None or found.kind not in kinds:
            what = " or ".join(kinds)
            raise record.fail(f"column {column!r}: unknown {what} {value!r}")
        return found.iri

    def country_iri(self, record: Record, code: str) -> URIRef:
        country = pycountry.countries.get(alpha_3=code.upper())
        if country is None or code != code.lower():
            raise record.fail(f"{code!r} is not a lower-case ISO 3166-1 alpha-3 code")
        self.countries.add(country.alpha_3)
        return mint("country", code)

    # --- helpers ---------------------------------------------------------------

    def graph_for(self, record: Record) -> Graph:
        source = record.get("source")
        if source not in self.sources:
            raise record.fail(
                f"unknown source {source!r}; known: " + ", ".join(sorted(self.sources))
            )
        return self.ds.graph(graph_iri(source))

    def cite(self, g: Graph, record: Record, subject: URIRef) -> None:
        self.cite_at(g, record.get("source"), record.get("locator"), subject)

    def cite_at(self, g: Graph, source: str, locator: str, subject: URIRef) -> None:
        citation = mint("citation", source, slugify(locator))
        g.add((subject, PROV.wasDerivedFrom, citation))
        g.add((citation, RDF.type, CTG.Citation))
        g.add((citation, PROV.hadPrimarySource, report_iri(source)))
        g.add((citation, CTG.locator, Literal(locator)))

    def date(self, record: Record, column: str) -> PartialDate | None:
        text = record.get(column)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            raise record.fail(f"column {column!r}: {exc}") from None

    def period(
        self,
        g: Graph,
        record: Record,
        subject: URIRef,
        start_col: str = "start",
        end_col: str = "end",
    ) -> None:
        start, end = self.date(record, start_col), self.date(record, end_col)
        if start and end and end.last_day < start.first_day:
            raise record.fail(f"end {end} is before start {start}")
        if start:
            g.add((subject, SDO.startDate, date_literal(start)))
            g.add((subject, CTG.periodStart, day_literal(start.first_day)))
        if end:
            g.add((subject, SDO.endDate, date_literal(end)))
            g.add((subject, CTG.periodEnd, day_literal(end.last_day)))

    def number(self, record: Record, column: str, integer: bool = False) -> Literal:
        """A cell's decimal (thousands may be grouped with commas) or whole number;
        anything else (words, exponents, "NaN", a lone comma) names the cell."""
        text = record.get(column)
        digits = text.replace(",", "")
        if not DECIMAL.match(digits):
            raise record.fail(f"column {column!r}: {text!r} is not a number")
        value = Decimal(digits)
        if integer:
            if value != value.to_integral_value():
                raise record.fail(f"column {column!r}: {text!r} is not a whole number")
            return Literal(int(value), datatype=XSD.integer)
        return Literal(value, datatype=XSD.decimal)

    def choice(self, record: Record, column: str, options: dict[str, URIRef]) -> URIRef:
        value = record.get(column)
        if value not in options:
            raise record.fail(
                f"column {column!r}: {value!r} is not one of " + ", ".join(options)
            )
        return options[value]

    def label(self, g: Graph, subject: URIRef, text: str, lang: str = "en") -> None:
        g.add((subject, RDFS.label, Literal(text, lang=lang)))

    def parse_resolution(self, record: Record, column: str, text: str) -> Symbol:
        try:
            return parse_symbol(text)
        except SymbolError as exc:
            raise record.fail(f"column {column!r}: {exc}") from None

    def resolution(self, record: Record, symbol_text: str) -> URIRef:
        """The resolution a cell names, noted as stated at the row's place.
        `collect_resolutions` has read every such cell, refusing a bad one by its
        column, before any row is mapped."""
        symbol = self.registry.symbol(parse_symbol(symbol_text))
        iri = resolution_iri(symbol)
        g = self.graph_for(record)
        g.add((iri, CTG.statedIn, report_iri(record.get("source"))))
        self.cite(g, record, iri)
        return iri

    def collect_resolutions(self) -> None:
        """Decide each resolution's one symbol from every table cell and report line
        that cites it (see ctgraph.graph.resolutions)."""
        cells = (
            ("resolutions", "symbol"),
            ("resolution_acts", "resolution"),
            ("projects", "resolutions"),
        )
        curated = [
            CuratedSymbol(self.parse_resolution(record, column, text), record, column)
            for table, column in cells
            for record in self.tables[table]
            for text in record.items(column)
        ]
        self.mentions = {}
        for record in self.tables["mentions"]:
            self.mentions.setdefault(record.get("source"), []).append(
                self.mention(record)
            )
        stated = [m.symbol for found in self.mentions.values() for m in found]
        self.registry = ResolutionRegistry(curated, stated)
        self.curated = [
            (Place(c.record.get("source"), c.record.get("locator")), c.symbol)
            for c in curated
        ]

    def mention(self, record: Record) -> ReportMention:
        """A row of the `mentions` table as the mention it records."""
        line = record.get("locator").removeprefix("line ")
        if not line.isdigit():
            raise record.fail(f"column 'locator': {line!r} is not 'line N'")
        symbol = self.parse_resolution(record, "symbol", record.get("symbol"))
        text = record.get("text")
        return ReportMention(record.get("source"), int(line), symbol, text)

    def add_mentions(self) -> None:
        """Each resolution a report cites (the `mentions` table, from `ctgraph
        ingest mentions`): stated in that report, at its line."""
        for record in self.tables["mentions"]:
            self.resolution(record, record.get("symbol"))

    def organ(self, symbol: Symbol) -> URIRef:
        slug = ORGANS[symbol.body]
        found = self.ids.get(slug)
        if found is None or found.kind != "entity":
            raise SourceError(
                "entities.csv",
                None,
                f"no entity {slug!r}: {symbol.canonical} needs the organ that "
                "adopted it",
            )
        return found.iri

    def derived_graph(self, iri: URIRef, label: str) -> Graph:
        return derived_graph(self.ds, iri, label)

    def add_resolution_identities(self) -> None:
        """What each symbol itself says (type, number, year or session, organ) and
        the document's undocs.org page, once per resolution in its own graph."""
        g = self.derived_graph(
            RESOLUTIONS_GRAPH,
            "UN resolutions the sources cite: type, number, year or session "
            "and organ read from each symbol, and the undocs.org page",
        )
        for symbol in self.registry:
            s = resolution_iri(symbol)
            g.add((s, RDF.type, RESOLUTION_CLASSES[symbol.body]))
            g.add((s, ELI.id_local, Literal(symbol.canonical)))
            g.add((s, RDFS.label, Literal(symbol.canonical)))
            g.add((s, ELI.number, Literal(symbol.number, datatype=XSD.integer)))
            g.add((s, ELI.passed_by, self.organ(symbol)))
            if symbol.year:
                g.add((s, CTG.year, Literal(symbol.year, datatype=XSD.integer)))
            if symbol.session:
                g.add((s, CTG.session, Literal(symbol.session, datatype=XSD.integer)))
            g.add((s, RDFS.seeAlso, URIRef(symbol.undocs_url)))

    # --- tables ----------------------------------------------------------------

    def build(self) -> Dataset:
        for record in self.tables["sources"]:
            self.add_source(record)
        for table, kind in ID_KINDS.items():
            for record in self.tables[table]:
                self.register(record, kind, record.get("id"))
        self.collect_resolutions()
        mappers: dict[str, Callable[[Record], None]] = {
            "entities": self.add_entity,
            "working_groups": self.add_group,
            "memberships": self.add_membership,
            "people": self.add_person,
            "posts": self.add_post,
            "post_holders": self.add_post_holder,
            "resolutions": self.add_resolution,
            "resolution_acts": self.add_act,
            "instruments": self.add_instrument,
            "pillars": self.add_pillar,
            "regions": self.add_region,
            "projects": self.add_project,
            "project_counts": self.add_project_count,
            "events": self.add_event,
            "contributions": self.add_contribution,
            "measures": self.add_measure,
            "observations": self.add_observation,
            "functions": self.add_function,
            "replacements": self.add_replacement,
        }
        for table, mapper in mappers.items():
            for record in self.tables[table]:
                mapper(record)
        self.add_region_countries()
        self.add_mentions()
        self.add_resolution_identities()
        self.add_reference()
        self.add_discrepancies()
        return self.ds

    def add_discrepancies(self) -> None:
        """Every disagreement within and between the sources, with both sides and
        their citations, in a graph of its own (see ctgraph.graph.discrepancies)."""
        # read every graph at once through the dataset: no copy of its triples
        self.ds.default_union = True
        try:
            found = find_all(self.ds, self.mentions, self.registry, self.curated)
        finally:
            self.ds.default_union = False
        g = self.derived_graph(
            DISCREPANCIES_GRAPH,
            "Discrepancies the build finds within and between the source "
            "reports, each side with its citation",
        )
        described = self.ds.default_graph
        for source in sorted(self.sources):
            described.add(
                (DISCREPANCIES_GRAPH, PROV.wasDerivedFrom, report_iri(source))
            )
        for item in found:
            s = item.iri
            g.add((s, RDF.type, CTG.Discrepancy))
            g.add((s, CTG.discrepancyKind, item.kind))
            g.add((s, RDFS.comment, Literal(item.note, lang="en")))
            for resource in item.involves:
                g.add((s, CTG.involves, resource))
            for number, side in enumerate(item.sides, start=1):
                side_iri = URIRef(f"{s}/{number}")
                g.add((s, CTG.side, side_iri))
                g.add((side_iri, RDF.type, CTG.DiscrepancySide))
                g.add((side_iri, CTG.statedValue, Literal(side.value)))
                if side.concerns is not None:
                    g.add((side_iri, CTG.concerns, side.concerns))
                for place in side.places:
                    self.cite_at(g, place.source, place.locator, side_iri)

    def add_source(self, record: Record) -> None:
        sid = record.get("id")
        if not SLUG.match(sid):
            raise record.fail(f"id {sid!r} is not a slug")
        self.sources[sid] = record
        report, g = report_iri(sid), self.ds.default_graph
        g.add((report, RDF.type, CTG.SourceReport))
        g.add((report, DCTERMS.title, Literal(record.get("title"), lang="en")))
        g.add((report, DCTERMS.date, date_literal(self.date(record, "date"))))
        g.add((report, DCTERMS.publisher, Literal(record.get("publisher"))))
        for lang in record.items("language"):
            g.add((report, DCTERMS.language, Literal(lang)))
        g.add((report, CTG.fileName, Literal(record.get("file"))))
        if record.get("symbol"):
            g.add((report, DCTERMS.identifier, Literal(record.get("symbol"))))
        named = graph_iri(sid)
        g.add((named, RDF.type, PROV.Entity))
        g.add((named, PROV.hadPrimarySource, report))
        g.add((named, PROV.wasDerivedFrom, report))
        g.add(
            (
                named,
                RDFS.label,
                Literal(f"Facts stated in {record.get('title')}", lang="en"),
            )
        )

    def add_entity(self, r: Record) -> None:
        g, s = self.graph_for(r), self.ids[r.get("id")].iri
        g.add((s, RDF.type, self.choice(r, "type", ENTITY_TYPES)))
        self.label(g, s, r.get("name"))
        if r.get("name_zh"):
            self.label(g, s, r.get("name_zh"), "zh")
        if r.get("acronym"):
            g.add((s, CTG.acronym, Literal(r.get("acronym"))))
        for alt in r.items("alt_labels"):
            g.add((s, SKOS.altLabel, Literal(alt, lang="en")))
        if r.get("parent"):
            g.add(
                (
                    s,
                    ORG.subOrganizationOf,
                    self.ref(r, "parent", r.get("parent"), "entity"),
                )
            )
        if r.get("compact_status"):
            role = r.get("compact_status")
            self.membership(
                g,
                r,
                self.ref(r, "compact_status", "compact", "entity"),
                s,
                self.choice(
                    r,
                    "compact_status",
                    {"member": CTG.Member, "observer": CTG.Observer},
                ),
                role,
                as_of=None,
            )
        self.cite(g, r, s)

    def add_group(self, r: Record) -> None:
        g, s = self.graph_for(r), self.ids[r.get("id")].iri
        g.add((s, RDF.type, self.choice(r, "kind", GROUP_KINDS)))
        self.label(g, s, r.get("name"))
        g.add(
            (s, ORG.subOrganizationOf, self.ref(r, "parent", r.get("parent"), "entity"))
        )
        if r.get("number"):
            g.add((s, CTG.number, self.number(r, "number", integer=True)))
        for pillar in r.items("pillars"):
            g.add((s, CTG.pillar, self.ref(r, "pillars", pillar, "pillar")))
        self.cite(g, r, s)

    def membership(
        self,
        g: Graph,
        r: Record,
        organisation: URIRef,
        member: URIRef,
        role: URIRef,
        role_slug: str,
        as_of: PartialDate | None,
    ) -> URIRef:
        as_of = as_of or self.source_date(r)
        parts = [
            organisation.split("/")[-1],
            member.split("/")[-1],
            role_slug,
            str(as_of),
        ]
        s = mint("membership", *parts)
        g.add((s, RDF.type, ORG.Membership))
        g.add((s, ORG.organization, organisation))
        g.add((s, ORG.member, member))
        g.add((s, ORG.role, role))
        g.add((s, CTG.asOf, date_literal(as_of)))
        self.period(g, r, s)
        self.cite(g, r, s)
        return s

    def source_date(self, r: Record) -> PartialDate:
        return parse_date(self.sources[r.get("source")].get("date"))

    def add_membership(self, r: Record) -> None:
        g = self.graph_for(r)
        organisation = self.ref(
            r, "organisation", r.get("organisation"), "working-group", "entity"
        )
        member = self.ref(r, "member", r.get("member"), "entity", "person")
        role = self.choice(r, "role", ROLES)
        self.membership(
            g, r, organisation, member, role, r.get("role"), self.date(r, "as_of")
        )

    def add_person(self, r: Record) -> None:
        g, s = self.graph_for(r), self.ids[r.get("id")].iri
        g.add((s, RDF.type, CTG.Person))
        self.label(g, s, r.get("name"))
        self.cite(g, r, s)

    def add_post(self, r: Record) -> None:
        g, s = self.graph_for(r), self.ids[r.get("id")].iri
        g.add((s, RDF.type, ORG.Post))
        self.label(g, s, r.get("title"))
        g.add(
            (
                s,
                ORG.postIn,
                self.ref(
                    r, "organisation", r.get("organisation"), "entity", "working-group"
                ),
            )
        )
        self.cite(g, r, s)

    def add_post_holder(self, r: Record) -> None:
        g = self.graph_for(r)
        person = self.ref(r, "person", r.get("person"), "person")
        post = self.ref(r, "post", r.get("post"), "post")
        as_of = self.date(r, "as_of")
        s = mint("appointment", r.get("post"), r.get("person"), str(as_of))
        g.add((s, RDF.type, CTG.Appointment))
        g.add((s, ORG.member, person))
        g.add((s, CTG.post, post))
        g.add((s, CTG.asOf, date_literal(as_of)))
        self.period(g, r, s)
        self.cite(g, r, s)

    def add_resolution(self, r: Record) -> None:
        # type, number and organ come from the symbol: add_resolution_identities
        g, s = self.graph_for(r), self.resolution(r, r.get("symbol"))
        if r.get("title"):
            g.add((s, ELI.title, Literal(r.get("title"), lang="en")))
        adopted = self.date(r, "adopted")
        if adopted:
            g.add((s, ELI.date_document, date_literal(adopted)))

    def add_act(self, r: Record) -> None:
        g = self.graph_for(r)
        s = self.resolution(r, r.get("resolution"))
        entity = self.ref(r, "entity", r.get("entity"), "entity")
        g.add((s, self.choice(r, "act", ACTS), entity))
        date = self.date(r, "date")
        if date:
            if r.get("act") != "establishes":
                raise r.fail("column 'date' is only for 'establishes' (founding date)")
            g.add((entity, SDO.foundingDate, date_literal(date)))

    def add_instrument(self, r: Record) -> None:
        g, s = self.graph_for(r), self.ids[r.get("id")].iri
        g.add((s, RDF.type, CTG.LegalInstrument))
        self.label(g, s, r.get("title"))
        year = self.date(r, "year")
        g.add((s, CTG.year, Literal(year.year, datatype=XSD.integer)))
        self.cite(g, r, s)

    def add_pillar(self, r: Record) -> None:
        g, s = self.graph_for(r), self.ids[r.get("id")].iri
        g.add((s, RDF.type, SKOS.Concept))
        g.add((s, SKOS.inScheme, CTG.PillarScheme))
        g.add((s, SKOS.notation, Literal(r.get("notation"))))
        g.add((s, SKOS.prefLabel, Literal(r.get("label"), lang="en")))
        self.label(g, s, f"Pillar {r.get('notation')}")
        self.cite(g, r, s)

    def add_region(self, r: Record) -> None:
        g, s = self.graph_for(r), self.ids[r.get("id")].iri
        g.add((s, RDF.type, CTG.Region))
        self.label(g, s, r.get("name"))
        for code in r.items("countries"):
            g.add((s, CTG.includesCountry, self.country_iri(r, code)))
        self.cite(g, r, s)

    def add_region_countries(self) -> None:
        """The countries of each region that M49 or a cited definition fixes, in a
        graph of its own: no report states them. Each region points at the
        definition its countries come from (`ctg:countriesFrom`)."""
        g = self.derived_graph(
            REGIONS_GRAPH,
            "The countries of regions: UN M49 areas (read with the package "
            "each definition names) and published definitions, each cited",
        )
        defined: dict[str, Record] = {}
        for r in [*self.tables["m49_regions"], *self.tables["non_m49"]]:
            region_id = r.get("region")
            region = self.ref(r, "region", region_id, "region")
            if region_id in defined:
                first = defined[region_id]
                raise r.fail(
                    f"region {region_id!r} already has its countries from "
                    f"{first.path}, line {first.line}: give one definition"
                )
            defined[region_id] = r
            if r.table == "m49_regions":
                definition = mint("region-definition", "m49", r.get("m49"))
                g.add((definition, DCTERMS.identifier, Literal(r.get("m49"))))
                g.add((definition, DCTERMS.source, M49_STANDARD))
                g.add((definition, CTG.readWith, Literal(r.get("read_with"))))
                self.label(
                    g, definition, f"UN M49: {r.get('m49_name')} ({r.get('m49')})"
                )
            else:
                definition = mint("region-definition", region_id)
                g.add((definition, DCTERMS.source, URIRef(self.url(r, "url"))))
                self.label(g, definition, r.get("definition"))
                if r.get("publisher"):
                    g.add((definition, DCTERMS.publisher, Literal(r.get("publisher"))))
                if r.get("note"):
                    g.add((definition, RDFS.comment, Literal(r.get("note"), lang="en")))
            g.add((definition, RDF.type, CTG.RegionDefinition))
            g.add((region, CTG.countriesFrom, definition))
            for code in r.items("countries"):
                g.add((region, CTG.includesCountry, self.country_iri(r, code)))

    def url(self, r: Record, column: str) -> str:
        value = r.get(column)
        if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
            raise r.fail(f"column {column!r}: {value!r} is not an http(s) address")
        return value

    def add_project(self, r: Record) -> None:
        g, s = self.graph_for(r), self.ids[r.get("id")].iri
        g.add((s, RDF.type, self.choice(r, "kind", PROJECT_KINDS)))
        self.label(g, s, r.get("title"))
        if r.get("serial"):
            g.add((s, CTG.serial, Literal(r.get("serial"))))
        for pillar in r.items("pillars"):
            g.add((s, CTG.pillar, self.ref(r, "pillars", pillar, "pillar")))
        if r.get("status"):
            g.add((s, CTG.status, self.choice(r, "status", STATUSES)))
        for column, prop in (
            ("status_text", CTG.statusText),
            ("duration_text", CTG.durationText),
            ("scope_text", CTG.scopeText),
            ("currency", CTG.currency),
        ):
            if r.get(column):
                g.add((s, prop, Literal(r.get(column))))
        if r.get("description"):
            g.add((s, DCTERMS.description, Literal(r.get("description"), lang="en")))
        self.period(g, r, s)
        for column, prop in (
            ("implementers", CTG.implementedBy),
            ("partners", CTG.partner),
            ("donors", CTG.fundedBy),
        ):
            for value in r.items(column):
                g.add((s, prop, self.ref(r, column, value, "entity")))
        for code in r.items("countries"):
            g.add((s, CTG.country, self.country_iri(r, code)))
        for region in r.items("regions"):
            g.add((s, CTG.region, self.ref(r, "regions", region, "region")))
        if r.get("scope"):
            g.add((s, CTG.scope, self.choice(r, "scope", SCOPES)))
        for symbol in r.items("resolutions"):
            g.add((s, CTG.citesResolution, self.resolution(r, symbol)))
        if r.get("budget"):
            g.add((s, CTG.budget, self.number(r, "budget")))
        if r.get("part_of"):
            g.add(
                (
                    s,
                    DCTERMS.isPartOf,
                    self.ref(r, "part_of", r.get("part_of"), "project", "entity"),
                )
            )
        launched = self.date(r, "launched")
        if launched:
            g.add((s, CTG.launchDate, date_literal(launched)))
        self.cite(g, r, s)

    def add_project_count(self, r: Record) -> None:
        g = self.graph_for(r)
        pillar = r.get("pillar")
        subject = self.ref(r, "pillar", pillar, "pillar") if pillar != "all" else None
        s = mint("project-count", pillar, slugify(r.get("stated_in")))
        g.add((s, RDF.type, CTG.ProjectCount))
        if subject is not None:
            g.add((s, CTG.pillar, subject))
        g.add((s, CTG.value, self.number(r, "count", integer=True)))
        g.add((s, DCTERMS.description, Literal(r.get("stated_in"), lang="en")))
        where = f"Pillar {pillar.upper()}" if subject is not None else "all pillars"
        self.label(
            g, s, f"{r.get('count')} projects stated ({where}, {r.get('stated_in')})"
        )
        self.cite(g, r, s)

    def add_event(self, r: Record) -> None:
        g, s = self.graph_for(r), self.ids[r.get("id")].iri
        g.add((s, RDF.type, CTG.Event))
        self.label(g, s, r.get("title"))
        self.period(g, r, s)
        if r.get("city"):
            g.add((s, CTG.city, Literal(r.get("city"))))
        if r.get("country"):
            g.add((s, CTG.country, self.country_iri(r, r.get("country"))))
        for column, prop in (
            ("organisers", CTG.organisedBy),
            ("partners", CTG.partner),
        ):
            for value in r.items(column):
                g.add((s, prop, self.ref(r, column, value, "entity")))
        if r.get("participants"):
            g.add((s, CTG.participantCount, self.number(r, "participants", True)))
        if r.get("programme"):
            g.add(
                (
                    s,
                    CTG.partOfProgramme,
                    self.ref(r, "programme", r.get("programme"), "project"),
                )
            )
        self.cite(g, r, s)

    def add_contribution(self, r: Record) -> None:
        g, s = self.graph_for(r), self.ids[r.get("id")].iri
        g.add((s, RDF.type, self.choice(r, "kind", FUNDING_KINDS)))
        if r.get("description"):
            g.add((s, DCTERMS.description, Literal(r.get("description"), lang="en")))
        if r.get("donor"):
            g.add((s, CTG.donor, self.ref(r, "donor", r.get("donor"), "entity")))
        if r.get("recipient"):
            g.add(
                (
                    s,
                    CTG.recipient,
                    self.ref(r, "recipient", r.get("recipient"), "entity", "project"),
                )
            )
        for column, prop, integer in (
            ("amount", CTG.amount, False),
            ("rank", CTG.rank, True),
            ("donor_count", CTG.donorCount, True),
        ):
            if r.get(column):
                g.add((s, prop, self.number(r, column, integer)))
        if r.get("currency"):
            g.add((s, CTG.currency, Literal(r.get("currency"))))
        date = self.date(r, "date")
        if date:
            g.add((s, DCTERMS.date, date_literal(date)))
        if r.get("kind").startswith("total-"):
            g.add((s, DCTERMS.type, Literal(r.get("kind"))))
        self.cite(g, r, s)

    def add_measure(self, r: Record) -> None:
        s = self.ids[r.get("id")].iri
        g = self.ds.graph(REFERENCE_GRAPH)
        g.add((s, RDF.type, CTG.Measure))
        g.add((s, SKOS.inScheme, CTG.MeasureScheme))
        g.add((s, SKOS.prefLabel, Literal(r.get("label"), lang="en")))
        g.add((s, SKOS.definition, Literal(r.get("definition"), lang="en")))

    def add_observation(self, r: Record) -> None:
        g, s = self.graph_for(r), self.ids[r.get("id")].iri
        g.add((s, RDF.type, CTG.Observation))
        g.add(
            (
                s,
                CTG.subject,
                self.ref(
                    r, "subject", r.get("subject"), "entity", "project", "working-group"
                ),
            )
        )
        g.add((s, CTG.measure, self.ref(r, "measure", r.get("measure"), "measure")))
        g.add((s, CTG.value, self.number(r, "value")))
        if r.get("unit"):
            g.add((s, CTG.unit, Literal(r.get("unit"))))
        date = self.date(r, "date")
        g.add((s, DCTERMS.date, date_literal(date)))
        g.add((s, CTG.periodStart, day_literal(date.first_day)))
        self.cite(g, r, s)

    def add_function(self, r: Record) -> None:
        g = self.graph_for(r)
        entity = self.ref(r, "entity", r.get("entity"), "entity")
        number = self.number(r, "number", integer=True)
        s = mint("function", r.get("entity"), str(number))
        g.add((s, RDF.type, CTG.MandatedFunction))
        g.add((s, CTG.subject, entity))
        g.add((s, CTG.number, number))
        self.label(g, s, r.get("label"))
        self.cite(g, r, s)

    def add_replacement(self, r: Record) -> None:
        """Structures a report says were replaced by others, from a date on: the
        as-of queries leave the replaced ones out after that date."""
        g = self.graph_for(r)
        s = mint("replacement", r.get("id"))
        g.add((s, RDF.type, CTG.Replacement))
        kinds = ("entity", "working-group")
        for old in r.items("replaces"):
            g.add((s, CTG.replaces, self.ref(r, "replaces", old, *kinds)))
        for new in r.items("replaced_by"):
            g.add((s, CTG.replacedBy, self.ref(r, "replaced_by", new, *kinds)))
        date = self.date(r, "date")
        if date:
            g.add((s, SDO.startDate, date_literal(date)))
            g.add((s, CTG.periodStart, day_literal(date.first_day)))
        self.cite(g, r, s)

    def add_reference(self) -> None:
        """Countries (ISO 3166-1), labelled once for every graph that names them."""
        g = self.ds.graph(REFERENCE_GRAPH)
        g.add((REFERENCE_GRAPH, RDF.type, PROV.Entity))
        g.add(
            (
                REFERENCE_GRAPH,
                RDFS.label,
                Literal(
                    "Reference data: ISO 3166-1 countries (via pycountry) and measures",
                    lang="en",
                ),
            )
        )
        for code in sorted(self.countries):
            country = pycountry.countries.get(alpha_3=code)
            s = mint("country", code.lower())
            g.add((s, RDF.type, CTG.Country))
            name = getattr(country, "common_name", None) or country.name
            if code.lower() in self.names:  # a Member State row names it: that wins
                if self.names[code.lower()][0] != name:
                    g.add((s, SKOS.altLabel, Literal(name, lang="en")))
            else:
                self.label(g, s, name)
            g.add((s, SKOS.notation, Literal(code)))
            g.add((s, CTG.m49, Literal(country.numeric)))


def build_dataset(tables: dict[str, list[Record]]) -> Dataset:
    """Map all tables to a Dataset with one named graph per source report."""
    return GraphBuilder(tables).build()


def derived_graph(ds: Dataset, iri: URIRef, label: str) -> Graph:
    """A named graph the build derives rather than reads from one report,
    described in the default graph (a `prov:Entity` with its label)."""
    described = ds.default_graph
    described.add((iri, RDF.type, PROV.Entity))
    described.add((iri, RDFS.label, Literal(label, lang="en")))
    return ds.graph(iri)


def union(ds: Dataset) -> Graph:
    """Every triple of every graph in one Graph, for validation and export."""
    merged = Graph()
    for prefix, ns in PREFIXES.items():
        merged.bind(prefix, ns)
    for g in ds.graphs():
        for triple in g:
            merged.add(triple)
    return merged
