"""The command line through a subprocess, as a user runs it: exit codes 0, 1, 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"


def ctgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctgraph", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file a build folder holds, by its path inside it."""
    return {
        str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()
    }


def test_version_and_help() -> None:
    assert ctgraph("--version").stdout == f"ctgraph {version('ctgraph')}\n"
    result = ctgraph("--help")
    assert result.returncode == 0
    for command in ("build", "validate", "export", "stats"):
        assert command in result.stdout


def test_console_script_is_installed() -> None:
    script = shutil.which("ctgraph", path=str(Path(sys.executable).parent))
    assert script is not None
    result = subprocess.run([script, "--help"], capture_output=True, text=True)
    assert result.returncode == 0


def test_build_writes_conforming_outputs(tmp_path: Path) -> None:
    result = ctgraph("build", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "violations: 0" in result.stdout
    ds = Dataset()
    ds.parse(tmp_path / "ctgraph.trig", format="trig")
    assert len(list(ds.graphs())) >= 4
    assert len(Graph().parse(tmp_path / "ctgraph.ttl")) > 500


def test_broken_record_exits_2_and_keeps_previous_build(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "build"
    shutil.copytree(ROOT / "data", data)
    assert ctgraph("build", "--data", str(data), "--out", str(out)).returncode == 0
    before = snapshot(out)
    memberships = data / "core" / "memberships.csv"
    lines = memberships.read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if ",interpol," in line)
    lines[row] = lines[row].replace(",interpol,", ",interpool,")
    memberships.write_text("\n".join(lines) + "\n")
    result = ctgraph("build", "--data", str(data), "--out", str(out))
    assert result.returncode == 2
    assert f"memberships.csv, line {row + 1}" in result.stderr
    assert "interpool" in result.stderr
    assert snapshot(out) == before


def test_violations_exit_1_and_keep_previous_build(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "build"
    shutil.copytree(ROOT / "data", data)
    assert ctgraph("build", "--data", str(data), "--out", str(out)).returncode == 0
    before = snapshot(out)
    # a currency in lower case reads as a valid record but breaks ctgsh:FundingShape
    funding = data / "reports" / "contributions.csv"
    text = funding.read_text()
    assert ",unoct,246200000,USD," in text
    funding.write_text(text.replace(",unoct,246200000,USD,", ",unoct,246200000,usd,"))
    result = ctgraph("build", "--data", str(data), "--out", str(out))
    assert result.returncode == 1, result.stderr
    shown = result.stdout + result.stderr
    assert "ctgsh:FundingShape" in shown and "total-received-2020-02" in shown
    assert snapshot(out) == before


def test_validate_exit_codes(tmp_path: Path) -> None:
    assert ctgraph("validate", str(FIXTURES / "base.ttl")).returncode == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        (FIXTURES / "base.ttl").read_text()
        + (FIXTURES / "invalid" / "event-without-date.ttl")
        .read_text()
        .split("\n", 1)[1]
    )
    result = ctgraph("validate", "--format", "json", str(bad))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert {v["shape"] for v in report["violations"]} == {"ctgsh:EventShape"}
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    result = ctgraph("validate", str(broken))
    assert result.returncode == 2
    assert "broken.ttl" in result.stderr and "not valid RDF" in result.stderr
    assert ctgraph("validate", str(tmp_path / "missing.ttl")).returncode == 2


def test_validate_text_report_is_grouped_and_readable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        (FIXTURES / "base.ttl").read_text()
        + (FIXTURES / "invalid" / "membership-without-role.ttl")
        .read_text()
        .split("\n", 1)[1]
    )
    result = ctgraph("validate", str(bad))
    assert result.returncode == 1
    assert "ctgsh:MembershipShape (1)" in result.stdout
    assert "must have exactly one known role" in result.stdout


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "nq", "rdfxml"])
def test_export_formats_parse_back(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    result = ctgraph("export", "--format", fmt, "-o", str(target))
    assert result.returncode == 0, result.stderr
    rdflib_format = {
        "ttl": "turtle",
        "nt": "nt",
        "jsonld": "json-ld",
        "trig": "trig",
        "nq": "nquads",
        "rdfxml": "xml",
    }[fmt]
    ds = Dataset()
    ds.parse(target, format=rdflib_format)
    assert sum(len(g) for g in ds.graphs()) > 500


def test_export_unknown_format_exits_2() -> None:
    result = ctgraph("export", "--format", "xls")
    assert result.returncode == 2 and "unknown format 'xls'" in result.stderr


def test_stats_quality_as_csv_and_json() -> None:
    as_json = ctgraph("stats", "--quality", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    findings = json.loads(as_json.stdout)
    assert any("2178 (2017)" in f["sources"] for f in findings)
    as_csv = ctgraph("stats", "--quality", "--format", "csv")
    assert as_csv.stdout.splitlines()[0] == "kind,subject,detail,sources,iri"
    assert len(as_csv.stdout.splitlines()) > len(findings)  # a header, quoted lines
    alone = ctgraph("stats", "--format", "json")
    assert alone.returncode == 2 and "add --quality" in alone.stderr
    wrong = ctgraph("stats", "--quality", "--format", "xml")
    assert wrong.returncode == 2 and "expected one of table, csv, json" in wrong.stderr


def test_stats_counts_classes_and_graphs() -> None:
    result = ctgraph("stats")
    assert result.returncode == 0
    assert (
        "org:Membership" in result.stdout and "compact-review-2024-01" in result.stdout
    )


#: what `ctgraph query` on a built graph has no use for: the builder, the sources,
#: the validators, the SPARQL client, the link and web layers
NOT_FOR_QUERY = (
    "ctgraph.build",
    "ctgraph.graph.dataset",
    "ctgraph.sources.tables",
    "ctgraph.validation.shacl",
    "ctgraph.validation.fast",
    "ctgraph.links",
    "ctgraph.store.remote",
    "ctgraph.web.app",
    "pyshacl",
    "fastapi",
    "openpyxl",
    "matplotlib",
)


def test_query_imports_only_what_it_needs(built_trig: Path, tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    shutil.copyfile(built_trig, tmp_path / "build" / "ctgraph.trig")
    script = (
        "import json, sys\n"
        "from ctgraph.__main__ import main\n"
        "sys.argv = ['ctgraph', 'query', 'compact-size-over-time', '--format', 'csv']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    for _ in range(2):  # the first run also fills the cached store
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("date,"), result.stdout
        loaded = set(json.loads(result.stderr))
        assert "ctgraph.queries.library" in loaded  # the probe sees the imports
        assert sorted(loaded.intersection(NOT_FOR_QUERY)) == []
