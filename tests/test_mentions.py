"""Resolution mentions in the five reports, against a list compiled by hand.

tests/fixtures/expected_mentions.csv was built by reading each report (searching for
"resolution", "决议", "RES/", "SCR", "PRST" and numbers with a year in parentheses),
not from the scanner's output. Decisions it encodes: a committee named by a number
("the 1540 Committee") is a body, not a citation; a sanctions regime named by
resolutions ("1267/1989/2253") cites each; years are as written on that line.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from ctgraph.mentions import (
    SEEDS_ENV,
    ReportMention,
    complete_years,
    distinct_resolutions,
    report_files,
    scan_report,
    scan_seeds,
    seeds_dir,
)
from ctgraph.symbols import Symbol, parse_symbol, sc_year_table

EXPECTED = Path(__file__).parent / "fixtures" / "expected_mentions.csv"
REPORTS = report_files(seeds_dir())

Row = tuple[int, str, str]  # line, canonical symbol, text as written


def expected_rows() -> dict[str, Counter[Row]]:
    rows: dict[str, Counter[Row]] = {path.name: Counter() for path in REPORTS}
    with EXPECTED.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["report"]][(int(row["line"]), row["symbol"], row["text"])] += 1
    return rows


def scanned_rows(path: Path) -> Counter[Row]:
    return Counter((m.line, m.symbol.canonical, m.text) for m in scan_report(path))


def test_all_five_reports_are_scanned() -> None:
    assert len(REPORTS) == 5
    assert set(expected_rows()) == {path.name for path in REPORTS}


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name[:3])
def test_no_mention_is_missed(path: Path) -> None:
    missing = expected_rows()[path.name] - scanned_rows(path)
    assert not missing, f"not found: {sorted(missing)}"


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name[:3])
def test_no_mention_is_invented(path: Path) -> None:
    extra = scanned_rows(path) - expected_rows()[path.name]
    assert not extra, f"not in the reports: {sorted(extra)}"


def test_expected_symbols_are_canonical() -> None:
    with EXPECTED.open(encoding="utf-8", newline="") as handle:
        symbols = [row["symbol"] for row in csv.DictReader(handle)]
    assert symbols
    assert all(parse_symbol(s).canonical == s for s in symbols)


def test_expected_text_stands_on_its_line() -> None:
    lines = {
        path.name: path.read_text(encoding="utf-8").split("\n") for path in REPORTS
    }
    with EXPECTED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["text"] in lines[row["report"]][int(row["line"]) - 1], row


def test_years_come_from_the_reports_only() -> None:
    mentions = [m for found in scan_seeds(seeds_dir()).values() for m in found]
    completed = {(m.report, m.line, m.text): m.symbol for m in complete_years(mentions)}
    sg_report = REPORTS[4].name
    # "resolutions 1373, 1540 and 1624": each number is stated with a year elsewhere.
    assert completed[(sg_report, 264, "resolutions 1373")] == Symbol(
        "SC", 1373, year=2001
    )
    assert completed[(sg_report, 264, "1540")] == Symbol("SC", 1540, year=2004)
    # "SCR 2462" is never given a year in any report, so none is added.
    assert completed[(REPORTS[2].name, 97, "SCR 2462")] == Symbol("SC", 2462)
    assert completed[(sg_report, 621, "2253")] == Symbol("SC", 2253, year=2015)


def test_conflicting_years_in_the_reports_are_reported() -> None:
    mentions = [m for found in scan_seeds(seeds_dir()).values() for m in found]
    table = sc_year_table(m.symbol for m in mentions)
    # Line 418 of the SG report writes "2178 (2017)", elsewhere "2178 (2014)": the
    # numbering (2185 (2014)) rules out 2017. "2195 (2014)" and "2195 (2015)" both fit.
    assert table.conflicts == {
        2178: frozenset({2014, 2017}),
        2195: frozenset({2014, 2015}),
    }
    assert table.years[2178] == 2014
    assert 2195 not in table.years


def test_distinct_resolutions_ignore_how_the_year_was_written() -> None:
    mentions = [
        ReportMention("r.txt", 1, Symbol("SC", 2178, year=2014), "a"),
        ReportMention("r.txt", 2, Symbol("SC", 2178, year=2017), "b"),
        ReportMention("r.txt", 3, Symbol("SC", 2178), "c"),
        ReportMention("r.txt", 4, Symbol("GA", 291, session=71), "d"),
    ]
    assert len(distinct_resolutions(mentions)) == 2


def test_seeds_folder_can_be_set_by_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "one.txt").write_text("intro\nsee resolution 2396 (2017).\n", "utf-8")
    monkeypatch.setenv(SEEDS_ENV, str(tmp_path))
    assert seeds_dir() == tmp_path
    found = scan_seeds()
    assert found == {
        "one.txt": [
            ReportMention(
                "one.txt", 2, Symbol("SC", 2396, year=2017), "resolution 2396 (2017)"
            )
        ]
    }


def test_empty_seeds_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        report_files(tmp_path)
