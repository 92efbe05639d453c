"""The data shipped with the analyzer: the bundled catalog and the example profile.

In the repository both live at the top, ``catalog/`` and ``examples/``, where people edit them.
The wheel carries them inside the package as ``analyzer/_data/catalog`` and
``analyzer/_data/examples`` (``pyproject.toml`` maps them there), found beside this module
(wheels install unpacked, so the package's folder is a folder on disk; asking
:mod:`importlib.resources` for it gave the same folder and loaded its readers, about 2 ms of a
cold command). An editable install (``pip install -e .``) maps only the
``analyzer/`` folder itself, so when the package holds no ``_data`` the repository's own folders
are used: one checkout, one copy of the data, whichever way the package was installed.
"""

from __future__ import annotations

from pathlib import Path

EXAMPLE_FILE = "acme-enterprise.yaml"
"""File name of the example profile inside the examples folder."""


def _data_folder(name: str) -> Path:
    """The shipped data folder ``name``: the installed package's copy, else the checkout's."""
    packaged = Path(__file__).parent / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def bundled_catalog() -> Path:
    """The folder of the catalog shipped with the analyzer (``features.yaml``, ``products/``).

    >>> (bundled_catalog() / "features.yaml").is_file()
    True
    """
    return _data_folder("catalog")


def example_profile() -> Path:
    """The bundled example profile, used by default by the app, the CLI and the notebooks.

    >>> example_profile().name
    'acme-enterprise.yaml'
    """
    return _data_folder("examples") / EXAMPLE_FILE
