"""Save PNGs of the history panel and of the "Recover Unsaved Edits" dialog.

Run under Xvfb through ``scripts/screenshot.sh --history [OUT_DIR]``. Writes ``history.png``
(the main window, the form scrolled to its History panel with an older revision selected)
and ``recovery.png`` (the dialog a restart shows after unsaved edits were left behind) into
OUT_DIR (default: ``build/screenshots``, not committed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshot import SAMPLES, SEED, SEED_TITLE, settle, wait_until, widen_form

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "build" / "screenshots"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--width", type=int, default=1500)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--timeout", type=float, default=30.0)
    return parser.parse_args(argv)


def take_screenshots(out_dir: Path, size: tuple[int, int], timeout: float, work: Path) -> None:
    """Edit the seed article twice, grab the history; leave a draft, grab the recovery."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox, QScrollArea

    from archive_app.core.importer import import_paths
    from archive_app.core.library import Library
    from archive_app.gui.app import configure_application
    from archive_app.gui.windows.main_window import MainWindow

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
            QSettings.setPath(fmt, scope, str(work / "settings"))
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    configure_application(app)
    out_dir.mkdir(parents=True, exist_ok=True)

    path = work / "library.sqlite3"
    library = Library(path)
    try:
        import_paths(library, [SAMPLES, SEED])
        seed = next(a for a in library.list_articles() if a.title.startswith(SEED_TITLE))
        window = MainWindow(library)
        window.show_import_reports = False
        window.auto_backup_on_quit = False
        window.resize(*size)
        window.show()
        wait_until(lambda: window.windowHandle().isExposed(), timeout, "the window to show")
        window.library_view.select_id(seed.id)
        wait_until(lambda: window.form.record is not None, timeout, "the form to load")
        form = window.form
        form.section_edit.setText("World / US/Canada")
        form.tags_edit.setText("diplomacy, ukraine")
        window.save()
        body = form.body_edit.toPlainText().split("\n\n")
        body[1] = body[1].replace("Putin", "President Putin", 1)
        body.insert(2, "An added paragraph, with <markup> shown as typed.")
        form.body_edit.setPlainText("\n\n".join(body))
        form.title_edit.setText(form.title_edit.text() + " (edited)")
        window.save()
        panel = form.history_panel
        panel.set_expanded(True)
        settle(0.3)
        widen_form(window)
        scroll = form.findChild(QScrollArea)
        assert scroll is not None
        scroll.ensureWidgetVisible(panel.restore_button, 0, 0)
        settle(0.5)
        window.grab().save(str(out_dir / "history.png"), "PNG")
        print(out_dir / "history.png")

        # Unsaved edits left behind (the window is not closed: as after a crash).
        form.title_edit.setText("Putin tells Macron: a title typed but never saved")
        form.notes_edit.setPlainText("Check the quote against the Elysée readout.")
        window.write_draft()
        window.ask_unsaved_changes = lambda: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
        other = next(a for a in library.list_articles() if a.id != seed.id)
        library.save_draft(other.id, {"publisher": "Agence France-Presse", "language": "fr"})

        second_library = Library(path)
        try:
            second = MainWindow(second_library)
            second.auto_backup_on_quit = False
            second.show_import_reports = False
            second.resize(*size)
            second.show()
            wait_until(
                lambda: second.last_recovery_dialog is not None, timeout, "the recovery dialog"
            )
            dialog = second.last_recovery_dialog
            assert dialog is not None
            wait_until(lambda: dialog.isVisible(), timeout, "the dialog to show")
            settle(0.5)
            dialog.grab().save(str(out_dir / "recovery.png"), "PNG")
            print(out_dir / "recovery.png")
            dialog.close()
            second.close()
        finally:
            second_library.close()
        window.close()
        settle(0.1)
    finally:
        library.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script; return the exit code."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="archive-screenshot-") as tmp:
        take_screenshots(args.out_dir.resolve(), (args.width, args.height), args.timeout, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
