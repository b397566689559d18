"""Two archivists on one article: the second save shows both versions; nothing is lost."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from archive_app.core.records import ArticleFields
from archive_app.gui.dialogs.conflict import ConflictDialog, field_conflicts
from archive_app.gui.windows.main_window import MainWindow
from tests.gui.helpers import write_article


def test_the_dialog_shows_each_differing_field_and_merges_the_sides_chosen(
    qtbot: QtBot,
) -> None:
    base = ArticleFields(title="Base", body="Base body.", notes="base", tags=("a",))
    theirs = replace(base, title="Their title", notes="their note")
    mine = replace(base, body="My body.", notes="my note")
    dialog = ConflictDialog(base, theirs, mine, their_version=2)
    qtbot.addWidget(dialog)
    assert [(c.name, c.default) for c in dialog.conflicts] == [
        ("title", "theirs"),  # only they changed it
        ("body", "mine"),  # only I did
        ("notes", "mine"),  # both did: mine unless chosen otherwise
    ]
    assert "(version 2)" in dialog.intro_label.text()
    dialog.choose("notes", "theirs")
    with qtbot.waitSignal(dialog.accepted):
        dialog.merge_button.click()
    assert dialog.decision == "merge"
    assert dialog.result_fields() == replace(
        base, title="Their title", body="My body.", notes="their note"
    )


@pytest.mark.parametrize(
    ("button", "expected"),
    [("keep_theirs_button", "theirs"), ("keep_mine_button", "mine")],
)
def test_keeping_one_version_keeps_all_of_it(qtbot: QtBot, button: str, expected: str) -> None:
    base = ArticleFields(title="Base", body="Base body.")
    theirs, mine = replace(base, title="Theirs"), replace(base, body="Mine.")
    dialog = ConflictDialog(base, theirs, mine, their_version=5)
    qtbot.addWidget(dialog)
    getattr(dialog, button).click()
    assert dialog.decision == expected
    assert dialog.result_fields() == (theirs if expected == "theirs" else mine)


def test_nothing_differs_when_they_saved_what_i_typed() -> None:
    base = ArticleFields(title="Base")
    same = replace(base, title="Same")
    assert field_conflicts(base, same, same) == []


# -- the window --------------------------------------------------------------------------


@pytest.fixture
def setup(
    qtbot: QtBot, make_window: object, library_path: Path, tmp_path: Path
) -> Iterator[tuple[MainWindow, Library, int]]:
    """A window on a library file, an article open in it, and a second archivist's library."""
    mine = Library(library_path)
    import_paths(mine, [write_article(tmp_path / "in", "a.txt", "Harbour news", "Old body.")])
    window: MainWindow = make_window(mine)  # type: ignore[operator]
    [article_id] = window.model.ids()
    window.library_view.select_id(article_id)
    assert window.form.record is not None
    assert window.form.record.version == 1
    other = Library(library_path)
    yield window, other, article_id
    other.close()


def _edit_here_and_there(window: MainWindow, other: Library, article_id: int) -> None:
    window.form.title_edit.setText("My title")
    assert window.form.is_modified
    assert window.write_draft()
    other.update_fields(article_id, {"body": "Their body."}, expected_version=1)


def _answer(window: MainWindow, act: Callable[[ConflictDialog], None]) -> list[ConflictDialog]:
    shown: list[ConflictDialog] = []

    def answer() -> None:
        dialog = window.last_conflict_dialog
        assert dialog is not None, "no conflict dialog was shown"
        shown.append(dialog)
        act(dialog)

    QTimer.singleShot(0, answer)
    return shown


def test_a_stale_save_in_the_window_merges_field_by_field(
    setup: tuple[MainWindow, Library, int],
) -> None:
    window, other, article_id = setup
    _edit_here_and_there(window, other, article_id)
    shown = _answer(window, lambda dialog: dialog.merge_button.click())
    assert window.save()
    [dialog] = shown
    assert {c.name: c.default for c in dialog.conflicts} == {"title": "mine", "body": "theirs"}
    stored = other.get_article(article_id)
    assert (stored.title, stored.body, stored.version) == ("My title", "Their body.", 3)
    assert window.form.record is not None
    assert window.form.record.version == 3
    assert not window.form.is_modified
    assert article_id not in window.library.drafts()


def test_a_cancelled_conflict_keeps_the_edits_and_their_draft(
    setup: tuple[MainWindow, Library, int],
) -> None:
    window, other, article_id = setup
    _edit_here_and_there(window, other, article_id)
    _answer(window, lambda dialog: dialog.reject())
    assert not window.save()
    assert window.form.is_modified
    assert window.form.title_edit.text() == "My title"
    assert window.library.drafts()[article_id]["title"] == "My title"
    stored = other.get_article(article_id)
    assert (stored.title, stored.body, stored.version) == ("Harbour news", "Their body.", 2)
    # Saving again asks again; keeping mine saves my edits over theirs (theirs stays in the
    # history).
    _answer(window, lambda dialog: dialog.keep_mine_button.click())
    assert window.save()
    stored = other.get_article(article_id)
    assert (stored.title, stored.body) == ("My title", "Old body.")
    assert [r.changes.get("body") for r in other.history(article_id)] == [
        ("Old body.", "Their body."),
        ("Their body.", "Old body."),
    ]


def test_keeping_theirs_shows_their_version_in_the_form(
    setup: tuple[MainWindow, Library, int],
) -> None:
    window, other, article_id = setup
    _edit_here_and_there(window, other, article_id)
    _answer(window, lambda dialog: dialog.keep_theirs_button.click())
    assert window.save()
    assert window.form.record is not None
    assert window.form.record.version == 2
    assert window.form.title_edit.text() == "Harbour news"
    assert not window.form.is_modified
    assert other.get_article(article_id).version == 2  # nothing written
