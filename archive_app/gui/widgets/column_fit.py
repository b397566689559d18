"""Sizes a table's columns to what its visible rows hold, once, until the user drags one."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QTableView
from shiboken6 import isValid


class ColumnFitter(QObject):
    """Fits ``columns`` of ``view`` to their content the first time rows show.

    Only the rows in sight are measured (a lazy model is never asked for the rest), and a
    column never takes more than ``share`` of the viewport's width, so a stretching column
    (the title) keeps the room left. Once the user resizes one of the columns by hand, the
    fitter stops (``enabled``) and says so, so the choice can be kept.

    Args:
        view: The table.
        columns: The logical columns to fit.
        share: The widest a column may be, as a share of the viewport.

    Signals:
        widths_chosen: The user resized one of the columns by hand.
    """

    MAX_ROWS = 100
    #: Pixels of room beyond the widest text.
    PADDING = 6

    widths_chosen = Signal()

    def __init__(self, view: QTableView, columns: Sequence[int], share: float = 0.3) -> None:
        super().__init__(view)
        self.view = view
        self.columns = tuple(columns)
        self.share = share
        #: Whether to fit when rows first show (off once the user chose widths).
        self.enabled = True
        #: Whether the columns were fitted already.
        self.fitted = False
        self._fitting = False
        self._pressed = False
        header = view.horizontalHeader()
        header.sectionResized.connect(self._on_header_section_resized)
        # Kept: while the view is destroyed its header's viewport still sends events here.
        self._header_viewport = header.viewport()
        self._header_viewport.installEventFilter(self)
        view.installEventFilter(self)
        model = view.model()
        model.modelReset.connect(self._schedule)
        model.rowsInserted.connect(self._schedule)

    def fit(self) -> None:
        """Size the columns to the widest of their header and their rows in sight (capped)."""
        view, header, model = self.view, self.view.horizontalHeader(), self.view.model()
        rows = model.rowCount()
        first = max(view.rowAt(0), 0)
        last = view.rowAt(view.viewport().height() - 1)
        if last < 0:
            last = rows - 1
        last = min(last, first + self.MAX_ROWS - 1)
        cap = max(60, int(view.viewport().width() * self.share))
        self._fitting = True
        try:
            for column in self.columns:
                if header.isSectionHidden(column):
                    continue
                content = max(
                    (
                        view.sizeHintForIndex(model.index(row, column)).width()
                        for row in range(first, last + 1)
                    ),
                    default=0,
                )
                content += self.PADDING + (1 if view.showGrid() else 0)  # the grid takes a pixel
                header.resizeSection(column, max(header.sectionSizeHint(column), min(content, cap)))
        finally:
            self._fitting = False

    def _schedule(self) -> None:
        if self.enabled and not self.fitted:
            # After the layout (the viewport's real size); dropped if the fitter goes first.
            QTimer.singleShot(0, self, self._fit_once)

    def _fit_once(self) -> None:
        view = self.view
        if not isValid(view):  # the table was destroyed since (a window closed at once)
            return
        if self.enabled and not self.fitted and view.isVisible() and view.model().rowCount():
            self.fit()
            self.fitted = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tell the user's drags on the header from resizes by code; fit once shown."""
        kind = event.type()
        if watched is self._header_viewport:
            if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
                self._pressed = True
            elif kind == QEvent.Type.MouseButtonRelease:
                self._pressed = False
        elif watched is self.view and kind == QEvent.Type.Show:
            self._schedule()
        return False

    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        if self._pressed and not self._fitting and column in self.columns and self.enabled:
            self.enabled = False
            self.widths_chosen.emit()
