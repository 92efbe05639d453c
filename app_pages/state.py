"""Session state and the cached analyzer calls shared by every page.

The session holds one :class:`~analyzer.profile.Profile` (the last good one: a form or an upload
that fails validation never replaces it). Analyzer calls are cached by the profile's YAML dump,
which is hashable and round-trips exactly, so two sessions with the same inputs share a result.
The rules behind an edit live in :mod:`analyzer.profile_edits`; this module only keeps the
session, the caches and the page boundary that turns any error into a message.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

import plotly.io as pio
import streamlit as st
from streamlit.navigation.page import Page

from analyzer.analysis import AnalysisResult, analyze
from analyzer.catalog import Catalog, load_catalog
from analyzer.formatting import money
from analyzer.profile import Profile, dump_profile, load_profile, parse_profile
from analyzer.profile_edits import candidate_problems, problem_messages

PROFILE = "profile"
#: Bumped when the profile is replaced wholesale (upload, preset, product change) so that every
#: form widget is created afresh from the new profile instead of keeping its old value.
GENERATION = "form_generation"
UPLOAD_PROBLEMS = "upload_problems"
#: (profile YAML, samples, seed, Sensitivity) of the session's last run with its own sample count
#: on the Sensitivity page: it stays on screen across reruns and is hidden once the profile
#: changes. Reports always carry the analysis's own stability summary.
LAST_SENSITIVITY_RUN = "sensitivity_last_run"
#: A message to show once, on the run after a change was applied.
FLASH = "flash"
#: The plotly template the library's figures are built with outside Streamlit (the CLI's).
LIBRARY_TEMPLATE = "plotly"

#: Every ASCII punctuation character: CommonMark lets a backslash make any of them literal.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")

log = logging.getLogger(__name__)


def literal(text: Any) -> str:
    """``text`` escaped so that Streamlit's Markdown shows it as typed, never as formatting.

    Profile and catalog text (an organisation, role or tier name) goes through this wherever
    Streamlit renders Markdown (``st.markdown``, ``st.caption``, messages, widget labels), so
    ``![t](https://…)`` is shown as those characters and no image is fetched. Line breaks
    become spaces: a name never starts a new Markdown block.

    >>> literal("**b** <i>")
    '\\\\*\\\\*b\\\\*\\\\* \\\\<i\\\\>'
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def use_library_chart_template() -> None:
    """Build every figure with the library's template, as the CLI does.

    Importing Streamlit makes its own theme plotly's default template, with placeholder colours
    (``#000001``…) that only Streamlit's front end replaces: a report exported from the app
    would draw every bar in near-black. Pages show figures with ``theme=None``, so what is on
    screen is what is exported.
    """
    pio.templates.default = LIBRARY_TEMPLATE


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    """The bundled catalog, loaded once per server: it is read-only and shared by all sessions."""
    return load_catalog()


@st.cache_data(max_entries=1, show_spinner=False)
def example_profile() -> Profile:
    """The bundled example profile every new session starts from."""
    return load_profile(catalog=catalog())


@st.cache_data(max_entries=32, show_spinner=False)
def analysis(profile_yaml: str) -> AnalysisResult:
    """:func:`analyzer.analysis.analyze` of the profile given as its YAML dump."""
    return analyze(parse_profile(profile_yaml, catalog(), source="<session>"), catalog())


def init() -> None:
    """Start a new session on the bundled example; show a message left by the previous run."""
    st.session_state.setdefault(PROFILE, example_profile())
    st.session_state.setdefault(GENERATION, 0)
    if message := st.session_state.pop(FLASH, None):
        st.toast(message)


def profile() -> Profile:
    """The session's current (last good) profile."""
    return st.session_state[PROFILE]


def profile_yaml() -> str:
    return dump_profile(profile())


def file_stem(profile: Profile) -> str:
    """The profile's name as a safe file name stem ("Acme Corp" -> "acme-corp")."""
    stem = "".join(c if c.isalnum() else "-" for c in profile.name.lower()).strip("-")
    return stem or "profile"


def key(name: str) -> str:
    """A form widget key tied to the current form generation."""
    return f"{name}-{st.session_state[GENERATION]}"


def show_problems(messages: Iterable[str], title: str) -> None:
    """One ``st.error`` listing every problem, so a user can fix them all at once.

    Messages quote what the user typed, so they are shown literally, never as Markdown.
    """
    lines = "\n".join(f"- {literal(message)}" for message in messages)
    st.error(f"**{literal(title)}**\n\n{lines}")


def trial_problems(candidate: Profile | dict[str, Any]) -> tuple[Profile | None, list[str]]:
    """Validate a proposed profile, then analyse it once (cached) so that it is known to run."""
    new, problems = candidate_problems(candidate, catalog())
    if new is None:
        return None, problems
    try:
        analysis(dump_profile(new))
    except Exception as exc:  # any failure rejects the candidate, with its reason
        log.info("candidate profile rejected by its trial analysis: %r", exc)
        return None, problem_messages(exc)
    return new, []


def apply_profile(
    candidate: Profile | dict[str, Any], what: str, *, refresh_forms: bool = False
) -> None:
    """Make ``candidate`` the session's profile if it is valid, else show why and keep the old.

    On success the script reruns so that the whole page, drawn from the old profile so far,
    shows the new one. ``refresh_forms`` also re-creates every form widget from the new profile
    (for values the user did not type into those widgets: an upload, a preset, a new edition).
    """
    new, problems = trial_problems(candidate)
    if new is None:
        show_problems(problems, "Not applied: the last good profile is kept.")
        return
    st.session_state[PROFILE] = new
    if refresh_forms:
        st.session_state[GENERATION] += 1
    st.session_state[FLASH] = f"{literal(what)} applied"
    st.rerun()


def profile_from_upload(data: bytes, source: str) -> Profile:
    """Parse an uploaded profile (at most ``MAX_YAML_BYTES``); raise InputError with every problem.

    The size limit and the ``line:col`` problems come from the strict YAML loader.
    """
    new = parse_profile(data, catalog(), source=source)
    analysis(dump_profile(new))
    return new


def accept_upload(data: bytes, source: str) -> list[str]:
    """Replace the session's profile by an upload; return the problems (empty when accepted).

    Any failure while reading a hostile file (bad bytes, deep nesting, huge numbers) is turned
    into a message and the session keeps its profile.
    """
    try:
        new = profile_from_upload(data, source)
    except Exception as exc:  # an upload must never crash the page
        log.info("upload %r rejected: %r", source, exc)
        return problem_messages(exc)
    st.session_state[PROFILE] = new
    st.session_state[GENERATION] += 1
    return []


def result() -> AnalysisResult:
    """The analysis of the session's profile; on an error, show it and stop the page."""
    try:
        return analysis(profile_yaml())
    except Exception as exc:  # shown to the user; the profile is unchanged
        log.exception("analysis failed")
        show_problems(problem_messages(exc), "The analysis could not run.")
        st.stop()


def sidebar_summary() -> None:
    """The current recommendation in the sidebar, so every page shows the effect of an edit."""
    try:
        current = analysis(profile_yaml())
        recommendation = current.recommendation
    except Exception:  # the page itself shows the error
        return
    with st.sidebar:
        st.caption(f"Profile: {literal(current.profile.name)}")
        st.markdown(f"**Recommended:** {literal(recommendation.label)}")
        row = current.scenarios.loc[recommendation.scenario_id]
        st.caption(
            f"{money(row['total'], current.profile.currency)} over "
            f"{current.profile.horizon_months} months"
        )


def run_page(page: Page) -> None:
    """Run the chosen page; turn any error into ``st.error``, never a raw traceback.

    The session's profile is only replaced by a validated one, so after an error the last good
    profile is still there and nothing the user applied is lost.
    """
    try:
        page.run()
    except Exception as exc:  # the page boundary: every error becomes a message
        log.exception("page %s failed", page.title)
        show_problems(
            problem_messages(exc), "This page could not be shown. Your profile is unchanged."
        )
