"""The matrix ingester: fixtures in the matrix's own layout, then the committed data."""

from __future__ import annotations

import csv
import dataclasses
import locale
import re
import sys
from collections import Counter
from pathlib import Path

import pycountry
import pytest
from texts import REPORTS_DIR, needs_reports
from typer.testing import CliRunner

from ctgraph.cli import app
from ctgraph.sources import matrix

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
MATRIX_DIR = DATA / "matrix"
REPORT = REPORTS_DIR / "004_bbad495e8ce163f7.txt"
TABLES = (
    "projects.csv",
    "entities.csv",
    "regions.csv",
    "project_counts.csv",
    "resolutions.csv",
)

HEADER = (
    "Serial\tProject Title/Duration/CTITF Entities\tStatus of Implementation"
    "\tMain Activities\tGeographical Scope"
)

# Two pillars in the matrix's layout: a row broken by a page header (serial 2), a
# cell with several entities including a name with "and" (serial 3), a page break
# that prints the entity list twice (serial 4), a repeated serial (Pillar II,
# serial 1) and tokens nobody knows (XQZW, Atlantis).
FIXTURE = f"""\
Supplementary Information: Matrix of UN Counter-Terrorism Projects and Activities

As of February 2018, CTITF entities have a total of 6 projects across the four \
pillars of the Strategy: 4 projects under Pillar I; 2 projects under Pillar II; \
0 projects under Pillar III; and 0 projects under Pillar IV.

CTITF Matrix of UN Counter-Terrorism Projects and Activities

Pillar I of the UN Global Counter-Terrorism Strategy

4 projects

{HEADER}
1\tPilot Project in the Sahel-Maghreb (Jul. 2015–Jun. 2019) UNICRI\tOngoing\t\
Preventing radicalization.\tSahel, Maghreb
2\tPromoting Dialogue through\tIn development\tEnhancing the capacity of youth to\t\
Regional (Arab States)

{HEADER}
\tMedia in the Arab Region (2018) UNCCT, UNESCO, LAS\t\tcounter narratives.\t
3\tBoko Haram approach, in line with resolutions 2178 (2014) and 2396 (2017) CTED, \
UNODC, AU and Lake Chad Basin Commission\tCompleted\tWorkshops.\t\
Cameroon, Chad, Côte d'Ivoire and Surinam
4\tCountering Financing of Terrorism for Tunisia, UNODC\tOngoing\tSix modules\t\
Trinidad and Tobago, Timor Leste

{HEADER}
\tMorocco and Algeria (2013–2018) UNODC\t\ton financial information.\t

CTITF Matrix of UN Counter-Terrorism Projects and Activities

Pillar II of the UN Global Counter-Terrorism Strategy

2 projects

{HEADER}
1\tAdvance Passenger Information and Security Council Resolution 2178 (2014) \
(Nov. 2015–Dec. 2017) UNCCT, CTED, IATA\tCompleted\tRaising awareness of UNSCR \
1540 (2004).\tGlobal
1\tAviation Security Training in Nigeria (since 2017) UNCCT, XQZW\tSuspended\t\
Training.\tNigeria, Atlantis

Annex III
"""

ALIAS_FILES = {
    "entity_aliases.csv": "token,entity,note\nLake Chad Basin Commission,lcbc,\n",
    "place_aliases.csv": (
        "spelling,place,note\nSahel,sahel,\nMaghreb,maghreb,\n"
        "Arab States,arab-states,\nCôte d'Ivoire,civ,\nSurinam,sur,\nTimor Leste,tls,\n"
    ),
    "region_names.csv": (
        "id,name,countries,scope\narab-states,Arab States,,\nmaghreb,Maghreb,,\n"
        "sahel,Sahel,,\n"
    ),
    "entity_names.csv": (
        "id,acronym,name,type,parent\n"
        "au,AU,African Union,organisation,\n"
        "cted,CTED,Counter-Terrorism Committee Executive Directorate,un-entity,\n"
        "iata,IATA,International Air Transport Association,partner,\n"
        "las,LAS,League of Arab States,organisation,\n"
        "lcbc,LCBC,Lake Chad Basin Commission,organisation,\n"
        "uncct,UNCCT,United Nations Counter-Terrorism Centre,unit,unoct\n"
        "unesco,UNESCO,UNESCO (fixture name),un-entity,\n"
        "unicri,UNICRI,UNICRI (fixture name),un-entity,\n"
    ),
}
CORE_ENTITIES = (
    "id,acronym,name,name_zh,type,parent,compact_status,alt_labels,source,locator\n"
    "unodc,UNODC,United Nations Office on Drugs and Crime,,un-entity,,member,,"
    "x,line 1\n"
)


@pytest.fixture
def fixture_files(tmp_path: Path) -> dict[str, Path]:
    aliases = tmp_path / "aliases"
    aliases.mkdir()
    for name, text in ALIAS_FILES.items():
        (aliases / name).write_text(text, encoding="utf-8")
    core = tmp_path / "core_entities.csv"
    core.write_text(CORE_ENTITIES, encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(FIXTURE, encoding="utf-8")
    return {"aliases": aliases, "core": core, "report": report}


@pytest.fixture
def aliases(fixture_files: dict[str, Path]) -> matrix.Aliases:
    return matrix.load_aliases(fixture_files["aliases"], fixture_files["core"])


@pytest.fixture
def rows() -> list[matrix.RawRow]:
    return matrix.read_matrix(FIXTURE.splitlines())[0]


def line_of(prefix: str, nth: int = 0) -> int:
    """1-based number of the nth fixture line starting with `prefix`."""
    hits = [i + 1 for i, ln in enumerate(FIXTURE.splitlines()) if ln.startswith(prefix)]
    return hits[nth]


def row(rows: list[matrix.RawRow], pillar: str, serial: int, nth: int = 0):
    return [r for r in rows if r.pillar == pillar and r.serial == serial][nth]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------ reading the layout


def test_row_broken_by_page_header_is_merged_cell_by_cell(rows):
    broken = row(rows, "I", 2)
    assert broken.cell(0) == (
        "Promoting Dialogue through Media in the Arab Region (2018) UNCCT, UNESCO, LAS"
    )
    assert broken.cell(2) == "Enhancing the capacity of youth to counter narratives."
    assert broken.cell(1) == "In development"
    first, last = line_of("2\t"), line_of("\tMedia")
    assert (broken.first_line, broken.last_line) == (first, last)
    assert (
        broken.locator == f"Annex II matrix, Pillar I, serial 2, lines {first}-{last}"
    )


def test_every_fixture_row_is_read_and_nothing_is_left_over():
    rows, stated, stray = matrix.read_matrix(FIXTURE.splitlines())
    assert [(r.pillar, r.serial) for r in rows] == [
        ("I", 1),
        ("I", 2),
        ("I", 3),
        ("I", 4),
        ("II", 1),
        ("II", 1),
    ]
    assert stray == []
    assert [(s.pillar, s.count) for s in stated] == [("i", 4), ("ii", 2)]
    assert all(s.stated_in == "pillar-header" for s in stated)


def test_narrative_counts_give_total_and_each_pillar():
    found = matrix.narrative_counts(FIXTURE.splitlines())
    line = line_of("As of February 2018")
    assert [(s.pillar, s.count, s.line) for s in found] == [
        ("all", 6, line),
        ("i", 4, line),
        ("ii", 2, line),
        ("iii", 0, line),
        ("iv", 0, line),
    ]


def test_repeated_serial_gets_a_suffixed_id(rows):
    ids = matrix.project_ids(rows)
    assert ids[-2:] == ["matrix-p2-001", "matrix-p2-001-b"]
    assert len(set(ids)) == len(ids)
    repeated, missing = matrix.serial_gaps(rows)
    assert repeated["ii"] == [1] and missing["i"] == []


# ------------------------------------------------------------------ title cells


def test_title_cell_with_several_entities_and_a_multiword_name(rows, aliases):
    cell = matrix.split_title(row(rows, "I", 3).cells[0], aliases)
    assert cell.title.endswith("in line with resolutions 2178 (2014) and 2396 (2017)")
    assert cell.duration is None  # "(2017)" is resolution 2396's year
    ids = [matrix.resolve_entity(t, aliases) for t in cell.entity_tokens]
    assert ids == ["cted", "unodc", "au", "lcbc"]


def test_title_cell_with_duration_and_non_un_partner(rows, aliases):
    cell = matrix.split_title(row(rows, "II", 1).cells[0], aliases)
    assert cell.title == (
        "Advance Passenger Information and Security Council Resolution 2178 (2014)"
    )
    assert cell.duration == matrix.Duration("2015-11", "2017-12", "Nov. 2015–Dec. 2017")
    assert cell.entity_tokens == ("UNCCT", "CTED", "IATA")


def test_entity_list_repeated_before_page_break_is_removed(rows, aliases):
    cell = matrix.split_title(row(rows, "I", 4).cells[0], aliases)
    assert (
        cell.title
        == "Countering Financing of Terrorism for Tunisia, Morocco and Algeria"
    )
    assert cell.entity_tokens == ("UNODC",)
    assert cell.duration is not None and cell.duration.text == "2013–2018"
    assert len(cell.notes) == 1


def test_title_without_duration_stops_at_the_title(aliases):
    cell = matrix.split_title(
        ["Support to UNSCR 1540 Committee on the non-proliferation of all WMD LAS"],
        aliases,
    )
    assert cell.title.endswith("of all WMD")
    assert cell.entity_tokens == ("LAS",)


def test_resolution_year_as_written_is_kept_and_never_a_duration(aliases):
    years = matrix.resolution_years(
        [
            "resolution 2178 (2014)",
            "Security Council resolution 2178 (2017)",
            "resolution 2309 (2016)",
        ]
    )
    text = ["Engagement in Security Council resolution 2178 (2017) UNCCT, CTED"]
    cell = matrix.split_title(text, aliases)
    # the title keeps "(2017)" as written; the project cites 2178 as resolved
    assert cell.duration is None
    assert cell.title.endswith("resolution 2178 (2017)")
    assert cell.entity_tokens == ("UNCCT", "CTED")
    assert matrix.resolutions_in([cell.title], years) == ["S/RES/2178 (2014)"]
    aviation = ["Implementation of Security Council Resolution 2309 (2016). UNCCT"]
    cell = matrix.split_title(aviation, aliases)
    assert cell.duration is None
    assert cell.title.endswith("Resolution 2309 (2016)")


DURATIONS = [
    ("Jul. 2015–Jun. 2019", "2015-07", "2019-06"),
    ("Jan. 2017-Jul. 2017", "2017-01", "2017-07"),
    ("2018–2019", "2018", "2019"),
    ("2018-2021", "2018", "2021"),
    ("2018", "2018", "2018"),
    ("2016, 2017", "2016", "2017"),
    ("since 2017", "2017", ""),
    ("since Apr. 2017", "2017-04", ""),
    ("2016-ongoing", "2016", ""),
    ("Annual event", "", ""),
    ("Annual event. 2016–2017", "2016", "2017"),
    ("Annual event. 2017", "2017", "2017"),
    ("Annual event. 2016, 2017 and 2018", "2016", "2018"),
    ("April 2016", "2016-04", "2016-04"),
    ("July 2016", "2016-07", "2016-07"),
    ("Sep. 2017", "2017-09", "2017-09"),
    ("6 Nov. 2015", "2015-11-06", "2015-11-06"),
    ("25-27 Sep. 2017", "2017-09-25", "2017-09-27"),
    ("9–11 May 2017", "2017-05-09", "2017-05-11"),
    ("28 Apr.–5 May 2016", "2016-04-28", "2016-05-05"),
    ("30 October–1 November 2016", "2016-10-30", "2016-11-01"),
    # case, a closing full stop, and the bounds of years and days
    ("ANNUAL EVENT", "", ""),
    ("Since 2017", "2017", ""),
    ("2016-Ongoing", "2016", ""),
    ("Sep. 2017.", "2017-09", "2017-09"),
    ("1945", "1945", "1945"),
    ("2099", "2099", "2099"),
    ("31 Dec. 2017", "2017-12-31", "2017-12-31"),
]


@pytest.mark.parametrize(("text", "start", "end"), DURATIONS)
def test_duration_forms(text, start, end):
    assert matrix.parse_duration(text) == matrix.Duration(start, end, text)


@pytest.mark.parametrize(
    "text",
    [
        "ICCT",
        "PVE",
        "NET-MED Youth",
        "CVR",
        "2178",
        "1944",
        "2100",
        "32 Dec. 2017",
        "0 Dec. 2017",
        "since then",
        "since April",
        "then-ongoing",
        "April-ongoing",
        "2017–then",
        "2017–April",
        "then–2017",
        # a day with no month on either side; three points
        "25–2017",
        "2015–2016–2017",
    ],
)
def test_brackets_that_are_not_durations(text):
    assert matrix.parse_duration(text) is None


# ------------------------------------------------------------------ status and scope


@pytest.mark.parametrize(
    ("words", "status"),
    [
        ("Ongoing", "implementation"),
        ("Completed", "closed"),
        ("In development", "pipeline"),
        ("Suspended", "suspended"),
    ],
)
def test_status_words_map_to_iati_activity_status(words, status):
    assert matrix.STATUS_MAP[words.casefold()] == status


@pytest.mark.parametrize(
    ("text", "scope", "countries", "regions"),
    [
        ("Global", "global", (), ()),
        ("Global, regional", "global", (), ()),
        ("National", "national", (), ()),
        ("Regional (Arab States)", "regional", (), ("arab-states",)),
        ("Sahel, Maghreb", "regional", (), ("sahel", "maghreb")),
        ("Nigeria", "national", ("nga",), ()),
        (
            "Cameroon, Chad, Côte d'Ivoire and Surinam",
            "multi-national",
            ("cmr", "tcd", "civ", "sur"),
            (),
        ),
        ("Trinidad and Tobago, Timor Leste", "multi-national", ("tto", "tls"), ()),
        ("Chad, Niger, and Regional (Sahel)", "regional", ("tcd", "ner"), ("sahel",)),
        ("Kazakhstan and Uzbekistan.", "multi-national", ("kaz", "uzb"), ()),
        # a place named twice is listed once
        ("Chad, Niger and Chad", "multi-national", ("tcd", "ner"), ()),
        ("Sahel, Chad, Sahel", "regional", ("tcd",), ("sahel",)),
    ],
)
def test_scope_cells(aliases, text, scope, countries, regions):
    parsed = matrix.parse_scope(text, aliases)
    assert (parsed.scope, parsed.countries, parsed.regions) == (
        scope,
        countries,
        regions,
    )
    assert parsed.unresolved == ()


def test_organisations_in_a_scope_cell_become_partners(aliases):
    parsed = matrix.parse_scope("AU, LAS", aliases)
    assert parsed.partners == ("au", "las")
    assert parsed.spellings == (("AU", "au"), ("LAS", "las"))
    assert parsed.scope == "multi-national"


# ------------------------------------------------------------------ ingest


def ingest_fixture(files: dict[str, Path], out: Path) -> matrix.IngestReport:
    return matrix.ingest(
        files["report"], out, aliases_dir=files["aliases"], core_entities=files["core"]
    )


def test_ingest_lists_every_unresolved_token_with_its_row(fixture_files, tmp_path):
    report = ingest_fixture(fixture_files, tmp_path / "out")
    assert not report.ok
    where = row(matrix.read_matrix(FIXTURE.splitlines())[0], "II", 1, 1).locator
    assert {(u.kind, u.token, u.locator) for u in report.unresolved} == {
        ("entity", "XQZW", where),
        ("country-or-region", "Atlantis", where),
    }
    assert "XQZW" in report.format() and "Atlantis" in report.format()


def test_ingest_of_a_text_without_a_matrix_writes_nothing(fixture_files, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "projects.csv").write_text("kept\n", encoding="utf-8")
    fixture_files["report"].write_text(
        "Report of the Secretary-General\n\nPillar I\nNo table here.\n",
        encoding="utf-8",
    )
    with pytest.raises(matrix.MatrixError, match="no project matrix found") as caught:
        ingest_fixture(fixture_files, out)
    assert str(fixture_files["report"]) in str(caught.value)
    assert [p.name for p in out.iterdir()] == ["projects.csv"]
    assert (out / "projects.csv").read_text(encoding="utf-8") == "kept\n"


def test_ingest_writes_the_tables(fixture_files, tmp_path):
    out = tmp_path / "out"
    report = ingest_fixture(fixture_files, out)
    projects = {p["id"]: p for p in read(out / "projects.csv")}
    assert list(projects) == matrix.project_ids(
        matrix.read_matrix(FIXTURE.splitlines())[0]
    )
    assert report.rows_per_pillar == {"i": 4, "ii": 2, "iii": 0, "iv": 0}
    assert report.repeated_serials == {"i": [], "ii": [1]}
    assert report.missing_serials == {"i": [], "ii": []}
    assert report.status_counts == {
        "implementation": 2,
        "pipeline": 1,
        "closed": 2,
        "suspended": 1,
    }
    p3 = projects["matrix-p1-003"]
    assert p3["implementers"] == "cted;unodc;au;lcbc"
    assert p3["resolutions"] == "S/RES/2178 (2014);S/RES/2396 (2017)"
    assert projects["matrix-p2-001"]["resolutions"] == (
        "S/RES/2178 (2014);S/RES/1540 (2004)"
    )
    assert projects["matrix-p2-001-b"]["start"] == "2017"
    assert projects["matrix-p2-001-b"]["end"] == ""
    assert projects, "no project was written"
    assert all(p["description"] == "" for p in projects.values())
    entities = {e["id"]: e for e in read(out / "entities.csv")}
    assert entities["unodc"]["name"] == "United Nations Office on Drugs and Crime"
    assert set(entities) == {
        e for p in projects.values() for e in p["implementers"].split(";") if e
    }
    cited = [r["symbol"] for r in read(out / "resolutions.csv")]
    assert cited == ["S/RES/2178 (2014)", "S/RES/2396 (2017)", "S/RES/1540 (2004)"]
    counts = read(out / "project_counts.csv")
    assert [(c["pillar"], c["stated_in"], c["count"]) for c in counts][:2] == [
        ("all", "narrative", "6"),
        ("i", "narrative", "4"),
    ]


def test_alias_rows_nothing_needs_are_noted(fixture_files, tmp_path):
    places = fixture_files["aliases"] / "place_aliases.csv"
    places.write_text(places.read_text(encoding="utf-8") + "Atlantis Minor,atl,\n")
    report = ingest_fixture(fixture_files, tmp_path / "out")
    assert [n for n in report.notes if "unused" in n] == [
        "place alias 'atlantis minor' unused"
    ]


def test_ingest_rerun_is_byte_identical(fixture_files, tmp_path):
    ingest_fixture(fixture_files, tmp_path / "a")
    ingest_fixture(fixture_files, tmp_path / "b")
    for name in TABLES:
        assert (tmp_path / "a" / name).read_bytes() == (
            tmp_path / "b" / name
        ).read_bytes()


def test_cli_exits_1_when_tokens_remain(fixture_files, tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "ingest",
            "matrix",
            str(fixture_files["report"]),
            "--out",
            str(tmp_path / "out"),
            "--aliases",
            str(fixture_files["aliases"]),
            "--core",
            str(fixture_files["core"]),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "XQZW" in result.output


def test_cli_exits_2_on_a_missing_report(tmp_path):
    result = CliRunner().invoke(
        app, ["ingest", "matrix", str(tmp_path / "nope.txt"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2


# ------------------------------------------------------------------ committed data


@pytest.fixture(scope="module")
def committed() -> dict[str, list[dict[str, str]]]:
    return {name: read(MATRIX_DIR / name) for name in TABLES}


@pytest.fixture(scope="module")
def report_rows() -> list[matrix.RawRow]:
    return matrix.read_matrix(REPORT.read_text(encoding="utf-8").splitlines())[0]


@needs_reports
def test_committed_data_resolves_everything_and_rerun_is_identical(tmp_path):
    report = matrix.ingest(
        REPORT,
        tmp_path,
        aliases_dir=MATRIX_DIR / "aliases",
        core_entities=DATA / "core" / "entities.csv",
    )
    assert report.unresolved == []
    assert not [n for n in report.notes if "unused" in n], report.notes
    for name in TABLES:
        assert (tmp_path / name).read_bytes() == (MATRIX_DIR / name).read_bytes(), name


@needs_reports
def test_cli_exits_0_on_the_report(tmp_path):
    result = CliRunner().invoke(
        app, ["ingest", "matrix", str(REPORT), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "Unresolved tokens: 0" in result.output
    assert (tmp_path / "projects.csv").read_bytes() == (
        MATRIX_DIR / "projects.csv"
    ).read_bytes()


@needs_reports
def test_committed_counts_per_pillar_and_status(committed, report_rows):
    projects = committed["projects.csv"]
    assert report_rows, "the matrix was not found in the report"
    per_pillar = Counter(p["pillars"] for p in projects)
    assert per_pillar == Counter(matrix.PILLAR_IDS[r.pillar] for r in report_rows)
    statuses = Counter(p["status"] for p in projects)
    assert statuses == Counter(
        matrix.STATUS_MAP[r.cell(1).casefold()] for r in report_rows
    )


@needs_reports
def test_committed_stated_counts_are_the_reports(committed):
    lines = REPORT.read_text(encoding="utf-8").splitlines()
    stated = matrix.narrative_counts(lines) + matrix.read_matrix(lines)[1]
    assert committed["project_counts.csv"] == matrix.count_records(
        stated, matrix.SOURCE_ID
    )
    kinds = Counter(s.stated_in for s in stated)
    assert kinds == {"narrative": 5, "pillar-header": 4}


def test_every_committed_project_has_implementer_scope_and_unique_id(committed):
    projects = committed["projects.csv"]
    assert projects
    assert len({p["id"] for p in projects}) == len(projects)
    for p in projects:
        assert p["implementers"], p["id"]
        assert p["scope"] in matrix.SCOPE_RANK, p["id"]
        assert p["status"] in set(matrix.STATUS_MAP.values()), p["id"]
        assert p["kind"] == "project" and p["description"] == ""


def test_committed_references_resolve(committed):
    entities = {e["id"]: e for e in committed["entities.csv"]}
    regions = {r["id"] for r in committed["regions.csv"]}
    projects = committed["projects.csv"]
    for p in projects:
        for column in ("implementers", "partners"):
            for e in filter(None, p[column].split(";")):
                assert e in entities, (p["id"], e)
        for r in filter(None, p["regions"].split(";")):
            assert r in regions, (p["id"], r)
        for c in filter(None, p["countries"].split(";")):
            assert c == c.lower() and pycountry.countries.get(alpha_3=c.upper())
    cited = {s for p in projects for s in p["resolutions"].split(";") if s}
    assert cited == {r["symbol"] for r in committed["resolutions.csv"]}
    used = {
        e
        for p in projects
        for col in ("implementers", "partners")
        for e in p[col].split(";")
        if e
    }
    assert used == set(entities)
    for e in entities.values():
        assert not e["parent"] or e["parent"] in entities or e["parent"] in core_ids()


def core_ids() -> dict[str, dict[str, str]]:
    return {e["id"]: e for e in read(DATA / "core" / "entities.csv")}


def test_committed_entities_keep_core_ids_and_names(committed):
    core = core_ids()
    shared = [e for e in committed["entities.csv"] if e["id"] in core]
    assert shared
    for e in shared:
        assert e["name"] == core[e["id"]]["name"], e["id"]


def raw(pillar: str, *serials: int) -> list[matrix.RawRow]:
    return [matrix.RawRow(pillar, s, ((),) * 4, 1, 1) for s in serials]


@pytest.mark.parametrize(
    ("serials", "missing"),
    [
        ((2, 3, 4), [1]),  # the first serial skipped
        ((1, 2, 4, 5), [3]),  # one in the middle
        ((1, 2, 3, 5), [4]),  # the one before the last
        ((1, 3, 5), [2, 4]),
        ((1, 2, 3), []),
    ],
)
def test_serial_gaps_at_start_middle_and_end(serials, missing):
    repeated, found = matrix.serial_gaps(raw("III", *serials))
    assert found == {"iii": missing}
    assert repeated == {"iii": []}


def test_serials_repeated_once_or_more_are_each_named_once():
    repeated, missing = matrix.serial_gaps(raw("II", 1, 2, 2, 3, 3, 3) + raw("I", 1))
    assert repeated == {"i": [], "ii": [2, 3]}
    assert missing == {"i": [], "ii": []}


def pillar_sections(lines: list[str]) -> dict[str, list[str]]:
    """The matrix's four sections, cut at its own pillar headings (not the ingester)."""
    heading = re.compile(r"Pillar (I|II|III|IV) of the UN Global Counter-Terrorism")
    starts = [
        (i, m.group(1)) for i, line in enumerate(lines) if (m := heading.match(line))
    ]
    end = next(i for i, line in enumerate(lines) if line.startswith("Annex III"))
    bounds = [i for i, _ in starts[1:]] + [end]
    return {roman: lines[i:j] for (i, roman), j in zip(starts, bounds, strict=True)}


@needs_reports
def test_counts_agree_with_figures_read_from_the_report_text(committed):
    lines = REPORT.read_text(encoding="utf-8").splitlines()
    sections = pillar_sections(lines)
    assert list(sections) == ["I", "II", "III", "IV"]
    listed, headed = {}, {}
    for roman, section in sections.items():
        serials = [
            int(m.group(1)) for line in section if (m := re.match(r"(\d+)\t", line))
        ]
        listed[matrix.PILLAR_IDS[roman]] = len(serials)
        headed[matrix.PILLAR_IDS[roman]] = next(
            int(m.group(1))
            for line in section
            if (m := re.fullmatch(r"(\d+) projects", line))
        )
    # every serial row in the text is one committed project, pillar by pillar
    assert listed == {"i": 120, "ii": 56, "iii": 124, "iv": 17}
    assert Counter(p["pillars"] for p in committed["projects.csv"]) == listed
    narrative = next(line for line in lines if "a total of 320 projects" in line)
    stated = dict(re.findall(r"(\d+) projects under Pillar (I|II|III|IV)\b", narrative))
    counts = {
        (c["pillar"], c["stated_in"]): int(c["count"])
        for c in committed["project_counts.csv"]
    }
    assert counts[("all", "narrative")] == 320
    for count, roman in ((int(n), r) for n, r in stated.items()):
        assert counts[(matrix.PILLAR_IDS[roman], "narrative")] == count
    assert len(stated) == 4
    for pid, count in headed.items():
        assert counts[(pid, "pillar-header")] == count


# ------------------------------------------------------------------ rows to projects


def raw_row(serial: int, title: str, status: str, activities: str, scope: str):
    """A one-line Pillar III row with the given cells (an empty cell has no parts)."""
    cells = tuple((c,) if c else () for c in (title, status, activities, scope))
    return matrix.RawRow("III", serial, cells, 10 + serial, 10 + serial)


def test_build_projects_takes_resolution_years_from_the_rows_and_lists_all_gaps(
    aliases,
):
    rows = [
        raw_row(1, "On resolution 2178 (2014) (2018) UNODC", "Ongoing", "", "Chad"),
        raw_row(2, "On resolution 2178 XQZW, QQQQ and UNODC", "Someday", "", ""),
        raw_row(3, "A title with no entity list", "Completed", "", "Atlantis"),
    ]  # fmt: skip
    projects, unresolved, notes = matrix.build_projects(rows, aliases)
    # the bare 2178 of serial 2 takes the year serial 1 states
    assert [p.resolutions for p in projects] == [
        ["S/RES/2178 (2014)"],
        ["S/RES/2178 (2014)"],
        [],
    ]
    assert [p.implementers for p in projects] == [["unodc"], ["unodc"], []]
    assert [(p.status, p.scope) for p in projects] == [
        ("implementation", "national"),
        ("", ""),
        ("closed", ""),
    ]
    second, third = (row.locator for row in rows[1:])
    assert unresolved == [
        matrix.Unresolved("entity", "XQZW", second),
        matrix.Unresolved("entity", "QQQQ", second),
        matrix.Unresolved("status", "Someday", second),
        matrix.Unresolved("scope", "", second),
        matrix.Unresolved("implementer", "A title with no entity list", third),
        matrix.Unresolved("country-or-region", "Atlantis", third),
        matrix.Unresolved("scope", "Atlantis", third),
    ]
    assert notes == []


def test_a_year_stated_in_the_activities_cell_completes_a_bare_citation(aliases):
    rows = [
        raw_row(1, "A title (2018) UNODC", "Ongoing", "Under resolution 2178 (2014)",
                "Chad"),
        raw_row(2, "On resolution 2178 UNODC", "Ongoing", "", "Chad"),
    ]  # fmt: skip
    projects, _, _ = matrix.build_projects(rows, aliases)
    assert [p.resolutions for p in projects] == [
        ["S/RES/2178 (2014)"],
        ["S/RES/2178 (2014)"],
    ]


# ------------------------------------------------------------------ the summary


def test_ingest_summary_gives_counts_gaps_notes_and_every_token(
    fixture_files, tmp_path
):
    report = ingest_fixture(fixture_files, tmp_path / "out")
    assert report.format() == (
        "Rows listed per pillar (stated in narrative / pillar header):\n"
        "  Pillar I: 4 listed (4 / 4)\n"
        "  Pillar II: 2 listed (2 / 2); serial 1 repeated\n"
        "  Pillar III: 0 listed (0 / -)\n"
        "  Pillar IV: 0 listed (0 / -)\n"
        "  All: 6 listed (6 stated)\n"
        "Status: closed 2, implementation 2, pipeline 1, suspended 1\n"
        "Entities: 9; countries: 7; regions: 3\n"
        f"Note: {row(matrix.read_matrix(FIXTURE.splitlines())[0], 'I', 4).locator}:"
        " entity list 'UNODC' repeated before a page break; removed\n"
        "Unresolved tokens: 2\n"
        "  entity: 'XQZW' (Annex II matrix, Pillar II, serial 1, line 31)\n"
        "  country-or-region: 'Atlantis' (Annex II matrix, Pillar II, serial 1,"
        " line 31)"
    )


def test_summary_names_missing_and_repeated_serials_and_an_unstated_total():
    report = matrix.IngestReport(
        rows_per_pillar={"i": 5, "iii": 2},
        stated=[matrix.StatedCount("iii", "pillar-header", 3, 9)],
        status_counts={},
        entities=0,
        countries=0,
        regions=0,
        repeated_serials={"i": [2, 4], "iii": []},
        missing_serials={"i": [1, 6], "iii": [3]},
    )
    assert report.ok
    assert report.format().splitlines()[:6] == [
        "Rows listed per pillar (stated in narrative / pillar header):",
        "  Pillar I: 5 listed (- / -); serial 2, 4 repeated; serial 1, 6 missing",
        "  Pillar II: 0 listed (- / -)",
        "  Pillar III: 2 listed (- / 3); serial 3 missing",
        "  Pillar IV: 0 listed (- / -)",
        "  All: 7 listed (- stated)",
    ]
    assert report.format().splitlines()[6:] == [
        "Status: ",
        "Entities: 0; countries: 0; regions: 0",
        "Unresolved tokens: 0",
    ]


def test_ingest_reads_aliases_and_core_entities_beside_the_output_by_default(
    fixture_files, tmp_path
):
    out = tmp_path / "data" / "matrix"
    (out / "aliases").mkdir(parents=True)
    for name in ALIAS_FILES:
        (out / "aliases" / name).write_bytes(
            (fixture_files["aliases"] / name).read_bytes()
        )
    (tmp_path / "data" / "core").mkdir()
    (tmp_path / "data" / "core" / "entities.csv").write_text(CORE_ENTITIES)
    report = matrix.ingest(fixture_files["report"], out)
    assert {u.token for u in report.unresolved} == {"XQZW", "Atlantis"}
    entities = {e["id"]: e["name"] for e in read(out / "entities.csv")}
    assert entities["unodc"] == "United Nations Office on Drugs and Crime"


def test_ingest_writes_into_a_folder_it_creates_with_its_parents(
    fixture_files, tmp_path
):
    out = tmp_path / "new" / "deeper" / "matrix"
    ingest_fixture(fixture_files, out)
    projects = read(out / "projects.csv")
    assert (
        "Côte d'Ivoire"
        in [p for p in projects if p["id"] == "matrix-p1-003"][0]["scope_text"]
    )
    assert (out / "projects.csv").read_bytes().count(b"\r\n") == 0


def test_ingest_reads_and_writes_utf8_whatever_the_locale(fixture_files, tmp_path):
    if sys.flags.utf8_mode:
        pytest.skip("in Python's UTF-8 mode the locale chooses no file encoding")
    previous = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")  # ASCII: "Côte" and "–" do not fit
    try:
        assert locale.getencoding() != "UTF-8"
        ingest_fixture(fixture_files, tmp_path / "out")
    finally:
        locale.setlocale(locale.LC_CTYPE, previous)
    projects = {p["id"]: p for p in read(tmp_path / "out" / "projects.csv")}
    assert "Côte d'Ivoire" in projects["matrix-p1-003"]["scope_text"]
    assert projects["matrix-p1-001"]["title"] == "Pilot Project in the Sahel-Maghreb"


def test_a_stray_line_inside_the_matrix_is_reported_with_its_number(
    fixture_files, tmp_path
):
    text = FIXTURE.replace("4 projects\n", "4 projects\nA stray remark\n")
    fixture_files["report"].write_text(text, encoding="utf-8")
    report = ingest_fixture(fixture_files, tmp_path / "out")
    number = text.splitlines().index("A stray remark") + 1
    assert matrix.Unresolved("line", "A stray remark", f"line {number}") in (
        report.unresolved
    )


def test_entities_without_a_name_are_each_reported(fixture_files, tmp_path):
    entities = fixture_files["aliases"] / "entity_aliases.csv"
    entities.write_text(
        entities.read_text(encoding="utf-8") + "XQZW,xqzw-org,\nUNESCO,unesco-x,\n",
        encoding="utf-8",
    )
    report = ingest_fixture(fixture_files, tmp_path / "out")
    rows = matrix.read_matrix(FIXTURE.splitlines())[0]
    missing = [u for u in report.unresolved if u.kind == "entity-name"]
    assert missing == [
        matrix.Unresolved("entity-name", "unesco-x", row(rows, "I", 2).locator),
        matrix.Unresolved("entity-name", "xqzw-org", row(rows, "II", 1, 1).locator),
    ]
    written = {e["id"] for e in read(tmp_path / "out" / "entities.csv")}
    assert "uncct" in written and "xqzw-org" not in written


def test_presidential_statements_are_not_resolutions_and_do_not_stop_the_list():
    text = "statement S/PRST/2017/1 and resolutions 2178 (2014) and 2396 (2017)"
    assert matrix.resolutions_in([text]) == ["S/RES/2178 (2014)", "S/RES/2396 (2017)"]


def test_a_serial_printed_three_times_gets_b_then_c():
    assert matrix.project_ids(raw("I", 1, 1, 1)) == [
        "matrix-p1-001",
        "matrix-p1-001-b",
        "matrix-p1-001-c",
    ]


@pytest.mark.parametrize(
    ("text", "title", "tokens"),
    [
        # a known spelling that is the whole text, and one that is not an acronym
        ("Lake Chad Basin Commission", "", ["Lake Chad Basin Commission"]),
        ("Support to the Lake Chad Basin Commission", "Support to the", [
            "Lake Chad Basin Commission"
        ]),
        # a known acronym at the end of a longer word is not that entity
        ("Training of ATLAS", "Training of", ["ATLAS"]),
        ("Project XLAS", "Project", ["XLAS"]),
        # an unknown acronym after a comma with no space, or after a space
        ("Work,XQZW", "Work", ["XQZW"]),
        ("Work XQZW", "Work", ["XQZW"]),
        ("Work XQZW  ", "Work", ["XQZW"]),
        ("Work,UNDP,XQZW", "Work", ["UNDP", "XQZW"]),
        ("Work for all", "Work for all", []),
        # nothing before the list but its separator
        (", UNODC", "", ["UNODC"]),
    ],
)  # fmt: skip
def test_peel_entities_takes_known_spellings_and_acronyms_off_the_end(
    aliases, text, title, tokens
):
    assert matrix.peel_entities(text, aliases) == (title, tokens)


REPEATED = "entity list {!r} repeated before a page break; removed"


@pytest.mark.parametrize(
    ("parts", "title", "tokens", "notes"),
    [
        # a bracket with nothing after it is no duration
        (["A title (2018)"], "A title (2018)", (), ()),
        # a full stop closing the title, after a space
        (["A title . UNODC"], "A title", ("UNODC",), ()),
        # a full stop after the duration; an entity starting with X
        (["A title (2018). UNODC"], "A title", ("UNODC",), ()),
        (["A title (2018) XQZW"], "A title", ("XQZW",), ()),
        # a bracket after the duration that is part of an entity's name
        (["A title (2018) UNESCO (fixture name)"], "A title",
         ("UNESCO (fixture name)",), ()),
        # a row over two lines that repeats nothing
        (["Promoting Dialogue through", "Media (2018) UNCCT, LAS"],
         "Promoting Dialogue through Media", ("UNCCT", "LAS"), ()),
        # a list of two entities repeated, on the second of three lines, with
        # trailing spaces
        (["Countering X", "for Tunisia, UNODC, LAS  ", "Morocco (2013) UNODC, LAS"],
         "Countering X for Tunisia, Morocco", ("UNODC", "LAS"),
         (REPEATED.format("UNODC, LAS"),)),
        # a line ending in a list of places is not a repeated entity list
        (["Training for A, B, Chad", "and Niger (2018) UNODC"],
         "Training for A, B, Chad and Niger", ("UNODC",), ()),
    ],
)  # fmt: skip
def test_title_cells_over_several_lines(aliases, parts, title, tokens, notes):
    cell = matrix.split_title(parts, aliases)
    assert (cell.title, cell.entity_tokens, cell.notes) == (title, tokens, notes)


def test_scope_tokens_are_reported_with_straight_apostrophes_and_whole(aliases):
    parsed = matrix.parse_scope("Côte d’Ivoire, Atlantis’ Isles, XQZX.", aliases)
    assert parsed.countries == ("civ",)
    assert parsed.unresolved == ("Atlantis' Isles", "XQZX")


@pytest.mark.parametrize(
    ("text", "known", "items"),
    [
        ("Chad AND Niger", [], ["Chad", "Niger"]),
        # the longest known spelling first, whatever the case of a shorter one
        (
            "Trinidad and Tobago, Chad",
            ["trinidad", "Trinidad and Tobago"],
            ["Trinidad and Tobago", "Chad"],
        ),
        # a known spelling that only starts an item does not end it
        ("UNODC staff, CTED", ["UNODC", "CTED"], ["UNODC staff", "CTED"]),
        # a known spelling with "and" in it, before "and" in any case
        ("Trinidad and Tobago and Chad", ["Trinidad and Tobago"],
         ["Trinidad and Tobago", "Chad"]),
        ("Trinidad and Tobago AND Chad", ["Trinidad and Tobago"],
         ["Trinidad and Tobago", "Chad"]),
        # a known spelling is a whole word: "Thail" is not in "Thailand"
        ("Thailand, Chad", ["Thail"], ["Thailand", "Chad"]),
        # full stops end no item and make none; any other text is an item
        ("Chad, Niger.", [], ["Chad", "Niger"]),
        ("Chad, .", [], ["Chad"]),
        ("Chad, X", [], ["Chad", "X"]),
    ],
)  # fmt: skip
def test_split_list(text, known, items):
    assert matrix.split_list(text, known) == items


def test_a_text_without_the_matrix_gives_nothing():
    assert matrix.read_matrix(["Annex I", "no matrix here"]) == ([], [], [])


def test_rows_before_any_pillar_heading_are_stray_lines():
    lines = [matrix.MATRIX_TITLE, "1\tA title UNODC\tOngoing\tWork\tGlobal"]
    assert matrix.read_matrix(lines) == ([], [], [2])


def test_a_pillar_count_before_any_pillar_heading_is_a_stray_line():
    lines = [
        matrix.MATRIX_TITLE,
        "4 projects",
        "Pillar I of the UN Global Counter-Terrorism Strategy",
        "1\tA title UNODC\tOngoing\tWork\tSector X",
    ]
    rows, stated, stray = matrix.read_matrix(lines)
    assert (stated, stray) == ([], [2])
    assert rows[0].cells[3] == ("Sector X",)  # a last cell ending in "X" keeps it


def test_missing_cells_are_empty_and_extra_tabs_stay_in_the_last_cell():
    lines = [
        matrix.MATRIX_TITLE,
        "Pillar I of the UN Global Counter-Terrorism Strategy",
        "1\tA title UNODC\tOngoing",
        "2\tA title UNODC\tOngoing\tWork\tChad\tNiger",
    ]
    short, extra = matrix.read_matrix(lines)[0]
    assert short.cells == (("A title UNODC",), ("Ongoing",), (), ())
    assert extra.cells[3] == ("Chad Niger",)


def test_narrative_counts_without_a_total_give_each_pillar():
    assert matrix.narrative_counts(["So far 3 projects under Pillar II."]) == [
        matrix.StatedCount("ii", "narrative", 3, 1)
    ]


def test_an_entity_named_twice_in_a_title_implements_once(aliases):
    rows = [raw_row(1, "A title (2018) UNODC, CTED, UNODC", "Ongoing", "", "Chad")]
    projects, unresolved, _ = matrix.build_projects(rows, aliases)
    assert projects[0].implementers == ["unodc", "cted"]
    assert unresolved == []


def test_aliases_without_a_core_entities_file_name_only_the_alias_tables(
    fixture_files, tmp_path
):
    aliases = matrix.load_aliases(fixture_files["aliases"], tmp_path / "none.csv")
    assert "cted" in aliases.entity_info
    assert "unodc" not in aliases.entity_info


def test_entity_tokens_match_across_spacing_apostrophes_and_a_full_stop(aliases):
    assert matrix.resolve_entity("Lake  Chad Basin\tCommission", aliases) == "lcbc"
    assert matrix.resolve_entity("the UNODC.", aliases) == "unodc"
    apostrophe = dataclasses.replace(aliases, entities={"women's office": "wo"})
    assert matrix.resolve_entity("Women’s Office", apostrophe) == "wo"
    # a key ending in "X" keeps it: "ABX" is not "AB"
    similar = dataclasses.replace(aliases, entities={"ab": "ab-org", "abx": "abx-org"})
    assert matrix.resolve_entity("ABX", similar) == "abx-org"


def test_the_longest_known_spelling_ending_a_title_is_taken(fixture_files):
    entities = fixture_files["aliases"] / "entity_aliases.csv"
    entities.write_text(
        entities.read_text(encoding="utf-8") + "Basin Commission,xbc,\n",
        encoding="utf-8",
    )
    aliases = matrix.load_aliases(fixture_files["aliases"], fixture_files["core"])
    text = "Support to the Lake Chad Basin Commission"
    assert matrix.peel_entities(text, aliases) == (
        "Support to the",
        ["Lake Chad Basin Commission"],
    )
