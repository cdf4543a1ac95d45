"""The remote column of the benchmark (`run.py --servers oxigraph,virtuoso`): each
tested SPARQL server started fresh on loopback ports (by the test suite's launchers
in tests/servers.py), the synthetic graph published to it by `ctgraph publish`'s
code, then, at the scales given by `--server-query-scales`, every stored query timed
there with the parameter values the embedded benchmark chose, its rows compared as
RDF terms with the embedded store's.

Times are wall clock (`time.perf_counter`): server start until its SPARQL endpoint
answers; publication (staging uploads, the switch, the size check); per query a
warm-up run and the median of `--repeat` runs over HTTP, results parsed (one run
when the warm-up took over `--give-up` s; none past `--server-query-timeout`).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: the servers the test suite starts, in the order they are measured
KINDS = ("oxigraph", "virtuoso")


def start(kind: str, folder: Path, query_timeout: float) -> Any:
    """A fresh server of `kind` with its data in `folder`; Oxigraph stops a query
    after `query_timeout` s (Virtuoso after its ini's MaxQueryExecutionTime)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import servers

    if kind == "oxigraph":
        started = time.perf_counter()
        server = servers.launch(folder, "--timeout-s", f"{query_timeout:g}")
        server.startup_seconds = time.perf_counter() - started
        return server
    if servers.virtuoso_binary() is None:
        raise RuntimeError(servers.VIRTUOSO_MISSING)
    return servers.launch_virtuoso(folder)


def to_trig(nquads: Path, trig: Path) -> int:
    """The synthetic N-Quads as TriG, the file `ctgraph publish` reads."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.dump(str(trig), format=ox.RdfFormat.TRIG)
    return len(store)


def time_one(kg: Any, name: str, values: dict[str, Any], args: Any) -> dict[str, Any]:
    """A warm-up run, then the median of `--repeat` runs (one, if slow)."""
    try:
        started = time.perf_counter()
        table = kg.query(name, **values)
        times = [time.perf_counter() - started]
        if times[0] <= args.give_up:
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                kg.query(name, **values)
                times.append(time.perf_counter() - started)
    except Exception as exc:  # recorded, never fatal: the table shows it
        if "did not answer within" in str(exc) or "time limit" in str(exc):
            return {"timeout": args.server_query_timeout}
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return {
        "seconds": statistics.median(times),
        "runs": len(times),
        "rows": Counter(table.rows),
    }


def time_queries(
    remotes: dict[str, Any], embedded: Any, queries: list[dict[str, Any]], args: Any
) -> None:
    """Every stored query the embedded benchmark timed, on every server, with the
    same parameter values; adds `<server>_server_*` keys to each entry and
    `servers_same_rows` (every server gave the embedded store's rows)."""
    from run import decode

    from ctgraph.queries.library import KnowledgeGraph

    local = KnowledgeGraph(embedded, isolated=False)
    graphs = {kind: KnowledgeGraph(remote) for kind, remote in remotes.items()}
    for entry in queries:
        if "values" not in entry:
            continue
        values = decode(entry["values"])
        expected = Counter(local.query(entry["name"], **values).rows)
        same = True
        for kind, kg in graphs.items():
            timed = time_one(kg, entry["name"], values, args)
            rows = timed.pop("rows", None)
            if rows is not None:
                timed["rows"] = sum(rows.values())
                timed["same_rows"] = rows == expected
            same = same and bool(timed.get("same_rows"))
            for key, value in timed.items():
                entry[f"{kind}_server_{key}"] = value
        entry["servers_same_rows"] = same
        print(
            f"  {entry['name']}: "
            + ", ".join(
                f"{kind} {entry.get(f'{kind}_server_seconds')}" for kind in graphs
            ),
            file=sys.stderr,
            flush=True,
        )


def measure(
    nquads: Path,
    scale: float,
    embedded: Any,
    queries: list[dict[str, Any]] | None,
    args: Any,
) -> dict[str, Any]:
    """Start, publish to and (when `queries` is given) query each server in
    `args.servers`, one after the other; every server is stopped before return."""
    from ctgraph.store.publish import publish

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        trig = folder / "synthetic.trig"
        triples = to_trig(nquads, trig)
        remotes, running = {}, []
        try:
            for kind in args.servers:
                (folder / kind).mkdir()
                server = start(kind, folder / kind, args.server_query_timeout)
                running.append(server)
                started = time.perf_counter()
                report = publish(server.backend(timeout=args.publish_timeout), trig)
                out[kind] = {
                    "triples": triples,
                    "startup_s": server.startup_seconds,
                    "publish_s": time.perf_counter() - started,
                    "publish_ok": report.ok,
                }
                if not report.ok:
                    out[kind]["publish_error"] = report.error
                else:
                    remotes[kind] = server.backend(timeout=args.server_query_timeout)
                print(f"  x{scale:g} {kind}: {out[kind]}", file=sys.stderr, flush=True)
            if queries is not None and remotes:
                time_queries(remotes, embedded, queries, args)
        finally:
            for server in running:
                server.stop()
    return out


def shown(query: dict[str, Any], kind: str) -> str:
    """A query's median on one server, or why there is none, for the terminal."""
    from tables import server_cell

    return server_cell(query, kind, differ=" rows differ")


def print_tables(results: dict[str, Any], console: Any) -> None:
    """The servers' start and publish times per scale, and their query medians
    beside the embedded store's."""
    from rich.table import Table
    from tables import seconds

    kinds = results["settings"]["servers"]
    table = Table(title="SPARQL servers: start (new store), publish")
    for column in ("scale", "triples", "server", "start", "publish"):
        table.add_column(column, justify="right")
    for s in results["scales"]:
        for kind, done in s.get("servers", {}).items():
            table.add_row(
                f"x{s['scale']:g}",
                f"{done['triples']:,}",
                kind,
                seconds(done["startup_s"]),
                seconds(done["publish_s"]) + ("" if done["publish_ok"] else " failed"),
            )
    console.print(table)
    for s in results["scales"]:
        queries = s["queries"] if isinstance(s["queries"], list) else []
        if not any("servers_same_rows" in q for q in queries):
            continue
        table = Table(title=f"stored queries at x{s['scale']:g}, median per run")
        table.add_column("query")
        for column in ("embedded Oxigraph", *(f"{k} server" for k in kinds), "rows"):
            table.add_column(column, justify="right")
        for q in queries:
            table.add_row(
                q["name"],
                seconds(q.get("oxigraph_seconds"), "-"),
                *(shown(q, kind) for kind in kinds),
                str(q.get("oxigraph_rows", "-")),
            )
        console.print(table)
