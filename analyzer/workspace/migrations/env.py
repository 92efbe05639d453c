"""Alembic's environment: migrations run on the connection the workspace hands over.

The workspace opens a transaction (and, on PostgreSQL, takes a lock) before calling Alembic, so
two processes opening a new workspace at once migrate it once, one after the other.
"""

from __future__ import annotations

from alembic import context

from analyzer.workspace.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
