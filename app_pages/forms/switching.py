"""Switching and pricing: the migration project and the commercial assumptions and quotes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analyzer.catalog import Catalog
from analyzer.profile import Profile
from analyzer.profile_edits import quotes_from_rows, with_changes
from app_pages import state

QUOTE_COLUMNS = {
    "product": "string",
    "tier": "string",
    "license_type": "string",
    "amount": "float",
    "currency": "string",
    "billing": "string",
}


def migration_form(profile: Profile) -> None:
    m = profile.migration
    with st.form(state.key("migration")):
        st.caption(f"What switching to another CRM would take. Amounts in {profile.currency}.")
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
            state.apply_profile(with_changes(profile, {("migration",): values}), "Migration")


def commercial_form(profile: Profile, catalog: Catalog) -> None:
    quotes = pd.DataFrame(
        [q.model_dump() for q in profile.quotes], columns=list(QUOTE_COLUMNS)
    ).astype(QUOTE_COLUMNS)
    with st.form(state.key("commercial")):
        a, b = st.columns(2)
        values = {
            "discount_pct": a.number_input(
                "Discount expected on a downgraded renewal (%)", 0.0, 99.0, profile.discount_pct
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
            values["quotes"] = quotes_from_rows(edited.to_dict("records"))
            state.apply_profile(
                with_changes(profile, {(name,): value for name, value in values.items()}),
                "Commercial terms",
            )
