"""Plausibility warnings: valid seats that are probably a mistake."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.plausibility import EXTREME_SEAT_MARGIN, EXTREME_SEAT_RATIO, seat_plausibility
from analyzer.profile import Profile, load_profile
from analyzer.profile_edits import with_changes


@pytest.fixture(scope="module")
def example(catalog):
    return load_profile(catalog=catalog)


def with_role_seats(profile: Profile, seats: list[int]) -> Profile:
    return Profile.model_validate(
        with_changes(profile, {("roles", i, "seats"): n for i, n in enumerate(seats)})
    )


def kinds(profile: Profile) -> list[str]:
    return [warning.kind for warning in seat_plausibility(profile)]


def test_the_example_pays_for_eight_seats_no_role_holds(example):
    # Paid: 90 Sales Cloud + 25 Service Cloud = 115; roles: 60 + 10 + 25 + 12 = 107.
    (warning,) = seat_plausibility(example)
    assert warning.kind == "paid_above_roles"
    assert "115 seats" in warning.message and "hold 107" in warning.message
    assert "8 seats are paid for" in warning.message


def test_roles_without_any_seat_are_flagged(example):
    assert kinds(with_role_seats(example, [0, 0, 0, 0])) == ["no_role_seats"]


def test_a_role_with_absurd_seats_is_flagged_with_its_row(example):
    profile = with_role_seats(example, [60, 10, 999_999, 12])
    warnings = seat_plausibility(profile)
    assert [w.kind for w in warnings] == ["extreme_role_seats", "roles_above_paid"]
    assert warnings[0].field == "Roles, row 3, Seats"
    assert "999,999 seats" in warnings[0].message
    # 60 + 10 + 999,999 + 12 = 1,000,081 held against 115 paid: 999,966 more.
    assert "999,966 more users" in warnings[1].message


def test_matching_seats_raise_nothing(example):
    # 115 paid: roles 60 + 10 + 25 + 20.
    assert seat_plausibility(with_role_seats(example, [60, 10, 25, 20])) == []


def test_no_paid_seats_is_flagged(example):
    profile = Profile.model_validate(with_changes(example, {("current", "seats"): {}}))
    assert "no_paid_seats" in kinds(profile)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 1_000_000), min_size=4, max_size=4))
def test_a_role_is_extreme_exactly_when_far_above_the_paid_seats(example, seats):
    paid = 115
    flagged = {
        warning.field
        for warning in seat_plausibility(with_role_seats(example, seats))
        if warning.kind == "extreme_role_seats"
    }
    expected = {
        f"Roles, row {row}, Seats"
        for row, n in enumerate(seats, start=1)
        if n > EXTREME_SEAT_RATIO * paid and n > paid + EXTREME_SEAT_MARGIN
    }
    assert flagged == expected
