"""Helpers of the app's AppTest tests (``tests/test_app.py`` and ``tests/app/``).

Test modules import these from here, never from each other.
"""

from __future__ import annotations

import html
import re

import pytest
import streamlit as st
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from app_pages import state
from tests.conftest import ROOT

COMPARE = "app_pages/compare.py"
PROFILE_PAGE = "app_pages/profile.py"


def cold_caches() -> None:
    """Forget every cached analysis and page value: they outlive an AppTest instance."""
    st.cache_data.clear()
    state.analysis.clear()


@pytest.fixture(autouse=True)
def clear_caches():
    cold_caches()
    yield
    cold_caches()


def open_app(page: str | None = COMPARE) -> AppTest:
    """The app on ``page`` (None: the page a new session opens on, the start page)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def by_label(elements, label: str):
    """The one element whose label starts with ``label``."""
    matches = [e for e in elements if shown(e.label).strip().startswith(label)]
    assert len(matches) == 1, [e.label for e in elements]
    return matches[0]


def table_with(at: AppTest, column: str):
    """The one shown table that has ``column`` (AppTest does not keep a dataframe's key)."""
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(tables) == 1, [list(d.value.columns) for d in at.dataframe]
    return tables[0]


def ranking(at: AppTest):
    return table_with(at, "Rank")


#: Streamlit renders Markdown with a CommonMark parser; this one shows what a source displays.
COMMONMARK = MarkdownIt("commonmark")


def rendered(source: str) -> str:
    """The HTML CommonMark makes of a Markdown source (raw HTML passed through, as a worst case)."""
    return COMMONMARK.render(source)


def shown(source: str) -> str:
    """The text a Markdown source shows: rendered, tags dropped, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered(source)))


def errors(at: AppTest) -> list[str]:
    """The errors on the page itself (the sidebar's deadline banner is not one)."""
    return [shown(e.value) for e in at.main.error]


def edit_table(at: AppTest, key: str, edits: dict) -> AppTest:
    """Enter ``edits`` into a data editor, as the browser reports them to the server, and run."""
    at.session_state[f"{key}-{at.session_state[state.GENERATION]}"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [],
    } | edits
    return at.run()


def profile_section(at: AppTest, name: str) -> AppTest:
    """The Profile page showing its group of inputs ``name`` ("Organisation"...)."""
    at.switch_page(PROFILE_PAGE).run()
    at.radio(key="profile_section").set_value(name).run()
    return at
