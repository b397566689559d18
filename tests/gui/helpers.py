"""Helpers for GUI tests: drops, imports and article files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from archive_app.core.importer import ImportReport
from archive_app.gui.windows.main_window import MainWindow


def write_article(folder: Path, name: str, title: str, body: str = "", **parts: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    if parts.get("section"):
        lines.append(parts["section"])
    lines.append(title)
    if parts.get("caption"):
        lines.append(parts["caption"])
    lines.append(body or f"The body of {title}. It has words in it.")
    if parts.get("share"):
        lines.append(parts["share"])
    path = folder / name
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def drop_mime(widget: QWidget, mime: QMimeData) -> tuple[bool, bool]:
    """Send a drag-enter and a drop of ``mime`` to ``widget``; return whether each was taken."""
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    try:
        # PySide6 6.12 takes a QPointF and deprecates the QPoint constructor; 6.11 has only that.
        enter = QDragEnterEvent(pos, *args)
    except TypeError:
        enter = QDragEnterEvent(pos.toPoint(), *args)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def drop_paths(widget: QWidget, paths: Sequence[Path]) -> tuple[bool, bool]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return drop_mime(widget, mime)


def import_and_wait(qtbot: QtBot, window: MainWindow, paths: Sequence[Path]) -> ImportReport:
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
        window.start_import(list(paths))
    report = blocker.args[0]
    assert isinstance(report, ImportReport)
    return report
