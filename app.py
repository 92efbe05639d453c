"""Streamlit app: a router over the pages in ``app_pages/`` (run: ``streamlit run app.py``)."""

import streamlit as st

from analyzer.profile_edits import problem_messages
from app_pages import state

st.set_page_config(
    page_title="CRM exit analyzer",
    page_icon=":material/balance:",
    layout="wide",
    # Collapsed on a phone, open on a wide screen.
    initial_sidebar_state="auto",
)
state.use_library_chart_template()

try:
    state.init()
except Exception as exc:  # a broken bundled catalog or example: no traceback
    state.log.exception("the bundled catalog or example did not load")
    state.show_problems(problem_messages(exc), "The bundled catalog or example is invalid.")
    st.stop()

# A new session opens on the start page; once the user has chosen, on Compare.
chosen = st.session_state.get(state.START_MODE) is not None
page = st.navigation(
    [
        st.Page("app_pages/start.py", title="Start", icon=":material/flag:", default=not chosen),
        st.Page(
            "app_pages/compare.py",
            title="Compare",
            icon=":material/compare_arrows:",
            default=chosen,
        ),
        st.Page("app_pages/profile.py", title="Profile", icon=":material/tune:"),
        st.Page("app_pages/sensitivity.py", title="Sensitivity", icon=":material/casino:"),
        st.Page("app_pages/exit_plan.py", title="Contract & exit plan", icon=":material/event:"),
        st.Page("app_pages/catalog.py", title="Catalog", icon=":material/menu_book:"),
        st.Page("app_pages/export.py", title="Export", icon=":material/download:"),
        st.Page("app_pages/org_data.py", title="Org data", icon=":material/database:"),
        st.Page("app_pages/workspace.py", title="Workspace", icon=":material/inventory_2:"),
    ]
)
# The recommendation first: after an edit the browser shows it before the page is redrawn.
state.sidebar_summary()
state.run_page(page)
