"""What a saved analysis records: the catalog's fingerprint and the result summary."""

from __future__ import annotations

import re
import shutil

import pytest

from analyzer.analysis import analyze
from analyzer.catalog import load_catalog
from analyzer.workspace import analysis_summary, catalog_fingerprint
from tests.conftest import FIXTURES, GOLDEN, golden_profile

TARGET_SEAT_DATE = "source: https://target.example.com/pricing, as_of: 2026-01-01}\n"


@pytest.fixture
def catalog_copy(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "model_catalog", folder)
    return folder


def edit(folder, old: str, new: str) -> None:
    target = folder / "products" / "target.yaml"
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")


def test_the_hash_follows_the_content_not_the_comments(catalog_copy):
    before = catalog_fingerprint(load_catalog(catalog_copy))
    edit(catalog_copy, "id: target\n", "# a comment changes nothing\nid: target\n")
    assert catalog_fingerprint(load_catalog(catalog_copy)) == before
    edit(catalog_copy, "{amount: 100, currency: USD", "{amount: 101, currency: USD")
    assert catalog_fingerprint(load_catalog(catalog_copy)).content_hash != before.content_hash


def test_the_version_is_the_newest_price_date(catalog_copy):
    # Every price, fee and running cost of every product file carries an as_of date.
    dates = [
        day
        for path in sorted((catalog_copy / "products").glob("*.yaml"))
        for day in re.findall(r"as_of: (\d{4}-\d\d-\d\d)", path.read_text(encoding="utf-8"))
    ]
    assert catalog_fingerprint(load_catalog(catalog_copy)).version == max(dates)
    edit(catalog_copy, TARGET_SEAT_DATE, TARGET_SEAT_DATE.replace("2026-01-01", "2026-11-20"))
    assert catalog_fingerprint(load_catalog(catalog_copy)).version == "2026-11-20"


def test_the_summary_reads_the_result_it_was_made_from():
    result = analyze(golden_profile(), GOLDEN, samples=0)
    summary = analysis_summary(result)
    winner = summary["winner"]
    rows = summary["scenarios"]
    # The saving is the stay total minus the winner's total, to the cent.
    assert summary["saving"] == pytest.approx(
        rows["stay"]["total"] - rows[winner]["total"], abs=0.01
    )
    # The worked example's term ends 2027-05-31 with 30 days' notice: 2027-05-01.
    assert summary["notice_deadline"] == "2027-05-01"
    assert rows[winner]["rank"] == 1
    assert summary["currency"] == "USD" and summary["horizon_months"] == 36
    assert summary["close_call"] == bool(result.recommendation.contenders)
    assert summary["warnings"] == list(result.warnings["message"])
