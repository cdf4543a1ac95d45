"""Where the sources disagree, found from the sources and kept as data.

The build keeps every value as its report writes it and resolves only what it must
(one node per resolution). Each disagreement it meets is a `Found`: its kind, the
resources involved, every side with the value as written (or as the graph counts
it) and the places that state it, and a note for people. The graph builder writes
them as `ctg:Discrepancy` nodes in a named graph of their own, so queries, the
quality view and the resources' pages read them from the graph.

Pure functions over a graph and the report mentions: no outside knowledge.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from ctgraph.graph.resolutions import ResolutionRegistry
from ctgraph.namespaces import CTG, mint
from ctgraph.sources.mentions import ReportMention
from ctgraph.sources.symbols import Symbol

ENTITY_CLASSES = (
    CTG.UNEntity,
    CTG.InternationalOrganisation,
    CTG.MemberState,
    CTG.Partner,
    CTG.Unit,
    CTG.CoordinationFramework,
)
SIMILARITY = 0.9
DIGITS = re.compile(r"\d+")
LINES = re.compile(r"\blines?\s+([\d\s,–-]+)")
ROMAN = {"i": "I", "ii": "II", "iii": "III", "iv": "IV"}

#: kind concept -> the notation used in IRIs and by the stored query
KINDS = {
    CTG.ResolutionYearMismatch: "resolution-year",
    CTG.CountMismatch: "stated-vs-listed",
    CTG.FigureMismatch: "figures-disagree",
    CTG.RepeatedSerial: "repeated-serial",
    CTG.MissingSerial: "missing-serial",
    CTG.NearDuplicateNames: "near-duplicate-names",
}


@dataclass(frozen=True)
class Place:
    """A place in a report: the source id and the locator, as citations give them."""

    source: str
    locator: str


@dataclass(frozen=True)
class Side:
    """One value as some places write it, and what it speaks about."""

    value: str
    places: tuple[Place, ...]
    concerns: URIRef | None = None


@dataclass(frozen=True)
class Found:
    kind: URIRef
    slug: str
    involves: tuple[URIRef, ...]
    sides: tuple[Side, ...]
    note: str

    @property
    def iri(self) -> URIRef:
        return mint("discrepancy", KINDS[self.kind], self.slug)


# --------------------------------------------------------------------------- helpers


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=4096)
def unnumbered(text: str) -> str:
    return DIGITS.sub("#", text)


def numbered_apart(a: str, b: str) -> bool:
    """Names that differ only in their numbers name different things (committees
    established by different resolutions), however alike they look."""
    return unnumbered(a) == unnumbered(b) and a != b


def alike(x: str, y: str) -> bool:
    """Two folded names at least SIMILARITY alike (difflib's ratio), not told apart
    by their numbers. The cheap upper bounds go first: the build compares every
    pair of entities."""
    if len(x) <= 6 or len(y) <= 6:
        return False
    if 2 * min(len(x), len(y)) < SIMILARITY * (len(x) + len(y)):
        return False
    if numbered_apart(x, y):
        return False
    matcher = difflib.SequenceMatcher(None, x, y)
    return (
        matcher.real_quick_ratio() >= SIMILARITY
        and matcher.quick_ratio() >= SIMILARITY
        and matcher.ratio() >= SIMILARITY
    )


def label(graph: Graph, subject: URIRef) -> str:
    for prop in (RDFS.label, SKOS.prefLabel):
        names = sorted(
            str(o)
            for o in graph.objects(subject, prop)
            if getattr(o, "language", None) in (None, "en")
        )
        if names:
            return names[0]
    return str(subject).rsplit("/", 1)[-1]


def places(graph: Graph, subject: URIRef) -> tuple[Place, ...]:
    """Where the sources state `subject`: its citations, in a stable order."""
    found = set()
    for citation in graph.objects(subject, PROV.wasDerivedFrom):
        report = graph.value(citation, PROV.hadPrimarySource)
        locator = graph.value(citation, CTG.locator)
        if report is not None and locator is not None:
            found.add(Place(str(report).rsplit("/", 1)[-1], str(locator)))
    return tuple(sorted(found, key=lambda p: (p.source, p.locator)))


def locator_lines(locator: str) -> set[int]:
    """The line numbers a locator names: "line 418", "lines 164, 168-183"."""
    numbers: set[int] = set()
    for m in LINES.finditer(locator):
        for part in re.split(r"\s*,\s*", m[1].strip(" ,")):
            ends = [int(x) for x in re.split(r"\s*[–-]\s*", part) if x.isdigit()]
            if ends:
                numbers.update(range(ends[0], ends[-1] + 1))
    return numbers


def line_span(locators: Iterable[str]) -> tuple[int, int] | None:
    lines = set().union(*(locator_lines(x) for x in locators))
    return (min(lines), max(lines)) if lines else None


# ----------------------------------------------------------------- resolution years


def resolution_years(
    graph: Graph,
    mentions: Mapping[str, list[ReportMention]],
    registry: ResolutionRegistry,
    curated: Iterable[tuple[Place, Symbol]] = (),
) -> list[Found]:
    """A Security Council resolution cited with a year other than its own.

    The resolution keeps the year the sources give it without contradiction (see
    ctgraph.graph.resolutions); the citation with the other year is one side, the
    places that write the resolved year (report lines, `curated` table rows) the
    other. Resources of the same report that cite the resolution from the same
    line (a matrix project) are involved too.
    """
    written: dict[int, dict[int, list[tuple[str, ReportMention]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for source, found in sorted(mentions.items()):
        for m in found:
            if m.symbol.body == "SC" and m.symbol.year is not None:
                written[m.symbol.number][m.symbol.year].append((source, m))
    results = []
    for number, by_year in sorted(written.items()):
        some = next(iter(by_year.values()))[0][1].symbol
        resolved = registry.symbol(some)
        if resolved.year is None or set(by_year) == {resolved.year}:
            continue
        iri = registry.iri(some)
        # a table row normalises the year: it agrees only if its lines do
        otherwise = {
            (s, m.line)
            for year, stated in by_year.items()
            if year != resolved.year
            for s, m in stated
        }
        agreeing = {Place(s, f"line {m.line}") for s, m in by_year[resolved.year]}
        agreeing |= {
            place
            for place, symbol in curated
            if symbol.body == "SC"
            and symbol.number == number
            and symbol.year == resolved.year
            and not any(
                (place.source, line) in otherwise
                for line in locator_lines(place.locator)
            )
        }
        other = Side(
            f"{number} ({resolved.year})", tuple(sorted(agreeing, key=_key)), iri
        )
        for year, stated in sorted(by_year.items()):
            if year == resolved.year:
                continue
            for source, m in stated:
                involved = [iri, *_citing_on_line(graph, source, m.line, iri)]
                results.append(
                    Found(
                        CTG.ResolutionYearMismatch,
                        f"{source}-line-{m.line}-{number}",
                        tuple(involved),
                        (Side(m.text, (Place(source, f"line {m.line}"),), iri), other),
                        f"{source}, line {m.line}, cites resolution {number} as "
                        f"{m.text!r}; the sources otherwise give {resolved.canonical} "
                        f"({len(agreeing)} citation(s)). The graph links the "
                        f"citation to {resolved.canonical} and keeps the year as "
                        "written here.",
                    )
                )
    return results


def _key(place: Place) -> tuple:
    lines = locator_lines(place.locator)
    return (place.source, min(lines) if lines else 0, place.locator)


def _citing_on_line(
    graph: Graph, source: str, line: int, resolution: URIRef
) -> list[URIRef]:
    """Resources of `source` that cite `resolution` from a place covering `line`."""
    found = set()
    for s in graph.subjects(CTG.citesResolution, resolution):
        for p in places(graph, s):
            if p.source == source and line in locator_lines(p.locator):
                found.add(s)
    return sorted(found)


# -------------------------------------------------------------------- matrix serials


def _serial_rows(graph: Graph) -> dict[tuple[str, URIRef], dict[int, list[URIRef]]]:
    """Projects with a serial, per (source, pillar) and serial."""
    rows: dict[tuple[str, URIRef], dict[int, list[URIRef]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for project, serial in graph.subject_objects(CTG.serial):
        pillar = graph.value(project, CTG.pillar)
        for p in places(graph, project):
            rows[(p.source, pillar)][int(serial)].append(project)
    return rows


def _pillar_name(pillar: URIRef | None) -> str:
    if pillar is None:
        return "all pillars"
    return f"Pillar {ROMAN.get(str(pillar).rsplit('/', 1)[-1], '?')}"


def serials(graph: Graph) -> list[Found]:
    """Serials a numbered list prints twice, and serials it skips."""
    results = []
    for (source, pillar), by_serial in sorted(_serial_rows(graph).items(), key=str):
        pillar_slug = str(pillar).rsplit("/", 1)[-1]
        where = f"{source}, {_pillar_name(pillar)}"
        for serial, projects in sorted(by_serial.items()):
            projects = sorted(set(projects))
            if len(projects) < 2:
                continue
            sides = tuple(
                Side(f"serial {serial}: {label(graph, p)}", places(graph, p), p)
                for p in projects
            )
            results.append(
                Found(
                    CTG.RepeatedSerial,
                    f"{source}-{pillar_slug}-{serial}",
                    (pillar, *projects),
                    sides,
                    f"{where}: serial {serial} is printed on {len(projects)} rows; "
                    "each row is kept as its own project.",
                )
            )
        present = sorted(by_serial)
        for serial in range(1, present[-1] + 1):
            if serial in by_serial:
                continue
            before = max((n for n in present if n < serial), default=None)
            after = min(n for n in present if n > serial)
            # two rows around the gap (the first two when the list starts late)
            around = [before, after] if before is not None else present[:2]
            neighbours = sorted({p for n in around for p in by_serial[n]})
            sides = tuple(
                Side(f"serial {n}: {label(graph, p)}", places(graph, p), p)
                for n in around
                for p in sorted(set(by_serial[n]))
            )
            gap = (
                f"the list goes from {before} to {after}"
                if before is not None
                else f"the list starts at {after}"
            )
            results.append(
                Found(
                    CTG.MissingSerial,
                    f"{source}-{pillar_slug}-{serial}",
                    (pillar, *neighbours),
                    sides,
                    f"{where}: serial {serial} is not printed; {gap}.",
                )
            )
    return results


# ---------------------------------------------------------- stated and listed counts


def counts(graph: Graph) -> list[Found]:
    """A stated number of projects against the projects the same report lists."""
    rows = _serial_rows(graph)
    results = []
    for count in sorted(set(graph.subjects(RDF.type, CTG.ProjectCount))):
        stated = int(graph.value(count, CTG.value))
        pillar = graph.value(count, CTG.pillar)
        where = str(graph.value(count, DCTERMS.description) or "")
        for source_place in places(graph, count):
            source = source_place.source
            listed = {
                p
                for (s, pl), by_serial in rows.items()
                if s == source and (pillar is None or pl == pillar)
                for projects in by_serial.values()
                for p in projects
            }
            if not listed or len(listed) == stated:
                continue
            project_places = [
                x.locator
                for p in listed
                for x in places(graph, p)
                if x.source == source
            ]
            span = line_span(project_places)
            locator = (
                f"Annex II matrix, {_pillar_name(pillar)}, lines {span[0]}-{span[1]}"
                if span
                else f"Annex II matrix, {_pillar_name(pillar)}"
            )
            slug = str(count).rsplit("/project-count/", 1)[-1].replace("/", "-")
            results.append(
                Found(
                    CTG.CountMismatch,
                    f"{source}-{slug}",
                    (count, *([pillar] if pillar is not None else [])),
                    (
                        Side(f"{stated} projects", (source_place,), count),
                        Side(
                            f"{len(listed)} projects listed",
                            (Place(source, locator),),
                            pillar,
                        ),
                    ),
                    f"{source} states {stated} projects for {_pillar_name(pillar)} "
                    f"({where}) but lists {len(listed)} "
                    f"({'more' if len(listed) > stated else 'fewer'} by "
                    f"{abs(len(listed) - stated)}).",
                )
            )
    return results


# -------------------------------------------------------------------- figures


def figures(graph: Graph) -> list[Found]:
    """The same measure of the same subject in the same year, stated differently."""
    groups: dict[tuple, dict[str, list[URIRef]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for obs in graph.subjects(RDF.type, CTG.Observation):
        key = (
            graph.value(obs, CTG.subject),
            graph.value(obs, CTG.measure),
            str(graph.value(obs, DCTERMS.date))[:4],
        )
        groups[key][str(graph.value(obs, CTG.value))].append(obs)
    results = []
    for (subject, measure, year), values in sorted(groups.items(), key=str):
        if len(values) < 2:
            continue
        sides = tuple(
            Side(
                value,
                tuple(
                    sorted(
                        {p for o in observations for p in places(graph, o)}, key=_key
                    )
                ),
                sorted(observations)[0],
            )
            for value, observations in sorted(values.items())
        )
        what = f"{label(graph, subject)}: {label(graph, measure)} in {year}"
        results.append(
            Found(
                CTG.FigureMismatch,
                "-".join(str(x).rsplit("/", 1)[-1] for x in (subject, measure)).lower()
                + f"-{year}",
                (subject, measure, *sorted({o for v in values.values() for o in v})),
                sides,
                f"{what} is stated as "
                + " and as ".join(s.value for s in sides)
                + "; both are kept with their sources.",
            )
        )
    return results


# -------------------------------------------------------------------- names


def names(graph: Graph) -> list[Found]:
    """Entities whose names or acronyms look alike: possibly one entity twice."""
    entities = sorted(
        {
            s
            for cls in ENTITY_CLASSES
            for s in graph.subjects(RDF.type, cls)
            if isinstance(s, URIRef)
        }
    )
    folded: dict[URIRef, dict[str, str]] = {}
    for e in entities:
        texts = {
            str(o)
            for o in graph.objects(e, RDFS.label)
            if getattr(o, "language", None) in (None, "en")
        }
        texts |= {str(o) for o in graph.objects(e, CTG.acronym)}
        folded[e] = {fold(t): t for t in sorted(texts)}
    ordered = {e: sorted(folded[e]) for e in entities}
    results = []
    for i, a in enumerate(entities):
        for b in entities[i + 1 :]:
            shared = sorted(folded[a].keys() & folded[b].keys())
            close = [(x, y) for x in ordered[a] for y in ordered[b] if alike(x, y)]
            if not shared and not close:
                continue
            x, y = (shared[0], shared[0]) if shared else close[0]
            why = (
                f"share the name {folded[a][x]!r}"
                if shared
                else f"{folded[a][x]!r} ~ {folded[b][y]!r}"
            )
            results.append(
                Found(
                    CTG.NearDuplicateNames,
                    "-".join(str(e).rsplit("/", 1)[-1] for e in (a, b)),
                    (a, b),
                    (
                        Side(folded[a][x], places(graph, a), a),
                        Side(folded[b][y], places(graph, b), b),
                    ),
                    f"{label(graph, a)} and {label(graph, b)} {why}: possibly one "
                    "entity recorded twice.",
                )
            )
    return results


def find_all(
    graph: Graph,
    mentions: Mapping[str, list[ReportMention]],
    registry: ResolutionRegistry,
    curated: Iterable[tuple[Place, Symbol]] = (),
) -> list[Found]:
    """Every discrepancy, in a stable order (by kind, then as each finder lists)."""
    return [
        *resolution_years(graph, mentions, registry, curated),
        *counts(graph),
        *serials(graph),
        *figures(graph),
        *names(graph),
    ]
