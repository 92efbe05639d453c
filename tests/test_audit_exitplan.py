"""An independent audit of DESIGN section 5b (key dates, the exit plan, the calendar).

The reference below is written from DESIGN's text alone, with plain ``datetime`` arithmetic,
and compared with the program on hand-picked boundaries and on a bounded family of profiles.
The rules, in the words used here (X: exit date, N: notice deadline, A: analysis start, E: the
end, last day, of the term the scenario acts on):

- X = E + 1 for a normal exit, the early-exit date otherwise; access ends on X.
- N = E - notice_days for a normal exit; X - notice_days for an early exit, or A when that is
  already past ("act now").
- The renewal window opens on E - 90. The recommended notice is N - 30, never before the
  renewal window nor before A. Where the window opens after N (notice over 90 days) no day
  in the window is on or before N: the notice goes on N (DESIGN does not say; see the report).
- Chase the confirmation 14 days after the notice is sent; escalate on N - 7.
- Baseline export at the project start (A); the final export at cutover (when the old system
  is last needed) but at least one export cycle + 7 days before X (cycle: 7 days in
  Enterprise and above, 29 in other editions; the catalog's ``export_every_days``).
- Users are frozen when the old system is last needed, deactivated after the verified export.
- Missing data is requested within ``data_return_days`` of X; the first two invoice dates the
  old contract would have had from X on are checked.
- Stay: renewal window, negotiation pack by N - 30, N. A downgrade: backup before the change,
  the change on X.
- No date before A without "Overdue".
- Calendar: all-day events, reminders 14 and 3 days before each deadline, stable UIDs.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

import pytest
import vobject
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.analysis import analyze
from analyzer.calendar import exit_plan_calendar
from analyzer.profile import parse_profile
from analyzer.resources import example_profile
from tests.conftest import GOLDEN
from tests.conftest import golden_profile as profile

D = dt.date
DAY = dt.timedelta(days=1)
SWITCH = "switch:target/standard"
DOWNGRADE = "downgrade:legacy/enterprise"
GOLDEN_EXPORT_CYCLE = 29
"""The golden catalog's tiers publish no ``export_every_days``: "other editions", 29 days."""


# --- The reference, from DESIGN's text ------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, kept inside a shorter month (Jan 31 + 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_calendar.monthrange(year, month + 1)[1]
    return D(year, month + 1, min(day.day, last))


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def terms(contract) -> list[tuple[dt.date, dt.date]]:
    """The current term and its renewals, (first day, last day), far enough for any plan."""
    chain = [(contract.start, contract.end)]
    while len(chain) < 40:
        start = chain[-1][1] + DAY
        chain.append((start, add_months(start, contract.renewal_term_months) - DAY))
    return chain


def invoice_dates(p) -> list[dt.date]:
    """Every invoice date of the old contract kept forever: annual on the first day of each
    12-month period of a term, monthly on each month of it."""
    step = 12 if p.current.billing == "annual" else 1
    dates = []
    for start, end in terms(p.current.contract):
        k = 0
        while (day := add_months(start, k)) <= end:
            dates.append(day)
            k += step
    return dates


def changeable_term(p) -> tuple[dt.date, dt.date]:
    """The first term whose notice deadline is on or after the analysis start."""
    n = p.current.contract.notice_days
    return next(t for t in terms(p.current.contract) if t[1] - days(n) >= p.analysis_start)


def needed_until(p) -> dt.date:
    """Go-live (``months`` after the start) + the overlap: the day the old system is no longer
    needed, so the earliest day access may end."""
    go_live = add_months(p.analysis_start, p.migration.months)
    return add_months(go_live, p.migration.overlap_months)


def switch_exit_term(p) -> tuple[dt.date, dt.date]:
    """A normal exit: the first term ending on or after the day before the old system is no
    longer needed (so X >= that day) whose deadline is on or after the analysis start."""
    n = p.current.contract.notice_days
    until = needed_until(p)
    return next(
        t
        for t in terms(p.current.contract)
        if t[1] + DAY >= until and t[1] - days(n) >= p.analysis_start
    )


def notice_dates(p, term_end: dt.date | None, exit_day: dt.date) -> dict[str, dt.date]:
    """N, the recommended notice, the chase and the escalation. ``term_end`` is None for an
    early exit on ``exit_day``."""
    a, n = p.analysis_start, p.current.contract.notice_days
    if term_end is None:
        deadline = max(exit_day - days(n), a)
        recommended = max(deadline - days(30), a)
    else:
        deadline = term_end - days(n)
        window = term_end - days(90)
        recommended = max(min(max(deadline - days(30), window), deadline), a)
    chase = recommended + days(14)
    return {
        "deadline": deadline,
        "recommended": recommended,
        "chase": chase,
        "escalate": deadline - days(7),
    }


def after_exit_invoices(p, exit_day: dt.date) -> list[dt.date]:
    """The first two invoice dates the old contract would have had from ``exit_day`` on."""
    return [d for d in invoice_dates(p) if d >= exit_day][:2]


def steps(result, sid) -> dict[str, dt.date]:
    """Step -> date of one scenario's plan (every step name is unique in a plan)."""
    plan = result.exit_plan(sid)
    assert plan["step"].is_unique, sid
    return dict(zip(plan["step"], plan["date"], strict=True))


def key_dates(result, sid) -> dict[str, dt.date]:
    rows = result.scenario_key_dates(sid)
    return dict(zip(rows["event_id"], rows["date"], strict=True))


# --- The reference against the program -----------------------------------------------------


def check_stay(result) -> None:
    p = result.profile
    start, end = changeable_term(p)
    ref = notice_dates(p, end, end + DAY)
    got = steps(result, "stay")
    assert got["Hard notice deadline"] == ref["deadline"]
    assert got["Renewal window opens"] == end - days(90)
    # "the negotiation pack ready by N - 30", dated on the start when that has passed.
    assert got["Negotiation pack ready"] == max(ref["deadline"] - days(30), p.analysis_start)
    dates = key_dates(result, "stay")
    assert (dates["term_start"], dates["term_end"]) == (start, end)
    assert dates["notice_deadline"] == ref["deadline"]
    assert dates["recommended_notice"] == ref["recommended"]


def check_notice_steps(got: dict, ref: dict, send_step: str) -> None:
    assert got["Hard notice deadline"] == ref["deadline"]
    assert got[send_step] == ref["recommended"]
    assert got["Chase the written confirmation"] == ref["chase"]
    if ref["escalate"] > ref["chase"]:
        # DESIGN: "if none by N - 7, escalate". Only where N - 7 comes after the chase is the
        # sentence unambiguous (otherwise the escalation would precede the chase).
        assert got["Escalate if not confirmed"] == ref["escalate"]
    else:
        assert got["Escalate if not confirmed"] > ref["chase"]


def check_downgrade(result, cycle: int) -> None:
    p = result.profile
    _, end = changeable_term(p)
    x = end + DAY
    ref = notice_dates(p, end, x)
    got = steps(result, DOWNGRADE)
    check_notice_steps(got, ref, "Send written seat and edition reduction notice (recommended)")
    assert got["Renewal window opens"] == end - days(90)
    assert got["Downgrade takes effect"] == x
    # The backup before the change: one export cycle + 7 days before the change.
    assert got["Final full data export"] == x - days(cycle + 7)
    assert got["Verify the export"] > got["Final full data export"]
    assert got["Check the first invoice"] == after_exit_invoices(p, x)[0]
    dates = key_dates(result, DOWNGRADE)
    assert dates["effective"] == x
    assert dates["recommended_notice"] == ref["recommended"]


def check_switch(result, cycle: int) -> None:
    p = result.profile
    row = result.scenarios.loc[SWITCH]
    until = needed_until(p)
    got = steps(result, SWITCH)
    if row["exit_kind"] == "early":
        # The old contract stops on the day it is no longer needed, inside a term.
        x = until
        assert p.current.contract.refund != "none"
        assert any(s <= x <= e for s, e in terms(p.current.contract))
        ref = notice_dates(p, None, x)
        assert "Renewal window opens" not in got
    else:
        _, end = switch_exit_term(p)
        x = end + DAY
        ref = notice_dates(p, end, x)
        assert got["Renewal window opens"] == end - days(90)
    assert row["exit_date"] == x
    assert got["Old CRM access ends"] == x
    check_notice_steps(got, ref, "Send written cancellation notice (recommended)")
    assert got["Go-live on the new CRM"] == add_months(p.analysis_start, p.migration.months)
    # Final export: at cutover (the old system last needed), at least cycle + 7 days before X.
    assert got["Final full data export"] == min(until, x - days(cycle + 7))
    assert got["Verify the export"] > got["Final full data export"]
    # Frozen when the old system is last needed, and access ends on X: never on X itself.
    assert got["Freeze users on the old CRM"] == min(until, x - DAY)
    deactivate = got["Deactivate users and integration users"]
    assert got["Verify the export"] <= deactivate < x or deactivate < p.analysis_start
    assert deactivate >= got["Freeze users on the old CRM"]
    if until > p.analysis_start:
        assert got["Baseline full data export"] == p.analysis_start
    assert got["Last day to request missing data"] == x + days(p.current.contract.data_return_days)
    first, second = after_exit_invoices(p, x)
    assert got["Check billing statement 1"] == first
    assert got["Check billing statement 2"] == second
    dates = key_dates(result, SWITCH)
    assert dates["exit"] == x
    assert dates["notice_deadline"] == ref["deadline"]
    assert dates["recommended_notice"] == ref["recommended"]


def check_overdue(result) -> None:
    """No date before the analysis start without saying "Overdue"; key dates that are actions
    (the recommended notice, the deadline) never before it."""
    start = result.profile.analysis_start
    plans = result.exit_plans
    past = plans["date"] < start
    assert (plans["warning"] == past).all()
    assert plans["detail"].str.startswith("Overdue").eq(past).all()
    actions = result.key_dates[
        result.key_dates["event_id"].isin(["recommended_notice", "notice_deadline"])
    ]
    assert (actions["date"] >= start).all()


def check_all(result, cycle: int = GOLDEN_EXPORT_CYCLE) -> None:
    check_stay(result)
    check_downgrade(result, cycle)
    check_switch(result, cycle)
    check_overdue(result)


EDGE_CASES = {
    # DESIGN's worked example: N = 2027-05-01, window 2027-03-02, exit 2027-06-01.
    "worked example": {},
    # The deadline exactly on the analysis start: still ahead, act on this term.
    "deadline on the start": {"analysis_start": "2027-05-01"},
    # One day later the deadline has passed: one more renewal (2028-05-31, leap-year window).
    "deadline passed by a day": {"analysis_start": "2027-05-02"},
    # The start between N - 30 and N: the recommended notice is the start itself.
    "start after N - 30": {"analysis_start": "2027-04-15"},
    # Chase 2027-04-20, N - 7 = 2027-04-24: the escalation is N - 7, after the chase.
    "start after N - 30, escalation after the chase": {"analysis_start": "2027-04-06"},
    "no notice period": {"contract": {"notice_days": 0}},
    "no notice period, start on the term end": {
        "analysis_start": "2027-05-31",
        "contract": {"notice_days": 0},
    },
    # 90 days' notice: N is the window's first day.
    "notice of 90 days": {"contract": {"notice_days": 90}},
    # 120 days' notice: the window opens after N.
    "notice of 120 days": {"contract": {"notice_days": 120}},
    # A term ending on Feb 29 of a leap year: N = 2028-01-30, window 2027-12-01.
    "term ends on Feb 29": {
        "analysis_start": "2027-06-01",
        "contract": {"start": "2025-03-01", "end": "2028-02-29"},
    },
    # Renewals of a term ending Jan 31; the project from Jan 31 ends on Feb 28 + 1 month.
    "term ends on Jan 31": {
        "analysis_start": "2027-01-31",
        "contract": {"start": "2026-02-01", "end": "2027-01-31", "notice_days": 0},
        "migration": {"months": 1, "overlap_months": 0},
    },
    # A 1-month horizon: the plan still reaches past the horizon.
    "one-month horizon": {"horizon_months": 1},
    # The old system is needed until exactly the day after the term end: X = that day.
    "needed until the day after the term end": {"analysis_start": "2027-01-01"},
    # Monthly billing: the statements to check are monthly.
    "monthly billing": {"current": {"billing": "monthly"}},
    # Longer renewals and a long data-return window.
    "24-month renewals": {
        "analysis_start": "2027-05-15",
        "contract": {"renewal_term_months": 24, "data_return_days": 90},
    },
    # An early exit with a prorated refund (DESIGN's golden case (d)): X = 2027-08-15.
    "early exit": {
        "analysis_start": "2027-05-15",
        "contract": {"refund": "prorated", "early_termination_fee_pct": 10},
        "migration": {"months": 2, "overlap_months": 1},
    },
    # An early exit on the analysis start: N is the start (act now).
    "early exit, act now": {
        "analysis_start": "2027-06-15",
        "contract": {"refund": "prorated"},
        "migration": {"months": 0, "overlap_months": 0},
    },
    # An early exit 20 days after the start with 30 days' notice: N = the start.
    "early exit, notice already past": {
        "analysis_start": "2027-06-10",
        "contract": {"refund": "full_within_days", "full_refund_days": 60},
        "migration": {"months": 0, "overlap_months": 0},
    },
}


def edge_profile(changes: dict):
    changes = dict(changes)
    current = changes.pop("current", None)
    p = profile(**changes)
    if current:
        p = p.model_copy(update={"current": p.current.model_copy(update=current)})
    return p


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases_agree_with_the_reference(name):
    check_all(analyze(edge_profile(EDGE_CASES[name]), GOLDEN, samples=0))


def test_worked_example_by_hand():
    # The figures of the reference written out once, for DESIGN's worked example.
    got = steps(analyze(profile(), GOLDEN, samples=0), SWITCH)
    assert got["Renewal window opens"] == D(2027, 3, 2)  # 2027-05-31 - 90 days
    assert got["Hard notice deadline"] == D(2027, 5, 1)  # 2027-05-31 - 30 days
    assert got["Send written cancellation notice (recommended)"] == D(2027, 4, 1)  # N - 30
    assert got["Chase the written confirmation"] == D(2027, 4, 15)  # + 14
    assert got["Escalate if not confirmed"] == D(2027, 4, 24)  # N - 7
    assert got["Old CRM access ends"] == D(2027, 6, 1)  # term end + 1
    assert got["Final full data export"] == D(2027, 4, 26)  # 06-01 - (29 + 7) days < 05-01
    assert got["Last day to request missing data"] == D(2027, 7, 1)  # X + 30
    assert got["Check billing statement 2"] == D(2028, 6, 1)  # the second renewal's invoice


def test_escalation_is_n_minus_7_when_that_follows_the_chase():
    # Start 2027-04-06, after N - 30 = 2027-04-01: send on the start, chase 2027-04-20;
    # N - 7 = 2027-04-24 comes after the chase, so "if none by N - 7, escalate" dates it.
    got = steps(analyze(profile(analysis_start="2027-04-06"), GOLDEN, samples=0), DOWNGRADE)
    assert got["Chase the written confirmation"] == D(2027, 4, 20)
    assert got["Escalate if not confirmed"] == D(2027, 4, 24)


def test_key_dates_recommended_notice_is_never_before_the_start():
    # Early exit on the start 2027-06-15 with 30 days' notice: N = the start (act now), and
    # the recommended notice, N - 30 = 2027-05-16, is moved to the start as well.
    result = analyze(edge_profile(EDGE_CASES["early exit, act now"]), GOLDEN, samples=0)
    dates = key_dates(result, SWITCH)
    assert dates["notice_deadline"] == D(2027, 6, 15)
    assert dates["recommended_notice"] == D(2027, 6, 15)
    notice = result.exit_plan(SWITCH).set_index("step")
    detail = notice.loc["Send written cancellation notice (recommended)", "detail"]
    assert "recommended date 2027-05-16 has passed" in detail


@st.composite
def situations(draw):
    """Golden profiles: any start in three years, a 1-3 year term starting on day 1-28, any
    notice, refund policy, billing, renewal length and project."""
    start = draw(st.dates(D(2026, 1, 1), D(2028, 12, 31)))
    term_start = draw(st.dates(start - days(900), start + days(60)))
    term_start = term_start.replace(day=min(term_start.day, 28))
    years = draw(st.integers(1, 3))
    end = add_months(term_start, 12 * years) - DAY
    refund = draw(st.sampled_from(["none", "prorated", "full_within_days"]))
    contract = {
        "start": term_start.isoformat(),
        "end": end.isoformat(),
        # No 0 days with a refund: an early exit's N with no notice period is reported
        # (DESIGN: X - 0 = X; the program: X - 1).
        "notice_days": draw(st.sampled_from([15, 30, 60, 90, 120] + [0] * (refund == "none"))),
        "renewal_term_months": draw(st.sampled_from([12, 24])),
        "refund": refund,
        "full_refund_days": draw(st.integers(0, 120)),
        "early_termination_fee_pct": draw(st.sampled_from([0, 10])),
        "data_return_days": draw(st.integers(0, 90)),
    }
    migration = {"months": draw(st.integers(0, 14)), "overlap_months": draw(st.integers(0, 3))}
    p = profile(
        analysis_start=start.isoformat(),
        horizon_months=draw(st.sampled_from([1, 12, 36])),
        contract=contract,
        migration=migration,
    )
    billing = draw(st.sampled_from(["annual", "monthly"]))
    return p.model_copy(update={"current": p.current.model_copy(update={"billing": billing})})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations())
def test_any_situation_agrees_with_the_reference(situation):
    check_all(analyze(situation, GOLDEN, samples=0))


# --- Export cycles of the bundled Salesforce editions ---------------------------------------


def bundled(catalog, tier: str, months: int):
    data = yaml.safe_load(example_profile().read_text(encoding="utf-8"))
    if tier != "enterprise":
        data["current"]["tier"] = tier
        data["current"]["seats"] = {"sales_cloud": 115}
        data["current"]["prices"] = {"sales_cloud": 90}
        for role in data["roles"]:
            role["current_license"] = "sales_cloud"
    data["migration"]["months"] = months
    return parse_profile(yaml.safe_dump(data), catalog)


@pytest.mark.parametrize(
    ("tier", "cycle"), [("enterprise", 7), ("unlimited", 7), ("pro", 29), ("starter", 29)]
)
def test_final_export_is_one_cycle_and_a_week_before_access_ends(catalog, tier, cycle):
    # Term to 2027-08-31, X = 2027-09-01; a 7-month project needs the old system until
    # 2027-08-01 (go-live 2027-07-01 + 1 month). Enterprise and above export every 7 days,
    # other editions every 29: the final export is min(08-01, 09-01 - (cycle + 7) days).
    result = analyze(bundled(catalog, tier, 7), catalog, samples=0)
    sid = "switch:odoo/standard"
    x = D(2027, 9, 1)
    assert result.scenarios.loc[sid, "exit_date"] == x
    expected = min(D(2027, 8, 1), x - days(cycle + 7))  # 08-01 (7 days), 07-27 (29 days)
    assert steps(result, sid)["Final full data export"] == expected


# --- The calendar ----------------------------------------------------------------------------


def calendar_events(ics: bytes):
    return list(vobject.readOne(ics.decode("utf-8")).vevent_list)


def test_calendar_events_are_all_day_with_14_and_3_day_reminders_on_every_deadline():
    result = analyze(profile(), GOLDEN, samples=0)
    ics = exit_plan_calendar(result, SWITCH)
    plan = result.exit_plan(SWITCH).set_index("step")
    events = calendar_events(ics)
    assert len(events) == len(plan)
    # All-day: DATE values (RFC 5545 3.3.4), not DATE-TIME.
    assert ics.count(b"DTSTART;VALUE=DATE:") == len(plan)
    for event in events:
        step = event.summary.value.split(": ", 1)[1]
        assert event.dtstart.value == plan.loc[step, "date"]
        triggers = sorted(a.trigger.value for a in getattr(event, "valarm_list", []))
        if step in (
            "Hard notice deadline",
            "Final full data export",
            "Send written cancellation notice (recommended)",
            "Last day to request missing data",
        ):
            assert triggers == [days(-14), days(-3)], step


def test_calendar_uids_survive_a_profile_change_that_moves_the_dates():
    # Re-importing after an edit updates the events: the same step keeps its UID though its
    # date moves (60 days' notice moves N from 2027-05-01 to 2027-04-01).
    before = analyze(profile(), GOLDEN, samples=0)
    after = analyze(profile(contract={"notice_days": 60}), GOLDEN, samples=0)
    uids = {}
    for result in (before, after):
        for event in calendar_events(exit_plan_calendar(result, SWITCH)):
            uids.setdefault(event.summary.value, []).append((event.uid.value, event.dtstart.value))
    deadline = uids["My organisation: Hard notice deadline"]
    assert deadline[0][0] == deadline[1][0]
    assert deadline[0][1] == D(2027, 5, 1) and deadline[1][1] == D(2027, 4, 1)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations())
def test_calendar_uids_are_unique_in_every_scenarios_calendar(situation):
    result = analyze(situation, GOLDEN, samples=0)
    for sid in result.scenarios.index:
        uids = [e.uid.value for e in calendar_events(exit_plan_calendar(result, sid))]
        assert len(uids) == len(set(uids)) == len(result.exit_plan(sid)), sid


def test_every_option_of_the_bundled_example_sends_its_notice_on_its_key_date(catalog):
    # Start 2027-07-15, after N - 30 = 2027-07-02 (term end 2027-08-31, N = 2027-08-01): every
    # option that sends a notice sends it on the start, and its key date says the same.
    data = yaml.safe_load(example_profile().read_text(encoding="utf-8"))
    data["analysis_start"] = "2027-07-15"
    data["migration"]["months"] = 0
    result = analyze(parse_profile(yaml.safe_dump(data), catalog), catalog, samples=0)
    check_overdue(result)
    plans = result.exit_plans
    sends = plans[plans["step"].str.startswith("Send written")]
    assert set(sends["scenario_id"]) == set(result.scenarios.index) - {"stay"}
    for row in sends.itertuples():
        assert row.date == D(2027, 7, 15), row.scenario_id
        assert key_dates(result, row.scenario_id)["recommended_notice"] == row.date
        assert key_dates(result, row.scenario_id)["notice_deadline"] == D(2027, 8, 1)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.dates(D(2026, 6, 1), D(2028, 6, 1)),
    notice=st.sampled_from([0, 30, 60, 90, 120]),
    months=st.integers(0, 9),
)
def test_every_options_notice_steps_follow_its_key_dates(catalog, start, notice, months):
    # The bundled example (stacks and partial switches too): each option sends its notice on
    # its recommended notice, never before the start; the chase 14 days later; the escalation
    # on N - 7 where that follows the chase; all by the key dates the option reports.
    data = yaml.safe_load(example_profile().read_text(encoding="utf-8"))
    data["analysis_start"] = start.isoformat()
    data["current"]["contract"]["notice_days"] = notice
    data["migration"]["months"] = months
    result = analyze(parse_profile(yaml.safe_dump(data), catalog), catalog, samples=0)
    check_overdue(result)
    for sid in result.scenarios.index.drop("stay"):
        got = steps(result, sid)
        dates = key_dates(result, sid)
        send = next(day for step, day in got.items() if step.startswith("Send written"))
        assert send == dates["recommended_notice"] >= start, sid
        assert got["Hard notice deadline"] == dates["notice_deadline"], sid
        assert got["Chase the written confirmation"] == send + days(14), sid
        if dates["notice_deadline"] - days(7) > send + days(14):
            assert got["Escalate if not confirmed"] == dates["notice_deadline"] - days(7), sid
