"""The parse result, its warnings and the parser's working state."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParsedArticle:
    """Structured result of :func:`parse_article`.

    Every text field is normalised with :func:`normalize_field`. ``body`` holds the
    article paragraphs separated by exactly one blank line; a soft-wrapped paragraph
    keeps its single newlines. ``warnings`` lists the reasons why a human should
    review the result.

    ``tags`` come from a sidecar's topics; ``rights`` holds licence and copyright
    notices (Dublin Core ``dc:rights``); ``boilerplate`` holds what was moved out of
    the body as footer material (e.g. trailing related-link blocks), kept whole.
    """

    title: str = ""
    section_path: tuple[str, ...] = ()
    byline: str = ""
    publisher: str = ""
    dateline: str = ""
    published_on: datetime.date | None = None
    source_url: str = ""
    alternate_urls: tuple[str, ...] = ()
    language: str = ""
    photo_caption: str = ""
    photo_credit: str = ""
    body: str = ""
    share_section: str = ""
    publisher_note: str = ""
    rights: str = ""
    boilerplate: str = ""
    tags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def needs_review(self) -> bool:
        """Whether the parse produced warnings that a human should look at."""
        return any(w not in INFO_WARNINGS for w in self.warnings)


# --------------------------------------------------------------------------
# Warnings (stable strings: other modules and tests match on them)
# --------------------------------------------------------------------------
WARN_EMPTY = "empty file"
WARN_NO_HEADLINE = "no headline found"
WARN_FIRST_LINE_USED = "no headline found: first line used"
WARN_EMPTY_BODY = "body is empty"
WARN_NUL = "text contains NUL characters"
WARN_REPLACEMENT = "text contains U+FFFD replacement characters"
WARN_INTERNAL = "internal parser error"
#: Not a reason for review on its own: the file name is where some collections keep it.
WARN_TITLE_FROM_FILE_NAME = "title from file name"
#: Warnings that are information only: they do not set ``needs_review``.
INFO_WARNINGS = frozenset({WARN_TITLE_FROM_FILE_NAME})


@dataclass
class _State:
    """Mutable accumulator used while parsing."""

    title: str = ""
    section_path: tuple[str, ...] = ()
    byline: str = ""
    footer_publisher: str = ""
    published_on: datetime.date | None = None
    updated_on: datetime.date | None = None
    source_url: str = ""
    footer_source_url: str = ""
    alternate_urls: list[str] = field(default_factory=list)
    caption: str = ""
    credit: str = ""
    caption_found: bool = False
    share_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rights: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_Para = list[str]  # a paragraph: its normalised, non-empty lines
