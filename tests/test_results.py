"""Result formats: SPARQL 1.1 JSON, CSV/TSV with plain values, Markdown, rich."""

from __future__ import annotations

import csv
import io
import json

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ctgraph.namespaces import CTG, mint
from ctgraph.queries.results import compact, render, to_rich
from ctgraph.store.backends import ResultTable

TABLE = ResultTable(
    ["entity", "label", "count", "note"],
    [
        (
            mint("entity", "unodc"),
            Literal("UNODC, Vienna", lang="en"),
            Literal(3),
            None,
        ),
        (URIRef("https://example.org/x"), Literal('say "hi" | bye'), None, None),
    ],
)


def test_json_is_sparql_results_json() -> None:
    document = json.loads(render(TABLE, "json"))
    assert document["head"] == {"vars": ["entity", "label", "count", "note"]}
    first, second = document["results"]["bindings"]
    assert first == {
        "entity": {"type": "uri", "value": str(mint("entity", "unodc"))},
        "label": {"type": "literal", "value": "UNODC, Vienna", "xml:lang": "en"},
        "count": {"type": "literal", "value": "3", "datatype": str(XSD.integer)},
    }
    assert second["label"] == {"type": "literal", "value": 'say "hi" | bye'}


def test_csv_and_tsv_give_plain_values() -> None:
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        rows = list(csv.reader(io.StringIO(render(TABLE, fmt)), delimiter=delimiter))
        assert rows[0] == TABLE.columns
        assert rows[1] == [str(mint("entity", "unodc")), "UNODC, Vienna", "3", ""]
        assert rows[2][1] == 'say "hi" | bye'


def test_markdown_shortens_iris_and_escapes_pipes() -> None:
    lines = render(TABLE, "md").splitlines()
    assert lines[0] == "| entity | label | count | note |"
    assert lines[2] == "| id:entity/unodc | UNODC, Vienna | 3 |  |"
    assert 'say "hi" \\| bye' in lines[3] and "<https://example.org/x>" in lines[3]


def test_compact_prefers_the_longest_namespace() -> None:
    assert compact(CTG.Chair) == "ctg:Chair"
    assert compact(mint("country", "qat")) == "id:country/qat"
    assert compact(None) == ""


def test_rich_table_counts_rows() -> None:
    table = to_rich(TABLE, "title")
    assert [c.header for c in table.columns] == TABLE.columns
    assert table.row_count == 2 and table.caption == "2 row(s)"
