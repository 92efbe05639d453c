"""The Streamlit app, driven headless by ``streamlit.testing.v1.AppTest``."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil

import openpyxl
import pandas as pd
import pypdf
import pytest
import streamlit as st
import vobject
import yaml
from dateutil.relativedelta import relativedelta
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from analyzer.analysis import STABILITY_SAMPLES, analyze
from analyzer.catalog import load_catalog
from analyzer.errors import InputError
from analyzer.profile import dump_profile, load_profile
from analyzer.reports import report_json, report_markdown
from analyzer.scoring import CRITERION_NAMES
from analyzer.yamlio import MAX_YAML_BYTES
from app_pages import state
from tests.app.conftest import (
    by_label,
    edit_table,
    errors,
    open_app,
    profile_section,
    ranking,
    rendered,
    shown,
    table_with,
)
from tests.conftest import ROOT

#: A name that would fetch an image, bold a word and inject a tag if rendered as Markdown.
HOSTILE = "![t](https://example.invalid/x.png) **b** <b>x</b>"
PAGES = [
    "app_pages/start.py",
    "app_pages/compare.py",
    "app_pages/profile.py",
    "app_pages/sensitivity.py",
    "app_pages/exit_plan.py",
    "app_pages/catalog.py",
    "app_pages/export.py",
]


@pytest.fixture
def hostile_catalog(monkeypatch, tmp_path):
    """The bundled catalog with HOSTILE as a product, an edition and a license type name."""
    root = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", root)
    quoted = json.dumps(HOSTILE)
    for file, old in [
        ("zoho-crm.yaml", "name: Zoho CRM\n"),
        ("salesforce.yaml", "    name: Enterprise\n"),
        ("salesforce.yaml", "        name: Sales Cloud Enterprise user\n"),
    ]:
        path = root / "products" / file
        text = path.read_text()
        assert text.count(old) == 1
        indent = old[: len(old) - len(old.lstrip())]
        path.write_text(text.replace(old, f"{indent}name: {quoted}\n"))
    monkeypatch.setattr(state, "load_catalog", lambda: load_catalog(root))
    # The catalog is a cache_resource: drop the bundled one before and after.
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def media(monkeypatch):
    """The media storages of the AppTest runs, to fetch what a download button would serve."""
    storages = []

    class RecordingMediaFileManager(MediaFileManager):
        def __init__(self, storage):
            super().__init__(storage)
            storages.append((self, storage))

    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordingMediaFileManager)
    return storages


def downloaded(media, button) -> bytes:
    """The bytes a click on ``button`` downloads (building a deferred file as a click would)."""
    manager, storage = media[-1]
    proto = button.proto
    if proto.HasField("deferred_file_id"):
        url = manager.execute_deferred(proto.deferred_file_id)
    else:
        url = proto.url
    return storage.get_file(url.rsplit("/", 1)[-1]).content


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_the_bundled_example(page):
    at = open_app(page)
    assert not errors(at)
    assert at.title[0].value
    assert any("Recommended:" in m.value for m in at.sidebar.markdown)


def test_compare_shows_the_recommendation_and_its_reasons():
    at = open_app()
    result = state.analysis(state.profile_key(load_profile()))
    recommendation = result.recommendation
    headline = shown(at.markdown[0].value)
    assert recommendation.headline in headline
    assert all(reason in shown(at.markdown[1].value) for reason in recommendation.reasons)
    table = ranking(at)
    assert list(table["Rank"]) == list(range(1, len(table) + 1))
    assert "recommended" in table.loc[0, "Option"]
    assert table.loc[0, "Option"].startswith(recommendation.label)
    assert table["NPV"].str.startswith("$").all()


def test_changing_a_seat_count_changes_the_compare_table():
    at = open_app("app_pages/profile.py")
    by_label(at.number_input, "Sales Cloud Enterprise user: seats").set_value(40).run()
    assert not errors(at)
    assert at.session_state[state.PROFILE].current.seats["sales_cloud"] == 40
    at.switch_page("app_pages/compare.py").run()
    after = ranking(at)
    before = ranking(open_app())
    stay = before["Option"].str.startswith("Stay")
    assert (
        before.loc[stay, "NPV"].item()
        != after.loc[after["Option"].str.startswith("Stay"), "NPV"].item()
    )


def test_changing_a_weight_changes_the_compare_table():
    before = ranking(open_app())
    at = profile_section(open_app(), "Criteria weights")
    by_label(at.slider, "Cost").set_value(100)
    by_label(at.slider, "Feature fit").set_value(0)
    by_label(at.slider, "Switching effort").set_value(0).run()
    assert not errors(at)
    assert at.session_state[state.PROFILE].criteria_weights == {
        "cost": 1.0,
        "fit": 0.0,
        "effort": 0.0,
    }
    at.switch_page("app_pages/compare.py").run()
    after = ranking(at)
    assert list(after["Score"]) != list(before["Score"])
    # Cost alone: the ranking follows NPV.
    npv = after["NPV"].str.replace(r"[$,]", "", regex=True).astype(float)
    assert npv.is_monotonic_increasing


def test_invalid_form_values_name_the_field_and_keep_the_profile():
    at = open_app("app_pages/profile.py")
    before = at.session_state[state.PROFILE]
    by_label(at.date_input, "Term end").set_value(before.current.contract.start).run()
    assert not at.exception
    assert any(
        e.startswith("Not applied") and "Contract: " in e and "must be after start" in e
        for e in errors(at)
    ), errors(at)
    assert at.session_state[state.PROFILE] == before


def test_contract_preset_replaces_the_terms_and_keeps_the_dates():
    at = open_app("app_pages/profile.py")
    before = at.session_state[state.PROFILE].current.contract
    by_label(at.selectbox, "Contract presets").set_value("refund_friendly")
    by_label(at.button, "Apply preset").click().run()
    after = at.session_state[state.PROFILE].current.contract
    assert (after.refund, after.start, after.end) == ("full_within_days", before.start, before.end)
    # The contract form is rebuilt from the new terms.
    assert by_label(at.selectbox, "Refund policy").value == "full_within_days"


def test_ahp_shows_the_consistency_ratio_and_warns_when_inconsistent():
    at = profile_section(open_app(), "Criteria weights")
    at.radio(key="weights_method").set_value("ahp").run()
    assert by_label(at.metric, "Consistency ratio")
    # cost 9x fit, fit 9x effort, but effort 9x cost: a cycle.
    by_label(at.select_slider, "Cost (NPV over the horizon) against Feature fit").set_value(9)
    by_label(at.select_slider, "Feature fit against Switching effort").set_value(9)
    by_label(at.select_slider, "Cost (NPV over the horizon) against Switching effort").set_value(
        1 / 9
    ).run()
    assert float(by_label(at.metric, "Consistency ratio").value) > 0.10
    assert any("consistency ratio" in w.value for w in at.warning)
    by_label(at.select_slider, "Cost (NPV over the horizon) against Switching effort").set_value(
        9
    ).run()
    by_label(at.button, "Use these weights").click().run()
    weights = at.session_state[state.PROFILE].criteria_weights
    assert weights["cost"] > weights["fit"] > weights["effort"]


def test_upload_function_reports_line_and_column():
    with pytest.raises(InputError) as bad:
        state.profile_from_upload(b"name: Acme\ncurrent: [unclosed\n", "bad.yaml")
    assert str(bad.value.problems[0]).startswith("bad.yaml:")
    line, col = str(bad.value.problems[0]).split(":")[1:3]
    assert int(line) >= 2 and int(col) >= 1
    with pytest.raises(InputError, match="limit"):
        state.profile_from_upload(b"#" * (MAX_YAML_BYTES + 1), "big.yaml")


def test_upload_round_trip_is_exact():
    profile = load_profile()
    assert state.profile_from_upload(dump_profile(profile).encode(), "p.yaml") == profile


def test_bad_upload_shows_its_errors_and_keeps_the_profile():
    at = profile_section(open_app(), "Save or load")
    before = at.session_state[state.PROFILE]
    text = dump_profile(before).replace("horizon_months: 36", "horizon_months: many")
    at.file_uploader(key="profile_upload").set_value(("mine.yaml", text.encode(), "text/yaml"))
    at.run()
    assert not at.exception
    assert any(
        "mine.yaml was not loaded" in e and re.search(r"Line \d+, column \d+: Horizon", e)
        for e in errors(at)
    ), errors(at)
    assert at.session_state[state.PROFILE] == before


def test_good_upload_replaces_the_profile_and_refreshes_the_forms():
    at = profile_section(open_app(), "Save or load")
    data = yaml.safe_load(dump_profile(at.session_state[state.PROFILE]))
    data["name"] = "Globex"
    data["current"]["seats"]["sales_cloud"] = 70
    text = yaml.safe_dump(data, sort_keys=False)
    at.file_uploader(key="profile_upload").set_value(("globex.yaml", text.encode(), "text/yaml"))
    at.run()
    assert not errors(at)
    assert at.session_state[state.PROFILE].name == "Globex"
    assert (
        by_label(profile_section(at, "Organisation").text_input, "Organisation").value == "Globex"
    )
    section = profile_section(at, "Contract and seats")
    seats = by_label(section.number_input, "Sales Cloud Enterprise user: seats")
    assert seats.value == 70


def test_profile_download_round_trips(media):
    at = profile_section(open_app(), "Save or load")
    button = at.download_button(key="download_profile")
    text = downloaded(media, button).decode()
    assert text == dump_profile(at.session_state[state.PROFILE])


def test_every_report_download_is_present_and_not_empty(media):
    at = open_app("app_pages/export.py")
    files = {
        button.proto.label: downloaded(media, button)
        for button in at.download_button
        if button.proto.HasField("deferred_file_id")
    }
    assert set(files) == {
        "Negotiation pack (PDF)",
        "HTML report (opens offline)",
        "Excel workbook (XLSX)",
        "Markdown",
        "JSON",
        "CSV (scenario table)",
        "Calendar of the recommended exit plan (iCalendar, .ics)",
    }
    assert all(files.values())
    assert files["Calendar of the recommended exit plan (iCalendar, .ics)"].startswith(
        b"BEGIN:VCALENDAR"
    )
    assert b"<html" in files["HTML report (opens offline)"].lower()
    workbook = openpyxl.load_workbook(io.BytesIO(files["Excel workbook (XLSX)"]))
    assert len(workbook.sheetnames) > 1
    report = json.loads(files["JSON"])
    # The pack's first page carries the same headline as the JSON report (line breaks aside).
    pack = pypdf.PdfReader(io.BytesIO(files["Negotiation pack (PDF)"]))
    first_page = " ".join(pack.pages[0].extract_text().split())
    assert " ".join(report["recommendation"]["headline"].split()) in first_page
    assert report["recommendation"]["scenario_id"]
    assert files["Markdown"].startswith(b"# ")


def test_every_report_downloads_when_only_staying_can_be_ranked(media):
    # Musts no alternative meets: only Stay is ranked, so there is no rank stability to show.
    # The first version's Export page failed on every download here.
    at = open_app("app_pages/profile.py")
    profile = at.session_state[state.PROFILE]
    needs = {**profile.org_needs, "self_hosting": "must", "ai_assistant": "must"}
    needs["sla_management"] = "must"  # Odoo Custom has the other two
    at.session_state[state.PROFILE] = profile.model_copy(update={"org_needs": needs})
    at.switch_page("app_pages/export.py").run()
    assert not at.exception and not errors(at)
    files = {
        button.proto.label: downloaded(media, button)
        for button in at.download_button
        if button.proto.HasField("deferred_file_id")
    }
    # The six reports (the PDF pack included) and the calendar.
    assert len(files) == 7 and all(files.values())
    report = json.loads(files["JSON"])
    assert report["sensitivity"] is None
    assert report["stability"]["absence"].startswith("Rank stability compares options")
    at.switch_page("app_pages/sensitivity.py").run()
    assert not at.exception and not errors(at)
    assert any("Rank stability compares options" in i.value for i in at.info)


def test_sensitivity_run_shows_charts_and_flip_table():
    # The analysis's own stability summary shows at once; a run with another count replaces
    # it on the page.
    at = open_app("app_pages/sensitivity.py")
    assert len(at.get("plotly_chart")) == 2
    assert any(f"Showing: {STABILITY_SAMPLES:,} samples" in c.value for c in at.caption)
    at.number_input[0].set_value(3_000)
    by_label(at.button, "Run").click().run()
    assert not at.exception and not errors(at)
    assert len(at.get("plotly_chart")) == 2
    flips = table_with(at, "Criterion")
    assert set(flips["Criterion"]) == set(CRITERION_NAMES.values())
    assert any("Showing: 3,000 samples" in c.value for c in at.caption)


def test_exit_plan_warns_when_the_notice_deadline_is_near():
    at = profile_section(open_app(), "Organisation")
    contract = at.session_state[state.PROFILE].current.contract
    # Analysis start 20 days before the deadline (end - 30 days notice).
    start = contract.end - dt.timedelta(days=contract.notice_days + 20)
    by_label(at.date_input, "Analysis start").set_value(start).run()
    assert not errors(at)
    at.switch_page("app_pages/exit_plan.py").run()
    assert any("Notice deadline in 20 days" in e for e in errors(at)), errors(at)
    assert table_with(at, "Step")["Step"].str.contains("notice").any()


def test_catalog_flags_stale_prices():
    at = open_app("app_pages/catalog.py")
    prices = table_with(at, "stale")
    assert prices["stale"].any() and not prices["stale"].all()


def test_changing_the_edition_keeps_the_seat_count():
    at = open_app("app_pages/profile.py")
    before = at.session_state[state.PROFILE]
    by_label(at.selectbox, "Current CRM and edition").set_value(("salesforce", "pro")).run()
    assert not errors(at)
    after = at.session_state[state.PROFILE]
    assert after.current.tier == "pro"
    assert sum(after.current.seats.values()) == sum(before.current.seats.values())
    # The seat form now lists the Pro Suite license types that hold the seats, and offers the
    # others to add.
    pro = load_catalog().product("salesforce").tier("pro").license_types
    held = {lt.name: after.current.seats[lt.id] for lt in pro if lt.id in after.current.seats}
    assert {
        shown(w.label).strip().removesuffix(": seats"): w.value
        for w in at.number_input
        if w.label.endswith(": seats")
    } == held
    assert len(by_label(at.selectbox, "Add seats of another license type").options) == len(
        pro
    ) - len(held)


# --- every form --------------------------------------------------------------------------------


def test_roles_form_renames_a_role_and_keeps_its_needs():
    at = profile_section(open_app(), "Roles and needs")
    before = at.session_state[state.PROFILE]
    edit_table(at, "roles_editor", {"edited_rows": {0: {"name": "Account executives"}}})
    assert not errors(at)
    after = at.session_state[state.PROFILE]
    assert after.roles[0].name == "Account executives"
    assert after.roles[0].needs == before.roles[0].needs
    assert [r.name for r in after.roles[1:]] == [r.name for r in before.roles[1:]]


def test_roles_form_rejects_a_role_without_seats_and_keeps_the_profile():
    at = profile_section(open_app(), "Roles and needs")
    before = at.session_state[state.PROFILE]
    edit_table(at, "roles_editor", {"added_rows": [{"id": "new_role", "name": "New"}]})
    assert not at.exception
    assert any("Roles, row 5, Seats: is empty" in e for e in errors(at)), errors(at)
    assert at.session_state[state.PROFILE] == before


def test_needs_form_sets_an_org_wide_must_have():
    at = profile_section(open_app(), "Roles and needs")
    assert "mobile_app" not in at.session_state[state.PROFILE].org_needs
    feature_ids = [f.id for f in load_catalog().features]
    row = feature_ids.index("mobile_app")
    edit_table(at, "needs_editor___org__", {"edited_rows": {row: {"need": "must"}}})
    assert not errors(at)
    assert at.session_state[state.PROFILE].org_needs["mobile_app"] == "must"


def test_organisation_form_adds_an_exchange_rate():
    at = profile_section(open_app(), "Organisation")
    edit_table(at, "fx", {"added_rows": [{"currency": "EUR", "rate": 1.08}]})
    assert not errors(at)
    assert at.session_state[state.PROFILE].fx == {"EUR": 1.08}


def test_migration_form_changes_the_switch_one_time_cost():
    at = profile_section(open_app(), "Switching and pricing")
    before = at.session_state[state.PROFILE].migration
    by_label(at.number_input, "Fixed project cost").set_value(before.fixed_cost + 10_000).run()
    assert not errors(at)
    assert at.session_state[state.PROFILE].migration.fixed_cost == before.fixed_cost + 10_000


def test_commercial_form_adds_a_quote_and_rejects_one_without_an_amount():
    at = profile_section(open_app(), "Switching and pricing")
    before = at.session_state[state.PROFILE]
    bad = {"product": "hubspot", "tier": "professional", "currency": "USD"}
    edit_table(at, "quotes", {"added_rows": [bad]})
    assert any("Quotes, row 1, Amount: is required" in e for e in errors(at)), errors(at)
    assert at.session_state[state.PROFILE] == before
    edit_table(at, "quotes", {"added_rows": [bad | {"amount": 45.0}]})
    by_label(at.number_input, "Discount expected on a downgraded renewal").set_value(12.0).run()
    assert not errors(at)
    after = at.session_state[state.PROFILE]
    assert after.discount_pct == 12.0
    assert [(q.product, q.tier, float(q.amount)) for q in after.quotes] == [
        ("hubspot", "professional", 45.0)
    ]


def test_contract_form_applies_valid_terms():
    at = open_app("app_pages/profile.py")
    by_label(at.number_input, "Notice (days before the end)").set_value(90).run()
    assert not errors(at)
    assert at.session_state[state.PROFILE].current.contract.notice_days == 90


def test_start_over_restores_the_bundled_example():
    at = open_app("app_pages/profile.py")
    by_label(at.number_input, "Sales Cloud Enterprise user: seats").set_value(5).run()
    assert at.session_state[state.PROFILE] != load_profile()
    profile_section(at, "Save or load")
    by_label(at.button, "Start over from the bundled example").click().run()
    assert at.session_state[state.PROFILE] == load_profile()
    profile_section(at, "Contract and seats")
    assert by_label(at.number_input, "Sales Cloud Enterprise user: seats").value == 90


def test_stale_prices_are_judged_at_the_analysis_start():
    latest = pd.to_datetime(load_catalog().to_frame()["as_of"]).max().date()
    at = open_app("app_pages/profile.py")
    for start, all_stale in [
        # Twelve months after the newest dated price it is not yet older than 12 months ...
        (latest + relativedelta(months=12), False),
        # ... one day later every price is.
        (latest + relativedelta(months=12, days=1), True),
    ]:
        profile_section(at, "Organisation")
        by_label(at.date_input, "Analysis start").set_value(start).run()
        assert not errors(at)
        assert at.session_state[state.PROFILE].analysis_start == start
        at.switch_page("app_pages/catalog.py").run()
        prices = table_with(at, "stale")
        dated = prices["as_of"].notna()
        assert bool(prices.loc[dated, "stale"].all()) is all_stale, start
        # A quote-only price has no date to judge: never flagged.
        assert not prices.loc[~dated, "stale"].any()


# --- the error boundary ------------------------------------------------------------------------


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="profile_upload").set_value((name, data, "text/yaml"))
    return at.run()


def example_with(old: str, new: str) -> bytes:
    text = dump_profile(load_profile())
    assert text.count(old) == 1
    return text.replace(old, new).encode()


HOSTILE_UPLOADS = {
    "nul-byte": example_with("name: Acme Corp", "name: Acme\x00Corp"),
    "nested-400": b"name: " + b"[" * 400 + b"]" * 400 + b"\n",
    "not-utf8": example_with("name: Acme Corp", "name: Acme") + b"\xff\xfe",
    "huge-integer": example_with("horizon_months: 36", "horizon_months: " + "9" * 400),
    "seats-true": example_with("sales_cloud: 90", "sales_cloud: true"),
}


@pytest.mark.parametrize("name", list(HOSTILE_UPLOADS))
def test_a_hostile_upload_is_rejected_with_a_message_and_the_profile_kept(name):
    at = profile_section(open_app(), "Save or load")
    before = at.session_state[state.PROFILE]
    upload(at, f"{name}.yaml", HOSTILE_UPLOADS[name])
    assert not at.exception
    assert any(f"{name}.yaml was not loaded" in e for e in errors(at)), errors(at)
    assert at.session_state[state.PROFILE] == before
    # Nothing the user typed is lost: the forms still show the last good profile.
    profile_section(at, "Organisation")
    assert by_label(at.text_input, "Organisation").value == before.name


def test_deep_nesting_is_reported_as_such():
    at = profile_section(open_app(), "Save or load")
    upload(at, "deep.yaml", HOSTILE_UPLOADS["nested-400"])
    assert any("nesting deeper than 40 levels" in e for e in errors(at)), errors(at)


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (ValueError("cannot convert float NaN to integer"), "cannot convert float NaN"),
        (OverflowError("date value out of range"), "too large"),
        (UnicodeEncodeError("utf-8", "\ud83d", 0, 1, "surrogates not allowed"), "UTF-8"),
        (KeyError("nonesuch"), "nonesuch"),
    ],
)
def test_any_error_on_a_page_becomes_a_message_and_the_app_carries_on(
    monkeypatch, failure, message
):
    at = open_app("app_pages/profile.py")
    before = at.session_state[state.PROFILE]

    def failing(*args, **kwargs):
        raise failure

    monkeypatch.setattr("analyzer.charts.contract_timeline", failing)
    at.switch_page("app_pages/exit_plan.py").run()
    assert not at.exception
    page_errors = errors(at)
    assert any("This page could not be shown" in e and message in e for e in page_errors)
    assert at.session_state[state.PROFILE] == before
    # The sidebar still shows the recommendation, and other pages still work.
    assert any("Recommended:" in m.value for m in at.sidebar.markdown)
    monkeypatch.undo()
    at.switch_page("app_pages/exit_plan.py").run()
    assert not errors(at)


# --- inert text --------------------------------------------------------------------------------

MARKDOWN_KINDS = (
    "markdown",
    "caption",
    "error",
    "warning",
    "info",
    "success",
    "title",
    "header",
    "subheader",
    "toast",
)
LABELLED_KINDS = (
    "button",
    "number_input",
    "text_input",
    "selectbox",
    "slider",
    "select_slider",
    "radio",
    "checkbox",
    "date_input",
    "multiselect",
    "toggle",
    "expander",
    "tab",
)


def markdown_sources(at: AppTest) -> list[str]:
    """Every string on screen Streamlit renders as Markdown: bodies and widget labels."""
    sources = [e.value for kind in MARKDOWN_KINDS for e in at.get(kind)]
    for kind in LABELLED_KINDS:
        sources += [e.label for e in at.get(kind) if getattr(e, "label", None)]
    return [s for s in sources if isinstance(s, str)]


def assert_inert(at: AppTest) -> list[str]:
    """No Markdown on screen makes an image, a link to the beacon, or HOSTILE's bold or tag."""
    sources = markdown_sources(at)
    for source in sources:
        page = rendered(source)
        assert "<img" not in page, source
        assert "example.invalid" not in re.sub(r"<[^>]+>", "", page) or "<a " not in page, source
        assert "<strong>b</strong>" not in page and "<b>" not in page, source
    return [shown(source) for source in sources]


def test_a_hostile_organisation_name_is_shown_literally_on_every_page():
    at = profile_section(open_app(), "Organisation")
    by_label(at.text_input, "Organisation").set_value(HOSTILE).run()
    assert not errors(at)
    assert at.session_state[state.PROFILE].name == HOSTILE
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception
        texts = assert_inert(at)
        # The sidebar names the profile on every page, character for character.
        assert any(HOSTILE in text for text in texts), page
    at.switch_page("app_pages/compare.py").run()
    assert HOSTILE in shown(at.caption[0].value)


def test_a_hostile_role_name_is_shown_literally():
    at = profile_section(open_app(), "Roles and needs")
    edit_table(at, "roles_editor", {"edited_rows": {0: {"name": HOSTILE}}})
    assert at.session_state[state.PROFILE].roles[0].name == HOSTILE
    texts = assert_inert(at)
    # The confirmation names what was applied; the role names go into the needs selector.
    assert any("Roles applied" in text for text in texts)
    assert HOSTILE in by_label(at.selectbox, "Needs of").options
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception
        assert_inert(at)


def test_hostile_catalog_names_are_shown_literally(hostile_catalog):
    at = open_app()
    texts = assert_inert(at)
    # The current edition's name is in the recommended option's label (right-sizing
    # Salesforce Enterprise): headline, reasons, sidebar.
    assert any(
        f"Right-size Salesforce Sales Cloud and Service Cloud {HOSTILE}" in text for text in texts
    ), texts
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception
        assert_inert(at)
    profile_section(at, "Contract and seats")
    assert by_label(at.number_input, f"{HOSTILE}: seats")


# --- exported figures --------------------------------------------------------------------------

#: Streamlit's theme template marks its colours with placeholders its front end replaces.
PLACEHOLDER_COLOUR = re.compile(r"#0000[0-9]{2}\b", re.IGNORECASE)


def plotly_figures(page: str) -> list[dict]:
    """The data and layout of every ``Plotly.newPlot`` call of an HTML page, as JSON."""
    decoder = json.JSONDecoder()
    figures = []
    for call in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*', page):
        data, end = decoder.raw_decode(page, call.end())
        layout, _ = decoder.raw_decode(page, page.index("{", end))
        figures.append({"data": data, "layout": layout})
    return figures


def test_the_exported_html_draws_with_the_librarys_template_not_the_app_theme(media):
    at = open_app()
    # Every chart on screen is drawn without Streamlit's theme, as it will be exported.
    assert at.get("plotly_chart") and all(c.proto.theme == "" for c in at.get("plotly_chart"))
    at.switch_page("app_pages/export.py").run()
    html_file = downloaded(media, by_label(at.download_button, "HTML report"))
    figures = plotly_figures(html_file.decode())
    assert len(figures) >= 4
    for figure in figures:
        text = json.dumps(figure)
        assert not PLACEHOLDER_COLOUR.search(text), PLACEHOLDER_COLOUR.findall(text)[:5]
        # plotly's own default template: its first colorway colour is #636efa.
        assert figure["layout"]["template"]["layout"]["colorway"][0] == "#636efa"


# --- exit plan page and calendar ---------------------------------------------------------------


def ics_steps(ics: bytes, name: str) -> list[tuple[dt.date, str]]:
    """(date, step) of every event, read with vobject (independent of the writer)."""
    prefix = f"{name}: "
    calendar = vobject.readOne(ics.decode("utf-8"))
    return sorted(
        (e.dtstart.value, e.summary.value.removeprefix(prefix)) for e in calendar.vevent_list
    )


def test_exit_plan_page_shows_owner_and_why_and_offers_the_calendar(media):
    at = open_app("app_pages/exit_plan.py")
    checklist = table_with(at, "Step")
    assert {"Date", "Step", "Owner", "Detail", "Why", "Warning"} <= set(checklist.columns)
    assert set(checklist["Owner"]) <= {"admin", "procurement", "finance"}
    assert checklist["Why"].str.len().gt(0).all()
    button = at.download_button(key="exit_plan_calendar")
    name = at.session_state[state.PROFILE].name
    steps = sorted(zip(pd.to_datetime(checklist["Date"]).dt.date, checklist["Step"], strict=True))
    assert ics_steps(downloaded(media, button), name) == steps
    # Another option: the download follows the selection.
    at.selectbox(key="exit_plan_option").set_value("stay").run()
    stay = table_with(at, "Step")
    assert ics_steps(downloaded(media, at.download_button(key="exit_plan_calendar")), name) == (
        sorted(zip(pd.to_datetime(stay["Date"]).dt.date, stay["Step"], strict=True))
    )


def test_app_reports_and_calendar_agree_on_every_date(media):
    at = open_app("app_pages/exit_plan.py")
    page = table_with(at, "Step")
    on_page = sorted(zip(pd.to_datetime(page["Date"]).dt.date, page["Step"], strict=True))
    at.switch_page("app_pages/export.py").run()
    name = at.session_state[state.PROFILE].name
    ics = downloaded(media, at.download_button(key="export_ics"))
    catalog = load_catalog()
    result = analyze(load_profile(catalog=catalog), catalog, samples=0)
    data = json.loads(report_json(result))
    in_json = sorted(
        (dt.date.fromisoformat(s["date"]), s["step"]) for s in data["exit_plan"]["steps"]
    )
    section = report_markdown(result).split("## Exit plan", 1)[1].split("\n## ", 1)[0]
    in_markdown = sorted(
        (dt.date.fromisoformat(cells[1].strip()), cells[2].strip().strip("*"))
        for line in section.splitlines()
        if re.match(r"\| \d{4}-\d{2}-\d{2} \|", line)
        for cells in [line.split("|")]
    )
    assert on_page == in_json == in_markdown == ics_steps(ics, name)
    assert len(on_page) > 5


def test_compare_shows_the_value_for_money_chart_of_the_ranked_options():
    at = open_app("app_pages/compare.py")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    value = [s for s in specs if s["layout"]["title"]["text"].startswith("Value for money")]
    assert len(value) == 1
    # One marker per ranked option (the frontier line is drawn through some of them again).
    catalog = load_catalog()
    ranked = analyze(load_profile(catalog=catalog), catalog, samples=0).scenarios["rank"].notna()
    markers = [t for t in value[0]["data"] if "markers" in t["mode"]]
    assert sum(len(t["customdata"]) for t in markers) == ranked.sum() > 3


def test_the_org_data_page_shows_no_note_meant_for_its_source():
    """A constant's note in a page script is source, not text for the user: Streamlit's
    "magic" drew this one on the page (the app now turns magic off, and the note is a comment)."""
    at = open_app("app_pages/org_data.py")
    assert not [m.value for m in at.markdown if "Largest total upload" in m.value]
