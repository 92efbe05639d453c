"""The workspace's tables, as SQLAlchemy Core metadata (the current schema).

The migrations in :mod:`analyzer.workspace.migrations` build this schema step by step; a test
checks that a freshly migrated database matches it, so the two cannot drift apart.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

analyses = sa.Table(
    "analyses",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("saved_by", sa.String(200), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("profile_name", sa.String(200), nullable=False),
    sa.Column("profile_yaml", sa.Text, nullable=False),
    sa.Column("catalog_hash", sa.String(64), nullable=False),
    sa.Column("catalog_version", sa.String(40), nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("report", sa.Text, nullable=False),
)
"""One row per saved analysis: its inputs (profile YAML, catalog fingerprint), its result
summary and the full JSON report (:func:`analyzer.reports.json.report_json`)."""
