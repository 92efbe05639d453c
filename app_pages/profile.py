"""Profile: the organisation's contract, seats, roles, needs, assumptions and criteria weights.

Every form applies on its own button. A form whose values do not validate shows each problem
with the field it concerns and leaves the last good profile in place.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from analyzer.catalog import Catalog, Tier
from analyzer.formatting import SYMBOLS, money
from analyzer.profile import CONTRACT_PRESETS, Profile, apply_preset, dump_profile
from analyzer.scoring import CRITERION_NAMES
from analyzer.weights import ahp_matrix_from_judgements, ahp_weights, direct_weights
from analyzer.yamlio import MAX_YAML_BYTES
from app_pages import state

ORG_WIDE = "__org__"
NEED_OPTIONS = ["must", "5", "4", "3", "2", "1"]
#: Saaty's 1-9 scale in both directions: "a is r times as important as b", r from 9 to 1/9.
AHP_RATIOS = [*range(9, 1, -1), 1, *(1 / r for r in range(2, 10))]
UPLOAD_KEY = "profile_upload"


def changed(profile: Profile, changes: Mapping[tuple[str, ...], Any]) -> dict[str, Any]:
    """The profile as a dict with the values at the given key paths replaced."""
    data = profile.model_dump()
    for path, value in changes.items():
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return data


def blank_to_none(value: Any) -> Any:
    """Empty data-editor cells arrive as NaN or None; pydantic should see None."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def current_tier(profile: Profile, catalog: Catalog) -> Tier:
    return catalog.product(profile.current.product).tier(profile.current.tier)


def organisation_form(profile: Profile, catalog: Catalog) -> None:
    currencies = sorted(set(SYMBOLS) | catalog.currencies() | {profile.currency})
    with st.form(state.key("organisation")):
        name = st.text_input("Organisation", profile.name)
        left, right = st.columns(2)
        currency = left.selectbox(
            "Currency of the results", currencies, index=currencies.index(profile.currency)
        )
        analysis_start = right.date_input(
            "Analysis start (month 0)", profile.analysis_start, format="YYYY-MM-DD"
        )
        horizon = left.number_input("Horizon (months)", 1, 120, profile.horizon_months)
        rate = right.number_input(
            "Discount rate for NPV (% a year)", 0.0, 100.0, profile.discount_rate * 100, 0.5
        )
        st.caption(
            "Exchange rates: units of the result currency per one unit of each catalog "
            "currency (needed when they differ)."
        )
        fx = st.data_editor(
            pd.DataFrame(
                {"currency": list(profile.fx), "rate": list(profile.fx.values())},
                columns=["currency", "rate"],
            ).astype({"currency": "string", "rate": "float"}),
            num_rows="dynamic",
            hide_index=True,
            column_config={
                "currency": st.column_config.TextColumn("Currency (ISO code)"),
                "rate": st.column_config.NumberColumn("Rate", min_value=0.0, format="%.6f"),
            },
            key=state.key("fx"),
        )
        if st.form_submit_button("Apply organisation"):
            rates = {
                row.currency: blank_to_none(row.rate)
                for row in fx.itertuples()
                if blank_to_none(row.currency)
            }
            state.apply_profile(
                changed(
                    profile,
                    {
                        ("name",): name,
                        ("currency",): currency,
                        ("analysis_start",): analysis_start,
                        ("horizon_months",): horizon,
                        ("discount_rate",): rate / 100,
                        ("fx",): rates,
                    },
                ),
                "Organisation",
            )


def subscription_form(profile: Profile, catalog: Catalog) -> None:
    """Product, edition and billing. Seats of license types the new edition lacks move to its
    full seat, so a change of edition keeps the seat count instead of failing validation."""
    options = [(p.id, t.id) for p in catalog.products for t in p.tiers]
    current = (profile.current.product, profile.current.tier)
    with st.form(state.key("subscription")):
        left, right = st.columns([3, 1])
        product_id, tier_id = left.selectbox(
            "Current CRM and edition",
            options,
            index=options.index(current),
            format_func=lambda o: (
                f"{catalog.product(o[0]).name} · {catalog.product(o[0]).tier(o[1]).name}"
            ),
        )
        billing = right.radio(
            "Billing",
            ["annual", "monthly"],
            index=["annual", "monthly"].index(profile.current.billing),
            horizontal=True,
        )
        if st.form_submit_button("Apply subscription"):
            tier = catalog.product(product_id).tier(tier_id)
            known = {lt.id for lt in tier.license_types}
            full_seat = tier.license_types[0].id
            seats: dict[str, int] = {}
            for license_type, count in profile.current.seats.items():
                target = license_type if license_type in known else full_seat
                seats[target] = seats.get(target, 0) + count
            data = changed(
                profile,
                {
                    ("current", "product"): product_id,
                    ("current", "tier"): tier_id,
                    ("current", "billing"): billing,
                    ("current", "seats"): seats,
                    ("current", "prices"): {
                        lt: p for lt, p in profile.current.prices.items() if lt in known
                    },
                },
            )
            for role in data["roles"]:
                if role["current_license"] not in known:
                    role["current_license"] = None
            state.apply_profile(
                data, "Subscription", refresh_forms=(product_id, tier_id) != current
            )


def preset_summary(preset: str) -> str:
    terms = CONTRACT_PRESETS[preset]
    refund = terms["refund"].replace("_", " ")
    if terms["refund"] == "full_within_days":
        refund = f"full refund within {terms['full_refund_days']} days, prorated after"
    return (
        f"{preset.replace('_', ' ')}: auto-renew {terms['renewal_term_months']} months, "
        f"notice {terms['notice_days']} days, uplift {terms['uplift_pct']:g}%, refund: {refund}"
    )


def contract_form(profile: Profile) -> None:
    contract = profile.current.contract
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    preset = left.selectbox(
        "Contract presets (keep your dates, replace the terms)",
        list(CONTRACT_PRESETS),
        format_func=preset_summary,
        key=state.key("preset"),
    )
    if right.button("Apply preset", key=state.key("apply_preset")):
        state.apply_profile(
            changed(
                profile,
                {("current", "contract"): apply_preset(contract, preset).model_dump()},
            ),
            "Preset",
            refresh_forms=True,
        )
    with st.form(state.key("contract")):
        a, b, c = st.columns(3)
        start = a.date_input("Term start", contract.start, format="YYYY-MM-DD")
        end = b.date_input("Term end (last day)", contract.end, format="YYYY-MM-DD")
        auto_renew = c.checkbox("Auto-renews", contract.auto_renew)
        renewal = a.number_input("Renewal term (months)", 1, 60, contract.renewal_term_months)
        notice = b.number_input("Notice (days before the end)", 0, 365, contract.notice_days)
        uplift = c.number_input(
            "Uplift at each renewal (%)", 0.0, 100.0, float(contract.uplift_pct), 0.5
        )
        policies = ["none", "prorated", "full_within_days"]
        refund = a.selectbox("Refund policy", policies, index=policies.index(contract.refund))
        refund_days = b.number_input("Full-refund window (days)", 0, 365, contract.full_refund_days)
        fee = c.number_input(
            "Early termination fee (% of remaining fees)",
            0.0,
            100.0,
            float(contract.early_termination_fee_pct),
            1.0,
        )
        if st.form_submit_button("Apply contract"):
            terms = {
                "start": start,
                "end": end,
                "auto_renew": auto_renew,
                "renewal_term_months": renewal,
                "notice_days": notice,
                "uplift_pct": uplift,
                "refund": refund,
                "full_refund_days": refund_days,
                "early_termination_fee_pct": fee,
            }
            state.apply_profile(changed(profile, {("current", "contract"): terms}), "Contract")


def seats_form(profile: Profile, catalog: Catalog) -> None:
    tier = current_tier(profile, catalog)
    with st.form(state.key("seats")):
        st.caption(
            "Seats you pay for today, and the net price per seat per month if it differs from "
            "the list price (leave it empty to use the list price)."
        )
        seats, prices = {}, {}
        for lt in tier.license_types:
            left, right = st.columns(2)
            seats[lt.id] = left.number_input(
                f"{lt.name}: seats",
                0,
                1_000_000,
                profile.current.seats.get(lt.id, 0),
                key=state.key(f"seats_{lt.id}"),
            )
            paid = profile.current.prices.get(lt.id)
            list_price = (
                f"list {money(float(lt.price.amount), lt.price.currency, 2)}"
                if lt.price
                else "no list price"
            )
            prices[lt.id] = right.number_input(
                f"{lt.name}: net price per month in {profile.currency} ({list_price})",
                0.0,
                None,
                None if paid is None else float(paid),
                1.0,
                format="%.2f",
                key=state.key(f"price_{lt.id}"),
            )
        if st.form_submit_button("Apply seats"):
            state.apply_profile(
                changed(
                    profile,
                    {
                        ("current", "seats"): {lt: n for lt, n in seats.items() if n},
                        ("current", "prices"): {lt: p for lt, p in prices.items() if p is not None},
                    },
                ),
                "Seats",
            )


def roles_form(profile: Profile, catalog: Catalog) -> None:
    tier = current_tier(profile, catalog)
    roles = pd.DataFrame(
        [
            {
                "id": r.id,
                "name": r.name,
                "seats": r.seats,
                "current_license": r.current_license,
            }
            for r in profile.roles
        ]
    )
    with st.form(state.key("roles")):
        st.caption(
            "One row per group of users with the same needs. Add or delete rows; the id is a "
            "short lowercase name (letters, digits, _ and -)."
        )
        edited = st.data_editor(
            roles,
            num_rows="dynamic",
            hide_index=True,
            column_config={
                "id": st.column_config.TextColumn("Id", required=True),
                "name": st.column_config.TextColumn("Name", required=True, width="large"),
                "seats": st.column_config.NumberColumn("Seats", min_value=0, step=1),
                "current_license": st.column_config.SelectboxColumn(
                    "Seat held today", options=[lt.id for lt in tier.license_types]
                ),
            },
            key=state.key("roles_editor"),
        )
        if st.form_submit_button("Apply roles"):
            # Rows keep their original index, so a renamed role keeps its needs; new rows have
            # an index past the old roles and start with none.
            needs = dict(enumerate(r.needs for r in profile.roles))
            data = changed(
                profile,
                {
                    ("roles",): [
                        {
                            "id": blank_to_none(row.id),
                            "name": blank_to_none(row.name),
                            "seats": blank_to_none(row.seats),
                            "current_license": blank_to_none(row.current_license),
                            "needs": needs.get(row.Index, {}),
                        }
                        for row in edited.itertuples()
                    ]
                },
            )
            state.apply_profile(data, "Roles", refresh_forms=True)


def needs_form(profile: Profile, catalog: Catalog) -> None:
    owners = [ORG_WIDE, *(r.id for r in profile.roles)]
    names = {ORG_WIDE: "Everyone (org-wide needs)"} | {r.id: r.name for r in profile.roles}
    owner = st.selectbox(
        "Needs of", owners, format_func=names.__getitem__, key=state.key("needs_owner")
    )
    position = owners.index(owner) - 1
    current = profile.org_needs if owner == ORG_WIDE else profile.roles[position].needs
    table = pd.DataFrame(
        [
            {
                "feature_id": f.id,
                "feature": f.name,
                "category": f.category,
                "description": f.description,
                "need": None if f.id not in current else str(current[f.id]),
            }
            for f in catalog.features
        ]
    ).set_index("feature_id")
    with st.form(state.key(f"needs_{owner}")):
        st.caption(
            "**must**: an option without it is excluded. **1-5**: how much it matters to the "
            "fit score. Empty: not needed. Org-wide needs apply to every role."
        )
        edited = st.data_editor(
            table,
            hide_index=True,
            disabled=["feature", "category", "description"],
            column_config={
                "feature": st.column_config.TextColumn("Feature"),
                "category": st.column_config.TextColumn("Category"),
                "description": st.column_config.TextColumn("What it covers", width="large"),
                "need": st.column_config.SelectboxColumn("Need", options=NEED_OPTIONS),
            },
            height=600,
            key=state.key(f"needs_editor_{owner}"),
        )
        if st.form_submit_button("Apply needs"):
            needs = {
                feature: need if need == "must" else int(need)
                for feature, need in edited["need"].items()
                if blank_to_none(need)
            }
            path = ("org_needs",) if owner == ORG_WIDE else ("roles", position, "needs")
            state.apply_profile(changed(profile, {path: needs}), f"Needs of {names[owner]}")


def migration_form(profile: Profile) -> None:
    m = profile.migration
    currency = profile.currency
    with st.form(state.key("migration")):
        st.caption(f"What switching to another CRM would take. Amounts in {currency}.")
        a, b, c = st.columns(3)
        values = {
            "records": a.number_input("Records to migrate", 0, None, m.records, 10_000),
            "cost_per_thousand_records": b.number_input(
                "Cost per 1,000 records", 0.0, None, m.cost_per_thousand_records
            ),
            "fixed_cost": c.number_input("Fixed project cost", 0.0, None, m.fixed_cost, 1000.0),
            "integrations": a.number_input("Integrations to rebuild", 0, None, m.integrations),
            "cost_per_integration": b.number_input(
                "Cost per integration", 0.0, None, m.cost_per_integration, 1000.0
            ),
            "customization_hours": c.number_input(
                "Customization rebuild (hours)", 0.0, None, m.customization_hours, 10.0
            ),
            "hourly_rate": a.number_input("Hourly rate", 0.0, None, m.hourly_rate, 5.0),
            "training_hours_per_user": b.number_input(
                "Training hours per user", 0.0, None, m.training_hours_per_user
            ),
            "months": c.number_input("Project months before go-live", 0, 36, m.months),
            "overlap_months": a.number_input(
                "Months both CRMs run after go-live", 0, 24, m.overlap_months
            ),
        }
        st.caption("How far the one-time costs may overrun (used by the sensitivity analysis).")
        low, mode, high = m.overrun_pct
        a, b, c = st.columns(3)
        values["overrun_pct"] = (
            a.number_input("Overrun, low (%)", 0.0, 500.0, low),
            b.number_input("Overrun, most likely (%)", 0.0, 500.0, mode),
            c.number_input("Overrun, high (%)", 0.0, 500.0, high),
        )
        if st.form_submit_button("Apply migration"):
            state.apply_profile(changed(profile, {("migration",): values}), "Migration")


def commercial_form(profile: Profile, catalog: Catalog) -> None:
    quotes = pd.DataFrame(
        [q.model_dump() for q in profile.quotes],
        columns=["product", "tier", "license_type", "amount", "currency", "billing"],
    ).astype(
        {
            "product": "string",
            "tier": "string",
            "license_type": "string",
            "amount": "float",
            "currency": "string",
            "billing": "string",
        }
    )
    with st.form(state.key("commercial")):
        a, b = st.columns(2)
        values = {
            "discount_pct": a.number_input(
                "Discount expected on a downgraded renewal (%)",
                0.0,
                99.0,
                profile.discount_pct,
            ),
            "downgrade_one_time_cost": b.number_input(
                f"One-time cost of a downgrade ({profile.currency})",
                0.0,
                None,
                profile.downgrade_one_time_cost,
                500.0,
            ),
            "target_discount_pct": a.number_input(
                "Discount expected off a new vendor's list price (%)",
                0.0,
                99.0,
                profile.target_discount_pct,
            ),
            "target_uplift_pct": b.number_input(
                "Renewal uplift of a new vendor without a published one (%)",
                0.0,
                100.0,
                profile.target_uplift_pct,
            ),
        }
        st.caption(
            "Quotes: a price per user per month from a vendor, for quote-only editions or to "
            "override a list price (license type empty: the edition's full seat)."
        )
        edited = st.data_editor(
            quotes,
            num_rows="dynamic",
            hide_index=True,
            column_config={
                "product": st.column_config.SelectboxColumn(
                    "Product", options=[p.id for p in catalog.products], required=True
                ),
                "tier": st.column_config.TextColumn("Edition id", required=True),
                "license_type": st.column_config.TextColumn("License type id"),
                "amount": st.column_config.NumberColumn("Amount", min_value=0.0, required=True),
                "currency": st.column_config.TextColumn("Currency", required=True),
                "billing": st.column_config.SelectboxColumn(
                    "Billing", options=["annual", "monthly"]
                ),
            },
            key=state.key("quotes"),
        )
        if st.form_submit_button("Apply commercial terms"):
            values["quotes"] = [
                {k: v for k, v in row.items() if blank_to_none(v) is not None}
                for row in edited.to_dict("records")
            ]
            state.apply_profile(
                changed(profile, {(name,): value for name, value in values.items()}),
                "Commercial terms",
            )


def direct_weights_form(profile: Profile) -> None:
    weights = profile.criteria_weights
    with st.form(state.key("weights")):
        st.caption("Points per criterion; they are normalized to sum to 100%.")
        points = {
            criterion: st.slider(
                CRITERION_NAMES.get(criterion, criterion),
                0,
                100,
                round(weights.get(criterion, 0) * 100),
                key=state.key(f"weight_{criterion}"),
            )
            for criterion in CRITERION_NAMES
        }
        method = st.radio(
            "Aggregation",
            ["weighted_sum", "topsis"],
            index=["weighted_sum", "topsis"].index(profile.scoring_method),
            format_func={"weighted_sum": "Weighted sum", "topsis": "TOPSIS"}.__getitem__,
            horizontal=True,
        )
        if st.form_submit_button("Apply weights"):
            try:
                normalized = direct_weights(points).to_dict()
            except ValueError as exc:
                state.show_problems([f"criteria_weights: {exc}"], "Not applied.")
                return
            state.apply_profile(
                changed(profile, {("criteria_weights",): normalized, ("scoring_method",): method}),
                "Weights",
            )


def ratio_text(a: str, b: str, ratio: float) -> str:
    if ratio == 1:
        return "equally important"
    winner, times = (a, ratio) if ratio > 1 else (b, 1 / ratio)
    return f"{CRITERION_NAMES.get(winner, winner)} {times:g}× as important"


def nearest_ratio(ratio: float) -> float:
    return min(AHP_RATIOS, key=lambda r: abs(math.log(r) - math.log(ratio)))


def ahp_panel(profile: Profile) -> None:
    """Pairwise judgements, live weights and Saaty's consistency ratio."""
    criteria = list(CRITERION_NAMES)
    weights = profile.criteria_weights
    judgements = {}
    for i, a in enumerate(criteria):
        for b in criteria[i + 1 :]:
            start = nearest_ratio(max(weights.get(a, 0), 1e-9) / max(weights.get(b, 0), 1e-9))
            judgements[(a, b)] = st.select_slider(
                f"{CRITERION_NAMES[a]} against {CRITERION_NAMES[b]}",
                AHP_RATIOS,
                value=start,
                format_func=lambda r, a=a, b=b: ratio_text(a, b, r),
                key=state.key(f"ahp_{a}_{b}"),
            )
    result = ahp_weights(ahp_matrix_from_judgements(criteria, judgements))
    columns = st.columns(len(criteria) + 1)
    for column, (criterion, weight) in zip(columns, result.weights.items(), strict=False):
        column.metric(CRITERION_NAMES[criterion], f"{weight:.0%}")
    columns[-1].metric("Consistency ratio", f"{result.consistency_ratio:.3f}")
    if result.warning:
        st.warning(result.warning)
    if st.button("Use these weights", key=state.key("ahp_apply")):
        state.apply_profile(
            changed(profile, {("criteria_weights",): result.weights.to_dict()}),
            "AHP weights",
            refresh_forms=True,
        )


def upload_changed() -> None:
    """File-uploader callback: runs once per new file, not on every rerun."""
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is None:
        st.session_state.pop(state.UPLOAD_PROBLEMS, None)
        return
    st.session_state[state.UPLOAD_PROBLEMS] = (
        uploaded.name,
        state.accept_upload(uploaded.getvalue(), uploaded.name),
    )


def save_and_load(profile: Profile) -> None:
    st.download_button(
        "Download profile (YAML)",
        dump_profile(profile),
        file_name=f"{state.file_stem(profile)}.yaml",
        mime="application/x-yaml",
        icon=":material/download:",
        key="download_profile",
    )
    st.file_uploader(
        f"Load a profile (YAML, at most {MAX_YAML_BYTES // 1_000_000} MB)",
        type=["yaml", "yml"],
        key=UPLOAD_KEY,
        on_change=upload_changed,
        max_upload_size=1,
    )
    outcome = st.session_state.get(state.UPLOAD_PROBLEMS)
    if outcome:
        name, problems = outcome
        if problems:
            state.show_problems(problems, f"{name} was not loaded; your profile is unchanged.")
        else:
            st.success(f"Loaded {name}.")
    if st.button("Start over from the bundled example", key="reset_profile"):
        state.apply_profile(state.example_profile(), "Example profile", refresh_forms=True)


profile = state.profile()
catalog = state.catalog()

st.title("Profile")
st.caption(
    "Your contract, seats, roles and assumptions. Each form applies with its button; values "
    "that do not validate are rejected with the reason and the last good profile is kept."
)
tabs = st.tabs(
    [
        "Contract and seats",
        "Roles and needs",
        "Organisation",
        "Switching and pricing",
        "Criteria weights",
        "Save or load",
    ]
)
with tabs[0]:
    subscription_form(profile, catalog)
    st.subheader("Seats")
    seats_form(profile, catalog)
    st.subheader("Contract")
    contract_form(profile)
with tabs[1]:
    st.subheader("Roles and seats")
    roles_form(profile, catalog)
    st.subheader("Needs per role")
    needs_form(profile, catalog)
with tabs[2]:
    organisation_form(profile, catalog)
with tabs[3]:
    st.subheader("Migration")
    migration_form(profile)
    st.subheader("Commercial assumptions and quotes")
    commercial_form(profile, catalog)
with tabs[4]:
    how = st.radio(
        "Set the weights",
        ["direct", "ahp"],
        format_func={"direct": "Directly", "ahp": "By pairwise comparison (AHP)"}.__getitem__,
        horizontal=True,
        key="weights_method",
    )
    if how == "direct":
        direct_weights_form(profile)
    else:
        ahp_panel(profile)
with tabs[5]:
    save_and_load(profile)
