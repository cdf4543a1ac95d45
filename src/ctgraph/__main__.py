"""`python -m ctgraph` and the `ctgraph` command.

`--version` answers before the commands' libraries (rdflib, pyoxigraph, typer, rich)
are imported, which takes most of a second; everything else goes to `ctgraph.cli`.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from importlib.metadata import version

        sys.stdout.write(f"ctgraph {version('ctgraph')}\n")
        return
    from ctgraph.cli import main as run

    run()


if __name__ == "__main__":
    main()
