"""Roles and needs: groups of users with their seats, and what each group needs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analyzer.catalog import Catalog
from analyzer.plausibility import seat_plausibility
from analyzer.profile import Profile
from analyzer.profile_edits import (
    NEED_LEVELS,
    edited_rows,
    needs_from_levels,
    roles_from_rows,
    with_changes,
)
from app_pages import state

ORG_WIDE = "__org__"


def roles_table(profile: Profile) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"id": r.id, "name": r.name, "seats": r.seats, "current_license": r.current_license}
            for r in profile.roles
        ],
        columns=["id", "name", "seats", "current_license"],
    )


def roles_form(profile: Profile, catalog: Catalog) -> None:
    """The roles table, applied as it is edited; a rejected edit stays in the table with why."""
    tier = catalog.product(profile.current.product).tier(profile.current.tier)
    table = roles_table(profile)

    def candidate() -> dict:
        # Rows keep their original index, so a renamed role keeps its needs.
        current = state.profile()
        rows = edited_rows(table.to_dict("records"), state.value("roles_editor"))
        return with_changes(current, {("roles",): roles_from_rows(current, rows)})

    st.caption(
        "One row per group of users with the same needs. Add or delete rows; the id is a "
        "short lowercase name (letters, digits, _ and -). Each change applies at once."
    )
    state.table(
        "Roles",
        "roles_editor",
        "roles",
        candidate,
        table,
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "id": st.column_config.TextColumn("Id", required=True),
            "name": st.column_config.TextColumn("Name", required=True, width="large"),
            # No minimum here: a typed -7 must reach validation and be explained, not be
            # turned into 7 by the editor.
            "seats": st.column_config.NumberColumn("Seats", step=1),
            "current_license": st.column_config.SelectboxColumn(
                "Seat held today", options=[lt.id for lt in tier.license_types]
            ),
        },
    )
    for warning in seat_plausibility(profile):
        st.warning(state.literal(warning.message), icon=":material/rule:")


def needs_table(profile: Profile, catalog: Catalog, owner: str) -> pd.DataFrame:
    """Every catalog feature with the need ``owner`` (a role id or ORG_WIDE) has for it."""
    if owner == ORG_WIDE:
        current = profile.org_needs
    else:
        current = next(role.needs for role in profile.roles if role.id == owner)
    return pd.DataFrame(
        [
            {
                "feature_id": f.id,
                "feature": f.name,
                "category": f.category,
                "description": f.description or "",
                # An empty string, not None: the editor would show a missing value as "None".
                "need": str(current.get(f.id, "")),
            }
            for f in catalog.features
        ]
    ).set_index("feature_id")


def needs_form(profile: Profile, catalog: Catalog) -> None:
    """The needs of one role (or of everyone), applied as the table is edited."""
    owners = [ORG_WIDE, *(r.id for r in profile.roles)]
    names = {ORG_WIDE: "Everyone (org-wide needs)"} | {r.id: r.name for r in profile.roles}
    owner = st.selectbox(
        "Needs of", owners, format_func=names.__getitem__, key=state.key("needs_owner")
    )
    table = needs_table(profile, catalog, owner)
    if owner == ORG_WIDE:
        path: tuple[str | int, ...] = ("org_needs",)
    else:
        path = ("roles", owners.index(owner) - 1, "needs")

    def candidate() -> dict:
        rows = edited_rows(table.reset_index().to_dict("records"), state.value(editor))
        levels = {row["feature_id"]: row["need"] for row in rows}
        return with_changes(state.profile(), {path: needs_from_levels(levels)})

    st.caption(
        "**must**: an option without it is excluded. **1-5**: how much it matters to the "
        "fit score. Empty: not needed. Org-wide needs apply to every role."
    )
    editor = f"needs_editor_{owner}"
    state.table(
        f"Needs of {names[owner]}",
        editor,
        "needs",
        candidate,
        table,
        hide_index=True,
        disabled=["feature", "category", "description"],
        column_config={
            "feature": st.column_config.TextColumn("Feature"),
            "category": st.column_config.TextColumn("Category"),
            "description": st.column_config.TextColumn("What it covers", width="large"),
            "need": st.column_config.SelectboxColumn("Need", options=["", *NEED_LEVELS]),
        },
        height=600,
    )
