"""A `--store` folder: an on-disk Oxigraph store kept in step with a TriG file.

Freshness is decided from content, not file times: the store records the SHA-256 of
the TriG it was filled from (`ctgraph-store.json`), written only after the load is
complete and flushed, and removed before a refill starts. A refill that is killed
therefore leaves no record, and the next open refills again. A second process on a
store in use opens it read-only when it is fresh, and is told so when it is not; a
path that is a file, an unrelated non-empty folder or under a missing folder is
refused rather than filled with database files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox

from ctgraph.exports import atomic_write
from ctgraph.store.backends import OxigraphBackend

RECORD = "ctgraph-store.json"
#: files RocksDB always writes: a folder with them is an Oxigraph store
ROCKSDB_FILES = ("CURRENT", "IDENTITY")


class StoreError(ValueError):
    """A store folder that cannot be used, and why."""


def fingerprint(trig: Path) -> str:
    """The SHA-256 of a file's bytes (a few milliseconds for the real graph)."""
    digest = hashlib.sha256()
    with trig.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def recorded(folder: Path) -> str | None:
    """The fingerprint of the TriG the store holds, None when unknown or partial."""
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("trig_sha256") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def check_folder(folder: Path) -> None:
    """Refuse a path that is not, and cannot become, a store folder of ours."""
    if folder.is_file():
        raise StoreError(f"{folder} is a file, not a store folder")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise StoreError(
                f"{folder}: the folder it would be created in, {folder.parent}, "
                "does not exist"
            )
        return
    if not folder.is_dir():
        raise StoreError(f"{folder} is not a folder")
    names = {p.name for p in folder.iterdir()}
    if names and RECORD not in names and not all(f in names for f in ROCKSDB_FILES):
        raise StoreError(
            f"{folder} is not empty and is not a ctgraph store (no {RECORD}): "
            "give a new or empty folder"
        )


def open_store(folder: Path, trig: Path) -> OxigraphBackend:
    """The store at `folder`, filled from `trig` unless it already holds it."""
    check_folder(folder)
    wanted = fingerprint(trig) if trig.exists() else None
    fresh = recorded(folder)
    if fresh is not None and wanted in (None, fresh):
        return OxigraphBackend.wrap(open_rocksdb(folder, read_only_if_busy=True))
    if wanted is None:
        raise StoreError(f"{trig} not found, and the store {folder} holds no graph")
    store = open_rocksdb(folder, read_only_if_busy=False)
    (folder / RECORD).unlink(missing_ok=True)  # from here until the end: partial
    try:
        store.clear()
        store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
        store.flush()
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"cannot fill the store {folder} from {trig}: {exc}") from None
    record = {"trig_sha256": wanted, "trig": str(trig)}
    atomic_write(folder / RECORD, json.dumps(record, indent=1).encode("utf-8"))
    return OxigraphBackend.wrap(store)


def open_rocksdb(folder: Path, read_only_if_busy: bool) -> ox.Store:
    """Open read-write; a store another process holds opens read-only when allowed."""
    try:
        return ox.Store(str(folder))
    except OSError as exc:
        busy = "lock" in str(exc).lower()
        if not busy:
            raise StoreError(f"cannot open the store {folder}: {exc}") from None
    if not read_only_if_busy:
        raise StoreError(
            f"the store {folder} is in use by another process and must be refilled: "
            "try again when that process has finished"
        )
    try:
        return ox.Store.read_only(str(folder))
    except OSError as exc:
        raise StoreError(f"cannot open the store {folder} read-only: {exc}") from None
