"""The store cached beside the built graph: reused while the TriG is unchanged,
remade when it is stale or damaged, never read for rows the TriG does not hold."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ctgraph.queries.library import KnowledgeGraph
from ctgraph.store import folder as folder_module
from ctgraph.store.folder import RECORD, cache_folder, cached_store

GRAPH = "https://w3id.org/ctgraph/id/graph/test"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def trig_of(n: int) -> str:
    """A TriG document of `n` statements in one named graph."""
    lines = [f"<{GRAPH}> {{"]
    lines += [f'  <urn:s{i}> <urn:p> "v{i}" .' for i in range(n)]
    return "\n".join([*lines, "}", ""])


def count(kg_or_backend: object) -> int:
    backend = getattr(kg_or_backend, "backend", kg_or_backend)
    return int(backend.select(COUNT).rows[0][0])  # type: ignore[attr-defined]


@pytest.fixture
def trig(tmp_path: Path) -> Path:
    path = tmp_path / "build" / "ctgraph.trig"
    path.parent.mkdir()
    path.write_text(trig_of(5), encoding="utf-8")
    return path


def test_first_use_fills_the_cache_and_later_uses_open_it(trig: Path) -> None:
    first = cached_store(trig)
    assert first is not None and count(first) == 5
    folder = cache_folder(trig)
    record = json.loads((folder / RECORD).read_text())
    assert record["quads"] == 5
    made = folder.stat().st_ino
    del first
    again = cached_store(trig)
    assert again is not None and count(again) == 5
    assert folder.stat().st_ino == made  # opened, not remade


def test_the_cache_sits_beside_the_file_a_link_leads_to(tmp_path: Path) -> None:
    real = tmp_path / "builds" / "abc" / "ctgraph.trig"
    real.parent.mkdir(parents=True)
    real.write_text(trig_of(2), encoding="utf-8")
    link = tmp_path / "ctgraph.trig"
    link.symlink_to(real)
    assert cache_folder(link) == real.parent / "ctgraph.oxigraph"
    assert cached_store(link) is not None
    assert (real.parent / "ctgraph.oxigraph" / RECORD).is_file()


def test_a_build_relinking_the_trig_midway_cannot_mix_two_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a" / "ctgraph.trig", tmp_path / "b" / "ctgraph.trig"
    for path, n in ((first, 5), (second, 3)):
        path.parent.mkdir()
        path.write_text(trig_of(n), encoding="utf-8")
    link = tmp_path / "ctgraph.trig"
    link.symlink_to(first)
    digest = folder_module.fingerprint

    def then_relink(path: Path) -> str:
        value = digest(path)
        link.unlink()
        link.symlink_to(second)  # a build switched `current` meanwhile
        return value

    monkeypatch.setattr(folder_module, "fingerprint", then_relink)
    assert count(cached_store(link)) == 5  # all from the file first read
    monkeypatch.setattr(folder_module, "fingerprint", digest)
    assert count(cached_store(first)) == 5
    assert count(cached_store(link)) == 3


def test_a_changed_trig_is_never_answered_from_the_old_cache(trig: Path) -> None:
    assert count(cached_store(trig)) == 5
    trig.write_text(trig_of(3), encoding="utf-8")  # rewritten in place
    assert count(cached_store(trig)) == 3


@pytest.mark.parametrize(
    "damage",
    ["record-garbage", "record-count", "record-missing", "files-removed"],
)
def test_a_damaged_cache_is_remade_not_read(trig: Path, damage: str) -> None:
    first = cached_store(trig)
    assert count(first) == 5
    del first  # closed before the damage, as a finished command leaves it
    folder = cache_folder(trig)
    record = folder / RECORD
    if damage == "record-garbage":
        record.write_text("{not json")
    elif damage == "record-count":  # a store holding other than it should
        data = json.loads(record.read_text())
        record.write_text(json.dumps({**data, "quads": 4}))
    elif damage == "record-missing":
        record.unlink()
    else:  # the database files gone, the record left
        removed = [p for p in folder.iterdir() if p.name != RECORD]
        assert removed
        for path in removed:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    assert count(cached_store(trig)) == 5
    assert json.loads(record.read_text())["quads"] == 5


def test_a_trig_that_does_not_parse_leaves_no_cache(trig: Path) -> None:
    trig.write_text("<a> <b> .\n", encoding="utf-8")
    assert cached_store(trig) is None
    assert not cache_folder(trig).exists()
    assert not [p for p in trig.parent.iterdir() if p.name.startswith(".tmp-")]


def test_a_rebuild_killed_before_its_swap_is_cleared_by_the_next(trig: Path) -> None:
    script = f"""
        import os, signal
        from pathlib import Path
        from ctgraph.store import folder
        folder.swap = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
        folder.cached_store(Path({str(trig)!r}))
    """
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, timeout=60
    )
    assert child.returncode == -9, child.stderr
    left = [p for p in trig.parent.iterdir() if p.name.startswith(".tmp-")]
    assert left and not cache_folder(trig).exists()  # filled, never put in place
    assert count(cached_store(trig)) == 5
    assert not [p for p in trig.parent.iterdir() if p.name.startswith(".tmp-")]


def test_the_built_graph_is_queried_through_its_cache(
    real_trig: Path, kg: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "build").mkdir()
    shutil.copyfile(real_trig, tmp_path / "build" / "ctgraph.trig")
    monkeypatch.chdir(tmp_path)
    cached = KnowledgeGraph.load()
    assert (tmp_path / "build" / "ctgraph.oxigraph" / RECORD).is_file()
    for name in ("compact-size-over-time", "working-groups-by-pillar"):
        assert cached.query(name).rows == kg.query(name).rows
    reopened = KnowledgeGraph.load()
    assert len(reopened.backend) == len(kg.backend)
