"""Deterministic serialisation and atomic writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ctgraph.exports import atomic_write

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
