"""Where things are: the shipped resources, the raw inputs and the outputs.

The ontology, the stored queries and the data tables are the repository's top-level
`ontology/`, `queries/` and `data/`. A wheel carries them inside the package as
`ctgraph/resources/` (the build backend maps them there), so an installed ctgraph
reads them through `importlib.resources`; a source checkout reads the folders
themselves. Nothing else decides where they are.

Raw inputs (the report texts, the full external datasets) are read only by the
ingest commands: from the folder given as an argument, else an environment
variable, else `../shared/<name>` beside a source checkout when it exists.

Outputs go to `build/` in the current directory unless an `--out` says otherwise.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

#: the repository, when this package runs from a source checkout
REPO = Path(__file__).resolve().parents[2]
#: the environment variable naming the folder of report texts
SOURCES_ENV = "CTGRAPH_SOURCES"
#: its older name, still read when the new one is not set
SOURCES_ENV_OLD = "CTGRAPH_SEEDS"
#: the environment variable naming the folder of full external datasets
EXTERNAL_ENV = "CTGRAPH_EXTERNAL"


def resources_root() -> Path:
    """The folder holding `ontology/`, `queries/` and `data/`: the package's
    `resources/` when installed from a wheel, else the source checkout."""
    packaged = files("ctgraph").joinpath("resources")
    if packaged.is_dir():
        return Path(str(packaged))
    return REPO


ONTOLOGY_DIR = resources_root() / "ontology"
QUERIES_DIR = resources_root() / "queries"
#: the derivation rules the build runs (SPARQL CONSTRUCT, in file-name order)
RULES_DIR = QUERIES_DIR / "rules"
DATA_DIR = resources_root() / "data"
#: relative, so it is `build/` in the directory a command runs from
BUILD_DIR = Path("build")
#: the build's outputs in it: the named graphs, and all of them merged
TRIG = "ctgraph.trig"
TTL = "ctgraph.ttl"


def _beside_checkout(name: str) -> Path | None:
    if resources_root() != REPO:
        return None  # an installed package has no folder beside it
    candidate = (REPO / ".." / "shared" / name).resolve()
    return candidate if candidate.is_dir() else None


def input_dir(given: Path | str | None, env: str, name: str) -> Path | None:
    """`given`, else `$env`, else `../shared/<name>` beside the checkout when it
    exists; None when none applies."""
    if given is not None:
        return Path(given)
    configured = os.environ.get(env)
    if env == SOURCES_ENV and not configured:
        configured = os.environ.get(SOURCES_ENV_OLD)
    if configured:
        return Path(configured)
    return _beside_checkout(name)


def sources_dir(given: Path | str | None = None) -> Path | None:
    """The folder of report texts (`CTGRAPH_SOURCES`, else ../shared/seeds)."""
    return input_dir(given, SOURCES_ENV, "seeds")


def external_dir(given: Path | str | None = None) -> Path | None:
    """The folder of full external datasets (`CTGRAPH_EXTERNAL`, else
    ../shared/external)."""
    return input_dir(given, EXTERNAL_ENV, "external")
