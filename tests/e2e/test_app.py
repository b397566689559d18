"""The real app, started as a subprocess on a temporary library, comes up and quits cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEED_FILE

ROOT = Path(__file__).parents[2]


def test_the_app_starts_on_a_library_and_quits_cleanly(tmp_path: Path) -> None:
    library = tmp_path / "app.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "archive_app", "--library", str(library), "import", str(SEED_FILE)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ARCHIVE_APP_QUIT_AFTER_MS": "800",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "archive_app", "--library", str(library)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"main window shown on {library} (1 articles)" in proc.stderr
    assert "Traceback" not in proc.stderr
    # The window remembered its layout on the way out.
    assert (tmp_path / "config" / "ArticleArchive" / "ArticleArchive.conf").is_file()
