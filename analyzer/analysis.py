"""``analyze(profile, catalog)``: every scenario costed, fitted and ranked, as DataFrames."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from analyzer.catalog import Catalog
from analyzer.contract import KeyDates, decision_term, key_dates
from analyzer.costs import (
    ONE_TIME_COMPONENTS,
    Current,
    ScenarioPlan,
    break_even_month,
    downgrade_plan,
    monthly_cash_flows,
    npv,
    stay_plan,
    switch_plan,
)
from analyzer.licensing import LicenseMix, current_role, license_mix
from analyzer.mcda import ScoreResult
from analyzer.profile import Profile
from analyzer.recommendation import Recommendation, recommend
from analyzer.scoring import ScoreAnchors, Sensitivity, score_scenarios, sensitivity
from analyzer.sensitivity import CostUncertainty

RECURRING_COMPONENTS = ["licenses_current", "licenses_target", "addons"]
COST_COLUMNS = ("total", "npv", "recurring_total", "recurring_npv", "one_time_total", "exit_costs")
"""Money columns of :attr:`AnalysisResult.scenarios` (NaN for scenarios that are not costed)."""


def build_plans(current: Current, catalog: Catalog) -> list[ScenarioPlan]:
    """Stay; a downgrade per edition up to the current one; a switch per other product tier."""
    profile, product, tier = current.profile, current.product, current.tier
    plans = [stay_plan(current)]
    tier_ids = [t.id for t in product.tiers]
    names = {f.id: f.name for f in catalog.features}
    for candidate in product.tiers[: tier_ids.index(tier.id) + 1]:
        mix = license_mix(profile, product, candidate, names)
        plans.append(downgrade_plan(current, mix, f"downgrade:{product.id}/{candidate.id}"))
    for other in catalog.products:
        if other.id == product.id:
            continue
        for candidate in other.tiers:
            mix = license_mix(profile, other, candidate, names)
            plans.append(switch_plan(current, mix, f"switch:{other.id}/{candidate.id}"))
    return plans


@dataclass(frozen=True)
class AnalysisResult:
    """Everything :func:`analyze` found, as plain data and labelled DataFrames."""

    profile: Profile
    catalog: Catalog
    current: Current
    """The current subscription with its renewal chain and Stay's invoices."""
    plans: tuple[ScenarioPlan, ...]
    key_dates: KeyDates

    @cached_property
    def monthly(self) -> dict[str, pd.DataFrame]:
        """Monthly cash flows by component, per costed scenario id."""
        return {
            p.id: monthly_cash_flows(p.items, self.profile) for p in self.plans if p.status == "ok"
        }

    @cached_property
    def cash_flows(self) -> pd.DataFrame:
        """Long table: scenario_id, month (YYYY-MM), month_index, component, amount."""
        frames = []
        for scenario_id, table in self.monthly.items():
            long = table.reset_index(names="period").melt(
                id_vars="period", var_name="component", value_name="amount"
            )
            long.insert(0, "scenario_id", scenario_id)
            long["month_index"] = long["period"].map(
                lambda p: (
                    (p.year - self.profile.analysis_start.year) * 12
                    + p.month
                    - self.profile.analysis_start.month
                )
            )
            long["month"] = long.pop("period").astype(str)
            frames.append(long[["scenario_id", "month", "month_index", "component", "amount"]])
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def cumulative(self) -> pd.DataFrame:
        """Cumulative cost per month (rows, YYYY-MM) and costed scenario (columns)."""
        table = pd.DataFrame({sid: m.sum(axis=1).cumsum() for sid, m in self.monthly.items()})
        table.index = table.index.astype(str)
        return table

    @cached_property
    def costs(self) -> pd.DataFrame:
        """One row per scenario with its costs, dates, status and problems (unscored)."""
        stay_cum = self.cumulative["stay"].to_numpy()
        rows = []
        for plan in self.plans:
            row = {
                "scenario_id": plan.id,
                "kind": plan.kind,
                "label": plan.label,
                "product_id": plan.product.id,
                "product": plan.product.name,
                "tier_id": plan.tier.id,
                "tier": plan.tier.name,
                "status": plan.status,
                "problems": "; ".join(plan.problems),
                "seats": sum(r.role.seats for r in plan.mix.roles)
                if plan.mix
                else sum(self.profile.current.seats.values()),
                "effective_date": plan.effective_date,
                "go_live": plan.go_live,
                "exit_kind": plan.exit.kind if plan.exit else None,
                "exit_date": plan.exit.date if plan.exit else None,
                "exit_reason": plan.exit.reason if plan.exit else None,
                "fit": self._fit(plan),
                "project_months": self.profile.migration.months if plan.kind == "switch" else 0,
            }
            table = self.monthly.get(plan.id)
            if table is not None:
                cash = table.sum(axis=1).to_numpy()
                recurring = table[RECURRING_COMPONENTS].sum(axis=1).to_numpy()
                row |= {
                    "total": float(cash.sum()),
                    "npv": npv(cash, self.profile.discount_rate),
                    "recurring_total": float(recurring.sum()),
                    "recurring_npv": npv(recurring, self.profile.discount_rate),
                    "one_time_total": float(table[ONE_TIME_COMPONENTS].to_numpy().sum()),
                    "exit_costs": float(table[["termination_fee", "refund"]].to_numpy().sum()),
                    "break_even_month": (
                        None if plan.kind == "stay" else break_even_month(np.cumsum(cash), stay_cum)
                    ),
                }
            rows.append(row)
        frame = pd.DataFrame(rows)
        for column in COST_COLUMNS:
            frame[column] = frame.get(column, np.nan).astype(float)
        frame["break_even_month"] = frame.get("break_even_month", None).astype("Int64")
        frame["saving_vs_stay"] = (
            frame.loc[frame.scenario_id == "stay", "total"].iloc[0] - (frame["total"])
        )
        return frame.set_index("scenario_id", drop=False)

    @cached_property
    def score_result(self) -> ScoreResult:
        """The ranked scenarios' scores, per-criterion contributions and normalized values."""
        return score_scenarios(
            self.costs,
            dict(self.profile.criteria_weights),
            self.score_anchors,
            self.profile.scoring_method,
        )

    @cached_property
    def score_anchors(self) -> ScoreAnchors:
        """The value functions' fixed anchors: Stay's NPV and today's annual spend."""
        return ScoreAnchors(float(self.costs.loc["stay", "npv"]), 12 * self.current.monthly_rate)

    @cached_property
    def scenarios(self) -> pd.DataFrame:
        """One row per scenario: costs, dates, status, problems, score and rank (1 = best).

        Ranked scenarios come first by rank, then the unranked ones (infeasible or needing a
        quote) in catalog order.
        """
        scored = self.score_result
        frame = self.costs.copy()
        frame["score"] = scored.scores.reindex(frame.index)
        frame["rank"] = scored.ranks.reindex(frame.index).astype("Int64")
        for criterion in scored.contributions.columns:
            frame[f"contribution_{criterion}"] = scored.contributions[criterion].reindex(
                frame.index
            )
        order = frame["rank"].fillna(len(frame) + 1).astype(int)
        return frame.iloc[order.argsort(kind="stable")]

    @cached_property
    def recommendation(self) -> Recommendation:
        """The winner and its reasons in plain words."""
        return recommend(self)

    def sensitivity(
        self,
        samples: int = 10_000,
        concentration: float = 50.0,
        seed: int = 0,
        progress: Callable[[float], None] | None = None,
    ) -> Sensitivity:
        """Rank stability under weight and cost uncertainty (seeded, vectorized)."""
        return sensitivity(
            self.costs,
            dict(self.profile.criteria_weights),
            self.score_anchors,
            method=self.profile.scoring_method,
            samples=samples,
            concentration=concentration,
            seed=seed,
            progress=progress,
            uncertainty=self.uncertainty,
        )

    @property
    def uncertainty(self) -> CostUncertainty:
        """Cost ranges for the Monte Carlo: the profile's migration overrun."""
        low, mode, high = (1 + pct / 100 for pct in self.profile.migration.overrun_pct)
        return CostUncertainty(migration_overrun=(low, mode, high))

    def best(self, kind: str) -> str | None:
        """Id of the best-ranked scenario of ``kind`` (stay, downgrade, switch), if any."""
        ranked = self.scenarios[(self.scenarios["kind"] == kind) & self.scenarios["rank"].notna()]
        return None if ranked.empty else str(ranked.index[0])

    def _fit(self, plan: ScenarioPlan) -> float:
        if plan.mix is None:
            return self.stay_mix.fit()
        return plan.mix.fit() if plan.mix.feasible else np.nan

    @cached_property
    def stay_mix(self) -> LicenseMix:
        """The roles on the seats they hold today."""
        product, tier = self.current.product, self.current.tier
        roles = tuple(current_role(self.profile, product, tier, r) for r in self.profile.roles)
        return LicenseMix(product, tier, roles)

    def mix(self, scenario_id: str) -> LicenseMix:
        plan = self.plan(scenario_id)
        return plan.mix if plan.mix is not None else self.stay_mix

    def plan(self, scenario_id: str) -> ScenarioPlan:
        for plan in self.plans:
            if plan.id == scenario_id:
                return plan
        raise KeyError(scenario_id)

    @cached_property
    def licenses(self) -> pd.DataFrame:
        """Seat assignment per feasible scenario and role, with price and fit."""
        rows = []
        for plan in self.plans:
            if plan.status != "ok":
                continue
            for r in self.mix(plan.id).roles:
                rows.append(
                    {
                        "scenario_id": plan.id,
                        "role_id": r.role.id,
                        "role": r.role.name,
                        "seats": r.role.seats,
                        "license_type_id": r.license_type.id if r.license_type else None,
                        "license_type": r.license_type.name if r.license_type else None,
                        "price": r.price.amount if r.price else np.nan,
                        "addons": ", ".join(f for f, _ in r.addons),
                        "monthly_cost": r.monthly_cost,
                        "fit": r.fit,
                        "source": r.price.source if r.price else None,
                        "as_of": r.price.as_of if r.price else None,
                    }
                )
        return pd.DataFrame(rows)

    @cached_property
    def fit_detail(self) -> pd.DataFrame:
        """Per feasible scenario, role and needed feature: the support the role gets."""
        rows = []
        features = self.catalog.feature_index
        for plan in self.plans:
            if plan.status != "ok":
                continue
            for r in self.mix(plan.id).roles:
                bought = {f for f, _ in r.addons}
                for feature, need in self.profile.role_needs(r.role).items():
                    level = r.support.get(feature)
                    if level == "addon" and feature not in bought:
                        level = None
                    rows.append(
                        {
                            "scenario_id": plan.id,
                            "role_id": r.role.id,
                            "role": r.role.name,
                            "feature_id": feature,
                            "feature": features[feature].name,
                            "need": str(need),
                            "support": level or "absent",
                            "score": {"full": 1.0, "limited": 0.5, "addon": 1.0}.get(level, 0.0),
                        }
                    )
        return pd.DataFrame(rows)

    @cached_property
    def key_dates_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.key_dates.as_rows(), columns=["event", "date"])


def analyze(profile: Profile, catalog: Catalog) -> AnalysisResult:
    """Cost every scenario of ``profile`` against ``catalog``.

    >>> from analyzer import load_catalog, load_profile
    >>> catalog = load_catalog()
    >>> result = analyze(load_profile(catalog=catalog), catalog)
    >>> result.scenarios.loc["stay", "kind"]
    'stay'
    """
    product = catalog.product(profile.current.product)
    current = Current(profile, product, product.tier(profile.current.tier))
    contract = profile.current.contract
    dates = key_dates(decision_term(current.chain, contract, profile.analysis_start), contract)
    return AnalysisResult(profile, catalog, current, tuple(build_plans(current, catalog)), dates)
