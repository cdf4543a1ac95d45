"""Where the project's folders are: the repository, and the shared folders beside it.

The source reports and external datasets live outside the repository, in `../shared/`
next to it; an environment variable points elsewhere when they do not.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shared_dir(name: str, env: str) -> Path:
    """`$env` when set, else `../shared/<name>` beside the repository."""
    configured = os.environ.get(env)
    if configured:
        return Path(configured)
    return (ROOT / ".." / "shared" / name).resolve()
