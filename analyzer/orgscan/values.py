"""The values of a Salesforce export: record Ids, datetimes and booleans, and the located error.

Ids compare on their first 15 characters (the case-sensitive Id); the 18-character form adds a
checksum of the upper-case letters so that case-insensitive tools can tell Ids apart.
"""

from __future__ import annotations

import datetime as dt

from analyzer.errors import AnalyzerError

ID_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f"})


class OrgScanError(AnalyzerError):
    """An export that cannot be read, located as ``file.zip!Account.csv:row 1234: message``.

    Parameters
    ----------
    where
        The archive and member (``WE_1.ZIP!Account.csv``) or the file path.
    message
        What is wrong, for a person.
    row
        The CSV row (the header is row 1), when the defect is in one row.
    """

    def __init__(self, where: str, message: str, row: int | None = None):
        self.where = where
        self.row = row
        self.reason = message
        located = f"{where}:row {row}" if row is not None else where
        super().__init__(f"{located}: {message}")


def id15(value: str) -> str:
    """The case-sensitive 15-character key of a record Id (any other length is kept whole).

    >>> id15("001000000000001AAA")
    '001000000000001'
    >>> id15(" 001000000000001 ")
    '001000000000001'
    """
    value = value.strip()
    return value[:15] if len(value) == 18 else value


def id18(value: str) -> str:
    """The 18-character form of a 15-character Id (checksum rule); other values unchanged.

    Each block of five characters gives one suffix letter: bit ``i`` is set when character ``i``
    of the block is an upper-case letter, and the 5-bit number indexes ``A..Z0..5``.

    >>> id18("00D300000000QSf")
    '00D300000000QSfEAM'
    >>> id18("00D300000000QSfEAM")
    '00D300000000QSfEAM'
    """
    value = value.strip()
    if len(value) != 15 or not value.isascii():
        return value
    suffix = ""
    for start in (0, 5, 10):
        block = value[start : start + 5]
        bits = sum(1 << i for i, char in enumerate(block) if "A" <= char <= "Z")
        suffix += ID_SUFFIX_ALPHABET[bits]
    return value + suffix


def parse_datetime(text: str) -> dt.datetime | None:
    """A Salesforce datetime or date as an aware UTC datetime; ``None`` for an empty value.

    Accepts the Data Loader form (``2006-04-15T03:23:15.000Z``), the Bulk API form
    (``+0000``), a space instead of ``T`` and a bare date. A value without a zone is UTC.

    >>> parse_datetime("2006-04-15T03:23:15.000Z").isoformat()
    '2006-04-15T03:23:15+00:00'
    >>> parse_datetime("2006-04-15T05:23:15.000+0200").isoformat()
    '2006-04-15T03:23:15+00:00'
    >>> parse_datetime("2006-04-15").isoformat()
    '2006-04-15T00:00:00+00:00'

    Raises
    ------
    ValueError
        The text is not a datetime.
    """
    text = text.strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date or datetime: {text[:40]!r}") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def parse_bool(text: str) -> bool | None:
    """``true/false``, ``TRUE/FALSE``, ``1/0`` (and yes/no) as a boolean; ``None`` when empty.

    >>> [parse_bool(v) for v in ("true", "TRUE", "1", "0", "False", "")]
    [True, True, True, False, False, None]

    Raises
    ------
    ValueError
        The text is not a boolean.
    """
    word = text.strip().lower()
    if not word:
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"not a boolean: {text[:40]!r}")


def iso(moment: dt.datetime | None) -> str | None:
    """A UTC datetime as ``2026-06-30T10:00:00Z`` (``None`` stays ``None``).

    >>> iso(parse_datetime("2026-06-30T10:00:00.000+0000"))
    '2026-06-30T10:00:00Z'
    """
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
