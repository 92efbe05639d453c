"""The wheel carries the catalog and the example, and an installed ``crm-analyzer`` runs offline.

The wheel is built without build isolation (setuptools comes from the dev extra) and installed
with ``--no-index`` into a fresh virtual environment that borrows the dev environment's
third-party packages through a ``.pth`` file, so nothing is downloaded. The commands run from a
temporary folder, away from the checkout, so only the installed package can answer.
"""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCAL_ONLY = (
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "test-artifacts",
)
"""What a checkout holds beside its sources: never part of a build."""

pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in ``cwd``, failing with its output when it exits non-zero."""
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built from a clean copy of the checkout.

    Building in place would leave ``build/`` in the checkout, and a stale ``build/lib`` can put
    modules deleted since into a later wheel.
    """
    source = tmp_path_factory.mktemp("source") / "project"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LOCAL_ONLY))
    folder = tmp_path_factory.mktemp("dist")
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--wheel-dir",
        folder,
        source,
        cwd=folder,
    )
    (built,) = folder.glob("crm_exit_analyzer-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with only the wheel installed in it; its ``bin`` folder."""
    env = tmp_path_factory.mktemp("env")
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    purelib = run(
        python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=env
    ).stdout.strip()
    # The dependencies (pandas, pydantic, ...) come from the dev environment, not from an index.
    (Path(purelib) / "dev-dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-index",
        "--no-deps",
        wheel,
        cwd=env,
    )
    return env / "bin"


def test_wheel_holds_the_catalog_the_example_and_the_type_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    catalog = ROOT / "catalog"
    expected = {
        f"analyzer/_data/catalog/{path.relative_to(catalog).as_posix()}"
        for path in [catalog / "features.yaml", *sorted((catalog / "products").glob("*.yaml"))]
    }
    assert len(expected) > 10, "the checkout's catalog was not found"
    assert expected <= names, sorted(expected - names)
    assert "analyzer/_data/examples/acme-enterprise.yaml" in names
    assert "analyzer/py.typed" in names
    assert "analyzer/templates/report.html.j2" in names


def test_wheel_holds_every_module_of_the_package(wheel):
    # A subpackage missing from pyproject's `packages` list would silently drop out.
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {path.relative_to(ROOT).as_posix() for path in (ROOT / "analyzer").rglob("*.py")}
    assert modules <= names, sorted(modules - names)


def test_installed_package_is_the_wheel_and_finds_its_data(installed, tmp_path):
    probe = (
        "import analyzer, json\n"
        "from analyzer.resources import bundled_catalog, example_profile\n"
        "print(json.dumps([analyzer.__file__, str(bundled_catalog()), str(example_profile())]))\n"
    )
    module, catalog, example = (
        Path(path)
        for path in json.loads(run(installed / "python", "-c", probe, cwd=tmp_path).stdout)
    )
    data = module.parent / "_data"
    assert module.parent.parent.name == "site-packages"
    assert module.is_relative_to(installed.parent), module
    assert catalog == data / "catalog"
    assert example == data / "examples" / "acme-enterprise.yaml"
    assert not any(path.is_relative_to(ROOT) for path in (module, catalog, example))


def test_installed_cli_validates_the_catalog_outside_the_checkout(installed, tmp_path):
    done = run(installed / "crm-analyzer", "catalog", "validate", cwd=tmp_path)
    assert done.stdout.startswith("catalog OK:")


def test_installed_cli_compares_the_example_outside_the_checkout(installed, tmp_path):
    done = run(
        installed / "crm-analyzer", "compare", "--format", "json", "--samples", "0", cwd=tmp_path
    )
    report = json.loads(done.stdout)
    assert report["scenarios"], "the JSON report lists no scenario"
