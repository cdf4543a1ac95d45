"""Wherever a label is chosen for display, it is the English one."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ctgraph.namespaces import CTG, mint
from ctgraph.queries.library import KnowledgeGraph, load_queries
from ctgraph.queries.lookup import Resolver, UnresolvedName
from ctgraph.store.backends import OxigraphBackend

QUERIES = sorted(load_queries().values(), key=lambda q: q.name)


def test_an_ambiguous_name_lists_the_english_labels() -> None:
    dataset = Dataset()
    graph = dataset.graph(URIRef("urn:x:graph"))
    for slug, en, zh in (("a", "Alpha Office", "阿尔法"), ("b", "Beta Office", "贝塔")):
        node = mint("entity", slug)
        graph.add((node, RDFS.label, Literal(zh, lang="zh")))
        graph.add((node, RDFS.label, Literal(en, lang="en")))
        graph.add((node, SKOS.altLabel, Literal("The Office", lang="en")))
        graph.add((node, RDFS.label, Literal(zh, lang="zh")))
        graph.add((node, URIRef(str(CTG.acronym)), Literal(slug.upper() + "O")))
    resolver = Resolver(OxigraphBackend.from_dataset(dataset))
    with pytest.raises(UnresolvedName) as caught:
        resolver.resolve("any", "The Office")
    message = str(caught.value)
    assert "Alpha Office" in message and "Beta Office" in message
    assert "阿尔法" not in message and "贝塔" not in message


def test_label_columns_exist_to_check() -> None:
    labelled = [q.name for q in QUERIES if "Label ?" in q.text or "Label)" in q.text]
    assert len(QUERIES) >= 25 and len(labelled) >= 10


@pytest.mark.parametrize("name", [q.name for q in QUERIES])
def test_every_label_column_holds_english_or_untagged_text(
    name: str, kg: KnowledgeGraph
) -> None:
    stored = kg.stored(name)
    result = kg.query(name, **stored.example)
    columns = [i for i, c in enumerate(result.columns) if c.lower().endswith("label")]
    for row in result.rows:
        for i in columns:
            value = row[i]
            if isinstance(value, Literal) and value.language:
                assert value.language == "en", (name, result.columns[i], value)


def test_entity_profile_names_values_in_english(kg: KnowledgeGraph) -> None:
    rows = kg.query("entity-profile", entity="UNODC").dicts()
    labels = [r["valueLabel"] for r in rows if r["valueLabel"] is not None]
    assert len(labels) >= 5
    assert all(label.language in (None, "en") for label in labels)
    names = {str(r["value"]) for r in rows if str(r["aspect"]) == "name"}
    assert "United Nations Office on Drugs and Crime" in names
