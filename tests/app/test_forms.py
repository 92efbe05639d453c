"""The profile's forms: edits apply as they are made, are explained when rejected, never lost."""

from __future__ import annotations

from analyzer.profile import load_profile
from app_pages import state
from app_pages.forms.roles import ORG_WIDE, needs_table
from tests.app.conftest import (
    PROFILE_PAGE,
    by_label,
    edit_table,
    errors,
    open_app,
    profile_section,
    shown,
)

SEATS = "Sales Cloud Enterprise user: seats"
SWITCH_EXCLUDED_NEEDS = {"self_hosting": "must", "ai_assistant": "must", "sla_management": "must"}


def warnings(at) -> list[str]:
    return [shown(w.value) for w in at.main.warning]


def test_the_profile_page_has_no_apply_buttons_left():
    at = open_app(PROFILE_PAGE)
    labels = [b.label for b in at.button]
    # Only the contract preset (an explicit action) keeps a button; fields apply on change.
    assert [label for label in labels if label.startswith("Apply")] == ["Apply preset"]


def test_an_edit_applies_at_once_and_survives_leaving_the_page():
    at = open_app(PROFILE_PAGE)
    by_label(at.number_input, SEATS).set_value(200).run()
    assert at.session_state[state.PROFILE].current.seats["sales_cloud"] == 200
    at.switch_page("app_pages/compare.py").run()
    at.switch_page(PROFILE_PAGE).run()
    assert by_label(at.number_input, SEATS).value == 200


def test_an_out_of_range_value_is_explained_next_to_its_field_and_not_applied():
    at = open_app(PROFILE_PAGE)
    before = at.session_state[state.PROFILE]
    by_label(at.number_input, SEATS).set_value(-5).run()
    assert at.session_state[state.PROFILE] == before
    (message,) = errors(at)
    assert message.startswith("Not applied: the analysis still uses the previous value.")
    assert "Seats, sales_cloud: must be 0 or more" in message
    # What was typed stays in the field, beside its explanation.
    assert by_label(at.number_input, SEATS).value == -5


def test_a_horizon_of_500_months_is_explained_in_words():
    at = profile_section(open_app(), "Organisation")
    by_label(at.number_input, "Horizon (months)").set_value(500).run()
    assert any("Horizon (months): must be 120 or less" in e for e in errors(at)), errors(at)
    assert at.session_state[state.PROFILE].horizon_months == 36


def test_undo_restores_the_profile_before_the_last_edit():
    at = open_app(PROFILE_PAGE)
    by_label(at.number_input, SEATS).set_value(60).run()
    profile_section(at, "Organisation")
    by_label(at.number_input, "Horizon (months)").set_value(24).run()
    by_label(at.main.button, "Undo last change").click().run()
    profile = at.session_state[state.PROFILE]
    assert (profile.horizon_months, profile.current.seats["sales_cloud"]) == (36, 60)
    assert by_label(at.number_input, "Horizon (months)").value == 36
    by_label(at.main.button, "Undo last change").click().run()
    assert at.session_state[state.PROFILE] == load_profile()
    assert by_label(at.main.button, "Undo last change").disabled


def test_negative_role_seats_are_refused_not_made_positive():
    at = profile_section(open_app(), "Roles and needs")
    edit_table(at, "roles_editor", {"edited_rows": {0: {"seats": -7}}})
    assert any("Roles, row 1, Seats: must be 0 or more" in e for e in errors(at)), errors(at)
    assert at.session_state[state.PROFILE].roles[0].seats == 60


def test_role_seats_beyond_the_limit_are_refused_with_the_limit():
    at = profile_section(open_app(), "Roles and needs")
    edit_table(at, "roles_editor", {"edited_rows": {1: {"seats": 99_999_999}}})
    assert any("Roles, row 2, Seats: must be 1,000,000 or less" in e for e in errors(at))


def test_a_bad_role_id_is_explained_without_code_words():
    at = profile_section(open_app(), "Roles and needs")
    edit_table(at, "roles_editor", {"edited_rows": {0: {"id": "Sales Reps"}}})
    (message,) = errors(at)
    assert "Roles, row 1, Id: use lowercase letters" in message
    assert "pattern" not in message and "roles.0" not in message and "profile:0" not in message


def test_roles_with_no_seats_are_flagged_where_the_recommendation_is():
    at = profile_section(open_app(), "Roles and needs")
    rows = {row: {"seats": 0} for row in range(4)}
    edit_table(at, "roles_editor", {"edited_rows": rows})
    assert all(role.seats == 0 for role in at.session_state[state.PROFILE].roles)
    assert any("Every role has 0 seats" in w for w in warnings(at))
    at.switch_page("app_pages/compare.py").run()
    assert any("Every role has 0 seats" in w for w in warnings(at))


def test_an_extreme_role_is_flagged_with_its_row():
    at = profile_section(open_app(), "Roles and needs")
    edit_table(at, "roles_editor", {"edited_rows": {2: {"seats": 500_000}}})
    assert any("Support agents has 500,000 seats" in w for w in warnings(at)), warnings(at)


def test_paid_seats_differing_from_role_seats_are_said():
    # 90 + 25 = 115 paid; 60 + 10 + 25 + 12 = 107 held by the roles.
    at = open_app()
    assert any("You pay for 115 seats and the roles hold 107" in w for w in warnings(at))


def test_an_empty_organisation_name_is_refused_and_never_shown_blank():
    at = profile_section(open_app(), "Organisation")
    by_label(at.text_input, "Organisation").set_value("").run()
    assert any("Organisation: enter a name" in e for e in errors(at)), errors(at)
    assert at.session_state[state.PROFILE].name == "Acme Corp"
    # Even a profile without a name (an upload) is named in words, not as empty bold.
    profile = at.session_state[state.PROFILE]
    assert state.display_name(profile.model_copy(update={"name": ""})) == "Unnamed organisation"


def test_the_switch_card_says_so_when_every_switch_is_excluded():
    at = open_app()
    profile = at.session_state[state.PROFILE]
    needs = {**profile.org_needs, **SWITCH_EXCLUDED_NEEDS}
    at.session_state[state.PROFILE] = profile.model_copy(update={"org_needs": needs})
    at.run()
    assert not at.exception
    assert any("No switch option can be ranked: all" in shown(i.value) for i in at.info)
    assert not [s for s in at.selectbox if s.key == "compare_switch"]


def test_the_ahp_switch_says_what_it_does_to_the_weights():
    at = profile_section(open_app(), "Criteria weights")
    at.radio(key="weights_method").set_value("ahp").run()
    notes = [shown(c.value) for c in at.caption]
    # The example weighs cost 50%, fit 35%, effort 15%.
    assert any(
        "replaces the weights Cost (NPV over the horizon) 50%, Feature fit 35%, Switching effort "
        "15% with" in note
        for note in notes
    ), notes
    assert any("Consistency ratio: 0 when the judgements agree" in note for note in notes)
    by_label(at.button, "Use these weights").click().run()
    assert any("became" in shown(t.value) for t in at.toast)


def test_start_over_clears_a_stale_upload_error():
    at = profile_section(open_app(), "Save or load")
    at.file_uploader(key="profile_upload").set_value(("bad.yaml", b"name: [", "text/yaml")).run()
    assert any("bad.yaml was not loaded" in e for e in errors(at))
    by_label(at.button, "Start over from the bundled example").click().run()
    assert not any("was not loaded" in e for e in errors(at)), errors(at)


def test_catalog_tables_show_empty_cells_not_none():
    at = open_app("app_pages/catalog.py")
    for frame in (d.value for d in at.dataframe):
        text = frame.select_dtypes(include=["object", "string"])
        assert not text.isna().any().any(), text.columns[text.isna().any()].tolist()


def test_the_needs_table_has_empty_cells_for_features_not_needed():
    profile = load_profile()
    table = needs_table(profile, state.catalog(), ORG_WIDE)
    assert table.notna().all().all()
    # The example's org-wide needs: contact_management is a must, mobile_app is not needed.
    assert table.loc["contact_management", "need"] == "must"
    assert table.loc["mobile_app", "need"] == ""


def test_a_need_cleared_in_the_table_is_dropped():
    at = profile_section(open_app(), "Roles and needs")
    rows = list(needs_table(load_profile(), state.catalog(), ORG_WIDE).index)
    edit_table(at, "needs_editor___org__", {"edited_rows": {rows.index("sso"): {"need": ""}}})
    assert not errors(at)
    assert "sso" not in at.session_state[state.PROFILE].org_needs
