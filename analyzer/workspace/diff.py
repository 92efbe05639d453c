"""What changed between two analyses, and why: inputs, catalog prices, totals and the winner.

:func:`diff_analyses` compares two analyses (saved ones, or a saved one with a fresh re-run on
today's catalog) from what the workspace keeps: the profile YAML, the catalog fingerprint, the
summary and the JSON report's price table. Nothing is re-analysed here.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from analyzer.formatting import money
from analyzer.workspace.record import CatalogFingerprint, NewAnalysis

SHOWN_FIELDS = 8
"""How many changed input fields a reason names before it says "and N more"."""


@dataclass(frozen=True)
class InputChange:
    """One profile field whose value differs (None: the field is absent on that side)."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class PriceChange:
    """One price an analysis used that differs between the two (None: not used on that side)."""

    product: str
    tier: str
    item: str
    currency: str
    old: float | None
    new: float | None


@dataclass(frozen=True)
class TotalChange:
    """One scenario's total cost over the horizon in both analyses (None: not costed)."""

    scenario_id: str
    label: str
    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        """New minus old, None unless both are costed."""
        if self.old is None or self.new is None:
            return None
        return round(self.new - self.old, 2)


@dataclass(frozen=True)
class AnalysisDiff:
    """Two analyses side by side; ``reasons`` say in words what changed and why."""

    old_name: str
    new_name: str
    currency: str
    inputs: tuple[InputChange, ...]
    old_catalog: CatalogFingerprint
    new_catalog: CatalogFingerprint
    prices: tuple[PriceChange, ...]
    totals: tuple[TotalChange, ...]
    old_winner: str
    new_winner: str
    reasons: tuple[str, ...]

    @property
    def catalog_changed(self) -> bool:
        return self.old_catalog.content_hash != self.new_catalog.content_hash

    @property
    def winner_changed(self) -> bool:
        return self.old_winner != self.new_winner


def profile_fields(profile_yaml: str) -> dict[str, Any]:
    """The profile as ``dotted.field -> value``; list items with an ``id`` are named by it.

    >>> profile_fields("roles: [{id: reps, seats: 3}]\\nhorizon_months: 36\\n")
    {'roles[reps].id': 'reps', 'roles[reps].seats': 3, 'horizon_months': 36}
    """
    return dict(_flatten(yaml.safe_load(profile_yaml) or {}, ""))


def _flatten(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif (
        isinstance(value, list)
        and value
        and all(isinstance(item, dict) and "id" in item for item in value)
    ):
        for item in value:
            yield from _flatten(item, f"{prefix}[{item['id']}]")
    else:
        yield prefix, value


def input_changes(old_yaml: str, new_yaml: str) -> tuple[InputChange, ...]:
    """Every profile field that differs, in the order the new profile lists them."""
    old, new = profile_fields(old_yaml), profile_fields(new_yaml)
    fields = list(new) + [f for f in old if f not in new]
    return tuple(InputChange(f, old.get(f), new.get(f)) for f in fields if old.get(f) != new.get(f))


def _prices(report: str) -> dict[tuple[str, str, str, str], tuple[float, str]]:
    """(product, tier, kind, item) -> (amount, currency) of every price the report used."""
    return {
        (row["product"], row["tier"], row["kind"], row["item"]): (row["amount"], row["currency"])
        for row in json.loads(report)["sources"]
    }


def price_changes(old_report: str, new_report: str) -> tuple[PriceChange, ...]:
    """Every price used by either JSON report that is not the same in the other."""
    old, new = _prices(old_report), _prices(new_report)
    changes = []
    for key in list(new) + [k for k in old if k not in new]:
        if old.get(key) == new.get(key):
            continue
        product, tier, _kind, item = key
        currency = (new.get(key) or old[key])[1]
        changes.append(
            PriceChange(
                product,
                tier,
                item,
                currency,
                old[key][0] if key in old else None,
                new[key][0] if key in new else None,
            )
        )
    return tuple(changes)


def total_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[TotalChange, ...]:
    """Each scenario costed in either summary: new order first, then scenarios that went away."""
    old_rows, new_rows = old["scenarios"], new["scenarios"]
    ids = list(new_rows) + [sid for sid in old_rows if sid not in new_rows]
    return tuple(
        TotalChange(
            sid,
            (new_rows.get(sid) or old_rows[sid])["label"],
            old_rows[sid]["total"] if sid in old_rows else None,
            new_rows[sid]["total"] if sid in new_rows else None,
        )
        for sid in ids
        if (old_rows.get(sid) or {}).get("total") is not None
        or (new_rows.get(sid) or {}).get("total") is not None
    )


def diff_analyses(
    old: NewAnalysis, new: NewAnalysis, old_name: str = "old", new_name: str = "new"
) -> AnalysisDiff:
    """Compare two analyses: what went in, what came out, and the reasons in words."""
    inputs = input_changes(old.profile_yaml, new.profile_yaml)
    prices = price_changes(old.report, new.report)
    totals = total_changes(old.summary, new.summary)
    currency = new.summary["currency"]
    diff = AnalysisDiff(
        old_name,
        new_name,
        currency,
        inputs,
        old.catalog,
        new.catalog,
        prices,
        totals,
        old.summary["winner_label"],
        new.summary["winner_label"],
        (),
    )
    return dataclasses.replace(diff, reasons=_reasons(diff, old, new))


def _reasons(diff: AnalysisDiff, old: NewAnalysis, new: NewAnalysis) -> tuple[str, ...]:
    reasons = []
    if diff.inputs:
        named = ", ".join(change.field for change in diff.inputs[:SHOWN_FIELDS])
        more = len(diff.inputs) - SHOWN_FIELDS
        reasons.append(
            f"{len(diff.inputs)} profile input(s) changed: {named}"
            + (f" and {more} more." if more > 0 else ".")
        )
    if diff.catalog_changed:
        reasons.append(
            f"The catalog changed (prices up to {diff.old_catalog.version} → "
            f"{diff.new_catalog.version}): "
            + (
                f"{len(diff.prices)} price(s) used here changed."
                if diff.prices
                else "none of the prices used here changed."
            )
        )
    elif diff.prices:
        reasons.append(f"{len(diff.prices)} price(s) used here changed with the profile.")
    moved = [t for t in diff.totals if t.delta or (t.old is None) != (t.new is None)]
    if not diff.inputs and not diff.catalog_changed:
        reasons.append(
            "Same profile and catalog"
            + (
                ": the figures differ, so the analyzer's rules changed between the two runs."
                if moved
                else ": same figures."
            )
        )
    if diff.winner_changed:
        reasons.append(f"The recommendation changed from {diff.old_winner} to {diff.new_winner}.")
    else:
        reasons.append(f"The recommendation is still {diff.new_winner}.")
    shifts = sorted((t for t in moved if t.delta), key=lambda t: -abs(t.delta or 0))
    if shifts:
        biggest = shifts[0]
        reasons.append(
            f"Largest move: {biggest.label}, {money(biggest.old, diff.currency)} → "
            f"{money(biggest.new, diff.currency)} ({_signed(biggest.delta, diff.currency)})."
        )
    saving_old, saving_new = old.summary["saving"], new.summary["saving"]
    if saving_old != saving_new:
        reasons.append(
            f"The recommended option's saving against staying: "
            f"{money(saving_old, diff.currency)} → {money(saving_new, diff.currency)}."
        )
    return tuple(reasons)


def _signed(amount: float | None, currency: str) -> str:
    """``+$1,200`` / ``-$300``: a change with its sign."""
    return ("+" if amount and amount > 0 else "") + money(amount, currency)


def format_diff(diff: AnalysisDiff) -> str:
    """The diff as plain text: why first, then inputs, prices and totals."""
    lines = [f"{diff.old_name} → {diff.new_name}", "", "Why:"]
    lines += [f"  - {reason}" for reason in diff.reasons]
    if diff.inputs:
        lines += ["", "Inputs changed:"]
        lines += [f"  {c.field}: {_shown(c.old)} → {_shown(c.new)}" for c in diff.inputs]
    if diff.prices:
        lines += ["", "Prices used:"]
        lines += [
            f"  {p.product} {p.tier}, {p.item}: {_price(p.old, p.currency)} → "
            f"{_price(p.new, p.currency)}"
            for p in diff.prices
        ]
    lines += ["", f"Totals over the horizon ({diff.currency}):"]
    for total in diff.totals:
        change = "" if total.delta is None else f" ({_signed(total.delta, diff.currency)})"
        lines.append(
            f"  {total.label}: {money(total.old, diff.currency)} → "
            f"{money(total.new, diff.currency)}{change}"
        )
    return "\n".join(lines) + "\n"


def _shown(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def _price(amount: float | None, currency: str) -> str:
    return "(not used)" if amount is None else money(amount, currency, 2)
