"""Start: begin from your own contract (a short guided flow) or explore the bundled example.

The choice is remembered for the session. The guided flow starts empty; its answers are kept
in the session as they are typed (so leaving the page loses nothing) and become a profile,
through :func:`analyzer.profile_edits.guided_profile`, when the user asks for a recommendation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from analyzer.errors import AnalyzerError
from analyzer.profile_edits import ROLE_KINDS, ContractAnswers, guided_profile
from app_pages import state

#: The guided start's answers so far: name -> value (kept when the page is left).
ANSWERS = "guided_answers"
COMPARE_PAGE = "app_pages/compare.py"


def answer(widget: str, label: str, name: str, default: Any, *args: Any, where=st, **kwargs):
    """A guided-start input whose value is kept in :data:`ANSWERS` as soon as it changes."""
    answers = st.session_state.setdefault(ANSWERS, {})
    widget_key = f"guided_{name}"

    def keep() -> None:
        answers[name] = st.session_state[widget_key]

    current = answers.get(name, default)
    if widget in {"selectbox", "radio"}:
        options = args[0]
        kwargs["index"] = options.index(current) if current in options else None
    else:
        kwargs["value"] = current
    return getattr(where, widget)(label, *args, key=widget_key, on_change=keep, **kwargs)


def explore_example() -> None:
    """Button callback: the bundled example, remembered as the session's choice."""
    st.session_state[state.START_MODE] = "example"
    if state.profile() != state.example_profile():
        state.set_profile(state.example_profile())
        st.session_state[state.GENERATION] += 1


def start_own() -> None:
    st.session_state[state.START_MODE] = "own"


def guided_start() -> None:
    """The three steps and the button that turns them into the session's profile."""
    catalog = state.catalog()
    editions = [(p.id, t.id) for p in catalog.products if p.kind == "crm" for t in p.tiers]
    with st.container(border=True):
        st.subheader("1. Your contract and seats")
        contract = {"name": answer("text_input", "Organisation", "name", "")}
        contract["edition"] = answer(
            "selectbox",
            "Current CRM and edition",
            "edition",
            None,
            editions,
            format_func=lambda option: (
                f"{catalog.product(option[0]).name} · "
                f"{catalog.product(option[0]).tier(option[1]).name}"
            ),
            placeholder="Choose your CRM and edition",
        )
        left, right = st.columns(2)
        contract["seats"] = answer("number_input", "Seats paid for", "seats", 0, step=1, where=left)
        contract["price"] = answer(
            "number_input",
            "Net price per seat per month (empty: list price)",
            "price",
            None,
            step=1.0,
            format="%.2f",
            where=right,
        )
        contract["term_end"] = answer(
            "date_input",
            "Current term ends on (last day)",
            "term_end",
            None,
            format="YYYY-MM-DD",
            where=left,
        )
        contract["notice_days"] = answer(
            "number_input", "Notice (days before the end)", "notice_days", 30, step=1, where=right
        )
        contract["auto_renew"] = answer(
            "checkbox", "Renews automatically", "auto_renew", True, where=left
        )
        contract["uplift_pct"] = answer(
            "number_input",
            "Price increase at renewal (%)",
            "uplift_pct",
            7.0,
            step=0.5,
            where=right,
        )
        contract["analysis_start"] = answer(
            "date_input",
            "Analysis start (deadlines are counted from this date)",
            "analysis_start",
            dt.date.today(),
            format="YYYY-MM-DD",
        )
    with st.container(border=True):
        st.subheader("2. Who uses it and what they need")
        st.caption(
            "Seats per kind of user. Each kind comes with the needs such users usually have; "
            "change them later on the Profile page (Roles and needs)."
        )
        role_seats = {}
        columns = st.columns(2)
        for position, (kind, preset) in enumerate(ROLE_KINDS.items()):
            where = columns[position % 2]
            role_seats[kind] = answer(
                "number_input", f"{preset.name}: seats", f"role_{kind}", 0, step=1, where=where
            )
            must = [feature for feature, need in preset.needs.items() if need == "must"]
            where.caption(f"Must have: {', '.join(f.replace('_', ' ') for f in must)}")
    with st.container(border=True):
        st.subheader("3. Options to consider")
        st.caption(
            "The analysis weighs staying, a smaller edition or fewer seats with your vendor, and "
            "switching to every CRM in the catalog that has your must-haves. Switching needs a "
            "rough size of the move; the other costs start from typical values."
        )
        left, right = st.columns(2)
        migration = {
            "records": answer(
                "number_input", "Records to migrate", "records", 0, step=10_000, where=left
            ),
            "integrations": answer(
                "number_input", "Integrations to rebuild", "integrations", 0, step=1, where=right
            ),
        }
    if st.button("Show my recommendation", type="primary", key="guided_finish"):
        problems = finish(contract, role_seats, migration)
        if problems:
            state.show_problems(problems, "Not yet: some answers are missing or cannot be used.")


def finish(
    contract: dict[str, Any], role_seats: dict[str, int], migration: dict[str, Any]
) -> list[str]:
    """Build the profile from the answers; on success make it the session's and show Compare.

    Returns the problems that keep it from being built (nothing is changed then).
    """
    missing = [
        message
        for message, given in [
            ("Current CRM and edition: choose one", contract["edition"] is not None),
            ("Current term ends on: enter the last day of the term", contract["term_end"]),
            ("Who uses it: give at least one kind of user some seats", any(role_seats.values())),
        ]
        if not given
    ]
    if missing:
        return missing
    product, tier = contract.pop("edition")
    try:
        candidate = guided_profile(
            state.example_profile(),
            state.catalog(),
            ContractAnswers(product=product, tier=tier, **contract),
            role_seats,
            migration,
        )
    except AnalyzerError as exc:
        return [str(exc)]
    new, problems = state.trial_problems(candidate)
    if new is None:
        return problems
    state.set_profile(new)
    st.session_state[state.GENERATION] += 1
    st.session_state[state.START_MODE] = "own"
    st.session_state[state.FLASH] = "Your profile is ready"
    st.switch_page(COMPARE_PAGE)
    return []


st.title("Stay, downgrade or switch your CRM?")
st.markdown(
    "Find out whether to renew your CRM contract as it is, cut it down, or move to another CRM, "
    "with the dates by which you must act."
)
mode = st.session_state.get(state.START_MODE)
left, right = st.columns(2)
left.button(
    "Start from your contract",
    type="primary" if mode != "example" else "secondary",
    icon=":material/edit_document:",
    on_click=start_own,
    key="start_own",
    use_container_width=True,
)
if right.button(
    "Explore the example",
    icon=":material/travel_explore:",
    on_click=explore_example,
    key="start_example",
    use_container_width=True,
):
    st.switch_page(COMPARE_PAGE)
if mode == "own":
    guided_start()
elif mode == "example":
    example = state.example_profile()
    edition = state.catalog().product(example.current.product)
    st.info(
        f"You are exploring {state.literal(example.name)}, a "
        f"{sum(example.current.seats.values())}-seat {state.literal(edition.name)} "
        f"{state.literal(edition.tier(example.current.tier).name)} contract. Its results are on "
        "Compare; start from your contract above whenever you are ready."
    )
