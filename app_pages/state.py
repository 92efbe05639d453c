"""Session state and the cached analyzer calls shared by every page.

The session holds one :class:`~analyzer.profile.Profile` (the last good one: an edit or an upload
that fails validation never replaces it) with its key, a JSON dump made once per profile.
Analyzer calls are cached by that key, which round-trips exactly, so two sessions with the same
inputs share one result object (a cache resource: it is read, never changed, so no copy is made
per rerun). Every edit applies as soon as it is made; the profiles it replaced are kept for undo.
The rules behind an edit live in :mod:`analyzer.profile_edits`; this module only keeps the
session, the caches and the page boundary that turns any error into a message.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from streamlit.navigation.page import Page

from analyzer.analysis import AnalysisResult, analyze
from analyzer.catalog import Catalog, load_catalog
from analyzer.formatting import money
from analyzer.profile import Profile, load_profile, parse_profile
from analyzer.profile_edits import candidate_problems, problem_messages

PROFILE = "profile"
#: (profile, its key): the cache key of the profile's analysis, made once per profile.
PROFILE_KEY = "profile_key"
#: The profiles replaced by edits, newest last, for "Undo".
HISTORY = "profile_history"
#: How many edits can be undone.
HISTORY_SIZE = 20
#: Problems of the last rejected edit of each form group: group -> (widget key, messages).
FIELD_PROBLEMS = "field_problems"
#: How the session started: "own" (the guided start) or "example"; unset until chosen.
START_MODE = "start_mode"
#: Values built for the session's current result: (profile key, name, arguments) -> value.
PER_RESULT = "per_result"
#: How many such values a session keeps before starting afresh.
PER_RESULT_SIZE = 64
#: The page shown by the previous run, to notice a navigation.
LAST_PAGE = "last_page"
#: Below this width Streamlit lays the app out for a phone (its theme's "md" breakpoint).
PHONE_MAX_WIDTH_PX = 767
#: Run in the browser after a navigation: on a phone the open sidebar covers the whole page,
#: and Streamlit leaves it open after a page link in it is tapped.
_COLLAPSE_SIDEBAR_ON_PHONE = """<script>
/* {page} */
if (window.matchMedia("(max-width: {width}px)").matches) {{
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const collapse = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (sidebar && sidebar.getAttribute("data-collapsed") === "false" && collapse) {{
    collapse.click();
  }}
}}
</script>"""
#: A notice deadline this many days or fewer after the analysis start gets a banner.
DEADLINE_BANNER_DAYS = 60
#: Bumped when the profile is replaced wholesale (upload, preset, product change) so that every
#: form widget is created afresh from the new profile instead of keeping its old value.
GENERATION = "form_generation"
UPLOAD_PROBLEMS = "upload_problems"
#: (profile key, samples, seed, Sensitivity) of the session's last run with its own sample count
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
    screen is what is exported. Setting the default validates a copy of the whole template
    (about 25 ms), so it is set only when it differs: Streamlit changes it once, on import.
    """
    if pio.templates.default != LIBRARY_TEMPLATE:
        pio.templates.default = LIBRARY_TEMPLATE


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    """The bundled catalog, loaded once per server: it is read-only and shared by all sessions."""
    return load_catalog()


@st.cache_data(max_entries=1, show_spinner=False)
def example_profile() -> Profile:
    """The bundled example profile every new session starts from."""
    return load_profile(catalog=catalog())


def profile_key(profile: Profile) -> str:
    """The key the analysis of ``profile`` is cached by: its JSON dump (pydantic's, about 20 µs
    where the YAML dump takes 5 ms), which :func:`analysis` reads back to an equal profile."""
    return profile.model_dump_json()


@st.cache_resource(max_entries=32, show_spinner=False)
def analysis(key: str) -> AnalysisResult:
    """:func:`analyzer.analysis.analyze` of the profile given as its :func:`profile_key`.

    The profile is validated afresh from the key, so a profile assembled in memory is checked
    by its model before it is analysed. A cache resource, not cache data: the result is never
    changed, so every rerun reads the same object instead of unpickling a copy.
    """
    return analyze(Profile.model_validate_json(key), catalog())


def init() -> None:
    """Start a new session on the bundled example; show a message left by the previous run."""
    if PROFILE not in st.session_state:
        set_profile(example_profile(), keep_history=False)
    st.session_state.setdefault(GENERATION, 0)
    st.session_state.setdefault(HISTORY, [])
    st.session_state.setdefault(FIELD_PROBLEMS, {})
    if message := st.session_state.pop(FLASH, None):
        st.toast(message)


def profile() -> Profile:
    """The session's current (last good) profile."""
    return st.session_state[PROFILE]


def current_key() -> str:
    """The :func:`profile_key` of the session's profile, made once per profile, not per rerun."""
    current = profile()
    keyed = st.session_state.get(PROFILE_KEY)
    if keyed is None or keyed[0] is not current:
        keyed = (current, profile_key(current))
        st.session_state[PROFILE_KEY] = keyed
    return keyed[1]


def set_profile(new: Profile, *, keep_history: bool = True) -> None:
    """Make ``new`` the session's profile; the one it replaces can be restored by :func:`undo`."""
    if keep_history and PROFILE in st.session_state:
        history = st.session_state.setdefault(HISTORY, [])
        history.append(st.session_state[PROFILE])
        del history[:-HISTORY_SIZE]
    st.session_state[PROFILE] = new


def undo() -> None:
    """Button callback: restore the profile the last edit replaced, and redraw every field."""
    history = st.session_state.get(HISTORY)
    if not history:
        return
    set_profile(history.pop(), keep_history=False)
    st.session_state[FIELD_PROBLEMS] = {}
    st.session_state[GENERATION] += 1
    st.session_state[FLASH] = "Last change undone"


def undo_button(where: str) -> None:
    """An "Undo last change" button, disabled when there is nothing to undo."""
    history = st.session_state.get(HISTORY, [])
    st.button(
        "Undo last change",
        key=f"undo_{where}",
        icon=":material/undo:",
        on_click=undo,
        disabled=not history,
        help=f"{len(history)} change(s) can be undone" if history else "Nothing to undo yet",
    )


def per_result(name: str, build: Callable[..., Any], *args: Any) -> Any:
    """``build(result, *args)`` for the session's current result, built once per result.

    For figures and other values a page draws from the result alone: a rerun that changes
    neither the profile nor ``args`` reuses them.
    """
    built = st.session_state.setdefault(PER_RESULT, {})
    cache_key = (current_key(), name, *args)
    if len(built) > PER_RESULT_SIZE:
        built.clear()
    if cache_key not in built:
        built[cache_key] = build(result(), *args)
    return built[cache_key]


class DrawnFigure(go.Figure):
    """A finished figure, serialized once: ``st.plotly_chart`` asks every figure for its dict (a
    deep copy of its data and of plotly's whole template, 2-5 ms) on every rerun.

    Made from a figure that is never changed afterwards; :meth:`to_dict` returns the dict the
    figure itself gave, so the chart drawn is exactly the figure built.
    """

    def __init__(self, figure: go.Figure) -> None:
        drawn = figure.to_dict()
        # Already validated by ``figure``: not validated again.
        super().__init__(drawn, _validate=False)
        self._drawn = drawn

    def to_dict(self) -> dict[str, Any]:
        return self._drawn


def chart(name: str, build: Callable[..., go.Figure], *args: Any, key: str) -> None:
    """Draw ``build(result, *args)`` for the session's result, built and serialized once per
    result and arguments (see :func:`per_result`), in the library's colours (``theme=None``)."""
    figure = per_result(name, lambda result, *rest: DrawnFigure(build(result, *rest)), *args)
    st.plotly_chart(figure, key=key, theme=None)


def file_stem(profile: Profile) -> str:
    """The profile's name as a safe file name stem ("Acme Corp" -> "acme-corp")."""
    stem = "".join(c if c.isalnum() else "-" for c in profile.name.lower()).strip("-")
    return stem or "profile"


def key(name: str) -> str:
    """A form widget key tied to the current form generation."""
    return f"{name}-{st.session_state[GENERATION]}"


def edit_group(
    group: str,
    trigger: str,
    candidate: Callable[[], Profile | dict[str, Any]],
    what: str,
    *,
    refresh_forms: bool = False,
) -> bool:
    """Apply the edited group at once, or keep its problems for the field; True if applied.

    ``candidate`` builds the proposed profile from the group's widget values in the session
    state. A valid one becomes the session's profile (undoable); an invalid one leaves the
    profile as it was and its problems are shown next to ``trigger``, the widget just changed.
    """
    problems = st.session_state.setdefault(FIELD_PROBLEMS, {})
    try:
        proposed = candidate()
    except Exception as exc:  # a value the form cannot even assemble: said next to the field
        problems[group] = (trigger, problem_messages(exc))
        return False
    new, messages = trial_problems(proposed)
    if new is None:
        problems[group] = (trigger, messages)
        return False
    problems.pop(group, None)
    if new != profile():
        set_profile(new)
        st.session_state[FLASH] = f"{literal(what)} applied"
    if refresh_forms:
        st.session_state[GENERATION] += 1
    return True


def field_problems(group: str, widget_key: str, where: Any = st) -> None:
    """Under a field: why its group's last edit was not applied, if this field made it."""
    trigger, messages = st.session_state.get(FIELD_PROBLEMS, {}).get(group, (None, []))
    if trigger == widget_key and messages:
        show_problems(
            messages, "Not applied: the analysis still uses the previous value.", where=where
        )


def value(name: str) -> Any:
    """The current value of the form widget ``name`` (see :func:`key`)."""
    return st.session_state[key(name)]


def field(
    widget: str,
    label: str,
    name: str,
    group: str,
    candidate: Callable[[], Profile | dict[str, Any]],
    *args: Any,
    where: Any = st,
    refresh_forms: bool = False,
    **kwargs: Any,
) -> Any:
    """A form widget that applies its group's edit on change, with its problems beneath it.

    ``widget`` names the Streamlit element (``"number_input"``…) drawn in ``where`` (``st`` or a
    column); ``candidate`` builds the proposed profile from the group's values (:func:`value`).
    """
    widget_key = key(name)
    shown = getattr(where, widget)(
        label,
        *args,
        key=widget_key,
        on_change=edit_group,
        args=(group, widget_key, candidate, label),
        kwargs={"refresh_forms": refresh_forms},
        **kwargs,
    )
    field_problems(group, widget_key, where)
    return shown


def table(
    what: str,
    name: str,
    group: str,
    candidate: Callable[[], Profile | dict[str, Any]],
    data: pd.DataFrame,
    **kwargs: Any,
) -> None:
    """A data editor whose edits apply as they are made, with its problems beneath it.

    The edits are read from the editor's session-state value (``edited_rows``, ``added_rows``,
    ``deleted_rows``) on the run they arrive in: applied, the table is drawn afresh from the new
    profile; rejected, they stay in the table with the reason until fixed or undone.
    """
    widget_key = key(name)
    st.data_editor(data, key=widget_key, **kwargs)
    edits = st.session_state.get(widget_key) or {}
    if not any(edits.get(part) for part in ("edited_rows", "added_rows", "deleted_rows")):
        return
    if edit_group(group, widget_key, candidate, what, refresh_forms=True):
        st.rerun()
    field_problems(group, widget_key)


def show_problems(messages: Iterable[str], title: str, where: Any = st) -> None:
    """One ``st.error`` listing every problem, so a user can fix them all at once.

    Messages quote what the user typed, so they are shown literally, never as Markdown.
    """
    lines = "\n".join(f"- {literal(message)}" for message in messages)
    where.error(f"**{literal(title)}**\n\n{lines}")


def trial_problems(candidate: Profile | dict[str, Any]) -> tuple[Profile | None, list[str]]:
    """Validate a proposed profile, then analyse it once (cached) so that it is known to run."""
    new, problems = candidate_problems(candidate, catalog())
    if new is None:
        return None, problems
    try:
        analysis(profile_key(new))
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
    set_profile(new)
    if refresh_forms:
        st.session_state[GENERATION] += 1
    st.session_state[FLASH] = f"{literal(what)} applied"
    st.rerun()


def profile_from_upload(data: bytes, source: str) -> Profile:
    """Parse an uploaded profile (at most ``MAX_YAML_BYTES``); raise InputError with every problem.

    The size limit and the ``line:col`` problems come from the strict YAML loader.
    """
    new = parse_profile(data, catalog(), source=source)
    analysis(profile_key(new))
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
    set_profile(new)
    st.session_state[GENERATION] += 1
    return []


def result() -> AnalysisResult:
    """The analysis of the session's profile; on an error, show it and stop the page."""
    try:
        return analysis(current_key())
    except Exception as exc:  # shown to the user; the profile is unchanged
        log.exception("analysis failed")
        show_problems(problem_messages(exc), "The analysis could not run.")
        st.stop()


def display_name(profile: Profile) -> str:
    """The organisation's name as shown, or a placeholder when it is blank."""
    return profile.name.strip() or "Unnamed organisation"


def deadline_alert(result: AnalysisResult) -> tuple[str, str] | None:
    """The notice deadline as a banner: ("passed" | "within_30" | "within_60", message).

    A passed deadline of the running term comes from the result's ``deadline_passed`` warning
    (the analysis has moved on to the next term); otherwise the urgency of the deadline that can
    still be met decides: passed, within :data:`~analyzer.warning_rules.NEAR_DEADLINE_DAYS`
    days, or within :data:`DEADLINE_BANNER_DAYS` days of the analysis start. None otherwise.
    """
    warnings = result.warnings
    # A dozen rows: a list, where a pandas mask costs ~1.5 ms on every rerun.
    passed = [
        message
        for kind, message in zip(warnings["kind"], warnings["message"], strict=True)
        if kind == "deadline_passed"
    ]
    urgency = result.notice_urgency
    if passed:
        return "passed", f"Notice deadline missed. {passed[0]}"
    if urgency.level == "passed":
        return (
            "passed",
            f"Notice deadline missed: {urgency.deadline} was {-urgency.days_left} days before "
            "the analysis start. The contract renews; any change waits for the next term.",
        )
    if urgency.level == "near":
        return (
            "within_30",
            f"Notice deadline in {urgency.days_left} days ({urgency.deadline}): send written "
            "notice now, or the contract renews on its terms.",
        )
    if urgency.days_left <= DEADLINE_BANNER_DAYS:
        return (
            "within_60",
            f"Notice deadline in {urgency.days_left} days ({urgency.deadline}): decide and "
            "prepare the notice within the next weeks.",
        )
    return None


def deadline_banner(result: AnalysisResult) -> str | None:
    """Show :func:`deadline_alert` as a banner; return its message (None when there is none)."""
    alert = deadline_alert(result)
    if alert is None:
        return None
    level, message = alert
    if level == "within_60":
        st.warning(literal(message), icon=":material/schedule:")
    else:
        st.error(literal(message), icon=":material/alarm:")
    return message


def close_call_note(result: AnalysisResult) -> str | None:
    """When the winner is not a clear one, the options it is close to, in words."""
    contenders = result.recommendation.contenders
    if not contenders:
        return None
    labels = result.scenarios["label"]
    return (
        "Close call: "
        + " and ".join(str(labels[sid]) for sid in contenders)
        + " are nearly tied; treat them as equals and let the details decide."
    )


def sidebar_summary() -> None:
    """The current recommendation in the sidebar, so every page shows the effect of an edit."""
    try:
        current = analysis(current_key())
        recommendation = current.recommendation
    except Exception:  # the page itself shows the error
        return
    with st.sidebar:
        st.caption(f"Profile: {literal(display_name(current.profile))}")
        st.markdown(f"**Recommended:** {literal(recommendation.label)}")
        if recommendation.contenders:
            st.caption("A close call: see Compare.")
        row = current.scenarios.loc[recommendation.scenario_id]
        st.caption(
            f"{money(row['total'], current.profile.currency)} over "
            f"{current.profile.horizon_months} months"
        )
        alert = deadline_alert(current)
        if alert is not None:
            level, message = alert
            (st.warning if level == "within_60" else st.error)(literal(message))
        undo_button("sidebar")


def collapse_sidebar_on_phone(page_path: str) -> None:
    """Close the sidebar after a navigation when the screen is a phone's.

    The script names the page so that each navigation draws a new element and runs it once.
    """
    st.html(
        _COLLAPSE_SIDEBAR_ON_PHONE.format(page=page_path or "home", width=PHONE_MAX_WIDTH_PX),
        unsafe_allow_javascript=True,
        width="content",
    )


def run_page(page: Page) -> None:
    """Run the chosen page; turn any error into ``st.error``, never a raw traceback.

    The session's profile is only replaced by a validated one, so after an error the last good
    profile is still there and nothing the user applied is lost.
    """
    if st.session_state.get(LAST_PAGE) not in (None, page.url_path):
        collapse_sidebar_on_phone(page.url_path)
    st.session_state[LAST_PAGE] = page.url_path
    try:
        page.run()
    except Exception as exc:  # the page boundary: every error becomes a message
        log.exception("page %s failed", page.title)
        show_problems(
            problem_messages(exc), "This page could not be shown. Your profile is unchanged."
        )
