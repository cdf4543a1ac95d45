"""The dataset's VoID + DCAT description: in its own graph, counted from the data."""

from __future__ import annotations

from importlib.metadata import version

from rdflib import Literal, URIRef
from rdflib import namespace as vocab
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, VOID

from ctgraph import build as pipeline
from ctgraph.exports import FORMATS
from ctgraph.namespaces import CC_BY_4, CTG, DATASET_IRI, DESCRIPTION_GRAPH, links_graph
from ctgraph.release.description import describe, distribution_iri, release_date


def test_build_puts_the_description_in_its_own_graph(
    real_build: pipeline.BuildResult,
) -> None:
    d = real_build.dataset.graph(DESCRIPTION_GRAPH)
    me = DATASET_IRI
    assert {VOID.Dataset, vocab.DCAT.Dataset} <= set(d.objects(me, RDF.type))
    assert d.value(me, DCTERMS.license) == CC_BY_4
    assert d.value(me, OWL.versionInfo) == Literal(version("ctgraph"))
    assert d.value(me, DCTERMS.title) is not None
    assert d.value(me, DCTERMS.issued) == Literal(
        release_date(version("ctgraph")), datatype=vocab.XSD.date
    )
    reports = set(d.objects(me, PROV.wasDerivedFrom))
    assert len(reports) == 5
    assert all(d.value(r, DCTERMS.date) is not None for r in reports)


def test_counts_come_from_the_data(real_build: pipeline.BuildResult) -> None:
    dataset = real_build.dataset
    d = dataset.graph(DESCRIPTION_GRAPH)
    data = {t for g in dataset.graphs() if g.identifier != DESCRIPTION_GRAPH for t in g}
    assert d.value(DATASET_IRI, VOID.triples).toPython() == len(data)
    projects = {s for s, p, o in data if p == RDF.type and o == CTG.Project}
    (part,) = d.subjects(VOID["class"], CTG.Project)
    assert d.value(part, VOID.entities).toPython() == len(projects) == 331
    (linkset,) = d.subjects(RDF.type, VOID.Linkset)
    links = dataset.graph(links_graph("cr-unsc"))
    assert d.value(linkset, VOID.triples).toPython() == len(links) == 37
    assert d.value(linkset, VOID.target) == URIRef(
        "https://doi.org/10.5281/zenodo.7319780"
    )


def test_every_distribution_has_a_media_type_and_a_download_url(
    real_build: pipeline.BuildResult,
) -> None:
    d = real_build.dataset.graph(DESCRIPTION_GRAPH)
    dists = set(d.objects(DATASET_IRI, vocab.DCAT.distribution))
    assert dists == {distribution_iri(f) for f in [*FORMATS, "xlsx"]}
    for dist in dists:
        assert d.value(dist, vocab.DCAT.mediaType) is not None
        assert d.value(dist, vocab.DCAT.downloadURL) is not None
        assert d.value(dist, vocab.DCAT.byteSize) is None  # sizes come with a release


def test_sizes_and_endpoint_when_given(real_build: pipeline.BuildResult) -> None:
    d = describe(real_build.dataset, {"ttl": 123}, "http://127.0.0.1:7878/query")
    assert d.value(distribution_iri("ttl"), vocab.DCAT.byteSize).toPython() == 123
    assert d.value(DATASET_IRI, VOID.sparqlEndpoint) == URIRef(
        "http://127.0.0.1:7878/query"
    )


def test_versions_agree_across_ontology_citation_and_changelog() -> None:
    from ctgraph.namespaces import ONTOLOGY_IRI, version_iri
    from ctgraph.paths import REPO as ROOT
    from ctgraph.validation.shacl import load_ontology

    current = version("ctgraph")
    ontology = load_ontology()
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal(current)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == version_iri(current)
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{current}"' in citation
    assert f'date-released: "{release_date(current)}"' in citation
