"""The tables every report shows, and the rules for rounding and printing their numbers.

Every report format reads these tables; none computes a figure of its own. A column's name
says what it holds: money columns (:data:`MONEY_COLUMNS`) are rounded to cents and printed in
the profile's currency, shares (:data:`PERCENT_COLUMNS`) are printed as percentages, and every
other float (fits, scores, weights, probabilities) keeps :data:`RATIO_DECIMALS` decimals.

Examples
--------
>>> percent(0.895), percent(0.08, 1), fixed(0.70915), fixed(None)
('90%', '8.0%', '0.709', '–')
>>> records(pd.DataFrame({"total": [1.005, float("nan")], "fit": [-0.00001, 0.123456]}))
[{'fit': 0.0, 'total': 1.0}, {'fit': 0.1235, 'total': None}]
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analyzer.analysis import COST_COLUMNS
from analyzer.formatting import money, percent
from analyzer.safety import neutralize
from analyzer.scoring import Sensitivity

if TYPE_CHECKING:
    import jinja2

    from analyzer.analysis import AnalysisResult

MONEY_COLUMNS = frozenset(
    {
        *COST_COLUMNS,
        "saving_vs_stay",
        "price",
        "price_paid",
        "list_price",
        "unused_cost_per_year",
        "monthly_cost",
        "amount",
        "amount_in_profile_currency",
    }
)
"""Columns holding money: rounded to cents and shown in the currency format."""
PERCENT_COLUMNS = frozenset({"fit", "p_first"})
"""Shares shown as percentages in spreadsheets (with every ``p_rank_N`` column)."""
MONEY_DECIMALS = 2
RATIO_DECIMALS = 4
"""Fits, scores, weights and probabilities keep four decimals: two would tie close scenarios."""
MISSING = "–"
"""How a printed report shows a value that does not exist (a fit of an uncosted option)."""

SCENARIO_COLUMNS = [
    "rank",
    "scenario_id",
    "kind",
    "label",
    "product",
    "tier",
    "status",
    "seats",
    "total",
    "cash_total",
    "prepaid_after_horizon",
    "npv",
    "recurring_total",
    "one_time_total",
    "exit_costs",
    "saving_vs_stay",
    "break_even_month",
    "fit",
    "score",
    "contribution_cost",
    "contribution_fit",
    "contribution_effort",
    "effective_date",
    "go_live",
    "exit_kind",
    "exit_date",
    "exit_reason",
    "problems",
]
"""The scenario table of the CSV, XLSX, HTML and Markdown reports (JSON has every column)."""


# --- The tables ----------------------------------------------------------------------------------


def scenario_table(result: AnalysisResult) -> pd.DataFrame:
    """The scenarios, ranked first, in the columns every report shows (:data:`SCENARIO_COLUMNS`)."""
    return result.scenarios[SCENARIO_COLUMNS].reset_index(drop=True)


def assumption_table(result: AnalysisResult) -> pd.DataFrame:
    """The profile flattened to ``assumption, value`` rows (``current.contract.notice_days``)."""
    rows = list(_flatten(result.profile.model_dump(mode="json")))
    return pd.DataFrame(rows, columns=["assumption", "value"])


def _flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Leaves of a JSON-like document; list items with an ``id`` are keyed by it."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
        for index, item in enumerate(value):
            yield from _flatten(item, f"{path}.{item.get('id', index)}")
    elif isinstance(value, list):
        yield path, ", ".join(map(str, value))
    else:
        yield path, value


def key_date_table(result: AnalysisResult) -> pd.DataFrame:
    """``event, date`` of the term that can next be changed (Stay's key dates)."""
    return result.decision_key_dates[["event", "date"]]


def recommended_exit_plan(result: AnalysisResult) -> pd.DataFrame:
    """The dated checklist (date, step, detail, warning) of the recommended scenario."""
    return result.exit_plan(result.recommendation.scenario_id)


def rank_stability_table(result: AnalysisResult, sensitivity: Sensitivity) -> pd.DataFrame:
    """Per ranked scenario: probability of ranking first, expected rank and rank distribution.

    Rows run from the most to the least likely winner (ties by scenario id); ``p_rank_N`` is the
    share of samples in which the scenario ranked ``N``.
    """
    return pd.DataFrame(rank_stability_columns(result, sensitivity))


def rank_stability_columns(result: AnalysisResult, sensitivity: Sensitivity) -> dict[str, Any]:
    """The columns of :func:`rank_stability_table`: the ids as an index, the other columns as
    numpy arrays, for a report that needs no table."""
    mc = sensitivity.monte_carlo
    ids = mc.p_first.index
    p_first = mc.p_first.to_numpy()
    # Most likely winner first, ties by id (ids are unique, so the order is total).
    keys = list(zip((-p_first).tolist(), ids.tolist(), strict=True))
    order = np.array(sorted(range(len(ids)), key=keys.__getitem__), dtype=np.intp)
    distribution = _in_order(mc.rank_distribution, ids)
    shares = distribution.to_numpy()[order]
    # The labels by position (a label lookup of every id costs more than the rest together).
    rows = result.scenarios.index.get_indexer(ids)
    if (rows < 0).any():
        raise KeyError(f"no scenario {ids[np.flatnonzero(rows < 0)[0]]!r} in the analysis")
    return {
        "scenario_id": ids.take(order),
        "label": result.scenarios["label"].to_numpy()[rows][order],
        "p_first": p_first[order],
        "expected_rank": _in_order(mc.expected_rank, ids).to_numpy()[order],
        **{
            f"p_rank_{rank}": shares[:, position]
            for position, rank in enumerate(distribution.columns)
        },
    }


def _in_order(table: pd.DataFrame | pd.Series, ids: pd.Index) -> Any:
    """``table`` with its rows in the order of ``ids``: as it is when they already are (the
    Monte Carlo's tables share one index), reindexed otherwise."""
    return table if table.index.equals(ids) else table.reindex(ids)


def template_tables(result: AnalysisResult) -> dict[str, Any]:
    """What the Markdown and HTML templates both show, rows as dicts (missing values None)."""
    table = scenario_table(result)
    ranked = table["rank"].notna()
    return {
        "profile": result.profile,
        "recommendation": result.recommendation,
        "ranked": template_rows(table[ranked]),
        "unranked": template_rows(table[~ranked]),
        "unlisted_note": result.unlisted_note,
        "key_dates": template_rows(key_date_table(result)),
        "exit_plan": template_rows(recommended_exit_plan(result)),
        "sources": template_rows(result.sources),
        "stability": result.stability,
        "rank_stability": (
            template_rows(rank_stability_table(result, result.sensitivity))
            if result.sensitivity is not None
            else []
        ),
    }


def template_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for a template, missing values as None (a NaN would print as "nan")."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


# --- Numbers: rounding for data, text for reading -----------------------------------------------


def column_kind(column: str, values: pd.Series) -> str | None:
    """``money``, ``percent`` or ``ratio`` for a numeric column, by name then dtype; else None."""
    if column in MONEY_COLUMNS:
        return "money"
    if column in PERCENT_COLUMNS or column.startswith("p_rank_"):
        return "percent"
    if pd.api.types.is_float_dtype(values):
        return "ratio"
    return None


def decimals(column: str) -> int:
    """Decimals ``column`` keeps in the JSON and CSV reports: cents for money, else four."""
    return MONEY_DECIMALS if column in MONEY_COLUMNS else RATIO_DECIMALS


def plain_value(value: Any, places: int) -> Any:
    """A JSON value: NaN and NA as null, dates in ISO form, floats rounded, numpy unwrapped.

    An infinite float has no JSON form: it raises ``ValueError``, as ``json.dumps`` does.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if math.isinf(value):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        # Adding 0.0 turns a rounded -0.0 into 0.0, so equal amounts print the same.
        return None if math.isnan(value) else round(float(value), places) + 0.0
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def plain_columns(frame: pd.DataFrame, places: list[int]) -> list[list[Any]]:
    """:func:`plain_value` of every cell of ``frame``, a list per column, column ``k`` rounded to
    ``places[k]`` decimals.

    Each column is read as the array the frame stores it in (:func:`column_arrays`) and
    converted by :func:`plain_cells`: the frame is never turned into one table of objects.
    """
    arrays = column_arrays(frame)
    return plain_cells(arrays, [array.dtype for array in arrays], places)


def column_arrays(frame: pd.DataFrame) -> list[Any]:
    """The arrays ``frame`` stores its columns in, in order: numpy arrays or pandas extension
    arrays (text, nullable integers), as ``frame[column].array`` would give them.

    Read for conversion only, never written to. ``frame[column]`` makes a Series per column
    and ``frame.to_numpy(dtype=object)`` copies every cell of a table holding a block per
    column into one array of objects: on the analysis's tables each took longer than
    converting the cells. pandas' own column iterator hands over the stored arrays; it is
    private (``tests/reports/test_json_column_arrays.py`` checks what it gives).
    """
    return list(frame._iter_column_arrays())


def object_cells(array: Any) -> np.ndarray:
    """A column array as the numpy array :func:`plain_cells` reads: numpy numbers and
    booleans as they are; nullable whole numbers and nullable booleans as Python objects
    with None where one is missing; any other column (text, dates) as the Python objects
    ``to_numpy(dtype=object)`` gives (missing text as NaN or NA).

    >>> object_cells(pd.array([2, None], dtype="Int64")).tolist()
    [2, None]
    """
    if isinstance(array, np.ndarray):
        return array if array.dtype.kind in "iubf" else array.astype(object, copy=False)
    if array.dtype.kind in "iub":
        return array.to_numpy(dtype=object, na_value=None)
    return np.asarray(array, dtype=object)


def text_cells(array: Any) -> list[str | None]:
    """The values of a pandas text array as Python text, None where one is missing.

    Whether any is missing is asked of ``str.join``, which refuses anything but text and
    checks each item in C: a few times cheaper than pandas' mask of missing values, which
    cost more than the rest of a long text column's conversion.

    >>> text_cells(pd.array(["a", None, "b"], dtype="str"))
    ['a', None, 'b']
    """
    values = np.asarray(array, dtype=object).tolist()
    try:
        "".join(values)
    except TypeError:
        return [value if isinstance(value, str) else None for value in values]
    return values


def plain_cells(cells: list[Any], dtypes: list[Any], places: list[int]) -> list[list[Any]]:
    """:func:`plain_value` of every cell of columns given as Python lists, numpy arrays or
    pandas arrays, with their dtypes: a list per column, column ``k`` rounded to
    ``places[k]`` decimals.

    Float columns with the same decimals are rounded together, as one array whatever their
    lengths (:func:`plain_floats`: a call costs about as much as rounding a few hundred
    values), so columns of several tables can be converted in one call; numpy
    integers and booleans are plain once in Python; any other column is converted value by
    value only when it holds something other than text, whole numbers, booleans and None: a
    pandas text column by :func:`text_cells`, a column of dates (some maybe missing) by each
    distinct date's ISO text, anything else by :func:`plain_value`.
    """
    cells = list(cells)
    float_blocks: dict[int, list[int]] = {}
    for position, (dtype, digits) in enumerate(zip(dtypes, places, strict=True)):
        column = cells[position]
        if isinstance(dtype, np.dtype) and dtype.kind in "iubf":
            if dtype.kind == "f":
                float_blocks.setdefault(digits, []).append(position)
            elif isinstance(column, np.ndarray):
                cells[position] = column.tolist()
            continue
        if not isinstance(column, list):
            if isinstance(column.dtype, pd.StringDtype):
                cells[position] = text_cells(column)
                continue
            column = object_cells(column).tolist()
        cells[position] = column
        types = set(map(type, column))
        if types <= _PLAIN:
            continue
        if types <= _DATE_OR_NONE:
            cells[position] = iso_dates(column)
        else:
            cells[position] = [plain_value(item, digits) for item in column]
    for digits, positions in float_blocks.items():
        columns = [np.asarray(cells[position], dtype=float) for position in positions]
        rounded = plain_floats(np.concatenate(columns), digits)
        end = 0
        for position, column in zip(positions, columns, strict=True):
            start, end = end, end + len(column)
            cells[position] = rounded[start:end]
    return cells


def iso_dates(days: list[dt.date | None]) -> list[str | None]:
    """Each date's ISO text, None as None: each distinct date written once (a table of every
    scenario's key dates repeats a few dozen dates hundreds of times).

    >>> iso_dates([dt.date(2027, 1, 31), None, dt.date(2027, 1, 31)])
    ['2027-01-31', None, '2027-01-31']
    """
    texts: dict[dt.date | None, str | None] = {day: day.isoformat() for day in set(days) - {None}}
    texts[None] = None
    return [texts[day] for day in days]


_PLAIN = frozenset({str, int, bool, type(None)})
"""The cell types a JSON document holds as they are."""


_DATE_OR_NONE = frozenset({dt.date, type(None)})
"""The cell types of a column of dates that may be missing (the common object column)."""

_EXACT_BELOW = 2.0**50
"""Scaled values from here up may hold no fraction to judge: :func:`plain_floats` hands them
to :func:`round`."""


def plain_floats(values: np.ndarray, places: int) -> list[Any]:
    """``round(v, places) + 0.0`` of every value of a float array, NaN as None, at once.

    The same floats, bit for bit, as :func:`plain_value` gives one by one; a 2-D array gives
    one list per row, as ``ndarray.tolist`` does.

    Python rounds the exact binary value of ``v``; numpy rounds ``v * 10**places``, a product
    that is itself rounded, by at most its own spacing. Where the product lies further than that
    from a half-way point, both land on the same whole number ``k``, and ``k / 10**places`` is
    the float nearest to it, as Python's is. The few values too close to a half-way point (or
    too large, or not finite) go through :func:`plain_value` itself.

    >>> plain_floats(np.array([1.005, 0.125, -0.001, float("nan")]), 2)
    [1.0, 0.12, 0.0, None]
    """
    scale = 10.0**places
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = values * scale
        fraction = np.abs(scaled - np.trunc(scaled))
        settled = (np.abs(scaled) < _EXACT_BELOW) & (
            np.abs(fraction - 0.5) > np.abs(np.spacing(scaled))
        )
        # Adding 0.0 turns a rounded -0.0 into 0.0, as plain_value does.
        converted = np.rint(scaled) / scale + 0.0
    if settled.all():
        return converted.tolist()
    missing = np.isnan(values)
    cells = converted.astype(object)
    cells[missing] = None
    for index in zip(*np.nonzero(~(settled | missing)), strict=True):
        cells[index] = plain_value(values[index], places)
    return cells.tolist()


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON-ready dicts (money to cents, ratios to four decimals).

    The cells are converted a whole column at a time (:func:`plain_columns`).
    """
    return table_records([frame])[0]


def table_records(frames: list[pd.DataFrame]) -> list[list[dict[str, Any]]]:
    """:func:`records` of each of ``frames``, their cells converted together: the float
    columns of every table rounded in one call per number of decimals (:func:`plain_cells`),
    where a call per table cost more than the rounding itself on the JSON report's tables."""
    names = [column_names(frame) for frame in frames]
    arrays = [array for frame in frames for array in column_arrays(frame)]
    places = [decimals(column) for columns in names for column in columns]
    cells = plain_cells(arrays, [array.dtype for array in arrays], places)
    tables = []
    end = 0
    for columns in names:
        start, end = end, end + len(columns)
        tables.append(cell_records(columns, cells[start:end]))
    return tables


def column_names(frame: pd.DataFrame) -> list[str]:
    """The names of ``frame``'s columns as text: taken out of the index at once (iterating a
    text index makes a call per name)."""
    return [str(name) for name in frame.columns.tolist()]


def column_records(columns: Mapping[str, Any]) -> list[dict[str, Any]]:
    """:func:`records` of the table ``pd.DataFrame(columns)`` of numpy arrays or indexes (text
    as objects), without the table: for a table that only becomes records."""
    names = list(columns)
    arrays = [np.asarray(values) for values in columns.values()]
    places = [decimals(name) for name in names]
    return cell_records(names, plain_cells(arrays, [array.dtype for array in arrays], places))


def scenario_records(
    table: pd.DataFrame, scenario_id: str, columns: list[str]
) -> list[dict[str, Any]]:
    """:func:`records` of the rows of ``scenario_id`` in a table of all scenarios (a
    ``scenario_id`` column), ``columns`` only: what ``records`` of
    :meth:`~analyzer.analysis.AnalysisResult.exit_plan` or of
    :meth:`~analyzer.analysis.AnalysisResult.scenario_key_dates` (columns chosen) gives,
    reading only the columns shown and no pandas rows. The rows are picked from each column's
    numpy array (:func:`object_cells`): picking them from a pandas text array made a new pandas
    array per column, which cost more than converting its cells."""
    arrays = dict(zip(column_names(table), column_arrays(table), strict=True))
    rows = np.flatnonzero(object_cells(arrays["scenario_id"]) == scenario_id)
    shown = [object_cells(arrays[column])[rows] for column in columns]
    places = [decimals(column) for column in columns]
    return cell_records(columns, plain_cells(shown, [array.dtype for array in shown], places))


def cell_records(columns: list[str], cells: list[list[Any]]) -> list[dict[str, Any]]:
    """One dict per row of ``cells`` (a list per column, all as long), keyed by ``columns``.

    Each dict holds its keys in sorted order (a name given twice keeps its last value): the
    JSON report sorts the keys of every dict it writes, and orjson wrote the report about a
    tenth faster with its rows already in order.
    """
    if not cells:
        return []
    if len({len(column) for column in cells}) > 1:
        raise ValueError("every column of a table must have as many cells")
    order = sorted(range(len(columns)), key=columns.__getitem__)
    names = tuple(columns[position] for position in order)
    return list(map(record_maker(names), *(cells[position] for position in order)))


@lru_cache(maxsize=64)
def record_maker(columns: tuple[str, ...]) -> Callable[..., dict[str, Any]]:
    """A function of one value per column returning the row's dict, ``{columns[0]: v0, ...}``.

    It is a dict display compiled once per set of columns: about a third of the time of
    ``dict(zip(columns, row))`` per row (no zip, no pairs), and a long table (the fit detail,
    the key dates of every scenario) has thousands of rows. A name given twice keeps its last
    value, as in ``dict(zip(...))``; names are written as literals (``repr``), never as code.

    >>> record_maker(("total", "fit"))(1.0, 0.5)
    {'total': 1.0, 'fit': 0.5}
    """
    parameters = [f"v{position}" for position in range(len(columns))]
    pairs = ", ".join(f"{name!r}: {value}" for name, value in zip(columns, parameters, strict=True))
    return eval(f"lambda {', '.join(parameters)}: {{{pairs}}}", {})


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with money rounded to cents and other floats to four decimals."""
    return frame.round({c: decimals(str(c)) for c in frame.columns})


def spreadsheet_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` numbered from 0 with every text cell made inert for a spreadsheet.

    The same as :func:`analyzer.safety.neutralize_frame`, with each distinct text neutralized
    once: a long table repeats a few ids and labels thousands of times. A column none of whose
    texts changes is kept as it is.
    """
    safe = frame.reset_index(drop=True)
    for column in safe.columns:
        values = safe[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            inert = {
                value: safe_text
                for value in pd.unique(values)
                if isinstance(value, str) and (safe_text := neutralize(value)) != value
            }
            if inert:
                safe[column] = values.map(lambda value, inert=inert: inert.get(value, value))
    safe.columns = [neutralize(c) for c in safe.columns]
    return safe


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def fixed(value: float | None, places: int = 3) -> str:
    """A score or weight with ``places`` decimals, :data:`MISSING` when there is none."""
    return MISSING if _missing(value) else f"{value:.{places}f}"


def template_environment(**options: Any) -> jinja2.Environment:
    """The templates of ``analyzer/templates`` with the number filters both reports use.

    ``money(amount, currency, decimals=0)``, ``percent(share, places=0)`` and
    ``fixed(value, places=3)``; ``options`` (autoescape, finalize) are the format's own.
    """
    # Imported here: only the Markdown and HTML reports need Jinja.
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("analyzer", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )
    environment.filters.update(money=money, percent=percent, fixed=fixed)
    return environment
