"""The synthetic graph: deterministic, shaped like the real data, scaled, and with
exactly the violations it says it injected."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Dataset
from rdflib.namespace import RDF, SH

from ctgraph.graph import synthetic
from ctgraph.namespaces import CTG, ONTOLOGY_IRI, graph_iri
from ctgraph.validation.shacl import load_shapes, validate_store


@pytest.fixture(scope="module")
def small() -> synthetic.Synthetic:
    return synthetic.generate(scale=0.1, seed=1)


def test_same_seed_same_bytes_other_seed_other_bytes(small) -> None:
    again = synthetic.generate(scale=0.1, seed=1)
    other = synthetic.generate(scale=0.1, seed=2)
    assert again.nquads == small.nquads
    assert other.nquads != small.nquads


def test_scale_multiplies_the_tables() -> None:
    one, ten = synthetic.generate(0.1, 0), synthetic.generate(1, 0)
    for kind in ("project", "event", "membership", "resolution", "observation"):
        assert 7 <= ten.counts[kind] / one.counts[kind] <= 13, kind
    assert ten.counts["project"] == synthetic.BASE_COUNTS["projects"]


def test_quads_are_valid_nquads_with_a_graph_per_source(small) -> None:
    dataset = synthetic.load_dataset(small)
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    sources = max(2, round(synthetic.BASE_COUNTS["sources"] * 0.1))
    for i in range(sources):
        assert str(graph_iri(f"synthetic-report-{i}")) in graphs
    assert str(ONTOLOGY_IRI) in graphs
    assert sum(len(g) for g in dataset.graphs()) == small.quads


def test_has_every_kind_of_resource_the_real_data_has(small) -> None:
    dataset: Dataset = synthetic.load_dataset(small)
    types = Counter(o for _, _, o, _ in dataset.quads((None, RDF.type, None, None)))
    for cls in (
        CTG.UNEntity,
        CTG.MemberState,
        CTG.CoordinationFramework,
        CTG.WorkingGroup,
        CTG.Project,
        CTG.Event,
        CTG.SecurityCouncilResolution,
        CTG.Citation,
        CTG.SourceReport,
        CTG.Country,
        CTG.Observation,
    ):
        assert types[cls] > 0, cls


def test_valid_variant_conforms(small) -> None:
    report = validate_store(synthetic.load_store(small))
    assert report.conforms, report.to_text()[:2000]


def test_every_constraint_of_the_shapes_is_a_kind() -> None:
    shapes = load_shapes()
    kinds = synthetic.violation_kinds(shapes)
    components = {k.component for k in kinds}
    used = {
        p for p in shapes.predicates() if p in synthetic.INJECTABLE or p == SH.sparql
    }
    assert components == {
        synthetic.INJECTABLE.get(p, SH.SPARQLConstraintComponent) for p in used
    }
    assert len(kinds) > 100


@pytest.mark.parametrize("per_kind", [1, 2])
def test_injected_counts_are_what_the_fast_validator_finds(per_kind: int) -> None:
    data = synthetic.generate(scale=0.05, seed=5, violations=per_kind)
    assert not data.not_injected
    kinds = synthetic.violation_kinds(load_shapes())
    assert sum(data.expected.values()) == per_kind * len(kinds)
    report = validate_store(synthetic.load_store(data))
    found = Counter((v.shape, v.component, v.path) for v in report.violations)
    assert found == data.expected
