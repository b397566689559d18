"""One entry point for every export format (the CLI and the GUI's export task call it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from archive_app.core.records import ArticleRecord
from archive_app.export.common import CancelCheck, ExportError, ExportResult, ProgressCallback

if TYPE_CHECKING:
    from archive_app.core.library import Library

Format = Literal["html", "pdf", "txt", "bag"]
FORMATS: dict[str, str] = {
    "html": "HTML",
    "pdf": "PDF",
    "txt": "Plain text",
    "bag": "Archival package (BagIt)",
}
#: The file a single-file export writes (for a bag: a zip of the bag folder).
SUFFIXES: dict[str, str] = {"html": ".html", "pdf": ".pdf", "txt": ".txt", "bag": ".zip"}


def export_records(
    records: Sequence[ArticleRecord],
    out: Path,
    *,
    fmt: str,
    single_file: bool = False,
    force: bool = False,
    pdfa: bool = False,
    page_size: str = "A4",
    title: str = "Exported articles",
    library: Library | None = None,
    organization: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Export ``records`` in format ``fmt`` to ``out`` (a folder, or a file if ``single_file``).

    ``fmt="bag"`` writes one BagIt bag: ``out`` is its folder, or with ``single_file`` a zip
    of it. It reads the original files and revisions from ``library``, and writes
    ``organization`` as its ``Source-Organization``.

    Raises:
        ExportError: Unknown format, existing files without ``force``, or a write failed.
    """
    if not records:
        raise ExportError("nothing to export: no articles selected")
    try:
        if fmt == "html":
            from archive_app.export.html import export_html

            return export_html(
                records, out, single_file=single_file, force=force, title=title,
                progress=progress, cancel=cancel,
            )  # fmt: skip
        if fmt == "txt":
            from archive_app.export.txt import export_txt

            return export_txt(
                records, out, single_file=single_file, force=force,
                progress=progress, cancel=cancel,
            )  # fmt: skip
        if fmt == "pdf":
            from archive_app.export.pdf import export_pdf

            return export_pdf(
                records, out, single_file=single_file, force=force, pdfa=pdfa,
                page_size=page_size, title=title, progress=progress, cancel=cancel,
            )  # fmt: skip
        if fmt == "bag":
            if library is None:
                raise ExportError("a BagIt export reads the original files: give the library")
            from archive_app.export.bag import export_bag

            return export_bag(
                records, out, library=library, zip_bag=single_file, force=force,
                organization=organization, progress=progress, cancel=cancel,
            )  # fmt: skip
    except OSError as exc:
        raise ExportError(f"cannot write {exc.filename or out}: {exc.strerror}") from exc
    raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
