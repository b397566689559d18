"""Recover unsaved edits: the drafts a session left behind, per article, Recover or Discard."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from archive_app.core.errors import ArticleNotFoundError
from archive_app.core.history import jsonable
from archive_app.core.library import Library
from archive_app.gui import theme
from archive_app.gui.views.history_panel import changes_html


@dataclass(frozen=True)
class DraftEntry:
    """One article's draft: what it changes, ``field -> (stored, draft)`` in JSON form."""

    article_id: int
    title: str
    in_trash: bool
    changes: dict[str, tuple[Any, Any]]


def draft_entries(library: Library, drafts: Mapping[int, Mapping[str, Any]]) -> list[DraftEntry]:
    """Compare each draft with the stored article (drafts of vanished articles are left out)."""
    entries: list[DraftEntry] = []
    for article_id, fields in drafts.items():
        try:
            record = library.get_article(article_id)
        except ArticleNotFoundError:
            continue
        changes: dict[str, tuple[Any, Any]] = {}
        for name, value in fields.items():
            stored = jsonable(name, getattr(record, name, None))
            if stored != value:
                changes[name] = (stored, value)
        entries.append(
            DraftEntry(
                article_id=article_id,
                title=record.title or "(untitled)",
                in_trash=record.deleted_at is not None,
                changes=changes,
            )
        )
    return entries


class RecoverDraftsDialog(QDialog):
    """Lists unsaved edits left from a session that did not end well.

    Closing the dialog keeps the drafts that were neither recovered nor discarded: they are
    offered again next time.

    Signals:
        recover_requested: Load this article's draft into the form (its id).
        discard_requested: Forget this article's draft (its id).
    """

    recover_requested = Signal(int)
    discard_requested = Signal(int)

    def __init__(self, entries: Sequence[DraftEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoverDrafts")
        self.setWindowTitle("Recover Unsaved Edits")
        self.resize(640, 460)
        self.entries = list(entries)
        self.recover_buttons: dict[int, QPushButton] = {}
        self.discard_buttons: dict[int, QPushButton] = {}
        self.status_labels: dict[int, QLabel] = {}

        count = len(self.entries)
        intro = QLabel(
            f"<b>{count} article{'' if count == 1 else 's'} had unsaved edits</b> when Article "
            "Archive last stopped. <i>Recover</i> puts the edits back into the form (then save "
            "them); <i>Discard</i> forgets them. Closing keeps them for next time."
        )
        intro.setWordWrap(True)

        content = QWidget()
        rows = QVBoxLayout(content)
        for entry in self.entries:
            rows.addWidget(self._entry_box(entry))
        rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        first = next((b for b in self.recover_buttons.values() if b.isEnabled()), None)
        if first is not None:
            first.setDefault(True)
            first.setFocus()

    def _entry_box(self, entry: DraftEntry) -> QGroupBox:
        box = QGroupBox(entry.title + (" (in the trash)" if entry.in_trash else ""))
        box.setObjectName(f"draft{entry.article_id}")
        diff = QTextBrowser()
        diff.setHtml(
            changes_html(entry.changes)
            if entry.changes
            else "<p><i>The draft matches what is stored.</i></p>"
        )
        diff.setMaximumHeight(150)
        recover = QPushButton("Recover")
        recover.setToolTip("Open the article with these edits in the form (marked modified)")
        discard = QPushButton("Discard")
        discard.setToolTip("Forget these edits")
        discard.setAutoDefault(False)  # Enter never forgets edits; Recover is the safe one
        status = QLabel()
        theme.set_style(status, "color: {muted};")
        if entry.in_trash:
            recover.setEnabled(False)
            status.setText("Restore it from the trash to recover the edits.")
        recover.clicked.connect(lambda: self.recover_requested.emit(entry.article_id))
        discard.clicked.connect(lambda: self.discard_requested.emit(entry.article_id))
        buttons = QHBoxLayout()
        buttons.addWidget(status, 1)
        buttons.addWidget(discard)
        buttons.addWidget(recover)
        layout = QVBoxLayout(box)
        layout.addWidget(diff)
        layout.addLayout(buttons)
        self.recover_buttons[entry.article_id] = recover
        self.discard_buttons[entry.article_id] = discard
        self.status_labels[entry.article_id] = status
        return box

    def mark_done(self, article_id: int, text: str) -> None:
        """Say what happened to one draft and disable its buttons."""
        self.recover_buttons[article_id].setEnabled(False)
        self.discard_buttons[article_id].setEnabled(False)
        self.status_labels[article_id].setText(html.escape(text))
        if all(not b.isEnabled() for b in self.discard_buttons.values()):
            close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
            if close is not None:
                close.setFocus()
