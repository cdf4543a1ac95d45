"""The benchmark runs end to end at a tiny scale and writes results as JSON.

No timing is asserted: timings depend on the machine; `docs/benchmarks.md` has them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ctgraph.queries.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]


def tiny_run(target: Path, scale: str, *more: str) -> subprocess.CompletedProcess[str]:
    """benchmarks/run.py at one small scale, each run once, pySHACL and the real
    build left out, its JSON written to `target`."""
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--scales", scale,
        "--repeat", "1",
        "--heavy-repeat", "1",
        "--pyshacl-max-scale", "0",
        "--no-real-build",
        *more,
        "--json", str(target),
    ]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def print_tables(results: Path) -> subprocess.CompletedProcess[str]:
    """`benchmarks/tables.py` on a run's JSON, as the docs are made; it must succeed."""
    tables = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "tables.py"), str(results)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert tables.returncode == 0, tables.stderr
    return tables


def test_benchmark_runs_writes_json_and_refuses_empty_results(tmp_path: Path) -> None:
    """At x0.02 some queries find nothing to answer: the benchmark still writes
    every figure, then names each query without rows and exits 1."""
    target = tmp_path / "results" / "bench.json"
    done = tiny_run(target, "0.02")
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
    # the build's rules, in their order, on the synthetic graph before the queries
    assert list(scale["derive"]["rules"]) == [rule.name for rule in load_rules()]
    assert scale["derive"]["triples"] > 0 and scale["derive"]["seconds"] > 0
    assert "derived facts" in done.stdout
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
    only = "compact-size-over-time,search"
    done = tiny_run(target, "0.1", "--rdflib-max-scale", "0", "--only", only)
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
    tables = print_tables(target)
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
    for step in ("generate", "load", "derive", "validate"):
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
    assert "| derived facts (queries/rules/) |" in tables.stdout
    assert results["derive"]["triples"] > 0


def test_benchmark_servers_column_times_every_query_on_the_oxigraph_server(
    tmp_path: Path,
) -> None:
    """`--servers oxigraph`: a real `oxigraph serve` started, the graph published to
    it and every stored query timed there with the embedded run's parameters, its
    rows compared with the embedded store's; tables.py prints them side by side."""
    target = tmp_path / "bench.json"
    done = tiny_run(
        target, "0.02", "--rdflib-max-scale", "0",
        "--servers", "oxigraph", "--server-query-scales", "0.02",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-3000:]  # queries without rows at x0.02
    assert "SPARQL servers: start (new store), publish" in done.stdout
    [scale] = json.loads(target.read_text())["scales"]
    published = scale["servers"]["oxigraph"]
    assert published["publish_ok"] and published["triples"] > 1000
    assert published["publish_s"] > 0 and published["startup_s"] > 0
    timed = [q for q in scale["queries"] if "servers_same_rows" in q]
    assert len(timed) == len(scale["queries"]) >= 40
    answered = [q for q in timed if "oxigraph_server_seconds" in q]
    assert len(answered) >= 40
    assert all(q["servers_same_rows"] for q in answered), [
        q["name"] for q in answered if not q["servers_same_rows"]
    ]
    tables = print_tables(target)
    assert "| x0.02 | " in tables.stdout and " | oxigraph | " in tables.stdout
    assert f"oxigraph server at x0.02: {len(answered)} of {len(timed)}" in tables.stdout


def test_benchmark_refuses_an_unknown_server() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--servers", "x"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert "--servers: unknown server(s) x" in done.stderr
