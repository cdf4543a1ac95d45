"""Queries: the stored query library, name look-up, checks and result formats."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """`from ctgraph.queries import KnowledgeGraph`, without eager engine imports."""
    if name == "KnowledgeGraph":
        from ctgraph.queries.library import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(name)
