"""Where the export's files are: loose files in a folder, or members of ZIP parts.

A ZIP member's name is only ever a label and a key, never a path on disk: nothing is
extracted. Archives are checked before any member is read: an unsafe member name (absolute,
a drive letter, or a ``..`` step), a member that inflates more than :data:`MAX_RATIO` times,
or more than :data:`MAX_ARCHIVE_BYTES` in all is refused with the archive and member named.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from analyzer.orgscan.values import OrgScanError, id15

MAX_RATIO = 200
"""Largest uncompressed/compressed size ratio of a member above :data:`RATIO_FLOOR` bytes
(exported CSVs compress about 5 to 20 times; a zip bomb thousands of times)."""
RATIO_FLOOR = 1024 * 1024
"""Members this small are never refused for their ratio (they cannot exhaust anything)."""
MAX_ARCHIVE_BYTES = 64 * 1024**3
"""Largest total uncompressed size of one archive (a weekly part is about 512 MB zipped)."""
BINARY_FOLDERS = {
    "attachments": "Attachment",
    "documents": "Document",
    "contentversion": "ContentVersion",
}
"""Folders of the export's binaries, by the object whose rows describe them."""
PART_NAME = re.compile(r"^WE_(?P<org>00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?)_(?P<n>\d+)\.zip$", re.I)
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Member:
    """One file of the export, loose or inside an archive.

    ``where`` names it for messages (``WE_1.ZIP!Account.csv``); ``open`` returns a fresh binary
    stream each call (a CSV may be read twice when its encoding is not UTF-8).
    """

    name: str
    part: str | None
    where: str
    size: int
    open: Callable[[], BinaryIO]


@dataclass
class Inventory:
    """The CSV files and binaries found in the inputs, and the org id of the part names."""

    csvs: list[Member] = field(default_factory=list)
    binaries: dict[str, dict[str, Member]] = field(default_factory=dict)
    org_id: str | None = None
    archives: list[zipfile.ZipFile] = field(default_factory=list)

    def close(self) -> None:
        """Close the archives opened by :func:`find_inputs`."""
        for archive in self.archives:
            archive.close()
        self.archives.clear()

    def __enter__(self) -> Inventory:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _unsafe(name: str) -> bool:
    """Whether a member name would escape a folder if it were ever used as a path.

    >>> [_unsafe(n) for n in ("Account.csv", "/etc/passwd", "a/../../x", "C:\\\\x", "a\\\\..\\\\b")]
    [False, True, True, True, True]
    """
    posix = name.replace("\\", "/")
    return (
        posix.startswith("/")
        or re.match(r"^[A-Za-z]:", posix) is not None
        or ".." in PurePosixPath(posix).parts
    )


def _part_order(path: Path) -> tuple[int, str]:
    match = PART_NAME.match(path.name)
    return (int(match["n"]) if match else 0, path.name)


def _binary_kind(parts: tuple[str, ...]) -> str | None:
    """The object of a binary at ``parts`` (its folder is one of :data:`BINARY_FOLDERS`)."""
    if len(parts) < 2:
        return None
    return BINARY_FOLDERS.get(parts[-2].lower())


def _add_binary(inventory: Inventory, kind: str, member: Member) -> None:
    key = id15(PurePosixPath(member.name).name.split(".")[0])
    inventory.binaries.setdefault(kind, {})[key] = member


def _checked_infos(archive: zipfile.ZipFile, label: str) -> list[zipfile.ZipInfo]:
    """The archive's file members after the safety checks; raise on the first unsafe one."""
    total = 0
    infos = []
    for info in archive.infolist():
        where = f"{label}!{info.filename}"
        if _unsafe(info.filename):
            raise OrgScanError(where, "unsafe member name (absolute or with '..'); refused")
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise OrgScanError(where, "encrypted member; export it without a password")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise OrgScanError(
                where,
                f"compression ratio {ratio:,.0f} above the limit of {MAX_RATIO} "
                "(a zip bomb?); refused",
            )
        total += info.file_size
        if total > MAX_ARCHIVE_BYTES:
            raise OrgScanError(
                label,
                f"more than {MAX_ARCHIVE_BYTES // 1024**3} GiB uncompressed (a zip bomb?); refused",
            )
        infos.append(info)
    return infos


def _opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], BinaryIO]:
    return lambda: archive.open(info)


def _scan_archive(inventory: Inventory, path: Path) -> None:
    label = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise OrgScanError(label, f"not a readable ZIP archive (truncated?): {exc}") from None
    inventory.archives.append(archive)
    infos = _checked_infos(archive, label)
    match = PART_NAME.match(path.name)
    if match and inventory.org_id is None:
        inventory.org_id = match["org"]
    for info in infos:
        parts = PurePosixPath(info.filename.replace("\\", "/")).parts
        member = Member(
            name=info.filename,
            part=label,
            where=f"{label}!{info.filename}",
            size=info.file_size,
            open=_opener(archive, info),
        )
        kind = _binary_kind(parts)
        if kind is not None:
            _add_binary(inventory, kind, member)
        elif parts[-1].lower().endswith(".csv"):
            inventory.csvs.append(member)


def _loose(path: Path, root: Path) -> Member:
    name = path.relative_to(root).as_posix() if path != root else path.name
    return Member(
        name=name,
        part=None,
        where=str(path),
        size=path.stat().st_size,
        open=lambda: path.open("rb"),
    )


def _scan_folder(inventory: Inventory, folder: Path) -> None:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for path in sorted((p for p in files if p.suffix.lower() == ".zip"), key=_part_order):
        _scan_archive(inventory, path)
    for path in files:
        kind = _binary_kind(path.relative_to(folder).parts)
        if kind is not None:
            _add_binary(inventory, kind, _loose(path, folder))
        elif path.suffix.lower() == ".csv":
            inventory.csvs.append(_loose(path, folder))


def find_inputs(paths: list[Path]) -> Inventory:
    """The CSVs and binaries of a folder, one ZIP, several ZIP parts or loose CSV files.

    Parts are read in the order of their number (``WE_<OrgId>_<n>.ZIP``), so a record found in
    two parts keeps the values of the later one.

    The returned inventory holds the archives open: use it in a ``with`` block.

    Raises
    ------
    OrgScanError
        A path that does not exist or is neither a folder, a ZIP nor a CSV; an unreadable or
        unsafe archive.
    """
    inventory = Inventory()
    try:
        _collect(inventory, paths)
    except BaseException:
        inventory.close()
        raise
    return inventory


def _collect(inventory: Inventory, paths: list[Path]) -> None:
    archives = sorted(
        (p for p in paths if p.is_file() and p.suffix.lower() == ".zip"), key=_part_order
    )
    for path in paths:
        if not path.exists():
            raise OrgScanError(str(path), "no such file or folder")
        if path.is_dir():
            _scan_folder(inventory, path)
        elif path.suffix.lower() == ".csv":
            inventory.csvs.append(_loose(path, path))
        elif path.suffix.lower() != ".zip":
            raise OrgScanError(str(path), "expected a folder, a .zip part or a .csv file")
    for path in archives:
        _scan_archive(inventory, path)


def digest(member: Member) -> tuple[int, str]:
    """The size in bytes and the MD5 (hex) of a member, read in chunks.

    Raises
    ------
    OrgScanError
        The member cannot be read to its end (a truncated or corrupt archive).
    """
    md5 = hashlib.md5(usedforsecurity=False)
    size = 0
    try:
        with member.open() as stream:
            while chunk := stream.read(CHUNK):
                md5.update(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise OrgScanError(member.where, f"cannot be read to its end (truncated?): {exc}") from None
    return size, md5.hexdigest()
