"""Another window's or machine's writes show in this window within two seconds (both engines)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from archive_app.gui.windows.main_window import MainWindow
from tests import pg_server
from tests.gui.helpers import write_article

WITHIN_MS = 2000


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def shared_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """One library two programs open: a file, or a database on the throwaway server."""
    if request.param == "sqlite":
        yield str(tmp_path / "library.sqlite3")
        return
    server: pg_server.PgServer = request.getfixturevalue("postgres")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def setup(
    make_window: object, shared_location: str, tmp_path: Path
) -> Iterator[tuple[MainWindow, Library, int]]:
    mine = Library(shared_location)
    import_paths(mine, [write_article(tmp_path / "in", "a.txt", "Harbour news", "Old body.")])
    window: MainWindow = make_window(mine)  # type: ignore[operator]
    [article_id] = window.model.ids()
    window.library_view.select_id(article_id)
    other = Library(shared_location)
    yield window, other, article_id
    window.close()  # stops listening before the database goes
    other.close()
    mine.close()


def _title_shown(window: MainWindow, article_id: int) -> str:
    row = window.model.row_of(article_id)
    assert row is not None
    return str(window.model.data(window.model.index(row, 0), Qt.ItemDataRole.DisplayRole))


def test_new_and_changed_articles_from_elsewhere_show_within_two_seconds(
    qtbot: QtBot, setup: tuple[MainWindow, Library, int], tmp_path: Path
) -> None:
    window, other, article_id = setup
    assert window.watcher is not None
    assert window.watcher.active
    assert window.watcher.uses_socket == (window.library.file is None)  # LISTEN on a server

    report = import_paths(other, [write_article(tmp_path / "in2", "b.txt", "Mountain news")])
    [new_id] = report.imported
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=WITHIN_MS)
    qtbot.waitUntil(lambda: window.sidebar.find_item("All articles (2)") is not None, timeout=500)
    assert window.form.record is not None
    assert window.form.record.id == article_id  # the open article stays open

    other.update_fields(article_id, {"title": "Retitled elsewhere"})
    qtbot.waitUntil(
        lambda: window.form.title_edit.text() == "Retitled elsewhere", timeout=WITHIN_MS
    )
    assert _title_shown(window, article_id) == "Retitled elsewhere"
    assert window.form.record.version == 2  # a save now goes over the version shown

    other.trash([new_id])
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WITHIN_MS)
    qtbot.waitUntil(lambda: window.sidebar.find_item("Trash (1)") is not None, timeout=500)


def test_unsaved_edits_are_never_replaced_by_a_change_from_elsewhere(
    qtbot: QtBot, setup: tuple[MainWindow, Library, int]
) -> None:
    window, other, article_id = setup
    window.form.title_edit.setText("My unsaved title")
    other.update_fields(article_id, {"notes": "Their note"})
    qtbot.waitUntil(
        lambda: "changed elsewhere" in window.statusBar().currentMessage(), timeout=WITHIN_MS
    )
    assert window.form.title_edit.text() == "My unsaved title"
    assert window.form.is_modified
    assert window.form.record is not None
    assert window.form.record.version == 1  # so the save meets the conflict, not overwrites


def test_a_stream_of_news_refreshes_at_most_once_an_interval(
    qtbot: QtBot, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An import on another machine notifies every chunk: the window must not refresh for each.
    import time

    from PySide6.QtCore import QTimer

    from archive_app.gui.watcher import LibraryWatcher

    class Always:
        def fileno(self) -> None:
            return None

        def poll(self) -> bool:
            return True

        def close(self) -> None:
            pass

    monkeypatch.setattr(library, "watch_changes", Always)
    watcher = LibraryWatcher(library)
    watcher.SETTLE_MS, watcher.MIN_INTERVAL_MS = 10, 300
    shown: list[float] = []
    watcher.changed_elsewhere.connect(lambda: shown.append(time.monotonic()))
    poller = QTimer()
    poller.timeout.connect(watcher.poll)
    poller.start(20)
    qtbot.wait(800)
    poller.stop()
    watcher.stop()
    assert 2 <= len(shown) <= 3
    assert all(b - a >= 0.28 for a, b in itertools.pairwise(shown))


def test_the_refresh_reads_the_library_off_the_gui_thread(
    qtbot: QtBot, setup: tuple[MainWindow, Library, int], tmp_path: Path
) -> None:
    # Listing every id of a large library (or asking a server across a network) must not
    # freeze the window when news comes: the refresh's queries run in a worker.
    import threading

    window, other, article_id = setup
    threads: list[threading.Thread] = []
    query_ids, get_article = window.model.query_ids, window.library.get_article

    def recording_query_ids(query: str, by_relevance: bool) -> list[int]:
        threads.append(threading.current_thread())
        return query_ids(query, by_relevance)

    def recording_get_article(record_id: int) -> object:
        threads.append(threading.current_thread())
        return get_article(record_id)

    window.model.query_ids = recording_query_ids  # type: ignore[method-assign]
    window.library.get_article = recording_get_article  # type: ignore[method-assign]
    other.update_fields(article_id, {"title": "Retitled elsewhere"})
    import_paths(other, [write_article(tmp_path / "in2", "b.txt", "Mountain news")])
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=WITHIN_MS)
    qtbot.waitUntil(
        lambda: window.form.title_edit.text() == "Retitled elsewhere", timeout=WITHIN_MS
    )
    window.library.get_article = get_article  # type: ignore[method-assign]
    assert threads
    assert threading.main_thread() not in threads[:2]  # the refresh's own reads


def test_a_refresh_that_finds_the_query_changed_leaves_the_new_listing(
    qtbot: QtBot, setup: tuple[MainWindow, Library, int], tmp_path: Path
) -> None:
    # The archivist searched while a refresh's worker was reading the old listing: the
    # search's rows stay, the stale ids are not shown.
    from archive_app.gui.windows.watching import _Refresh

    window, other, article_id = setup
    [new_id] = import_paths(
        other, [write_article(tmp_path / "in2", "b.txt", "Mountain news")]
    ).imported
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=WITHIN_MS)
    window.library_view.search_edit.setText("mountain*")
    window.library_view.apply_search()
    qtbot.waitUntil(lambda: window.model.ids() == [new_id], timeout=WITHIN_MS)
    window._apply_refresh(_Refresh([new_id, article_id], None, False), ("", False, False), None)
    assert window.model.ids() == [new_id]
