"""The library pane: the search field over the article table, or a hint when it is empty."""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCursor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from archive_app.core.query import QueryError
from archive_app.gui import theme
from archive_app.gui.tasks import TaskRunner
from archive_app.gui.views.article_table import ArticleTableModel
from archive_app.gui.widgets.column_fit import ColumnFitter
from archive_app.gui.widgets.header_columns import HeaderColumns


class LibraryView(QWidget):
    """Search field, article table and an empty-library hint.

    Signals:
        current_article_changed: The current article id (``0`` for none) and the previous one.
        selection_changed: The selection changed (the status bar counts it).
        search_finished: A search's first page was shown (its query; ``""`` when it failed).
            From a background query on a large library, else at once.
    """

    SEARCH_DEBOUNCE_MS = 250

    current_article_changed = Signal(int, int)
    selection_changed = Signal()
    search_finished = Signal(str)

    def __init__(
        self,
        model: ArticleTableModel,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.runner = runner
        #: Whether a search's first page is still to come (from a background query).
        self.searching = False
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
        # The header must not see the table's selection: to draw a section Qt asks whether its
        # whole column is selected, by calling flags() for every row (QHeaderView::
        # initStyleOptionForIndex, whatever highlightSections says): after Select All on 100k
        # articles, 500,000 calls into Python per repaint (5.6 s). Rows are selected here,
        # never columns, so the header gets a selection model of its own that stays empty.
        header.setHighlightSections(False)
        header.setSelectionModel(QItemSelectionModel(model, header))
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
        model.reloaded.connect(self._on_model_reloaded)
        model.load_failed.connect(self._on_model_load_failed)
        model.snippet_ready.connect(self._on_model_snippet_ready)
        self._update_stack()
        self._guard = False

    @property
    def background_threshold(self) -> int:
        """Libraries of at least this many articles search (and list) in the background."""
        return self.model.background_threshold

    @background_threshold.setter
    def background_threshold(self, value: int) -> None:
        self.model.background_threshold = value

    def apply_search(self) -> None:
        """Filter the table by the search field now (a bad query is explained below it).

        On a large library the model queries in the background: its first page shows as
        soon as it comes (``search_finished``), the rest and the count follow; a newer
        search drops the results of an older one that come late.
        """
        self._search_timer.stop()
        query = self.search_edit.text().strip()
        try:
            self.model.set_query(query)
        except QueryError as exc:
            self.searching = False
            self._show_query_error(str(exc))
            self.model.show_none(query)
            self.search_finished.emit("")
            return
        self._show_query_error("")
        self.searching = self.model.loading
        if not self.searching:
            self.search_finished.emit(query)

    def _on_model_reloaded(self) -> None:
        if self.searching:  # its first page (or all of it) is in
            self.searching = False
            self.search_finished.emit(self.model.query)

    def _on_model_load_failed(self, message: str) -> None:
        was_searching, self.searching = self.searching, False
        self._show_query_error(message)
        self.model.show_none(self.model.query)
        if was_searching:
            self.search_finished.emit("")

    def _on_model_snippet_ready(self, row: int) -> None:
        # The tooltip asked for the matching words; show them if it is still over that row.
        viewport = self.table.viewport()
        pos = viewport.mapFromGlobal(QCursor.pos())
        index = self.table.indexAt(pos)
        if QToolTip.isVisible() and index.isValid() and index.row() == row:
            title_index = self.model.index(row, 0)
            text = self.model.data(title_index, Qt.ItemDataRole.ToolTipRole)
            QToolTip.showText(QCursor.pos(), str(text), viewport)

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

    def selected_ranges(self) -> list[tuple[int, int]]:
        """The selected rows as sorted, disjoint ``(first, last)`` runs.

        Read from the selection's ranges, never row by row: Select All on 100k rows is one
        range, and listing its rows as indexes took most of a second.
        """
        selection = self.table.selectionModel().selection()
        spans = sorted(
            (r.top(), r.bottom())
            for r in (selection.at(i) for i in range(selection.count()))
            if r.isValid()
        )
        merged: list[tuple[int, int]] = []
        for top, bottom in spans:
            if merged and top <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
            else:
                merged.append((top, bottom))
        return merged

    def selected_count(self) -> int:
        """How many rows are selected."""
        return sum(last - first + 1 for first, last in self.selected_ranges())

    def selected_ids(self) -> list[int]:
        """The ids of the selected rows, in table order."""
        ids: list[int] = []
        for first, last in self.selected_ranges():
            ids.extend(self.model.ids_in(first, last))
        return ids

    def select_row(self, row: int) -> None:
        """Make ``row`` (or the last row, if there are fewer) current and selected."""
        row = min(row, self.model.rowCount() - 1)
        if row < 0:
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def select_id(self, article_id: int) -> bool:
        """Make ``article_id`` current and selected; return whether it is listed."""
        row = self.model.row_of(article_id)
        if row is None:
            return False
        self.select_row(row)
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
