"""The library pane: the search field over the article table, or a hint when it is empty."""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from archive_app.core.query import QueryError
from archive_app.gui import theme
from archive_app.gui.tasks import Task, TaskRunner
from archive_app.gui.views.article_table import ArticleTableModel, is_ranked
from archive_app.gui.widgets.column_fit import ColumnFitter
from archive_app.gui.widgets.header_columns import HeaderColumns


class LibraryView(QWidget):
    """Search field, article table and an empty-library hint.

    Signals:
        current_article_changed: The current article id (``0`` for none) and the previous one.
        selection_changed: The selection changed (the status bar counts it).
        search_finished: A background search was shown (its query).
    """

    SEARCH_DEBOUNCE_MS = 250

    current_article_changed = Signal(int, int)
    selection_changed = Signal()
    search_finished = Signal(str)

    #: Libraries with at least this many listed rows search in the background.
    background_threshold = 20_000

    def __init__(
        self,
        model: ArticleTableModel,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.runner = runner
        self.searching = False
        self._generation = 0
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search")
        self.search_edit.setPlaceholderText("Search the library (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.apply_search)
        self.clear_search_action = QAction("Clear Search", self.search_edit)
        self.clear_search_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.clear_search_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.clear_search_action.triggered.connect(self.clear_search)
        self.search_edit.addAction(self.clear_search_action)

        self.query_error = QLabel()
        self.query_error.setObjectName("queryError")
        theme.set_style(self.query_error, "color: {error};")
        self.query_error.setWordWrap(True)
        self.query_error.hide()

        self.table = QTableView()
        self.table.setObjectName("articleTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 100), (2, 90), (3, 80), (4, 112)):
            header.resizeSection(column, width)
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        header.sectionPressed.connect(self._on_header_section_pressed)
        self.columns = HeaderColumns(header, fixed=(0,))  # the title always shows
        # The other columns take the width of what they show (the title keeps the rest).
        self.column_fitter = ColumnFitter(self.table, (1, 2, 3, 4))
        header.sectionClicked.connect(lambda _section: header.setSortIndicatorShown(True))
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.selectionModel().selectionChanged.connect(self.selection_changed)

        # No matches: said over the empty table (not as a fake row), centred in its viewport.
        self.no_matches = QLabel()
        self.no_matches.setObjectName("noMatches")
        self.no_matches.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_matches.setWordWrap(True)
        self.no_matches.setTextFormat(Qt.TextFormat.RichText)
        self.no_matches.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        overlay = QVBoxLayout(self.table.viewport())
        overlay.addWidget(self.no_matches)
        self.no_matches.hide()

        self.hint = QLabel(
            "<h3>Your library is empty</h3>"
            "<p>Drop saved article text files or folders anywhere on this window,<br>"
            "or use <b>File › Import Files…</b> (Ctrl+O).</p>"
            "<p>To look around first: <b>Help › Import Sample Articles</b>.</p>"
        )
        self.hint.setObjectName("emptyHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.query_error)
        layout.addWidget(self.stack)
        model.reloaded.connect(self._update_stack)
        model.modelReset.connect(self._update_stack)
        self._update_stack()
        self._guard = False

    def apply_search(self) -> None:
        """Filter the table by the search field now (a bad query is explained below it).

        On a large library the query runs in a background task; a newer search drops the
        result of an older one that finishes late.
        """
        self._search_timer.stop()
        query = self.search_edit.text().strip()
        self._generation += 1
        if self.runner is None or self.model.library_size() < self.background_threshold:
            try:
                self.model.set_query(query)
            except QueryError as exc:
                self._show_query_error(str(exc))
                self.model.show_none(query)
            else:
                self._show_query_error("")
            return
        generation = self._generation
        model = self.model

        def work(_progress: object, _cancelled: object) -> list[int]:
            return model.query_ids(query, is_ranked(query))

        task = Task(work)
        task.signals.succeeded.connect(
            lambda ids: self._on_search_task_succeeded(generation, query, ids)
        )
        task.signals.failed.connect(
            lambda message, _details: self._on_search_task_failed(generation, query, message)
        )
        self.searching = True
        self.runner.start(task)

    def _on_search_task_succeeded(self, generation: int, query: str, ids: list[int]) -> None:
        if generation != self._generation:
            return  # a newer search is under way: this result is stale
        self.searching = False
        self.model.apply_query_result(query, ids)
        self._show_query_error("")
        self.search_finished.emit(query)

    def _on_search_task_failed(self, generation: int, query: str, message: str) -> None:
        if generation == self._generation:
            self.searching = False
            self._show_query_error(message)
            self.model.show_none(query)
            self.search_finished.emit("")

    def _on_header_section_pressed(self, _section: int) -> None:
        # In relevance order the header still remembers the last column sorted: a click on it
        # would flip that hidden order (Title Z→A first). Forget it, so any click is a first
        # click and takes the column's initial order (the model's InitialSortOrderRole).
        header = self.table.horizontalHeader()
        if self.model.by_relevance or not header.isSortIndicatorShown():
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def _show_query_error(self, message: str) -> None:
        self.query_error.setText(message)
        self.query_error.setVisible(bool(message))
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(not self.model.by_relevance)

    def clear_search(self) -> None:
        """Empty the search field and list everything again (Esc in the field)."""
        if self.search_edit.text():
            self.search_edit.clear()
            self.apply_search()

    def _update_stack(self) -> None:
        rows = self.model.rowCount()
        empty = rows == 0 and not self.model.query and not self.model.showing_trash
        self.stack.setCurrentWidget(self.hint if empty else self.table)
        text = ""
        if rows == 0 and not self.model.query_invalid:  # a bad query's error says enough
            if self.model.query:
                text = (
                    f"<h3>No matches for “{html.escape(self.model.query)}”</h3>"
                    "<p>Try fewer or other words, a prefix such as <i>harb*</i>, or press "
                    "Esc to clear the search.</p>"
                )
            elif self.model.showing_trash:
                text = "<h3>The trash is empty</h3>"
        self.no_matches.setText(text)
        self.no_matches.setVisible(bool(text))

    def current_id(self) -> int:
        """The current article's id (``0`` for none)."""
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) or 0 if index.isValid() else 0

    def selected_ids(self) -> list[int]:
        """The ids of the selected rows, in table order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [i for i in (self.model.id_at(r) for r in rows) if i is not None]

    def select_id(self, article_id: int) -> bool:
        """Make ``article_id`` current and selected; return whether it is listed."""
        row = self.model.row_of(article_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def restore_current(self, article_id: int) -> None:
        """Put the current row back to ``article_id`` without announcing it."""
        self._guard = True
        try:
            if not self.select_id(article_id):
                self.table.selectionModel().clear()
        finally:
            self._guard = False

    def _on_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._guard:
            return
        new_id = self.model.id_at(current.row()) if current.isValid() else None
        old_id = self.model.id_at(previous.row()) if previous.isValid() else None
        self.current_article_changed.emit(new_id or 0, old_id or 0)
