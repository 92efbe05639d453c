"""The exit plan: the dated checklist for carrying out a scenario (DESIGN section 5b).

It is computed once per scenario from the exit the scenario actually takes and follows public
cancellation guidance: written notice ahead of the contract's deadline, a chased confirmation, a
baseline and a final full data export timed by the edition's export cycle (the weekly export
fails if the user who scheduled it is deactivated, Salesforce Help 000385011), metadata retrieved
separately, offboarding in a safe order after the export is verified, and the bills watched after
the exit. Every step has an owner role and a reason; a step dated before the analysis start is
marked overdue.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Sequence
from operator import itemgetter
from typing import NamedTuple

import pandas as pd

from analyzer.costs import Current, ScenarioPlan
from analyzer.frames import stacked_table
from analyzer.keydates import is_early_exit, planned_notice

EXIT_PLAN_COLUMNS = [
    "scenario_id",
    "date",
    "step",
    "detail",
    "warning",
    "owner",
    "why",
    "category",
]
"""Columns of every exit-plan row. ``warning`` is true when the step is overdue (dated before
the analysis start); ``owner`` is ``admin``, ``procurement`` or ``finance``; ``category`` is one
of :data:`STEP_CATEGORIES`."""

STEP_CATEGORIES = {
    "milestone": "A date that happens, not a task (no reminder).",
    "notice": "Notice to the vendor: due on or before the notice deadline.",
    "confirmation": "Chasing the vendor's written confirmation of the notice.",
    "backup": "Data and metadata exports of the old system.",
    "offboarding": "User and integration changes that must follow the verified final export.",
    "change": "Seat, edition and integration checks of a downgrade.",
    "negotiation": "Preparing a renewal negotiation.",
    "after_exit": "Data return, invoices and refunds after the contract stops or changes.",
}
"""Step category -> what it groups; the calendar gives every category but ``milestone``
reminders."""

DEFAULT_EXPORT_EVERY_DAYS = 29
"""The export cycle assumed when the catalog does not give the current edition's: the slower
Salesforce cycle, so the final export is never planned too late."""

EXPORT_SLACK_DAYS = 7
"""Days kept free after one export cycle before access ends, to retry a failed export."""

CONFIRMATION_CHASE_DAYS = 14
"""Chase the vendor's written confirmation this many days after the notice is sent."""

ESCALATION_LEAD_DAYS = 7
"""Escalate to support and billing this many days before the notice deadline."""

SELF_SERVICE_CANCEL = {"salesforce": "Manage Subscription / billing page"}
"""Product id -> the vendor's self-service cancellation route, used besides the written notice."""

EXPORT_OBJECTS = (
    "accounts, contacts, leads, opportunities, cases, activities (tasks and events) and every "
    "custom object"
)
EXPORT_OPTIONS = 'tick "Include images, documents, and attachments" and "Include Salesforce Files"'

REFUND_CHECK_DAYS = 30
"""Days after an early exit by which the refund or credit note should have arrived."""

OVERDUE = "Overdue: "

DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)
CONFIRMATION_CHASE = dt.timedelta(days=CONFIRMATION_CHASE_DAYS)
ESCALATION_LEAD = dt.timedelta(days=ESCALATION_LEAD_DAYS)
REFUND_CHECK = dt.timedelta(days=REFUND_CHECK_DAYS)


class Step(NamedTuple):
    """One dated task of an exit plan (a named tuple: an analysis makes thousands)."""

    date: dt.date
    step: str
    detail: str
    owner: str
    why: str
    category: str


def export_every_days(current: Current) -> int:
    """Days between two scheduled full exports of the current edition (29 when unknown)."""
    return current.tier.export_every_days or DEFAULT_EXPORT_EVERY_DAYS


def old_invoice_dates(current: Current) -> list[dt.date]:
    """Distinct dates of every invoice the old contract would send if kept, in order."""
    return current.invoice_dates


def exit_plan_steps(
    plan: ScenarioPlan, dates: dict[str, dt.date], current: Current
) -> list[tuple[str, dt.date, str, str, bool, str, str, str]]:
    """Rows of :data:`EXIT_PLAN_COLUMNS` to carry out ``plan``, sorted by date (stable).

    Parameters
    ----------
    plan
        The scenario.
    dates
        Its key dates (:func:`analyzer.keydates.scenario_key_dates`).
    current
        The current subscription: its contract, edition (export cycle), product (self-service
        cancellation route) and invoices.

    Returns
    -------
    list of tuple
        One row per step; same-day steps keep the order in which they must be done.
    """
    return [(plan.id, *row) for row in plan_steps(plan, dates, current)]


def plan_steps(
    plan: ScenarioPlan, dates: dict[str, dt.date], current: Current
) -> list[tuple[dt.date, str, str, bool, str, str, str]]:
    """:func:`exit_plan_steps` without the scenario id (the rows every plan of equal
    :func:`steps_of` has)."""
    start = current.profile.analysis_start
    if plan.kind == "stay":
        steps = stay_steps(dates, start)
    else:
        steps = notice_steps(plan, dates, current)
        if plan.kind == "downgrade":
            steps += downgrade_steps(plan, dates, current)
        elif plan.shape == "partial":
            steps += partial_switch_steps(plan, dates, current)
        else:
            steps += switch_steps(plan, dates, current)
    rows = [
        (day, step, detail, False, owner, why, category)
        if day >= start
        else (day, step, OVERDUE + detail, True, owner, why, category)
        for day, step, detail, owner, why, category in steps
    ]
    return sorted(rows, key=itemgetter(0))


def steps_of(plan: ScenarioPlan, dates: dict[str, dt.date]) -> tuple:
    """Everything :func:`plan_steps` reads of ``plan`` and its ``dates`` (the very dict: plans
    of one analysis with equal key dates share one, :func:`~analyzer.keydates.all_key_dates`,
    and a dict is not hashed date by date for every plan): plans with equal keys, while
    their dates are alive, have the same steps. Every switch of one analysis leaves the same
    way, whatever its products; a downgrade's steps name its edition; a partial switch's
    the roles it moves and keeps, and the edition and seats it keeps (not the new CRM:
    partial switches to different products that split the roles alike share their steps)."""
    if plan.shape == "partial":
        moved, kept = plan.parts
        own: tuple = (
            tuple([r.role.name for r in moved.roles]),
            tuple([r.role.name for r in kept.roles]),
            kept.product.id,
            kept.tier.id,
            kept.seats_bought,
        )
    elif plan.kind == "downgrade":
        own = (plan.product.id, plan.tier.id)
    else:
        own = ()
    return (
        plan.kind,
        plan.shape,
        plan.exit,
        plan.go_live,
        plan.needed_until,
        plan.effective_date,
        id(dates),
        *own,
    )


def exit_plans_table(
    plans: Sequence[ScenarioPlan], dates: Sequence[dict[str, dt.date]], current: Current
) -> pd.DataFrame:
    """The :data:`EXIT_PLAN_COLUMNS` table of ``plans`` whose key dates are ``dates``: every
    plan's :func:`exit_plan_steps`, plan by plan, the steps of equal :func:`steps_of` worked
    out once."""
    blocks: list[list[tuple]] = []
    block_at: dict[tuple, int] = {}
    block_of = []
    for plan, plan_dates in zip(plans, dates, strict=True):
        # One lookup per plan: the key (dates and exit included) is hashed anew each time.
        key = steps_of(plan, plan_dates)
        block = block_at.get(key)
        if block is None:
            block = block_at[key] = len(blocks)
            blocks.append(plan_steps(plan, plan_dates, current))
        block_of.append(block)
    return stacked_table(
        EXIT_PLAN_COLUMNS,
        ("object", "text", "text", "bool", "text", "text", "text"),
        [plan.id for plan in plans],
        blocks,
        block_of,
    )


def stay_steps(dates: dict[str, dt.date], start: dt.date) -> list[Step]:
    """Staying: the renewal window, quotes and a negotiation pack ready by N - 30."""
    deadline = dates["notice_deadline"]
    ready = max(deadline - dt.timedelta(days=30), start)
    return [
        Step(
            dates["renewal_window_opens"],
            "Renewal window opens",
            "Ask the account executive for renewal pricing, the uplift and seat changes.",
            "procurement",
            "Requests in the last 30 days before the end may be too late for adjustments "
            "(Salesforce Help 005167138).",
            "milestone",
        ),
        Step(
            ready,
            "Negotiation pack ready",
            "Quotes from at least two alternatives, the seats the roles need and an uplift cap "
            "to ask for.",
            "procurement",
            "Credible alternatives and the real seat count are the leverage in a renewal.",
            "negotiation",
        ),
        Step(
            deadline,
            "Hard notice deadline",
            "Last day to reduce seats or give notice; after it the contract renews as it is.",
            "procurement",
            "The contract renews automatically unless notice is given by this day.",
            "notice",
        ),
    ]


def notice_steps(plan: ScenarioPlan, dates: dict[str, dt.date], current: Current) -> list[Step]:
    """Renewal window, the written notice (and self-service route), confirmation and escalation."""
    start = current.profile.analysis_start
    deadline = dates["notice_deadline"]
    recommended = dates["recommended_notice"]
    send = recommended
    planned = planned_notice(plan, dates)
    what = "seat and edition reduction" if plan.kind == "downgrade" else "cancellation"
    title = f"Send written {what} notice (recommended)"
    if plan.shape == "partial":
        released = seats_released(plan, current)
        title = f"Send written notice to reduce seats by {released} (recommended)"
    cancels = plan.kind == "switch" and plan.shape != "partial"
    early = is_early_exit(plan)
    late = (
        f" The recommended date {planned} has passed: send it now."
        if send == start > planned
        else ""
    )
    steps = []
    if not early:
        steps.append(
            Step(
                dates["renewal_window_opens"],
                "Renewal window opens",
                "Tell the account executive what will change at the term end.",
                "procurement",
                "Requests in the last 30 days before the end may be too late for adjustments "
                "(Salesforce Help 005167138).",
                "milestone",
            )
        )
    steps.append(
        Step(
            send,
            title,
            "To the account executive and to the notice address of the order form, with the "
            f"reason, by a method the contract accepts; keep proof of sending.{late}",
            "procurement",
            f"Sending 30 days before the deadline {deadline} leaves time to chase a confirmation.",
            "notice",
        )
    )
    route = SELF_SERVICE_CANCEL.get(current.product.id)
    if route and cancels:
        steps.append(
            Step(
                send,
                "Cancel through the self-service route too",
                f"Use the {route}, and keep the receipt.",
                "admin",
                "A second, recorded channel proves the cancellation was asked for in time.",
                "notice",
            )
        )
    if cancels:
        steps.append(
            Step(
                send,
                "Cancel add-on subscriptions and integration users",
                "List AppExchange and other add-on subscriptions (each has its own term and "
                "notice) and integration users, and give notice on each with the main contract.",
                "procurement",
                "Add-ons renew on their own terms and keep billing after the main contract ends.",
                "notice",
            )
        )
    chase = send + CONFIRMATION_CHASE
    # "If none by N - 7, escalate"; a week after the chase when N - 7 does not follow it.
    escalate = deadline - ESCALATION_LEAD
    if escalate <= chase:
        escalate = chase + WEEK
    steps += [
        Step(
            chase,
            "Chase the written confirmation",
            "Ask the account executive to confirm the notice in writing.",
            "procurement",
            "Only a written confirmation shows the vendor received the notice.",
            "confirmation",
        ),
        Step(
            escalate,
            "Escalate if not confirmed",
            "No written confirmation yet: escalate to the vendor's support and billing contact.",
            "procurement",
            "An unconfirmed notice may be contested after the deadline.",
            "confirmation",
        ),
        Step(
            deadline,
            "Hard notice deadline",
            f"Last day for the notice to arrive; after it the contract renews for "
            f"{current.profile.current.contract.renewal_term_months} months."
            if not early
            else "Last day for the notice of the early exit to arrive.",
            "procurement",
            "The contract's notice period counts back from the day it stops.",
            "notice",
        ),
    ]
    return steps


def final_export_day(exit_day: dt.date, cycle: int, needed_until: dt.date | None) -> dt.date:
    """The final export: at cutover, but at least one export cycle + 7 days before access ends."""
    latest = exit_day - dt.timedelta(days=cycle + EXPORT_SLACK_DAYS)
    return latest if needed_until is None else min(needed_until, latest)


def backup_steps(
    final: dt.date, cycle: int, baseline: dt.date | None, needed_until: dt.date | None
) -> list[Step]:
    """Baseline export (a switch), the final export, metadata retrieval and verification."""
    retry = (
        f"Keep {cycle} + {EXPORT_SLACK_DAYS} days for a retry: the export runs every {cycle} days "
        "and its files are kept 48 hours."
    )
    still_used = ""
    if needed_until is not None and final < needed_until:
        still_used = (
            f" The old system is still used until {needed_until - DAY}: "
            "export the records changed after this export before access ends."
        )
    steps = []
    if baseline is not None:
        steps.append(
            Step(
                baseline,
                "Baseline full data export",
                f"Export {EXPORT_OBJECTS}; {EXPORT_OPTIONS}.",
                "admin",
                "The migration project starts from a known copy of every record and file.",
                "backup",
            )
        )
    steps += [
        Step(
            final,
            "Final full data export",
            f"Schedule the weekly export of {EXPORT_OBJECTS}; {EXPORT_OPTIONS}; download every "
            "ZIP part within 48 hours. The user who schedules it stays active until it is "
            f"verified.{still_used}",
            "admin",
            retry,
            "backup",
        ),
        Step(
            final,
            "Retrieve the metadata",
            "Retrieve the configuration (objects, fields, formulas, roll-ups, automation, "
            "layouts) with the Metadata API or a change set.",
            "admin",
            "The data export carries no metadata and drops formula and roll-up fields.",
            "backup",
        ),
        Step(
            final + DAY,
            "Verify the export",
            "Compare record counts per object and the files' count and size with the org.",
            "admin",
            "Nothing may be deactivated before the backup is known to be complete.",
            "backup",
        ),
    ]
    return steps


def cutover_days(
    plan: ScenarioPlan, current: Current, change_day: dt.date, cycle: int
) -> tuple[dt.date, dt.date, dt.date, dt.date, dt.date | None]:
    """The days of a cutover before ``change_day`` (access ends, or seats go): the final
    export, freezing the leaving users, reassigning their records, deactivating them, and the
    baseline export (``None`` when the project starts on ``change_day`` or later).

    Users are frozen when the old system is last needed and deactivated after the verified
    export, but never later than the last day before the change.
    """
    last_day = change_day - DAY
    final = final_export_day(change_day, cycle, plan.needed_until)
    freeze = min(plan.needed_until, last_day)
    reassign = min(max(final + 2 * DAY, freeze), last_day)
    deactivate = min(reassign + DAY, last_day)
    start = current.profile.analysis_start
    return final, freeze, reassign, deactivate, start if start < change_day else None


def switch_steps(plan: ScenarioPlan, dates: dict[str, dt.date], current: Current) -> list[Step]:
    """Go-live, backups, users in their safe order, end of access and the bills after it."""
    contract = current.profile.current.contract
    exit_day = dates["exit"]
    cycle = export_every_days(current)
    final, freeze, reassign, deactivate, baseline = cutover_days(plan, current, exit_day, cycle)
    steps = [
        Step(
            plan.go_live,
            "Go-live on the new CRM",
            f"Both systems run until {plan.needed_until - DAY}.",
            "admin",
            "The overlap lets users check the new system before the old one is frozen.",
            "milestone",
        ),
        Step(
            freeze,
            "Freeze users on the old CRM",
            "Freeze (do not deactivate) every user except the export scheduler.",
            "admin",
            "The old system is no longer needed; freezing stops changes but keeps the export "
            "working.",
            "offboarding",
        ),
        *backup_steps(final, cycle, baseline, plan.needed_until),
        Step(
            reassign,
            "Reassign record ownership",
            "Reassign records owned by leaving users to the users who stay until the end.",
            "admin",
            "Records of deactivated owners are hard to reassign later.",
            "offboarding",
        ),
        Step(
            deactivate,
            "Deactivate users and integration users",
            "Deactivate users, then integration users; the export scheduler last of all.",
            "admin",
            "The export is verified; deactivating its scheduler earlier makes the export fail "
            "(Salesforce Help 000385011).",
            "offboarding",
        ),
    ]
    if is_early_exit(plan) and "refund_window_end" in dates:
        steps.append(
            Step(
                dates["refund_window_end"],
                "Full-refund window closes",
                f"An exit by this day refunds the term's paid invoices ({plan.exit.reason}).",
                "finance",
                "The contract refunds in full only within its first days.",
                "milestone",
            )
        )
    steps += [
        Step(
            exit_day,
            "Old CRM access ends",
            "The org is locked and later deleted.",
            "admin",
            "The contract stops on this day.",
            "milestone",
        ),
        Step(
            exit_day + dt.timedelta(days=contract.data_return_days),
            "Last day to request missing data",
            f"The contract hands data back on a request within {contract.data_return_days} days "
            "of the exit.",
            "admin",
            "After this window the vendor has no obligation to keep the data.",
            "after_exit",
        ),
    ]
    return steps + invoice_steps(plan, exit_day, current)


def invoice_steps(plan: ScenarioPlan, exit_day: dt.date, current: Current) -> list[Step]:
    """The first two invoice dates the old contract would have had on or after ``exit_day``."""
    invoices = old_invoice_dates(current)
    first = bisect_left(invoices, exit_day)
    statements = invoices[first : first + 2]
    steps = []
    if is_early_exit(plan):
        steps.append(
            Step(
                exit_day + REFUND_CHECK,
                "Check the refund or credit note",
                f"Early exit: {plan.exit.reason}.",
                "finance",
                "The refund of unused time is due from the exit on.",
                "after_exit",
            )
        )
    for number, day in enumerate(statements, 1):
        steps.append(
            Step(
                day,
                f"Check billing statement {number}",
                "No invoice or renewal charge for the old CRM may arrive.",
                "finance",
                "The old contract would have invoiced on this day.",
                "after_exit",
            )
        )
    return steps


def seats_released(plan: ScenarioPlan, current: Current) -> int:
    """Seats a partial switch gives back: those purchased today less those kept."""
    return sum(current.profile.current.seats.values()) - plan.parts[1].seats_bought


def api_check_step(tier_name: str, api: str, day: dt.date) -> Step:
    """Check that integrations keep the API access they need on the edition kept."""
    if api == "full":
        detail = f"{tier_name} includes API access: list the integrations to retest."
    else:
        detail = (
            f"{tier_name} has no API access unless bought ({api}): integrations and export "
            "tools that use the API stop on the effective date. Buy the add-on or replace them."
        )
    return Step(
        day,
        "Check integrations and API access",
        detail,
        "admin",
        "Pro Suite and below have no API unless bought.",
        "change",
    )


def first_invoice_step(effective: dt.date, current: Current) -> Step:
    """The first invoice of the changed contract: reduced seats, agreed price."""
    invoices = old_invoice_dates(current)
    first = bisect_left(invoices, effective)
    invoice = invoices[first] if first < len(invoices) else effective
    return Step(
        invoice,
        "Check the first invoice",
        "The invoice must show the reduced seats and the agreed price.",
        "finance",
        "A renewal at the old quantity is billed unless the change was processed.",
        "after_exit",
    )


def downgrade_steps(plan: ScenarioPlan, dates: dict[str, dt.date], current: Current) -> list[Step]:
    """Backup before the change, the seats on the effective date, API and integrations."""
    effective = dates["effective"]
    cycle = export_every_days(current)
    api = plan.tier.features.get("api_access", "absent")
    return [
        api_check_step(
            plan.tier.name, api, max(dates["recommended_notice"], current.profile.analysis_start)
        ),
        *backup_steps(final_export_day(effective, cycle, None), cycle, None, None),
        Step(
            effective,
            "Downgrade takes effect",
            "Reassign or reduce seats per license type as the new order form says; retest "
            "the integrations.",
            "admin",
            "Seats and edition can change only at the term end.",
            "change",
        ),
        first_invoice_step(effective, current),
    ]


def partial_switch_steps(
    plan: ScenarioPlan, dates: dict[str, dt.date], current: Current
) -> list[Step]:
    """A partial switch: the moved roles' go-live, their data backed up, their users offboarded
    in the safe order, and the reduced contract checked; the kept roles keep the org, so
    there is no end of access and no data-return window.

    The final export is timed as in a switch (at cutover, at least one export cycle + 7 days
    before the reduced contract starts on X); the moved roles' users are frozen when the old
    system is last needed, their records reassigned after the export is verified and the
    users deactivated before X, when their seats go.
    """
    moved, kept = plan.parts
    reduced_on = dates["effective"]
    cycle = export_every_days(current)
    final, freeze, reassign, deactivate, baseline = cutover_days(plan, current, reduced_on, cycle)
    leaving = ", ".join(r.role.name for r in moved.roles)
    staying = ", ".join(r.role.name for r in kept.roles)
    api = kept.tier.features.get("api_access", "absent")
    return [
        api_check_step(
            kept.tier.name, api, max(dates["recommended_notice"], current.profile.analysis_start)
        ),
        Step(
            plan.go_live,
            "Go-live on the new CRM",
            f"{leaving} use both systems until {plan.needed_until - DAY}.",
            "admin",
            "The overlap lets users check the new system before the old one is frozen.",
            "milestone",
        ),
        Step(
            freeze,
            "Freeze the moved users on the old CRM",
            f"Freeze (do not deactivate) the users of {leaving}; {staying} keep working.",
            "admin",
            "The moved roles no longer need the old system; freezing stops their changes but "
            "keeps the export working.",
            "offboarding",
        ),
        *backup_steps(final, cycle, baseline, plan.needed_until),
        Step(
            reassign,
            "Reassign the moved users' records",
            f"Reassign records owned by the users of {leaving} to users of {staying} "
            "(or an archive owner).",
            "admin",
            "Records of deactivated owners are hard to reassign later.",
            "offboarding",
        ),
        Step(
            deactivate,
            "Deactivate the moved users",
            f"Deactivate the users of {leaving} and the integration users only they used; the "
            "export scheduler stays active.",
            "admin",
            f"The export is verified, and their {seats_released(plan, current)} seats go when "
            f"the reduced contract starts on {reduced_on}.",
            "offboarding",
        ),
        Step(
            reduced_on,
            "Reduced contract takes effect",
            f"{kept.seats_bought} seats of {kept.tier.name} remain for {staying}; check the "
            "seat assignments against the new order form.",
            "admin",
            "Seats can change only at the term end.",
            "change",
        ),
        first_invoice_step(reduced_on, current),
    ]
