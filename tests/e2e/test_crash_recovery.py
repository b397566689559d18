"""Unsaved edits survive a crash: the real window process is killed after typing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive_app.core.library import Library
from tests.conftest import SEED_FILE

ROOT = Path(__file__).parents[2]


def _drafts(path: Path) -> dict[int, dict[str, object]]:
    library = Library(path)
    try:
        return library.drafts()
    finally:
        library.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_typed_edits_survive_a_sigkill_of_the_window_process(tmp_path: Path) -> None:
    """The honest version of a crash.

    ``tests/e2e/crash_driver.py`` starts the real window through ``archive_app.cli.main`` (the
    entry point ``python -m archive_app`` runs) and types into the title field with real key
    events once the window is up; the app has no test hook for it. The test waits until the
    app's own debounce has written the draft, SIGKILLs the process (no close, no cleanup),
    then starts the real app again on the same file and checks the draft is still there to be
    offered (the in-process test in ``tests/gui/test_history_gui.py`` clicks Recover).
    """
    library_path = tmp_path / "crash.sqlite3"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "archive_app",
            "--library",
            str(library_path),
            "import",
            str(SEED_FILE),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    typed = " (typed before the crash)"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.crash_driver", str(library_path), typed],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        drafts: dict[int, dict[str, object]] = {}
        while time.monotonic() < deadline and proc.poll() is None:
            drafts = _drafts(library_path)
            if drafts:
                break
            time.sleep(0.1)  # polling another process: nothing to wait on but the file
        assert drafts, f"no draft was written; app exited with {proc.poll()}"
    finally:
        proc.send_signal(signal.SIGKILL)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert "typed into article" in err

    library = Library(library_path)
    try:
        [(article_id, fields)] = library.drafts().items()
        stored = library.get_article(article_id).title
        assert fields == {"title": stored + typed}
        assert library.get_article(article_id).title == stored  # never saved
    finally:
        library.close()

    # The next start offers it and, left alone, keeps it (nothing is lost by ignoring it).
    again = subprocess.run(
        [sys.executable, "-m", "archive_app", "--library", str(library_path)],
        cwd=ROOT,
        env={**env, "ARCHIVE_APP_QUIT_AFTER_MS": "1500"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert _drafts(library_path) == {article_id: fields}
