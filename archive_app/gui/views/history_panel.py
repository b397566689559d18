"""The history panel: an article's revisions, a readable diff of one, and Restore."""

from __future__ import annotations

import datetime as dt
import difflib
import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive_app.core.history import Revision
from archive_app.core.sections import join_section
from archive_app.gui import theme

#: Shown as a line diff rather than "old → new".
LONG_FIELDS = frozenset(
    {"body", "boilerplate", "notes", "rights", "publisher_note", "share_section", "photo_caption"}
)

FIELD_LABELS = {
    "title": "Title",
    "section_path": "Section",
    "byline": "Byline",
    "publisher": "Publisher",
    "dateline": "Dateline",
    "published_on": "Published",
    "source_url": "Source URL",
    "alternate_urls": "Alternate URLs",
    "language": "Language",
    "photo_caption": "Photo caption",
    "photo_credit": "Photo credit",
    "body": "Body",
    "share_section": "Share section",
    "publisher_note": "Publisher note",
    "rights": "Rights",
    "boilerplate": "Boilerplate",
    "notes": "Notes",
    "tags": "Tags",
    "needs_review": "Needs review",
    "parse_warnings": "Parse warnings",
}


def field_label(name: str) -> str:
    """The form's label of a field (``section_path`` -> ``Section``)."""
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def local_time_text(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """A naive UTC time in local time, compactly: ``14:05`` today, else ``2024-03-12 14:05``.

    Numeric on purpose: month names depend on the C locale (see DESIGN, known pitfalls).
    """
    local = when.replace(tzinfo=dt.UTC).astimezone()
    today = (now or dt.datetime.now().astimezone()).date()
    clock = f"{local.hour:02d}:{local.minute:02d}"
    return clock if local.date() == today else f"{local.date().isoformat()} {clock}"


def value_text(name: str, value: Any) -> str:
    """A field value in JSON form (lists, ISO dates) as the form writes it."""
    if value is None:
        return ""
    if name == "section_path" and isinstance(value, list | tuple):
        return join_section(str(v) for v in value)
    if name == "tags" and isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


#: The revision id that stands for the article as it was imported (``revert --to 0``).
AS_IMPORTED = 0


def as_imported(revisions: Sequence[Revision], imported_at: dt.datetime | None) -> Revision:
    """The article as imported, as a revision: ``changes`` maps each field changed since to
    ``(as imported, now)``; restoring it is ``revert --to 0``."""
    imported: dict[str, Any] = {}
    now: dict[str, Any] = {}
    for revision in revisions:
        for name, (old, new) in revision.changes.items():
            imported.setdefault(name, old)
            now[name] = new
    since = {name: (imported[name], now[name]) for name in now if imported[name] != now[name]}
    first = revisions[0] if revisions else None
    return Revision(
        id=AS_IMPORTED,
        article_id=first.article_id if first else 0,
        created_at=imported_at or (first.created_at if first else dt.datetime(1970, 1, 1)),
        user="",
        kind="as imported",
        changes=since,
    )


def _short(text: str) -> str:
    return html.escape(text) if text else "<i>(empty)</i>"


def changes_html(changes: dict[str, tuple[Any, Any]], colors: theme.Colors | None = None) -> str:
    """A readable diff: ``Field: old → new``; long text fields as a line diff. Escaped.

    Removed text in ``colors.error``, added in ``colors.success`` (default: the colours that
    read on the application's palette).
    """
    colors = colors or theme.colors()
    removed, added, same = colors.error, colors.success, colors.muted
    blocks: list[str] = []
    for name, (old, new) in changes.items():
        label = html.escape(field_label(name))
        old_text, new_text = value_text(name, old), value_text(name, new)
        if name in LONG_FIELDS or "\n" in old_text or "\n" in new_text:
            rows: list[str] = []
            for line in difflib.ndiff(old_text.splitlines(), new_text.splitlines()):
                mark, rest = line[:1], html.escape(line[2:])
                if mark == "?":
                    continue
                if mark == "-":
                    rows.append(f'<span style="color:{removed};">− {rest}</span>')
                elif mark == "+":
                    rows.append(f'<span style="color:{added};">+ {rest}</span>')
                else:
                    rows.append(f'<span style="color:{same};">  {rest}</span>')
            blocks.append(
                f"<p><b>{label}</b></p><pre style='white-space: pre-wrap;'>"
                + "<br>".join(rows)
                + "</pre>"
            )
        else:
            blocks.append(
                f"<p><b>{label}:</b> <span style='color:{removed};'>{_short(old_text)}</span>"
                f" → <span style='color:{added};'>{_short(new_text)}</span></p>"
            )
    return "".join(blocks) or "<p><i>No field changed.</i></p>"


class HistoryPanel(QWidget):
    """A collapsible list of revisions, the selected one's diff and a Restore button.

    Knows nothing of the library: the window fills it (``set_revisions``) and restores.

    Signals:
        restore_requested: Restore the article as it was right after this revision (its id).
    """

    restore_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self._revisions: list[Revision] = []
        self._imported: Revision | None = None
        self._read_only = False
        self.toggle = QToolButton()
        self.toggle.setObjectName("historyToggle")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setStyleSheet("QToolButton { font-weight: bold; border: none; }")
        self.toggle.toggled.connect(self._on_toggle_toggled)

        self.list = QTreeWidget()
        self.list.setObjectName("revisions")
        self.list.setColumnCount(4)
        self.list.setHeaderLabels(["When", "Who", "What", "Fields"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setStretchLastSection(True)
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.list.setMinimumHeight(110)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)

        self.diff = QTextBrowser()
        self.diff.setObjectName("revisionDiff")
        self.diff.setOpenLinks(False)
        self.diff.setMinimumHeight(120)
        self.restore_button = QPushButton("Restore This Version…")
        self.restore_button.setObjectName("restoreRevision")
        self.restore_button.setToolTip(
            "Put the article back as it was right after the selected change "
            "(itself a new revision: nothing is lost)"
        )
        self.restore_button.clicked.connect(self._on_restore_button_clicked)

        self.body = QWidget()
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.list, 2)
        body_layout.addWidget(self.diff, 3)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        body_layout.addLayout(buttons)
        self.empty_label = QLabel("No changes yet: edits, batch edits and re-parses show here.")
        theme.set_style(self.empty_label, "color: {muted};")
        self.empty_label.setWordWrap(True)
        body_layout.addWidget(self.empty_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.set_expanded(False)
        self.set_revisions([])

    # -- state ----------------------------------------------------------------------------

    @property
    def revisions(self) -> list[Revision]:
        """The revisions shown, oldest first."""
        return list(self._revisions)

    def is_expanded(self) -> bool:
        """Whether the list and the diff show."""
        return self.toggle.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        """Open or fold the panel."""
        self.toggle.setChecked(expanded)
        self._on_toggle_toggled(expanded)

    def set_read_only(self, read_only: bool) -> None:
        """Disable Restore (a trashed article, a read-only library)."""
        self._read_only = read_only
        self._update_restore_button()

    def set_revisions(
        self, revisions: Sequence[Revision], imported_at: dt.datetime | None = None
    ) -> None:
        """Show ``revisions`` (oldest first in, newest first on screen); select the newest.

        Under them, once there is any, the article *as imported* (revision 0), dated
        ``imported_at`` (naive UTC, as revisions are).
        """
        # The selection stays while the list is the same; a new change shows itself.
        same = [r.id for r in revisions] == [r.id for r in self._revisions]
        selected = self.selected_revision() if same else None
        self._revisions = list(revisions)
        self._imported = as_imported(self._revisions, imported_at) if self._revisions else None
        self.list.blockSignals(True)
        try:
            self.list.clear()
            now = dt.datetime.now().astimezone()
            shown = [*reversed(self._revisions), *([self._imported] if self._imported else [])]
            for revision in shown:
                fields = ", ".join(field_label(n) for n in revision.changes)
                when = local_time_text(revision.created_at, now)
                item = QTreeWidgetItem([when, revision.user, revision.kind, fields])
                if revision.id == AS_IMPORTED:
                    item.setToolTip(2, "The article as the import stored it, before any change")
                    item.setToolTip(3, f"Changed since: {fields}" if fields else "")
                    font = item.font(2)
                    font.setItalic(True)
                    item.setFont(2, font)
                item.setData(0, Qt.ItemDataRole.UserRole, revision.id)
                stamp = revision.created_at.replace(tzinfo=dt.UTC).astimezone()
                item.setToolTip(0, stamp.isoformat(sep=" ", timespec="seconds"))
                if revision.id != AS_IMPORTED:
                    item.setToolTip(3, fields)
                self.list.addTopLevelItem(item)
        finally:
            self.list.blockSignals(False)
        count = len(self._revisions)
        self.toggle.setText(f"History ({count} change{'' if count == 1 else 's'})")
        self.empty_label.setVisible(count == 0)
        self.list.setVisible(count > 0)
        self.diff.setVisible(count > 0)
        keep = selected.id if selected is not None else None
        newest = self.list.topLevelItem(0)
        if not self.select_revision(keep) and newest is not None:
            self.list.setCurrentItem(newest)
        self._show_selected()

    def select_revision(self, revision_id: int | None) -> bool:
        """Select the revision with this id; return whether it is listed."""
        if revision_id is None:
            return False
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == revision_id:
                self.list.setCurrentItem(item)
                return True
        return False

    def selected_revision(self) -> Revision | None:
        """The revision selected in the list, or ``None``."""
        item = self.list.currentItem()
        if item is None:
            return None
        revision_id = item.data(0, Qt.ItemDataRole.UserRole)
        if revision_id == AS_IMPORTED:
            return self._imported
        return next((r for r in self._revisions if r.id == revision_id), None)

    def imported_revision(self) -> Revision | None:
        """The *as imported* entry (revision 0), when any revision is listed."""
        return self._imported

    def diff_text(self) -> str:
        """The diff pane's plain text (tests read it)."""
        return self.diff.toPlainText()

    # -- reacting -------------------------------------------------------------------------

    def _show_selected(self) -> None:
        revision = self.selected_revision()
        colors = theme.colors(self.palette())
        muted = colors.muted
        if revision is None:
            self.diff.clear()
        elif revision.id == AS_IMPORTED:
            when = revision.created_at.replace(tzinfo=dt.UTC).astimezone()
            stamp = html.escape(when.isoformat(sep=" ", timespec="minutes"))
            if revision.changes:
                head = (
                    f"<p style='color:{muted};'>The article as imported, {stamp}. "
                    "Changed since (as imported → now):</p>"
                )
                body = changes_html(revision.changes, colors)
            else:
                head = f"<p style='color:{muted};'>The article as imported, {stamp}.</p>"
                body = "<p><i>Every field is as imported again.</i></p>"
            self.diff.setHtml(head + body)
        else:
            when = revision.created_at.replace(tzinfo=dt.UTC).astimezone()
            head = (
                f"<p style='color:{muted};'>{html.escape(revision.kind)} by "
                f"{html.escape(revision.user)}, "
                f"{html.escape(when.isoformat(sep=' ', timespec='minutes'))}</p>"
            )
            self.diff.setHtml(head + changes_html(revision.changes, colors))
        self._update_restore_button()

    def _update_restore_button(self) -> None:
        revision = self.selected_revision()
        latest = bool(self._revisions) and revision is self._revisions[-1]
        if revision is not None and revision.id == AS_IMPORTED:
            latest = not revision.changes  # every field is back as imported
        self.restore_button.setEnabled(revision is not None and not latest and not self._read_only)
        if latest:
            tip = "This is how the article is now"
        elif revision is not None and revision.id == AS_IMPORTED:
            tip = (
                "Put the article back as the import stored it "
                "(itself a new revision: nothing is lost)"
            )
        else:
            tip = (
                "Put the article back as it was right after the selected change "
                "(itself a new revision: nothing is lost)"
            )
        self.restore_button.setToolTip(tip)

    def changeEvent(self, event: QEvent) -> None:
        """Draw the diff again in colours for a new palette (light or dark)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._show_selected()

    def _on_toggle_toggled(self, checked: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if checked else Qt.ArrowType.RightArrow)
        self.body.setVisible(checked)

    def _on_list_current_item_changed(self, *_args: object) -> None:
        self._show_selected()

    def _on_restore_button_clicked(self) -> None:
        revision = self.selected_revision()
        if revision is not None:
            self.restore_requested.emit(revision.id)
