"""Downloading one page for *Import from URL…*: only against a local server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archive_app.core.formats.web import DownloadError, download_url
from tests.local_server import serve

PAGE = b"<html><head><title>Local page</title></head><body><p>Hello.</p></body></html>"


@pytest.fixture
def server() -> Iterator[str]:
    routes = {
        "/page": (200, "text/html; charset=utf-8", PAGE),
        "/big": (200, "text/html", b"x" * 5000),
        "/image": (200, "image/png", b"\x89PNG"),
    }
    with serve(routes) as base:
        yield base


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
