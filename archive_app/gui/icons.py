"""Action icons: the desktop theme's, else the small SVGs bundled in resources/icons/actions,
drawn in colours that show on the palette in use (light or dark)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtGui import QIcon, QPixmap

from archive_app.gui import theme

#: Our name -> the freedesktop icon-naming-spec name the theme is asked for first.
THEME_NAMES = {
    "import": "document-open",
    "export": "document-export",
    "save": "document-save",
    "delete": "edit-delete",
    "trash": "user-trash",
    "restore": "edit-undo",
    "library": "folder-documents",
    "review": "emblem-important",
}

#: The strokes the bundled SVGs are drawn with (in the light scheme's colours).
_STROKES = {theme.LIGHT.icon: "icon", theme.LIGHT.icon_destructive: "icon_destructive"}


@cache
def bundled_icon(name: str, dark: bool = False) -> QIcon:
    """The bundled SVG ``resources/icons/actions/<name>.svg`` (read with importlib.resources,
    so it is found after a non-editable install too), its strokes recoloured for a dark
    palette when ``dark``."""
    text = (
        resources.files("archive_app.resources")
        .joinpath("icons", "actions", f"{name}.svg")
        .read_text("utf-8")
    )
    colors = theme.DARK if dark else theme.LIGHT
    for stroke, field in _STROKES.items():
        text = text.replace(stroke, getattr(colors, field))
    data = text.encode("utf-8")
    icon = QIcon()
    for size in (16, 24, 32, 48):
        pixmap = QPixmap(size, size)
        if pixmap.loadFromData(data, "SVG"):
            icon.addPixmap(pixmap)
    return icon


def action_icon(name: str) -> QIcon:
    """The theme's icon for ``name`` (see ``THEME_NAMES``), the bundled one as the fallback."""
    return QIcon.fromTheme(THEME_NAMES.get(name, name), bundled_icon(name, theme.is_dark()))
