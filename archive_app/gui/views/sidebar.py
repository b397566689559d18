"""The sidebar: sections as a tree, publishers, tags and saved searches, each with counts."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from archive_app.core.records import Facets, SavedSearch

QUERY_ROLE = Qt.ItemDataRole.UserRole
SAVED_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Sidebar(QTreeWidget):
    """Lists what the library holds; a click asks for the equivalent query.

    Signals:
        query_chosen: The query of the clicked entry (str).
        saved_search_edit_requested: The id of a saved search to edit (int).
        saved_search_delete_requested: The id of a saved search to delete (int).
    """

    query_chosen = Signal(str)
    saved_search_edit_requested = Signal(int)
    saved_search_delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu_requested)
        self.itemClicked.connect(self._on_item_clicked)
        self.itemActivated.connect(self._on_item_clicked)

    def refresh(self, facets: Facets, saved: list[SavedSearch]) -> None:
        """Show these counts and saved searches (keeping which groups are expanded)."""
        expanded = {
            self.topLevelItem(i).text(0).split(" (")[0]  # type: ignore[union-attr]
            for i in range(self.topLevelItemCount())
            if self.topLevelItem(i).isExpanded()  # type: ignore[union-attr]
        }
        self.clear()
        self._leaf(None, f"All articles ({facets.total})", "")
        self._leaf(None, f"Needs review ({facets.review})", "is:review")
        sections = self._group("Sections", expanded)
        nodes: dict[tuple[str, ...], QTreeWidgetItem] = {}
        for facet in facets.sections:
            parent = nodes.get(facet.path[:-1], sections)
            nodes[facet.path] = self._leaf(parent, f"{facet.label} ({facet.count})", facet.query)
        publishers = self._group("Publishers", expanded)
        for facet in facets.publishers:
            self._leaf(publishers, f"{facet.label} ({facet.count})", facet.query)
        tags = self._group("Tags", expanded)
        for facet in facets.tags:
            self._leaf(tags, f"{facet.label} ({facet.count})", facet.query)
        searches = self._group("Saved searches", expanded | {"Saved searches"})
        for search in saved:
            item = self._leaf(searches, search.name, search.query)
            item.setData(0, SAVED_ID_ROLE, search.id)
            item.setToolTip(0, search.query)

    def _group(self, title: str, expanded: set[str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem([title])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        self.addTopLevelItem(item)
        item.setExpanded(title in expanded)
        return item

    def _leaf(self, parent: QTreeWidgetItem | None, text: str, query: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text])
        item.setData(0, QUERY_ROLE, query)
        item.setToolTip(0, query or "everything")
        if parent is None:
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def find_item(self, text_start: str) -> QTreeWidgetItem | None:
        """Return the first entry whose text starts with ``text_start`` (for tests and a11y)."""
        matches = self.findItems(
            text_start, Qt.MatchFlag.MatchStartsWith | Qt.MatchFlag.MatchRecursive
        )
        return matches[0] if matches else None

    def _on_item_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        query = item.data(0, QUERY_ROLE)
        if query is not None:
            self.query_chosen.emit(str(query))

    def _on_context_menu_requested(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        search_id = item.data(0, SAVED_ID_ROLE) if item else None
        if search_id is None:
            return
        menu = QMenu(self)
        menu.addAction("Edit…", lambda: self.saved_search_edit_requested.emit(int(search_id)))
        menu.addAction("Delete", lambda: self.saved_search_delete_requested.emit(int(search_id)))
        menu.exec(self.viewport().mapToGlobal(pos))
