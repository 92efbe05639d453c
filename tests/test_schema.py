"""The catalog's JSON Schemas: current on disk, written by the command, used by the YAML files."""

import json

from analyzer.schema import SCHEMA_FILES, schema_text, write_schemas
from tests.conftest import ROOT


def test_schema_files_are_current():
    for name, model in SCHEMA_FILES.items():
        on_disk = (ROOT / "catalog" / name).read_text(encoding="utf-8")
        assert on_disk == schema_text(model), f"catalog/{name} is stale: run `make schema`"


def test_catalog_files_point_editors_at_the_schema():
    assert (
        (ROOT / "catalog" / "features.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=features.schema.json\n")
    )
    for path in sorted((ROOT / "catalog" / "products").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema.json", path.name


def test_write_schemas_writes_the_product_and_the_feature_schema(tmp_path):
    written = write_schemas(tmp_path)
    assert written == [tmp_path / "schema.json", tmp_path / "features.schema.json"]
    product = json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))
    features = json.loads((tmp_path / "features.schema.json").read_text(encoding="utf-8"))
    draft = "https://json-schema.org/draft/2020-12/schema"
    assert product["$schema"] == features["$schema"] == draft
    # A product file has tiers; the feature file is one list of features.
    assert {"id", "vendor", "tiers"} <= set(product["properties"])
    assert set(features["properties"]) == {"features"}
