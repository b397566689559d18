"""SQLModel tables of the library: on SQLite, kept in step with ``core.migrations``' DDL; on
PostgreSQL, created from them (``core.storage.pg_schema``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, LargeBinary
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

#: A JSON list column: ``jsonb`` on PostgreSQL, so it can be grouped and compared (the sidebar
#: counts sections); key order does not matter in a list. Dicts stay ``json`` (order kept).
JSON_LIST = JSON().with_variant(JSONB(), "postgresql")


class SourceFile(SQLModel, table=True):
    """An imported file's exact bytes (zlib-compressed) and what we know about it."""

    __tablename__ = "source_file"

    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    original_path: str = ""
    size: int
    sha256: str = Field(index=True)
    encoding: str
    compression: str = "zlib"
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    imported_at: dt.datetime
    encoding_confidence: float = 1.0
    sidecar_name: str = ""
    sidecar_data: bytes | None = Field(default=None, sa_column=Column(LargeBinary))


class ArticleTag(SQLModel, table=True):
    """Link between an article and a tag."""

    __tablename__ = "article_tag"

    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class Tag(SQLModel, table=True):
    """A label the archivist puts on articles (names are unique, case-insensitively)."""

    __tablename__ = "tag"

    id: int | None = Field(default=None, primary_key=True)
    name: str


class Article(SQLModel, table=True):
    """One archived article: the parsed fields, the archivist's edits and provenance."""

    __tablename__ = "article"

    id: int | None = Field(default=None, primary_key=True)
    uid: str
    title: str = ""
    section_path: list[str] = Field(
        default_factory=list, sa_column=Column(JSON_LIST, nullable=False)
    )
    byline: str = ""
    publisher: str = ""
    dateline: str = ""
    published_on: dt.date | None = None
    source_url: str = ""
    alternate_urls: list[str] = Field(
        default_factory=list, sa_column=Column(JSON_LIST, nullable=False)
    )
    language: str = ""
    photo_caption: str = ""
    photo_credit: str = ""
    body: str = ""
    share_section: str = ""
    publisher_note: str = ""
    rights: str = ""
    boilerplate: str = ""
    notes: str = ""
    needs_review: bool = False
    parse_warnings: list[str] = Field(
        default_factory=list, sa_column=Column(JSON_LIST, nullable=False)
    )
    content_hash: str
    source_file_id: int | None = Field(
        default=None, foreign_key="source_file.id", ondelete="SET NULL"
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None
    #: Raised by every stored change (optimistic concurrency: a stale save is a conflict).
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class Revision(SQLModel, table=True):
    """One change of one article: who, when, what (``changes``: field -> [old, new])."""

    __tablename__ = "revision"

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE")
    created_at: dt.datetime
    user: str
    kind: str
    changes: dict[str, list[object]] = Field(sa_column=Column(JSON, nullable=False))


class Draft(SQLModel, table=True):
    """Unsaved edits of an article, written while typing (crash recovery)."""

    __tablename__ = "draft"

    article_id: int = Field(primary_key=True, foreign_key="article.id", ondelete="CASCADE")
    fields: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: dt.datetime


class LearnedState(SQLModel, table=True):
    """What the library learned from its collection (e.g. each source's boilerplate), as JSON."""

    __tablename__ = "learned_state"

    name: str = Field(primary_key=True)
    state: str
    updated_at: dt.datetime


class SavedSearch(SQLModel, table=True):
    """A named query, listed in the sidebar."""

    __tablename__ = "saved_search"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    query: str
    created_at: dt.datetime


class ArticleSort(SQLModel, table=True):
    """An article's sort keys (kept by triggers; ``collation.title_key`` for the title)."""

    __tablename__ = "article_sort"

    article_id: int = Field(primary_key=True)
    live: bool  # not in the trash
    title_key: str
    created_at: dt.datetime  # article's, which it stores after the body
    needs_review: bool  # likewise
