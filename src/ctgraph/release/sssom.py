"""The resolution link sets as SSSOM tables, the mapping format of the ontology
community: one TSV per link set, its metadata as a commented YAML header.

Each row is one `skos:exactMatch` link with its justification (the external
dataset records the target for each resolution: a database cross-reference), the
method the link was matched by, and where and when it was read.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import yaml
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SKOS

from ctgraph.namespaces import CTG, ELI, ID, PAV, SEMAPV, mint

COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "mapping_justification",
    "mapping_date",
    "mapping_provider",
    "comment",
)
JUSTIFICATION = "semapv:DatabaseCrossReference"


def link_graphs(dataset: Dataset) -> list[tuple[URIRef, URIRef]]:
    """(link graph, external dataset) for every graph of links to a dataset."""
    default = dataset.default_graph
    found = []
    for graph, origin in default.subject_objects(PROV.wasDerivedFrom):
        if (origin, RDF.type, DCAT.Dataset) in default and len(dataset.graph(graph)):
            found.append((graph, origin))
    return sorted(found)


def object_prefix(targets: list[str]) -> tuple[str, str]:
    """A CURIE prefix for the link targets: their common base, named by host."""
    bases = {t.rsplit("/", 1)[0] + "/" for t in targets}
    base = min(bases, key=len) if len(bases) == 1 else ""
    if not base:
        return "", ""
    host = urlsplit(base).hostname or "target"
    return host.split(".")[0], base


def curie(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, ns in prefixes.items():
        if ns and iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def mapping_table(dataset: Dataset, graph: URIRef, origin: URIRef) -> str:
    """One link set as SSSOM TSV, rows in subject order."""
    default = dataset.default_graph
    links = sorted(dataset.graph(graph).triples((None, SKOS.exactMatch, None)))
    merged = Graph()
    for g in dataset.graphs():
        if g.identifier != graph:
            merged += g.triples((None, ELI.id_local, None))
    label, base = object_prefix([str(o) for _, _, o in links])
    prefixes = {"id": str(ID), "skos": str(SKOS), "semapv": str(SEMAPV)}
    if label:
        prefixes[label] = base
    retrieved = next(default.objects(graph, PAV.retrievedOn), None)
    method = next(default.objects(graph, CTG.matchMethod), None)
    licence = next(default.objects(origin, DCTERMS.license), None)
    name = str(graph).rsplit("/", 1)[-1]
    metadata = {
        "curie_map": prefixes,
        "mapping_set_id": str(mint("dataset", "linkset", name)),
        "mapping_set_title": str(next(default.objects(origin, DCTERMS.title), name)),
        "subject_source": str(mint("dataset")).rstrip("/"),
        "object_source": str(origin),
        "license": str(licence) if licence else None,
    }
    header = yaml.safe_dump(
        {k: v for k, v in metadata.items() if v is not None},
        sort_keys=False,
        allow_unicode=True,
    )
    out = io.StringIO()
    for line in header.splitlines():
        out.write(f"#{line}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for subject, _, target in links:
        symbol = next(merged.objects(subject, ELI.id_local), "")
        writer.writerow(
            [
                curie(str(subject), prefixes),
                str(symbol),
                "skos:exactMatch",
                curie(str(target), prefixes),
                JUSTIFICATION,
                str(retrieved)[:10] if retrieved else "",
                str(origin),
                f"matched by {method}" if method else "",
            ]
        )
    return out.getvalue()


def mapping_tables(dataset: Dataset) -> dict[str, str]:
    """File name -> SSSOM TSV, one per link set."""
    return {
        f"{str(graph).rsplit('/', 1)[-1]}.sssom.tsv": mapping_table(
            dataset, graph, origin
        )
        for graph, origin in link_graphs(dataset)
    }
