"""The derivation rules (queries/rules/): each rule's output on a small fixture
worked out by hand, the rules in the build (the derived graph, its provenance, its
validation), and the queries reading derived facts giving the rows their former
inline forms gave on the real build."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, URIRef
from rdflib.namespace import PROV, RDF, VOID, XSD

from ctgraph import build as pipeline
from ctgraph.namespaces import (
    CTG,
    DERIVED_GRAPH,
    DESCRIPTION_GRAPH,
    ID,
    RULES_ACTIVITY,
    rule_iri,
)
from ctgraph.queries.library import KnowledgeGraph, parse_query
from ctgraph.queries.rules import RuleError, add_derived, derive, load_rules
from ctgraph.store.backends import from_ox
from ctgraph.validation.shacl import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
#: three entities, four activities, two reports, statements at three precisions
THREE_ENTITIES = FIXTURES / "three-entities.trig"
#: the rewritten queries as they were before they read derived facts
INLINE = FIXTURES / "inline"

Triple = tuple[str, str, str]


def e(name: str) -> str:
    return str(ID[f"entity/{name}"])


def hashed(kind: str, first: str, second: str) -> str:
    """A derived node's IRI as the rules mint it: a hash of the two IRIs."""
    digest = hashlib.md5(f"{first} {second}".encode()).hexdigest()
    return str(ID[f"{kind}/{digest}"])


def integer(n: int) -> str:
    return str(ox.Literal(str(n), datatype=ox.NamedNode(str(XSD.integer))))


def dated(text: str, datatype: URIRef) -> str:
    return str(ox.Literal(text, datatype=ox.NamedNode(str(datatype))))


def iri(value: str) -> str:
    return f"<{value}>"


def pair(first: str, second: str, shared: int) -> set[Triple]:
    node = iri(hashed("co-implementation", e(first), e(second)))
    return {
        (node, iri(str(RDF.type)), iri(str(CTG.CoImplementation))),
        (node, iri(str(CTG.firstImplementer)), iri(e(first))),
        (node, iri(str(CTG.secondImplementer)), iri(e(second))),
        (node, iri(str(CTG.sharedActivityCount)), integer(shared)),
    }


def in_pillar(pillar: str, entity: str, activities: int, groups: int) -> set[Triple]:
    pillar_iri = str(ID[f"pillar/{pillar}"])
    node = iri(hashed("pillar-activity", pillar_iri, e(entity)))
    return {
        (node, iri(str(RDF.type)), iri(str(CTG.PillarActivity))),
        (node, iri(str(CTG.activePillar)), iri(pillar_iri)),
        (node, iri(str(CTG.activeEntity)), iri(e(entity))),
        (node, iri(str(CTG.activityCount)), integer(activities)),
        (node, iri(str(CTG.groupCount)), integer(groups)),
    }


def span(statement: str, first: str, last: str) -> set[Triple]:
    kinds = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
    node = iri(str(ID[f"membership/{statement}"]))
    return {
        (node, iri(str(CTG.firstStated)), dated(first, kinds[len(first)])),
        (node, iri(str(CTG.lastStated)), dated(last, kinds[len(last)])),
    }


def report(pair_of: tuple[str, str], name: str) -> Triple:
    node = iri(hashed("co-implementation", e(pair_of[0]), e(pair_of[1])))
    return (node, iri(str(CTG.sharedActivityReport)), iri(str(ID[f"report/{name}"])))


#: worked out by hand from three-entities.trig: a1 (e1, e2, e3; pillar I; r1),
#: a2 (e1, e2; II; r2), a3 (e3; I; r1), a4 (e3; III; r2); e1 chairs g1 (pillar I)
#: as of 2019-07, 2024-02 and 2024-02-15, e2 is a member as of 2024; a1 and a2
#: cover country c1 (where event ev1 also is), a4 region x
EXPECTED: dict[str, set[Triple]] = {
    # e1+e2 share a1 and a2; e1+e3 and e2+e3 share a1 only
    "co-implementation": pair("e1", "e2", 2)
    | pair("e1", "e3", 1)
    | pair("e2", "e3", 1),
    # a1 is named by r1, a2 by r2
    "co-implementation-reports": {
        report(("e1", "e2"), "r1"),
        report(("e1", "e2"), "r2"),
        report(("e1", "e3"), "r1"),
        report(("e2", "e3"), "r1"),
    },
    # e1: a1, a2; e2: a1, a2; e3: a1, a3, a4
    "activity-count": {
        (iri(e("e1")), iri(str(CTG.activityCount)), integer(2)),
        (iri(e("e2")), iri(str(CTG.activityCount)), integer(2)),
        (iri(e("e3")), iri(str(CTG.activityCount)), integer(3)),
    },
    # pillar I: a1 for all three, a3 for e3, g1 for e1 (three statements, one
    # group) and e2; pillar II: a2 for e1 and e2; pillar III: a4 for e3
    "pillar-activity": in_pillar("I", "e1", 1, 1)
    | in_pillar("I", "e2", 1, 1)
    | in_pillar("I", "e3", 2, 0)
    | in_pillar("II", "e1", 1, 0)
    | in_pillar("II", "e2", 1, 0)
    | in_pillar("III", "e3", 1, 0),
    # every statement of e1's chair gets the earliest (2019-07, a month) and the
    # latest (2024-02-15, a day: after 2024-02 as text); e2's one statement its own
    "stated-span": span("m1", "2019-07", "2024-02-15")
    | span("m2", "2019-07", "2024-02-15")
    | span("m4", "2019-07", "2024-02-15")
    | span("m3", "2024", "2024"),
    # c1: a1 and a2 (the event ev1 there is no activity); region x: a4
    "covering-activity-count": {
        (iri(str(ID["country/c1"])), iri(str(CTG.coveringActivityCount)), integer(2)),
        (iri(str(ID["region/x"])), iri(str(CTG.coveringActivityCount)), integer(1)),
    },
    # r1's graph: c1 (1 triple), a1 (7), a3 (4), g1 (2), m1 and m4 (4 each): 22,
    # a1 and a3 citing; r2's: c2 (1), a2 (6), a4 (5), ev1 (3), m2 and m3 (4
    # each): 23, a2, a4 and ev1 citing
    "report-graph-size": {
        (iri(str(ID["graph/r1"])), iri(str(VOID.triples)), integer(22)),
        (iri(str(ID["graph/r1"])), iri(str(VOID.entities)), integer(2)),
        (iri(str(ID["graph/r2"])), iri(str(VOID.triples)), integer(23)),
        (iri(str(ID["graph/r2"])), iri(str(VOID.entities)), integer(3)),
    },
}


def fixture_store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(THREE_ENTITIES), format=ox.RdfFormat.TRIG)
    return store


def test_rules_are_read_in_their_stated_order() -> None:
    rules = load_rules()
    assert [rule.name for rule in rules] == list(EXPECTED)
    assert [rule.order for rule in rules] == sorted(rule.order for rule in rules)
    queries = {path.stem for path in (FIXTURES.parents[2] / "queries").glob("*.rq")}
    for rule in rules:  # each names the stored queries that read its facts
        assert rule.read_by and set(rule.read_by) <= queries, rule.name


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_rule_derives_what_was_worked_out_by_hand(name: str) -> None:
    derivation = derive(fixture_store())
    triples = {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in derivation.outputs[name]
    }
    assert triples == EXPECTED[name]
    graphs = {q.graph_name for q in derivation.outputs[name]}
    assert graphs == {ox.NamedNode(str(DERIVED_GRAPH))}


def test_a_rule_sees_what_the_rules_before_it_derived() -> None:
    """co-implementation-reports reads the pairs co-implementation made: run
    alone, it derives nothing."""
    [reports] = [
        rule for rule in load_rules() if rule.name == "co-implementation-reports"
    ]
    assert derive(fixture_store(), [reports]).quads == []


def test_deriving_again_replaces_the_derived_graph() -> None:
    store = fixture_store()
    first = derive(store)
    second = derive(store)
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    assert sorted(map(str, first.quads)) == sorted(map(str, second.quads))
    assert len(list(store.quads_for_pattern(None, None, None, graph))) == len(
        second.quads
    )


@pytest.mark.parametrize(
    ("file_name", "text", "says"),
    [
        ("co-implementation.rq", "#+ summary: x\nCONSTRUCT {} WHERE {}\n", "named"),
        ("1-pairs.rq", "#+ summary: x\nSELECT * WHERE { ?s ?p ?o }\n", "CONSTRUCT"),
        ("1-pairs.rq", "CONSTRUCT {} WHERE {}\n", "no header"),
        (
            "1-pairs.rq",
            "#+ summary: x\nCONSTRUCT { ?s ?p ?_o_iri } WHERE { ?s ?p ?_o_iri }\n",
            "no parameters",
        ),
    ],
)
def test_a_rule_file_that_cannot_run_is_refused_by_name(
    tmp_path: Path, file_name: str, text: str, says: str
) -> None:
    (tmp_path / file_name).write_text(text)
    with pytest.raises(RuleError, match=says) as caught:
        load_rules(tmp_path)
    assert file_name in str(caught.value)


def test_two_rules_with_one_number_leave_the_order_unstated(tmp_path: Path) -> None:
    for name in ("2-a.rq", "2-b.rq"):
        (tmp_path / name).write_text("#+ summary: x\nCONSTRUCT {} WHERE {}\n")
    with pytest.raises(RuleError, match="share the number"):
        load_rules(tmp_path)


# --- in the build ---------------------------------------------------------------------


def test_the_build_keeps_the_derived_graph_with_its_provenance(
    real_build: pipeline.BuildResult,
) -> None:
    dataset = real_build.dataset
    derived = dataset.graph(DERIVED_GRAPH)
    assert len(derived) > 0
    assert real_build.ok, "the derived graph validates with the rest"
    classes = set(derived.objects(None, RDF.type))  # only the derived nodes
    assert classes == {CTG.CoImplementation, CTG.PillarActivity}
    described = dataset.default_graph
    assert (DERIVED_GRAPH, RDF.type, PROV.Entity) in described
    assert (DERIVED_GRAPH, PROV.wasGeneratedBy, RULES_ACTIVITY) in described
    sources = set(described.objects(DERIVED_GRAPH, PROV.wasDerivedFrom))
    # every graph the rules ran over: the reports', resolutions', discrepancies',
    # regions' and links' (the ontology and the description come after them)
    graphs = {g.identifier for g in dataset.graphs() if "/graph/" in g.identifier}
    assert sources == graphs - {DERIVED_GRAPH, DESCRIPTION_GRAPH}
    assert len(sources) >= 5
    plans = set(described.objects(RULES_ACTIVITY, PROV.used))
    assert plans == {rule_iri(rule.name) for rule in load_rules()}
    for plan in plans:
        assert (plan, RDF.type, PROV.Plan) in described
    # in the merged graph the Turtle is written from, too
    assert all(triple in real_build.merged for triple in derived)
    assert real_build.stages["derived facts (rules)"] > 0


def test_a_derived_node_missing_its_count_fails_its_shape() -> None:
    dataset = Dataset()
    store = fixture_store()
    for q in store:
        if isinstance(q.graph_name, ox.DefaultGraph):
            graph = dataset.default_graph
        else:
            graph = dataset.graph(URIRef(q.graph_name.value))
        graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    add_derived(dataset)
    derived = dataset.graph(DERIVED_GRAPH)
    node = URIRef(hashed("co-implementation", e("e1"), e("e2")))

    def failures() -> set[tuple[str, str, str]]:
        report = validate(derived, with_ontology=True)
        return {(v.shape, v.component, v.path) for v in report.violations}

    # the fixture is not a whole graph (its reports are not described): what the
    # removal adds to the failures is what this test is about
    before = failures()
    derived.remove((node, CTG.sharedActivityCount, None))
    assert failures() - before == {
        (
            "ctgsh:CoImplementationShape",
            "sh:MinCountConstraintComponent",
            "ctg:sharedActivityCount",
        )
    }


# --- the queries that read derived facts ----------------------------------------------

PARAMS = {
    "changes-between-dates": [
        {"from": "2018-06-01", "to": "2024-06-01"},
        {"from": "2019-07-31", "to": "2024-02-29"},
        {"from": "2020-01-01", "to": "2025-12-31"},
    ],
    "co-implementation-network": [{}, {"minimum": 1}, {"minimum": 3}],
    "co-implementing-entities": [{}, {"minimum": 2}, {"entity": "unodc"}],
    "entities-by-pillar": [{}, {"pillar": ["I", "III"]}],
    "places-by-projects": [{}],
    "source-reports": [{}],
}
CASES = [(name, values) for name, sets in PARAMS.items() for values in sets]


def test_every_rewritten_query_is_compared() -> None:
    assert {path.stem for path in INLINE.glob("*.rq")} == set(PARAMS)
    assert len(CASES) >= len(PARAMS)


@pytest.mark.parametrize(("name", "values"), CASES)
def test_a_query_reading_derived_facts_gives_its_inline_rows(
    kg: KnowledgeGraph, name: str, values: dict
) -> None:
    new = kg.query(name, **values)
    old = kg.run(
        parse_query(INLINE / f"{name}.rq").text,
        kg.stored(name).bindings(values, kg.resolver),
    )
    assert new.rows, f"{name} {values}: no rows to compare"
    assert new.columns == old.columns
    # the same rows; in the same order where the old ORDER BY decided it (the
    # network now also orders a pair's rows by report)
    assert sorted(new.rows) == sorted(old.rows)
    if name != "co-implementation-network":
        assert new.rows == old.rows


def test_a_broken_rule_stops_the_build_with_its_file_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line says which rule and why, exit 2, and writes nothing."""
    from typer.testing import CliRunner

    from ctgraph import cli
    from ctgraph.queries import rules

    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "1-pairs.rq").write_text("#+ summary: x\nSELECT * WHERE { ?s ?p ?o }\n")
    monkeypatch.setattr(rules, "RULES_DIR", folder)
    monkeypatch.setattr(rules.load_rules, "__defaults__", (folder,))
    out = tmp_path / "out"
    done = CliRunner().invoke(cli.app, ["build", "--out", str(out)])
    assert done.exit_code == 2, done.output
    assert "1-pairs.rq: a rule is a CONSTRUCT query" in done.output
    assert "Traceback" not in done.output
    assert not out.exists() or not any(out.iterdir())
