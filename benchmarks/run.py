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
#: the issue's targets: (key, description, limit)
QUERY_LIMITS = {10: 0.1, 100: 1.0}
VALIDATION_LIMITS = {10: 10.0, 100: 60.0}
BUILD_LIMIT = 3.0
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
        seconds, n, result = median_time(
            lambda: pipeline.build(out_dir=Path(tmp), write=True), repeat
        )
        out["pipeline_fast_s"] = seconds
        out["pipeline_runs"] = n
        out["triples"] = result.triples
        out["conforms"] = result.report.conforms
    return out


# --- one scale, in a child process ----------------------------------------------------


def example_values(kg: Any, stored: Any, cache: dict[str, Any]) -> dict[str, Any]:
    """Parameter values for a stored query on this graph: its example where it
    resolves here, else the busiest resource of the kind the parameter names."""
    from ctgraph.lookup import KINDS, NAME_KINDS, PROLOGUE
    from rdflib import URIRef

    values: dict[str, Any] = {}
    for param in stored.parameters:
        given = stored.example.get(param.name)
        if param.type != "iri":
            if given is not None:
                values[param.name] = given
            continue
        if given is None and param.default is not None:
            given = list(param.default)  # a default must resolve here too
        if given is None and not param.required:
            continue
        kind = param.refers or NAME_KINDS.get(param.name, "any")
        if kind == "any":
            kind = "entity"  # the busiest resource of any kind is a class
        try:
            if given is None:
                raise LookupError
            for item in given if isinstance(given, list) else [given]:
                kg.resolve(kind, str(item))
            values[param.name] = given
            continue
        except Exception:
            pass
        if kind not in cache:
            query = (
                PROLOGUE + f"SELECT ?s (COUNT(*) AS ?n) WHERE {{ {KINDS[kind].pattern} "
                "?x ?p ?s } GROUP BY ?s ORDER BY DESC(?n) STR(?s) LIMIT 1"
            )
            rows = kg.backend.select(query).rows
            cache[kind] = URIRef(str(rows[0][0])) if rows else None
        if cache[kind] is not None:
            values[param.name] = cache[kind]
    return values


def run_scale(args: argparse.Namespace, scale: float) -> dict[str, Any]:
    import pyoxigraph as ox

    from ctgraph import synthetic
    from ctgraph.graph import union
    from ctgraph.store import OxigraphBackend, RdflibBackend
    from ctgraph.validation import validate, validate_store

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

        def load_oxigraph() -> OxigraphBackend:
            backend = OxigraphBackend()
            backend.store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
            return backend

        out["load_oxigraph_s"], _, oxigraph = median_time(load_oxigraph, heavy)
        rdflib_backend = None
        if use_rdflib:

            def load_rdflib() -> RdflibBackend:
                from rdflib import Dataset

                backend = RdflibBackend(Dataset())
                backend.dataset.parse(str(path), format="nquads")
                return backend

            out["load_rdflib_s"], _, rdflib_backend = median_time(load_rdflib, heavy)
        else:
            out["load_rdflib_s"] = None
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
        out["queries"] = run_queries(args, oxigraph, rdflib_backend)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def differential(scale: float, seed: int) -> dict[str, Any]:
    """Both validators on the same graph with every kind of violation injected."""
    from ctgraph import synthetic
    from ctgraph.graph import union
    from ctgraph.validation import validate, validate_store

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


def run_queries(args: argparse.Namespace, oxigraph: Any, rdflib_backend: Any):
    try:
        from ctgraph.queries import KnowledgeGraph, load_queries
    except ImportError:
        return {"skipped": "no stored queries in this version (ctgraph.queries)"}
    stored_queries = load_queries()
    kg_ox = KnowledgeGraph(oxigraph, stored_queries)
    kg_rdflib = (
        KnowledgeGraph(rdflib_backend, stored_queries) if rdflib_backend else None
    )
    cache: dict[str, Any] = {}
    results = []
    for name, stored in sorted(stored_queries.items()):
        entry: dict[str, Any] = {"name": name}
        try:
            values = example_values(kg_ox, stored, cache)
            entry["params"] = {k: str(v) for k, v in values.items()}
            kg_ox.query(name, **values)  # warm up: parse, resolve names

            def on(kg: Any, name: str = name, values: dict = values) -> Any:
                return lambda: kg.query(name, **values)

            seconds, n, table = median_time(on(kg_ox), args.repeat, args.give_up)
            entry.update(oxigraph_s=seconds, oxigraph_runs=n, rows=len(table.rows))
            if kg_rdflib is not None:
                rows = entry["rows"]
                seconds, n, table = median_time(
                    on(kg_rdflib), args.repeat, args.give_up
                )
                entry.update(rdflib_s=seconds, rdflib_runs=n)
                entry["same_rows"] = len(table.rows) == rows
        except Exception as exc:  # a query that cannot run here is reported, not fatal
            entry["error"] = f"{type(exc).__name__}: {exc}"[:300]
        results.append(entry)
    return results


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
    ]
    try:
        subprocess.run(command, cwd=ROOT, check=True)
        return json.loads(target.read_text())
    finally:
        target.unlink(missing_ok=True)


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def add(target: str, value: float | None, limit: float, below: bool = True):
        met = None if value is None else (value < limit if below else value >= limit)
        found.append({"target": target, "value": value, "limit": limit, "met": met})

    build = results.get("real_build")
    if build:
        add("real data `ctgraph build` incl. validation (s)", build["cli_fast_s"], 3.0)
    for scale in results["scales"]:
        x = scale["scale"]
        queries = scale["queries"] if isinstance(scale["queries"], list) else []
        timed = [q for q in queries if "oxigraph_s" in q]
        if x in QUERY_LIMITS and timed:
            worst = max(timed, key=lambda q: q["oxigraph_s"])
            add(
                f"slowest stored query on Oxigraph at x{x:g} ({worst['name']}) (s)",
                worst["oxigraph_s"],
                QUERY_LIMITS[x],
            )
        if x == SPEEDUP_SCALE:
            pairs = [q for q in timed if q.get("rdflib_s")]
            if pairs:
                least = min(pairs, key=lambda q: q["rdflib_s"] / q["oxigraph_s"])
                add(
                    f"smallest Oxigraph speed-up over rdflib at x{x:g} "
                    f"({least['name']}) (times)",
                    least["rdflib_s"] / least["oxigraph_s"],
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
                "peak memory at x100 (MB, ru_maxrss)",
                scale["peak_rss_mb"],
                MEMORY_LIMIT_MB,
            )
    return found


def seconds(value: float | None, skipped: str = "skipped") -> str:
    if value is None:
        return skipped
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


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
            seconds(s["load_rdflib_s"], rdflib_note),
            seconds(s["validate_fast_s"]),
            seconds(s["validate_pyshacl_s"], pyshacl_note),
            str(s["violations_fast"]),
            same,
            f"{s['peak_rss_mb']:.0f} MB",
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
                cell = seconds(q["oxigraph_s"])
                if q.get("rdflib_s") is not None:
                    cell += f" / {seconds(q['rdflib_s'])}"
                    cell += f" ({q['rdflib_s'] / max(q['oxigraph_s'], 1e-9):.0f}x)"
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
        "--no-real-build", action="store_true", help="skip timing the real data build"
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--child-scale", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
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
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        console.print(f"wrote {args.json}")
    return results


if __name__ == "__main__":
    main()
