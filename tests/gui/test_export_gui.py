"""Export Selected from the window: the dialog, the background task, overwrite and open."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from archive_app.export.common import ExportExistsError, ExportResult
from archive_app.gui.dialogs.export_dialog import ExportDialog, ExportOptions, default_folder
from archive_app.gui.windows.main_window import MainWindow
from tests.conftest import SEED_FILE
from tests.gui.helpers import import_and_wait, write_article


def _options(folder: Path, fmt: str = "html", single: bool = False) -> ExportOptions:
    return ExportOptions(
        fmt=fmt, single_file=single, folder=folder, file_name="bundle", page_size="A4", pdfa=False
    )


def test_export_selected_writes_files_in_the_background_and_offers_to_open(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(
        qtbot,
        window,
        [SEED_FILE, write_article(tmp_path / "in", "b.txt", "Second story for export")],
    )
    window.library_view.table.selectAll()
    out = tmp_path / "out"
    asked: list[int] = []
    offered: list[ExportResult] = []
    window.ask_export_options = lambda count: asked.append(count) or _options(out)  # type: ignore[method-assign,func-returns-value]
    window.ask_open_result = lambda result: offered.append(result) or False  # type: ignore[method-assign,func-returns-value]
    with qtbot.waitSignal(window.export_finished, timeout=30_000) as blocker:
        window.export_action.trigger()
    result = blocker.args[0]
    assert asked == [2]
    assert offered == [result]
    names = sorted(p.name for p in out.iterdir())
    assert "index.html" in names
    assert len([n for n in names if n.endswith(".html")]) == 3
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Putin tells Macron" in index
    assert "Second story for export" in index


def test_existing_files_are_replaced_only_when_the_archivist_agrees(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import_and_wait(qtbot, window, [SEED_FILE])
    out = tmp_path / "out"
    window.ask_open_result = lambda result: False  # type: ignore[method-assign]
    with qtbot.waitSignal(window.export_finished, timeout=30_000):
        window.start_export(window.model.ids(), _options(out, "txt", single=True))
    target = out / "bundle.txt"
    target.write_text("the archivist's own notes", encoding="utf-8")

    questions: list[ExportExistsError] = []

    def refuse(error: ExportExistsError) -> bool:
        questions.append(error)
        return False

    window.ask_overwrite = refuse  # type: ignore[method-assign]
    window.start_export(window.model.ids(), _options(out, "txt", single=True))
    qtbot.waitUntil(lambda: bool(questions), timeout=30_000)
    assert [p.name for p in questions[0].paths] == ["bundle.txt"]
    assert target.read_text(encoding="utf-8") == "the archivist's own notes"

    window.ask_overwrite = lambda error: True  # type: ignore[method-assign]
    with qtbot.waitSignal(window.export_finished, timeout=30_000):
        window.start_export(window.model.ids(), _options(out, "txt", single=True))
    assert "Putin tells Macron" in target.read_text(encoding="utf-8")


def test_export_with_nothing_selected_says_so(window: MainWindow) -> None:
    called: list[int] = []
    window.ask_export_options = lambda count: called.append(count)  # type: ignore[method-assign,func-returns-value]
    assert window.export_selected() is None
    assert called == []
    assert "Select the articles to export" in window.statusBar().currentMessage()


def test_the_dialog_remembers_choices_and_enables_pdf_options(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ExportDialog(3)
    qtbot.addWidget(dialog)
    assert dialog.folder_edit.text() == str(default_folder())
    assert not dialog.page_combo.isEnabled()
    assert not dialog.pdfa_check.isEnabled()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("pdf"))
    assert dialog.page_combo.isEnabled()
    assert dialog.pdfa_check.isEnabled()
    dialog.combined.setChecked(True)
    dialog.page_combo.setCurrentText("Letter")
    dialog.pdfa_check.setChecked(True)
    dialog.folder_edit.setText(str(tmp_path / "exports"))
    dialog.name_edit.setText("court/bundle")
    dialog.accept()
    opts = dialog.options()
    assert opts.out == tmp_path / "exports" / "court-bundle.pdf"
    assert opts.pdfa
    again = ExportDialog(1)
    qtbot.addWidget(again)
    assert again.format_combo.currentData() == "pdf"
    assert again.combined.isChecked()
    assert again.page_combo.currentText() == "Letter"
    assert again.pdfa_check.isChecked()
    assert again.folder_edit.text() == str(tmp_path / "exports")


def test_the_dialog_refuses_a_file_as_destination(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ExportDialog(1)
    qtbot.addWidget(dialog)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    dialog.folder_edit.setText(str(a_file))
    dialog.accept()
    assert dialog.result() != ExportDialog.DialogCode.Accepted
    assert "choose a folder" in dialog.error_label.text()


def test_the_dialog_offers_a_bagit_package(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ExportDialog(2)
    qtbot.addWidget(dialog)
    index = dialog.format_combo.findData("bag")
    assert dialog.format_combo.itemText(index) == "Archival package (BagIt)"
    dialog.format_combo.setCurrentIndex(index)
    dialog.per_article.setChecked(True)
    assert dialog.name_edit.isEnabled()  # the bag's folder name
    dialog.folder_edit.setText(str(tmp_path))
    dialog.name_edit.setText("package")
    assert dialog.options().out == tmp_path / "package"
    dialog.combined.setChecked(True)
    assert dialog.options().out == tmp_path / "package.zip"


def test_export_selected_as_a_bagit_package_from_the_window(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import bagit

    import_and_wait(qtbot, window, [SEED_FILE])
    window.library_view.table.selectAll()
    window.ask_export_options = lambda count: _options(tmp_path, fmt="bag")  # type: ignore[method-assign]
    window.ask_open_result = lambda result: False  # type: ignore[method-assign]
    with qtbot.waitSignal(window.export_finished, timeout=30_000) as blocker:
        window.export_action.trigger()
    result = blocker.args[0]
    assert isinstance(result, ExportResult), result
    bag_dir = next(p for p in result.files if (p / "bagit.txt").exists())
    bag = bagit.Bag(str(bag_dir))
    bag.validate(processes=1)
    originals = [p for p in bag_dir.rglob("original/*") if p.is_file()]
    assert [p.read_bytes() for p in originals] == [SEED_FILE.read_bytes()]
