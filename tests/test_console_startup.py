"""What the ``crm-analyzer`` console script settles before it loads the command line: pydantic
told there are no plugins only where none is installed, and the collector's young generation."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer import console

GROUPS = ("pydantic", "console_scripts", "pytest11", "pydantic_plugins")
"""Entry point groups a distribution may declare; only the first is pydantic's."""


def declared_plugins(path) -> list[importlib.metadata.EntryPoint]:
    """pydantic's own answer for the distributions on ``[path]``: the entry points of its group,
    found by :mod:`importlib.metadata` as pydantic's plugin loader finds them."""
    return [
        entry_point
        for distribution in importlib.metadata.distributions(path=[str(path)])
        for entry_point in distribution.entry_points
        if entry_point.group == "pydantic"
    ]


def write_distribution(folder, name: str, groups: list[str] | None, suffix: str) -> None:
    """A distribution's metadata folder, with an ``entry_points.txt`` declaring one entry point
    in each of ``groups`` (None: no such file)."""
    info = folder / f"{name}-1.0{suffix}"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    if groups is not None:
        sections = [
            f"[{group}]\nplugin_{i} = {name}.module:thing\n" for i, group in enumerate(groups)
        ]
        (info / "entry_points.txt").write_text("\n".join(sections))


distributions = st.lists(
    st.tuples(
        st.none() | st.lists(st.sampled_from(GROUPS), max_size=3),
        st.sampled_from([".dist-info", ".egg-info", ".DIST-INFO"]),
    ),
    max_size=5,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(found=distributions)
def test_no_declared_plugin_is_ever_missed(tmp_path_factory, found):
    # The check may say yes where pydantic finds nothing (it is conservative), never no where
    # pydantic finds a plugin; and it says no where no file names pydantic at all.
    folder = tmp_path_factory.mktemp("site")
    for index, (groups, suffix) in enumerate(found):
        write_distribution(folder, f"dist{index}", groups, suffix)
    answer = console.may_declare_pydantic_plugins([str(folder)])
    if declared_plugins(folder):
        assert answer
    named = any(groups and any("pydantic" in g for g in groups) for groups, _ in found)
    assert answer == named


def test_a_plugin_in_an_egg_folder_is_seen(tmp_path):
    egg = tmp_path / "thing-1.0.egg"
    (egg / "EGG-INFO").mkdir(parents=True)
    (egg / "EGG-INFO" / "entry_points.txt").write_text("[pydantic]\nmine = thing:plugin\n")
    assert [entry_point.name for entry_point in declared_plugins(egg)] == ["mine"]
    assert console.may_declare_pydantic_plugins([str(egg)])


def test_a_zip_archive_on_the_path_counts_as_a_possible_plugin(tmp_path):
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("thing-1.0.dist-info/entry_points.txt", "[pydantic]\nmine = thing:p\n")
    assert declared_plugins(archive)
    assert console.may_declare_pydantic_plugins([str(archive)])


def test_missing_paths_and_plain_folders_declare_nothing(tmp_path):
    (tmp_path / "package").mkdir()
    (tmp_path / "module.py").write_text("")
    assert not console.may_declare_pydantic_plugins([str(tmp_path), str(tmp_path / "gone")])


def test_a_variable_the_user_set_is_left_alone(monkeypatch):
    monkeypatch.setenv(console.PLUGINS_ENV, "someplugin")
    console.skip_absent_pydantic_plugins()
    assert os.environ[console.PLUGINS_ENV] == "someplugin"


PROBE = """
import gc, os
from analyzer.console import loaded_main
main = loaded_main()
import importlib.metadata
from pydantic.plugin import _loader
from analyzer.profile import load_profile
load_profile()
plugins = [ep.name for ep in importlib.metadata.entry_points(group="pydantic")]
print(os.environ.get("PYDANTIC_DISABLE_PLUGINS"), _loader._plugins, plugins, gc.get_threshold()[0])
"""


def test_the_console_skips_the_search_where_pydantic_would_find_nothing(tmp_path):
    # This environment has no pydantic plugin (pydantic's own search, run after the fact,
    # finds none): the console sets the switch, and pydantic never searched (its cache of
    # plugins is still unset).
    finished = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.split() == ["__all__", "None", "[]", "10000"]
