"""The library table: a model holding article ids that fetches rows by id on demand."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont

from archive_app.core.library import Library
from archive_app.core.listing import SortKey
from archive_app.core.query import QueryError, compile_query
from archive_app.core.records import ArticleSummary, Changes
from archive_app.core.sections import join_section
from archive_app.gui.tasks import Task, TaskRunner

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


#: Made once: an ``|`` of two flags costs 23 µs in Python, and a paint asks for every cell.
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


def is_ranked(query: str) -> bool:
    """Whether a query has free words, so its results come best first."""
    try:
        return bool(query) and compile_query(query).ranked
    except QueryError:
        return False


class ArticleTableModel(QAbstractTableModel):
    """Rows are article ids from one SQL query; the visible rows are fetched in pages.

    Sorting and filtering run in SQL (``Library.article_ids``), never in a proxy model. On a
    large library (``background_threshold``) with a runner, every query runs in the
    background in two steps: the first page (``FIRST_PAGE`` ids, an index scan that stops
    early), installed as soon as it comes, then every id, appended to it; the row count is
    known (``complete``) from then on. A newer query drops an older one's late results.

    Signals:
        reloaded: The rows were replaced (a new query, order, trash mode; or its first page).
        loaded: Every id of the current query is listed (``complete``; the count is exact).
        load_failed: A background query failed: its one-line message (the query was valid
            to the parser, so it is SQLite refusing it, e.g. as too complex).
        snippet_ready: The tooltip of this row's title now has its matching words (row).
    """

    PAGE_SIZE = 200
    CACHE_LIMIT = 5000
    #: Ids fetched first in the background (enough for any screen); the rest come after.
    FIRST_PAGE = 200
    #: The rest of a large listing is asked for this long after its first page shows: its
    #: worker builds up to a million Python ints, holding the GIL the painting of the first
    #: page needs (measured at 100k: a first-page repaint took 20-30 ms with it running
    #: beside, 10 ms without).
    REST_DELAY_MS = 60
    #: Libraries of at least this many articles (``Library.size_hint``) list in the background.
    background_threshold = 20_000

    reloaded = Signal()
    loaded = Signal()
    load_failed = Signal(str)
    snippet_ready = Signal(int)

    def __init__(
        self,
        library: Library,
        parent: Any = None,
        *,
        load: bool = True,
        runner: TaskRunner | None = None,
    ) -> None:
        """Create the model; with ``load=False`` nothing is queried until ``reload()``.

        The window passes ``load=False`` and loads once, after the table header (and so the
        sort order) is restored, and a ``runner`` for the background queries.
        """
        super().__init__(parent)
        self._loaded = False
        self._library = library
        self._runner = runner
        self._ids: list[int] = []
        self._rows: dict[int, int] = {}  # row of each cached id
        self._cache: OrderedDict[int, ArticleSummary] = OrderedDict()
        self._snippets: dict[int, str] = {}
        self._snippet_wanted: set[int] = set()
        self._query = ""
        self._trash = False
        self._sort: SortKey = "created_at"
        self._descending = True
        self._by_relevance = False  # free words in the query: best matches first
        self._query_invalid = False  # the query cannot be understood: no rows until a new one
        self._generation = 0
        self._tasks: list[Task] = []  # the background queries under way (to stop when stale)
        self._complete = True
        #: Whether a background query for the current rows is under way.
        self.loading = False
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
                    snippet = self._snippet(summary.id, index.row())
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
        return _ROW_FLAGS if index.isValid() else _NO_FLAGS

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

    @property
    def complete(self) -> bool:
        """Whether every id of the query is listed (else only its first page, so far)."""
        return self._complete

    @property
    def runner(self) -> TaskRunner | None:
        """Where background queries run (``None``: everything runs at once)."""
        return self._runner

    def is_large(self) -> bool:
        """Whether queries run in the background (a runner and a large library)."""
        return self._runner is not None and self._library.size_hint() >= self.background_threshold

    def set_query(self, query: str) -> None:
        """Filter by a search query (empty: everything); results follow the table's sort.

        On a large library the rows come in the background (``reloaded``, then ``loaded``);
        a query SQLite refuses then ends in ``load_failed``.

        Raises:
            QueryError: The query cannot be understood; the model keeps its rows (the view
                then calls ``show_none``).
        """
        if query != self._query or self._query_invalid:
            if query:
                compile_query(query)  # QueryError: nothing changes
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
        self._generation += 1  # a load under way is for another query now
        self._stop_loads()
        self.loading = False
        self._query = query
        self._by_relevance = False
        self._query_invalid = True
        self._install([], complete=True)

    def set_trash(self, trash: bool) -> None:
        """List the trash instead of the library, or back."""
        if trash != self._trash:
            self._trash = trash
            self.reload()

    def reload(self) -> None:
        """Query the ids again (after adds, a new filter or sort); in the background if large.

        Raises:
            QueryError: (Answering at once only.) SQLite refuses the query; nothing changes.
        """
        self._generation += 1
        if self._query_invalid or not self.is_large():
            self._stop_loads()
        if self._query_invalid:
            self.loading = False
            self._install([], complete=True)
            return
        if not self.is_large():
            self.loading = False
            ids = self.query_ids(self._query, self._by_relevance)  # QueryError: no change
            self._install(ids, complete=True)
            self.loaded.emit()
            return
        self._start_load(first_page=True)

    def _listing(self) -> dict[str, Any]:
        return {
            "sort": "rank" if self._by_relevance else self._sort,
            "descending": self._descending,
            "trash": self._trash,
        }

    def _stop_loads(self) -> None:
        """Stop the queries for older rows (SQLite is interrupted: no work for nothing)."""
        for task in self._tasks:
            task.cancel()
        self._tasks.clear()

    def _start_load(self, *, first_page: bool) -> None:
        assert self._runner is not None
        if first_page:
            self._stop_loads()
        generation, library, query = self._generation, self._library, self._query or None
        listing = self._listing()
        limit = self.FIRST_PAGE if first_page else None
        page_size = self.PAGE_SIZE

        def work(_progress: object, cancelled: Callable[[], bool]) -> tuple[list[int], Any]:
            ids = library.article_ids(query, limit=limit, cancelled=cancelled, **listing)
            # The first page's rows too: painting it then reads nothing on the GUI thread.
            return ids, library.summaries(ids[:page_size]) if first_page else {}

        task = Task(work)
        task.signals.succeeded.connect(
            lambda result: self._on_load_succeeded(generation, first_page, *result)
        )
        task.signals.failed.connect(
            lambda message, _details: self._on_load_failed(generation, message)
        )
        task.signals.finished.connect(lambda: self._forget_task(task))
        self.loading = True
        self._tasks.append(task)
        self._runner.start(task)

    def _forget_task(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)

    def _on_load_succeeded(
        self,
        generation: int,
        first_page: bool,
        ids: list[int],
        summaries: dict[int, ArticleSummary],
    ) -> None:
        if generation != self._generation:
            return  # a newer query, order or change is under way: this result is stale
        if first_page:
            complete = len(ids) < self.FIRST_PAGE
            self._install(ids, complete=complete, summaries=summaries)
            if not complete:
                QTimer.singleShot(self.REST_DELAY_MS, self, lambda: self._start_rest(generation))
                return
        elif ids[: len(self._ids)] == self._ids:
            # The first page starts the full list: the rest is appended, so the view keeps
            # its scroll position, current row and selection.
            if len(ids) > len(self._ids):
                self.beginInsertRows(QModelIndex(), len(self._ids), len(ids) - 1)
                self._ids = ids
                self._complete = True
                self.endInsertRows()
            self._complete = True
        else:
            self._install(ids, complete=True)
        self.loading = False
        self.loaded.emit()

    def _start_rest(self, generation: int) -> None:
        if generation == self._generation:  # else a newer query is under way
            self._start_load(first_page=False)

    def _on_load_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.loading = False
            self.load_failed.emit(message)

    def query_ids(self, query: str, by_relevance: bool) -> list[int]:
        """Run a query in this model's sort and trash mode (safe to call from a worker)."""
        listing = self._listing()
        listing["sort"] = "rank" if by_relevance else self._sort
        return self._library.article_ids(query or None, **listing)

    def apply_query_result(self, query: str, ids: list[int]) -> None:
        """Show the ids a background search found for ``query`` (every id of it)."""
        self._generation += 1
        self.loading = False
        self._query = query
        self._by_relevance = is_ranked(query)
        self._query_invalid = False
        self._install(ids, complete=True)
        self.loaded.emit()

    def _install(
        self,
        ids: list[int],
        *,
        complete: bool,
        summaries: dict[int, ArticleSummary] | None = None,
    ) -> None:
        self._loaded = True
        self.beginResetModel()
        self._ids = ids
        self._complete = complete
        self._cache.clear()
        self._rows.clear()
        self._snippets.clear()
        self._snippet_wanted.clear()
        if summaries:
            for row, article_id in enumerate(ids[: self.PAGE_SIZE]):
                if article_id in summaries:
                    self._cache[article_id] = summaries[article_id]
                    self._rows[article_id] = row
        self.endResetModel()
        self.reloaded.emit()

    def apply_changes(self, changes: Changes) -> None:
        """Refresh what ``changes`` touched.

        Articles that left this list (trashed, purged; restored, seen from the trash) are
        taken out of it at once, without a query; new ones need the query again (they may
        sort anywhere); edits refresh only their rows, if shown.
        """
        leaving = (changes.removed and not changes.added) or (changes.added and self._trash)
        if leaving and changes.article_ids and not self.loading:
            gone = changes.article_ids
            kept = [i for i in self._ids if i not in gone]
            if len(kept) < len(self._ids):
                self._install(kept, complete=self._complete)
                return
            if not (self._trash and changes.removed):
                return  # none of them was listed (filtered out): nothing to show
        if changes.added or changes.removed:
            self.reload()
            return
        rows = [self._rows[i] for i in changes.article_ids if i in self._cache]
        for article_id in changes.article_ids:
            self._cache.pop(article_id, None)
            self._snippets.pop(article_id, None)
        for row in rows:
            if 0 <= row < len(self._ids):
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def refresh_rows(self) -> None:
        """Fetch every row's values again when next shown, in place (another program changed
        articles but not which are listed: no reset, the selection and scroll stay)."""
        self._cache.clear()
        self._rows.clear()
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1)
            )

    def any_published_on(self) -> bool:
        """Whether any of the first page of listed rows has a publication date."""
        if not self._ids:
            return False
        page = self._ids[: self.PAGE_SIZE]
        if all(i in self._cache for i in page):  # what the worker read with the first page
            return any(self._cache[i].published_on for i in page)
        summaries = self._library.summaries(page)
        return any(summary.published_on for summary in summaries.values())

    def library_size(self) -> int:
        """How many articles the library holds (a SQL count, not the listed rows)."""
        return self._library.count(trash=self._trash)

    def id_at(self, row: int) -> int | None:
        """Return the article id shown in ``row``."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def ids_in(self, first: int, last: int) -> list[int]:
        """Return the ids shown in rows ``first`` to ``last`` (inclusive)."""
        return self._ids[max(0, first) : last + 1]

    def row_of(self, article_id: int) -> int | None:
        """Return the row showing ``article_id``, if it is listed."""
        row = self._rows.get(article_id)
        if row is not None and row < len(self._ids) and self._ids[row] == article_id:
            return row
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
        for offset, page_id in enumerate(page):
            if page_id in fetched:
                self._cache[page_id] = fetched[page_id]
                self._rows[page_id] = start + offset
        while len(self._cache) > self.CACHE_LIMIT:
            old_id, _summary = self._cache.popitem(last=False)
            self._rows.pop(old_id, None)
        return self._cache.get(article_id)

    def _snippet(self, article_id: int, row: int) -> str:
        """The row's matching words if known; else they are fetched (in the background when
        a runner is set) and ``snippet_ready`` says when they are there."""
        if article_id in self._snippets:
            return self._snippets[article_id]
        if self._runner is None:
            self._snippets[article_id] = self._library.snippet(article_id, self._query)
            return self._snippets[article_id]
        if article_id not in self._snippet_wanted:
            self._snippet_wanted.add(article_id)
            generation, library, query = self._generation, self._library, self._query

            def work(_progress: object, _cancelled: object) -> str:
                return library.snippet(article_id, query)

            task = Task(work)
            task.signals.succeeded.connect(
                lambda text: self._on_snippet_succeeded(generation, article_id, text)
            )
            self._runner.start(task)
        return ""

    def _on_snippet_succeeded(self, generation: int, article_id: int, text: str) -> None:
        if generation != self._generation:
            return
        self._snippets[article_id] = text
        row = self.row_of(article_id)
        if row is not None:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.ToolTipRole])
            self.snippet_ready.emit(row)
