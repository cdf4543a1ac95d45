"""Reading one CSV table: the header, every row's shape, and the message that names
the file, the line and the problem when a row does not fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctgraph.sources.tables import (
    NEEDED,
    TABLES,
    PartialDate,
    Record,
    SourceError,
    discover,
    parse_date,
    read_all,
    read_table,
)

PEOPLE = "id,name,source,locator\n"


def table(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(text.encode(encoding))
    return path


def refused(path: Path) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_table(path)
    assert info.value.path == str(path)
    return info.value


def test_source_error_message_names_path_line_and_problem() -> None:
    error = SourceError(Path("data/people.csv"), 7, "column 'name' is empty")
    assert (error.path, error.line, error.problem) == (
        "data/people.csv",
        7,
        "column 'name' is empty",
    )
    assert str(error) == "data/people.csv, line 7: column 'name' is empty"
    assert str(SourceError("data", None, "data folder not found")) == (
        "data: data folder not found"
    )


def test_record_cells_are_stripped_and_lists_split_on_semicolons() -> None:
    record = Record(
        "people", "p.csv", 3, {"name": "  Ada ", "list": " a ; ;b;  ", "gap": ""}
    )
    assert record.get("name") == "Ada"
    assert record.get("absent") == ""
    assert record.items("list") == ["a", "b"]
    assert record.items("gap") == [] and record.items("absent") == []
    error = record.fail("bad")
    assert (error.path, error.line, error.problem) == ("p.csv", 3, "bad")


def test_dates_are_read_with_their_precision() -> None:
    assert parse_date(" 2019-06 ") == PartialDate(2019, 6, None)
    assert parse_date("2017-09-25") == PartialDate(2017, 9, 25)
    assert parse_date("2016") == PartialDate(2016)
    assert str(PartialDate(987, 3, 4)) == "0987-03-04"


def test_bad_dates_say_which_text_and_why() -> None:
    with pytest.raises(ValueError) as shape:
        parse_date("June 2017")
    assert str(shape.value) == ("date 'June 2017' is not YYYY, YYYY-MM or YYYY-MM-DD")
    with pytest.raises(ValueError) as impossible:
        parse_date("2023-02-29")
    assert str(impossible.value).startswith("date '2023-02-29' is impossible (")
    assert "day is out of range" in str(impossible.value)


def test_a_good_table_gives_one_record_per_row_with_its_line(tmp_path: Path) -> None:
    path = table(
        tmp_path,
        "people",
        " id , name ,source,locator\n"
        "ada,Ada Lovelace,r1,p. 2\n"
        "\n"
        " , ,,\n"
        'bob,"Bob\nSmith",r1,p. 3\n'
        "cy,Cy,r1,p. 4\n",
    )
    records = read_table(path)
    assert [(r.table, r.line, r.get("id")) for r in records] == [
        ("people", 2, "ada"),
        ("people", 6, "bob"),
        ("people", 7, "cy"),
    ]
    assert records[0].path == str(path)
    assert records[0].values == {
        "id": "ada",
        "name": "Ada Lovelace",
        "source": "r1",
        "locator": "p. 2",
    }
    assert records[1].get("name") == "Bob\nSmith"


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    path = table(tmp_path, "people", PEOPLE + "ada,Ada,r1,p. 2\n", "utf-8-sig")
    assert read_table(path)[0].get("id") == "ada"


def test_an_unknown_table_lists_the_known_ones(tmp_path: Path) -> None:
    error = refused(table(tmp_path, "rumours", "id\nx\n"))
    assert error.line is None
    assert error.problem == "unknown table 'rumours'; known: " + ", ".join(
        sorted(TABLES)
    )


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    error = refused(table(tmp_path, "people", PEOPLE + "x,Zoë,r1,p. 1\n", "latin-1"))
    assert error.line is None and error.problem.startswith("not UTF-8 (")


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "people.csv").mkdir()
    error = refused(tmp_path / "people.csv")
    assert error.line is None and error.problem == "cannot read: Is a directory"


def test_an_empty_file_wants_a_header(tmp_path: Path) -> None:
    error = refused(table(tmp_path, "people", ""))
    assert (error.line, error.problem) == (1, "empty file: expected a header row")


def test_a_malformed_header_is_line_one(tmp_path: Path) -> None:
    error = refused(table(tmp_path, "people", 'id,"na"me,source,locator\n'))
    assert error.line == 1 and error.problem.startswith("malformed CSV: ")


def test_every_missing_column_is_named(tmp_path: Path) -> None:
    error = refused(table(tmp_path, "people", "id,source\n"))
    assert (error.line, error.problem) == (1, "missing column(s) name, locator")


def test_an_unknown_column_lists_what_the_table_takes(tmp_path: Path) -> None:
    error = refused(table(tmp_path, "people", "id,name,source,locator,age,hat\n"))
    assert (error.line, error.problem) == (
        1,
        "unknown column(s) age, hat; table people takes id, name, source, locator",
    )
    error = refused(table(tmp_path, "regions", "id,name,source,locator,x\n"))
    assert error.problem.endswith("takes id, name, source, locator, countries")


def test_optional_columns_may_be_absent_or_present(tmp_path: Path) -> None:
    path = table(tmp_path, "regions", "name,id,source,locator\nWest,w,r1,p. 1\n")
    assert read_table(path)[0].get("countries") == ""
    path = table(
        tmp_path, "regions", "id,name,source,locator,countries\nw,West,r1,p. 1,FR\n"
    )
    assert read_table(path)[0].items("countries") == ["FR"]


def test_a_broken_quote_is_reported_where_its_row_starts(tmp_path: Path) -> None:
    path = table(tmp_path, "people", PEOPLE + "a,A,r1,p. 1\n" + 'b,"B\n\nC,r1,p. 2')
    error = refused(path)
    assert error.line == 3
    assert error.problem.startswith("malformed CSV in the row starting here: ")


@pytest.mark.parametrize(
    ("row", "cells"), [("ada,Ada,r1", 3), ("ada,Ada,r1,p. 2,extra", 5)]
)
def test_a_row_of_the_wrong_width_names_the_header(
    tmp_path: Path, row: str, cells: int
) -> None:
    error = refused(table(tmp_path, "people", PEOPLE + "cy,Cy,r1,p. 1\n" + row))
    assert (error.line, error.problem) == (
        3,
        f"row has {cells} cells, header has 4 (id, name, source, locator)",
    )


def test_an_empty_required_cell_is_named(tmp_path: Path) -> None:
    error = refused(table(tmp_path, "people", PEOPLE + "ada,Ada,r1,p. 1\nbob, ,r1,x\n"))
    assert (error.line, error.problem) == (3, "column 'name' is empty")


def test_tables_are_found_below_the_folder_in_order_except_aliases(
    tmp_path: Path,
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "aliases").mkdir()
    for name in ("people.csv", "b/events.csv", "aliases/people.csv", "notes.txt"):
        (tmp_path / name).write_text(PEOPLE)
    assert [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)] == [
        "b/events.csv",
        "people.csv",
    ]


def test_all_tables_are_grouped_by_name(tmp_path: Path) -> None:
    (tmp_path / "more").mkdir()
    table(tmp_path, "people", PEOPLE + "ada,Ada,r1,p. 1\n")
    table(tmp_path / "more", "people", PEOPLE + "bob,Bob,r1,p. 2\n")
    tables = read_all(tmp_path)
    assert set(tables) == set(TABLES)
    assert [r.get("id") for r in tables["people"]] == ["bob", "ada"]
    assert tables["events"] == []


def test_needed_tables_without_rows_are_named(tmp_path: Path) -> None:
    table(tmp_path, "sources", "id,file,title,date,publisher,language\n")
    table(tmp_path, "people", PEOPLE + "ada,Ada,r1,p. 1\n")
    assert read_all(tmp_path, ("people",))["people"]
    with pytest.raises(SourceError) as info:
        read_all(tmp_path, NEEDED)
    assert info.value.path == str(tmp_path) and info.value.line is None
    assert info.value.problem == (
        "no rows for the table(s) sources (sources.csv), entities (entities.csv), "
        "working_groups (working_groups.csv), memberships (memberships.csv) "
        "in this folder or below it: a build needs them"
    )


def test_a_missing_data_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        read_all(tmp_path / "nowhere")
    assert str(info.value) == f"{tmp_path / 'nowhere'}: data folder not found"
