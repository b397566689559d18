"""Appearance: the toolbar's icons and the widgets' colours follow the palette (light or dark)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction

from archive_app.gui import theme
from archive_app.gui.icons import action_icon
from archive_app.gui.windows.base import WindowBase


class AppearanceMixin(WindowBase):
    """Icons and colours for the palette in use: the window's part."""

    def action_icons(self) -> dict[QAction, str]:
        """Each action with an icon, and the icon's name (see ``icons.THEME_NAMES``)."""
        raise NotImplementedError

    def apply_icons(self) -> None:
        """Give the actions their icons, drawn for the palette in use."""
        for action, name in self.action_icons().items():
            action.setIcon(action_icon(name))

    def changeEvent(self, event: QEvent) -> None:
        """On a new palette (the system went dark, or light): icons and colours again.

        The preview, the history panel and the sidebar draw themselves again on their own.
        """
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_icons()
            theme.restyle()
