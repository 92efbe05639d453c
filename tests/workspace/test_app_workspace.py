"""The Workspace page, driven headless by ``streamlit.testing.v1.AppTest``."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analyzer.analysis import analyze
from analyzer.catalog import load_catalog
from analyzer.profile import load_profile
from analyzer.workspace import new_analysis, open_workspace
from analyzer.workspace.store import WORKSPACE_ENV
from tests.conftest import ROOT

PAGE = "app_pages/workspace.py"


@pytest.fixture(autouse=True)
def workspace(monkeypatch, tmp_path):
    """A fresh workspace for the app, and cold Streamlit caches before and after."""
    location = str(tmp_path / "app-workspace.sqlite3")
    monkeypatch.setenv(WORKSPACE_ENV, location)
    st.cache_data.clear()
    yield location
    st.cache_data.clear()


def unescaped(markdown: str) -> str:
    """The text a Markdown source escaped with backslashes shows."""
    return re.sub(r"\\(.)", r"\1", markdown)


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def save_fewer_reps(location: str, reps: int) -> int:
    """Save the example with ``reps`` sales reps straight into the workspace; return its id."""
    catalog = load_catalog()
    example = load_profile(catalog=catalog)
    roles = [
        r.model_copy(update={"seats": reps}) if r.id == "sales_reps" else r for r in example.roles
    ]
    result = analyze(example.model_copy(update={"roles": roles}), catalog, samples=0)
    with open_workspace(location) as opened:
        return opened.save(new_analysis(result, catalog, by="bo", note="fewer reps")).id


def test_saving_from_the_page_lists_the_analysis(workspace):
    at = open_page()
    assert [i.value for i in at.info] == ["No saved analyses yet."]
    next(t for t in at.text_input if t.label == "Note").set_value("baseline")
    next(t for t in at.text_input if t.label == "Saved by").set_value("ana")
    at.button[0].click().run()
    assert [s.value for s in at.success] == ["Saved as #1"]
    table = at.dataframe[0].value
    assert list(table[["id", "by", "profile", "note"]].itertuples(index=False, name=None)) == [
        (1, "ana", "Acme Corp", "baseline")
    ]
    with open_workspace(workspace) as opened:
        assert [(a.id, a.saved_by) for a in opened.list()] == [(1, "ana")]


def test_two_saved_analyses_are_compared_side_by_side_and_one_can_be_opened(workspace):
    at = open_page()
    at.button[0].click().run()  # saves the example as #1
    second = save_fewer_reps(workspace, 45)
    at = open_page()
    reasons = next(unescaped(m.value) for m in at.markdown if "profile input" in m.value)
    assert "- 1 profile input(s) changed: roles[sales_reps].seats.\n" in reasons
    inputs = next(d.value for d in at.dataframe if "Field" in d.value.columns)
    assert inputs.to_dict("records") == [
        {"Field": "roles[sales_reps].seats", "Before": "60", "After": "45"}
    ]
    assert at.selectbox[0].value == second
    next(b for b in at.button if b.label == "Open it as the current profile").click().run()
    reps = next(r for r in at.session_state["profile"].roles if r.id == "sales_reps")
    assert reps.seats == 45
