"""The Streamlit app, driven headless by ``streamlit.testing.v1.AppTest``."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
import streamlit as st
import yaml
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from analyzer.errors import InputError
from analyzer.profile import dump_profile, load_profile
from analyzer.scoring import CRITERION_NAMES
from analyzer.yamlio import MAX_YAML_BYTES
from app_pages import state
from tests.conftest import ROOT

PAGES = [
    "app_pages/compare.py",
    "app_pages/profile.py",
    "app_pages/sensitivity.py",
    "app_pages/exit_plan.py",
    "app_pages/catalog.py",
    "app_pages/export.py",
]


@pytest.fixture(autouse=True)
def clear_caches():
    # st.cache_data outlives an AppTest instance: start every test from a cold cache.
    st.cache_data.clear()
    yield
    st.cache_data.clear()


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


def open_app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def by_label(elements, label: str):
    """The one element whose label starts with ``label``."""
    matches = [e for e in elements if e.label.startswith(label)]
    assert len(matches) == 1, [e.label for e in elements]
    return matches[0]


def table_with(at: AppTest, column: str):
    """The one shown table that has ``column`` (AppTest does not keep a dataframe's key)."""
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(tables) == 1, [list(d.value.columns) for d in at.dataframe]
    return tables[0]


def ranking(at: AppTest):
    return table_with(at, "Rank")


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_the_bundled_example(page):
    at = open_app(page)
    assert not errors(at)
    assert at.title[0].value
    assert any("Recommended:" in m.value for m in at.sidebar.markdown)


def test_compare_shows_the_recommendation_and_its_reasons():
    at = open_app()
    result = state.analysis(dump_profile(load_profile()))
    recommendation = result.recommendation
    headline = at.markdown[0].value
    assert recommendation.headline in headline
    assert all(reason in at.markdown[1].value for reason in recommendation.reasons)
    table = ranking(at)
    assert list(table["Rank"]) == list(range(1, len(table) + 1))
    assert "recommended" in table.loc[0, "Option"]
    assert table.loc[0, "Option"].startswith(recommendation.label)
    assert table["NPV"].str.startswith("$").all()


def test_changing_a_seat_count_changes_the_compare_table():
    at = open_app("app_pages/profile.py")
    by_label(at.number_input, "Sales Cloud Enterprise user: seats").set_value(40)
    by_label(at.button, "Apply seats").click().run()
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
    at = open_app("app_pages/profile.py")
    by_label(at.slider, "Cost").set_value(100)
    by_label(at.slider, "Feature fit").set_value(0)
    by_label(at.slider, "Switching effort").set_value(0)
    by_label(at.button, "Apply weights").click().run()
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
    by_label(at.date_input, "Term end").set_value(before.current.contract.start)
    by_label(at.button, "Apply contract").click().run()
    assert not at.exception
    assert any("current.contract" in e and "must be after start" in e for e in errors(at))
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
    at = open_app("app_pages/profile.py")
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
    at = open_app("app_pages/profile.py")
    before = at.session_state[state.PROFILE]
    text = dump_profile(before).replace("horizon_months: 36", "horizon_months: many")
    at.file_uploader(key="profile_upload").set_value(("mine.yaml", text.encode(), "text/yaml"))
    at.run()
    assert not at.exception
    assert any("mine.yaml:" in e and "horizon_months" in e for e in errors(at))
    assert at.session_state[state.PROFILE] == before


def test_good_upload_replaces_the_profile_and_refreshes_the_forms():
    at = open_app("app_pages/profile.py")
    data = yaml.safe_load(dump_profile(at.session_state[state.PROFILE]))
    data["name"] = "Globex"
    data["current"]["seats"]["sales_cloud"] = 70
    text = yaml.safe_dump(data, sort_keys=False)
    at.file_uploader(key="profile_upload").set_value(("globex.yaml", text.encode(), "text/yaml"))
    at.run()
    assert not errors(at)
    assert at.session_state[state.PROFILE].name == "Globex"
    assert by_label(at.text_input, "Organisation").value == "Globex"
    assert by_label(at.number_input, "Sales Cloud Enterprise user: seats").value == 70


def test_profile_download_round_trips(media):
    at = open_app("app_pages/profile.py")
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
        "HTML report (opens offline)",
        "Excel workbook (XLSX)",
        "Markdown",
        "JSON",
        "CSV (scenario table)",
    }
    assert all(files.values())
    assert b"<html" in files["HTML report (opens offline)"].lower()
    workbook = openpyxl.load_workbook(io.BytesIO(files["Excel workbook (XLSX)"]))
    assert len(workbook.sheetnames) > 1
    report = json.loads(files["JSON"])
    assert report["recommendation"]["scenario_id"]
    assert files["Markdown"].startswith(b"# ")


def test_sensitivity_run_shows_charts_and_flip_table():
    at = open_app("app_pages/sensitivity.py")
    assert not at.get("plotly_chart")
    at.number_input[0].set_value(2_000)
    by_label(at.button, "Run").click().run()
    assert not at.exception and not errors(at)
    assert len(at.get("plotly_chart")) == 2
    flips = table_with(at, "Criterion")
    assert set(flips["Criterion"]) == set(CRITERION_NAMES.values())
    assert any("2,000 samples" in c.value for c in at.caption)


def test_exit_plan_warns_when_the_notice_deadline_is_near():
    at = open_app("app_pages/profile.py")
    contract = at.session_state[state.PROFILE].current.contract
    # Analysis start 20 days before the deadline (end - 30 days notice).
    start = contract.end - dt.timedelta(days=contract.notice_days + 20)
    by_label(at.date_input, "Analysis start").set_value(start)
    by_label(at.button, "Apply organisation").click().run()
    assert not errors(at)
    at.switch_page("app_pages/exit_plan.py").run()
    assert any("notice deadline" in w.value for w in at.warning)
    assert table_with(at, "Step")["Step"].str.contains("notice").any()


def test_catalog_flags_stale_prices():
    at = open_app("app_pages/catalog.py")
    prices = table_with(at, "stale")
    assert prices["stale"].any() and not prices["stale"].all()


def test_changing_the_edition_keeps_the_seat_count():
    at = open_app("app_pages/profile.py")
    before = at.session_state[state.PROFILE]
    by_label(at.selectbox, "Current CRM and edition").set_value(("salesforce", "pro"))
    by_label(at.button, "Apply subscription").click().run()
    assert not errors(at)
    after = at.session_state[state.PROFILE]
    assert after.current.tier == "pro"
    assert sum(after.current.seats.values()) == sum(before.current.seats.values())
    # The seat form now lists the Pro Suite license types.
    assert by_label(at.number_input, "Chatter Free: seats").value == 0
