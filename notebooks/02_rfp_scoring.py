# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # RFP scoring: weights the stakeholders agree on
#
# Three stakeholders each compare the criteria pairwise on Saaty's scale ("cost is 3 times as
# important as fit"). Their judgements are combined by the geometric mean per pair, the usual
# way to aggregate individual AHP judgements (Aczél and Saaty, 1983), and turned into weights by
# AHP with its consistency check. The weights then rank the scenarios: the shortlist, what each
# shortlisted option lacks per role, how the winner moves when the weights move, and how stable
# the ranking is.

# %%
import numpy as np
import pandas as pd

from analyzer import analyze, load_catalog, load_profile
from analyzer.charts import fit_heatmap, rank_stability_chart, score_breakdown_chart
from analyzer.formatting import money
from analyzer.weights import (
    ahp_matrix_from_judgements,
    ahp_weights,
    direct_weights,
    rank_order_centroid,
)

# %% tags=["parameters"]
profile_path = None  # None: the bundled example, examples/acme-enterprise.yaml
shortlist_size = 5  # best-ranked scenarios kept on the shortlist
samples = 2000  # Monte Carlo samples for rank stability
seed = 0  # Monte Carlo seed, for reproducible probabilities

# %%
catalog = load_catalog()
base_profile = load_profile(profile_path, catalog=catalog)
currency = base_profile.currency
criteria = list(base_profile.criteria_weights)

# %% [markdown]
# ## The stakeholders' judgements
#
# One judgement per pair: `("cost", "fit"): 3` reads "cost is 3 times as important as fit";
# below 1 means the second criterion matters more.

# %%
judgements = pd.DataFrame(
    {
        "CFO": {("cost", "fit"): 5, ("cost", "effort"): 3, ("fit", "effort"): 1 / 2},
        "Head of Sales": {("cost", "fit"): 1 / 3, ("cost", "effort"): 2, ("fit", "effort"): 5},
        "IT lead": {("cost", "fit"): 2, ("cost", "effort"): 1 / 3, ("fit", "effort"): 2},
    }
)
judgements.index.names = ["criterion", "compared with"]
# The geometric mean keeps the group judgement reciprocal: the mean of a/b is 1 / the mean of b/a.
judgements["group"] = np.exp(np.log(judgements).mean(axis=1))
judgements.round(2)

# %% [markdown]
# Each stakeholder's own weights and consistency ratio, and the group's. A ratio above 0.10
# means the judgements contradict each other (A over B, B over C, but C over A) and deserve a
# second look before anyone relies on them. Here the IT lead's go round in a circle (cost over
# fit, fit over effort, effort over cost); the group's geometric mean smooths that out, but the
# IT lead should still confirm what they meant.

# %%
ahp_results = {
    who: ahp_weights(ahp_matrix_from_judgements(criteria, judgements[who].to_dict()))
    for who in judgements.columns
}
pd.DataFrame(
    {
        who: {**ahp.weights.to_dict(), "consistency ratio": ahp.consistency_ratio}
        for who, ahp in ahp_results.items()
    }
).T.round(3)

# %%
group = ahp_results["group"]
print(f"Group consistency ratio: {group.consistency_ratio:.3f}")
if group.warning:
    print(f"Warning: {group.warning}")
for who, ahp in ahp_results.items():
    if who != "group" and ahp.warning:
        print(f"{who}: {ahp.warning}")

# %% [markdown]
# ## The shortlist under the agreed weights

# %%
profile = base_profile.model_copy(update={"criteria_weights": group.weights.to_dict()})
result = analyze(profile, catalog, samples=samples, seed=seed)
shortlist = result.scenarios[result.scenarios["rank"] <= shortlist_size]
money_columns = ["total", "npv", "one_time_total"]
(
    shortlist[["rank", "label", "fit", *money_columns, "score"]]
    .set_index("rank")
    .style.format(lambda amount: money(amount, currency), subset=money_columns)
    .format("{:.0%}", subset="fit")
    .format("{:.3f}", subset="score")
)

# %% [markdown]
# Each score split into what cost, fit and effort contribute:

# %%
score_breakdown_chart(result, top=shortlist_size)

# %% [markdown]
# ## Feature fit of the shortlist
#
# Fit per role (1 = every weighted need fully met), then what each shortlisted option lacks:
# every need it meets only partly (`limited`) or not at all (`absent`), per role. A must-have
# never appears as absent here: an option missing one is not ranked at all.

# %%
shortlist_ids = list(shortlist.index)
labels = shortlist["label"]
labels_by_id = result.scenarios["label"]
licenses = result.licenses[result.licenses["scenario_id"].isin(shortlist_ids)]
(
    licenses.pivot(index="role", columns="scenario_id", values="fit")[shortlist_ids]
    .rename(columns=labels)
    .style.format("{:.0%}")
)

# %%
detail = result.fit_detail[result.fit_detail["scenario_id"].isin(shortlist_ids)]
gaps = detail.pivot(index=["role", "feature", "need"], columns="scenario_id", values="support")[
    shortlist_ids
]
gaps[(gaps != "full").any(axis=1)].rename(columns=labels).fillna("")

# %%
fit_heatmap(result, scenario_ids=shortlist_ids)

# %% [markdown]
# ## What if the weights were different?
#
# The agreed AHP weights against three alternatives: a plain ranking of the criteria turned into
# rank-order centroid weights, a cost-heavy and a fit-heavy view. If the winner changes, the
# choice hangs on the weights and the stakeholders should say which view they hold.

# %%
weight_variants = {
    "AHP, three stakeholders": group.weights,
    "Rank-order centroid: fit > cost > effort": rank_order_centroid(["fit", "cost", "effort"]),
    "Cost-heavy (70/20/10)": direct_weights({"cost": 70, "fit": 20, "effort": 10}),
    "Fit-heavy (20/70/10)": direct_weights({"cost": 20, "fit": 70, "effort": 10}),
}
rows = []
for variant, weights in weight_variants.items():
    variant_result = analyze(
        base_profile.model_copy(update={"criteria_weights": weights.to_dict()}), catalog
    )
    ranking = variant_result.scenarios
    winner = ranking.iloc[0]
    rows.append(
        {
            "weights": variant,
            **weights.round(2).to_dict(),
            "winner": winner["label"],
            "winner's total": money(winner["total"], currency),
            "winner's fit": f"{winner['fit']:.0%}",
            "runner-up": ranking.iloc[1]["label"],
        }
    )
pd.DataFrame(rows).set_index("weights")

# %% [markdown]
# ## Rank stability
#
# Weights drawn around the agreed ones (Dirichlet) and costs drawn within their uncertainty
# (renewal uplift, migration overrun): how often each scenario comes first, and its expected
# rank.

# %%
sensitivity = result.sensitivity  # the rank stability every analysis carries
stability = pd.DataFrame(
    {
        "label": result.scenarios["label"],
        "P(first)": sensitivity.monte_carlo.p_first,
        "expected rank": sensitivity.monte_carlo.expected_rank,
    }
).dropna(subset=["P(first)"])
stability.sort_values("expected rank").head(shortlist_size).style.format(
    {"P(first)": "{:.1%}", "expected rank": "{:.2f}"}
)

# %%
rank_stability_chart(sensitivity)

# %% [markdown]
# The smallest change of a single weight that hands the win to another scenario:

# %%
sensitivity.weight_flips.assign(new_winner=lambda flips: flips["new_winner"].map(labels_by_id))
