"""Checks on the facts taken from the four short UNOCT reports (data/reports/).

The tables are read with the csv module only, so these tests guard the data
itself: schema, provenance, references between tables, and facts that the
reports state and the graph must keep.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pycountry
import pytest
from texts import REPORTS_DIR, needs_reports

from ctgraph.sources.mentions import scan_report

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REPORTS = DATA / "reports"

REPORT_SOURCES = {
    "unoct-highlights-2020-02",
    "compact-review-2024-01",
    "unoct-briefing-2019-07",
    "unoct-highlights-2025-04",
}
# Tables whose rows are facts and so carry source + locator.
FACT_TABLES = sorted(p.name for p in REPORTS.glob("*.csv") if p.name != "measures.csv")
# functions.csv is new; the others are documented in data/README.md.
EXTRA_SCHEMA = {"functions.csv": ["entity", "number", "label", "source", "locator"]}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
LOCATOR = re.compile(r"^lines? \d+(?:-\d+)?(?:, \d+(?:-\d+)?)*$")
MINIMUM_ROWS = {
    "entities.csv": 140,
    "people.csv": 11,
    "posts.csv": 15,
    "post_holders.csv": 11,
    "memberships.csv": 6,
    "projects.csv": 38,
    "events.csv": 80,
    "contributions.csv": 25,
    "measures.csv": 15,
    "observations.csv": 20,
    "resolutions.csv": 8,
    "resolution_acts.csv": 4,
    "pillars.csv": 8,
    "regions.csv": 6,
    "functions.csv": 14,
}


@cache
def read(path: Path) -> tuple[dict[str, str], ...]:
    """Rows of one CSV file as dicts (cached: the files do not change in a run)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def table(name: str) -> tuple[dict[str, str], ...]:
    return read(REPORTS / name)


def everywhere(name: str) -> list[dict[str, str]]:
    """All rows of one table across every folder below data/."""
    return [row for path in sorted(DATA.rglob(name)) for row in read(path)]


def split(cell: str) -> list[str]:
    return [part for part in cell.split(";") if part]


@cache
def readme_schema() -> dict[str, list[str]]:
    """Column names per table, as data/README.md documents them."""
    text = (DATA / "README.md").read_text(encoding="utf-8")
    schema: dict[str, list[str]] = {}
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        name = heading.split()[0]
        first = body.strip().split("\n\n")[0]
        schema[name] = re.findall(r"`([a-z_]+)`", without_parentheses(first))
    return schema


def without_parentheses(text: str) -> str:
    """Text with every (possibly nested) parenthesised aside removed."""
    kept: list[str] = []
    depth = 0
    for char in text:
        depth += char == "("
        if depth == 0:
            kept.append(char)
        depth -= char == ")" and depth > 0
    return "".join(kept)


@cache
def source_lines(source: str) -> list[str]:
    files = {row["id"]: row["file"] for row in read(DATA / "core" / "sources.csv")}
    return (REPORTS_DIR / files[source]).read_text(encoding="utf-8").splitlines()


def located_text(row: dict[str, str]) -> str:
    """The lines a row's locator points at, joined."""
    lines = source_lines(row["source"])
    picked: list[str] = []
    for part in row["locator"].removeprefix("lines ").removeprefix("line ").split(", "):
        first, _, last = part.partition("-")
        picked += lines[int(first) - 1 : int(last or first)]
    return "\n".join(picked)


def ids(name: str, column: str = "id") -> set[str]:
    return {row[column] for row in everywhere(name)}


# --- schema and provenance ------------------------------------------------------


def test_fact_tables_collected() -> None:
    assert len(FACT_TABLES) >= 13


@pytest.mark.parametrize("name", sorted(MINIMUM_ROWS))
def test_header_follows_schema(name: str) -> None:
    expected = EXTRA_SCHEMA.get(name) or readme_schema()[name]
    with (REPORTS / name).open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == expected


@pytest.mark.parametrize("name", sorted(MINIMUM_ROWS))
def test_minimum_rows(name: str) -> None:
    assert len(table(name)) >= MINIMUM_ROWS[name]


@pytest.mark.parametrize("name", FACT_TABLES)
def test_every_row_is_sourced_and_located(name: str) -> None:
    known = ids("sources.csv")
    for row in table(name):
        assert row["source"] in REPORT_SOURCES and row["source"] in known, row
        assert LOCATOR.match(row["locator"]), row


@needs_reports
@pytest.mark.parametrize("name", FACT_TABLES)
def test_locators_point_inside_the_report(name: str) -> None:
    for row in table(name):
        assert located_text(row).strip(), row


@pytest.mark.parametrize("name", sorted(MINIMUM_ROWS))
def test_no_row_written_twice(name: str) -> None:
    counts = Counter(tuple(row.values()) for row in table(name))
    assert [row for row, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("name", sorted(MINIMUM_ROWS))
def test_dates_have_a_stated_precision(name: str) -> None:
    columns = {"start", "end", "as_of", "date", "adopted", "launched"}
    for row in table(name):
        for column in columns & row.keys():
            assert not row[column] or DATE.match(row[column]), (column, row)


# --- identifiers and references -------------------------------------------------


def test_ids_are_slugs() -> None:
    for name in (
        "entities.csv",
        "people.csv",
        "posts.csv",
        "projects.csv",
        "events.csv",
        "contributions.csv",
        "measures.csv",
        "observations.csv",
        "regions.csv",
    ):
        for row in table(name):
            assert SLUG.match(row["id"]), (name, row["id"])


def test_member_states_are_iso_alpha3() -> None:
    states = [row for row in table("entities.csv") if row["type"] == "member-state"]
    assert len(states) >= 30
    for row in states:
        country = pycountry.countries.get(alpha_3=row["id"].upper())
        assert country is not None, row["id"]


def test_event_countries_are_iso_alpha3() -> None:
    located = [row for row in table("events.csv") if row["country"]]
    assert len(located) >= 40
    for row in located:
        assert pycountry.countries.get(alpha_3=row["country"].upper()), row


def test_one_canonical_name_per_entity_across_data() -> None:
    names: dict[str, set[str]] = {}
    for row in everywhere("entities.csv"):
        names.setdefault(row["id"], set()).add(row["name"])
    assert {k: v for k, v in names.items() if len(v) > 1} == {}


@pytest.mark.parametrize(
    ("name", "key", "column"),
    [
        ("people.csv", "id", "name"),
        ("posts.csv", "id", "title"),
        ("projects.csv", "id", "title"),
        ("events.csv", "id", "title"),
        ("pillars.csv", "id", "notation"),
    ],
)
def test_repeated_ids_agree(name: str, key: str, column: str) -> None:
    values: dict[str, set[str]] = {}
    for row in everywhere(name):
        values.setdefault(row[key], set()).add(row[column])
    assert {k: v for k, v in values.items() if len(v) > 1} == {}


def test_entity_references_resolve() -> None:
    entities = ids("entities.csv")
    projects = ids("projects.csv")
    groups = ids("working_groups.csv")
    people = ids("people.csv")
    refs: list[tuple[str, str]] = []
    for row in table("entities.csv"):
        refs += [(row["parent"], "parent")] if row["parent"] else []
    for row in table("events.csv"):
        refs += [
            (e, "event") for e in split(row["organisers"]) + split(row["partners"])
        ]
    for row in table("projects.csv"):
        for column in ("implementers", "partners", "donors"):
            refs += [(e, column) for e in split(row[column])]
    for row in table("contributions.csv"):
        refs += [(row["donor"], "donor")] if row["donor"] else []
    for row in table("posts.csv"):
        refs.append((row["organisation"], "post"))
    for row in table("resolution_acts.csv") + table("functions.csv"):
        refs.append((row["entity"], "act"))
    assert refs
    assert [r for r in refs if r[0] not in entities] == []
    for row in table("memberships.csv"):
        assert row["organisation"] in entities | groups, row
        assert row["member"] in entities | people, row
    for row in table("observations.csv"):
        assert row["subject"] in entities | projects | groups, row
    for row in table("contributions.csv"):
        assert row["recipient"] in entities | projects, row


def test_project_and_table_references_resolve() -> None:
    projects = ids("projects.csv")
    entities = ids("entities.csv")
    regions = ids("regions.csv")
    symbols = ids("resolutions.csv", "symbol")
    for row in table("projects.csv"):
        assert not row["part_of"] or row["part_of"] in projects | entities, row
        assert set(split(row["regions"])) <= regions, row
        assert set(split(row["resolutions"])) <= symbols, row
        for code in split(row["countries"]):
            assert pycountry.countries.get(alpha_3=code.upper()), row
    for row in table("events.csv"):
        assert not row["programme"] or row["programme"] in projects, row
    measures = ids("measures.csv")
    assert {row["measure"] for row in table("observations.csv")} <= measures
    people = ids("people.csv")
    posts = ids("posts.csv")
    for row in table("post_holders.csv"):
        assert row["person"] in people and row["post"] in posts, row
    for row in table("resolution_acts.csv"):
        assert row["resolution"] in symbols, row


def test_resolution_symbols_are_canonical() -> None:
    pattern = re.compile(r"^(S/RES/\d+(?: \(\d{4}\))?|A/RES/\d+/\d+)$")
    for row in table("resolutions.csv"):
        assert pattern.match(row["symbol"]), row


@needs_reports
def test_every_resolution_mention_is_recorded() -> None:
    """Each citation the symbol scanner finds in the four reports has a row at
    that line, with the year only where the report writes one."""
    files = {row["id"]: row["file"] for row in read(DATA / "core" / "sources.csv")}
    recorded = {
        (row["source"], row["symbol"], row["locator"])
        for row in table("resolutions.csv")
    }
    expected = set()
    for source in sorted(REPORT_SOURCES):
        for mention in scan_report(REPORTS_DIR / files[source]):
            expected.add((source, mention.symbol.canonical, f"line {mention.line}"))
    assert len(expected) >= 8
    assert expected <= recorded


# --- the located lines really say it --------------------------------------------


@needs_reports
def test_entity_rows_name_the_entity_on_their_lines() -> None:
    checked = 0
    for row in table("entities.csv"):
        text = located_text(row).casefold()
        labels = [row["acronym"], row["name"], *split(row["alt_labels"])]
        assert any(label and label.casefold() in text for label in labels), row
        checked += 1
    assert checked >= 140


@needs_reports
def test_people_rows_name_the_person_on_their_lines() -> None:
    for row in table("people.csv"):
        surname = row["name"].split()[-1]
        assert surname in located_text(row), row


@needs_reports
def test_observation_values_stand_on_their_lines() -> None:
    for row in table("observations.csv"):
        value = int(row["value"])
        text = located_text(row)
        assert str(value) in text or f"{value:,}" in text, row


@needs_reports
def test_amounts_stand_on_their_lines() -> None:
    def spellings(amount: int) -> list[str]:
        millions = amount / 1_000_000
        return [f"{amount:,}", f"{millions:g} million", f"{millions:g}million"]

    rows = [row for row in table("contributions.csv") if row["amount"]]
    assert len(rows) >= 10
    for row in rows:
        text = located_text(row)
        assert any(s in text for s in spellings(int(row["amount"]))), row


# --- spot facts ----------------------------------------------------------------


def find(name: str, **values: str) -> list[dict[str, str]]:
    return [row for row in table(name) if all(row[k] == v for k, v in values.items())]


def test_variant_spellings_are_alt_labels_not_entities() -> None:
    entity_ids = ids("entities.csv")
    assert "unct" not in entity_ids and "uncted" not in entity_ids
    assert "UNCT" in split(find("entities.csv", id="uncct")[0]["alt_labels"])
    assert "UNCTED" in split(find("entities.csv", id="cted")[0]["alt_labels"])
    spib = find("entities.csv", id="spib", source="unoct-briefing-2019-07")[0]
    assert "SPID" in split(spib["alt_labels"]) and spib["parent"] == "unoct"


def test_unidir_joins_the_compact_with_43_38_5() -> None:
    event = find("events.csv", id="evt-2020-02-18-unidir-joins-compact")
    assert event and event[0]["partners"] == "unidir"
    assert find(
        "memberships.csv", organisation="compact", member="unidir", start="2020-02-18"
    )
    size = {
        row["measure"]: row["value"]
        for row in find("observations.csv", subject="compact", date="2020-02-18")
    }
    assert size == {
        "member-entities": "43",
        "members": "38",
        "observers": "5",
    }


def test_compact_size_over_time() -> None:
    series = {
        row["date"]: row["value"]
        for row in find(
            "observations.csv", subject="compact", measure="member-entities"
        )
    }
    assert series["2020-02-18"] == "43" and series["2025-04"] == "46"
    launch = find("events.csv", id="compact-launch")
    assert {row["start"] for row in launch} == {"2018-12"} and len(launch) == 2


def test_coordination_committee_chaired_by_the_usg() -> None:
    chair = find(
        "memberships.csv", organisation="compact-coordination-committee", role="chair"
    )
    assert [row["member"] for row in chair] == ["vladimir-voronkov"]
    assert find(
        "post_holders.csv",
        person="vladimir-voronkov",
        post="usg-counter-terrorism",
        as_of=chair[0]["as_of"],
    )


def test_cted_heads_by_date() -> None:
    holders = {
        row["as_of"]: row["person"]
        for row in find("post_holders.csv", post="cted-executive-director")
    }
    assert holders == {"2020-02": "michele-coninsx", "2024-02": "natalia-gherman"}


def test_unoct_established_by_ga_71_291() -> None:
    acts = find(
        "resolution_acts.csv",
        resolution="A/RES/71/291",
        act="establishes",
        entity="unoct",
    )
    assert {row["date"] for row in acts} == {"2017-06-15"} and len(acts) == 2


def test_ct_travel_programme() -> None:
    row = find("projects.csv", id="ct-travel", source="unoct-briefing-2019-07")[0]
    assert row["launched"] == "2019-05-07" and row["part_of"] == "spib"
    assert set(split(row["donors"])) == {"nld", "jpn", "ind", "qat"}
    assert (row["budget"], row["currency"]) == ("12000000", "USD")
    missions = [e for e in table("events.csv") if e["programme"] == "ct-travel"]
    assert {e["country"] for e in missions} >= {"lka", "tgo", "aze", "irq"}


def test_april_2025_pledges_and_totals() -> None:
    pledges = find("contributions.csv", kind="pledge", date="2025-04")
    assert (
        sum(int(row["amount"]) for row in pledges)
        == 92_615 + 50_000 + 100_000 + 2_000_000
    )
    assert {row["donor"] for row in pledges} == {"deu", "uzb", "irq"}
    pledged = find("contributions.csv", kind="total-pledged", date="2025-04")[0]
    received = find("contributions.csv", kind="total-received", date="2025-04")[0]
    assert (pledged["amount"], received["amount"]) == ("402000000", "354000000")
    assert received["donor_count"] == "47"


def test_uncct_advisory_board() -> None:
    for source in ("unoct-highlights-2020-02", "unoct-highlights-2025-04"):
        assert find(
            "observations.csv",
            subject="uncct-advisory-board",
            value="21",
            source=source,
        )
        assert find(
            "memberships.csv",
            organisation="uncct-advisory-board",
            member="eu",
            role="guest-member",
            source=source,
        )


def test_unoct_has_five_functions_in_each_mandate_box() -> None:
    for source in ("unoct-highlights-2020-02", "unoct-highlights-2025-04"):
        numbers = [
            row["number"]
            for row in find("functions.csv", entity="unoct", source=source)
        ]
        assert numbers == ["1", "2", "3", "4", "5"]


def test_unit_parents() -> None:
    for unit in ("uncct", "spib", "human-rights-and-gender-section", "unoct-baghdad"):
        assert {row["parent"] for row in find("entities.csv", id=unit)} == {"unoct"}
