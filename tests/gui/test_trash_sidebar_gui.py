"""The trash as a sidebar collection: its counts, its hints, and Restore at hand."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolBar
from pytestqt.qtbot import QtBot

from archive_app.core.library import Library
from archive_app.gui.windows.main_window import MainWindow
from tests.gui.helpers import import_and_wait, write_article


def _library(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> list[int]:
    report = import_and_wait(
        qtbot,
        window,
        [
            write_article(tmp_path / "in", "a.txt", "Kremlin talks", section="News / Russia"),
            write_article(tmp_path / "in", "b.txt", "Tehran talks", section="News / Iran"),
            write_article(tmp_path / "in", "c.txt", "Oil markets", section="Economy / Markets"),
        ],
    )
    return list(report.imported)


def _title_ids(library: Library) -> dict[str, int]:
    listed = [*library.list_articles(), *library.list_articles(trash=True)]
    return {a.title: a.id for a in listed}


def _trash_titles(window: MainWindow, library: Library, *titles: str) -> None:
    ids = _title_ids(library)
    window.library_changed.emit(library.trash([ids[t] for t in titles]), None)


def _toolbar_button_shown(window: MainWindow, action: object) -> bool:
    (toolbar,) = window.findChildren(QToolBar)
    button = toolbar.widgetForAction(action)  # type: ignore[arg-type]
    return button is not None and button.isVisible()


def test_the_trash_is_a_sidebar_entry_with_its_count(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    _library(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: window.sidebar.find_item("Trash (0)") is not None)
    _trash_titles(window, library, "Kremlin talks")
    entry = window.sidebar.find_item("Trash (")
    assert entry is not None
    assert entry.text(0) == "Trash (1)"
    assert not entry.icon(0).isNull()
    assert not window.model.showing_trash
    assert window.sidebar.currentItem() is window.sidebar.find_item("All articles")

    window.sidebar.itemClicked.emit(entry, 0)
    assert window.model.showing_trash
    assert window.show_trash_action.isChecked()  # the menu action follows
    assert window.model.rowCount() == 1
    assert window.count_label.text().startswith("1 in the trash")
    assert window.sidebar.currentItem().text(0) == "Trash (1)"  # type: ignore[union-attr]

    everything = window.sidebar.find_item("All articles")
    assert everything is not None
    window.sidebar.itemClicked.emit(everything, 0)
    assert not window.model.showing_trash
    assert not window.show_trash_action.isChecked()
    assert window.model.rowCount() == 2


def test_in_the_trash_the_sidebar_counts_the_trash(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    _library(qtbot, window, tmp_path)
    _trash_titles(window, library, "Kremlin talks")
    assert window.sidebar.find_item("News (1)") is not None  # the library's: Tehran only
    assert window.sidebar.find_item("Economy (1)") is not None

    window.show_trash_action.trigger()  # the menu action is the same collection
    sidebar = window.sidebar
    assert sidebar.currentItem().text(0) == "Trash (1)"  # type: ignore[union-attr]
    assert sidebar.find_item("Sections in the trash") is not None
    assert sidebar.find_item("News (1)") is not None  # Kremlin, in the trash
    assert sidebar.find_item("Russia (1)") is not None
    assert sidebar.find_item("Iran") is None  # the library's sections are not the trash's
    assert sidebar.find_item("Economy") is None
    assert sidebar.find_item("All articles (2)") is not None  # the collections still say all

    russia = sidebar.find_item("Russia (1)")
    assert russia is not None
    sidebar.itemClicked.emit(russia, 0)  # a section in the trash filters the trash
    assert window.model.showing_trash
    assert window.library_view.search_edit.text() == 'section:"News Russia"'
    assert window.model.rowCount() == 1

    window.show_trash_action.trigger()
    assert sidebar.find_item("Sections in the trash") is None
    assert sidebar.find_item("Iran (1)") is not None


def test_the_trash_hints_never_talk_about_importing(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    assert "import" in window.preview.toPlainText().lower()  # the library's hint does
    qtbot.waitUntil(lambda: window.sidebar.find_item("Trash (0)") is not None)
    entry = window.sidebar.find_item("Trash (0)")
    assert entry is not None
    window.sidebar.itemClicked.emit(entry, 0)
    view = window.library_view
    assert view.stack.currentWidget() is view.table  # not the empty library's hint
    assert "trash is empty" in view.no_matches.text().lower()
    for text in (view.no_matches.text(), window.preview.toPlainText()):
        assert "import" not in text.lower(), text
    window.show_trash_action.trigger()
    assert "import" in window.preview.toPlainText().lower()


def test_restore_and_delete_permanently_are_at_hand_in_the_trash(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    _library(qtbot, window, tmp_path)
    assert not _toolbar_button_shown(window, window.restore_action)  # nothing to restore
    assert _toolbar_button_shown(window, window.trash_action)
    _trash_titles(window, library, "Kremlin talks", "Oil markets")
    entry = window.sidebar.find_item("Trash (2)")
    assert entry is not None
    window.sidebar.itemClicked.emit(entry, 0)

    qtbot.waitUntil(lambda: _toolbar_button_shown(window, window.restore_action))
    assert _toolbar_button_shown(window, window.trash_action)
    assert window.trash_action.text().replace("&", "") == "Delete Permanently…"
    assert not window.restore_action.isEnabled()  # no selection yet
    assert not window.trash_action.isEnabled()
    table = window.library_view.table
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert window.restore_action in table.actions()
    assert window.trash_action in table.actions()

    kremlin = _title_ids(library)["Kremlin talks"]
    assert window.library_view.select_id(kremlin)
    assert window.restore_action.isEnabled()
    assert window.trash_action.isEnabled()
    window.restore_action.trigger()
    assert kremlin in library.article_ids()
    assert window.model.rowCount() == 1
    assert window.sidebar.find_item("Trash (1)") is not None
    assert window.sidebar.currentItem().text(0) == "Trash (1)"  # type: ignore[union-attr]


def test_the_sidebar_starts_as_tall_as_its_entries(qtbot: QtBot, window: MainWindow) -> None:
    # A near-empty sidebar used to take two sevenths of the left pane whatever it held.
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: sidebar.find_item("Trash (0)") is not None)
    rows = sidebar.topLevelItemCount()
    assert rows >= 6
    height, rest = window.left_splitter.sizes()
    assert height < (height + rest) / 4  # was 2/7 of the pane, with five entries in it
    last = sidebar.topLevelItem(rows - 1)
    assert last is not None
    bottom = sidebar.visualItemRect(last).bottom()
    assert bottom < sidebar.viewport().height()  # every entry shows without scrolling
    assert sidebar.itemAt(QPoint(4, bottom)) is last
