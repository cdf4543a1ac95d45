"""A data-quality view: what an editor of data/ should look at next.

None of these findings is an error: records without dates, and the discrepancies the
build records in the graph (a resolution cited with another year, stated counts
against the rows listed, figures stated differently, repeated or missing serials,
near-duplicate names) are kept as they are, every side with its sources, for a
person to judge.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SDO

from ctgraph.graph.discrepancies import KINDS, label, places
from ctgraph.namespaces import CTG

UNDATED_CLASSES = (CTG.Project, CTG.Programme, CTG.Initiative)
FORMATS = ("table", "csv", "json")
COLUMNS = ("kind", "subject", "detail", "sources")


@dataclass(frozen=True)
class Finding:
    kind: str
    subject: str
    detail: str
    sources: str
    iri: str = ""


def sources_of(graph: Graph, subject: URIRef) -> list[str]:
    return [f"{p.source} ({p.locator})" for p in places(graph, subject)]


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
                    str(s),
                )
            )
    return findings


def discrepancies(graph: Graph) -> list[Finding]:
    """The ctg:Discrepancy records of the graph: kind, what they involve, the note,
    and each side's value with the places that state it."""
    findings = []
    for d in sorted(set(graph.subjects(RDF.type, CTG.Discrepancy))):
        kind = graph.value(d, CTG.discrepancyKind)
        involved = sorted(label(graph, r) for r in graph.objects(d, CTG.involves))
        sides = []
        for side in sorted(graph.objects(d, CTG.side)):
            where = "; ".join(sources_of(graph, side)) or "no citation"
            sides.append(f"{graph.value(side, CTG.statedValue)!s} per {where}")
        findings.append(
            Finding(
                KINDS.get(kind, str(kind)),
                " / ".join(involved),
                str(graph.value(d, RDFS.comment) or ""),
                " | ".join(sides),
                str(d),
            )
        )
    return findings


def quality(graph: Graph) -> list[Finding]:
    """Every finding, in a stable order: discrepancies, then undated records."""
    return [*discrepancies(graph), *undated(graph)]


def render(findings: list[Finding], fmt: str) -> str:
    """The findings as CSV or JSON (the table is drawn by the command line)."""
    if fmt == "json":
        return json.dumps([asdict(f) for f in findings], indent=2, ensure_ascii=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*COLUMNS, "iri"])
    for f in findings:
        writer.writerow([f.kind, f.subject, f.detail, f.sources, f.iri])
    return buffer.getvalue()
