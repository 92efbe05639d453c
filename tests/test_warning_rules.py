"""Warning rules: the deadline urgency threshold and the warnings every output shows."""

import datetime as dt

import pytest

from analyzer.warning_rules import NEAR_DEADLINE_DAYS, notice_urgency


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
