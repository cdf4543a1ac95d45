"""Benchmark the two tested SPARQL servers side by side: Oxigraph's server and
OpenLink Virtuoso, each started fresh on loopback ports (by the test suite's
launchers in tests/servers.py), the synthetic graph published to both by `ctgraph
publish`'s code, then every stored query timed on both with the same parameters and
its rows compared as RDF terms.

    python benchmarks/servers.py --scales 10,100 --query-scales 10 --repeat 3 \
        --json benchmarks/results/servers.json

Times are wall clock (`time.perf_counter`): server start until its SPARQL endpoint
answers, publication (staging uploads, the switch, the size check), and per query a
warm-up run and the median of `--repeat` runs over HTTP, results parsed (one run when
the warm-up took over `--give-up` s; none past `--query-timeout`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402


def start(kind: str, folder: Path, query_timeout: float) -> Any:
    """A fresh server of `kind` with its data in `folder`; Oxigraph stops a query
    after `query_timeout` (Virtuoso after its ini's MaxQueryExecutionTime)."""
    import servers

    if kind == "oxigraph":
        started = time.perf_counter()
        server = servers.launch(folder, "--timeout-s", f"{query_timeout:g}")
        server.startup_seconds = time.perf_counter() - started
        return server
    return servers.launch_virtuoso(folder)


def backend(kind: str, server: Any, timeout: float) -> Any:
    return server.backend(timeout=timeout)


def to_trig(nquads: Path, trig: Path) -> int:
    """The synthetic N-Quads as TriG, the file `ctgraph publish` reads."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.dump(str(trig), format=ox.RdfFormat.TRIG)
    return len(store)


def time_queries(
    remotes: dict[str, Any], embedded: Any, args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Every stored query on every server: a warm-up run, then the median of
    `--repeat` runs unless the warm-up took longer than `--give-up` seconds (then
    that one run); the rows compared as RDF terms across servers."""
    from run import example_values

    from ctgraph.queries.library import KnowledgeGraph, load_queries

    library = load_queries()
    local = KnowledgeGraph(embedded, library)
    cache: dict[str, Any] = {}
    results = []
    for name, stored in library.items():
        values = example_values(local, stored, cache)
        entry: dict[str, Any] = {"query": name}
        answers = {}
        for kind, remote in remotes.items():
            kg = KnowledgeGraph(remote, library)
            try:
                started = time.perf_counter()
                answers[kind] = kg.query(name, **values)
                times = [time.perf_counter() - started]
                if times[0] <= args.give_up:
                    times = []
                    for _ in range(args.repeat):
                        started = time.perf_counter()
                        kg.query(name, **values)
                        times.append(time.perf_counter() - started)
                entry[kind] = statistics.median(times)
            except Exception as exc:  # noqa: BLE001 - recorded, not hidden
                entry[kind] = None
                entry[f"{kind}_error"] = str(exc)[:300]
        if len(answers) == len(remotes):
            rows = [Counter(a.rows) for a in answers.values()]
            entry["rows"] = len(next(iter(answers.values())).rows)
            entry["same_rows"] = all(r == rows[0] for r in rows)
        print(json.dumps(entry)[:300], file=sys.stderr, flush=True)
        results.append(entry)
    return results


def run_scale(scale: float, args: argparse.Namespace) -> dict[str, Any]:
    from ctgraph.graph import synthetic
    from ctgraph.store.backends import OxigraphBackend
    from ctgraph.store.publish import publish

    out: dict[str, Any] = {"scale": scale}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        nquads, trig = folder / "synthetic.nq", folder / "synthetic.trig"
        synthetic.write(nquads, scale, args.seed)
        out["triples"] = to_trig(nquads, trig)
        remotes, running = {}, []
        try:
            for kind in ("oxigraph", "virtuoso"):
                (folder / kind).mkdir()
                server = start(kind, folder / kind, args.query_timeout)
                running.append(server)
                out[f"{kind}_startup_s"] = server.startup_seconds
                started = time.perf_counter()
                report = publish(backend(kind, server, args.timeout), trig)
                out[f"{kind}_publish_s"] = time.perf_counter() - started
                out[f"{kind}_publish_ok"] = report.ok
                if not report.ok:
                    out[f"{kind}_publish_error"] = report.error
                remotes[kind] = backend(kind, server, args.query_timeout)
                print(json.dumps(out), file=sys.stderr, flush=True)
            if scale in args.query_scales:
                embedded = OxigraphBackend.from_trig(trig)
                out["queries"] = time_queries(remotes, embedded, args)
        finally:
            for server in running:
                server.stop()
    return out


def seconds(value: float | None) -> str:
    return "stopped" if value is None else f"{value:.3f} s"


def print_tables(results: list[dict[str, Any]], console: Console) -> None:
    table = Table(title="servers: start, publish")
    for column in ("scale", "triples", "server", "start", "publish"):
        table.add_column(column)
    for r in results:
        for kind in ("oxigraph", "virtuoso"):
            table.add_row(
                f"x{r['scale']:g}",
                f"{r['triples']:,}",
                kind,
                seconds(r.get(f"{kind}_startup_s")),
                seconds(r.get(f"{kind}_publish_s"))
                + ("" if r.get(f"{kind}_publish_ok") else " (not ok)"),
            )
    console.print(table)
    for r in results:
        if "queries" not in r:
            continue
        table = Table(title=f"stored queries at x{r['scale']:g} (median)")
        for column in ("query", "Oxigraph server", "Virtuoso", "rows", "same rows"):
            table.add_column(column)
        for q in r["queries"]:
            table.add_row(
                q["query"],
                seconds(q.get("oxigraph")),
                seconds(q.get("virtuoso")),
                str(q.get("rows", "")),
                {True: "yes", False: "NO"}.get(q.get("same_rows"), "-"),
            )
        console.print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10,100")
    parser.add_argument("--query-scales", default="10")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0, help="for uploads")
    parser.add_argument("--query-timeout", type=float, default=20.0)
    parser.add_argument("--give-up", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    args.query_scales = {float(s) for s in args.query_scales.split(",")}
    results = [run_scale(float(s), args) for s in args.scales.split(",")]
    print_tables(results, Console())
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
