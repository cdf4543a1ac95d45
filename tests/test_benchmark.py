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


def test_benchmark_servers_column_times_every_query_on_the_oxigraph_server(
    tmp_path: Path,
) -> None:
    """`--servers oxigraph`: a real `oxigraph serve` started, the graph published to
    it and every stored query timed there with the embedded run's parameters, its
    rows compared with the embedded store's; tables.py prints them side by side."""
    target = tmp_path / "bench.json"
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--scales", "0.02",
        "--repeat", "1",
        "--heavy-repeat", "1",
        "--pyshacl-max-scale", "0",
        "--rdflib-max-scale", "0",
        "--no-real-build",
        "--servers", "oxigraph",
        "--server-query-scales", "0.02",
        "--json", str(target),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
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
    tables = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "tables.py"), str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert tables.returncode == 0, tables.stderr
    assert "| x0.02 | " in tables.stdout and " | oxigraph | " in tables.stdout
    assert f"oxigraph server at x0.02: {len(answered)} of {len(timed)}" in tables.stdout


def test_benchmark_refuses_an_unknown_server() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--servers", "x"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert "--servers: unknown server(s) x" in done.stderr
