"""Alembic's environment: migrations run on the connection the workspace hands over.

The workspace opens a transaction (and, on PostgreSQL, takes a lock) before calling Alembic, so
two processes opening a new workspace at once migrate it once, one after the other.
"""

from __future__ import annotations

from alembic import context

from analyzer.workspace.tables import metadata


def run_migrations() -> None:
    """Upgrade on the connection passed in ``config.attributes["connection"]``."""
    context.configure(connection=context.config.attributes["connection"], target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


# Alembic runs this file inside its environment, where ``context.config`` exists; imported
# anywhere else (the doctest collector) there is nothing to run.
if hasattr(context, "config"):
    run_migrations()
