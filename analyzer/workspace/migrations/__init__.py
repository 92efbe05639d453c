"""Alembic migrations of the workspace schema, run by :func:`analyzer.workspace.open_workspace`."""
