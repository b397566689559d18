"""What the window's start loads: only what showing a library needs (start time, issue 19)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from archive_app.core.library import Library

#: Loaded when first used, never to show the window: together about 0.9 s of every start
#: (SQLAlchemy 0.4-0.6 s, the decoders and parser 0.3 s), measured with ``-X importtime``.
NOT_AT_START = (
    "sqlalchemy",
    "sqlmodel",
    "archive_app.core.importer",
    "archive_app.core.prepare",
    "archive_app.core.parsing",
    "archive_app.core.decoding",
    "archive_app.core.reparse",
)


def test_the_window_starts_without_the_import_export_and_schema_stacks(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    Library(path).close()
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from archive_app.core.library import Library\n"
        "from archive_app.gui.windows.main_window import MainWindow\n"
        f"window = MainWindow(Library({str(path)!r}))\n"
        "window.show()\n"
        "app.processEvents()\n"
        f"print(sorted(m for m in sys.modules if m.startswith({NOT_AT_START!r})))\n"
        "window.close()\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
