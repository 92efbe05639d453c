"""The profile page's forms, one module per group of inputs.

Each form draws its widgets from the session's profile; a change is applied as it is made
(:func:`app_pages.state.field` and :func:`app_pages.state.table`), or explained next to the
field when it cannot be. The rules behind an edit live in :mod:`analyzer.profile_edits`.
"""
