"""The build's own summaries and outputs, read from its Oxigraph store, agree with
what the rdflib graphs give."""

from __future__ import annotations

from ctgraph.build import BuildResult, class_counts
from ctgraph.exports import serialise


def test_the_build_writes_what_the_graph_writers_write(
    real_build: BuildResult,
) -> None:
    written = {p.name: p.read_bytes() for p in real_build.written}
    assert sorted(written) == ["ctgraph.trig", "ctgraph.ttl"]
    assert written["ctgraph.trig"] == serialise(real_build.dataset, "trig")
    assert written["ctgraph.ttl"] == serialise(real_build.merged, "ttl")


def test_counts_from_the_store_are_those_of_the_merged_graph(
    real_build: BuildResult,
) -> None:
    counts = real_build.class_counts()
    assert counts["ctg:Project"] > 0
    assert counts == class_counts(real_build.merged)
    assert real_build.triples == len(real_build.merged)
