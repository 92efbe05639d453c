"""The exit plan as an iCalendar file (RFC 5545, DESIGN section 5b).

Every dated step of one scenario's exit plan becomes an all-day event whose summary names the
organisation. Tasks (every category but milestones) carry reminders 14 and 3 days before. The
UID is a hash of the organisation's name, the scenario id and the step, so importing a new
export of the same plan updates the events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar

from analyzer.analysis import AnalysisResult

REMINDER_DAYS = (14, 3)
"""Days before a deadline at which the calendar reminds."""

PRODID = "-//crm-exit-analyzer//exit plan//EN"
UID_DOMAIN = "crm-exit-analyzer"


def event_uid(profile_name: str, scenario_id: str, step: str) -> str:
    """A stable UID for one step: the same organisation, scenario and step give the same UID.

    >>> event_uid("Acme", "stay", "Hard notice deadline") == event_uid(
    ...     "Acme", "stay", "Hard notice deadline")
    True
    """
    key = "\x1f".join((profile_name, scenario_id, step)).encode("utf-8")
    return f"{hashlib.sha256(key).hexdigest()[:32]}@{UID_DOMAIN}"


def exit_plan_calendar(result: AnalysisResult, scenario_id: str | None = None) -> bytes:
    """The exit plan of ``scenario_id`` (default: the recommended one) as an ``.ics`` document.

    Parameters
    ----------
    result
        The analysis.
    scenario_id
        The scenario; an unknown id raises :class:`analyzer.errors.ScenarioError`.

    Returns
    -------
    bytes
        The calendar, UTF-8 with CRLF line ends; text is escaped by ``icalendar``.
    """
    sid = scenario_id or result.recommendation.scenario_id
    steps = result.exit_plan(sid)
    name = result.profile.name
    label = result.scenarios.loc[sid, "label"]
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{name}: {label}")
    stamp = dt.datetime.combine(result.profile.analysis_start, dt.time(), tzinfo=dt.UTC)
    for row in steps.itertuples(index=False):
        calendar.add_component(_event(row, name, sid, label, stamp))
    return calendar.to_ical()


def _event(row, name: str, sid: str, label: str, stamp: dt.datetime) -> icalendar.Event:
    """One all-day event for one exit-plan row, with reminders unless it is a milestone."""
    event = icalendar.Event()
    event.add("uid", event_uid(name, sid, row.step))
    # DTSTAMP is fixed by the analysis, not the clock: the same profile exports the same file.
    event.add("dtstamp", stamp)
    event.add("dtstart", row.date)
    event.add("dtend", row.date + dt.timedelta(days=1))
    event.add("summary", f"{name}: {row.step}")
    event.add(
        "description",
        f"{row.detail}\nWhy: {row.why}\nOwner: {row.owner}\nOption: {label}",
    )
    event.add("categories", [row.owner])
    event.add("transp", "TRANSPARENT")
    if row.category != "milestone":
        for days in REMINDER_DAYS:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{name}: {row.step} in {days} days")
            alarm.add("trigger", dt.timedelta(days=-days))
            event.add_component(alarm)
    return event
