"""Sidebar filtering, saved searches and batch edit with undo, from the window."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from archive_app.core.library import Library
from archive_app.core.records import BatchEdit
from archive_app.gui.dialogs.batch_edit import BatchEditDialog
from archive_app.gui.windows.main_window import MainWindow
from tests.gui.helpers import import_and_wait, write_article


def _library_of_three(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> list[int]:
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


def test_sidebar_counts_and_clicking_filters_the_table(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    _library_of_three(qtbot, window, tmp_path)
    sidebar = window.sidebar
    assert sidebar.find_item("All articles (3)") is not None
    news = sidebar.find_item("News (2)")
    assert news is not None
    assert news.childCount() == 2
    russia = sidebar.find_item("Russia (1)")
    assert russia is not None
    sidebar.itemClicked.emit(russia, 0)
    assert window.library_view.search_edit.text() == 'section:"News Russia"'
    assert window.model.rowCount() == 1
    assert window.model.data(window.model.index(0, 0)) == "Kremlin talks"
    everything = sidebar.find_item("All articles")
    assert everything is not None
    sidebar.itemClicked.emit(everything, 0)
    assert window.model.rowCount() == 3


def test_saved_searches_are_listed_and_editable(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    _library_of_three(qtbot, window, tmp_path)
    window.library_view.search_edit.setText("talks")
    window.ask_saved_search = lambda name, query: ("All the talks", query)  # type: ignore[method-assign]
    window.save_search_action.trigger()
    assert [(s.name, s.query) for s in library.saved_searches()] == [("All the talks", "talks")]
    item = window.sidebar.find_item("All the talks")
    assert item is not None
    window.library_view.search_edit.clear()
    window.sidebar.itemClicked.emit(item, 0)
    assert window.model.rowCount() == 2
    search_id = library.saved_searches()[0].id
    window.ask_saved_search = lambda name, query: ("Iran", "tehran")  # type: ignore[method-assign]
    window.edit_saved_search(search_id)
    assert window.sidebar.find_item("Iran") is not None
    assert window.sidebar.find_item("All the talks") is None
    window.delete_saved_search(search_id)
    assert library.saved_searches() == []


def test_batch_edit_previews_applies_and_undoes(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    ids = _library_of_three(qtbot, window, tmp_path)
    dialog = BatchEditDialog(library, ids[:2])
    qtbot.addWidget(dialog)
    dialog.add_tags_edit.setText("diplomacy")
    dialog.publisher_check.setChecked(True)
    dialog.publisher_edit.setText("Archive Wire")
    dialog.update_preview()
    assert dialog.preview_model.rowCount() == 4
    assert dialog.summary.text() == "4 change(s) to 2 of 2 article(s)."
    edit = dialog.edit()
    assert edit == BatchEdit(add_tags=("diplomacy",), publisher="Archive Wire")

    window.library_view.table.selectAll()
    window.ask_batch_edit = lambda selected: edit  # type: ignore[method-assign]
    window.batch_edit_action.trigger()
    assert {library.get_article(i).publisher for i in ids} == {"Archive Wire"}
    assert window.sidebar.find_item("diplomacy (3)") is not None
    assert window.undo_batch_action.isEnabled()
    window.undo_batch_action.trigger()
    assert {library.get_article(i).publisher for i in ids} == {""}
    assert library.article_ids("tag:diplomacy") == []
    assert not window.undo_batch_action.isEnabled()
