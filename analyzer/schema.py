"""JSON Schemas generated from the pydantic models, for editors and for review.

``catalog/schema.json`` describes a product file and ``catalog/features.schema.json`` the feature
taxonomy. Both are written by ``crm-analyzer catalog schema`` and a test fails when they are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from analyzer.catalog import BUNDLED_CATALOG, FeatureFile, ProductFile

SCHEMA_FILES = {"schema.json": ProductFile, "features.schema.json": FeatureFile}


def schema_text(model: type[ProductFile] | type[FeatureFile]) -> str:
    """The JSON Schema of ``model`` as stable, pretty-printed text."""
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path = BUNDLED_CATALOG) -> list[Path]:
    """Write every schema file into ``folder`` and return their paths."""
    written = []
    for name, model in SCHEMA_FILES.items():
        path = folder / name
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written
