"""Key dates per scenario: one computation that the timeline, checklist, reports and calendar read.

A scenario's key dates come from the contract term it changes (DESIGN section 5b): Stay and a
downgrade act on the first term whose notice deadline is still ahead; a switch on the term its
exit ends (a term end) or stops inside (an early exit). A switch also has its go-live, the day
the old system is last needed and the exit date (the day access ends); a partial switch has the
day the reduced contract takes effect instead of an exit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import pandas as pd

from analyzer.contract import RENEWAL_WINDOW_DAYS, Term, decision_term, notice_deadline
from analyzer.costs import Current, ScenarioPlan
from analyzer.frames import stacked_table

NOTICE_LEAD_DAYS = 30
"""The recommended notice goes out this many days before the notice deadline."""

KEY_DATE_EVENTS = {
    "term_start": "Term start",
    "renewal_window_opens": "Renewal window opens",
    "recommended_notice": "Recommended notice",
    "notice_deadline": "Notice deadline",
    "term_end": "Term end",
    "refund_window_end": "Full-refund window ends",
    "effective": "Change takes effect",
    "go_live": "Go-live",
    "needed_until": "Overlap ends",
    "exit": "Exit from the old contract",
}
"""Event id -> display name, in the order events of the same day are listed."""

KEY_DATE_COLUMNS = ["scenario_id", "event_id", "event", "date"]

EVENT_ORDER = {event: n for n, event in enumerate(KEY_DATE_EVENTS)}
"""Event id -> its place among events of the same day."""
NOTICE_LEAD = dt.timedelta(days=NOTICE_LEAD_DAYS)
RENEWAL_WINDOW = dt.timedelta(days=RENEWAL_WINDOW_DAYS)


def scenario_term(plan: ScenarioPlan, current: Current) -> Term:
    """The contract term that ``plan`` changes (or, for Stay, the renewal it can still stop)."""
    profile = current.profile
    if plan.exit is None:
        return decision_term(current.chain, profile.current.contract, profile.analysis_start)
    day = plan.exit.date
    return next((t for t in current.chain if t.exit_date == day), None) or next(
        t for t in current.chain if t.start <= day <= t.end
    )


def exit_day(plan: ScenarioPlan, term: Term) -> dt.date:
    """The day the old contract stops or changes: the early-exit date, else the term's end + 1."""
    return plan.exit.date if plan.exit is not None else term.exit_date


def is_early_exit(plan: ScenarioPlan) -> bool:
    """Whether ``plan`` leaves the old contract inside a term."""
    return plan.exit is not None and plan.exit.kind == "early"


def contract_notice_date(deadline: dt.date, window_opens: dt.date, early: bool) -> dt.date:
    """The recommended notice as the contract alone sets it: N - 30 days, never before the
    renewal window opens (which an early exit does not wait for) and never after N. The key
    dates move it to the analysis start when it has passed; the exit plan and the warnings say
    that this date has passed."""
    if early:
        return deadline - NOTICE_LEAD
    return min(deadline, max(deadline - NOTICE_LEAD, window_opens))


def planned_notice(plan: ScenarioPlan, dates: dict[str, dt.date]) -> dt.date:
    """:func:`contract_notice_date` of ``plan`` from its key dates."""
    return contract_notice_date(
        dates["notice_deadline"], dates["renewal_window_opens"], is_early_exit(plan)
    )


def scenario_key_dates(plan: ScenarioPlan, current: Current) -> dict[str, dt.date]:
    """Event id -> date for ``plan``, sorted by date (same-day events in catalog order).

    The rules of DESIGN section 5b: the notice deadline N is the term's ``end - notice_days``,
    or for an early exit on X ``X - notice_days`` (at least a day before X; the analysis start
    when already past); the
    renewal window opens 90 days before the term end; the recommended notice is N - 30 days,
    never before the renewal window (which an early exit does not wait for), never after N and
    never before the analysis start (act now).
    """
    profile = current.profile
    contract = profile.current.contract
    term = scenario_term(plan, current)
    window = term.end - RENEWAL_WINDOW
    early = is_early_exit(plan)
    if early:
        # With no notice period the notice still has to arrive before the day access ends.
        days = max(contract.notice_days, 1)
        deadline = max(exit_day(plan, term) - dt.timedelta(days=days), profile.analysis_start)
    else:
        deadline = notice_deadline(term, contract)
    recommended = max(contract_notice_date(deadline, window, early), profile.analysis_start)
    # A downgrade and a partial switch change the contract on the exit date instead of leaving.
    changes_contract = plan.kind == "downgrade" or plan.shape == "partial"
    refund_end = None
    if contract.refund == "full_within_days":
        refund_end = term.start + dt.timedelta(days=contract.full_refund_days)
    events: dict[str, dt.date | None] = {
        "term_start": term.start,
        "renewal_window_opens": window,
        "recommended_notice": recommended,
        "notice_deadline": deadline,
        "term_end": term.end,
        "refund_window_end": refund_end,
        "effective": plan.effective_date if changes_contract else None,
        "go_live": plan.go_live,
        "needed_until": plan.needed_until,
        "exit": plan.exit.date if plan.exit and not changes_contract else None,
    }
    present = sorted(
        (day, EVENT_ORDER[event], event) for event, day in events.items() if day is not None
    )
    return {event: day for day, _, event in present}


def key_date_rows(
    plan: ScenarioPlan, current: Current, dates: dict[str, dt.date] | None = None
) -> Iterator[tuple[str, str, str, dt.date]]:
    """Rows of :data:`KEY_DATE_COLUMNS` for one scenario.

    ``dates`` are its key dates when already worked out (:func:`scenario_key_dates`).
    """
    if dates is None:
        dates = scenario_key_dates(plan, current)
    for event, day in dates.items():
        yield plan.id, event, KEY_DATE_EVENTS[event], day


def key_dates_of(plan: ScenarioPlan) -> tuple:
    """Everything :func:`scenario_key_dates` reads of ``plan``: plans with equal keys (every
    switch of one analysis, whatever its products) have the same key dates."""
    changes_contract = plan.kind == "downgrade" or plan.shape == "partial"
    return plan.exit, changes_contract, plan.effective_date, plan.go_live, plan.needed_until


def all_key_dates(plans: Sequence[ScenarioPlan], current: Current) -> list[dict[str, dt.date]]:
    """:func:`scenario_key_dates` of every plan, in order, each worked out once per
    :func:`key_dates_of`: plans with equal keys share one dict (read-only)."""
    shared: dict[tuple, dict[str, dt.date]] = {}
    dates = []
    for plan in plans:
        key = key_dates_of(plan)
        plan_dates = shared.get(key)
        if plan_dates is None:
            plan_dates = shared[key] = scenario_key_dates(plan, current)
        dates.append(plan_dates)
    return dates


def key_dates_table(
    plans: Sequence[ScenarioPlan], dates: Sequence[dict[str, dt.date]]
) -> pd.DataFrame:
    """The :data:`KEY_DATE_COLUMNS` table of ``plans`` whose key dates are ``dates``
    (:func:`all_key_dates`): every plan's :func:`key_date_rows`, plan by plan."""
    blocks: list[list[tuple[str, str, dt.date]]] = []
    block_at: dict[int, int] = {}
    block_of = []
    for plan_dates in dates:
        if id(plan_dates) not in block_at:
            block_at[id(plan_dates)] = len(blocks)
            blocks.append([(e, KEY_DATE_EVENTS[e], day) for e, day in plan_dates.items()])
        block_of.append(block_at[id(plan_dates)])
    return stacked_table(
        KEY_DATE_COLUMNS,
        ("text", "text", "object"),
        [plan.id for plan in plans],
        blocks,
        block_of,
    )
