"""Links dropped from a browser and File › Import from URL… download and import the page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import QMimeData, QUrl
from pytestqt.qtbot import QtBot

from archive_app.gui.windows.main_window import MainWindow
from tests.gui.helpers import drop_mime

PAGE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Bridge opens to traffic</title></head><body><article><h1>Bridge opens to traffic</h1>
<p>The new bridge across the river opened to traffic on Tuesday morning after two years.</p>
<p>Drivers queued from dawn to be among the first to cross, the city transport office said.</p>
<p>The old ferry will keep running at weekends for visitors, the council has decided.</p>
</article></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def page_url() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/city/bridge-opens"
    finally:
        httpd.shutdown()
        httpd.server_close()


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
