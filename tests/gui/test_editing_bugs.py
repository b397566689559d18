"""Unsaved edits and the table: delete asks first, sections keep their slashes, and the
selection always shows the article the form holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from archive_app.core.sections import join_section, split_section
from archive_app.gui.dialogs.batch_edit import BatchEditDialog
from archive_app.gui.windows.main_window import MainWindow
from tests.gui.helpers import write_article

Choice = QMessageBox.StandardButton


def _window_with_three(make_window: object, library: Library, tmp_path: Path) -> MainWindow:
    import_paths(
        library,
        [
            write_article(tmp_path / "in", "a.txt", "Alpha headline about harbours"),
            write_article(tmp_path / "in", "b.txt", "Bravo headline about mountains"),
            write_article(tmp_path / "in", "c.txt", "Charlie headline about rivers"),
        ],
    )
    window: MainWindow = make_window(library)  # type: ignore[operator]
    window.library_view.select_id(window.model.ids()[0])
    assert window.form.record is not None
    return window


def _click_row(qtbot: QtBot, window: MainWindow, article_id: int) -> None:
    table = window.library_view.table
    row = window.model.row_of(article_id)
    assert row is not None
    rect = table.visualRect(window.model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# -- a. delete with unsaved edits asks first ---------------------------------------------


@pytest.mark.parametrize(
    ("choice", "trashed", "stored_title"),
    [
        (Choice.Cancel, False, None),
        (Choice.Save, True, "Edited before the delete"),
        (Choice.Discard, True, None),
    ],
)
def test_delete_with_unsaved_edits_asks_first(
    qtbot: QtBot,
    make_window: object,
    library: Library,
    tmp_path: Path,
    choice: QMessageBox.StandardButton,
    trashed: bool,
    stored_title: str | None,
) -> None:
    window = _window_with_three(make_window, library, tmp_path)
    record = window.form.record
    assert record is not None
    window.form.title_edit.setText("Edited before the delete")
    asked: list[str] = []

    def ask() -> QMessageBox.StandardButton:
        asked.append(window.form.title_edit.text())
        return choice

    window.ask_unsaved_changes = ask  # type: ignore[method-assign]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.library_view.table.setFocus()
    qtbot.waitUntil(window.library_view.table.hasFocus)
    qtbot.keyClick(window.library_view.table, Qt.Key.Key_Delete)
    assert asked == ["Edited before the delete"]
    assert (record.id not in library.article_ids()) is trashed
    assert library.get_article(record.id).title == (stored_title or record.title)
    if not trashed:  # Cancel: the edits are still in the form, nothing moved
        assert window.form.is_modified
        assert window.form.title_edit.text() == "Edited before the delete"


# -- b. one rule for section parts ---------------------------------------------------------


def test_section_text_splits_only_on_spaced_separators() -> None:
    assert split_section("World / US/Canada") == ("World", "US/Canada")
    assert split_section("News > Europe » Paris") == ("News", "Europe", "Paris")
    assert split_section("  24/7 ") == ("24/7",)
    assert split_section(" / News /  ") == ("News",)
    assert split_section("") == ()
    parts = ("World", "US/Canada", "A>B")
    assert split_section(join_section(parts)) == parts


def test_saving_keeps_a_slash_inside_a_section_part(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path
) -> None:
    window = _window_with_three(make_window, library, tmp_path)
    record = window.form.record
    assert record is not None
    library.update_fields(record.id, {"section_path": ("World", "US/Canada")})
    window.open_article(record.id)
    assert window.form.section_edit.text() == "World / US/Canada"
    window.form.title_edit.setText("Only the title changed")
    assert window.save()
    assert library.get_article(record.id).section_path == ("World", "US/Canada")
    window.form.section_edit.setText("World / Middle East / Iran/Iraq")
    assert window.save()
    assert library.get_article(record.id).section_path == ("World", "Middle East", "Iran/Iraq")


def test_batch_edit_keeps_a_slash_inside_a_section_part(
    qtbot: QtBot, library: Library, tmp_path: Path, make_window: object
) -> None:
    window = _window_with_three(make_window, library, tmp_path)
    dialog = BatchEditDialog(library, window.model.ids(), window)
    qtbot.addWidget(dialog)
    dialog.section_check.setChecked(True)
    dialog.section_edit.setText("World / US/Canada")
    assert dialog.edit().section_path == ("World", "US/Canada")


# -- c. the selection shows the form's article ---------------------------------------------


@pytest.mark.parametrize("how", ["cancel", "save with a bad date"])
def test_refusing_to_switch_reselects_the_forms_row(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path, how: str
) -> None:
    window = _window_with_three(make_window, library, tmp_path)
    first = window.form.record
    assert first is not None
    other = next(i for i in window.model.ids() if i != first.id)
    asked: list[int] = []

    def ask() -> QMessageBox.StandardButton:
        asked.append(1)
        return Choice.Cancel if how == "cancel" else Choice.Save

    window.ask_unsaved_changes = ask  # type: ignore[method-assign]
    window.form.title_edit.setText("Edited, then another row clicked")
    if how != "cancel":
        window.form.date_edit.setText("2024-02-31")
    _click_row(qtbot, window, other)
    qtbot.waitUntil(lambda: window.library_view.selected_ids() == [first.id])
    assert asked == [1]  # re-selecting the form's row did not ask again
    assert window.form.record is not None
    assert window.form.record.id == first.id
    assert window.library_view.current_id() == first.id
    assert window.form.is_modified
    # What acts on the selection now acts on the form's article.
    window.ask_batch_edit = lambda ids: asked.append(list(ids)) or None  # type: ignore[method-assign,func-returns-value]
    window.resolve_unsaved = lambda: True  # type: ignore[method-assign]
    window.batch_edit_selected()
    assert asked[-1] == [first.id]
