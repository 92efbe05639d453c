"""Result tables built column by column, with the dtypes pandas would infer for them.

pandas 3 stores a column of Python strings in its pyarrow-backed ``str`` dtype and infers that
dtype by converting every string each time a DataFrame is made from rows. The analysis makes
tables of a few thousand rows in which most rows repeat (every switch has the same exit plan
apart from its scenario id): :func:`stacked_table` converts each distinct row once and repeats
it by position, which is several times faster and gives the same table.

Every table is made by :func:`frame` from columns already made: pandas' constructor would check
and infer each column again and make the column names' index anew, which costs more than the
columns of a small table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from pandas.api.internals import create_dataframe_from_blocks


def text_dtype() -> Any:
    """The dtype pandas infers for a column of strings now: ``str`` in pandas 3, kept in the
    storage ``mode.string_storage`` names (:func:`analyzer.analyze` asks for Python
    objects), ``object`` before pandas 3."""
    return _inferred_text_dtype(pd.get_option("mode.string_storage"))


@lru_cache(maxsize=4)
def _inferred_text_dtype(storage: str) -> Any:
    return pd.Series([""]).dtype


ColumnKind = Literal["text", "bool", "object"]
"""How a column of :func:`stacked_table` is stored: strings, booleans or Python
objects (dates) as they are."""


def text_column(values: Sequence[str | None]) -> Any:
    """A column of strings (None where missing) in :func:`text_dtype`: what inferring it
    would give. The missing values are looked for in the stored array (at C speed), not in
    ``values``."""
    return _text_array(values, True, text_dtype())


def text_array(values: Sequence[str]) -> Any:
    """:func:`text_column` of ``values`` that are all strings (none missing)."""
    return _text_array(values, False, text_dtype())


def text_arrays(columns: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """:func:`text_array` of each of ``columns`` (all strings), converted as one array and
    handed out as a stretch of it each: one conversion for a table's text columns."""
    return _text_stretches(columns, False, text_dtype())


def taken_texts(columns: Mapping[str, tuple[Sequence[str], np.ndarray]]) -> dict[str, Any]:
    """Per column, ``text_array(values).take(at)`` of its ``(values, at)``: the strings
    ``values`` (all strings) taken by the positions ``at`` (an integer array). Every column's
    values are converted as one text array and each column is taken from its stretch of it:
    a table whose rows repeat a few distinct strings converts each of them once.

    >>> taken = taken_texts({"a": (["x", "y"], np.array([1, 1, 0])), "b": (["z"], np.array([0]))})
    >>> [list(column) for column in taken.values()]
    [['y', 'y', 'x'], ['z']]
    """
    strings: list[str] = []
    starts = []
    for values, _ in columns.values():
        starts.append(len(strings))
        strings += values
    whole = text_array(strings)
    return {
        name: taken(whole, at + start)
        for (name, (_, at)), start in zip(columns.items(), starts, strict=True)
    }


def _text_stretches(
    columns: Mapping[str, Sequence[str | None]], missing: bool, dtype: Any
) -> dict[str, Any]:
    """:func:`_text_array` of each of ``columns`` (None in them only if ``missing``), made
    as one array of them all and handed out as a stretch of it each."""
    strings: list[str | None] = []
    for values in columns.values():
        strings += values
    whole = _text_array(strings, missing, dtype)
    arrays = {}
    start = 0
    for name, values in columns.items():
        arrays[name] = _stretch(whole, start, start + len(values))
        start += len(values)
    return arrays


def taken(values: Any, at: np.ndarray) -> Any:
    """``values.take(at)`` of an array (numpy or pandas) by integer positions ``at``; of a text
    array keeping Python strings, numpy's take of its strings wrapped as one directly (what
    pandas' take does after checking the positions, which costs more than taking a few
    thousand strings)."""
    if type(values) is pd.arrays.StringArray:
        return values._from_backing_data(values._ndarray.take(at))
    return values.take(at)


def _stretch(values: Any, start: int, stop: int) -> Any:
    """``values[start:stop]`` of a text array: a view of it, made directly of its strings when
    it keeps Python strings (pandas' slicing checks the key first)."""
    if type(values) is pd.arrays.StringArray:
        return values._from_backing_data(values._ndarray[start:stop])
    return values[start:stop]


def _text_array(values: Sequence[str | None], missing: bool, dtype: Any) -> Any:
    """:func:`text_column` of ``values``, which hold None only if ``missing``, in ``dtype``
    (:func:`text_dtype`, asked for once by the caller).

    Strings kept as Python objects (:data:`analyzer.analysis.TEXT_STORAGE`) are stored as
    they are, checked to be strings at C speed: ``pd.array`` would convert each one again, at
    three or four times the cost. Missing values become the dtype's NA, as ``pd.array``
    stores them.
    """
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "python"):
        return pd.array(values, dtype=dtype)
    stored = np.empty(len(values), dtype=object)
    stored[:] = values
    if missing:
        absent = pd.isna(stored)
        if absent.any():
            stored[absent] = dtype.na_value
    return pd.arrays.StringArray(stored, dtype=dtype)


_NUMBERS = frozenset({float, np.float64, int})
_FLOATS = frozenset({float, np.float64})
_DATES = frozenset({dt.date, type(None)})
_TEXT = frozenset({str, type(None)})


def inferred_column(values: Sequence[Any]) -> Any:
    """``values`` as the array pandas infers for them in a DataFrame, made directly for the
    kinds of column an analysis builds: text (missing values allowed), numbers, booleans and
    dates. Any other mixture is returned as it is, for pandas to infer.

    Inferring looks at every value in Python, several times; checking the set of the values'
    types once is much cheaper.
    """
    types = set(map(type, values))
    if _is_text(types):
        return _text_array(values, type(None) in types, text_dtype())
    return _inferred(values, types)


def _is_text(types: set[type]) -> bool:
    """Whether values of ``types`` make a text column: strings, some maybe missing."""
    return str in types and types <= _TEXT


def _inferred(values: Sequence[Any], types: set[type]) -> Any:
    """:func:`inferred_column` of ``values`` whose types are ``types``, for any but text."""
    if not types:
        return values
    if types <= _TEXT:
        return np.array(values, dtype=object)
    if (
        types <= _NUMBERS | {type(None)}
        and (types & _FLOATS or type(None) in types)
        and (int not in types or _floatable_ints(values))
    ):
        return np.array(values, dtype=float)
    if types == {int} and all(
        _INT64_MIN <= value <= _INT64_MAX for value in (min(values), max(values))
    ):
        return np.array(values, dtype=np.int64)
    if types == {bool}:
        return np.array(values, dtype=bool)
    if types <= _DATES:
        stored = np.empty(len(values), dtype=object)
        stored[:] = values
        return stored
    return values


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_UINT64_END = 2**64


def _floatable_ints(values: Sequence[Any]) -> bool:
    """Whether pandas stores the integers among ``values`` (with floats or missing values) as
    floats: only when each fits in a 64-bit integer, signed or not; else it keeps objects."""
    ints = [value for value in values if type(value) is int]
    return min(ints) >= _INT64_MIN and max(ints) < _UINT64_END


def frame(columns: Mapping[str, Any], index: pd.Index | None = None) -> pd.DataFrame:
    """``pd.DataFrame(columns, index=index, copy=False)`` for columns already made: numpy
    arrays and pandas arrays as long as the table, text as :func:`text_column` arrays (an
    object array is kept as it is, where pandas would look for strings in it).

    pandas' constructor checks and infers every column again and makes the column names'
    index anew; here the arrays are stored as they are and the names' index is made once per
    set of names and reused (a view of it: naming one table's columns leaves the others
    alone). The table is laid out in the blocks pandas makes of the columns when it
    consolidates them (:func:`_blocks`) and made of those blocks directly
    (``pandas.api.internals.create_dataframe_from_blocks``): the same values, dtypes and
    blocks without pandas' checks of each column, which cost more than a small table's data.
    """
    arrays = list(columns.values())
    if index is None:
        index = pd.RangeIndex(len(arrays[0]) if arrays else 0)
    names = _column_index(tuple(columns), text_dtype()).view()
    blocks = _blocks(arrays, len(index))
    if blocks is None:
        return pd.DataFrame._from_arrays(arrays, columns=names, index=index, verify_integrity=False)
    return create_dataframe_from_blocks(blocks, index, names)


_STACKED_KINDS = frozenset("biufcO")
"""Kinds of numpy dtype :func:`_blocks` stacks as they are: booleans, numbers and objects."""
_ONE_BLOCK_EACH = (
    pd.arrays.StringArray,
    pd.arrays.ArrowStringArray,
    pd.arrays.IntegerArray,
    pd.arrays.FloatingArray,
    pd.arrays.BooleanArray,
)
"""The pandas arrays of an analysis's tables: one-dimensional, each its own block."""


def _blocks(arrays: Sequence[Any], rows: int) -> list[tuple[Any, np.ndarray]] | None:
    """``arrays`` (the columns of a table of ``rows`` rows) as the blocks pandas lays them out
    in when it consolidates a table made of them (``_form_blocks`` of its internals): one
    block per numpy dtype, its columns copied into one 2-D array in column order; one per
    pandas array, as it is; in the order each dtype first appears (pandas arrays of one
    dtype object counting as one dtype). Each block comes with the positions of its columns.

    None, for pandas' own constructor to lay them out, when there are no columns or a column
    is neither a one-dimensional numpy array of booleans, numbers or objects nor one of the
    pandas arrays :data:`_ONE_BLOCK_EACH` lists, as long as the table.
    """
    if not arrays:
        return None
    groups: dict[Any, list[int]] = {}
    for n, array in enumerate(arrays):
        if type(array) is np.ndarray:
            key: Any = array.dtype
            if key.kind not in _STACKED_KINDS or array.shape != (rows,):
                return None
        elif isinstance(array, _ONE_BLOCK_EACH):
            # One-dimensional; its length is checked with the table's (BlockManager).
            key = id(array.dtype)
        else:
            return None
        if key in groups:
            groups[key].append(n)
        else:
            groups[key] = [n]
    blocks: list[tuple[Any, np.ndarray]] = []
    for key, at in groups.items():
        if isinstance(key, np.dtype):
            stacked = np.empty((len(at), rows), dtype=key)
            for row, n in enumerate(at):
                stacked[row] = arrays[n]
            blocks.append((stacked, np.array(at)))
        else:
            blocks += [(arrays[n], np.array([n])) for n in at]
    return blocks


@lru_cache(maxsize=64)
def _column_index(names: tuple[str, ...], text: Any) -> pd.Index:
    """The index pandas makes of the column ``names`` while :func:`text_dtype` is ``text``."""
    return pd.Index(list(names))


def columns_table(columns: Mapping[str, Sequence[Any]], index: Any = None) -> pd.DataFrame:
    """``pd.DataFrame(columns, index=index)``, each column of plain values made with
    :func:`inferred_column` (arrays already made are kept as they are; the text columns
    converted as one array); a mixture of values :func:`inferred_column` leaves to pandas
    makes the table through pandas' constructor."""
    made: dict[str, Any] = {}
    texts: dict[str, Sequence[str | None]] = {}
    missing = False
    for name, values in columns.items():
        if not isinstance(values, list):
            made[name] = values
            continue
        types = set(map(type, values))
        if _is_text(types):
            texts[name] = values
            missing |= type(None) in types
            made[name] = None  # its place among the columns, filled below
        else:
            made[name] = _inferred(values, types)
    if texts:
        made.update(_text_stretches(texts, missing, text_dtype()))
    if any(isinstance(values, list) for values in made.values()):
        return pd.DataFrame(made, index=index, copy=False)
    return frame(made, None if index is None else pd.Index(index))


def rows_table(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=columns)`` for rows of values in column order, made column
    by column with :func:`columns_table` (no rows: every column ``object``, as pandas makes it)."""
    if not rows:
        return pd.DataFrame([], columns=list(columns))
    return columns_table({name: [row[n] for row in rows] for n, name in enumerate(columns)})


def stacked_table(
    columns: Sequence[str],
    kinds: Sequence[ColumnKind],
    ids: Sequence[str],
    blocks: Sequence[Sequence[tuple]],
    block_of: Sequence[int],
) -> pd.DataFrame:
    """One row per row of each id's block, the id first: ``ids[n]`` followed by every row of
    ``blocks[block_of[n]]``, id by id.

    Parameters
    ----------
    columns
        The column names: the id's, then one per field of a block's rows.
    kinds
        How each field of a block's rows is stored (one per column after the id).
    ids
        The id of every group of rows, in order (strings).
    blocks
        The distinct groups of rows, without the id; several ids may share one.
    block_of
        Per id, the position of its rows in ``blocks``.

    Returns
    -------
    pandas.DataFrame
        The table ``pd.DataFrame(rows, columns=columns)`` would give for the rows written out
        in full (strings in :func:`text_dtype`, booleans as ``bool``,
        other values as objects), with a default index.

    Examples
    --------
    >>> table = stacked_table(
    ...     ["id", "step", "late"], ["text", "bool"], ["a", "b", "c"],
    ...     [[("x", False), ("y", True)], [("z", False)]], [0, 1, 0])
    >>> list(table.itertuples(index=False, name=None))
    [('a', 'x', False), ('a', 'y', True), ('b', 'z', False), ('c', 'x', False), ('c', 'y', True)]
    """
    if not any(blocks[block] for block in block_of):
        return pd.DataFrame([], columns=list(columns))
    sizes = np.array([len(block) for block in blocks])
    counts = sizes[list(block_of)]
    # Where each output row comes from: its id's position, and its row's among all blocks'
    # rows (the id's block's first row, plus the row's place in the block).
    id_at = np.repeat(np.arange(len(ids)), counts)
    block_first = (np.cumsum(sizes) - sizes)[list(block_of)]
    id_first = np.cumsum(counts) - counts
    row_at = np.arange(counts.sum()) + np.repeat(block_first - id_first, counts)
    rows = [row for block in blocks for row in block]
    fields = list(zip(*rows, strict=True))
    # The ids and every text field of the distinct rows as one text array, each column taken
    # from its stretch of it: one conversion for all of them.
    text_fields = [n for n, kind in enumerate(kinds) if kind == "text"]
    strings = list(ids)
    for n in text_fields:
        strings += fields[n]
    texts = text_column(strings)
    stretch = {n: len(ids) + k * len(rows) for k, n in enumerate(text_fields)}
    data = {columns[0]: taken(texts, id_at)}
    for n, (name, kind) in enumerate(zip(columns[1:], kinds, strict=True)):
        if kind == "text":
            data[name] = taken(texts, row_at + stretch[n])
        elif kind == "bool":
            data[name] = np.array(fields[n], dtype=bool)[row_at]
        else:
            stored = np.empty(len(rows), dtype=object)
            stored[:] = fields[n]
            data[name] = stored[row_at]
    return frame(data)
