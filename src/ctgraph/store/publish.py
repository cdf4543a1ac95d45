"""Publish the built graph on a SPARQL server without ever showing a half-new graph.

Each graph is uploaded (Graph Store Protocol PUT) into a staging graph of its own.
Only when every upload succeeded does one SPARQL Update request move the staging
graphs over the live ones, drop graphs the new build no longer has, and rewrite the
manifest that `RemoteBackend` reads its dataset from. A server that runs one update
request as one transaction (Oxigraph, Fuseki/TDB2, GraphDB) so goes from the old
complete graph to the new complete graph in one step; if anything fails before, the
live graphs and the manifest are untouched and the staging graphs are dropped. Staging
graphs are never in the manifest, so queries never see them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from ctgraph.store.remote import (
    DEFAULT_GRAPH,
    MANIFEST,
    RESERVED,
    EndpointError,
    Publication,
    RemoteBackend,
    staging_iri,
)


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

    @property
    def ok(self) -> bool:
        return self.switched and self.error is None

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
        for g in self.removed:
            out.append(f"{'removed':<14} {g}  (not in this build)")
        if self.switched:
            out.append(f"live: {len(self.uploads)} graph(s) switched in one update")
        else:
            kept = "the previous publication" if self.before else "no publication"
            out.append(f"not switched: the server still serves {kept}, unchanged")
        for g in self.leftover:
            out.append(f"left on the server (not queried; drop it by hand): {g}")
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
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
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
        if not switched_anyway(backend, token):
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
        report.error = "the server holds other triple counts than the build: " + (
            ", ".join(f"<{u.graph}> {u.on_server}/{u.triples}" for u in short)
        )
    return report


def switched_anyway(backend: RemoteBackend, token: str) -> bool:
    """After a failed switch request: did the server commit it before the answer was
    lost? The manifest carries this publication's token only if it did."""
    try:
        live = backend.read_manifest()
    except EndpointError:
        return False
    return live is not None and live.token == token
