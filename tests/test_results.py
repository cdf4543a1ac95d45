"""Result formats: SPARQL 1.1 JSON, CSV/TSV with plain values, Markdown, rich."""

from __future__ import annotations

import csv
import io
import json

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rich.console import Console

from ctgraph.namespaces import CTG, mint
from ctgraph.queries.results import (
    compact,
    fits,
    for_terminal,
    render,
    to_rich,
    with_labels,
)
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


LABELLED = ResultTable(
    ["group", "groupLabel", "role", "entity", "entityLabel"],
    [
        (
            mint("working-group", "compact-wg-1"),
            Literal("Preventing and countering violent extremism"),
            Literal("chair"),
            mint("entity", "unoct"),
            Literal("United Nations Office of Counter-Terrorism"),
        ),
        (
            mint("working-group", "compact-wg-2"),
            None,
            Literal("co-chair"),
            mint("entity", "unodc"),
            Literal("United Nations Office on Drugs and Crime"),
        ),
    ],
)


def drawn(table: ResultTable, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    console.print(for_terminal(table, "title", width))
    return console.export_text().splitlines()


def test_labels_take_the_place_of_their_iris_for_reading() -> None:
    shown = with_labels(LABELLED)
    assert shown.columns == ["group", "role", "entity"]
    assert str(shown.rows[0][0]).startswith("Preventing and countering")
    # no label: the IRI stays
    assert shown.rows[1][0] == mint("working-group", "compact-wg-2")
    assert str(shown.rows[1][2]) == "United Nations Office on Drugs and Crime"
    # the machine formats keep both columns
    assert render(LABELLED, "csv").splitlines()[0] == ",".join(LABELLED.columns)


def test_a_narrow_result_stays_a_grid() -> None:
    assert fits(TABLE, 80)
    lines = drawn(TABLE, 80)
    assert any("entity" in line and "label" in line for line in lines)
    assert "2 row(s)" in lines[-1]


def test_a_wide_result_becomes_records_within_80_columns() -> None:
    assert not fits(LABELLED, 60)
    lines = drawn(LABELLED, 60)
    assert lines and all(len(line) <= 60 for line in lines)
    assert any(line.startswith("1 of 2") for line in lines)
    assert any(line.startswith("2 of 2") for line in lines)
    assert any("United Nations Office on Drugs and Crime" in line for line in lines)
    # a value is never cut into slivers: the label's words stay on one line
    assert any("Office of Counter-Terrorism" in line for line in lines)
    assert lines[-1] == "2 row(s)"


def test_a_grid_with_one_long_column_folds_that_column() -> None:
    table = ResultTable(
        ["id", "note"],
        [(Literal("a"), Literal("word " * 40))],
    )
    assert fits(table, 80)
    assert all(len(line) <= 80 for line in drawn(table, 80))
