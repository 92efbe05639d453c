"""Plausibility: valid inputs that are probably a mistake, said in words before they mislead.

A profile can pass validation and still describe something unlikely: roles that hold no seat
at all, a role with a hundred times more seats than are paid for, paid seats that differ from
the seats the roles need. The options are sized to the roles while staying keeps the paid
seats, so such a slip moves the recommendation; these checks say so next to the inputs.

Examples
--------
>>> from analyzer.profile import load_profile
>>> [w.kind for w in seat_plausibility(load_profile())]
['paid_above_roles']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from analyzer.profile import Profile

EXTREME_SEAT_RATIO = 10
"""A role holding more than this many times the seats paid for in total is flagged."""
EXTREME_SEAT_MARGIN = 100
"""…and more than this many seats above them, so a 3-seat role of a 0-seat contract is not."""

PlausibilityKind = Literal[
    "no_role_seats", "no_paid_seats", "extreme_role_seats", "paid_above_roles", "roles_above_paid"
]


@dataclass(frozen=True)
class PlausibilityWarning:
    """One input that is valid but probably not what was meant.

    Attributes
    ----------
    kind
        What was found (one of :data:`PlausibilityKind`).
    field
        The form field it concerns, in the forms' words ("Roles, row 2, Seats").
    message
        A sentence saying what was found and what it does to the analysis.
    """

    kind: PlausibilityKind
    field: str
    message: str


def seat_plausibility(profile: Profile) -> list[PlausibilityWarning]:
    """Warnings about the seats: none held by the roles, none paid, extreme, or paid ≠ needed.

    Paid seats are compared with the roles' seats in total: the options are sized to the
    roles, staying keeps what is paid, so a difference is either seats to drop at renewal or
    roles still missing from the profile.
    """
    paid = sum(profile.current.seats.values())
    needed = sum(role.seats for role in profile.roles)
    warnings = []
    if needed == 0:
        warnings.append(
            PlausibilityWarning(
                "no_role_seats",
                "Roles, Seats",
                "Every role has 0 seats: the other options would cost nothing for licences, so "
                "any saving against staying is meaningless. Enter how many people each role has.",
            )
        )
    if paid == 0:
        warnings.append(
            PlausibilityWarning(
                "no_paid_seats",
                "Seats",
                "No seats are paid for today: staying costs no licences. Enter the seats on "
                "your contract.",
            )
        )
    for row, role in enumerate(profile.roles, start=1):
        if role.seats > EXTREME_SEAT_RATIO * paid and role.seats > paid + EXTREME_SEAT_MARGIN:
            warnings.append(
                PlausibilityWarning(
                    "extreme_role_seats",
                    f"Roles, row {row}, Seats",
                    f"{role.name} has {role.seats:,} seats, more than {EXTREME_SEAT_RATIO} times "
                    f"the {paid:,} seats paid for: the other options are sized to the roles and "
                    "staying is not, so a typo here makes staying look cheap.",
                )
            )
    if needed and paid and paid != needed:
        gap = abs(paid - needed)
        if paid > needed:
            warnings.append(
                PlausibilityWarning(
                    "paid_above_roles",
                    "Seats",
                    f"You pay for {paid:,} seats and the roles hold {needed:,}: {gap:,} seats are "
                    "paid for and used by no role. Right-sizing drops them; if people are "
                    "missing from the roles, add them.",
                )
            )
        else:
            warnings.append(
                PlausibilityWarning(
                    "roles_above_paid",
                    "Seats",
                    f"The roles hold {needed:,} seats and you pay for {paid:,}: the other "
                    f"options are priced for {gap:,} more users than staying is. Check the seats "
                    "paid for or the roles.",
                )
            )
    return warnings
