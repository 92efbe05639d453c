"""Fixtures of the report tests: the bundled example analysed once, and hostile catalogs."""

import shutil

import pytest

from analyzer.analysis import analyze
from analyzer.catalog import load_catalog
from analyzer.profile import load_profile
from tests.conftest import FIXTURES, golden_profile

SAMPLES = 200
"""Enough samples for every rank to appear, few enough to keep the suite quick."""


@pytest.fixture(scope="session")
def result(catalog):
    """The bundled example (Acme Corp), with a small rank-stability run."""
    return analyze(load_profile(catalog=catalog), catalog, samples=SAMPLES)


@pytest.fixture(scope="session")
def unsampled(catalog):
    """The bundled example without rank stability (0 samples)."""
    return analyze(load_profile(catalog=catalog), catalog, samples=0)


@pytest.fixture
def hostile_result(tmp_path):
    """Build the golden case with the target CRM renamed to a given, hostile name."""

    def build(name):
        folder = tmp_path / "catalog"
        shutil.copytree(FIXTURES / "golden_catalog", folder, dirs_exist_ok=True)
        target = folder / "products" / "target.yaml"
        quoted = "'" + name.replace("'", "''") + "'"
        target.write_text(target.read_text().replace("name: Target CRM", f"name: {quoted}"))
        catalog = load_catalog(folder)
        assert catalog.product("target").name == name
        return analyze(golden_profile(), catalog)

    return build
