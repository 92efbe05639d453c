"""Atomic, honest output files (DESIGN section 7: writes are atomic and never replace silently).

:func:`write_output` takes a document already built in memory, writes it to a temporary file in
the target's folder, flushes it to disk, then puts it in place in one step: created exclusively
(it fails if the path exists at that moment, even if it appeared after the command started) or,
with ``force``, atomically replacing the old file. On any failure the temporary file is removed,
the old file is left as it was, and an :class:`~analyzer.errors.OutputError` names the path and
the reason.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from analyzer.errors import AnalyzerError


class OutputError(AnalyzerError):
    """An output file that could not be written; the message names the path and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cannot write {self.path}: {reason}")


def encode_document(data: str | bytes, path: str | Path) -> bytes:
    """The bytes to write for ``data``: text as UTF-8, refused whole if it cannot be encoded.

    >>> encode_document("café", "x.txt")
    b'caf\\xc3\\xa9'
    """
    if isinstance(data, bytes):
        return data
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise OutputError(path, f"the text cannot be written as UTF-8 ({exc.reason})") from None


def emit_document(document: str | bytes, output: str | Path | None, force: bool = False) -> None:
    """A command's document: to standard output when no ``output`` is named, else written with
    :func:`write_output` and the path said on standard error.

    Text that cannot be encoded is refused before the first byte goes out, and so is a binary
    document (XLSX, PDF) with no ``output``.
    """
    if output is None:
        if isinstance(document, bytes):
            raise OutputError("<stdout>", "a binary document needs an output file (-o FILE)")
        encode_document(document, "<stdout>")
        sys.stdout.write(document)
        return
    write_output(output, document, force=force)
    print(f"wrote {output}", file=sys.stderr)


def write_output(
    path: str | Path, data: str | bytes, force: bool = False, durable: bool = True
) -> None:
    """Write ``data`` to ``path`` atomically: all of it or nothing, the old file kept on failure.

    Parameters
    ----------
    path
        The file to create (or, with ``force``, to replace).
    data
        The whole document; text is written as UTF-8.
    force
        Replace an existing file; without it an existing path is an error, checked at the
        moment the file is put in place.
    durable
        Flush the file and its folder entry to disk before returning. A writer of many files
        (the batch) passes False and flushes them itself (:func:`flush_files`,
        :func:`flush_folders`, or :func:`flush_to_disk` for both):
        each file still appears whole or not at all.

    Raises
    ------
    OutputError
        The path exists (without ``force``), is not a regular file, or the OS refused a step
        (no space, no permission, missing folder...).
    """
    target = Path(path)
    payload = encode_document(data, target)
    if not force and (target.exists() or target.is_symlink()):
        raise OutputError(target, "the file exists; add --force to overwrite it")
    if target.exists() and not target.is_file():
        raise OutputError(target, "it is not a regular file")
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(target, _reason(exc)) from None
    try:
        _write_synced(handle, payload, durable)
        if force:
            os.replace(temporary, target)
        else:
            _create_exclusively(temporary, target, payload)
    except FileExistsError:
        raise OutputError(target, "the file exists; add --force to overwrite it") from None
    except OSError as exc:
        raise OutputError(target, _reason(exc)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    if durable:
        _sync_folder(folder)


def flush_to_disk(paths: list[Path]) -> None:
    """Flush files written with ``durable=False``, then their folders, to disk.

    Raises
    ------
    OutputError
        A file could not be flushed (it names the file and the reason).
    """
    flush_files(paths)
    flush_folders({Path(path).parent for path in paths})


def flush_files(paths: list[Path]) -> None:
    """Flush the content of files written with ``durable=False`` to disk; their folder entries
    are flushed by :func:`flush_folders`.

    Raises
    ------
    OutputError
        A file could not be flushed (it names the file and the reason).
    """
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise OutputError(path, _reason(exc)) from None


def flush_folders(folders: Iterable[Path]) -> None:
    """Flush the entries of ``folders`` (the names of files put there), best effort."""
    for folder in folders:
        _sync_folder(folder)


def _write_synced(handle: int, payload: bytes, durable: bool = True) -> None:
    """Write ``payload`` to the open file ``handle``, on disk before it is closed if
    ``durable``."""
    with os.fdopen(handle, "wb") as stream:
        stream.write(payload)
        stream.flush()
        if durable:
            os.fsync(stream.fileno())


def _create_exclusively(temporary: str, target: Path, payload: bytes) -> None:
    """Give ``target`` the temporary file's content; fail if ``target`` exists at this moment.

    A hard link is atomic and exclusive; on a file system without hard links the file is
    created with ``O_EXCL`` instead (exclusive, and removed again if the write fails).
    """
    try:
        os.link(temporary, target)
        return
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        _write_synced(fd, payload)
    except OSError:
        os.unlink(target)
        raise


def _reason(exc: OSError) -> str:
    """The OS's reason in words, never ``None``."""
    return exc.strerror or str(exc) or type(exc).__name__


def _sync_folder(folder: Path) -> None:
    """Flush the folder entry so the new name survives a crash (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
