"""The Qt-free layers stay Qt-free (DESIGN.md: core and render never import PySide6)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import archive_app.core
import archive_app.render

ROOT = Path(__file__).parents[2]


def _modules(package: object) -> list[str]:
    path = package.__path__  # type: ignore[attr-defined]
    prefix = package.__name__ + "."  # type: ignore[attr-defined]
    return [m.name for m in pkgutil.walk_packages(path, prefix)]


def test_core_and_render_do_not_import_pyside6() -> None:
    modules = _modules(archive_app.core) + _modules(archive_app.render) + ["archive_app.cli"]
    assert "archive_app.core.library" in modules
    assert "archive_app.render.article" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from archive_app.cli import main\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6')\n"
        "print(','.join(loaded))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert proc.stdout.strip() == ""
