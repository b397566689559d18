"""Export articles to plain UTF-8 text in the layout the importer reads back."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from archive_app.core.records import ArticleFields, ArticleRecord
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

#: The line between two articles of a single-file export (with a blank line either side).
SEPARATOR = "=" * 72

_SURROGATES = re.compile("[\ud800-\udfff]")
_ALTERNATE_NOTE = re.compile(r"alternat", re.IGNORECASE)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _footer_notes(fields: ArticleFields) -> list[str]:
    """Return the publisher-note blocks, the alternate addresses under the note that names them."""
    notes = _lines(fields.publisher_note)
    addresses = [url.strip() for url in fields.alternate_urls if url.strip()]
    if not addresses:
        return notes
    # The addresses belong under the "... alternate addresses:" note; else under the last one.
    at = next(
        (i for i in reversed(range(len(notes))) if _ALTERNATE_NOTE.search(notes[i])),
        len(notes) - 1,
    )
    if at < 0:
        return ["\n".join(addresses)]
    blocks = list(notes)
    blocks[at] = "\n".join([notes[at], *addresses])
    return blocks


def article_to_text(fields: ArticleFields) -> str:
    """Return an article as plain text in the layout the importer parses back.

    Blocks are separated by one blank line, in this order (each only when set): the breadcrumb
    (``News / Russia``), the headline, the byline (``By ...``) with the date
    (``Published: 2022-05-03``), the photo caption with its credit (``caption (Photo:
    AFP)``), the body paragraphs, each publisher note (the alternate addresses one per line
    under the note that announces them), each rights notice, the ``Source: <url>`` line and the
    share section.
    The text ends with one newline and uses ``\\n`` newlines.

    Args:
        fields: The article (an ``ArticleRecord`` works too).

    Returns:
        The text.
    """
    blocks: list[str] = []
    if fields.section_path:
        blocks.append(" / ".join(part.strip() for part in fields.section_path))
    if fields.title.strip():
        blocks.append(" ".join(fields.title.split()))
    header = []
    if fields.byline.strip():
        byline = fields.byline.strip()
        header.append(byline if byline.lower().startswith("by ") else f"By {byline}")
    if fields.published_on is not None:
        header.append(f"Published: {fields.published_on.isoformat()}")
    if header:
        blocks.append("\n".join(header))
    caption = " ".join(fields.photo_caption.split())
    credit = " ".join(fields.photo_credit.split())
    if credit:
        blocks.append(f"{caption} (Photo: {credit})".strip())
    elif caption:
        blocks.append(caption)
    blocks.extend(fields.paragraphs)
    blocks.extend(_footer_notes(fields))
    blocks.extend(_lines(fields.rights))
    if fields.source_url.strip():
        blocks.append(f"Source: {fields.source_url.strip()}")
    share = _lines(fields.share_section)
    if share:
        blocks.append("\n".join(share))
    text = "\n\n".join(blocks) + "\n"
    return _SURROGATES.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def export_txt(
    records: Sequence[ArticleRecord],
    out: Path,
    *,
    single_file: bool = False,
    force: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Export articles as UTF-8 plain text (see ``article_to_text`` for the layout).

    A single-file export holds the articles in order, each followed by a blank line, a line of
    72 ``=`` characters (``SEPARATOR``) and a blank line, except the last. Nothing is written
    when a target exists and ``force`` is not set.

    Args:
        records: The articles, in order.
        out: A folder (created if needed) that gets ``<id>-<slug>.txt`` per article, or with
            ``single_file`` the one file to write.
        single_file: Write every article into the one file ``out``.
        force: Overwrite existing files.
        progress: Called after each article with (done, total, title).
        cancel: Polled between articles; when it returns true the export stops, keeping only
            files written whole (a single file is then not written at all), and
            ``result.cancelled`` is set.

    Returns:
        What was written.

    Raises:
        ExportExistsError: A target exists and ``force`` is not set.
        ExportError: ``out`` cannot be used (a file where a folder is needed, or the reverse).
        OSError: Writing failed.
    """
    result = ExportResult()
    total = len(records)
    if single_file:
        if out.is_dir():
            raise ExportError(f"{out} is a folder; give a file name for a single-file export")
        check_targets([out], force=force)
        texts: list[str] = []
        for done, record in enumerate(records, start=1):
            if cancel is not None and cancel():
                result.cancelled = True
                return result
            texts.append(article_to_text(record))
            if progress is not None:
                progress(done, total, record.title)
        atomic_write_text(out, f"\n{SEPARATOR}\n\n".join(texts))
        result.files.append(out)
        return result

    prepare_folder(out)
    names = unique_names(article_file_name(r, ".txt") for r in records)
    check_targets([out / name for name in names], force=force)
    for done, (record, name) in enumerate(zip(records, names, strict=True), start=1):
        if cancel is not None and cancel():
            result.cancelled = True
            return result
        path = out / name
        atomic_write_text(path, article_to_text(record))
        result.files.append(path)
        if progress is not None:
            progress(done, total, record.title)
    return result
