"""The editor form: every article field, inline validation, and a modified mark."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from archive_app.core.records import EDITABLE_FIELDS, ArticleFields, ArticleRecord, SourceInfo, iso
from archive_app.core.sections import join_section, split_section
from archive_app.core.validation import validate_fields
from archive_app.gui import theme
from archive_app.gui.views.history_panel import HistoryPanel


@dataclass
class _Field:
    name: str
    label: str
    widget: QWidget
    get: Callable[[], str]
    set: Callable[[str], None]
    error: QLabel


def split_lines(text: str) -> tuple[str, ...]:
    """Return the non-blank lines of ``text``, trimmed."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def split_tags(text: str) -> tuple[str, ...]:
    """Return the comma-separated tags of ``text``, trimmed, without repeats."""
    return tuple(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


def parse_date(text: str) -> dt.date | None:
    """Return the date in ``YYYY-MM-DD`` text, ``None`` for blank text.

    Raises:
        ValueError: The text is not a real date.
    """
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Not a real date: {text!r} (use YYYY-MM-DD).") from None


def encoding_text(source: SourceInfo) -> str:
    """Return the encoding as the provenance shows it: ``cp1251 (confidence 62%)``.

    Full confidence reads just ``utf-8``; a confidence that would round to 100% while the
    decoder was not sure shows as 99%.
    """
    confidence = source.encoding_confidence
    if confidence >= 1.0:
        return source.encoding
    percent = min(99, max(0, round(confidence * 100)))
    return f"{source.encoding} (confidence {percent}%)"


def _strip(text: str) -> str:
    return text.strip()


#: How a field's text in the form becomes its value, for the fields that are not plain text
#: (plain ones are trimmed). The field list itself is ``records.EDITABLE_FIELDS``.
_FROM_TEXT: dict[str, Callable[[str], Any]] = {
    "section_path": split_section,
    "published_on": parse_date,
    "alternate_urls": split_lines,
    "body": lambda text: _clean_body(text),
    "share_section": lambda text: "\n".join(split_lines(text)),
    "boilerplate": lambda text: _clean_body(text),
    "notes": str.rstrip,
    "tags": split_tags,
}

#: How a stored value becomes the form's text, for the fields that are not plain text.
_TO_TEXT: dict[str, Callable[[Any], str]] = {
    "section_path": join_section,
    "published_on": lambda value: value.isoformat() if value else "",
    "alternate_urls": "\n".join,
    "tags": ", ".join,
}

#: Edited with the "Needs review" check box rather than a text field.
_CHECKED_FIELDS = ("needs_review",)


class EditorForm(QWidget):
    """Edits one article. Holds the loaded record and compares the widgets' text with it.

    Signals:
        edited: Any field changed (the preview listens, debounced).
        modified_changed: Whether the form differs from the stored article (bool).
        redecode_requested: The archivist asked to read the original file in another
            encoding (the window shows the "Re-decode as…" dialog).
    """

    edited = Signal()
    modified_changed = Signal(bool)
    redecode_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record: ArticleRecord | None = None
        self._original: dict[str, str] = {}
        self._modified = False
        self._loading = False
        self._fields: dict[str, _Field] = {}

        content = QWidget()
        form = QFormLayout(content)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form = form

        self.title_edit = self._line("title", "&Title")
        self.section_edit = self._line("section_path", "&Section", "Section / Subsection")
        self.byline_edit = self._line("byline", "&Byline", "Author")
        self.publisher_edit = self._line("publisher", "&Publisher")
        self.dateline_edit = self._line("dateline", "Date&line", "Place at the start of the body")
        self.date_edit = self._line("published_on", "Publis&hed", "YYYY-MM-DD")
        self.source_url_edit = self._line("source_url", "Source &URL", "https://…")
        self.alternate_urls_edit = self._text("alternate_urls", "Alternate URLs", 3)
        self.language_edit = self._line("language", "Lan&guage", "Language code, e.g. en")
        self.caption_edit = self._text("photo_caption", "Photo &caption", 2)
        self.credit_edit = self._line("photo_credit", "Photo cre&dit", "Agency or photographer")
        self.tags_edit = self._line("tags", "T&ags", "comma, separated")
        self.tag_completer = QCompleter([], self)
        self.tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags_edit.setCompleter(self.tag_completer)
        self.body_edit = self._text("body", "B&ody", 14)
        self.publisher_note_edit = self._text("publisher_note", "Publisher note", 2)
        self.share_edit = self._text("share_section", "Share section", 2)
        self.rights_edit = self._text("rights", "&Rights", 2, "Licence and copyright notices")
        self.boilerplate_edit = self._text(
            "boilerplate", "Bo&ilerplate", 2, "What the import removed from the body"
        )
        self.put_back_button = QPushButton("Put Back into Body")
        self.put_back_button.setObjectName("putBackBoilerplate")
        self.put_back_button.setToolTip(
            "Append the boilerplate to the body as paragraphs and empty this field "
            "(an edit: save to keep it, Revert to undo)"
        )
        self.put_back_button.clicked.connect(self._on_put_back_button_clicked)
        self.boilerplate_edit.textChanged.connect(self._update_put_back_button)
        holder = self._fields["boilerplate"].widget.parentWidget()
        assert holder is not None
        holder_layout = holder.layout()
        assert isinstance(holder_layout, QVBoxLayout)
        holder_layout.addWidget(self.put_back_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.notes_edit = self._text("notes", "&Notes", 3)
        self.review_check = QCheckBox("Needs review")
        self.review_check.toggled.connect(self._on_field_changed)
        form.addRow("", self.review_check)
        missing = set(EDITABLE_FIELDS) - set(self._fields) - set(_CHECKED_FIELDS)
        assert not missing, f"the form has no widget for {sorted(missing)}"

        box = QGroupBox("Provenance")
        box.setObjectName("provenance")
        box_layout = QFormLayout(box)
        box_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._provenance = box_layout
        self.file_label = QLabel()
        self.sidecar_label = QLabel()
        self.sidecar_label.setObjectName("sidecarName")
        self.encoding_label = QLabel()
        self.encoding_label.setObjectName("encoding")
        self.redecode_button = QPushButton("Re-decode As…")
        self.redecode_button.setObjectName("redecode")
        self.redecode_button.setToolTip(
            "Read the original file again in another encoding (when the text looks garbled)"
        )
        self.redecode_button.clicked.connect(self.redecode_requested)
        encoding_row = QWidget()
        encoding_layout = QHBoxLayout(encoding_row)
        encoding_layout.setContentsMargins(0, 0, 0, 0)
        encoding_layout.addWidget(self.encoding_label, 1)
        encoding_layout.addWidget(self.redecode_button, 0, Qt.AlignmentFlag.AlignTop)
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("parseWarnings")
        self.sha_label = QLineEdit()  # 64 hex digits do not wrap: scroll and copy instead
        self.sha_label.setReadOnly(True)
        self.sha_label.setFrame(False)
        self.imported_label = QLabel()
        for label, widget in (
            ("File", self.file_label),
            ("Sidecar", self.sidecar_label),
            ("Encoding", encoding_row),
            ("Warnings", self.warnings_label),
            ("SHA-256", self.sha_label),
            ("Imported", self.imported_label),
        ):
            if isinstance(widget, QLabel):
                widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                widget.setWordWrap(True)
            box_layout.addRow(label, widget)
        self.encoding_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.encoding_label.setWordWrap(True)
        form.addRow(box)

        self.history_panel = HistoryPanel()
        form.addRow(self.history_panel)

        self.read_only_banner = QLabel()
        self.read_only_banner.setObjectName("readOnlyBanner")
        theme.set_style(
            self.read_only_banner,
            "background: {banner_background}; color: {banner_text}; padding: 6px; "
            "border: 1px solid {banner_border};",
        )
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.hide()
        self._read_only = False

        self.modified_label = QLabel("● Modified — Ctrl+S saves, File › Revert discards")
        self.modified_label.setObjectName("modifiedMark")
        theme.set_style(self.modified_label, "color: {warning}; font-weight: bold;")
        self.modified_label.hide()

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self.modified_label)
        layout.addWidget(scroll)
        self.load(None)

    # -- building -------------------------------------------------------------------------

    def _error_label(self) -> QLabel:
        label = QLabel()
        theme.set_style(label, "color: {error};")
        label.setWordWrap(True)
        label.hide()
        return label

    def _add(self, field: _Field) -> None:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field.widget)
        layout.addWidget(field.error)
        label = QLabel(field.label)
        label.setBuddy(field.widget)
        self._form.addRow(label, holder)
        self._fields[field.name] = field

    def _line(self, name: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(self._on_field_changed)
        self._add(_Field(name, label, edit, edit.text, edit.setText, self._error_label()))
        return edit

    def _text(self, name: str, label: str, lines: int, placeholder: str = "") -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        metrics = edit.fontMetrics()
        edit.setMinimumHeight(metrics.lineSpacing() * lines + 12)
        if lines <= 3:
            edit.setMaximumHeight(metrics.lineSpacing() * (lines + 1) + 12)
        edit.textChanged.connect(self._on_field_changed)
        self._add(
            _Field(name, label, edit, edit.toPlainText, edit.setPlainText, self._error_label())
        )
        return edit

    # -- state ----------------------------------------------------------------------------

    @property
    def record(self) -> ArticleRecord | None:
        """The article being edited (as stored), or ``None``."""
        return self._record

    @property
    def is_modified(self) -> bool:
        """Whether the form differs from the stored article."""
        return self._modified

    def _texts(self) -> dict[str, str]:
        texts = {name: f.get() for name, f in self._fields.items()}
        texts["needs_review"] = "1" if self.review_check.isChecked() else ""
        return texts

    def load(self, record: ArticleRecord | None) -> None:
        """Show ``record`` (``None``: an empty, disabled form); clears the modified mark."""
        self._loading = True
        try:
            self._record = record
            values = _texts_of(record) if record else {}
            for name, field in self._fields.items():
                field.set(values.get(name, ""))
                field.error.hide()
                if isinstance(field.widget, QLineEdit):
                    field.widget.setCursorPosition(0)
            self.review_check.setChecked(bool(record and record.needs_review))
            self._show_provenance(record)
            self.setEnabled(record is not None)
            self._original = self._texts()
        finally:
            self._loading = False
        self._update_put_back_button()
        self._set_modified(False)
        self.edited.emit()

    @property
    def is_read_only(self) -> bool:
        """Whether the fields refuse edits (a trashed article, a read-only library)."""
        return self._read_only

    def set_read_only(self, read_only: bool, message: str = "") -> None:
        """Make every field read-only (text stays selectable) and show ``message`` above."""
        self._read_only = read_only
        for field in self._fields.values():
            widget = field.widget
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(read_only)
        self.review_check.setEnabled(not read_only)
        self.read_only_banner.setText(message)
        self.read_only_banner.setVisible(read_only and bool(message))
        self.history_panel.set_read_only(read_only)
        self._update_put_back_button()

    def draft_values(self) -> dict[str, Any]:
        """The fields whose text differs from the stored article, as values for a draft.

        A value that does not convert (a half-typed date) is kept as its text, so recovering
        the draft gives back exactly what was typed.
        """
        texts = self._texts()
        out: dict[str, Any] = {}
        for name, text in texts.items():
            if text == self._original.get(name):
                continue
            if name == "needs_review":
                out[name] = bool(text)
                continue
            try:
                out[name] = _FROM_TEXT.get(name, _strip)(text)
            except ValueError:
                out[name] = text
        return out

    def apply_draft(self, values: Mapping[str, Any]) -> None:
        """Put a draft's values (JSON or Python form) into the fields; the form is modified."""
        for name, value in values.items():
            if name == "needs_review":
                self.review_check.setChecked(bool(value))
            elif name in self._fields:
                self._fields[name].set(draft_text(name, value))
        self._on_field_changed()

    def _show_provenance(self, record: ArticleRecord | None) -> None:
        warnings = record.parse_warnings if record else ()
        self.warnings_label.setText("\n".join(warnings) if warnings else "none")
        # A doubtful decode or a parse problem stands out; "none" stays quiet.
        theme.set_style(self.warnings_label, "color: {warning};" if warnings else "color: {muted};")
        source = record.source if record else None
        self.file_label.setText(source.file_name if source else "")
        self.sidecar_label.setText(source.sidecar_name if source else "")
        self._provenance.setRowVisible(self.sidecar_label, bool(source and source.sidecar_name))
        self.encoding_label.setText(encoding_text(source) if source else "")
        self.encoding_label.setToolTip(
            f"The decoder was {source.encoding_confidence:.0%} sure of {source.encoding}"
            if source
            else ""
        )
        self.redecode_button.setEnabled(source is not None)
        self.sha_label.setText(source.sha256 if source else "")
        self.sha_label.setCursorPosition(0)
        self.imported_label.setText(iso(source.imported_at) or "" if source else "")

    def set_redecode_enabled(self, enabled: bool) -> None:
        """Enable the provenance section's "Re-decode As…" button (the window decides)."""
        self.redecode_button.setEnabled(enabled)

    def put_back_boilerplate(self) -> None:
        """Append the boilerplate to the body as paragraphs and empty its field.

        An ordinary edit: the form shows as modified, Save keeps it, Revert (or Ctrl+Z in
        each field) takes it back, so nothing is lost.
        """
        boilerplate = _clean_body(self.boilerplate_edit.toPlainText())
        if not boilerplate:
            return
        body = self.body_edit.toPlainText()
        cursor = self.body_edit.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(("\n\n" if body.strip() else "") + boilerplate)
        self.body_edit.setTextCursor(cursor)
        cursor = self.boilerplate_edit.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.removeSelectedText()

    def _on_put_back_button_clicked(self) -> None:
        self.put_back_boilerplate()

    def _update_put_back_button(self) -> None:
        self.put_back_button.setEnabled(
            bool(self.boilerplate_edit.toPlainText().strip()) and not self._read_only
        )

    def set_tag_suggestions(self, tags: list[str]) -> None:
        """Offer these tags in the tags field's completer."""
        model = self.tag_completer.model()
        if isinstance(model, QStringListModel):
            model.setStringList(tags)

    def _set_modified(self, modified: bool) -> None:
        if modified != self._modified:
            self._modified = modified
            self.modified_label.setVisible(modified)
            self.modified_changed.emit(modified)

    def _on_field_changed(self, *_args: Any) -> None:
        if self._loading:
            return
        self._set_modified(self._record is not None and self._texts() != self._original)
        self.edited.emit()

    # -- values ---------------------------------------------------------------------------

    def _collect(self, strict: bool) -> tuple[ArticleFields, dict[str, str]]:
        errors: dict[str, str] = {}
        values: dict[str, Any] = {"needs_review": self.review_check.isChecked()}
        for name, field in self._fields.items():
            convert = _FROM_TEXT.get(name, _strip)
            try:
                values[name] = convert(field.get())
            except ValueError as exc:
                values[name] = None
                errors[name] = str(exc)
        fields = ArticleFields(**values)
        if strict:
            errors.update(validate_fields(fields))
        return fields, errors

    def preview_fields(self) -> ArticleFields:
        """Return what the form shows now, leniently (a bad date shows no date)."""
        return self._collect(strict=False)[0]

    def validated_fields(self) -> tuple[ArticleFields, dict[str, str]]:
        """Return the form's values and ``{field: message}`` for each problem; show them."""
        fields, errors = self._collect(strict=True)
        self.show_errors(errors)
        return fields, errors

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show each message under its field (and hide the others)."""
        first: QWidget | None = None
        for name, field in self._fields.items():
            message = errors.get(name)
            field.error.setText(message or "")
            field.error.setVisible(bool(message))
            if message and first is None:
                first = field.widget
        if first is not None:
            first.setFocus()

    def error_text(self, name: str) -> str:
        """Return the inline message shown under a field ("" when none)."""
        field = self._fields[name]
        return field.error.text() if not field.error.isHidden() else ""

    def field_widget(self, name: str) -> QWidget:
        """Return the widget editing ``name``."""
        return self._fields[name].widget


def _clean_body(text: str) -> str:
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def draft_text(name: str, value: Any) -> str:
    """A field's form text from a draft or revision value (JSON form: lists, ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return (
            _TO_TEXT[name](tuple(str(v) for v in value))
            if name in _TO_TEXT
            else "\n".join(str(v) for v in value)
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _texts_of(record: ArticleRecord) -> dict[str, str]:
    texts = {}
    for name in EDITABLE_FIELDS:
        if name in _CHECKED_FIELDS:
            continue
        value = getattr(record, name)
        texts[name] = _TO_TEXT[name](value) if name in _TO_TEXT else str(value)
    return texts
