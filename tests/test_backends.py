"""The engines behind the query layer, on a graph of a few triples: how parameters
are bound into a query's text, how terms cross between rdflib and Oxigraph, and that
both engines answer SELECT, ASK and CONSTRUCT over the union of the named graphs."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD

from ctgraph.store.backends import (
    ENGINES,
    OxigraphBackend,
    RdflibBackend,
    ResultTable,
    bind_values,
    blank_tokens,
    from_ox,
    ox_converter,
    python_value,
    substitute,
    to_ox,
)

EX = "https://example.org/"
A, B, C = URIRef(EX + "a"), URIRef(EX + "b"), URIRef(EX + "c")
NAME = URIRef(EX + "name")
G1, G2 = URIRef(EX + "g1"), URIRef(EX + "g2")


# ------------------------------------------------------------------ query text


def test_blank_tokens_blanks_strings_iris_and_comments_to_their_length() -> None:
    text = (
        "SELECT ?x WHERE { ?x ?p \"a ?x\" , 'b ?x' , \"\"\"c\n?x\"\"\" , '''d ?x''' ,"
        " <http://x/?x> } # ?x\n?x"
    )
    blanked = blank_tokens(text)
    assert len(blanked) == len(text)
    assert blanked.count("?x") == 3  # SELECT, the subject, the line after the comment
    assert blanked.startswith("SELECT ?x WHERE { ?x ?p ")
    assert blanked.endswith("}     \n?x")
    assert set(blanked[len("SELECT ?x WHERE { ?x ?p ") : -len("}     \n?x")]) <= {
        " ",
        ",",
        "\n",
    }


def test_blank_tokens_keeps_escaped_quotes_inside_one_string() -> None:
    text = r'"a \" ?x" ?y'
    assert blank_tokens(text) == " " * 10 + "?y"


def test_no_bindings_leave_the_query_as_it_is() -> None:
    query = "SELECT ?x WHERE { ?x ?p ?o }"
    assert bind_values(query, None) is query
    assert bind_values(query, {}) is query


def test_a_required_parameter_given_one_value_is_written_in_place() -> None:
    bound = bind_values("SELECT ?s WHERE { ?s ?p ?_thing }", {"_thing": A})
    assert bound == f"SELECT ?s WHERE {{ ?s ?p <{A}> }}"


def test_other_parameters_become_values_blocks_in_name_order() -> None:
    bound = bind_values(
        "SELECT ?s WHERE {\n  ?s ?p ?o }",
        {"o": [Literal("x"), Literal(2)], "__opt": B, "_many": [A, C]},
    )
    assert bound == (
        "SELECT ?s WHERE { VALUES ?__opt { <https://example.org/b> } "
        "VALUES ?_many { <https://example.org/a> <https://example.org/c> } "
        'VALUES ?o { "x" "2"^^<http://www.w3.org/2001/XMLSchema#integer> } \n'
        "  ?s ?p ?o }"
    )


def test_values_go_into_the_first_where_clause_in_any_case() -> None:
    bound = bind_values("select ?s where{ ?s ?p ?o }", {"o": [A]})
    assert bound == f"select ?s where{{ VALUES ?o {{ <{A}> }}  ?s ?p ?o }}"


def test_inline_and_values_together() -> None:
    bound = bind_values("SELECT * WHERE { ?_a ?p ?o }", {"_a": [A], "o": [B]})
    assert bound == f"SELECT * WHERE {{ VALUES ?o {{ <{B}> }}  <{A}> ?p ?o }}"


def test_a_query_without_where_cannot_take_values() -> None:
    with pytest.raises(
        ValueError,
        match=r"^query has no WHERE \{ \.\.\. \} clause to bind parameters in$",
    ):
        bind_values("SELECT * { ?s ?p ?o }", {"o": [A]})


def test_a_query_without_where_can_still_take_a_value_in_place() -> None:
    bound = bind_values("SELECT * { ?s ?p ?_o }", {"_o": [A]})
    assert bound == f"SELECT * {{ ?s ?p <{A}> }}"


def test_substitute_replaces_whole_variables_only_outside_tokens() -> None:
    query = 'SELECT ?_a ?_ab $_a WHERE { ?_a ?p "?_a" } # ?_a'
    result = substitute(query, {"_a": "<x>"})
    assert result == 'SELECT <x> ?_ab <x> WHERE { <x> ?p "?_a" } # ?_a'


def test_substitute_leaves_a_longer_name_with_capitals_alone() -> None:
    assert substitute("?_aB ?_a", {"_a": "<x>"}) == "?_aB <x>"


def test_substitute_several_variables() -> None:
    result = substitute("?_b ?_a ?_c", {"_a": "1", "_b": "2"})
    assert result == "2 1 ?_c"


# ------------------------------------------------------------------ terms


TERMS = [
    A,
    BNode("b0"),
    Literal("plain"),
    Literal("chat", lang="fr"),
    Literal("7", datatype=XSD.integer),
    Literal("x", datatype=URIRef(EX + "datatype")),
]


@pytest.mark.parametrize("term", TERMS, ids=repr)
def test_terms_cross_to_oxigraph_and_back_unchanged(term) -> None:
    assert len(TERMS) == 6
    there = to_ox(term)
    back = from_ox(there)
    assert back == term and type(back) is type(term)
    if isinstance(term, Literal):
        assert back.language == term.language and back.datatype == term.datatype


def test_to_ox_gives_oxigraph_terms_of_the_same_kind() -> None:
    assert to_ox(A) == ox.NamedNode(str(A))
    assert to_ox(BNode("b0")) == ox.BlankNode("b0")
    assert to_ox(Literal("chat", lang="fr")) == ox.Literal("chat", language="fr")
    typed = to_ox(Literal("7", datatype=XSD.integer))
    assert typed == ox.Literal("7", datatype=ox.NamedNode(str(XSD.integer)))
    assert to_ox(Literal("plain")) == ox.Literal("plain")


def test_to_ox_refuses_what_is_not_a_term() -> None:
    with pytest.raises(TypeError, match=r"cannot bind rdflib.term.Variable\('x'\)"):
        to_ox(Variable("x"))


def test_an_oxigraph_string_literal_is_a_simple_rdflib_literal() -> None:
    term = from_ox(ox.Literal("s", datatype=ox.NamedNode(str(XSD.string))))
    assert term == Literal("s") and term.datatype is None


def test_from_ox_unbound_and_unknown() -> None:
    assert from_ox(None) is None
    with pytest.raises(TypeError, match="unexpected result term"):
        from_ox(ox.DefaultGraph())


def test_the_converter_remembers_its_terms() -> None:
    convert = ox_converter()
    first = convert(Literal("x"))
    assert convert(Literal("x")) is first
    assert convert(A) == ox.NamedNode(str(A))


@pytest.mark.parametrize(
    ("term", "value"),
    [
        (None, None),
        (A, str(A)),
        (Literal(3), 3),
        (Literal("x", datatype=URIRef(EX + "datatype")), "x"),
    ],
)
def test_python_value(term, value) -> None:
    assert python_value(term) == value
    assert type(python_value(term)) is type(value)


def test_dicts_pair_columns_with_values() -> None:
    table = ResultTable(["s", "o"], [(A, None), (B, Literal(1))])
    assert table.dicts() == [{"s": A, "o": None}, {"s": B, "o": Literal(1)}]
    with pytest.raises(ValueError):  # a row wider than the columns is an error
        ResultTable(["s"], [(A, B)]).dicts()


def test_html_of_one_row_exactly() -> None:
    shown = ResultTable(["a", "b"], [(A, None)])._repr_html_()
    assert shown == (
        "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody>"
        f"<tr><td>{A}</td><td></td></tr></tbody></table><p>1 row</p>"
    )


@pytest.mark.parametrize(("extra", "note"), [(0, ""), (1, "<p>1 more rows</p>")])
def test_html_notes_rows_beyond_the_first_only_when_there_are(extra, note) -> None:
    count = ResultTable.HTML_ROWS + extra
    shown = ResultTable(["n"], [(Literal(1),)] * count)._repr_html_()
    row = "<tr><td>1</td></tr>"
    assert shown == (
        f"<table><thead><tr><th>n</th></tr></thead><tbody>{row * ResultTable.HTML_ROWS}"
        f"</tbody></table>{note}<p>{count} rows</p>"
    )


def test_to_pandas_without_pandas_names_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError) as caught:
        ResultTable(["s"]).to_pandas()
    assert str(caught.value) == (
        "ResultTable.to_pandas needs pandas, an optional dependency: "
        "pip install 'ctgraph[pandas]'"
    )


# ------------------------------------------------------------------ engines


@pytest.fixture
def dataset() -> Dataset:
    """Two named graphs and one triple in the default graph."""
    ds = Dataset()
    ds.graph(G1).add((A, NAME, Literal("a", lang="en")))
    ds.graph(G1).add((A, NAME, Literal("alpha")))
    ds.graph(G2).add((B, NAME, Literal("b")))
    ds.graph(DATASET_DEFAULT_GRAPH_ID).add((C, NAME, Literal("c")))
    return ds


@pytest.fixture
def trig(tmp_path: Path) -> Path:
    path = tmp_path / "small.trig"
    path.write_text(
        f'<{G1}> {{ <{A}> <{NAME}> "a"@en , "alpha" . }}\n'
        f'<{G2}> {{ <{B}> <{NAME}> "b" . }}\n',
        encoding="utf-8",
    )
    return path


NAMES = f"SELECT ?s ?name WHERE {{ ?s <{NAME}> ?name }} ORDER BY ?s ?name"
GRAPHS = f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s <{NAME}> ?n }} }} ORDER BY ?g ?s"


def engines(dataset: Dataset) -> list:
    assert ENGINES == ("oxigraph", "rdflib")
    return [OxigraphBackend.from_dataset(dataset), RdflibBackend(dataset)]


def test_both_engines_see_every_graph_as_the_default(dataset: Dataset) -> None:
    for engine in engines(dataset):
        table = engine.select(NAMES)
        assert table.columns == ["s", "name"], engine.name
        assert {(s, str(n)) for s, n in table.rows} == {
            (A, "a"),
            (A, "alpha"),
            (B, "b"),
            (C, "c"),
        }, engine.name


def test_both_engines_keep_the_named_graphs_apart(dataset: Dataset) -> None:
    for engine in engines(dataset):
        assert engine.select(GRAPHS).rows == [(G1, A), (G1, A), (G2, B)], engine.name
        assert len(engine) == 4, engine.name


def test_the_limit_cuts_the_rows_and_bindings_apply(dataset: Dataset) -> None:
    for engine in engines(dataset):
        assert len(engine.select(NAMES, limit=2)) == 2, engine.name
        assert len(engine.select(NAMES)) == 4, engine.name
        bound = engine.select(NAMES, {"s": [B, C]})
        assert [s for s, _ in bound.rows] == [B, C], engine.name


def test_unbound_values_are_none(dataset: Dataset) -> None:
    query = f"SELECT ?s ?x WHERE {{ ?s <{NAME}> ?n OPTIONAL {{ ?s <{EX}no> ?x }} }}"
    for engine in engines(dataset):
        rows = engine.select(query).rows
        assert len(rows) == 4 and all(x is None for _, x in rows), engine.name


def test_ask_on_both_engines(dataset: Dataset) -> None:
    for engine in engines(dataset):
        assert engine.ask(f'ASK {{ <{A}> <{NAME}> "alpha" }}') is True, engine.name
        assert engine.ask(f'ASK {{ <{A}> <{NAME}> "beta" }}') is False, engine.name


def test_construct_on_both_engines_gives_an_rdflib_graph(dataset: Dataset) -> None:
    query = f"CONSTRUCT {{ ?s <{EX}named> ?n }} WHERE {{ ?s <{NAME}> ?n }}"
    for engine in engines(dataset):
        graph = engine.construct(query)
        assert isinstance(graph, Graph), engine.name
        assert set(graph) == {
            (A, URIRef(EX + "named"), Literal("a", lang="en")),
            (A, URIRef(EX + "named"), Literal("alpha")),
            (B, URIRef(EX + "named"), Literal("b")),
            (C, URIRef(EX + "named"), Literal("c")),
        }, engine.name


def test_rdflib_counts_the_triples_of_every_graph(dataset: Dataset) -> None:
    assert len(RdflibBackend(dataset)) == 4


def test_both_engines_read_trig(trig: Path) -> None:
    ox_engine = OxigraphBackend.from_trig(trig)
    for engine in (ox_engine, RdflibBackend.from_trig(trig)):
        assert len(engine) == 3, engine.name
        names = sorted(str(n) for _, n in engine.select(NAMES).rows)
        assert names == ["a", "alpha", "b"], engine.name
    assert ox_engine.select(GRAPHS).rows == [(G1, A), (G1, A), (G2, B)]


def test_rdflib_reads_trig_whatever_the_file_is_called(
    trig: Path, tmp_path: Path
) -> None:
    renamed = tmp_path / "graph.data"
    renamed.write_bytes(trig.read_bytes())
    assert RdflibBackend.from_trig(renamed).select(GRAPHS).rows == [
        (G1, A),
        (G1, A),
        (G2, B),
    ]


def test_loading_trig_into_a_store_on_disk_replaces_what_it_held(
    trig: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    first = OxigraphBackend(store)
    first.store.add(ox.Quad(to_ox(C), to_ox(NAME), to_ox(Literal("old"))))
    first.store.flush()
    del first
    engine = OxigraphBackend.from_trig(trig, store)
    assert len(engine) == 3
    assert not engine.ask(f"ASK {{ <{C}> ?p ?o }}")
    assert (store / "CURRENT").exists()  # written where asked, not in memory


def test_wrap_queries_a_store_already_open(dataset: Dataset) -> None:
    store = OxigraphBackend.from_dataset(dataset).store
    engine = OxigraphBackend.wrap(store)
    assert engine.store is store and engine.name == "oxigraph"
    assert len(engine.select(NAMES)) == 4
