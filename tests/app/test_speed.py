"""What a rerun does not redo: dump the profile for a cache key, or rebuild a figure."""

from __future__ import annotations

import analyzer.charts
from app_pages import state
from tests.app.conftest import by_label, open_app, profile_section


def counting(monkeypatch, owner, name: str) -> list[int]:
    """Count the calls of ``owner.name`` (still calling it)."""
    calls: list[int] = []
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_rerun_does_not_dump_the_profile_again(monkeypatch):
    at = open_app()
    dumps = counting(monkeypatch, state, "dump_profile")
    at.selectbox(key="compare_downgrade").set_value(
        at.selectbox(key="compare_downgrade").options[-1]
    )
    at.run()
    at.run()
    assert dumps == []


def test_figures_are_built_once_per_result(monkeypatch):
    builds = counting(monkeypatch, analyzer.charts, "fit_heatmap")
    at = open_app()
    at.run()
    at.run()
    assert len(builds) == 1
    # A new profile is a new result: its figure is built for it.
    profile_section(at, "Organisation")
    by_label(at.number_input, "Horizon (months)").set_value(24).run()
    at.switch_page("app_pages/compare.py").run()
    assert len(builds) == 2
