"""The profile page's forms, one module per group of inputs.

Each form draws its widgets from the session's profile and, on its button, hands the edited
profile to :func:`app_pages.state.apply_profile`; the rules behind an edit live in
:mod:`analyzer.profile_edits`.
"""
