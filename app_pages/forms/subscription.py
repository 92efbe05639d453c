"""Subscription: product, edition, billing, the seats paid for and the contract terms."""

from __future__ import annotations

import streamlit as st

from analyzer.catalog import Catalog
from analyzer.formatting import money
from analyzer.profile import CONTRACT_PRESETS, Profile, apply_preset
from analyzer.profile_edits import remapped_subscription, with_changes
from app_pages import state

BILLINGS = ["annual", "monthly"]
REFUND_POLICIES = ["none", "prorated", "full_within_days"]


def edition_name(catalog: Catalog, option: tuple[str, str]) -> str:
    product = catalog.product(option[0])
    return f"{product.name} · {product.tier(option[1]).name}"


def subscription_form(profile: Profile, catalog: Catalog) -> None:
    """Product, edition and billing; a new edition keeps the seat count (seats remapped)."""
    options = [(p.id, t.id) for p in catalog.products for t in p.tiers]
    current = (profile.current.product, profile.current.tier)
    with st.form(state.key("subscription")):
        left, right = st.columns([3, 1])
        product_id, tier_id = left.selectbox(
            "Current CRM and edition",
            options,
            index=options.index(current),
            format_func=lambda option: edition_name(catalog, option),
        )
        billing = right.radio(
            "Billing", BILLINGS, index=BILLINGS.index(profile.current.billing), horizontal=True
        )
        if st.form_submit_button("Apply subscription"):
            state.apply_profile(
                remapped_subscription(profile, catalog, product_id, tier_id, billing),
                "Subscription",
                refresh_forms=(product_id, tier_id) != current,
            )


def seats_form(profile: Profile, catalog: Catalog) -> None:
    tier = catalog.product(profile.current.product).tier(profile.current.tier)
    with st.form(state.key("seats")):
        st.caption(
            "Seats you pay for today, and the net price per seat per month if it differs from "
            "the list price (leave it empty to use the list price)."
        )
        seats, prices = {}, {}
        for lt in tier.license_types:
            left, right = st.columns(2)
            seats[lt.id] = left.number_input(
                f"{state.literal(lt.name)}: seats",
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
                state.literal(
                    f"{lt.name}: net price per month in {profile.currency} ({list_price})"
                ),
                0.0,
                None,
                None if paid is None else float(paid),
                1.0,
                format="%.2f",
                key=state.key(f"price_{lt.id}"),
            )
        if st.form_submit_button("Apply seats"):
            state.apply_profile(
                with_changes(
                    profile,
                    {
                        ("current", "seats"): {lt: n for lt, n in seats.items() if n},
                        ("current", "prices"): {lt: p for lt, p in prices.items() if p is not None},
                    },
                ),
                "Seats",
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
            with_changes(
                profile, {("current", "contract"): apply_preset(contract, preset).model_dump()}
            ),
            "Preset",
            refresh_forms=True,
        )
    with st.form(state.key("contract")):
        a, b, c = st.columns(3)
        terms = {
            "start": a.date_input("Term start", contract.start, format="YYYY-MM-DD"),
            "end": b.date_input("Term end (last day)", contract.end, format="YYYY-MM-DD"),
            "auto_renew": c.checkbox("Auto-renews", contract.auto_renew),
            "renewal_term_months": a.number_input(
                "Renewal term (months)", 1, 60, contract.renewal_term_months
            ),
            "notice_days": b.number_input(
                "Notice (days before the end)", 0, 365, contract.notice_days
            ),
            "uplift_pct": c.number_input(
                "Uplift at each renewal (%)", 0.0, 100.0, float(contract.uplift_pct), 0.5
            ),
            "refund": a.selectbox(
                "Refund policy", REFUND_POLICIES, index=REFUND_POLICIES.index(contract.refund)
            ),
            "full_refund_days": b.number_input(
                "Full-refund window (days)", 0, 365, contract.full_refund_days
            ),
            "early_termination_fee_pct": c.number_input(
                "Early termination fee (% of remaining fees)",
                0.0,
                100.0,
                float(contract.early_termination_fee_pct),
                1.0,
            ),
        }
        if st.form_submit_button("Apply contract"):
            state.apply_profile(with_changes(profile, {("current", "contract"): terms}), "Contract")
