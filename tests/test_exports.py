"""Deterministic serialisation and atomic writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ctgraph.exports import FORMATS, atomic_write, serialise

ROOT = Path(__file__).resolve().parents[1]


def build_with_seed(out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "ctgraph", "build", "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return {name: (out / name).read_bytes() for name in ("ctgraph.trig", "ctgraph.ttl")}


def test_same_sources_give_byte_identical_outputs(tmp_path: Path) -> None:
    first = build_with_seed(tmp_path / "a", "1")
    second = build_with_seed(tmp_path / "b", "2")
    assert first == second
    # the same content is the same build folder
    assert os.readlink(tmp_path / "a" / "current") == os.readlink(
        tmp_path / "b" / "current"
    )


EVERY_FORMAT = """
import sys
from ctgraph.build import assemble
from ctgraph.exports import FORMATS, serialise
dataset, merged = assemble()
for fmt in sorted(FORMATS):
    graph = dataset if fmt in ("trig", "nq") else merged
    sys.stdout.buffer.write(fmt.encode() + b"\\0" + serialise(graph, fmt) + b"\\0")
"""


def export_every_format(seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-c", EVERY_FORMAT],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    ).stdout
    parts = out.split(b"\0")[:-1]
    return {parts[i].decode(): parts[i + 1] for i in range(0, len(parts), 2)}


def test_every_export_format_is_byte_identical_across_hash_seeds() -> None:
    first, second = export_every_format("3"), export_every_format("4")
    assert set(first) == set(FORMATS) and len(first) >= 5
    for fmt in FORMATS:
        assert len(first[fmt]) > 100_000, fmt
        assert first[fmt] == second[fmt], f"{fmt} differs between hash seeds"


def test_line_based_formats_are_sorted() -> None:
    from rdflib import Graph, Literal, URIRef

    graph = Graph()
    for n in (3, 1, 2):
        graph.add((URIRef(f"urn:x:{n}"), URIRef("urn:p"), Literal(n)))
    lines = serialise(graph, "nt").decode().splitlines()
    assert lines == sorted(lines) and len(lines) == 3


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")

    class Boom(bytes):
        def __len__(self) -> int:
            raise RuntimeError("disk full")

    with pytest.raises(TypeError):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
