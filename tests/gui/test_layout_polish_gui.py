"""Layout polish: columns sized to content, the SHA-256 from its start, a progress dialog that
keeps its size."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot

from archive_app.core.library import Library
from archive_app.core.records import BatchEdit
from archive_app.gui.windows.main_window import MainWindow
from tests.gui.helpers import import_and_wait, write_article

SECTION = "Science / Nature / Oceans"


def _text_width(window: MainWindow, row: int, column: int) -> int:
    table = window.library_view.table
    return table.sizeHintForIndex(window.model.index(row, column)).width()


def _import_long_names(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    paths = [
        write_article(tmp_path / "in", "a.txt", "Volunteers count the seabirds", section=SECTION),
        write_article(tmp_path / "in", "b.txt", "Harbour lights", section="World / Europe"),
    ]
    import_and_wait(qtbot, window, paths)


def test_columns_take_the_width_of_what_they_show(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    _import_long_names(qtbot, window, tmp_path)
    header = window.library_view.table.horizontalHeader()
    qtbot.waitUntil(lambda: window.library_view.column_fitter.fitted)
    row = window.model.row_of(next(a.id for a in library.list_articles() if "seabirds" in a.title))
    assert row is not None
    assert not header.isSectionHidden(1)
    # The section shows whole (it was cut at 100 px: "Science / Nat…").
    assert header.sectionSize(1) >= _text_width(window, row, 1) + 1  # and the grid line
    assert header.sectionSize(1) > 100
    # Short columns are no wider than their header needs, and the title keeps the most room.
    assert header.sectionSize(4) <= header.sectionSizeHint(4) + 30
    assert header.sectionSize(0) > header.sectionSize(1)
    # However long a section, it takes at most 30% of the table.
    fitter = window.library_view.column_fitter
    edit = BatchEdit(section_path=("Science", "Nature " * 20))
    changes, _undo = library.apply_batch_edit([window.model.id_at(row) or 0], edit)
    window.library_changed.emit(changes, None)
    fitter.fit()
    assert header.sectionSize(1) <= 0.3 * window.library_view.table.viewport().width() + 1


def test_a_column_the_archivist_resized_keeps_its_width(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path
) -> None:
    window: MainWindow = make_window(library)  # type: ignore[operator]
    fitter = window.library_view.column_fitter
    header = window.library_view.table.horizontalHeader()
    viewport = header.viewport()
    pos = QPointF(header.sectionViewportPosition(1) + 5, viewport.height() / 2)
    for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
        if kind == QEvent.Type.MouseButtonRelease:
            header.resizeSection(1, 57)  # what a drag on the handle does, between the two
        event = QMouseEvent(
            kind,
            pos,
            viewport.mapToGlobal(pos),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton
            if kind == QEvent.Type.MouseButtonPress
            else Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)
    assert not fitter.enabled
    _import_long_names(qtbot, window, tmp_path)
    assert header.sectionSize(1) == 57
    window.close()
    again: MainWindow = make_window(library)  # type: ignore[operator]
    assert not again.library_view.column_fitter.enabled  # remembered


def test_the_sha256_opens_at_its_start(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    _import_long_names(qtbot, window, tmp_path)
    window.resize(900, 700)  # a narrow form: the 64 digits do not fit
    for article_id in window.model.ids():
        window.library_view.select_id(article_id)
        sha = window.form.sha_label
        assert len(sha.text()) == 64
        sha.setFocus()
        qtbot.waitUntil(lambda sha=sha: sha.width() > 0)
        assert sha.cursorPosition() == 0
        assert 0 <= sha.cursorRect().center().x() < 20  # the first digit is in sight


def test_a_long_progress_message_does_not_grow_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    release = threading.Event()
    url = "https://example.com/" + "a-very-long-path-segment/" * 20

    def work(progress: Any, _cancelled: Any) -> None:
        progress(-1, 0, f"Downloading {url}…")
        release.wait(10)

    task = window._run_with_progress(work, "Import", "Importing", lambda _result: None)
    (dialog,) = window.findChildren(QProgressDialog)
    dialog.show()
    try:
        qtbot.waitUntil(lambda: dialog.labelText().startswith("Downloading"))
        assert "…" in dialog.labelText()[:-1]
        assert dialog.width() < 600
        assert url in window.statusBar().currentMessage()  # the whole address is still said
    finally:
        with qtbot.waitSignal(task.signals.finished, timeout=10_000):
            release.set()


def test_the_import_report_opens_with_close_focused(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QPushButton

    from archive_app.core.importer import ImportReport, PathProblem
    from archive_app.gui.dialogs.import_report import ImportReportDialog

    report = ImportReport(imported=[1], failed=[PathProblem("/in/scan.txt", "not a text file")])
    dialog = ImportReportDialog(report, window)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    # Not the list: its first group looked selected, and Enter closes the report.
    qtbot.waitUntil(lambda: isinstance(dialog.focusWidget(), QPushButton))
    assert dialog.focusWidget().text().replace("&", "") == "Close"  # type: ignore[union-attr]


def test_the_preview_keeps_a_margin_around_the_article(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    _import_long_names(qtbot, window, tmp_path)
    window.library_view.select_id(window.model.ids()[0])
    assert "seabirds" in window.preview.toPlainText() or "Harbour" in window.preview.toPlainText()
    assert window.preview.document().documentMargin() >= 10  # Qt's 4 px: text against the frame
