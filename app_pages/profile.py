"""Profile: the organisation's contract, seats, roles, needs, assumptions and criteria weights.

Every field applies as soon as it is changed, so an edit is never left un-applied or lost when
leaving the page; "Undo last change" restores the profile before it. A value that does not
validate is explained next to its field and the last good profile stays in place. The forms live in
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
SECTION_KEY = "profile_section"


def contract_and_seats() -> None:
    subscription_form(profile, catalog)
    st.subheader("Seats")
    seats_form(profile, catalog)
    st.subheader("Contract")
    contract_form(profile)


def roles_and_needs() -> None:
    st.subheader("Roles and seats")
    roles_form(profile, catalog)
    st.subheader("Needs per role")
    needs_form(profile, catalog)


def switching_and_pricing() -> None:
    st.subheader("Migration")
    migration_form(profile)
    st.subheader("Commercial assumptions and quotes")
    commercial_form(profile, catalog)


SECTIONS = {
    "Contract and seats": contract_and_seats,
    "Roles and needs": roles_and_needs,
    "Organisation": lambda: organisation_form(profile, catalog),
    "Switching and pricing": switching_and_pricing,
    "Criteria weights": lambda: weights_tab(profile),
    "Save or load": lambda: save_and_load(profile),
}

st.title("Profile")
left, right = st.columns([4, 1], vertical_alignment="bottom")
left.caption(
    "Your contract, seats, roles and assumptions. Every change applies at once and updates "
    "the recommendation in the sidebar; a value that cannot be used is explained next to its "
    "field and the analysis keeps the last good value."
)
with right:
    state.undo_button("profile")
# One group at a time: every edit is applied as it is made, so switching groups loses nothing,
# and a rerun draws only the group on screen.
section = st.radio("Edit", list(SECTIONS), horizontal=True, key=SECTION_KEY)
SECTIONS[section]()
