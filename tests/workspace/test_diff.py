"""The diff of two analyses, on small hand-made analyses whose figures are known by heart."""

from __future__ import annotations

import json

import yaml
from hypothesis import given
from hypothesis import strategies as st

from analyzer.workspace import CatalogFingerprint, NewAnalysis, diff_analyses, format_diff
from analyzer.workspace.diff import InputChange, PriceChange, input_changes, profile_fields

LABELS = {"stay": "Stay on Old CRM", "switch:new/std": "Switch to New CRM"}
OLD_CATALOG = CatalogFingerprint("a" * 64, "2026-01-01")
NEW_CATALOG = CatalogFingerprint("b" * 64, "2026-06-01")


def analysis(
    seats: int,
    totals: dict[str, float | None],
    seat_price: float,
    catalog: CatalogFingerprint = OLD_CATALOG,
) -> NewAnalysis:
    """A two-option analysis: the winner is the cheaper costed option, saving against stay."""
    costed = {sid: total for sid, total in totals.items() if total is not None}
    winner = min(costed, key=costed.get)
    profile = {"name": "Acme", "horizon_months": 36, "roles": [{"id": "reps", "seats": seats}]}
    sources = [
        {"product": "Old CRM", "tier": "Pro", "kind": "license", "item": "User", "amount": 50.0,
         "currency": "USD"},
        {"product": "New CRM", "tier": "Std", "kind": "license", "item": "Seat",
         "amount": seat_price, "currency": "USD"},
    ]  # fmt: skip
    summary = {
        "currency": "USD",
        "winner": winner,
        "winner_label": LABELS[winner],
        "saving": costed["stay"] - costed[winner],
        "scenarios": {
            sid: {"label": LABELS[sid], "total": t, "rank": 1} for sid, t in totals.items()
        },
    }
    return NewAnalysis(
        profile_name="Acme",
        profile_yaml=yaml.safe_dump(profile, sort_keys=False),
        catalog=catalog,
        summary=summary,
        report=json.dumps({"sources": sources}),
        saved_by="ana",
    )


def test_a_price_rise_and_a_new_seat_turn_a_switch_back_into_stay():
    old = analysis(3, {"stay": 1000.0, "switch:new/std": 900.0}, 100.0)
    new = analysis(4, {"stay": 1000.0, "switch:new/std": 1100.0}, 110.0, NEW_CATALOG)
    diff = diff_analyses(old, new, "#1", "#2")
    assert diff.inputs == (InputChange("roles[reps].seats", 3, 4),)
    assert diff.prices == (PriceChange("New CRM", "Std", "Seat", "USD", 100.0, 110.0),)
    assert diff.catalog_changed and diff.winner_changed
    # stay: 1000 -> 1000 = 0; switch: 900 -> 1100 = +200.
    assert [(t.scenario_id, t.delta) for t in diff.totals] == [("stay", 0), ("switch:new/std", 200)]
    assert diff.reasons == (
        "1 profile input(s) changed: roles[reps].seats.",
        "The catalog changed (prices up to 2026-01-01 → 2026-06-01): 1 price(s) used here changed.",
        "The recommendation changed from Switch to New CRM to Stay on Old CRM.",
        "Largest move: Switch to New CRM, $900 → $1,100 (+$200).",
        # saving of the winner: 1000 - 900 = 100 before; stay against itself: 0 after.
        "The recommended option's saving against staying: $100 → $0.",
    )
    text = format_diff(diff)
    assert "roles[reps].seats: 3 → 4" in text
    assert "New CRM Std, Seat: $100.00 → $110.00" in text
    assert "Switch to New CRM: $900 → $1,100 (+$200)" in text


def test_the_same_analysis_twice_changes_nothing():
    same = analysis(3, {"stay": 1000.0, "switch:new/std": 900.0}, 100.0)
    diff = diff_analyses(same, same)
    assert (diff.inputs, diff.prices, diff.catalog_changed, diff.winner_changed) == (
        (),
        (),
        False,
        False,
    )
    assert diff.reasons == (
        "Same profile and catalog: same figures.",
        "The recommendation is still Switch to New CRM.",
    )


def test_same_inputs_with_other_figures_point_at_the_analyzer():
    old = analysis(3, {"stay": 1000.0, "switch:new/std": 900.0}, 100.0)
    new = analysis(3, {"stay": 1000.0, "switch:new/std": 950.0}, 100.0)
    assert diff_analyses(old, new).reasons[0] == (
        "Same profile and catalog: the figures differ, so the analyzer's rules changed between "
        "the two runs."
    )


def test_a_catalog_change_that_touches_no_used_price_says_so():
    old = analysis(3, {"stay": 1000.0, "switch:new/std": 900.0}, 100.0)
    new = analysis(3, {"stay": 1000.0, "switch:new/std": 900.0}, 100.0, NEW_CATALOG)
    assert "none of the prices used here changed" in diff_analyses(old, new).reasons[0]


def test_an_option_no_longer_costed_shows_as_gone():
    old = analysis(3, {"stay": 1000.0, "switch:new/std": 900.0}, 100.0)
    new = analysis(3, {"stay": 1000.0, "switch:new/std": None}, 100.0, NEW_CATALOG)
    switch = diff_analyses(old, new).totals[1]
    assert (switch.old, switch.new, switch.delta) == (900.0, None, None)


SCALARS = st.one_of(st.integers(-5, 5), st.text("ab", max_size=2), st.booleans(), st.none())
FLAT_PROFILES = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), SCALARS)


@given(FLAT_PROFILES, FLAT_PROFILES)
def test_input_changes_are_the_fields_that_differ_and_swap_with_the_sides(old, new):
    old_yaml, new_yaml = yaml.safe_dump(old), yaml.safe_dump(new)
    differing = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    forward = input_changes(old_yaml, new_yaml)
    backward = input_changes(new_yaml, old_yaml)
    assert {c.field for c in forward} == differing
    assert {(c.field, c.new, c.old) for c in backward} == {(c.field, c.old, c.new) for c in forward}
    assert input_changes(old_yaml, old_yaml) == ()


def test_list_items_are_named_by_their_id_so_reordering_is_no_change():
    first = "roles: [{id: reps, seats: 3}, {id: execs, seats: 1}]\n"
    second = "roles: [{id: execs, seats: 1}, {id: reps, seats: 3}]\n"
    assert input_changes(first, second) == ()
    assert profile_fields(first)["roles[execs].seats"] == 1
