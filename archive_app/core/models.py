"""SQLModel tables of the library: the one schema source of both engines.

A new library is created from these tables on SQLite (``core.migrations.create_current``) and
on PostgreSQL (``core.storage.pg_schema``); what only one engine has (FTS5 or a ``tsvector``,
triggers, expression indexes) is attached there. Column order, defaults and collations are
those the numbered SQLite upgrades reach, so a new library and an upgraded one are the same
(tested); the upgrade steps stay as they were written, being history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, String, Table, false, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

#: A JSON list column: ``jsonb`` on PostgreSQL, so it can be grouped and compared (the sidebar
#: counts sections); key order does not matter in a list. Dicts stay ``json`` (order kept).
JSON_LIST = JSON().with_variant(JSONB(), "postgresql")
#: A name unique regardless of case: SQLite compares it with ``NOCASE`` (the column's own
#: collation, so every ``=`` does); PostgreSQL has a unique index on ``lower(name)``.
NOCASE_NAME = String().with_variant(String(collation="NOCASE"), "sqlite")


def text_field(default: str = "") -> Any:
    """A text column that is never NULL and defaults to ``default`` (in the database too)."""
    return Field(default=default, sa_column_kwargs={"server_default": default})


def json_list_field() -> Any:
    """A JSON list column that defaults to the empty list (in the database too)."""
    return Field(
        default_factory=list,
        sa_column=Column(JSON_LIST, nullable=False, server_default=text("'[]'")),
    )


class SourceFile(SQLModel, table=True):
    """An imported file's exact bytes (zlib-compressed) and what we know about it."""

    __tablename__ = "source_file"

    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    original_path: str = text_field()
    size: int
    sha256: str  # checked against the bytes, never searched: no index
    encoding: str
    compression: str = text_field("zlib")
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    imported_at: dt.datetime
    encoding_confidence: float = Field(
        default=1.0, sa_column_kwargs={"server_default": text("1.0")}
    )
    sidecar_name: str = text_field()
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
    name: str = Field(sa_type=NOCASE_NAME)


class Article(SQLModel, table=True):
    """One archived article: the parsed fields, the archivist's edits and provenance."""

    __tablename__ = "article"

    id: int | None = Field(default=None, primary_key=True)
    uid: str
    title: str = text_field()
    section_path: list[str] = json_list_field()
    byline: str = text_field()
    publisher: str = text_field()
    dateline: str = text_field()
    published_on: dt.date | None = None
    source_url: str = text_field()
    alternate_urls: list[str] = json_list_field()
    language: str = text_field()
    photo_caption: str = text_field()
    photo_credit: str = text_field()
    body: str = text_field()
    share_section: str = text_field()
    publisher_note: str = text_field()
    notes: str = text_field()
    needs_review: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    parse_warnings: list[str] = json_list_field()
    content_hash: str
    source_file_id: int | None = Field(
        default=None, foreign_key="source_file.id", ondelete="SET NULL"
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None
    # Added by later versions, so after the others (SQLite's ALTER TABLE appends).
    rights: str = text_field()
    boilerplate: str = text_field()
    version: int = Field(default=1, sa_column_kwargs={"server_default": text("1")})


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
    name: str = Field(sa_type=NOCASE_NAME)
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


#: Every table, parents before the tables that refer to them (the order they are created in).
MODELS: tuple[type[SQLModel], ...] = (
    SourceFile,
    Article,
    Tag,
    ArticleTag,
    SavedSearch,
    LearnedState,
    Revision,
    Draft,
    ArticleSort,
)


def tables(*, leave_out: tuple[type[SQLModel], ...] = ()) -> tuple[Table, ...]:
    """The SQLAlchemy tables of ``MODELS`` in order, without those of ``leave_out``."""
    return tuple(
        SQLModel.metadata.tables[str(model.__tablename__)]
        for model in MODELS
        if model not in leave_out
    )
