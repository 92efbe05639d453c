"""From a checkout (the editable install) the shipped data is the repository's own folders.

The installed-wheel side is covered by tests/test_wheel.py.
"""

from analyzer.catalog import BUNDLED_CATALOG
from analyzer.profile import EXAMPLE_PROFILE
from analyzer.resources import bundled_catalog, example_profile
from tests.conftest import ROOT


def test_bundled_catalog_is_the_checkouts_catalog_folder():
    assert bundled_catalog() == ROOT / "catalog"
    assert (bundled_catalog() / "products" / "salesforce.yaml").is_file()
    assert bundled_catalog() == BUNDLED_CATALOG


def test_example_profile_is_the_checkouts_example():
    assert example_profile() == ROOT / "examples" / "acme-enterprise.yaml"
    assert example_profile().is_file()
    assert example_profile() == EXAMPLE_PROFILE
