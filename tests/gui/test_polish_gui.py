"""Rough edges found in use: progress after the end, status messages, queries, sorting, hints."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from archive_app.core.library import Library
from archive_app.core.records import Changes
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


def test_a_query_that_cannot_be_understood_lists_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, _articles(tmp_path, "Harbour news", "Mountain news"))
    view = window.library_view
    view.search_edit.setText("harbour")
    view.apply_search()
    assert window.count_label.text().startswith("1 matching")
    view.search_edit.setText("date:someday")
    view.apply_search()
    assert view.query_error.isVisibleTo(view)
    assert window.model.rowCount() == 0
    assert window.count_label.text() == ""
    window.library_changed.emit(Changes(added=True), window)  # a reload keeps it empty
    assert window.model.rowCount() == 0
    view.search_edit.setText("harbour")  # the same good query as before works again
    view.apply_search()
    assert not view.query_error.isVisibleTo(view)
    assert window.model.rowCount() == 1
    assert window.count_label.text().startswith("1 matching")


def test_a_bad_query_in_the_background_lists_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, _articles(tmp_path, "Harbour news", "Mountain news"))
    view = window.library_view
    view.background_threshold = 0
    with qtbot.waitSignal(view.search_finished, timeout=10_000):
        view.search_edit.setText("date:someday")
        view.apply_search()
    assert view.query_error.isVisibleTo(view)
    assert window.model.rowCount() == 0
    assert window.count_label.text() == ""


def _click_header(qtbot: QtBot, window: MainWindow, column: int) -> None:
    header = window.library_view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def test_a_first_click_on_a_column_sorts_text_ascending_and_dates_newest_first(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, _articles(tmp_path, "Bravo", "alpha", "Charlie"))
    header = window.library_view.table.horizontalHeader()
    assert header.sortIndicatorSection() == 4  # newest imports first to begin with
    _click_header(qtbot, window, 0)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    titles = [window.model.data(window.model.index(r, 0)) for r in range(3)]
    assert titles == ["alpha", "Bravo", "Charlie"]
    _click_header(qtbot, window, 0)  # the same column again: reversed
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    _click_header(qtbot, window, 4)  # a date column: newest first, whatever came before
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    _click_header(qtbot, window, 0)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder


def test_a_click_after_a_relevance_search_sorts_the_column_from_the_start(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, _articles(tmp_path, "Bravo harbour", "alpha harbour"))
    header = window.library_view.table.horizontalHeader()
    _click_header(qtbot, window, 0)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    view = window.library_view
    view.search_edit.setText("harbour")
    view.apply_search()
    assert window.model.by_relevance
    _click_header(qtbot, window, 0)  # the hidden order was Title A→Z: still A→Z first
    assert not window.model.by_relevance
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    titles = [window.model.data(window.model.index(r, 0)) for r in range(2)]
    assert titles == ["alpha harbour", "Bravo harbour"]


def test_the_empty_form_shows_hints_not_sample_values(window: MainWindow) -> None:
    form = window.form
    hints = {
        edit.placeholderText()
        for edit in (
            form.section_edit,
            form.byline_edit,
            form.dateline_edit,
            form.credit_edit,
            form.language_edit,
        )
    }
    assert hints == {
        "Section / Subsection",
        "Author",
        "Place at the start of the body",
        "Agency or photographer",
        "Language code, e.g. en",
    }


def test_export_and_delete_need_a_selection(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    assert not window.export_action.isEnabled()
    assert not window.trash_action.isEnabled()
    import_and_wait(qtbot, window, _articles(tmp_path, "Alpha", "Bravo"))
    assert window.library_view.selected_ids()  # the import selects the first new article
    assert window.export_action.isEnabled()
    assert window.trash_action.isEnabled()
    window.library_view.table.clearSelection()
    assert not window.export_action.isEnabled()
    assert not window.trash_action.isEnabled()


def test_escape_in_the_search_field_clears_the_search(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, _articles(tmp_path, "Alpha harbour", "Bravo mountain"))
    view = window.library_view
    view.search_edit.setText("harbour")
    view.apply_search()
    assert window.model.rowCount() == 1
    view.search_edit.setFocus()
    qtbot.waitUntil(view.search_edit.hasFocus)
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Escape)
    assert view.search_edit.text() == ""
    assert window.model.rowCount() == 2


def test_an_empty_result_says_so_over_the_table(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, _articles(tmp_path, "Alpha harbour"))
    view = window.library_view
    view.search_edit.setText("volcano")
    view.apply_search()
    assert window.model.rowCount() == 0  # no fake row
    assert view.stack.currentWidget() is view.table
    assert view.no_matches.isVisibleTo(view)
    assert "No matches for “volcano”" in view.no_matches.text()
    assert "Esc" in view.no_matches.text()
    view.search_edit.setText("date:someday")  # the error explains a bad query instead
    view.apply_search()
    assert not view.no_matches.isVisibleTo(view)
    view.clear_search()
    assert not view.no_matches.isVisibleTo(view)


def test_the_import_report_opens_on_a_summary_with_problems_first(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.show_import_reports = True
    good = write_article(tmp_path / "in", "good.txt", "A good one")
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "in" / "image.jpg").write_bytes(b"\xff\xd8\xff")
    import_and_wait(qtbot, window, [tmp_path / "in", good])
    dialog = window.last_report_dialog
    assert dialog is not None
    assert dialog.summary.text() == (
        "Look at these first: 1 failed, 1 skipped. 1 article imported, 1 already in the library."
    )
    assert dialog.groups() == [
        ("Failed (1)", True),
        ("Skipped (1)", True),
        ("Duplicates (1)", False),
    ]
    dialog.close()


def test_the_progress_dialog_does_not_grow_to_a_long_file_name(
    qtbot: QtBot, window: MainWindow
) -> None:
    release = threading.Event()
    name = "A very long article title that goes on " * 12 + ".txt"

    def work(progress: Any, _cancelled: Any) -> None:
        progress(1, 2, f"/tmp/{name}")
        release.wait(10)

    task = window._run_with_progress(work, "Import", "Importing", lambda _result: None)
    (dialog,) = _progress_dialogs(window)
    dialog.show()
    try:
        qtbot.waitUntil(lambda: "1 of 2" in dialog.labelText())
        assert "…" in dialog.labelText().splitlines()[1]
        assert dialog.width() < 600
    finally:
        with qtbot.waitSignal(task.signals.finished, timeout=10_000):
            release.set()


def test_the_imported_column_is_short_and_local() -> None:
    from archive_app.gui.views.article_table import short_time_text

    now = dt.datetime(2026, 6, 15, 18, 0).astimezone()

    def utc(local: dt.datetime) -> dt.datetime:
        return local.astimezone().astimezone(dt.UTC).replace(tzinfo=None)

    assert short_time_text(utc(dt.datetime(2026, 6, 15, 9, 5)), now) == "09:05"
    assert short_time_text(utc(dt.datetime(2026, 3, 12, 9, 5)), now) == "12 Mar"
    assert short_time_text(utc(dt.datetime(2024, 3, 12, 9, 5)), now) == "2024-03-12"


def test_the_imported_column_shows_time_only_today(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, _articles(tmp_path, "Alpha"))
    text = window.model.data(window.model.index(0, 4))
    assert len(text) == 5  # e.g. 14:05
    assert text[2] == ":"
    tip = window.model.data(window.model.index(0, 4), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Imported ")
    assert text in tip


def test_empty_columns_hide_until_the_header_menu_shows_them(
    qtbot: QtBot, make_window: Any, library: Library, tmp_path: Path
) -> None:
    window: MainWindow = make_window(library)
    header = window.library_view.table.horizontalHeader()
    import_and_wait(qtbot, window, _articles(tmp_path, "Alpha"))  # no section, publisher, date
    qtbot.waitUntil(lambda: header.isSectionHidden(1))
    assert [header.isSectionHidden(c) for c in range(5)] == [False, True, True, True, False]
    menu = window.library_view.columns.menu()
    names = [action.text() for action in menu.actions()]
    assert names == ["Section", "Publisher", "Date", "Imported"]  # the title always shows
    menu.actions()[0].setChecked(True)  # show Section
    assert not header.isSectionHidden(1)
    window.refresh_sidebar()  # the archivist chose: no longer hidden as empty
    assert not header.isSectionHidden(1)
    window.save_settings()
    window.close()
    again: MainWindow = make_window(library)
    header = again.library_view.table.horizontalHeader()
    again.refresh_sidebar()
    assert [header.isSectionHidden(c) for c in range(5)] == [False, False, True, True, False]


def test_a_filled_column_shows(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    path = write_article(tmp_path / "in", "a.txt", "Kremlin talks", section="News / Russia")
    import_and_wait(qtbot, window, [path])
    header = window.library_view.table.horizontalHeader()
    qtbot.waitUntil(lambda: not header.isSectionHidden(1))


def test_the_toolbar_shows_icons_and_text(window: MainWindow) -> None:
    from PySide6.QtWidgets import QToolBar

    from archive_app.gui.icons import THEME_NAMES, bundled_icon

    for name in THEME_NAMES:  # every fallback is bundled and loads (the SVG plugin works)
        assert not bundled_icon(name).pixmap(24, 24).isNull(), name
    (toolbar,) = window.findChildren(QToolBar)
    assert toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    actions = [a for a in toolbar.actions() if not a.isSeparator()]
    assert len(actions) == 5
    for action in actions:
        assert not action.icon().isNull(), action.text()
        assert action.text()
