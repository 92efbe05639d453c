"""The JSON report: every table of the analysis in one document (``docs/report-json.md``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson

from analyzer.costs import COMPONENTS
from analyzer.reports.tables import (
    MONEY_DECIMALS,
    column_names,
    column_records,
    plain_floats,
    rank_stability_columns,
    scenario_records,
    table_records,
)
from analyzer.scoring import Sensitivity

if TYPE_CHECKING:
    import pandas as pd

    from analyzer.analysis import AnalysisResult

SCHEMA_VERSION = 2
"""Version of the JSON report's layout; raised when a field changes meaning or goes away."""


def report_data(result: AnalysisResult) -> dict[str, Any]:
    """Everything the reports show, as one JSON-ready document (see ``docs/report-json.md``)."""
    profile = result.profile
    scenarios = result.scenarios
    rec = result.recommendation
    sensitivity = result.sensitivity
    monthly = result.monthly
    months = month_labels(next(iter(monthly.values())).index)
    # Stay's row by position: four label lookups (``.at``) cost about twice as much.
    stay = scenarios.index.get_loc("stay")
    warnings, seat_usage, scenario_key_dates, scenario_rows, licenses, fit_detail, sources = (
        table_records(
            [
                result.warnings,
                result.seat_usage,
                result.key_dates,
                scenarios,
                result.licenses,
                result.fit_detail,
                result.sources,
            ]
        )
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "profile": {
            "name": profile.name,
            "currency": profile.currency,
            "analysis_start": profile.analysis_start.isoformat(),
            "horizon_months": profile.horizon_months,
            "discount_rate": profile.discount_rate,
            "current": {
                "product_id": scenarios["product_id"].array[stay],
                "product": scenarios["product"].array[stay],
                "tier_id": scenarios["tier_id"].array[stay],
                "tier": scenarios["tier"].array[stay],
                "seats": dict(profile.current.seats),
                "billing": profile.current.billing,
                "contract_start": profile.current.contract.start.isoformat(),
                "contract_end": profile.current.contract.end.isoformat(),
            },
            "roles": [
                {"id": role.id, "name": role.name, "seats": role.seats} for role in profile.roles
            ],
            "criteria_weights": dict(profile.criteria_weights),
            "scoring_method": profile.scoring_method,
        },
        "assumptions": profile.model_dump(mode="json"),
        "key_dates": scenario_records(result.key_dates, "stay", ["event", "date"]),
        "recommendation": {
            "scenario_id": rec.scenario_id,
            "label": rec.label,
            "kind": rec.kind,
            "headline": rec.headline,
            "reasons": list(rec.reasons),
            "runner_up": rec.runner_up,
            "warnings": list(rec.warnings),
            "contenders": list(rec.contenders),
        },
        "warnings": warnings,
        "seat_usage": seat_usage,
        "scenario_key_dates": scenario_key_dates,
        "scenarios": scenario_rows,
        "unlisted_combinations": result.unlisted_combinations,
        "unlisted_note": result.unlisted_note,
        "cash_flows": {
            "months": months,
            "components": list(COMPONENTS),
            "scenarios": _monthly_amounts(monthly),
        },
        "licenses": licenses,
        "fit_detail": fit_detail,
        "exit_plan": {
            "scenario_id": rec.scenario_id,
            "steps": _exit_plan_records(result),
        },
        "stability": {
            "samples": result.stability.samples,
            "seed": result.stability.seed,
            "absence": result.stability.absence,
        },
        "sensitivity": None if sensitivity is None else _sensitivity_data(result, sensitivity),
        "sources": sources,
    }


def _monthly_amounts(monthly: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, list[Any]]]:
    """Per scenario, each component's monthly amounts in cents, every table rounded at once
    (the monthly tables of an analysis share their columns, :data:`~analyzer.costs.COMPONENTS`,
    all floats, and their months)."""
    components = column_names(next(iter(monthly.values())))
    amounts = plain_floats(
        np.stack([table.to_numpy(dtype=float).T for table in monthly.values()]), MONEY_DECIMALS
    )
    return {
        sid: dict(zip(components, table, strict=True))
        for sid, table in zip(monthly, amounts, strict=True)
    }


def month_labels(months: pd.PeriodIndex) -> list[str]:
    """``YYYY-MM`` of each month of a monthly period index, as ``str(period)`` writes it.

    Written from the months' ordinals (months since January 1970): a period made and printed
    one at a time costs about ten times as much.

    >>> import pandas as pd
    >>> month_labels(pd.period_range("1969-12", periods=3, freq="M"))
    ['1969-12', '1970-01', '1970-02']
    """
    if months.freqstr != "M":
        raise ValueError(f"the cash flows run by month, not by {months.freqstr!r}")
    return [
        f"{1970 + ordinal // 12:04d}-{ordinal % 12 + 1:02d}" for ordinal in months.asi8.tolist()
    ]


def _exit_plan_records(result: AnalysisResult) -> list[dict[str, Any]]:
    """The recommended scenario's exit plan as records (``recommended_exit_plan``'s rows)."""
    plans = result.exit_plans
    columns = [column for column in column_names(plans) if column != "scenario_id"]
    return scenario_records(plans, result.recommendation.scenario_id, columns)


def _sensitivity_data(result: AnalysisResult, sensitivity: Sensitivity) -> dict[str, Any]:
    tornado, weight_flips = table_records([sensitivity.tornado, sensitivity.weight_flips])
    return {
        "samples": sensitivity.monte_carlo.samples,
        "seed": sensitivity.monte_carlo.seed,
        "rank_stability": column_records(rank_stability_columns(result, sensitivity)),
        "tornado": tornado,
        "weight_flips": weight_flips,
    }


def report_json(result: AnalysisResult) -> str:
    """The JSON report: byte-identical for the same inputs (sorted keys, rounded floats)."""
    data = report_data(result)
    return encode_report(data, unrounded_parts(data))


_TABLE_SECTIONS = frozenset(
    {
        "key_dates",
        "warnings",
        "seat_usage",
        "scenario_key_dates",
        "scenarios",
        "cash_flows",
        "licenses",
        "fit_detail",
        "exit_plan",
        "sources",
    }
)
"""Sections of :func:`report_data` holding only text and what the tables' rounding gave
(:func:`~analyzer.reports.tables.plain_floats`, :func:`~analyzer.reports.tables.plain_value`):
floats of at most four decimals, so each is 0 or at least 1e-4 in size."""

_TABLE_SENSITIVITY = frozenset({"rank_stability", "tornado", "weight_flips"})
"""The sensitivity's parts made by the tables' rounding (see :data:`_TABLE_SECTIONS`)."""


def unrounded_parts(data: dict[str, Any]) -> list[Any]:
    """The parts of a :func:`report_data` document that may hold a float not rounded by the
    tables (the profile and its assumptions, the stability settings, the sensitivity's sample
    count and seed): every other float in it is 0 or at least 1e-4, which orjson and Python
    write alike."""
    parts: list[Any] = [
        value for key, value in data.items() if key not in _TABLE_SECTIONS | {"sensitivity"}
    ]
    sensitivity = data.get("sensitivity")
    if sensitivity is not None:
        parts += [value for key, value in sensitivity.items() if key not in _TABLE_SENSITIVITY]
    return parts


_ORJSON_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_SORT_KEYS
    | orjson.OPT_APPEND_NEWLINE
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
"""orjson writes the layout of ``json.dumps(indent=2, sort_keys=True, ensure_ascii=False)``.
The passthrough options make it refuse dataclasses, dates and subclasses of str, int, dict and
list, which it would write its own way: such a document goes to the standard library."""

_ZERO, _DOT, _DASH, _E = (ord(c) for c in "0.-e")


def _orjson_own_floats(encoded: bytes) -> bool:
    """True when orjson may have written a float its own way: Python writes a float under
    1e-4 as ``1e-05`` (two exponent digits), orjson as ``0.00001`` or ``1e-7``. Every other
    finite float prints the same in both (the shortest text that reads back the same number).
    Text that only looks like such a float counts too: it merely costs the slower encoder.

    The text is searched for ``0.0000`` and for ``e-`` followed by exactly one digit, as the
    bytes around each ``.`` and ``-``, in numpy: two byte-by-byte searches of the whole text
    took about as long as orjson's encoding. Both marks are found in one pass over the text
    (``-`` and ``.`` are neighbouring bytes), into one mask (fresh memory of the text's size
    costs page faults; finding the marks in the mask costs more than the comparisons).

    >>> _orjson_own_floats(b"[0.00001]"), _orjson_own_floats(b"[1e-7, 1e-05]")
    (True, True)
    >>> _orjson_own_floats(b'[0.0001, 1e-05, "one-time"]')
    False
    """
    text = np.frombuffer(encoded, dtype=np.uint8)
    size = len(text)
    # uint8 arithmetic: a byte below "-" wraps round to above ".", so only "-" and "." are
    # at most 1 above "-"; the comparison writes its booleans over its own input.
    offsets = np.subtract(text, _DASH, out=np.empty(size, dtype=np.uint8))
    marks = np.flatnonzero(np.less_equal(offsets, _DOT - _DASH, out=offsets.view(bool)))
    marks = marks[(marks >= 1) & (marks + 1 < size)]
    dots = text[marks] == _DOT
    dashes = marks[~dots]
    dots = marks[dots]
    dots = dots[dots + 4 < size]
    zeros = text[dots - 1] == _ZERO
    for offset in range(1, 5):
        zeros &= text[dots + offset] == _ZERO
    if zeros.any():
        return True
    # uint8 arithmetic again: a byte below "0" wraps round to above 9.
    digit_after = text[dashes + 1] - _ZERO <= 9
    second = dashes + 2 < size
    second_digit = second & (text[np.minimum(dashes + 2, size - 1)] - _ZERO <= 9)
    return bool(((text[dashes - 1] == _E) & digit_after & ~second_digit).any())


def encode_report(data: dict[str, Any], unrounded: list[Any] | None = None) -> str:
    """``data`` as the JSON report's text: indented by two, keys sorted, a final line break.

    Exactly the text of ``json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False,
    allow_nan=False)`` plus a line break. orjson writes it about 20 times faster; a document it
    cannot write the same way (a tiny float; an integer beyond 64 bits, a key that is not text)
    goes through the standard library instead. Non-finite floats never reach here:
    :func:`~analyzer.reports.tables.plain_value` refuses them.

    Tiny floats are looked for in ``unrounded`` when it is given: the parts of ``data`` that
    may hold any float, every other float in ``data`` being 0 or at least 1e-4 in size
    (:func:`unrounded_parts` of a report). Otherwise the encoded text is searched
    (:func:`_orjson_own_floats`, which also counts text that looks like such a float).

    >>> encode_report({"b": [1.5, None], "a": "é"}).splitlines()
    ['{', '  "a": "é",', '  "b": [', '    1.5,', '    null', '  ]', '}']
    """
    try:
        encoded = orjson.dumps(data, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        encoded = None
    if encoded is None or (
        _orjson_own_floats(encoded) if unrounded is None else _holds_tiny_float(unrounded)
    ):
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
        return text + "\n"
    return encoded.decode("utf-8")


def _holds_tiny_float(value: Any) -> bool:
    """True when ``value`` (a JSON-like document) holds a float other than 0 smaller than
    1e-4 in size: Python writes those with an exponent (``1e-05``), orjson partly not.

    >>> _holds_tiny_float({"rates": [0.0001, 0.0], "seed": 7}), _holds_tiny_float([[-2e-05]])
    (False, True)
    """
    if isinstance(value, float):
        return 0.0 < abs(value) < 1e-4
    if isinstance(value, dict):
        return any(map(_holds_tiny_float, value.values()))
    if isinstance(value, list | tuple):
        return any(map(_holds_tiny_float, value))
    return False
