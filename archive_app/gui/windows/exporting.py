"""Exporting: the export dialog, overwrite questions, the background export."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
)

from archive_app.export.common import ExportExistsError, ExportResult
from archive_app.gui.dialogs.export_dialog import ExportDialog, ExportOptions
from archive_app.gui.tasks import Task
from archive_app.gui.windows.base import WindowBase

log = logging.getLogger(__name__)

Choice = QMessageBox.StandardButton


class ExportingMixin(WindowBase):
    """Export Selected: the window's part."""

    def ask_export_options(self, count: int) -> ExportOptions | None:
        """Show the export dialog; return the choices, or ``None`` if cancelled."""
        dialog = ExportDialog(count, self)
        return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_overwrite(self, error: ExportExistsError) -> bool:
        """Ask whether to overwrite the files an export would replace."""
        names = "\n".join(p.name for p in error.paths[:8])
        more = f"\n… and {len(error.paths) - 8} more" if len(error.paths) > 8 else ""
        answer = QMessageBox.warning(
            self,
            "Replace existing files?",
            f"These files already exist:\n{names}{more}\n\nReplace them?",
            Choice.Yes | Choice.Cancel,
            Choice.Cancel,
        )
        return answer == Choice.Yes

    def ask_open_result(self, result: ExportResult) -> bool:
        """Offer to open what an export wrote."""
        count = len(result.files)
        answer = QMessageBox.question(
            self,
            "Export finished",
            f"Exported {count} file{'s' if count != 1 else ''}. Open the result now?",
            Choice.Open | Choice.Close,
            Choice.Open,
        )
        return answer == Choice.Open

    def export_selected(self) -> Task | None:
        """Export the selected articles (or the one in the form) as the dialog says."""
        ids = self.library_view.selected_ids()
        if not ids and self.form.record is not None:
            ids = [self.form.record.id]
        if not ids:
            self.statusBar().showMessage("Select the articles to export first.", 5000)
            return None
        if not self.resolve_unsaved():
            return None
        options = self.ask_export_options(len(ids))
        if options is None:
            return None
        return self.start_export(ids, options)

    def start_export(
        self, ids: Sequence[int], options: ExportOptions, *, force: bool = False
    ) -> Task:
        """Export articles in the background; ask before replacing files."""
        library = self.library
        id_list = list(ids)

        from archive_app.export.run import export_records  # Jinja2 and the writers: when used

        def work(progress: Any, cancelled: Any) -> ExportResult | ExportExistsError:
            records = [library.get_article(i) for i in id_list]
            try:
                return export_records(
                    records,
                    options.out,
                    fmt=options.fmt,
                    single_file=options.single_file,
                    force=force,
                    pdfa=options.pdfa,
                    page_size=options.page_size,
                    title=options.out.stem if options.single_file else "Exported articles",
                    library=library,  # a bag reads the originals and revisions from it
                    progress=progress,
                    cancel=cancelled,
                )
            except ExportExistsError as exc:
                return exc

        def on_success(result: ExportResult | ExportExistsError) -> None:
            if isinstance(result, ExportExistsError):
                if self.ask_overwrite(result):
                    self.start_export(id_list, options, force=True)
                else:
                    self.statusBar().showMessage("Export cancelled: nothing was replaced.", 5000)
                return
            what = "cancelled" if result.cancelled else "finished"
            self.statusBar().showMessage(
                f"Export {what}: {len(result.files)} file(s) in {options.out}", 8000
            )
            self.export_finished.emit(result)
            if not result.cancelled and result.files and self.ask_open_result(result):
                target = result.main_file or (options.out if options.out.is_dir() else None)
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(target or result.files[0])))

        self.statusBar().showMessage("Exporting…")
        return self._run_with_progress(work, "Export", "Exporting", on_success)
