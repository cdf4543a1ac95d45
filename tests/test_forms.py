"""Any query a user types: ctgraph prefixes predeclared, the four query forms, and
syntax errors placed at their line and column."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from ctgraph.queries.forms import explain, syntax_message, with_prefixes
from ctgraph.queries.library import KnowledgeGraph, QueryError

ROOT = Path(__file__).resolve().parents[1]
UNODC = "<https://w3id.org/ctgraph/id/entity/unodc>"


def ctgraph(*args: str, trig: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctgraph", *args, "--store", str(trig)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def kg(request: pytest.FixtureRequest, built_trig: Path) -> KnowledgeGraph:
    return KnowledgeGraph.load(request.param, built_trig)


def test_own_prefix_declarations_win() -> None:
    prepared = with_prefixes("PREFIX ctg: <http://example.org/> ASK { ?x a ctg:P }")
    assert "PREFIX ctg: <https://w3id.org" not in prepared.text
    assert "PREFIX id: <https://w3id.org/ctgraph/id/>" in prepared.text
    assert prepared.text.endswith(prepared.original)


def test_select_with_ctgraph_prefixes(kg: KnowledgeGraph) -> None:
    assert len(kg.sparql("SELECT ?x WHERE { ?x a ctg:Project }").rows) == 331
    own = "PREFIX ctg: <http://example.org/> SELECT ?x WHERE { ?x a ctg:Project }"
    assert kg.sparql(own).rows == []


def test_ask_construct_describe(kg: KnowledgeGraph) -> None:
    assert kg.ask(f"ASK {{ {UNODC} a ctg:UNEntity }}") is True
    assert kg.ask(f"ASK {{ {UNODC} a ctg:Project }}") is False
    built = kg.construct(
        "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a ctg:Project ; rdfs:label ?l }"
    )
    assert len(set(built.subjects())) == 331
    described = kg.construct(f"DESCRIBE {UNODC}")
    assert (URIRef(UNODC[1:-1]), None, None) in described
    assert len(described) > 5


def test_a_form_is_checked_before_running(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="expected a SELECT query, not ASK"):
        kg.sparql("ASK { ?s ?p ?o }")


@pytest.mark.parametrize(
    ("query", "line", "column", "reason"),
    [
        ("SELECT ?x WHERE { ?x a foo:Project }", 1, 24, "unknown prefix 'foo:'"),
        (
            "SELECT ?x WHERE {\n  ?x a ctg:Project ;\n   ctg:status }}",
            3,
            None,
            "",
        ),
        (
            "SELECT ?t WHERE { id:entity/unodc a ?t }",
            1,
            None,
            "write <https://w3id.org/ctgraph/id/entity/unodc> or id:entity\\/unodc",
        ),
    ],
)
def test_syntax_error_is_placed_in_the_users_text(
    query: str, line: int, column: int | None, reason: str
) -> None:
    kg = KnowledgeGraph(_empty_backend(), queries={})
    with pytest.raises(QueryError) as caught:
        kg.sparql(query)
    text = str(caught.value)
    assert text.startswith(f"syntax error at line {line}, column "), text
    assert reason in text
    shown = query.splitlines()[line - 1]
    assert f"\n  {shown}\n" in text
    assert "\\u{" not in text  # not the parser's character ranges
    if column is not None:
        assert f"column {column}" in text.splitlines()[0]


def _empty_backend():  # noqa: ANN202 - the embedded engine, empty
    from ctgraph.store.backends import OxigraphBackend

    return OxigraphBackend()


def test_rdflib_unknown_prefix_is_named() -> None:
    message = syntax_message(with_prefixes("x"), "Unknown namespace prefix : foo")
    assert message == "unknown prefix 'foo:' (declare it with PREFIX)"


def test_explain_moves_a_line_one_column_back_by_the_prologue() -> None:
    prepared = with_prefixes("ASK { ?x ?y }")
    text = explain(prepared, 1, prepared.offset + 13)
    assert text.splitlines()[0] == "syntax error at line 1, column 13"
    assert text.splitlines()[2] == "  " + " " * 12 + "^"


def test_cli_sparql_forms(built_trig: Path) -> None:
    select = ctgraph(
        "sparql", "SELECT ?x WHERE { ?x a ctg:Project }", "-f", "csv", trig=built_trig
    )
    assert select.returncode == 0, select.stderr
    assert len(select.stdout.splitlines()) == 332
    ask = ctgraph(
        "sparql", f"ASK {{ {UNODC} a ctg:UNEntity }}", "-f", "json", trig=built_trig
    )
    assert json.loads(ask.stdout) == {"head": {}, "boolean": True}
    describe = ctgraph("sparql", f"DESCRIBE {UNODC}", "-f", "rdfxml", trig=built_trig)
    assert describe.returncode == 0, describe.stderr
    parsed = list(ox.parse(describe.stdout.encode(), format=ox.RdfFormat.RDF_XML))
    assert len(parsed) == len(Graph().parse(data=describe.stdout, format="xml")) > 5


def test_cli_sparql_errors_exit_2_without_traceback(built_trig: Path) -> None:
    bad = ctgraph("sparql", "SELECT ?x WHERE { ?x a foo:P }", trig=built_trig)
    assert bad.returncode == 2
    assert "syntax error at line 1" in bad.stderr and "Traceback" not in bad.stderr
    wrong = ctgraph("sparql", "ASK { ?s ?p ?o }", "-f", "csv", trig=built_trig)
    assert wrong.returncode == 2 and "ASK results are written as" in wrong.stderr
    prose = ctgraph("sparql", "how many projects", trig=built_trig)
    assert prose.returncode == 2 and "not a SPARQL query" in prose.stderr
