"""`ctgraph release`: every distribution of the dataset, its description with the
byte size of each, the ontology with its import modules (Turtle, and RDF/XML for
tools that read only that) and the link sets as SSSOM, in one folder.

The dumps hold the whole dataset with its description graph; no file can state its
own size, so `void.ttl` repeats the description with the sizes of the dumps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from ctgraph import build as pipeline
from ctgraph.exports import FORMATS, atomic_write, serialise
from ctgraph.queries.library import KnowledgeGraph
from ctgraph.release.description import describe, file_name
from ctgraph.release.reasoning import module_files
from ctgraph.release.sssom import mapping_tables
from ctgraph.spreadsheets import export_workbook
from ctgraph.store.backends import OxigraphBackend
from ctgraph.validation.shacl import ONTOLOGY

VOID_FILE = "void.ttl"


@dataclass
class Release:
    build: pipeline.BuildResult
    folder: Path
    written: dict[str, int] = field(default_factory=dict)  # file -> bytes

    @property
    def ok(self) -> bool:
        return self.build.ok


def dump(dataset: Dataset, merged: Graph, fmt: str) -> bytes:
    return serialise(dataset if fmt in ("trig", "nq") else merged, fmt)


def write_release(
    folder: Path,
    data_dir: Path = pipeline.DATA_DIR,
    endpoint: str | None = None,
) -> Release:
    """Build and validate, then write the release into `folder` (only when the
    graph conforms and every check passes)."""
    result = pipeline.build(data_dir, write=False)
    release = Release(result, folder)
    if not result.ok:
        return release
    files: dict[str, bytes] = {}
    sizes: dict[str, int] = {}
    for fmt in FORMATS:
        files[file_name(fmt)] = payload = dump(result.dataset, result.merged, fmt)
        sizes[fmt] = len(payload)
    files[file_name("xlsx")] = workbook = export_workbook(
        KnowledgeGraph(OxigraphBackend.from_dataset(result.dataset))
    )
    sizes["xlsx"] = len(workbook)
    files[VOID_FILE] = serialise(describe(result.dataset, sizes, endpoint), "ttl")
    for path in [ONTOLOGY, *module_files(ONTOLOGY)]:
        relative = path.relative_to(ONTOLOGY.parent)
        graph = Graph().parse(path)
        files[f"ontology/{relative}"] = path.read_bytes()
        files[f"ontology/{relative.with_suffix('.owl')}"] = serialise(graph, "rdfxml")
    catalog = ONTOLOGY.parent / "catalog-v001.xml"
    files["ontology/catalog-v001.xml"] = catalog.read_bytes()
    for name, table in mapping_tables(result.dataset).items():
        files[f"mappings/{name}"] = table.encode("utf-8")
    for name, payload in sorted(files.items()):
        atomic_write(folder / name, payload)
        release.written[name] = len(payload)
    return release
