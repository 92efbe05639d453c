"""Output safety: text from catalogs and profiles stays inert in every format (DESIGN section 7).

Each function makes user text safe for one kind of reader:

- :func:`inert_label` for plotly labels, titles, ticks and hover text (plotly renders ``<a>``,
  ``<b>`` and ``<br>`` in them);
- :func:`markdown_escape` for text placed in Markdown (a report or the app);
- :func:`neutralize` (and :func:`neutralize_frame`) for spreadsheet cells, so no cell starts a
  formula, whether the reader splits the row on ``,``, ``;``, tab or a line break;
- :func:`csv_text` for the CSV text of a table: neutralized, with every cell that holds a
  separator, a quote or a line break quoted.

The CSV/XLSX rule, in full: every tab, CR and LF inside a text becomes a space (so no reader that
splits on them can start a cell inside the text); a text whose first non-blank character is
``= + - @``, tab, CR or LF gets a leading ``'``; and inside a text, a ``= + - @`` that follows a
``;`` or ``,`` (blanks between allowed) gets a ``'`` before it, so a reader that splits the row on
``;`` or ``,`` without honouring quotes still sees no formula.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
"""First non-blank characters that make a spreadsheet read a cell as a formula (or may)."""

_LINE_BREAK_OR_TAB = re.compile(r"[\t\r\n\v\f\x85\u2028\u2029]")
_INNER_FORMULA = re.compile(r"([;,] *)([=+\-@])")
_CSV_SPECIAL = re.compile(r'[,;"\r\n]')
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>!|~&])")
"""Characters that open inline Markdown anywhere: code, emphasis, links, images, HTML, tables."""
_MARKDOWN_BLOCK_START = re.compile(
    r"^(\s*\d{0,9})((?<=\d)[.)](?=\s|$)|(?<!\d)[-+#](?=\s|$)|(?<!\d)>)"
)
"""A marker that opens a block (heading, quote, list, rule) when a value starts a line."""
_LABEL_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def inert_label(text: Any) -> str:
    """``text`` for a plotly label, title, tick or hover: ``&``, ``<`` and ``>`` escaped.

    Plotly shows the entities as the characters, so the label reads as typed, but no tag in it
    (``<a href>``, ``<b>``, ``<br>``) is rendered.

    >>> inert_label('<a href="https://x.test">Acme</a> & <b>co</b>')
    '&lt;a href="https://x.test"&gt;Acme&lt;/a&gt; &amp; &lt;b&gt;co&lt;/b&gt;'
    >>> inert_label(42)
    '42'
    """
    return re.sub(r"[&<>]", lambda m: _LABEL_ENTITIES[m.group()], str(text))


def markdown_escape(text: Any) -> str:
    """``text`` as literal Markdown: no tag, link, image, emphasis or table break in it works.

    Every character that opens inline Markdown or HTML gets a backslash (CommonMark shows an
    escaped punctuation character as itself), a block marker at the start is escaped too, and
    line breaks become spaces, so a value stays inside its paragraph or table cell. Other
    punctuation (``.``, ``-``, ``(``) is left as typed, so dates and amounts read plainly. A
    bare ``https://`` address may still be shown as a link by Markdown flavours that autolink;
    it is never fetched.

    >>> markdown_escape("<script>alert(1)</script>")
    '\\\\<script\\\\>alert(1)\\\\</script\\\\>'
    >>> markdown_escape("![t](https://x.test/a.png) | x")
    '\\\\!\\\\[t\\\\](https://x.test/a.png) \\\\| x'
    >>> markdown_escape("# 2026-12-01, 1. $1,234.50")
    '\\\\# 2026-12-01, 1. $1,234.50'
    >>> markdown_escape("12) twelve")
    '12\\\\) twelve'
    """
    flat = _LINE_BREAK_OR_TAB.sub(" ", str(text))
    inline = _MARKDOWN_INLINE.sub(r"\\\1", flat)
    return _MARKDOWN_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), inline, count=1)


def neutralize(value: Any) -> Any:
    """A spreadsheet-safe version of a text cell (the rule is in the module docstring).

    Values that are not text are returned unchanged.

    >>> neutralize('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralize("\\r=1+1")
    "' =1+1"
    >>> neutralize("x;=1+1;y")
    "x;'=1+1;y"
    >>> neutralize("Sales, - Enterprise")
    "Sales, '- Enterprise"
    >>> neutralize("Sales - Enterprise")
    'Sales - Enterprise'
    >>> neutralize(-5)
    -5
    """
    if not isinstance(value, str):
        return value
    starts_like_formula = value.lstrip(" ").startswith(FORMULA_PREFIXES)
    text = _INNER_FORMULA.sub(r"\1'\2", _LINE_BREAK_OR_TAB.sub(" ", value))
    return "'" + text if starts_like_formula else text


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name neutralized."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralize)
    safe.columns = [neutralize(c) for c in safe.columns]
    return safe


def csv_cell(value: Any) -> str:
    """One CSV cell: empty for a missing value, quoted when it holds ``,`` ``;`` ``"`` CR or LF.

    >>> csv_cell("a;b"), csv_cell('a"b'), csv_cell(2.5), csv_cell(None)
    ('"a;b"', '"a""b"', '2.5', '')
    """
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    text = str(value)
    if _CSV_SPECIAL.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` (without its index) as CSV text, every text cell neutralized first.

    Rows end with ``\\n``; every cell holding a separator (``,`` or ``;``), a quote, CR or LF is
    quoted, so the file reads back the same with either delimiter in a quote-aware reader.

    >>> print(csv_text(pd.DataFrame({"name": ["x;=1+1;y", "=2"], "cost": [1.5, None]})), end="")
    name,cost
    "x;'=1+1;y",1.5
    '=2,
    """
    safe = neutralize_frame(frame)
    lines = [",".join(csv_cell(column) for column in safe.columns)]
    lines += [",".join(csv_cell(value) for value in row) for row in safe.itertuples(index=False)]
    return "\n".join(lines) + "\n"
