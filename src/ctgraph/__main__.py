"""`python -m ctgraph` and the `ctgraph` command.

`--version` answers before the commands' libraries (rdflib, pyoxigraph, typer, rich)
are imported, which takes most of a second, and without scanning the installed
packages' metadata; everything else goes to `ctgraph.cli`.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from ctgraph import __version__

        sys.stdout.write(f"ctgraph {__version__}\n")
        return
    from ctgraph.cli import main as run

    run()


if __name__ == "__main__":
    main()
