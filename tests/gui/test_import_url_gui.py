"""Links dropped from a browser and File › Import from URL… download and import the page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QMimeData, QUrl
from pytestqt.qtbot import QtBot

from archive_app.gui.windows.main_window import MainWindow
from tests.gui.helpers import drop_mime
from tests.local_server import serve

PAGE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Bridge opens to traffic</title></head><body><article><h1>Bridge opens to traffic</h1>
<p>The new bridge across the river opened to traffic on Tuesday morning after two years.</p>
<p>Drivers queued from dawn to be among the first to cross, the city transport office said.</p>
<p>The old ferry will keep running at weekends for visitors, the council has decided.</p>
</article></body></html>"""


@pytest.fixture
def page_url() -> Iterator[str]:
    with serve({"/city/bridge-opens": (200, "text/html; charset=utf-8", PAGE)}) as base:
        yield base + "/city/bridge-opens"


def test_a_link_dropped_on_the_window_is_downloaded_and_imported(
    qtbot: QtBot, window: MainWindow, page_url: str
) -> None:
    window.show_import_reports = False
    mime = QMimeData()
    mime.setUrls([QUrl(page_url)])
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
        entered, dropped = drop_mime(window.library_view.table, mime)
    assert (entered, dropped) == (True, True)
    report = blocker.args[0]
    [article_id] = report.imported
    record = window.library.get_article(article_id)
    assert record.title == "Bridge opens to traffic"
    assert record.source_url == page_url


def test_import_from_url_asks_for_the_address(
    qtbot: QtBot, window: MainWindow, page_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from archive_app.gui.windows import importing

    window.show_import_reports = False
    monkeypatch.setattr(
        importing.QInputDialog, "getText", lambda *args, **kwargs: (f" {page_url} ", True)
    )
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
        window.import_url_action.trigger()
    assert len(blocker.args[0].imported) == 1
