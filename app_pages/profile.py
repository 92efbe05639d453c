"""Profile: the organisation's contract, seats, roles, needs, assumptions and criteria weights.

Every form applies on its own button. A form whose values do not validate shows each problem
with the field it concerns and leaves the last good profile in place. The forms live in
``app_pages/forms``; the rules behind them in :mod:`analyzer.profile_edits`.
"""

from __future__ import annotations

import streamlit as st

from app_pages import state
from app_pages.forms.organisation import organisation_form
from app_pages.forms.roles import needs_form, roles_form
from app_pages.forms.save_load import save_and_load
from app_pages.forms.subscription import contract_form, seats_form, subscription_form
from app_pages.forms.switching import commercial_form, migration_form
from app_pages.forms.weights import weights_tab

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
    weights_tab(profile)
with tabs[5]:
    save_and_load(profile)
