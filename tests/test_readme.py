"""The README's quick start is what CI runs, and names only real commands."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_two_quick_start_commands() -> None:
    commands = quick_start()
    assert len(commands) == 2
    assert "ctgraph" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert quick_start()[1] in ci.splitlines()


def test_readme_commands_exist() -> None:
    from typer.main import get_command

    from ctgraph.cli import app

    known = set(get_command(app).commands)  # type: ignore[attr-defined]
    readme = (ROOT / "README.md").read_text()
    used = set(re.findall(r"`ctgraph ([a-z]+)", readme))
    assert used and used <= known
