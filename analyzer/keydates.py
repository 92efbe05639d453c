"""Key dates per scenario: one computation that the timeline, checklist, reports and calendar read.

A scenario's key dates come from the contract term it changes (DESIGN section 5b): Stay and a
downgrade act on the first term whose notice deadline is still ahead; a switch on the term its
exit ends (a term end) or stops inside (an early exit). A switch also has its go-live, the day
the old system is last needed and the exit date (the day access ends).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from analyzer.contract import Term, decision_term, key_dates
from analyzer.costs import Current, ScenarioPlan

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


def scenario_term(plan: ScenarioPlan, current: Current) -> Term:
    """The contract term that ``plan`` changes (or, for Stay, the renewal it can still stop)."""
    profile = current.profile
    if plan.exit is None:
        return decision_term(current.chain, profile.current.contract, profile.analysis_start)
    day = plan.exit.date
    return next((t for t in current.chain if t.exit_date == day), None) or next(
        t for t in current.chain if t.start <= day <= t.end
    )


def scenario_key_dates(plan: ScenarioPlan, current: Current) -> dict[str, dt.date]:
    """Event id -> date for ``plan``, sorted by date (same-day events in catalog order)."""
    profile = current.profile
    dates = key_dates(scenario_term(plan, current), profile.current.contract)
    events: dict[str, dt.date | None] = {
        "term_start": dates.term_start,
        "renewal_window_opens": dates.renewal_window_opens,
        "recommended_notice": dates.recommended_notice,
        "notice_deadline": dates.notice_deadline,
        "term_end": dates.term_end,
        "refund_window_end": dates.refund_window_end,
        "effective": plan.effective_date if plan.kind == "downgrade" else None,
        "go_live": plan.go_live,
        "needed_until": plan.needed_until,
        "exit": plan.exit.date if plan.exit else None,
    }
    order = list(KEY_DATE_EVENTS)
    present = [(event, day) for event, day in events.items() if day is not None]
    return dict(sorted(present, key=lambda item: (item[1], order.index(item[0]))))


def key_date_rows(plan: ScenarioPlan, current: Current) -> Iterator[tuple[str, str, str, dt.date]]:
    """Rows of :data:`KEY_DATE_COLUMNS` for one scenario."""
    for event, day in scenario_key_dates(plan, current).items():
        yield plan.id, event, KEY_DATE_EVENTS[event], day
