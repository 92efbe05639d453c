"""Shared fixtures and helpers; test modules import helpers from here, never from each other.

The bundled catalog is loaded once per session. The golden cases' catalog and profile
(DESIGN section 5's worked example) are used by the cost, recommendation, exit-plan and
report tests.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from analyzer.analysis import FIT_DETAIL_COLUMNS
from analyzer.catalog import load_catalog
from analyzer.profile import Profile

# The catalogs the suite loads are stored in a folder of this session (subprocesses inherit
# it), never in the user's own cache folder.
os.environ["CRM_ANALYZER_CACHE_DIR"] = tempfile.mkdtemp(prefix="crm-analyzer-test-cache-")
atexit.register(shutil.rmtree, os.environ["CRM_ANALYZER_CACHE_DIR"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

GOLDEN_TODAY = dt.date(2026, 12, 1)
"""The golden cases' analysis start, also the day their catalog is checked on."""

GOLDEN = load_catalog(FIXTURES / "model_catalog", today=GOLDEN_TODAY)
"""The small hand-made catalog of the golden cases (tests/test_costs_golden.py's docstring):
full seats at 175, Platform at 25, a target CRM at 100 and products for the version-2 rules."""


def golden_profile(**changes) -> Profile:
    """DESIGN section 5's worked example as a profile, with ``changes`` merged in.

    A ``contract`` mapping updates the current contract; any other mapping updates the
    top-level mapping of that name, and anything else replaces the value.
    """
    contract = {
        "start": "2024-06-01",
        "end": "2027-05-31",
        "auto_renew": True,
        "renewal_term_months": 12,
        "notice_days": 30,
        "uplift_pct": 7,
    }
    contract |= changes.pop("contract", {})
    data = {
        "currency": "USD",
        "fx": {"EUR": 1.1},
        "analysis_start": "2026-12-01",
        "horizon_months": 36,
        "discount_rate": 0.0,
        "current": {
            "product": "legacy",
            "tier": "enterprise",
            "seats": {"full": 60},
            "prices": {"full": 150},
            "billing": "annual",
            "contract": contract,
        },
        "roles": [
            {
                "id": "sellers",
                "name": "Sellers",
                "seats": 40,
                "needs": {"opportunity_management": "must", "forecasting": 4},
            },
            {
                "id": "viewers",
                "name": "Viewers",
                "seats": 15,
                "needs": {"dashboards": "must", "forecasting": 2},
            },
        ],
        "migration": {"months": 4, "overlap_months": 1},
    }
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = data[key] | value
        else:
            data[key] = value
    return Profile.model_validate(data)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


SUPPORT_SCORES = {"full": 1.0, "limited": 0.5, "addon": 1.0}
"""Fit per support level, as DESIGN section 6 gives it (absent, and an add-on not bought, 0)."""


def written_out_fit_detail(profile: Profile, catalog, mixes) -> pd.DataFrame:
    """The fit detail written out row by row, per scenario (``mixes``: scenario id to its
    license mixes), role and need, from each seat's support; one DataFrame from the rows."""
    names = {f.id: f.name for f in catalog.features}
    rows = []
    for scenario_id, parts in mixes.items():
        for r in (r for mix in parts for r in mix.roles):
            bought = {f for f, _ in r.addons}
            for feature, need in profile.role_needs(r.role).items():
                level = r.support.get(feature)
                if level == "addon" and feature not in bought:
                    level = None
                score = SUPPORT_SCORES.get(level, 0.0)
                rows.append(
                    (
                        scenario_id,
                        r.role.id,
                        r.role.name,
                        feature,
                        names[feature],
                        str(need),
                        level or "absent",
                        score,
                    )
                )
    if not rows:
        # No needs at all: the table pandas makes of empty columns, as the analysis always did.
        return pd.DataFrame({name: [] for name in FIT_DETAIL_COLUMNS})
    return pd.DataFrame(rows, columns=FIT_DETAIL_COLUMNS)
