"""The load-test script runs against a real server and counts no errors (a tiny,
one-second run: timings are measured by the script, never asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from webserver import running

from ctgraph.queries.library import KnowledgeGraph
from ctgraph.store.backends import OxigraphBackend
from ctgraph.web.app import create_app

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "web_load.py"


def test_load_script_runs_without_errors(embedded: OxigraphBackend) -> None:
    spec = importlib.util.spec_from_file_location("web_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with running(create_app(KnowledgeGraph(embedded))) as base:
        # one client per kind of request: each starts at a different one
        summary = module.run(base, clients=len(module.MIX), seconds=1.0)
    everything = summary["kinds"]["all"]
    assert everything["requests"] >= len(module.MIX)
    assert everything["errors"] == 0
    assert set(summary["kinds"]) == {"all", "api", "page", "query", "rdf", "sparql"}
