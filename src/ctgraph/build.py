"""The pipeline: sources -> graph -> validation -> build/ outputs.

The build reads only `data/` (and the ontology and the check queries): what is
derived from the raw report texts is ingested into `data/` tables beforehand.
Outputs are replaced only when the whole build succeeds and the graph conforms, so a
bad edit in `data/` never destroys the last good `build/`. They change together or
not at all: a build writes a new folder `builds/<id>` (the id is a hash of its
content), then switches one symbolic link, `current`, to it in a single rename;
`ctgraph.trig` and `ctgraph.ttl` are links into `current`. Leftovers of a build that
was killed (temporary folders, build folders no longer current) are removed by the
next one, under a lock so that two builds never remove each other's work.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, NamespaceManager

from ctgraph.exports import bound_prefixes, serialise, store_serialise
from ctgraph.graph.dataset import build_dataset, union
from ctgraph.links import LinkReport, shipped_links
from ctgraph.namespaces import ONTOLOGY_IRI
from ctgraph.paths import BUILD_DIR, DATA_DIR, TRIG, TTL
from ctgraph.queries.checks import CheckFailure, run_checks
from ctgraph.queries.rules import add_derived
from ctgraph.release.description import add_description
from ctgraph.sources.tables import NEEDED, read_all
from ctgraph.store.backends import OxigraphBackend
from ctgraph.validation.shacl import Report, load_ontology, validate

BUILDS = "builds"
CURRENT = "current"
LOCK = ".lock"
TEMP = ".tmp-"


@dataclass
class BuildResult:
    dataset: Dataset
    report: Report
    seconds: float
    written: list[Path] = field(default_factory=list)
    links: list[LinkReport] = field(default_factory=list)
    failed_checks: list[CheckFailure] = field(default_factory=list)
    #: seconds per stage, in the order they ran (what the benchmark breaks down)
    stages: dict[str, float] = field(default_factory=dict)
    #: the Oxigraph copy of the dataset the build validated and wrote from
    store: ox.Store | None = field(default=None, repr=False)

    @cached_property
    def merged(self) -> Graph:
        """Every graph's triples in one rdflib Graph, made when first asked for:
        the build itself validates and writes from the store."""
        return union(self.dataset)

    @cached_property
    def triples(self) -> int:
        """Distinct triples over all the graphs (the merged graph's size)."""
        if self.store is None:
            return len(self.merged)
        return len({(q.subject, q.predicate, q.object) for q in self.store})

    def class_counts(self) -> Counter[str]:
        """Instances per class over all the graphs (`class_counts` of `merged`)."""
        if self.store is None:
            return class_counts(self.merged)
        typed = {
            (q.subject, q.object)
            for q in self.store.quads_for_pattern(
                None, ox.NamedNode(str(RDF.type)), None
            )
        }
        by_iri = Counter(cls.value for _, cls in typed)
        names = union_namespaces()
        counts: Counter[str] = Counter()
        for iri, n in by_iri.items():  # each class named once, not each instance
            counts[names.normalizeUri(URIRef(iri))] += n
        return counts

    @property
    def ok(self) -> bool:
        """The graph conforms to the shapes and every check query returns no rows."""
        return self.report.conforms and not self.failed_checks


def class_counts(graph: Graph) -> Counter[str]:
    """Instances per class, by prefixed class name."""
    counts: Counter[str] = Counter()
    for cls in graph.objects(None, RDF.type):
        counts[graph.namespace_manager.normalizeUri(cls)] += 1
    return counts


def union_namespaces() -> NamespaceManager:
    """The prefixes of the merged graph, as `union` binds them."""
    return union(Dataset()).namespace_manager


def assemble_linked(
    data_dir: Path = DATA_DIR, stages: dict[str, float] | None = None
) -> tuple[Dataset, list[LinkReport]]:
    """Read the sources and map them, add the shipped links to external datasets
    (data/links/*.yaml, each in its own graph) and the ontology as its own graph;
    each stage's seconds go into `stages` when given."""
    clock = Stages(stages)
    tables = read_all(data_dir, NEEDED)
    clock.lap("read the tables")
    dataset = build_dataset(tables)
    clock.lap("rdflib Dataset from the tables")
    links = shipped_links(dataset, data_dir / "links")
    clock.lap("links to external datasets")
    add_derived(dataset)  # queries/rules/ on an Oxigraph copy: id/graph/derived
    clock.lap("derived facts (rules)")
    ontology = dataset.graph(ONTOLOGY_IRI)
    for triple in load_ontology():
        ontology.add(triple)
    add_description(dataset)
    clock.lap("ontology and dataset description")
    return dataset, links


class Stages:
    """Seconds since the last lap, recorded by name (nothing when not given a dict)."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into = into
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.into is not None:
            self.into[name] = self.into.get(name, 0.0) + now - self.last
        self.last = now


def assemble(data_dir: Path = DATA_DIR) -> tuple[Dataset, Graph]:
    """Read the sources and map them, with the ontology as its own named graph."""
    dataset, _ = assemble_linked(data_dir)
    return dataset, union(dataset)


def build(
    data_dir: Path = DATA_DIR,
    out_dir: Path = BUILD_DIR,
    write: bool = True,
    validator: str = "fast",
) -> BuildResult:
    """Build, validate, run the check queries and (when all pass) write TriG and
    merged Turtle.

    `validator` is `fast` (shapes compiled to SPARQL on Oxigraph) or `pyshacl`;
    both report the same violations.
    """
    started = time.perf_counter()
    stages: dict[str, float] = {}
    dataset, links = assemble_linked(data_dir, stages)
    clock = Stages(stages)
    # one Oxigraph copy of the dataset serves the validator, the check queries
    # and the writers
    backend = OxigraphBackend.from_dataset(dataset)
    clock.lap("copy to Oxigraph")
    merged = union(dataset) if validator == "pyshacl" else None  # pySHACL reads it
    report = validate(
        merged, with_ontology=False, validator=validator, store=backend.store
    )
    clock.lap("validation")
    result = BuildResult(
        dataset, report, 0.0, links=links, stages=stages, store=backend.store
    )
    if merged is not None:
        result.merged = merged
    if report.conforms:
        result.failed_checks = run_checks(backend)
        clock.lap("check queries")
    if write and result.ok:
        outputs = {TRIG: write_graph(result, "trig")}
        clock.lap("TriG")
        outputs[TTL] = write_graph(result, "ttl")
        clock.lap("Turtle")
        result.written = write_outputs(out_dir, outputs)
        clock.lap("writing the build folder")
    result.seconds = time.perf_counter() - started
    return result


def write_graph(result: BuildResult, fmt: str) -> bytes:
    """TriG or merged Turtle from the store; from the rdflib graphs when it holds
    blank nodes (whose labels Oxigraph would write differently each run)."""
    assert result.store is not None
    prefixes = bound_prefixes(result.dataset if fmt == "trig" else union(Dataset()))
    written = store_serialise(result.store, fmt, prefixes)
    if written is not None:
        return written
    return serialise(result.dataset if fmt == "trig" else result.merged, fmt)


def write_outputs(out_dir: Path, outputs: dict[str, bytes]) -> list[Path]:
    """Write the outputs as one new build folder and switch `current` to it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    builds = out_dir / BUILDS
    with build_lock(out_dir):
        builds.mkdir(exist_ok=True)
        clean(out_dir, keep=set())  # leftovers of a killed build, before anything
        digest = hashlib.sha256()
        for name in sorted(outputs):
            digest.update(name.encode() + b"\0" + outputs[name] + b"\0")
        final = builds / digest.hexdigest()[:16]
        if not final.is_dir():  # the same content is already there whole otherwise
            folder = Path(tempfile.mkdtemp(prefix=TEMP, dir=builds))
            for name, data in outputs.items():
                write_file(folder / name, data)
            os.chmod(folder, 0o755)
            publish_folder(folder, final)
        previous = current_build(out_dir)
        switch(out_dir, final)
        for name in outputs:
            link(out_dir / name, Path(CURRENT) / name)
        clean(out_dir, keep={final.resolve(), *([previous] if previous else [])})
    return [out_dir / name for name in outputs]


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """One build at a time writes to `out_dir` (released if the process dies)."""
    with open(out_dir / LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def publish_folder(folder: Path, final: Path) -> None:
    """The finished folder under its final name, in one rename."""
    os.rename(folder, final)


def current_build(out_dir: Path) -> Path | None:
    """The build folder `current` points to, if any."""
    target = out_dir / CURRENT
    if not target.is_symlink():
        return None
    return (out_dir / os.readlink(target)).resolve()


def switch(out_dir: Path, final: Path) -> None:
    """Point `current` at `final` in one atomic rename of a new link over it."""
    link(out_dir / CURRENT, final.relative_to(out_dir))


def link(path: Path, target: Path) -> None:
    """Make `path` a symbolic link to `target`, replacing what is there atomically."""
    if path.is_symlink() and Path(os.readlink(path)) == target:
        return
    temporary = path.with_name(f"{TEMP}{path.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    os.replace(temporary, path)


def clean(out_dir: Path, keep: set[Path]) -> None:
    """Remove what killed builds left: temporary files and folders, and (when
    `keep` is given) every build folder but those in it."""
    builds = out_dir / BUILDS
    for path in [*out_dir.glob(f"{TEMP}*"), *out_dir.glob(".ctgraph.*")]:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    for folder in builds.iterdir() if builds.is_dir() else ():
        if folder.name.startswith(TEMP) or (keep and folder.resolve() not in keep):
            shutil.rmtree(folder, ignore_errors=True)
