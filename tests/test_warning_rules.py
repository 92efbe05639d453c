"""Warning rules: the deadline urgency threshold and the warnings every output shows."""

import datetime as dt

import pandas as pd
import pytest

from analyzer import analyze
from analyzer.warning_rules import (
    NEAR_DEADLINE_DAYS,
    legacy_edition_warnings,
    notice_urgency,
    price_warnings,
    stay_must_warnings,
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
    sources = pd.DataFrame(
        {
            "product": ["P", "Q"],
            "tier": ["T", "U"],
            "item": ["Hosting", "Seat"],
            "confidence": ["estimate", "vendor"],
            "stale": [False, True],
            "as_of": [dt.date(2026, 1, 1), dt.date(2024, 1, 1)],
        }
    )
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
