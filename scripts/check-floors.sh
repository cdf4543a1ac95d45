#!/usr/bin/env bash
# Prove the lower bounds in pyproject.toml: install every direct dependency (and test
# tool) at the lowest version its bound allows (uv's lowest-direct resolution) into a
# fresh venv, print what was installed, and run the test suite on it.
# Needs PyPI. Takes a few minutes; not part of the default test run.
#   scripts/check-floors.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${FLOORS_VENV:-build/floors-venv}
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q uv
"$venv/bin/uv" pip install -q --python "$venv/bin/python" --resolution lowest-direct \
    -e '.[test]'
echo "installed at the floors:"
"$venv/bin/uv" pip list --python "$venv/bin/python" | grep -iE \
    '^(rdflib|pyshacl|pyoxigraph|pycountry|typer|rich|pyyaml|matplotlib|openpyxl|pyparsing|fastapi|uvicorn|jinja2|owlready2|pytest|hypothesis|oxigraph|ruff|hatchling|pytest-randomly|httpx|playwright|sparqlwrapper|pandas|pytest-cov|click|starlette) '
"$venv/bin/python" -m pytest -q "$@"
