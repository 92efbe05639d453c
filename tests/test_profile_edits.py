"""Profile edits: the app's business rules, tested without a browser."""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from analyzer.catalog import is_stale, stale_cutoff
from analyzer.errors import AnalyzerError, InputError, Problem, ScenarioError
from analyzer.profile import Profile, load_profile
from analyzer.profile_edits import (
    AHP_RATIOS,
    ROLE_KINDS,
    ContractAnswers,
    blank_to_none,
    candidate_problems,
    edited_rows,
    field_label,
    fx_from_rows,
    guided_profile,
    nearest_ratio,
    needs_from_levels,
    problem_messages,
    quotes_from_rows,
    ratio_text,
    remapped_subscription,
    roles_from_rows,
    starting_judgement,
    with_changes,
    with_staleness,
)

ENTERPRISE_TYPES = [
    "sales_cloud",
    "service_cloud",
    "platform_starter",
    "platform_plus",
    "chatter_free",
]
NAMES = {"cost": "Cost", "fit": "Fit", "effort": "Effort"}


@pytest.fixture(scope="module")
def example(catalog):
    return load_profile(catalog=catalog)


# --- editing helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize("blank", [None, float("nan"), pd.NA])
def test_blank_cells_become_none(blank):
    assert blank_to_none(blank) is None


@pytest.mark.parametrize("value", [0, 0.0, "", "x", False])
def test_filled_cells_are_kept(value):
    assert blank_to_none(value) is value


def test_with_changes_replaces_nested_values_and_leaves_the_profile_alone(example):
    data = with_changes(example, {("current", "billing"): "monthly", ("roles", 1, "seats"): 3})
    assert data["current"]["billing"] == "monthly"
    assert data["roles"][1]["seats"] == 3
    assert data["roles"][0]["seats"] == example.roles[0].seats
    # The profile the edit started from is unchanged.
    assert example.current.billing == "annual" and example.roles[1].seats == 10


# --- seat remapping ----------------------------------------------------------------------------


def test_a_smaller_edition_moves_missing_seats_to_its_full_seat(example, catalog):
    # Enterprise: 90 sales_cloud + 25 service_cloud. Pro has sales_cloud and chatter_free only,
    # so the 25 service seats move to Pro's full seat (sales_cloud): 90 + 25 = 115.
    data = remapped_subscription(example, catalog, "salesforce", "pro", "monthly")
    assert data["current"]["seats"] == {"sales_cloud": 115}
    assert data["current"]["tier"] == "pro" and data["current"]["billing"] == "monthly"
    # The price paid for service_cloud belongs to a license type Pro lacks: dropped.
    assert data["current"]["prices"] == {"sales_cloud": 150}
    held = {role["id"]: role["current_license"] for role in data["roles"]}
    assert held == {
        "sales_reps": "sales_cloud",
        "sales_managers": "sales_cloud",
        "support_agents": None,
        "dashboard_viewers": "sales_cloud",
    }
    profile, problems = candidate_problems(data, catalog)
    assert problems == [] and profile.current.tier == "pro"


def test_a_larger_edition_keeps_every_seat_where_it_was(example, catalog):
    data = remapped_subscription(example, catalog, "salesforce", "unlimited", "annual")
    assert data["current"]["seats"] == {"sales_cloud": 90, "service_cloud": 25}
    assert data["current"]["prices"] == {"sales_cloud": 150, "service_cloud": 150}


def test_an_unknown_edition_is_an_analyzer_error(example, catalog):
    with pytest.raises(AnalyzerError, match="salesforce/nonesuch"):
        remapped_subscription(example, catalog, "salesforce", "nonesuch", "annual")


@settings(max_examples=40, deadline=None)
@given(
    seats=st.dictionaries(st.sampled_from(ENTERPRISE_TYPES), st.integers(1, 10_000), min_size=1),
    tier=st.sampled_from(["starter", "pro", "enterprise", "unlimited", "agentforce_1"]),
)
def test_remapping_keeps_the_seat_count_and_only_known_license_types(example, catalog, seats, tier):
    profile = Profile.model_validate(with_changes(example, {("current", "seats"): seats}))
    data = remapped_subscription(profile, catalog, "salesforce", tier, "annual")
    known = {lt.id for lt in catalog.product("salesforce").tier(tier).license_types}
    assert sum(data["current"]["seats"].values()) == sum(seats.values())
    assert set(data["current"]["seats"]) <= known
    assert set(data["current"]["prices"]) <= known


# --- rows from the data editors ----------------------------------------------------------------


def test_roles_keep_their_needs_by_row_index_and_new_rows_start_with_none(example):
    rows = [
        # The first role renamed: same row index 0, so its needs stay.
        {"index": 0, "id": "reps", "name": "Reps", "seats": 60, "current_license": "sales_cloud"},
        # Row 2 (support agents) kept, with an empty seat cell.
        {
            "index": 2,
            "id": "support_agents",
            "name": "Support",
            "seats": float("nan"),
            "current_license": None,
        },
        # A new row gets an index past the four old roles.
        {"index": 4, "id": "new", "name": "New", "seats": 1, "current_license": pd.NA},
    ]
    roles = roles_from_rows(example, rows)
    assert [role["id"] for role in roles] == ["reps", "support_agents", "new"]
    assert roles[0]["needs"] == example.roles[0].needs
    assert roles[1]["needs"] == example.roles[2].needs
    assert roles[1]["seats"] is None
    assert roles[2]["needs"] == {} and roles[2]["current_license"] is None


def test_a_role_row_without_a_name_is_rejected_with_its_field(example, catalog):
    rows = [{"index": 0, "id": "reps", "name": None, "seats": 5, "current_license": None}]
    data = with_changes(example, {("roles",): roles_from_rows(example, rows)})
    profile, problems = candidate_problems(data, catalog)
    assert profile is None
    assert any(message.startswith("Roles, row 1, Name:") for message in problems)


def test_quote_rows_leave_out_empty_cells():
    rows = [
        {
            "product": "hubspot",
            "tier": "pro",
            "license_type": None,
            "amount": 50.0,
            "currency": "USD",
            "billing": float("nan"),
        },
    ]
    assert quotes_from_rows(rows) == [
        {"product": "hubspot", "tier": "pro", "amount": 50.0, "currency": "USD"}
    ]


def test_a_quote_row_without_an_amount_is_rejected_with_its_field(example, catalog):
    rows = [{"product": "hubspot", "tier": "pro", "amount": None, "currency": "USD"}]
    data = with_changes(example, {("quotes",): quotes_from_rows(rows)})
    profile, problems = candidate_problems(data, catalog)
    assert profile is None
    assert any(message.startswith("Quotes, row 1, Amount:") for message in problems)


def test_fx_rows_without_a_currency_are_skipped():
    rows = [
        {"currency": "EUR", "rate": 1.1},
        {"currency": None, "rate": 2.0},
        {"currency": "GBP", "rate": float("nan")},
    ]
    assert fx_from_rows(rows) == {"EUR": 1.1, "GBP": None}


def test_need_levels_become_musts_and_weights():
    assert needs_from_levels({"a": "must", "b": "5", "c": "1", "d": None, "e": float("nan")}) == {
        "a": "must",
        "b": 5,
        "c": 1,
    }


# --- candidate validation and messages ---------------------------------------------------------


def test_a_valid_candidate_is_returned_as_a_profile(example, catalog):
    profile, problems = candidate_problems(example.model_dump(), catalog)
    assert problems == [] and profile == example


def test_a_candidate_out_of_bounds_names_the_field(example, catalog):
    data = with_changes(example, {("horizon_months",): 500})
    profile, problems = candidate_problems(data, catalog)
    assert profile is None
    assert problems == ["Horizon (months): must be 120 or less"]


def test_a_candidate_naming_an_unknown_product_is_a_catalog_problem(example, catalog):
    data = with_changes(example, {("current", "product"): "nonesuch"})
    profile, problems = candidate_problems(data, catalog)
    assert profile is None
    assert any("nonesuch" in message for message in problems)


def test_all_zero_weights_are_rejected_with_the_weights_field(example, catalog):
    data = with_changes(example, {("criteria_weights",): {"cost": 0, "fit": 0, "effort": 0}})
    profile, problems = candidate_problems(data, catalog)
    assert profile is None
    assert problems == ["Criteria weights: at least one weight must be above 0"]


def test_problem_messages_of_an_input_error_give_the_line_and_the_field_label():
    problem = Problem("p.yaml", 3, 7, "current.seats", "must be a whole number")
    assert problem_messages(InputError([problem])) == [
        "Line 3, column 7: Seats: must be a whole number"
    ]


def test_a_problem_found_in_memory_has_no_internal_prefix():
    # check_profile reports in-memory problems as "profile:0:0"; none of that reaches a user.
    problem = Problem("profile", 0, 0, "roles.2.current_license", "unknown license type 'x'")
    assert problem_messages(InputError([problem])) == [
        "Roles, row 3, Seat held today: unknown license type 'x'"
    ]


def test_problem_messages_of_a_validation_error_name_the_field():
    with pytest.raises(ValidationError) as error:
        Profile.model_validate({"name": "x"})
    messages = problem_messages(error.value)
    assert "Subscription: is required" in messages and "Roles: is required" in messages


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ScenarioError("unknown scenario 'x'"), "unknown scenario 'x'"),
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "not valid UTF-8"),
        (UnicodeEncodeError("utf-8", "\ud83d", 0, 1, "surrogates not allowed"), "not valid UTF-8"),
        (OverflowError("int too large to convert to float"), "too large"),
        (ValueError("cannot convert float NaN to integer"), "could not be used: cannot convert"),
    ],
)
def test_every_failure_becomes_one_human_message(error, expected):
    messages = problem_messages(error)
    assert len(messages) == 1 and expected in messages[0]
    assert "Traceback" not in messages[0]


# --- the Saaty scale ---------------------------------------------------------------------------


def test_the_saaty_scale_runs_from_nine_to_one_ninth():
    assert len(AHP_RATIOS) == 17
    assert AHP_RATIOS[0] == 9 and AHP_RATIOS[8] == 1 and AHP_RATIOS[-1] == pytest.approx(1 / 9)


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        # The boundary between two scale values is their geometric mean: between 2 and 3 it is
        # sqrt(6) = 2.449, between 1 and 2 it is sqrt(2) = 1.414.
        (2.6, 3),
        (2.4, 2),
        (1.4, 1),
        (1.43, 2),
        (1 / 2.6, 1 / 3),
        (100.0, 9),
        (1e-12, 1 / 9),
    ],
)
def test_nearest_ratio_on_a_log_scale(ratio, expected):
    assert nearest_ratio(ratio) == pytest.approx(expected)


@given(st.floats(1e-6, 1e6))
def test_no_scale_value_is_closer_than_the_nearest_ratio(ratio):
    chosen = nearest_ratio(ratio)
    assert chosen in AHP_RATIOS
    distance = abs(math.log(chosen / ratio))
    assert all(abs(math.log(r / ratio)) >= distance for r in AHP_RATIOS)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # cost/fit = 0.5/0.35 = 1.43, above sqrt(2) = 1.414: 2.
        ("cost", "fit", 2),
        # cost/effort = 0.5/0.15 = 3.33, below sqrt(12) = 3.46: 3.
        ("cost", "effort", 3),
        # fit/effort = 0.35/0.15 = 2.33, below sqrt(6) = 2.45: 2.
        ("fit", "effort", 2),
        ("effort", "cost", 1 / 3),
    ],
)
def test_starting_judgement_from_the_weights(a, b, expected):
    weights = {"cost": 0.5, "fit": 0.35, "effort": 0.15}
    assert starting_judgement(weights, a, b) == pytest.approx(expected)


def test_a_zero_weight_starts_at_the_end_of_the_scale():
    assert starting_judgement({"cost": 1.0, "fit": 0.0}, "cost", "fit") == 9
    assert starting_judgement({"cost": 1.0, "fit": 0.0}, "fit", "cost") == pytest.approx(1 / 9)


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (1, "equally important"),
        (5, "Cost 5× as important"),
        (1 / 4, "Fit 4× as important"),
    ],
)
def test_ratio_text(ratio, expected):
    assert ratio_text("cost", "fit", ratio, NAMES) == expected


def test_ratio_text_falls_back_to_the_criterion_id():
    assert ratio_text("speed", "fit", 3, NAMES) == "speed 3× as important"


# --- staleness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "cutoff"),
    [
        (dt.date(2026, 2, 28), dt.date(2025, 2, 28)),
        # 12 calendar months before 29 February is the last day of the earlier February.
        (dt.date(2024, 2, 29), dt.date(2023, 2, 28)),
        (dt.date(2026, 1, 1), dt.date(2025, 1, 1)),
    ],
)
def test_stale_cutoff_is_twelve_calendar_months_before_the_start(start, cutoff):
    assert stale_cutoff(start) == cutoff


@pytest.mark.parametrize(
    ("as_of", "stale"),
    [
        (dt.date(2025, 3, 14), True),  # one day more than 12 months before 2026-03-15
        (dt.date(2025, 3, 15), False),  # exactly 12 months: not older
        (dt.date(2026, 3, 15), False),
        (dt.date(2026, 6, 1), False),  # read after the start
    ],
)
def test_a_price_is_stale_when_older_than_twelve_months_at_the_start(as_of, stale):
    assert is_stale(as_of, dt.date(2026, 3, 15)) is stale


def test_staleness_is_judged_at_the_analysis_start_not_today():
    prices = pd.DataFrame(
        {"as_of": ["2020-01-10", "2024-06-01", "2025-01-01"], "amount": [1, 2, 3]}
    )
    at_2025 = with_staleness(prices, dt.date(2025, 1, 31))
    # Cutoff 2024-01-31: only the 2020 price is older.
    assert list(at_2025["stale"]) == [True, False, False]
    at_2026 = with_staleness(prices, dt.date(2026, 1, 31))
    # Cutoff 2025-01-31: the 2025-01-01 price is older too.
    assert list(at_2026["stale"]) == [True, True, True]
    assert list(at_2026["amount"]) == [1, 2, 3]


def test_a_price_without_a_date_is_not_flagged_stale():
    prices = pd.DataFrame({"as_of": ["2020-01-10", None]})
    assert list(with_staleness(prices, dt.date(2026, 1, 31))["stale"]) == [True, False]


# --- notice deadline urgency -------------------------------------------------------------------


# --- human messages ----------------------------------------------------------------------------


def test_a_bad_role_id_is_explained_in_words_with_a_one_based_row(example, catalog):
    data = with_changes(example, {("roles", 1, "id"): "Sales Managers"})
    profile, problems = candidate_problems(data, catalog)
    assert profile is None
    assert problems == [
        "Roles, row 2, Id: use lowercase letters, digits, _ and -, starting with a letter or a "
        "digit"
    ]


def test_bounds_are_written_with_thousands_marks(example, catalog):
    data = with_changes(example, {("roles", 0, "seats"): 99_999_999})
    profile, problems = candidate_problems(data, catalog)
    assert profile is None
    # MAX_SEATS is one million.
    assert problems == ["Roles, row 1, Seats: must be 1,000,000 or less"]


def test_negative_role_seats_are_rejected_not_turned_positive(example, catalog):
    data = with_changes(example, {("roles", 0, "seats"): -7})
    profile, problems = candidate_problems(data, catalog)
    assert profile is None
    assert problems == ["Roles, row 1, Seats: must be 0 or more"]


def test_an_empty_organisation_name_is_rejected(example, catalog):
    profile, problems = candidate_problems(with_changes(example, {("name",): "  "}), catalog)
    assert profile is None
    assert problems == ["Organisation: enter a name"]


@pytest.mark.parametrize(
    ("path", "label"),
    [
        (("roles", 0, "id"), "Roles, row 1, Id"),
        ("quotes.11.amount", "Quotes, row 12, Amount"),
        ("current.contract.notice_days", "Notice (days)"),
        ("current.seats.sales_cloud", "Seats, sales_cloud"),
        ("migration.overrun_pct.2", "Migration, Overrun (%), row 3"),
    ],
)
def test_field_labels_use_the_forms_words_and_count_rows_from_one(path, label):
    assert field_label(path) == label


@given(st.from_regex(r"[a-z_]{1,12}(\.[0-9]{1,3}){0,1}", fullmatch=True))
def test_a_field_label_never_shows_a_zero_based_row(path):
    label = field_label(path)
    assert ".0" not in label and not re.search(r"row 0\b", label)


# --- data-editor edits -------------------------------------------------------------------------


def test_editor_edits_change_delete_and_add_rows_keeping_their_original_positions():
    rows = [{"id": "a", "seats": 1}, {"id": "b", "seats": 2}, {"id": "c", "seats": 3}]
    # Streamlit keeps the positions of edited rows as ints or, from JSON, as strings.
    edits = {
        "edited_rows": {"2": {"seats": 30}},
        "deleted_rows": [0],
        "added_rows": [{"id": "d"}],
    }
    assert edited_rows(rows, edits) == [
        {"index": 1, "id": "b", "seats": 2},
        {"index": 2, "id": "c", "seats": 30},
        {"index": 3, "id": "d", "seats": None},
    ]


def test_no_editor_edits_leave_the_rows_as_they_were():
    rows = [{"id": "a"}]
    assert edited_rows(rows, None) == [{"index": 0, "id": "a"}]


@given(
    st.lists(st.integers(0, 100), min_size=1, max_size=8),
    st.data(),
)
def test_deleting_rows_keeps_every_other_row_in_order(seats, data):
    rows = [{"seats": n} for n in seats]
    deleted = data.draw(st.sets(st.integers(0, len(rows) - 1)))
    kept = edited_rows(rows, {"deleted_rows": sorted(deleted)})
    assert [row["index"] for row in kept] == [i for i in range(len(rows)) if i not in deleted]
    assert [row["seats"] for row in kept] == [n for i, n in enumerate(seats) if i not in deleted]


def test_a_renamed_role_edited_in_the_table_keeps_its_needs(example, catalog):
    table = [
        {"id": r.id, "name": r.name, "seats": r.seats, "current_license": r.current_license}
        for r in example.roles
    ]
    rows = edited_rows(table, {"edited_rows": {0: {"id": "reps"}}})
    data = with_changes(example, {("roles",): roles_from_rows(example, rows)})
    profile, problems = candidate_problems(data, catalog)
    assert problems == []
    assert profile.roles[0].id == "reps" and profile.roles[0].needs == example.roles[0].needs


def test_a_limited_must_have_survives_the_needs_table():
    assert needs_from_levels({"a": "must_limited", "b": "2"}) == {"a": "must_limited", "b": 2}


# --- the guided start --------------------------------------------------------------------------


def guided_answers(**changes) -> ContractAnswers:
    answers = {
        "name": "Globex",
        "product": "salesforce",
        "tier": "enterprise",
        "seats": 120,
        "price": 160.0,
        "term_end": dt.date(2027, 6, 30),
        "notice_days": 60,
        "auto_renew": True,
        "uplift_pct": 7.0,
        "analysis_start": dt.date(2027, 1, 4),
    }
    return ContractAnswers(**(answers | changes))


def test_the_guided_start_builds_a_valid_profile_from_the_answers(example, catalog):
    data = guided_profile(
        example,
        catalog,
        guided_answers(),
        {"sales_reps": 80, "support_agents": 30, "marketing": 0},
        {"records": 500_000, "integrations": 2},
    )
    profile, problems = candidate_problems(data, catalog)
    assert problems == []
    assert profile.name == "Globex"
    # One year ending 2027-06-30 starts on 2026-07-01.
    assert profile.current.contract.start == dt.date(2026, 7, 1)
    assert profile.current.contract.notice_days == 60
    full_seat = catalog.product("salesforce").tier("enterprise").license_types[0].id
    assert profile.current.seats == {full_seat: 120}
    assert float(profile.current.prices[full_seat]) == 160.0
    # Marketing has 0 seats: no role for it.
    assert [(r.id, r.seats) for r in profile.roles] == [("sales_reps", 80), ("support_agents", 30)]
    assert profile.roles[1].needs["case_management"] == "must"
    assert profile.org_needs["contact_management"] == "must"
    assert (profile.migration.records, profile.migration.integrations) == (500_000, 2)
    # The rest of the migration is the template's.
    assert profile.migration.hourly_rate == example.migration.hourly_rate


def test_every_role_kind_preset_names_catalog_features(catalog):
    features = {feature.id for feature in catalog.features}
    for kind in ROLE_KINDS.values():
        assert set(kind.needs) <= features
        assert "must" in kind.needs.values()


def test_the_guided_start_rejects_an_edition_not_in_the_catalog(example, catalog):
    with pytest.raises(AnalyzerError, match="Current CRM and edition"):
        guided_profile(example, catalog, guided_answers(tier="nonesuch"), {"sales_reps": 1}, {})
