"""Search gives the same articles on PostgreSQL as on SQLite (the README's PostgreSQL section
lists the differences; each one left is asserted here as what it is).

The same files (the parser's fixtures, the seed, and ``fixtures/parity``: small articles in the
shapes of the development corpus's five sources, in English, Russian, Vietnamese and Japanese)
are imported into a library of each engine, given the same edits, tags and trash, and every
query below is asked of both; articles are paired by their text hash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from tests import pg_server
from tests.conftest import FIXTURES, SEED_DIR, TESTS_DIR

pytestmark = pytest.mark.postgresql

PARITY = TESTS_DIR / "fixtures" / "parity"

#: Queries both engines must answer with the same articles.
SAME: tuple[str, ...] = (
    # free words, case, accents
    "iran",
    "IRAN",
    "Iran's",
    "sanctions",
    "oil sanctions",
    "talks nuclear",
    "elysee",
    "Élysée",
    "naive",
    "cafe",
    "o'brien",
    "obrien",
    # phrases
    '"foreign minister"',
    '"security council"',
    '"oil prices"',
    '"cyprus registered"',
    "cyprus-registered",
    '"talks with"',
    # prefixes
    "sanct*",
    "talk*",
    "nucl* talk*",
    '"foreign min*"',
    # numbers and what PostgreSQL's parser would keep whole
    "2017",
    "1.5",
    "1,600",
    "3.2",
    "6/2/2017",
    "15.04.2022",
    "10:30",
    "mfa",
    "gov",
    "press@mfa.gov.ir",
    "polit",
    "example",
    "6x36",
    "2-1",
    # boolean
    "iraq OR syria",
    "iran OR russia OR ukraine",
    "iran -nuclear",
    "iran NOT nuclear",
    "oil NOT (sanctions OR price)",
    "(iran OR iraq) -sanctions",
    "-iran",
    "NOT (iran OR oil)",
    "talks (iran OR russia)",
    # fields
    "title:iran",
    "title:TALKS",
    'title:"nuclear talks"',
    "title:nucl*",
    "section:russia",
    "section:news",
    'section:"news russia"',
    "section:iran",
    "section:競馬",
    "byline:doe",
    "byline:jane",
    '"jane doe"',
    "caption:doe",
    "caption:afp",
    "caption:photo",
    "byline:doe OR caption:afp",
    "byline:jane OR caption:jane",
    "-byline:doe",
    "jane -byline:doe",
    "jane -caption:doe",
    "body:oil",
    "body:iran",
    "body:tehran -title:iran",
    "title:iran OR section:russia",
    "title:iran body:oil",
    "iran -title:iran",
    "(title:oil OR caption:oil) prices",
    # a phrase never runs on from one field into the next
    '"rise markets"',
    '"exports rise markets energy"',
    '"peimani reza"',
    # other fields
    "tag:energy",
    "tag:ENERGY",
    "tag:iran*",
    "oil tag:energy",
    "-tag:energy",
    "tag:energy OR tag:grain",
    'publisher:"press tv"',
    "publisher:reuters",
    "lang:ru",
    "lang:vi",
    "lang:ja",
    "lang:en oil",
    "date:2022",
    "date:2022-05",
    "date:2022-05-03",
    "date:>=2021-01-01",
    "date:<2020",
    "date:2010..2017",
    "date:2022-03..2022-04",
    "oil date:2022",
    "date:2022 OR lang:ja",
    "is:review",
    "is:trash",
    "oil is:trash",
    "imported:>=2000",
    # Russian
    "россия",
    "РОССИЯ",
    "россии",
    "украин*",
    "горно-алтайск*",
    '"горно алтайске"',
    '"главное к вечеру"',
    "section:россия",
    "title:спецоперация",
    "byline:журналист",
    "зерна 2022",
    "1,5",
    "катунь -мост",
    # Vietnamese
    "việt",
    "viet",
    "VIỆT NAM",
    '"xổ số"',
    '"xo so"',
    "belarus",
    # Japanese
    "東京",
    "東京競馬場で新記録",
    "title:東京競馬場で新記録",
    "スマートフォン",
    # Arabic
    "إيران",
    # nothing
    "zzzzunknown",
    "",
    "*",
)

#: What PostgreSQL's ``unaccent`` folds and FTS5's ``remove_diacritics 2`` keeps: ``ё`` is
#: ``е`` and ``đ`` is ``d`` there, so PostgreSQL finds more (every match of SQLite and the
#: articles spelt the other way). Each query: the titles only PostgreSQL finds.
UNACCENT_FOLDS: dict[str, set[str]] = {
    "ещё": {"Память жертв политических репрессий почтили в Горно-Алтайске"},
    "еще": {
        "Россия продлила ограничения на вывоз зерна",
        "Спецоперация в Украине. Главное к вечеру 19 марта",
        "Мост через Катунь открыт после ремонта",
    },
    "ёмкость": set(),
    "емкость": {"Спецоперация в Украине. Главное к вечеру 19 марта"},
    "đồng": set(),
    "dong": {"Kết quả xổ số điện toán Vietlott ngày 6/2/2017"},
    "điện": set(),
    "dien": {"Kết quả xổ số điện toán Vietlott ngày 6/2/2017"},
    "đà": set(),
    "da": {"Kết quả xổ số điện toán Vietlott ngày 6/2/2017"},
}


def _edit(library: Library) -> None:
    """The same edits in either library (found by title, so the import order does not matter)."""
    by_title = {library.get_article(i).title: i for i in library.article_ids()}

    def edit(old_title: str, **changes: object) -> None:
        library.update_fields(by_title[old_title], changes)

    edit(
        "Iran Says Nuclear Talks To Resume",
        byline="Reza Tehrani",
        photo_caption="Photo: Jane Doe / AFP",
        tags=("Energy", "Iran talks"),
    )
    edit("Security Council Meets On Iran", section_path=("Reza", "Analysis"))
    edit("Team Melli Beats Iraq", title="Oil exports rise", section_path=("Markets", "Energy"))
    edit("Россия продлила ограничения на вывоз зерна", tags=("Grain",))
    edit("Oil prices climb as supply worries grow", tags=("energy", "Markets"))
    edit("Мост через Катунь открыт после ремонта", published_on=dt.date(2016, 5, 1))
    library.trash([by_title["U.S. imposes new sanctions on shipping firms"]])


@pytest.fixture(scope="module")
def libraries(
    postgres: pg_server.PgServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Library, Library]]:
    """The same articles in a SQLite library and a PostgreSQL library."""
    name = postgres.create_database()
    sqlite = Library(str(tmp_path_factory.mktemp("parity") / "library.sqlite3"))
    server = Library(postgres.url(name))
    try:
        for library in (sqlite, server):
            report = import_paths(library, [FIXTURES, SEED_DIR, PARITY], workers=0)
            assert not report.failed
            _edit(library)
        assert sqlite.count() == server.count() > 30
        yield sqlite, server
    finally:
        sqlite.close()
        server.close()
        postgres.drop_database(name)


def _titles(library: Library, query: str) -> set[str]:
    return {library.get_article(i).title for i in library.article_ids(query)}


def _matches(library: Library, query: str) -> dict[str, str]:
    """``{text hash: title}`` of every match."""
    found = {}
    for article_id in library.article_ids(query):
        article = library.get_article(article_id)
        found[article.content_hash] = article.title
    return found


def test_the_fixtures_are_the_same_articles_in_both(libraries: tuple[Library, Library]) -> None:
    sqlite, server = libraries
    assert set(_matches(sqlite, "")) == set(_matches(server, ""))
    assert _matches(sqlite, "is:trash") == _matches(server, "is:trash") != {}


@pytest.mark.parametrize("query", SAME)
def test_both_engines_find_the_same_articles(
    libraries: tuple[Library, Library], query: str
) -> None:
    sqlite, server = libraries
    left, right = _matches(sqlite, query), _matches(server, query)
    only_sqlite = sorted(left[h] for h in set(left) - set(right))
    only_server = sorted(right[h] for h in set(right) - set(left))
    assert (only_sqlite, only_server) == ([], [])


@pytest.mark.parametrize("query", sorted(UNACCENT_FOLDS))
def test_unaccent_folds_more_letters_than_fts5(
    libraries: tuple[Library, Library], query: str
) -> None:
    sqlite, server = libraries
    left, right = _titles(sqlite, query), _titles(server, query)
    assert left <= right
    assert right - left == UNACCENT_FOLDS[query]


def test_a_search_finds_the_same_best_matches_and_snippets_on_both(
    libraries: tuple[Library, Library],
) -> None:
    sqlite, server = libraries
    for query in ("iran", "title:iran", "oil sanctions", "byline:doe", "россия"):
        left = {h.title for h in sqlite.search(query, limit=None)}
        right = {h.title for h in server.search(query, limit=None)}
        assert left == right, query
    (hit,) = server.search("byline:tehrani")
    assert hit.title == "Iran Says Nuclear Talks To Resume"
    assert server.snippet(hit.id, "caption:afp") != ""
    assert server.snippet(hit.id, "byline:afp") == ""


def test_the_check_finds_the_field_vectors_in_step(libraries: tuple[Library, Library]) -> None:
    _sqlite, server = libraries
    assert server.integrity_check() == []


def test_parity_fixtures_are_small_and_in_the_corpus_shapes() -> None:
    files = sorted(p for p in PARITY.rglob("*") if p.is_file())
    assert {p.relative_to(PARITY).parts[0] for p in files} == {
        "tehran_times",
        "polit_ru",
        "zvezdaaltaya_ru",
        "baomoi_vi",
        "livedoor_ja",
    }
    assert sum(p.stat().st_size for p in files) < 20_000
