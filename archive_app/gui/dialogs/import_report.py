"""The import report: what was imported, what was a duplicate, what failed and why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive_app.core.importer import ImportReport


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
        summary = QLabel(report.summary().capitalize() + ".")
        summary.setObjectName("summary")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["File", "Details"])
        self.tree.setRootIsDecorated(True)
        self._group(
            f"Imported ({len(report.imported)})",
            [(w.path, f"article {w.article_id}: {w.message}") for w in report.warnings],
            note="with warnings to review",
        )
        self._group(
            f"Duplicates ({len(report.duplicates)})",
            [
                (d.path, f"already in the library as article {d.existing_id}")
                for d in report.duplicates
            ],
        )
        self._group(f"Failed ({len(report.failed)})", [(p.path, p.reason) for p in report.failed])
        self._group(
            f"Skipped ({len(report.skipped)})", [(p.path, p.reason) for p in report.skipped]
        )
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def _group(self, title: str, rows: list[tuple[str, str]], note: str = "") -> None:
        if not rows and not title.startswith("Imported"):
            return
        group = QTreeWidgetItem([title, note if rows else ""])
        self.tree.addTopLevelItem(group)
        for path, details in rows:
            item = QTreeWidgetItem([Path(path).name, details])
            item.setToolTip(0, path)
            group.addChild(item)

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
