"""The app's "Org data" page, driven headless by ``streamlit.testing.v1.AppTest``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analyzer.orgscan import scan_org
from app_pages import state

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/org_data.py"


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def extract_files(plan) -> list[tuple[str, bytes, str]]:
    return [(p.name, p.read_bytes(), "text/csv") for p in sorted(plan.extract.iterdir())]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label))


def test_the_page_invites_an_upload():
    at = open_page()
    assert at.title[0].value == "Org data"
    assert "Upload a license extract" in at.info[0].value


def test_an_uploaded_license_extract_shows_the_waste_and_applies_the_seats(synthetic_org):
    _, plan = synthetic_org
    at = open_page()
    at.file_uploader(key="org_extract_upload").set_value(extract_files(plan)).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    # Example profile: a full seat is 150 a month; Platform Plus at its catalog list price of
    # 100. Certain waste: (7 unassigned + 8 inactive) x 150 x 12 + (3 + 2) x 100 x 12.
    assert metric(at, "Certain waste a year") == "33,000"
    assert metric(at, "Inactive users") == "10"
    at.button[0].click().run()
    assert not at.exception
    profile = at.session_state[state.PROFILE]
    # 17 full seats assigned - 8 inactive = 9, split 90:25 -> 7 and 2; Platform 6 - 2 = 4.
    assert dict(profile.current.seats) == {"sales_cloud": 7, "service_cloud": 2, "platform_plus": 4}
    # The extract alone holds only users: the migration records are its 25 users.
    assert profile.migration.records == len(plan.users)


def test_a_cli_result_json_is_shown(synthetic_org):
    root, _ = synthetic_org
    document = scan_org([root])
    at = open_page()
    data = json.dumps(document).encode()
    at.file_uploader(key="org_json_upload").set_value(("scan.json", data, "application/json")).run()
    assert not at.exception and not at.error
    assert metric(at, "Backup complete") == "no"


def test_a_json_that_is_not_a_scan_is_refused():
    at = open_page()
    bad = json.dumps({"hello": 1}).encode()
    at.file_uploader(key="org_json_upload").set_value(("x.json", bad, "application/json")).run()
    assert not at.exception
    assert "not an org scan result" in at.error[0].value


def test_a_malformed_extract_names_the_file_and_row():
    at = open_page()
    bad = b'Id,Username,IsActive\r\n005000000000001,"open,true\r\n'
    at.file_uploader(key="org_extract_upload").set_value(("User.csv", bad, "text/csv")).run()
    assert not at.exception
    shown = at.error[0].value.replace("\\", "")  # the message is shown Markdown-escaped
    assert "- User.csv:row 2: malformed CSV" in shown
