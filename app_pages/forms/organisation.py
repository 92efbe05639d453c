"""Organisation: name, result currency, analysis start, horizon, discount rate and fx rates."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analyzer.catalog import Catalog
from analyzer.formatting import SYMBOLS
from analyzer.profile import Profile
from analyzer.profile_edits import edited_rows, fx_from_rows, with_changes
from app_pages import state


def fx_table(profile: Profile) -> pd.DataFrame:
    """The profile's exchange rates as editable ``currency``/``rate`` rows."""
    return pd.DataFrame(
        {"currency": list(profile.fx), "rate": list(profile.fx.values())},
        columns=["currency", "rate"],
    ).astype({"currency": "string", "rate": "Float64"})


def organisation_form(profile: Profile, catalog: Catalog) -> None:
    """Name, currency, analysis start, horizon and discount rate (each applied as changed) and
    the exchange rates (a table applied as it is edited)."""
    currencies = sorted(set(SYMBOLS) | catalog.currencies() | {profile.currency})

    def candidate() -> dict:
        return with_changes(
            state.profile(),
            {
                ("name",): state.value("org_name"),
                ("currency",): state.value("org_currency"),
                ("analysis_start",): state.value("org_start"),
                ("horizon_months",): state.value("org_horizon"),
                ("discount_rate",): state.value("org_rate") / 100,
            },
        )

    state.field("text_input", "Organisation", "org_name", "organisation", candidate, profile.name)
    left, right = st.columns(2)
    state.field(
        "selectbox",
        "Currency of the results",
        "org_currency",
        "organisation",
        candidate,
        currencies,
        index=currencies.index(profile.currency),
        where=left,
    )
    state.field(
        "date_input",
        "Analysis start (month 0)",
        "org_start",
        "organisation",
        candidate,
        profile.analysis_start,
        format="YYYY-MM-DD",
        where=right,
        help="The date the analysis counts from: deadlines are measured from it, not from today.",
    )
    state.field(
        "number_input",
        "Horizon (months)",
        "org_horizon",
        "organisation",
        candidate,
        value=profile.horizon_months,
        step=1,
        where=left,
    )
    state.field(
        "number_input",
        "Discount rate for NPV (% a year)",
        "org_rate",
        "organisation",
        candidate,
        value=profile.discount_rate * 100,
        step=0.5,
        where=right,
    )
    st.caption(
        "Exchange rates: units of the result currency per one unit of each catalog "
        "currency (needed when they differ)."
    )
    table = fx_table(profile)

    def fx_candidate() -> dict:
        rows = edited_rows(table.to_dict("records"), state.value("fx"))
        return with_changes(state.profile(), {("fx",): fx_from_rows(rows)})

    state.table(
        "Exchange rates",
        "fx",
        "fx",
        fx_candidate,
        table,
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "currency": st.column_config.TextColumn("Currency (ISO code)"),
            "rate": st.column_config.NumberColumn("Rate", format="%.6f"),
        },
    )
