"""Export articles to self-contained HTML: one page per article plus an index, or one file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from archive_app.core.records import ArticleRecord
from archive_app.export.common import (
    CancelCheck,
    ExportError,
    ExportResult,
    ProgressCallback,
    article_file_name,
    atomic_write_text,
    check_targets,
    prepare_folder,
    unique_names,
)
from archive_app.render.pages import (
    CombinedDocument,
    file_href,
    render_article_page,
    render_index_page,
    toc_entry,
)

INDEX_NAME = "index.html"


def export_html(
    records: Sequence[ArticleRecord],
    out: Path,
    *,
    single_file: bool = False,
    force: bool = False,
    title: str = "Exported articles",
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Export articles as self-contained HTML5 documents.

    Every document inlines its stylesheet, loads nothing from elsewhere and runs no script;
    each article carries Dublin Core ``<meta>`` tags and a schema.org ``NewsArticle`` JSON-LD
    block. Nothing is written when a target exists and ``force`` is not set.

    Args:
        records: The articles, in the order they are listed.
        out: A folder (created if needed) that gets ``<id>-<slug>.html`` per article and an
            ``index.html`` table of contents, or with ``single_file`` the one file to write.
        single_file: Write every article into ``out`` after a linked table of contents.
        force: Overwrite existing files.
        title: The title of the index or combined document.
        progress: Called after each article with (done, total, title).
        cancel: Polled between articles; when it returns true the export stops, keeping only
            files written whole (a combined file is then not written at all), and
            ``result.cancelled`` is set. The index is written last, so a cancelled folder
            export has no index.

    Returns:
        What was written.

    Raises:
        ExportExistsError: A target exists and ``force`` is not set.
        ExportError: ``out`` cannot be used (a file where a folder is needed, or the reverse).
        OSError: Writing failed.
    """
    if single_file:
        return _export_combined(records, out, force, title, progress, cancel)
    return _export_folder(records, out, force, title, progress, cancel)


def _export_folder(
    records: Sequence[ArticleRecord],
    out: Path,
    force: bool,
    title: str,
    progress: ProgressCallback | None,
    cancel: CancelCheck | None,
) -> ExportResult:
    prepare_folder(out)
    # The index name goes first so that no article file can take it.
    names = unique_names([INDEX_NAME, *(article_file_name(r, ".html") for r in records)])[1:]
    index_path = out / INDEX_NAME
    check_targets([*(out / name for name in names), index_path], force=force)

    result = ExportResult()
    total = len(records)
    for done, (record, name) in enumerate(zip(records, names, strict=True), start=1):
        if cancel is not None and cancel():
            result.cancelled = True
            return result
        path = out / name
        atomic_write_text(path, render_article_page(record, index_href=file_href(INDEX_NAME)))
        result.files.append(path)
        if progress is not None:
            progress(done, total, record.title)

    entries = [toc_entry(r, file_href(n)) for r, n in zip(records, names, strict=True)]
    atomic_write_text(index_path, render_index_page(title, entries))
    result.files.append(index_path)
    return result


def _export_combined(
    records: Sequence[ArticleRecord],
    out: Path,
    force: bool,
    title: str,
    progress: ProgressCallback | None,
    cancel: CancelCheck | None,
) -> ExportResult:
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name for a single-file export")
    check_targets([out], force=force)
    result = ExportResult()
    total = len(records)
    document = CombinedDocument(title)
    for done, record in enumerate(records, start=1):
        if cancel is not None and cancel():
            result.cancelled = True
            return result
        document.add(record)
        if progress is not None:
            progress(done, total, record.title)
    atomic_write_text(out, document.render())
    result.files.append(out)
    return result
