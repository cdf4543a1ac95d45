"""Benchmark ctgraph: the real build, and load / validation / stored queries on
synthetic graphs at several scales, on Oxigraph and rdflib, pySHACL and the fast
validator.

    python benchmarks/run.py --scales 1,10,100 --repeat 5 \
        --json benchmarks/results/latest.json

Each scale runs in its own child process, so its peak memory is its own: the
`resource.getrusage(RUSAGE_SELF).ru_maxrss` of that process (peak resident set
size, which counts Oxigraph's native memory too; tracemalloc would only see Python
objects). Times are medians over repeated runs (wall clock, `time.perf_counter`).
pySHACL and rdflib are skipped above the scales given by `--pyshacl-max-scale` and
`--rdflib-max-scale`, where they take minutes; the table says so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import select
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ctgraph", "rdflib", "pyshacl", "pyoxigraph", "rich", "pycountry")
#: the targets: a stored query's median on embedded Oxigraph at x10 and x100 (s),
#: validation at those scales (s), the real build (s), memory at x100 (MB)
QUERY_LIMITS = {10: 0.05, 100: 0.5}
VALIDATION_LIMITS = {10: 10.0, 100: 60.0}
BUILD_LIMIT = 0.6
MEMORY_LIMIT_MB = 4096
SPEEDUP_SCALE, SPEEDUP_MIN = 10, 10.0


def median_time(fn: Callable[[], Any], runs: int, give_up: float = 60.0):
    """Median wall time of `runs` calls (fewer when one call exceeds `give_up` s),
    and the last call's result."""
    times, result = [], None
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
        if times[-1] > give_up:
            break
    return statistics.median(times), len(times), result


def machine() -> dict[str, Any]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = None
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": packages,
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


# --- the real build -------------------------------------------------------------------


def real_build(repeat: int) -> dict[str, Any]:
    """`ctgraph build` as a user runs it (a new process: start-up and imports
    included), with each validator; and the pipeline's own time in-process."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for validator in ("fast", "pyshacl"):
            command = [
                sys.executable,
                "-m",
                "ctgraph",
                "build",
                "--out",
                tmp,
                "--validator",
                validator,
            ]
            runs = repeat if validator == "fast" else max(1, min(repeat, 3))

            def run(command: list[str] = command) -> None:
                subprocess.run(command, cwd=ROOT, check=True, capture_output=True)

            seconds, n, _ = median_time(run, runs)
            out[f"cli_{validator}_s"] = seconds
            out[f"cli_{validator}_runs"] = n
        from ctgraph import build as pipeline

        pipeline.build(write=False)  # warm: imports, pycountry tables
        stages: list[dict[str, float]] = []

        def build_once() -> Any:
            result = pipeline.build(out_dir=Path(tmp), write=True)
            stages.append(result.stages)
            return result

        seconds, n, result = median_time(build_once, repeat)
        out["pipeline_fast_s"] = seconds
        out["pipeline_runs"] = n
        out["stages"] = {
            name: statistics.median(s[name] for s in stages if name in s)
            for name in stages[-1]
        }
        out["triples"] = result.triples
        out["conforms"] = result.report.conforms
        out["commands"] = command_times(Path(tmp), repeat)
    return out


#: whole commands as a user types them, timed on the graph just built
COMMANDS = {
    "ctgraph --version": ["--version"],
    "ctgraph query compact-size-over-time --format csv": [
        "query",
        "compact-size-over-time",
        "--format",
        "csv",
    ],
}


def command_times(folder: Path, repeat: int) -> dict[str, dict[str, float]]:
    """Each command's wall and CPU time in a new process (start-up and imports
    included): the median of `repeat` runs after a warm-up, from a folder whose
    build/ holds the real graph."""
    (folder / "build").mkdir(exist_ok=True)
    for name in ("ctgraph.trig", "ctgraph.ttl"):
        target = folder / "build" / name
        if not target.exists():
            target.symlink_to((folder / name).resolve())
    out = {}
    for label, arguments in COMMANDS.items():
        command = [sys.executable, "-m", "ctgraph", *arguments]
        walls, cpus = [], []
        for i in range(repeat + 1):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, cwd=folder, check=True, capture_output=True)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if i:  # the first run warms the disk cache (and a store, if any)
                walls.append(wall)
                cpus.append(
                    after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                )
        out[label] = {
            "wall_s": statistics.median(walls),
            "cpu_s": statistics.median(cpus),
        }
    return out


# --- one scale, in a child process ----------------------------------------------------


#: how many of a kind's busiest resources a parameter may try, and how many value
#: sets a query may try, before its benchmark gives up finding one with rows
CANDIDATES_PER_KIND = 25
MAX_TRIES = 40


def candidate_values(kg: Any, stored: Any, cache: dict[str, Any]) -> list[dict]:
    """Parameter value sets to try on this graph, best first, IRIs resolved: the
    example (or default) where it names something here, then, one parameter at a
    time, the busiest resources of the kind it names (text: words of the graph's
    labels). The benchmark times the first set that gives rows, so no query is
    timed answering nothing."""
    from rdflib import URIRef

    from ctgraph.namespaces import DERIVED_GRAPH
    from ctgraph.queries.lookup import KINDS, NAME_KINDS, PROLOGUE

    options: dict[str, list[Any]] = {}
    for param in stored.parameters:
        given = stored.example.get(param.name)
        if given is None and param.default is not None:
            given = list(param.default)  # a default must resolve here too
        found: list[Any] = []
        if param.type != "iri":
            if given is not None:
                found.append(given)
            if param.type in ("string", "lang") and param.required:
                found += label_words(kg, cache)
            if found:
                options[param.name] = found
            continue
        if given is None and not param.required:
            continue
        kind = param.refers or NAME_KINDS.get(param.name, "any")
        if given is not None:
            items = given if isinstance(given, list) else [given]
            try:
                resolved = [kg.resolve(kind, str(item)) for item in items]
                found.append(resolved if isinstance(given, list) else resolved[0])
            except Exception:
                pass  # the example names nothing in this graph
        if kind == "any":
            kind = "entity"  # the busiest resource of any kind is a class
        if kind not in cache:
            # busiest by what the sources state: the derived graph's pairs and
            # counts would rank the entities with most co-implementers first
            query = (
                PROLOGUE + f"SELECT ?s (COUNT(*) AS ?n) WHERE {{ {KINDS[kind].pattern} "
                f"GRAPH ?g {{ ?x ?p ?s }} FILTER(?g != {DERIVED_GRAPH.n3()}) }} "
                "GROUP BY ?s ORDER BY DESC(?n) STR(?s) "
                f"LIMIT {CANDIDATES_PER_KIND}"
            )
            cache[kind] = [URIRef(str(row[0])) for row in kg.backend.select(query).rows]
        found += [[iri] if param.multiple else iri for iri in cache[kind]]
        if found:
            options[param.name] = found
    first = {name: found[0] for name, found in options.items()}
    sets = [first]
    for name, found in options.items():
        sets += [{**first, name: other} for other in found[1:]]
    # an optional parameter's example may name nothing at this scale (a date after
    # every report of a small graph): the query without it
    without = [
        {k: v for k, v in first.items() if k != param.name}
        for param in stored.parameters
        if not param.required and param.name in first
    ]
    return sets[: MAX_TRIES - len(without)] + without


def label_words(kg: Any, cache: dict[str, Any]) -> list[str]:
    """Words of the graph's English labels, the most frequent first."""
    if "words" not in cache:
        rows = kg.backend.select(
            "SELECT ?w (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2000/01/"
            'rdf-schema#label> ?l FILTER(LANG(?l) = "en") '
            'BIND(LCASE(STRBEFORE(CONCAT(STR(?l), " "), " ")) AS ?w) '
            "FILTER(STRLEN(?w) >= 4) } GROUP BY ?w ORDER BY DESC(?n) ?w LIMIT 5"
        ).rows
        cache["words"] = [str(row[0]) for row in rows]
    return cache["words"]


def encode(values: dict[str, Any]) -> dict[str, Any]:
    """Parameter values as JSON, IRIs marked as such."""
    from rdflib import URIRef

    def one(value: Any) -> Any:
        if isinstance(value, URIRef):
            return {"iri": str(value)}
        return value if isinstance(value, (str, int, float, bool)) else str(value)

    return {
        k: [one(v) for v in value] if isinstance(value, list) else one(value)
        for k, value in values.items()
    }


def decode(values: dict[str, Any]) -> dict[str, Any]:
    from rdflib import URIRef

    def one(value: Any) -> Any:
        return URIRef(value["iri"]) if isinstance(value, dict) else value

    return {
        k: [one(v) for v in value] if isinstance(value, list) else one(value)
        for k, value in values.items()
    }


def load_backend(engine: str, data: Path) -> Any:
    """The synthetic N-Quads in memory on one engine."""
    import pyoxigraph as ox
    from rdflib import Dataset

    from ctgraph.store.backends import OxigraphBackend, RdflibBackend

    if engine == "oxigraph":
        backend = OxigraphBackend()
        backend.store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        return backend
    backend = RdflibBackend(Dataset())
    backend.dataset.parse(str(data), format="nquads")
    return backend


def worker_main(args: argparse.Namespace) -> None:
    """Answer `{"name", "values"}` lines with `{"seconds", "rows"}` lines."""
    from ctgraph.queries.library import KnowledgeGraph

    # in this process, unbounded: the benchmark times the engine and stops a
    # query at its own limit by ending this worker
    kg = KnowledgeGraph(
        load_backend(args.query_worker, Path(args.data)), isolated=False
    )
    print("ready", flush=True)
    for line in sys.stdin:
        task = json.loads(line)
        started = time.perf_counter()
        try:
            table = kg.query(task["name"], **decode(task["values"]))
            reply = {"seconds": time.perf_counter() - started, "rows": len(table.rows)}
            if args.query_worker == "oxigraph":
                reply["engine_seconds"] = engine_only(kg, task)
        except Exception as exc:  # reported in the results, never fatal
            reply = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        print(json.dumps(reply), flush=True)


def engine_only(kg: Any, task: dict[str, Any]) -> float:
    """The same query on Oxigraph with its solutions read but not converted to
    rdflib terms: the engine's share of the time, to measure the project's own."""
    from ctgraph.store.backends import bind_values

    stored = kg.stored(task["name"])
    bindings = stored.bindings(decode(task["values"]), kg.resolver)
    text = bind_values(stored.text, bindings)
    started = time.perf_counter()
    result = kg.backend.store.query(text, use_default_graph_as_union=True)
    for solution in result:
        tuple(solution)
    return time.perf_counter() - started


class QueryWorker:
    """One engine with the graph loaded, in a process of its own: engines cannot
    interrupt a query, so one that runs past the time limit is stopped by ending
    the process, and a new one is started for the next query."""

    def __init__(self, engine: str, data: Path) -> None:
        self.engine, self.data = engine, data
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> subprocess.Popen[str]:
        if self.process is None:
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--query-worker",
                self.engine,
                "--data",
                str(self.data),
            ]
            self.process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            assert self.process.stdout is not None
            if self.process.stdout.readline().strip() != "ready":
                raise RuntimeError(f"the {self.engine} query worker did not start")
        return self.process

    def run(self, name: str, values: dict[str, Any], timeout: float) -> dict | None:
        """One run's reply, or None when it took longer than `timeout` seconds."""
        process = self.start()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps({"name": name, "values": values}) + "\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        if not ready:
            self.close()
            return None
        return json.loads(process.stdout.readline())

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def time_query(
    worker: QueryWorker, name: str, values: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    """A warm-up run, then the median of `--repeat` runs (one, if slow)."""
    first = worker.run(name, values, args.query_timeout)
    if first is None:
        return {"timeout": args.query_timeout}
    if "error" in first:
        return first
    replies = [first]
    if first["seconds"] <= args.give_up:
        replies = []
        for _ in range(args.repeat):
            reply = worker.run(name, values, args.query_timeout)
            if reply is None or "error" in reply:
                return reply or {"timeout": args.query_timeout}
            replies.append(reply)
    out = {
        "seconds": statistics.median(r["seconds"] for r in replies),
        "runs": len(replies),
        "rows": first["rows"],
    }
    if "engine_seconds" in first:
        out["engine_seconds"] = statistics.median(r["engine_seconds"] for r in replies)
    return out


def run_scale(args: argparse.Namespace, scale: float) -> dict[str, Any]:
    from ctgraph.graph import synthetic
    from ctgraph.graph.dataset import union
    from ctgraph.validation.shacl import validate, validate_store

    heavy = args.heavy_repeat
    out: dict[str, Any] = {"scale": scale}
    use_rdflib = scale <= args.rdflib_max_scale
    use_pyshacl = scale <= args.pyshacl_max_scale and use_rdflib
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"synthetic-x{scale:g}.nq"
        started = time.perf_counter()
        data = synthetic.write(path, scale, args.seed)
        out["generate_s"] = time.perf_counter() - started
        out["quads"] = data.quads
        out["counts"] = dict(data.counts)

        out["load_oxigraph_s"], _, oxigraph = median_time(
            lambda: load_backend("oxigraph", path), heavy
        )
        out["derive"] = derive_facts(oxigraph, path)
        rdflib_backend = None
        out["load_rdflib_s"] = None
        if use_rdflib:
            out["load_rdflib_s"], _, rdflib_backend = median_time(
                lambda: load_backend("rdflib", path), heavy
            )
        seconds, n, report = median_time(lambda: validate_store(oxigraph.store), heavy)
        out["validate_fast_s"], out["validate_fast_runs"] = seconds, n
        out["violations_fast"] = len(report.violations)
        out["validate_pyshacl_s"] = None
        if use_pyshacl:
            merged = union(rdflib_backend.dataset)  # type: ignore[union-attr]
            seconds, n, report = median_time(
                lambda: validate(merged, with_ontology=False, validator="pyshacl"),
                heavy,
            )
            out["validate_pyshacl_s"], out["validate_pyshacl_runs"] = seconds, n
            out["violations_pyshacl"] = len(report.violations)
            out["differential"] = differential(scale, args.seed)
            del merged
        del rdflib_backend  # the rdflib query worker loads its own copy
        out["queries"] = run_queries(args, oxigraph, path, use_rdflib)
        if args.servers:
            import remote

            timed = isinstance(out["queries"], list)
            queried = scale in args.server_query_scales and timed
            queries = out["queries"] if queried else None
            out["servers"] = remote.measure(path, scale, oxigraph, queries, args)
    # ru_maxrss is in KiB on Linux; the query workers are waited-for children
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["peak_rss_query_workers_mb"] = (
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    )
    return out


def derive_facts(oxigraph: Any, path: Path) -> dict[str, Any]:
    """The build's derivation rules (queries/rules/) on the loaded graph, as the
    build runs them on the real one, timed; their output is added to the N-Quads
    file, so every engine, worker and server loading it gets the derived facts."""
    import pyoxigraph as ox

    from ctgraph.queries.rules import derive

    started = time.perf_counter()
    derivation = derive(oxigraph.store)
    seconds = time.perf_counter() - started
    with path.open("ab") as handle:
        ox.serialize(derivation.quads, handle, ox.RdfFormat.N_QUADS)
    return {
        "seconds": seconds,
        "triples": len(derivation.quads),
        "rules": derivation.seconds,
    }


def differential(scale: float, seed: int) -> dict[str, Any]:
    """Both validators on the same graph with every kind of violation injected."""
    from ctgraph.graph import synthetic
    from ctgraph.graph.dataset import union
    from ctgraph.validation.shacl import validate, validate_store

    data = synthetic.generate(scale, seed, violations=1)
    merged = union(synthetic.load_dataset(data))
    started = time.perf_counter()
    reference = validate(merged, with_ontology=False, validator="pyshacl")
    pyshacl_s = time.perf_counter() - started
    started = time.perf_counter()
    fast = validate_store(synthetic.load_store(data))
    fast_s = time.perf_counter() - started
    return {
        "injected": sum(data.expected.values()),
        "pyshacl_violations": len(reference.violations),
        "fast_violations": len(fast.violations),
        "same_report": fast.violations == reference.violations,
        "pyshacl_s": pyshacl_s,
        "fast_s": fast_s,
    }


def run_queries(
    args: argparse.Namespace, oxigraph: Any, data: Path, use_rdflib: bool
) -> list[dict[str, Any]] | dict[str, str]:
    try:
        from ctgraph.queries.library import KnowledgeGraph, load_queries
    except ImportError:
        return {"skipped": "no stored queries in this version"}
    stored_queries = load_queries()
    kg = KnowledgeGraph(oxigraph, stored_queries, isolated=False)
    engines = ["oxigraph", "rdflib"] if use_rdflib else ["oxigraph"]
    workers = {engine: QueryWorker(engine, data) for engine in engines}
    cache: dict[str, Any] = {}
    results = []
    try:
        for name, stored in sorted(stored_queries.items()):
            if args.only and name not in args.only.split(","):
                continue
            entry: dict[str, Any] = {"name": name}
            try:
                values = pick_values(workers["oxigraph"], kg, stored, cache, args)
            except Exception as exc:  # reported in the results, never fatal
                entry["error"] = f"{type(exc).__name__}: {exc}"[:300]
                results.append(entry)
                continue
            entry["params"] = {k: str(v) for k, v in values.items()}
            entry["values"] = encode(values)  # for the servers, as chosen here
            for engine, worker in workers.items():
                timed = time_query(worker, name, encode(values), args)
                for key, value in timed.items():
                    entry[f"{engine}_{key}" if key != "error" else "error"] = value
            if entry.get("oxigraph_rows") == 0:
                entry["error"] = "no rows with any parameter values tried"
            if "rdflib_rows" in entry and "oxigraph_rows" in entry:
                entry["same_rows"] = entry["rdflib_rows"] == entry["oxigraph_rows"]
            results.append(entry)
    finally:
        for worker in workers.values():
            worker.close()
    return results


def pick_values(
    worker: QueryWorker,
    kg: Any,
    stored: Any,
    cache: dict[str, Any],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """The first candidate value set that gives rows on Oxigraph (tried in the
    worker, under the time limit); the first one if none does."""
    sets = candidate_values(kg, stored, cache)
    if len(sets) == 1:
        return sets[0]  # nothing to choose: its timed runs report its rows
    for values in sets:
        reply = worker.run(stored.name, encode(values), args.query_timeout)
        if reply is None or reply.get("rows", 0) > 0:
            return values  # rows, or too slow to keep trying
    return sets[0]


def child_main(args: argparse.Namespace) -> None:
    result = run_scale(args, args.child_scale)
    Path(args.child_out).write_text(json.dumps(result))


# --- the parent: every scale, the tables, the targets ---------------------------------


def run_child(args: argparse.Namespace, scale: float) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        target = Path(handle.name)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child-scale",
        str(scale),
        "--child-out",
        str(target),
        "--repeat",
        str(args.repeat),
        "--heavy-repeat",
        str(args.heavy_repeat),
        "--seed",
        str(args.seed),
        "--pyshacl-max-scale",
        str(args.pyshacl_max_scale),
        "--rdflib-max-scale",
        str(args.rdflib_max_scale),
        "--give-up",
        str(args.give_up),
        "--query-timeout",
        str(args.query_timeout),
        *remote_options(args),
    ]
    if args.only:
        command += ["--only", args.only]
    try:
        subprocess.run(command, cwd=ROOT, check=True)
        return json.loads(target.read_text())
    finally:
        target.unlink(missing_ok=True)


def remote_options(args: argparse.Namespace) -> list[str]:
    """The `--servers` options, passed on to a scale's child process."""
    if not args.servers:
        return []
    return [
        "--servers",
        ",".join(args.servers),
        "--server-query-scales",
        ",".join(f"{s:g}" for s in args.server_query_scales),
        "--server-query-timeout",
        str(args.server_query_timeout),
        "--publish-timeout",
        str(args.publish_timeout),
    ]


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def add(target: str, value: float | None, limit: float, below: bool = True):
        met = None if value is None else (value < limit if below else value >= limit)
        found.append({"target": target, "value": value, "limit": limit, "met": met})

    build = results.get("real_build")
    if build:
        add(
            "real data `ctgraph build` incl. validation (s)",
            build["cli_fast_s"],
            BUILD_LIMIT,
        )
    for scale in results["scales"]:
        x = scale["scale"]
        queries = scale["queries"] if isinstance(scale["queries"], list) else []
        timed = [q for q in queries if took(q, "oxigraph") is not None]
        if x in QUERY_LIMITS and timed:
            worst = max(timed, key=lambda q: took(q, "oxigraph") or 0)
            stopped = (
                " stopped at the time limit" if "oxigraph_timeout" in worst else ""
            )
            add(
                f"slowest stored query on Oxigraph at x{x:g} "
                f"({worst['name']}{stopped}) (s)",
                took(worst, "oxigraph"),
                QUERY_LIMITS[x],
            )
        if x == SPEEDUP_SCALE:
            pairs = [q for q in timed if took(q, "rdflib") is not None]
            if pairs:
                least = min(pairs, key=lambda q: speedup(q) or 0)
                add(
                    f"smallest Oxigraph speed-up over rdflib at x{x:g} "
                    f"({least['name']}) (times)",
                    speedup(least),
                    SPEEDUP_MIN,
                    below=False,
                )
        if x in VALIDATION_LIMITS:
            add(
                f"fast validation at x{x:g} (s)",
                scale["validate_fast_s"],
                VALIDATION_LIMITS[x],
            )
        if x == 100:
            add(
                "peak memory at x100 (MB, ru_maxrss, largest process)",
                peak_mb(scale),
                MEMORY_LIMIT_MB,
            )
    return found


def peak_mb(scale: dict[str, Any]) -> float:
    """The largest process of a scale: the one that loads and validates, or a query
    worker (a worker's figure may include its parent's pages at fork time, so it
    errs high)."""
    return max(scale["peak_rss_mb"], scale.get("peak_rss_query_workers_mb", 0))


def took(query: dict[str, Any], engine: str) -> float | None:
    """A query's median time on an engine; its time limit if it was stopped."""
    if f"{engine}_timeout" in query:
        return query[f"{engine}_timeout"]
    return query.get(f"{engine}_seconds")


def speedup(query: dict[str, Any]) -> float | None:
    """rdflib's time over Oxigraph's (a lower bound if rdflib was stopped)."""
    ox_time, rdflib_time = took(query, "oxigraph"), took(query, "rdflib")
    if ox_time is None or rdflib_time is None or "oxigraph_timeout" in query:
        return None
    return rdflib_time / max(ox_time, 1e-6)


def seconds(value: float | None, missing: str = "skipped") -> str:
    """A time as the tables print it; a missing one says why."""
    from tables import seconds as formatted

    return formatted(value, missing)


def shown(query: dict[str, Any], engine: str) -> str:
    from tables import took as cell

    return cell(query, engine) if took(query, engine) is not None else seconds(None)


def print_tables(results: dict[str, Any], console: Console) -> None:
    m = results["machine"]
    console.print(
        f"machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}, "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
    )
    build = results.get("real_build")
    if build:
        table = Table(title="real data build (median)")
        for column in (
            "triples",
            "ctgraph build (fast)",
            "ctgraph build (pyshacl)",
            "pipeline in-process (fast)",
        ):
            table.add_column(column, justify="right")
        table.add_row(
            str(build["triples"]),
            seconds(build["cli_fast_s"]),
            seconds(build["cli_pyshacl_s"]),
            seconds(build["pipeline_fast_s"]),
        )
        console.print(table)
    settings = results["settings"]
    rdflib_note = f"skipped (> x{settings['rdflib_max_scale']:g})"
    pyshacl_note = f"skipped (> x{settings['pyshacl_max_scale']:g})"
    table = Table(title="synthetic graphs: generate, load, validate (median)")
    for column in (
        "scale",
        "quads",
        "generate",
        "load Oxigraph",
        "derived facts",
        "load rdflib",
        "validate fast",
        "validate pySHACL",
        "violations",
        "fast = pySHACL (injected)",
        "peak RSS",
    ):
        table.add_column(column, justify="right")
    for s in results["scales"]:
        diff = s.get("differential")
        same = (
            f"{'yes' if diff['same_report'] else 'NO'} ({diff['fast_violations']})"
            if diff
            else "-"
        )
        table.add_row(
            f"x{s['scale']:g}",
            f"{s['quads']:,}",
            seconds(s["generate_s"]),
            seconds(s["load_oxigraph_s"]),
            seconds(s["derive"]["seconds"]) if "derive" in s else "-",
            seconds(s["load_rdflib_s"], rdflib_note),
            seconds(s["validate_fast_s"]),
            seconds(s["validate_pyshacl_s"], pyshacl_note),
            str(s["violations_fast"]),
            same,
            f"{peak_mb(s):.0f} MB",
        )
    console.print(table)
    scales = [s for s in results["scales"] if isinstance(s["queries"], list)]
    if scales:
        table = Table(title="stored queries, median per run: Oxigraph / rdflib")
        table.add_column("query")
        for s in scales:
            table.add_column(f"x{s['scale']:g}", justify="right")
        names = sorted({q["name"] for s in scales for q in s["queries"]})
        for name in names:
            cells = []
            for s in scales:
                q = next((q for q in s["queries"] if q["name"] == name), None)
                if q is None or "error" in q:
                    cells.append("error" if q else "-")
                    continue
                cell = shown(q, "oxigraph")
                if took(q, "rdflib") is not None:
                    cell += f" / {shown(q, 'rdflib')}"
                    ratio = speedup(q)
                    if ratio is not None:
                        bound = ">=" if "rdflib_timeout" in q else ""
                        cell += f" ({bound}{ratio:.0f}x)"
                    if not q.get("same_rows", True):
                        cell += " rows differ"
                else:
                    cell += " / " + rdflib_note
                cells.append(cell)
            table.add_row(name, *cells)
        console.print(table)
    else:
        for s in results["scales"]:
            console.print(f"x{s['scale']:g} queries: {s['queries']}")
    table = Table(title="targets")
    for column in ("target", "value", "limit", "met"):
        table.add_column(column)
    for t in results["targets"]:
        value = "-" if t["value"] is None else f"{t['value']:.3g}"
        met = {True: "yes", False: "NO", None: "-"}[t["met"]]
        table.add_row(t["target"], value, f"{t['limit']:g}", met)
    console.print(table)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scales",
        default="1,10,100",
        help="comma-separated scale factors (x1 = the real data's size)",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per query and per build (median)"
    )
    parser.add_argument(
        "--heavy-repeat",
        type=int,
        default=3,
        help="runs per load and per validation (median)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pyshacl-max-scale", type=float, default=1)
    parser.add_argument("--rdflib-max-scale", type=float, default=10)
    parser.add_argument(
        "--give-up",
        type=float,
        default=30.0,
        help="stop repeating a run that takes longer than this (s)",
    )
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=60.0,
        help="a query run longer than this (s) is stopped and reported as such",
    )
    parser.add_argument(
        "--no-real-build", action="store_true", help="skip timing the real data build"
    )
    parser.add_argument(
        "--only", help="comma-separated stored query names: time only these"
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument(
        "--servers",
        default="",
        help="also publish to and query these SPARQL servers (oxigraph,virtuoso)",
    )
    parser.add_argument(
        "--server-query-scales",
        default="10",
        help="the scales at which the stored queries run on the servers",
    )
    parser.add_argument("--server-query-timeout", type=float, default=20.0)
    parser.add_argument(
        "--publish-timeout", type=float, default=3600.0, help="per upload (s)"
    )
    parser.add_argument("--child-scale", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    parser.add_argument("--query-worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.servers = [s for s in args.servers.split(",") if s]
    unknown = sorted(set(args.servers) - {"oxigraph", "virtuoso"})
    if unknown:
        parser.error(f"--servers: unknown server(s) {', '.join(unknown)}")
    args.server_query_scales = {float(s) for s in args.server_query_scales.split(",")}
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    if args.query_worker is not None:
        worker_main(args)
        return {}
    if args.child_scale is not None:
        child_main(args)
        return {}
    console = Console(width=None if sys.stdout.isatty() else 150)
    results: dict[str, Any] = {
        "machine": machine(),
        "settings": {
            "scales": [float(s) for s in args.scales.split(",")],
            "repeat": args.repeat,
            "heavy_repeat": args.heavy_repeat,
            "seed": args.seed,
            "pyshacl_max_scale": args.pyshacl_max_scale,
            "rdflib_max_scale": args.rdflib_max_scale,
            "servers": args.servers,
        },
        "memory": "ru_maxrss of the process running the scale (peak resident set size)",
        "time": "wall clock, time.perf_counter; medians",
    }
    started = time.perf_counter()
    if not args.no_real_build:
        console.print("timing the real data build ...")
        results["real_build"] = real_build(args.repeat)
    results["scales"] = []
    for scale in results["settings"]["scales"]:
        console.print(f"scale x{scale:g} ...")
        results["scales"].append(run_child(args, scale))
    results["targets"] = targets(results)
    results["seconds"] = time.perf_counter() - started
    print_tables(results, console)
    if args.servers:
        import remote

        remote.print_tables(results, console)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        console.print(f"wrote {args.json}")
    failed = failures(results)
    for problem in failed:
        console.print(
            f"error: {problem}", style="bold red", markup=False, soft_wrap=True
        )
    if failed:
        raise SystemExit(1)
    return results


def failures(results: dict[str, Any]) -> list[str]:
    """Queries whose times say nothing: no rows, an error, or rows that differ
    between the engines."""
    found = []
    for scale in results["scales"]:
        for q in scale["queries"] if isinstance(scale["queries"], list) else []:
            where = f"x{scale['scale']:g} {q['name']}"
            if "error" in q:
                found.append(f"{where}: {q['error']} (parameters {q.get('params')})")
            elif not q.get("same_rows", True):
                found.append(f"{where}: the engines gave different row counts")
    return found


if __name__ == "__main__":
    main()
