"""The window on a large library: queries, counts and writes off the GUI thread (issue 15)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from archive_app.core.library import Library
from archive_app.core.records import BatchEdit
from archive_app.gui.dialogs.batch_edit import BatchEditDialog
from archive_app.gui.tasks import TaskRunner
from archive_app.gui.views.article_table import ArticleTableModel
from archive_app.gui.views.library_view import LibraryView
from archive_app.gui.windows.main_window import MainWindow
from tests.conftest import NewArticleFactory


def _threads_of(obj: Any, name: str) -> list[threading.Thread]:
    """Record the thread of every call of ``obj.name`` (and still call it)."""
    threads: list[threading.Thread] = []
    original = getattr(obj, name)

    def recording(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return original(*args, **kwargs)

    setattr(obj, name, recording)
    return threads


def _settle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: not window.runner.busy and not window.model.loading and not window.sidebar_pending,
        timeout=10_000,
    )


def _large(window: MainWindow) -> None:
    window.library_view.background_threshold = 0  # treat the library as a large one


def test_a_large_library_lists_its_first_page_then_every_id(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    library: Library,
    make_article: NewArticleFactory,
) -> None:
    ids = library.add_articles([make_article(title=f"Title {n:02d}") for n in range(12)])
    runner = TaskRunner()
    model = ArticleTableModel(library, load=False, runner=runner)
    model.background_threshold = 0
    model.FIRST_PAGE = 5  # type: ignore[misc]
    qtmodeltester.check(model)
    article_ids = _threads_of(library, "article_ids")
    counts: list[tuple[int, bool]] = []
    model.reloaded.connect(lambda: counts.append((model.rowCount(), model.complete)))
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
        assert model.rowCount() == 0  # nothing was queried here: it comes from a worker
        assert model.loading
    assert counts == [(5, False)]  # the first page, shown before the rest was read
    assert model.complete
    assert model.ids() == sorted(ids, reverse=True)
    assert article_ids
    assert threading.main_thread() not in article_ids
    qtmodeltester.check(model)
    runner.wait(10_000)


def test_the_rest_of_a_large_listing_is_read_after_its_first_page_has_painted(
    qtbot: QtBot, library: Library, make_article: NewArticleFactory
) -> None:
    # Reading every id holds the GIL the first page's painting needs: it starts only once
    # the event loop has had time to paint what came first.
    library.add_articles([make_article(title=f"Title {n:02d}") for n in range(12)])
    runner = TaskRunner(synchronous=True)  # so the order is the model's, not the threads'
    model = ArticleTableModel(library, load=False, runner=runner)
    model.background_threshold = 0
    model.FIRST_PAGE = 5  # type: ignore[misc]
    calls: list[int | None] = []
    article_ids = library.article_ids

    def recording(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("limit"))
        return article_ids(*args, **kwargs)

    library.article_ids = recording  # type: ignore[method-assign]
    with qtbot.waitSignal(model.reloaded, timeout=10_000):
        model.reload()
    assert calls == [5]  # the first page only; the rest is not asked for yet
    assert not model.complete
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        pass
    assert calls == [5, None]
    assert model.complete
    assert model.rowCount() == 12
    runner.wait(10_000)


def test_the_first_page_is_painted_from_what_the_worker_read(
    qtbot: QtBot, library: Library, make_article: NewArticleFactory
) -> None:
    library.add_articles([make_article() for _ in range(3)])
    runner = TaskRunner()
    model = ArticleTableModel(library, load=False, runner=runner)
    model.background_threshold = 0
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    summaries = _threads_of(library, "summaries")
    assert model.data(model.index(2, 0)).startswith("Article number")
    assert summaries == []  # no query on the GUI thread to paint the first page
    runner.wait(10_000)


def test_a_newer_order_drops_an_older_ones_late_rows(
    qtbot: QtBot, library: Library, make_article: NewArticleFactory
) -> None:
    library.add_articles([make_article(title=t) for t in ("Bravo", "Alpha", "Charlie")])
    runner = TaskRunner()
    model = ArticleTableModel(library, load=False, runner=runner)
    model.background_threshold = 0
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    shown: list[list[int]] = []
    model.reloaded.connect(lambda: shown.append(model.ids()))
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.sort(0, Qt.SortOrder.DescendingOrder)  # title Z→A ...
        model.sort(0, Qt.SortOrder.AscendingOrder)  # ... changed at once to A→Z
    runner.wait(10_000)
    titles = [model.data(model.index(r, 0)) for r in range(3)]
    assert titles == ["Alpha", "Bravo", "Charlie"]
    assert len(shown) == 1  # the Z→A rows never reached the view


def test_the_count_says_it_is_a_floor_until_every_id_is_in(
    qtbot: QtBot, make_window: Any, library: Library, make_article: NewArticleFactory
) -> None:
    library.add_articles([make_article() for _ in range(7)])
    window: MainWindow = make_window(library)
    _settle(qtbot, window)
    _large(window)
    window.model.FIRST_PAGE = 3  # type: ignore[misc]
    texts: list[str] = []
    window.model.reloaded.connect(lambda: texts.append(window.count_label.text()))
    with qtbot.waitSignal(window.model.loaded, timeout=10_000):
        window.toggle_trash(True)
        window.toggle_trash(False)
    _settle(qtbot, window)
    assert "3+ articles" in texts
    assert window.count_label.text() == "7 articles"


class _CountingModel(ArticleTableModel):
    flag_calls = 0

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        type(self).flag_calls += 1
        return super().flags(index)


def test_select_all_asks_nothing_of_every_row(
    qtbot: QtBot, library: Library, make_article: NewArticleFactory
) -> None:
    library.add_articles([make_article() for _ in range(3000)])
    model = _CountingModel(library)
    view = LibraryView(model)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    _CountingModel.flag_calls = 0
    view.table.selectAll()
    view.table.horizontalHeader().viewport().repaint()
    view.table.viewport().repaint()
    # Qt's header asked flags() of all 3,000 rows of each of the 5 columns on every repaint.
    assert _CountingModel.flag_calls < 1000
    assert view.selected_count() == 3000
    assert view.selected_ids() == model.ids()


def test_after_a_delete_the_next_row_is_selected(
    qtbot: QtBot, window: MainWindow, library: Library, make_article: NewArticleFactory
) -> None:
    library.add_articles([make_article() for _ in range(4)])
    window.model.reload()
    order = window.model.ids()
    window.library_view.select_id(order[1])
    window.delete_selected()
    assert window.model.ids() == [order[0], order[2], order[3]]
    assert window.library_view.selected_ids() == [order[2]]
    assert window.form.record is not None
    assert window.form.record.id == order[2]
    window.library_view.select_id(order[3])
    window.delete_selected()  # the last row: the one before it, now the last, is selected
    assert window.library_view.selected_ids() == [order[2]]
    window.toggle_trash(True)
    window.library_view.select_id(order[1])
    window.restore_selected()
    assert window.library_view.selected_ids() == [order[3]]


def test_deletes_restores_and_purges_of_a_large_library_run_in_a_worker(
    qtbot: QtBot, window: MainWindow, library: Library, make_article: NewArticleFactory
) -> None:
    library.add_articles([make_article() for _ in range(6)])
    window.model.reload()
    _large(window)
    writes = {name: _threads_of(library, name) for name in ("trash", "restore", "purge")}
    window.library_view.table.selectAll()
    with qtbot.waitSignal(window.library_changed, timeout=10_000):
        window.delete_selected()
        assert window._writing
        assert not window.trash_action.isEnabled()  # no second delete while this one runs
    _settle(qtbot, window)
    assert library.count() == 0
    assert window.model.rowCount() == 0
    with qtbot.waitSignal(window.model.loaded, timeout=10_000):
        window.toggle_trash(True)
    window.library_view.table.selectAll()
    with qtbot.waitSignal(window.library_changed, timeout=10_000):
        window.restore_selected()
    _settle(qtbot, window)
    assert library.count() == 6
    assert window.model.rowCount() == 0  # they left the trash
    Library.trash(library, library.article_ids()[:2])  # set-up, not the window's
    with qtbot.waitSignal(window.model.loaded, timeout=10_000):
        window.model.reload()
    window.library_view.table.selectAll()
    window.confirm_purge = lambda _count: True  # type: ignore[method-assign]
    with qtbot.waitSignal(window.library_changed, timeout=10_000):
        window.delete_selected()
    _settle(qtbot, window)
    assert library.count(trash=True) == 0
    assert library.count() == 4
    for name, threads in writes.items():
        assert threads, name
        assert threading.main_thread() not in threads, name


def test_sidebar_counts_of_a_large_library_come_from_a_worker_once_per_burst(
    qtbot: QtBot, window: MainWindow, library: Library, make_article: NewArticleFactory
) -> None:
    library.add_articles([make_article(publisher="Reuters") for _ in range(3)])
    _settle(qtbot, window)
    _large(window)
    facets = _threads_of(library, "facets")
    for _ in range(5):  # a burst of changes
        window.refresh_sidebar()
    assert window.sidebar_pending
    _settle(qtbot, window)
    assert 1 <= len(facets) <= 2  # at most the one under way and one after it
    assert threading.main_thread() not in facets
    assert window.sidebar.find_item("All articles (3)") is not None
    assert window.sidebar.find_item("Reuters (3)") is not None


def test_the_batch_edit_preview_reads_the_articles_once(
    qtbot: QtBot, library: Library, make_article: NewArticleFactory
) -> None:
    ids = library.add_articles([make_article(tags=("old",)) for _ in range(20)])
    reads = _threads_of(library, "batch_targets")
    get_article = _threads_of(library, "get_article")
    dialog = BatchEditDialog(library, ids)
    qtbot.addWidget(dialog)
    for text in ("n", "ne", "new", "new, other"):
        with qtbot.waitSignal(dialog.preview_updated, timeout=5000):
            dialog.add_tags_edit.setText(text)
    assert dialog.edit() == BatchEdit(add_tags=("new", "other"))
    assert dialog.preview_model.rowCount() == 20
    assert len(reads) == 1  # each keystroke planned the edit in memory
    assert get_article == []


def test_a_large_selection_is_read_for_batch_edit_in_a_worker(
    qtbot: QtBot, library: Library, make_article: NewArticleFactory
) -> None:
    ids = library.add_articles([make_article() for _ in range(4)])
    reads = _threads_of(library, "batch_targets")
    runner = TaskRunner()
    BatchEditDialog.BACKGROUND_READ = 2
    try:
        dialog = BatchEditDialog(library, ids, runner=runner)
        qtbot.addWidget(dialog)
        assert dialog.pending
        dialog.publisher_check.setChecked(True)
        dialog.publisher_edit.setText("AP")
        qtbot.waitUntil(lambda: not dialog.pending, timeout=5000)
        with qtbot.waitSignal(dialog.preview_updated, timeout=5000):
            dialog.update_preview()
    finally:
        BatchEditDialog.BACKGROUND_READ = 200
    assert dialog.preview_model.rowCount() == 4
    assert reads
    assert threading.main_thread() not in reads
    runner.wait(10_000)
