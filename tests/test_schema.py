from analyzer.schema import SCHEMA_FILES, schema_text
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
