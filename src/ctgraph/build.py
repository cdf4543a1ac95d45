"""The pipeline: sources -> graph -> validation -> build/ outputs.

The build reads only `data/` (and the ontology and the check queries): what is
derived from the raw report texts is ingested into `data/` tables beforehand. Outputs
are replaced only when the whole build succeeds and the graph conforms, so a bad edit
in `data/` never destroys the last good `build/`.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from ctgraph.exports import atomic_write, serialise
from ctgraph.graph.dataset import build_dataset, union
from ctgraph.links import LinkReport, shipped_links
from ctgraph.namespaces import ONTOLOGY_IRI
from ctgraph.paths import BUILD_DIR, DATA_DIR
from ctgraph.queries.checks import CheckFailure, run_checks
from ctgraph.sources.tables import read_all
from ctgraph.store.backends import OxigraphBackend
from ctgraph.validation.shacl import Report, load_ontology, validate

TRIG = "ctgraph.trig"
TTL = "ctgraph.ttl"


@dataclass
class BuildResult:
    dataset: Dataset
    merged: Graph
    report: Report
    seconds: float
    written: list[Path] = field(default_factory=list)
    links: list[LinkReport] = field(default_factory=list)
    failed_checks: list[CheckFailure] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return len(self.merged)

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


def assemble_linked(
    data_dir: Path = DATA_DIR,
) -> tuple[Dataset, Graph, list[LinkReport]]:
    """Read the sources and map them, add the shipped links to external datasets
    (data/links/*.yaml, each in its own graph) and the ontology as its own graph."""
    tables = read_all(data_dir)
    dataset = build_dataset(tables)
    links = shipped_links(dataset, data_dir / "links")
    ontology = dataset.graph(ONTOLOGY_IRI)
    for triple in load_ontology():
        ontology.add(triple)
    return dataset, union(dataset), links


def assemble(data_dir: Path = DATA_DIR) -> tuple[Dataset, Graph]:
    """Read the sources and map them, with the ontology as its own named graph."""
    dataset, merged, _ = assemble_linked(data_dir)
    return dataset, merged


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
    dataset, merged, links = assemble_linked(data_dir)
    # one Oxigraph copy of the dataset serves the validator and the check queries
    backend = OxigraphBackend.from_dataset(dataset)
    report = validate(
        merged, with_ontology=False, validator=validator, store=backend.store
    )
    result = BuildResult(dataset, merged, report, 0.0, links=links)
    if report.conforms:
        result.failed_checks = run_checks(backend)
    if write and result.ok:
        outputs = {TRIG: serialise(dataset, "trig"), TTL: serialise(merged, "ttl")}
        for name, data in outputs.items():
            atomic_write(out_dir / name, data)
            result.written.append(out_dir / name)
    result.seconds = time.perf_counter() - started
    return result
