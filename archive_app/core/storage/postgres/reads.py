"""Reading a PostgreSQL library: articles, the table's ids and orders, search, snippets."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from psycopg.rows import dict_row

from archive_app.core import listing
from archive_app.core.compression import decompress
from archive_app.core.errors import ArticleNotFoundError
from archive_app.core.library import SNIPPET_MAX_CHARS
from archive_app.core.listing import SortKey
from archive_app.core.query import QueryError
from archive_app.core.records import ArticleRecord, ArticleSummary, SearchHit, SourceInfo
from archive_app.core.storage import pg_schema
from archive_app.core.storage.pg_query import PgQuery, compile_pg_query, tsquery_sql
from archive_app.core.storage.postgres.engine import Cursor, PgEngine, as_tuple

_SORT_SQL: dict[str, str] = {
    "id": "a.id",
    "title": f"lower(a.title) COLLATE {pg_schema.TITLE_COLLATION}",
    "section": 'a.section_path::text COLLATE "C"',
    "publisher": 'lower(a.publisher) COLLATE "C"',
    "published_on": "a.published_on",
    "created_at": "a.created_at",
}
_SUMMARY_COLUMNS = (
    "a.id, a.title, a.section_path, a.publisher, a.published_on, a.created_at, a.needs_review"
)
#: ts_rank over the weighted vector, without length normalisation: on the test corpora it orders
#: like bm25 (normalising by length let a short title-only match beat a title-and-body match).
_RANK = f"ts_rank(a.search, {tsquery_sql()})"
_HEADLINE_OPTIONS = (
    "StartSel=[, StopSel=], MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, "
    "FragmentDelimiter=…"
)


class PgReads(PgEngine):
    """Reading and searching: articles, summaries, the table's ids, ranked search, snippets."""

    def count(self, *, trash: bool = False) -> int:
        """Return how many articles there are (in the library, or in the trash)."""
        where = "deleted_at IS NOT NULL" if trash else "deleted_at IS NULL"
        with self._pg_read() as cur:
            cur.execute(f"SELECT count(*) FROM article WHERE {where}")
            return int(cur.fetchone()[0])  # type: ignore[index]

    def get_article(self, article_id: int) -> ArticleRecord:
        """Return one article with its tags and source-file information.

        Raises:
            ArticleNotFoundError: No article has that id.
        """
        with self._pg_read() as plain:
            cur = plain.connection.cursor(row_factory=dict_row)
            cur.execute(
                "SELECT a.*, s.file_name, s.sha256, s.encoding, s.size, s.original_path, "
                "s.imported_at, s.encoding_confidence, s.sidecar_name "
                "FROM article a LEFT JOIN source_file s ON s.id = a.source_file_id "
                "WHERE a.id = %s",
                (article_id,),
            )
            row = cur.fetchone()
            if row is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            tags = self._tags(plain, article_id)
        source = None
        if row["file_name"] is not None:
            source = SourceInfo(
                file_name=row["file_name"],
                sha256=row["sha256"],
                encoding=row["encoding"],
                size=row["size"],
                original_path=row["original_path"],
                imported_at=row["imported_at"],
                encoding_confidence=float(row["encoding_confidence"]),
                sidecar_name=row["sidecar_name"],
            )
        return ArticleRecord(
            id=row["id"],
            uid=row["uid"],
            title=row["title"],
            section_path=as_tuple(row["section_path"]),
            byline=row["byline"],
            publisher=row["publisher"],
            dateline=row["dateline"],
            published_on=row["published_on"],
            source_url=row["source_url"],
            alternate_urls=as_tuple(row["alternate_urls"]),
            language=row["language"],
            photo_caption=row["photo_caption"],
            photo_credit=row["photo_credit"],
            body=row["body"],
            share_section=row["share_section"],
            publisher_note=row["publisher_note"],
            rights=row["rights"],
            boilerplate=row["boilerplate"],
            notes=row["notes"],
            tags=tags,
            needs_review=bool(row["needs_review"]),
            parse_warnings=as_tuple(row["parse_warnings"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            deleted_at=row["deleted_at"],
            source=source,
            version=row["version"],
            content_hash=row["content_hash"],
        )

    @staticmethod
    def _tags(cur: Cursor, article_id: int) -> tuple[str, ...]:
        cur.execute(
            "SELECT t.name FROM tag t JOIN article_tag at ON at.tag_id = t.id "
            'WHERE at.article_id = %s ORDER BY lower(t.name) COLLATE "C"',
            (article_id,),
        )
        return tuple(r[0] for r in cur.fetchall())

    def source_bytes(self, article_id: int) -> bytes:
        """Return the exact bytes of the file an article was imported from.

        Raises:
            ArticleNotFoundError: No article with that id, or it has no source file.
        """
        with self._pg_read() as cur:
            cur.execute(
                "SELECT s.data, s.compression FROM article a JOIN source_file s "
                "ON s.id = a.source_file_id WHERE a.id = %s",
                (article_id,),
            )
            row = cur.fetchone()
        if row is None:
            raise ArticleNotFoundError(f"no source file for article {article_id}")
        data, compression = row
        return decompress(data, compression)

    @staticmethod
    def _summary(row: Sequence[Any]) -> ArticleSummary:
        return ArticleSummary(
            id=row[0],
            title=row[1],
            section_path=as_tuple(row[2]),
            publisher=row[3],
            published_on=row[4],
            created_at=row[5],
            needs_review=bool(row[6]),
        )

    @staticmethod
    @contextmanager
    def _from_bitmaps(cur: Cursor) -> Iterator[None]:
        """Within: full-text matches are read from the GIN indexes as bitmaps.

        The planner would rather scan the table, or walk an order's index, and test each row,
        which reads each row's whole vector: the probe of ``oil`` at 100k took 1.2 s that
        way and 9 ms from the bitmap, every id of ``said`` 0.74 s and 0.09 s. The settings
        end with the savepoint (the rest of the transaction plans as usual).
        """
        cur.execute("SAVEPOINT archive_bitmaps")
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_indexscan = off")
        try:
            yield
        finally:
            cur.execute("ROLLBACK TO SAVEPOINT archive_bitmaps")

    def _is_common(self, cur: Cursor, compiled: PgQuery) -> bool:
        """Whether the full-text match finds more than ``listing.RANK_LIMIT`` articles.

        As on SQLite, the words alone (no filters, the trash too) and at most
        ``RANK_LIMIT + 1`` matches read, whatever the library's size.
        """
        with self._from_bitmaps(cur):
            cur.execute(
                f"SELECT 1 FROM article a WHERE {compiled.match} LIMIT 1 OFFSET %s",
                [*compiled.match_params, listing.RANK_LIMIT],
            )
            return cur.fetchone() is not None

    def _pg_select(
        self, cur: Cursor, columns: str, compiled: PgQuery, sort: str, descending: bool
    ) -> tuple[str, list[Any]]:
        """SQL selecting ``columns`` for a compiled query in the wanted order, and its params.

        ``columns`` may hold one ``%s`` for the tsquery (a snippet), filled first. By
        relevance, words that match more than ``listing.RANK_LIMIT`` articles list newest
        first (ranking them all costs much and ranks nothing useful), as on SQLite.
        """
        direction = "DESC" if descending else "ASC"
        params: list[Any] = []
        if "%s" in columns:
            params.append(compiled.tsquery)
        where = compiled.where
        if compiled.match is not None:
            where = f"{compiled.match} AND {where}"
            params.extend(compiled.match_params)
        params.extend(compiled.params)
        if sort == "rank" and compiled.match is not None and not self._is_common(cur, compiled):
            order = f"{_RANK} DESC, a.id DESC"
            params.append(compiled.tsquery)
        elif sort == "rank":
            order = "a.id DESC"
        else:
            nulls = "NULLS LAST" if descending else "NULLS FIRST"  # SQLite: NULL is smallest
            order = f"{_SORT_SQL[sort]} {direction} {nulls}, a.id {direction}"
        return f"SELECT {columns} FROM article a WHERE {where} ORDER BY {order}", params

    def article_ids(
        self,
        query: str | None = None,
        *,
        sort: SortKey = "id",
        descending: bool = False,
        trash: bool = False,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[int]:
        """Return the ids of the matching articles in table order (sorting is done in SQL).

        ``limit``: only the first ids (the same order). ``cancelled`` is accepted for the
        facade's signature; a server query is not interrupted (it is asked once at the end).

        Raises:
            QueryError: The query cannot be understood (a one-line explanation).
        """
        compiled = compile_pg_query(query, trash=trash)
        with self._query_errors(), self._pg_read() as cur:
            sql, params = self._pg_select(cur, "a.id", compiled, sort, descending)
            if limit is not None or compiled.match is None:
                # A first page walks the order and stops after it.
                if limit is not None:
                    sql += f" LIMIT {int(limit)}"
                cur.execute(sql, params)
                return _first([r[0] for r in cur.fetchall()], limit, cancelled)
            with self._from_bitmaps(cur):  # every match, then sorted
                cur.execute(sql, params)
                ids = [r[0] for r in cur.fetchall()]
            return _first(ids, limit, cancelled)

    def size_hint(self) -> int:
        """An upper bound of the number of articles (``max(id)``), as on SQLite."""
        with self._pg_read() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM article")
            row = cur.fetchone()
        return int(row[0]) if row is not None else 0

    def summaries(self, ids: Sequence[int]) -> dict[int, ArticleSummary]:
        """Return the summaries of the given articles, keyed by id (missing ids are absent)."""
        out: dict[int, ArticleSummary] = {}
        with self._pg_read() as cur:
            for start in range(0, len(ids), 1000):
                cur.execute(
                    f"SELECT {_SUMMARY_COLUMNS} FROM article a WHERE a.id = ANY(%s)",
                    (list(ids[start : start + 1000]),),
                )
                for row in cur.fetchall():
                    summary = self._summary(row)
                    out[summary.id] = summary
        return out

    def list_articles(
        self,
        query: str | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        sort: SortKey = "id",
        descending: bool = False,
        trash: bool = False,
    ) -> list[ArticleSummary]:
        """Return article summaries in table order, optionally filtered by a query.

        Raises:
            QueryError: The query cannot be understood.
        """
        compiled = compile_pg_query(query, trash=trash)
        with self._query_errors(), self._pg_read() as cur:
            sql, params = self._pg_select(cur, _SUMMARY_COLUMNS, compiled, sort, descending)
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
            cur.execute(sql, params)
            return [self._summary(row) for row in cur.fetchall()]

    @staticmethod
    def _headline(max_chars: int) -> str:
        return (
            f"CASE WHEN length(a.body) <= {max_chars} THEN ts_headline('"
            f"{pg_schema.TEXT_CONFIG}', concat_ws(' … ', nullif(a.body, ''), "
            "nullif(a.photo_caption, ''), nullif(a.byline, ''), nullif(a.title, '')), "
            f"{tsquery_sql()}, '{_HEADLINE_OPTIONS}') "
        )

    def search(self, query: str, *, limit: int | None = 50) -> list[SearchHit]:
        """Return the best matches for a query (ts_rank) with snippets.

        Raises:
            QueryError: The query cannot be understood.
        """
        compiled = compile_pg_query(query)
        snippet = (
            self._headline(SNIPPET_MAX_CHARS) + "ELSE substr(a.body, 1, 120) || '…' END"
            if compiled.tsquery
            else "''"
        )
        with self._query_errors(), self._pg_read() as cur:
            sql, params = self._pg_select(
                cur, f"{_SUMMARY_COLUMNS}, {snippet}", compiled, "rank", False
            )
            sql += " LIMIT %s"
            params.append(limit)
            cur.execute(sql, params)
            rows = cur.fetchall()
        return [
            SearchHit(**{**self._summary(row).__dict__, "snippet": row[7] or ""}) for row in rows
        ]

    def snippet(self, article_id: int, query: str) -> str:
        """Return the matching words of one article in context, ``[marked]`` ("" if none)."""
        try:
            compiled = compile_pg_query(query)
        except QueryError:
            return ""
        if compiled.tsquery is None or compiled.match is None:
            return ""
        with self._pg_read() as cur:
            cur.execute(
                f"SELECT {self._headline(SNIPPET_MAX_CHARS)} ELSE '' END FROM article a "
                f"WHERE a.id = %s AND {compiled.match}",
                (compiled.tsquery, article_id, *compiled.match_params),
            )
            row = cur.fetchone()
        return str(row[0]) if row and row[0] else ""

    def existing_ids_by_hash(self, hashes: Iterable[str]) -> dict[str, int]:
        """Return ``{content_hash: article id}`` for the hashes already in the library."""
        with self._pg_read() as cur:
            return self._ids_by(cur, "content_hash", list(dict.fromkeys(hashes)))

    @staticmethod
    def _ids_by(cur: Cursor, column: str, values: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(values), 1000):
            cur.execute(
                f"SELECT {column}, id FROM article WHERE {column} = ANY(%s)",
                (list(values[start : start + 1000]),),
            )
            found.update((str(k), int(v)) for k, v in cur.fetchall())
        return found

    def all_tags(self) -> list[str]:
        """Return every tag name, sorted."""
        with self._pg_read() as cur:
            cur.execute('SELECT name FROM tag ORDER BY lower(name) COLLATE "C"')
            return [r[0] for r in cur.fetchall()]

    def learned_state(self, name: str) -> str | None:
        """What the library learned under ``name`` (JSON text), or ``None``."""
        with self._pg_read() as cur:
            cur.execute("SELECT state FROM learned_state WHERE name = %s", (name,))
            row = cur.fetchone()
        return None if row is None else str(row[0])

    def source_sidecar(self, article_id: int) -> tuple[str, bytes] | None:
        """The JSON sidecar stored with an article's source file: its name and bytes."""
        with self._pg_read() as cur:
            cur.execute(
                "SELECT s.sidecar_name, s.sidecar_data, s.compression FROM article a "
                "JOIN source_file s ON s.id = a.source_file_id WHERE a.id = %s",
                (article_id,),
            )
            row = cur.fetchone()
        if row is None or row[1] is None:
            return None
        return str(row[0]), decompress(row[1], row[2])

    def learned_states(self, names: Sequence[str]) -> dict[str, str]:
        """The learned rows among ``names`` that exist: name -> JSON text."""
        with self._pg_read() as cur:
            return self._pg_learned_rows(cur, names)

    @staticmethod
    def _pg_learned_rows(cur: Cursor, names: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(names))
        for start in range(0, len(unique), 500):
            cur.execute(
                "SELECT name, state FROM learned_state WHERE name = ANY(%s)",
                (unique[start : start + 500],),
            )
            found.update((str(name), str(state)) for name, state in cur.fetchall())
        return found

    def learned_state_names(self, prefix: str) -> list[str]:
        """The names of the learned rows that start with ``prefix``, sorted (the texts are
        not read)."""
        with self._pg_read() as cur:
            cur.execute(
                "SELECT name FROM learned_state WHERE starts_with(name, %s) "
                'ORDER BY name COLLATE "C"',
                (prefix,),
            )
            return [str(row[0]) for row in cur.fetchall()]


def _first(ids: list[int], limit: int | None, cancelled: Callable[[], bool] | None) -> list[int]:
    """``ids`` cut to ``limit``; nothing when the caller gave up meanwhile (as on SQLite)."""
    if cancelled is not None and cancelled():
        return []
    return ids if limit is None else ids[:limit]
