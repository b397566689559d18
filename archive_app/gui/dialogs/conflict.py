"""A save that met someone else's newer version: both versions, field by field, and a choice."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from archive_app.core.history import jsonable
from archive_app.core.records import EDITABLE_FIELDS, ArticleFields
from archive_app.gui import theme
from archive_app.gui.views.history_panel import LONG_FIELDS, field_label, value_text

Side = Literal["theirs", "mine"]
#: What the person chose: keep their version, keep mine, or merge field by field.
Decision = Literal["theirs", "mine", "merge"]
_SIDES: tuple[tuple[int, Side], ...] = ((1, "theirs"), (2, "mine"))


@dataclass(frozen=True)
class FieldConflict:
    """One field that differs between the stored version (theirs) and the edits (mine).

    The values are in JSON form (lists, ISO dates); ``base`` is what the editor loaded.
    """

    name: str
    base: Any
    theirs: Any
    mine: Any

    @property
    def changed_by_them(self) -> bool:
        """Whether the other save changed this field."""
        return bool(self.theirs != self.base)

    @property
    def changed_by_me(self) -> bool:
        """Whether my edits changed this field."""
        return bool(self.mine != self.base)

    @property
    def default(self) -> Side:
        """The side a merge takes unless told otherwise: the one that changed it (mine when
        both did: the person is saving)."""
        return "theirs" if self.changed_by_them and not self.changed_by_me else "mine"


def field_conflicts(
    base: ArticleFields, theirs: ArticleFields, mine: ArticleFields
) -> list[FieldConflict]:
    """The fields whose stored value and edited value differ, in form order."""
    out = []
    for name in EDITABLE_FIELDS:
        values = [jsonable(name, getattr(fields, name)) for fields in (base, theirs, mine)]
        if values[1] != values[2]:
            out.append(FieldConflict(name, *values))
    return out


def merged_fields(
    theirs: ArticleFields, mine: ArticleFields, choices: Mapping[str, Side]
) -> ArticleFields:
    """Their version with the fields chosen as ``"mine"`` taken from my edits."""
    values = {name: getattr(theirs, name) for name in EDITABLE_FIELDS}
    for name, side in choices.items():
        if side == "mine":
            values[name] = getattr(mine, name)
    return ArticleFields(**values)


class ConflictDialog(QDialog):
    """Shows both versions of an article that changed while it was edited, field by field.

    Keep Theirs drops my edits for the stored version; Keep Mine saves my edits over it (the
    stored version stays in the history); Save Merge takes, per field, the side chosen
    (preset to whoever changed it). Cancel saves nothing and keeps the edits (and their draft).

    Args:
        base: The article as the editor loaded it.
        theirs: The article as stored now.
        mine: The edits that were to be saved.
        their_version: The stored version's number.
    """

    def __init__(
        self,
        base: ArticleFields,
        theirs: ArticleFields,
        mine: ArticleFields,
        *,
        their_version: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Changed by someone else")
        self.setObjectName("conflictDialog")
        self._theirs, self._mine = theirs.editable(), mine.editable()
        self.conflicts = field_conflicts(base, theirs, mine)
        self.decision: Decision | None = None
        self._groups: dict[str, QButtonGroup] = {}
        self._radios: dict[tuple[str, Side], QRadioButton] = {}
        colors = theme.colors()

        title = html.escape(theirs.title or mine.title or "(untitled)")
        intro = QLabel(
            f"<p><b>“{title}” was saved by someone else</b> (version {their_version}) while you "
            "edited it. Nothing is lost: your edits are still in the form, and whatever you keep "
            "here, the other version stays in the article's history.</p>"
            "<p>Choose a side for each field below and save the merge, or keep one version.</p>"
        )
        intro.setWordWrap(True)
        self.intro_label = intro

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        for column, text in enumerate(("Field", "Their version (stored)", "Your edits")):
            header = QLabel(f"<b>{text}</b>")
            grid.addWidget(header, 0, column)
        for row, conflict in enumerate(self.conflicts, start=1):
            who = (
                "both changed it"
                if conflict.changed_by_them and conflict.changed_by_me
                else "they changed it"
                if conflict.changed_by_them
                else "you changed it"
            )
            label = QLabel(
                f"{html.escape(field_label(conflict.name))}<br>"
                f"<span style='color:{colors.muted};'>{who}</span>"
            )
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(label, row, 0)
            group = QButtonGroup(self)
            self._groups[conflict.name] = group
            for column, side in _SIDES:
                value = conflict.theirs if side == "theirs" else conflict.mine
                cell = QWidget()
                box = QVBoxLayout(cell)
                box.setContentsMargins(0, 0, 0, 0)
                radio = QRadioButton("Use theirs" if side == "theirs" else "Use mine")
                radio.setObjectName(f"{conflict.name}_{side}")
                group.addButton(radio)
                self._radios[(conflict.name, side)] = radio
                box.addWidget(radio)
                box.addWidget(self._value_widget(conflict.name, value))
                grid.addWidget(cell, row, column)
            self._radios[(conflict.name, conflict.default)].setChecked(True)
        body = QWidget()
        body.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        buttons = QDialogButtonBox()
        self.keep_theirs_button = QPushButton("Keep &Theirs")
        self.keep_theirs_button.setToolTip("Drop your edits; the form shows the stored version")
        self.keep_mine_button = QPushButton("Keep &Mine")
        self.keep_mine_button.setToolTip("Save your edits over the stored version")
        self.merge_button = QPushButton("&Save Merge")
        self.merge_button.setToolTip("Save each field from the side chosen above")
        self.merge_button.setDefault(True)
        buttons.addButton(self.keep_theirs_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_mine_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.keep_theirs_button.clicked.connect(lambda: self._decide("theirs"))
        self.keep_mine_button.clicked.connect(lambda: self._decide("mine"))
        self.merge_button.clicked.connect(lambda: self._decide("merge"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(900, 560)

    @staticmethod
    def _value_widget(name: str, value: Any) -> QWidget:
        text = value_text(name, value)
        if name in LONG_FIELDS or "\n" in text or len(text) > 80:
            edit = QPlainTextEdit(text)
            edit.setReadOnly(True)
            edit.setMaximumHeight(160)
            return edit
        label = QLabel(html.escape(text) if text else "<i>(empty)</i>")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def choose(self, name: str, side: Side) -> None:
        """Take ``name`` from ``side`` in the merge."""
        self._radios[(name, side)].setChecked(True)

    def choices(self) -> dict[str, Side]:
        """The side chosen for each differing field."""
        return {
            name: "mine" if self._radios[(name, "mine")].isChecked() else "theirs"
            for name in self._groups
        }

    def result_fields(self) -> ArticleFields:
        """What the decision saves (or, for Keep Theirs, shows): the fields to keep."""
        if self.decision == "theirs":
            return self._theirs
        if self.decision == "mine":
            return self._mine
        return merged_fields(self._theirs, self._mine, self.choices())

    def _decide(self, decision: Decision) -> None:
        self.decision = decision
        self.accept()
