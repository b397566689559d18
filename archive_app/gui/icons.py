"""Action icons: the desktop theme's, else the small SVGs bundled in resources/icons/actions."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtGui import QIcon, QPixmap

#: Our name -> the freedesktop icon-naming-spec name the theme is asked for first.
THEME_NAMES = {
    "import": "document-open",
    "export": "document-export",
    "save": "document-save",
    "delete": "edit-delete",
    "trash": "user-trash",
    "restore": "edit-undo",
}


@cache
def bundled_icon(name: str) -> QIcon:
    """The bundled SVG ``resources/icons/actions/<name>.svg`` (read with importlib.resources,
    so it is found after a non-editable install too)."""
    data = (
        resources.files("archive_app.resources")
        .joinpath("icons", "actions", f"{name}.svg")
        .read_bytes()
    )
    icon = QIcon()
    for size in (16, 24, 32, 48):
        pixmap = QPixmap(size, size)
        if pixmap.loadFromData(data, "SVG"):
            icon.addPixmap(pixmap)
    return icon


def action_icon(name: str) -> QIcon:
    """The theme's icon for ``name`` (see ``THEME_NAMES``), the bundled one as the fallback."""
    return QIcon.fromTheme(THEME_NAMES.get(name, name), bundled_icon(name))
