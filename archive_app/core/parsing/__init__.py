"""Pure, Qt-free parser that turns a saved news-article text into structured fields."""

from __future__ import annotations

from archive_app.core.parsing.model import (
    WARN_EMPTY,
    WARN_EMPTY_BODY,
    WARN_FIRST_LINE_USED,
    WARN_INTERNAL,
    WARN_NO_HEADLINE,
    WARN_NUL,
    WARN_REPLACEMENT,
    WARN_TITLE_FROM_FILE_NAME,
    ParsedArticle,
)
from archive_app.core.parsing.normalise import normalize_field, normalized_text_for_hash
from archive_app.core.parsing.parse import parse_article
from archive_app.core.parsing.sidecar import find_sidecar, read_sidecar

__all__ = [
    "WARN_EMPTY",
    "WARN_EMPTY_BODY",
    "WARN_FIRST_LINE_USED",
    "WARN_INTERNAL",
    "WARN_NO_HEADLINE",
    "WARN_NUL",
    "WARN_REPLACEMENT",
    "WARN_TITLE_FROM_FILE_NAME",
    "ParsedArticle",
    "find_sidecar",
    "normalize_field",
    "normalized_text_for_hash",
    "parse_article",
    "read_sidecar",
]
