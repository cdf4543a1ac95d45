"""Validate a graph against the SHACL shapes and explain the result to people.

pySHACL validates each named graph of a Dataset on its own, so the build validates the
union graph, with the ontology mixed in so that `sh:class` sees subclasses.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from ctgraph.namespaces import PREFIXES
from ctgraph.paths import ONTOLOGY_DIR
from ctgraph.store.backends import from_ox
from ctgraph.validation.fast import (
    Check,
    RawResult,
    UnsupportedShape,
    compile_shapes,
    run_checks,
    store_from_graph,
)

ONTOLOGY = ONTOLOGY_DIR / "ctgraph.ttl"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"


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
    validator: str = "pyshacl"

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


_parsed: dict[tuple[Path, int], Graph] = {}


def read_only(path: Path) -> Graph:
    """A parsed file shared between validations (never handed to callers to edit);
    parsed again when the file changes."""
    key = (path, path.stat().st_mtime_ns)
    if key not in _parsed:
        _parsed[key] = parse_rdf(path)
    return _parsed[key]


def short(graph: Graph, node: object) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return str(node)
    if isinstance(node, Literal):
        if node.datatype == XSD.decimal and isinstance(node.value, Decimal):
            # canonical form, as Oxigraph stores it: 5.0 and 5.00 both read "5"
            return format(node.value.normalize(), "f")
        return str(node)
    return str(node)


VALIDATORS = ("fast", "pyshacl")
_compiled: dict[int, tuple[Graph, list[Check]]] = {}


def compiled(shapes: Graph) -> list[Check]:
    """The shapes' checks; compiled once for the shared shapes file, else each time
    (a caller's graph may change between calls)."""
    if not any(shapes is graph for graph in _parsed.values()):
        return compile_shapes(shapes)
    if id(shapes) not in _compiled:
        _compiled[id(shapes)] = (shapes, compile_shapes(shapes))
    return _compiled[id(shapes)][1]


def label_of(labels: Iterable[Node]) -> str:
    """One name for a node: English first, then untagged, then any; stable order."""
    ranked = sorted(
        (0 if lit.language == "en" else 1 if not lit.language else 2, str(lit))
        for lit in labels
        if isinstance(lit, Literal)
    )
    return ranked[0][1] if ranked else ""


def result_names(shapes: Graph) -> Graph:
    """A graph whose prefixes name terms as pySHACL's results graph does.

    pySHACL binds the core prefixes and the shapes' prefixes; ours go on top.
    """
    names = Graph(bind_namespaces="core")
    for prefix, ns in shapes.namespaces():
        names.bind(prefix, ns)
    for prefix, ns in PREFIXES.items():
        names.bind(prefix, ns)
    return names


def shape_name(names: Graph, shapes: Graph, shape: Node) -> str:
    """A shape's short name; a blank property shape goes by its node shape."""
    named = shape
    if not isinstance(named, URIRef):
        named = next((s for s in shapes.subjects(SH.property, named)), named)
    return short(names, named) if isinstance(named, URIRef) else "(anonymous)"


def to_violations(
    raw: Iterable[RawResult], shapes: Graph, labels: dict[Node, str]
) -> list[Violation]:
    """Name results for people, the same way whichever validator found them."""
    names = result_names(shapes)
    violations = [
        Violation(
            shape=shape_name(names, shapes, result.source_shape),
            component=short(names, result.component),
            focus=str(result.focus),
            focus_label=labels.get(result.focus, ""),
            path=short(names, result.path),
            value=short(names, result.value),
            message=result.message,
            severity=short(names, result.severity),
        )
        for result in raw
    ]
    # every field, so that results differing only in their message (a SPARQL-based
    # constraint's extra variables) come out in one order whatever the engine
    violations.sort(
        key=lambda v: (
            v.shape,
            v.focus,
            v.path,
            v.component,
            v.value,
            v.message,
            v.severity,
        )
    )
    return violations


def validate(
    data: Graph | None,
    shapes: Graph | None = None,
    with_ontology: bool = True,
    validator: str = "fast",
    store: ox.Store | None = None,
) -> Report:
    """Validate `data` (never mutated) and return a readable report.

    `store` is an Oxigraph store already holding the same data (in any named
    graphs), which the fast validator then queries instead of copying `data`;
    `data` may then be None, and is read from the store if pySHACL needs it.

    `with_ontology=False` is for data that already contains the ontology. The
    `fast` validator compiles the shapes to SPARQL run on Oxigraph and reports what
    pySHACL reports; shapes it cannot compile fall back to pySHACL, named in
    `Report.validator`.
    """
    if validator not in VALIDATORS:
        raise ValueError(f"validator must be one of {', '.join(VALIDATORS)}")
    if data is None:
        if store is None:
            raise ValueError("validate needs the data as a graph or a store")
        if validator == "pyshacl":
            data = graph_of(store)
    shapes = shapes if shapes is not None else read_only(SHAPES)
    ontology = read_only(ONTOLOGY) if with_ontology else None
    if validator == "fast":
        try:
            checks = compiled(shapes)
        except UnsupportedShape as exc:
            data = data if data is not None else graph_of(store)  # type: ignore[arg-type]
            report = validate_pyshacl(data, shapes, ontology)
            report.validator = f"pyshacl (fast cannot compile: {exc})"
            return report
        if store is None:
            graphs = [data] if ontology is None else [data, ontology]
            store = store_from_graph(*graphs)
        elif ontology is not None:
            raise ValueError("a given store must hold the ontology already")
        return validate_store(store, shapes, checks)
    assert data is not None
    return validate_pyshacl(data, shapes, ontology)


def graph_of(store: ox.Store) -> Graph:
    """Every triple of every graph in the store, as one rdflib graph."""
    graph = Graph()
    for quad in store:
        triple = (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object))
        graph.add(triple)  # type: ignore[arg-type]
    return graph


def validate_store(
    store: ox.Store, shapes: Graph | None = None, checks: list[Check] | None = None
) -> Report:
    """Validate an Oxigraph store whose union graph holds data and ontology."""
    shapes = shapes if shapes is not None else read_only(SHAPES)
    checks = checks if checks is not None else compiled(shapes)
    raw = run_checks(store, checks)
    labels = store_labels(store, {r.focus for r in raw})
    return Report(not raw, to_violations(raw, shapes, labels), "fast")


def store_labels(store: ox.Store, nodes: Iterable[Node]) -> dict[Node, str]:
    iris = sorted(n for n in nodes if isinstance(n, URIRef))
    if not iris:
        return {}
    values = " ".join(f"<{n}>" for n in iris)
    query = (
        f"SELECT DISTINCT ?node ?label WHERE {{ VALUES ?node {{ {values} }} "
        f"?node <{RDFS.label}> ?label }}"
    )
    found: dict[Node, list[Node]] = defaultdict(list)
    for row in store.query(query, use_default_graph_as_union=True):
        found[from_ox(row["node"])].append(from_ox(row["label"]))  # type: ignore[index]
    return {node: label_of(labels) for node, labels in found.items()}


def validate_pyshacl(data: Graph, shapes: Graph, ontology: Graph | None) -> Report:
    """pySHACL over the data (with the ontology mixed in), node by node."""
    import pyshacl  # imported here: it takes a third of a second

    if ontology is not None:
        mixed = Graph()
        for triple in data:
            mixed.add(triple)
        for triple in ontology:
            mixed.add(triple)
        data = mixed
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_warnings=False,
    )
    raw = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        raw.append(
            RawResult(
                focus=results.value(result, SH.focusNode),  # type: ignore[arg-type]
                source_shape=results.value(result, SH.sourceShape),  # type: ignore[arg-type]
                component=results.value(result, SH.sourceConstraintComponent),  # type: ignore[arg-type]
                path=results.value(result, SH.resultPath),
                value=results.value(result, SH.value),
                message=str(results.value(result, SH.resultMessage) or ""),
                severity=results.value(result, SH.resultSeverity),  # type: ignore[arg-type]
            )
        )
    labels = {
        r.focus: label_of(data.objects(r.focus, RDFS.label))
        for r in raw
        if r.focus is not None
    }
    return Report(bool(conforms), to_violations(raw, shapes, labels), "pyshacl")
