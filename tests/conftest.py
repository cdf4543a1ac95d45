"""Shared fixtures: the real graph is assembled once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctgraph import build as pipeline
from ctgraph.queries import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> pipeline.BuildResult:
    """The real data built and validated once, written to a temporary build folder."""
    out = tmp_path_factory.mktemp("build")
    return pipeline.build(pipeline.DATA_DIR, out)


@pytest.fixture(scope="session")
def real_trig(real_build: pipeline.BuildResult) -> Path:
    """The TriG file of the real build (every check passed, or the build wrote none)."""
    trig = out_file(real_build, pipeline.TRIG)
    assert trig.exists(), "the real data did not build: run `ctgraph build`"
    return trig


def out_file(result: pipeline.BuildResult, name: str) -> Path:
    found = [p for p in result.written if p.name == name]
    assert found, f"the build wrote no {name}: {result.report.to_text()}"
    return found[0]


@pytest.fixture(scope="session")
def kg(real_trig: Path) -> KnowledgeGraph:
    """The real graph on the default engine, embedded Oxigraph."""
    return KnowledgeGraph.load("oxigraph", real_trig)


@pytest.fixture(scope="session")
def kg_rdflib(real_trig: Path) -> KnowledgeGraph:
    """The same graph on rdflib's engine, to cross-check every stored query."""
    return KnowledgeGraph.load("rdflib", real_trig)
