"""Natural values to IRIs: what each kind of name resolves to, and what is refused."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from ctgraph.namespaces import CTG, ELI, mint
from ctgraph.queries.lookup import Resolver, UnresolvedName, check_iri, expand
from ctgraph.store.backends import OxigraphBackend, RdflibBackend


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def resolver(request: pytest.FixtureRequest) -> Resolver:
    """A small graph where an acronym, a name and another name compete."""
    ds = Dataset()
    g = ds.graph(mint("graph", "fixture"))
    office, centre = mint("entity", "office"), mint("entity", "centre")
    g.add((office, RDF.type, CTG.UNEntity))
    g.add((office, RDFS.label, Literal("Office", lang="en")))
    g.add((office, CTG.acronym, Literal("OC")))
    g.add((centre, RDF.type, CTG.Unit))
    g.add((centre, RDFS.label, Literal("OC", lang="en")))  # a name equal to an acronym
    g.add((centre, SKOS.altLabel, Literal("The Centre", lang="en")))
    council = mint("resolution", "s-res-2396-2017")
    g.add((council, RDF.type, CTG.SecurityCouncilResolution))
    g.add((council, ELI.id_local, Literal("S/RES/2396 (2017)")))
    g.add((council, ELI.number, Literal(2396)))
    ontology = ds.graph(mint("graph", "ontology"))
    for cls in (CTG.UNEntity, CTG.Unit):
        ontology.add((cls, RDFS.subClassOf, CTG.Entity))
    ontology.add((CTG.SecurityCouncilResolution, RDFS.subClassOf, CTG.Resolution))
    backend = (
        OxigraphBackend.from_dataset(ds)
        if request.param == "oxigraph"
        else RdflibBackend(ds)
    )
    return Resolver(backend)


def test_iris_and_prefixed_names_pass_through() -> None:
    assert expand("id:entity/unodc") == mint("entity", "unodc")
    assert expand("ctg:Chair") == CTG.Chair
    assert expand("<https://example.org/x>") == check_iri("https://example.org/x")
    assert expand("UNODC") is None and expand("S/RES/2396 (2017)") is None


@pytest.mark.parametrize(
    "text",
    ["https://example.org/a b", "https://example.org/<x>", 'https://x/"', "<urn:a{b}>"],
)
def test_iris_with_forbidden_characters_are_refused(text: str) -> None:
    with pytest.raises(UnresolvedName, match="not a valid IRI"):
        expand(text)


def test_an_acronym_beats_a_name_and_a_name_beats_another_name(
    resolver: Resolver,
) -> None:
    assert resolver.resolve("entity", "oc") == mint("entity", "office")
    assert resolver.resolve("entity", "the centre") == mint("entity", "centre")
    assert resolver.resolve("entity", "Office") == mint("entity", "office")


def test_ids_and_kind_paths(resolver: Resolver) -> None:
    assert resolver.resolve("entity", "centre") == mint("entity", "centre")
    assert resolver.resolve("any", "entity/centre") == mint("entity", "centre")
    with pytest.raises(UnresolvedName, match="no group matches 'centre'"):
        resolver.resolve("group", "centre")


def test_standard_names_need_no_report(resolver: Resolver) -> None:
    for text in ("Türkiye", "TUR", "tr", "792"):
        assert resolver.resolve("country", text) == mint("country", "tur")
    for text in ("II", "2", "Pillar II", "ii"):
        assert resolver.resolve("pillar", text) == mint("pillar", "ii")
    assert resolver.resolve("resolution", "A/RES/71/291") == mint(
        "resolution", "a-res-71-291"
    )


def test_a_council_resolution_without_its_year_is_found_by_number(
    resolver: Resolver,
) -> None:
    assert resolver.resolve("resolution", "S/RES/2396") == mint(
        "resolution", "s-res-2396-2017"
    )


@pytest.mark.parametrize("text", ['x" } ; DROP ALL ; #', "> } UNION { ?s ?p ?o", ""])
def test_hostile_or_empty_names_match_nothing(resolver: Resolver, text: str) -> None:
    with pytest.raises(UnresolvedName, match="entity"):
        resolver.resolve("entity", text)
