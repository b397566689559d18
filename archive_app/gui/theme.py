"""Light and dark: the palette in use, colours that read on it, and forcing a colour scheme.

The window follows the system's palette. ``ARCHIVE_APP_COLOR_SCHEME=dark`` (or ``light``)
forces one, for screenshots and tests and for desktops that do not say: Qt's
``QStyleHints.setColorScheme`` is asked first (Qt 6.8+, where the platform can follow it), and
where the palette does not follow (Xvfb, offscreen, older desktops) Fusion's own palette for the
scheme is set.

Widgets never hard-code a colour in a style sheet: ``set_style(widget, "color: {error};")``
fills the names of :class:`Colors` for the palette in use, and ``restyle()`` fills them again
when the palette changes.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

#: The environment variable that forces a scheme: ``dark``, ``light`` (else: the system's).
ENV_VAR = "ARCHIVE_APP_COLOR_SCHEME"
#: The widget property holding a ``set_style`` template.
STYLE_PROPERTY = "themeStyle"

Scheme = Literal["dark", "light"]
Role = QPalette.ColorRole
Group = QPalette.ColorGroup


@dataclass(frozen=True)
class Colors:
    """Colours for text and marks that read on the palette's backgrounds (CSS ``#rrggbb``)."""

    error: str
    warning: str
    success: str
    muted: str
    banner_background: str
    banner_text: str
    banner_border: str
    #: The strokes of the bundled toolbar icons, and of the destructive ones.
    icon: str
    icon_destructive: str


LIGHT = Colors(
    error="#b00020",
    warning="#8a5a00",
    success="#1b5e20",
    muted="#666666",
    banner_background="#fff4d6",
    banner_text="#5c3c00",
    banner_border="#e0c070",
    icon="#3d4a5c",
    icon_destructive="#b00020",
)
DARK = Colors(
    error="#ff8a80",
    warning="#f2c46d",
    success="#8fd694",
    muted="#a6a6a6",
    banner_background="#4a3b12",
    banner_text="#ffe6a6",
    banner_border="#8c6d1f",
    icon="#d5dbe3",
    icon_destructive="#ff7b72",
)


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (default: the application's) draws light text on dark."""
    palette = palette if palette is not None else QGuiApplication.palette()
    window = palette.color(Role.Window).lightness()
    text = palette.color(Role.WindowText).lightness()
    return window < text


def colors(palette: QPalette | None = None) -> Colors:
    """The :class:`Colors` that read on ``palette`` (default: the application's)."""
    return DARK if is_dark(palette) else LIGHT


def fusion_palette(dark: bool) -> QPalette:
    """Fusion's palette for the scheme (after Qt's ``qt_fusionPalette``, which has both)."""
    window_text = QColor(240, 240, 240) if dark else QColor(Qt.GlobalColor.black)
    background = QColor(50, 50, 50) if dark else QColor(239, 239, 239)
    light = background.lighter(150)
    mid = background.darker(130)
    dark_shade = background.darker(150)
    base = background.darker(140) if dark else QColor(Qt.GlobalColor.white)
    text = window_text
    # Fusion's blue, a shade darker on dark: white text on it then reads (4.6:1, not 3.2:1).
    highlight = QColor(42, 111, 176) if dark else QColor(48, 140, 198)
    highlighted_text = window_text if dark else QColor(Qt.GlobalColor.white)
    disabled_text = QColor(130, 130, 130) if dark else QColor(190, 190, 190)
    shadow = dark_shade.darker(135)
    placeholder = QColor(text)
    placeholder.setAlpha(128)

    palette = QPalette(window_text, background, light, dark_shade, mid, text, base)
    palette.setColor(Role.Midlight, mid.lighter(110))
    palette.setColor(Role.Button, background)
    palette.setColor(Role.ButtonText, window_text)
    palette.setColor(Role.Shadow, shadow)
    palette.setColor(Role.HighlightedText, highlighted_text)
    palette.setColor(Role.AlternateBase, base.lighter(125) if dark else QColor(247, 247, 247))
    palette.setColor(Role.ToolTipBase, QColor(60, 60, 60) if dark else QColor(255, 255, 220))
    palette.setColor(Role.ToolTipText, window_text)
    palette.setColor(Role.PlaceholderText, placeholder)
    palette.setColor(Role.BrightText, QColor(Qt.GlobalColor.white))
    palette.setColor(Role.Link, QColor(110, 175, 235) if dark else QColor(0, 0, 255))
    palette.setColor(Role.LinkVisited, QColor(190, 150, 235) if dark else QColor(255, 0, 255))
    for group in (Group.Active, Group.Inactive):
        palette.setColor(group, Role.Highlight, highlight)
        palette.setColor(group, Role.Accent, highlight)
    palette.setColor(Group.Disabled, Role.Highlight, QColor(145, 145, 145))
    palette.setColor(Group.Disabled, Role.Accent, QColor(145, 145, 145))
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(Group.Disabled, role, disabled_text)
    palette.setColor(Group.Disabled, Role.Base, background)
    palette.setColor(Group.Disabled, Role.Dark, QColor(209, 209, 209).darker(110))
    palette.setColor(Group.Disabled, Role.Shadow, shadow.lighter(150))
    return palette


def requested_scheme(environ: dict[str, str] | None = None) -> Scheme | None:
    """The scheme ``ARCHIVE_APP_COLOR_SCHEME`` asks for (``None``: follow the system)."""
    value = (os.environ if environ is None else environ).get(ENV_VAR, "").strip().lower()
    if value in ("dark", "light"):
        return value  # type: ignore[return-value]
    if value not in ("", "system", "auto"):
        log.warning("%s=%r: expected dark, light or system; following the system", ENV_VAR, value)
    return None


def apply_color_scheme(app: QApplication, scheme: Scheme | None = None) -> Scheme:
    """Force ``scheme`` (default: what ``ARCHIVE_APP_COLOR_SCHEME`` asks); return the one in use.

    Without either the system's palette is left alone.
    """
    scheme = scheme or requested_scheme()
    if scheme is None:
        return "dark" if is_dark(app.palette()) else "light"
    dark = scheme == "dark"
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8: the platform theme may follow it
        hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    if is_dark(app.palette()) != dark:  # it did not (Xvfb, offscreen, a desktop that ignores it)
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")  # native styles may paint over a palette they did not choose
        app.setPalette(fusion_palette(dark))
    restyle()
    return scheme


def reset_color_scheme(app: QApplication, palette: QPalette) -> None:
    """Undo ``apply_color_scheme``: follow the system again with ``palette`` (tests)."""
    hints = app.styleHints()
    if hasattr(hints, "unsetColorScheme"):
        hints.unsetColorScheme()
    app.setPalette(palette)
    restyle()


def _fill(template: str, palette: QPalette | None = None) -> str:
    return template.format_map(dataclasses.asdict(colors(palette)))


def set_style(widget: QWidget, template: str) -> None:
    """Give ``widget`` the style sheet ``template`` with :class:`Colors` names filled in
    (``"color: {error};"``), now and again whenever ``restyle`` runs."""
    widget.setProperty(STYLE_PROPERTY, template)
    widget.setStyleSheet(_fill(template))


def restyle(widgets: Iterable[QWidget] | None = None) -> None:
    """Fill every ``set_style`` template again for the palette now in use."""
    for widget in QApplication.allWidgets() if widgets is None else widgets:
        template = widget.property(STYLE_PROPERTY)
        if isinstance(template, str):
            widget.setStyleSheet(_fill(template))
