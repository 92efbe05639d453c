"""Session state and the cached analyzer calls shared by every page.

The session holds one :class:`~analyzer.profile.Profile` (the last good one: a form or an upload
that fails validation never replaces it). Analyzer calls are cached by the profile's YAML dump,
which is hashable and round-trips exactly, so two sessions with the same inputs share a result.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import streamlit as st
from pydantic import ValidationError
from streamlit.navigation.page import Page

from analyzer.analysis import AnalysisResult, analyze
from analyzer.catalog import Catalog, load_catalog
from analyzer.errors import AnalyzerError, InputError
from analyzer.formatting import money
from analyzer.profile import Profile, check_profile, dump_profile, load_profile, parse_profile

PROFILE = "profile"
#: Bumped when the profile is replaced wholesale (upload, preset, product change) so that every
#: form widget is created afresh from the new profile instead of keeping its old value.
GENERATION = "form_generation"
UPLOAD_PROBLEMS = "upload_problems"
#: (profile YAML, samples, seed, Sensitivity) of the session's last sensitivity run: it stays on
#: screen across reruns, is hidden once the profile changes, and goes into the exported reports.
LAST_SENSITIVITY_RUN = "sensitivity_last_run"
#: A message to show once, on the run after a change was applied.
FLASH = "flash"

#: AnalysisResult properties every page reads. ``st.cache_data`` pickles the value it caches,
#: so computing them before returning stores them too: a rerun then unpickles them (a few ms)
#: instead of recomputing them (about 100 ms).
WARM_PROPERTIES = (
    "monthly",
    "cumulative",
    "scenarios",
    "recommendation",
    "licenses",
    "fit_detail",
    "key_dates_frame",
)

log = logging.getLogger(__name__)


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
    result = analyze(parse_profile(profile_yaml, catalog(), source="<session>"), catalog())
    for name in WARM_PROPERTIES:
        getattr(result, name)
    return result


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
    """One ``st.error`` listing every problem, so a user can fix them all at once."""
    lines = "\n".join(f"- `{message}`" for message in messages)
    st.error(f"**{title}**\n\n{lines}")


def error_messages(exc: AnalyzerError | ValidationError) -> list[str]:
    """Human messages of an analyzer or pydantic error, each naming the field at fault."""
    if isinstance(exc, InputError):
        return [str(problem) for problem in exc.problems]
    if isinstance(exc, ValidationError):
        return [
            f"{'.'.join(map(str, error['loc']))}: {error['msg'].removeprefix('Value error, ')}"
            for error in exc.errors()
        ]
    return [str(exc)]


def candidate_problems(candidate: Profile | dict[str, Any]) -> tuple[Profile | None, list[str]]:
    """Validate a proposed profile fully: model, catalog references and a trial analysis."""
    try:
        new = candidate if isinstance(candidate, Profile) else Profile.model_validate(candidate)
    except ValidationError as exc:
        return None, error_messages(exc)
    problems = [str(problem) for problem in check_profile(new, catalog())]
    if problems:
        return None, problems
    try:
        analysis(dump_profile(new))
    except AnalyzerError as exc:
        return None, error_messages(exc)
    return new, []


def apply_profile(
    candidate: Profile | dict[str, Any], what: str, *, refresh_forms: bool = False
) -> None:
    """Make ``candidate`` the session's profile if it is valid, else show why and keep the old.

    On success the script reruns so that the whole page, drawn from the old profile so far,
    shows the new one. ``refresh_forms`` also re-creates every form widget from the new profile
    (for values the user did not type into those widgets: an upload, a preset, a new edition).
    """
    new, problems = candidate_problems(candidate)
    if new is None:
        show_problems(problems, "Not applied: the last good profile is kept.")
        return
    st.session_state[PROFILE] = new
    if refresh_forms:
        st.session_state[GENERATION] += 1
    st.session_state[FLASH] = f"{what} applied"
    st.rerun()


def profile_from_upload(data: bytes, source: str) -> Profile:
    """Parse an uploaded profile (at most ``MAX_YAML_BYTES``); raise InputError with every problem.

    The size limit and the ``line:col`` problems come from the strict YAML loader.
    """
    new = parse_profile(data, catalog(), source=source)
    analysis(dump_profile(new))
    return new


def accept_upload(data: bytes, source: str) -> list[str]:
    """Replace the session's profile by an upload; return the problems (empty when accepted)."""
    try:
        new = profile_from_upload(data, source)
    except AnalyzerError as exc:
        return error_messages(exc)
    st.session_state[PROFILE] = new
    st.session_state[GENERATION] += 1
    return []


def result() -> AnalysisResult:
    """The analysis of the session's profile; on an analyzer error, show it and stop the page."""
    try:
        return analysis(profile_yaml())
    except AnalyzerError as exc:
        show_problems(error_messages(exc), "The analysis could not run.")
        st.stop()


def scenario_label(result: AnalysisResult, scenario_id: str) -> str:
    return str(result.scenarios.loc[scenario_id, "label"])


def sidebar_summary() -> None:
    """The current recommendation in the sidebar, so every page shows the effect of an edit."""
    try:
        current = analysis(profile_yaml())
    except AnalyzerError:
        return
    recommendation = current.recommendation
    with st.sidebar:
        st.caption(f"Profile: **{current.profile.name}**")
        st.markdown(f"**Recommended:** {recommendation.label}")
        row = current.scenarios.loc[recommendation.scenario_id]
        st.caption(
            f"{money(row['total'], current.profile.currency)} over "
            f"{current.profile.horizon_months} months"
        )


def run_page(page: Page) -> None:
    """Run the chosen page; turn any error into ``st.error``, never a raw traceback."""
    try:
        page.run()
    except AnalyzerError as exc:
        show_problems(error_messages(exc), "The analyzer rejected this input.")
    except Exception as exc:
        # The full traceback goes to the server log for a developer; the user gets a message.
        log.exception("page %s failed", page.title)
        st.error(f"Something went wrong on this page: {exc}. Your profile is unchanged.")
