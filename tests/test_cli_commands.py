"""The command line in-process (typer's CliRunner) on a build of data/core alone: each
command's exit code (0 ok, 1 does not conform, 2 bad input), its exact messages
naming what and where, and the files it writes or leaves untouched.

Fast on purpose: the tables of data/core build in about a second, once per session,
and every query runs on that small TriG file. `tests/test_cli.py` runs the same
commands as a user does, in a subprocess, on the real data.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from servers import OxigraphServer, free_port
from texts import HAVE_REPORTS, REPORTS_DIR, SKIP_REASON
from typer.testing import CliRunner, Result

from ctgraph import __version__, cli
from ctgraph import build as pipeline
from ctgraph.cli import app
from ctgraph.namespaces import CTG, doi_iri, links_graph
from ctgraph.paths import SOURCES_ENV

ROOT = Path(__file__).resolve().parents[1]
SHAPES = Path(__file__).resolve().parent / "fixtures" / "shapes"


def run(*args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def squeezed(text: str) -> str:
    """Text without its whitespace: rich wraps long paths at the console's width."""
    return "".join(text.split())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture(autouse=True)
def wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables 200 columns wide: no cell wrapped over lines."""
    monkeypatch.setattr(cli.out, "width", 200)
    monkeypatch.setattr(cli.err, "width", 200)


@pytest.fixture(scope="session")
def core_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/core alone: the four tables a build needs, about sixty rows."""
    data = tmp_path_factory.mktemp("core-data")
    shutil.copytree(ROOT / "data" / "core", data / "core")
    return data


@pytest.fixture(scope="session")
def core_build(
    tmp_path_factory: pytest.TempPathFactory, core_data: Path
) -> pipeline.BuildResult:
    result = pipeline.build(core_data, tmp_path_factory.mktemp("core-build"))
    assert result.ok
    return result


@pytest.fixture(scope="session")
def core_trig(core_build: pipeline.BuildResult) -> Path:
    (trig,) = [p for p in core_build.written if p.name == pipeline.TRIG]
    return trig


@pytest.fixture
def data_copy(core_data: Path, tmp_path: Path) -> Path:
    """A copy of data/core to break."""
    shutil.copytree(core_data, tmp_path / "data")
    return tmp_path / "data"


# --- the program ----------------------------------------------------------------


def test_version_prints_the_version_alone() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ctgraph {__version__}\n"


def test_no_command_shows_the_commands() -> None:
    result = run()
    assert result.exit_code == 2
    for command in ("build", "validate", "export", "query", "sparql", "publish"):
        assert command in result.output


# --- build ----------------------------------------------------------------------


def test_build_writes_the_graph_and_lists_classes(
    core_data: Path, core_build: pipeline.BuildResult, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run("build", "--data", str(core_data), "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "ctgraph build" in lines[0]
    assert any(line.startswith("│ org:Membership ") for line in lines)
    assert any(
        "│ ctg:WorkingGroup " in line and "│         8 │" in line for line in lines
    )
    # OWL, SKOS concepts and roles are the ontology's, not the data's
    for hidden in ("│ owl:", "│ skos:Concept ", "│ skos:ConceptScheme", "│ org:Role "):
        assert not any(line.startswith(hidden) for line in lines), hidden
    (summary,) = [line for line in lines if line.startswith("triples: ")]
    named = sum(1 for _ in core_build.dataset.graphs())
    assert summary.startswith(
        f"triples: {core_build.triples}  named graphs: {named}  violations: 0  time: "
    )
    assert "  violations: 0  time: " in summary
    assert summary.endswith(" s  validator: fast")
    assert squeezed(result.stdout).endswith(
        squeezed(f"wrote {out / pipeline.TRIG} wrote {out / pipeline.TTL}")
    )
    assert result.stderr == ""


def test_build_reports_links_when_the_data_has_link_sets(
    data_copy: Path, tmp_path: Path
) -> None:
    shutil.copytree(ROOT / "data" / "links", data_copy / "links")
    shutil.copytree(ROOT / "data" / "external", data_copy / "external")
    result = run("build", "--data", str(data_copy), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    links = [line for line in result.stdout.splitlines() if line.startswith("links ")]
    assert links and all("cr-unsc" in line or "wikidata" in line for line in links)


def test_build_into_a_file_exits_2_before_building(
    core_data: Path, tmp_path: Path
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("keep")
    result = run("build", "--data", str(core_data), "--out", str(taken / "out"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {taken} is a file, not a folder\n"
    assert taken.read_text() == "keep"


def test_build_with_a_file_where_its_builds_folder_goes_exits_2(
    core_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "builds").write_text("in the way")
    result = run("build", "--data", str(core_data), "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"error: {out / 'builds'} is a file, not a folder\n"


def test_build_with_an_unknown_validator_exits_2(
    core_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run(
        "build", "--data", str(core_data), "--out", str(out), "--validator", "slow"
    )
    assert result.exit_code == 2
    assert result.stderr == "error: --validator must be one of fast, pyshacl\n"
    assert not out.exists()


def test_build_with_a_broken_record_exits_2_and_keeps_the_build(
    data_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run("build", "--data", str(data_copy), "--out", str(out)).exit_code == 0
    before = snapshot(out)
    memberships = data_copy / "core" / "memberships.csv"
    lines = memberships.read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if ",unoct," in line)
    lines[row] = lines[row].replace(",unoct,", ",unocct,", 1)
    memberships.write_text("\n".join(lines) + "\n")
    result = run("build", "--data", str(data_copy), "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {memberships}, line {row + 1}")
    assert "unocct" in result.stderr
    assert snapshot(out) == before


def test_build_of_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = run("build", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nowhere'}: data folder not found\n"


def lower_case_currency(data: Path) -> None:
    """A contribution whose currency is in lower case: a valid record that breaks
    ctgsh:FundingShape."""
    (data / "reports").mkdir()
    lines = (ROOT / "data" / "reports" / "contributions.csv").read_text().splitlines()
    (row,) = [line for line in lines if ",unoct,246200000,USD," in line]
    (data / "reports" / "contributions.csv").write_text(
        lines[0] + "\n" + row.replace(",USD,", ",usd,") + "\n"
    )


UNCHANGED = "build/ left unchanged: fix the data and build again.\n"


def test_build_that_does_not_conform_exits_1_and_writes_nothing(
    data_copy: Path, tmp_path: Path
) -> None:
    lower_case_currency(data_copy)
    out = tmp_path / "out"
    result = run("build", "--data", str(data_copy), "--out", str(out))
    assert result.exit_code == 1, result.output
    assert "  violations: 1  " in result.stdout
    assert result.stderr == (
        "Does not conform: 1 violation(s).\n\nctgsh:FundingShape (1)\n"
        "  - <https://w3id.org/ctgraph/id/contribution/total-received-2020-02>: "
        "currency must be an ISO 4217 code such as USD "
        "[path ctg:currency, value usd]\n" + UNCHANGED
    )
    assert not out.exists()


def test_build_report_as_json(data_copy: Path, tmp_path: Path) -> None:
    lower_case_currency(data_copy)
    result = run(
        "build", "--data", str(data_copy), "--out", str(tmp_path), "--format", "json"
    )
    assert result.exit_code == 1
    assert result.stderr.endswith(UNCHANGED)
    report = json.loads(result.stderr.removesuffix(UNCHANGED))
    assert report["conforms"] is False
    assert [v["shape"] for v in report["violations"]] == ["ctgsh:FundingShape"]


def test_build_whose_check_query_finds_rows_exits_1_and_writes_nothing(
    data_copy: Path, tmp_path: Path
) -> None:
    memberships = data_copy / "core" / "memberships.csv"
    text = memberships.read_text()
    assert ",unoct,chair,,,2024-02,compact-review-2024-01," in text
    memberships.write_text(
        text.replace(",unoct,chair,,,2024-02,", ",unoct,chair,,,2025-06,", 1)
    )
    out = tmp_path / "out"
    result = run("build", "--data", str(data_copy), "--out", str(out))
    assert result.exit_code == 1
    assert "  violations: 0  " in result.stdout
    assert "wrote" not in result.stdout
    lines = result.stderr.splitlines(keepends=True)
    assert lines[0] == "1 check(s) in queries/checks/ found violations:\n"
    assert lines[1].startswith("as-of-after-report-violation (1 row(s)): ")
    assert "asOf=2025-06, report=id:report/compact-review-2024-01" in lines[2]
    assert lines[-1] == UNCHANGED
    assert not out.exists()


# --- validate -------------------------------------------------------------------


def invalid_file(tmp_path: Path, case: str) -> Path:
    """base.ttl with one invalid fixture added (its `# expect:` line dropped)."""
    bad = tmp_path / f"{case}.ttl"
    addition = (SHAPES / "invalid" / f"{case}.ttl").read_text().split("\n", 1)[1]
    bad.write_text((SHAPES / "base.ttl").read_text() + addition)
    return bad


def test_validate_a_conforming_file_exits_0() -> None:
    result = run("validate", str(SHAPES / "base.ttl"))
    assert result.exit_code == 0
    assert result.stdout == "Conforms: no violations.\n"
    as_json = run("validate", "--format", "json", str(SHAPES / "base.ttl"))
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) == {"conforms": True, "violations": []}


def test_validate_reads_every_file_given(tmp_path: Path) -> None:
    """The event alone conforms to nothing it lacks; with base.ttl it must."""
    addition = (SHAPES / "invalid" / "event-without-date.ttl").read_text()
    extra = tmp_path / "extra.ttl"
    extra.write_text(addition)
    together = run("validate", "--format", "json", str(SHAPES / "base.ttl"), str(extra))
    assert together.exit_code == 1
    shapes = {v["shape"] for v in json.loads(together.stdout)["violations"]}
    assert shapes == {"ctgsh:EventShape"}


@pytest.mark.parametrize("validator", ["fast", "pyshacl"])
def test_validate_violations_exit_1(tmp_path: Path, validator: str) -> None:
    bad = invalid_file(tmp_path, "event-without-date")
    result = run("validate", "--validator", validator, str(bad))
    assert result.exit_code == 1
    assert result.stdout.startswith("Does not conform: 1 violation(s).\n\n")
    assert "ctgsh:EventShape (1)" in result.stdout
    as_json = run("validate", "--format", "json", "--validator", validator, str(bad))
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["conforms"] is False
    assert [v["shape"] for v in report["violations"]] == ["ctgsh:EventShape"]


def test_validate_bad_input_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    result = run("validate", str(broken))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {broken}: not valid RDF: at line 2")
    missing = run("validate", str(tmp_path / "missing.ttl"))
    assert missing.exit_code == 2
    assert missing.stderr == f"error: {tmp_path / 'missing.ttl'}: file not found\n"
    wrong = run("validate", "--format", "xml", str(SHAPES / "base.ttl"))
    assert wrong.exit_code == 2
    assert wrong.stderr == "error: --format must be text or json, not 'xml'\n"
    validator = run("validate", "--validator", "slow", str(SHAPES / "base.ttl"))
    assert validator.exit_code == 2
    assert validator.stderr == "error: --validator must be one of fast, pyshacl\n"


def test_validate_without_files_builds_the_data_and_writes_nothing(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # build/ is relative to the working folder
    build_dir = tmp_path / "build"
    before = None
    result = run("validate", "--data", str(data_copy))
    assert result.exit_code == 0, result.output
    assert result.stdout == "Conforms: no violations.\n"
    lower_case_currency(data_copy)
    result = run("validate", "--data", str(data_copy), "--format", "json")
    assert result.exit_code == 1
    assert [v["shape"] for v in json.loads(result.stdout)["violations"]] == [
        "ctgsh:FundingShape"
    ]
    assert (snapshot(build_dir) if build_dir.exists() else None) == before
    wrong = run("validate", "--data", str(data_copy), "--validator", "slow")
    assert wrong.exit_code == 2
    assert wrong.stderr == "error: --validator must be one of fast, pyshacl\n"


def test_validate_text_report_shows_control_characters_as_escapes(
    data_copy: Path,
) -> None:
    (data_copy / "reports").mkdir()
    lines = (ROOT / "data" / "reports" / "contributions.csv").read_text().splitlines()
    (row,) = [line for line in lines if ",unoct,246200000,USD," in line]
    (data_copy / "reports" / "contributions.csv").write_text(
        lines[0] + "\n" + row.replace(",USD,", ",U\x1b[31mD,") + "\n"
    )
    text = run("validate", "--data", str(data_copy))
    assert text.exit_code == 1
    assert "value U\\x1b[31mD]" in text.stdout and "\x1b" not in text.stdout
    as_json = run("validate", "--data", str(data_copy), "--format", "json")
    assert "\x1b" not in as_json.stdout
    (violation,) = json.loads(as_json.stdout)["violations"]
    assert violation["value"] == "U\x1b[31mD"


# --- export ---------------------------------------------------------------------

RDFLIB_FORMATS = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "trig": "trig",
    "nq": "nquads",
    "rdfxml": "xml",
}


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_export_to_standard_output(
    core_data: Path, core_build: pipeline.BuildResult, fmt: str
) -> None:
    result = run("export", "--format", fmt, "--data", str(core_data))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    dataset = Dataset()
    dataset.parse(data=result.stdout_bytes, format=RDFLIB_FORMATS[fmt])
    named = {g.identifier for g in dataset.graphs() if len(g)}
    # TriG and N-Quads keep each report's graph; the others write the union
    if fmt in ("trig", "nq"):
        assert len(named) == sum(1 for g in core_build.dataset.graphs() if len(g))
    else:
        assert len(named) == 1
        assert len(dataset) == len(
            Graph().parse(data=result.stdout_bytes, format=RDFLIB_FORMATS[fmt])
        )


def test_export_to_a_file_says_what_it_wrote(core_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.nt"
    result = run("export", "-f", "nt", "-o", str(target), "--data", str(core_data))
    assert result.exit_code == 0
    assert result.stdout == ""
    size = target.stat().st_size
    assert squeezed(result.stderr) == squeezed(f"wrote {target} ({size} bytes)")
    assert len(Graph().parse(target, format="nt")) > 1000


def test_export_defaults_to_turtle(core_data: Path) -> None:
    result = run("export", "--data", str(core_data))
    assert result.exit_code == 0
    assert result.stdout.startswith("@prefix ")
    assert len(Graph().parse(data=result.stdout, format="turtle")) > 1000


def test_export_bad_requests_exit_2_and_write_nothing(
    core_data: Path, tmp_path: Path
) -> None:
    unknown = run("export", "--format", "xls", "--data", str(core_data))
    assert unknown.exit_code == 2 and unknown.stdout == ""
    assert unknown.stderr == (
        "error: unknown format 'xls'; choose one of "
        "ttl, nt, jsonld, trig, nq, rdfxml or xlsx\n"
    )
    folder = run("export", "-o", str(tmp_path), "--data", str(core_data))
    assert folder.exit_code == 2
    assert folder.stderr == (
        f"error: {tmp_path} is a folder: give a file name to write to\n"
    )
    (tmp_path / "file").write_text("keep")
    under_file = run(
        "export", "-o", str(tmp_path / "file" / "g.ttl"), "--data", str(core_data)
    )
    assert under_file.exit_code == 2
    assert under_file.stderr == f"error: {tmp_path / 'file'} is a file, not a folder\n"
    missing = run("export", "--data", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert missing.stderr == (f"error: {tmp_path / 'nowhere'}: data folder not found\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_export_workbook(core_data: Path, tmp_path: Path) -> None:
    alone = run("export", "--format", "xlsx", "--data", str(core_data))
    assert alone.exit_code == 2
    assert alone.stderr == "error: --format xlsx writes a file: give -o FILE.xlsx\n"
    target = tmp_path / "graph.xlsx"
    result = run(
        "export", "--format", "xlsx", "-o", str(target), "--data", str(core_data)
    )
    assert result.exit_code == 0, result.output
    size = target.stat().st_size
    assert squeezed(result.stderr) == squeezed(f"wrote {target} ({size} bytes)")
    assert "README" in load_workbook(target).sheetnames
    folder = run(
        "export", "--format", "xlsx", "-o", str(tmp_path), "--data", str(core_data)
    )
    assert folder.exit_code == 2
    assert folder.stderr == (
        f"error: {tmp_path} is a folder: give a file name to write to\n"
    )
    missing = run(
        "export", "-f", "xlsx", "-o", str(target), "--data", str(tmp_path / "no")
    )
    assert missing.exit_code == 2
    assert missing.stderr == f"error: {tmp_path / 'no'}: data folder not found\n"


# --- stats ----------------------------------------------------------------------


def undated_project(data: Path, title: str = "A project without dates") -> None:
    """One project stated without a start or launch date: a quality finding."""
    header = (ROOT / "data" / "reports" / "projects.csv").read_text().splitlines()[0]
    columns = header.split(",")
    row = dict.fromkeys(columns, "")
    row.update(
        id="undated-project",
        kind="project",
        title=title,
        implementers="unoct",
        source="unoct-highlights-2020-02",
        locator="line 16",
    )
    (data / "reports").mkdir()
    (data / "reports" / "projects.csv").write_text(
        header + "\n" + ",".join(row[c] for c in columns) + "\n"
    )


def test_stats_counts_classes_and_graphs(
    core_data: Path, core_build: pipeline.BuildResult
) -> None:
    result = run("stats", "--data", str(core_data))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "instances per class"
    assert lines[2].split() == ["┃", "class", "┃", "instances", "┃"]
    titled = [i for i, line in enumerate(lines) if "triples per named graph" in line]
    assert len(titled) == 1 and lines[titled[0]].strip() == "triples per named graph"
    assert lines[titled[0] + 2].split() == ["┃", "graph", "┃", "triples", "┃"]
    # counts right-aligned in both tables
    assert (
        "│ https://w3id.org/ctgraph/id/graph/reference              │       2 │"
        in lines
    )
    # every class, the ontology's too, sorted
    classes = [line.split("│")[1].strip() for line in lines if line.startswith("│ ")]
    assert "owl:Class" in classes and "skos:Concept" in classes
    assert "│ org:Membership                │        25 │" in lines
    after = lines[
        lines.index(next(x for x in lines if "triples per named graph" in x)) :
    ]
    rows = [squeezed(x).strip("│") for x in after if x.startswith("│ ")]
    graphs = sorted(core_build.dataset.graphs(), key=lambda g: str(g.identifier))
    assert rows == [f"{g.identifier}│{len(g)}" for g in graphs if len(g)]
    assert len(rows) < sum(1 for _ in graphs)  # empty graphs are left out
    merged = sum(1 for _ in pipeline.union(core_build.dataset))
    assert lines[-1] == f"triples (merged): {merged}"
    assert "data quality" not in result.stdout


def test_stats_lists_quality_findings(data_copy: Path) -> None:
    undated_project(data_copy)
    result = run("stats", "--data", str(data_copy), "--quality")
    assert result.exit_code == 0, result.output
    assert "data quality: 1 finding(s)" in result.stdout
    assert "record without dates" in result.stdout
    assert "A project without dates" in result.stdout
    as_json = run("stats", "--data", str(data_copy), "--quality", "--format", "json")
    assert as_json.exit_code == 0
    assert as_json.stdout.endswith("]\n")
    (finding,) = json.loads(as_json.stdout)
    assert finding["kind"] == "record without dates"
    assert finding["subject"] == "A project without dates"
    assert finding["sources"] == "unoct-highlights-2020-02 (line 16)"
    as_csv = run("stats", "--data", str(data_copy), "--quality", "--format", "csv")
    assert as_csv.exit_code == 0
    lines = as_csv.stdout.splitlines()
    assert lines[0] == "kind,subject,detail,sources,iri"
    assert lines[1].startswith("record without dates,A project without dates,")
    assert as_csv.stdout.endswith("undated-project\n")


def test_stats_shows_control_characters_as_escapes(data_copy: Path) -> None:
    """CSV shows an escape code in the data as text; JSON escapes it itself."""
    undated_project(data_copy, "A project \x1b[31mwithout dates")
    as_csv = run("stats", "--data", str(data_copy), "--quality", "--format", "csv")
    assert as_csv.stdout.splitlines()[1].startswith(
        "record without dates,A project \\x1b[31mwithout dates,"
    )
    as_json = run("stats", "--data", str(data_copy), "--quality", "--format", "json")
    assert '"subject": "A project \\u001b[31mwithout dates"' in as_json.stdout
    (finding,) = json.loads(as_json.stdout)
    assert finding["subject"] == "A project \x1b[31mwithout dates"


def test_stats_bad_requests_exit_2(tmp_path: Path, core_data: Path) -> None:
    alone = run("stats", "--data", str(core_data), "--format", "json")
    assert alone.exit_code == 2 and alone.stdout == ""
    assert (
        alone.stderr
        == "error: --format json lists the quality findings: add --quality\n"
    )
    wrong = run("stats", "--data", str(core_data), "--quality", "--format", "xml")
    assert wrong.exit_code == 2
    assert wrong.stderr == "error: --format xml: expected one of table, csv, json\n"
    missing = run("stats", "--data", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert missing.stderr == f"error: {tmp_path / 'nowhere'}: data folder not found\n"


# --- queries --------------------------------------------------------------------


def test_queries_lists_every_stored_query() -> None:
    from ctgraph.queries.library import load_queries

    stored = load_queries()
    result = run("queries")
    assert result.exit_code == 0
    text = squeezed(result.stdout)
    assert (
        squeezed(f"{len(stored)} stored queries (ctgraph queries NAME for one)") in text
    )
    assert squeezed("parameters (* required)") in text
    assert "│ changes-between-dates " in result.stdout
    assert "from*, to*" in result.stdout
    assert "entity, minimum" in result.stdout  # optional parameters without a star


def test_queries_shows_one_in_full() -> None:
    result = run("queries", "entities-in-country")
    assert result.exit_code == 0
    text = squeezed(result.stdout)
    assert text.startswith(
        squeezed("entities-in-country: Entities active in a country, directly or")
    )
    assert squeezed("The entities that implement a project") in text
    assert (
        squeezed(
            "--param country (a country name (Qatar) or ISO 3166-1 code (QAT, QA); "
            "required): The country (name, or ISO 3166-1 code such as NGA or NG)."
        )
        in text
    )
    assert (
        squeezed("example: ctgraph query entities-in-country --param country=Mali")
        in text
    )
    assert text.endswith(
        squeezed(f"file: {ROOT / 'queries' / 'entities-in-country.rq'}")
    )
    assert "chart:" not in text


def test_queries_shell_quotes_the_example_and_names_the_chart() -> None:
    quoted = run("queries", "activities-citing-resolution")
    assert squeezed("--param resolution='S/RES/2396 (2017)'") in squeezed(quoted.stdout)
    charted = run("queries", "co-implementation-network")
    text = squeezed(charted.stdout)
    assert (
        squeezed(
            "--param minimum (a whole number; optional; default 2): Only pairs sharing"
        )
        in text
    )
    assert (
        squeezed(
            "chart: network (source: name1, target: name2, weight: shared, "
            "sourceSize: projects1, targetSize: projects2, reports: source); "
            "ctgraph chart co-implementation-network -o FILE.svg"
        )
        in text
    )
    assert "example:" not in text


def test_queries_unknown_name_exits_2() -> None:
    result = run("queries", "nothing")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: no stored query 'nothing'; known: activities-citing-resolution, "
    )


# --- query ----------------------------------------------------------------------


def test_query_prints_a_table_titled_with_the_summary(core_trig: Path) -> None:
    result = run("query", "source-reports", "--store", str(core_trig))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].strip() == (
        "source-reports: The source reports, with how many facts each states"
    )
    assert "id:report/compact-review-2024-01" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("fmt", "first"),
    [
        ("csv", "report,title,date,publisher,file,triples,resources"),
        ("tsv", "report\ttitle\tdate\tpublisher\tfile\ttriples\tresources"),
        ("md", "| report | title | date | publisher | file | triples | resources |"),
        ("json", "{"),
    ],
)
def test_query_formats_to_standard_output(
    core_trig: Path, fmt: str, first: str
) -> None:
    result = run("query", "source-reports", "-f", fmt, "--store", str(core_trig))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == first
    assert "source-reports:" not in result.stdout  # no title outside a table
    if fmt == "json":
        rows = json.loads(result.stdout)["results"]["bindings"]
        assert len(rows) == 5


def test_query_to_a_file_counts_its_rows(core_trig: Path, tmp_path: Path) -> None:
    target = tmp_path / "reports.csv"
    result = run(
        "query", "source-reports", "-f", "csv", "-o", str(target),
        "--store", str(core_trig),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"wrote {target} (5 rows)\n"
    assert target.read_text().splitlines()[0].startswith("report,title,")
    assert len(target.read_text().splitlines()) == 6


def test_query_table_to_a_file_is_printed_not_written(
    core_trig: Path, tmp_path: Path
) -> None:
    """--format table is for the terminal: -o with it writes nothing."""
    target = tmp_path / "reports.txt"
    result = run(
        "query", "source-reports", "-o", str(target), "--store", str(core_trig)
    )
    assert result.exit_code == 0
    assert "id:report/sg-report-2018" in result.stdout
    assert not target.exists()


def test_query_workbook(core_trig: Path, tmp_path: Path) -> None:
    target = tmp_path / "reports.xlsx"
    result = run(
        "query", "source-reports", "-f", "xlsx", "-o", str(target),
        "--store", str(core_trig),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {target} (5 rows)\n"
    sheet = load_workbook(target).worksheets[0]
    assert sheet.max_row >= 6
    alone = run("query", "source-reports", "-f", "xlsx", "--store", str(core_trig))
    assert alone.exit_code == 2
    assert alone.stderr == "error: --format xlsx writes a file: give -o FILE.xlsx\n"


LEADERS = "working-group-leadership"


def test_query_pages_say_how_to_get_the_next(core_trig: Path, tmp_path: Path) -> None:
    first = run(
        "query", LEADERS, "-f", "csv", "--limit", "2", "--store", str(core_trig)
    )
    assert first.exit_code == 0
    assert len(first.stdout.splitlines()) == 3
    assert first.stderr == (
        "more rows: these are rows 1-2; --offset 2 for the next page, "
        "--limit 0 for every row\n"
    )
    everything = run("query", LEADERS, "-f", "csv", "--store", str(core_trig))
    rows = everything.stdout.splitlines()
    assert everything.stderr == ""
    target = tmp_path / "page.csv"
    second = run(
        "query", LEADERS, "-f", "csv", "--limit", "3", "--offset", "2",
        "-o", str(target), "--store", str(core_trig),
    )  # fmt: skip
    assert second.exit_code == 0
    assert second.stderr == (
        f"wrote {target} (3 rows)\n"
        "more rows: these are rows 3-5; --offset 5 for the next page, "
        "--limit 0 for every row\n"
    )
    assert target.read_text().splitlines()[1:] == rows[3:6]
    last = run(
        "query", LEADERS, "-f", "csv", "--limit", "2",
        "--offset", str(len(rows) - 3), "--store", str(core_trig),
    )  # fmt: skip
    assert last.stdout.splitlines()[1:] == rows[-2:]
    assert last.stderr == ""  # the last page
    table = run("query", LEADERS, "--limit", "1", "--store", str(core_trig))
    assert table.stderr.startswith("more rows: these are rows 1-1; --offset 1 ")


def test_query_limit_0_is_every_row(core_trig: Path) -> None:
    every = run(
        "query", LEADERS, "-f", "csv", "--limit", "0", "--store", str(core_trig)
    )
    assert every.exit_code == 0 and every.stderr == ""
    assert len(every.stdout.splitlines()) == 25  # the header and 24 roles


def test_query_parameters(core_trig: Path) -> None:
    result = run(
        "query", "entity-profile", "-p", "entity=UNOCT", "-f", "csv",
        "--store", str(core_trig),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "name,United Nations Office of Counter-Terrorism," in result.stdout
    twice = run(
        "query", "entity-profile", "-p", "entity=UNOCT", "-p", "entity=UNDP",
        "--store", str(core_trig),
    )  # fmt: skip
    assert twice.exit_code == 2
    assert twice.stderr == "error: parameter 'entity' takes one value, not 2\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["entities-in-country"],
            "query 'entities-in-country' needs 'country'; it takes: country (a "
            "country name (Qatar) or ISO 3166-1 code (QAT, QA); required)",
        ),
        (
            ["source-reports", "-p", "x=1"],
            "query 'source-reports' has no parameter 'x'; it takes no parameters",
        ),
        (
            ["compact-size-over-time", "-p", "bad"],
            "--param takes name=value, not 'bad'; it takes: measure (a measure id "
            "or label; optional; several allowed)",
        ),
        (
            ["compact-size-over-time", "-p", " =x"],
            "--param takes name=value, not ' =x'; it takes: measure (a measure id "
            "or label; optional; several allowed)",
        ),
        (
            ["changes-between-dates", "-p", "from=2020-01-01", "-p", "to=notadate"],
            "parameter 'to': 'notadate' is not a date YYYY-MM-DD",
        ),
        (
            ["changes-between-dates", "-p", " from =2020-01-01", "-p", "to=x"],
            "parameter 'to': 'x' is not a date YYYY-MM-DD",
        ),
        (
            ["source-reports", "-f", "xml"],
            "unknown format 'xml'; choose one of table, csv, tsv, json, md",
        ),
        (
            [
                "source-reports",
                "--endpoint",
                "http://127.0.0.1:9/query",
                "--engine",
                "rdflib",
            ],
            "--endpoint runs on the server: leave out --engine and --store",
        ),
        (
            [
                "source-reports",
                "--endpoint",
                "http://127.0.0.1:9/query",
                "--store",
                "x.trig",
            ],
            "--endpoint runs on the server: leave out --engine and --store",
        ),
        (
            ["source-reports", "--engine", "jena"],
            "unknown engine 'jena'; choose one of oxigraph, rdflib",
        ),
    ],
)
def test_query_bad_requests_exit_2(
    core_trig: Path, args: list[str], message: str
) -> None:
    store = (
        [] if "--store" in args or "--endpoint" in args else ["--store", str(core_trig)]
    )
    result = run("query", *args, *store)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


def test_query_not_utf8_parameter_exits_2(core_trig: Path) -> None:
    result = run(
        "query", "compact-size-over-time", "-p", "measure=\udcff",
        "--store", str(core_trig),
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == "error: --param 'measure': the value is not UTF-8 text\n"


def test_query_unknown_name_exits_2(core_trig: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    result = run("query", "nothing", "-f", "csv", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: no stored query 'nothing'; known: activities-citing-resolution, "
        "changes-between-dates, "
    )
    assert not target.exists()


def test_query_output_that_cannot_be_written_exits_2(
    core_trig: Path, tmp_path: Path
) -> None:
    folder = run("query", "source-reports", "-f", "csv", "-o", str(tmp_path))
    assert folder.exit_code == 2
    assert folder.stderr == (
        f"error: {tmp_path} is a folder: give a file name to write to\n"
    )
    proc = run(
        "query", "source-reports", "-f", "csv", "-o", "/proc/reports.csv",
        "--store", str(core_trig),
    )  # fmt: skip
    assert proc.exit_code == 2
    assert proc.stderr.startswith("error: cannot write /proc/")
    assert proc.stderr.endswith(": no such file or directory\n")


def test_query_on_an_unreachable_server_exits_2() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = run("query", "source-reports", "--endpoint", url)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {url}: connection refused "
        "(is the server running and listening on that port?)\n"
    )


def test_query_on_rdflib_gives_the_same_rows(core_trig: Path) -> None:
    args = ("query", "source-reports", "-f", "csv", "--store", str(core_trig))
    oxigraph = run(*args)
    rdflib = run(*args, "--engine", "rdflib")
    assert rdflib.exit_code == 0, rdflib.output
    assert sorted(rdflib.stdout.splitlines()) == sorted(oxigraph.stdout.splitlines())


# --- sparql ---------------------------------------------------------------------

MEMBERSHIPS = "SELECT ?m WHERE { ?m a org:Membership } ORDER BY ?m"


def test_sparql_select_as_a_table_and_in_every_format(core_trig: Path) -> None:
    table = run("sparql", MEMBERSHIPS, "--store", str(core_trig))
    assert table.exit_code == 0, table.output
    assert "id:membership/compact-wg-1/unoct/chair/2024-02" in table.stdout
    assert table.stdout.rstrip().endswith("25 row(s)")
    as_csv = run("sparql", MEMBERSHIPS, "-f", "csv", "--store", str(core_trig))
    lines = as_csv.stdout.splitlines()
    assert lines[0] == "m" and len(lines) == 26
    as_json = run("sparql", MEMBERSHIPS, "--format", "json", "--store", str(core_trig))
    assert len(json.loads(as_json.stdout)["results"]["bindings"]) == 25


def test_sparql_ask(core_trig: Path) -> None:
    yes = run("sparql", "ASK { ?s a org:Membership }", "--store", str(core_trig))
    assert yes.exit_code == 0 and yes.stdout == "true\n"
    no = run("sparql", "ASK { ?s a org:Nothing }", "--store", str(core_trig))
    assert no.exit_code == 0 and no.stdout == "false\n"
    as_json = run(
        "sparql", "ASK { ?s a org:Membership }", "-f", "json", "--store", str(core_trig)
    )
    assert as_json.stdout == '{"head": {}, "boolean": true}\n'
    wrong = run(
        "sparql", "ASK { ?s a org:Membership }", "-f", "csv", "--store", str(core_trig)
    )
    assert wrong.exit_code == 2
    assert wrong.stderr == "error: ASK results are written as text, json, not 'csv'\n"


def test_sparql_construct_in_turtle_and_other_formats(core_trig: Path) -> None:
    query = "CONSTRUCT { ?m a org:Membership } WHERE { ?m a org:Membership }"
    turtle = run("sparql", query, "--store", str(core_trig))
    assert turtle.exit_code == 0, turtle.output
    assert len(Graph().parse(data=turtle.stdout, format="turtle")) == 25
    nt = run("sparql", query, "-f", "nt", "--store", str(core_trig))
    assert len(nt.stdout.splitlines()) == 25
    wrong = run("sparql", query, "-f", "csv", "--store", str(core_trig))
    assert wrong.exit_code == 2
    assert wrong.stderr == (
        "error: CONSTRUCT results are written as ttl, nt, jsonld, trig, nq, rdfxml, "
        "not 'csv'\n"
    )
    select = run("sparql", MEMBERSHIPS, "-f", "ttl", "--store", str(core_trig))
    assert select.stderr == (
        "error: SELECT results are written as table, csv, tsv, json, md, not 'ttl'\n"
    )


def test_sparql_reads_a_file_or_standard_input(core_trig: Path, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("ASK { ?s a org:Membership }")
    from_file = run("sparql", str(query), "--store", str(core_trig))
    assert from_file.exit_code == 0 and from_file.stdout == "true\n"
    from_stdin = run(
        "sparql", "-", "--store", str(core_trig), stdin="ASK { ?s a org:Nothing }"
    )
    assert from_stdin.exit_code == 0 and from_stdin.stdout == "false\n"


def test_sparql_text_that_is_not_a_query_exits_2(core_trig: Path) -> None:
    for text, found in (("hello there", "hello there"), ("  ", "nothing")):
        result = run("sparql", text, "--store", str(core_trig))
        assert result.exit_code == 2
        assert result.stderr == (
            "error: not a SPARQL query: expected SELECT, ASK, CONSTRUCT, DESCRIBE "
            f"after the PREFIX lines, found {found}\n"
        )
    long = run("sparql", "x" * 50, "--store", str(core_trig))
    assert long.stderr.endswith(f"found {'x' * 40}\n")


def test_sparql_text_that_is_not_utf8_exits_2(core_trig: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_bytes(b"\xff")
    message = "error: the query is not UTF-8 text (invalid start byte)\n"
    from_file = run("sparql", str(bad), "--store", str(core_trig))
    assert from_file.exit_code == 2 and from_file.stderr == message
    from_stdin = run("sparql", "-", "--store", str(core_trig), stdin=b"\xff")
    assert from_stdin.exit_code == 2 and from_stdin.stderr == message
    argument = run("sparql", "ASK { ?s ?p '\udcff' }", "--store", str(core_trig))
    assert argument.exit_code == 2
    assert argument.stderr.startswith("error: the query is not UTF-8 text (")


def test_sparql_file_that_cannot_be_read_exits_2(core_trig: Path) -> None:
    result = run("sparql", "/proc/self/mem", "--store", str(core_trig))
    assert result.exit_code == 2
    assert result.stderr == "error: cannot read /proc/self/mem: Input/output error\n"


def test_sparql_long_text_is_the_query_not_a_file_name(core_trig: Path) -> None:
    """Text of 4096 characters or more is never looked up as a file."""
    query = "ASK { ?s a org:Membership }" + " " * 5000
    result = run("sparql", query, "--store", str(core_trig))
    assert result.exit_code == 0 and result.stdout == "true\n"


def test_sparql_errors_exit_2(core_trig: Path) -> None:
    syntax = run("sparql", "SELECT ?x WHERE { ?x ?p }", "--store", str(core_trig))
    assert syntax.exit_code == 2
    assert syntax.stderr.startswith("error: syntax error at line 1, column 26: ")
    service = "SELECT ?x WHERE { SERVICE <http://example.org/sparql> { ?x ?p ?o } }"
    reach = run("sparql", service, "--store", str(core_trig))
    assert reach.exit_code == 2
    assert reach.stderr == (
        "error: the query reaches http://example.org/sparql (SERVICE): a local query "
        "does not touch the network unless you allow the host: "
        "--allow-service example.org\n"
    )
    ask_reach = run(
        "sparql", "ASK { SERVICE <http://example.org/sparql> { ?x ?p ?o } }",
        "--store", str(core_trig),
    )  # fmt: skip
    assert ask_reach.exit_code == 2
    assert ask_reach.stderr.startswith("error: the query reaches http://example.org")
    url = f"http://127.0.0.1:{free_port()}/query"
    down = run("sparql", MEMBERSHIPS, "--endpoint", url)
    assert down.exit_code == 2
    assert down.stderr == (
        f"error: {url}: connection refused "
        "(is the server running and listening on that port?)\n"
    )
    both = run("sparql", MEMBERSHIPS, "--endpoint", url, "--store", str(core_trig))
    assert both.stderr == (
        "error: --endpoint runs on the server: leave out --engine and --store\n"
    )


def test_sparql_allowed_service_is_attempted(core_trig: Path) -> None:
    """--allow-service lets the query out: it then fails on the closed port."""
    port = free_port()
    query = f"SELECT ?x WHERE {{ SERVICE <http://127.0.0.1:{port}/q> {{ ?x ?p ?o }} }}"
    result = run(
        "sparql", query, "--store", str(core_trig), "--allow-service", "127.0.0.1"
    )
    assert result.exit_code == 2
    assert "allow the host" not in result.stderr
    assert result.stderr.startswith("error: ")


# --- publish --------------------------------------------------------------------


def test_publish_reports_each_graph_and_refuses_to_overwrite(
    start_oxigraph: Callable[..., OxigraphServer],
    core_trig: Path,
    core_build: pipeline.BuildResult,
) -> None:
    server = start_oxigraph()
    args = ("publish", "--endpoint", server.query_url, "--out", str(core_trig.parent))
    result = run(*args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    named = [g for g in core_build.dataset.graphs() if len(g)]
    assert len([line for line in lines if line.startswith("live    ")]) == len(named)
    assert lines[-1] == f"live: {len(named)} graph(s) switched in one update"
    assert result.stderr == ""
    again = run(*args)
    assert again.exit_code == 2
    assert again.stdout.splitlines()[-1] == (
        "not switched: the server still serves the previous publication, unchanged"
    )
    assert again.stderr.startswith(
        f"error: the server already holds {len(named)} of these graphs ("
    )
    assert again.stderr.endswith("); pass --replace to replace them\n")
    replaced = run(*args, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert replaced.stdout.splitlines()[-1] == lines[-1]
    status = run("publish", "--endpoint", server.query_url, "--status")
    assert status.exit_code == 0
    assert status.stdout.startswith("live: publication ")
    assert status.stdout.endswith("no staging graphs\n")
    dropped = run("publish", "--endpoint", server.query_url, "--drop-staging")
    assert dropped.exit_code == 0
    assert dropped.stdout.startswith("dropped 0 staging graph(s)\nlive: publication ")


def test_publish_into_one_graph_prints_its_name_as_given(
    start_oxigraph: Callable[..., OxigraphServer], core_trig: Path, terminal: None
) -> None:
    server = start_oxigraph()
    result = run(
        "publish", "--endpoint", server.query_url, "--out", str(core_trig.parent),
        "--graph", "urn:x:one",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("live           urn:x:one  (")
    assert result.stdout.splitlines()[-1] == "live: 1 graph(s) switched in one update"
    assert "\x1b[" not in result.stdout  # nothing highlighted on a terminal


def test_publish_without_a_build_exits_2(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = run("publish", "--endpoint", url, "--out", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: no built graph at {tmp_path / 'ctgraph.trig'}: "
        "run `ctgraph build` first\n"
    )


def test_publish_to_nothing_exits_2(core_trig: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    refused = (
        f"error: {url}: connection refused "
        "(is the server running and listening on that port?)\n"
    )
    result = run("publish", "--endpoint", url, "--out", str(core_trig.parent))
    assert result.exit_code == 2
    assert result.stderr.endswith(refused)
    for flag in ("--status", "--drop-staging"):
        result = run("publish", "--endpoint", url, flag)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == refused


def test_publish_to_a_bad_endpoint_exits_2(core_trig: Path) -> None:
    result = run("publish", "--endpoint", "ftp://example.org/q", "--status")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "ftp://example.org/q" in result.stderr
    timeout = run(
        "publish", "--endpoint", "http://127.0.0.1:9/q", "--status",
        "--timeout", "inf",
    )  # fmt: skip
    assert timeout.exit_code == 2
    assert "inf is not a number of seconds" in timeout.stderr


# --- what is printed ------------------------------------------------------------


def test_names_with_emoji_codes_are_printed_as_they_are() -> None:
    """rich reads :x: as an emoji code; the consoles do not."""
    result = run("queries", "a:x:b")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no stored query 'a:x:b'; known: ")


def test_markup_in_a_message_is_printed_as_it_is() -> None:
    result = run("queries", "[bold]x[/bold]")
    assert result.stderr.startswith("error: no stored query '[bold]x[/bold]'; ")
    control = run("queries", "a\x1b[31mb")
    assert control.stderr.startswith("error: no stored query 'a\\x1b[31mb'; ")


# --- ingest ---------------------------------------------------------------------

SEEDS_ENV = SOURCES_ENV


@pytest.fixture(scope="session")
def resolutions_data(tmp_path_factory: pytest.TempPathFactory, core_data: Path) -> Path:
    """data/core and the resolutions table: seven resolutions, five of the Council."""
    data = tmp_path_factory.mktemp("resolutions-data")
    shutil.copytree(core_data / "core", data / "core")
    (data / "reports").mkdir()
    shutil.copy(ROOT / "data" / "reports" / "resolutions.csv", data / "reports")
    return data


def seeds() -> Path:
    if not HAVE_REPORTS:
        pytest.skip(SKIP_REASON)
    return REPORTS_DIR


def test_ingest_mentions_writes_the_table(tmp_path: Path) -> None:
    result = run("ingest", "mentions", str(seeds()), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    target = tmp_path / "mentions.csv"
    rows = len(target.read_text().splitlines()) - 1
    assert result.stdout == f"5 reports, {rows} mentions\n"
    assert result.stderr == f"wrote {target}\n"
    assert (
        target.read_bytes()
        == (ROOT / "data" / "mentions" / "mentions.csv").read_bytes()
    )


def test_ingest_mentions_without_any_folder_says_how_to_give_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No argument, no environment, no folder beside the checkout."""
    from ctgraph import paths

    for name in (paths.SOURCES_ENV, paths.SOURCES_ENV_OLD):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(paths, "REPO", tmp_path / "checkout")
    result = run("ingest", "mentions", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: no folder given; give the folder as an argument or set {SEEDS_ENV}\n"
    )


def test_ingest_mentions_bad_input_exits_2(tmp_path: Path) -> None:
    missing = run(
        "ingest", "mentions", str(tmp_path / "nowhere"), "--out", str(tmp_path)
    )
    assert missing.exit_code == 2
    assert missing.stderr == (
        f"error: {tmp_path / 'nowhere'}: no such folder; give the folder as an "
        f"argument or set {SEEDS_ENV}\n"
    )
    empty = run("ingest", "mentions", str(tmp_path), "--out", str(tmp_path / "out"))
    assert empty.exit_code == 2
    assert empty.stderr.startswith(f"error: {tmp_path}/000_ffa9395a48504174.txt: ")
    sources = run(
        "ingest", "mentions", str(seeds()), "--out", str(tmp_path / "out"),
        "--sources", str(tmp_path / "sources.csv"),
    )  # fmt: skip
    assert sources.exit_code == 2
    assert sources.stderr.startswith(f"error: {tmp_path / 'sources.csv'}")
    assert not (tmp_path / "out").exists()


def test_ingest_regions_writes_the_table(tmp_path: Path) -> None:
    pytest.importorskip("country_converter")
    result = run("ingest", "regions", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    target = tmp_path / "m49_regions.csv"
    assert result.stdout.startswith("16 regions from M49 (country_converter ")
    assert result.stderr == f"wrote {target}\n"
    shipped = ROOT / "data" / "regions" / "m49_regions.csv"
    assert target.read_bytes() == shipped.read_bytes()
    bad = run(
        "ingest", "regions", "--out", str(tmp_path), "--aliases", str(tmp_path / "no")
    )
    assert bad.exit_code == 2
    assert bad.stderr.startswith(f"error: {tmp_path / 'no'}")
    (tmp_path / "file").write_text("")
    blocked = run("ingest", "regions", "--out", str(tmp_path / "file" / "out"))
    assert blocked.exit_code == 2
    assert blocked.stderr.startswith(
        f"error: cannot write {tmp_path / 'file' / 'out'}: "
    )


def test_ingest_cr_unsc_copies_the_rows_the_graph_needs(
    resolutions_data: Path, tmp_path: Path
) -> None:
    from ctgraph.paths import EXTERNAL_ENV, external_dir

    found = external_dir()
    if found is None or not (found / "cr-unsc").is_dir():
        pytest.skip(f"CR-UNSC record table not found: set {EXTERNAL_ENV}")
    out = tmp_path / "out"
    result = run(
        "ingest", "cr-unsc", str(found / "cr-unsc"), "--out", str(out),
        "--data", str(resolutions_data),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == "5 Security Council resolutions, 5 rows copied\n"
    assert result.stderr == f"wrote {out / 'records.csv'}\n"
    lines = (out / "records.csv").read_text().splitlines()
    assert lines[0] == "res_no,url_record" and len(lines) == 6
    assert {line.split(",")[0] for line in lines[1:]} == {
        "2178", "2395", "2396", "2462", "2482"
    }  # fmt: skip
    default = run(
        "ingest", "cr-unsc", "--out", str(out), "--data", str(resolutions_data)
    )
    assert default.exit_code == 0
    assert default.stdout == result.stdout
    missing = run("ingest", "cr-unsc", str(tmp_path / "no"), "--out", str(out))
    assert missing.exit_code == 2
    assert missing.stderr == (
        f"error: {tmp_path / 'no'}: no such folder; give the folder as an argument "
        "or set CTGRAPH_EXTERNAL\n"
    )
    empty = run("ingest", "cr-unsc", str(tmp_path), "--out", str(out))
    assert empty.exit_code == 2
    assert str(tmp_path / "UNSC_Record-Table_2722.csv") in empty.stderr


def test_ingest_matrix_missing_files_exit_2(tmp_path: Path) -> None:
    text = tmp_path / "report.txt"
    missing = run("ingest", "matrix", str(text), "--out", str(tmp_path / "out"))
    assert missing.exit_code == 2
    assert missing.stderr == f"error: {text}: no such file\n"
    text.write_text("")
    aliases = run(
        "ingest", "matrix", str(text), "--aliases", str(tmp_path),
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert aliases.exit_code == 2
    assert aliases.stderr.startswith(f"error: {tmp_path}/")
    assert aliases.stderr.endswith(": no such file\n")
    core = run(
        "ingest", "matrix", str(text), "--core", str(tmp_path / "entities.csv"),
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert core.stderr == f"error: {tmp_path / 'entities.csv'}: no such file\n"
    assert not (tmp_path / "out").exists()


def test_ingest_matrix_of_another_text_exits_2_and_keeps_the_tables(
    tmp_path: Path,
) -> None:
    out = tmp_path / "matrix"
    shutil.copytree(ROOT / "data" / "matrix", out)
    before = {p: p.read_bytes() for p in out.rglob("*.csv")}
    text = tmp_path / "newsletter.txt"
    text.write_text("UNOCT newsletter\n\nNo project matrix here.\n", encoding="utf-8")
    result = run("ingest", "matrix", str(text), "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {text}: no project matrix found (no numbered row under a pillar "
        f"heading); nothing written to {out}\n"
    )
    assert before and {p: p.read_bytes() for p in out.rglob("*.csv")} == before


def test_a_mistyped_graph_file_for_store_exits_2_and_makes_no_folder(
    tmp_path: Path,
) -> None:
    mistyped = tmp_path / "ctgarph.trig"
    result = run("sparql", "ASK {}", "--store", str(mistyped))
    assert result.exit_code == 2
    assert result.stderr == f"error: {mistyped}: no such file\n"
    assert not mistyped.exists()


# --- link -----------------------------------------------------------------------


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "table.csv"
    path.write_text(
        "res,url\n2396,http://example.org/2396\n9999,http://example.org/9999\n"
    )
    return path


def test_link_csv_writes_the_links_and_reports(
    table: Path, resolutions_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "links"
    result = run(
        "link", "csv", str(table), "--number-column", "res", "--url-column", "url",
        "--data", str(resolutions_data), "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    target = out / "links-table.trig"
    assert result.stderr == f"wrote {target} (1 links)\n"
    assert result.stdout.startswith(
        "table: 7 resolutions in the graph; the dataset covers Security Council "
        "resolutions\n  matched           1\n  unmatched         4\n"
    )
    dataset = Dataset()
    dataset.parse(target, format="trig")
    assert any(str(o) == "http://example.org/2396" for _, _, o, _ in dataset.quads())
    as_json = run(
        "link", "csv", str(table), "--number-column", "res", "--url-column", "url",
        "--data", str(resolutions_data), "--out", str(out), "--format", "json",
        "--dataset-name", "mine",
    )  # fmt: skip
    report = json.loads(as_json.stdout)
    assert report["dataset"] == "mine"
    assert [m["target"] for m in report["matched"]] == ["http://example.org/2396"]
    assert (out / "links-mine.trig").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give a file to link to, or --config"),
        (["TABLE", "--number-column", "res"], "--url-column is required"),
        (
            ["TABLE", "--url-column", "url"],
            "give exactly one of --number-column or --symbol-column",
        ),
        (
            [
                "TABLE",
                "--url-column",
                "url",
                "--number-column",
                "res",
                "--symbol-column",
                "res",
            ],
            "give exactly one of --number-column or --symbol-column",
        ),
        (
            [
                "TABLE",
                "--url-column",
                "url",
                "--number-column",
                "res",
                "--format",
                "xml",
            ],
            "--format must be text or json, not 'xml'",
        ),
        (
            ["--config", str(ROOT / "data" / "links" / "wikidata.yaml")],
            f"{ROOT / 'data' / 'links' / 'wikidata.yaml'}: describes a sparql "
            "source, not a table",
        ),
    ],
)
def test_link_csv_bad_requests_exit_2(
    table: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "links"
    args = [str(table) if a == "TABLE" else a for a in args]
    result = run("link", "csv", *args, "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert not out.exists()


def test_link_csv_with_a_column_the_table_lacks_exits_2(
    table: Path, tmp_path: Path
) -> None:
    result = run(
        "link", "csv", str(table), "--number-column", "number", "--url-column",
        "url", "--out", str(tmp_path / "links"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {table}")
    assert "number" in result.stderr


def test_link_sparql_bad_requests_exit_2(tmp_path: Path) -> None:
    table_config = ROOT / "data" / "links" / "cr-unsc.yaml"
    result = run("link", "sparql", "--config", str(table_config))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {table_config}: describes a table source, not sparql\n"
    )
    wrong = run("link", "sparql", "--format", "xml")
    assert wrong.stderr == "error: --format must be text or json, not 'xml'\n"
    url = f"http://127.0.0.1:{free_port()}/sparql"
    down = run("link", "sparql", "--endpoint", url, "--out", str(tmp_path / "links"))
    assert down.exit_code == 2
    assert url in down.stderr
    assert not (tmp_path / "links").exists()


def test_link_csv_writes_the_datasets_description_as_given(
    table: Path, resolutions_data: Path, tmp_path: Path
) -> None:
    """Title, DOI, licence and creator given as options are read back from the file."""
    from rdflib.namespace import DCAT  # not at module level: pytest probes names

    out = tmp_path / "links"
    licence = "https://creativecommons.org/licenses/by/4.0/"
    result = run(
        "link", "csv", str(table), "--number-column", "res", "--url-column", "url",
        "--title", "Resolutions Table", "--doi", "10.5281/zenodo.1",
        "--licence", licence, "--creator", "A. Curator",
        "--data", str(resolutions_data), "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    dataset = Dataset()
    dataset.parse(out / "links-table.trig", format="trig")
    d, name = dataset.default_graph, links_graph("table")
    origin = doi_iri("10.5281/zenodo.1")
    assert set(d.triples((origin, None, None))) == {
        (origin, RDF.type, PROV.Entity),
        (origin, RDF.type, DCAT.Dataset),
        (origin, DCTERMS.title, Literal("Resolutions Table", lang="en")),
        (origin, DCTERMS.identifier, Literal("10.5281/zenodo.1")),
        (origin, DCTERMS.creator, Literal("A. Curator")),
        (origin, DCTERMS.license, URIRef(licence)),
    }
    assert d.value(name, RDFS.label) == Literal(
        "Links to Resolutions Table (table.csv), matched by exact-number", lang="en"
    )
    assert d.value(name, CTG.matchMethod) == Literal("exact-number")
    assert d.value(name, DCTERMS.license) == URIRef(licence)


def test_link_csv_by_symbol_without_options_describes_the_file(
    resolutions_data: Path, tmp_path: Path
) -> None:
    """No title: the file's name; no DOI: the file's address; matched by symbol."""
    table = tmp_path / "symbols.csv"
    table.write_text("sym,url\nS/RES/2396 (2017),http://example.org/2396\n")
    out = tmp_path / "links"
    result = run(
        "link", "csv", str(table), "--symbol-column", "sym", "--url-column", "url",
        "--data", str(resolutions_data), "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out / 'links-table.trig'} (1 links)\n"
    dataset = Dataset()
    dataset.parse(out / "links-table.trig", format="trig")
    d, name = dataset.default_graph, links_graph("table")
    origin = URIRef(table.resolve().as_uri())
    assert d.value(origin, DCTERMS.title) == Literal("symbols.csv", lang="en")
    assert d.value(name, CTG.matchMethod) == Literal("exact-symbol")
    assert d.value(name, RDFS.label) == Literal(
        "Links to symbols.csv (symbols.csv), matched by exact-symbol", lang="en"
    )
    for predicate in (DCTERMS.identifier, DCTERMS.creator, DCTERMS.license):
        assert not list(d.triples((None, predicate, None)))


WIKIDATA_LIKE = """
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
INSERT DATA {
  wd:Q1 wdt:P31 wd:Q877358 ; wdt:P3069 "S/RES/2396 (2017)" .
  wd:Q2 wdt:P31 wd:Q877358 ; wdt:P3069 "not a symbol" .
  wd:Q3 wdt:P31 wd:Q877358 ; wdt:P3069 "A/RES/71/291" .
}
"""


@pytest.fixture
def items_endpoint(start_oxigraph: Callable[..., OxigraphServer]) -> str:
    """A real SPARQL endpoint holding three resolution items: one matches, one has
    no symbol, one is of the General Assembly, which the description leaves out."""
    import urllib.request

    server = start_oxigraph()
    request = urllib.request.Request(
        server.update_url,
        data=WIKIDATA_LIKE.encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 204
    return server.query_url


def sparql_description(folder: Path, endpoint: str | None) -> Path:
    """A copy of data/links/wikidata.yaml pointing at `endpoint` (or at none)."""
    folder.mkdir(exist_ok=True)
    shutil.copy(ROOT / "data" / "links" / "wikidata-un-symbols.rq", folder)
    lines = [
        "name: items",
        "kind: sparql",
        "title: Items",
        "query: wikidata-un-symbols.rq",
        "scope: [SC]",
    ]
    if endpoint is not None:
        lines.append(f"endpoint: {endpoint}")
    config = folder / "items.yaml"
    config.write_text("\n".join(lines) + "\n")
    return config


def test_link_sparql_links_what_the_endpoint_answers(
    items_endpoint: str, resolutions_data: Path, tmp_path: Path
) -> None:
    config = sparql_description(tmp_path / "config", items_endpoint)
    out = tmp_path / "links"
    result = run(
        "link", "sparql", "--config", str(config), "--data", str(resolutions_data),
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out / 'links-items.trig'} (1 links)\n"
    assert result.stdout.startswith(
        "items: 7 resolutions in the graph; the dataset covers Security Council "
        "resolutions\n  matched           1\n  unmatched         4\n"
        "  ambiguous         0\n  out of scope      2\n  rows skipped      1 of 3\n"
    )
    dataset = Dataset()
    dataset.parse(out / "links-items.trig", format="trig")
    (link,) = dataset.quads((None, SKOS.exactMatch, None, None))
    assert link[2] == URIRef("http://www.wikidata.org/entity/Q1")
    assert (URIRef(items_endpoint), None, None) in dataset.default_graph


def test_link_sparql_endpoint_option_replaces_the_descriptions(
    items_endpoint: str, resolutions_data: Path, tmp_path: Path
) -> None:
    config = sparql_description(tmp_path / "config", None)
    out = tmp_path / "links"
    missing = run("link", "sparql", "--config", str(config), "--out", str(out))
    assert missing.exit_code == 2
    assert missing.stderr == f"error: {config}: no endpoint; give --endpoint\n"
    assert not out.exists()
    result = run(
        "link", "sparql", "--config", str(config), "--endpoint", items_endpoint,
        "--data", str(resolutions_data), "--out", str(out), "--format", "json",
        "--timeout", "20",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dataset"] == "items"
    assert [m["target"] for m in report["matched"]] == [
        "http://www.wikidata.org/entity/Q1"
    ]
    assert report["rows"] == 3
    assert (out / "links-items.trig").is_file()


def test_link_sparql_gives_up_after_its_timeout(
    http_stub: Callable[..., str], tmp_path: Path
) -> None:
    """--timeout is the endpoint's deadline: a slow endpoint fails in time."""
    import time

    from stubs import Quiet

    class Slow(Quiet):
        def do_GET(self) -> None:
            time.sleep(3)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head": {"vars": []}, "results": {"bindings": []}}')

    endpoint = http_stub(Slow) + "/sparql"
    config = sparql_description(tmp_path / "config", endpoint)
    out = tmp_path / "links"
    started = time.monotonic()
    result = run(
        "link", "sparql", "--config", str(config), "--timeout", "0.3",
        "--out", str(out),
    )  # fmt: skip
    assert time.monotonic() - started < 2.5
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {endpoint}")
    assert not out.exists()


def test_link_csv_reads_the_file_its_description_names(
    tmp_path: Path, resolutions_data: Path
) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "rows.csv").write_text("res,url\n2396,http://example.org/2396\n")
    config = folder / "rows.yaml"
    config.write_text(
        "name: rows\nkind: table\ntitle: Rows\nfile: rows.csv\n"
        "number_column: res\nurl_column: url\n"
    )
    out = tmp_path / "links"
    result = run(
        "link", "csv", "--config", str(config), "--data", str(resolutions_data),
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out / 'links-rows.trig'} (1 links)\n"


def long_folder(tmp_path: Path) -> Path:
    """A folder whose path is over 200 characters: never cut when printed."""
    folder = tmp_path / ("d" * 120) / ("e" * 120)
    assert len(str(folder)) > 240
    return folder


def test_link_wrote_line_is_plain_and_whole_on_a_terminal(
    table: Path, resolutions_data: Path, tmp_path: Path, terminal: None
) -> None:
    out = long_folder(tmp_path)
    result = run(
        "link", "csv", str(table), "--number-column", "res", "--url-column", "url",
        "--data", str(resolutions_data), "--out", str(out), "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert squeezed(result.stderr) == squeezed(
        f"wrote {out / 'links-table.trig'} (1 links)"
    )


def test_chart_wrote_line_names_a_long_path_whole(
    core_trig: Path, tmp_path: Path
) -> None:
    target = long_folder(tmp_path) / "leaders.svg"
    target.parent.mkdir(parents=True)
    result = run(
        "chart", "leadership-timeline", "-o", str(target), "--store", str(core_trig)
    )
    assert result.exit_code == 0, result.output
    assert squeezed(result.stderr) == squeezed(
        f"wrote {target} ({target.stat().st_size} bytes)"
    )


# --- chart ----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".svg", ".PNG"])
def test_chart_draws_the_format_its_suffix_names(
    core_trig: Path, tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"leaders{suffix}"
    result = run(
        "chart", "leadership-timeline", "-o", str(target), "--store", str(core_trig)
    )
    assert result.exit_code == 0, result.output
    size = target.stat().st_size
    assert result.stderr == f"wrote {target} ({size} bytes)\n"
    head = target.read_bytes()[:300]
    assert (b"<svg" in head) if suffix == ".svg" else head.startswith(b"\x89PNG")


def test_chart_of_no_rows_exits_2_and_writes_nothing(
    core_trig: Path, tmp_path: Path
) -> None:
    target = tmp_path / "membership.svg"
    result = run(
        "chart", "compact-membership-over-time", "-o", str(target),
        "--store", str(core_trig),
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        "error: query 'compact-membership-over-time' returned no rows: "
        "nothing to draw\n"
    )
    assert not target.exists()


def test_chart_bad_requests_exit_2(core_trig: Path, tmp_path: Path) -> None:
    store = ("--store", str(core_trig))
    plain = run("chart", "source-reports", "-o", str(tmp_path / "x.svg"), *store)
    assert plain.exit_code == 2
    assert plain.stderr.startswith(
        "error: query 'source-reports' declares no chart; these do: "
        "co-implementation-network, compact-membership-over-time, "
    )
    suffix = run("chart", "compact-membership-over-time", "-o", "x.pdf", *store)
    assert suffix.stderr == "error: -o must end in .svg or .png, not 'x.pdf'\n"
    from ctgraph.queries.library import load_queries

    unknown = run("chart", "nothing", "-o", "x.svg", *store)
    known = ", ".join(load_queries())
    assert squeezed(unknown.stderr) == squeezed(
        f"error: no stored query 'nothing'; known: {known}"
    )
    param = run(
        "chart", "co-implementation-network", "-o", str(tmp_path / "x.svg"),
        "-p", "minimum=many", *store,
    )  # fmt: skip
    assert param.exit_code == 2
    assert param.stderr.startswith("error: parameter 'minimum': 'many' is not ")
    bare = run(
        "chart", "co-implementation-network", "-o", str(tmp_path / "x.svg"),
        "-p", "minimum", *store,
    )  # fmt: skip
    assert bare.exit_code == 2
    assert bare.stderr == (
        "error: --param takes name=value, not 'minimum'; it takes: minimum "
        "(a whole number; optional; default 2)\n"
    )
    assert not (tmp_path / "x.svg").exists()


def test_chart_suffix_in_capitals_names_the_format(
    core_trig: Path, tmp_path: Path
) -> None:
    target = tmp_path / "LEADERS.PNG"
    result = run(
        "chart", "leadership-timeline", "-o", str(target), "--store", str(core_trig)
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\x89PNG")


def test_chart_from_an_endpoint_that_is_down_exits_2_and_writes_nothing(
    tmp_path: Path,
) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    target = tmp_path / "leaders.svg"
    result = run("chart", "leadership-timeline", "-o", str(target), "--endpoint", url)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert url in squeezed(result.stderr)
    assert not target.exists()


@pytest.mark.parametrize(
    "command",
    [
        ("query", "source-reports", "-f", "csv", "--store", "TRIG"),
        ("export", "-f", "nt", "--data", "DATA"),
        ("export", "-f", "xlsx", "--data", "DATA"),
    ],
)
def test_wrote_lines_name_a_long_path_whole(
    core_trig: Path, core_data: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """The `wrote` line names the file the user gave, however long, never cut."""
    target = long_folder(tmp_path) / "out.file"
    target.parent.mkdir(parents=True)
    args = [{"TRIG": str(core_trig), "DATA": str(core_data)}.get(a, a) for a in command]
    result = run(*args, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert squeezed(result.stderr).startswith(squeezed(f"wrote {target} ("))


def test_release_and_build_lines_are_plain_on_a_terminal(
    core_data: Path, data_copy: Path, tmp_path: Path, terminal: None
) -> None:
    """File sizes, paths and link counts are printed without escape codes."""
    release = run(
        "release", "--out", str(tmp_path / "release"), "--data", str(core_data)
    )
    assert release.exit_code == 0, release.output
    assert str(tmp_path / "release" / "void.ttl") in release.stdout
    assert "\x1b" not in release.stdout
    shutil.copytree(ROOT / "data" / "links", data_copy / "links")
    shutil.copytree(ROOT / "data" / "external", data_copy / "external")
    build = run("build", "--data", str(data_copy), "--out", str(tmp_path / "out"))
    assert build.exit_code == 0, build.output
    links = [line for line in build.stdout.splitlines() if "links " in line]
    assert links and all(line.startswith("links ") for line in links)
    assert not any("\x1b" in line for line in links)


# --- stored queries whose text looks like console markup --------------------------

ODD_QUERY = """\
#+ summary: "Counts [bold]in brackets[/bold] and :x: codes, said at length {pad}"
#+ description: >
#+   Every [red]group[/red] with 2 names and :thumbs_up: beside them.
#+ params:
#+   group: A [b]group[/b] id 1 or 2.
#+   minimum: The least count.
#+ example:
#+   group: compact wg 1
#+   minimum: 3
#+ chart:
#+   type: bar
#+   x: group
#+   y: n
#+   reports: source
SELECT ?group (COUNT(*) AS ?n) (SAMPLE(?g) AS ?source) WHERE {{
  GRAPH ?g {{ ?group a org:Organization ; rdfs:label ?__group }}
  FILTER(?n >= ?__minimum_integer)
}} GROUP BY ?group
"""


@pytest.fixture
def odd_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The stored queries read from a folder holding one odd query."""
    from ctgraph.queries import library

    folder = tmp_path / "queries"
    folder.mkdir()
    monkeypatch.setattr(cli.out, "width", 1000)
    (folder / "odd[b]:x:.rq").write_text(ODD_QUERY.format(pad="x" * 200))
    monkeypatch.setattr(cli, "load_queries", lambda: library.load_queries(folder))
    return folder


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The standard output console as on a colour terminal: rich's highlighting
    and styles would show as escape codes."""
    from rich.color import ColorSystem

    for console in (cli.out, cli.err):
        monkeypatch.setattr(console, "_force_terminal", True)
        monkeypatch.setattr(console, "_color_system", ColorSystem.TRUECOLOR)


def test_stored_query_text_is_printed_as_it_is(odd_library: Path) -> None:
    result = run("queries", "odd[b]:x:")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "odd[b]:x:: Counts [bold]in brackets[/bold] and :x: codes, said at length "
        + "x" * 200
    )
    assert (
        lines[1] == "Every [red]group[/red] with 2 names and :thumbs_up: beside them."
    )
    assert "  --param group (" in lines[2]
    assert lines[2].endswith("): A [b]group[/b] id 1 or 2.")
    assert lines[3] == "  --param minimum (a whole number; optional): The least count."
    assert lines[4] == (
        "example: ctgraph query odd[b]:x: --param group='compact wg 1' "
        "--param minimum=3"
    )
    assert lines[5] == (
        "chart: bar (x: group, y: n, reports: source); "
        "ctgraph chart odd[b]:x: -o FILE.svg"
    )
    assert lines[6:] == [f"file: {odd_library / 'odd[b]:x:.rq'}"]
    listed = run("queries").stdout.splitlines()
    assert listed[0].strip() == "1 stored queries (ctgraph queries NAME for one)"
    header = [cell.strip() for cell in listed[2].split("┃")[1:-1]]
    assert header == ["name", "summary", "parameters (* required)"]
    row = listed[4].split("│")[1:-1]
    assert [cell.strip() for cell in row] == [
        "odd[b]:x:",
        lines[0].removeprefix("odd[b]:x:: "),
        "group, minimum",
    ]


def test_stored_query_is_not_highlighted_on_a_terminal(
    odd_library: Path, terminal: None
) -> None:
    result = run("queries", "odd[b]:x:")
    assert result.exit_code == 0
    text = result.stdout
    # the name in bold, nothing else styled
    assert text.startswith("\x1b[1modd[b]:x:\x1b[0m: Counts [bold]in brackets")
    assert text.count("\x1b[") == 2


def test_a_query_without_example_or_chart(terminal: None) -> None:
    result = run("queries", "source-reports")
    assert result.exit_code == 0
    assert "example:" not in result.stdout and "chart:" not in result.stdout
    assert result.stdout.count("\x1b[") == 2


def test_an_example_is_not_highlighted_on_a_terminal(terminal: None) -> None:
    result = run("queries", "changes-between-dates")
    assert "--param from=2018-06-01 --param to=2024-06-01\n" in result.stdout
    assert result.stdout.count("\x1b[") == 2


def test_an_example_of_two_parameters() -> None:
    result = run("queries", "changes-between-dates")
    assert (
        "example: ctgraph query changes-between-dates --param from=2018-06-01 "
        "--param to=2024-06-01\n"
    ) in result.stdout


def test_publish_drops_staging_graphs_through_the_update_url(
    start_oxigraph: Callable[..., OxigraphServer], terminal: None
) -> None:
    from ctgraph.store.publish import staging_iri

    server = start_oxigraph()
    left = staging_iri("t", 1)
    server.backend().update(f"INSERT DATA {{ GRAPH <{left}> {{ <urn:a> <urn:b> 1 }} }}")
    query = ("publish", "--endpoint", server.query_url)
    status = run(*query, "--status")
    assert status.exit_code == 0
    assert str(left) in status.stdout
    wrong = server.query_url.replace("/query", "/nothing")
    refused = run(*query, "--drop-staging", "--update-url", wrong)
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "error:" in refused.stderr and "/nothing answered HTTP 404" in refused.stderr
    dropped = run(*query, "--drop-staging", "--update-url", server.update_url)
    assert dropped.exit_code == 0, dropped.output
    assert dropped.stdout.startswith("dropped 1 staging graph(s)\n")
    assert dropped.stdout.endswith("no staging graphs\n")
    assert "\x1b[" not in dropped.stdout + status.stdout  # nothing highlighted


@pytest.mark.parametrize("option", ["--store-url", "--update-url"])
def test_publish_uploads_and_switches_through_the_urls_given(
    start_oxigraph: Callable[..., OxigraphServer], core_trig: Path, option: str
) -> None:
    server = start_oxigraph()
    args = ("publish", "--endpoint", server.query_url, "--out", str(core_trig.parent))
    wrong = server.query_url.replace("/query", "/nothing")
    refused = run(*args, option, wrong)
    assert refused.exit_code == 2
    assert refused.stderr.startswith("error: ") and "/nothing" in refused.stderr
    right = server.store_url if option == "--store-url" else server.update_url
    result = run(*args, option, right)
    assert result.exit_code == 0, result.output


def test_publish_lines_are_not_wrapped(
    start_oxigraph: Callable[..., OxigraphServer],
    core_trig: Path,
    core_build: pipeline.BuildResult,
) -> None:
    server = start_oxigraph()
    name = "urn:x:" + "g" * 250
    args = ("publish", "--endpoint", server.query_url, "--out", str(core_trig.parent))
    result = run(*args, "--graph", name)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(f"live           {name}  (")
    status = run("publish", "--endpoint", server.query_url, "--status")
    line = f"  {name}  ({core_build.triples} triples)"
    assert status.stdout.splitlines()[1] == line


# --- site, serve, release, ontology ---------------------------------------------


def test_site_over_a_file_exits_2_and_leaves_it(
    core_trig: Path, tmp_path: Path
) -> None:
    """The file is neither renamed nor replaced by a half-written site."""
    taken = tmp_path / "site"
    taken.write_text("keep")
    result = run("site", "-o", str(taken), "--store", str(core_trig))
    assert result.exit_code == 2
    assert result.stderr == f"error: {taken} is a file, not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert taken.read_text() == "keep"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--time-limit", "0"], "--time-limit and --row-cap must be positive"),
        (["--row-cap", "0"], "--time-limit and --row-cap must be positive"),
        (["--port", "70000"], "--port must be 0-65535, not 70000"),
        (["--port", "65536"], "--port must be 0-65535, not 65536"),
        (["--port", "-1"], "--port must be 0-65535, not -1"),
        (
            ["--endpoint", "http://127.0.0.1:9/query", "--store", "x.trig"],
            "--endpoint runs on the server: leave out --engine and --store",
        ),
    ],
)
def test_serve_bad_options_exit_2(args: list[str], message: str) -> None:
    result = run("serve", *args)
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert result.stdout == ""


def test_serve_on_a_port_in_use_exits_2(core_trig: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), "--store", str(core_trig))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(
        f"error: cannot listen on 127.0.0.1:{port}: address already in use"
    )


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (["--time-limit", "0"], True),
        (["--time-limit", "0.5"], False),
        (["--row-cap", "0"], True),
        (["--row-cap", "1"], False),
    ],
)
def test_serve_limits_at_their_bounds(
    core_trig: Path, args: list[str], refused: bool
) -> None:
    """Zero is refused, any positive limit accepted: the server then gets as far as
    its (taken) port, so no mutant can start one."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", *args, "--port", str(port), "--store", str(core_trig))
    assert result.exit_code == 2 and result.stdout == ""
    expected = (
        "error: --time-limit and --row-cap must be positive\n"
        if refused
        else f"error: cannot listen on 127.0.0.1:{port}: address already in use"
    )
    assert result.stderr.startswith(expected)


def test_site_writes_the_pages_and_files_it_reports(
    core_trig: Path, tmp_path: Path, terminal: None
) -> None:
    """About 14 s: the one whole site build in the mirror, on the small graph."""
    import re

    from ctgraph.web.app import built_at

    out = tmp_path / "site"
    result = run("site", "-o", str(out), "--store", str(core_trig))
    assert result.exit_code == 0, result.output
    found = re.fullmatch(
        rf"wrote {re.escape(str(out))}: (\d+) pages, (\d+) files in \d+ s\n",
        result.stdout,
    )
    assert found, result.stdout
    files = [p for p in out.rglob("*") if p.is_file()]
    assert int(found[1]) == len([p for p in files if p.suffix == ".html"]) > 100
    assert int(found[2]) == len(files)
    home = (out / "index.html").read_text()
    built = built_at(core_trig)
    assert built is not None and f"<dt>built</dt><dd>{built}</dd>" in home


def test_serve_on_an_unknown_host_exits_2(core_trig: Path) -> None:
    result = run("serve", "--host", "no-such-host.invalid", "--store", str(core_trig))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(
        "error: cannot listen on no-such-host.invalid:8000: "
    )


def test_release_writes_every_file_with_its_size(
    core_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "release"
    result = run("release", "--out", str(out), "--data", str(core_data))
    assert result.exit_code == 0, result.output
    listed = {}
    for line in result.stdout.splitlines():
        size, path = line.split()
        listed[path] = int(size.replace(",", ""))
    written = {str(p): p.stat().st_size for p in out.rglob("*") if p.is_file()}
    assert listed.items() <= written.items()
    assert str(out / "void.ttl") in listed and str(out / "ctgraph.trig") in listed


def test_release_of_data_that_does_not_conform_exits_1(
    data_copy: Path, tmp_path: Path
) -> None:
    lower_case_currency(data_copy)
    out = tmp_path / "release"
    result = run("release", "--out", str(out), "--data", str(data_copy))
    assert result.exit_code == 1
    assert "ctgsh:FundingShape (1)" in result.stdout
    assert result.stderr == (
        "error: the graph does not pass validation: nothing written\n"
    )
    assert not out.exists()
    missing = run("release", "--out", str(out), "--data", str(tmp_path / "no"))
    assert missing.exit_code == 2
    assert missing.stderr == f"error: {tmp_path / 'no'}: data folder not found\n"


def test_ontology_docs_writes_one_page(tmp_path: Path) -> None:
    target = tmp_path / "ontology.html"
    result = run("ontology", "docs", "-o", str(target))
    assert result.exit_code == 0, result.output
    size = target.stat().st_size
    assert result.stderr == f"wrote {target} ({size} bytes)\n"
    assert target.read_text().lstrip().lower().startswith("<!doctype html>")


def test_the_next_page_notice_is_one_plain_line(
    core_trig: Path, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.err, "width", 40)
    result = run(
        "query", LEADERS, "-f", "csv", "--limit", "2", "--store", str(core_trig)
    )
    assert result.stderr == (
        "more rows: these are rows 1-2; --offset 2 for the next page, "
        "--limit 0 for every row\n"
    )


def test_server_union_sends_queries_as_they_are(
    start_oxigraph: Callable[..., OxigraphServer],
) -> None:
    server = start_oxigraph()
    server.backend().update("INSERT DATA { <urn:a> <urn:b> <urn:c>, <urn:d> }")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    args = ("sparql", count, "-f", "csv", "--endpoint", server.query_url)
    union = run(*args, "--server-union")
    assert union.exit_code == 0, union.output
    assert union.stdout == "n\n2\n"
    unpublished = run(*args)
    assert unpublished.exit_code == 2
    assert unpublished.stderr.startswith(
        f"error: {server.query_url} holds no ctgraph publication (no manifest graph "
    )
    query = run("query", "source-reports", "--endpoint", server.query_url)
    assert query.exit_code == 2 and "holds no ctgraph publication" in query.stderr
    rows = run(
        "query", "source-reports", "-f", "csv", "--endpoint", server.query_url,
        "--server-union",
    )  # fmt: skip
    assert rows.exit_code == 0, rows.output
    assert rows.stdout.splitlines() == [
        "report,title,date,publisher,file,triples,resources"
    ]


def test_ingest_matrix_reads_the_report_sources_csv_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = seeds()
    monkeypatch.setenv(SEEDS_ENV, str(folder))
    out = tmp_path / "matrix"
    result = run("ingest", "matrix", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Unresolved tokens: 0\n")
    for table in sorted((ROOT / "data" / "matrix").glob("*.csv")):
        assert (out / table.name).read_bytes() == table.read_bytes(), table.name
    monkeypatch.setenv(SEEDS_ENV, str(tmp_path / "nowhere"))
    missing = run("ingest", "matrix", "--out", str(out))
    assert missing.exit_code == 2
    assert missing.stderr == (
        f"error: {tmp_path / 'nowhere'}: no such folder; give the folder as an "
        f"argument or set {SEEDS_ENV}\n"
    )
    monkeypatch.setenv(SEEDS_ENV, str(tmp_path))
    absent = run("ingest", "matrix", "--out", str(out))
    assert absent.exit_code == 2
    assert (
        absent.stderr == f"error: {tmp_path}/004_bbad495e8ce163f7.txt: no such file\n"
    )


def test_build_on_a_terminal_prints_paths_and_reports_plain(
    core_data: Path,
    data_copy: Path,
    tmp_path: Path,
    terminal: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Paths longer than any cut, reports not wrapped, styled or read as markup."""
    monkeypatch.setattr(cli.out, "width", 1000)
    monkeypatch.setattr(cli.err, "width", 60)
    out = tmp_path / ("d" * 120) / ("e" * 120)
    result = run("build", "--data", str(core_data), "--out", str(out))
    assert result.exit_code == 0, result.output
    wrote = [line for line in result.stdout.splitlines() if line.startswith("wrote")]
    assert wrote == [f"wrote {out / pipeline.TRIG}", f"wrote {out / pipeline.TTL}"]
    lower_case_currency(data_copy)
    refused = run("build", "--data", str(data_copy), "--out", str(out))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[3] == (
        "  - <https://w3id.org/ctgraph/id/contribution/total-received-2020-02>: "
        "currency must be an ISO 4217 code such as USD "
        "[path ctg:currency, value usd]"
    )


def test_build_check_failures_on_a_terminal_are_plain(
    data_copy: Path, tmp_path: Path, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.err, "width", 60)
    memberships = data_copy / "core" / "memberships.csv"
    text = memberships.read_text()
    memberships.write_text(
        text.replace(",unoct,chair,,,2024-02,", ",unoct,chair,,,2025-06,", 1)
    )
    result = run("build", "--data", str(data_copy), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[1] == (
        "as-of-after-report-violation (1 row(s)): A membership or appointment "
        "dated after the report that states it"
    )
    assert lines[2].startswith("  - record=id:membership/compact-wg-1/unoct/chair/")
    assert "\x1b[" not in "\n".join(lines[1:3])


def test_build_with_pyshacl_says_so(core_data: Path, tmp_path: Path) -> None:
    result = run(
        "build", "--data", str(core_data), "--out", str(tmp_path),
        "--validator", "pyshacl",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (summary,) = [x for x in result.stdout.splitlines() if x.startswith("triples: ")]
    assert summary.endswith(" s  validator: pyshacl")


def test_build_table_title_and_header(core_data: Path, tmp_path: Path) -> None:
    result = run("build", "--data", str(core_data), "--out", str(tmp_path))
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "ctgraph build"
    assert lines[2].split() == ["┃", "class", "┃", "instances", "┃"]


def test_stats_quality_table_header(data_copy: Path) -> None:
    undated_project(data_copy)
    result = run("stats", "--data", str(data_copy), "--quality")
    (title,) = [x for x in result.stdout.splitlines() if "data quality:" in x]
    header = result.stdout.splitlines()[result.stdout.splitlines().index(title) + 2]
    assert header.split() == [
        "┃", "kind", "┃", "subject", "┃", "detail", "┃", "sources", "┃"
    ]  # fmt: skip


def test_a_parameter_value_may_hold_an_equals_sign(core_trig: Path) -> None:
    result = run(
        "query", "entity-profile", "-p", "entity=a=b", "--store", str(core_trig)
    )
    assert result.exit_code == 2
    assert "'a=b'" in result.stderr and "entity=a" not in result.stderr


PAGED_QUERY = """\
#+ summary: Memberships, two a page
#+ pagination: 2
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?m WHERE { ?m a org:Membership } ORDER BY ?m
"""

SERVICE_QUERY = """\
#+ summary: Triples of another server
SELECT ?s WHERE {{ SERVICE <http://127.0.0.1:{port}/query> {{ ?s ?p ?o }} }}
"""


def test_a_stored_page_size_applies_unless_a_limit_is_given(
    odd_library: Path, core_trig: Path
) -> None:
    (odd_library / "paged.rq").write_text(PAGED_QUERY)
    store = ("--store", str(core_trig))
    paged = run("query", "paged", "-f", "csv", *store)
    assert paged.exit_code == 0, paged.output
    assert len(paged.stdout.splitlines()) == 3
    assert paged.stderr.startswith("more rows: these are rows 1-2; --offset 2 ")
    every = run("query", "paged", "-f", "csv", "--limit", "0", *store)
    assert len(every.stdout.splitlines()) == 26 and every.stderr == ""
    three = run("query", "paged", "-f", "csv", "--limit", "3", *store)
    assert len(three.stdout.splitlines()) == 4


def test_a_stored_query_reaches_only_allowed_hosts(
    odd_library: Path, core_trig: Path
) -> None:
    port = free_port()
    (odd_library / "remote.rq").write_text(SERVICE_QUERY.format(port=port))
    store = ("--store", str(core_trig))
    refused = run("query", "remote", *store)
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"error: the query reaches http://127.0.0.1:{port}/query (SERVICE): a local "
        "query does not touch the network unless you allow the host: "
        "--allow-service 127.0.0.1\n"
    )
    allowed = run("query", "remote", "--allow-service", "127.0.0.1", *store)
    assert allowed.exit_code == 2
    assert "allow the host" not in allowed.stderr
    assert allowed.stderr.startswith("error: ")


def test_a_broken_stored_query_is_named_with_its_line(odd_library: Path) -> None:
    """YAML places the unclosed bracket where it looked for its end: line 2."""
    broken = odd_library / "broken.rq"
    broken.write_text("#+ summary: [unclosed\nSELECT * WHERE { ?s ?p ?o }\n")
    for args in (("queries",), ("query", "broken"), ("chart", "broken", "-o", "x.svg")):
        result = run(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith(
            f"error: {broken}, line 2: header is not valid YAML: "
        )
        assert result.stdout == ""


def test_a_query_without_description_lists_its_summary_and_file(
    odd_library: Path,
) -> None:
    (odd_library / "paged.rq").write_text(PAGED_QUERY)
    result = run("queries", "paged")
    assert result.stdout.splitlines() == [
        "paged: Memberships, two a page",
        f"file: {odd_library / 'paged.rq'}",
    ]


def test_export_to_a_file_that_cannot_be_written_exits_2(core_data: Path) -> None:
    result = run("export", "-o", "/proc/graph.ttl", "--data", str(core_data))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot write /proc/")
    assert result.stderr.endswith(": no such file or directory\n")


def test_ingest_matrix_into_a_file_exits_2(tmp_path: Path) -> None:
    from ctgraph.sources.matrix import SOURCE_ID

    files = {
        line.split(",")[0]: line.split(",")[1]
        for line in (ROOT / "data" / "core" / "sources.csv").read_text().splitlines()
    }
    report = seeds() / files[SOURCE_ID]
    blocker = tmp_path / "file"
    blocker.write_text("keep")
    result = run("ingest", "matrix", str(report), "--out", str(blocker))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot ingest {report}: ")
    assert blocker.read_text() == "keep"


def test_link_csv_with_a_description_and_another_file(
    tmp_path: Path, resolutions_data: Path
) -> None:
    table = tmp_path / "records.csv"
    table.write_text("res_no,url_record\n2396,http://example.org/r/2396\n")
    out = tmp_path / "links"
    result = run(
        "link", "csv", str(table), "--config",
        str(ROOT / "data" / "links" / "cr-unsc.yaml"),
        "--data", str(resolutions_data), "--out", str(out), "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [m["target"] for m in report["matched"]] == ["http://example.org/r/2396"]
    assert result.stderr == f"wrote {out / 'links-cr-unsc.trig'} (1 links)\n"


def test_ontology_check_classifies_the_ontology() -> None:
    result = run("ontology", "check")
    if result.exit_code == 2:  # no Java or owlready2 here: said, not crashed
        assert result.stderr.startswith("error: ")
        pytest.skip(result.stderr)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("consistent: ")
    assert result.stdout.rstrip().endswith(" 0 unsatisfiable")


def test_ingest_wrote_lines_are_plain_on_a_terminal(
    tmp_path: Path, terminal: None
) -> None:
    mentions = run("ingest", "mentions", str(seeds()), "--out", str(tmp_path))
    assert mentions.stderr == f"wrote {tmp_path / 'mentions.csv'}\n"
    pytest.importorskip("country_converter")
    regions = run("ingest", "regions", "--out", str(tmp_path))
    assert regions.stderr == f"wrote {tmp_path / 'm49_regions.csv'}\n"


def test_query_names_are_never_wrapped_in_the_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ctgraph.queries.library import load_queries

    monkeypatch.setattr(cli.out, "width", 80)
    result = run("queries")
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    names = [row.split("│")[1].strip() for row in rows]
    assert [name for name in names if name] == list(load_queries())
