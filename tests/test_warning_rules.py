"""Warning rules: the deadline urgency threshold and the warnings every output shows."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer import analyze
from analyzer.warning_rules import (
    NEAR_DEADLINE_DAYS,
    deadline_warnings,
    legacy_edition_warnings,
    notice_urgency,
    price_warnings,
    stay_must_warnings,
    unused_seat_warnings,
)
from tests.conftest import GOLDEN, golden_profile


@pytest.mark.parametrize(
    ("start", "days_left", "level"),
    [
        (dt.date(2027, 6, 1), 61, "ahead"),
        (dt.date(2027, 7, 2), 30, "ahead"),  # 30 days left is not fewer than 30
        (dt.date(2027, 7, 3), 29, "near"),
        (dt.date(2027, 8, 1), 0, "near"),  # the deadline is the start day itself
        (dt.date(2027, 8, 2), -1, "passed"),
    ],
)
def test_notice_urgency(start, days_left, level):
    urgency = notice_urgency(dt.date(2027, 8, 1), start)
    assert (urgency.days_left, urgency.level) == (days_left, level)
    assert urgency.deadline == dt.date(2027, 8, 1)


def test_the_near_threshold_is_the_recommendations():
    deadline = dt.date(2030, 1, 1)
    start = deadline - dt.timedelta(days=NEAR_DEADLINE_DAYS)
    assert notice_urgency(deadline, start).level == "ahead"
    assert notice_urgency(deadline, start + dt.timedelta(days=1)).level == "near"


# --- The warnings of an analysis, on DESIGN section 5's worked example -------------------------
# 60 full seats bought at 150 (list 175); term 2024-06-01 .. 2027-05-31, notice 30 days, 7%
# uplift; roles: 40 sellers and 15 viewers, both on the full seat today.


def kinds(result):
    return dict(zip(result.warnings["kind"], result.warnings["message"], strict=True))


def test_a_passed_deadline_says_when_the_contract_renews_and_the_earliest_exit():
    # On 2027-05-15 the deadline 2027-05-31 - 30 days = 2027-05-01 has passed: the contract
    # renews on 2027-06-01 for 12 months at +7%; the next deadline (2028-05-01) is ahead, so
    # the earliest exit is the end of that renewal, 2028-06-01.
    result = analyze(golden_profile(analysis_start="2027-05-15"), GOLDEN, samples=0)
    assert kinds(result)["deadline_passed"] == (
        "The notice deadline 2027-05-01 of the term ending 2027-05-31 has passed: the contract "
        "renews on 2027-06-01 for 12 months at +7%; the earliest exit is 2028-06-01."
    )
    assert "long_forced_renewal" not in kinds(result)
    assert result.notice_urgency.level == "ahead"  # the next deadline, 2028-05-01


def test_a_forced_renewal_longer_than_a_year_is_a_warning():
    profile = golden_profile(analysis_start="2027-05-15", contract={"renewal_term_months": 24})
    result = analyze(profile, GOLDEN, samples=0)
    assert "renews on 2027-06-01 for 24 months" in kinds(result)["deadline_passed"]
    assert "24 months, longer than a year" in kinds(result)["long_forced_renewal"]


def test_no_deadline_warning_when_the_deadline_is_far():
    # From 2026-12-01 the deadline 2027-05-01 is 151 days away.
    result = analyze(golden_profile(), GOLDEN, samples=0)
    assert not {"deadline_passed", "deadline_near"} & set(kinds(result))


def test_seats_paid_but_held_by_no_role_are_counted_with_their_yearly_cost():
    # 60 bought, 40 + 15 = 55 held: 5 unused x 150 paid x 12 = 9,000 a year.
    result = analyze(golden_profile(), GOLDEN, samples=0)
    usage = result.seat_usage.set_index("license_type_id").loc["full"]
    assert (usage["purchased"], usage["used"], usage["unused"]) == (60, 55, 5)
    assert usage["unused_cost_per_year"] == pytest.approx(9_000.0)
    assert kinds(result)["unused_seats"] == (
        "5 seats are paid for and held by no role (5 Full user): $9,000 a year at today's price."
    )


def test_a_must_that_staying_misses_is_a_warning_and_stay_stays_ranked():
    # Legacy Enterprise has no case management: the viewers' must is met not at all by Stay.
    roles = [
        {"id": "viewers", "name": "Viewers", "seats": 60, "needs": {"case_management": "must"}}
    ]
    result = analyze(golden_profile(roles=roles), GOLDEN, samples=0)
    assert kinds(result)["stay_must_unmet"] == (
        "Staying, the Viewers role's must-have Cases is met not at all."
    )
    assert result.scenarios.loc["stay", "rank"] >= 1


def test_the_rules_on_small_tables():
    fit_detail = pd.DataFrame(
        {
            "scenario_id": ["stay", "stay", "stay", "other"],
            "role": ["Agents", "Agents", "Agents", "Agents"],
            "feature": ["Cases", "Chat", "SLAs", "Cases"],
            "need": ["must_limited", "must", "3", "must"],
            "support": ["limited", "full", "absent", "absent"],
        }
    )
    assert stay_must_warnings(fit_detail, ("must", "must_limited")) == [
        (
            "stay",
            "stay_must_unmet",
            "Staying, the Agents role's must-have Cases is met only partly (limited support, "
            "accepted by the need).",
        )
    ]
    # Rows of (product, tier, item, confidence, stale, as_of).
    sources = [
        ("P", "T", "Hosting", "estimate", False, dt.date(2026, 1, 1)),
        ("Q", "U", "Seat", "vendor", True, dt.date(2024, 1, 1)),
    ]
    assert [kind for _, kind, _ in price_warnings(sources)] == ["estimate_price", "stale_price"]
    assert "read on 2024-01-01" in price_warnings(sources)[1][2]


def test_a_legacy_current_edition_warns_that_the_renewal_may_be_repriced(catalog):
    # The bundled catalog marks Enterprise, Unlimited and Agentforce 1 legacy since the Core,
    # Advanced and Max editions (Sept 2026 copies of Salesforce's pricing page).
    salesforce = catalog.product("salesforce")
    [(scenario, kind, message)] = legacy_edition_warnings(salesforce, salesforce.tier("enterprise"))
    assert (scenario, kind) == ("stay", "legacy_edition")
    assert "Enterprise is a legacy edition" in message
    assert "Core (Agentforce Sales Core)" in message and "Unlimited" not in message
    assert legacy_edition_warnings(salesforce, salesforce.tier("core")) == []


def test_unused_seats_of_several_license_types_sum_their_seats_and_known_costs():
    # Full: 5 unused at 150 a month = 9,000 a year; Platform: none unused; Partner: 3 unused
    # with no price known (NaN), counted in the seats but adding nothing to the cost.
    # Rows of (unused, license_type, unused_cost_per_year).
    seat_usage = [(5, "Full user", 9_000.0), (0, "Platform", 0.0), (3, "Partner", float("nan"))]
    [(scenario, kind, message)] = unused_seat_warnings(seat_usage, lambda v: f"${v:,.0f}")
    assert (scenario, kind) == ("stay", "unused_seats")
    assert message == (
        "8 seats are paid for and held by no role (5 Full user, 3 Partner): $9,000 a year at "
        "today's price."
    )
    none_unused = [(0, name, cost) for _, name, cost in seat_usage]
    assert unused_seat_warnings(none_unused, str) == []


def test_stay_musts_are_found_wherever_stays_rows_are():
    # Stay's rows need not be together: the second one comes after another scenario's.
    fit_detail = pd.DataFrame(
        {
            "scenario_id": ["other", "stay", "other", "stay"],
            "role": ["Agents", "Agents", "Agents", "Sellers"],
            "feature": ["Cases", "Chat", "Chat", "Quotes"],
            "need": ["must", "must", "must", "must"],
            "support": ["absent", "absent", "absent", "limited"],
        }
    )
    assert [message for _, _, message in stay_must_warnings(fit_detail, ("must",))] == [
        "Staying, the Agents role's must-have Chat is met not at all.",
        "Staying, the Sellers role's must-have Quotes is met only partly (limited support).",
    ]
    assert stay_must_warnings(fit_detail[fit_detail["scenario_id"] == "other"], ("must",)) == []


def stay_must_reference(fit_detail, gates):
    """The rule read off DESIGN 5 row by row: Stay's gated needs met limited or absent."""
    found = []
    for _, row in fit_detail.iterrows():
        if row["scenario_id"] != "stay" or row["need"] not in gates:
            continue
        if row["support"] in ("limited", "absent"):
            found.append((row["role"], row["feature"], row["need"], row["support"]))
    return found


fit_rows = st.lists(
    st.tuples(
        st.sampled_from(["stay", "other", "switch:x"]),
        st.sampled_from(["Agents", "Sellers"]),
        st.sampled_from(["Cases", "Chat", "Quotes"]),
        st.sampled_from(["must", "must_limited", "3", "1"]),
        st.sampled_from(["full", "limited", "absent", "addon"]),
    ),
    max_size=12,
)


@given(fit_rows)
def test_stay_must_warnings_name_every_gated_need_stay_misses_in_order(rows):
    fit_detail = pd.DataFrame(rows, columns=["scenario_id", "role", "feature", "need", "support"])
    gates = ("must", "must_limited")
    warnings = stay_must_warnings(fit_detail, gates)
    expected = stay_must_reference(fit_detail, gates)
    assert len(warnings) == len(expected)
    for (_, kind, message), (role, feature, need, support) in zip(warnings, expected, strict=True):
        assert kind == "stay_must_unmet"
        assert message.startswith(f"Staying, the {role} role's must-have {feature} is met ")
        partly = "only partly (limited support" + (
            ", accepted by the need)" if need == "must_limited" else ")"
        )
        assert message.endswith(f"{'not at all' if support == 'absent' else partly}.")


def test_the_recommended_notice_warning_names_the_date_the_key_dates_would_use():
    # Term ends 2027-05-31. Notice 90 days: N = 2027-03-02, the renewal window opens on
    # 2027-03-02 too (90 days before the end), so the recommended notice is not N - 30
    # (2027-01-31, before the window) but N itself. On 2027-02-15 it has not passed yet.
    end = dt.date(2027, 5, 31)
    dates = {
        "renewal_window_opens": end - dt.timedelta(days=90),
        "notice_deadline": end - dt.timedelta(days=90),
        "term_end": end,
    }
    assert dates["notice_deadline"] == dt.date(2027, 3, 2)
    kinds = [kind for _, kind, _ in deadline_warnings(dates, dt.date(2027, 2, 15), None)]
    assert "recommended_notice_passed" not in kinds
    # With 40 days of notice, N = 2027-04-21 and N - 30 = 2027-03-22 is inside the window
    # (from 2027-03-02): it has passed on 2027-03-25, and the warning names it.
    dates["notice_deadline"] = end - dt.timedelta(days=40)
    rows = deadline_warnings(dates, dt.date(2027, 3, 25), None)
    passed = [text for _, kind, text in rows if kind == "recommended_notice_passed"]
    assert passed == ["The recommended notice date 2027-03-22 has passed."]
