"""The About box: version, library location and the versions of what the app runs on."""

from __future__ import annotations

import html
import platform
import sqlite3
from pathlib import Path

import PySide6
from PySide6.QtCore import qVersion

from archive_app import APP_NAME, __version__


def about_text(library_location: Path | str) -> str:
    """Return the About box's rich text (the library: its file, or its URL without a
    password)."""
    rows = [
        ("Version", __version__),
        ("Library", str(library_location)),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("SQLite", sqlite3.sqlite_version),
        ("Python", platform.python_version()),
    ]
    table = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    return (
        f"<h3>{html.escape(APP_NAME)}</h3>"
        "<p>A desktop archive for saved news articles.</p>"
        f"<table cellspacing='4'>{table}</table>"
    )
