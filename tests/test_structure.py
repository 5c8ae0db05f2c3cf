"""The package is shaped like the pipeline: one folder per stage, imports only run down the stages.

Read from the source files themselves (every ``import``, also inside functions and under
``TYPE_CHECKING``), so a new module or import that breaks the shape fails here, not in review.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from tests.common import REPO

PACKAGE = REPO / "configurator"
STAGES = (
    "model", "inputs", "sizing", "blocks", "layout", "review", "documents", "dxf", "ifc",
    "network", "simulation", "cli",
)  # fmt: skip
"""The pipeline's stages in order: a stage may import only itself and the stages before it."""
ROOT_FILES = {"__init__.py", "__main__.py", "_io.py", "_gc.py", "py.typed"}
"""All the package root may hold besides the stage folders: tiny helpers any stage may use."""


def module_name(path: Path) -> str:
    """Return the dotted name of a module file (a package's ``__init__`` is the package)."""
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] in ("__init__", "__init__.pyi") else parts)


def module_files() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stub_exports(package: str) -> dict[str, str]:
    """Map each name a lazy stage exports to the module that defines it (read from its stub)."""
    stub = PACKAGE.joinpath(*package.split(".")[1:], "__init__.pyi")
    if not stub.exists():
        return {}
    exports = {}
    for node in ast.walk(ast.parse(stub.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                where = f"{package}.{node.module}" if node.module else f"{package}.{alias.name}"
                exports[alias.name] = where
    return exports


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the package's modules that one module imports, resolved to the defining module."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("configurator")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            if not base.startswith("configurator"):
                continue
            exports = stub_exports(base)
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    found.add(f"{base}.{alias.name}")
                else:
                    found.add(exports.get(alias.name, base))
    return {m for m in found if m in modules and m != name}


def import_graph() -> nx.DiGraph:
    """The package's modules and who imports whom."""
    modules = module_files()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        for target in imports_of(name, path, modules):
            graph.add_edge(name, target)
    return graph


def stage_of(module: str) -> str | None:
    """Return the stage a module belongs to, or None for the root's shared helpers."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_the_graph_reads_real_imports() -> None:
    graph = import_graph()
    assert graph.has_edge("configurator.review.options", "configurator.layout.engine")
    assert graph.has_edge("configurator.cli", "configurator.cli.plans")
    assert graph.number_of_edges() > 150, "the resolver finds the package's imports"


def test_no_import_cycle() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert cycles == [], "modules that import each other"


def test_a_stage_imports_only_the_stages_before_it() -> None:
    upward = []
    for source, target in import_graph().edges:
        here, there = stage_of(source), stage_of(target)
        if there is None:
            assert target in ("configurator._io", "configurator._gc", "configurator"), target
            continue
        if source == "configurator.__main__":
            continue  # ``python -m configurator`` runs the command line, the last stage
        if here is None or STAGES.index(there) > STAGES.index(here):
            upward.append(f"{source} -> {target}")
    assert upward == [], "a stage imports one after it in the pipeline"


def test_the_package_root_holds_only_the_stages_and_tiny_helpers() -> None:
    files = {p.name for p in PACKAGE.iterdir() if p.is_file()}
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert files <= ROOT_FILES
    assert folders == set(STAGES)
    for helper in ("_io.py", "_gc.py"):
        assert len((PACKAGE / helper).read_text(encoding="utf-8").splitlines()) < 60, helper


def test_nothing_in_the_package_imports_the_app() -> None:
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
                assert not any(n == "ui" or n.startswith("ui.") for n in names), path


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_what_it_does_and_every_public_name_loads(stage: str) -> None:
    module = __import__(f"configurator.{stage}", fromlist=["__all__"])
    assert module.__doc__, f"configurator.{stage} has a docstring"
    summary = module.__doc__.split("\n\n")[0]
    assert summary.rstrip().endswith("."), "the first paragraph is one sentence"
    assert module.__all__, f"configurator.{stage} exports its public functions"
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    exported = stub_exports(f"configurator.{stage}")
    assert sorted(exported) == sorted(module.__all__) or not exported


def test_importing_a_stage_loads_none_of_its_modules() -> None:
    """A lazy stage keeps the app's landing light: the review does not pull in the layout."""
    probe = (
        "import sys, configurator.review, configurator.documents, configurator.sizing\n"
        "loaded = [m for m in sys.modules if m.startswith('configurator.')]\n"
        "print(sorted(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    loaded = ast.literal_eval(done.stdout.strip())
    assert loaded == ["configurator.documents", "configurator.review", "configurator.sizing"]


def test_only_the_simulation_imports_jupedsim_and_pedpy_and_the_venv_is_lean() -> None:
    """One subpackage is the simulator's door; JuPedSim's desktop viewer (Qt, VTK) is neither
    in the lock nor installed, and a simulation runs without it."""
    import importlib.util

    importers = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )  # fmt: skip
            if any(n.split(".")[0] in ("jupedsim", "pedpy") for n in names):
                importers.add(path.relative_to(PACKAGE).parts[0])
    assert importers == {"simulation"}
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8").lower()
    assert "jupedsim==" in lock
    for viewer in ("pyside6", "vtk", "shiboken6"):
        assert f"\n{viewer}==" not in lock, viewer
        assert importlib.util.find_spec(viewer.replace("pyside6", "PySide6")) is None, viewer
