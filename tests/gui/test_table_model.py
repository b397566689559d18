"""The library table model: lazy rows by id, SQL sorting, and Qt's model contract."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from archive_app.core.library import Library
from archive_app.core.records import Changes
from archive_app.gui.views.article_table import ArticleTableModel
from tests.conftest import NewArticleFactory


def test_model_passes_qtmodeltester_also_after_inserts_and_removals(
    qtmodeltester: ModelTester, library: Library, make_article: NewArticleFactory
) -> None:
    library.add_articles([make_article() for _ in range(5)])
    model = ArticleTableModel(library)
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    library.add_articles([make_article() for _ in range(3)])
    model.apply_changes(Changes(added=True))
    assert model.rowCount() == 8
    qtmodeltester.check(model)
    ids = model.ids()
    library.trash(ids[:4])
    model.apply_changes(Changes(article_ids=frozenset(ids[:4]), removed=True))
    assert model.rowCount() == 4
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)


def test_rows_are_fetched_by_id_in_pages(library: Library, make_article: NewArticleFactory) -> None:
    library.add_articles([make_article(title=f"Title {n:04d}") for n in range(450)])
    model = ArticleTableModel(library)
    calls: list[int] = []
    original = library.summaries

    def counting(ids: list[int]) -> dict[int, object]:
        calls.append(len(ids))
        return original(ids)  # type: ignore[return-value]

    library.summaries = counting  # type: ignore[assignment,method-assign]
    assert model.rowCount() == 450
    assert calls == []  # nothing is fetched until a row is shown
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, 0)) == "Title 0000"
    assert model.data(model.index(1, 0)) == "Title 0001"
    assert calls == [ArticleTableModel.PAGE_SIZE]
    assert model.data(model.index(449, 0)) == "Title 0449"
    assert calls == [ArticleTableModel.PAGE_SIZE, 450 % ArticleTableModel.PAGE_SIZE]


def test_edits_refresh_only_their_rows(library: Library, make_article: NewArticleFactory) -> None:
    [a, b] = library.add_articles([make_article(title="One"), make_article(title="Two")])
    model = ArticleTableModel(library)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, 0)) == "One"
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom: changed.append(top.row()))
    changes = library.update_fields(a, {"title": "One, edited"})
    model.apply_changes(changes)
    assert changed == [0]
    assert model.data(model.index(0, 0)) == "One, edited"
    assert model.data(
        model.index(
            0,
            0,
        )
    ) != model.data(model.index(1, 0))
    assert b in model.ids()
