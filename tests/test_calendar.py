"""The exit plan as an iCalendar file: read back with vobject, a parser independent of the
``icalendar`` library that writes it."""

import datetime as dt

import pytest
import vobject
import yaml

from analyzer import exit_plan
from analyzer.analysis import analyze
from analyzer.calendar import REMINDER_DAYS, exit_plan_calendar
from analyzer.cli import main
from analyzer.errors import ScenarioError
from analyzer.profile import parse_profile
from analyzer.resources import example_profile


@pytest.fixture(scope="module")
def result(catalog):
    return analyze(parse_profile(example_profile().read_text(), catalog), catalog, samples=0)


def events(ics: bytes):
    calendar = vobject.readOne(ics.decode("utf-8"))
    return list(calendar.vevent_list)


def test_one_all_day_event_per_step_with_the_plan_dates(result):
    sid = result.recommendation.scenario_id
    plan = exit_plan(result, sid)
    parsed = events(exit_plan_calendar(result))
    assert len(parsed) == len(plan)
    name = result.profile.name
    shown = sorted((e.dtstart.value, e.summary.value) for e in parsed)
    expected = sorted(zip(plan["date"], [f"{name}: {s}" for s in plan["step"]], strict=True))
    assert shown == expected
    for event in parsed:
        # All-day: a DATE (not a DATE-TIME) start, ending the next day.
        assert type(event.dtstart.value) is dt.date
        assert event.dtend.value == event.dtstart.value + dt.timedelta(days=1)


def test_reminders_14_and_3_days_before_each_task_not_milestones(result):
    sid = "switch:odoo/standard"
    plan = exit_plan(result, sid).set_index("step")
    for event in events(exit_plan_calendar(result, sid)):
        step = event.summary.value.split(": ", 1)[1]
        triggers = sorted(alarm.trigger.value for alarm in getattr(event, "valarm_list", []))
        if plan.loc[step, "category"] == "milestone":
            assert triggers == []
        else:
            assert triggers == [dt.timedelta(days=-14), dt.timedelta(days=-3)]
    assert REMINDER_DAYS == (14, 3)


def test_uids_are_stable_unique_and_depend_on_profile_and_step(catalog, result):
    sid = "switch:odoo/standard"
    first = [e.uid.value for e in events(exit_plan_calendar(result, sid))]
    again = analyze(parse_profile(example_profile().read_text(), catalog), catalog, samples=0)
    assert [e.uid.value for e in events(exit_plan_calendar(again, sid))] == first
    assert len(set(first)) == len(first)
    # Another scenario of the same profile shares no UID with this one.
    stay = {e.uid.value for e in events(exit_plan_calendar(result, "stay"))}
    assert not stay & set(first)


def test_text_is_escaped_and_the_name_is_in_every_summary(catalog):
    data = yaml.safe_load(example_profile().read_text())
    data["name"] = "Acme, Inc.; EU\\West"
    result = analyze(parse_profile(yaml.safe_dump(data), catalog), catalog, samples=0)
    ics = exit_plan_calendar(result)
    # RFC 5545 section 3.3.11: comma, semicolon and backslash are escaped in TEXT.
    assert b"SUMMARY:Acme\\, Inc.\\; EU\\\\West: " in ics
    parsed = events(ics)
    assert all(e.summary.value.startswith("Acme, Inc.; EU\\West: ") for e in parsed)
    # The other parser reads back the multi-line description with its owner and reason.
    assert all("\nWhy: " in e.description.value for e in parsed)
    assert all(line.endswith(b"\r") for line in ics.split(b"\n")[:-1])


def test_unknown_scenario_is_a_clear_error(result):
    with pytest.raises(ScenarioError, match="unknown option 'switch:nope/nope'"):
        exit_plan_calendar(result, "switch:nope/nope")


def test_cli_writes_the_recommended_plan(tmp_path, result, capsys):
    out = tmp_path / "plan.ics"
    assert main(["calendar", "-o", str(out)]) == 0
    parsed = events(out.read_bytes())
    plan = exit_plan(result, result.recommendation.scenario_id)
    assert sorted(e.dtstart.value for e in parsed) == sorted(plan["date"])
    # The same command again refuses to overwrite, then overwrites with --force, same UIDs.
    assert main(["calendar", "-o", str(out)]) == 2
    assert "exists; add --force" in capsys.readouterr().err
    assert main(["calendar", "-o", str(out), "--force", "--scenario", "stay"]) == 0
    stay = events(out.read_bytes())
    assert len(stay) == len(exit_plan(result, "stay"))


def test_cli_unknown_scenario_exits_2_with_a_message(tmp_path, capsys):
    out = tmp_path / "plan.ics"
    assert main(["calendar", "--scenario", "switch:nope/nope", "-o", str(out)]) == 2
    assert "unknown option 'switch:nope/nope'" in capsys.readouterr().err
    assert not out.exists()
