"""Every notebook in ``notebooks/`` runs from top to bottom in a Jupyter kernel (issue 7).

Notebooks are percent-format ``.py`` files (jupytext), converted in memory and executed with
nbclient, so a notebook that goes stale fails the suite instead of rotting (STYLE: skfolio).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from ipykernel.kernelspec import install as install_kernelspec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.py"))

#: Overrides injected after a notebook's ``parameters`` cell, for the names it defines: fewer
#: Monte Carlo samples than a reader would use. ``output_dir`` is set per test to a temporary
#: folder.
SMALL_PARAMETERS = {"samples": 500}

TIMEOUT_SECONDS = 300


@pytest.fixture(scope="session")
def kernel_dirs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A ``python3`` kernelspec that runs this interpreter, the venv's, and nothing else.

    A kernelspec installed for the user or the system could start another Python, one without
    ``analyzer`` installed; the notebooks would then fail for the wrong reason.
    """
    prefix = tmp_path_factory.mktemp("kernel")
    install_kernelspec(kernel_name="python3", prefix=str(prefix))
    return [str(prefix / "share" / "jupyter" / "kernels")]


def execute(notebook: nbformat.NotebookNode, kernel_dirs: list[str], cwd: Path) -> None:
    """Run every cell; nbclient raises CellExecutionError on the first cell that fails."""
    manager = KernelManager(
        kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=kernel_dirs)
    )
    client = NotebookClient(
        notebook,
        km=manager,
        timeout=TIMEOUT_SECONDS,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()


def parameters_cell(notebook: nbformat.NotebookNode) -> int:
    """Index of the one cell tagged ``parameters``."""
    tagged = [
        index
        for index, cell in enumerate(notebook.cells)
        if "parameters" in cell.get("metadata", {}).get("tags", [])
    ]
    assert len(tagged) == 1, f"expected one cell tagged 'parameters', found {len(tagged)}"
    return tagged[0]


def assigned_names(source: str) -> set[str]:
    return {
        target.id
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def inject_parameters(notebook: nbformat.NotebookNode, overrides: dict[str, object]) -> set[str]:
    """Add a cell after the parameters cell setting the overrides the notebook knows of.

    Returns the names injected. Mirrors papermill's ``injected-parameters`` cell.
    """
    index = parameters_cell(notebook)
    known = assigned_names(notebook.cells[index].source)
    chosen = {name: value for name, value in overrides.items() if name in known}
    if chosen:
        source = "\n".join(f"{name} = {value!r}" for name, value in chosen.items())
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
        notebook.cells.insert(index + 1, cell)
    return set(chosen)


def test_notebooks_are_found() -> None:
    names = {path.name for path in NOTEBOOKS}
    assert names >= {
        "01_quickstart.py",
        "02_rfp_scoring.py",
        "03_license_rightsizing.py",
        "04_switch_business_case.py",
    }


def test_kernel_runs_this_interpreter(kernel_dirs: list[str], tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys, analyzer\nprint(sys.executable)")]
    )
    execute(notebook, kernel_dirs, tmp_path)
    assert notebook.cells[0].outputs[0]["text"].strip() == sys.executable


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs(path: Path, kernel_dirs: list[str], tmp_path: Path) -> None:
    notebook = jupytext.read(path)
    output_dir = tmp_path / "reports"
    injected = inject_parameters(notebook, {**SMALL_PARAMETERS, "output_dir": str(output_dir)})
    execute(notebook, kernel_dirs, tmp_path)

    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output["output_type"] == "error"
    ]
    assert errors == []
    if "output_dir" in injected:
        written = sorted(file.name for file in output_dir.iterdir())
        assert written == ["business-case.html", "business-case.xlsx"]
        html = (output_dir / "business-case.html").read_text(encoding="utf-8")
        assert html.lstrip().lower().startswith("<!doctype html")
        # An .xlsx file is a zip archive.
        assert (output_dir / "business-case.xlsx").read_bytes()[:2] == b"PK"
