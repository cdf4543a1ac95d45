"""The mapping: named graphs per report, provenance per row, stable IRIs."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS

from ctgraph.build import BuildResult
from ctgraph.namespaces import (
    CTG,
    DERIVED_GRAPH,
    DESCRIPTION_GRAPH,
    DISCREPANCIES_GRAPH,
    REGIONS_GRAPH,
    RESOLUTIONS_GRAPH,
    graph_iri,
    mint,
    report_iri,
)


def test_one_named_graph_per_source_report(real_build: BuildResult) -> None:
    names = {g.identifier for g in real_build.dataset.graphs() if len(g)}
    assert graph_iri("compact-review-2024-01") in names
    described = real_build.dataset.default_graph
    # graphs computed from the others (resolutions, discrepancies, the description)
    # or from outside the reports (countries, the regions' countries), and the
    # facts the rules of queries/rules/ derive
    derived = {
        DERIVED_GRAPH,
        mint("graph", "reference"),
        REGIONS_GRAPH,
        RESOLUTIONS_GRAPH,
        DISCREPANCIES_GRAPH,
        DESCRIPTION_GRAPH,
    }
    for name in names - derived:
        if "/id/graph/" in name and "/id/graph/links-" not in name:
            assert (name, PROV.hadPrimarySource, None) in described


def test_every_row_resource_cites_a_locator(real_build: BuildResult) -> None:
    g = real_build.merged
    membership = mint("membership", "compact-wg-3", "interpol", "chair", "2024-02")
    citation = g.value(membership, PROV.wasDerivedFrom)
    assert g.value(citation, CTG.locator) == Literal("line 255")
    assert g.value(citation, PROV.hadPrimarySource) == report_iri(
        "compact-review-2024-01"
    )


def test_2024_working_group_leadership(real_build: BuildResult) -> None:
    g = real_build.merged
    roles: dict[str, set[tuple[str, str]]] = {}
    for m in g.subjects(RDF.type, ORG.Membership):
        group = g.value(m, ORG.organization)
        if not str(group).endswith(tuple(f"compact-wg-{n}" for n in range(1, 9))):
            continue
        entity = str(g.value(m, ORG.member)).rsplit("/", 1)[-1]
        role = str(g.value(m, ORG.role)).rsplit("#", 1)[-1]
        roles.setdefault(str(group).rsplit("-", 1)[-1], set()).add((role, entity))
    assert len(roles) == 8
    assert roles["3"] == {
        ("Chair", "interpol"),
        ("ViceChair", "unoda"),
        ("ViceChair", "unicri"),
        ("ViceChair", "opcw"),
    }
    assert roles["2"] == {
        ("Chair", "cted"),
        ("CoChair", "wco"),
        ("ViceChair", "interpol"),
        ("ViceChair", "unodc"),
    }
    assert roles["5"] == {("Chair", "unoct"), ("CoChair", "cted"), ("CoChair", "unodc")}


def test_iris_are_readable_slugs(real_build: BuildResult) -> None:
    g = real_build.merged
    unodc = URIRef("https://w3id.org/ctgraph/id/entity/unodc")
    labels = g.objects(unodc, RDFS.label)
    english = {label for label in labels if label.language == "en"}
    assert english == {Literal("United Nations Office on Drugs and Crime", lang="en")}
    subjects = set(g.subjects())
    assert not [s for s in subjects if not isinstance(s, URIRef)], "no blank nodes"


def test_the_graph_conforms(real_build: BuildResult) -> None:
    assert real_build.report.conforms, real_build.report.to_text()


def test_the_build_times_each_stage(real_build: BuildResult) -> None:
    """The benchmark's breakdown: every stage that ran, none twice, adding up to
    the build's time (the rest is bookkeeping)."""
    stages = real_build.stages
    assert list(stages)[:2] == ["read the tables", "rdflib Dataset from the tables"]
    assert {"copy to Oxigraph", "validation", "TriG", "Turtle"} <= set(stages)
    assert all(seconds >= 0 for seconds in stages.values())
    assert sum(stages.values()) <= real_build.seconds
    assert sum(stages.values()) > 0.9 * real_build.seconds
