"""The modules of ``analyzer/`` import each other without a cycle, and never import streamlit.

The graph is read from the source with :mod:`ast`, so it also sees imports made inside
functions and under ``if TYPE_CHECKING:``: a cycle hidden there is still a cycle in the design.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "analyzer"


def module_name(path: Path) -> str:
    """The dotted module name of a source file under ``analyzer/``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, name: str, is_package: bool, known: set[str]) -> set[str]:
    """The ``analyzer`` modules that ``source`` (module ``name``) imports, anywhere in the file.

    ``from analyzer import costs`` counts as an import of ``analyzer.costs`` when that is a
    module, else of ``analyzer`` itself; relative imports are resolved against ``name``.
    """
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {_nearest_known(module, known) for module in found} - {None, name}


def _nearest_known(module: str, known: set[str]) -> str | None:
    """``module`` or its closest parent that is a module of the package."""
    while module:
        if module in known:
            return module
        module = module.rpartition(".")[0]
    return None


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module name to the package modules it imports."""
    files = {module_name(path): path for path in sorted(package.rglob("*.py"))}
    known = set(files)
    return {
        name: imported_modules(
            path.read_text(encoding="utf-8"), name, path.name == "__init__.py", known
        )
        for name, path in files.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles found by a depth-first walk, each as a closed path such as ``[a, b, a]``.

    Every back edge of the walk closes one cycle, so the list is empty exactly when the graph
    has none.
    """
    found: list[list[str]] = []
    finished: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> None:
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if target in path:
                found.append([*path[path.index(target) :], target])
            elif target not in finished:
                visit(target)
        path.pop()
        finished.add(node)

    for node in sorted(graph):
        if node not in finished:
            visit(node)
    return found


def test_cycle_finder_names_a_cycle_and_ignores_a_chain():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c", "a"], ["e", "e"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_imports_inside_functions_and_type_checking_blocks_count():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from analyzer.costs import Cost\n"
        "def later():\n"
        "    from . import dates\n"
        "    import analyzer.charts.bars\n"
        "from analyzer import errors, VERSION\n"
    )
    known = {"analyzer", "analyzer.costs", "analyzer.dates", "analyzer.errors", "analyzer.charts"}
    found = imported_modules(source, "analyzer.report", False, known)
    # VERSION is a name in analyzer/__init__.py, so that import is of the package itself.
    assert found == {
        "analyzer",
        "analyzer.costs",
        "analyzer.dates",
        "analyzer.errors",
        "analyzer.charts",
    }


def test_analyzer_has_no_import_cycle():
    graph = import_graph()
    assert "analyzer.dates" in graph.get("analyzer.costs", set()), "the graph was not read"
    found = cycles(graph)
    assert not found, "import cycles in analyzer/: " + "; ".join(" -> ".join(c) for c in found)


def test_ruff_bans_streamlit_in_the_library():
    # The file name places the snippet inside analyzer/, so analyzer/ruff.toml applies.
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--stdin-filename",
            str(PACKAGE / "probe.py"),
            "-",
        ],
        input="import streamlit\n",
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "TID251" in run.stdout and "streamlit" in run.stdout


def test_test_modules_share_helpers_only_through_conftest():
    tests = Path(__file__).resolve().parent
    borrowed = {
        f"{path.relative_to(tests)} imports {node.module}"
        for path in sorted(tests.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("tests.")
        and not node.module.endswith(".conftest")
    }
    assert not borrowed, sorted(borrowed)
