"""The facts taken from the Secretary-General's 2018 report (data/sgreport/).

The tables are read with `csv` alone, so a broken row is caught here even before the
build runs; the checks tie rows back to the report (locators, Chinese names, order of
the Trust Fund list) and guard the figures a reader is most likely to ask about.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest
from texts import REPORTS_DIR, needs_reports

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
HERE = DATA / "sgreport"
SOURCE = "sg-report-2018"
SEED = REPORTS_DIR / "004_bbad495e8ce163f7.txt"

#: the report's lines, 1-based: Chinese body first, then the English annexes
LAST_LINE = 1121
ANNEXES = {
    "I": (254, 269),
    "II": (270, 848),
    "III": (849, 954),
    "IV": (955, 1084),
    "V": (1085, LAST_LINE),
}
BODY = (1, 253)
#: the CTITF project matrix, recorded elsewhere (data/matrix/)
MATRIX = (392, 848)

#: rows at least this many per table (what the report gave)
MIN_ROWS = {
    "entities": 120,
    "working_groups": 13,
    "memberships": 17,
    "posts": 6,
    "resolutions": 39,
    "resolution_acts": 6,
    "instruments": 18,
    "pillars": 4,
    "regions": 5,
    "projects": 20,
    "events": 10,
    "contributions": 29,
    "observations": 19,
    "functions": 5,
}

PART = re.compile(
    r"(?:Annex (?P<annex>[IV]+), )?(?:item \d+, )?"
    r"lines? (?P<lines>\d+(?:(?:-|, )\d+)*)(?:, item \d+)?"
)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SYMBOL = re.compile(
    r"S/RES/\d+ \(\d{4}\)|A/RES/\d+/\d+|A/HRC/RES/\d+/\d+|S/PRST/\d{4}/\d+"
)


def read(table: str, folder: Path = HERE) -> list[dict[str, str]]:
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_everywhere(table: str) -> list[dict[str, str]]:
    """A table split across data/ sub-folders, as the build reads it."""
    rows: list[dict[str, str]] = []
    for path in sorted(DATA.rglob(f"{table}.csv")):
        rows.extend(read(table, path.parent))
    return rows


def cited_lines(locator: str) -> list[tuple[str | None, int]]:
    """(annex, line) for every line a locator cites; raise when it cannot be read."""
    cited: list[tuple[str | None, int]] = []
    for part in locator.split("; "):
        match = PART.fullmatch(part)
        if not match:
            raise ValueError(f"unreadable locator part {part!r} in {locator!r}")
        for piece in re.split(r", ", match["lines"]):
            first, _, last = piece.partition("-")
            for n in range(int(first), int(last or first) + 1):
                cited.append((match["annex"], n))
    return cited


def report_lines() -> list[str]:
    """The report's lines as `grep -n` numbers them."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert len(lines) == LAST_LINE
    return lines


def by(rows: list[dict[str, str]], key: str = "id") -> dict[str, dict[str, str]]:
    return {row[key]: row for row in rows}


FACT_TABLES = sorted(p.stem for p in HERE.glob("*.csv") if p.stem != "measures")


def test_fact_tables_collected() -> None:
    assert set(MIN_ROWS) <= set(FACT_TABLES)


@pytest.mark.parametrize("table", FACT_TABLES)
def test_every_row_cites_a_line_of_the_report(table: str) -> None:
    rows = read(table)
    assert rows
    for row in rows:
        assert row["source"] == SOURCE, row
        for annex, line in cited_lines(row["locator"]):
            assert 1 <= line <= LAST_LINE, row
            low, high = ANNEXES[annex] if annex else BODY
            assert low <= line <= high, f"line {line} is not in Annex {annex}: {row}"
            assert not MATRIX[0] <= line <= MATRIX[1], f"matrix line cited: {row}"


@pytest.mark.parametrize("table", sorted(MIN_ROWS))
def test_row_counts(table: str) -> None:
    assert len(read(table)) >= MIN_ROWS[table]


@pytest.mark.parametrize(
    "table",
    [t for t in FACT_TABLES if "id" in read(t)[0]] + ["measures"],
)
def test_ids_are_unique_slugs(table: str) -> None:
    ids = [row["id"] for row in read(table)]
    assert ids
    assert len(ids) == len(set(ids))
    assert all(SLUG.match(i) for i in ids), [i for i in ids if not SLUG.match(i)]


def test_one_canonical_name_per_entity_across_data() -> None:
    names: dict[str, set[str]] = defaultdict(set)
    for row in read_everywhere("entities"):
        names[row["id"]].add(row["name"])
    mine = {row["id"] for row in read("entities")}
    shared = mine & {row["id"] for row in read("entities", DATA / "core")}
    assert "unodc" in shared
    assert {i: n for i, n in names.items() if i in mine and len(n) > 1} == {}


def test_chinese_names_as_the_body_writes_them() -> None:
    entities = by(read("entities"))
    assert entities["unodc"]["name_zh"] == "毒品和犯罪问题办公室"
    assert entities["cted"]["name_zh"] == "反恐怖主义委员会执行局"
    assert entities["unoct"]["name_zh"] == "反恐怖主义办公室"
    assert entities["ctitf"]["name_zh"] == "反恐执行工作队"


@needs_reports
def test_chinese_names_stand_on_a_cited_body_line() -> None:
    lines = report_lines()
    checked = 0
    for row in read("entities"):
        if not row["name_zh"]:
            continue
        body = [n for annex, n in cited_lines(row["locator"]) if annex is None]
        assert any(row["name_zh"] in lines[n - 1] for n in body), row
        checked += 1
    assert checked >= 60


@needs_reports
def test_trust_fund_items_stand_on_their_lines() -> None:
    lines = report_lines()
    for row in read("contributions"):
        annex_lines = [n for annex, n in cited_lines(row["locator"]) if annex == "V"]
        assert re.match(rf"\s*{row['rank']}\. ", lines[annex_lines[0] - 1]), row


def test_nineteen_instruments_stated_eighteen_listed() -> None:
    """Annex I announces 19 instruments but its list names 18 (the 2014 Protocol to
    the Tokyo Convention is missing): both facts are kept, none invented."""
    instruments = read("instruments")
    assert len(instruments) == 18
    assert instruments[0]["id"] == "convention-1963-aircraft-offences"
    assert sorted({row["year"] for row in instruments}) == [
        "1963", "1970", "1971", "1973", "1979", "1980", "1988", "1991", "1997",
        "1999", "2005", "2010",
    ]  # fmt: skip
    assert sum(row["year"] == "2005" for row in instruments) == 4
    stated = [
        row for row in read("observations")
        if row["measure"] == "international-legal-instruments"
    ]  # fmt: skip
    assert [row["value"] for row in stated] == ["19"]


def test_trust_fund_contributors_in_the_reports_order() -> None:
    rows = read("contributions")
    assert len(rows) == 29
    assert [row["rank"] for row in rows] == [str(n) for n in range(1, 30)]
    assert [row["donor"] for row in rows[:3]] == ["sau", "usa", "jpn"]
    assert rows[6]["donor"] == "eu"
    assert rows[-1]["donor"] == "dza"
    assert {row["kind"] for row in rows} == {"contribution"}
    assert {row["recipient"] for row in rows} == {"ct-trust-fund"}
    fund = by(read("projects"))["ct-trust-fund"]
    assert fund["title"] == "United Nations Trust Fund for Counter-Terrorism"
    donors = {row["donor"] for row in rows}
    assert donors <= {row["id"] for row in read("entities")}


def test_resolutions_are_canonical_and_not_other_documents() -> None:
    rows = read("resolutions")
    symbols = [row["symbol"] for row in rows]
    assert len(symbols) >= 39
    assert len(symbols) == len(set(symbols))
    assert all(SYMBOL.fullmatch(s) for s in symbols), [
        s for s in symbols if not SYMBOL.fullmatch(s)
    ]
    assert not {"A/70/674", "A/71/858", "A/72/761-S/2018/86"} & set(symbols)
    table = by(rows, "symbol")
    assert table["A/RES/71/291"]["adopted"] == "2017-06-15"
    assert table["A/RES/60/288"]["adopted"] == "2006-09-08"
    assert table["S/PRST/2015/11"]["adopted"] == "2015-05-29"
    assert "A/HRC/RES/35/34" in table
    assert "S/RES/2396 (2017)" in table


def test_resolution_acts() -> None:
    acts = {
        (r["resolution"], r["act"], r["entity"]): r for r in read("resolution_acts")
    }
    assert acts[("A/RES/71/291", "establishes", "unoct")]["date"] == "2017-06-15"
    assert ("S/RES/2395 (2017)", "renews-mandate", "cted") in acts
    assert ("S/RES/1535 (2004)", "establishes", "cted") in acts
    symbols = {row["symbol"] for row in read("resolutions")}
    assert {key[0] for key in acts} <= symbols


def test_compact_signing_and_coordination_committee() -> None:
    events = by(read("events"))
    assert events["compact-signing"]["start"] == "2018-02-23"
    entities = by(read("entities"))
    assert entities["ctitf"]["type"] == "collaboration"
    assert entities["compact"]["type"] == "collaboration"
    roles = {(r["organisation"], r["member"], r["role"]) for r in read("memberships")}
    assert ("compact-coordination-committee", "unoct", "chair") in roles
    assert ("compact-coordination-committee", "unoct", "secretariat") in roles


def test_ctitf_working_groups_and_chairs() -> None:
    groups = [row for row in read("working_groups") if row["parent"] == "ctitf"]
    assert [row["number"] for row in groups] == [str(n) for n in range(1, 13)]
    assert all(row["id"].startswith("ctitf-wg-") for row in groups)
    roles = {(r["organisation"], r["member"], r["role"]) for r in read("memberships")}
    assert ("ctitf-wg-wmd", "iaea", "co-chair") in roles
    assert ("ctitf-wg-wmd", "opcw", "co-chair") in roles
    assert ("ctitf-wg-human-rights", "ohchr", "chair") in roles
    stated = {(r["subject"], r["measure"]): r["value"] for r in read("observations")}
    assert stated[("ctitf", "member-entities")] == "38"
    assert stated[("ctitf", "working-groups")] == str(len(groups))


def test_pillars_use_the_annex_headings() -> None:
    pillars = read("pillars")
    assert [(p["id"], p["notation"]) for p in pillars] == [
        ("i", "I"), ("ii", "II"), ("iii", "III"), ("iv", "IV"),
    ]  # fmt: skip
    assert pillars[1]["label"] == "Measures to prevent and combat terrorism"


def test_references_resolve_within_data() -> None:
    known = {
        row["id"]
        for table in ("entities", "working_groups", "projects", "regions", "measures")
        for row in read_everywhere(table)
    }
    pillars = {row["id"] for row in read_everywhere("pillars")}
    cells = {
        "entities": ["parent"],
        "memberships": ["organisation", "member"],
        "posts": ["organisation"],
        "resolution_acts": ["entity"],
        "projects": ["implementers", "partners", "donors", "countries", "regions",
                     "part_of"],
        "events": ["organisers", "partners", "country", "programme"],
        "contributions": ["donor", "recipient"],
        "observations": ["subject", "measure"],
        "functions": ["entity"],
    }  # fmt: skip
    checked = 0
    for table, columns in cells.items():
        for row in read(table):
            for column in columns:
                for value in filter(None, row[column].split(";")):
                    assert value in known, (table, column, value)
                    checked += 1
        for row in read(table):
            for value in filter(None, row.get("pillars", "").split(";")):
                assert value in pillars, (table, value)
    assert checked > 100
