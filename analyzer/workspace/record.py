"""What a saved analysis holds: the inputs, the catalog's fingerprint and the result summary.

:func:`new_analysis` turns one :class:`~analyzer.analysis.AnalysisResult` into a
:class:`NewAnalysis` ready to save; the workspace hands back :class:`SavedAnalysis` rows. The
summary is read from the result's own tables (nothing is recomputed), so the workspace, the
batch summary and a re-run all show the same figures as the reports.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analyzer.analysis import AnalysisResult
from analyzer.catalog import Catalog
from analyzer.profile import dump_profile
from analyzer.reports.json import report_json

UNKNOWN_USER = "unknown"


@dataclass(frozen=True)
class CatalogFingerprint:
    """Which catalog an analysis ran on.

    ``content_hash`` is the SHA-256 of the catalog's content (every product, tier, price and
    source; file layout and comments do not count); ``version`` is the newest price date in it,
    a name a person can read ("prices up to 2026-11-27").
    """

    content_hash: str
    version: str


def catalog_fingerprint(catalog: Catalog) -> CatalogFingerprint:
    """The content hash and version of ``catalog``.

    >>> from analyzer.catalog import load_catalog
    >>> fingerprint = catalog_fingerprint(load_catalog())
    >>> len(fingerprint.content_hash)
    64
    """
    data = catalog.model_dump(mode="json")
    content = json.dumps(data, sort_keys=True, ensure_ascii=False)
    dates = list(_price_dates(data))
    return CatalogFingerprint(
        hashlib.sha256(content.encode("utf-8")).hexdigest(), max(dates) if dates else "undated"
    )


def _price_dates(data: Any) -> Iterator[str]:
    """Every ``as_of`` date (ISO text) anywhere in a dumped catalog."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "as_of" and isinstance(value, str):
                yield value
            else:
                yield from _price_dates(value)
    elif isinstance(data, list):
        for item in data:
            yield from _price_dates(item)


def analysis_summary(result: AnalysisResult) -> dict[str, Any]:
    """The few figures a list, a diff and the batch table show, as a JSON-ready mapping.

    Keys: those of :func:`headline_summary`, then ``scenarios`` (id -> ``{"label", "total",
    "rank"}``; ``total``/``rank`` None when a scenario is not costed or not ranked).
    """
    return {**headline_summary(result), "scenarios": scenario_summaries(result)}


def headline_summary(result: AnalysisResult) -> dict[str, Any]:
    """The figures of :func:`analysis_summary` that are not per scenario (what the batch table
    shows): ``organisation``, ``currency``, ``horizon_months``, ``winner`` (scenario id),
    ``winner_label``, ``winner_kind``, ``saving`` (the winner's saving against staying),
    ``notice_deadline`` (ISO date), ``close_call`` (bool) and ``warnings`` (messages).

    The winner's saving is read by position from the column's array, and the messages from
    theirs at once: a label lookup and a walk of a pandas text column cost more than the rest.
    """
    rec = result.recommendation
    scenarios = result.scenarios
    winner = scenarios.index.get_loc(rec.scenario_id)
    return {
        "organisation": result.profile.name,
        "currency": result.profile.currency,
        "horizon_months": result.profile.horizon_months,
        "winner": rec.scenario_id,
        "winner_label": rec.label,
        "winner_kind": rec.kind,
        "saving": _number(scenarios["saving_vs_stay"].to_numpy()[winner]),
        "notice_deadline": result.notice_urgency.deadline.isoformat(),
        "close_call": bool(rec.contenders),
        "warnings": result.warnings["message"].to_numpy(dtype=object).tolist(),
    }


def scenario_summaries(result: AnalysisResult) -> dict[str, dict[str, Any]]:
    """Per scenario id, its ``label``, ``total`` (to the cent) and ``rank``, None where the
    scenario is not costed or not ranked.

    Each column is read as one list of Python values (missing ones as None), not cell by cell.
    """
    scenarios = result.scenarios
    return {
        sid: {
            "label": label,
            "total": None if total is None else round(float(total), 2),
            "rank": None if rank is None else int(rank),
        }
        for sid, label, total, rank in zip(
            scenarios.index.tolist(),
            scenarios["label"].to_numpy(dtype=object).tolist(),
            _cells(scenarios["total"]),
            _cells(scenarios["rank"]),
            strict=True,
        )
    }


def _cells(column: pd.Series) -> list[Any]:
    """The values of a numeric column as Python objects, None where one is missing (NaN, NA)."""
    values = column.to_numpy(dtype=object)
    values[pd.isna(values)] = None
    return values.tolist()


def _number(value: Any) -> float | None:
    """A money or rank cell as a JSON number, None for a missing (NaN) one."""
    if pd.isna(value):
        return None
    return round(float(value), 2)


def current_user() -> str:
    """The operating-system user saving an analysis ("unknown" when there is none)."""
    try:
        return getpass.getuser() or UNKNOWN_USER
    except (OSError, KeyError, ImportError):  # no login name in a bare container
        return UNKNOWN_USER


@dataclass(frozen=True)
class NewAnalysis:
    """An analysis ready to be saved (or compared with a saved one before it is)."""

    profile_name: str
    profile_yaml: str
    catalog: CatalogFingerprint
    summary: dict[str, Any]
    report: str
    """The full JSON report."""
    saved_by: str
    note: str = ""


def new_analysis(
    result: AnalysisResult, catalog: Catalog, by: str | None = None, note: str = ""
) -> NewAnalysis:
    """Everything the workspace keeps of ``result``, which was analysed on ``catalog``.

    ``by`` names who saves it (default: the operating-system user).
    """
    return NewAnalysis(
        profile_name=result.profile.name,
        profile_yaml=dump_profile(result.profile),
        catalog=catalog_fingerprint(catalog),
        summary=analysis_summary(result),
        report=report_json(result),
        saved_by=by or current_user(),
        note=note,
    )


@dataclass(frozen=True, kw_only=True)
class SavedAnalysis(NewAnalysis):
    """A saved analysis, with its number in the workspace and when it was saved (UTC)."""

    id: int
    saved_at: dt.datetime
