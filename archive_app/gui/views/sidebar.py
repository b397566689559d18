"""The sidebar: the library, review and trash collections, sections as a tree, publishers, tags
and saved searches, each with counts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from archive_app.core.records import Facets, SavedSearch
from archive_app.gui.icons import action_icon

QUERY_ROLE = Qt.ItemDataRole.UserRole
SAVED_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: Where an entry's query applies: ``LIBRARY`` or ``TRASH``.
SCOPE_ROLE = Qt.ItemDataRole.UserRole + 2
#: A group's name whatever its title says (its expanded state is kept by it).
GROUP_ROLE = Qt.ItemDataRole.UserRole + 3
LIBRARY, TRASH = "library", "trash"


class Sidebar(QTreeWidget):
    """Lists what the library holds; a click asks for the equivalent query.

    In the trash view (``refresh(..., trash=True)``) the sections, publishers and tags count
    the trash, and a click on one of them filters the trash.

    Signals:
        query_chosen: Show the library filtered by this query (str).
        trash_chosen: Show the trash filtered by this query (str; empty: all of it).
        saved_search_edit_requested: The id of a saved search to edit (int).
        saved_search_delete_requested: The id of a saved search to delete (int).
    """

    #: Rows of room under the entries when the sidebar is first sized.
    SPARE_ROWS = 1
    #: The icons of the first entries: the library, those to review, the trash.
    COLLECTION_ICONS = ("library", "review", "trash")

    query_chosen = Signal(str)
    trash_chosen = Signal(str)
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
        self._trash = False
        self._query = ""
        self._rows = 7  # before the first refresh: the entries and the groups

    def sizeHint(self) -> QSize:
        """As tall as the entries it lists (plus a spare row), not a fixed third of the pane."""
        hint = super().sizeHint()
        row = max(self.sizeHintForRow(0), self.fontMetrics().height() + 4)
        height = (self._rows + self.SPARE_ROWS) * row + 2 * self.frameWidth()
        return QSize(hint.width(), height)

    @property
    def showing_trash(self) -> bool:
        """Whether the counts are the trash's (the last ``refresh``)."""
        return self._trash

    def refresh(self, facets: Facets, saved: list[SavedSearch], *, trash: bool = False) -> None:
        """Show these counts and saved searches (keeping which groups are expanded).

        Args:
            facets: The counts; with ``trash`` its sections, publishers and tags are the trash's.
            saved: The saved searches.
            trash: Whether the table lists the trash.
        """
        expanded = {
            str(item.data(0, GROUP_ROLE))
            for item in (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
            if item is not None and item.isExpanded() and item.data(0, GROUP_ROLE)
        }
        self._trash = trash
        self.clear()
        self._leaf(None, f"All articles ({facets.total})", "")
        self._leaf(None, f"Needs review ({facets.review})", "is:review")
        bin_item = self._leaf(None, f"Trash ({facets.trash})", "", scope=TRASH)
        bin_item.setToolTip(0, "Deleted articles: restore them, or delete them permanently")
        self._apply_icons()
        scope = TRASH if trash else LIBRARY
        where = " in the trash" if trash else ""
        sections = self._group("Sections", where, expanded)
        nodes: dict[tuple[str, ...], QTreeWidgetItem] = {}
        for facet in facets.sections:
            parent = nodes.get(facet.path[:-1], sections)
            nodes[facet.path] = self._leaf(
                parent, f"{facet.label} ({facet.count})", facet.query, scope=scope
            )
        publishers = self._group("Publishers", where, expanded)
        for facet in facets.publishers:
            self._leaf(publishers, f"{facet.label} ({facet.count})", facet.query, scope=scope)
        tags = self._group("Tags", where, expanded)
        for facet in facets.tags:
            self._leaf(tags, f"{facet.label} ({facet.count})", facet.query, scope=scope)
        searches = self._group("Saved searches", "", expanded | {"Saved searches"})
        for search in saved:
            item = self._leaf(searches, search.name, search.query)
            item.setData(0, SAVED_ID_ROLE, search.id)
            item.setToolTip(0, search.query)
        self._rows = self.topLevelItemCount() + (len(saved) if searches.isExpanded() else 0)
        self.updateGeometry()
        self.show_current(self._trash, self._query)

    def _apply_icons(self) -> None:
        """The collections' icons (all articles, needs review, trash), for the palette in use."""
        for row, name in enumerate(self.COLLECTION_ICONS):
            item = self.topLevelItem(row)
            if item is not None:
                item.setIcon(0, action_icon(name))

    def changeEvent(self, event: QEvent) -> None:
        """Draw the collections' icons again for a new palette (light or dark)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_icons()

    def show_current(self, trash: bool, query: str) -> None:
        """Highlight the entry the table shows (none when the search matches no entry)."""
        self._trash, self._query = trash, query
        scope = TRASH if trash else LIBRARY
        found = None
        for item in self._items():
            if item.data(0, SCOPE_ROLE) == scope and item.data(0, QUERY_ROLE) == query:
                found = item
                break
        self.blockSignals(True)
        try:
            if found is not None:
                self.setCurrentItem(found)
            else:
                self.setCurrentIndex(QModelIndex())
                self.clearSelection()
        finally:
            self.blockSignals(False)

    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item is None:
                continue
            out.append(item)
            stack[:0] = [item.child(i) for i in range(item.childCount())]
        return out

    def _group(self, name: str, where: str, expanded: set[str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem([name + where])
        item.setData(0, GROUP_ROLE, name)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        self.addTopLevelItem(item)
        item.setExpanded(name in expanded)
        return item

    def _leaf(
        self, parent: QTreeWidgetItem | None, text: str, query: str, scope: str = LIBRARY
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text])
        item.setData(0, QUERY_ROLE, query)
        item.setData(0, SCOPE_ROLE, scope)
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
        if query is None:
            return
        if item.data(0, SCOPE_ROLE) == TRASH:
            self.trash_chosen.emit(str(query))
        else:
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
