"""Switching and pricing: the migration project and the commercial assumptions and quotes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analyzer.catalog import Catalog
from analyzer.profile import Profile
from analyzer.profile_edits import edited_rows, quotes_from_rows, with_changes
from app_pages import state

QUOTE_COLUMNS = {
    "product": "string",
    "tier": "string",
    "license_type": "string",
    "amount": "Float64",
    "currency": "string",
    "billing": "string",
}


MIGRATION_FIELDS = (
    ("records", "Records to migrate", 10_000),
    ("cost_per_thousand_records", "Cost per 1,000 records", 1.0),
    ("fixed_cost", "Fixed project cost", 1000.0),
    ("integrations", "Integrations to rebuild", 1),
    ("cost_per_integration", "Cost per integration", 1000.0),
    ("customization_hours", "Customization rebuild (hours)", 10.0),
    ("hourly_rate", "Hourly rate", 5.0),
    ("training_hours_per_user", "Training hours per user", 1.0),
    ("months", "Project months before go-live", 1),
    ("overlap_months", "Months both CRMs run after go-live", 1),
)
"""The migration inputs of the form: field, label and step (an int step keeps whole numbers)."""
OVERRUN_LABELS = ("Overrun, low (%)", "Overrun, most likely (%)", "Overrun, high (%)")
COMMERCIAL_FIELDS = (
    ("discount_pct", "Discount expected on a downgraded renewal (%)", 1.0),
    ("downgrade_one_time_cost", "One-time cost of a downgrade", 500.0),
    ("target_discount_pct", "Discount expected off a new vendor's list price (%)", 1.0),
    ("target_uplift_pct", "Renewal uplift of a new vendor without a published one (%)", 0.5),
)


def migration_form(profile: Profile) -> None:
    """What switching would take; every field applies as it is changed."""
    m = profile.migration

    def candidate() -> dict:
        current = state.profile()
        values = current.migration.model_dump() | {
            name: state.value(f"migration_{name}") for name, _, _ in MIGRATION_FIELDS
        }
        values["overrun_pct"] = tuple(state.value(f"overrun_{i}") for i in range(3))
        return with_changes(current, {("migration",): values})

    st.caption(f"What switching to another CRM would take. Amounts in {profile.currency}.")
    columns = st.columns(3)
    for position, (name, label, step) in enumerate(MIGRATION_FIELDS):
        current = getattr(m, name)
        state.field(
            "number_input",
            label,
            f"migration_{name}",
            "migration",
            candidate,
            value=current if isinstance(step, int) else float(current),
            step=step,
            where=columns[position % 3],
        )
    st.caption("How far the one-time costs may overrun (used by the sensitivity analysis).")
    columns = st.columns(3)
    for position, (label, current) in enumerate(zip(OVERRUN_LABELS, m.overrun_pct, strict=True)):
        state.field(
            "number_input",
            label,
            f"overrun_{position}",
            "migration",
            candidate,
            value=float(current),
            step=5.0,
            where=columns[position],
        )


def commercial_form(profile: Profile, catalog: Catalog) -> None:
    """Discounts and uplifts (applied as changed) and the quotes table (applied as edited)."""

    def candidate() -> dict:
        return with_changes(
            state.profile(),
            {(name,): state.value(f"commercial_{name}") for name, _, _ in COMMERCIAL_FIELDS},
        )

    columns = st.columns(2)
    for position, (name, label, step) in enumerate(COMMERCIAL_FIELDS):
        if name == "downgrade_one_time_cost":
            label = f"{label} ({profile.currency})"
        state.field(
            "number_input",
            label,
            f"commercial_{name}",
            "commercial",
            candidate,
            value=float(getattr(profile, name)),
            step=step,
            where=columns[position % 2],
        )
    st.caption(
        "Quotes: a price per user per month from a vendor, for quote-only editions or to "
        "override a list price (license type empty: the edition's full seat)."
    )
    quotes = pd.DataFrame(
        [q.model_dump() for q in profile.quotes], columns=list(QUOTE_COLUMNS)
    ).astype(QUOTE_COLUMNS)

    def quotes_candidate() -> dict:
        rows = edited_rows(quotes.to_dict("records"), state.value("quotes"))
        cells = [{name: row.get(name) for name in QUOTE_COLUMNS} for row in rows]
        return with_changes(state.profile(), {("quotes",): quotes_from_rows(cells)})

    state.table(
        "Quotes",
        "quotes",
        "quotes",
        quotes_candidate,
        quotes,
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "product": st.column_config.SelectboxColumn(
                "Product", options=[p.id for p in catalog.products], required=True
            ),
            "tier": st.column_config.TextColumn("Edition id", required=True),
            "license_type": st.column_config.TextColumn("License type id"),
            "amount": st.column_config.NumberColumn("Amount", required=True),
            "currency": st.column_config.TextColumn("Currency", required=True),
            "billing": st.column_config.SelectboxColumn("Billing", options=["annual", "monthly"]),
        },
    )
