"""The one result path of the web layer: query outcomes to tables, files and RDF.

Every page and download goes through here, so a stored query's CSV is the CLI's CSV
(`ctgraph.queries.results`), and the SPARQL endpoint's formats follow the SPARQL 1.1
result format specifications. IRIs become links: the graph's own IRIs map to this
server's paths (`https://w3id.org/ctgraph/id/entity/unodc` -> `/id/entity/unodc`),
so a w3id redirect can point at a deployment.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

from ctgraph.namespaces import BASE, CTG, ELI, ID, PREFIXES, SPARQL_RESULTS
from ctgraph.queries.results import compact, to_delimited, to_json
from ctgraph.store.backends import ResultTable

ONTOLOGY_NS = str(CTG._NS)
ONTOLOGY_DOC = BASE + "ontology"

#: media type -> rdflib serializer name, for RDF answers
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "application/rdf+xml": "xml",
}
#: formats that can hold named graphs
QUAD_FORMATS = {"application/trig", "application/n-quads", "application/ld+json"}
EXTENSIONS = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/trig": "trig",
    "application/n-quads": "nq",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: label properties, most preferred first
LABEL_PROPERTIES = (
    RDFS.label,
    SKOS.prefLabel,
    DCTERMS.title,
    CTG.acronym,
    ELI.id_local,
)


def local_path(iri: str) -> str | None:
    """This server's path for one of the graph's IRIs, None for any other IRI."""
    if iri.startswith(str(ID)) and len(iri) > len(str(ID)):
        return "/id/" + iri[len(str(ID)) :]
    if iri.startswith(ONTOLOGY_NS) and len(iri) > len(ONTOLOGY_NS):
        return "/ontology/" + iri[len(ONTOLOGY_NS) :]
    if iri == ONTOLOGY_DOC:
        return "/ontology"
    return None


def iri_of_path(path: str) -> URIRef:
    """The graph's IRI for one of this server's resource paths (inverse of above)."""
    if path == "/ontology":
        return URIRef(ONTOLOGY_DOC)
    if path.startswith("/ontology/"):
        return URIRef(ONTOLOGY_NS + path[len("/ontology/") :])
    return URIRef(str(ID) + path[len("/id/") :])


def href(term: Node) -> str | None:
    """Where a term links to: its page here, or the IRI itself when outside."""
    if not isinstance(term, URIRef):
        return None
    return local_path(str(term)) or str(term)


def pick_label(labels: Sequence[tuple[URIRef, Literal]]) -> str | None:
    """The best label: by property order, English first, then any language."""

    def rank(item: tuple[URIRef, Literal]) -> tuple[int, int]:
        prop, value = item
        order = LABEL_PROPERTIES.index(prop) if prop in LABEL_PROPERTIES else 99
        lang = value.language if isinstance(value, Literal) else None
        return (0 if lang in (None, "en") else 1, order)

    if not labels:
        return None
    return str(min(labels, key=rank)[1])


@dataclass(frozen=True)
class Cell:
    """One value as a page shows it: text, an optional link, small print."""

    text: str
    link: str | None = None
    note: str = ""
    iri: str = ""


def cell(term: Node | None, labels: dict[str, str]) -> Cell:
    if term is None:
        return Cell("")
    if isinstance(term, URIRef):
        name = compact(term)
        label = labels.get(str(term))
        if label:
            return Cell(label, href(term), name, str(term))
        return Cell(name, href(term), "", str(term))
    if isinstance(term, Literal):
        if term.language:
            return Cell(str(term), note=f"@{term.language}")
        if term.datatype is not None:
            return Cell(str(term), note=compact(term.datatype))
        return Cell(str(term))
    return Cell(f"_:{term}")


def iris_in(rows: Iterable[Sequence[Node | None]]) -> set[URIRef]:
    return {v for row in rows for v in row if isinstance(v, URIRef)}


# --- files ---------------------------------------------------------------------


def sparql_json(table: ResultTable) -> str:
    return to_json(table)


def boolean_json(value: bool) -> str:
    return json.dumps({"head": {}, "boolean": value}) + "\n"


def xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attrs = ""
    if isinstance(term, Literal) and term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif isinstance(term, Literal) and term.datatype is not None:
        attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def sparql_xml(table: ResultTable | None, boolean: bool | None = None) -> str:
    """SPARQL Query Results XML Format, for a SELECT table or an ASK answer."""
    out = ['<?xml version="1.0"?>', f'<sparql xmlns="{SPARQL_RESULTS}">', "<head>"]
    if table is not None:
        out += [f"<variable name={quoteattr(c)}/>" for c in table.columns]
    out.append("</head>")
    if table is None:
        out.append(f"<boolean>{'true' if boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in table.rows:
            out.append("<result>")
            for column, value in zip(table.columns, row, strict=True):
                if value is not None:
                    out.append(
                        f"<binding name={quoteattr(column)}>{xml_term(value)}</binding>"
                    )
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def sparql_csv(table: ResultTable) -> str:
    """SPARQL 1.1 CSV: plain values (the CLI's `--format csv`)."""
    return to_delimited(table, ",").replace("\n", "\r\n")


def sparql_tsv(table: ResultTable) -> str:
    """SPARQL 1.1 TSV: `?var` headers and terms in Turtle/N-Triples syntax."""
    lines = ["\t".join("?" + c for c in table.columns)]
    for row in table.rows:
        lines.append("\t".join("" if v is None else v.n3() for v in row))
    return "\n".join(lines) + "\n"


def json_value(term: Node | None) -> object:
    """A term for the JSON API: numbers as numbers, IRIs and other literals as text."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
    return str(term)


def rdf(quads: Iterable[tuple[Node, Node, Node, Node | None]], media: str) -> str:
    """Triples (with their graphs where the format holds graphs) in an RDF format."""
    if media in QUAD_FORMATS:
        dataset = Dataset()
        for prefix, ns in PREFIXES.items():
            dataset.bind(prefix, ns)
        for s, p, o, g in quads:
            target = dataset.graph(g) if g is not None else dataset.default_graph
            target.add((s, p, o))
        return dataset.serialize(format=RDF_FORMATS[media])
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for s, p, o, _ in quads:
        graph.add((s, p, o))
    return graph.serialize(format=RDF_FORMATS[media])


def api_document(name: str, table: ResultTable, truncated: bool) -> dict:
    return {
        "query": name,
        "columns": table.columns,
        "rows": [
            {c: json_value(v) for c, v in zip(table.columns, row, strict=True)}
            for row in table.rows
        ],
        "truncated": truncated,
    }
