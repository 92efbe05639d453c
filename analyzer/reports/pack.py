"""The negotiation pack's evidence (DESIGN section 7), as rows the PDF and HTML reports print.

What a buyer brings to the account executive: the price paid against list for each seat type
held, with the list price's source, date and confidence; the seats paid for but unused; the
credible alternative (the best switch: the walk-away option) and the best downgrade, with cost
and fit; the key dates and the stability of the recommendation. Every figure is read from the
:class:`~analyzer.analysis.AnalysisResult`; the rows only put them side by side, as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analyzer.analysis import default_scenarios
from analyzer.formatting import MISSING, money, percent, scenario_break_even, source_age

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult

NO_PEER_PRICES = (
    "The catalog holds list prices only: no prices other customers pay for this edition, so "
    "the price paid is compared with list."
)
"""What the pack says about peers while the catalog has no peer prices."""

SIDE_BY_SIDE_ROWS = (
    ("Rank", "rank"),
    ("Decision total", "total"),
    ("Cash total", "cash_total"),
    ("NPV", "npv"),
    ("One-time costs", "one_time_total"),
    ("Saving vs Stay", "saving_vs_stay"),
    ("Break-even", "break_even"),
    ("Feature fit", "fit"),
    ("Score", "score"),
    ("Ranks first in", "p_first"),
    ("Change or exit", "change"),
)
"""The rows of the one-page summary's stay / downgrade / switch comparison, label and key."""


def break_even_texts(result: AnalysisResult) -> dict[str, str]:
    """Scenario id -> its break-even in words (:func:`analyzer.formatting.scenario_break_even`).

    The three columns it reads are handed over as plain rows at once: a pandas row per scenario
    cost more than the words (the PDF asks three times, for hundreds of scenarios).
    """
    months = list(result.cumulative.index)
    columns = result.scenarios[["kind", "status", "break_even_month"]]
    return {
        str(sid): scenario_break_even(row, months)
        for sid, row in zip(columns.index, columns.to_dict("records"), strict=True)
    }


def side_by_side(result: AnalysisResult) -> dict[str, Any]:
    """Stay, the best downgrade and the best switch in columns (those that exist).

    Returns ``{"columns": [label, ...], "rows": [[name, text, ...], ...]}`` following
    :data:`SIDE_BY_SIDE_ROWS`.
    """
    ids = default_scenarios(result)
    currency = result.profile.currency
    breaks = break_even_texts(result)
    p_first = result.sensitivity.monte_carlo.p_first if result.sensitivity is not None else None
    rows = []
    for name, key in SIDE_BY_SIDE_ROWS:
        cells = []
        for sid in ids:
            row = result.scenarios.loc[sid]
            if key == "rank":
                cells.append(str(int(row["rank"])))
            elif key == "break_even":
                cells.append(breaks[sid])
            elif key == "fit":
                cells.append(percent(row["fit"]))
            elif key == "score":
                cells.append(f"{row['score']:.3f}")
            elif key == "p_first":
                share = None if p_first is None else p_first.get(sid)
                cells.append(MISSING if share is None else percent(share, 1))
            elif key == "change":
                cells.append(_change(row))
            else:
                cells.append(money(row[key], currency))
        rows.append([name, *cells])
    return {"columns": [str(label) for label in result.scenarios.loc[ids, "label"]], "rows": rows}


def _change(row: Any) -> str:
    if row["kind"] == "stay":
        return "renews as today"
    if row["kind"] == "switch":
        return f"go-live {row['go_live']}; {row['exit_reason']}"
    return f"takes effect {row['effective_date']}"


def price_against_list(result: AnalysisResult) -> list[dict[str, str]]:
    """Per seat type held today: purchased, used and unused seats, the price paid (else list)
    and the list price a month, what the unused seats cost a year, and where the list price
    comes from (source, date, age, confidence)."""
    currency = result.profile.currency
    rows = []
    for usage in result.seat_usage.itertuples(index=False):
        known = usage.list_source is not None
        rows.append(
            {
                "seat": str(usage.license_type),
                "purchased": str(usage.purchased),
                "used": str(usage.used),
                "unused": str(usage.unused),
                "price_paid": money(usage.price_paid, currency, 2),
                "list_price": money(usage.list_price, currency, 2),
                "unused_cost_per_year": money(usage.unused_cost_per_year, currency),
                "source": str(usage.list_source) if known else MISSING,
                "as_of": str(usage.list_as_of) if known else MISSING,
                "age": source_age(usage.list_as_of, result.profile.analysis_start)
                if known
                else MISSING,
                "confidence": str(usage.list_confidence) if known else MISSING,
            }
        )
    return rows


def walk_away_options(result: AnalysisResult) -> list[dict[str, str]]:
    """The best switch (the walk-away option) and the best downgrade: cost, fit and timing."""
    currency = result.profile.currency
    breaks = break_even_texts(result)
    rows = []
    for kind, role in (("switch", "Walk-away option"), ("downgrade", "Stay, for less")):
        sid = result.best(kind)
        if sid is None:
            continue
        row = result.scenarios.loc[sid]
        rows.append(
            {
                "role": role,
                "label": str(row["label"]),
                "total": money(row["total"], currency),
                "cash_total": money(row["cash_total"], currency),
                "one_time_total": money(row["one_time_total"], currency),
                "saving_vs_stay": money(row["saving_vs_stay"], currency),
                "break_even": breaks[sid],
                "fit": percent(row["fit"]),
                "change": _change(row),
            }
        )
    return rows


def source_rows(result: AnalysisResult) -> list[dict[str, str]]:
    """Every price used, as text: product, tier, kind, item, amount (its own currency and the
    profile's), unit, source, as_of, age at the analysis start, confidence and ``stale``
    (``yes`` or ``no``)."""
    rows = []
    for price in result.sources.itertuples(index=False):
        rows.append(
            {
                "product": str(price.product),
                "tier": str(price.tier),
                "kind": str(price.kind),
                "item": str(price.item),
                "amount": money(price.amount, price.currency, 2),
                "amount_in_profile_currency": money(
                    price.amount_in_profile_currency, result.profile.currency, 2
                ),
                "unit": str(price.unit),
                "source": str(price.source),
                "as_of": MISSING if price.as_of is None else str(price.as_of),
                "age": source_age(price.as_of, result.profile.analysis_start),
                "confidence": str(price.confidence),
                "stale": "yes" if price.stale else "no",
            }
        )
    return rows
