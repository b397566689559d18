"""The window on a team library (PostgreSQL): what a server library changes in the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from archive_app.gui.dialogs.about import about_text
from archive_app.gui.windows.main_window import MainWindow
from tests import pg_server
from tests.gui.helpers import write_article


@pytest.fixture
def server_url(postgres: pg_server.PgServer) -> Iterator[str]:
    name = postgres.create_database()
    yield postgres.url(name)
    postgres.drop_database(name)


@pytest.fixture
def server_library(server_url: str, tmp_path: Path) -> Iterator[Library]:
    lib = Library(server_url)
    import_paths(
        lib,
        [
            write_article(tmp_path / "in", "a.txt", "Alpha headline about harbours"),
            write_article(tmp_path / "in", "b.txt", "Bravo headline about mountains"),
        ],
    )
    yield lib
    lib.close()


@pytest.mark.postgresql
def test_a_server_library_in_the_window_never_takes_its_name_for_a_file(
    qtbot: QtBot,
    make_window: object,
    server_library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    window: MainWindow = make_window(server_library)  # type: ignore[operator]
    assert not window.backup_now_action.isEnabled()
    assert "server" in window.backup_now_action.statusTip()
    assert window.ask_backup_path() is None
    assert server_library.location in about_text(server_library.location)
    with qtbot.waitSignal(window.library_checked, timeout=20_000) as blocker:
        window.check_library_action.trigger()
    assert blocker.args == [[]]
    assert window.last_check_box is not None
    assert server_library.location in window.last_check_box.text()
    assert window.write_auto_backup() is None
    window.close()
    assert list(work.iterdir()) == []
