"""Importing a URL: the page is downloaded, kept with its address and fetch time, imported."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.local_server import serve

ROOT = Path(__file__).parents[2]
PAGE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbour reopens after the storm - Example Herald</title>
<meta property="og:site_name" content="Example Herald"></head><body>
<article><h1>Harbour reopens after the storm</h1>
<p>The harbour reopened on Monday after a week of repairs to the sea wall, the port said.</p>
<p>Fishing boats returned to their berths and the ferry service resumed in the afternoon.</p>
<p>Engineers said the new wall would withstand storms twice as strong as last week's.</p>
</article></body></html>"""


@pytest.fixture
def server() -> Iterator[str]:
    with serve({"/news/harbour-reopens": (200, "text/html; charset=utf-8", PAGE)}) as base:
        yield base + "/news/harbour-reopens"


def run(library: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archive_app", "--library", str(library), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_importing_a_url_downloads_the_page_and_keeps_its_address(
    server: str, tmp_path: Path
) -> None:
    library = tmp_path / "lib.sqlite3"
    result = run(library, "import", server, "--json")
    assert result.returncode == 0, result.stderr
    [article_id] = json.loads(result.stdout)["imported"]
    shown = json.loads(run(library, "show", str(article_id), "--json").stdout)
    assert shown["title"] == "Harbour reopens after the storm"
    assert shown["source_url"] == server
    assert "Fishing boats returned" in shown["body"]
    assert shown["source"]["sidecar_name"].endswith(".json")
    from archive_app.core.library import Library

    with Library(library, create=False) as lib:
        _name, data = lib.source_sidecar(article_id)  # type: ignore[misc]
        assert lib.source_bytes(article_id) == PAGE
    sidecar = json.loads(data)
    assert sidecar["url"] == server
    assert sidecar["fetched_at"].startswith("20")
    again = run(library, "import", server, "--json")
    assert json.loads(again.stdout)["duplicates"][0]["existing_id"] == article_id


def test_an_address_that_does_not_answer_fails_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port on 127.0.0.1 that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(tmp_path / "lib.sqlite3", "import", f"http://127.0.0.1:{port}/x", "--json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [failed] = json.loads(result.stdout)["failed"]
    assert "cannot reach 127.0.0.1" in failed["reason"]
