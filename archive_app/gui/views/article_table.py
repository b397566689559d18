"""The library table: a model holding article ids that fetches rows by id on demand."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from archive_app.core.library import Library, SortKey
from archive_app.core.query import QueryError, compile_query
from archive_app.core.records import ArticleSummary, Changes
from archive_app.core.sections import join_section

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, SortKey], ...] = (
    ("Title", "title"),
    ("Section", "section"),
    ("Publisher", "publisher"),
    ("Date", "published_on"),
    ("Imported", "created_at"),
)
#: A first click on a column sorts text A→Z and dates newest first (as mail and file
#: managers do); without it Qt keeps the previous column's direction (Title Z→A first).
INITIAL_ORDER: dict[SortKey, Qt.SortOrder] = {
    "published_on": Qt.SortOrder.DescendingOrder,
    "created_at": Qt.SortOrder.DescendingOrder,
}


#: Month abbreviations written out: ``strftime('%b')`` follows the C locale, which
#: ``QCoreApplication`` changes (DESIGN, known pitfalls).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_time_text(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """A naive UTC time in local time, compactly: ``14:05`` today, ``12 Mar`` this year,
    else the ISO date ``2023-03-12``."""
    local = when.replace(tzinfo=dt.UTC).astimezone()
    current = now or dt.datetime.now().astimezone()
    if local.date() == current.date():
        return f"{local.hour:02d}:{local.minute:02d}"
    if local.year == current.year:
        return f"{local.day} {MONTHS[local.month - 1]}"
    return local.date().isoformat()


def is_ranked(query: str) -> bool:
    """Whether a query has free words, so its results come best first."""
    try:
        return bool(query) and compile_query(query).ranked
    except QueryError:
        return False


class ArticleTableModel(QAbstractTableModel):
    """Rows are article ids from one SQL query; the visible rows are fetched in pages.

    Sorting and filtering run in SQL (``Library.article_ids``), never in a proxy model.

    Signals:
        reloaded: The id list was queried again (count changed or order changed).
    """

    PAGE_SIZE = 200
    CACHE_LIMIT = 5000

    reloaded = Signal()

    def __init__(self, library: Library, parent: Any = None, *, load: bool = True) -> None:
        """Create the model; with ``load=False`` nothing is queried until ``reload()``.

        The window passes ``load=False`` and loads once, after the table header (and so the
        sort order) is restored: each query of 100k ids costs a few hundred milliseconds.
        """
        super().__init__(parent)
        self._loaded = False
        self._library = library
        self._ids: list[int] = []
        self._cache: OrderedDict[int, ArticleSummary] = OrderedDict()
        self._query = ""
        self._trash = False
        self._sort: SortKey = "created_at"
        self._descending = True
        self._by_relevance = False  # free words in the query: best matches first
        self._query_invalid = False  # the query cannot be understood: no rows until a new one
        if load:
            self.reload()

    # -- Qt API ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            key = COLUMNS[section][1]
            return INITIAL_ORDER.get(key, Qt.SortOrder.AscendingOrder)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.FontRole,
        ):
            return None
        summary = self._summary(index.row())
        if summary is None:
            return None
        if role == Qt.ItemDataRole.FontRole:
            if summary.needs_review:
                font = QFont()
                font.setItalic(True)
                return font
            return None
        column = index.column()
        if column == 0:
            text = summary.title or "(untitled)"
            if role == Qt.ItemDataRole.ToolTipRole:
                if self._by_relevance:
                    snippet = self._library.snippet(summary.id, self._query)
                    text = f"{text}\n{snippet}" if snippet else text
                if summary.needs_review:
                    text += "\n(needs review)"
            return text
        if column == 1:
            return join_section(summary.section_path)
        if column == 2:
            return summary.publisher
        if column == 3:
            return summary.published_on.isoformat() if summary.published_on else ""
        if column == 4:
            if role == Qt.ItemDataRole.ToolTipRole:
                local = summary.created_at.replace(tzinfo=dt.UTC).astimezone()
                return f"Imported {local.date().isoformat()} {local.hour:02d}:{local.minute:02d}"
            return short_time_text(summary.created_at)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key, descending = COLUMNS[column][1], order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending) and not self._by_relevance:
            return  # Qt asks again for the order it has (header restore, sorting enabled)
        self._sort, self._descending = key, descending
        self._by_relevance = False
        if self._loaded:
            self.reload()

    # -- our API --------------------------------------------------------------------------

    @property
    def query(self) -> str:
        """The current full-text filter."""
        return self._query

    @property
    def by_relevance(self) -> bool:
        """Whether rows are in relevance order (free words typed, no header clicked since)."""
        return self._by_relevance

    @property
    def query_invalid(self) -> bool:
        """Whether the query could not be understood (so no rows are listed)."""
        return self._query_invalid

    @property
    def showing_trash(self) -> bool:
        """Whether the model lists the trash."""
        return self._trash

    def set_query(self, query: str) -> None:
        """Filter by a search query (empty: everything); results follow the table's sort.

        Raises:
            QueryError: The query cannot be understood; the model keeps its rows (the view
                then calls ``show_none``).
        """
        if query != self._query or self._query_invalid:
            previous = (self._query, self._by_relevance, self._query_invalid)
            self._query = query
            self._by_relevance = is_ranked(query)
            self._query_invalid = False
            try:
                self.reload()
            except QueryError:
                self._query, self._by_relevance, self._query_invalid = previous
                raise

    def show_none(self, query: str) -> None:
        """List nothing for ``query``, which cannot be understood, until the next query.

        Showing the previous query's rows under the error would pass them off as its results.
        """
        self._query = query
        self._by_relevance = False
        self._query_invalid = True
        self._install([])

    def set_trash(self, trash: bool) -> None:
        """List the trash instead of the library, or back."""
        if trash != self._trash:
            self._trash = trash
            self.reload()

    def reload(self) -> None:
        """Query the ids again (after adds, removals, a new filter or sort)."""
        if self._query_invalid:
            self._install([])
            return
        ids = self.query_ids(self._query, self._by_relevance)  # QueryError: nothing changes
        self._install(ids)

    def query_ids(self, query: str, by_relevance: bool) -> list[int]:
        """Run a query in this model's sort and trash mode (safe to call from a worker)."""
        return self._library.article_ids(
            query or None,
            sort="rank" if by_relevance else self._sort,
            descending=self._descending,
            trash=self._trash,
        )

    def apply_query_result(self, query: str, ids: list[int]) -> None:
        """Show the ids a background search found for ``query``."""
        self._query = query
        self._by_relevance = is_ranked(query)
        self._query_invalid = False
        self._install(ids)

    def _install(self, ids: list[int]) -> None:
        self._loaded = True
        self.beginResetModel()
        self._ids = ids
        self._cache.clear()
        self.endResetModel()
        self.reloaded.emit()

    def apply_changes(self, changes: Changes) -> None:
        """Refresh what ``changes`` touched: a reload for adds/removals, else those rows."""
        if changes.added or changes.removed:
            self.reload()
            return
        rows = [self._ids.index(i) for i in changes.article_ids if i in self._cache]
        for article_id in changes.article_ids:
            self._cache.pop(article_id, None)
        for row in rows:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def refresh_rows(self) -> None:
        """Fetch every row's values again when next shown, in place (another program changed
        articles but not which are listed: no reset, the selection and scroll stay)."""
        self._cache.clear()
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1)
            )

    def any_published_on(self) -> bool:
        """Whether any of the first page of listed rows has a publication date."""
        if not self._ids:
            return False
        summaries = self._library.summaries(self._ids[: self.PAGE_SIZE])
        return any(summary.published_on for summary in summaries.values())

    def library_size(self) -> int:
        """How many articles the library holds (a SQL count, not the listed rows)."""
        return self._library.count(trash=self._trash)

    def id_at(self, row: int) -> int | None:
        """Return the article id shown in ``row``."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, article_id: int) -> int | None:
        """Return the row showing ``article_id``, if it is listed."""
        try:
            return self._ids.index(article_id)
        except ValueError:
            return None

    def ids(self) -> list[int]:
        """Return every listed id in order."""
        return list(self._ids)

    def _summary(self, row: int) -> ArticleSummary | None:
        article_id = self._ids[row]
        cached = self._cache.get(article_id)
        if cached is not None:
            self._cache.move_to_end(article_id)
            return cached
        start = (row // self.PAGE_SIZE) * self.PAGE_SIZE
        page = self._ids[start : start + self.PAGE_SIZE]
        fetched = self._library.summaries(page)
        for page_id in page:
            if page_id in fetched:
                self._cache[page_id] = fetched[page_id]
        while len(self._cache) > self.CACHE_LIMIT:
            self._cache.popitem(last=False)
        return self._cache.get(article_id)
