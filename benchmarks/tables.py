"""Markdown tables from a benchmark run's JSON, for docs/benchmarks.md and the README.

    python benchmarks/tables.py docs/benchmarks.json

Every figure printed is one the run measured; nothing is estimated. A query's
"project share" is the time spent beyond the engine's own (reading the solutions
without converting them), as a fraction of the engine's time.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

#: the targets: a stored query's median on embedded Oxigraph at these scales (s)
QUERY_TARGETS = {10.0: 0.05, 100.0: 0.5}


def seconds(value: float | None, missing: str = "not run") -> str:
    if value is None:
        return missing
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def took(query: dict[str, Any], engine: str) -> str:
    if f"{engine}_timeout" in query:
        return f"stopped > {query[f'{engine}_timeout']:g} s"
    return seconds(query.get(f"{engine}_seconds"))


def speedup(query: dict[str, Any]) -> str:
    ox, rd = query.get("oxigraph_seconds"), query.get("rdflib_seconds")
    if "rdflib_timeout" in query and ox:
        return f">= {query['rdflib_timeout'] / ox:.0f}x"
    if ox and rd:
        return f"{rd / ox:.0f}x"
    return "-"


def share(query: dict[str, Any]) -> str:
    total, engine = query.get("oxigraph_seconds"), query.get("oxigraph_engine_seconds")
    if not total or not engine:
        return "-"
    return f"{max(0.0, total - engine) / engine:.0%}"


def query_table(results: dict[str, Any]) -> str:
    scales = [s for s in results["scales"] if isinstance(s["queries"], list)]
    head = ["query"]
    for s in scales:
        x = f"x{s['scale']:g}"
        head += [f"{x} Oxigraph", f"{x} rdflib", f"{x} speed-up", f"{x} rows"]
    head.append(f"project share x{scales[-1]['scale']:g}")
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
    names = sorted({q["name"] for s in scales for q in s["queries"]})
    for name in names:
        cells = [f"`{name}`"]
        last: dict[str, Any] = {}
        for s in scales:
            q = next((q for q in s["queries"] if q["name"] == name), None) or {}
            last = q
            mark = ""
            target = QUERY_TARGETS.get(s["scale"])
            value = q.get("oxigraph_seconds")
            if target and (value is None or value > target):
                mark = " **!**"
            cells += [
                took(q, "oxigraph") + mark,
                took(q, "rdflib"),
                speedup(q),
                f"{q['oxigraph_rows']:,}" if "oxigraph_rows" in q else "-",
            ]
        cells.append(share(last))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def scale_table(results: dict[str, Any]) -> str:
    lines = [
        "| scale | quads | generate | load Oxigraph | derived facts | load rdflib "
        "| validate fast | validate pySHACL | peak memory |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results["scales"]:
        peak = max(s["peak_rss_mb"], s.get("peak_rss_query_workers_mb", 0))
        # the rules of queries/rules/ on the loaded graph (runs before them: none)
        derive = seconds(s["derive"]["seconds"]) if "derive" in s else "-"
        lines.append(
            f"| x{s['scale']:g} | {s['quads']:,} | {seconds(s['generate_s'])} "
            f"| {seconds(s['load_oxigraph_s'])} | {derive} "
            f"| {seconds(s['load_rdflib_s'])} "
            f"| {seconds(s['validate_fast_s'])} | {seconds(s['validate_pyshacl_s'])} "
            f"| {peak:,.0f} MB |"
        )
    return "\n".join(lines)


def summary(results: dict[str, Any]) -> str:
    """Per scale: the median and slowest query, and how many meet the target."""
    lines = []
    for s in results["scales"]:
        queries = s["queries"] if isinstance(s["queries"], list) else []
        timed = [q for q in queries if q.get("oxigraph_seconds") is not None]
        if not timed:
            continue
        times = sorted(q["oxigraph_seconds"] for q in timed)
        worst = max(timed, key=lambda q: q["oxigraph_seconds"])
        line = (
            f"- x{s['scale']:g}: {len(queries)} queries, median "
            f"{seconds(statistics.median(times))}, slowest `{worst['name']}` "
            f"{seconds(worst['oxigraph_seconds'])}"
        )
        target = QUERY_TARGETS.get(s["scale"])
        if target:
            within = sum(1 for t in times if t <= target)
            stopped = sum(1 for q in queries if "oxigraph_timeout" in q)
            line += f"; {within} of {len(queries)} within {seconds(target)}"
            if stopped:
                line += f" ({stopped} stopped at the time limit)"
        empty = [q["name"] for q in queries if q.get("oxigraph_rows") == 0]
        stopped_any = any("oxigraph_timeout" in q for q in queries)
        finished = "that finished " if stopped_any else ""
        line += f"; every query {finished}returned rows" if not empty else ""
        line += f"; no rows: {empty}" if empty else ""
        lines.append(line)
    return "\n".join(lines)


def chart(results: dict[str, Any], target: Path) -> None:
    """Each stored query's median on Oxigraph against the graph's size (log-log),
    with the targets, as SVG; a query stopped at the time limit ends its line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "ctgraph"  # the same figures give the same file
    scales = [s for s in results["scales"] if isinstance(s["queries"], list)]
    names = sorted({q["name"] for s in scales for q in s["queries"]})
    figure, axes = plt.subplots(figsize=(9, 6))
    for name in names:
        points = [
            (s["quads"], q["oxigraph_seconds"])
            for s in scales
            for q in s["queries"]
            if q["name"] == name and q.get("oxigraph_seconds") is not None
        ]
        axes.plot(*zip(*points, strict=True), marker="o", linewidth=1, alpha=0.7)
        slowest = max(points, key=lambda point: point[1])
        if slowest[1] > 0.05:
            axes.annotate(
                name, slowest, fontsize=7, xytext=(4, 0), textcoords="offset points"
            )
    for scale in scales:
        limit = QUERY_TARGETS.get(scale["scale"])
        if limit:
            axes.plot([scale["quads"]], [limit], marker="_", markersize=30, color="red")
    axes.set(
        xscale="log",
        yscale="log",
        xlabel="quads in the graph (x1, x10, x100)",
        ylabel="median time on embedded Oxigraph (s)",
        title="Stored queries against scale (red: the target at x10 and x100)",
    )
    axes.grid(True, which="major", linewidth=0.3)
    figure.tight_layout()
    figure.savefig(target, format="svg", metadata={"Date": None})
    plt.close(figure)


def server_cell(
    query: dict[str, Any], kind: str, differ: str = " **rows differ**"
) -> str:
    """A query's median on one SPARQL server, or why there is none (`differ` marks
    rows that are not the embedded store's: bold in Markdown, plain on a terminal)."""
    if f"{kind}_server_timeout" in query:
        return f"stopped > {query[f'{kind}_server_timeout']:g} s"
    if f"{kind}_server_error" in query:
        return "error"
    cell = seconds(query.get(f"{kind}_server_seconds"), "-")
    if query.get(f"{kind}_server_same_rows") is False:
        cell += differ
    return cell


def server_tables(results: dict[str, Any]) -> str:
    """With `run.py --servers`: start and publish per server and scale, then each
    stored query's median on the servers beside embedded Oxigraph."""
    kinds = results["settings"].get("servers") or []
    if not kinds:
        return ""
    lines = [
        "| scale | triples | server | start (new store) | publish |",
        "|---|---:|---|---:|---:|",
    ]
    for s in results["scales"]:
        for kind, done in s.get("servers", {}).items():
            publish = seconds(done["publish_s"])
            publish += "" if done["publish_ok"] else " (failed)"
            lines.append(
                f"| x{s['scale']:g} | {done['triples']:,} | {kind} "
                f"| {seconds(done['startup_s'])} | {publish} |"
            )
    for s in results["scales"]:
        queries = s["queries"] if isinstance(s["queries"], list) else []
        queried = [q for q in queries if "servers_same_rows" in q]
        if not queried:
            continue
        head = ["query", f"x{s['scale']:g} embedded Oxigraph"]
        head += [f"{kind} server" for kind in kinds] + ["rows"]
        lines += ["", "| " + " | ".join(head) + " |"]
        lines.append("|---" + "|---:" * (len(head) - 1) + "|")
        for q in queried:
            cells = [f"`{q['name']}`", took(q, "oxigraph")]
            cells += [server_cell(q, kind) for kind in kinds]
            cells.append(f"{q['oxigraph_rows']:,}" if "oxigraph_rows" in q else "-")
            lines.append("| " + " | ".join(cells) + " |")
        for kind in kinds:
            both = [q for q in queried if q.get(f"{kind}_server_seconds") is not None]
            same = sum(1 for q in both if q.get(f"{kind}_server_same_rows"))
            median = statistics.median(q[f"{kind}_server_seconds"] for q in both)
            lines.append(
                f"\n{kind} server at x{s['scale']:g}: {len(both)} of {len(queried)} "
                f"answered within the limit, median {seconds(median)}, "
                f"{same} with the embedded store's rows"
            )
    return "\n".join(lines)


def stage_table(build: dict[str, Any]) -> str:
    """The real build stage by stage (medians of the in-process runs)."""
    lines = ["| stage of the real build | time |", "|---|---:|"]
    for name, value in build["stages"].items():
        lines.append(f"| {name} | {seconds(value)} |")
    whole = seconds(build["pipeline_fast_s"])
    lines.append(f"| the whole pipeline in-process | {whole} |")
    return "\n".join(lines)


def command_table(build: dict[str, Any]) -> str:
    """Whole commands in a new process, on the real graph."""
    lines = ["| command | wall | cpu |", "|---|---:|---:|"]
    for name, value in build["commands"].items():
        lines.append(f"| `{name}` | {value['wall_s']:.3f} s | {value['cpu_s']:.3f} s |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path, help="a benchmark run's JSON")
    parser.add_argument("--chart", type=Path, help="also draw time against scale (SVG)")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text())
    if args.chart:
        chart(results, args.chart)
    m = results["machine"]
    print(
        f"Machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}, "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
        + "; load average at the start "
        + " / ".join(f"{x:.1f}" for x in m.get("load_average") or [])
        + " (1, 5, 15 min)\n"
    )
    build = results.get("real_build")
    if build:
        print(
            f"Real data: `ctgraph build` {seconds(build['cli_fast_s'])} "
            f"(pySHACL as validator {seconds(build['cli_pyshacl_s'])}), the "
            f"pipeline in-process {seconds(build['pipeline_fast_s'])}, "
            f"{build['triples']:,} triples\n"
        )
    if build and build.get("stages"):
        print(stage_table(build) + "\n")
    if build and build.get("commands"):
        print(command_table(build) + "\n")
    print(scale_table(results) + "\n")
    print(summary(results) + "\n")
    print(query_table(results))
    servers = server_tables(results)
    if servers:
        print("\n" + servers)


if __name__ == "__main__":
    main()
