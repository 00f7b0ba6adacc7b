"""The layout tells the architecture: layers import only downward; only ``a2e.ui`` uses Streamlit.

ui → hooks → archive → views → cache → access → api → core
(archive: keeping tasks' media in a folder or on S3, plain Python the CLI and the dashboard share;
hooks: A2E's webhooks, confirmed through the fetch layer)
cli: anything but ui;  sandbox (the emulator): core only;  ui may start the emulator (demo)
notify: core, api;  watch: anything but ui, and notify;  ui and cli may use both
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import a2e

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("core", "api", "access", "cache", "views", "archive", "hooks", "ui")
# What each top-level part of a2e may import, besides itself.
ALLOWED = {layer: set(LAYERS[:index]) for index, layer in enumerate(LAYERS)}
ALLOWED["cli"] = set(LAYERS) - {"ui"}
ALLOWED["sandbox"] = {"core"}
ALLOWED["ui"] |= {"sandbox"}
ALLOWED["__main__"] = {"cli"}
ALLOWED["__init__"] = set(LAYERS) - {"ui"}
# The watcher's parts: notifications (targets, signing, one delivery) know only core and api;
# the watcher reuses everything below the UI; the dashboard reads its state.
ALLOWED["notify"] = {"core", "api"}
ALLOWED["watch"] = {"core", "api", "access", "cache", "views", "notify"}
ALLOWED["cli"] |= {"watch", "notify"}
ALLOWED["ui"] |= {"watch", "notify"}


def core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(a2e.__path__, "a2e.")]
    return [name for name in names if not name.startswith("a2e.ui")]


def part_of(module: str) -> str:
    """``a2e.api.client`` → ``api``; ``a2e.cli`` → ``cli``; ``a2e`` → ``__init__``."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def imported_parts(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {part_of(name) for name in names if name == "a2e" or name.startswith("a2e.")}
    return found


def source_files() -> list[Path]:
    return sorted((ROOT / "a2e").rglob("*.py"))


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_module_imports_only_the_layers_below_it(path: Path):
    relative = path.relative_to(ROOT / "a2e")
    part = relative.parts[0].removesuffix(".py") if len(relative.parts) > 1 else relative.stem
    upward = imported_parts(path) - ALLOWED[part] - {part}
    assert not upward, f"{relative} ({part}) imports {sorted(upward)}"


def test_every_layer_folder_exists_and_is_known():
    folders = {p.name for p in (ROOT / "a2e").iterdir() if (p / "__init__.py").exists()}
    assert folders == {*LAYERS, "sandbox", "cli", "watch", "notify"}


def test_no_core_module_imports_streamlit():
    modules = core_modules()
    assert "a2e.api.client" in modules
    assert "a2e.sandbox.app" in modules
    assert "a2e.archive.run" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
