"""The search language: every form, hostile input, and the SQL it runs on a real library."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_app.core.library import Library
from archive_app.core.query import And, Filter, Not, Or, QueryError, Text, parse_query
from tests.conftest import NewArticleFactory


@pytest.fixture
def lib(library: Library, make_article: NewArticleFactory) -> tuple[Library, dict[str, int]]:
    items = {
        "kremlin": make_article(
            title="Kremlin talks stall",
            section_path=("News", "Russia"),
            publisher="Press TV",
            byline="Jane Doe",
            photo_caption="Putin at the Kremlin. (By AFP)",
            body="Moscow said the ceasefire talks stalled on Tuesday.",
            published_on=dt.date(2022, 5, 3),
            language="en",
            tags=("Ukraine war", "diplomacy"),
        ),
        "oil": make_article(
            title="Oil prices climb",
            section_path=("Economy", "Markets"),
            publisher="Reuters",
            byline="John Roe",
            body="Oil prices rose as supply worries grew. Talks in Vienna continue.",
            published_on=dt.date(2022, 1, 15),
            language="en-GB",
            tags=("energy",),
        ),
        "tehran": make_article(
            title="Iran's diplomat in Muscat",
            section_path=("Politics", "Iran"),
            publisher="Press TV",
            body="TEHRAN – The foreign minister met O'Brien for constructive talks.",
            published_on=dt.date(2021, 12, 30),
            language="fa",
            needs_review=True,
        ),
        "undated": make_article(
            title="Undated notes on oil", body="Nothing about talks here, only oilfields."
        ),
    }
    ids = dict(zip(items, library.add_articles(list(items.values())), strict=True))
    return library, ids


def _names(lib: tuple[Library, dict[str, int]], query: str) -> set[str]:
    library, ids = lib
    by_id = {v: k for k, v in ids.items()}
    return {by_id[i] for i in library.article_ids(query)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("talks", {"kremlin", "oil", "tehran", "undated"}),
        ("oil*", {"oil", "undated"}),
        ('"ceasefire talks"', {"kremlin"}),
        ('"talks ceasefire"', set()),
        ("title:oil", {"oil", "undated"}),
        ("title:oil*", {"oil", "undated"}),
        ("section:russia", {"kremlin"}),
        ('publisher:"press tv"', {"kremlin", "tehran"}),
        ("publisher:reuters", {"oil"}),
        ("publisher:press", {"kremlin", "tehran"}),
        ('publisher:"press"', set()),  # quoted: the whole name, case-insensitively
        ('publisher:"PRESS TV"', {"kremlin", "tehran"}),
        ("byline:doe", {"kremlin"}),
        ("caption:afp", {"kremlin"}),
        ("body:vienna", {"oil"}),
        ("tag:energy", {"oil"}),
        ('tag:"ukraine war"', {"kremlin"}),
        ("tag:ukr*", {"kremlin"}),
        ("lang:en", {"kremlin", "oil"}),
        ("date:2022-05", {"kremlin"}),
        ("date:2022", {"kremlin", "oil"}),
        ("date:>=2022-01-01", {"kremlin", "oil"}),
        ("date:<2022-01-01", {"tehran"}),
        ("date:2021-12..2022-01", {"oil", "tehran"}),
        ("date:2022-01-15", {"oil"}),
        ("is:review", {"tehran"}),
        ("talks oil", {"oil", "undated"}),
        ("talks AND oil", {"oil", "undated"}),
        ("kremlin OR vienna", {"kremlin", "oil"}),
        ("talks -oil", {"kremlin", "tehran"}),
        ("talks NOT oil", {"kremlin", "tehran"}),
        ("(kremlin OR vienna) publisher:reuters", {"oil"}),
        ("NOT (publisher:reuters OR publisher:press)", {"undated"}),
        ("O'Brien", {"tehran"}),
        ("muscat diplomat", {"tehran"}),
    ],
)
def test_each_form_finds_the_right_articles(
    lib: tuple[Library, dict[str, int]], query: str, expected: set[str]
) -> None:
    assert _names(lib, query) == expected


def test_free_words_rank_by_relevance(lib: tuple[Library, dict[str, int]]) -> None:
    library, ids = lib
    ranked = library.article_ids("oil", sort="rank")
    assert ranked[0] == ids["oil"]
    assert set(ranked) == {ids["oil"], ids["undated"]}
    hits = library.search("oil prices")
    assert hits[0].id == ids["oil"]
    assert "[prices]" in hits[0].snippet.lower() or "[Prices]" in hits[0].snippet


def test_filters_alone_keep_the_table_order(lib: tuple[Library, dict[str, int]]) -> None:
    library, ids = lib
    assert library.article_ids("publisher:press", sort="title") == [ids["tehran"], ids["kremlin"]]
    assert [h.snippet for h in library.search("publisher:reuters")] == [""]


def test_trash_is_searched_only_when_asked(lib: tuple[Library, dict[str, int]]) -> None:
    library, ids = lib
    library.trash([ids["oil"]])
    assert _names(lib, "oil*") == {"undated"}
    assert _names(lib, "is:trash") == {"oil"}
    assert _names(lib, "is:trash oil") == {"oil"}


def test_imported_dates(lib: tuple[Library, dict[str, int]]) -> None:
    today = dt.datetime.now(dt.UTC).date()
    assert len(_names(lib, f"imported:{today.isoformat()}")) == 4
    assert _names(lib, f"imported:<{today.isoformat()}") == set()
    assert len(_names(lib, f"imported:{today.year}")) == 4


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "NEAR(",
        "a:b",
        "*",
        "(",
        ")",
        "O'Brien",
        "((talks",
        "talks)",
        "-",
        "OR",
        "AND AND",
        "NOT",
        '""',
        "^x",
        "-(",
        "near(talks, oil)",
        '"a" "b',
        "col:x:y",
    ],
)
def test_hostile_input_searches_sensibly(lib: tuple[Library, dict[str, int]], query: str) -> None:
    library, _ = lib
    library.article_ids(query)  # no SQLite error
    library.search(query)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date:yesterday", "date:yesterday is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("date:2022-13", "is not a date"),
        ("is:starred", "is:starred is not known; use is:review or is:trash"),
        ("title:", "title: needs a value"),
        ("tag:", "tag: needs a value"),
        ("title:*", "title: needs a value"),
    ],
)
def test_broken_filters_explain_themselves_in_one_line(
    lib: tuple[Library, dict[str, int]], query: str, message: str
) -> None:
    library, _ = lib
    with pytest.raises(QueryError, match=message.replace("(", r"\(")) as info:
        library.article_ids(query)
    assert "\n" not in str(info.value)


def test_parse_tree() -> None:
    assert parse_query("") is None
    assert parse_query("a") == Text("a")
    assert parse_query("a b*") == And((Text("a"), Text("b", prefix=True)))
    assert parse_query('title:"x y" OR -z') == Or((Text("x y", column="title"), Not(Text("z"))))
    assert parse_query("publisher:ap tag:x*") == And(
        (Filter("publisher", "ap"), Filter("tag", "x", prefix=True))
    )
    assert parse_query("unknown:field") == Text("unknown:field")
    assert parse_query("((a") == Text("a")


def test_free_text_or_and_not_become_one_fts_match() -> None:
    from archive_app.core.query import compile_query

    compiled = compile_query("(iran OR iraq) -sanctions talks")
    assert compiled.match == '("iran" OR "iraq") AND "talks" NOT "sanctions"'
    assert compiled.only_text
    assert compile_query("-sanctions").match is None  # nothing positive to rank by


def test_very_broad_matches_come_newest_first(
    lib: tuple[Library, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import archive_app.core.library as library_module

    library, ids = lib
    assert library.article_ids("talks", sort="rank")[0] != ids["undated"]
    monkeypatch.setattr(library_module, "RANK_LIMIT", 2)
    assert library.article_ids("talks", sort="rank") == sorted(ids.values(), reverse=True)
    library.trash([ids["undated"]])
    assert ids["undated"] not in library.article_ids("talks", sort="rank")
    assert library.article_ids("talks", sort="rank", trash=True) == [ids["undated"]]
