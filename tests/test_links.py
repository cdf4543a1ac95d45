"""Links to external datasets: the CR-UNSC links the build ships, undocs.org pages,
tables and SPARQL endpoints (a real Oxigraph server on loopback), and every fault
named with what failed and where, with nothing written."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef, namespace
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from servers import OxigraphServer, free_port, launch
from stubs import Quiet

from ctgraph import build as pipeline
from ctgraph.build import BuildResult
from ctgraph.cli import CR_UNSC_TABLE
from ctgraph.links import (
    Candidate,
    LinkError,
    extract_rows,
    load_source,
    match,
    query_endpoint,
    resolutions_in,
    table_candidates,
)
from ctgraph.namespaces import CTG, ELI, PAV, RESOLUTIONS_GRAPH, doi_iri, links_graph
from ctgraph.paths import EXTERNAL_ENV, external_dir
from ctgraph.sources.symbols import Symbol, parse_symbol

ROOT = Path(__file__).resolve().parents[1]
LINKS = ROOT / "data" / "links"
FIXTURE = Path(__file__).parent / "fixtures" / "links" / "wikidata-sample.ttl"
CR_UNSC = load_source(LINKS / "cr-unsc.yaml")
WIKIDATA = load_source(LINKS / "wikidata.yaml")
CC0 = URIRef("https://creativecommons.org/publicdomain/zero/1.0/")


def ctgraph(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ctgraph", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def record_table() -> dict[int, str]:
    """CR-UNSC's record table read on its own: resolution number -> record page."""
    assert CR_UNSC.path is not None
    with CR_UNSC.path.open(encoding="utf-8", newline="") as handle:
        return {int(row["res_no"]): row["url_record"] for row in csv.DictReader(handle)}


def sc_resolutions(graph: Graph) -> list[URIRef]:
    return sorted(graph.subjects(RDF.type, CTG.SecurityCouncilResolution))


# --- what the build ships ----------------------------------------------------------


def test_every_security_council_resolution_links_to_its_library_record(
    real_build: BuildResult,
) -> None:
    records = record_table()
    links = real_build.dataset.graph(links_graph("cr-unsc"))
    resolutions = sc_resolutions(real_build.merged)
    assert resolutions
    for resolution in resolutions:
        number = int(real_build.merged.value(resolution, ELI.number))
        assert set(links.objects(resolution, SKOS.exactMatch)) == {
            URIRef(records[number])
        }, resolution


def test_every_resolution_has_its_undocs_page(real_build: BuildResult) -> None:
    g = real_build.merged
    resolutions = sorted(g.subject_objects(ELI.id_local))
    assert len(resolutions) > len(sc_resolutions(g))  # GA, HRC and PRST too
    for resolution, symbol in resolutions:
        page = URIRef("https://undocs.org/" + str(symbol).replace(" ", ""))
        assert set(g.objects(resolution, RDFS.seeAlso)) == {page}


def test_links_stay_in_their_own_graph_with_their_provenance(
    real_build: BuildResult,
) -> None:
    ds, name = real_build.dataset, links_graph("cr-unsc")
    links = ds.graph(name)
    assert len(links) and set(links.predicates()) == {SKOS.exactMatch}
    resolutions = set(real_build.merged.subjects(ELI.id_local, None))
    assert set(links.subjects()) <= resolutions
    for g in ds.graphs():
        if g.identifier != name:
            assert (None, SKOS.exactMatch, None) not in g, g.identifier
    d = ds.default_graph
    doi = doi_iri("10.5281/zenodo.7319780")
    assert (name, PROV.wasDerivedFrom, doi) in d
    assert (name, CTG.matchMethod, Literal("exact-number")) in d
    assert (name, DCTERMS.license, CC0) in d and (doi, DCTERMS.license, CC0) in d
    assert d.value(doi, DCTERMS.creator) == Literal("Seán Fobbe")
    assert "10.5281/zenodo.7319780" in str(d.value(doi, DCTERMS.bibliographicCitation))
    # the date the description states, never a file's time: the build is the same
    # from every clone
    assert CR_UNSC.retrieved
    retrieved = d.value(name, PAV.retrievedOn)
    assert retrieved == Literal(CR_UNSC.retrieved, datatype=namespace.XSD.date)


def test_build_reports_the_links(real_build: BuildResult) -> None:
    (report,) = real_build.links
    sc = len(sc_resolutions(real_build.merged))
    everything = len(set(real_build.merged.subjects(ELI.id_local, None)))
    assert (len(report.matched), len(report.unmatched), len(report.ambiguous)) == (
        sc,
        0,
        0,
    )
    assert len(report.out_of_scope) == everything - sc
    assert report.rows == len(record_table())


def test_the_identity_graph_is_described(real_build: BuildResult) -> None:
    d = real_build.dataset.default_graph
    assert (RESOLUTIONS_GRAPH, RDF.type, PROV.Entity) in d
    assert len(real_build.dataset.graph(RESOLUTIONS_GRAPH))


def test_a_missing_dataset_file_stops_the_build(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(pipeline.DATA_DIR, data)
    missing = data / "external" / "cr-unsc" / "records.csv"
    missing.unlink()
    out = tmp_path / "build"
    with pytest.raises(LinkError) as caught:
        pipeline.build(data, out)
    message = str(caught.value)
    assert str(missing) in message and "cr-unsc.yaml" in message
    assert not out.exists()


FULL_TABLE = (external_dir() or Path("not-found")) / "cr-unsc" / CR_UNSC_TABLE


@pytest.mark.skipif(
    not FULL_TABLE.is_file(),
    reason=f"CR-UNSC record table not found: set {EXTERNAL_ENV}",
)
def test_the_committed_rows_equal_a_fresh_extraction(tmp_path: Path) -> None:
    done = ctgraph("ingest", "cr-unsc", str(FULL_TABLE.parent), "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert CR_UNSC.path is not None
    assert (tmp_path / "records.csv").read_bytes() == CR_UNSC.path.read_bytes()
    with FULL_TABLE.open(encoding="utf-8", newline="") as handle:
        full = {row["res_no"]: row for row in csv.DictReader(handle)}
    copied = list(csv.DictReader(CR_UNSC.path.open(encoding="utf-8", newline="")))
    assert copied and all(full[row["res_no"]] == row for row in copied)


def test_extraction_keeps_the_asked_rows_and_columns(tmp_path: Path) -> None:
    table = write(
        tmp_path / "t.csv",
        "res_no,url_record,title\n10,https://x/10,ten\n2,https://x/2,two\n"
        "3,https://x/3,three\n",
    )
    keep = ["10", "2", "99", "2"]
    got = extract_rows(table, "res_no", keep, ["res_no", "url_record"])
    assert got == b"res_no,url_record\n2,https://x/2\n10,https://x/10\n"
    with pytest.raises(LinkError, match="no column 'number'"):
        extract_rows(table, "number", ["2"], ["res_no"])


# --- tables: CSV and JSON ------------------------------------------------------------


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_rows_name_resolutions_by_number_or_by_symbol(tmp_path: Path) -> None:
    numbers = write(
        tmp_path / "n.csv",
        "no,url\n2396,https://example.org/a\n\nx,https://example.org/b\n"
        "2178,not a url\n",
    )
    found, skipped, rows = table_candidates(
        numbers, number_column="no", url_column="url"
    )
    assert rows == 3
    assert found == [
        Candidate(Symbol("SC", 2396), URIRef("https://example.org/a"), "line 2")
    ]
    assert [s.where for s in skipped] == ["line 4", "line 5"]
    assert "'x' is not a resolution number" in skipped[0].reason
    assert "is not a URL" in skipped[1].reason
    symbols = write(
        tmp_path / "s.json",
        json.dumps(
            [
                {"sym": "S/RES/2396(2017)", "page": "https://example.org/a"},
                {"sym": "a/res/71/291", "page": "https://example.org/b"},
                {"sym": "A/72/761-S/2018/86", "page": "https://example.org/c"},
            ]
        ),
    )
    found, skipped, rows = table_candidates(
        symbols, symbol_column="sym", url_column="page"
    )
    assert [c.symbol.canonical for c in found] == ["S/RES/2396 (2017)", "A/RES/71/291"]
    assert [s.where for s in skipped] == ["item 3"]


def test_matching_sorts_resolutions_into_four_kinds() -> None:
    def res(text: str) -> tuple[URIRef, Symbol]:
        symbol = parse_symbol(text)
        return URIRef("urn:test:" + symbol.slug), symbol

    def row(text: str, target: str, where: str) -> Candidate:
        return Candidate(
            parse_symbol(text), URIRef("https://example.org/" + target), where
        )

    report = match(
        [
            res("S/RES/2396 (2017)"),
            res("S/RES/2462"),
            res("S/RES/2178 (2014)"),
            res("S/RES/1540 (2004)"),
            res("S/RES/2395 (2017)"),
            res("A/RES/71/291"),
        ],
        [
            row("S/RES/2396(2017)", "a", "line 2"),
            row("S/RES/2396 (2017)", "a", "line 3"),  # the same target twice
            row("S/RES/2462 (2019)", "b", "line 4"),
            row("S/RES/2178 (2014)", "c", "line 5"),
            row("S/RES/2178", "d", "line 6"),
            row("S/RES/1540 (2005)", "e", "line 7"),
        ],
        dataset="test",
        rows=6,
    )
    assert [o.symbol for o in report.matched] == ["S/RES/2396 (2017)", "S/RES/2462"]
    assert report.matched[0].reason == "line 2, line 3"
    assert [o.symbol for o in report.unmatched] == ["S/RES/2395 (2017)"]
    ambiguous = {o.symbol: o.reason for o in report.ambiguous}
    assert "2 targets" in ambiguous["S/RES/2178 (2014)"]
    assert "writes S/RES/1540 (2005) (line 7)" in ambiguous["S/RES/1540 (2004)"]
    assert report.out_of_scope == ["A/RES/71/291"]
    assert report.scope == ("SC",)
    assert "unmatched         1" in report.to_text()
    assert json.loads(report.to_json())["out_of_scope"] == ["A/RES/71/291"]


#: case -> (file name, content, the message expected: file and line)
BAD_TABLES: dict[str, tuple[str, str | bytes, str]] = {
    "missing-column": (
        "t.csv", "number,url\n1,https://e.org/1\n", r"t\.csv, line 1: no column 'no'"
    ),
    "unclosed-quote": (
        "t.csv", 'no,url\n1,"https://e.org/1\n', r"t\.csv, line 2: malformed CSV"
    ),
    "ragged-row": (
        "t.csv", "no,url\n1,https://e.org/1,extra\n", r"t\.csv, line 2: .*3 cells"
    ),
    "empty": ("t.csv", "", r"t\.csv, line 1: empty file"),
    "not-utf8": (
        "t.csv", "no,url\n1,caf\xe9\n".encode("latin-1"), r"t\.csv: not UTF-8"
    ),
    "bad-json": ("t.json", '[{"no": 1,', r"t\.json, line 1: not valid JSON"),
    "json-not-rows": ("t.json", '{"no": 1}', r"t\.json: expected a JSON array"),
    "other-format": ("t.xlsx", "no,url\n", r"t\.xlsx: expected a \.csv or \.json"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_TABLES))
def test_bad_tables_are_named_with_the_place(tmp_path: Path, case: str) -> None:
    name, content, message = BAD_TABLES[case]
    path = write(tmp_path / name, content)
    with pytest.raises(LinkError, match=message):
        table_candidates(path, number_column="no", url_column="url")


def test_bad_table_cases_were_collected() -> None:
    assert len(BAD_TABLES) >= 8


def test_a_missing_table_is_named(tmp_path: Path) -> None:
    with pytest.raises(LinkError, match=r"nothing\.csv: file not found"):
        table_candidates(tmp_path / "nothing.csv", number_column="no", url_column="url")


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = write(tmp_path / "records.csv", "res_no,url_record\n1,https://e.org/1,x\n")
    out = tmp_path / "links"
    out.mkdir()
    previous = write(out / "links-cr-unsc.trig", "# previous links\n")
    result = ctgraph(
        "link", "csv", str(bad), "--number-column", "res_no",
        "--url-column", "url_record", "--dataset-name", "cr-unsc", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 2
    assert f"{bad}, line 2: malformed CSV" in result.stderr
    assert previous.read_text() == "# previous links\n"
    assert [p.name for p in out.iterdir()] == ["links-cr-unsc.trig"]


def test_link_csv_writes_the_same_links_every_time(
    tmp_path: Path, real_build: BuildResult
) -> None:
    assert CR_UNSC.path is not None
    args = (
        "link", "csv", str(CR_UNSC.path), "--number-column", "res_no",
        "--url-column", "url_record", "--dataset-name", "cr-unsc",
    )  # fmt: skip
    outputs = []
    for run in ("first", "second"):
        result = ctgraph(*args, "--out", str(tmp_path / run))
        assert result.returncode == 0, result.stderr
        outputs.append((tmp_path / run / "links-cr-unsc.trig").read_bytes())
    assert outputs[0] == outputs[1]
    written = Dataset().parse(data=outputs[0], format="trig")
    shipped = real_build.dataset.graph(links_graph("cr-unsc"))
    assert set(written.graph(links_graph("cr-unsc"))) == set(shipped)
    assert f"matched          {len(shipped)}" in result.stdout


def test_link_csv_from_the_description(tmp_path: Path) -> None:
    result = ctgraph(
        "link", "csv", "--config", str(LINKS / "cr-unsc.yaml"),
        "--out", str(tmp_path), "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["dataset"] == "cr-unsc" and report["unmatched"] == []
    written = Dataset().parse(tmp_path / "links-cr-unsc.trig", format="trig")
    name = links_graph("cr-unsc")
    assert len(written.graph(name)) == len(report["matched"])
    assert (name, DCTERMS.license, CC0) in written.default_graph


# --- descriptions ---------------------------------------------------------------------


def test_the_shipped_descriptions_load() -> None:
    assert CR_UNSC.kind == "table" and CR_UNSC.method == "exact-number"
    assert CR_UNSC.path is not None and CR_UNSC.path.is_file()
    assert WIKIDATA.kind == "sparql" and WIKIDATA.scope == ("SC",)
    assert WIKIDATA.query and "wdt:P3069" in WIKIDATA.query


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\nkind: table\ntitle: [unclosed\n", "not valid YAML"),
        ("name: x\nkind: table\ntitle: T\nfile: f.csv\ncolumn: y\n", "unknown key"),
        ("name: x\nkind: ftp\ntitle: T\n", "is not 'table' or 'sparql'"),
        ("name: x\nkind: table\ntitle: T\n", "needs 'file' and 'url_column'"),
        ("kind: table\ntitle: T\n", "missing 'name'"),
    ],
)
def test_bad_descriptions_are_named(tmp_path: Path, text: str, message: str) -> None:
    config = write(tmp_path / "d.yaml", text)
    with pytest.raises(LinkError, match=message) as caught:
        load_source(config)
    assert str(config) in str(caught.value)


# --- SPARQL endpoints -------------------------------------------------------------


@pytest.fixture(scope="module")
def wikidata_like() -> Iterator[OxigraphServer]:
    """A local Oxigraph server holding the Wikidata-shaped sample."""
    server = launch(None)  # in memory
    try:
        request = urllib.request.Request(
            server.store_url + "?default",
            data=FIXTURE.read_bytes(),
            headers={"Content-Type": "text/turtle"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status in (200, 201, 204)
        yield server
    finally:
        server.stop()


def sample_items() -> dict[str, str]:
    """The sample's items of class Q877358, read with rdflib: item -> symbol."""
    g = Graph().parse(FIXTURE)
    wd = "http://www.wikidata.org/entity/"
    p31 = URIRef("http://www.wikidata.org/prop/direct/P31")
    p3069 = URIRef("http://www.wikidata.org/prop/direct/P3069")
    return {
        str(item): str(g.value(item, p3069))
        for item in g.subjects(p31, URIRef(wd + "Q877358"))
    }


def test_endpoint_items_link_by_symbol(
    wikidata_like: OxigraphServer, real_build: BuildResult
) -> None:
    assert WIKIDATA.query is not None
    found, skipped, rows = query_endpoint(wikidata_like.query_url, WIKIDATA.query)
    items = sample_items()
    assert rows == len(items) == len(found) + len(skipped)
    report = match(
        resolutions_in(real_build.dataset),
        found,
        dataset="wikidata",
        rows=rows,
        skipped=skipped,
        scope=WIKIDATA.scope,
    )
    wd = "http://www.wikidata.org/entity/Qtest-"
    assert {(o.symbol, o.target) for o in report.matched} == {
        ("S/RES/2396 (2017)", wd + "2396"),
        ("S/RES/1373 (2001)", wd + "1373"),
        ("S/RES/2462", wd + "2462"),
    }
    assert {o.symbol for o in report.ambiguous} == {
        "S/RES/2178 (2014)",
        "S/RES/1540 (2004)",
    }
    assert [s.where for s in skipped] == [wd + "report"]
    unmatched = {o.symbol for o in report.unmatched}
    assert "S/RES/2395 (2017)" in unmatched
    assert len(report.matched) + len(report.ambiguous) + len(unmatched) == len(
        sc_resolutions(real_build.merged)
    )


def test_link_sparql_command_against_the_server(
    wikidata_like: OxigraphServer, tmp_path: Path
) -> None:
    result = ctgraph(
        "link", "sparql", "--endpoint", wikidata_like.query_url,
        "--timeout", "10", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "ambiguous         2" in result.stdout
    written = Dataset().parse(tmp_path / "links-wikidata.trig", format="trig")
    name = links_graph("wikidata")
    links = written.graph(name)
    item = URIRef("http://www.wikidata.org/entity/Qtest-2396")
    assert len(links) == 3
    assert (None, SKOS.exactMatch, item) in links
    d = written.default_graph
    assert d.value(name, PROV.wasDerivedFrom) == URIRef(wikidata_like.query_url)
    assert d.value(name, CTG.matchMethod) == Literal("exact-symbol")
    assert d.value(name, PAV.retrievedOn) is not None


class Slow(Quiet):
    """Answers only after longer than the client waits."""

    release = threading.Event()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.release.wait(10)
        self.send_response(200)
        self.end_headers()


class Unavailable(Quiet):
    def do_GET(self) -> None:  # noqa: N802
        body = b"<html><body>maintenance</body></html>"
        self.answer(503, body, "text/html", reason="Service Unavailable")


class WebPage(Quiet):
    def do_GET(self) -> None:  # noqa: N802
        self.answer(200, b"<html><body>Welcome</body></html>", "text/html")


def test_a_slow_endpoint_is_given_up_on(http_stub) -> None:
    started = time.monotonic()
    try:
        with pytest.raises(LinkError, match=r"/query: did not answer within 0\.5 s"):
            query_endpoint(http_stub(Slow) + "/query", "SELECT * {}", timeout=0.5)
    finally:
        Slow.release.set()
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("handler", "message"),
    [(Unavailable, "HTTP 503 Service Unavailable"), (WebPage, "answered text/html")],
)
def test_http_faults_are_named(http_stub, handler: type, message: str) -> None:
    url = http_stub(handler) + "/query"
    with pytest.raises(LinkError, match=message) as caught:
        query_endpoint(url, "SELECT * {}", timeout=5)
    assert str(caught.value).startswith(url)


def test_server_errors_are_named(wikidata_like: OxigraphServer) -> None:
    with pytest.raises(LinkError, match=r"HTTP 400 Bad Request: ") as caught:
        query_endpoint(wikidata_like.query_url, "SELECT nonsense", timeout=5)
    assert str(caught.value).startswith(wikidata_like.query_url)
    with pytest.raises(LinkError, match="HTTP 404"):
        query_endpoint(wikidata_like.base + "/nowhere", "SELECT * {}", timeout=5)
    with pytest.raises(LinkError, match=r"no \?symbol column"):
        query_endpoint(
            wikidata_like.query_url, "SELECT ?item { ?item ?p ?o }", timeout=5
        )


def test_a_down_endpoint_or_bad_url_is_named() -> None:
    down = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(LinkError, match="connection refused"):
        query_endpoint(down, "SELECT * {}", timeout=5)
    with pytest.raises(LinkError, match="http"):
        query_endpoint("ftp://example.org/sparql", "SELECT * {}")
    with pytest.raises(LinkError, match="positive number"):
        query_endpoint(down, "SELECT * {}", timeout=0)


def test_a_down_endpoint_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}/query"
    out = tmp_path / "links"
    result = ctgraph("link", "sparql", "--endpoint", down, "--out", str(out))
    assert result.returncode == 2
    assert down in result.stderr and "connection refused" in result.stderr
    assert not out.exists()
