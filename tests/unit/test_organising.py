"""Sidebar counts, saved searches and batch edit with undo, against a real library."""

from __future__ import annotations

import pytest

from archive_app.core.errors import ValidationError
from archive_app.core.library import Library
from archive_app.core.query import QueryError
from archive_app.core.records import BatchEdit
from tests.conftest import NewArticleFactory


@pytest.fixture
def ids(library: Library, make_article: NewArticleFactory) -> list[int]:
    return library.add_articles(
        [
            make_article(section_path=("News", "Russia"), publisher="Press TV", tags=("war",)),
            make_article(section_path=("News", "Iran"), publisher="Press TV"),
            make_article(section_path=("News", "Russia"), publisher="Reuters", tags=("war", "oil")),
            make_article(section_path=("Economy",), publisher="Reuters", needs_review=True),
            make_article(),
        ]
    )


def test_facets_count_sections_as_a_tree_publishers_and_tags(
    library: Library, ids: list[int]
) -> None:
    library.trash([ids[4]])
    facets = library.facets()
    sections = {f.path: f.count for f in facets.sections}
    assert sections == {("Economy",): 1, ("News",): 3, ("News", "Iran"): 1, ("News", "Russia"): 2}
    assert [(f.label, f.count) for f in facets.publishers] == [("Press TV", 2), ("Reuters", 2)]
    assert [(f.label, f.count) for f in facets.tags] == [("oil", 1), ("war", 2)]
    assert (facets.total, facets.review, facets.trash) == (4, 1, 1)


def test_facets_of_the_trash_count_the_trash(library: Library, ids: list[int]) -> None:
    library.trash([ids[0], ids[2]])
    facets = library.facets(trash=True)
    in_trash = set(library.article_ids(trash=True))
    assert in_trash == {ids[0], ids[2]}
    for facet in (*facets.sections, *facets.publishers, *facets.tags):
        assert len(set(library.article_ids(facet.query, trash=True))) == facet.count, facet
    assert {f.path: f.count for f in facets.sections} == {("News",): 2, ("News", "Russia"): 2}
    assert [(f.label, f.count) for f in facets.publishers] == [("Press TV", 1), ("Reuters", 1)]
    assert [(f.label, f.count) for f in facets.tags] == [("oil", 1), ("war", 2)]
    assert facets.trash == 2
    assert facets.total == len(library.article_ids())  # the library's own count, still


def test_each_facet_query_lists_exactly_its_articles(library: Library, ids: list[int]) -> None:
    facets = library.facets()
    for facet in (*facets.sections, *facets.publishers, *facets.tags):
        assert len(library.article_ids(facet.query)) == facet.count, facet


def test_saved_searches_are_stored_listed_edited_and_deleted(library: Library) -> None:
    saved = library.save_search("Russia war", "section:russia tag:war")
    library.save_search("Agencies", "publisher:reuters OR publisher:afp")
    assert [s.name for s in library.saved_searches()] == ["Agencies", "Russia war"]
    library.save_search("Russia (war)", "tag:war", search_id=saved.id)
    assert [(s.name, s.query) for s in library.saved_searches()][1] == ("Russia (war)", "tag:war")
    with pytest.raises(ValidationError, match="already called"):
        library.save_search("agencies", "x")
    with pytest.raises(ValidationError, match="name"):
        library.save_search("  ", "x")
    with pytest.raises(QueryError):
        library.save_search("Broken", "date:someday")
    library.delete_saved_search(saved.id)
    assert [s.name for s in library.saved_searches()] == ["Agencies"]


def test_batch_edit_previews_applies_in_one_go_and_undoes(library: Library, ids: list[int]) -> None:
    edit = BatchEdit(add_tags=("checked",), remove_tags=("WAR",), publisher="Press TV")
    plan = library.plan_batch_edit(ids[:3], edit)
    assert {(c.article_id, c.field, c.old, c.new) for c in plan} == {
        (ids[0], "tags", "war", "checked"),
        (ids[1], "tags", "", "checked"),
        (ids[2], "tags", "oil, war", "checked, oil"),
        (ids[2], "publisher", "Reuters", "Press TV"),
    }
    before = [library.get_article(i) for i in ids[:3]]
    changes, undo = library.apply_batch_edit(ids[:3], edit)
    assert changes.article_ids == set(ids[:3])
    assert library.get_article(ids[2]).publisher == "Press TV"
    assert library.get_article(ids[2]).tags == ("checked", "oil")
    assert library.article_ids("tag:war") == []
    assert library.plan_batch_edit(ids[:3], edit) == []  # nothing left to change
    library.undo_batch_edit(undo)
    after = [library.get_article(i) for i in ids[:3]]
    assert [a.editable() for a in after] == [b.editable() for b in before]
    assert sorted(library.article_ids("tag:war")) == sorted([ids[0], ids[2]])


def test_batch_edit_sets_section_and_language(library: Library, ids: list[int]) -> None:
    library.apply_batch_edit(ids, BatchEdit(section_path=("World", "Europe"), language="en"))
    assert {library.get_article(i).section_path for i in ids} == {("World", "Europe")}
    assert len(library.article_ids("section:europe lang:en")) == len(ids)
