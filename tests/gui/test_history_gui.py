"""Every edit kept, in the window: the history panel, drafts and their recovery, the trash
read-only, automatic backups and the Tools menu."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from archive_app.gui import auto_backup
from archive_app.gui.views.history_panel import changes_html, local_time_text
from archive_app.gui.windows.main_window import MainWindow
from tests.gui.helpers import write_article

Choice = QMessageBox.StandardButton


def _window(make_window: object, library: Library, tmp_path: Path) -> MainWindow:
    import_paths(
        library,
        [
            write_article(tmp_path / "in", "a.txt", "Alpha headline about harbours"),
            write_article(tmp_path / "in", "b.txt", "Bravo headline about mountains"),
        ],
    )
    window: MainWindow = make_window(library)  # type: ignore[operator]
    window.library_view.select_id(window.model.ids()[0])
    assert window.form.record is not None
    return window


# -- 1. the history panel --------------------------------------------------------------


def test_history_panel_lists_revisions_and_refreshes_after_saves(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path
) -> None:
    window = _window(make_window, library, tmp_path)
    panel = window.form.history_panel
    assert panel.revisions == []
    stored_title = window.form.title_edit.text()
    window.form.title_edit.setText("First <edit>")
    assert window.save()
    window.form.body_edit.setPlainText("New first paragraph.\n\nSecond <b>paragraph</b>.")
    assert window.save()
    assert [r.kind for r in panel.revisions] == ["edit", "edit"]
    assert panel.list.topLevelItemCount() == 3  # and the article as imported, at the bottom
    newest = panel.list.topLevelItem(0)
    assert newest is not None
    assert newest.text(3) == "Body"  # which fields
    assert newest.text(1) == panel.revisions[-1].user
    oldest = panel.list.topLevelItem(1)
    assert oldest is not None
    assert oldest.text(3) == "Title"
    panel.list.setCurrentItem(oldest)
    assert f"Title: {stored_title} → First <edit>" in panel.diff_text()
    panel.list.setCurrentItem(newest)
    text = panel.diff_text()
    assert "+ Second <b>paragraph</b>." in text  # a line diff, escaped (shown as typed)
    assert f"− The body of {stored_title}. It has words in it." in text
    assert not panel.restore_button.isEnabled()  # the newest is how the article is now


def test_diff_and_times_are_readable() -> None:
    html = changes_html({"section_path": (["World"], ["World", "US/Canada"]), "notes": ("", "x")})
    assert "Section:</b>" in html
    assert "World / US/Canada" in html
    assert "<script>" not in changes_html({"title": ("<script>", "b")})
    now = dt.datetime.now().astimezone()
    utc_now = now.astimezone(dt.UTC).replace(tzinfo=None)
    assert local_time_text(utc_now, now) == f"{now.hour:02d}:{now.minute:02d}"
    assert local_time_text(dt.datetime(2001, 2, 3, 12, 0), now).startswith("2001-02-0")


def test_restore_this_version_asks_reverts_and_reloads_everything(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path
) -> None:
    window = _window(make_window, library, tmp_path)
    record = window.form.record
    assert record is not None
    window.form.title_edit.setText("Second title")
    assert window.save()
    window.form.title_edit.setText("Third title")
    assert window.save()
    panel = window.form.history_panel
    panel.set_expanded(True)
    first = panel.revisions[0]
    assert panel.select_revision(first.id)
    assert panel.restore_button.isEnabled()
    # Unsaved edits are resolved first, then the restore is confirmed.
    window.form.notes_edit.setPlainText("typed, not saved")
    order: list[str] = []
    window.ask_unsaved_changes = lambda: order.append("unsaved") or Choice.Discard  # type: ignore[method-assign,func-returns-value]
    window.confirm_restore = lambda revision: order.append(f"confirm {revision.id}") or False  # type: ignore[method-assign]
    panel.restore_button.click()
    assert order == ["unsaved", f"confirm {first.id}"]
    assert library.get_article(record.id).title == "Third title"  # declined: nothing changed
    window.confirm_restore = lambda revision: True  # type: ignore[method-assign]
    with qtbot.waitSignal(window.revision_restored) as blocker:
        panel.restore_button.click()
    assert blocker.args == [record.id, first.id]
    assert library.get_article(record.id).title == "Second title"
    assert window.form.title_edit.text() == "Second title"
    assert not window.form.is_modified
    row = window.model.row_of(record.id)
    assert row is not None
    assert window.model.index(row, 0).data() == "Second title"
    qtbot.waitUntil(lambda: "Second title" in window.preview.toPlainText())
    assert panel.revisions[-1].kind == f"restore of revision {first.id}"


def test_the_history_ends_with_the_article_as_imported(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path
) -> None:
    window = _window(make_window, library, tmp_path)
    record = window.form.record
    assert record is not None
    panel = window.form.history_panel
    assert panel.list.topLevelItemCount() == 0  # unchanged: nothing to go back to
    imported_title, imported_body = record.title, record.body
    window.form.title_edit.setText("Second title")
    assert window.save()
    window.form.body_edit.setPlainText("A new body.")
    window.form.notes_edit.setPlainText("A note")
    assert window.save()
    window.form.notes_edit.setPlainText("")
    assert window.save()
    panel.set_expanded(True)
    assert panel.list.topLevelItemCount() == 4
    bottom = panel.list.topLevelItem(3)
    assert bottom is not None
    assert bottom.text(2) == "as imported"
    assert bottom.text(3) == "Title, Body"  # the notes are as imported again
    panel.list.setCurrentItem(bottom)
    text = panel.diff_text()
    assert "as imported" in text
    assert f"Title: {imported_title} → Second title" in text
    assert "Notes" not in text
    assert panel.restore_button.isEnabled()

    asked: list[str] = []
    window.confirm_restore = lambda revision: asked.append(revision.kind) or True  # type: ignore[method-assign,func-returns-value]
    with qtbot.waitSignal(window.revision_restored) as blocker:
        panel.restore_button.click()
    assert asked == ["as imported"]
    assert blocker.args == [record.id, 0]  # revert --to 0
    stored = library.get_article(record.id)
    assert (stored.title, stored.body, stored.notes) == (imported_title, imported_body, "")
    assert window.form.title_edit.text() == imported_title
    assert window.statusBar().currentMessage() == "Restored the article as imported."
    # Now it is as imported again: its entry says so and cannot be restored once more.
    assert panel.list.topLevelItemCount() == 5
    bottom = panel.list.topLevelItem(4)
    assert bottom is not None
    assert bottom.text(2) == "as imported"
    assert bottom.text(3) == ""
    panel.list.setCurrentItem(bottom)
    assert "Every field is as imported again" in panel.diff_text()
    assert not panel.restore_button.isEnabled()


# -- 2. drafts ---------------------------------------------------------------------------


def test_typing_writes_a_draft_soon_and_saving_discards_it(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path
) -> None:
    window = _window(make_window, library, tmp_path)
    record = window.form.record
    assert record is not None
    window.form.title_edit.setFocus()
    window.form.title_edit.end(False)
    qtbot.keyClicks(window.form.title_edit, " typed")
    assert window.draft_timer.isActive()
    assert 1000 <= window.draft_timer.interval() <= 2000
    with qtbot.waitSignal(window.draft_saved, timeout=3000):
        pass
    assert library.drafts() == {record.id: {"title": record.title + " typed"}}
    assert window.save()
    assert library.drafts() == {}
    window.form.notes_edit.setPlainText("a note")
    qtbot.waitUntil(lambda: library.drafts() != {}, timeout=3000)
    window.revert()  # discarding the edits discards the draft
    assert library.drafts() == {}


def test_a_restarted_window_offers_to_recover_a_draft(
    qtbot: QtBot, make_window: object, library: Library, library_path: Path, tmp_path: Path
) -> None:
    """The first window types and its draft is written; it is never closed (as in a crash):
    a second window on a fresh ``Library`` of the same file, as a restart, offers the edits."""
    window = _window(make_window, library, tmp_path)
    record = window.form.record
    assert record is not None
    other = next(i for i in window.model.ids() if i != record.id)
    qtbot.keyClicks(window.form.title_edit, "Crash-proof ")
    window.form.date_edit.setText("2024-02-3")  # half typed: kept as typed
    qtbot.waitUntil(lambda: record.id in library.drafts(), timeout=3000)
    window.draft_timer.stop()
    window.auto_backup_on_quit = False
    library.save_draft(other, {"notes": "left in another article"})

    second_library = Library(library_path)
    try:
        second: MainWindow = make_window(second_library)  # type: ignore[operator]
        qtbot.waitUntil(lambda: second.last_recovery_dialog is not None)
        dialog = second.last_recovery_dialog
        assert dialog is not None
        assert dialog.isVisible()
        assert [e.article_id for e in dialog.entries] == sorted([record.id, other])
        entry = next(e for e in dialog.entries if e.article_id == record.id)
        assert entry.changes["title"] == (record.title, "Crash-proof " + record.title)
        assert entry.changes["published_on"] == (None, "2024-02-3")
        dialog.recover_buttons[record.id].click()
        assert second.form.record is not None
        assert second.form.record.id == record.id
        assert second.form.title_edit.text() == "Crash-proof " + record.title
        assert second.form.date_edit.text() == "2024-02-3"
        assert second.form.is_modified
        assert second.library_view.selected_ids() == [record.id]
        assert not dialog.recover_buttons[record.id].isEnabled()
        dialog.discard_buttons[other].click()
        assert set(second_library.drafts()) == {record.id}  # kept until saved or discarded
        second.form.date_edit.setText("2024-02-03")
        assert second.save()
        assert second_library.drafts() == {}
        assert second_library.get_article(record.id).title == "Crash-proof " + record.title
        second.close()
    finally:
        second_library.close()


# -- 4. the trash ------------------------------------------------------------------------


def test_trashed_articles_are_read_only_and_purging_defaults_to_cancel(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path
) -> None:
    window = _window(make_window, library, tmp_path)
    record = window.form.record
    assert record is not None
    library.trash([record.id])
    window.toggle_trash(True)
    window.library_view.select_id(record.id)
    form = window.form
    assert form.record is not None
    assert form.record.id == record.id
    assert form.is_read_only
    assert form.title_edit.isReadOnly()
    assert form.body_edit.isReadOnly()
    assert not form.review_check.isEnabled()
    assert not form.read_only_banner.isHidden()
    assert "In the trash: restore it to edit" in form.read_only_banner.text()
    qtbot.keyClicks(form.title_edit, "cannot type here")
    assert not form.is_modified
    assert not window.save_action.isEnabled()
    assert not form.history_panel.restore_button.isEnabled()

    box = window.purge_confirmation(1)
    qtbot.addWidget(box)
    cancel = box.button(Choice.Cancel)
    assert box.defaultButton() is cancel
    assert box.escapeButton() is cancel
    window.confirm_purge = lambda count: False  # type: ignore[method-assign]
    window.delete_selected()
    assert record.id in library.article_ids(trash=True)
    window.confirm_purge = lambda count: True  # type: ignore[method-assign]
    window.delete_selected()
    assert record.id not in library.article_ids(trash=True)

    window.toggle_trash(False)
    window.library_view.select_id(window.model.ids()[0])
    assert not window.form.is_read_only
    assert window.form.read_only_banner.isHidden()


# -- 5. backups and the Tools menu -------------------------------------------------------


def test_quitting_writes_a_rotating_backup_at_most_once_a_day(
    qtbot: QtBot, make_window: object, library: Library, library_path: Path, tmp_path: Path
) -> None:
    window = _window(make_window, library, tmp_path)
    window.ask_unsaved_changes = lambda: Choice.Discard  # type: ignore[method-assign]
    old = dt.datetime(2020, 1, 1, 12, 0, 0)
    for day in range(6):
        auto_backup.backup_path(library_path, old + dt.timedelta(days=day)).write_bytes(b"x")
    with qtbot.waitSignal(window.backup_written) as blocker:
        assert window.close()
    path = blocker.args[0]
    assert path.name.startswith("library.sqlite3.auto-")
    assert path.name.endswith(".backup")
    kept = [p for _w, p in auto_backup.existing_backups(library_path)]
    assert len(kept) == 5  # the default keeps the last five
    assert kept[-1] == path
    copy = Library(path)
    try:
        assert copy.count() == 2
    finally:
        copy.close()
    # Again today: not due.
    assert not auto_backup.is_due(library, dt.datetime.now())
    assert window.write_auto_backup() is None


def test_no_automatic_backup_that_would_fill_the_disk(
    qtbot: QtBot, library_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(library)
    qtbot.addWidget(window)
    size = library_path.stat().st_size
    free = size + auto_backup.MIN_FREE_AFTER - 1  # the copy would leave just under the margin
    monkeypatch.setattr(auto_backup.shutil, "disk_usage", lambda _path: SimpleNamespace(free=free))
    assert auto_backup.is_due(library, dt.datetime.now())
    assert window.write_auto_backup() is None
    assert auto_backup.existing_backups(library_path) == []
    assert "Automatic backup skipped" in window.statusBar().currentMessage()
    monkeypatch.setattr(
        auto_backup.shutil, "disk_usage", lambda _path: SimpleNamespace(free=free + 1)
    )
    assert window.write_auto_backup() is not None  # room enough: written


def test_no_automatic_backup_of_a_read_only_library(library_path: Path, library: Library) -> None:
    now = dt.datetime.now()
    assert auto_backup.is_due(library, now)

    class ReadOnly:  # chmod does not stop root: say it the way Library says it
        read_only = True
        path = file = library_path

    assert not auto_backup.is_due(ReadOnly(), now)  # type: ignore[arg-type]


def test_check_library_runs_in_the_background_and_reports(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path
) -> None:
    window = _window(make_window, library, tmp_path)
    with qtbot.waitSignal(window.library_checked, timeout=10_000) as blocker:
        window.check_library_action.trigger()
    assert blocker.args == [[]]
    box = window.last_check_box
    assert box is not None
    assert "All is well" in box.text()


def test_back_up_now_writes_where_asked(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path
) -> None:
    window = _window(make_window, library, tmp_path)
    target = tmp_path / "copy.backup"
    window.ask_backup_path = lambda: target  # type: ignore[method-assign]
    with qtbot.waitSignal(window.backup_written, timeout=10_000) as blocker:
        window.backup_now_action.trigger()
    assert blocker.args == [target]
    assert target.is_file()
