"""Plain frozen data the library hands out: never live ORM objects bound to a session."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from archive_app.core.compression import CODEC

if TYPE_CHECKING:
    from archive_app.core.history import Revision

#: The archivist-editable fields of an article, in form order.
EDITABLE_FIELDS = (
    "title",
    "section_path",
    "byline",
    "publisher",
    "dateline",
    "published_on",
    "source_url",
    "alternate_urls",
    "language",
    "photo_caption",
    "photo_credit",
    "body",
    "share_section",
    "publisher_note",
    "rights",
    "boilerplate",
    "notes",
    "tags",
    "needs_review",
)


@dataclass(frozen=True)
class ArticleFields:
    """The values of an article a person can edit (and the preview renders)."""

    title: str = ""
    section_path: tuple[str, ...] = ()
    byline: str = ""
    publisher: str = ""
    dateline: str = ""
    published_on: dt.date | None = None
    source_url: str = ""
    alternate_urls: tuple[str, ...] = ()
    language: str = ""
    photo_caption: str = ""
    photo_credit: str = ""
    body: str = ""
    share_section: str = ""
    publisher_note: str = ""
    #: Licence and copyright notices (Dublin Core ``dc:rights``).
    rights: str = ""
    #: What the parser or the learned boilerplate removed from the body: kept, re-insertable.
    boilerplate: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    needs_review: bool = False

    @property
    def paragraphs(self) -> list[str]:
        """The body's paragraphs (split on blank lines), without empty ones."""
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    def editable(self) -> ArticleFields:
        """Return only the editable part (useful on an ``ArticleRecord``)."""
        return ArticleFields(**{name: getattr(self, name) for name in EDITABLE_FIELDS})


@dataclass(frozen=True)
class SourceInfo:
    """Provenance of an imported article: the original file."""

    file_name: str
    sha256: str
    encoding: str
    size: int
    original_path: str
    imported_at: dt.datetime
    #: How sure the decoder was of ``encoding`` (0..1).
    encoding_confidence: float = 1.0
    #: The JSON sidecar file stored with the source (its name), if there was one.
    sidecar_name: str = ""


@dataclass(frozen=True)
class ArticleRecord(ArticleFields):
    """A stored article with its identity, provenance and timestamps."""

    id: int = 0
    uid: str = ""
    parse_warnings: tuple[str, ...] = ()
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None
    source: SourceInfo | None = None
    #: Raised by every stored change: a save passes the version it edited (optimistic
    #: concurrency), and a newer one stored meanwhile is a conflict, never overwritten.
    version: int = 1
    #: The normalised text's hash (the duplicate check's key): internal, not shown.
    content_hash: str = dataclasses.field(default="", repr=False)

    def to_json(self) -> dict[str, Any]:
        """Return the ``show --json`` object: the Article fields plus ``tags`` and ``source``."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "content_hash":
                continue
            if f.name == "source":
                out["source"] = (
                    None
                    if value is None
                    else {
                        "file_name": value.file_name,
                        "sha256": value.sha256,
                        "encoding": value.encoding,
                        "size": value.size,
                        "original_path": value.original_path,
                        "imported_at": iso(value.imported_at),
                        "encoding_confidence": value.encoding_confidence,
                        "sidecar_name": value.sidecar_name,
                    }
                )
            elif isinstance(value, tuple):
                out[f.name] = list(value)
            elif isinstance(value, dt.date | dt.datetime):
                out[f.name] = iso(value)
            else:
                out[f.name] = value
        return out


@dataclass(frozen=True)
class ArticleSummary:
    """What the library table and ``list`` show of an article."""

    id: int
    title: str
    section_path: tuple[str, ...]
    publisher: str
    published_on: dt.date | None
    created_at: dt.datetime
    needs_review: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the ``list --json`` object."""
        return {
            "id": self.id,
            "title": self.title,
            "section_path": list(self.section_path),
            "publisher": self.publisher,
            "published_on": iso(self.published_on),
        }


@dataclass(frozen=True)
class SearchHit(ArticleSummary):
    """A search result: a summary plus a snippet with the matches in ``[...]``."""

    snippet: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the ``search --json`` object."""
        out = super().to_json()
        out["snippet"] = self.snippet
        return out


@dataclass(frozen=True)
class Changes:
    """What a write changed, so each view can decide whether to refresh."""

    article_ids: frozenset[int] = frozenset()
    added: bool = False
    removed: bool = False
    tags: bool = False

    def __bool__(self) -> bool:
        return bool(self.article_ids) or self.added or self.removed or self.tags


@dataclass(frozen=True)
class NewArticle:
    """One parsed file on its way into the library (built by the importer)."""

    fields: ArticleFields
    parse_warnings: tuple[str, ...]
    content_hash: str
    file_name: str
    original_path: str
    size: int
    sha256: str
    encoding: str
    #: The file's bytes compressed with ``compression`` (:mod:`archive_app.core.compression`).
    compressed_data: bytes
    encoding_confidence: float = 1.0
    #: The JSON sidecar beside the file: its name and bytes, compressed the same way.
    sidecar_name: str = ""
    sidecar_data: bytes = b""
    #: The codec of ``compressed_data`` and ``sidecar_data``.
    compression: str = CODEC
    #: Where the file came from, for boilerplate learning (its folder, or its publisher).
    source_group: str = ""
    #: An article coming back from an export (a BagIt bag) keeps its identity, times and
    #: revisions; empty or ``None``: a new uid, and now.
    uid: str = ""
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None
    revisions: tuple[Revision, ...] = ()
    #: When the original file was first imported (a copied library keeps it; ``None``: now).
    imported_at: dt.datetime | None = None


def iso(value: dt.date | dt.datetime | None) -> str | None:
    """Return ISO 8601 text for a date or a (UTC) datetime, or ``None``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


@dataclass(frozen=True)
class SavedSearch:
    """A named query kept in the library."""

    id: int
    name: str
    query: str


@dataclass(frozen=True)
class FacetCount:
    """One sidebar entry: a value, how many articles have it, and the query that lists them."""

    label: str
    count: int
    query: str
    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facets:
    """Counts for the sidebar, from SQL aggregates."""

    sections: tuple[FacetCount, ...]
    publishers: tuple[FacetCount, ...]
    tags: tuple[FacetCount, ...]
    total: int
    review: int
    trash: int


@dataclass(frozen=True)
class BatchEdit:
    """Changes to apply to many articles at once (``None``: leave the field alone)."""

    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    section_path: tuple[str, ...] | None = None
    publisher: str | None = None
    language: str | None = None

    def __bool__(self) -> bool:
        return bool(
            self.add_tags
            or self.remove_tags
            or self.section_path is not None
            or self.publisher is not None
            or self.language is not None
        )


@dataclass(frozen=True)
class FieldChange:
    """One planned change of one field of one article (the batch-edit preview)."""

    article_id: int
    title: str
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class BatchTarget:
    """What a batch edit reads of an article: its title and the fields it can change."""

    id: int
    title: str
    tags: tuple[str, ...]
    section_path: tuple[str, ...]
    publisher: str
    language: str


@dataclass(frozen=True)
class BatchUndo:
    """What a batch edit replaced, so it can be undone: ``{article id: {field: old value}}``."""

    before: dict[int, dict[str, Any]]
