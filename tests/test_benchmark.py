"""The benchmark runs end to end at a tiny scale and writes results as JSON.

No timing is asserted: timings depend on the machine; `docs/benchmarks.md` has them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs_writes_json_and_refuses_empty_results(tmp_path: Path) -> None:
    """At x0.02 some queries find nothing to answer: the benchmark still writes
    every figure, then names each query without rows and exits 1."""
    target = tmp_path / "results" / "bench.json"
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--scales", "0.02",
        "--repeat", "1",
        "--heavy-repeat", "1",
        "--pyshacl-max-scale", "0",
        "--no-real-build",
        "--json", str(target),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr[-3000:]
    assert "synthetic graphs" in done.stdout
    results = json.loads(target.read_text())
    assert results["machine"]["nproc"] >= 1
    [scale] = results["scales"]
    assert scale["scale"] == 0.02
    assert scale["quads"] > 0 and scale["violations_fast"] == 0
    assert scale["load_oxigraph_s"] > 0 and scale["load_rdflib_s"] > 0
    assert scale["validate_pyshacl_s"] is None, "pySHACL skipped above x0"
    assert "skipped (> x0)" in done.stdout
    assert scale["peak_rss_mb"] > 0
    queries = scale["queries"]
    empty = [q for q in queries if q.get("oxigraph_rows") == 0]
    answered = [q for q in queries if q.get("oxigraph_rows")]
    assert empty and answered, queries
    for q in empty:
        assert q["error"] == "no rows with any parameter values tried"
        assert f"error: x0.02 {q['name']}: no rows" in done.stdout
    assert all("error" not in q and q["same_rows"] for q in answered), answered
    assert all(q["oxigraph_seconds"] > 0 for q in answered)
    assert isinstance(results["targets"], list)
    tables = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "tables.py"),
            str(target),
            "--chart",
            str(tmp_path / "chart.svg"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert tables.returncode == 0, tables.stderr
    lines = tables.stdout.splitlines()
    for q in queries:  # one row per query, with its row count
        [row] = [line for line in lines if line.startswith(f"| `{q['name']}` |")]
        assert f"| {q['oxigraph_rows']:,} |" in row
    assert "| x0.02 | " in tables.stdout and "no rows: [" in tables.stdout
    svg = (tmp_path / "chart.svg").read_text()
    assert svg.startswith("<?xml") and "<svg" in svg and "line2d_" in svg


def test_only_times_the_named_queries_and_tables_show_the_build(
    tmp_path: Path,
) -> None:
    """`--only` times the queries named and no other; tables.py prints the build
    stage by stage and the commands from a run's JSON."""
    target = tmp_path / "bench.json"
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--scales", "0.1",
        "--repeat", "1",
        "--heavy-repeat", "1",
        "--pyshacl-max-scale", "0",
        "--rdflib-max-scale", "0",
        "--no-real-build",
        "--only", "compact-size-over-time,search",
        "--json", str(target),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(target.read_text())
    [scale] = results["scales"]
    assert [q["name"] for q in scale["queries"]] == ["compact-size-over-time", "search"]
    results["real_build"] = {
        "cli_fast_s": 1.5,
        "cli_pyshacl_s": 9.0,
        "pipeline_fast_s": 1.2,
        "triples": 13000,
        "stages": {"read the tables": 0.01, "TriG": 0.25},
        "commands": {"ctgraph --version": {"wall_s": 0.08, "cpu_s": 0.06}},
    }
    target.write_text(json.dumps(results))
    tables = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "tables.py"), str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert tables.returncode == 0, tables.stderr
    assert "| read the tables | 10 ms |" in tables.stdout
    assert "| TriG | 250 ms |" in tables.stdout
    assert "| the whole pipeline in-process | 1.20 s |" in tables.stdout
    assert "| `ctgraph --version` | 0.080 s | 0.060 s |" in tables.stdout


def test_ceiling_runs_each_step_embedded_and_on_the_server(tmp_path: Path) -> None:
    """The one-machine ceiling run at a tiny scale: every step with its time and
    peak memory, the queries named on the embedded store and on Oxigraph's
    server with the same rows, and its tables from the JSON."""
    target = tmp_path / "ceiling.json"
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "ceiling.py"),
        "--scale", "0.1",
        "--work", str(tmp_path / "work"),
        "--only", "compact-size-over-time,entity-profile",
        "--json", str(target),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(target.read_text())
    for step in ("generate", "load", "validate"):
        assert results[step]["seconds"] > 0 and results[step]["peak_rss_mb"] > 0
    assert results["load"]["quads"] == results["generate"]["quads"]
    assert results["validate"]["violations"] == 0
    names = ["compact-size-over-time", "entity-profile"]
    for place in ("embedded", "server"):
        assert [q["name"] for q in results[place]] == names
        assert all(q["rows"] > 0 and q["seconds"] > 0 for q in results[place])
    assert [q["rows"] for q in results["embedded"]] == [
        q["rows"] for q in results["server"]
    ]
    assert not (tmp_path / "work").exists(), "the work folder is removed"
    assert "| `entity-profile` |" in done.stdout
    tables = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "ceiling.py"), "--tables", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert "| validate (fast validator) |" in tables.stdout
