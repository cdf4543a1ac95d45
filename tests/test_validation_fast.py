"""The fast validator reports exactly what pySHACL reports, on the same data.

pySHACL is the reference: every test here runs both validators on one graph and
compares the whole reports (shape, component, focus, path, value, message, severity).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from typer.testing import CliRunner

from ctgraph.cli import app
from ctgraph.graph import synthetic
from ctgraph.graph.dataset import union
from ctgraph.namespaces import CTG, mint
from ctgraph.store.backends import to_ox
from ctgraph.validation.fast import UnsupportedShape, compile_shapes
from ctgraph.validation.shacl import (
    ONTOLOGY,
    Report,
    Violation,
    load_shapes,
    read_only,
    validate,
    validate_store,
)

SHAPES_DIR = Path(__file__).resolve().parent / "fixtures" / "shapes"
BASE = SHAPES_DIR / "base.ttl"
INVALID = sorted((SHAPES_DIR / "invalid").glob("*.ttl"))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def shapes_without_sparql(shapes: Graph) -> Graph:
    """The shapes minus SPARQL-based constraints, which cost pySHACL ~0.7 s a run
    (they are compared on the graph of all fixtures at once instead)."""
    reduced = Graph()
    for prefix, ns in shapes.namespaces():
        reduced.bind(prefix, ns)
    for triple in shapes:
        if triple[1] != SH.sparql:
            reduced.add(triple)
    return reduced


#: a folder keeping pySHACL's reports between test sessions (set by the mutation
#: runs, which repeat these tests once per mutant of the fast validator: pySHACL is
#: not what they change, and it is most of the time of a run)
REFERENCE_CACHE = os.environ.get("CTGRAPH_REFERENCE_CACHE")


def reference_report(name: str, graph: Graph, shapes: Graph, **options) -> Report:
    """pySHACL's report on `graph`, read from REFERENCE_CACHE under `name` if kept."""
    kept = Path(REFERENCE_CACHE, f"{name}.json") if REFERENCE_CACHE else None
    if kept is not None and kept.is_file():
        data = json.loads(kept.read_text(encoding="utf-8"))
        violations = [Violation(**v) for v in data.pop("violations")]
        return Report(violations=violations, **data)
    report = validate(graph, shapes, validator="pyshacl", **options)
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        temporary = kept.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(dataclasses.asdict(report)), encoding="utf-8")
        temporary.replace(kept)
    return report


def both(name: str, graph: Graph, shapes: Graph) -> tuple:
    reference = reference_report(name, graph, shapes)
    fast = validate(graph, shapes, validator="fast")
    assert fast.validator == "fast", fast.validator
    return reference, fast


def test_invalid_fixtures_were_collected() -> None:
    assert len(INVALID) >= 25


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_fixture_same_report(fixture: Path, shapes_without_sparql: Graph) -> None:
    graph = Graph().parse(BASE).parse(fixture)
    reference, fast = both(fixture.stem, graph, shapes_without_sparql)
    assert fast.violations == reference.violations
    assert fast.conforms == reference.conforms


def test_all_fixtures_together_same_report(shapes: Graph) -> None:
    graph = Graph().parse(BASE)
    for fixture in INVALID:
        graph.parse(fixture)
    reference, fast = both("all-fixtures", graph, shapes)
    assert len(reference.violations) >= len(INVALID)
    assert fast.violations == reference.violations
    components = {v.component for v in fast.violations}
    assert "sh:SPARQLConstraintComponent" in components


def test_base_graph_conforms_for_both(shapes: Graph) -> None:
    reference, fast = both("base", Graph().parse(BASE), shapes)
    assert reference.conforms and fast.conforms


@pytest.fixture(scope="module")
def injected(shapes: Graph) -> tuple[synthetic.Synthetic, Report]:
    """A small synthetic graph with one resource breaking each constraint kind,
    and pySHACL's report on it."""
    data = synthetic.generate(scale=0.02, seed=7, violations=1, shapes=shapes)
    merged = union(synthetic.load_dataset(data))
    return data, reference_report("injected", merged, shapes, with_ontology=False)


def test_injected_violations_same_report(injected, shapes: Graph) -> None:
    data, reference = injected
    assert not data.not_injected
    found = Counter((v.shape, v.component, v.path) for v in reference.violations)
    assert found == data.expected
    fast = validate_store(synthetic.load_store(data), shapes)
    assert fast.violations == reference.violations


def test_triples_in_two_named_graphs_count_once(shapes: Graph) -> None:
    """A fact two reports state sits in two named graphs, so Oxigraph's union
    default graph sees it twice: counts must be of values, not of rows."""
    store = ox.Store()
    for triple in Graph().parse(BASE) + read_only(ONTOLOGY):
        for name in ("urn:graph:a", "urn:graph:b"):
            store.add(ox.Quad(*map(to_ox, triple), ox.NamedNode(name)))

    def count(query: str) -> int:
        rows = store.query(query, use_default_graph_as_union=True)
        return int(next(rows)["n"].value)

    assert count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == len(store)
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT * { ?s ?p ?o } }"
    assert count(distinct) * 2 == len(store)
    report = validate_store(store, shapes)
    assert report.conforms, report.to_text()


def test_valid_synthetic_graph_conforms(shapes: Graph) -> None:
    report = validate_store(synthetic.load_store(synthetic.generate(0.2, 3)), shapes)
    assert report.conforms, report.to_text()[:2000]


def test_unsupported_feature_raises_and_validate_falls_back() -> None:
    shapes = Graph()
    shape = URIRef("urn:test:shape")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, CTG.Person))
    shapes.add((shape, SH.closed, Literal(True)))
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)
    person = mint("person", "p")
    data = Graph()
    data.add((person, RDF.type, CTG.Person))
    data.add((person, RDFS.label, Literal("P", lang="en")))
    report = validate(data, shapes)
    assert report.validator.startswith("pyshacl (fast cannot compile")
    assert not report.conforms  # closed shape: rdf:type and rdfs:label not allowed


def test_every_check_is_one_query_over_all_focus_nodes(shapes: Graph) -> None:
    checks = compile_shapes(shapes)
    kinds = synthetic.violation_kinds(shapes)
    assert kinds and len(checks) >= len(kinds)
    assert all(
        c.query.lstrip().upper().startswith(("SELECT", "PREFIX")) for c in checks
    )
    assert all("?this" in c.query for c in checks)


def test_build_validates_fast_by_default(real_build) -> None:
    assert real_build.report.validator == "fast"
    assert real_build.report.conforms, real_build.report.to_text()


@pytest.mark.parametrize("validator", ["fast", "pyshacl"])
def test_cli_validate_takes_validator(tmp_path: Path, validator: str) -> None:
    target = tmp_path / "bad.ttl"
    graph = Graph().parse(BASE).parse(SHAPES_DIR / "invalid" / "country-bad-code.ttl")
    graph.serialize(target, format="turtle")
    result = CliRunner().invoke(
        app, ["validate", str(target), "--validator", validator, "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    assert "sh:PatternConstraintComponent" in result.output


def test_cli_rejects_unknown_validator(tmp_path: Path) -> None:
    target = tmp_path / "ok.ttl"
    Graph().parse(BASE).serialize(target, format="turtle")
    result = CliRunner().invoke(app, ["validate", str(target), "--validator", "x"])
    assert result.exit_code == 2


def test_other_shacl_features_same_report() -> None:
    """Paths, targets and constraints the project's shapes do not use yet."""
    folder = Path(__file__).resolve().parent / "fixtures" / "fast"
    shapes = Graph().parse(folder / "shapes.ttl")
    data = Graph().parse(folder / "data.ttl")
    # not kept between sessions: its results name blank nodes, labelled anew each parse
    reference = validate(data, shapes, with_ontology=False, validator="pyshacl")
    fast = validate(data, shapes, with_ontology=False, validator="fast")
    assert fast.validator == "fast"
    components = {v.component for v in reference.violations}
    assert len(components) >= 12, components
    assert fast.violations == reference.violations


def test_shape_without_message_gets_one() -> None:
    shapes = Graph()
    shape = URIRef("urn:test:shape")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetNode, mint("person", "nobody")))
    shapes.add((shape, SH["class"], CTG.Person))
    report = validate(Graph(), shapes, with_ontology=False)
    [violation] = report.violations
    assert violation.message == "Class constraint not met"


def test_sparql_constraint_without_message_gets_one() -> None:
    shapes, constraint = Graph(), URIRef("urn:test:constraint")
    shape = URIRef("urn:test:shape")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetNode, mint("person", "nobody")))
    shapes.add((shape, SH.sparql, constraint))
    shapes.add((constraint, SH.select, Literal("SELECT $this WHERE { }")))
    report = validate(Graph(), shapes, with_ontology=False, validator="fast")
    assert report.validator == "fast"
    [violation] = report.violations
    assert violation.message == "SPARQL constraint not met"


def test_sparql_constraints_same_report() -> None:
    """Each way a SPARQL constraint reports a result, read as pySHACL reads it."""
    folder = Path(__file__).resolve().parent / "fixtures" / "fast"
    shapes = Graph().parse(folder / "sparql-shapes.ttl")
    data = Graph().parse(folder / "sparql-data.ttl")
    reference = reference_report("sparql", data, shapes, with_ontology=False)
    fast = validate(data, shapes, with_ontology=False, validator="fast")
    assert fast.validator == "fast"
    assert fast.violations == reference.violations
    found = {(v.shape, v.path, v.value, v.message) for v in fast.violations}
    i1, i2 = "urn:ex:i1", "urn:ex:i2"
    for expected in [
        # the focus alone: the value is the focus; extra variables fill the message
        ("ex:TwinShape", "", "ex:i1", f"{i1} has a twin {i2} (value {i1})"),
        # $PATH on a property shape; pySHACL leaves {$path} as written
        (
            "ex:CodeProperty",
            "ex:code",
            "abcd",
            f"code abcd of {i2} on {{$path}} is too long",
        ),
        # a property shape's result without ?value has none
        ("ex:TagProperty", "ex:tag", "", f"an old tag on {i1}"),
        # the query's own ?path
        (
            "ex:BadPropertyShape",
            "ex:worse",
            "2",
            f"urn:ex:worse must not be used on {i1}",
        ),
        # ?failure, returned twice, is one result
        ("ex:BrokenShape", "", "ex:i1", f"{i1} could not be checked ({{?failure}})"),
        ("ex:BrokenShape", "", "ex:i2", f"{i2} could not be checked ({{?failure}})"),
        ("ex:LabelShape", "", "labelled", f"{i2} is labelled"),
        # the shape's own message, and $currentShape
        (
            "ex:ShapeMessageShape",
            "",
            "ex:ShapeMessageShape",
            "urn:ex:i3 is checked by urn:ex:ShapeMessageShape",
        ),
        # the constraint's own prefixes
        ("ex:FlagShape", "", "ex:i3", "urn:ex:i3 is flagged"),
    ]:
        assert expected in found, sorted(found)
    warnings = {v.shape for v in fast.violations if v.severity == "sh:Warning"}
    assert warnings == {"ex:LabelShape"}
    # one result per distinct row: i1's two labels give one
    assert len(fast.violations) == 13, fast.to_text()


@pytest.mark.parametrize(
    ("select", "reason"),
    [
        ("ASK { $this ?p ?o }", "only sh:select is compiled"),
        (
            "SELECT $this WHERE { GRAPH $shapesGraph { $this ?p ?o } }",
            "$shapesGraph is not supported",
        ),
        ("SELECT $this { $this ?p ?o }", "no WHERE clause"),
    ],
    ids=["ask", "shapes-graph", "no-where"],
)
def test_sparql_constraint_not_compiled_says_why(select: str, reason: str) -> None:
    shape, constraint = URIRef("urn:test:shape"), URIRef("urn:test:constraint")
    shapes = Graph()
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, CTG.Person))
    shapes.add((shape, SH.sparql, constraint))
    verb = SH.ask if select.startswith("ASK") else SH.select
    shapes.add((constraint, verb, Literal(select)))
    with pytest.raises(UnsupportedShape) as raised:
        compile_shapes(shapes)
    assert str(raised.value) == f"{constraint}: {reason}"


SHAPES_HEAD = """@prefix ex: <urn:ex:> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
"""

#: shapes the compiler refuses, each with the start of the reason it gives
NOT_COMPILED = {
    "blank-target-node": (
        "ex:S a sh:NodeShape ; sh:targetNode [] ; sh:class ex:C .",
        "cannot name",
    ),
    "unknown-path": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . "
        "ex:P sh:path [ ex:odd ex:p ] ; sh:minCount 1 .",
        "unknown path",
    ),
    "property-without-path": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . "
        "ex:P sh:minLength 1 .",
        "urn:ex:P is referenced by sh:property but has no sh:path",
    ),
    "nested-property": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . "
        "ex:P sh:path ex:p ; sh:property ex:Q . ex:Q sh:path ex:q ; sh:minCount 1 .",
        "urn:ex:P: nested sh:property is not compiled",
    ),
    "count-without-path": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:minCount 1 .",
        "urn:ex:S: cardinality needs a property shape",
    ),
    "or-member-feature": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . "
        "ex:P sh:path ex:p ; sh:or ( [ sh:minCount 1 ] ) .",
        "sh:or member",
    ),
    "unknown-node-kind": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:nodeKind ex:Odd .",
        "unknown sh:nodeKind urn:ex:Odd",
    ),
    "other-constraint": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . "
        "ex:P sh:path ex:p ; sh:equals ex:q .",
        "urn:ex:P: http://www.w3.org/ns/shacl#equals is not compiled",
    ),
}


@pytest.mark.parametrize("name", sorted(NOT_COMPILED))
def test_shapes_not_compiled_say_why(name: str) -> None:
    assert len(NOT_COMPILED) == 8
    turtle, reason = NOT_COMPILED[name]
    shapes = Graph().parse(data=SHAPES_HEAD + turtle, format="turtle")
    with pytest.raises(UnsupportedShape) as raised:
        compile_shapes(shapes)
    assert reason in str(raised.value)


def test_implicit_class_targets_and_literal_datatype_same_report() -> None:
    """A shape that is also a class targets its instances (and a subclass's);
    rdfs:Literal accepts any literal; sh:minLength 0 accepts every value."""
    shapes = Graph().parse(
        data=SHAPES_HEAD
        + """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:C a rdfs:Class , sh:NodeShape ; sh:property ex:P .
        ex:D a owl:Class , sh:NodeShape ; sh:property ex:Q .
        ex:P sh:path ex:p ; sh:datatype rdfs:Literal ; sh:minLength 0 ;
            sh:message "p is a literal" .
        ex:Q sh:path ex:q ; sh:maxLength 2 ; sh:message "q is short" .""",
        format="turtle",
    )
    data = Graph().parse(
        data="""@prefix ex: <urn:ex:> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:Sub rdfs:subClassOf ex:C .
        _:anon rdfs:subClassOf ex:C .
        ex:a a ex:C ; ex:p "x" , ex:iri .
        ex:b a ex:Sub ; ex:p 3 , ex:other .
        ex:c a ex:D ; ex:q "long" , "ok" .
        ex:z ex:p ex:notTargeted ; ex:q "not targeted" .""",
        format="turtle",
    )
    reference = validate(data, shapes, with_ontology=False, validator="pyshacl")
    fast = validate(data, shapes, with_ontology=False, validator="fast")
    assert fast.validator == "fast"
    assert fast.violations == reference.violations
    assert {(v.focus, v.value) for v in fast.violations} == {
        ("urn:ex:a", "ex:iri"),
        ("urn:ex:b", "ex:other"),
        ("urn:ex:c", "long"),
    }


def test_node_kinds_empty_in_and_or_members_same_report() -> None:
    folder = Path(__file__).resolve().parent / "fixtures" / "fast"
    shapes = Graph().parse(folder / "kinds-shapes.ttl")
    data = Graph().parse(folder / "kinds-data.ttl")
    # not kept between sessions: a value is a blank node, labelled anew each parse
    reference = validate(data, shapes, with_ontology=False, validator="pyshacl")
    fast = validate(data, shapes, with_ontology=False, validator="fast")
    assert fast.validator == "fast"
    assert fast.violations == reference.violations
    [blank] = [v.value for v in fast.violations if v.focus == "urn:ex:b2"]
    found = {(v.focus, v.message, v.value) for v in fast.violations}
    assert found == {
        ("urn:ex:b1", "blank", "ex:notBlank"),
        ("urn:ex:b1", "blank", "no"),
        ("urn:ex:b1", "literal", "ex:notLiteral"),
        ("urn:ex:b1", "blank or literal", "ex:notEither"),
        ("urn:ex:b2", "IRI or literal", blank),
        ("urn:ex:b1", "nothing allowed", "ex:any"),
        ("urn:ex:b1", "one literal", ""),
        ("urn:ex:b1", "a small integer or ex:Small", "12"),
        ("urn:ex:b1", "a small integer or ex:Small", "3"),
        ("urn:ex:b1", "a small integer or ex:Small", "ex:Big"),
    }


def same_report(shapes_text: str, data_text: str) -> Report:
    """The fast report on inline shapes and data, checked against pySHACL's (not
    kept between sessions: complex paths are blank nodes, labelled anew each parse)."""
    shapes = Graph().parse(data=SHAPES_HEAD + shapes_text, format="turtle")
    data = Graph().parse(data="@prefix ex: <urn:ex:> .\n" + data_text, format="turtle")
    reference = validate(data, shapes, with_ontology=False, validator="pyshacl")
    fast = validate(data, shapes, with_ontology=False, validator="fast")
    assert fast.validator == "fast"
    assert fast.violations == reference.violations
    return fast


def test_one_or_more_and_zero_or_one_paths_same_report() -> None:
    report = same_report(
        """ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b ;
            sh:property ex:Plus , ex:Opt .
        ex:Plus sh:path [ sh:oneOrMorePath ex:next ] ; sh:class ex:Stop ;
            sh:message "every later node is a stop" .
        ex:Opt sh:path [ sh:zeroOrOnePath ex:next ] ; sh:class ex:Node ;
            sh:message "this and the next are nodes" .""",
        """ex:a a ex:Node ; ex:next ex:b . ex:b ex:next ex:c . ex:c a ex:Stop .""",
    )
    assert {(v.focus, v.value, v.message) for v in report.violations} == {
        ("urn:ex:a", "ex:b", "every later node is a stop"),
        ("urn:ex:a", "ex:b", "this and the next are nodes"),
        ("urn:ex:b", "ex:b", "this and the next are nodes"),
        ("urn:ex:b", "ex:c", "this and the next are nodes"),
    }


def test_max_and_min_count_two_same_report() -> None:
    report = same_report(
        """ex:S a sh:NodeShape ; sh:targetNode ex:x , ex:y ; sh:property ex:P , ex:Q .
        ex:P sh:path ex:p ; sh:maxCount 2 ; sh:message "two ps at most" .
        ex:Q sh:path ex:q ; sh:minCount 2 ; sh:message "two qs at least" .""",
        """ex:x ex:p 1 , 2 ; ex:q 1 . ex:y ex:p 1 , 2 , 3 ; ex:q 1 , 2 .""",
    )
    assert {(v.focus, v.message) for v in report.violations} == {
        ("urn:ex:x", "two qs at least"),
        ("urn:ex:y", "two ps at most"),
    }


def test_ill_typed_literals_same_report() -> None:
    report = same_report(
        """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property ex:D , ex:Y .
        ex:D sh:path ex:d ; sh:datatype xsd:integer ; sh:message "an integer" .
        ex:Y sh:path ex:y ; sh:datatype xsd:gYear ; sh:message "a year" .""",
        """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:x ex:d 5 , "five"^^xsd:integer ; ex:y "2017"^^xsd:gYear .""",
    )
    assert {(v.value, v.message) for v in report.violations} == {("five", "an integer")}


def test_sparql_constraints_declaring_one_prefix_two_ways_same_report() -> None:
    report = same_report(
        """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:A a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ sh:prefixes ex:PA ;
            sh:select "SELECT $this WHERE { $this v:p ?o }" ; sh:message "A" ] .
        ex:B a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ sh:prefixes ex:PB ;
            sh:select "SELECT $this WHERE { $this v:p ?o }" ; sh:message "B" ] .
        ex:PA sh:declare [ sh:prefix "v" ; sh:namespace "urn:a:"^^xsd:anyURI ] .
        ex:PB sh:declare [ sh:prefix "v" ; sh:namespace "urn:b:"^^xsd:anyURI ] .""",
        """ex:x <urn:a:p> 1 .""",
    )
    assert [v.message for v in report.violations] == ["A"]


def test_min_length_of_blank_nodes_and_empty_strings_same_report() -> None:
    report = same_report(
        """ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property ex:One , ex:Zero .
        ex:One sh:path ex:l ; sh:minLength 1 ; sh:message "one character" .
        ex:Zero sh:path ex:l ; sh:minLength 0 ; sh:message "no characters" .""",
        """ex:x ex:l [ ] , "" , "a" .""",
    )
    # a blank node has no length: it fails any sh:minLength but 0
    assert sorted((v.message, v.value == "") for v in report.violations) == [
        ("one character", False),
        ("one character", True),
    ]


def test_targets_of_two_kinds_a_targeted_property_shape_and_an_untargeted_shape() -> (
    None
):
    report = same_report(
        """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:A sh:targetNode ex:n ; sh:path ex:q ; sh:minCount 3 ;
            sh:message "three qs" .
        ex:Loose a sh:NodeShape ; rdfs:seeAlso owl:Class ; sh:property ex:LP .
        ex:LP sh:path ex:q ; sh:maxCount 0 ; sh:message "no q" .
        ex:T a sh:NodeShape ; sh:targetNode ex:n ; sh:targetSubjectsOf ex:owns ;
            sh:property ex:TP .
        ex:TP sh:path ex:q ; sh:maxCount 1 ; sh:message "one q" .""",
        """ex:n ex:q 1 , 2 . ex:o ex:owns ex:x ; ex:q 1 , 2 . ex:z ex:q 1 , 2 .""",
    )
    assert {(v.focus, v.message) for v in report.violations} == {
        ("urn:ex:n", "three qs"),
        ("urn:ex:n", "one q"),
        ("urn:ex:o", "one q"),
    }
