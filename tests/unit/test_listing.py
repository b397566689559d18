"""Listing in table order: the title collation, first pages, purges and batch-edit reads."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from archive_app.core import collation, listing, migrations
from archive_app.core.library import Library
from archive_app.core.records import BatchEdit
from tests.conftest import NewArticleFactory

TITLES = (
    "Zebra crossing",
    "“Quoted” headline",
    "apple harvest",
    "Éclair recipe",
    "«Guillemets» in French",
    "Ørsted wind farm",
    "Banana prices",
    "...and then",
    "ёлка на площади",
    "Елена пишет",
    "",
)


def _titles(library: Library, ids: list[int]) -> list[str]:
    summaries = library.summaries(ids)
    return [summaries[i].title for i in ids]


def test_title_key_ignores_case_accents_and_leading_punctuation() -> None:
    key = collation.title_key
    assert key("“Quoted” headline") == key("quoted” headline")
    assert key("Éclair") == key("eclair") == "eclair"
    assert key("Ørsted") == "orsted"
    assert key("ёлка") == key("елка")
    assert key("...and then") == "and then"
    assert key("Straße") == "strasse"
    assert key("") == key(None) == ""
    assert len(key("x" * 1000)) == collation.KEY_CHARS


def test_titles_sort_by_the_collation_not_by_code_points(
    library: Library, make_article: NewArticleFactory
) -> None:
    library.add_articles([make_article(title=t) for t in TITLES])
    ordered = _titles(library, library.article_ids(sort="title"))
    # NOCASE put the curly quote, the guillemets, É, Ø and the Cyrillic after "Zebra".
    assert ordered == [
        "",
        "...and then",
        "apple harvest",
        "Banana prices",
        "Éclair recipe",
        "«Guillemets» in French",
        "Ørsted wind farm",
        "“Quoted” headline",
        "Zebra crossing",
        "Елена пишет",
        "ёлка на площади",
    ]
    backwards = _titles(library, library.article_ids(sort="title", descending=True))
    assert backwards == ordered[::-1]
    # The same order through a query (a join) and for the command line's list.
    assert _titles(library, library.article_ids("is:review OR -is:review", sort="title")) == (
        ordered
    )
    assert [s.title for s in library.list_articles(sort="title")] == ordered


@pytest.mark.sqlite_only  # SQLite's article_sort table (PostgreSQL sorts by a collation)
def test_sort_keys_follow_inserts_edits_trash_and_purges(
    library: Library, make_article: NewArticleFactory
) -> None:
    [a, b, c] = library.add_articles(
        [make_article(title="Alpha"), make_article(title="Beta"), make_article(title="Gamma")]
    )
    library.update_fields(a, {"title": "“Zulu” at last"})
    assert library.article_ids(sort="title") == [b, c, a]
    library.trash([b])
    assert library.article_ids(sort="title") == [c, a]
    assert library.article_ids(sort="title", trash=True) == [b]
    library.restore([b])
    library.purge([c])
    library.update_fields(b, {"needs_review": True})
    assert library.article_ids(sort="title") == [b, a]
    conn = sqlite3.connect(library.path)
    try:
        rows = conn.execute(
            "SELECT o.article_id, o.live, o.title_key, o.needs_review, o.created_at = a.created_at "
            "FROM article_sort o JOIN article a ON a.id = o.article_id"
        ).fetchall()
    finally:
        conn.close()
    assert sorted(rows) == [(a, 1, "zulu” at last", 0, 1), (b, 1, "beta", 1, 1)]
    assert library.summaries([b])[b].needs_review


def test_a_version_6_library_gets_the_sort_keys_of_its_titles(library_path: Path) -> None:
    path = library_path.with_name("v6.sqlite3")
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.upgrade(conn, path, steps=migrations.STEPS[:6])
    for uid, title, deleted in (("u1", "“Quoted”", None), ("u2", "Apple", "2024-01-01")):
        conn.execute(
            "INSERT INTO article (uid, title, content_hash, created_at, updated_at, deleted_at, "
            "needs_review) VALUES (?, ?, ?, '2022-01-01 00:00:00.000000', "
            "'2022-01-01 00:00:00.000000', ?, ?)",
            (uid, title, uid, deleted, int(deleted is None)),
        )
    conn.close()
    with Library(path) as lib:
        assert lib.schema_version == migrations.SCHEMA_VERSION
        assert [s.title for s in lib.list_articles(sort="title")] == ["“Quoted”"]
        assert [s.title for s in lib.list_articles(sort="title", trash=True)] == ["Apple"]
        quoted = lib.summaries([1])[1]
        assert quoted.needs_review
        assert quoted.created_at == dt.datetime(2022, 1, 1)
    conn = sqlite3.connect(path)
    try:
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # no app needed
    finally:
        conn.close()
    assert "ix_article_title" not in indexes  # NOCASE titles: replaced by the key index


@pytest.mark.parametrize(
    ("query", "sort", "descending"),
    [
        (None, "created_at", True),
        (None, "title", False),
        (None, "section", False),
        (None, "publisher", True),
        (None, "published_on", True),
        ("talks", "rank", False),
        ("talks date:>=2022-01-01", "rank", False),
        ("talks", "title", True),
        ("date:2022", "created_at", True),
    ],
)
def test_a_first_page_is_the_start_of_the_full_list(
    library: Library,
    make_article: NewArticleFactory,
    query: str | None,
    sort: listing.SortKey,
    descending: bool,
) -> None:
    library.add_articles(
        [
            make_article(
                title=f"{'“' if n % 3 else ''}Story {n % 7}",
                section_path=(f"S{n % 4}",),
                publisher=f"P{n % 3}",
                published_on=dt.date(2020 + n % 4, 1 + n % 12, 1),
                body=f"Body {n}: talks {'and talks ' * (n % 5)}",
            )
            for n in range(60)
        ]
    )
    everything = library.article_ids(query, sort=sort, descending=descending)
    assert everything
    for limit in (1, 7, 25):
        first = library.article_ids(query, sort=sort, descending=descending, limit=limit)
        assert first == everything[:limit]


def _talks(library: Library, make_article: NewArticleFactory) -> list[int]:
    return library.add_articles(
        [make_article(body=f"talks {'talks ' * n}") for n in range(6)]
        + [make_article(body="talks about date filters")]
    )


def test_a_common_word_is_not_ranked(
    library: Library, make_article: NewArticleFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _talks(library, make_article)
    by_rank = library.article_ids("talks", sort="rank")
    assert by_rank != sorted(ids, reverse=True)  # ranked: the article saying it most first
    monkeypatch.setattr(listing, "RANK_LIMIT", 3)
    assert library.article_ids("talks", sort="rank") == sorted(ids, reverse=True)
    # With a filter too: newest first, through the join.
    assert library.article_ids("talks -filters", sort="rank") == sorted(ids[:-1], reverse=True)


@pytest.mark.sqlite_only  # FTS5's bounded probe, read through SQLite's trace callback
def test_a_common_word_is_told_by_a_bounded_probe(
    library: Library, make_article: NewArticleFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _talks(library, make_article)
    monkeypatch.setattr(listing, "RANK_LIMIT", 3)
    statements: list[str] = []
    with library._read() as cur:
        cur.connection.set_trace_callback(statements.append)
        assert listing.is_common(cur, '"talks"')
        cur.connection.set_trace_callback(None)
    assert "count(" not in " ".join(statements).lower()  # never counts every match


def test_a_cancelled_listing_stops_and_returns_nothing(
    library: Library, make_article: NewArticleFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add_articles([make_article() for _ in range(50)])
    monkeypatch.setattr(listing, "CANCEL_CHECK_STEPS", 10)
    assert library.article_ids(cancelled=lambda: True) == []
    assert len(library.article_ids(cancelled=lambda: False)) == 50


def test_size_hint_bounds_the_article_count(
    library: Library, make_article: NewArticleFactory
) -> None:
    assert library.size_hint() == 0
    ids = library.add_articles([make_article() for _ in range(5)])
    library.trash(ids[:2])
    assert library.size_hint() >= library.count() + library.count(trash=True) == 5


def test_ids_are_read_in_slices_of_one_text() -> None:
    text = ",".join(str(n) for n in range(100_000))
    assert listing.parse_ids(text) == list(range(100_000))
    assert listing.parse_ids(None) == listing.parse_ids("") == []


@pytest.mark.sqlite_only  # reads SQLite's tables through its own connection
def test_purge_deletes_in_bulk_and_keeps_a_shared_source(
    library: Library, make_article: NewArticleFactory
) -> None:
    ids = library.add_articles([make_article() for _ in range(1200)])
    conn = sqlite3.connect(library.path)
    shared = conn.execute("SELECT source_file_id FROM article WHERE id = ?", (ids[1],)).fetchone()
    conn.execute("UPDATE article SET source_file_id = ? WHERE id = ?", (shared[0], ids[-1]))
    conn.commit()
    conn.close()
    statements: list[str] = []
    original = library._write

    def traced() -> object:
        context = original()
        cursor = context.__enter__()
        cursor.connection.set_trace_callback(statements.append)

        class Wrapper:
            def __enter__(self) -> object:
                return cursor

            def __exit__(self, *exc: object) -> object:
                cursor.connection.set_trace_callback(None)
                return context.__exit__(*exc)

        return Wrapper()

    library._write = traced  # type: ignore[method-assign]
    changes = library.purge(ids[:-1])
    assert changes.removed
    assert changes.article_ids == frozenset(ids[:-1])
    assert library.count() == 1
    deletes = [s for s in statements if s.startswith("DELETE FROM article WHERE")]
    assert len(set(deletes)) == 3  # 500 + 500 + 199, not one statement per article
    with library._read() as cur:
        # The shared source stays, and the one the survivor left (no purged article's).
        assert cur.execute("SELECT count(*) FROM source_file").fetchone()[0] == 2
        assert cur.execute("SELECT count(*) FROM article_sort").fetchone()[0] == 1
    assert library.get_article(ids[-1]).source is not None
    assert library.integrity_check() == []


def test_batch_targets_read_a_selection_in_a_few_queries(
    library: Library, make_article: NewArticleFactory
) -> None:
    ids = library.add_articles(
        [make_article(tags=("b", "A"), publisher="P", section_path=("S",)) for _ in range(3)]
    )
    targets = library.batch_targets([ids[2], 999, ids[0]])
    assert [t.id for t in targets] == [ids[2], ids[0]]
    assert targets[0].tags == ("A", "b")
    assert targets[0].section_path == ("S",)
    edit = BatchEdit(add_tags=("new",), publisher="Q")
    assert library.plan_batch_edit([ids[2], ids[0]], edit, targets) == library.plan_batch_edit(
        [ids[2], ids[0]], edit
    )
