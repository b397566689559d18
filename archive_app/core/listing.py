"""Listing articles in table order: the SQL behind the table, ``list`` and ``search`` (Qt-free).

A listing is a query (or none), a sort key and direction, and library or trash. The table
asks for its first page (``LIMIT``) and then, in the background, for every id; both come
from the same ``select_sql``, so the first page is the start of the full list.

Relevance: free text is ranked by bm25 only while it matches at most ``RANK_LIMIT``
articles. Whether it does is found by asking FTS5 for match number ``RANK_LIMIT + 1``, a
cost bounded by ``RANK_LIMIT`` whatever the library's size (a ``count(*)`` of ``said`` reads
all 99% of the library's rows). A word that common ranks nothing useful, so it lists newest
first, which FTS5 streams in rowid order and a ``LIMIT`` stops early.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, Literal

from archive_app.core.query import CompiledQuery, compile_query

SortKey = Literal["id", "title", "section", "publisher", "published_on", "created_at", "rank"]

#: Past this many matches of free text, results come newest first instead of by bm25
#: (measured on 100k articles: bm25 costs about 4 µs a match, so 15k matches of "oil
#: sanctions" took 76 ms to rank for a first page; 5,000 take 20 ms).
RANK_LIMIT = 5_000
#: A filter (date, publisher, review...) matching more rows than this lists its first page
#: by walking the sort order's index and testing each row, which stops after a page; a
#: narrower one is read from its own index and sorted. ``date:2019`` at 100k articles: 32 ms
#: sorted (``created_at`` sits after the body, so each of 6,000 rows reads its overflow
#: pages), a few ms walked.
BROAD_LIMIT = 2_000
#: A cancellable listing asks whether to stop every this many SQLite virtual-machine steps
#: (about a millisecond of work).
CANCEL_CHECK_STEPS = 100_000

#: ``ORDER BY`` of each sort key, ascending; ``{d}`` is the direction. Every one is the order
#: of an index whose first column is ``deleted_at`` (or ``live``), so the first page of the
#: library in any order is an index scan that stops after the page.
_ORDER: dict[str, str] = {
    "id": "a.id {d}",
    "title": "o.title_key {d}, a.id {d}",
    "section": "a.section_path {d}, a.id {d}",
    "publisher": "a.publisher COLLATE NOCASE {d}, a.created_at {d}, a.id {d}",
    "published_on": "a.published_on {d}, a.id {d}",
    "created_at": "a.created_at {d}, a.id {d}",
}


#: The index whose order each sort key's ``ORDER BY`` is, for the library (not the trash).
_SORT_INDEX: dict[str, str] = {
    "section": "ix_article_live_section",
    "publisher": "ix_article_live_publisher",
    "published_on": "ix_article_live_published",
    "created_at": "ix_article_live_created",
}


@dataclass(frozen=True)
class Listing:
    """What to list: a query (``None`` for everything), its order, library or trash."""

    query: str | None = None
    sort: SortKey = "id"
    descending: bool = False
    trash: bool = False


def is_common(cur: sqlite3.Cursor, match: str) -> bool:
    """Whether a full-text expression matches more than ``RANK_LIMIT`` articles.

    Reads at most ``RANK_LIMIT + 1`` matches (no ranking), whatever the library's size.
    """
    row = cur.execute(
        "SELECT 1 FROM article_fts WHERE article_fts MATCH ? LIMIT 1 OFFSET ?",
        (match, RANK_LIMIT),
    ).fetchone()
    return row is not None


def is_broad(cur: sqlite3.Cursor, compiled: CompiledQuery) -> bool:
    """Whether a query's filters match more than ``BROAD_LIMIT`` rows (bounded cost)."""
    row = cur.execute(
        f"SELECT 1 FROM article a WHERE {compiled.where} LIMIT 1 OFFSET ?",
        [*compiled.params, BROAD_LIMIT],
    ).fetchone()
    return row is not None


def select_sql(
    cur: sqlite3.Cursor,
    columns: str,
    listing: Listing,
    compiled: CompiledQuery | None = None,
    *,
    first_page: bool = False,
) -> tuple[str, list[Any]]:
    """Return SQL selecting ``columns`` (over ``article a``, and ``article_sort o`` if they
    name it) for ``listing`` in order.

    ``cur`` is used to tell a common word from a rare one when the order is relevance, and
    a broad filter from a narrow one: a ``first_page`` (a ``LIMIT`` follows) of a broad
    filter walks the sort order's index, a narrow filter is always read from its own index
    and sorted. The order is total (ties by id), so the plan never changes the rows.

    Raises:
        QueryError: The query cannot be understood.
    """
    if compiled is None:
        compiled = compile_query(listing.query, trash=listing.trash)
    trash = compiled.trash
    direction = "DESC" if listing.descending else "ASC"
    params: list[Any] = []
    joins = ""
    if listing.sort == "title" or "o." in columns:
        joins = " JOIN article_sort o ON o.article_id = a.id"
    if compiled.match is not None:
        source = "article_fts JOIN article a ON a.id = article_fts.rowid" + joins
        where = f"article_fts MATCH ? AND {compiled.where}"
        params.append(compiled.match)
    else:
        source, where = "article a" + joins, compiled.where
    narrow = False
    index = _SORT_INDEX.get(listing.sort)
    if index and compiled.match is None and not trash and not compiled.only_text:
        if not is_broad(cur, compiled):
            narrow = True
        elif first_page:
            source = f"article a INDEXED BY {index}" + joins
    if listing.sort == "title":
        where += f" AND o.live = {0 if trash else 1}"  # lets the title index drive the scan
    params.extend(compiled.params)
    if listing.sort == "rank":
        if compiled.match is None:
            order = "a.id DESC"
        elif is_common(cur, compiled.match):
            order = "article_fts.rowid DESC"
        else:
            order = "article_fts.rank, article_fts.rowid DESC"
    else:
        order = _ORDER[listing.sort].format(d=direction)
        if narrow:  # "+": not the sort's index (walking it would test every row)
            order = "+" + order
    return f"SELECT {columns} FROM {source} WHERE {where} ORDER BY {order}", params


def ids_sql(
    cur: sqlite3.Cursor, listing: Listing, *, first_page: bool = False
) -> tuple[str, list[Any]]:
    """Return SQL selecting the ids of ``listing`` in order (the fastest form for each case).

    Raises:
        QueryError: The query cannot be understood.
    """
    compiled = compile_query(listing.query, trash=listing.trash)
    if compiled.match is not None and compiled.only_text and listing.sort == "rank":
        # Free text only: the full-text index alone, the trash rule from its index.
        rule = "IN" if compiled.trash else "NOT IN"
        order = "rowid DESC" if is_common(cur, compiled.match) else "rank, rowid DESC"
        return (
            f"SELECT rowid AS id FROM article_fts WHERE article_fts MATCH ? AND rowid {rule} "
            f"(SELECT id FROM article WHERE deleted_at IS NOT NULL) ORDER BY {order}",
            [compiled.match],
        )
    if compiled.match is None and compiled.only_text and listing.sort == "title":
        # Everything by title: one covering scan of the sort-key index.
        direction = "DESC" if listing.descending else "ASC"
        return (
            f"SELECT article_id AS id FROM article_sort WHERE live = {0 if compiled.trash else 1} "
            f"ORDER BY title_key {direction}, article_id {direction}",
            [],
        )
    return select_sql(cur, "a.id AS id", listing, compiled, first_page=first_page)


def list_ids(
    cur: sqlite3.Cursor, listing: Listing, *, limit: int | None = None, offset: int = 0
) -> list[int]:
    """Return the ids of ``listing`` in order (``limit`` of them from ``offset``, or all).

    Every id comes as one ``group_concat`` text, not one row each: the whole query then runs
    in one step of SQLite, which holds no Python lock, and the ids are read in slices. Row by
    row, a background listing of 100k ids took Python's lock back from the GUI thread 100k
    times, and each paint of the table (about 1,500 ``data()`` calls) waited for it.
    """
    sql, params = ids_sql(cur, listing, first_page=limit is not None)
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, -1 if limit is None else limit, offset]
        return [row[0] for row in cur.execute(sql, params)]
    # An aggregate over an ordered subquery keeps its order (the subquery is not flattened).
    row = cur.execute(f"SELECT group_concat(id) FROM ({sql})", params).fetchone()
    return parse_ids(row[0] if row else None)


#: Characters of a ``group_concat`` read at a time (about 9,000 ids).
_SLICE = 65_536


def parse_ids(text: str | None) -> list[int]:
    """Return the ids of a comma-separated text, a slice at a time (other threads run between)."""
    ids: list[int] = []
    if not text:
        return ids
    start, size = 0, len(text)
    while start < size:
        end = text.find(",", start + _SLICE)
        if end < 0:
            end = size
        ids.extend(map(int, text[start:end].split(",")))
        start = end + 1
    return ids
