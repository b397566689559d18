"""Save PNGs of a legacy-encoded article's provenance and of the "Re-decode as…" dialog.

Run under Xvfb through ``scripts/screenshot.sh --redecode [OUT_DIR]``. Writes
``provenance.png`` (the main window, the form scrolled to its Provenance box),
``redecode.png`` (the dialog), ``redecode-unknown.png`` (the dialog explaining an unknown
codec name) and ``redecode-other.png`` (a typed codec's reading) into OUT_DIR (default:
``build/screenshots``, not committed).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshot import SAMPLES, settle, wait_until, widen_form

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "build" / "screenshots"

#: A short Mac Cyrillic article: the decoder reads it right but is unsure (cp1251 is close).
DOUBTFUL_TEXT = "Ёлка в Кремле\n\nЁлку зажгли вечером.\n\n© 2022 ТАСС\n"
DOUBTFUL_SIDECAR = {"title": "Ёлка в Кремле", "date": "2022-12-27", "section": "Новости"}
#: A longer KOI8-R article: read right, with full confidence (the dialog's other readings).
KOI8_TEXT = (
    "Президент встретился с министрами в Москве\n\n"
    "Президент России провёл совещание с членами правительства. Обсуждались вопросы "
    "экономики и бюджета на следующий год.\n\n"
    "Министры доложили о ходе работы и планах на осень.\n"
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--width", type=int, default=1500)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--timeout", type=float, default=30.0)
    return parser.parse_args(argv)


def write_articles(folder: Path) -> tuple[Path, Path]:
    """Write the two legacy-encoded articles (and the first one's sidecar) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    doubtful = folder / "yolka.txt"
    doubtful.write_bytes(DOUBTFUL_TEXT.encode("mac_cyrillic"))
    (folder / "yolka.json").write_text(json.dumps(DOUBTFUL_SIDECAR, ensure_ascii=False), "utf-8")
    koi8 = folder / "moscow.txt"
    koi8.write_bytes(KOI8_TEXT.encode("koi8_r"))
    return doubtful, koi8


def take_screenshots(out_dir: Path, size: tuple[int, int], timeout: float, work: Path) -> None:
    """Import the samples and the legacy articles, then grab the window and the dialog."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QScrollArea

    from archive_app.core.importer import import_paths
    from archive_app.core.library import Library
    from archive_app.gui.app import configure_application
    from archive_app.gui.dialogs.redecode import RedecodeDialog
    from archive_app.gui.windows.main_window import MainWindow

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
            QSettings.setPath(fmt, scope, str(work / "settings"))
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    configure_application(app)

    out_dir.mkdir(parents=True, exist_ok=True)
    doubtful, koi8 = write_articles(work / "legacy")
    library = Library(work / "library.sqlite3")
    try:
        report = import_paths(library, [SAMPLES, doubtful, koi8])
        if report.failed or len(report.imported) < 3:
            raise RuntimeError(f"the articles did not import: {report.summary()}")
        [target] = [
            a.id
            for a in (library.get_article(i) for i in report.imported)
            if a.source and a.source.file_name == doubtful.name
        ]
        record = library.get_article(target)
        print(
            f"{doubtful.name}: {record.source.encoding if record.source else '?'} "
            f"{record.source.encoding_confidence if record.source else 0:.2f}, "
            f"warnings {record.parse_warnings}",
            file=sys.stderr,
        )

        window = MainWindow(library)
        window.show_import_reports = False
        window.resize(*size)
        window.show()
        wait_until(lambda: window.windowHandle().isExposed(), timeout, "the window to show")
        settle(0.3)
        if not window.library_view.select_id(target):
            raise RuntimeError(f"article {target} is not listed")
        wait_until(
            lambda: window.form.record is not None and window.form.record.id == target,
            timeout,
            "the form to load the article",
        )
        settle(0.3)
        widen_form(window)
        scroll = window.form.findChild(QScrollArea)
        box = window.form.redecode_button.parentWidget()
        if scroll is not None and box is not None and box.parentWidget() is not None:
            settle(0.2)
            scroll.ensureWidgetVisible(box.parentWidget(), 0, 0)  # the Provenance box
        settle(0.5)
        save(window.grab(), out_dir / "provenance.png")

        dialog = RedecodeDialog(
            library.source_bytes(target),
            file_name=record.source.file_name if record.source else "",
            current=record.source.encoding if record.source else "",
            parent=window,
        )
        dialog.show()
        wait_until(lambda: dialog.windowHandle().isExposed(), timeout, "the dialog to show")
        settle(0.5)
        save(dialog.grab(), out_dir / "redecode.png")
        dialog.other_edit.setText("cp-1251x")
        settle(0.3)
        save(dialog.grab(), out_dir / "redecode-unknown.png")
        dialog.close()

        [moscow] = [
            a.id
            for a in (library.get_article(i) for i in report.imported)
            if a.source and a.source.file_name == koi8.name
        ]
        dialog = RedecodeDialog(
            library.source_bytes(moscow), file_name=koi8.name, current="koi8-r", parent=window
        )
        dialog.show()
        wait_until(lambda: dialog.windowHandle().isExposed(), timeout, "the dialog to show")
        dialog.other_edit.setText("iso8859-5")
        settle(0.5)
        save(dialog.grab(), out_dir / "redecode-other.png")
        dialog.close()
        window.close()
        settle(0.1)
    finally:
        library.close()


def save(pixmap: object, path: Path) -> None:
    """Write a grabbed pixmap as PNG and say where."""
    from PySide6.QtGui import QPixmap

    assert isinstance(pixmap, QPixmap)
    if not pixmap.save(str(path), "PNG"):
        raise RuntimeError(f"could not write {path}")
    print(f"{path}: {pixmap.width()}x{pixmap.height()}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script; return the exit code."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="archive-screenshot-") as tmp:
        try:
            take_screenshots(
                args.out_dir.resolve(), (args.width, args.height), args.timeout, Path(tmp)
            )
        except (RuntimeError, TimeoutError, ValueError) as exc:
            sys.stderr.write(f"screenshot: error: {exc}\n")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
