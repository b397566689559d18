"""The preview pane: the shared article template rendered in a ``QTextBrowser``."""

from __future__ import annotations

import html
import time
from typing import Any

from PySide6.QtCore import QEvent, QTimer, QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from archive_app.core.records import ArticleFields
from archive_app.gui import theme
from archive_app.render.article import render_preview


class PreviewView(QTextBrowser):
    """Shows an article as a reader saw it; never loads anything from outside.

    Drawn for the palette in use: on a dark one the article's text is light (and the view
    renders again when the palette changes).

    Signals:
        rendered: The preview was redrawn (with the time it took, in ms).
    """

    DEBOUNCE_MS = 60
    #: Pixels between the frame and the article.
    MARGIN = 12
    #: Shown with no article (unless ``set_placeholder`` says otherwise).
    PLACEHOLDER = (
        "Select an article to preview it, or drop article text files or folders on the "
        "window to import them."
    )

    rendered = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setObjectName("preview")
        self.document().setDocumentMargin(self.MARGIN)  # Qt's 4 px sets text against the frame
        self._pending: ArticleFields | None = None
        self._placeholder = self.PLACEHOLDER
        self._shown: ArticleFields | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.show_fields(None)

    def schedule(self, fields: ArticleFields | None) -> None:
        """Render ``fields`` after a short pause (typing does not re-render every key)."""
        self._pending = fields
        self._timer.start()

    def set_placeholder(self, text: str) -> None:
        """Say ``text`` while no article is shown (empty: the default, about importing)."""
        self._placeholder = text or self.PLACEHOLDER
        if self._shown is None:
            self.show_fields(None)

    def placeholder(self) -> str:
        """What the preview says while no article is shown."""
        return self._placeholder

    def show_fields(self, fields: ArticleFields | None) -> None:
        """Render ``fields`` now (``None``: a hint)."""
        self._timer.stop()
        self._shown = fields
        started = time.perf_counter()
        if fields is None:
            muted = theme.colors(self.palette()).muted
            self.setHtml(f"<p style='color:{muted}'>{html.escape(self._placeholder)}</p>")
        else:
            scroll = self.verticalScrollBar().value()
            self.setHtml(render_preview(fields, dark=theme.is_dark(self.palette())))
            self.verticalScrollBar().setValue(scroll)
        self.rendered.emit((time.perf_counter() - started) * 1000)

    def _on_timer_timeout(self) -> None:
        self.show_fields(self._pending)

    def changeEvent(self, event: QEvent) -> None:
        """Render again for a new palette (the system switched to dark, or back)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.show_fields(self._pending if self._timer.isActive() else self._shown)

    def loadResource(self, type_: int, name: QUrl | str) -> Any:
        """Refuse every resource: the preview never loads images, styles or anything remote."""
        return None
