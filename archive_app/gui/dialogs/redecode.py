"""Re-decode as…: pick the encoding an article's original bytes are read in, seeing each reading."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive_app.core.errors import LibraryError
from archive_app.gui import theme

if TYPE_CHECKING:
    from archive_app.core.decoding import Decoding

# The decoders and the parser are imported where used (the window imports this module at its
# start, and they cost about 0.3 s of it).

#: How many lines, and characters in all, of each reading the dialog shows.
SAMPLE_LINES = 4
SAMPLE_CHARS = 300
#: Bytes decoded to show a typed codec's first lines (enough for any first lines).
SAMPLE_BYTES = 64 * 1024

#: The re-parsed fields in plain words, for the confirmation (others read as their names).
FIELD_WORDS = {
    "section_path": "section",
    "published_on": "date",
    "source_url": "source address",
    "alternate_urls": "alternate addresses",
    "photo_caption": "photo caption",
    "photo_credit": "photo credit",
    "share_section": "share section",
    "publisher_note": "publisher note",
    "needs_review": "the needs-review mark",
}


def first_lines(text: str, lines: int = SAMPLE_LINES, chars: int = SAMPLE_CHARS) -> str:
    """Return the first non-blank ``lines`` of ``text``, at most ``chars`` characters in all."""
    kept: list[str] = []
    used = 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if len(kept) == lines or used >= chars:
            break
        room = chars - used
        if len(line) > room:
            line = line[: max(room - 1, 0)].rstrip() + "…"
        kept.append(line)
        used += len(line)
    return "\n".join(kept)


def reparsed_fields_text() -> str:
    """Return ``REPARSED_FIELDS`` in plain words: ``title, section, … and boilerplate``."""
    from archive_app.core.reparse import REPARSED_FIELDS

    words = [FIELD_WORDS.get(name, name.replace("_", " ")) for name in REPARSED_FIELDS]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _percent(confidence: float) -> str:
    if confidence >= 1.0:
        return "100%"
    return f"{min(99, max(0, round(confidence * 100)))}%"


class RedecodeDialog(QDialog):
    """Lists plausible readings of an article's original bytes, plus any codec typed in.

    The dialog only chooses; the window confirms, saves or discards edits, and re-parses.

    Args:
        data: The original file's exact bytes.
        file_name: The original file's name (for the explanation).
        current: The encoding the article is read in now.
    """

    def __init__(
        self,
        data: bytes,
        *,
        file_name: str = "",
        current: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Re-decode As")
        self.setObjectName("redecodeDialog")
        self.resize(760, 520)
        self._data = data
        self._current = _canonical(current)
        self._other_encoding: str | None = None
        from archive_app.core.decoding import plausible_decodings

        self.decodings: list[Decoding] = plausible_decodings(data)

        name = f"“{file_name}”" if file_name else "The original file"
        size = f"{len(data):,} byte{'' if len(data) == 1 else 's'}"
        read_as = f" is read as {current}" if current else ""
        intro = QLabel(
            f"{name} ({size}){read_as}. If the text looks garbled, choose how its original "
            "bytes should be read; the article is then parsed again from them."
        )
        intro.setWordWrap(True)

        self.tree = QTreeWidget()
        self.tree.setObjectName("encodings")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Encoding", "Confidence", "Reads as"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._items: list[QTreeWidgetItem] = []
        for decoding in self.decodings:
            label = decoding.encoding
            if decoding.encoding == self._current:
                label += " (now)"
            sample = first_lines(decoding.text)
            item = QTreeWidgetItem([label, _percent(decoding.confidence), sample])
            item.setData(0, Qt.ItemDataRole.UserRole, decoding.encoding)
            # Every cell starts on the first line, as the reading does.
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            item.setToolTip(2, sample)
            self.tree.addTopLevelItem(item)
            self._items.append(item)
        self.tree.itemSelectionChanged.connect(self._on_tree_item_selection_changed)
        self.tree.itemDoubleClicked.connect(self._on_tree_item_double_clicked)
        self.empty_label = QLabel(
            "No text encoding reads these bytes plausibly; type a codec name below."
        )
        self.empty_label.setVisible(not self.decodings)

        self.other_edit = QLineEdit()
        self.other_edit.setObjectName("otherEncoding")
        self.other_edit.setPlaceholderText("any codec Python knows: iso8859-7, cp1255, gb18030…")
        self.other_edit.setClearButtonEnabled(True)
        self.other_edit.textChanged.connect(self._on_other_edit_text_changed)
        self.other_label = QLabel()
        self.other_label.setObjectName("otherResult")
        self.other_label.setWordWrap(True)
        self.other_label.setTextFormat(Qt.TextFormat.PlainText)
        self.other_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.other_label.hide()
        other_label = QLabel("&Other encoding:")
        other_label.setBuddy(self.other_edit)
        other = QGridLayout()
        other.setVerticalSpacing(4)
        other.addWidget(other_label, 0, 0)
        other.addWidget(self.other_edit, 0, 1)
        other.addWidget(self.other_label, 1, 1)
        other.setColumnStretch(1, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert self.ok_button is not None
        self.ok_button.setText("&Re-decode…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(other)
        layout.addWidget(self.buttons)

        # Start on the first reading that is not the current one: the likeliest fix.
        for item in self._items:
            if item.data(0, Qt.ItemDataRole.UserRole) != self._current:
                self.tree.setCurrentItem(item)
                break
        self._update_ok()

    # -- choosing -------------------------------------------------------------------------

    def chosen_encoding(self) -> str | None:
        """Return the chosen codec (typed, else selected in the list), or ``None``."""
        if self.other_edit.text().strip():
            return self._other_encoding
        items = self.tree.selectedItems()
        return str(items[0].data(0, Qt.ItemDataRole.UserRole)) if items else None

    def listed_encodings(self) -> list[str]:
        """Return the codec names the list offers, best first."""
        return [d.encoding for d in self.decodings]

    def select_encoding(self, name: str) -> bool:
        """Select ``name`` in the list (else type it as the other encoding); return if valid."""
        wanted = _canonical(name)
        for item in self._items:
            if item.data(0, Qt.ItemDataRole.UserRole) == wanted:
                self.other_edit.clear()
                self.tree.setCurrentItem(item)
                return True
        self.other_edit.setText(name)
        return self._other_encoding is not None

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.chosen_encoding() is not None)

    # -- reacting -------------------------------------------------------------------------

    def _on_tree_item_selection_changed(self) -> None:
        if self.tree.selectedItems() and self.other_edit.text():
            self.other_edit.clear()  # picking from the list replaces a typed name
        self._update_ok()

    def _on_tree_item_double_clicked(self, _item: QTreeWidgetItem, _column: int) -> None:
        if self.chosen_encoding() is not None:
            self.accept()

    def _on_other_edit_text_changed(self, text: str) -> None:
        from archive_app.core.decoding import decode_as
        from archive_app.core.reparse import check_encoding

        name = text.strip()
        self._other_encoding = None
        if not name:
            self.other_label.hide()
            self._update_ok()
            return
        if self.tree.selectedItems():
            self.tree.blockSignals(True)
            self.tree.clearSelection()
            self.tree.blockSignals(False)
        try:
            codec = check_encoding(name)
        except LibraryError as exc:
            theme.set_style(self.other_label, "color: {error};")
            self.other_label.setText(str(exc))
        else:
            self._other_encoding = codec
            sample = first_lines(decode_as(self._data[:SAMPLE_BYTES], codec).text)
            theme.set_style(self.other_label, "")
            self.other_label.setText(f"{codec} reads as:\n{sample or '(no text)'}")
        self.other_label.show()
        self._update_ok()


def _canonical(name: str) -> str:
    if not name:
        return ""
    try:
        from archive_app.core.reparse import check_encoding

        return check_encoding(name)
    except LibraryError:
        return name
