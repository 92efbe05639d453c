"""``analyze(profile, catalog)``: every scenario costed, fitted, ranked and explained, once.

:func:`analyze` returns an :class:`AnalysisResult` that is complete when it is returned: every
table, the key dates and exit plan of every scenario, the warnings, the stability summary and
the recommendation are built here, in one pass. Charts, reports, the CLI, the app and the
notebooks only read it; none of them recomputes a figure or reads the catalog to find one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from pandas.api.internals import create_dataframe_from_blocks

from analyzer.catalog import SUPPORT_SCORE, Catalog, Product, Tier, is_self_hosted
from analyzer.contract import decision_term, notice_deadline
from analyzer.costs import (
    CASH_COMPONENTS,
    COMPONENTS,
    DECISION_ONLY_COMPONENTS,
    ONE_TIME_COMPONENTS,
    Current,
    ScenarioPlan,
    component_months,
    downgrade_plan,
    monthly_cash_flows,
    partial_switch_plan,
    product_tier_name,
    project_allocation,
    seats_ahead,
    stack_part_allocation,
    stack_plan,
    stay_plan,
    switch_dates,
    switch_plan,
)
from analyzer.errors import ScenarioError
from analyzer.exitplan import exit_plans_table
from analyzer.formatting import money
from analyzer.frames import (
    columns_table,
    frame,
    inferred_column,
    rows_table,
    taken,
    taken_texts,
    text_array,
    text_arrays,
)
from analyzer.keydates import all_key_dates, key_dates_table
from analyzer.licensing import (
    LicenseMix,
    SeatAssigner,
    catalog_judgements,
    combined_fit,
    current_role,
    price_paid_else_list,
)
from analyzer.mcda import ScoreResult
from analyzer.profile import GATES, Profile, Role
from analyzer.recommendation import Recommendation, RecommendationInputs, recommend
from analyzer.scoring import (
    MIN_RANKED_FOR_SENSITIVITY,
    ScoreAnchors,
    Sensitivity,
    close_call,
    column_values,
    score_columns,
    sensitivity,
)
from analyzer.sensitivity import CostUncertainty
from analyzer.sources import source_rows, sources_table
from analyzer.warning_rules import (
    MissedDeadline,
    NoticeUrgency,
    close_call_warnings,
    deadline_warnings,
    legacy_edition_warnings,
    limited_must_warnings,
    notice_urgency,
    price_warnings,
    stay_must_row_warnings,
    unused_seat_warnings,
    warnings_frame,
)

EXIT_COMPONENTS = ["termination_fee", "refund"]
COST_COLUMNS = (
    "total",
    "cash_total",
    "npv",
    "recurring_total",
    "recurring_npv",
    "one_time_total",
    "exit_costs",
    "prepaid_after_horizon",
)
"""Money columns of :attr:`AnalysisResult.scenarios` (NaN for scenarios that are not costed).

``total`` and ``npv`` are the decision view (DESIGN section 5): the cash total with the service
prepaid past the horizon credited back (``prepaid_after_horizon``, negative); ``cash_total`` is
the invoices as they fall. ``recurring_*`` is everything but the one-time costs of a change."""

LICENSE_COLUMNS = [
    "scenario_id",
    "product_id",
    "product",
    "tier_id",
    "tier",
    "role_id",
    "role",
    "seats",
    "license_type_id",
    "license_type",
    "price",
    "net_price",
    "addons",
    "monthly_cost",
    "fit",
    "source",
    "as_of",
]
"""Columns of :attr:`AnalysisResult.licenses`: per role, the product, tier and license type it
gets (in a stack or partial switch each role is on one of the scenario's products)."""

COMBINATIONS_LISTED = 5
"""How many stacks and how many partial switches an analysis lists: of each shape, the
cheapest by decision total, each the cheapest feasible tier pair of its product pair. The other
feasible pairs are counted in :attr:`AnalysisResult.unlisted_combinations`."""
FIT_DETAIL_COLUMNS = [
    "scenario_id",
    "role_id",
    "role",
    "feature_id",
    "feature",
    "need",
    "support",
    "score",
]
"""Columns of :attr:`AnalysisResult.fit_detail`."""

SEAT_USAGE_COLUMNS = [
    "license_type_id",
    "license_type",
    "purchased",
    "used",
    "unused",
    "price_paid",
    "list_price",
    "unused_cost_per_year",
    "list_source",
    "list_as_of",
    "list_confidence",
]
"""Columns of :attr:`AnalysisResult.seat_usage` (the list price's address, date and confidence
last: a buyer quotes them when comparing the price paid with list)."""

TEXT_STORAGE = "python"
"""Where the result's text columns keep their strings: pandas' ``str`` dtype either way, held
as Python objects rather than in pyarrow. The tables are small and built from Python strings,
which pyarrow storage would convert column by column and again on every reorder (about a
third of an analysis's time)."""

STABILITY_SAMPLES = 2_000
"""Monte Carlo samples of the stability summary every analysis carries (API, CLI, app and
reports alike). About 10 ms; the sensitivity page and ``--samples`` can ask for more."""
STABILITY_SEED = 0


@dataclass(frozen=True)
class StabilitySummary:
    """Rank stability of the analysis, or why there is none.

    ``sensitivity`` is None when fewer than two options can be ranked or no samples were asked
    for; ``absence`` then says so in words.
    """

    samples: int
    seed: int
    sensitivity: Sensitivity | None
    absence: str | None = None


@dataclass(frozen=True)
class AnalysisResult:
    """Everything :func:`analyze` found, complete and read-only.

    The tables are shared by every reader: treat them as read-only (copy before changing).
    """

    profile: Profile
    scenarios: pd.DataFrame
    """One row per scenario: costs, dates, status, problems, score and rank (1 = best); ranked
    scenarios first by rank, then the unranked ones (infeasible or needing a quote)."""
    monthly: Mapping[str, pd.DataFrame]
    """Monthly cash flows by component (rows: periods), per costed scenario id."""
    cash_flows: pd.DataFrame
    """Long table: scenario_id, month (YYYY-MM), month_index, component, amount."""
    cumulative: pd.DataFrame
    """Cumulative cost per month (rows, YYYY-MM) and costed scenario (columns)."""
    licenses: pd.DataFrame
    """Seat assignment per costed scenario and role, with the price used and its provenance."""
    fit_detail: pd.DataFrame
    """Per costed scenario, role and needed feature: the support the role gets."""
    key_dates: pd.DataFrame
    """Per scenario: scenario_id, event_id, event, date, in date order."""
    exit_plans: pd.DataFrame
    """Per scenario: scenario_id, date, step, detail, warning (overdue), owner, why, category,
    in date order."""
    sources: pd.DataFrame
    """Every price a costed scenario uses, with its currency, source and date."""
    seat_usage: pd.DataFrame
    """Per license type held today: seats purchased, used by the roles, unused, the price paid
    (else list) and what the unused seats cost a year."""
    warnings: pd.DataFrame
    """scenario_id (empty for the whole situation), kind, message."""
    notice_urgency: NoticeUrgency
    """How urgent the notice deadline of the term that can next be changed is."""
    score_result: ScoreResult
    score_anchors: ScoreAnchors
    """The value functions' fixed anchors: Stay's NPV and today's annual spend."""
    stability: StabilitySummary
    recommendation: Recommendation
    uncertainty: CostUncertainty
    """Cost ranges for the Monte Carlo: the profile's migration overrun."""
    unlisted_combinations: int = 0
    """Stacks and partial switches (product pairs) that were feasible but not listed, beyond
    the :data:`COMBINATIONS_LISTED` cheapest of each shape."""

    def scenario(self, scenario_id: str) -> pd.Series:
        """The row of ``scenario_id``; a clear error for an id the analysis does not have."""
        self._check_scenario(scenario_id)
        return self.scenarios.loc[scenario_id]

    def _check_scenario(self, scenario_id: str) -> None:
        """A clear error for an id the analysis does not have (without reading its row)."""
        if scenario_id not in self.scenarios.index:
            raise ScenarioError(
                f"unknown option {scenario_id!r}; the analysis has "
                f"{', '.join(self.scenarios.index[:5])}{', ...' if len(self.scenarios) > 5 else ''}"
            )

    def exit_plan(self, scenario_id: str) -> pd.DataFrame:
        """The dated checklist of ``scenario_id``: date, step, detail, warning (overdue), owner,
        why and category (:data:`analyzer.exitplan.EXIT_PLAN_COLUMNS`)."""
        self._check_scenario(scenario_id)
        return _rows_of(self.exit_plans, scenario_id)

    def scenario_key_dates(self, scenario_id: str) -> pd.DataFrame:
        """event_id, event, date of ``scenario_id``, in date order."""
        self._check_scenario(scenario_id)
        return _rows_of(self.key_dates, scenario_id)

    @property
    def unlisted_note(self) -> str | None:
        """The sentence the reports show about feasible combinations not listed (None when
        every one is listed)."""
        count = self.unlisted_combinations
        if not count:
            return None
        what = "stack or partial switch was" if count == 1 else "stacks or partial switches were"
        return (
            f"{count} more {what} feasible but not listed: only the {COMBINATIONS_LISTED} "
            "cheapest of each shape are shown."
        )

    @property
    def decision_key_dates(self) -> pd.DataFrame:
        """Stay's key dates: those of the term that can next be changed."""
        return self.scenario_key_dates("stay")

    @property
    def sensitivity(self) -> Sensitivity | None:
        """The stability summary's Monte Carlo, tornado and weight flips (None when absent)."""
        return self.stability.sensitivity

    def rerun_stability(
        self,
        samples: int,
        seed: int = STABILITY_SEED,
        progress: Callable[[float], None] | None = None,
    ) -> StabilitySummary:
        """The stability summary with another sample count or seed (the sensitivity page)."""
        return stability_summary(
            self.scenarios,
            self.profile,
            self.score_anchors,
            self.uncertainty,
            samples,
            seed,
            progress,
        )

    def best(self, kind: str, shape: str | None = None) -> str | None:
        """Id of the best-ranked scenario of ``kind`` (stay, downgrade, switch), if any; of
        ``shape`` only (single, stack, partial) when given."""
        rows = self.scenarios
        chosen = (rows["kind"] == kind) & rows["rank"].notna()
        if shape is not None:
            chosen &= rows["shape"] == shape
        return None if not chosen.any() else str(rows.index[chosen][0])


def _rows_of(table: pd.DataFrame, scenario_id: str) -> pd.DataFrame:
    """The rows of ``scenario_id`` in a table of all scenarios, without the ``scenario_id``
    column, numbered from 0."""
    rows = np.flatnonzero(table["scenario_id"].to_numpy() == scenario_id)
    columns = [k for k, column in enumerate(table.columns) if column != "scenario_id"]
    return table.iloc[rows, columns].reset_index(drop=True)


def default_scenarios(result: AnalysisResult) -> list[str]:
    """Stay, the best-ranked downgrade and the best-ranked switch (those that exist)."""
    ids = [result.best(kind) for kind in ("stay", "downgrade", "switch")]
    return [sid for sid in ids if sid is not None]


def build_plans(
    current: Current, catalog: Catalog, seats: SeatAssigner | None = None
) -> list[ScenarioPlan]:
    """Stay; a downgrade per edition up to the current one; a switch per other product tier.

    ``seats`` assigns the roles' seats (a new one when not given; :func:`analyze` shares one
    with :func:`combination_plans`)."""
    profile, product, tier = current.profile, current.product, current.tier
    seats = seats or seat_assigner(profile, catalog)
    plans = [stay_plan(current)]
    tier_ids = [t.id for t in product.tiers]
    for candidate in product.tiers[: tier_ids.index(tier.id) + 1]:
        mix = seats.mix(product, candidate)
        plans.append(downgrade_plan(current, mix, f"downgrade:{product.id}/{candidate.id}"))
    for other in catalog.products:
        if other.id == product.id:
            continue
        for candidate in other.tiers:
            mix = seats.mix(other, candidate)
            plans.append(switch_plan(current, mix, f"switch:{other.id}/{candidate.id}"))
    return plans


def combination_plans(
    current: Current, catalog: Catalog, seats: SeatAssigner | None = None
) -> tuple[list[ScenarioPlan], int]:
    """Stacks and partial switches worth listing, and how many more were feasible.

    A CRM tier that lacks a must-have of some roles (and serves the others) is combined with
    a service desk tier that meets every must of those roles (a stack), or with a tier of the
    current product, up to the current one, kept for them (a partial switch). Per product pair
    only the cheapest feasible tier pair (decision total) is kept; of each shape the
    :data:`COMBINATIONS_LISTED` cheapest pairs are listed, in order of cost.

    Tier pairs are compared on the costs that differ between them (each product's
    subscription, fees and running costs; for a partial switch also the kept contract and the
    moved users' training): the old contract's exit and the project's other costs are the same
    for every stack. ``seats`` assigns the roles' seats (a new one when not given).

    Each part's costs depend on the part alone (its product, tier and roles; a stack's project
    seats too, :func:`~analyzer.costs.stack_part_allocation`), so each is worked out once per
    call, and so is each service desk's and kept tier's mix for a set of roles: many pairs
    share a part.
    """
    search = _CombinationSearch(current, seats or seat_assigner(current.profile, catalog))
    kept_tiers = current.product.tiers[: current.product.tiers.index(current.tier) + 1]
    desks = [p for p in catalog.products if p.kind == "service_desk"]
    stacks: list[tuple[float, int, tuple[LicenseMix, ...]]] = []
    partials: list[tuple[float, int, tuple[LicenseMix, ...]]] = []
    for crm in catalog.products:
        if crm.kind != "crm" or crm.id == current.product.id:
            continue
        splits = search.splits(crm)
        if not splits:
            continue
        tables = [search.desk_parts(desks, lacking) for _, lacking in splits]
        for desk in range(len(desks)):
            seconds = [table[desk] for table in tables]
            best = _cheapest(splits, search.stack_part_cost, seconds, _stack_cost)
            if best is not None:
                stacks.append(best)
        kept = [search.kept_parts(kept_tiers, lacking) for _, lacking in splits]
        best = _cheapest(splits, search.moving_costs, kept, _partial_cost)
        if best is not None:
            partials.append(best)
    listed = []
    unlisted = 0
    for found in (stacks, partials):
        found.sort(key=lambda c: c[:2])
        listed += [combination_plan(current, parts) for _, _, parts in found[:COMBINATIONS_LISTED]]
        unlisted += max(0, len(found) - COMBINATIONS_LISTED)
    return listed, unlisted


Split = tuple[LicenseMix, tuple[Role, ...]]
"""A CRM tier's mix for the roles it serves, and the roles it cannot serve."""
SecondParts = list[tuple[LicenseMix, float] | None]
"""For the roles a CRM tier cannot serve: per tier of the second product, its mix and cost,
or None where it cannot take them."""


class _CombinationSearch:
    """The parts of :func:`combination_plans` and their costs, each worked out once."""

    def __init__(self, current: Current, seats: SeatAssigner) -> None:
        profile = current.profile
        self.current, self.seats, self.profile = current, seats, profile
        self.go_live, _ = switch_dates(profile)
        self.ramps = self.go_live > profile.analysis_start
        self.project_seats = profile.migration.project_seats
        ids = [role.id for role in profile.roles]
        self.ahead = seats_ahead(ids, {role.id: role.seats for role in profile.roles})
        self._costs: dict[tuple, float] = {}
        self._kept: dict[tuple[str, ...], SecondParts] = {}
        self._desk_tables: dict[tuple[str, ...], list[SecondParts]] = {}

    def _total(self, key: tuple, items: Callable[[], list]) -> float:
        if key not in self._costs:
            self._costs[key] = float(component_months(items(), self.profile).sum())
        return self._costs[key]

    def _target_cost(self, mix: LicenseMix, project: dict[str, int] | None) -> float:
        key = ("target", *project_key(mix, project))
        if key not in self._costs:
            self._costs[key] = self.current.target_total(mix, project)
        return self._costs[key]

    def splits(self, crm: Product) -> list[Split]:
        """Per tier of ``crm`` that lacks a must of some roles and serves the others (and can
        be costed for them): its mix for the served roles and the roles it lacks."""
        found = []
        for tier in crm.tiers:
            # One pass over the tier's seats (in profile order): the roles it lacks a must
            # of, and those it serves; a role that only needs a quote leaves the tier out
            # (it is not lacking, and it has no seat to be served with).
            lacking, served = [], []
            for seat in self.seats.mix(crm, tier).roles:
                if not seat.problem:
                    served.append(seat.role)
                elif seat.quote_needed:
                    break
                else:
                    lacking.append(seat.role)
            else:
                if lacking and served:
                    moved = self._costable(self.seats.mix(crm, tier, served))
                    if moved is not None:
                        found.append((moved, tuple(lacking)))
        return found

    def stack_part_cost(self, part: LicenseMix) -> float:
        """A stack product's costs that differ between tier pairs."""
        key = ("stack part", *part.key)
        if key not in self._costs:
            project = None
            if self.ramps:
                project = stack_part_allocation(part, self.project_seats, self.ahead)
            self._costs[key] = self._target_cost(part, project)
        return self._costs[key]

    def moving_costs(self, moved: LicenseMix) -> tuple[float, float]:
        """A partial switch's costs of moving ``moved``'s roles: their training and the
        target product."""
        users = moved.role_seats
        training = self._total(("project", users), lambda: self.current.project_items(users))
        project = project_allocation(moved, self.project_seats) if self.ramps else None
        return training, self._target_cost(moved, project)

    def desk_parts(self, desks: list[Product], roles: tuple[Role, ...]) -> list[SecondParts]:
        """For the roles a CRM tier lacks (``roles``), per service desk of ``desks`` and per
        tier: its mix and cost where it can be costed for them (else None), worked out once
        per set of roles."""
        key = tuple([role.id for role in roles])
        table = self._desk_tables.get(key)
        if table is None:
            table = self._desk_tables[key] = [
                [self._stack_part(self.seats.served_mix(desk, tier, roles)) for tier in desk.tiers]
                for desk in desks
            ]
        return table

    def _stack_part(self, mix: LicenseMix | None) -> tuple[LicenseMix, float] | None:
        """``mix`` as the second part of a stack, with its cost, when it can be costed."""
        mix = self._costable(mix)
        return None if mix is None else (mix, self.stack_part_cost(mix))

    def _costable(self, mix: LicenseMix | None) -> LicenseMix | None:
        """``mix`` when a target product's costs can be worked out for it, else None."""
        if mix is None or self.current.target_problems(mix) is not None:
            return None
        return mix

    def kept_parts(self, tiers: Sequence[Tier], roles: tuple[Role, ...]) -> SecondParts:
        """Per kept tier of the current product (``tiers``), its mix for ``roles`` and what
        keeping them costs, where every kept role has a seat; worked out once per set of
        roles."""
        key = tuple([role.id for role in roles])
        parts = self._kept.get(key)
        if parts is None:
            product = self.current.product
            mixes = [self.seats.served_mix(product, tier, roles) for tier in tiers]
            parts = self._kept[key] = [
                (mix, self._kept_cost(mix)) if mix is not None and mix.feasible else None
                for mix in mixes
            ]
        return parts

    def _kept_cost(self, kept: LicenseMix) -> float:
        return self._total(
            ("kept", *project_key(kept, None)),
            lambda: self.current.kept_plan(kept).items,
        )


def seat_assigner(profile: Profile, catalog: Catalog) -> SeatAssigner:
    """A :class:`~analyzer.licensing.SeatAssigner` for ``profile``, naming features as the
    catalog does (in the problems of roles that lack a must-have), with the seat judgements
    the catalog's analyses share (:func:`~analyzer.licensing.catalog_judgements`)."""
    return SeatAssigner(profile, catalog.feature_names, catalog_judgements(catalog))


def project_key(mix: LicenseMix, project: dict[str, int] | None) -> tuple:
    """What a target product's costs depend on besides the profile: product, tier, roles and
    the seats per role bought before go-live."""
    return *mix.key, None if project is None else tuple(project.items())


def _stack_cost(first_cost: float, desk_cost: float) -> float:
    """A stack's costs that differ between tier pairs: each product's."""
    return first_cost + desk_cost


def _partial_cost(moving: tuple[float, float], kept_cost: float) -> float:
    """A partial switch's costs that differ between tier pairs: the kept contract, the moved
    users' training and the target."""
    training, target = moving
    return kept_cost + training + target


def _cheapest(
    firsts: list[Split],
    first_costs: Callable[[LicenseMix], Any],
    seconds: Sequence[SecondParts],
    cost: Callable[[Any, float], float],
) -> tuple[float, int, tuple[LicenseMix, ...]] | None:
    """The pair (a first part, a second product's tier for the roles the first lacks, from
    ``seconds``, one list per first part) of lowest ``cost`` (of the first part's
    ``first_costs`` and the second's; ties: the first in catalog order), with its cost and
    position among all the pairs.

    A first part's costs are asked for only when some second part can take the roles it
    lacks: many CRM tiers lack roles that no service desk serves."""
    # Positions only grow along the loop, so a pair beats the best so far (on cost, then
    # position) exactly when it costs strictly less: no candidate tuple per pair.
    best = None
    best_cost = 0.0
    for n, ((first, _), options) in enumerate(zip(firsts, seconds, strict=True)):
        costs = None
        for m, option in enumerate(options):
            if option is None:
                continue
            if costs is None:
                costs = first_costs(first)
            total = cost(costs, option[1])
            if best is None or total < best_cost:
                best_cost, best = total, (n * len(options) + m, first, option[0])
    if best is None:
        return None
    position, first, second = best
    return best_cost, position, (first, second)


def combination_plan(current: Current, parts: tuple[LicenseMix, ...]) -> ScenarioPlan:
    """The stack (a service desk second) or partial switch (the current product second) of
    ``parts``, with its scenario id ``stack:crm/tier+desk/tier`` or
    ``partial:crm/tier+current/tier``."""
    ids = "+".join(f"{part.product.id}/{part.tier.id}" for part in parts)
    if parts[1].product.id == current.product.id:
        return partial_switch_plan(current, parts[0], parts[1], f"partial:{ids}")
    return stack_plan(current, parts, f"stack:{ids}")


def source_plans(plans: list[ScenarioPlan]) -> list[ScenarioPlan]:
    """``plans`` with every stack or partial switch split into one plan per product, so each
    product's prices are listed as in a single switch (the kept part as in a downgrade)."""
    split = []
    for plan in plans:
        if not plan.parts:
            split.append(plan)
            continue
        for n, part in enumerate(plan.parts):
            kept = plan.shape == "partial" and n > 0
            # with_changes: the plan dataclasses.replace makes, without its pass over the fields.
            split.append(
                plan.with_changes(
                    kind="downgrade" if kept else "switch",
                    product=part.product,
                    tier=part.tier,
                    mix=part,
                    parts=(),
                )
            )
    return split


def cost_uncertainty(profile: Profile) -> CostUncertainty:
    """Cost ranges for the Monte Carlo: the profile's migration overrun."""
    low, mode, high = (1 + pct / 100 for pct in profile.migration.overrun_pct)
    return CostUncertainty(migration_overrun=(low, mode, high))


@dataclass(frozen=True)
class _MonthlyStack:
    """Every costed scenario's monthly table as one array, made once per analysis.

    The tables of one analysis share their months and components
    (:func:`~analyzer.costs.monthly_cash_flows`); ``blocks`` holds each one as it is stored,
    components by months (a table's ``to_numpy`` is the transpose of its block), so a sum over
    it adds the same numbers in the same order as a sum over one table.
    """

    ids: list[str]
    months: pd.Index
    """The months as text (YYYY-MM)."""
    components: pd.Index
    blocks: np.ndarray
    """Scenarios x components x months."""

    @cached_property
    def decision(self) -> np.ndarray:
        """Scenarios x months: every component of a month summed, in component order."""
        return self.blocks.sum(axis=1)

    @cached_property
    def cumulative(self) -> np.ndarray:
        """Scenarios x months: the decision cost summed up to each month."""
        return np.cumsum(self.decision, axis=1)


def _monthly_stack(monthly: Mapping[str, pd.DataFrame]) -> _MonthlyStack:
    """The monthly tables of one analysis as a :class:`_MonthlyStack`.

    Raises
    ------
    ValueError
        When the tables do not share their months and components.
    """
    first = next(iter(monthly.values()))
    if not all(_same_axes(table, first) for table in monthly.values()):
        raise ValueError("the monthly tables of one analysis must share months and components")
    return _MonthlyStack(
        list(monthly),
        _month_labels(first.index),
        first.columns,
        np.stack([table.to_numpy().T for table in monthly.values()]),
    )


def _month_labels(months: pd.Index) -> pd.Index:
    """``months.astype(str)``: the months of the monthly tables as text (YYYY-MM), each set of
    months formatted once (every analysis with the same start and horizon has the same)."""
    if not isinstance(months, pd.PeriodIndex):
        return months.astype(str)
    labels = _period_labels(months.freqstr, tuple(months.asi8.tolist()))
    return pd.Index(text_array(labels), name=months.name)


@lru_cache(maxsize=32)
def _period_labels(freq: str, ordinals: tuple[int, ...]) -> list[str]:
    """The text of the periods ``ordinals`` of frequency ``freq``, as ``astype(str)`` writes
    them (read-only: shared by every call with the same periods)."""
    return pd.PeriodIndex.from_ordinals(list(ordinals), freq=freq).astype(str).tolist()


def _cash_flows(stack: _MonthlyStack) -> pd.DataFrame:
    """The monthly tables stacked long: one row per scenario, component and month.

    Columns ``scenario_id, month, month_index, component, amount``; within a scenario the
    rows run component by component, month by month: the order of ``stack.blocks``. Every
    column is one array: the amounts of all tables at once, the labels made text once and
    taken by position; the time is linear in scenarios x components x months.
    """
    scenarios, components, months = stack.blocks.shape
    month_at = np.tile(np.arange(months), scenarios * components)
    columns = taken_texts(
        {
            "scenario_id": (stack.ids, np.repeat(np.arange(scenarios), components * months)),
            "month": (stack.months.tolist(), month_at),
            "component": (
                [str(c) for c in stack.components],
                np.tile(np.repeat(np.arange(components), months), scenarios),
            ),
        }
    )
    return frame(
        {
            "scenario_id": columns["scenario_id"],
            "month": columns["month"],
            "month_index": month_at,
            "component": columns["component"],
            "amount": stack.blocks.ravel(),
        }
    )


def _same_axes(table: pd.DataFrame, other: pd.DataFrame) -> bool:
    """True when two monthly tables have the same months and components (usually the very
    same index objects, :func:`~analyzer.costs.monthly_cash_flows`)."""
    return all(
        mine is theirs or mine.equals(theirs)
        for mine, theirs in ((table.index, other.index), (table.columns, other.columns))
    )


def _cumulative(stack: _MonthlyStack) -> pd.DataFrame:
    """Cumulative cost per month (rows, YYYY-MM) and costed scenario (columns), from whole
    arrays (the scenario ids made text directly, not inferred)."""
    # One block, scenarios by months, a copy in row order: what pd.DataFrame makes of the
    # months-by-scenarios array (it copies it in column order and stores its transpose).
    return create_dataframe_from_blocks(
        [(stack.cumulative.copy(), np.arange(len(stack.ids)))],
        stack.months,
        pd.Index(text_array(stack.ids)),
    )


def _cost_columns(
    plans: list[ScenarioPlan],
    stack: _MonthlyStack,
    mixes: Mapping[str, tuple[LicenseMix, ...]],
    profile: Profile,
) -> tuple[pd.Index, dict[str, Any]]:
    """One row per scenario with its costs, dates, status and problems (unscored), as the
    scenario ids (an index named ``scenario_id``) and one array per column, in plan order.

    ``shape`` says whether a scenario is one product (``single``), a ``stack`` or a
    ``partial`` switch, and ``products`` names every product and tier it pays for.

    Each column is made once, straight from the plans: the columns that hold a string in
    every row as text, the others as :func:`~analyzer.frames.inferred_column` makes them
    (the cost columns are NaN for scenarios that are not costed); :func:`_scored` makes the
    table of them, in rank order."""
    ids = [plan.id for plan in plans]
    exits = [plan.exit for plan in plans]
    switch_months = profile.migration.months
    text = {
        "scenario_id": ids,
        "kind": [plan.kind for plan in plans],
        "shape": [plan.shape for plan in plans],
        "products": _product_names(plans, mixes),
        "label": [plan.label for plan in plans],
        "product_id": [plan.product.id for plan in plans],
        "product": [plan.product.name for plan in plans],
        "tier_id": [plan.tier.id for plan in plans],
        "tier": [plan.tier.name for plan in plans],
        "status": [plan.status for plan in plans],
        "problems": ["; ".join(plan.problems) for plan in plans],
    }
    arrays: dict[str, Any] = text_arrays(text)
    inferred = {
        "seats": [plan.seats_bought for plan in plans],
        "effective_date": [plan.effective_date for plan in plans],
        "go_live": [plan.go_live for plan in plans],
        "exit_kind": [None if e is None else e.kind for e in exits],
        "exit_date": [None if e is None else e.date for e in exits],
        "exit_reason": [None if e is None else e.reason for e in exits],
        "fit": [_fit(mixes[plan.id]) for plan in plans],
        "project_months": [switch_months if plan.kind == "switch" else 0 for plan in plans],
        "self_hosted": [is_self_hosted(plan.product, plan.tier) for plan in plans],
    }
    arrays.update((name, inferred_column(values)) for name, values in inferred.items())
    arrays.update(_cost_arrays(plans, stack, profile))
    arrays["saving_vs_stay"] = arrays["total"][ids.index("stay")] - arrays["total"]
    return pd.Index(arrays["scenario_id"], name="scenario_id"), arrays


def _product_names(
    plans: list[ScenarioPlan], mixes: Mapping[str, tuple[LicenseMix, ...]]
) -> list[str]:
    """The ``products`` column: per plan, every product and tier it pays for (the names
    :func:`~analyzer.costs.product_tier_name` made are kept by it)."""
    names = []
    for plan in plans:
        parts = mixes[plan.id]
        if len(parts) == 1:
            names.append(product_tier_name(parts[0].product, parts[0].tier))
        else:
            names.append(" + ".join([product_tier_name(mix.product, mix.tier) for mix in parts]))
    return names


COLUMN_OF = {component: n for n, component in enumerate(COMPONENTS)}
CASH_AT = [COLUMN_OF[c] for c in CASH_COMPONENTS]
ONE_TIME_AT = [COLUMN_OF[c] for c in ONE_TIME_COMPONENTS]
EXIT_AT = [COLUMN_OF[c] for c in EXIT_COMPONENTS]
PREPAID_AT = [COLUMN_OF[c] for c in DECISION_ONLY_COMPONENTS]
"""Positions of component groups in a monthly table (its columns are :data:`COMPONENTS`)."""


def _cost_arrays(
    plans: list[ScenarioPlan], stack: _MonthlyStack, profile: Profile
) -> dict[str, Any]:
    """The :data:`COST_COLUMNS` and ``break_even_month`` columns of ``plans`` (NaN and missing
    where a plan is not costed), from every costed scenario's monthly table at once.

    Each sum adds the same numbers in the same order as one table's sums
    (:class:`_MonthlyStack`): over components month by month, over months (and whole blocks)
    pairwise along the memory.
    """
    row_of = {sid: row for row, sid in enumerate(stack.ids)}
    # Each costed plan's position among the plans (at) and its monthly table's (rows).
    at: list[int] = []
    rows: list[int] = []
    for n, plan in enumerate(plans):
        row = row_of.get(plan.id)
        if row is not None:
            at.append(n)
            rows.append(row)
    blocks, decision = stack.blocks, stack.decision
    one_time = blocks[:, ONE_TIME_AT].sum(axis=1)
    recurring = decision - one_time
    # npv()'s discount of month m, 1 / (1 + rate) ** (m / 12), for every scenario at once.
    discount = (1 + profile.discount_rate) ** (np.arange(decision.shape[1]) / 12)
    facts = np.stack(
        [
            decision.sum(axis=1),  # total
            _block_totals(blocks, CASH_AT),  # cash_total
            (decision / discount).sum(axis=1),  # npv
            recurring.sum(axis=1),  # recurring_total
            (recurring / discount).sum(axis=1),  # recurring_npv
            one_time.sum(axis=1),  # one_time_total
            _block_totals(blocks, EXIT_AT),  # exit_costs
            _block_totals(blocks, PREPAID_AT),  # prepaid_after_horizon
        ]
    )
    # Every cost column at once, one row each (COST_COLUMNS order), NaN where not costed.
    placed = np.full((len(COST_COLUMNS), len(plans)), np.nan)
    placed[:, at] = facts[:, rows]
    columns: dict[str, Any] = dict(zip(COST_COLUMNS, placed, strict=True))
    months = _break_even_months(stack.cumulative, stack.cumulative[row_of["stay"]])
    month_of = np.full(len(plans), -1)
    month_of[at] = months[rows]
    month_of[[plan.kind == "stay" for plan in plans]] = -1
    missing = month_of < 0
    columns["break_even_month"] = pd.arrays.IntegerArray(np.where(missing, 0, month_of), missing)
    return columns


def _break_even_months(cumulative: np.ndarray, stay_cumulative: np.ndarray) -> np.ndarray:
    """:func:`~analyzer.costs.break_even_month` of every row of ``cumulative`` against
    ``stay_cumulative`` at once, -1 where it is None: the same comparisons, element by
    element."""
    months = cumulative.shape[1]
    same = (np.abs(cumulative - stay_cumulative) <= 1e-6).all(axis=1)
    above = cumulative > stay_cumulative + 1e-6
    # The month after the last one above Stay's (0 when none is).
    first = np.where(above.any(axis=1), months - np.argmax(above[:, ::-1], axis=1), 0)
    return np.where(same | (first >= months), -1, first)


def _block_totals(blocks: np.ndarray, rows: list[int]) -> np.ndarray:
    """Per scenario, the sum of its components ``rows`` over every month: the sum of the
    block those rows make, pairwise along its memory, as one table's ``values[:, rows].sum()``.

    The selection is made contiguous first: numpy lays it out row by row, and a strided view
    of it (one month) would be summed in another order."""
    chosen = np.ascontiguousarray(blocks[:, rows])
    return chosen.reshape(len(blocks), -1).sum(axis=1)


def _fit(mixes: tuple[LicenseMix, ...]) -> float:
    """The scenario's :func:`~analyzer.licensing.combined_fit`, NaN when a mix is not
    feasible (a plain loop: it runs once per scenario)."""
    for mix in mixes:
        if not mix.feasible:
            return np.nan
    return combined_fit(mixes)


def _scored(index: pd.Index, costs: Mapping[str, Any], scored: ScoreResult) -> pd.DataFrame:
    """The scenario table: the ``costs`` columns of the scenarios ``index`` with score, rank and
    contributions; ranked scenarios first, by rank.

    The order is found first; every column is taken in it and the table is made once (no
    table of costs taken and joined to the scores). The scores are placed at their scenarios'
    rows (found once per index of them: usually all three share one) and NaN elsewhere, as a
    reindex would place them."""
    ranked_ids = scored.ranks.index
    at = index.get_indexer(ranked_ids)

    def rows_of(ids: pd.Index) -> np.ndarray:
        return at if ids is ranked_ids else index.get_indexer(ids)

    ranks = _placed(scored.ranks.to_numpy(dtype=float), at, len(index))
    order = np.argsort(np.where(np.isnan(ranks), len(index) + 1, ranks), kind="stable")
    columns = {name: taken(values, order) for name, values in costs.items()}
    scores_at = rows_of(scored.scores.index)
    columns["score"] = _placed(scored.scores.to_numpy(dtype=float), scores_at, len(index))[order]
    ranked = ranks[order]
    missing = np.isnan(ranked)
    columns["rank"] = pd.arrays.IntegerArray(np.where(missing, 0, ranked).astype(np.int64), missing)
    contributions = scored.contributions
    shares_at = rows_of(contributions.index)
    shares = _placed(contributions.to_numpy(dtype=float), shares_at, len(index))[order]
    for position, criterion in enumerate(contributions.columns):
        columns[f"contribution_{criterion}"] = shares[:, position]
    return frame(columns, index.take(order))


def _placed(values: np.ndarray, at: np.ndarray, rows: int) -> np.ndarray:
    """``values`` (one per row of ``at``, or one row of them each) placed at rows ``at`` of
    ``rows``, NaN elsewhere."""
    placed = np.full((rows, *values.shape[1:]), np.nan)
    placed[at] = values
    return placed


def _licenses(mixes: Mapping[str, tuple[LicenseMix, ...]]) -> pd.DataFrame:
    """Seat assignment per costed scenario and role: the product, tier and license type, with
    the price and its provenance (built column by column: rows of dicts cost more; the text
    columns converted as one text array, :func:`~analyzer.frames.columns_table`)."""
    rows = [
        (scenario_id, part, r)
        for scenario_id, parts in mixes.items()
        for part in parts
        for r in part.roles
    ]
    if not rows:
        return columns_table({name: [] for name in LICENSE_COLUMNS})
    parts = [part for _, part, _ in rows]
    seats = [r for _, _, r in rows]
    types = [r.license_type for r in seats]
    prices = [r.price for r in seats]
    columns = {
        "scenario_id": [sid for sid, _, _ in rows],
        "product_id": [part.product.id for part in parts],
        "product": [part.product.name for part in parts],
        "tier_id": [part.tier.id for part in parts],
        "tier": [part.tier.name for part in parts],
        "role_id": [r.role.id for r in seats],
        "role": [r.role.name for r in seats],
        "seats": [r.role.seats for r in seats],
        "license_type_id": [lt.id if lt else None for lt in types],
        "license_type": [lt.name if lt else None for lt in types],
        "price": [p.amount if p else np.nan for p in prices],
        "net_price": [bool(p and p.net) for p in prices],
        "addons": [", ".join(f for f, _ in r.addons) for r in seats],
        "monthly_cost": [r.monthly_cost for r in seats],
        "fit": [r.fit for r in seats],
        "source": [p.source if p else None for p in prices],
        "as_of": [p.as_of if p else None for p in prices],
    }
    return columns_table(columns)


def _fit_detail(
    mixes: Mapping[str, tuple[LicenseMix, ...]], profile: Profile, catalog: Catalog
) -> pd.DataFrame:
    """Per costed scenario, role and needed feature: the support the role gets.

    Made by position: each role's needs are listed once, and so is the support of each seat
    verdict (the support dict a tier's verdict shares among its roles, the add-ons bought)
    for each set of needs; a row is a scenario's role, one of its needs and that need's
    support, taken from those lists by whole position arrays, with no value or tuple made per
    row or per role of a scenario (see :func:`~analyzer.frames.taken_texts`)."""
    features = catalog.feature_index
    role_at: dict[str, int] = {}
    need_set: list[int] = []  # per role, its set of needs' number
    need_sets: dict[tuple[str, ...], int] = {}
    # Per role, the position of its first need in the columns below, and its count of needs.
    firsts: list[int] = []
    counts: list[int] = []
    feature_ids: list[str] = []
    names: list[str] = []
    wanted: list[str] = []
    for k, role in enumerate(profile.roles):
        role_at[role.id] = k
        needs = profile.role_needs(role)
        need_set.append(need_sets.setdefault(tuple(needs), len(need_sets)))
        firsts.append(len(feature_ids))
        counts.append(len(needs))
        for feature, need in needs.items():
            feature_ids.append(feature)
            names.append(features[feature].name)
            wanted.append(str(need))
    # Per seat verdict and set of needs, where its support starts in levels and scores.
    support_at: dict[tuple, int] = {}
    levels: list[str] = []
    scores: list[float] = []
    # Per role of a scenario: the scenario's number, the role's and where its support starts.
    scenario_of: list[int] = []
    role_of: list[int] = []
    support_of: list[int] = []
    for n, parts in enumerate(mixes.values()):
        for r in (r for mix in parts for r in mix.roles):
            k = role_at[r.role.id]
            bought = tuple(f for f, _ in r.addons)
            key = (id(r.support), bought, need_set[k])
            first = support_at.get(key)
            if first is None:
                first = support_at[key] = len(levels)
                needed = feature_ids[firsts[k] : firsts[k] + counts[k]]
                role_levels, role_scores = _support_columns(r.support, bought, needed)
                levels += role_levels
                scores += role_scores
            scenario_of.append(n)
            role_of.append(k)
            support_of.append(first)
    rows = np.array(counts, dtype=np.int64)[role_of]
    if not rows.any():
        return columns_table({name: [] for name in FIT_DETAIL_COLUMNS})
    # Each output row's place among its scenario role's rows, then where its need and its
    # support are in their lists.
    within = np.arange(rows.sum()) - np.repeat(np.cumsum(rows) - rows, rows)
    need_row = np.repeat(np.array(firsts)[role_of], rows) + within
    support_row = np.repeat(support_of, rows) + within
    role_row = np.repeat(role_of, rows)
    roles = profile.roles
    columns = taken_texts(
        {
            "scenario_id": (list(mixes), np.repeat(scenario_of, rows)),
            "role_id": ([role.id for role in roles], role_row),
            "role": ([role.name for role in roles], role_row),
            "feature_id": (feature_ids, need_row),
            "feature": (names, need_row),
            "need": (wanted, need_row),
            "support": (levels, support_row),
        }
    )
    columns["score"] = np.array(scores, dtype=float)[support_row]
    return frame(columns)


def _stay_needs(
    stay: tuple[LicenseMix, ...], profile: Profile, catalog: Catalog
) -> Iterator[tuple[str, str, str, str]]:
    """Stay's rows of :func:`_fit_detail`, in its order, as the warning about its unmet musts
    reads them (:data:`~analyzer.warning_rules.STAY_MUST_COLUMNS`: role, feature, need,
    support), made from Stay's seats (``stay``, no mix when Stay is not costed) without
    reading the table back."""
    features = catalog.feature_index
    for r in (r for mix in stay for r in mix.roles):
        needs = profile.role_needs(r.role)
        bought = tuple(f for f, _ in r.addons)
        levels, _ = _support_columns(r.support, bought, list(needs))
        for (feature, need), level in zip(needs.items(), levels, strict=True):
            yield r.role.name, features[feature].name, str(need), level


def _support_columns(
    support: Mapping[str, str], bought: tuple[str, ...], feature_ids: list[str]
) -> tuple[list[str], list[float]]:
    """The support level (``absent`` when none) and score of each needed feature; an add-on
    counts only where it is bought (for a must)."""
    levels = [
        None if (level := support.get(f)) == "addon" and f not in bought else level
        for f in feature_ids
    ]
    return [level or "absent" for level in levels], [
        SUPPORT_SCORE.get(level, 0.0) for level in levels
    ]


class SeatUsage(NamedTuple):
    """One row of :attr:`AnalysisResult.seat_usage` (:data:`SEAT_USAGE_COLUMNS`)."""

    license_type_id: str
    license_type: str
    purchased: int
    used: int
    unused: int
    price_paid: float
    list_price: float
    unused_cost_per_year: float
    list_source: str | None
    list_as_of: dt.date | None
    list_confidence: str | None


def _seat_usage_rows(stay_mix: LicenseMix, profile: Profile) -> list[SeatUsage]:
    """Seats purchased per license type against the seats the roles hold today."""
    current = profile.current
    product, tier = stay_mix.product, stay_mix.tier
    held: dict[str, int] = {}
    for role in stay_mix.roles:
        held[role.license_type.id] = held.get(role.license_type.id, 0) + role.role.seats
    rows = []
    for lt in tier.license_types:
        if lt.id not in current.seats and lt.id not in held:
            continue
        price = price_paid_else_list(profile, product, tier, lt)
        paid = price.amount if price is not None else np.nan
        purchased, used = current.seats.get(lt.id, 0), held.get(lt.id, 0)
        unused = max(0, purchased - used)
        listed = lt.list_price(current.billing)
        listed = listed.in_currency(profile.currency) if listed is not None else None
        rows.append(
            SeatUsage(
                lt.id,
                lt.name,
                purchased,
                used,
                unused,
                paid,
                price.list_amount if price is not None else np.nan,
                unused * paid * 12,
                listed.source if listed is not None else None,
                listed.as_of if listed is not None else None,
                listed.confidence if listed is not None else None,
            )
        )
    return rows


def _seat_usage(rows: list[SeatUsage]) -> pd.DataFrame:
    """The :data:`SEAT_USAGE_COLUMNS` table of ``rows``."""
    return rows_table(rows, SEAT_USAGE_COLUMNS)


def missed_deadline(current: Current) -> MissedDeadline | None:
    """The running term's notice deadline, when it passed before the analysis start."""
    profile = current.profile
    contract, start = profile.current.contract, profile.analysis_start
    running = next((t for t in current.chain if t.start <= start <= t.end), None)
    if running is None or not contract.auto_renew:
        return None
    deadline = notice_deadline(running, contract)
    if deadline >= start:
        return None
    return MissedDeadline(
        deadline,
        running.end,
        running.exit_date,
        contract.renewal_term_months,
        contract.uplift_pct,
        decision_term(current.chain, contract, start).exit_date,
    )


def stability_summary(
    scenarios: pd.DataFrame,
    profile: Profile,
    anchors: ScoreAnchors,
    uncertainty: CostUncertainty,
    samples: int = STABILITY_SAMPLES,
    seed: int = STABILITY_SEED,
    progress: Callable[[float], None] | None = None,
) -> StabilitySummary:
    """Monte Carlo rank stability, tornado and weight flips, or the reason there are none."""
    if samples <= 0:
        return StabilitySummary(0, seed, None, "Rank stability was not run (0 samples).")
    ranked = column_values(scenarios, "status") == "ok"
    if ranked.sum() < MIN_RANKED_FOR_SENSITIVITY:
        names = ", ".join(column_values(scenarios, "label")[ranked].tolist()) or "none"
        return StabilitySummary(
            samples,
            seed,
            None,
            f"Rank stability compares options, but only {names} can be ranked: relax a "
            "must-have or add a quote to get more.",
        )
    result = sensitivity(
        scenarios,
        dict(profile.criteria_weights),
        anchors,
        method=profile.scoring_method,
        samples=samples,
        seed=seed,
        progress=progress,
        uncertainty=uncertainty,
    )
    return StabilitySummary(samples, seed, result)


def analyze(
    profile: Profile,
    catalog: Catalog,
    samples: int = STABILITY_SAMPLES,
    seed: int = STABILITY_SEED,
) -> AnalysisResult:
    """Cost, fit, rank and explain every scenario of ``profile`` against ``catalog``.

    ``samples`` and ``seed`` set the Monte Carlo of the stability summary (0 samples: none).

    >>> from analyzer import load_catalog, load_profile
    >>> catalog = load_catalog()
    >>> result = analyze(load_profile(catalog=catalog), catalog)
    >>> result.scenarios.loc["stay", "kind"]
    'stay'
    """
    with pd.option_context("mode.string_storage", TEXT_STORAGE):
        return _analyze(profile, catalog, samples, seed)


class ScenarioPlans(NamedTuple):
    """What :func:`scenario_plans` gives."""

    current: Current
    plans: list[ScenarioPlan]
    """Stay, the downgrades and switches, then the listed stacks and partial switches."""
    unlisted: int
    """Feasible combinations not listed (:func:`combination_plans`)."""
    stay_mix: LicenseMix
    """The seats the roles hold today."""


def scenario_plans(profile: Profile, catalog: Catalog) -> ScenarioPlans:
    """Every scenario :func:`analyze` costs for ``profile``, with the current subscription,
    the count of combinations left unlisted and the roles' seats today (Stay's mix)."""
    product = catalog.product(profile.current.product)
    current = Current(profile, product, product.tier(profile.current.tier))
    seats = seat_assigner(profile, catalog)
    combinations, unlisted = combination_plans(current, catalog, seats)
    plans = build_plans(current, catalog, seats) + combinations
    stay_mix = LicenseMix(
        product,
        current.tier,
        tuple(current_role(profile, product, current.tier, r) for r in profile.roles),
    )
    return ScenarioPlans(current, plans, unlisted, stay_mix)


def _analyze(profile: Profile, catalog: Catalog, samples: int, seed: int) -> AnalysisResult:
    current, plans, unlisted, stay_mix = scenario_plans(profile, catalog)
    costed = [p for p in plans if p.status == "ok"]
    all_mixes = {p.id: p.mixes or (stay_mix,) for p in plans}
    mixes = {p.id: all_mixes[p.id] for p in costed}
    monthly = {p.id: monthly_cash_flows(p.items, profile) for p in costed}
    stack = _monthly_stack(monthly)
    index, costs = _cost_columns(plans, stack, all_mixes, profile)
    anchors = ScoreAnchors(float(costs["npv"][index.get_loc("stay")]), 12 * current.monthly_rate)
    weights = dict(profile.criteria_weights)
    scored = score_columns(index, costs, weights, anchors, profile.scoring_method)
    scenarios = _scored(index, costs, scored)
    licenses = _licenses(mixes)
    fit_detail = _fit_detail(mixes, profile, catalog)

    dates = all_key_dates(plans, current)
    key_dates = key_dates_table(plans, dates)
    exit_plans = exit_plans_table(plans, dates, current)

    uncertainty = cost_uncertainty(profile)
    stability = stability_summary(scenarios, profile, anchors, uncertainty, samples, seed)
    p_first = stability.sensitivity.monte_carlo.p_first if stability.sensitivity else None
    call = close_call(scenarios["score"], p_first)
    prices = source_rows(source_plans(costed), stay_mix, profile)
    sources = sources_table(prices, profile)
    usage = _seat_usage_rows(stay_mix, profile)
    seat_usage = _seat_usage(usage)
    stay_dates = dates[0]
    # The rules read the rows the tables are made of, not the tables.
    warnings = warnings_frame(
        deadline_warnings(stay_dates, profile.analysis_start, missed_deadline(current))
        + unused_seat_warnings(
            ((row.unused, row.license_type, row.unused_cost_per_year) for row in usage),
            lambda amount: money(amount, profile.currency),
        )
        + legacy_edition_warnings(current.product, current.tier)
        + stay_must_row_warnings(_stay_needs(mixes.get("stay", ()), profile, catalog), GATES)
        + price_warnings(
            (row.product, row.tier, row.item, row.confidence, row.stale, row.as_of)
            for row in prices
        )
        + limited_must_warnings(fit_detail, {plan.id: plan.label for plan in plans})
        + close_call_warnings(call, {plan.id: plan.label for plan in plans})
    )
    recommendation = recommend(
        RecommendationInputs(
            profile,
            scenarios,
            licenses,
            fit_detail,
            scored.weights,
            list(warnings["message"]),
            call,
        )
    )
    cumulative = _cumulative(stack)
    return AnalysisResult(
        profile=profile,
        scenarios=scenarios,
        monthly=monthly,
        cash_flows=_cash_flows(stack),
        cumulative=cumulative,
        licenses=licenses,
        fit_detail=fit_detail,
        key_dates=key_dates,
        exit_plans=exit_plans,
        sources=sources,
        seat_usage=seat_usage,
        warnings=warnings,
        notice_urgency=notice_urgency(stay_dates["notice_deadline"], profile.analysis_start),
        score_result=scored,
        score_anchors=anchors,
        stability=stability,
        recommendation=recommendation,
        uncertainty=uncertainty,
        unlisted_combinations=unlisted,
    )
