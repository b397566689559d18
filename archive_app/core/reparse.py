"""Re-parse stored articles from their original bytes (optionally in another encoding)."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive_app.core.decoding import NotTextError, decode_as, decode_bytes
from archive_app.core.errors import ArticleNotFoundError, LibraryError
from archive_app.core.formats.html import read_page
from archive_app.core.formats.pages import PAGE_SUFFIXES
from archive_app.core.learning import CollectionLearner, source_group, split_legacy_state
from archive_app.core.library import Library
from archive_app.core.prepare import article_from_decoded, article_from_page
from archive_app.core.records import EDITABLE_FIELDS

#: The fields a re-parse replaces: everything the parser gives. The archivist's notes and tags
#: stay as they are.
REPARSED_FIELDS = tuple(name for name in EDITABLE_FIELDS if name not in ("notes", "tags"))

#: Articles re-parsed per write transaction.
CHUNK = 500


@dataclass
class ReparseReport:
    """What a re-parse did."""

    reparsed: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    encodings: dict[int, str] = field(default_factory=dict)


def check_encoding(name: str) -> str:
    """Return the canonical name of a text codec Python knows.

    Raises:
        LibraryError: Not a codec Python knows, or not a text encoding.
    """
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise LibraryError(
            f"unknown encoding {name!r}: not a codec Python knows (try e.g. cp1251, iso8859-7, "
            "shift_jis)"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise LibraryError(f"{name!r} is not a text encoding")
    return info.name


def reparse_articles(
    library: Library,
    ids: Sequence[int],
    *,
    encoding: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReparseReport:
    """Parse articles again from their stored original bytes, with what the library learned.

    Args:
        library: The library.
        ids: The articles.
        encoding: Decode with this codec instead of detecting (any codec Python knows).
        progress: Called with (done, total).
    """
    if encoding is not None:
        encoding = check_encoding(encoding)
    if ids:
        split_legacy_state(library)  # an older version's single row: a row per source
    # Each source's learned boilerplate is read when the first of its articles comes.
    learner = CollectionLearner.for_library(library)
    report = ReparseReport()
    changes: dict[int, dict[str, Any]] = {}
    sources: dict[int, tuple[str, float]] = {}

    def store() -> None:
        library.replace_parsed_fields(changes, sources=sources)
        changes.clear()
        sources.clear()

    for done, article_id in enumerate(ids, 1):
        try:
            record = library.get_article(article_id)
            data = library.source_bytes(article_id)
        except ArticleNotFoundError as exc:
            report.failed.append((article_id, str(exc)))
            continue
        source = record.source
        path = Path(source.original_path or source.file_name) if source else Path("article")
        try:
            if path.suffix.lower() in PAGE_SUFFIXES:  # a saved web page: read as one again
                page = read_page(data, file_name=path.name, encoding=encoding)
                item = article_from_page(page, data, path)
            else:
                decoded = decode_as(data, encoding) if encoding else decode_bytes(data)
                item = article_from_decoded(decoded, data, path, library.source_sidecar(article_id))
        except (NotTextError, ValueError) as exc:
            report.failed.append((article_id, str(exc)))
            continue
        fields = learner.apply(item.fields, source_group(item.fields, item.source_group))
        values: dict[str, Any] = {name: getattr(fields, name) for name in REPARSED_FIELDS}
        values["parse_warnings"] = item.parse_warnings
        before = {name: getattr(record, name) for name in REPARSED_FIELDS}
        if before != {name: values[name] for name in REPARSED_FIELDS}:
            report.changed.append(article_id)
        changes[article_id] = values
        sources[article_id] = (item.encoding, item.encoding_confidence)
        report.reparsed.append(article_id)
        report.encodings[article_id] = item.encoding
        if len(changes) >= CHUNK:
            store()
        if progress is not None:
            progress(done, len(ids))
    store()
    return report
