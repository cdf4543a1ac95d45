"""Publish the built graph on a SPARQL server without ever showing a half-new graph.

Each graph is uploaded (Graph Store Protocol PUT) into a staging graph of its own.
Only when every upload succeeded does one SPARQL Update request move the staging
graphs over the live ones, drop graphs the new build no longer has, and rewrite the
manifest that `RemoteBackend` reads its dataset from. A server that runs one update
request as one transaction (Oxigraph, Fuseki/TDB2, GraphDB) so goes from the old
complete graph to the new complete graph in one step; if anything fails before, the
live graphs and the manifest are untouched and the staging graphs are dropped. Staging
graphs are never in the manifest, so queries never see them.

When the server stops answering during the switch, nobody can know whether it
committed before it went: the report says so (`unknown`) rather than guess, after
asking again for a while, and `status()` tells later what is live. Staging graphs a
failed run could not drop are dropped by the next publication, or by
`drop_staging()`.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from ctgraph.messages import shorten
from ctgraph.store.remote import (
    DEFAULT_GRAPH,
    MANIFEST,
    RESERVED,
    EndpointError,
    Publication,
    RemoteBackend,
    staging_iri,
    to_table,
)

#: every staging graph, of any run, is named under here
STAGING = RESERVED + "staging/"
#: how long to keep asking a server that stopped answering during the switch
RECHECK_SECONDS = 10.0


@dataclass
class Upload:
    """One graph of the build on its way to the server."""

    graph: URIRef
    staging: URIRef
    triples: int
    payload: bytes = field(repr=False)
    state: str = "not attempted"  # staged, failed, live
    error: str | None = None
    on_server: int | None = None


@dataclass
class PublishReport:
    """What was and was not loaded, and what the server holds now."""

    uploads: list[Upload]
    before: Publication | None
    removed: list[URIRef] = field(default_factory=list)
    switched: bool = False
    error: str | None = None
    leftover: list[URIRef] = field(default_factory=list)
    cleaned: list[URIRef] = field(default_factory=list)
    unknown: bool = False
    mismatch: bool = False

    @property
    def ok(self) -> bool:
        return self.switched and self.error is None

    @property
    def exit_code(self) -> int:
        """0 published; 1 published but the server's counts differ from the build
        (a check failed); 2 not published, or not known to be."""
        if self.ok:
            return 0
        return 1 if self.switched and self.mismatch else 2

    def lines(self) -> list[str]:
        """A plain account, one line per fact, for the terminal."""
        out: list[str] = []
        if all(u.state == "not attempted" for u in self.uploads):
            total = sum(u.triples for u in self.uploads)
            out.append(
                f"nothing uploaded ({len(self.uploads)} graphs, {total} triples)"
            )
        else:
            out.extend(line for u in self.uploads for line in upload_lines(u))
        if self.cleaned:
            out.append(
                f"dropped {len(self.cleaned)} staging graph(s) left by earlier runs"
            )
        for g in self.removed:
            out.append(f"{'removed':<14} {g}  (not in this build)")
        if self.switched:
            out.append(f"live: {len(self.uploads)} graph(s) switched in one update")
        elif self.unknown:
            out.append(
                "the switch may or may not have happened: the server stopped "
                "answering during it; re-run `ctgraph publish --status` once it "
                "answers (staging graphs left behind are dropped by the next publish)"
            )
        else:
            kept = "the previous publication" if self.before else "no publication"
            out.append(f"not switched: the server still serves {kept}, unchanged")
        for g in self.leftover:
            out.append(
                f"left on the server (never queried; the next publish or "
                f"`ctgraph publish --drop-staging` drops it): {g}"
            )
        return out


def upload_lines(u: Upload) -> list[str]:
    name = "the build's default graph, " if u.graph == DEFAULT_GRAPH else ""
    line = f"{u.state:<14} {u.graph}  ({name}{u.triples} triples"
    if u.on_server is not None:
        line += f", {u.on_server} on the server"
    return [line + ")"] + ([f"    {u.error}"] if u.error else [])


def plan(trig: Path, token: str, single_graph: URIRef | None = None) -> list[Upload]:
    """The uploads for a built TriG file: one per named graph, the unnamed default
    graph as DEFAULT_GRAPH; or everything merged into `single_graph`."""
    store = ox.Store()
    try:
        store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    except (OSError, SyntaxError, ValueError) as exc:
        raise EndpointError(
            f"cannot read the built graph {trig}: {shorten(str(exc))}; run "
            "`ctgraph build` again"
        ) from None
    groups: dict[URIRef, set[ox.Triple]] = {}
    for quad in store:
        if single_graph is not None:
            name = single_graph
        elif isinstance(quad.graph_name, ox.DefaultGraph):
            name = DEFAULT_GRAPH
        elif isinstance(quad.graph_name, ox.NamedNode):
            name = URIRef(quad.graph_name.value)
            if str(name).startswith(RESERVED):
                raise EndpointError(f"{trig} uses the reserved graph name <{name}>")
        else:
            raise EndpointError(f"{trig} has a blank node as graph name")
        groups.setdefault(name, set()).add(quad.triple)
    if not groups:
        raise EndpointError(f"{trig} holds no triples: nothing to publish")
    return [
        Upload(
            graph=name,
            staging=staging_iri(token, number),
            triples=len(triples),
            payload=ox.serialize(
                sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES
            ),
        )
        for number, (name, triples) in enumerate(sorted(groups.items()), start=1)
    ]


def switch_update(
    uploads: list[Upload], removed: list[URIRef], token: str, when: dt.datetime
) -> str:
    """One update request: staging graphs over the live ones, old graphs dropped,
    the manifest rewritten. MOVE (not MOVE SILENT) so a missing staging graph fails
    the whole request instead of leaving a graph empty."""
    m = MANIFEST.n3()
    facts = [f"{m} {DCTERMS.hasPart.n3()} {u.graph.n3()} ." for u in uploads]
    facts.append(f"{m} {DCTERMS.identifier.n3()} {Literal(token).n3()} .")
    stamp = Literal(when.isoformat(timespec="seconds"), datatype=XSD.dateTime)
    facts.append(f"{m} {DCTERMS.modified.n3()} {stamp.n3()} .")
    operations = [f"MOVE {u.staging.n3()} TO {u.graph.n3()}" for u in uploads]
    operations += [f"DROP SILENT GRAPH {g.n3()}" for g in removed]
    operations.append(f"DROP SILENT GRAPH {m}")
    operations.append(
        "INSERT DATA { GRAPH " + m + " {\n  " + "\n  ".join(facts) + "\n} }"
    )
    return " ;\n".join(operations)


def drop(backend: RemoteBackend, graphs: list[URIRef]) -> list[URIRef]:
    """Drop graphs, best effort; the ones that may still be there."""
    if not graphs:
        return []
    try:
        backend.update(" ;\n".join(f"DROP SILENT GRAPH {g.n3()}" for g in graphs))
    except EndpointError:
        return graphs
    return []


def publish(
    backend: RemoteBackend,
    trig: Path,
    replace: bool = False,
    single_graph: URIRef | None = None,
    token: str | None = None,
) -> PublishReport:
    """Upload to staging graphs, then switch in one update; never half-switch."""
    token = token or uuid.uuid4().hex
    uploads = plan(trig, token, single_graph)
    before = backend.read_manifest()
    report = PublishReport(uploads, before)
    report.cleaned = drop_staging(backend)
    targets = [u.graph for u in uploads]
    if not replace:
        present = set(before.graphs) if before else set()
        present |= set(backend.graph_sizes(targets))
        if present:
            names = ", ".join(f"<{g}>" for g in sorted(present))
            report.error = (
                f"the server already holds {len(present)} of these graphs ({names}); "
                "pass --replace to replace them"
            )
            return report
    for upload in uploads:
        try:
            backend.put_graph(upload.staging, upload.payload)
        except EndpointError as exc:
            upload.state, upload.error = "failed", str(exc)
            report.error = (
                f"upload of <{upload.graph}> failed, so nothing was switched: {exc}"
            )
            attempted = [u.staging for u in uploads if u.state != "not attempted"]
            report.leftover = drop(backend, attempted)
            return report
        upload.state = "staged"
    report.removed = [g for g in before.graphs if g not in targets] if before else []
    when = dt.datetime.now(dt.UTC)
    try:
        backend.update(switch_update(uploads, report.removed, token, when))
    except EndpointError as exc:
        outcome = switch_outcome(backend, token, answered=exc.status is not None)
        if outcome is None:
            report.unknown = True
            report.error = (
                f"the switch may or may not have happened ({exc}); re-run "
                "`ctgraph publish --status` once the server answers"
            )
            report.leftover = [u.staging for u in uploads]
            return report
        if not outcome:
            report.removed = []
            report.error = f"the switch update failed, so nothing was switched: {exc}"
            report.leftover = drop(backend, [u.staging for u in uploads])
            return report
    report.switched = True
    sizes = backend.graph_sizes(targets)
    for upload in uploads:
        upload.state = "live"
        upload.on_server = sizes.get(upload.graph, 0)
    short = [u for u in uploads if u.on_server != u.triples]
    if short:
        report.mismatch = True
        report.error = "the server holds other triple counts than the build: " + (
            ", ".join(f"<{u.graph}> {u.on_server}/{u.triples}" for u in short)
        )
    return report


def switch_outcome(
    backend: RemoteBackend,
    token: str,
    answered: bool,
    patience: float | None = None,
) -> bool | None:
    """After a failed switch request: did the server commit it? The manifest carries
    this publication's token only if it did. A server that answered (an HTTP error)
    is asked once; one that stopped answering is asked again for `patience` seconds.
    None when it never answered: then nobody knows."""
    wait = RECHECK_SECONDS if patience is None else patience
    deadline = time.monotonic() + (0.0 if answered else wait)
    while True:
        try:
            live = backend.read_manifest()
        except EndpointError:
            if time.monotonic() >= deadline:
                return None
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
            continue
        return live is not None and live.token == token


def staging_graphs(backend: RemoteBackend) -> list[URIRef]:
    """Staging graphs on the server, of any run (none is ever live)."""
    query = (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { } "
        f'FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}'
    )
    rows = to_table(backend.raw_select(query)).rows
    return sorted(URIRef(row[0]) for row in rows if row[0] is not None)


def drop_staging(backend: RemoteBackend) -> list[URIRef]:
    """Drop every staging graph left by earlier runs; the ones dropped.

    Two publications to one server at the same moment are not supported: this
    would drop the other run's staging graphs, and its switch would then fail
    (MOVE of a missing graph), leaving its live graphs as they were."""
    found = staging_graphs(backend)
    if found:
        backend.update(" ;\n".join(f"DROP SILENT GRAPH {g.n3()}" for g in found))
    return found


@dataclass
class Status:
    """What a server holds for ctgraph: the live publication and leftovers."""

    live: Publication | None
    sizes: dict[URIRef, int]
    staging: list[URIRef]

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.live is None:
            out.append("no ctgraph publication on this server")
        else:
            out.append(
                f"live: publication {self.live.token or '(no id)'}, switched "
                f"{self.live.modified or '(time unknown)'}, {len(self.live.graphs)} "
                "graph(s)"
            )
            for g in self.live.graphs:
                n = self.sizes.get(g)
                held = f"{n} triples" if n is not None else "missing on the server"
                out.append(f"  {g}  ({held})")
        if self.staging:
            out.append(
                f"{len(self.staging)} staging graph(s) left by unfinished runs "
                "(never queried; `ctgraph publish --drop-staging` drops them):"
            )
            out.extend(f"  {g}" for g in self.staging)
        else:
            out.append("no staging graphs")
        return out


def status(backend: RemoteBackend) -> Status:
    """The live publication, its graphs' sizes and the staging graphs left over."""
    live = backend.read_manifest()
    sizes = backend.graph_sizes(live.graphs) if live else {}
    return Status(live, sizes, staging_graphs(backend))
