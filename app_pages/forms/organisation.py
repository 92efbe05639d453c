"""Organisation: name, result currency, analysis start, horizon, discount rate and fx rates."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analyzer.catalog import Catalog
from analyzer.formatting import SYMBOLS
from analyzer.profile import Profile
from analyzer.profile_edits import fx_from_rows, with_changes
from app_pages import state


def fx_table(profile: Profile) -> pd.DataFrame:
    """The profile's exchange rates as editable ``currency``/``rate`` rows."""
    return pd.DataFrame(
        {"currency": list(profile.fx), "rate": list(profile.fx.values())},
        columns=["currency", "rate"],
    ).astype({"currency": "string", "rate": "float"})


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
            fx_table(profile),
            num_rows="dynamic",
            hide_index=True,
            column_config={
                "currency": st.column_config.TextColumn("Currency (ISO code)"),
                "rate": st.column_config.NumberColumn("Rate", min_value=0.0, format="%.6f"),
            },
            key=state.key("fx"),
        )
        if st.form_submit_button("Apply organisation"):
            state.apply_profile(
                with_changes(
                    profile,
                    {
                        ("name",): name,
                        ("currency",): currency,
                        ("analysis_start",): analysis_start,
                        ("horizon_months",): horizon,
                        ("discount_rate",): rate / 100,
                        ("fx",): fx_from_rows(fx.to_dict("records")),
                    },
                ),
                "Organisation",
            )
