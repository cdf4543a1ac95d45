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
    other = mint("resolution", "s-res-2178-2014")  # a number look-up must not find it
    g.add((other, RDF.type, CTG.SecurityCouncilResolution))
    g.add((other, ELI.number, Literal(2178)))
    # the same number as A/RES/71/291: a General Assembly symbol must not find it
    early = mint("resolution", "s-res-291-1970")
    g.add((early, RDF.type, CTG.SecurityCouncilResolution))
    g.add((early, ELI.number, Literal(291)))
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


def test_a_refused_iri_says_what_an_iri_may_hold() -> None:
    with pytest.raises(UnresolvedName) as info:
        check_iri("no scheme")
    assert str(info.value) == (
        "'no scheme' is not a valid IRI: an IRI has a scheme (https:) and no "
        'spaces or any of < > " { } | \\ ^ `'
    )


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("urn:x:1", "urn:x:1"),
        ("mailto:a@example.org", "mailto:a@example.org"),
        ("https://example.org/a:b", "https://example.org/a:b"),
        ("ctg://example.org/x", "ctg://example.org/x"),
        ("id:entity/a:b", "https://w3id.org/ctgraph/id/entity/a:b"),
    ],
)
def test_full_iris_and_prefixed_names_expand_as_written(text: str, iri: str) -> None:
    assert expand(text) == check_iri(iri)


@pytest.mark.parametrize(
    "text",
    [
        "<urn:x",
        "x>",
        "ctg:",
        "URN:x:1",
        "MAILTO:a@b",
        "foo:bar",
        "http: //x",
        "urn: a:b",
        "x",
    ],
)
def test_values_that_are_not_written_as_iris_are_names(text: str) -> None:
    assert expand(text) is None


def test_a_name_with_extra_spaces_is_the_same_name_and_answers_are_kept(
    resolver: Resolver,
) -> None:
    assert resolver.resolve("entity", "  the \n centre ") == mint("entity", "centre")
    assert resolver.cache[("entity", "the centre")] == mint("entity", "centre")
    with pytest.raises(UnresolvedName) as info:
        resolver.resolve("entity", "  ")
    assert str(info.value) == (
        "empty value: expected an entity id (unodc), acronym (UNODC) or name"
    )


def test_any_kind_takes_iris_ids_and_symbols_found_in_the_graph(
    resolver: Resolver,
) -> None:
    assert resolver.resolve("any", "urn:x:1") == check_iri("urn:x:1")
    assert resolver.resolve("any", "S/RES/2396 (2017)") == mint(
        "resolution", "s-res-2396-2017"
    )
    assert resolver.resolve("any", "CENTRE") == mint("entity", "centre")
    # a council number without its year is found for "any" as for "resolution"
    assert resolver.resolve("any", "S/RES/2396") == mint(
        "resolution", "s-res-2396-2017"
    )
    # a well-formed symbol the graph does not hold is no answer for "any"
    with pytest.raises(UnresolvedName) as info:
        resolver.resolve("any", "S/RES/9999 (2020)")
    assert str(info.value).startswith("no any matches 'S/RES/9999 (2020)': give an IRI")


def test_unknown_pillars_and_id_spaces_are_not_guessed(resolver: Resolver) -> None:
    assert resolver.resolve("pillar", "pillar 4") == mint("pillar", "iv")
    with pytest.raises(UnresolvedName, match="no pillar matches 'V'"):
        resolver.resolve("pillar", "V")
    with pytest.raises(UnresolvedName, match="no any matches 'colour/centre'"):
        resolver.resolve("any", "colour/centre")


@pytest.fixture(scope="module")
def twins() -> Resolver:
    """Two entities with one name, and two with one other name and no label."""
    ds = Dataset()
    g = ds.graph(mint("graph", "fixture"))
    for slug in ("twin-b", "twin-a", "double-b", "double-a"):
        g.add((mint("entity", slug), RDF.type, CTG.Entity))
    for slug in ("twin-b", "twin-a"):
        g.add((mint("entity", slug), RDFS.label, Literal("Twin", lang="en")))
        g.add((mint("entity", slug), RDFS.label, Literal("孪生", lang="zh")))
    for slug in ("double-b", "double-a"):
        g.add((mint("entity", slug), SKOS.altLabel, Literal("Double")))
    return Resolver(OxigraphBackend.from_dataset(ds))


def test_a_name_shared_by_several_lists_them_in_iri_order(twins: Resolver) -> None:
    a, b = mint("entity", "twin-a"), mint("entity", "twin-b")
    with pytest.raises(UnresolvedName) as info:
        twins.resolve("entity", "twin")
    assert str(info.value) == (
        f"'twin' matches 2 of kind entity: Twin <{a}>; Twin <{b}>. "
        "Give an id or the full IRI."
    )
    a, b = mint("entity", "double-a"), mint("entity", "double-b")
    with pytest.raises(UnresolvedName) as info:
        twins.resolve("entity", "DOUBLE")
    assert str(info.value) == (
        f"'DOUBLE' matches 2 of kind entity: <{a}>; <{b}>. Give an id or the full IRI."
    )


def test_a_country_no_standard_knows_is_refused_with_the_hint(
    resolver: Resolver,
) -> None:
    with pytest.raises(UnresolvedName) as info:
        resolver.resolve("country", "Atlantis")
    assert str(info.value) == (
        "no country matches 'Atlantis': give a country name (Qatar) or ISO 3166-1 "
        "code (QAT, QA)"
    )
