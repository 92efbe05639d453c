"""Subscription: product, edition, billing, the seats paid for and the contract terms.

Every field applies as it is changed (see :func:`app_pages.state.field`)."""

from __future__ import annotations

import streamlit as st

from analyzer.catalog import Catalog
from analyzer.formatting import money
from analyzer.plausibility import seat_plausibility
from analyzer.profile import CONTRACT_PRESETS, Profile, apply_preset
from analyzer.profile_edits import remapped_subscription, with_changes
from app_pages import state

BILLINGS = ["annual", "monthly"]
REFUND_POLICIES = ["none", "prorated", "full_within_days"]
#: The contract terms the contract form edits (the others keep their values).
CONTRACT_FIELDS = (
    "start",
    "end",
    "auto_renew",
    "renewal_term_months",
    "notice_days",
    "uplift_pct",
    "refund",
    "full_refund_days",
    "early_termination_fee_pct",
)


def edition_name(catalog: Catalog, option: tuple[str, str]) -> str:
    product = catalog.product(option[0])
    return f"{product.name} · {product.tier(option[1]).name}"


def subscription_form(profile: Profile, catalog: Catalog) -> None:
    """Product, edition and billing; a new edition keeps the seat count (seats remapped)."""
    options = [(p.id, t.id) for p in catalog.products for t in p.tiers]
    current = (profile.current.product, profile.current.tier)

    def candidate() -> dict:
        product_id, tier_id = state.value("edition")
        return remapped_subscription(
            state.profile(), catalog, product_id, tier_id, state.value("billing")
        )

    left, right = st.columns([3, 1])
    state.field(
        "selectbox",
        "Current CRM and edition",
        "edition",
        "subscription",
        candidate,
        options,
        index=options.index(current),
        format_func=lambda option: edition_name(catalog, option),
        where=left,
        refresh_forms=True,
    )
    state.field(
        "radio",
        "Billing",
        "billing",
        "subscription",
        candidate,
        BILLINGS,
        index=BILLINGS.index(profile.current.billing),
        horizontal=True,
        where=right,
    )


#: License types the user chose to add to the seats form: edition id -> license type ids.
ADDED_LICENSE_TYPES = "seats_added_license_types"


def shown_license_types(profile: Profile, catalog: Catalog) -> list[str]:
    """The license types the seats form lists: those paid for or priced, and those added.

    An edition can have dozens of license types; listing only these keeps the form short on a
    phone and its reruns fast. With none paid for, the edition's full seat is listed.
    """
    tier = catalog.product(profile.current.product).tier(profile.current.tier)
    added = st.session_state.get(ADDED_LICENSE_TYPES, {}).get(tier.id, ())
    held = set(profile.current.seats) | set(profile.current.prices) | set(added)
    shown = [lt.id for lt in tier.license_types if lt.id in held]
    return shown or [tier.license_types[0].id]


def add_license_type(tier_id: str, widget_key: str) -> None:
    """Selectbox callback: list one more license type in the seats form."""
    chosen = st.session_state.get(widget_key)
    if chosen is not None:
        added = st.session_state.setdefault(ADDED_LICENSE_TYPES, {})
        added[tier_id] = (*added.get(tier_id, ()), chosen)


def seats_form(profile: Profile, catalog: Catalog) -> None:
    """Seats paid for and net prices per license type, each applied as it is changed."""
    tier = catalog.product(profile.current.product).tier(profile.current.tier)
    shown = shown_license_types(profile, catalog)

    def candidate() -> dict:
        current = state.profile()
        seats = dict(current.current.seats)
        prices = dict(current.current.prices)
        for lt in shown:
            seats[lt] = state.value(f"seats_{lt}")
            prices[lt] = state.value(f"price_{lt}")
        return with_changes(
            current,
            {
                ("current", "seats"): {lt: n for lt, n in seats.items() if n},
                ("current", "prices"): {lt: p for lt, p in prices.items() if p is not None},
            },
        )

    st.caption(
        "Seats you pay for today, and the net price per seat per month if it differs from "
        "the list price (leave it empty to use the list price)."
    )
    for lt in (lt for lt in tier.license_types if lt.id in shown):
        left, right = st.columns(2)
        state.field(
            "number_input",
            f"{state.literal(lt.name)}: seats",
            f"seats_{lt.id}",
            "seats",
            candidate,
            value=profile.current.seats.get(lt.id, 0),
            step=1,
            where=left,
        )
        paid = profile.current.prices.get(lt.id)
        list_price = (
            f"list {money(float(lt.price.amount), lt.price.currency, 2)}"
            if lt.price
            else "no list price"
        )
        state.field(
            "number_input",
            state.literal(f"{lt.name}: net price per month in {profile.currency} ({list_price})"),
            f"price_{lt.id}",
            "seats",
            candidate,
            value=None if paid is None else float(paid),
            step=1.0,
            format="%.2f",
            where=right,
        )
    others = {lt.id: lt.name for lt in tier.license_types if lt.id not in shown}
    if others:
        widget_key = state.key("add_license_type")
        st.selectbox(
            "Add seats of another license type",
            list(others),
            index=None,
            format_func=lambda lt: state.literal(others[lt]),
            placeholder=f"{len(others)} more license types in this edition",
            key=widget_key,
            on_change=add_license_type,
            args=(tier.id, widget_key),
        )
    for warning in seat_plausibility(profile):
        st.warning(state.literal(warning.message), icon=":material/rule:")


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

    def candidate() -> dict:
        current = state.profile()
        terms = current.current.contract.model_dump() | {
            name: state.value(f"contract_{name}") for name in CONTRACT_FIELDS
        }
        return with_changes(current, {("current", "contract"): terms})

    def term(widget: str, label: str, name: str, where, *args, **kwargs):
        return state.field(
            widget, label, f"contract_{name}", "contract", candidate, *args, where=where, **kwargs
        )

    a, b, c = st.columns(3)
    term("date_input", "Term start", "start", a, contract.start, format="YYYY-MM-DD")
    term("date_input", "Term end (last day)", "end", b, contract.end, format="YYYY-MM-DD")
    term("checkbox", "Auto-renews", "auto_renew", c, contract.auto_renew)
    term(
        "number_input",
        "Renewal term (months)",
        "renewal_term_months",
        a,
        value=contract.renewal_term_months,
        step=1,
    )
    term(
        "number_input",
        "Notice (days before the end)",
        "notice_days",
        b,
        value=contract.notice_days,
        step=1,
    )
    term(
        "number_input",
        "Uplift at each renewal (%)",
        "uplift_pct",
        c,
        value=float(contract.uplift_pct),
        step=0.5,
    )
    term(
        "selectbox",
        "Refund policy",
        "refund",
        a,
        REFUND_POLICIES,
        index=REFUND_POLICIES.index(contract.refund),
    )
    term(
        "number_input",
        "Full-refund window (days)",
        "full_refund_days",
        b,
        value=contract.full_refund_days,
        step=1,
    )
    term(
        "number_input",
        "Early termination fee (% of remaining fees)",
        "early_termination_fee_pct",
        c,
        value=float(contract.early_termination_fee_pct),
        step=1.0,
    )
