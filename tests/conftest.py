"""Shared fixtures: the bundled catalog and example profile are loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()
