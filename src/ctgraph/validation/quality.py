"""A data-quality view: what an editor of data/ should look at next.

None of these findings is an error: records without dates, names that could be the same
entity, and figures that reports state differently are kept as they are, side by side
with their sources, for a person to judge.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO

from ctgraph.namespaces import CTG

UNDATED_CLASSES = (CTG.Project, CTG.Programme, CTG.Initiative)
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


@dataclass(frozen=True)
class Finding:
    kind: str
    subject: str
    detail: str
    sources: str


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def numbered_apart(a: str, b: str) -> bool:
    """Names that differ only in their numbers name different things (committees
    established by different resolutions), however alike they look."""
    return DIGITS.sub("#", a) == DIGITS.sub("#", b) and a != b


def sources_of(graph: Graph, subject: URIRef) -> list[str]:
    found = set()
    for citation in graph.objects(subject, PROV.wasDerivedFrom):
        report = graph.value(citation, PROV.hadPrimarySource)
        locator = graph.value(citation, CTG.locator)
        found.add(f"{str(report).rsplit('/', 1)[-1]} ({locator})")
    return sorted(found)


def label(graph: Graph, subject: URIRef) -> str:
    names = sorted(
        str(o)
        for o in graph.objects(subject, RDFS.label)
        if getattr(o, "language", None) in (None, "en")
    )
    return names[0] if names else str(subject).rsplit("/", 1)[-1]


def undated(graph: Graph) -> list[Finding]:
    findings = []
    for cls in UNDATED_CLASSES:
        for s in sorted(set(graph.subjects(RDF.type, cls))):
            if (s, SDO.startDate, None) in graph or (s, CTG.launchDate, None) in graph:
                continue
            findings.append(
                Finding(
                    "record without dates",
                    label(graph, s),
                    f"{graph.namespace_manager.normalizeUri(cls)}"
                    " with no start or launch date",
                    "; ".join(sources_of(graph, s)),
                )
            )
    return findings


def near_duplicates(graph: Graph) -> list[Finding]:
    """Entities whose names or acronyms look alike: possibly one entity twice."""
    entities = sorted(
        {
            s
            for cls in ENTITY_CLASSES
            for s in graph.subjects(RDF.type, cls)
            if isinstance(s, URIRef)
        }
    )
    names: dict[URIRef, set[str]] = {}
    for e in entities:
        texts = {
            str(o)
            for o in graph.objects(e, RDFS.label)
            if getattr(o, "language", None) in (None, "en")
        }
        texts |= {str(o) for o in graph.objects(e, CTG.acronym)}
        names[e] = {fold(t) for t in texts}
    findings = []
    for i, a in enumerate(entities):
        for b in entities[i + 1 :]:
            shared = names[a] & names[b]
            close = [
                (x, y)
                for x in names[a]
                for y in names[b]
                if len(x) > 6
                and len(y) > 6
                and not numbered_apart(x, y)
                and difflib.SequenceMatcher(None, x, y).ratio() >= SIMILARITY
            ]
            if shared or close:
                why = (
                    f"share the name {sorted(shared)[0]!r}"
                    if shared
                    else f"{close[0][0]!r} ~ {close[0][1]!r}"
                )
                findings.append(
                    Finding(
                        "near-duplicate names",
                        f"{label(graph, a)} / {label(graph, b)}",
                        why,
                        "; ".join(sources_of(graph, a) + sources_of(graph, b)),
                    )
                )
    return findings


def disagreements(graph: Graph) -> list[Finding]:
    """The same measure of the same subject on the same date, stated differently."""
    groups: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for obs in graph.subjects(RDF.type, CTG.Observation):
        key = (
            graph.value(obs, CTG.subject),
            graph.value(obs, CTG.measure),
            str(graph.value(obs, DCTERMS.date))[:4],
        )
        value = str(graph.value(obs, CTG.value))
        groups[key][value].extend(sources_of(graph, obs))
    findings = []
    for (subject, measure, year), values in sorted(groups.items(), key=str):
        if len(values) > 1:
            detail = ", ".join(
                f"{v} per {'; '.join(src)}" for v, src in sorted(values.items())
            )
            findings.append(
                Finding(
                    "figures that disagree",
                    f"{label(graph, subject)}: {label(graph, measure)} in {year}",
                    detail,
                    "",
                )
            )
    return findings


def quality(graph: Graph) -> list[Finding]:
    """Every finding, in a stable order."""
    return [*undated(graph), *near_duplicates(graph), *disagreements(graph)]
