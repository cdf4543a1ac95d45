"""Where things are: a copy of the tracked files alone builds, validates and answers
a stored query, and the wheel carries everything the commands read, run from any
folder. Both run the real command line in a child process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from ctgraph import build as pipeline
from ctgraph.paths import (
    DATA_DIR,
    EXTERNAL_ENV,
    QUERIES_DIR,
    REPO,
    SOURCES_ENV,
    SOURCES_ENV_OLD,
    resources_root,
)
from ctgraph.queries.library import KnowledgeGraph, load_queries
from ctgraph.queries.results import render

ROOT = Path(__file__).resolve().parents[1]
QUERY = "compact-size-over-time"
#: no input folder reaches the child processes
CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in (SOURCES_ENV, SOURCES_ENV_OLD, EXTERNAL_ENV, "PYTHONPATH")
}


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**CLEAN_ENV, **env},
    )


def test_a_checkout_reads_its_own_folders() -> None:
    assert resources_root() == REPO == ROOT
    assert DATA_DIR == ROOT / "data" and QUERIES_DIR == ROOT / "queries"
    assert pipeline.BUILD_DIR == Path("build")  # relative: the current directory


def tracked_files() -> list[str]:
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: cannot list the tracked files")
    return [name for name in done.stdout.decode().split("\0") if name]


def test_a_fresh_clone_builds_validates_and_answers(
    tmp_path: Path, real_build: pipeline.BuildResult, kg: KnowledgeGraph
) -> None:
    clone = tmp_path / "clone"
    files = tracked_files()
    assert "data/mentions/mentions.csv" in files
    for name in files:
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    assert not (tmp_path / "shared").exists()
    python = [sys.executable, "-m", "ctgraph"]
    env = {"PYTHONPATH": str(clone / "src")}

    built = run([*python, "build"], clone, **env)
    assert built.returncode == 0, built.stderr
    assert "wrote build/ctgraph.trig" in built.stdout
    (trig,) = [p for p in real_build.written if p.name == pipeline.TRIG]
    assert (clone / "build" / pipeline.TRIG).read_bytes() == trig.read_bytes()

    checked = run([*python, "validate", "build/ctgraph.ttl"], clone, **env)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    answered = run([*python, "query", QUERY, "--format", "csv"], clone, **env)
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout == render(kg.query(QUERY), "csv")


def test_the_wheel_runs_from_any_folder(tmp_path: Path, kg: KnowledgeGraph) -> None:
    dist = tmp_path / "dist"
    wheel_built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        + ["--no-index", "-q", "-w", str(dist), str(ROOT)],
        tmp_path,
    )
    assert wheel_built.returncode == 0, wheel_built.stderr
    (wheel,) = dist.glob("ctgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "ctgraph/resources/ontology/shapes.ttl",
        f"ctgraph/resources/queries/{QUERY}.rq",
        "ctgraph/resources/data/core/sources.csv",
        "ctgraph/resources/data/mentions/mentions.csv",
        "ctgraph/resources/data/external/cr-unsc/LICENSE",
    ):
        assert shipped in names, shipped

    # a fresh venv that borrows this one's dependencies (no network, no copies)
    venv = tmp_path / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    assert made.returncode == 0, made.stderr
    (site,) = venv.glob("lib/python*/site-packages")
    (site / "_borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
        + ["install", "--no-deps", "--no-index", "-q", str(wheel)],
        tmp_path,
    )
    assert installed.returncode == 0, installed.stderr

    work = tmp_path / "elsewhere"
    work.mkdir()
    ctgraph = str(venv / "bin" / "ctgraph")
    where = run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import ctgraph.paths as p; print(p.resources_root())",
        ],
        work,
    )
    assert where.stdout.strip() == str(site / "ctgraph" / "resources")

    built = run([ctgraph, "build"], work)
    assert built.returncode == 0, built.stderr
    assert (work / "build" / pipeline.TRIG).is_file()

    listed = run([ctgraph, "queries"], work)
    assert listed.returncode == 0, listed.stderr
    assert f"{len(load_queries())} stored queries" in listed.stdout

    answered = run([ctgraph, "query", QUERY, "--format", "csv"], work)
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout == render(kg.query(QUERY), "csv")

    checked = run([ctgraph, "validate", "build/ctgraph.ttl"], work)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert sorted(p.name for p in work.iterdir()) == ["build"]
