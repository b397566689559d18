"""Downloading one page for *Import from URL…*: only against a local server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from archive_app.core.formats.web import DownloadError, download_url

PAGE = b"<html><head><title>Local page</title></head><body><p>Hello.</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/page":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/big":
            self._send(200, "text/html", b"x" * 5000)
        elif self.path == "/image":
            self._send(200, "image/png", b"\x89PNG")
        else:
            self._send(404, "text/plain", b"missing")

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_page_is_saved_with_its_url_and_fetch_time(server: str, tmp_path: Path) -> None:
    page = download_url(f"{server}/page", tmp_path)
    assert page.path.read_bytes() == PAGE
    assert page.path.suffix == ".html"
    assert page.url == f"{server}/page"
    assert page.content_type == "text/html"
    assert page.fetched_at.tzinfo is not None


@pytest.mark.parametrize(
    ("path", "message"),
    [("/missing", "answered 404"), ("/image", "not a web page"), ("/big", "too large")],
)
def test_errors_are_one_line_and_leave_no_file(
    server: str, tmp_path: Path, path: str, message: str
) -> None:
    with pytest.raises(DownloadError, match=message) as caught:
        download_url(f"{server}{path}", tmp_path, max_bytes=1000)
    assert "\n" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_nothing_listening_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DownloadError, match=r"cannot reach 127\.0\.0\.1"):
        download_url(f"http://127.0.0.1:{port}/", tmp_path, timeout=2)


def test_only_web_addresses_are_fetched(tmp_path: Path) -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/a", "not a url"):
        with pytest.raises(DownloadError, match="not a web address"):
            download_url(url, tmp_path)
