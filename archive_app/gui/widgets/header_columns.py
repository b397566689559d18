"""A header context menu that shows or hides a view's columns (kept in the header state)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu


class HeaderColumns(QObject):
    """Offers every column of ``header`` as a checkable item in its context menu.

    The header's ``saveState`` includes which sections are hidden, so the choice persists
    with it. The last visible column cannot be hidden.

    Args:
        header: The header to manage (its parent view's horizontal header).
        fixed: Columns that are always shown (not offered).

    Signals:
        column_toggled: The archivist showed or hid a column: (logical index, visible).
    """

    column_toggled = Signal(int, bool)

    def __init__(self, header: QHeaderView, fixed: tuple[int, ...] = ()) -> None:
        super().__init__(header)
        self.header = header
        self.fixed = fixed
        self.last_menu: QMenu | None = None
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_context_menu_requested)

    def menu(self) -> QMenu:
        """Build the menu: one checkable action per column, named by its header text."""
        menu = QMenu(self.header)
        model = self.header.model()
        visible = [i for i in range(self.header.count()) if not self.header.isSectionHidden(i)]
        for column in range(self.header.count()):
            if column in self.fixed or model is None:
                continue
            text = model.headerData(column, Qt.Orientation.Horizontal)
            action = QAction(str(text), menu)
            action.setCheckable(True)
            action.setChecked(column in visible)
            action.setEnabled(not (column in visible and len(visible) == 1))
            action.setData(column)
            action.toggled.connect(
                lambda checked, column=column: self.set_column_visible(column, checked)
            )
            menu.addAction(action)
        self.last_menu = menu
        return menu

    def set_column_visible(self, column: int, visible: bool) -> None:
        """Show or hide ``column`` as the archivist chose."""
        self.header.setSectionHidden(column, not visible)
        self.column_toggled.emit(column, visible)

    def _on_header_context_menu_requested(self, pos: QPoint) -> None:
        self.menu().popup(self.header.mapToGlobal(pos))
