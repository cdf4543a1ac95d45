"""A bounded load test of `ctgraph serve` on loopback: N clients for S seconds over
a mix of pages, stored queries (forms, CSV, JSON API) and /sparql.

    python benchmarks/web_load.py --clients 20 --seconds 30

starts `ctgraph serve` on a free loopback port (or uses `--url`), then reports
requests, errors, and the median and 95th-percentile latency per kind of request
and overall. It measures; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

SPARQL = (
    "PREFIX ctg: <https://w3id.org/ctgraph/ontology#> "
    "SELECT ?g (COUNT(?p) AS ?n) WHERE { ?p a ctg:Project ; ctg:implementedBy ?g } "
    "GROUP BY ?g ORDER BY DESC(?n) LIMIT 20"
)
#: (kind, path, Accept)
MIX = [
    ("page", "/", "text/html"),
    ("page", "/id/entity/unodc", "text/html"),
    ("page", "/id/working-group/compact-wg-3", "text/html"),
    ("page", "/search?q=UNODC", "text/html"),
    ("rdf", "/id/entity/unoct", "text/turtle"),
    (
        "query",
        "/queries/working-group-leadership?group=compact-wg-3&run=1",
        "text/html",
    ),
    ("query", "/queries/compact-size-over-time.csv", "text/csv"),
    (
        "api",
        "/api/queries/entity-leadership-history?entity=INTERPOL",
        "application/json",
    ),
    (
        "sparql",
        "/sparql?" + urllib.parse.urlencode({"query": SPARQL}),
        "application/sparql-results+json",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(store: str | None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "ctgraph", "serve", "--port", str(port)]
    if store:
        command += ["--store", store]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/static/style.css", timeout=2).read()
            return process, base
        except OSError:
            if process.poll() is not None:
                raise SystemExit("ctgraph serve exited before it answered") from None
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("ctgraph serve did not answer within 60 s")


def client(
    base: str, stop: float, offset: int, out: list[tuple[str, float, int]]
) -> None:
    index = offset
    while True:  # at least one request each, however late the thread starts
        kind, path, accept = MIX[index % len(MIX)]
        index += 1
        request = urllib.request.Request(base + path, headers={"Accept": accept})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        out.append((kind, time.perf_counter() - started, status))
        if time.monotonic() >= stop:
            break


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(base: str, clients: int, seconds: float) -> dict:
    results: list[tuple[str, float, int]] = []
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(base, stop, i, results))
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    summary: dict = {"clients": clients, "seconds": seconds, "kinds": {}}
    for kind in sorted({k for k, _, _ in results}) + ["all"]:
        chosen = [r for r in results if kind == "all" or r[0] == kind]
        times = [t for _, t, _ in chosen]
        summary["kinds"][kind] = {
            "requests": len(chosen),
            "errors": sum(1 for _, _, s in chosen if s != 200),
            "median_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        }
    summary["requests_per_second"] = round(len(results) / seconds, 1)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--url", help="a running server; default: start one")
    parser.add_argument("--store", help="passed to ctgraph serve --store")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args()
    process = None
    base = args.url
    if base is None:
        process, base = start_server(args.store)
    try:
        summary = run(base.rstrip("/"), args.clients, args.seconds)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
    print(f"{'kind':<8} {'requests':>9} {'errors':>7} {'median ms':>10} {'p95 ms':>8}")
    for kind, row in summary["kinds"].items():
        print(
            f"{kind:<8} {row['requests']:>9} {row['errors']:>7} "
            f"{row['median_ms']:>10} {row['p95_ms']:>8}"
        )
    print(
        f"{summary['requests_per_second']} requests/s, {args.clients} clients, "
        f"{args.seconds:g} s, {os.cpu_count()} cores"
    )
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    if summary["kinds"]["all"]["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
