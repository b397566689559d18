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
    from archive_app.core import listing

    library, ids = lib
    assert library.article_ids("talks", sort="rank")[0] != ids["undated"]
    monkeypatch.setattr(listing, "RANK_LIMIT", 2)
    assert library.article_ids("talks", sort="rank") == sorted(ids.values(), reverse=True)
    library.trash([ids["undated"]])
    assert ids["undated"] not in library.article_ids("talks", sort="rank")
    assert library.article_ids("talks", sort="rank", trash=True) == [ids["undated"]]


# --- depth and size limits: a one-line QueryError, never a RecursionError or SQLite's own -----


def _alternating(levels: int, left: str, right: str) -> str:
    """Return ``left OR (right (left OR (right ...`` with ``levels`` parentheses."""
    opened = "".join(f"{left} OR (" if i % 2 == 0 else f"{right} (" for i in range(levels))
    return opened + left + ")" * levels


def _runs_everywhere(library: Library, query: str) -> None:
    library.article_ids(query)
    library.article_ids(query, sort="rank")
    library.list_articles(query, sort="title")
    library.search(query)


@pytest.mark.parametrize(
    "query",
    [
        "(" * 500 + "talks",
        "(" * 33 + "talks",
        "a OR (" * 40 + "b" + ")" * 40,
        "a OR (" * 40 + "b",
        "NOT (" * 17 + "talks",
        "(" * 100_000,
        _alternating(24, "tag:energy", "-publisher:x"),
        _alternating(30, "oil", "talks"),
        "NOT (talks OR " * 12 + "oil" + ")" * 12,
        " OR ".join(f"w{i}" for i in range(1000)),
        " ".join(f"tag:t{i}" for i in range(1000)),
    ],
    ids=[
        "500-parens",
        "33-parens",
        "40-nested-or",
        "40-nested-or-unclosed",
        "17-not-parens",
        "100k-parens",
        "24-alternating-filters",
        "30-alternating-words",
        "12-not-or",
        "1000-words",
        "1000-filters",
    ],
)
def test_too_deep_or_too_long_is_a_one_line_query_error(
    lib: tuple[Library, dict[str, int]], query: str
) -> None:
    library, _ = lib
    for run in (library.article_ids, library.list_articles, library.search):
        with pytest.raises(QueryError, match="simplify it") as info:
            run(query)
        assert "\n" not in str(info.value)


def test_everything_within_the_limits_runs_on_sqlite(lib: tuple[Library, dict[str, int]]) -> None:
    from archive_app.core.query import MAX_DEPTH, MAX_NESTING, MAX_TERMS, _measure

    library, _ = lib
    assert MAX_DEPTH == 32
    queries = [
        "(" * MAX_DEPTH + "talks",
        "a OR (" * MAX_DEPTH + "talks" + ")" * MAX_DEPTH,  # one OR of 33 words
        "publisher:a OR (" * MAX_DEPTH + "tag:energy" + ")" * MAX_DEPTH,
        "NOT " * 1000 + "talks",
        # The costliest SQL there is, as deep as allowed: tags, dates and negations at every
        # level of alternating ANDs and ORs (SQLite's parser overflows a few levels further).
        _alternating(MAX_NESTING - 1, "-tag:energy", "-tag:x"),
        _alternating(MAX_NESTING - 1, "-date:2020..2021", "lang:en"),
        _alternating(MAX_NESTING - 1, "-oil", "-talks"),
        "NOT (-tag:x OR " * (MAX_NESTING // 2 - 1) + "tag:y" + ")" * (MAX_NESTING // 2 - 1),
        " OR ".join(f"w{i}" for i in range(200)),
        " OR ".join(f"tag:t{i}" for i in range(MAX_TERMS)),
        " ".join(f"-lang:l{i}" for i in range(MAX_TERMS - 1)) + " talks",
        "oil (" + " OR ".join(f"publisher:p{i} w{i}" for i in range(MAX_TERMS // 2 - 1)) + ")",
    ]
    nesting = []
    for query in queries:
        _runs_everywhere(library, query)
        nesting.append(_measure(parse_query(query))[0])  # type: ignore[arg-type]
    assert max(nesting) == MAX_NESTING


def test_nots_cancel_in_pairs(lib: tuple[Library, dict[str, int]]) -> None:
    assert parse_query("NOT NOT talks") == Text("talks")
    assert parse_query("NOT -talks") == Text("talks")
    assert parse_query("NOT (NOT (talks))") == Text("talks")
    assert parse_query("NOT " * 51 + "talks") == Not(Text("talks"))
    assert _names(lib, "NOT " * 50 + "talks") == _names(lib, "talks")
    assert _names(lib, "NOT " * 51 + "talks") == _names(lib, "-talks")
    assert _names(lib, "NOT " * 50 + "-tag:energy") == _names(lib, "-tag:energy")


def test_nested_ors_are_one_or() -> None:
    assert parse_query("a OR (b OR (c OR d))") == Or((Text("a"), Text("b"), Text("c"), Text("d")))
    assert parse_query("a (b (c d))") == And((Text("a"), Text("b"), Text("c"), Text("d")))
    assert parse_query("a OR (b c)") == Or((Text("a"), And((Text("b"), Text("c")))))


@pytest.mark.sqlite_only  # PostgreSQL's limits are far beyond these queries
def test_what_sqlite_still_refuses_is_a_one_line_query_error(
    lib: tuple[Library, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import archive_app.core.query as query_module

    library, _ = lib
    monkeypatch.setattr(query_module, "MAX_DEPTH", 1000)  # as if the limits were wrong
    monkeypatch.setattr(query_module, "MAX_NESTING", 1000)
    deep = _alternating(60, "tag:energy", "-tag:x")
    for run in (library.article_ids, library.list_articles, library.search):
        with pytest.raises(QueryError, match=r"too complex for the database \(.*\); simplify it"):
            run(deep)
