"""Shared fixtures: the real graph is assembled once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctgraph import build as pipeline

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> pipeline.BuildResult:
    """The real data built and validated once, written to a temporary build folder."""
    out = tmp_path_factory.mktemp("build")
    return pipeline.build(pipeline.DATA_DIR, out)
