"""The main window as an archivist uses it: drop, review, edit, save, trash, search."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from archive_app.core.library import Library
from archive_app.gui.windows.main_window import MainWindow
from tests.conftest import SEED_FILE
from tests.gui.helpers import drop_mime, drop_paths, import_and_wait, write_article

Choice = QMessageBox.StandardButton


def _three_articles(tmp_path: Path) -> list[Path]:
    return [
        write_article(tmp_path / "in", "a.txt", "Alpha headline about harbours"),
        write_article(tmp_path / "in", "b.txt", "Bravo headline about mountains"),
        write_article(tmp_path / "in", "c.txt", "Charlie headline about rivers"),
    ]


def test_window_opens_on_an_empty_library_with_a_hint(window: MainWindow) -> None:
    # The title names the library (the file; a server's URL) when no article is open.
    assert window.windowTitle() == f"{window.library.location} — Article Archive"
    assert window.library_view.stack.currentWidget() is window.library_view.hint
    assert "Drop saved article text files" in window.library_view.hint.text()
    assert window.count_label.text() == "0 articles"
    assert not window.form.isEnabled()
    assert "Select an article" in window.preview.toPlainText()


def test_window_opens_on_a_library_with_articles(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path
) -> None:
    from archive_app.core.importer import import_paths

    import_paths(library, _three_articles(tmp_path))
    window: MainWindow = make_window(library)  # type: ignore[operator]
    assert window.model.rowCount() == 3
    assert window.library_view.stack.currentWidget() is window.library_view.table
    assert window.count_label.text() == "3 articles"


def test_dropping_files_on_the_window_imports_them(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    paths = _three_articles(tmp_path)
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
        accepted = drop_paths(window, paths)
    assert accepted == (True, True)
    report = blocker.args[0]
    assert len(report.imported) == 3
    assert window.model.rowCount() == 3
    assert window.library_view.stack.currentWidget() is window.library_view.table
    # The first new article is selected and shown.
    assert window.form.record is not None
    assert window.form.record.id == report.imported[0]
    assert window.library_view.current_id() == report.imported[0]


def test_dropping_a_folder_on_the_body_editor_imports_instead_of_pasting(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    _three_articles(tmp_path)
    with qtbot.waitSignal(window.import_finished, timeout=30_000):
        drop_paths(window.preview.viewport(), [tmp_path / "in"])
    assert window.model.rowCount() == 3
    body_before = window.form.body_edit.toPlainText()
    write_article(tmp_path / "more", "d.txt", "Delta headline")
    with qtbot.waitSignal(window.import_finished, timeout=30_000):
        drop_paths(window.form.body_edit.viewport(), [tmp_path / "more"])
    assert window.model.rowCount() == 4
    assert str(tmp_path) not in window.form.body_edit.toPlainText()
    assert window.form.body_edit.toPlainText() == body_before or window.form.record


def test_dropping_non_file_data_is_ignored(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setText("just some text")
    enter_accepted, drop_accepted = drop_mime(window, mime)
    assert not enter_accepted
    assert not drop_accepted
    assert window.import_task is None
    assert window.model.rowCount() == 0


def test_the_import_report_lists_failures_with_reasons(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.show_import_reports = True
    good = write_article(tmp_path / "in", "good.txt", "A good one")
    bad = tmp_path / "in" / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "in" / "image.jpg").write_bytes(b"\xff\xd8\xff")
    report = import_and_wait(qtbot, window, [tmp_path / "in", good])
    assert len(report.imported) == 1
    dialog = window.last_report_dialog
    assert dialog is not None
    assert dialog.isVisible()
    rows = dialog.rows()
    assert ("Failed (1)", "bad.txt", "not a text file: looks like a PNG image") in rows
    assert ("Skipped (1)", "image.jpg", "not a text file (.jpg)") in rows
    assert any(g == "Duplicates (1)" and f == "good.txt" for g, f, _ in rows)
    dialog.close()


def test_edit_and_save_round_trips_into_the_library(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    import_and_wait(qtbot, window, [SEED_FILE])
    form = window.form
    assert form.record is not None
    article_id = form.record.id
    form.title_edit.setText("Putin and Macron talk on the phone")
    form.tags_edit.setText("Ukraine, diplomacy")
    form.date_edit.setText("2022-05-03")
    form.byline_edit.setText("Staff writer")
    form.notes_edit.setPlainText("Checked against the Kremlin readout.")
    assert form.is_modified
    assert form.modified_label.isVisibleTo(form)
    assert window.isWindowModified()
    assert window.windowTitle().endswith(f"[*] — {window.library.location} — Article Archive")
    assert window.save_action.isEnabled()
    with qtbot.waitSignal(window.article_saved):
        window.save_action.trigger()
    assert not form.is_modified
    assert not form.modified_label.isVisibleTo(form)
    assert not window.isWindowModified()
    stored = library.get_article(article_id)
    assert stored.title == "Putin and Macron talk on the phone"
    assert stored.tags == ("diplomacy", "Ukraine")
    assert stored.published_on == dt.date(2022, 5, 3)
    assert stored.byline == "Staff writer"
    assert stored.notes == "Checked against the Kremlin readout."
    assert stored.photo_credit == "AFP"  # untouched fields keep their values
    assert [h.id for h in library.search("phone macron")] == [article_id]
    index = window.model.index(window.model.row_of(article_id) or 0, 0)
    assert window.model.data(index) == "Putin and Macron talk on the phone"


def test_validation_shows_inline_messages_and_does_not_save(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    import_and_wait(qtbot, window, [SEED_FILE])
    form = window.form
    article_id = form.record.id  # type: ignore[union-attr]
    form.title_edit.setText("   ")
    form.date_edit.setText("2022-02-30")
    form.source_url_edit.setText("not a url at all")
    assert not window.save()
    assert form.error_text("title") == "A title is required."
    assert "Not a real date" in form.error_text("published_on")
    assert "Not a web address" in form.error_text("source_url")
    assert form.is_modified
    assert library.get_article(article_id).title.startswith("Putin tells Macron")
    form.title_edit.setText("Fixed title")
    form.date_edit.setText("2022-02-28")
    form.source_url_edit.setText("https://www.presstv.ir/Detail/2022/05/03/1")
    assert window.save()
    assert form.error_text("title") == ""
    assert library.get_article(article_id).source_url.startswith("https://www.presstv.ir")


def test_revert_restores_the_stored_values(qtbot: QtBot, window: MainWindow) -> None:
    import_and_wait(qtbot, window, [SEED_FILE])
    window.form.body_edit.setPlainText("scribbles")
    assert window.revert_action.isEnabled()
    window.revert_action.trigger()
    assert window.form.body_edit.toPlainText().startswith("Russian President Vladimir Putin")
    assert not window.form.is_modified


def test_preview_shows_caption_credit_and_share_section(qtbot: QtBot, window: MainWindow) -> None:
    import_and_wait(qtbot, window, [SEED_FILE])
    text = window.preview.toPlainText()
    assert "NEWS / RUSSIA" in text.upper()
    assert "Putin tells Macron West should stop sending arms" in text
    assert "The file photo shows a Ukrainian soldier with an anti-tank rocket launcher." in text
    assert "AFP" in text
    assert "SHARE THIS ARTICLE" in text
    assert "Press TV News Roku" in text
    assert "www.presstv.co.uk" in text
    assert text.index("SHARE THIS ARTICLE") > text.index("even before the military offensive")


def test_preview_follows_the_form_live_and_escapes_markup(qtbot: QtBot, window: MainWindow) -> None:
    import_and_wait(qtbot, window, [SEED_FILE])
    window.form.caption_edit.setPlainText("A <b>bold</b> claim <script>alert(1)</script>")
    window.form.body_edit.setPlainText('<img src="http://example.com/x.png"> & more')
    with qtbot.waitSignal(window.preview.rendered, timeout=2000):
        pass
    text = window.preview.toPlainText()
    assert "A <b>bold</b> claim <script>alert(1)</script>" in text
    assert '<img src="http://example.com/x.png"> & more' in text
    html = window.preview.toHtml()
    assert "<script>" not in html
    assert "<img" not in html


@pytest.mark.parametrize(
    ("choice", "expect_saved", "expect_moved"),
    [(Choice.Save, True, True), (Choice.Discard, False, True), (Choice.Cancel, False, False)],
)
def test_switching_article_with_unsaved_edits_asks(
    qtbot: QtBot,
    window: MainWindow,
    library: Library,
    tmp_path: Path,
    choice: QMessageBox.StandardButton,
    expect_saved: bool,
    expect_moved: bool,
) -> None:
    import_and_wait(qtbot, window, _three_articles(tmp_path))
    first = window.form.record.id  # type: ignore[union-attr]
    other = next(i for i in window.model.ids() if i != first)
    original_title = window.form.title_edit.text()
    window.form.title_edit.setText("Edited but not saved")
    asked: list[str] = []

    def ask() -> QMessageBox.StandardButton:
        asked.append(window.form.title_edit.text())
        return choice

    window.ask_unsaved_changes = ask  # type: ignore[method-assign]
    window.library_view.select_id(other)
    assert asked == ["Edited but not saved"]
    stored = library.get_article(first).title
    assert stored == ("Edited but not saved" if expect_saved else original_title)
    if expect_moved:
        assert window.form.record.id == other  # type: ignore[union-attr]
        assert window.library_view.current_id() == other
        assert not window.form.is_modified
    else:
        assert window.form.record.id == first  # type: ignore[union-attr]
        assert window.library_view.current_id() == first
        assert window.form.title_edit.text() == "Edited but not saved"
        assert window.form.is_modified


def test_closing_with_unsaved_edits_asks_and_cancel_keeps_the_window(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    import_and_wait(qtbot, window, [SEED_FILE])
    window.form.notes_edit.setPlainText("important note")
    window.ask_unsaved_changes = lambda: Choice.Cancel  # type: ignore[method-assign]
    assert not window.close()
    assert window.isVisible()
    window.ask_unsaved_changes = lambda: Choice.Save  # type: ignore[method-assign]
    assert window.close()
    assert library.get_article(window.form.record.id).notes == "important note"  # type: ignore[union-attr]


def test_cancelling_an_import_leaves_only_whole_articles(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    for n in range(600):
        write_article(tmp_path / "many", f"{n:04d}.txt", f"Headline {n}", f"Body {n} text.")
    task = None

    def cancel_early(done: int, total: int, path: str) -> None:
        if done == 50 and task is not None:
            task.cancel()

    with qtbot.waitSignal(window.import_finished, timeout=60_000) as blocker:
        task = window.start_import([tmp_path / "many"])
        assert task is not None
        task.signals.progressed.connect(cancel_early, Qt.ConnectionType.DirectConnection)
    report = blocker.args[0]
    assert report.cancelled
    assert 50 <= len(report.imported) < 600
    assert library.count() == len(report.imported) == window.model.rowCount()
    assert library.integrity_check() == []
    for article_id in report.imported[:: max(1, len(report.imported) // 10)]:
        record = library.get_article(article_id)
        assert record.title.startswith("Headline ")
        assert record.body.startswith("Body ")


def test_trash_and_restore(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, _three_articles(tmp_path))
    victim = window.form.record.id  # type: ignore[union-attr]
    window.library_view.table.setFocus()
    window.trash_action.trigger()
    assert library.count() == 2
    assert window.model.rowCount() == 2
    assert victim not in window.model.ids()
    # The trashed article left the form; the row after it is selected and shown instead.
    shown = window.form.record
    assert shown is not None
    assert shown.id != victim
    assert window.library_view.selected_ids() == [shown.id]
    assert window.windowTitle().startswith(shown.title)
    window.show_trash_action.trigger()
    assert window.model.showing_trash
    assert window.model.ids() == [victim]
    assert window.count_label.text().startswith("1 in the trash")
    window.library_view.select_id(victim)
    assert window.restore_action.isEnabled()
    window.restore_action.trigger()
    assert window.model.rowCount() == 0
    window.show_trash_action.trigger()
    assert not window.model.showing_trash
    assert sorted(window.model.ids()) == sorted(library.article_ids())
    assert library.count() == 3


def test_search_field_filters_as_you_type(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    import_and_wait(qtbot, window, _three_articles(tmp_path))
    qtbot.keyClicks(window.library_view.search_edit, "mountain*")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=3000)
    index = window.model.index(0, 0)
    assert window.model.data(index) == "Bravo headline about mountains"
    assert window.count_label.text().startswith("1 matching")
    window.library_view.search_edit.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=3000)


def test_clicking_a_header_sorts_in_sql(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    import_and_wait(qtbot, window, _three_articles(tmp_path))
    window.library_view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    titles = [window.model.data(window.model.index(r, 0)) for r in range(3)]
    assert titles == sorted(titles)
    window.library_view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    titles = [window.model.data(window.model.index(r, 0)) for r in range(3)]
    assert titles == sorted(titles, reverse=True)


def test_ctrl_f_focuses_the_search_field(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.library_view.search_edit.hasFocus)


def test_splitter_and_geometry_persist(qtbot: QtBot, make_window: object, library: Library) -> None:
    first: MainWindow = make_window(library)  # type: ignore[operator]
    first.resize(760, 520)  # within the offscreen screen, so nothing clamps it
    first.splitter.setSizes([150, 400, 200])
    sizes = first.splitter.sizes()
    assert first.close()
    second: MainWindow = make_window(library)  # type: ignore[operator]
    assert second.size() == first.size()
    assert second.splitter.sizes() == sizes


def test_sample_articles_import_from_the_help_menu(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
        window.samples_action.trigger()
    report = blocker.args[0]
    assert len(report.imported) >= 3
    assert report.failed == []
    titles = {window.library.get_article(i).title for i in report.imported}
    assert "Harbour city opens its restored lighthouse to visitors after ten years" in titles


def test_search_ranks_free_words_and_explains_bad_queries(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(
        qtbot,
        window,
        [
            write_article(tmp_path / "in", "a.txt", "Harbour news", "One harbour mention."),
            write_article(
                tmp_path / "in", "b.txt", "Harbour harbour harbour", "Harbour, harbour, harbour."
            ),
        ],
    )
    view = window.library_view
    view.search_edit.setText("harbour")
    view.apply_search()
    assert window.model.by_relevance
    assert window.model.data(window.model.index(0, 0)) == "Harbour harbour harbour"
    view.search_edit.setText("date:someday")
    view.apply_search()
    assert view.query_error.isVisibleTo(view)
    assert view.query_error.text().startswith("date:someday is not a date")
    assert window.model.rowCount() == 0  # the last good results are not passed off as its
    assert window.count_label.text() == ""
    view.search_edit.setText("news")
    view.apply_search()
    assert not view.query_error.isVisibleTo(view)
    assert window.model.rowCount() == 1


def test_large_library_searches_in_the_background_and_drops_stale_results(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, _three_articles(tmp_path))
    view = window.library_view
    view.background_threshold = 0  # treat this library as a large one
    shown: list[str] = []
    window.model.reloaded.connect(lambda: shown.append(window.model.query))
    with qtbot.waitSignal(view.search_finished, timeout=10_000) as blocker:
        view.search_edit.setText("harbours")
        view.apply_search()
        view.search_edit.setText("mountains")
        view.apply_search()
    assert blocker.args == ["mountains"]
    assert window.model.rowCount() == 1
    assert window.model.data(window.model.index(0, 0)) == "Bravo headline about mountains"
    assert "harbours" not in shown  # the older search's result was dropped, never shown
    window.runner.wait(10_000)
    assert window.model.query == "mountains"


def test_matching_words_show_in_context_in_the_tooltip(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, _three_articles(tmp_path))
    window.library_view.search_edit.setText("words")
    window.library_view.apply_search()
    threads: list[threading.Thread] = []
    original = window.library.snippet

    def snippet(article_id: int, query: str) -> str:
        threads.append(threading.current_thread())
        return original(article_id, query)

    window.library.snippet = snippet  # type: ignore[method-assign]
    index = window.model.index(0, 0)
    with qtbot.waitSignal(window.model.snippet_ready, timeout=10_000) as blocker:
        # Asked by a tooltip: no query on the GUI thread, the words follow from a worker.
        first = window.model.data(index, Qt.ItemDataRole.ToolTipRole)
        assert "[words]" not in first
    assert blocker.args == [0]
    assert threads
    assert threading.main_thread() not in threads
    assert "[words]" in window.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert len(threads) == 1  # kept: asking again queries nothing


def test_preview_stylesheet_reaches_qt_unescaped(qtbot: QtBot, window: MainWindow) -> None:
    import_and_wait(qtbot, window, [SEED_FILE])
    from archive_app.render.article import render_preview

    html = render_preview(window.form.preview_fields())
    assert "&#34;" not in html.split("</style>")[0]
    assert '"DejaVu Serif"' in html


def test_about_names_the_version_library_and_runtime(window: MainWindow) -> None:
    import platform
    import sqlite3

    import PySide6
    from PySide6.QtCore import QCoreApplication, qVersion

    from archive_app import __version__
    from archive_app.gui.dialogs.about import about_text

    text = about_text(window.library.location)
    for value in (
        __version__,
        window.library.location,
        qVersion(),
        PySide6.__version__,
        sqlite3.sqlite_version,
        platform.python_version(),
    ):
        assert value in text
    assert QCoreApplication.applicationVersion() == __version__
    assert QCoreApplication.organizationName() == "ArticleArchive"
    assert window.about_action in window.menuBar().actions()[-1].menu().actions()
