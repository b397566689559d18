"""The import report: what was imported, what was a duplicate, what failed and why."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from archive_app.core.importer import ImportReport


def summary_line(report: ImportReport) -> str:
    """One line: the problems to look at first, then what went in."""
    problems = [
        f"{count} {what}"
        for count, what in (
            (len(report.failed), "failed"),
            (len(report.skipped), "skipped"),
            (len(report.warnings), "to review"),
        )
        if count
    ]
    stored = len(report.imported)
    done = f"{stored} article{'' if stored == 1 else 's'} imported"
    if report.duplicates:
        done += f", {len(report.duplicates)} already in the library"
    if report.error:
        done += f"; stopped: {report.error}"
    elif report.cancelled:
        done += " (cancelled)"
    if problems:
        return f"Look at these first: {', '.join(problems)}. {done}."
    return f"All went in: {done}."


class ImportReportDialog(QDialog):
    """Lists an import's outcome by kind, each file with its reason.

    Args:
        report: The finished import's report.
    """

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import report")
        self.resize(720, 420)
        self.report = report
        self.summary = QLabel(summary_line(report))
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["File", "Details"])
        self.tree.setRootIsDecorated(True)
        # Problems first, open; what went well after, folded.
        self._group(f"Failed ({len(report.failed)})", [(p.path, p.reason) for p in report.failed])
        self._group(
            f"Skipped ({len(report.skipped)})", [(p.path, p.reason) for p in report.skipped]
        )
        self._group(
            f"To review ({len(report.warnings)})",
            [(w.path, f"article {w.article_id}: {w.message}") for w in report.warnings],
            note="imported, with warnings",
        )
        self._group(
            f"Duplicates ({len(report.duplicates)})",
            [
                (d.path, f"already in the library as article {d.existing_id}")
                for d in report.duplicates
            ],
            expanded=False,
        )
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setFocus()  # Enter closes it; the list is a Tab away

    def _group(
        self, title: str, rows: list[tuple[str, str]], note: str = "", *, expanded: bool = True
    ) -> None:
        if not rows:
            return
        group = QTreeWidgetItem([title, note])
        self.tree.addTopLevelItem(group)
        for path, details in rows:
            item = QTreeWidgetItem([Path(path).name, details])
            item.setToolTip(0, path)
            group.addChild(item)
        group.setExpanded(expanded)

    def groups(self) -> list[tuple[str, bool]]:
        """Return (title, expanded) of each group, top to bottom."""
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        return [(item.text(0), item.isExpanded()) for item in items if item is not None]

    def rows(self) -> list[tuple[str, str, str]]:
        """Return (group, file, details) for every listed file (for tests and copying)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            assert group is not None
            for j in range(group.childCount()):
                child = group.child(j)
                assert child is not None
                out.append((group.text(0), child.text(0), child.text(1)))
        return out
