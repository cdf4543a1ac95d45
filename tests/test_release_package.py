"""`ctgraph release`: every format loads back through an independent parser with the
same triple count, void.ttl states each file's true size, and the bytes do not
depend on the hash seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib import namespace as vocab

from ctgraph.exports import FORMATS
from ctgraph.release.description import distribution_iri, file_name
from ctgraph.release.package import VOID_FILE, Release, write_release

ROOT = Path(__file__).resolve().parents[1]
#: each format read back by the library that did not write it
OXIGRAPH_FORMATS = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}
RDFLIB_FORMATS = {"ttl": "turtle", "trig": "trig", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    result = write_release(tmp_path_factory.mktemp("release"))
    assert result.ok
    return result


def test_release_holds_every_format_the_ontology_and_the_mappings(
    release: Release,
) -> None:
    assert set(OXIGRAPH_FORMATS) | set(RDFLIB_FORMATS) == set(FORMATS)
    names = set(release.written)
    assert {file_name(f) for f in FORMATS} | {"ctgraph.xlsx"} <= names
    assert {VOID_FILE, "ontology/ctgraph.ttl", "ontology/ctgraph.owl"} <= names
    assert "ontology/imports/org.owl" in names
    assert "mappings/links-cr-unsc.sssom.tsv" in names


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_format_round_trips_with_the_same_triple_count(
    release: Release, fmt: str
) -> None:
    path = release.folder / file_name(fmt)
    quads = fmt in ("trig", "nq")
    dataset = release.build.dataset
    expected = (
        sum(len(g) for g in dataset.graphs()) if quads else len(release.build.merged)
    )
    if fmt in OXIGRAPH_FORMATS:
        statements = list(ox.parse(path=str(path), format=OXIGRAPH_FORMATS[fmt]))
        count = len(statements)
    elif quads:
        parsed = Dataset()
        parsed.parse(path, format=RDFLIB_FORMATS[fmt])
        count = sum(len(g) for g in parsed.graphs())
    else:
        count = len(Graph().parse(path, format=RDFLIB_FORMATS[fmt]))
    assert count == expected > 12000


def test_void_states_the_true_byte_size_of_every_file(release: Release) -> None:
    void = Graph().parse(release.folder / VOID_FILE)
    for fmt in [*FORMATS, "xlsx"]:
        size = void.value(distribution_iri(fmt), vocab.DCAT.byteSize)
        assert size is not None, fmt
        assert size.toPython() == (release.folder / file_name(fmt)).stat().st_size


def test_ontology_in_rdfxml_is_the_same_graph(release: Release) -> None:
    owl = Graph().parse(release.folder / "ontology/ctgraph.owl", format="xml")
    ttl = Graph().parse(release.folder / "ontology/ctgraph.ttl")
    assert len(owl) == len(ttl) and set(owl) == set(ttl)


def test_release_bytes_do_not_depend_on_the_hash_seed(
    release: Release, tmp_path: Path
) -> None:
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    result = subprocess.run(
        [sys.executable, "-m", "ctgraph", "release", "--out", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for name in release.written:
        assert (tmp_path / name).read_bytes() == (release.folder / name).read_bytes(), (
            name
        )
