"""Bad source rows stop the build with one message naming file, line and problem."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import pytest

from ctgraph.graph.dataset import build_dataset
from ctgraph.sources.tables import SourceError, parse_date, read_all, read_table

SOURCES = (
    "id,file,title,date,publisher,language,symbol\n"
    "r1,r1.txt,Report one,2024-02,UNOCT,en,\n"
)
ENTITIES = (
    "id,acronym,name,name_zh,type,parent,compact_status,alt_labels,source,locator\n"
)


def make_data(tmp_path: Path, **tables: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.csv").write_text(SOURCES)
    for name, text in tables.items():
        (data / f"{name}.csv").write_text(text)
    return data


def build_error(data: Path) -> SourceError:
    with pytest.raises(SourceError) as info:
        build_dataset(read_all(data))
    return info.value


def test_good_minimal_data_builds(tmp_path: Path) -> None:
    data = make_data(
        tmp_path,
        entities=ENTITIES
        + "unoct,UNOCT,Office of Counter-Terrorism,,un-entity,,,,r1,line 2\n",
    )
    assert len(build_dataset(read_all(data))) > 0


def test_missing_cell_names_file_and_line(tmp_path: Path) -> None:
    data = make_data(
        tmp_path, entities=ENTITIES + "unoct,UNOCT,Office,,un-entity,,,,r1\n"
    )
    error = build_error(data)
    assert error.path.endswith("entities.csv") and error.line == 2
    assert "9 cells" in error.problem and "header has 10" in error.problem


def test_extra_cell_names_file_and_line(tmp_path: Path) -> None:
    data = make_data(
        tmp_path,
        entities=ENTITIES
        + "unoct,UNOCT,Office,,un-entity,,,,r1,line 2\n"
        + "cted,CTED,Directorate,,un-entity,,,,r1,line 3,extra\n",
    )
    error = build_error(data)
    assert error.line == 3 and "11 cells" in error.problem


def test_missing_column_in_header(tmp_path: Path) -> None:
    data = make_data(tmp_path, entities="id,name,type,source\nx,X,partner,r1\n")
    error = build_error(data)
    assert error.line == 1 and "locator" in error.problem


def test_unknown_column_in_header(tmp_path: Path) -> None:
    data = make_data(tmp_path, people="id,name,source,locator,age\nx,X,r1,line 1,40\n")
    assert "unknown column(s) age" in build_error(data).problem


def test_unknown_entity_reference(tmp_path: Path) -> None:
    data = make_data(
        tmp_path,
        entities=ENTITIES + "unoct,UNOCT,Office,,un-entity,,,,r1,line 2\n",
        working_groups="id,name,number,kind,parent,pillars,source,locator\n"
        "wg-1,One,1,working-group,compakt,,r1,line 3\n",
    )
    error = build_error(data)
    assert error.path.endswith("working_groups.csv") and error.line == 2
    assert "unknown entity 'compakt'" in error.problem


def test_impossible_date(tmp_path: Path) -> None:
    data = make_data(
        tmp_path,
        entities=ENTITIES + "unoct,UNOCT,Office,,un-entity,,,,r1,line 2\n",
        events="id,title,start,end,city,country,organisers,partners,participants,"
        "programme,source,locator\n"
        "e1,Meeting,2024-02-30,,,,unoct,,,,r1,line 9\n",
    )
    error = build_error(data)
    assert error.line == 2 and "2024-02-30" in error.problem
    assert "impossible" in error.problem


def test_end_before_start(tmp_path: Path) -> None:
    data = make_data(
        tmp_path,
        events="id,title,start,end,source,locator\ne1,Meeting,2024-02,2023,r1,line 9\n",
    )
    assert "before start" in build_error(data).problem


def test_unknown_source(tmp_path: Path) -> None:
    data = make_data(
        tmp_path, entities=ENTITIES + "unoct,UNOCT,Office,,un-entity,,,,r9,line 2\n"
    )
    assert "unknown source 'r9'" in build_error(data).problem


def test_conflicting_canonical_names(tmp_path: Path) -> None:
    data = make_data(
        tmp_path,
        entities=ENTITIES
        + "unoct,UNOCT,Office,,un-entity,,,,r1,line 2\n"
        + "unoct,UNOCT,Bureau,,un-entity,,,,r1,line 5\n",
    )
    error = build_error(data)
    assert error.line == 3 and "one canonical name per id" in error.problem


def test_unknown_table_file(tmp_path: Path) -> None:
    data = make_data(tmp_path, rumours="id\nx\n")
    assert "unknown table 'rumours'" in build_error(data).problem


def test_malformed_quoting(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('id,name,source,locator\nx,"unclosed,r1,line 1\n')
    with pytest.raises(SourceError):
        read_table(path)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2016", "2016-01-01", "2016-12-31"),
        ("2019-06", "2019-06-01", "2019-06-30"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2017-09-25", "2017-09-25", "2017-09-25"),
        ("2018-12", "2018-12-01", "2018-12-31"),
    ],
)
def test_partial_dates_bound_their_period(text: str, first: str, last: str) -> None:
    date = parse_date(text)
    assert str(date) == text
    assert (date.first_day.isoformat(), date.last_day.isoformat()) == (first, last)


@pytest.mark.parametrize("text", ["2024-13", "15 June 2017", "2023-02-29", "24"])
def test_bad_dates_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("year", [2019, 2020, 2100])
def test_every_month_ends_on_its_last_day(year: int) -> None:
    months = range(1, 13)
    assert len(months) == 12
    for month in months:
        date = parse_date(f"{year}-{month:02d}")
        last = calendar.monthrange(year, month)[1]
        assert date.first_day == dt.date(year, month, 1)
        assert date.last_day == dt.date(year, month, last), f"{year}-{month:02d}"
