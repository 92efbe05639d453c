"""Reading one exported CSV as a stream: encoding, quoting, limits, located errors.

The encoding follows the export's facts: a byte-order mark is honoured; otherwise the file is
read as strict UTF-8 and, at the first byte that is not UTF-8, read again from the start as
cp1252 (then ISO-8859-1, which accepts every byte). The encoding used is reported. Quoted
values may hold line breaks and doubled quotes. A field above :data:`MAX_FIELD_CHARS`, a quote
left open, a NUL byte or a row with more values than the header is an error naming the file
and the row (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Callable
from typing import Protocol

from analyzer.orgscan.sources import Member
from analyzer.orgscan.values import OrgScanError

MAX_FIELD_CHARS = 4 * 1024 * 1024
"""Longest value accepted (Salesforce's longest text field holds 131,072 characters)."""
FALLBACK_ENCODINGS = ("utf-8", "cp1252", "latin-1")
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
BUFFER = 1024 * 1024


class RowSink(Protocol):
    """What a table's rows are given to: one call per data row."""

    def add(self, row: list[str], number: int) -> None: ...


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``head`` announces, if any.

    >>> bom_encoding(b"\\xef\\xbb\\xbfId"), bom_encoding(b"Id")
    ('utf-8-sig', None)
    """
    for mark, encoding in BOMS:
        if head.startswith(mark):
            return encoding
    return None


def header_key(name: str) -> str:
    """A header as matched: case-insensitive, without spaces or stray quotes.

    >>> header_key(' "ID" ')
    'id'
    """
    return name.strip().strip('"').strip().lower()


def _read(
    member: Member, encoding: str, start: Callable[[list[str]], RowSink]
) -> tuple[RowSink, int]:
    previous = csv.field_size_limit(MAX_FIELD_CHARS)
    number = 1
    try:
        with member.open() as raw:
            text = io.TextIOWrapper(
                io.BufferedReader(raw, BUFFER) if not hasattr(raw, "peek") else raw,
                encoding=encoding,
                errors="strict",
                newline="",
            )
            reader = csv.reader(text, strict=True)
            header = next(reader, [])
            sink = start([header_key(name) for name in header])
            width = len(header)
            rows = 0
            for row in reader:
                number += 1
                if not row:
                    continue
                if len(row) > width:
                    raise OrgScanError(
                        member.where,
                        f"{len(row)} values for {width} columns (a stray quote or delimiter?)",
                        number,
                    )
                if len(row) < width:
                    row = row + [""] * (width - len(row))
                sink.add(row, number)
                rows += 1
            return sink, rows
    except csv.Error as exc:
        raise OrgScanError(member.where, f"malformed CSV: {exc}", number + 1) from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise OrgScanError(
            member.where, f"cannot be read to its end (truncated archive?): {exc}"
        ) from None
    finally:
        csv.field_size_limit(previous)


def read_table(member: Member, start: Callable[[list[str]], RowSink]) -> tuple[RowSink, int, str]:
    """Stream one CSV into a sink made by ``start(header)``; return it, its rows and encoding.

    ``start`` receives the header keys (see :func:`header_key`) and is called again, for a fresh
    sink, when the file is read again in another encoding.

    Raises
    ------
    OrgScanError
        Malformed CSV, a field above the size limit or a truncated member, located.
    """
    try:
        with member.open() as stream:
            head = stream.read(4)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise OrgScanError(member.where, f"cannot be read (corrupt archive?): {exc}") from None
    bom = bom_encoding(head)
    for encoding in (bom,) if bom else FALLBACK_ENCODINGS:
        try:
            sink, rows = _read(member, encoding, start)
        except UnicodeDecodeError:
            continue
        return sink, rows, encoding
    raise OrgScanError(member.where, f"cannot be decoded as {bom}")
