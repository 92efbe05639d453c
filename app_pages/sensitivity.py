"""Sensitivity: how often each option ranks first when weights and costs vary, and what flips it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analyzer.charts import rank_stability_chart, tornado_chart
from analyzer.scoring import CRITERION_NAMES
from app_pages import state


def flips_table(flips: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """The smallest change of each single weight that changes the winner, in plain columns."""
    return pd.DataFrame(
        {
            "Criterion": flips["criterion"].map(lambda c: CRITERION_NAMES.get(c, c)),
            "Weight now": flips["base_weight"].map("{:.0%}".format),
            "Winner changes at": flips["flip_weight"].map(
                lambda w: "never" if pd.isna(w) else f"{w:.1%}"
            ),
            "Change": flips["change"].map(
                lambda c: "–" if pd.isna(c) else f"{c * 100:+.1f} points"
            ),
            "New winner": flips["new_winner"].map(
                lambda sid: "–" if pd.isna(sid) else labels.get(sid, sid)
            ),
        }
    )


result = state.result()
profile_key = state.current_key()
labels = result.scenarios["label"]

st.title("How stable is the ranking?")
state.deadline_banner(result)
if close_call := state.close_call_note(result):
    st.info(state.literal(close_call), icon=":material/balance:")
st.caption(
    "Monte Carlo: the weights are drawn around yours (Dirichlet) and costs vary with a license "
    "uplift range and the migration overrun from the profile; each draw ranks every option "
    "again. Seeded, so a run can be reproduced."
)
stability = result.stability
with st.form("sensitivity_settings"):
    st.caption(
        f"Shown below: the analysis's own run ({stability.samples:,} samples, seed "
        f"{stability.seed}), the one every report carries. Run again with more samples or "
        "another seed to check it; reports keep the analysis's run."
    )
    left, right = st.columns(2)
    samples = left.number_input("Samples", 1_000, 50_000, 10_000, 1_000)
    seed = right.number_input("Seed", 0, 2**31 - 1, 0)
    if st.form_submit_button("Run", type="primary"):
        bar = st.progress(0.0, text="Sampling…")
        sensitivity = result.rerun_stability(
            samples=int(samples),
            seed=int(seed),
            progress=lambda done: bar.progress(done, text=f"Sampling… {done:.0%}"),
        ).sensitivity
        bar.progress(1.0, text="Done")
        st.session_state[state.LAST_SENSITIVITY_RUN] = (
            profile_key,
            int(samples),
            int(seed),
            sensitivity,
        )

last = st.session_state.get(state.LAST_SENSITIVITY_RUN)
if last is not None and last[0] == profile_key:
    _, samples_run, seed_run, sensitivity = last
else:
    samples_run, seed_run, sensitivity = stability.samples, stability.seed, stability.sensitivity
if sensitivity is None:
    st.info(stability.absence)
else:
    st.caption(f"Showing: {samples_run:,} samples, seed {seed_run}.")
    # Full width: scenario labels are long and would squeeze the bars in half a page.
    # Keyed on the run shown: the same samples and seed of the same profile draw the same.
    state.chart(
        "rank_stability",
        lambda _, *run: rank_stability_chart(sensitivity, labels=labels.to_dict()),
        samples_run,
        seed_run,
        key="rank_stability",
    )
    st.subheader("What moves the winner's lead (tornado)")
    st.caption(
        "Each bar swings one criterion's weight from low to high, the others rescaled, and shows "
        "how far ahead of the runner-up the winner stays. The widest bar is the weight that "
        "matters most; a bar crossing zero means that weight alone can change the winner."
    )
    state.chart(
        "tornado", lambda _, *run: tornado_chart(sensitivity), samples_run, seed_run, key="tornado"
    )
    st.subheader("Weight-flip thresholds")
    st.caption("The single weight change (others rescaled in proportion) that changes the winner.")
    st.dataframe(flips_table(sensitivity.weight_flips, labels), hide_index=True, key="flips")
