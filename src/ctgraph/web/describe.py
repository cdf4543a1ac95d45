"""What a resource page shows: a resource's facts with their sources, its incoming
links and the roles it holds or hands out, read by a few SELECT queries.

Only SELECT is used, so the same page works on the embedded store and on a remote
endpoint. Each fact's source is the named graph it sits in: a report's graph names
its report (`prov:hadPrimarySource`), and the resource's citation in that graph
gives the locator (`line 243`), as the build writes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ctgraph.namespaces import CTG, graph_iri
from ctgraph.queries.lookup import PROLOGUE
from ctgraph.web.render import LABEL_PROPERTIES, Cell, cell, pick_label
from ctgraph.web.runner import QueryRunner

#: values shown per property before the rest are counted
MAX_VALUES = 50
#: locators shown beside a fact before they are counted instead
MAX_LOCATORS = 3
#: rows read for one page's incoming links
MAX_INCOMING = 2000

FACTS = (
    PROLOGUE
    + """SELECT ?p ?o ?g WHERE {
  { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o }
}"""
)
INCOMING = PROLOGUE + """SELECT ?x ?p ?g WHERE { GRAPH ?g { ?x ?p ?s } }"""
LABELS = (
    PROLOGUE
    + """SELECT DISTINCT ?s ?p ?label WHERE {
  VALUES ?p { rdfs:label skos:prefLabel dcterms:title ctg:acronym eli:id_local }
  ?s ?p ?label
}"""
)
CITATIONS = (
    PROLOGUE
    + """SELECT DISTINCT ?s ?g ?report ?locator WHERE {
  GRAPH ?g { ?s prov:wasDerivedFrom ?c }
  ?c prov:hadPrimarySource ?report .
  OPTIONAL { ?c ctg:locator ?locator }
}"""
)
GRAPHS = (
    PROLOGUE
    + """SELECT DISTINCT ?g ?report ?label WHERE {
  ?g a prov:Entity .
  FILTER(STRSTARTS(STR(?g), STR(id:graph\\/)))
  OPTIONAL { ?g prov:hadPrimarySource ?report }
  OPTIONAL { ?g rdfs:label ?label }
}"""
)
ROLES = (
    PROLOGUE
    + """SELECT ?m ?org ?member ?role ?start ?end ?asOf ?g WHERE {
  GRAPH ?g {
    ?m a org:Membership ; org:organization ?org ; org:member ?member ; org:role ?role .
    OPTIONAL { ?m schema:startDate ?start }
    OPTIONAL { ?m schema:endDate ?end }
    OPTIONAL { ?m ctg:asOf ?asOf }
  }
  FILTER(?org = ?s || ?member = ?s)
}"""
)
TYPES = PROLOGUE + "SELECT DISTINCT ?s ?type WHERE { ?s a ?type }"
#: the discrepancies involving a resource, one row per side and place cited
DISCREPANCIES = (
    PROLOGUE
    + """SELECT DISTINCT ?d ?kind ?note ?side ?value ?concerns ?report ?locator WHERE {
  ?d a ctg:Discrepancy ; ctg:involves ?s ; ctg:discrepancyKind ?kind ; ctg:side ?side .
  OPTIONAL { ?d rdfs:comment ?note }
  ?side ctg:statedValue ?value .
  OPTIONAL { ?side ctg:concerns ?concerns }
  OPTIONAL {
    ?side prov:wasDerivedFrom ?c .
    ?c prov:hadPrimarySource ?report .
    OPTIONAL { ?c ctg:locator ?locator }
  }
}"""
)
#: predicates shown first on a page, in this order
FIRST = (RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, CTG.acronym)
LABEL_SET = set(LABEL_PROPERTIES) | {SKOS.altLabel}


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a report and its locator, or a derived graph."""

    link: str | None
    text: str
    locator: str = ""
    title: str = ""


@dataclass
class Value:
    cell: Cell
    sources: list[Source] = field(default_factory=list)


@dataclass
class PropertyGroup:
    property: Cell
    values: list[Value]
    more: int = 0


@dataclass
class Role:
    organisation: Cell
    member: Cell
    role: Cell
    start: str
    end: str
    as_of: str
    sources: list[Source]


@dataclass
class Side:
    """One side of a discrepancy: the value as written, what it speaks about and
    the places that write it."""

    iri: str
    value: str
    concerns: Cell | None
    sources: list[Source] = field(default_factory=list)


@dataclass
class Disagreement:
    """A discrepancy the resource is involved in, as its page shows it."""

    discrepancy: Cell
    kind: Cell
    note: str
    sides: list[Side] = field(default_factory=list)


@dataclass
class Description:
    """Everything a resource page shows."""

    iri: URIRef
    title: str
    labels: list[Cell]
    types: list[Cell]
    facts: list[PropertyGroup]
    incoming: list[PropertyGroup]
    roles_held: list[Role]
    roles_given: list[Role]
    stated_in: list[Source] = field(default_factory=list)
    discrepancies: list[Disagreement] = field(default_factory=list)
    truncated: bool = False

    @property
    def empty(self) -> bool:
        return not self.facts and not self.incoming


class Describer:
    """Reads resource descriptions through the web layer's query runner."""

    def __init__(self, runner: QueryRunner) -> None:
        self.runner = runner
        self._graphs: dict[str, Source] | None = None

    def graphs(self) -> dict[str, Source]:
        """Every named graph -> its source (the report, or the graph's own label)."""
        if self._graphs is None:
            rows = self.runner.run(GRAPHS, isolate=False).table.rows  # type: ignore[union-attr]
            labels = self.labels(r[1] for r in rows if r[1] is not None)
            graphs: dict[str, Source] = {}
            for g, report, label in rows:
                if report is not None:
                    graphs[str(g)] = Source(
                        cell(report, {}).link,
                        short(report),
                        title=labels.get(str(report), ""),
                    )
                else:
                    graphs[str(g)] = Source(
                        cell(g, {}).link, short(g), title=str(label or "")
                    )
            self._graphs = graphs
        return self._graphs

    def labels(self, iris: Iterable[Node]) -> dict[str, str]:
        """The best label of each IRI that has one."""
        wanted = sorted({i for i in iris if isinstance(i, URIRef)})
        found: dict[str, list[tuple[URIRef, Literal]]] = defaultdict(list)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            outcome = self.runner.run(LABELS, {"s": chunk}, isolate=False)
            for s, p, label in outcome.table.rows:  # type: ignore[union-attr]
                found[str(s)].append((p, label))  # type: ignore[arg-type]
        return {iri: pick_label(items) or "" for iri, items in found.items()}

    def types(self, iris: Iterable[Node]) -> dict[str, list[Cell]]:
        """The classes of each IRI, labelled."""
        wanted = sorted({i for i in iris if isinstance(i, URIRef)})
        if not wanted:
            return {}
        rows = self.runner.run(TYPES, {"s": wanted}, isolate=False).table.rows  # type: ignore[union-attr]
        labels = self.labels(t for _, t in rows)
        out: dict[str, list[Cell]] = defaultdict(list)
        for s, t in rows:
            out[str(s)].append(cell(t, labels))
        return out

    def citations(
        self, subjects: Iterable[Node]
    ) -> dict[tuple[str, str], list[Source]]:
        """(subject, graph) -> the reports and locators that state it there."""
        wanted = sorted({s for s in subjects if isinstance(s, URIRef)})
        out: dict[tuple[str, str], list[Source]] = defaultdict(list)
        graphs = self.graphs()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self.runner.run(CITATIONS, {"s": chunk}, isolate=False).table.rows  # type: ignore[union-attr]
            for s, g, report, locator in rows:
                base = graphs.get(str(g)) or Source(
                    cell(report, {}).link, short(report)
                )
                out[(str(s), str(g))].append(
                    Source(
                        base.link,
                        base.text,
                        str(locator) if locator else "",
                        base.title,
                    )
                )
        for sources in out.values():
            sources.sort(key=lambda src: (src.text, src.locator))
        return out

    def sources(
        self,
        subject: Node,
        graphs: Iterable[str],
        cited: dict[tuple[str, str], list[Source]],
    ) -> list[Source]:
        """One source per graph the fact sits in: the report with the resource's
        locators there, or with their count when there are more than a few (the
        page lists them all once, under "Stated in")."""
        known = self.graphs()
        found: list[Source] = []
        for g in sorted(set(graphs)):
            cites = cited.get((str(subject), g))
            if not cites:
                found += [known[g]] if g in known else []
                continue
            places = sorted({c.locator for c in cites if c.locator})
            locator = (
                "; ".join(places)
                if len(places) <= MAX_LOCATORS
                else f"{len(places)} places"
            )
            found.append(Source(cites[0].link, cites[0].text, locator, cites[0].title))
        return found

    def discrepancies(self, iri: URIRef) -> list[Disagreement]:
        """The discrepancies that involve `iri`, each side with its value and the
        reports and locators that state it, in a stable order."""
        rows = self.runner.run(DISCREPANCIES, {"s": [iri]}, isolate=False).table.rows  # type: ignore[union-attr]
        if not rows:
            return []
        labels = self.labels(v for row in rows for v in (row[0], row[1], row[5]))
        graphs = self.graphs()
        found: dict[str, Disagreement] = {}
        sides: dict[tuple[str, str], Side] = {}
        for d, kind, note, side, value, concerns, report, locator in rows:
            item = found.setdefault(
                str(d), Disagreement(cell(d, labels), cell(kind, labels), text(note))
            )
            key = (str(d), str(side))
            if key not in sides:
                sides[key] = Side(
                    str(side),
                    text(value),
                    cell(concerns, labels) if concerns is not None else None,
                )
                item.sides.append(sides[key])
            if report is not None:
                base = graphs.get(str(graph_of_report(report))) or Source(
                    cell(report, {}).link, short(report)
                )
                sides[key].sources.append(
                    Source(base.link, short(report), text(locator), base.title)
                )
        for item in found.values():
            item.sides.sort(key=lambda side: side.iri)
            for side in item.sides:
                side.sources = per_report(side.sources)
        return sorted(found.values(), key=lambda i: (i.kind.text, i.discrepancy.text))

    def describe(self, iri: URIRef) -> Description:
        facts = self.runner.run(FACTS, {"s": [iri]}, isolate=False)
        incoming = self.runner.run(
            INCOMING, {"s": [iri]}, row_cap=MAX_INCOMING, isolate=False
        )
        roles = self.runner.run(ROLES, {"s": [iri]}, isolate=False)
        fact_rows = facts.table.rows  # type: ignore[union-attr]
        in_rows = incoming.table.rows  # type: ignore[union-attr]
        role_rows = roles.table.rows  # type: ignore[union-attr]

        terms: set[Node] = {iri}
        for p, o, _ in fact_rows:
            terms |= {p, o}
        for x, p, _ in in_rows:
            terms |= {x, p}
        for row in role_rows:
            terms |= {v for v in row[:4]}
        labels = self.labels(terms)
        cited = self.citations(
            [iri] + [x for x, _, _ in in_rows] + [r[0] for r in role_rows]
        )

        by_fact: dict[tuple[Node, Node], set[str]] = defaultdict(set)
        for p, o, g in fact_rows:
            graphs = by_fact[(p, o)]
            if g is not None:
                graphs.add(str(g))
        # A name given by several properties (a resolution's label and its
        # `eli:id_local`, say) is listed once.
        label_cells: list[Cell] = []
        for p, o in sorted(by_fact, key=lambda f: (str(f[0]), str(f[1]))):
            if p in LABEL_SET and isinstance(o, Literal):
                named = cell(o, labels)
                if all(c.text != named.text for c in label_cells):
                    label_cells.append(named)
        types = [cell(o, labels) for (p, o) in by_fact if p == RDF.type]
        groups: dict[Node, list[Value]] = defaultdict(list)
        for (p, o), graphs in by_fact.items():
            # a citation is its own source: "Stated in" lists where each one points
            found = [] if p == PROV.wasDerivedFrom else self.sources(iri, graphs, cited)
            groups[p].append(Value(cell(o, labels), found))
        facts_out = [
            PropertyGroup(cell(p, labels), sorted(values, key=value_key))
            for p, values in sorted(groups.items(), key=lambda i: property_key(i[0]))
        ]

        in_groups: dict[Node, dict[Node, set[str]]] = defaultdict(dict)
        for x, p, g in in_rows:
            in_groups[p].setdefault(x, set()).add(str(g))
        incoming_out = []
        for p, subjects in sorted(in_groups.items(), key=lambda i: str(i[0])):
            values = sorted(
                (
                    Value(cell(x, labels), self.sources(x, graphs, cited))
                    for x, graphs in subjects.items()
                ),
                key=value_key,
            )
            incoming_out.append(
                PropertyGroup(
                    cell(p, labels),
                    values[:MAX_VALUES],
                    max(0, len(values) - MAX_VALUES),
                )
            )

        held, given = [], []
        for m, org, member, role, start, end, as_of, g in role_rows:
            entry = Role(
                cell(org, labels),
                cell(member, labels),
                cell(role, labels),
                text(start),
                text(end),
                text(as_of),
                self.sources(m, [str(g)], cited),
            )
            (held if member == iri else given).append(entry)
        order = lambda r: (r.organisation.text, r.as_of, r.role.text, r.member.text)  # noqa: E731
        held.sort(key=order)
        given.sort(key=order)

        title = labels.get(str(iri)) or cell(iri, {}).text
        return Description(
            iri=iri,
            title=title,
            labels=label_cells,
            types=sorted(types, key=lambda c: c.text),
            facts=facts_out,
            incoming=incoming_out,
            roles_held=held,
            roles_given=given,
            stated_in=sorted(
                (
                    src
                    for (s, _), found in cited.items()
                    if s == str(iri)
                    for src in found
                ),
                key=lambda src: (src.text, src.locator),
            ),
            discrepancies=self.discrepancies(iri),
            truncated=incoming.truncated or facts.truncated,
        )

    def quads(self, iri: URIRef) -> list[tuple[Node, Node, Node, Node | None]]:
        """The resource's own triples, each with the graph it sits in."""
        rows = self.runner.run(FACTS, {"s": [iri]}, isolate=False).table.rows  # type: ignore[union-attr]
        named = {(p, o) for p, o, g in rows if g is not None}
        out = [(iri, p, o, g) for p, o, g in rows if g is not None]
        out += [
            (iri, p, o, None) for p, o, g in rows if g is None and (p, o) not in named
        ]
        return sorted(set(out), key=lambda q: tuple(str(t) for t in q))


def per_report(places: Iterable[Source]) -> list[Source]:
    """One source per report, its locators joined, or counted past a few (the
    discrepancy's own page lists each place)."""
    by_report: dict[str, list[Source]] = defaultdict(list)
    for place in set(places):
        by_report[place.text].append(place)
    out = []
    for name in sorted(by_report):
        found = by_report[name]
        locators = sorted({p.locator for p in found if p.locator})
        locator = (
            "; ".join(locators)
            if len(locators) <= MAX_LOCATORS
            else f"{len(locators)} places"
        )
        out.append(Source(found[0].link, name, locator, found[0].title))
    return out


def graph_of_report(report: Node) -> URIRef:
    """The named graph of a report: `id/report/<id>` states into `id/graph/<id>`."""
    return graph_iri(short(report))


def short(iri: Node) -> str:
    """A report or graph by its id (`compact-review-2024-01`): titles are long."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def text(term: Node | None) -> str:
    return "" if term is None else str(term)


def property_key(p: Node) -> tuple[int, str]:
    return (FIRST.index(p) if p in FIRST else len(FIRST), str(p))  # type: ignore[arg-type]


def value_key(value: Value) -> tuple[str, str]:
    return (value.cell.text.lower(), value.cell.note)
