"""Save or load: download the profile as YAML, upload one, or start over from the example."""

from __future__ import annotations

import streamlit as st

from analyzer.profile import Profile, dump_profile
from analyzer.yamlio import MAX_YAML_BYTES
from app_pages import state

UPLOAD_KEY = "profile_upload"


def upload_changed() -> None:
    """File-uploader callback: runs once per new file, not on every rerun."""
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is None:
        st.session_state.pop(state.UPLOAD_PROBLEMS, None)
        return
    st.session_state[state.UPLOAD_PROBLEMS] = (
        uploaded.name,
        state.accept_upload(uploaded.getvalue(), uploaded.name),
    )


def save_and_load(profile: Profile) -> None:
    st.download_button(
        "Download profile (YAML)",
        dump_profile(profile),
        file_name=f"{state.file_stem(profile)}.yaml",
        mime="application/x-yaml",
        icon=":material/download:",
        key="download_profile",
    )
    st.file_uploader(
        f"Load a profile (YAML, at most {MAX_YAML_BYTES // 1_000_000} MB)",
        type=["yaml", "yml"],
        key=UPLOAD_KEY,
        on_change=upload_changed,
        max_upload_size=1,
    )
    outcome = st.session_state.get(state.UPLOAD_PROBLEMS)
    if outcome:
        name, problems = outcome
        if problems:
            state.show_problems(problems, f"{name} was not loaded; your profile is unchanged.")
        else:
            st.success(f"Loaded {state.literal(name)}.")
    if st.button("Start over from the bundled example", key="reset_profile"):
        # An old upload's outcome describes a profile that is gone.
        st.session_state.pop(state.UPLOAD_PROBLEMS, None)
        state.apply_profile(state.example_profile(), "Example profile", refresh_forms=True)
