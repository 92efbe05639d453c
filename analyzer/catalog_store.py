"""The validated catalog kept on disk, so a new process does not parse unchanged YAML again.

:func:`~analyzer.catalog.load_catalog` reads and hashes every catalog file on every call; when
its in-memory cache misses, it asks :func:`load_stored` for the catalog this process or an
earlier one stored under the same key, and :func:`store` keeps a catalog it had to parse. Only
catalogs that loaded without problems are stored: a catalog with problems is parsed every time,
so its messages keep their file, line and column.

The key (:func:`store_key`) is everything the loaded object depends on: the resolved folder, the
day it was checked on, the hash of every file's name and bytes, the versions of Python, pydantic
and PyYAML, and a hash of this package's own source files, so an edited model class never meets
an object pickled from the old one.

Where: the user's cache folder (``platformdirs.user_cache_dir("crm-analyzer")``, on Linux
``~/.cache/crm-analyzer``), or the folder named by the environment variable
:data:`CACHE_DIR_ENV`; an empty value or ``off`` turns the store off. Each file is written to a
temporary file in the same folder and renamed into place (two processes storing at once each
rename a whole file), and only the newest :data:`KEEP_FILES` are kept. A store that cannot be
read or written (missing, corrupt, truncated, foreign, read-only, full) is passed over silently:
the catalog is then parsed as if there were none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

import pydantic
import pydantic_core
import yaml

CACHE_DIR_ENV = "CRM_ANALYZER_CACHE_DIR"
"""The environment variable naming the store's folder; empty or ``off``: no store."""
STORE_DISABLED = ("", "off")
"""Values of :data:`CACHE_DIR_ENV` that turn the store off."""
KEEP_FILES = 8
"""Most stored catalogs kept; storing one more removes the least recently used."""
MAX_STORED_BYTES = 64 * 1024 * 1024
"""Largest stored file read back (the bundled catalog pickles to about 0.3 MB)."""
STALE_TEMP_SECONDS = 3600
"""Age after which a temporary file left by a writer that died is removed."""
FORMAT = b"crm-analyzer catalog store 1\n"
"""First bytes of every stored file; a new layout gets a new number."""
DIGEST_SIZE = 32
"""Bytes of the blake2b digest of the pickle that follows :data:`FORMAT` in a stored file: a
file damaged on disk is refused instead of unpickled into a wrong catalog."""
PACKAGE_ROOT = Path(__file__).resolve().parent
"""The ``analyzer`` package folder, whose source files are part of the key."""
STORED_PREFIX, STORED_SUFFIX = "catalog-", ".pickle"
"""A stored catalog's file is named ``catalog-<key>.pickle``."""
TEMP_PREFIX = ".catalog-"
"""A file being written is named ``.catalog-<random>.tmp`` until it is renamed into place."""


def store_folder() -> Path | None:
    """The folder catalogs are stored in, or None when the store is turned off."""
    named = os.environ.get(CACHE_DIR_ENV)
    if named is not None:
        return None if named.strip().lower() in STORE_DISABLED else Path(named)
    # Imported here: a process with the store turned off never needs it.
    import platformdirs

    return Path(platformdirs.user_cache_dir("crm-analyzer", appauthor=False))


def runtime_versions() -> tuple[str, ...]:
    """The versions of what builds and pickles the catalog: Python, pydantic and PyYAML."""
    return (
        sys.version,
        sys.implementation.cache_tag or "",
        pydantic.VERSION,
        pydantic_core.__version__,
        yaml.__version__,
    )


def package_source_digest(package_root: Path = PACKAGE_ROOT) -> bytes:
    """A blake2b digest of the name and bytes of every ``.py`` file under ``package_root``.

    Reading and hashing the package's sources (about 0.6 MB) takes 2.5 to 4 ms.
    """
    root = str(package_root)
    files = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        files += [os.path.join(folder, name) for name in names if name.endswith(".py")]
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for file in sorted(files):
        with open(file, "rb") as source:
            _update_framed(digest, os.fsencode(file[len(root) :]), source.read())
    return digest.digest()


@functools.cache
def code_fingerprint() -> bytes:
    """A digest of :func:`runtime_versions` and :func:`package_source_digest`, worked out once
    per process (the code a process runs does not change under it)."""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for version in runtime_versions():
        _update_framed(digest, version.encode())
    _update_framed(digest, package_source_digest())
    return digest.digest()


def store_key(folder: str, today: dt.date, content_hash: bytes, code: bytes | None = None) -> str:
    """The name a catalog is stored under: a hex digest of the resolved ``folder``, the day
    ``today`` it was checked on, the ``content_hash`` of its files and ``code``, the
    :func:`code_fingerprint` by default."""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    _update_framed(
        digest,
        FORMAT,
        folder.encode("utf-8", "surrogateescape"),
        today.isoformat().encode(),
        content_hash,
        code if code is not None else code_fingerprint(),
    )
    return digest.hexdigest()


def load_stored(folder: str, today: dt.date, content_hash: bytes) -> object | None:
    """The object stored under :func:`store_key` of the arguments, or None when the store is
    off, holds none, or the file cannot be trusted (not ours, damaged, unreadable)."""
    path = _stored_path(folder, today, content_hash)
    data = None if path is None else _read_own_file(path)
    if data is None or not data.startswith(FORMAT):
        return None
    body = memoryview(data)[len(FORMAT) :]
    digest, payload = bytes(body[:DIGEST_SIZE]), body[DIGEST_SIZE:]
    if hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest() != digest:
        return None
    try:
        stored = pickle.loads(payload)
    except Exception:  # unpickling can raise anything; the caller parses instead
        return None
    _mark_used(path)
    return stored


def store(folder: str, today: dt.date, content_hash: bytes, catalog: object) -> None:
    """Keep ``catalog`` under :func:`store_key` of the arguments and remove all but the newest
    :data:`KEEP_FILES`; do nothing when the store is off or cannot be written."""
    path = _stored_path(folder, today, content_hash)
    if path is None:
        return
    try:
        payload = pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # pickling can raise anything; the store is only a shortcut
        return
    digest = hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_atomically(path, FORMAT + digest + payload)
    except OSError:
        return
    _prune(path.parent)


def _stored_path(folder: str, today: dt.date, content_hash: bytes) -> Path | None:
    """The file the catalog of the arguments is stored in; None when the store is off or this
    package's source files cannot be read (then no key can be trusted)."""
    where = store_folder()
    if where is None:
        return None
    try:
        key = store_key(folder, today, content_hash)
    except OSError:
        return None
    return where / f"{STORED_PREFIX}{key}{STORED_SUFFIX}"


def _update_framed(digest: hashlib.blake2b, *parts: bytes) -> None:
    """Feed ``parts`` to ``digest`` each after its length, so no two splits collide."""
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)


def _read_own_file(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most :data:`MAX_STORED_BYTES` owned
    by this user (a file someone else put in the folder is never unpickled), else None."""
    try:
        with open(path, "rb") as stored:
            status = os.fstat(stored.fileno())
            if status.st_size > MAX_STORED_BYTES or not _owned_by_me(status):
                return None
            return stored.read(MAX_STORED_BYTES + 1)
    except OSError:
        return None


def _owned_by_me(status: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or status.st_uid == getuid()


def _mark_used(path: Path) -> None:
    """Move ``path`` to the front of the pruning order (its modification time is now)."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place: a reader
    sees the old file or the whole new one, never part of it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        _remove(Path(temporary))
        raise


def _prune(where: Path) -> None:
    """Remove all but the newest :data:`KEEP_FILES` stored catalogs, and temporary files
    older than :data:`STALE_TEMP_SECONDS`. Another process may be pruning too: a file already
    gone is fine."""
    stored: list[tuple[float, Path]] = []
    stale_before = time.time() - STALE_TEMP_SECONDS
    try:
        with os.scandir(where) as entries:
            for entry in entries:
                modified = _modified(entry)
                if modified is None:
                    continue
                name = entry.name
                if name.startswith(STORED_PREFIX) and name.endswith(STORED_SUFFIX):
                    stored.append((modified, Path(entry.path)))
                elif name.startswith(TEMP_PREFIX) and modified < stale_before:
                    _remove(Path(entry.path))
    except OSError:
        return
    stored.sort(reverse=True)
    for _, path in stored[KEEP_FILES:]:
        _remove(path)


def _modified(entry: os.DirEntry) -> float | None:  # type: ignore[type-arg]
    try:
        return entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return None


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
