"""Import modules: committed, current, and enough for an OWL tool to type every
reused term the ontology uses, each with one kind."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ctgraph import build as pipeline
from ctgraph.namespaces import import_module_iri
from ctgraph.release.imports import (
    CATALOG_NS,
    import_modules,
    kinds,
    label_of,
    upstream_comments,
    vocabulary_of,
)
from ctgraph.validation.shacl import ONTOLOGY, load_ontology

FOLDER = ONTOLOGY.parent


def test_committed_modules_match_what_the_command_generates(
    real_build: pipeline.BuildResult,
) -> None:
    modules = import_modules(load_ontology(), real_build.merged)
    assert sorted(modules) == ["dcterms", "eli", "org", "prov", "schema", "skos"]
    for prefix, module in modules.items():
        committed = Graph().parse(FOLDER / "imports" / f"{prefix}.ttl")
        assert set(committed) == set(module), (
            f"ontology/imports/{prefix}.ttl is stale: run `ctgraph ontology imports`"
        )


def test_ontology_imports_each_module_and_the_catalog_maps_it() -> None:
    ontology = load_ontology()
    imports = set(ontology.objects(None, OWL.imports))
    expected = {
        import_module_iri(p)
        for p in ["dcterms", "eli", "org", "prov", "schema", "skos"]
    }
    assert imports == expected
    catalog = ET.parse(FOLDER / "catalog-v001.xml").getroot()
    mapped = {
        URIRef(e.get("name")): e.get("uri")
        for e in catalog.iter(f"{{{CATALOG_NS}}}uri")
    }
    assert mapped and set(mapped) == imports
    assert all((FOLDER / uri).is_file() for uri in mapped.values())


def test_every_reused_term_of_the_ontology_is_declared_once_with_a_label() -> None:
    ontology = load_ontology()
    declared = Graph()
    for path in (FOLDER / "imports").glob("*.ttl"):
        declared.parse(path)
    used = {
        t
        for triple in ontology
        for t in triple
        if isinstance(t, URIRef) and vocabulary_of(t)
    }
    assert len(used) > 20
    for term in used:
        types = set(declared.objects(term, RDF.type))
        assert len(types) == 1, (term, types)
        assert declared.value(term, RDFS.label) is not None, term


def test_a_specialised_property_takes_its_specialisations_kind() -> None:
    found = kinds(load_ontology(), Graph())
    # ctg:acronym is a datatype property under skos:altLabel; ctg:pillar an object
    # property under dcterms:subject: OWL 2 DL needs the parents of the same kind
    assert (
        found[URIRef("http://www.w3.org/2004/02/skos/core#altLabel")]
        == OWL.DatatypeProperty
    )
    assert found[URIRef("http://purl.org/dc/terms/subject")] == OWL.ObjectProperty
    assert found[URIRef("http://www.w3.org/2004/02/skos/core#definition")] == (
        OWL.AnnotationProperty
    )


def test_labels_and_upstream_comments() -> None:
    assert label_of("subOrganizationOf") == "sub organization of"
    assert label_of("OrganizationalUnit") == "Organizational Unit"
    assert "hierarchical containment" in upstream_comments("org")["subOrganizationOf"]
    assert upstream_comments("eli") == {}
