"""Resolution mentions in the five reports, against a list compiled by hand.

tests/fixtures/expected_mentions.csv was built by reading each report (searching for
"resolution", "决议", "RES/", "SCR", "PRST" and numbers with a year in parentheses),
not from the scanner's output. Decisions it encodes: a committee named by a number
("the 1540 Committee") is a body, not a citation; a sanctions regime named by
resolutions ("1267/1989/2253") cites each; years are as written on that line.

The build reads the committed table data/mentions/mentions.csv, which `ctgraph ingest
mentions` writes from the texts; tests marked `needs_reports` read the texts.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from texts import REPORT_NAMES, REPORTS_DIR, needs_reports, report_files

from ctgraph.build import BuildResult
from ctgraph.graph.dataset import build_dataset, union
from ctgraph.namespaces import CTG, ELI, ID, graph_iri, report_iri
from ctgraph.paths import DATA_DIR, SOURCES_ENV, SOURCES_ENV_OLD, sources_dir
from ctgraph.sources import mentions as scanner
from ctgraph.sources.mentions import (
    ReportMention,
    complete_years,
    distinct_resolutions,
    scan_folder,
    scan_report,
    scan_sources,
)
from ctgraph.sources.symbols import Symbol, parse_symbol, sc_year_table
from ctgraph.sources.tables import SourceError, read_all
from ctgraph.store.backends import OxigraphBackend
from ctgraph.validation.shacl import validate

EXPECTED = Path(__file__).parent / "fixtures" / "expected_mentions.csv"
COMMITTED = DATA_DIR / "mentions" / "mentions.csv"

Row = tuple[int, str, str]  # line, canonical symbol, text as written


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_rows() -> dict[str, Counter[Row]]:
    rows: dict[str, Counter[Row]] = {name: Counter() for name in REPORT_NAMES}
    for row in read_csv(EXPECTED):
        rows[row["report"]][(int(row["line"]), row["symbol"], row["text"])] += 1
    return rows


def committed_mentions() -> list[ReportMention]:
    """The committed table read back as mentions (report file names restored)."""
    files = report_files()
    return [
        ReportMention(
            files[row["source"]],
            int(row["locator"].removeprefix("line ")),
            parse_symbol(row["symbol"]),
            row["text"],
        )
        for row in read_csv(COMMITTED)
    ]


def scanned_rows(path: Path) -> Counter[Row]:
    return Counter((m.line, m.symbol.canonical, m.text) for m in scan_report(path))


# --- the committed table (no texts needed) -------------------------------------------


def test_the_committed_table_is_the_hand_compiled_list() -> None:
    committed: dict[str, Counter[Row]] = {name: Counter() for name in REPORT_NAMES}
    for m in committed_mentions():
        committed[m.report][(m.line, m.symbol.canonical, m.text)] += 1
    assert sum(committed.values(), Counter())
    assert committed == expected_rows()


def test_every_committed_locator_is_one_line() -> None:
    rows = read_csv(COMMITTED)
    assert rows and list(rows[0]) == list(scanner.COLUMNS)
    assert all(r["locator"].removeprefix("line ").isdigit() for r in rows)


def test_expected_symbols_are_canonical() -> None:
    symbols = [row["symbol"] for row in read_csv(EXPECTED)]
    assert symbols
    assert all(parse_symbol(s).canonical == s for s in symbols)


def test_years_come_from_the_reports_only() -> None:
    mentions = committed_mentions()
    completed = {(m.report, m.line, m.text): m.symbol for m in complete_years(mentions)}
    sg_report = REPORT_NAMES[4]
    # "resolutions 1373, 1540 and 1624": each number is stated with a year elsewhere.
    assert completed[(sg_report, 264, "resolutions 1373")] == Symbol(
        "SC", 1373, year=2001
    )
    assert completed[(sg_report, 264, "1540")] == Symbol("SC", 1540, year=2004)
    # "SCR 2462" is never given a year in any report, so none is added.
    assert completed[(REPORT_NAMES[2], 97, "SCR 2462")] == Symbol("SC", 2462)
    assert completed[(sg_report, 621, "2253")] == Symbol("SC", 2253, year=2015)


def test_conflicting_years_in_the_reports_are_reported() -> None:
    table = sc_year_table(m.symbol for m in committed_mentions())
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


# --- the ingest: texts -> table ------------------------------------------------------


@needs_reports
def test_all_five_reports_are_scanned() -> None:
    assert [p.name for p in scanner.report_files(REPORTS_DIR)] == REPORT_NAMES
    assert len(REPORT_NAMES) == 5


@needs_reports
@pytest.mark.parametrize("name", REPORT_NAMES, ids=lambda n: n[:3])
def test_no_mention_is_missed(name: str) -> None:
    missing = expected_rows()[name] - scanned_rows(REPORTS_DIR / name)
    assert not missing, f"not found: {sorted(missing)}"


@needs_reports
@pytest.mark.parametrize("name", REPORT_NAMES, ids=lambda n: n[:3])
def test_no_mention_is_invented(name: str) -> None:
    extra = scanned_rows(REPORTS_DIR / name) - expected_rows()[name]
    assert not extra, f"not in the reports: {sorted(extra)}"


def test_report_names_are_collected() -> None:
    assert len(REPORT_NAMES) == 5


@needs_reports
def test_expected_text_stands_on_its_line() -> None:
    lines = {
        name: (REPORTS_DIR / name).read_text(encoding="utf-8").split("\n")
        for name in REPORT_NAMES
    }
    rows = read_csv(EXPECTED)
    assert rows
    for row in rows:
        assert row["text"] in lines[row["report"]][int(row["line"]) - 1], row


@needs_reports
def test_the_committed_table_equals_a_fresh_ingest(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ctgraph", "ingest", "mentions", str(REPORTS_DIR)]
        + ["--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "mentions.csv").read_bytes() == COMMITTED.read_bytes()


def test_a_rerun_gives_the_same_bytes(tmp_path: Path) -> None:
    data, seeds = small_sources(tmp_path)
    first = scanner.ingest(seeds, {"r1": "r1.txt"}, tmp_path / "one").read_bytes()
    second = scanner.ingest(seeds, {"r1": "r1.txt"}, tmp_path / "two").read_bytes()
    assert first == second
    assert first.decode("utf-8").splitlines() == [
        "symbol,text,source,locator",
        "S/RES/2462 (2019),resolution 2462 (2019),r1,line 2",
        "A/RES/71/291,GA resolution 71/291,r1,line 2",
        "S/RES/2462,Security Council resolution 2462,r1,line 3",
    ]


def test_the_folder_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SOURCES_ENV, raising=False)
    monkeypatch.setenv(SOURCES_ENV_OLD, str(tmp_path / "old"))
    assert sources_dir() == tmp_path / "old"
    monkeypatch.setenv(SOURCES_ENV, str(tmp_path))
    assert sources_dir() == tmp_path
    assert sources_dir(tmp_path / "given") == tmp_path / "given"
    (tmp_path / "one.txt").write_text("intro\nsee resolution 2396 (2017).\n", "utf-8")
    assert scan_folder(sources_dir()) == {
        "one.txt": [
            ReportMention(
                "one.txt", 2, Symbol("SC", 2396, year=2017), "resolution 2396 (2017)"
            )
        ]
    }


def test_empty_texts_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        scanner.report_files(tmp_path)


# --- the mentions in the graph -------------------------------------------------------


def source_ids() -> dict[str, str]:
    """Report file name -> source id, from data/core/sources.csv."""
    return {file: source for source, file in report_files().items()}


def resolution_by_key(graph: Graph) -> dict[tuple, URIRef]:
    nodes: dict[tuple, URIRef] = {}
    for node, symbol in graph.subject_objects(ELI.id_local):
        key = parse_symbol(str(symbol)).key
        assert key not in nodes, f"two nodes for {symbol}: {node}, {nodes[key]}"
        nodes[key] = node
    return nodes


def test_every_mention_is_stated_in_its_reports_graph(real_build: BuildResult) -> None:
    nodes = resolution_by_key(real_build.merged)
    sources = source_ids()
    with EXPECTED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        source = sources[row["report"]]
        g = real_build.dataset.graph(graph_iri(source))
        node = nodes[parse_symbol(row["symbol"]).key]
        assert (node, CTG.statedIn, report_iri(source)) in g, row
        locators = {
            str(g.value(citation, CTG.locator))
            for citation in g.objects(node, PROV.wasDerivedFrom)
            if g.value(citation, PROV.hadPrimarySource) == report_iri(source)
        }
        assert f"line {row['line']}" in locators, row


WHERE_CITED = """
PREFIX ctg: <https://w3id.org/ctgraph/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?file ?locator WHERE {
  ?resolution eli:id_local ?symbol .
  GRAPH ?g { ?resolution ctg:statedIn ?report ; prov:wasDerivedFrom ?citation .
             ?citation prov:hadPrimarySource ?report ; ctg:locator ?locator . }
  ?report ctg:fileName ?file .
}
"""


def test_which_reports_cite_a_resolution_and_where(real_build: BuildResult) -> None:
    store = OxigraphBackend.from_dataset(real_build.dataset)
    symbol = Literal("S/RES/2396 (2017)")
    found = {
        (str(row["file"]), str(row["locator"]))
        for row in store.select(WHERE_CITED, {"symbol": symbol}).dicts()
    }
    with EXPECTED.open(encoding="utf-8", newline="") as handle:
        expected = {
            (row["report"], f"line {row['line']}")
            for row in csv.DictReader(handle)
            if parse_symbol(row["symbol"]).key == ("SC", 2396, None)
        }
    assert len({file for file, _ in expected}) >= 2
    assert expected <= found


def test_every_cited_resolution_is_a_resource_of_the_graph(
    real_build: BuildResult,
) -> None:
    mentions = committed_mentions()
    nodes = resolution_by_key(real_build.merged)
    assert distinct_resolutions(mentions) <= set(nodes)


def small_sources(tmp_path: Path) -> tuple[Path, Path]:
    """One report and the three organs; the report cites a resolution the tables
    list without its year, and one no table lists."""
    data, seeds = tmp_path / "data", tmp_path / "seeds"
    (data / "core").mkdir(parents=True)
    seeds.mkdir()
    (data / "core" / "sources.csv").write_text(
        "id,file,title,date,publisher,language\nr1,r1.txt,Report One,2020,UN,en\n"
    )
    (data / "core" / "entities.csv").write_text(
        "id,name,type,source,locator\n"
        "security-council,Security Council,un-entity,r1,line 1\n"
        "general-assembly,General Assembly,un-entity,r1,line 1\n"
        "human-rights-council,Human Rights Council,un-entity,r1,line 1\n"
    )
    (data / "core" / "resolutions.csv").write_text(
        "symbol,title,adopted,source,locator\nS/RES/2462,,,r1,line 3\n"
    )
    (seeds / "r1.txt").write_text(
        "The Security Council, the General Assembly and the Human Rights Council.\n"
        "Recalling resolution 2462 (2019) and GA resolution 71/291,\n"
        "and Security Council resolution 2462.\n",
        encoding="utf-8",
    )
    return data, seeds


def test_a_resolution_only_a_report_cites_becomes_a_resource(tmp_path: Path) -> None:
    data, seeds = small_sources(tmp_path)
    scanner.ingest(seeds, {"r1": "r1.txt"}, data / "mentions")
    dataset = build_dataset(read_all(data))
    merged = union(dataset)
    ga = ID["resolution/a-res-71-291"]
    assert (ga, RDF.type, CTG.GeneralAssemblyResolution) in merged
    assert merged.value(ga, ELI.id_local) == Literal("A/RES/71/291")
    assert merged.value(ga, ELI.number) == Literal(291)
    assert merged.value(ga, CTG.session) == Literal(71)
    assert merged.value(ga, ELI.passed_by) == ID["entity/general-assembly"]
    assert merged.value(ga, RDFS.seeAlso) == URIRef("https://undocs.org/A/RES/71/291")
    report_graph = dataset.graph(graph_iri("r1"))
    assert (ga, CTG.statedIn, report_iri("r1")) in report_graph
    citation = report_graph.value(ga, PROV.wasDerivedFrom)
    assert report_graph.value(citation, CTG.locator) == Literal("line 2")
    report = validate(merged)
    assert report.conforms, report.to_text()


def test_one_node_whatever_year_a_line_gives(tmp_path: Path) -> None:
    data, seeds = small_sources(tmp_path)
    scanner.ingest(seeds, {"r1": "r1.txt"}, data / "mentions")
    dataset = build_dataset(read_all(data))
    merged = union(dataset)
    nodes = sorted(merged.subjects(RDF.type, CTG.SecurityCouncilResolution))
    assert nodes == [ID["resolution/s-res-2462-2019"]]
    assert set(merged.objects(nodes[0], ELI.id_local)) == {Literal("S/RES/2462 (2019)")}
    locators = {
        str(merged.value(c, CTG.locator))
        for c in merged.objects(nodes[0], PROV.wasDerivedFrom)
    }
    assert locators == {"line 2", "line 3"}


def test_a_missing_texts_folder_stops_the_ingest(tmp_path: Path) -> None:
    missing, out = tmp_path / "no-such-folder", tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != SOURCES_ENV}
    result = subprocess.run(
        [sys.executable, "-m", "ctgraph", "ingest", "mentions", str(missing)]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 2
    assert str(missing) in result.stderr and SOURCES_ENV in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_bad_symbol_in_the_table_stops_the_build(tmp_path: Path) -> None:
    data, seeds = small_sources(tmp_path)
    table = scanner.ingest(seeds, {"r1": "r1.txt"}, data / "mentions")
    table.write_text(
        table.read_text(encoding="utf-8").replace("A/RES/71/291", "A/RES/71"),
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as caught:
        build_dataset(read_all(data))
    assert (caught.value.path, caught.value.line) == (str(table), 3)
    assert "column 'symbol'" in caught.value.problem


def test_a_report_missing_from_the_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("resolution 2396 (2017)\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError) as caught:
        scan_sources({"a": "a.txt", "b": "b.txt"}, tmp_path)
    assert caught.value.filename == str(tmp_path / "b.txt")
    assert "report of source 'b' not found" in caught.value.strerror
    assert SOURCES_ENV in caught.value.strerror
    assert scan_sources({"a": "a.txt"}, tmp_path)["a"][0].line == 1
