"""Deadline banners and close calls wherever the recommendation appears."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from analyzer.catalog import load_catalog
from analyzer.profile import load_profile
from app_pages import state
from tests.app.conftest import by_label, open_app, profile_section, shown

#: The pages that show the recommendation or act on it.
RECOMMENDATION_PAGES = [
    "app_pages/compare.py",
    "app_pages/sensitivity.py",
    "app_pages/exit_plan.py",
    "app_pages/export.py",
]
# The example's term ends 2027-08-31 with 30 days' notice: the deadline is 2027-08-01.
DEADLINE = dt.date(2027, 8, 1)


def starting_on(start: dt.date):
    at = profile_section(open_app(), "Organisation")
    by_label(at.date_input, "Analysis start").set_value(start).run()
    assert at.session_state[state.PROFILE].analysis_start == start
    return at


def banners(elements) -> list[str]:
    return [shown(e.value) for e in elements if "Notice deadline" in shown(e.value)]


@pytest.mark.parametrize(
    ("start", "kind", "text"),
    [
        # 2027-07-01 to 2027-08-01: 31 days, inside 60, outside 30.
        (dt.date(2027, 7, 1), "warning", "Notice deadline in 31 days (2027-08-01)"),
        # 2027-07-20 to 2027-08-01: 12 days.
        (dt.date(2027, 7, 20), "error", "Notice deadline in 12 days (2027-08-01)"),
        # Nine days after the deadline: the running term renews.
        (dt.date(2027, 8, 10), "error", "Notice deadline missed. The notice deadline 2027-08-01"),
    ],
)
def test_a_deadline_banner_shows_on_every_page_with_the_recommendation(start, kind, text):
    at = starting_on(start)
    for page in RECOMMENDATION_PAGES:
        at.switch_page(page).run()
        assert not at.exception
        assert any(text in banner for banner in banners(getattr(at.main, kind))), page
        # And in the sidebar, beside the recommendation, on every page.
        assert any(text in banner for banner in banners(getattr(at.sidebar, kind))), page


def test_a_deadline_months_away_raises_no_banner():
    # The example starts 2026-12-01: 243 days before 2027-08-01.
    at = open_app()
    assert not banners(at.error) and not banners(at.warning)
    # The exit plan still says when it is.
    at.switch_page("app_pages/exit_plan.py").run()
    assert any("Notice deadline 2027-08-01: 243 days" in shown(c.value) for c in at.caption)


def test_the_banner_is_not_repeated_by_the_recommendations_own_warning():
    at = starting_on(dt.date(2027, 7, 20))
    at.switch_page("app_pages/compare.py").run()
    on_page = [shown(e.value) for e in [*at.main.error, *at.main.warning]]
    assert sum("2027-08-01" in text for text in on_page) == 1, on_page


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(-1, "passed"), (0, "within_30"), (29, "within_30"), (30, "within_60"), (60, "within_60")],
)
def test_deadline_alert_levels_follow_the_days_left(days_left, expected):
    catalog = load_catalog()
    profile = load_profile(catalog=catalog)
    start = DEADLINE - dt.timedelta(days=days_left)
    result = state.analysis(state.profile_key(profile.model_copy(update={"analysis_start": start})))
    assert result.notice_urgency.days_left == days_left or days_left < 0
    level, _ = state.deadline_alert(result)
    assert level == expected


def test_61_days_ahead_is_no_alert():
    profile = load_profile()
    start = DEADLINE - dt.timedelta(days=61)
    result = state.analysis(state.profile_key(profile.model_copy(update={"analysis_start": start})))
    assert state.deadline_alert(result) is None


def test_a_close_call_names_its_contenders():
    labels = pd.Series({"stay": "Stay", "a": "Right-size", "b": "Switch to Zoho"}, name="label")
    result = SimpleNamespace(
        recommendation=SimpleNamespace(contenders=("a", "b")),
        scenarios=pd.DataFrame({"label": labels}),
    )
    assert state.close_call_note(result) == (
        "Close call: Right-size and Switch to Zoho are nearly tied; treat them as equals and "
        "let the details decide."
    )
    result.recommendation.contenders = ()
    assert state.close_call_note(result) is None
