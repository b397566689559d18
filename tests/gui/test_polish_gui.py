"""Rough edges found in use: progress after the end, status messages, queries, sorting, hints."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from archive_app.core.library import Library
from archive_app.gui.windows.main_window import MainWindow
from tests.gui.helpers import import_and_wait, write_article


def _progress_dialogs(window: MainWindow) -> list[QProgressDialog]:
    return window.findChildren(QProgressDialog)


def test_progress_after_finished_never_touches_the_deleted_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    go = threading.Event()

    def work(progress: Any, _cancelled: Any) -> str:
        go.wait(10)
        for done in range(1, 40):
            progress(done, 40, f"/tmp/{'long title ' * 30}{done}.txt")
        return "done"

    task = window._run_with_progress(work, "Export", "Exporting", lambda _result: None)
    (dialog,) = _progress_dialogs(window)
    dialog.show()  # shown: a modal setValue() processes events, the end arrives inside it
    with qtbot.waitSignal(task.signals.finished, timeout=10_000):
        go.set()
    qtbot.waitUntil(lambda: not _progress_dialogs(window))  # deleteLater ran: it is gone
    # A late report (queued before the end, delivered after) finds no dialog to touch.
    task.signals.progressed.emit(1, 2, "late.txt")
    task.signals.progressed.emit(-1, 0, "The library is busy")
    assert not _progress_dialogs(window)


def _articles(tmp_path: Path, *titles: str) -> list[Path]:
    return [write_article(tmp_path / "in", f"{n}.txt", title) for n, title in enumerate(titles)]


def test_the_count_never_overwrites_a_transient_message(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, _articles(tmp_path, "Alpha one", "Bravo two", "Charlie three"))
    table = window.library_view.table
    table.setFocus()
    table.selectAll()
    table.selectionModel().select(
        window.model.index(2, 0),
        table.selectionModel().SelectionFlag.Deselect | table.selectionModel().SelectionFlag.Rows,
    )
    window.trash_action.trigger()
    assert library.count() == 1
    assert window.statusBar().currentMessage().startswith("Moved 2 article")
    assert window.count_label.text().startswith("1 article ·")
    # Invalid edits: the reason stays while the selection (and so the count) changes.
    window.library_view.select_id(window.model.ids()[0])
    window.form.title_edit.setText("   ")
    assert not window.save()
    window.library_view.table.clearSelection()
    assert window.statusBar().currentMessage().startswith("Not saved:")
    assert window.count_label.text() == "1 article"
