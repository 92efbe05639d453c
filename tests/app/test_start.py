"""The start page: explore the example, or build a profile from your contract step by step."""

from __future__ import annotations

import datetime as dt

from analyzer.profile import load_profile
from app_pages import state
from tests.app.conftest import by_label, errors, open_app, shown

START = "app_pages/start.py"


def test_a_new_session_opens_on_the_start_page_with_both_ways_in():
    at = open_app(None)
    assert at.title[0].value == "Stay, downgrade or switch your CRM?"
    assert by_label(at.button, "Start from your contract")
    assert by_label(at.button, "Explore the example")
    assert state.START_MODE not in at.session_state


def test_exploring_the_example_shows_compare_and_is_remembered():
    at = open_app(None)
    by_label(at.button, "Explore the example").click().run()
    assert not at.exception
    assert at.title[0].value == "Stay, downgrade or switch?"
    assert at.session_state[state.START_MODE] == "example"
    assert at.session_state[state.PROFILE] == load_profile()
    # Back on the start page, the choice is remembered and said.
    at.switch_page(START).run()
    assert any("You are exploring Acme Corp, a 115-seat" in shown(i.value) for i in at.info)


def fill_guided_start(at) -> None:
    """Globex: 120 Salesforce Enterprise seats at 160 a month, a term ending 2027-06-30."""
    by_label(at.text_input, "Organisation").set_value("Globex")
    by_label(at.selectbox, "Current CRM and edition").set_value(("salesforce", "enterprise"))
    by_label(at.number_input, "Seats paid for").set_value(120)
    by_label(at.number_input, "Net price per seat per month").set_value(160.0)
    by_label(at.date_input, "Current term ends on").set_value(dt.date(2027, 6, 30))
    by_label(at.number_input, "Notice (days before the end)").set_value(60)
    by_label(at.date_input, "Analysis start").set_value(dt.date(2027, 4, 1))
    by_label(at.number_input, "Sales reps: seats").set_value(80)
    by_label(at.number_input, "Support agents: seats").set_value(30)
    by_label(at.number_input, "Records to migrate").set_value(200_000)
    at.run()


def test_the_guided_start_goes_from_nothing_to_a_recommendation():
    at = open_app(None)
    by_label(at.button, "Start from your contract").click().run()
    # It starts empty: asking for a recommendation says what is missing.
    by_label(at.button, "Show my recommendation").click().run()
    shown_errors = errors(at)
    assert any("Current CRM and edition: choose one" in e for e in shown_errors), shown_errors
    assert any("give at least one kind of user some seats" in e for e in shown_errors)
    assert at.session_state[state.PROFILE] == load_profile()

    fill_guided_start(at)
    by_label(at.button, "Show my recommendation").click().run()
    assert not at.exception and not errors(at)
    assert at.title[0].value == "Stay, downgrade or switch?"
    profile = at.session_state[state.PROFILE]
    assert (profile.name, profile.current.tier) == ("Globex", "enterprise")
    assert [(role.name, role.seats) for role in profile.roles] == [
        ("Sales reps", 80),
        ("Support agents", 30),
    ]
    assert at.session_state[state.START_MODE] == "own"
    assert any(m.value.startswith("### Recommended:") for m in at.markdown)
    # 120 paid, 80 + 30 = 110 held by the roles: the gap is said on the recommendation.
    warnings = [shown(w.value) for w in at.main.warning]
    assert any("You pay for 120 seats and the roles hold 110" in text for text in warnings)
    # Deadline 2027-06-30 - 60 days = 2027-05-01, 30 days after 2027-04-01: within 60 days.
    assert any("Notice deadline in 30 days (2027-05-01)" in text for text in warnings)


def test_guided_answers_survive_leaving_the_page():
    at = open_app(None)
    by_label(at.button, "Start from your contract").click().run()
    by_label(at.number_input, "Seats paid for").set_value(75).run()
    at.switch_page("app_pages/catalog.py").run()
    at.switch_page(START).run()
    assert by_label(at.number_input, "Seats paid for").value == 75
