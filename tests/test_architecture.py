"""The layout tells the architecture: the core never imports Streamlit."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import a2e

ROOT = Path(__file__).resolve().parents[1]


def core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(a2e.__path__, "a2e.")]
    return [name for name in names if not name.startswith("a2e.ui")]


def test_no_core_module_imports_streamlit():
    modules = core_modules()
    assert "a2e.client" in modules
    assert "a2e.sandbox.app" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
