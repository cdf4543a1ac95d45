"""Import modules: the few terms ctgraph uses from each reused vocabulary.

The ontology imports W3C ORG, PROV-O, SKOS, DCTERMS, schema.org and ELI. Importing
the vocabularies themselves makes every OWL tool fetch them from the web (and some,
like schema.org, are large and not OWL 2 DL). Instead each gets a module that
declares only the terms ctgraph uses, with the OWL kind ctgraph uses them as, a label
and (where rdflib carries the vocabulary's own text) its definition, so the ontology
loads offline and stays in OWL 2 DL. The modules are generated, committed, and a
test fails when they no longer match the ontology and data.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections import defaultdict
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ctgraph.namespaces import (
    ONTOLOGY_IRI,
    VOCABULARIES,
    import_module_iri,
)

#: rdflib's copy of each vocabulary, whose source carries the terms' own comments
RDFLIB_MODULES = {
    "dcterms": "rdflib.namespace._DCTERMS",
    "org": "rdflib.namespace._ORG",
    "prov": "rdflib.namespace._PROV",
    "schema": "rdflib.namespace._SDO",
    "skos": "rdflib.namespace._SKOS",
}
#: predicates that state a class
CLASS_POSITIONS = (RDFS.subClassOf, RDFS.domain, RDFS.range, RDF.type)
OWL_KINDS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
)


def vocabulary_of(term: URIRef) -> str | None:
    """The prefix of the reused vocabulary a term belongs to, if any."""
    for prefix, ns in VOCABULARIES.items():
        if str(term).startswith(str(ns)) and len(term) > len(ns):
            return prefix
    return None


def upstream_comments(prefix: str) -> dict[str, str]:
    """Term -> the vocabulary's own comment, read from rdflib's generated module
    (`name: URIRef  # comment`); empty for a vocabulary rdflib does not carry."""
    name = RDFLIB_MODULES.get(prefix)
    if name is None:
        return {}
    source = inspect.getsource(importlib.import_module(name))
    found = re.findall(r"^\s+(\w+): URIRef\s*#\s*(.+?)\s*$", source, re.MULTILINE)
    return {term: comment for term, comment in found}


def label_of(local: str) -> str:
    """A readable label from a local name: subOrganizationOf -> sub organization of."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("_", " ")
    return words if local[:1].isupper() else words.lower()


def kinds(ontology: Graph, data: Graph) -> dict[URIRef, URIRef]:
    """Every reused term ctgraph uses, with the OWL kind it is used as.

    A class is the object of rdf:type or of a subclass, domain or range statement.
    A property stating something about the ontology's own terms is an annotation
    property; otherwise it is an object property when its values are IRIs, a
    datatype property when they are literals. A property ctgraph specialises takes
    the kind of its specialisation, as OWL 2 DL requires.
    """
    schema_terms = {ONTOLOGY_IRI} | {
        s for kind in OWL_KINDS for s in ontology.subjects(RDF.type, kind)
    }
    found: dict[URIRef, URIRef] = {}
    values: dict[URIRef, set[bool]] = defaultdict(set)
    annotates: set[URIRef] = set()
    for graph in (ontology, data):
        for s, p, o in graph:
            if p in CLASS_POSITIONS and isinstance(o, URIRef) and vocabulary_of(o):
                found[o] = OWL.Class
            if not vocabulary_of(p):
                continue
            values[p].add(isinstance(o, Literal))
            if graph is ontology and s in schema_terms:
                annotates.add(p)
    for p, kinds_seen in values.items():
        if p in annotates or len(kinds_seen) > 1:
            found[p] = OWL.AnnotationProperty
        else:
            found[p] = (
                OWL.DatatypeProperty if True in kinds_seen else OWL.ObjectProperty
            )
    for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
        if vocabulary_of(sup):
            own = next(
                (k for k in ontology.objects(sub, RDF.type) if k in OWL_KINDS), None
            )
            if own is not None:
                found[sup] = own
    return found


def import_modules(ontology: Graph, data: Graph) -> dict[str, Graph]:
    """One module per reused vocabulary, holding only the terms ctgraph uses."""
    modules: dict[str, Graph] = {}
    for term, kind in sorted(kinds(ontology, data).items()):
        prefix = vocabulary_of(term)
        if prefix is None or isinstance(term, BNode):
            continue
        if prefix not in modules:
            module = modules[prefix] = Graph()
            iri = import_module_iri(prefix)
            module.add((iri, RDF.type, OWL.Ontology))
            module.add(
                (
                    iri,
                    RDFS.label,
                    Literal(f"ctgraph import module: {prefix}", lang="en"),
                )
            )
            module.add(
                (
                    iri,
                    RDFS.comment,
                    Literal(
                        f"The terms of {VOCABULARIES[prefix]} that the ctgraph "
                        "ontology and data use, declared as the OWL kind ctgraph uses "
                        "them as; "
                        "generated by `ctgraph ontology imports`.",
                        lang="en",
                    ),
                )
            )
        module = modules[prefix]
        local = str(term)[len(str(VOCABULARIES[prefix])) :]
        module.add((term, RDF.type, kind))
        module.add((term, RDFS.label, Literal(label_of(local), lang="en")))
        module.add((term, RDFS.isDefinedBy, URIRef(str(VOCABULARIES[prefix]))))
        comment = upstream_comments(prefix).get(local)
        if comment:
            module.add((term, RDFS.comment, Literal(comment, lang="en")))
    for module in modules.values():
        for prefix, ns in VOCABULARIES.items():
            module.bind(prefix, ns)
    return modules


CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:1.0:catalog"
CATALOG_ENTRY = '    <uri id="ctgraph" name="{iri}" uri="imports/{prefix}.ttl"/>'


def catalog(prefixes: list[str]) -> str:
    """An OASIS XML catalog mapping each module IRI to its file, as Protege reads it."""
    rows = [CATALOG_ENTRY.format(iri=import_module_iri(p), prefix=p) for p in prefixes]
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
            '<catalog prefer="public" xmlns="' + CATALOG_NS + '">',
            *rows,
            "</catalog>",
            "",
        ]
    )


def write_imports(ontology: Graph, data: Graph, folder: Path) -> list[Path]:
    """Write every module as Turtle to `folder/imports/` and the catalog beside
    them; returns the files written."""
    from ctgraph.exports import atomic_write, serialise

    modules = import_modules(ontology, data)
    written = []
    for prefix, module in sorted(modules.items()):
        path = folder / "imports" / f"{prefix}.ttl"
        atomic_write(path, serialise(module, "ttl"))
        written.append(path)
    path = folder / "catalog-v001.xml"
    atomic_write(path, catalog(sorted(modules)).encode("utf-8"))
    return [*written, path]
