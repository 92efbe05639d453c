"""The exit plan: the dated checklist for carrying out a scenario (DESIGN section 5).

It follows public cancellation guidance: notice 60 days ahead although the contract may allow
30, a full data export before access ends (the weekly export fails if the user who scheduled it
is deactivated, Salesforce Help 000385011), offboarding in a safe order, written cancellation,
confirmation, and two billing statements watched afterwards.
"""

from __future__ import annotations

import datetime as dt

from analyzer.costs import ScenarioPlan
from analyzer.dates import add_months
from analyzer.profile import Contract

EXPORT_LEAD_DAYS = 7
"""The weekly export runs at most every 7 days and its files are kept 48 hours."""

EXIT_PLAN_COLUMNS = ["scenario_id", "date", "step", "detail", "warning"]


def exit_plan_steps(
    plan: ScenarioPlan,
    dates: dict[str, dt.date],
    contract: Contract,
    old_invoice_dates: list[dt.date],
    start: dt.date,
) -> list[tuple[str, dt.date, str, str, bool]]:
    """Rows of :data:`EXIT_PLAN_COLUMNS` to carry out ``plan``, sorted by date (stable).

    ``dates`` are the scenario's key dates (:func:`analyzer.keydates.scenario_key_dates`);
    ``old_invoice_dates`` the dates of the old contract's invoices if it were kept (the
    billing statements to watch after an exit).
    """
    steps: list[tuple[dt.date, str, str]] = [
        (
            dates["renewal_window_opens"],
            "Renewal window opens",
            "Ask the account executive for renewal pricing and the uplift; requests in the last 30 "
            "days may be too late for adjustments.",
        ),
    ]
    if plan.kind == "stay":
        steps.append(
            (
                dates["recommended_notice"],
                "Negotiate the renewal",
                f"Ask for an uplift cap below {contract.uplift_pct:g}% before the notice "
                f"deadline {dates['notice_deadline']}.",
            )
        )
    else:
        what = "seat and edition reduction" if plan.kind == "downgrade" else "cancellation"
        steps += [
            (
                dates["recommended_notice"],
                f"Send written {what} notice (recommended)",
                "Send it 60 days ahead, by a method the contract accepts, to the address it names.",
            ),
            (
                dates["notice_deadline"],
                "Hard notice deadline",
                f"After this day the contract renews for {contract.renewal_term_months} months.",
            ),
            (
                dates["notice_deadline"],
                "Get written confirmation",
                "Have the vendor confirm the notice in writing before the deadline.",
            ),
        ]
    if plan.kind == "switch":
        exit_day = dates["exit"]
        steps += _switch_steps(plan, exit_day)
        if plan.exit.kind == "early":
            steps.append((exit_day, "Request the refund", f"Early exit: {plan.exit.reason}."))
        statements = [day for day in old_invoice_dates if day >= exit_day][:2]
        if len(statements) < 2:
            statements = [add_months(exit_day, 1), add_months(exit_day, 2)]
        for number, day in enumerate(statements, 1):
            steps.append(
                (
                    day,
                    f"Check billing statement {number}",
                    "Make sure no renewal invoice or charge for the old CRM arrives.",
                )
            )
    if plan.kind == "downgrade":
        steps.append(
            (
                dates["effective"],
                "Downgrade takes effect",
                "Check the new order form: seats per license type, edition and price.",
            )
        )
        steps.append(
            (
                add_months(dates["effective"], 1),
                "Check the first invoice",
                "The invoice must show the reduced seats and the agreed price.",
            )
        )
    passed = "This date has passed. "
    rows = [
        (plan.id, day, step, passed + detail if day < start else detail, day < start)
        for day, step, detail in steps
    ]
    return sorted(rows, key=lambda row: row[1])


def _switch_steps(plan: ScenarioPlan, exit_day: dt.date) -> list[tuple[dt.date, str, str]]:
    """Go-live, the last safe export and offboarding in its safe order."""
    last_export = exit_day - dt.timedelta(days=EXPORT_LEAD_DAYS)
    return [
        (
            plan.go_live,
            "Go-live on the new CRM",
            f"Both systems run until {plan.needed_until - dt.timedelta(days=1)}.",
        ),
        (
            last_export,
            "Last safe full data export",
            "Run the weekly data export with files, keep the ZIP parts (they are deleted after 48 "
            "hours) and check them. Do not deactivate the user who schedules the export before it "
            "has run: the export fails.",
        ),
        (
            last_export + dt.timedelta(days=1),
            "Offboarding 1: revoke permissions",
            "Remove edit rights and integrations' access; keep the export scheduler active.",
        ),
        (
            last_export + dt.timedelta(days=2),
            "Offboarding 2: reassign record ownership",
            "Reassign records owned by leaving users before anyone is deactivated.",
        ),
        (
            last_export + dt.timedelta(days=3),
            "Offboarding 3: deactivate users",
            "Deactivate users last, the export scheduler last of all.",
        ),
        (
            exit_day,
            "Old CRM access ends",
            "The org is locked; data can be requested for a "
            "limited time (commonly about 120 days).",
        ),
    ]
