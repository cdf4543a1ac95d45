"""The stored-query library on small files and a graph of a few triples: every
header field and parameter kind, each refusal's exact message and line, values to
RDF terms, and the Python API (loading, ensure_trig, pages, forms, limits).

Nothing here loads the real graph, so each test runs in milliseconds: these are
the tests mutation testing runs against `queries/library.py`.
"""

from __future__ import annotations

import datetime as dt
import time
import urllib.request
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Literal, URIRef, namespace
from rdflib.namespace import RDF, RDFS
from servers import OxigraphServer

from ctgraph.namespaces import CTG, mint
from ctgraph.queries.charts import ChartSpec
from ctgraph.queries.library import (
    HEADER_KEYS,
    MAX_TEXT,
    PARAM_KEYS,
    HeaderError,
    KnowledgeGraph,
    Parameter,
    ParameterError,
    QueryError,
    QueryLimitError,
    StoredQuery,
    UnknownQuery,
    as_list,
    convert,
    load_queries,
    parse_query,
    query_form,
    scalar,
    strip_comments,
)
from ctgraph.queries.lookup import KINDS
from ctgraph.store.backends import ENGINES, OxigraphBackend
from ctgraph.store.folder import cache_folder

# --- header parsing ---------------------------------------------------------------

ONE = "SELECT ?s WHERE { ?s ?p ?__n_integer }\n"


def write(folder: Path, text: str, name: str = "q.rq") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def parsed(folder: Path, header: str, body: str = ONE) -> StoredQuery:
    return parse_query(write(folder, header + body))


def refusal(folder: Path, header: str, body: str = ONE) -> tuple[int, str]:
    """The line and problem of the HeaderError a query file gets."""
    path = write(folder, header + body)
    with pytest.raises(HeaderError) as caught:
        parse_query(path)
    error = caught.value
    assert error.path == str(path)
    assert str(error) == f"{path}, line {error.line}: {error.problem}"
    return error.line, error.problem


FULL = """#+ summary: People   who chair
#+   groups
#+
#+ description: |
#+   One row per chair.
#+ tags: [leadership, groups]
#+ params:
#+   group: The working group
#+   role:
#+     description: a   role
#+     list: true
#+   since: {description: from this year}
#+   holder: {refers: entity}
#+ defaults:
#+   - role: [chair, co-chair]
#+   - since: 2019
#+ enumerate:
#+   - role: [chair, co-chair, vice-chair]
#+ example:
#+   group: compact-wg-3
#+   role: [chair]
#+ pagination: 20
#+ chart: {type: bar, x: group, y: n, reports: report}
PREFIX ctg: <https://w3id.org/ctgraph/ontology#>
# a comment naming ?_nothing
SELECT ?group ?n ?report WHERE {
  ?group ctg:role ?__role_iri ; ctg:year ?__since_xsd_gYear ;
    ctg:holder ?__holder_iri ; ctg:report ?report ; ctg:n ?n .
  FILTER(?group = ?_group_iri) # trailing ?_comment
}
"""


def test_every_header_field_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, FULL, "chairs.rq")
    stored = parse_query(path)
    assert stored.name == "chairs" and stored.path == path
    assert stored.summary == "People who chair groups"
    assert stored.description == "One row per chair.\n"
    assert stored.tags == ("leadership", "groups")
    assert stored.pagination == 20
    assert stored.chart == ChartSpec(
        "bar", {"x": "group", "y": "n", "reports": "report"}, {}
    )
    assert stored.example == {"group": "compact-wg-3", "role": ["chair"]}
    group = Parameter(
        "group", "_group_iri", "iri", True, refers="group",
        description="The working group",
    )  # fmt: skip
    role = Parameter(
        "role", "__role_iri", "iri", False, multiple=True, refers="role",
        default=("chair", "co-chair"), choices=("chair", "co-chair", "vice-chair"),
        description="a role",
    )  # fmt: skip
    since = Parameter(
        "since", "__since_xsd_gYear", "year", False, default=(2019,),
        description="from this year",
    )  # fmt: skip
    holder = Parameter("holder", "__holder_iri", "iri", False, refers="entity")
    assert stored.parameters == (group, role, since, holder)
    # the text starts at the query, comments blanked, and ends with one newline
    lines = stored.text.split("\n")
    assert lines[0] == "PREFIX ctg: <https://w3id.org/ctgraph/ontology#>"
    assert lines[1].strip() == "" and "?_comment" not in stored.text
    assert lines[2] == "SELECT ?group ?n ?report WHERE {"
    assert lines[5] == "  FILTER(?group = ?_group_iri)" + " " * 21
    assert stored.text.endswith("}\n") and not stored.text.endswith("\n\n")


def test_a_query_without_optional_fields(tmp_path: Path) -> None:
    stored = parsed(tmp_path, "#+ summary: x\n#+ pagination:\n")
    assert (stored.description, stored.tags, stored.example) == ("", (), {})
    assert (stored.pagination, stored.chart) == (None, None)
    assert stored.parameters == (Parameter("n", "__n_integer", "integer", False),)


def test_text_given_is_read_instead_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.rq"
    stored = parse_query(path, "#+ summary: given\n" + ONE)
    assert (stored.name, stored.summary) == ("absent", "given")


SUFFIXES = [
    ("", "string", None), ("literal", "string", None), ("xsd_string", "string", None),
    ("iri", "iri", None), ("integer", "integer", None),
    ("xsd_integer", "integer", None), ("number", "decimal", None),
    ("decimal", "decimal", None), ("xsd_decimal", "decimal", None),
    ("xsd_date", "date", None), ("xsd_gYear", "year", None),
    ("boolean", "boolean", None), ("xsd_boolean", "boolean", None),
    ("en", "lang", "en"), ("fra", "lang", "fra"),
]  # fmt: skip


@pytest.mark.parametrize(("suffix", "kind", "lang"), SUFFIXES)
def test_each_suffix_gives_its_type(
    tmp_path: Path, suffix: str, kind: str, lang: str | None
) -> None:
    variable = f"_v_{suffix}" if suffix else "_v"
    stored = parsed(
        tmp_path, "#+ summary: x\n", f"SELECT * WHERE {{ ?s ?p ?{variable} }}"
    )
    (param,) = stored.parameters
    assert (param.name, param.variable, param.type, param.lang) == (
        "v",
        variable,
        kind,
        lang,
    )
    assert param.required
    assert param.refers == ("any" if kind == "iri" else None)


def test_required_optional_and_dollar_variables(tmp_path: Path) -> None:
    stored = parsed(
        tmp_path,
        "#+ summary: x\n",
        "SELECT * WHERE { $_a ?p $__b_iri . ?_a ?q ?entity_iri ; ?r ?__country_iri }",
    )
    assert [(p.name, p.variable, p.required, p.refers) for p in stored.parameters] == [
        ("a", "_a", True, None),
        ("b", "__b_iri", False, "any"),
        ("country", "__country_iri", False, "country"),
    ]


def test_suffixes_in_the_tests_are_the_ones_the_parser_knows() -> None:
    from ctgraph.queries.library import SUFFIX_TYPES

    assert {s for s, _, lang in SUFFIXES if lang is None} == set(SUFFIX_TYPES)


def test_an_unknown_suffix_lists_the_known_ones(tmp_path: Path) -> None:
    line, problem = refusal(
        tmp_path, "#+ summary: x\n", "SELECT * WHERE {\n ?s ?p ?__x_colour }\n"
    )
    assert line == 3
    assert problem == (
        "parameter ?__x_colour: unknown type suffix 'colour'; use one of literal, "
        "xsd_string, iri, integer, xsd_integer, number, decimal, xsd_decimal, "
        "xsd_date, xsd_gYear, boolean, xsd_boolean or a language tag (en)"
    )
    line, problem = refusal(tmp_path, "#+ summary: x\n", "SELECT * { ?s ?p ?_x_EN }")
    assert problem.startswith("parameter ?_x_EN: unknown type suffix 'EN';")


def test_one_parameter_written_two_ways_is_refused(tmp_path: Path) -> None:
    line, problem = refusal(
        tmp_path,
        "#+ summary: x\n",
        "SELECT * WHERE {\n ?s ?p ?_x_iri .\n ?s ?q ?_x_iri .\n ?s ?r ?__x_iri }",
    )
    assert line == 5
    assert problem == (
        "parameter 'x' is written ?_x_iri on line 3 and ?__x_iri here: one name, "
        "one type, one required-ness"
    )


@pytest.mark.parametrize(
    ("header", "body", "line", "problem"),
    [
        ("#+summary: x\n", ONE, 1,
         "a header line starts with '#+ ' (hash, plus, space)"),
        ("#+ summary: x\n#+\ttags: [a]\n", ONE, 2,
         "a header line starts with '#+ ' (hash, plus, space)"),
        ("#+ summary: x\n#+ tags:\n#+ \t- a\n", ONE, 3,
         "tab character in the header: indent YAML with spaces only"),
        ("", ONE, 1, "no header: a stored query starts with '#+ summary: ...' lines"),
        ("# summary: x\n", ONE, 1,
         "no header: a stored query starts with '#+ summary: ...' lines"),
        ("#+ summary: x\n", ONE + "  #+ tags: [late]\n", 3,
         "'#+' header line after the query has begun: keep the header in one block "
         "at the top"),
        ("#+ summary: x\n#+ tags: [a]\n", "", 3,
         "no query after the header: only comments"),
        ("#+ summary: x\n", "# SELECT * WHERE { ?s ?p ?o }\n\n", 2,
         "no query after the header: only comments"),
        ("#+ summary: x\n", "SELECT * { ?s ?p ?_x }\n", 2,
         "a query with parameters needs a WHERE { ... } clause"),
        ("#+ summary: x\n#+ tags: [a]\n", "SELECT * { ?s ?p ?_x } # WHERE {\n", 3,
         "a query with parameters needs a WHERE { ... } clause"),
        ("#+ - a\n#+ - b\n", ONE, 1,
         "the header must be YAML 'key: value' lines (a mapping)"),
        ("#+ just words\n", ONE, 1,
         "the header must be YAML 'key: value' lines (a mapping)"),
        ("#+ summary: x\n#+ colour: red\n", ONE, 2,
         "unknown header key 'colour'; known keys: " + ", ".join(HEADER_KEYS)),
        ("#+ tags: [a]\n#+ summary: x\n#+ tags: [b]\n", ONE, 3,
         "key 'tags' appears twice"),
        ("#+ summary: x\n#+ params:\n#+   n: a\n#+   n: b\n", ONE, 4,
         "key 'n' appears twice"),
        ("#+ summary: x\n#+ defaults:\n#+   - {n: 1,\n#+      n: 2}\n", ONE, 4,
         "key 'n' appears twice"),
        ("#+ tags: [a]\n", ONE, 1, "the header needs 'summary:' with one line of text"),
        ("#+ tags: [a]\n#+ summary: [a]\n", ONE, 2,
         "the header needs 'summary:' with one line of text"),
        ("#+ tags: [a]\n#+ summary: '  '\n", ONE, 2,
         "the header needs 'summary:' with one line of text"),
        ("#+ summary: x\n#+ description: [a]\n", ONE, 2, "'description' must be text"),
        ("#+ summary: x\n#+ tags: a\n", ONE, 2,
         "'tags' must be a list of words: [a, b]"),
        ("#+ summary: x\n#+ tags: [a, 1]\n", ONE, 2,
         "'tags' must be a list of words: [a, b]"),
    ],
    ids=[
        "no-space", "tab-after-plus", "tab", "no-header", "plain-comment",
        "late-header", "header-only", "comments-only", "no-where", "where-in-comment",
        "list-header", "scalar-header", "unknown-key",
        "duplicate-key", "duplicate-nested", "duplicate-in-list", "no-summary",
        "summary-list", "summary-blank", "description-list", "tags-word",
        "tags-number",
    ],
)  # fmt: skip
def test_header_refusals(
    tmp_path: Path, header: str, body: str, line: int, problem: str
) -> None:
    assert refusal(tmp_path, header, body) == (line, problem)


def test_invalid_yaml_is_placed_and_explained(tmp_path: Path) -> None:
    assert refusal(tmp_path, "#+ summary: x\n#+ tags: [a\n#+ other: b\n") == (
        3,
        "header is not valid YAML: while parsing a flow sequence, did not find "
        "expected ',' or ']'",
    )
    assert refusal(tmp_path, "#+ summary: x\n#+   bad: indent\n") == (
        2,
        "header is not valid YAML: mapping values are not allowed in this context",
    )


def test_a_character_yaml_cannot_read_is_refused_on_line_one(tmp_path: Path) -> None:
    """A reader error has no mark: the whole header is named, in YAML's words."""
    assert refusal(tmp_path, "#+ tags: [a]\n#+ summary: a\x07b\n") == (
        1,
        "header is not valid YAML: unacceptable character #x0007: control "
        'characters are not allowed\n  in "<unicode string>", position 20',
    )


def test_blank_header_lines_and_lower_case_where_are_accepted(tmp_path: Path) -> None:
    stored = parsed(
        tmp_path, "#+ summary: x\n#+\n#+ tags: [a]\n", "select * where{ ?s ?p ?_x }"
    )
    assert stored.tags == ("a",) and stored.parameters[0].name == "x"
    assert stored.text == "select * where{ ?s ?p ?_x }\n"


def test_the_text_keeps_its_columns(tmp_path: Path) -> None:
    """Only blank lines are trimmed: comments become spaces, indentation stays, so
    an engine's line and column point into the file as written."""
    body = "\n  SELECT ?X WHERE { ?X ?p ?o } # done\n  ORDER BY ?X\n\n"
    stored = parsed(tmp_path, "#+ summary: x\n", body)
    assert stored.text == "  SELECT ?X WHERE { ?X ?p ?o }       \n  ORDER BY ?X\n"


PARAMS_BODY = "SELECT * WHERE { ?s ?a ?_a_integer ; ?b ?__b_integer ; ?c ?__c_iri }\n"


@pytest.mark.parametrize(
    ("header", "line", "problem"),
    [
        ("#+ params: [a]\n", 2, "'params' must map parameter names to text"),
        ("#+ params:\n#+   b: [1]\n", 3, "expected text or a mapping"),
        ("#+ params:\n#+   b:\n#+     size: 2\n", 4,
         "params: unknown key 'size' for 'b'; known: " + ", ".join(PARAM_KEYS)),
        ("#+ params:\n#+   b: {list: 'yes'}\n", 3, "'list' is true or false"),
        ("#+ params:\n#+   b:\n#+     list: 'yes'\n", 4, "'list' is true or false"),
        ("#+ params:\n#+   b:\n#+     refers: entity\n", 4,
         "'refers' is for IRI parameters and is one of " + ", ".join(KINDS)),
        ("#+ params:\n#+   c:\n#+     refers: colour\n", 4,
         "'refers' is for IRI parameters and is one of " + ", ".join(KINDS)),
        ("#+ params:\n#+   d: x\n", 3,
         "params: 'd' is not a parameter of this query (its parameters: a, b, c)"),
        ("#+ defaults:\n#+   d: 1\n", 3,
         "defaults: 'd' is not a parameter of this query (its parameters: a, b, c)"),
        ("#+ enumerate:\n#+   - b\n#+   - d\n", 4,
         "enumerate: 'd' is not a parameter of this query (its parameters: a, b, c)"),
        ("#+ example:\n#+   a: 1\n#+   d: 1\n", 4,
         "example: 'd' is not a parameter of this query (its parameters: a, b, c)"),
        ("#+ defaults: 3\n", 2, "'defaults' must be 'name: value' lines"),
        ("#+ defaults:\n#+   - b\n", 2, "'defaults' items must be 'name: value' pairs, "
         "not 'b'"),
        ("#+ enumerate:\n#+   - {b: [1], c: [x]}\n", 2, "'enumerate' items must be "
         "'name: value' pairs, not {'b': [1], 'c': ['x']}"),
        ("#+ enumerate:\n#+   - 3\n", 2,
         "'enumerate' items must be 'name: value' pairs, not 3"),
        ("#+ enumerate:\n#+   b: []\n", 3, "enumerate needs a list of values"),
        ("#+ defaults:\n#+   a: 1\n", 3,
         "'a' is required (?_a_integer), so a default is never used: make it "
         "optional (?__a_integer)"),
        ("#+ defaults:\n#+   b: [1, 2]\n", 3,
         "'b' takes one value: add 'list: true' under params to allow several"),
        ("#+ defaults:\n#+   b: 3\n#+ enumerate:\n#+   b: [1, 2]\n", 3,
         "3 is not one of 1, 2"),
        ("#+ defaults:\n#+   b: many\n", 3, "b: 'many' is not a whole number"),
        ("#+ example:\n#+   a: many\n", 3, "a: 'many' is not a whole number"),
        ("#+ example:\n#+   b: 2\n", 2, "example lacks the required parameter(s) a"),
        ("#+ example:\n#+   a: [1, 2]\n", 3,
         "'a' takes one value: add 'list: true' under params to allow several"),
    ],
    ids=[
        "params-list", "spec-list", "spec-key", "list-flag", "list-flag-block",
        "refers-on-integer",
        "refers-unknown", "params-name", "defaults-name", "enumerate-name",
        "example-name", "defaults-scalar", "defaults-bare", "enumerate-two-keys",
        "enumerate-number", "enumerate-empty", "default-of-required",
        "default-list", "default-not-a-choice", "default-ill-typed",
        "example-ill-typed", "example-incomplete", "example-list",
    ],
)  # fmt: skip
def test_parameter_section_refusals(
    tmp_path: Path, header: str, line: int, problem: str
) -> None:
    assert refusal(tmp_path, "#+ summary: x\n" + header, PARAMS_BODY) == (line, problem)


def test_a_query_without_parameters_names_none(tmp_path: Path) -> None:
    header = "#+ summary: x\n#+ defaults:\n#+   n: 1\n"
    assert refusal(tmp_path, header, "SELECT * WHERE { ?s ?p ?o }") == (
        3,
        "defaults: 'n' is not a parameter of this query (its parameters: none)",
    )


def test_defaults_enumerations_and_examples_are_typed(tmp_path: Path) -> None:
    stored = parsed(
        tmp_path,
        "#+ summary: x\n"
        "#+ params:\n#+   day: {list: true}\n#+   flag: {list: false}\n"
        "#+ defaults:\n#+   day: [2024-06-01, 2025-01-02]\n#+   flag: true\n"
        "#+   d: 2.5\n#+   e: UNODC\n"
        "#+ enumerate:\n#+   - flag\n#+   - d: [2.5, 3]\n"
        "#+ example:\n#+   day: 2024-06-01\n#+   flag: false\n#+   e: [CTED]\n",
        "SELECT * WHERE { ?s ?a ?__day_xsd_date ; ?b ?__flag_boolean ;"
        " ?c ?__d_decimal ; ?e ?__e_iri }",
    )
    day, flag, d, e = stored.parameters
    assert day.default == (dt.date(2024, 6, 1), dt.date(2025, 1, 2))
    assert (flag.default, flag.choices, flag.multiple) == (("true",), None, False)
    assert (d.default, d.choices) == (("2.5",), ("2.5", "3"))
    assert (e.default, e.refers) == (("UNODC",), "any")
    assert stored.example == {
        "day": [dt.date(2024, 6, 1)], "flag": "false", "e": "CTED"
    }  # fmt: skip


def test_numbers_in_an_enumeration_are_choices_as_text(tmp_path: Path) -> None:
    stored = parsed(
        tmp_path,
        "#+ summary: x\n#+ enumerate:\n#+   n: [1, 2]\n#+ defaults:\n#+   n: 2\n",
    )
    (n,) = stored.parameters
    assert (n.choices, n.default) == (("1", "2"), (2,))
    assert n.describe() == "n (a whole number; optional; one of 1, 2; default 2)"
    assert stored.bindings({"n": 1}, None) == {"__n_integer": [Literal(1)]}
    with pytest.raises(ParameterError) as caught:
        stored.bindings({"n": 3}, None)
    assert str(caught.value) == "parameter 'n': 3 is not one of 1, 2"


def test_a_nested_value_in_a_header_is_refused_where_it_is(tmp_path: Path) -> None:
    header = "#+ summary: x\n#+ defaults:\n#+   b: [{x: 1}]\n"
    assert refusal(tmp_path, header, PARAMS_BODY) == (
        3,
        "b: {'x': 1} is not a single value",
    )
    header = "#+ summary: x\n#+ enumerate:\n#+   b: [[1, 2]]\n"
    assert refusal(tmp_path, header, PARAMS_BODY) == (
        3,
        "b: [1, 2] is not a single value",
    )
    header = "#+ summary: x\n#+ tags: [a]\n#+ example:\n#+   b: [[1]]\n"
    assert refusal(tmp_path, header, PARAMS_BODY) == (4, "b: [1] is not a single value")


def test_an_incomplete_example_names_every_missing_parameter(tmp_path: Path) -> None:
    header = "#+ summary: x\n#+ example:\n#+   c: 1\n"
    body = "SELECT * WHERE { ?s ?a ?_a ; ?b ?_b ; ?c ?__c }"
    assert refusal(tmp_path, header, body) == (
        2,
        "example lacks the required parameter(s) a, b",
    )


def test_parameters_follow_the_header_order_then_first_use(tmp_path: Path) -> None:
    stored = parsed(
        tmp_path,
        "#+ summary: x\n#+ params:\n#+   c: third\n#+   a: first\n",
        "SELECT * WHERE { ?s ?x ?__z ; ?a ?_a ; ?y ?__y ; ?c ?__c }",
    )
    assert [p.name for p in stored.parameters] == ["c", "a", "z", "y"]


def test_pagination_must_be_a_row_count(tmp_path: Path) -> None:
    for value in ("true", "'5'", "-1", "0", "2.5"):
        assert refusal(tmp_path, f"#+ summary: x\n#+ pagination: {value}\n") == (
            2,
            "'pagination' is a number of rows, 1 or more",
        )
    assert parsed(tmp_path, "#+ summary: x\n#+ pagination: 1\n").pagination == 1
    for clause in ("LIMIT 5", "offset 5", "ORDER BY ?s LIMIT 1"):
        assert refusal(tmp_path, "#+ summary: x\n#+ pagination: 9\n", ONE + clause) == (
            2,
            "a paginated query has no LIMIT or OFFSET of its own",
        )
    # the words in a comment or a string are not clauses
    stored = parsed(
        tmp_path,
        "#+ summary: x\n#+ pagination: 9\n",
        'SELECT * WHERE { ?s ?p "LIMIT 5" } # OFFSET 3',
    )
    assert stored.pagination == 9


def test_a_chart_is_checked_against_the_columns(tmp_path: Path) -> None:
    header = "#+ summary: x\n#+ tags: [a]\n#+ chart:\n#+   type: bar\n#+   x: s\n"
    line, problem = refusal(tmp_path, header + "#+   y: z\n#+   reports: s\n")
    assert (line, problem) == (
        6,
        "chart: y: 'z' is not a column of this query (its columns: s)",
    )
    assert refusal(tmp_path, "#+ summary: x\n#+ chart: bar\n") == (
        2,
        "'chart' must be a mapping: {type: bar, x: ..., y: ...}",
    )
    stored = parsed(
        tmp_path,
        header + "#+   y: n\n#+   reports: s\n",
        "SELECT ?s ?n WHERE {?s ?p ?n}",
    )
    assert stored.chart == ChartSpec("bar", {"x": "s", "y": "n", "reports": "s"}, {})


def test_load_queries_reads_the_rq_files_of_one_folder(tmp_path: Path) -> None:
    assert load_queries(tmp_path) == {}
    write(tmp_path, "#+ summary: b\n" + ONE, "b-query.rq")
    write(tmp_path, "#+ summary: a\n" + ONE, "a-query.rq")
    write(tmp_path, "not a query", "notes.txt")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "#+ summary: c\n" + ONE, "c.rq")
    queries = load_queries(tmp_path)
    assert list(queries) == ["a-query", "b-query"]
    assert [q.summary for q in queries.values()] == ["a", "b"]
    assert queries["a-query"].path == tmp_path / "a-query.rq"
    write(tmp_path, "#+ summary: [\n" + ONE, "c-broken.rq")
    with pytest.raises(HeaderError) as caught:
        load_queries(tmp_path)
    assert caught.value.path == str(tmp_path / "c-broken.rq")


def test_the_stored_queries_all_parse() -> None:
    queries = load_queries()
    assert len(queries) >= 25
    assert all(q.summary and q.text.endswith("\n") for q in queries.values())


# --- parameters: values to terms --------------------------------------------------


def xsd(local: str) -> URIRef:
    """An XSD datatype (the namespace is not a module attribute: pytest probes those,
    and rdflib warns of every unknown name)."""
    return namespace.XSD[local]


def param(kind: str, **fields: Any) -> Parameter:
    """A parameter of one type, named `v` (optional unless told)."""
    fields.setdefault("required", False)
    return Parameter("v", "__v", kind, **fields)


def test_what_a_parameter_says_of_itself() -> None:
    assert param("iri").hint == KINDS["any"].hint
    assert param("iri", refers="country").hint == KINDS["country"].hint
    assert param("lang", lang="fr").hint == "text (@fr)"
    assert param("decimal").hint == "a number"
    assert param("string", required=True).describe() == "v (text; required)"
    described = param(
        "integer", multiple=True, choices=("1", "2"), default=(1, 2)
    ).describe()
    assert described == (
        "v (a whole number; optional; several allowed; one of 1, 2; default 1, 2)"
    )


def test_text_up_to_the_limit_is_taken() -> None:
    assert MAX_TEXT == 500
    text = param("string")
    assert text.term("x" * 500, None) == Literal("x" * 500)
    with pytest.raises(ParameterError) as caught:
        text.term("é" * 501, None)
    assert str(caught.value) == (
        "parameter 'v': a value of 501 characters is longer than the 500 a parameter "
        "takes ('" + "é" * 40 + "... (461 more characters)')"
    )
    # the limit is on characters given as text, whatever the type
    with pytest.raises(ParameterError, match="501 characters"):
        param("integer").term("1" * 501, None)
    # convert checks it too, for callers that skip Parameter.term
    with pytest.raises(ValueError) as caught_value:
        convert(text, "y" * 501, None)
    assert str(caught_value.value) == "text longer than 500 characters"
    assert convert(param("lang", lang="en"), "z" * 500, None) == Literal(
        "z" * 500, lang="en"
    )


def test_a_choice_is_compared_as_text() -> None:
    pick = param("integer", choices=("1", "2"))
    assert pick.term(2, None) == Literal(2)
    assert pick.term("1", None) == Literal(1)
    with pytest.raises(ParameterError) as caught:
        pick.term(3, None)
    assert str(caught.value) == "parameter 'v': 3 is not one of 1, 2"
    param("integer").check_choice(99)  # no choices: anything


def test_rdf_terms_are_taken_when_they_fit_the_type() -> None:
    iri = URIRef("https://example.org/a")
    assert convert(param("iri"), iri, None) == iri
    assert type(convert(param("iri"), iri, None)) is URIRef
    date = Literal("2024-01-02", datatype=xsd("date"))
    assert convert(param("date"), date, None) is date
    with pytest.raises(ValueError) as caught:
        convert(param("iri"), Literal("x"), None)
    assert str(caught.value) == ("rdflib.term.Literal('x') is not " + KINDS["any"].hint)
    with pytest.raises(ValueError) as caught:
        convert(param("string"), iri, None)
    assert str(caught.value) == f"{iri!r} is not text"
    with pytest.raises(ParameterError, match="not a valid IRI"):
        param("iri").term(URIRef("https://example.org/a b"), None)


def test_iri_values_need_a_graph_and_booleans_only_fit_booleans() -> None:
    with pytest.raises(ParameterError) as caught:
        param("iri").term("UNODC", None)
    assert str(caught.value) == (
        "parameter 'v': IRI values need a graph to resolve names against"
    )
    for kind in ("string", "decimal", "date", "year"):
        with pytest.raises(ValueError) as caught_value:
            convert(param(kind), False, None)
        assert str(caught_value.value) == f"False is not {param(kind).hint}"
    assert convert(param("boolean"), False, None) == Literal(False)
    assert convert(param("integer"), 7, None) == Literal(7)
    assert convert(param("decimal"), " 1.25 ", None) == Literal(Decimal("1.25"))
    assert convert(param("year"), " 2020 ", None) == Literal(
        "2020", datatype=xsd("gYear")
    )
    assert convert(param("date"), " 2020-02-29 ", None) == Literal(
        "2020-02-29", datatype=xsd("date")
    )
    with pytest.raises(AssertionError, match="unknown parameter type colour"):
        convert(param("colour"), "x", None)


def test_as_list_drops_empty_values() -> None:
    assert as_list(None) == [] and as_list("") == [] and as_list([]) == []
    assert as_list(0) == [0] and as_list(False) == [False] and as_list("a") == ["a"]
    assert as_list(("a", "", None, 0)) == ["a", 0]
    assert sorted(as_list({"b", "a", ""})) == ["a", "b"]
    assert as_list(frozenset({"c"})) == ["c"]


def test_scalar_header_values() -> None:
    assert (scalar(True), scalar(False)) == ("true", "false")
    assert (scalar(2.5), scalar(3), scalar("x")) == ("2.5", 3, "x")
    assert scalar(dt.date(2024, 1, 2)) == dt.date(2024, 1, 2)
    with pytest.raises(ValueError) as caught:
        scalar(None)
    assert str(caught.value) == "None is not a single value"


BOUND = """#+ summary: x
#+ params:
#+   many: {list: true}
#+ defaults:
#+   n: 4
#+   many: [a, b]
SELECT * WHERE { ?s ?a ?_req ; ?b ?_other_integer ; ?c ?__n_integer ;
  ?d ?__many ; ?e ?__e_iri ; ?f ?__one }
"""


def bound_query(tmp_path: Path) -> StoredQuery:
    return parse_query(write(tmp_path, BOUND))


def test_bindings_use_defaults_and_check_counts(tmp_path: Path) -> None:
    stored = bound_query(tmp_path)
    values = {"req": "r", "other": "2"}
    assert stored.bindings(values, None) == {
        "_req": [Literal("r")],
        "_other_integer": [Literal(2)],
        "__n_integer": [Literal(4)],
        "__many": [Literal("a"), Literal("b")],
    }
    given = stored.bindings({**values, "n": 9, "many": "c", "one": ""}, None)
    assert given["__n_integer"] == [Literal(9)] and given["__many"] == [Literal("c")]
    assert "__one" not in given
    with pytest.raises(ParameterError) as caught:
        stored.bindings({**values, "one": ["x", "y"]}, None)
    assert str(caught.value) == "parameter 'one' takes one value, not 2"
    with pytest.raises(ParameterError) as caught:
        stored.bindings({"n": 1}, None)
    assert str(caught.value) == (f"query 'q' needs 'req', 'other'; {stored.expects()}")
    with pytest.raises(ParameterError) as caught:
        stored.bindings({"other": 1, "req": None}, None)
    assert str(caught.value) == f"query 'q' needs 'req'; {stored.expects()}"


def test_iri_values_without_a_graph_are_only_checked(tmp_path: Path) -> None:
    stored = bound_query(tmp_path)
    values = {"req": "r", "other": 1}
    checked = stored.bindings({**values, "e": "UNODC", "one": "x"}, None)
    assert "__e_iri" not in checked and checked["__one"] == [Literal("x")]
    with pytest.raises(ParameterError, match="501 characters"):
        stored.bindings({**values, "e": "x" * 501}, None)
    with pytest.raises(ParameterError) as caught:
        stored.bindings({**values, "e": ["a", "b"]}, None)
    assert str(caught.value) == "parameter 'e' takes one value, not 2"
    chosen = replace_choices(stored, "e", ("A",))
    with pytest.raises(ParameterError) as caught:
        chosen.bindings({**values, "e": ["B"]}, None)
    assert str(caught.value) == "parameter 'e': 'B' is not one of A"


def replace_choices(stored: StoredQuery, name: str, choices: tuple[str, ...]) -> Any:
    from dataclasses import replace

    params = tuple(
        replace(p, choices=choices) if p.name == name else p for p in stored.parameters
    )
    return replace(stored, parameters=params)


def test_an_unknown_parameter_is_named_with_what_the_query_takes(
    tmp_path: Path,
) -> None:
    stored = bound_query(tmp_path)
    with pytest.raises(ParameterError) as caught:
        stored.bindings({"req": "r", "other": 1, "hue": "red"}, None)
    assert str(caught.value) == (
        f"query 'q' has no parameter 'hue'; {stored.expects()}"
    )


def test_strip_comments_and_query_form() -> None:
    text = 'SELECT ?s # note\nWHERE { ?s ?p "# not a comment" ; ?q <http://x/#y> }'
    assert strip_comments(text) == (
        'SELECT ?s       \nWHERE { ?s ?p "# not a comment" ; ?q <http://x/#y> }'
    )
    prologue = "# c\nPREFIX a: <http://a/>\n BASE <http://b/>\nprefix : <http://c/>\n"
    assert query_form(prologue + "ask {}") == "ASK"
    assert query_form(prologue + "  construct {} where {}") == "CONSTRUCT"
    assert query_form("DESCRIBE <x:y>") == "DESCRIBE"
    assert query_form("# only a comment") is None
    assert query_form(prologue) is None


# --- the Python API on a graph of a few triples -------------------------------------

UNODC = mint("entity", "unodc")

PROJECTS = """#+ summary: numbered things of an entity
PREFIX ctg: <https://w3id.org/ctgraph/ontology#>
SELECT ?s ?n WHERE { ?s ctg:implementedBy ?_entity_iri ; ctg:number ?n } ORDER BY ?n
"""
ASKING = "#+ summary: not a select\nASK { ?s ?p ?o }\n"
BROKEN = "#+ summary: broken\nSELECT ?s WHERE { ?s ?p }\n"
#: a product of five patterns over 30 numbers: 24 million rows, seconds of work
SLOW_PATTERN = (
    "?a ctg:number ?x1 . ?b ctg:number ?x2 . ?c ctg:number ?x3 . "
    "?d ctg:number ?x4 . ?e ctg:number ?x5 FILTER(?x1 + ?x2 + ?x3 + ?x4 + ?x5 < 0)"
)


@pytest.fixture
def small_trig(tmp_path: Path) -> Path:
    """Thirty numbered things in a named graph, implemented by UNODC."""
    ds = Dataset()
    g = ds.graph(mint("graph", "small"))
    g.add((UNODC, RDF.type, CTG.UNEntity))
    g.add((CTG.UNEntity, RDFS.subClassOf, CTG.Entity))
    g.add((UNODC, CTG.acronym, Literal("UNODC")))
    g.add((UNODC, RDFS.label, Literal("Office on Drugs", lang="en")))
    for i in range(30):
        thing = mint("project", f"p{i}")
        g.add((thing, CTG.number, Literal(i)))
        if i == 0:  # a name, but not an entity's
            g.add((thing, RDFS.label, Literal("First project", lang="en")))
        if i < 5:  # three by UNODC, two by another
            g.add((thing, CTG.implementedBy, UNODC if i < 3 else mint("entity", "x")))
    path = tmp_path / "small.trig"
    path.write_text(ds.serialize(format="trig"), encoding="utf-8")
    return path


@pytest.fixture
def queries(tmp_path: Path) -> dict[str, StoredQuery]:
    folder = tmp_path / "queries"
    folder.mkdir()
    for name, text in (("projects", PROJECTS), ("asking", ASKING), ("broken", BROKEN)):
        write(folder, text, f"{name}.rq")
    return load_queries(folder)


TRIPLES = 4 + 31 + 5


@pytest.mark.parametrize("engine", ENGINES)
def test_load_reads_a_trig_file_with_its_limits(
    engine: str, small_trig: Path, queries: dict[str, StoredQuery], tmp_path: Path
) -> None:
    kg = KnowledgeGraph.load(
        engine, trig=small_trig, queries=queries, timeout=5, max_rows=7,
        allow_service=["http://a.example/"],
    )  # fmt: skip
    assert (kg.engine, len(kg.backend)) == (engine, TRIPLES)
    assert (kg.timeout, kg.max_rows, kg.allow_service) == (
        5.0,
        7,
        ("http://a.example/",),
    )
    assert kg.queries == queries and kg.isolated
    rows = kg.query("projects", entity="UNODC").rows
    assert [row[1].toPython() for row in rows] == [0, 1, 2]
    # a TriG file given as the store, its suffix in any case
    upper = tmp_path / "SMALL.TRIG"
    upper.write_bytes(small_trig.read_bytes())
    assert len(KnowledgeGraph.load(engine, upper, queries={}).backend) == TRIPLES
    assert not (tmp_path / "small.oxigraph").exists()  # no cache beside a given file
    # the defaults: every stored query, thirty seconds, no row limit, no service
    default = KnowledgeGraph.load(engine, small_trig)
    assert set(default.queries) == set(load_queries())
    assert (default.timeout, default.max_rows, default.allow_service) == (
        30.0,
        None,
        (),
    )


def test_load_refusals_name_what_is_wrong(small_trig: Path, tmp_path: Path) -> None:
    def refused(*args: Any, **kwargs: Any) -> str:
        with pytest.raises(QueryError) as caught:
            KnowledgeGraph.load(*args, **kwargs)
        return str(caught.value)

    assert refused("blazegraph", small_trig) == (
        "unknown engine 'blazegraph'; choose one of oxigraph, rdflib"
    )
    text = write(tmp_path, "not a graph", "graph.ttl")
    for engine in ENGINES:
        assert refused(engine, text) == (
            f"{text} is a file, not a store folder or a .trig file"
        )
        missing = tmp_path / "missing.trig"
        assert refused(engine, trig=missing) == f"{missing} not found"
    assert refused("rdflib", tmp_path) == (
        "the rdflib engine reads a TriG file, not a store folder: "
        f"{tmp_path} is not a file"
    )
    nowhere = tmp_path / "absent" / "store"
    assert refused("oxigraph", nowhere, trig=small_trig) == (
        f"{nowhere}: the folder it would be created in, {nowhere.parent}, does not "
        "exist"
    )
    for name in ("ctgraph.trgi.ttl", "build.TriG", "graph.nq"):
        mistyped = tmp_path / name  # a file name, not a new store folder
        assert refused("oxigraph", mistyped, trig=small_trig) == (
            f"{mistyped}: no such file"
        )
        assert not mistyped.exists()
    empty = tmp_path / "empty-store"
    assert refused("oxigraph", empty, trig=tmp_path / "gone.trig") == (
        f"{tmp_path / 'gone.trig'} not found"
    )


def test_a_store_folder_is_filled_once_then_read_without_the_trig(
    small_trig: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    first = KnowledgeGraph.load(
        "oxigraph", store, trig=small_trig, queries={}, max_rows=2
    )
    assert (len(first.backend), first.max_rows, first.queries) == (TRIPLES, 2, {})
    assert (store / "ctgraph-store.json").is_file()
    del first
    again = KnowledgeGraph.load("oxigraph", store, trig=tmp_path / "gone.trig")
    assert len(again.backend) == TRIPLES


def test_the_built_graph_is_read_through_its_cached_store(
    small_trig: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    (work / "build").mkdir(parents=True)
    (work / "build" / "ctgraph.trig").write_bytes(small_trig.read_bytes())
    monkeypatch.chdir(work)
    kg = KnowledgeGraph.load(queries={}, max_rows=4)
    assert (len(kg.backend), kg.max_rows, kg.queries) == (TRIPLES, 4, {})
    assert cache_folder(work / "build" / "ctgraph.trig").is_dir()
    rdflib = KnowledgeGraph.load("rdflib", queries={}, max_rows=5)
    assert (len(rdflib.backend), rdflib.max_rows, rdflib.queries) == (TRIPLES, 5, {})


def test_the_built_graph_is_read_directly_when_no_cache_can_be_made(
    small_trig: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = tmp_path / "work" / "build"
    build.mkdir(parents=True)
    (build / "ctgraph.trig").write_bytes(small_trig.read_bytes())
    (build / ".ctgraph.oxigraph.lock").mkdir()  # the cache's lock cannot be taken
    monkeypatch.chdir(tmp_path / "work")
    kg = KnowledgeGraph.load(queries={}, max_rows=6)
    assert (len(kg.backend), kg.max_rows, kg.queries) == (TRIPLES, 6, {})
    assert not cache_folder(build / "ctgraph.trig").exists()


def small_graph(
    small_trig: Path, queries: dict[str, StoredQuery], **limits: Any
) -> Any:
    return KnowledgeGraph.load("oxigraph", small_trig, queries=queries, **limits)


def test_limits_are_checked_when_the_graph_is_opened(
    small_trig: Path, queries: dict[str, StoredQuery]
) -> None:
    for timeout in (0, -1.0):
        with pytest.raises(QueryError) as caught:
            small_graph(small_trig, queries, timeout=timeout)
        assert str(caught.value) == (
            f"a time limit is a positive number of seconds, not {timeout}"
        )
    with pytest.raises(QueryError) as caught:
        small_graph(small_trig, queries, max_rows=-1)
    assert str(caught.value) == "max_rows is a number of rows, not -1"
    assert small_graph(small_trig, queries, timeout=None).timeout is None


def test_a_row_limit_refuses_larger_results(
    small_trig: Path, queries: dict[str, StoredQuery]
) -> None:
    kg = small_graph(small_trig, queries, max_rows=3)
    assert len(kg.query("projects", entity="UNODC").rows) == 3
    assert len(kg.sparql("SELECT ?s WHERE { ?s ctg:number ?n } LIMIT 3").rows) == 3
    with pytest.raises(QueryLimitError) as caught:
        kg.sparql("SELECT ?s WHERE { ?s ctg:number ?n } LIMIT 4")
    assert str(caught.value) == (
        "the result has more than 3 rows (the limit): narrow the query or add LIMIT"
    )
    none = small_graph(small_trig, queries, max_rows=0)
    assert none.sparql("SELECT ?s WHERE { ?s ctg:number -1 }").rows == []
    with pytest.raises(QueryLimitError, match="more than 0 rows"):
        none.query("projects", entity="UNODC")


@pytest.mark.parametrize("isolated", [True, False])
def test_a_row_limit_stops_the_engine_at_one_row_more(
    small_trig: Path, queries: dict[str, StoredQuery], isolated: bool
) -> None:
    """A product of 810,000 rows (seconds to read in full) is refused at once: the
    engine is asked for one row more than the limit, not for every row."""
    kg = small_graph(small_trig, queries, max_rows=2, timeout=2)
    kg.isolated = isolated
    product = " . ".join(f"?s{i} ctg:number ?n{i}" for i in range(4))
    started = time.monotonic()
    with pytest.raises(QueryLimitError) as caught:
        kg.sparql(f"SELECT * WHERE {{ {product} }}")
    assert str(caught.value).startswith("the result has more than 2 rows")
    assert time.monotonic() - started < 2  # milliseconds, against about 20 s


def test_a_query_past_its_time_is_stopped(
    small_trig: Path, queries: dict[str, StoredQuery]
) -> None:
    kg = small_graph(small_trig, queries, timeout=0.3)
    stopped = (
        "the query ran longer than the time limit of 0.3 s and was stopped; give a "
        "longer limit (--timeout) or a narrower query"
    )
    for run, text in (
        (kg.sparql, f"SELECT * WHERE {{ {SLOW_PATTERN} }}"),
        (kg.ask, f"ASK {{ {SLOW_PATTERN} }}"),
        (kg.construct, f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ {SLOW_PATTERN} }}"),
    ):
        with pytest.raises(QueryLimitError) as caught:
            run(text)
        assert str(caught.value) == stopped


def test_queries_by_name_and_by_text(
    small_trig: Path, queries: dict[str, StoredQuery]
) -> None:
    kg = small_graph(small_trig, queries)
    assert kg.resolve("entity", "unodc") == UNODC
    assert param("iri").term("First project", kg.resolver) == mint("project", "p0")
    table, more = kg.query_page("projects", 2, 0, entity="Office on Drugs")
    assert ([r[1].toPython() for r in table.rows], more) == ([0, 1], True)
    assert kg.ask(f"ASK {{ <{UNODC}> a ctg:UNEntity }}") is True
    assert kg.ask(f"ASK {{ <{UNODC}> a ctg:Project }}") is False
    built = kg.construct("CONSTRUCT { ?s ctg:n ?n } WHERE { ?s ctg:number ?n }")
    assert len(built) == 30
    assert len(kg.construct(f"DESCRIBE <{UNODC}>")) == 3
    with pytest.raises(ParameterError) as refused:  # an entity, as the name says
        kg.query("projects", entity="First project")
    assert str(refused.value) == (
        "parameter 'entity': no entity matches 'First project': give "
        + KINDS["entity"].hint
    )
    with pytest.raises(UnknownQuery) as caught:
        kg.query("who-is-who")
    assert str(caught.value) == (
        "no stored query 'who-is-who'; known: asking, broken, projects"
    )
    with pytest.raises(QueryError) as caught:
        kg.query("asking")
    assert str(caught.value) == "only SELECT queries are supported, not ASK"
    with pytest.raises(QueryError) as caught:
        kg.run("# nothing\n", None)
    assert str(caught.value) == "only SELECT queries are supported, not this"
    with pytest.raises(QueryError) as caught:
        kg.ask("SELECT * { ?s ?p ?o }")
    assert str(caught.value) == "expected a ASK query, not SELECT"


@pytest.mark.parametrize("isolated", [True, False])
def test_an_engines_refusal_is_named(
    small_trig: Path, queries: dict[str, StoredQuery], isolated: bool
) -> None:
    kg = small_graph(small_trig, queries)
    kg.isolated = isolated
    with pytest.raises(QueryError) as caught:
        kg.query("broken")
    assert str(caught.value).startswith("the oxigraph engine refused the query: ")
    assert str(caught.value) != "the oxigraph engine refused the query: "
    service = "SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }"
    for run, text in (
        (kg.sparql, f"SELECT * {{ {service} }}"),
        (kg.ask, f"ASK {{ {service} }}"),
    ):
        with pytest.raises(QueryLimitError) as limit:
            run(text)
        assert str(limit.value).startswith(
            "the query reaches http://127.0.0.1:9/ (SERVICE)"
        )
    kg.allow_service = ("127.0.0.1",)
    for run, text in (
        (kg.sparql, f"SELECT * {{ {service} }}"),
        (kg.ask, f"ASK {{ {service} }}"),
    ):
        with pytest.raises(QueryError) as caught:
            run(text)
        assert type(caught.value) is QueryError
        assert str(caught.value).startswith("the oxigraph engine refused the query: ")


def test_a_server_runs_select_in_its_own_words(
    start_oxigraph: Callable[..., OxigraphServer], queries: dict[str, StoredQuery]
) -> None:
    server = start_oxigraph()
    insert = urllib.request.Request(
        server.update_url,
        data=(
            "INSERT DATA { <urn:x:a> <urn:x:p> 1 . <urn:x:b> <urn:x:p> 2 . "
            f"<urn:x:a> <{CTG.implementedBy}> <{UNODC}> ; <{CTG.number}> 1 . "
            f"<urn:x:b> <{CTG.implementedBy}> <urn:x:other> ; <{CTG.number}> 2 }}"
        ).encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    urllib.request.urlopen(insert, timeout=10).close()
    kg = KnowledgeGraph(server.backend(server_union=True), queries, max_rows=2)
    assert kg.engine == "remote"
    assert len(kg.sparql("SELECT ?s WHERE { ?s <urn:x:p> ?n }").rows) == 2
    rows = kg.query("projects", entity=str(UNODC)).rows  # the value bound
    assert [(str(s), n.toPython()) for s, n in rows] == [("urn:x:a", 1)]
    kg.max_rows = 1
    with pytest.raises(QueryLimitError) as caught:
        kg.sparql("SELECT ?s WHERE { ?s <urn:x:p> ?n }")
    assert str(caught.value).startswith("the result has more than 1 rows")
    with pytest.raises(QueryError) as caught:
        kg.sparql("SELECT ?x WHERE { ?x a foo:P }")
    message = str(caught.value)
    assert message.startswith("the remote engine refused the query: "), message
    assert "answered HTTP 400" in message and "syntax error at" not in message
    with pytest.raises(QueryError) as caught:
        kg.query("asking")
    assert str(caught.value) == "only SELECT queries are supported, not ASK"


def test_a_missing_built_graph_is_built_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`KnowledgeGraph.load()` with no build yet builds the real data (seconds: left
    out of the mutation run, whose sessions must take milliseconds)."""
    monkeypatch.chdir(tmp_path)
    kg = KnowledgeGraph.load(queries={})
    trig = tmp_path / "build" / "ctgraph.trig"
    assert trig.is_file() and cache_folder(trig).is_dir()  # read through its cache
    assert len(kg.backend) == len(OxigraphBackend.from_trig(trig)) > 10_000


def test_a_from_source_reaches_the_network_only_on_rdflib(
    small_trig: Path, queries: dict[str, StoredQuery]
) -> None:
    """rdflib fetches a FROM graph by its IRI; Oxigraph reads it from the store."""
    source = "FROM <http://127.0.0.1:9/g>"
    texts = (
        f"SELECT * {source} WHERE {{ ?s ?p ?o }}",
        f"ASK {source} {{ ?s ?p ?o }}",
        f"CONSTRUCT {{ ?s ?p ?o }} {source} WHERE {{ ?s ?p ?o }}",
    )
    local = small_graph(small_trig, queries)  # answered, whatever the graph holds
    local.sparql(texts[0])
    local.ask(texts[1])
    local.construct(texts[2])
    fetching = KnowledgeGraph.load("rdflib", small_trig, queries=queries)
    for run, text in zip(
        (fetching.sparql, fetching.ask, fetching.construct), texts, strict=True
    ):
        with pytest.raises(QueryLimitError) as caught:
            run(text)
        assert str(caught.value).startswith(
            "the query reaches http://127.0.0.1:9/g (FROM): "
        )
