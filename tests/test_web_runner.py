"""The web layer's one query path: refusals, the row cap and the time limit."""

from __future__ import annotations

import time

import pytest
from rdflib import Dataset, Literal, URIRef

from ctgraph.queries.library import KnowledgeGraph, QueryError
from ctgraph.store.backends import OxigraphBackend, RdflibBackend
from ctgraph.web.runner import (
    Limits,
    QueryRefused,
    QueryRunner,
    QueryTimeout,
    check_query,
)

EX = "http://example.org/"


def small_dataset(subjects: int, extra: int = 0) -> Dataset:
    """`subjects` things with ex:p, `extra` with ex:q: enough for a cross product."""
    ds = Dataset()
    g = ds.graph(URIRef(EX + "g"))
    for i in range(subjects):
        g.add((URIRef(f"{EX}s{i}"), URIRef(EX + "p"), Literal(i)))
    for i in range(extra):
        g.add((URIRef(f"{EX}t{i}"), URIRef(EX + "q"), Literal(i)))
    return ds


@pytest.fixture
def runner() -> QueryRunner:
    kg = KnowledgeGraph(OxigraphBackend.from_dataset(small_dataset(30)), {})
    made = QueryRunner(kg, Limits(time_limit=5, row_cap=10))
    yield made
    made.close()


REFUSED = [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", 403, "read-only"),
    ("PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }", 403, "read-only"),
    ("CLEAR ALL", 403, "read-only"),
    ("SELECT * WHERE { SERVICE <http://evil/> { ?s ?p ?o } }", 400, "SERVICE"),
    ("select * where { service silent <http://e/> { ?s ?p ?o } }", 400, "SERVICE"),
    ("HELLO", 400, "not a SPARQL query"),
]


@pytest.mark.parametrize(("text", "status", "message"), REFUSED)
def test_refused(text: str, status: int, message: str) -> None:
    with pytest.raises(QueryRefused, match=message) as caught:
        check_query(text)
    assert caught.value.status == status


ALLOWED = [
    ("SELECT ?service WHERE { ?service ?p ?o }", "SELECT"),
    ('SELECT * WHERE { ?s ?p "SERVICE" }  # SERVICE in a comment', "SELECT"),
    ("PREFIX service: <http://x/>\nASK { service:a ?p ?o }", "ASK"),
    ("PREFIX x: <http://x/INSERT>\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://x/SERVICE>", "DESCRIBE"),
]


@pytest.mark.parametrize(("text", "form"), ALLOWED)
def test_allowed(text: str, form: str) -> None:
    assert check_query(text) == form


def test_cases_collected() -> None:
    assert len(REFUSED) == 6 and len(ALLOWED) == 5


def test_row_cap_stops_one_row_past(runner: QueryRunner) -> None:
    outcome = runner.run("SELECT ?s WHERE { ?s ?p ?o }")
    assert outcome.truncated and outcome.size == 10
    outcome = runner.run("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10")
    assert not outcome.truncated and outcome.size == 10
    triples = runner.run("CONSTRUCT WHERE { ?s ?p ?o }", row_cap=4)
    assert triples.truncated and len(triples.triples) == 4


def test_ask_and_bindings(runner: QueryRunner) -> None:
    assert runner.run("ASK { ?s ?p 3 }").boolean is True
    outcome = runner.run("SELECT ?o WHERE { ?s ?p ?o }", {"s": [URIRef(EX + "s7")]})
    assert [row[0].toPython() for row in outcome.table.rows] == [7]


def test_time_limit_stops_the_query() -> None:
    # 300 x 300 x 20 rows to count: over a second on this engine
    kg = KnowledgeGraph(OxigraphBackend.from_dataset(small_dataset(300, 20)), {})
    slow = QueryRunner(kg, Limits(time_limit=0.2, row_cap=10, workers=1))
    query = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{EX}p> ?b . ?c <{EX}p> ?d . "
        f"?e <{EX}q> ?f }}"
    )
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="time limit of 0.2 s and was stopped"):
        slow.run(query)
    assert time.perf_counter() - started < 1.0
    # the one worker is free at once: the query was stopped, not left running
    quick = slow.run(f"ASK {{ ?s <{EX}q> 3 }}", time_limit=0.5)
    assert quick.boolean is True
    slow.close()


def test_network_reach_is_refused_on_rdflib() -> None:
    kg = KnowledgeGraph(RdflibBackend(small_dataset(3)), {})
    made = QueryRunner(kg, Limits())
    with pytest.raises(QueryRefused, match="does not touch the network"):
        made.run("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }")
    made.close()


def test_syntax_error_is_a_query_error(runner: QueryRunner) -> None:
    with pytest.raises(QueryError, match="could not run"):
        runner.run("SELECT ?s WHERE { ?s ?p }")


def test_rdflib_engine_same_rows() -> None:
    kg = KnowledgeGraph(RdflibBackend(small_dataset(30)), {})
    made = QueryRunner(kg, Limits(row_cap=100))
    outcome = made.run(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o FILTER(?o < 5) }}")
    assert sorted(str(r[0]) for r in outcome.table.rows) == [
        f"{EX}s{i}" for i in range(5)
    ]
    assert made.run("ASK { ?s ?p 99 }").boolean is False
    made.close()
