import datetime as dt

from analyzer import exit_plan
from analyzer.analysis import analyze
from tests.conftest import GOLDEN
from tests.conftest import golden_profile as profile


def steps(frame):
    return dict(zip(frame["step"], frame["date"], strict=False))


def test_switch_checklist_dates_and_safe_order():
    result = analyze(profile(), GOLDEN)
    plan = exit_plan(result, "switch:target/standard")
    dates = steps(plan)
    # Term ends 2027-05-31: renewal window 90 days before, notice 60 (recommended) and 30 days.
    assert dates["Renewal window opens"] == dt.date(2027, 3, 2)
    assert dates["Send written cancellation notice (recommended)"] == dt.date(2027, 4, 1)
    assert dates["Hard notice deadline"] == dt.date(2027, 5, 1)
    assert dates["Go-live on the new CRM"] == dt.date(2027, 4, 1)
    # The last export a week before access ends, then offboarding in its safe order.
    assert dates["Last safe full data export"] == dt.date(2027, 5, 25)
    order = list(plan["step"])
    export = order.index("Last safe full data export")
    assert order[export + 1 : export + 4] == [
        "Offboarding 1: revoke permissions",
        "Offboarding 2: reassign record ownership",
        "Offboarding 3: deactivate users",
    ]
    assert dates["Old CRM access ends"] == dt.date(2027, 6, 1)
    assert "Do not deactivate the user who schedules the export" in plan.loc[export, "detail"]
    assert list(plan["date"]) == sorted(plan["date"])
    assert not plan["warning"].any()


def test_passed_dates_are_flagged():
    # On 2027-05-15 the deadline of the term ending 2027-05-31 has passed: the exit moves to
    # the next term, whose dates are all ahead; the downgrade's are too.
    result = analyze(profile(analysis_start="2027-05-15"), GOLDEN)
    plan = exit_plan(result, "switch:target/standard")
    assert steps(plan)["Hard notice deadline"] == dt.date(2028, 5, 1)
    assert not plan["warning"].any()
    # Staying plans for the renewal it can still stop, the term ending 2028-05-31: its renewal
    # window opens 90 days before (2028-03-02, a leap year) and the negotiation is due 60 days
    # before (2028-04-01), so no step is dated in the past.
    stay = exit_plan(result, "stay")
    assert steps(stay) == {
        "Renewal window opens": dt.date(2028, 3, 2),
        "Negotiate the renewal": dt.date(2028, 4, 1),
    }
    assert not stay["warning"].any()


def test_downgrade_checklist():
    result = analyze(profile(), GOLDEN)
    dates = steps(exit_plan(result, "downgrade:legacy/enterprise"))
    assert dates["Downgrade takes effect"] == dt.date(2027, 6, 1)
    assert dates["Check the first invoice"] == dt.date(2027, 7, 1)
    assert "Last safe full data export" not in dates
