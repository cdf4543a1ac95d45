"""Validate a graph against the SHACL shapes and explain the result to people.

pySHACL validates each named graph of a Dataset on its own, so the build validates the
union graph, with the ontology mixed in so that `sh:class` sees subclasses.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from ctgraph.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "ctgraph.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"


class InputError(ValueError):
    """A file that cannot be read as RDF, named with the parser's own reason."""


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the names a reader needs."""

    shape: str
    component: str
    focus: str
    focus_label: str
    path: str
    value: str
    message: str
    severity: str


@dataclass
class Report:
    conforms: bool
    violations: list[Violation]

    def by_shape(self) -> dict[str, list[Violation]]:
        groups: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[v.shape].append(v)
        return dict(sorted(groups.items()))

    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "violations": [asdict(v) for v in self.violations],
            },
            indent=2,
            ensure_ascii=False,
        )

    def to_text(self) -> str:
        if self.conforms:
            return "Conforms: no violations."
        lines = [f"Does not conform: {len(self.violations)} violation(s)."]
        for shape, items in self.by_shape().items():
            lines.append(f"\n{shape} ({len(items)})")
            for v in items:
                what = (
                    f"{v.focus_label} <{v.focus}>" if v.focus_label else f"<{v.focus}>"
                )
                detail = f"  - {what}: {v.message}"
                if v.path:
                    detail += f" [path {v.path}"
                    detail += f", value {v.value}]" if v.value else "]"
                lines.append(detail)
        return "\n".join(lines)


def parse_rdf(path: Path, graph: Graph | None = None) -> Graph:
    """Parse an RDF file, turning the parser's exception into a named InputError."""
    graph = graph if graph is not None else Graph()
    try:
        graph.parse(path)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except Exception as exc:  # rdflib raises many parser-specific types
        raise InputError(f"{path}: not valid RDF: {exc}") from None
    return graph


def load_ontology() -> Graph:
    return parse_rdf(ONTOLOGY)


def load_shapes() -> Graph:
    return parse_rdf(SHAPES)


def short(graph: Graph, node: object) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return str(node)
    if isinstance(node, Literal):
        return str(node)
    return str(node)


def validate(
    data: Graph, shapes: Graph | None = None, with_ontology: bool = True
) -> Report:
    """Validate `data` (never mutated) and return a readable report.

    `with_ontology=False` is for data that already contains the ontology.
    """
    shapes = shapes if shapes is not None else load_shapes()
    if with_ontology:
        mixed = Graph()
        for triple in data:
            mixed.add(triple)
        parse_rdf(ONTOLOGY, mixed)
        data = mixed
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_warnings=False,
    )
    for prefix, ns in PREFIXES.items():
        results.bind(prefix, ns)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        # property shapes are often blank nodes: name them by their node shape
        named = shape
        if not isinstance(named, URIRef):
            named = next((s for s in shapes.subjects(SH.property, shape)), shape)
        label = data.value(focus, RDFS.label) if focus is not None else None
        violations.append(
            Violation(
                shape=short(results, named)
                if isinstance(named, URIRef)
                else "(anonymous)",
                component=short(
                    results, results.value(result, SH.sourceConstraintComponent)
                ),
                focus=str(focus),
                focus_label=str(label) if label is not None else "",
                path=short(results, results.value(result, SH.resultPath)),
                value=short(results, results.value(result, SH.value)),
                message=str(results.value(result, SH.resultMessage) or ""),
                severity=short(results, results.value(result, SH.resultSeverity)),
            )
        )
    violations.sort(key=lambda v: (v.shape, v.focus, v.path, v.component, v.value))
    return Report(bool(conforms), violations)
