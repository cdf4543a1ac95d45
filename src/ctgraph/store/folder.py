"""On-disk Oxigraph stores kept in step with a TriG file: a `--store` folder, and
the cache beside the built graph that `ctgraph query` reads instead of parsing the
TriG on every run.

Freshness is decided from content, not file times: the store records the SHA-256 of
the TriG it was filled from (`ctgraph-store.json`), written only after the load is
complete and flushed, and removed before a refill starts. A refill that is killed
therefore leaves no record, and the next open refills again. A second process on a
store in use opens it read-only when it is fresh, and is told so when it is not; a
path that is a file, an unrelated non-empty folder or under a missing folder is
refused rather than filled with database files.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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


#: the cache beside a built TriG file: `<name>.oxigraph` in the build's folder
CACHE_SUFFIX = ".oxigraph"


def cache_folder(trig: Path) -> Path:
    """Where the cached store of `trig` lives: beside the file the path leads to
    (inside `build/builds/<id>/`, for the built graph), so each build has its own."""
    real = trig.resolve()
    return real.with_name(real.stem + CACHE_SUFFIX)


def cached_store(trig: Path) -> OxigraphBackend | None:
    """The graph in `trig` from its cached store, made (or remade) first when it is
    missing, stale or unreadable; None when no cache can be made there (a folder
    not writable), and the caller then reads the TriG itself.

    Fresh means: its record names the SHA-256 of the TriG's bytes now and the
    number of quads the store then held, and the store opens and holds that
    many. Anything else is rebuilt in a temporary folder and swapped in by
    renames, so a reader never sees a half-filled cache; one process at a time
    rebuilds, and first removes what a killed rebuild left.
    """
    trig = trig.resolve()  # one file throughout, even if a build relinks the path
    folder = cache_folder(trig)
    wanted = fingerprint(trig)
    found = open_cache(folder, wanted)
    if found is not None:
        return found
    try:
        with fill_lock(folder):
            found = open_cache(folder, wanted)  # made meanwhile by another process
            if found is not None:
                return found
            remove_leftovers(folder)
            fill_cache(folder, trig, wanted)
    except (OSError, SyntaxError, ValueError):
        return None
    return open_cache(folder, wanted)


@contextmanager
def fill_lock(folder: Path) -> Iterator[None]:
    """Held while the cache at `folder` is made (released if the process dies)."""
    with open(folder.with_name(f".{folder.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(folder: Path) -> None:
    """The temporary folders of a rebuild that was killed (under the fill lock,
    so none of them is another process's work in progress)."""
    for prefix in (".tmp-", ".old-"):
        for path in folder.parent.glob(f"{prefix}{folder.name}-*"):
            shutil.rmtree(path, ignore_errors=True)


def open_cache(folder: Path, wanted: str) -> OxigraphBackend | None:
    """The cached store read-only when it is fresh and whole, else None."""
    record = read_record(folder)
    if record.get("trig_sha256") != wanted or not isinstance(record.get("quads"), int):
        return None
    try:
        store = ox.Store.read_only(str(folder))
        if len(store) != record["quads"]:
            return None
    except OSError:
        return None
    return OxigraphBackend.wrap(store)


def read_record(folder: Path) -> dict:
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def fill_cache(folder: Path, trig: Path, wanted: str) -> None:
    """Load `trig` into a new store beside `folder` and put it in its place."""
    temporary = Path(tempfile.mkdtemp(prefix=f".tmp-{folder.name}-", dir=folder.parent))
    try:
        store = ox.Store(str(temporary))
        store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
        store.flush()
        record = {"trig_sha256": wanted, "quads": len(store)}
        del store  # closed: the folder may move
        os.chmod(temporary, 0o755)  # readable as the build folder is
        atomic_write(temporary / RECORD, json.dumps(record).encode("utf-8"))
        swap(temporary, folder)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def swap(new: Path, folder: Path) -> None:
    """Put the folder `new` at `folder`, moving an old one out of the way first. A
    process that made the same cache at the same time may win: its folder stays."""
    if folder.exists() or folder.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".old-{folder.name}-", dir=folder.parent))
        try:
            os.rename(folder, old / "store")
        except FileNotFoundError:  # another process moved it first
            pass
        finally:
            shutil.rmtree(old, ignore_errors=True)
    try:
        os.rename(new, folder)
    except OSError:  # another process put its own there since: use that one
        pass
