"""One machine's ceiling: the synthetic graph at a large scale (x1000 is about 15M
quads) generated, loaded into an on-disk Oxigraph store, validated, and every stored
query run on it embedded and on Oxigraph's server (`oxigraph serve-read-only` on the
same store), each step with its wall time and peak memory. Not part of CI: it takes
tens of minutes.

    python benchmarks/ceiling.py --scale 1000 --work /tmp/ceiling \
        --json docs/ceiling.json

Each step runs in a process of its own, so its peak memory is its own
(`ru_maxrss`, which counts Oxigraph's native memory). A query is run once to warm
the store's caches and once timed (the warm-up alone when it took over
`--give-up` s); one past `--query-timeout` is stopped (its worker ended) and
reported as such. Parameter values are chosen as `run.py` chooses them, the first
set that gives rows among at most `--tries`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks")]

import run  # noqa: E402  (the benchmark's parameter choice and JSON encoding)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --- the steps, each in its own process -------------------------------------------


def step_generate(args: argparse.Namespace) -> dict[str, Any]:
    from ctgraph.graph import synthetic

    started = time.perf_counter()
    data = synthetic.write(Path(args.nquads), args.scale, args.seed)
    return {
        "seconds": time.perf_counter() - started,
        "quads": data.quads,
        "bytes": Path(args.nquads).stat().st_size,
    }


def step_load(args: argparse.Namespace) -> dict[str, Any]:
    import pyoxigraph as ox

    shutil.rmtree(args.store, ignore_errors=True)
    started = time.perf_counter()
    store = ox.Store(args.store)
    store.bulk_load(path=args.nquads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - started
    quads = len(store)
    del store
    size = sum(f.stat().st_size for f in Path(args.store).rglob("*") if f.is_file())
    return {"seconds": seconds, "quads": quads, "store_bytes": size}


def step_derive(args: argparse.Namespace) -> dict[str, Any]:
    """The build's derivation rules (queries/rules/) on the loaded store, as the
    build runs them on the real graph: the stored queries read their facts."""
    import pyoxigraph as ox

    from ctgraph.queries.rules import derive

    store = ox.Store(args.store)
    started = time.perf_counter()
    derivation = derive(store)
    store.flush()
    return {
        "seconds": time.perf_counter() - started,
        "triples": len(derivation.quads),
        "rules": derivation.seconds,
    }


def step_validate(args: argparse.Namespace) -> dict[str, Any]:
    import pyoxigraph as ox

    from ctgraph.validation.shacl import validate_store

    store = ox.Store.read_only(args.store)
    started = time.perf_counter()
    report = validate_store(store)
    return {
        "seconds": time.perf_counter() - started,
        "violations": len(report.violations),
    }


def open_graph(where: str, timeout: float) -> Any:
    """The graph on a store folder (embedded) or an endpoint URL (the server),
    queries run in this process."""
    from ctgraph.queries.library import KnowledgeGraph
    from ctgraph.store.backends import OxigraphBackend

    if where.startswith("http"):
        from ctgraph.store.remote import RemoteBackend

        backend: Any = RemoteBackend(where, server_union=True, timeout=timeout)
    else:
        import pyoxigraph as ox

        backend = OxigraphBackend()
        backend.store = ox.Store.read_only(where)
    return KnowledgeGraph(backend, isolated=False)


def step_pick(args: argparse.Namespace) -> dict[str, Any]:
    """Candidate parameter sets for every stored query (from the embedded store)."""
    kg = open_graph(args.store, args.query_timeout)
    cache: dict[str, Any] = {}
    sets = {}
    for name, stored in sorted(kg.queries.items()):
        if args.only and name not in args.only:
            continue
        found = run.candidate_values(kg, stored, cache)[: args.tries]
        sets[name] = [run.encode(values) for values in found]
    return {"sets": sets}


def worker_main(args: argparse.Namespace) -> None:
    """Answer `{"name", "values"}` lines with `{"seconds", "rows"}` lines."""
    kg = open_graph(args.query_worker, args.query_timeout)
    print("ready", flush=True)
    for line in sys.stdin:
        task = json.loads(line)
        started = time.perf_counter()
        try:
            table = kg.query(task["name"], **run.decode(task["values"]))
            reply = {"seconds": time.perf_counter() - started, "rows": len(table.rows)}
        except Exception as exc:  # noqa: BLE001 - reported in the results
            reply = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        reply["peak_rss_mb"] = peak_mb()
        print(json.dumps(reply), flush=True)


class Worker:
    """A query process on one place (store folder or endpoint), ended and started
    again when a query runs past the time limit."""

    def __init__(self, where: str, args: argparse.Namespace) -> None:
        self.where, self.args = where, args
        self.process: subprocess.Popen[str] | None = None
        self.peak = 0.0

    def run(self, name: str, values: dict[str, Any]) -> dict[str, Any] | None:
        if self.process is None:
            command = [sys.executable, __file__, "--query-worker", self.where]
            command += ["--query-timeout", str(self.args.query_timeout)]
            self.process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            assert self.process.stdout is not None
            if self.process.stdout.readline().strip() != "ready":
                raise RuntimeError(f"the query worker on {self.where} did not start")
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"name": name, "values": values}) + "\n")
        self.process.stdin.flush()
        limit = self.args.query_timeout
        ready, _, _ = select.select([self.process.stdout], [], [], limit)
        if not ready:
            self.close()
            return None
        reply = json.loads(self.process.stdout.readline())
        self.peak = max(self.peak, reply.pop("peak_rss_mb"))
        return reply

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def time_queries(
    where: str, sets: dict[str, list[dict]], args: argparse.Namespace, log: Any
) -> tuple[list[dict[str, Any]], float]:
    """Each query: the first parameter set with rows, a warm-up, a timed run."""
    worker = Worker(where, args)
    results = []
    try:
        for name, candidates in sets.items():
            entry: dict[str, Any] = {"name": name}
            for values in candidates or [{}]:
                entry["params"] = values
                first = worker.run(name, values)
                if first is None or "error" in first or first["rows"] > 0:
                    break
            if first is None:
                entry["timeout"] = args.query_timeout
            elif "error" in first:
                entry["error"] = first["error"]
            elif first["seconds"] > args.give_up:
                entry.update(seconds=first["seconds"], rows=first["rows"], runs=1)
            else:
                timed = worker.run(name, values)
                if timed is None:
                    entry["timeout"] = args.query_timeout
                else:
                    entry.update(timed, runs=1)
            log(f"  {name}: {json.dumps(entry)[:200]}")
            results.append(entry)
    finally:
        worker.close()
    return results, worker.peak


def child(step: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one step in a new process; its result with the process's peak memory."""
    command = [sys.executable, __file__, "--step", step, "--work", str(args.work)]
    command += ["--scale", str(args.scale), "--seed", str(args.seed)]
    command += ["--query-timeout", str(args.query_timeout), "--tries", str(args.tries)]
    if args.only:
        command += ["--only", ",".join(sorted(args.only))]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(store: str, timeout: float) -> tuple[subprocess.Popen[bytes], str, float]:
    """`oxigraph serve-read-only` on the store, once it answers: the process, its
    query URL and the seconds it took to answer."""
    binary = Path(sys.executable).parent / "oxigraph"
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(binary), "serve-read-only", "--location", store, "--union-default-graph"]
        + ["--bind", f"127.0.0.1:{port}", "--timeout-s", f"{timeout:g}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve-read-only exited {process.returncode}")
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1) as reply:
                reply.read()
            return process, url, time.perf_counter() - started
        except OSError:
            time.sleep(0.2)


def server_peak_mb(pid: int) -> float:
    """The server's peak resident set (VmHWM), read before it stops."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def seconds(entry: dict[str, Any]) -> str:
    if "timeout" in entry:
        return f"stopped > {entry['timeout']:g} s"
    if "did not answer within" in entry.get("error", ""):  # the client's own limit
        return "stopped (client limit)"
    if "error" in entry:
        return "error"
    value = entry["seconds"]
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def tables(results: dict[str, Any]) -> str:
    """The run as Markdown: the steps, then every query on both."""
    mb = "peak_rss_mb"
    lines = [
        f"x{results['scale']:g}: {results['generate']['quads']:,} quads; load average "
        f"{results['load_average_start']} at the start, {results['load_average_end']} "
        f"at the end; {results['seconds'] / 60:.0f} minutes in all",
        "",
        "| step | time | peak memory |",
        "|---|---:|---:|",
        f"| generate (N-Quads, streamed) | {results['generate']['seconds']:.0f} s | "
        f"{results['generate'][mb]:,.0f} MB |",
        f"| load into an on-disk store | {results['load']['seconds']:.0f} s | "
        f"{results['load'][mb]:,.0f} MB |",
        *(
            [
                f"| derived facts (queries/rules/) | {results['derive']['seconds']:.0f}"
                f" s | {results['derive'][mb]:,.0f} MB |"
            ]
            if "derive" in results
            else []
        ),
        f"| validate (fast validator) | {results['validate']['seconds']:.0f} s | "
        f"{results['validate'][mb]:,.0f} MB |",
        f"| stored queries, embedded | - | {results['embedded_peak_rss_mb']:,.0f} MB |",
        f"| stored queries, server | - | {results.get('server_peak_rss_mb', 0):,.0f}"
        " MB (the server) |",
        "",
        "| query | embedded | server | rows |",
        "|---|---:|---:|---:|",
    ]
    server = {q["name"]: q for q in results.get("server", [])}
    for q in results["embedded"]:
        other = server.get(q["name"], {"error": "not run"})
        rows = q.get("rows", other.get("rows"))
        lines.append(
            f"| `{q['name']}` | {seconds(q)} | {seconds(other)} | "
            + (f"{rows:,}" if rows is not None else "-")
            + " |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ctgraph-ceiling"))
    parser.add_argument("--query-timeout", type=float, default=60.0)
    parser.add_argument("--give-up", type=float, default=5.0)
    parser.add_argument("--tries", type=int, default=3)
    parser.add_argument("--only", help="comma-separated stored query names")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--tables", type=Path, help="print a run's JSON as tables")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--query-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.only = set(args.only.split(",")) if args.only else set()
    args.nquads = str(args.work / "synthetic.nq")
    args.store = str(args.work / "store")
    if args.tables:
        print(tables(json.loads(args.tables.read_text())))
        return {}
    if args.query_worker:
        worker_main(args)
        return {}
    if args.step:
        steps = {
            "generate": step_generate,
            "load": step_load,
            "derive": step_derive,
            "validate": step_validate,
            "pick": step_pick,
        }
        out = steps[args.step](args)
        out["peak_rss_mb"] = peak_mb()
        print(json.dumps(out))
        return out

    def log(text: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} load {load_average()} {text}", flush=True)

    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": run.machine(), "scale": args.scale}
    results["load_average_start"] = load_average()
    started = time.perf_counter()
    for step in ("generate", "load", "derive", "validate", "pick"):
        log(f"{step} ...")
        results[step] = child(step, args)
        log(f"{step}: {json.dumps(results[step])[:300]}")
        if step == "load":
            Path(args.nquads).unlink()
    sets = results.pop("pick")["sets"]
    log("queries, embedded ...")
    results["embedded"], peak = time_queries(args.store, sets, args, log)
    results["embedded_peak_rss_mb"] = peak
    log("queries, server ...")
    process, url, startup = serve(args.store, args.query_timeout)
    try:
        results["server_startup_s"] = startup
        results["server"], _ = time_queries(url, sets, args, log)
        results["server_peak_rss_mb"] = server_peak_mb(process.pid)
    finally:
        process.terminate()
        process.wait()
    results["load_average_end"] = load_average()
    results["seconds"] = time.perf_counter() - started
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    log("done")
    print(tables(results))
    return results


if __name__ == "__main__":
    main()
