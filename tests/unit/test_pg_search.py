"""PostgreSQL's search: field vectors, the ranking cut-off, very long bodies, the schema upgrade."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator

import psycopg
import pytest

from archive_app.core import listing
from archive_app.core.library import Library
from archive_app.core.storage import pg_schema
from archive_app.core.storage.pg_query import compile_pg_query
from tests import pg_server
from tests.conftest import NewArticleFactory


@pytest.fixture
def database(postgres: pg_server.PgServer) -> Iterator[str]:
    name = postgres.create_database()
    yield postgres.url(name)
    postgres.drop_database(name)


def test_field_words_read_their_fields_vector_and_free_words_the_whole() -> None:
    compiled = compile_pg_query("oil title:iran section:russia -byline:doe body:crude")
    assert compiled.match == (
        "a.search @@ to_tsquery('archive_text', %s) "
        "AND a.search_title @@ to_tsquery('archive_text', %s) "
        "AND a.search_section @@ to_tsquery('archive_text', %s) "
        "AND a.search_byline @@ to_tsquery('archive_text', %s)"
    )
    assert compiled.match_params == ["'oil' & 'crude':D", "'iran'", "'russia'", "!'doe'"]
    # the ranking query keeps every field's weight in the whole vector
    assert compiled.tsquery == "'oil' & 'iran':A & 'russia':B & 'crude':D"
    either = compile_pg_query("byline:doe OR caption:afp")
    assert either.match == (
        "(a.search_byline @@ to_tsquery('archive_text', %s) "
        "OR a.search_caption @@ to_tsquery('archive_text', %s))"
    )


def test_words_matching_more_than_the_rank_limit_list_newest_first(
    library: Library, make_article: NewArticleFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = library.add_articles(
        [
            make_article(title="Oil oil oil", body="Oil and more oil."),
            make_article(body="Some oil."),
            make_article(body="A word on oil."),
            make_article(body="Oil again."),
            make_article(body="Nothing here."),
        ]
    )
    best, *rest = ids[:4]
    monkeypatch.setattr(listing, "RANK_LIMIT", 4)  # four matches: ranked
    assert library.article_ids("oil", sort="rank")[0] == best
    assert library.search("oil")[0].id == best
    monkeypatch.setattr(listing, "RANK_LIMIT", 3)  # more than three: newest first
    assert library.article_ids("oil", sort="rank") == sorted(ids[:4], reverse=True)
    assert [h.id for h in library.search("oil", limit=2)] == sorted(rest, reverse=True)[:2]


@pytest.mark.postgresql
def test_a_body_too_long_for_one_vector_is_stored_and_searched(
    database: str, make_article: NewArticleFactory
) -> None:
    rng = random.Random(7)
    words = ["".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(150_000)]
    body = "Opening quillagate words. " + " ".join(words)  # about 1.5 MB of distinct words
    with Library(database) as lib:
        [article_id] = lib.add_articles([make_article(title="Huge", body=body)])
        assert lib.article_ids("quillagate") == [article_id]
        assert lib.article_ids(words[10]) == [article_id]
        assert lib.article_ids("title:huge") == [article_id]
        assert lib.integrity_check() == []


_SCHEMA_4_SEARCH = """
CREATE OR REPLACE FUNCTION archive_search_vector(title text, section jsonb, byline text,
                                                 caption text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('archive_text', coalesce(title, '')), 'A')
        || setweight(to_tsvector('archive_text', coalesce(section::text, '')), 'B')
        || setweight(to_tsvector('archive_text', coalesce(byline, '')), 'C')
        || setweight(to_tsvector('archive_text', coalesce(caption, '')), 'C')
        || setweight(to_tsvector('archive_text', coalesce(body, '')), 'D')
$$;
CREATE OR REPLACE FUNCTION archive_article_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := archive_search_vector(NEW.title, NEW.section_path, NEW.byline,
                                        NEW.photo_caption, NEW.body);
    RETURN NEW;
END $$;
"""


@pytest.mark.postgresql
def test_a_schema_4_library_is_indexed_again_when_opened(
    database: str, make_article: NewArticleFactory
) -> None:
    with Library(database) as lib:
        old, other = lib.add_articles(
            [
                make_article(title="Tanker freed", body="Held 1.5 years at sea.", byline="Doe"),
                make_article(title="Photo", body="Nothing.", photo_caption="Jane Doe"),
            ]
        )
    with psycopg.connect(database) as conn:  # as schema 4 left it
        for column in pg_schema.FIELD_VECTORS.values():
            conn.execute(f"ALTER TABLE article DROP COLUMN {column}")  # type: ignore[arg-type]
        conn.execute(_SCHEMA_4_SEARCH)  # type: ignore[arg-type]
        conn.execute("UPDATE article a SET search = " + pg_schema.SEARCH_VECTOR_SQL)  # type: ignore[arg-type]
        conn.execute("UPDATE archive_meta SET value = '4' WHERE name = 'schema_version'")
        assert conn.execute(
            "SELECT count(*) FROM article WHERE search @@ to_tsquery('archive_text', '1 <-> 5')"
        ).fetchone() == (0,)  # schema 4 kept "1.5" whole
    with Library(database, create=False) as lib:
        assert lib.schema_version == pg_schema.SCHEMA_VERSION == 6
        assert lib.integrity_check() == []
        assert lib.article_ids("1.5") == [old]
        assert lib.article_ids("byline:doe") == [old]
        assert lib.article_ids("caption:doe") == [other]
        lib.update_fields(other, {"byline": "Smith"})  # the trigger is back
        assert lib.article_ids("byline:smith") == [other]
    with psycopg.connect(database) as conn:
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes")}
    assert {f"ix_article_{c}" for c in pg_schema.FIELD_VECTORS.values()} | {
        "ix_article_search"
    } <= indexes
