"""Reading one exported CSV as a stream: encoding, quoting, limits, located errors.

Most objects are read by Arrow's multi-threaded CSV reader, which materialises only the
columns the scan needs (the Id, and a few more for some objects); a file it cannot take (not
UTF-8, a malformed row, a row longer than a block) is read again by the row reader below,
which locates any error. The encoding follows the export's facts: a byte-order mark is
honoured; otherwise the file is read as strict UTF-8 and, at the first byte that is not UTF-8,
read again from the start as cp1252 (then ISO-8859-1, which accepts every byte). The encoding
used is reported. Quoted values may hold line breaks and doubled quotes. A field above
:data:`MAX_FIELD_CHARS`, a quote left open, a NUL byte or a row with more values than the
header is an error naming the file and the row (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Callable
from typing import BinaryIO, Protocol

import pyarrow as pa
import pyarrow.csv as arrow_csv

from analyzer.orgscan.sources import Member
from analyzer.orgscan.values import OrgScanError

MAX_FIELD_CHARS = 4 * 1024 * 1024
"""Longest value accepted (Salesforce's longest text field holds 131,072 characters)."""
FALLBACK_ENCODINGS = ("utf-8", "cp1252", "latin-1")
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    # UTF-32 before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
BUFFER = 1024 * 1024
HEAD_BYTES = 64 * 1024
COLUMNAR_BLOCK = 4 * 1024 * 1024
"""Bytes per block of the columnar reader: a row longer than this goes to the row reader,
which applies :data:`MAX_FIELD_CHARS`."""


class RowSink(Protocol):
    """What a table's rows are given to: one call per data row, or (for the columns it names
    in ``fast_columns``) one call per batch of columns."""

    fast_columns: tuple[str, ...] | None

    def add(self, row: list[str], number: int) -> None: ...

    def add_columns(self, columns: dict[str, pa.Array], number: int) -> None: ...


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


class _Utf8Checked(io.RawIOBase):
    """A binary stream passed through unchanged, checked to be UTF-8 as it is read, with its
    quotes counted (an odd count is a quote left open)."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.not_utf8 = False
        self.quotes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.raw.read(len(buffer))
        # ASCII between complete characters is UTF-8: only other bytes need the decoder.
        if not (data.isascii() and not self.decoder.getstate()[0]):
            try:
                self.decoder.decode(data, final=not data)
            except UnicodeDecodeError:
                self.not_utf8 = True
                raise
        self.quotes += data.count(b'"')
        buffer[: len(data)] = data
        return len(data)


def _fast_header(head: bytes, bom: str | None) -> list[str] | None:
    """The header names from the first bytes, when the whole header row is among them."""
    text = head.decode(bom or "utf-8", errors="replace")
    if "\n" not in text:
        return None
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    return header if header else None


def _read_columns(
    member: Member, start: Callable[[list[str]], RowSink], head: bytes, bom: str | None
) -> tuple[RowSink, int] | bool:
    """Read with Arrow's multi-threaded CSV reader, materialising only the needed columns.

    Returns the sink and its rows; ``False`` when the file is not UTF-8; ``True`` when this
    reader cannot take the file (then the row reader reads it and locates any error).
    """
    header = _fast_header(head, bom)
    if header is None:
        return True
    keys = [header_key(name) for name in header]
    sink = start(keys)
    wanted = sink.fast_columns
    if not wanted or len(set(keys)) != len(keys) or len(set(header)) != len(header):
        return True
    include = [name for name, key in zip(header, keys, strict=True) if key in wanted]
    key_of = dict(zip(header, keys, strict=True))
    rows = 0
    with member.open() as raw:
        checked = _Utf8Checked(raw)
        try:
            reader = arrow_csv.open_csv(
                checked,
                read_options=arrow_csv.ReadOptions(block_size=COLUMNAR_BLOCK),
                parse_options=arrow_csv.ParseOptions(newlines_in_values=True),
                convert_options=arrow_csv.ConvertOptions(
                    include_columns=include,
                    column_types=dict.fromkeys(include, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            for batch in reader:
                columns = {key_of[name]: batch.column(name) for name in include}
                sink.add_columns(columns, rows + 2)
                rows += batch.num_rows
        except Exception:  # any trouble: the row reader reads it again and says where
            return not checked.not_utf8
    if checked.quotes % 2:
        return True  # a quote left open, which Arrow accepts at the end of a file
    return sink, rows


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
            head = stream.read(HEAD_BYTES)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise OrgScanError(member.where, f"cannot be read (corrupt archive?): {exc}") from None
    bom = bom_encoding(head)
    encodings = (bom,) if bom else FALLBACK_ENCODINGS
    if bom in (None, "utf-8-sig"):
        columnar = _read_columns(member, start, head, bom)
        if isinstance(columnar, tuple):
            return (*columnar, bom or "utf-8")
        if columnar is False:
            encodings = FALLBACK_ENCODINGS[1:]
    for encoding in encodings:
        try:
            sink, rows = _read(member, encoding, start)
        except UnicodeDecodeError:
            continue
        return sink, rows, encoding
    raise OrgScanError(member.where, f"cannot be decoded as {bom}")
