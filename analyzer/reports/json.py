"""The JSON report: every table of the analysis in one document (``docs/report-json.md``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from analyzer.costs import COMPONENTS
from analyzer.reports.tables import (
    MONEY_DECIMALS,
    key_date_table,
    plain_column,
    rank_stability_table,
    recommended_exit_plan,
    records,
)
from analyzer.scoring import Sensitivity

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult

SCHEMA_VERSION = 2
"""Version of the JSON report's layout; raised when a field changes meaning or goes away."""


def report_data(result: AnalysisResult) -> dict[str, Any]:
    """Everything the reports show, as one JSON-ready document (see ``docs/report-json.md``)."""
    profile = result.profile
    stay = result.scenarios.loc["stay"]
    rec = result.recommendation
    sensitivity = result.sensitivity
    monthly = result.monthly
    months = next(iter(monthly.values())).index.astype(str).tolist()
    return {
        "schema_version": SCHEMA_VERSION,
        "profile": {
            "name": profile.name,
            "currency": profile.currency,
            "analysis_start": profile.analysis_start.isoformat(),
            "horizon_months": profile.horizon_months,
            "discount_rate": profile.discount_rate,
            "current": {
                "product_id": stay["product_id"],
                "product": stay["product"],
                "tier_id": stay["tier_id"],
                "tier": stay["tier"],
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
        "key_dates": records(key_date_table(result)),
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
        "warnings": records(result.warnings),
        "seat_usage": records(result.seat_usage),
        "scenario_key_dates": records(result.key_dates),
        "scenarios": records(result.scenarios.reset_index(drop=True)),
        "unlisted_combinations": result.unlisted_combinations,
        "unlisted_note": result.unlisted_note,
        "cash_flows": {
            "months": months,
            "components": list(COMPONENTS),
            "scenarios": {
                sid: {c: plain_column(table[c], MONEY_DECIMALS) for c in COMPONENTS}
                for sid, table in monthly.items()
            },
        },
        "licenses": records(result.licenses),
        "fit_detail": records(result.fit_detail),
        "exit_plan": {
            "scenario_id": rec.scenario_id,
            "steps": records(recommended_exit_plan(result)),
        },
        "stability": {
            "samples": result.stability.samples,
            "seed": result.stability.seed,
            "absence": result.stability.absence,
        },
        "sensitivity": None if sensitivity is None else _sensitivity_data(result, sensitivity),
        "sources": records(result.sources),
    }


def _sensitivity_data(result: AnalysisResult, sensitivity: Sensitivity) -> dict[str, Any]:
    return {
        "samples": sensitivity.monte_carlo.samples,
        "seed": sensitivity.monte_carlo.seed,
        "rank_stability": records(rank_stability_table(result, sensitivity)),
        "tornado": records(sensitivity.tornado),
        "weight_flips": records(sensitivity.weight_flips),
    }


def report_json(result: AnalysisResult) -> str:
    """The JSON report: byte-identical for the same inputs (sorted keys, rounded floats)."""
    data = report_data(result)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
