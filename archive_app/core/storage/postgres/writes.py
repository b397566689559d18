"""Writing to a PostgreSQL library: imports, edits with their revisions, tags, the trash."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from psycopg.types.json import Jsonb

from archive_app.core import history
from archive_app.core.errors import ArticleNotFoundError, ValidationError
from archive_app.core.library import conflict_error, normalize_tag, utcnow
from archive_app.core.records import EDITABLE_FIELDS, ArticleFields, Changes, NewArticle
from archive_app.core.storage.postgres.engine import Cursor, as_tuple, db_values
from archive_app.core.storage.postgres.reads import PgReads
from archive_app.core.validation import validate_fields

_ARTICLE_COLUMNS = (
    "uid, title, section_path, byline, publisher, dateline, published_on, source_url, "
    "alternate_urls, language, photo_caption, photo_credit, body, share_section, "
    "publisher_note, rights, boilerplate, notes, needs_review, parse_warnings, content_hash, "
    "source_file_id, created_at, updated_at, deleted_at"
)
_ARTICLE_INSERT = (
    f"INSERT INTO article ({_ARTICLE_COLUMNS}) VALUES "
    f"({', '.join(['%s'] * len(_ARTICLE_COLUMNS.split(',')))}) RETURNING id"
)
_SOURCE_INSERT = (
    "INSERT INTO source_file (file_name, original_path, size, sha256, encoding, compression, "
    "data, imported_at, encoding_confidence, sidecar_name, sidecar_data) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id"
)


class PgWrites(PgReads):
    """Writing: imports, edits (with a revision of what changed), tags, trash, purge."""

    @contextlib.contextmanager
    def bulk_import(self) -> Iterator[None]:
        """As on SQLite, around an import; a server's settings are its administrator's."""
        yield

    def add_articles(self, items: Sequence[NewArticle]) -> list[int]:
        """Store parsed articles and their source files in one transaction; return the new ids.

        Raises:
            psycopg.IntegrityError: One of them is already in the library.
        """
        if not items:
            return []
        with self._pg_write() as cur:
            return self._pg_insert_articles(cur, items)

    def save_learned_state(self, name: str, state: str) -> None:
        """Keep what the library learned under ``name``."""
        with self._pg_write() as cur:
            self._pg_save_learned(cur, {name: state})

    @staticmethod
    def _pg_save_learned(cur: Cursor, states: Mapping[str, str]) -> None:
        now = utcnow()
        cur.executemany(
            "INSERT INTO learned_state (name, state, updated_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (name) DO UPDATE SET state = excluded.state, "
            "updated_at = excluded.updated_at",
            [(name, state, now) for name, state in states.items()],
        )

    def replace_parsed_fields(
        self,
        changes: Mapping[int, Mapping[str, Any]],
        *,
        sources: Mapping[int, tuple[str, float]] | None = None,
        kind: str = "re-parse",
    ) -> Changes:
        """Store what a re-parse (or learned boilerplate) gives, in one transaction."""
        if not changes and not sources:
            return Changes()
        with self._pg_write() as cur:
            for article_id, values in changes.items():
                self._pg_write_fields(cur, article_id, values, kind=kind)
            for article_id, (encoding, confidence) in (sources or {}).items():
                cur.execute(
                    "UPDATE source_file SET encoding = %s, encoding_confidence = %s WHERE id = "
                    "(SELECT source_file_id FROM article WHERE id = %s)",
                    (encoding, confidence, article_id),
                )
        return Changes(article_ids=frozenset({*changes, *(sources or {})}))

    def add_new_articles(
        self, items: Sequence[NewArticle], *, learned: Mapping[str, str] | None = None
    ) -> list[tuple[int, bool]]:
        """Store the articles not yet in the library; return ``(id, is_new)`` for each item.

        The duplicate check and the inserts run under the write lock in one transaction, so
        imports from several machines at once store each article once (and the unique index on
        the text hash guarantees it).
        """
        if not items:
            return []
        with self._pg_write() as cur:
            existing = self._ids_by(
                cur, "content_hash", list(dict.fromkeys(i.content_hash for i in items))
            )
            by_uid = self._ids_by(cur, "uid", list(dict.fromkeys(i.uid for i in items if i.uid)))
            fresh: list[NewArticle] = []
            plan: list[tuple[int | None, int]] = []
            first_of: dict[str, int] = {}
            first_uid: dict[str, int] = {}
            for item in items:
                if item.uid in by_uid:
                    plan.append((by_uid[item.uid], -1))
                elif item.content_hash in existing:
                    plan.append((existing[item.content_hash], -1))
                elif item.content_hash in first_of:
                    plan.append((None, first_of[item.content_hash]))
                elif item.uid and item.uid in first_uid:
                    plan.append((None, first_uid[item.uid]))
                else:
                    first_of[item.content_hash] = len(fresh)
                    if item.uid:
                        first_uid[item.uid] = len(fresh)
                    plan.append((None, len(fresh)))
                    fresh.append(item)
            new_ids = self._pg_insert_articles(cur, fresh) if fresh else []
            if learned:
                self._pg_save_learned(cur, learned)
        result: list[tuple[int, bool]] = []
        claimed: set[int] = set()
        for existing_id, index in plan:
            if existing_id is not None:
                result.append((existing_id, False))
            else:
                result.append((new_ids[index], index not in claimed))
                claimed.add(index)
        return result

    def _pg_insert_articles(self, cur: Cursor, items: Sequence[NewArticle]) -> list[int]:
        """Insert articles and sources in the open transaction (pipelined, one round trip
        per batch rather than per row); the trigger fills the search vectors."""
        now = utcnow()
        cur.executemany(
            _SOURCE_INSERT,
            [
                (
                    item.file_name,
                    item.original_path,
                    item.size,
                    item.sha256,
                    item.encoding,
                    item.compression,
                    item.compressed_data,
                    item.imported_at or now,
                    item.encoding_confidence,
                    item.sidecar_name,
                    item.sidecar_data or None,
                )
                for item in items
            ],
            returning=True,
        )
        source_ids = self._returned_ids(cur)
        rows = []
        for item, source_id in zip(items, source_ids, strict=True):
            f = item.fields
            created = item.created_at or now
            rows.append(
                (
                    item.uid or str(uuid.uuid4()),
                    f.title,
                    Jsonb(list(f.section_path)),
                    f.byline,
                    f.publisher,
                    f.dateline,
                    f.published_on,
                    f.source_url,
                    Jsonb(list(f.alternate_urls)),
                    f.language,
                    f.photo_caption,
                    f.photo_credit,
                    f.body,
                    f.share_section,
                    f.publisher_note,
                    f.rights,
                    f.boilerplate,
                    f.notes,
                    bool(f.needs_review),
                    Jsonb(list(item.parse_warnings)),
                    item.content_hash,
                    source_id,
                    created,
                    item.updated_at or created,
                    item.deleted_at,
                )
            )
        cur.executemany(_ARTICLE_INSERT, rows, returning=True)
        ids = self._returned_ids(cur)
        revisions = [
            (
                article_id,
                revision.created_at,
                revision.user,
                revision.kind,
                json.dumps({k: list(v) for k, v in revision.changes.items()}, ensure_ascii=False),
            )
            for item, article_id in zip(items, ids, strict=True)
            for revision in item.revisions
        ]
        if revisions:
            cur.executemany(
                'INSERT INTO revision (article_id, created_at, "user", kind, changes) '
                "VALUES (%s, %s, %s, %s, %s::json)",
                revisions,
            )
        for item, article_id in zip(items, ids, strict=True):
            if item.fields.tags:
                self._pg_set_tags(cur, article_id, item.fields.tags)
        return ids

    @staticmethod
    def _returned_ids(cur: Cursor) -> list[int]:
        ids: list[int] = []
        while True:
            row = cur.fetchone()
            assert row is not None
            ids.append(int(row[0]))
            if not cur.nextset():
                return ids

    def update_article(
        self,
        article_id: int,
        fields: ArticleFields,
        *,
        kind: str = "edit",
        expected_version: int | None = None,
    ) -> Changes:
        """Replace an article's editable fields (and tags) with ``fields``; keep a revision.

        Args:
            expected_version: The version the edits were made on; ``None`` saves over
                whatever is stored.

        Raises:
            ValidationError: A field is not acceptable (e.g. an empty title).
            ArticleNotFoundError: No article has that id.
            LibraryConflictError: Another version was stored since ``expected_version``
                (checked under the write lock); nothing was written.
        """
        errors = validate_fields(fields)
        if errors:
            raise ValidationError(errors)
        values = {name: getattr(fields, name) for name in EDITABLE_FIELDS}
        with self._pg_write() as cur:
            cur.execute("SELECT version FROM article WHERE id = %s", (article_id,))
            row = cur.fetchone()
            if row is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            stale = expected_version is not None and row[0] != expected_version
            if not stale:
                self._pg_write_fields(cur, article_id, values, kind=kind)
        if stale:
            assert expected_version is not None
            raise conflict_error(self, article_id, fields, expected_version)
        return Changes(article_ids=frozenset({article_id}), tags=True)

    def _current_values(self, cur: Cursor, article_id: int, names: Iterable[str]) -> dict[str, Any]:
        names = list(names)
        columns = [n for n in names if n != "tags"]
        out: dict[str, Any] = {}
        if columns:
            cur.execute(f"SELECT {', '.join(columns)} FROM article WHERE id = %s", (article_id,))
            row = cur.fetchone()
            if row is None:
                return {}
            for name, value in zip(columns, row, strict=True):
                if name in history.JSON_FIELDS:
                    value = list(as_tuple(value))
                out[name] = history.jsonable(name, value)
        if "tags" in names:
            cur.execute(
                "SELECT t.name FROM tag t JOIN article_tag at ON at.tag_id = t.id "
                "WHERE at.article_id = %s",
                (article_id,),
            )
            out["tags"] = history.jsonable("tags", [r[0] for r in cur.fetchall()])
        return out

    def _pg_write_fields(
        self, cur: Cursor, article_id: int, values: Mapping[str, Any], *, kind: str
    ) -> None:
        """Change fields of an article and store a revision of what changed (who, when)."""
        values = dict(values)
        before = self._current_values(cur, article_id, values)
        after = {name: history.jsonable(name, value) for name, value in values.items()}
        changes = history.diff(before, after)
        if not changes:
            return
        now = utcnow()
        columns = db_values({n: v for n, v in values.items() if n != "tags" and n in changes})
        if columns:
            columns["updated_at"] = now
        assignments = "".join(f"{name} = %s, " for name in columns)
        cur.execute(  # every stored change raises the version (a tag change too)
            f"UPDATE article SET {assignments}version = version + 1 WHERE id = %s",
            [*columns.values(), article_id],
        )
        if "tags" in changes:
            self._pg_set_tags(cur, article_id, values["tags"])
        cur.execute(
            'INSERT INTO revision (article_id, created_at, "user", kind, changes) '
            "VALUES (%s, %s, %s, %s, %s::json)",
            (
                article_id,
                now,
                history.current_user(),
                kind,
                json.dumps({k: list(v) for k, v in changes.items()}, ensure_ascii=False),
            ),
        )

    def _pg_set_tags(self, cur: Cursor, article_id: int, tags: Iterable[str]) -> None:
        names = list(dict.fromkeys(n for n in (normalize_tag(t) for t in tags) if n))
        cur.execute("DELETE FROM article_tag WHERE article_id = %s", (article_id,))
        for name in names:
            cur.execute(
                "INSERT INTO tag (name) VALUES (%s) ON CONFLICT ((lower(name))) DO NOTHING",
                (name,),
            )
            cur.execute(
                "INSERT INTO article_tag (article_id, tag_id) SELECT %s, id FROM tag "
                "WHERE lower(name) = lower(%s) ON CONFLICT DO NOTHING",
                (article_id, name),
            )

    def _set_deleted(self, ids: Iterable[int], when: dt.datetime | None) -> Changes:
        id_list = list(ids)
        with self._pg_write() as cur:
            cur.execute("UPDATE article SET deleted_at = %s WHERE id = ANY(%s)", (when, id_list))
        return Changes(article_ids=frozenset(id_list), removed=when is not None, added=when is None)

    def purge(self, ids: Iterable[int]) -> Changes:
        """Delete articles for good, with their source files."""
        id_list = list(ids)
        with self._pg_write() as cur:
            cur.execute(
                "WITH gone AS (DELETE FROM article WHERE id = ANY(%s) RETURNING source_file_id) "
                "DELETE FROM source_file s USING gone WHERE s.id = gone.source_file_id "
                "AND NOT EXISTS (SELECT 1 FROM article a WHERE a.source_file_id = s.id "
                "AND a.id <> ALL(%s))",
                (id_list, id_list),
            )
        return Changes(article_ids=frozenset(id_list), removed=True)

    def save_learned_states(self, states: Mapping[str, str]) -> None:
        """Keep what the library learned under each name of ``states``, in one transaction."""
        if states:
            with self._pg_write() as cur:
                self._pg_save_learned(cur, states)

    def split_learned_state(
        self,
        name: str,
        split: Callable[[str, Callable[[Sequence[str]], dict[str, str]]], Mapping[str, str] | None],
    ) -> bool:
        """As on SQLite: the row ``name`` replaced by what ``split`` makes of it, in one
        transaction under the write lock."""
        with self._pg_write() as cur:
            cur.execute("SELECT state FROM learned_state WHERE name = %s", (name,))
            row = cur.fetchone()
            if row is None:
                return False
            rows = split(str(row[0]), lambda names: self._pg_learned_rows(cur, names))
            if rows is None:
                return False
            self._pg_save_learned(cur, rows)
            if name not in rows:
                cur.execute("DELETE FROM learned_state WHERE name = %s", (name,))
        return True
