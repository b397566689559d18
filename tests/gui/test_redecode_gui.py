"""Rights, boilerplate, provenance and "Re-decode as…" as an archivist uses them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from archive_app.core.compression import compress
from archive_app.core.library import Library
from archive_app.core.records import ArticleFields, ArticleRecord, NewArticle
from archive_app.gui.dialogs.redecode import RedecodeDialog, first_lines
from archive_app.gui.windows.main_window import MainWindow
from tests.gui.helpers import import_and_wait

Choice = QMessageBox.StandardButton

TITLE = "Президент встретился с министрами в Москве"
RUSSIAN = (
    f"{TITLE}\n\n"
    "Президент России провёл совещание с членами правительства. Обсуждались вопросы "
    "экономики и бюджета на следующий год.\n\n"
    "Министры доложили о ходе работы и планах на осень.\n"
)
#: How the koi8-r title reads when the bytes are taken for cp1251 (mojibake).
TITLE_AS_CP1251 = TITLE.encode("koi8_r").decode("cp1251")


def _legacy_article(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> int:
    """Import Russian text saved in KOI8-R from a real file; return its id."""
    path = tmp_path / "in" / "moscow.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(RUSSIAN.encode("koi8_r"))
    report = import_and_wait(qtbot, window, [path])
    [article_id] = report.imported
    assert window.form.record is not None
    assert window.form.record.id == article_id
    return article_id


def _stored(
    library: Library,
    *,
    encoding: str = "cp1251",
    confidence: float = 0.62,
    sidecar: str = "",
    warnings: tuple[str, ...] = (),
    **fields: object,
) -> int:
    values: dict[str, object] = {"title": "Stored article", "body": "One.\n\nTwo."} | fields
    raw = f"{values['title']}\n\n{values['body']}".encode()
    item = NewArticle(
        fields=ArticleFields(**values),  # type: ignore[arg-type]
        parse_warnings=warnings,
        content_hash=hashlib.sha256(raw).hexdigest(),
        file_name="stored.txt",
        original_path="/tmp/stored.txt",
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        compressed_data=compress(raw),
        encoding_confidence=confidence,
        sidecar_name=sidecar,
        sidecar_data=compress(b"{}") if sidecar else b"",
    )
    [(article_id, _new)] = library.add_new_articles([item])
    return article_id


def _open(window: MainWindow, article_id: int) -> ArticleRecord:
    window.model.reload()
    assert window.library_view.select_id(article_id)
    record = window.form.record
    assert record is not None
    assert record.id == article_id
    return record


# -------------------------------------------------------------------------- the editor form
def test_form_shows_rights_boilerplate_and_a_doubtful_encoding(
    make_window: object, library: Library
) -> None:
    article_id = _stored(
        library,
        rights="© 2022 Reuters. All rights reserved.",
        boilerplate="Read more on our website.\n\nSubscribe to the newsletter.",
        sidecar="stored.json",
        warnings=("decoded as cp1251; could also be cp1255",),
    )
    window: MainWindow = make_window(library)  # type: ignore[operator]
    _open(window, article_id)
    form = window.form
    assert form.rights_edit.toPlainText() == "© 2022 Reuters. All rights reserved."
    assert form.field_widget("rights") is form.rights_edit
    assert form.boilerplate_edit.toPlainText().startswith("Read more on our website.")
    assert form.put_back_button.isEnabled()
    assert form.encoding_label.text() == "cp1251 (confidence 62%)"
    assert form.sidecar_label.text() == "stored.json"
    assert form.sidecar_label.isVisibleTo(form)
    assert "could also be cp1255" in form.warnings_label.text()
    assert not form.is_modified


def test_full_confidence_reads_just_the_encoding_and_no_sidecar_row(
    make_window: object, library: Library
) -> None:
    article_id = _stored(library, encoding="utf-8", confidence=1.0)
    window: MainWindow = make_window(library)  # type: ignore[operator]
    _open(window, article_id)
    assert window.form.encoding_label.text() == "utf-8"
    assert not window.form.sidecar_label.isVisibleTo(window.form)
    assert window.form.warnings_label.text() == "none"
    assert not window.form.put_back_button.isEnabled()  # no boilerplate to put back


def test_rights_and_boilerplate_edits_are_saved(
    qtbot: QtBot, make_window: object, library: Library
) -> None:
    article_id = _stored(library)
    window: MainWindow = make_window(library)  # type: ignore[operator]
    _open(window, article_id)
    window.form.rights_edit.setPlainText("  CC BY 4.0\nThe Conversation  ")
    window.form.boilerplate_edit.setPlainText("Footer one.\n\n\n\nFooter two.")
    assert window.form.is_modified
    with qtbot.waitSignal(window.article_saved):
        assert window.save()
    stored = library.get_article(article_id)
    assert stored.rights == "CC BY 4.0\nThe Conversation"
    assert stored.boilerplate == "Footer one.\n\nFooter two."


def test_put_back_moves_the_boilerplate_into_the_body_as_an_edit(
    qtbot: QtBot, make_window: object, library: Library
) -> None:
    article_id = _stored(library, boilerplate="Read more on our website.\n\nFollow us.")
    window: MainWindow = make_window(library)  # type: ignore[operator]
    _open(window, article_id)
    form = window.form
    qtbot.mouseClick(form.put_back_button, Qt.MouseButton.LeftButton)
    assert form.body_edit.toPlainText() == "One.\n\nTwo.\n\nRead more on our website.\n\nFollow us."
    assert form.boilerplate_edit.toPlainText() == ""
    assert not form.put_back_button.isEnabled()
    assert form.is_modified
    assert window.isWindowModified()
    # Nothing is stored until the archivist saves; Revert brings the boilerplate back.
    assert library.get_article(article_id).boilerplate == "Read more on our website.\n\nFollow us."
    window.revert()
    assert form.boilerplate_edit.toPlainText() == "Read more on our website.\n\nFollow us."
    form.put_back_boilerplate()
    with qtbot.waitSignal(window.article_saved):
        window.save()
    stored = library.get_article(article_id)
    assert stored.body.endswith("Two.\n\nRead more on our website.\n\nFollow us.")
    assert stored.boilerplate == ""
    assert stored.paragraphs[-2:] == ["Read more on our website.", "Follow us."]


def test_preview_shows_rights_but_not_boilerplate(
    qtbot: QtBot, make_window: object, library: Library
) -> None:
    article_id = _stored(
        library, rights="© 2022 <Tom> & Jerry's", boilerplate="SUBSCRIBE TO OUR NEWSLETTER"
    )
    window: MainWindow = make_window(library)  # type: ignore[operator]
    _open(window, article_id)
    text = window.preview.toPlainText()
    assert "Rights: © 2022 <Tom> & Jerry's" in text
    assert text.rstrip().endswith("© 2022 <Tom> & Jerry's")  # a line at the end
    assert "SUBSCRIBE" not in text
    window.form.rights_edit.setPlainText("CC BY-SA 4.0")
    with qtbot.waitSignal(window.preview.rendered, timeout=2000):
        pass
    assert "Rights: CC BY-SA 4.0" in window.preview.toPlainText()


# ------------------------------------------------------------------------- the dialog itself
def test_dialog_lists_the_readings_of_legacy_bytes(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    article_id = _legacy_article(qtbot, window, tmp_path)
    data = library.source_bytes(article_id)
    dialog = RedecodeDialog(data, file_name="moscow.txt", current="koi8-r", parent=window)
    qtbot.addWidget(dialog)
    listed = dialog.listed_encodings()
    assert listed[0] == "koi8-r"
    assert "cp1251" in listed
    rows = {
        dialog.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole): dialog.tree.topLevelItem(i)  # type: ignore[union-attr]
        for i in range(dialog.tree.topLevelItemCount())
    }
    assert rows["koi8-r"].text(0) == "koi8-r (now)"
    assert rows["koi8-r"].text(1) == "100%"
    assert rows["koi8-r"].text(2).startswith(TITLE + "\n")
    assert rows["cp1251"].text(2).startswith(TITLE_AS_CP1251)
    assert rows["cp1251"].text(1).endswith("%")
    assert all(len(item.text(2).splitlines()) <= 4 for item in rows.values())
    assert all(len(item.text(2)) <= 300 + 3 for item in rows.values())
    # The likeliest fix is preselected: the best reading that is not the current one.
    assert dialog.chosen_encoding() == listed[1]
    assert dialog.select_encoding("CP1251")
    assert dialog.chosen_encoding() == "cp1251"
    assert dialog.ok_button.isEnabled()


def test_dialog_takes_any_codec_and_explains_an_unknown_name(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    article_id = _legacy_article(qtbot, window, tmp_path)
    dialog = RedecodeDialog(library.source_bytes(article_id), current="koi8-r")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.other_edit, "no-such-codec")
    assert dialog.other_label.isVisible()
    message = dialog.other_label.text()
    assert "unknown encoding 'no-such-codec'" in message
    assert "\n" not in message
    assert dialog.chosen_encoding() is None
    assert not dialog.ok_button.isEnabled()
    assert dialog.tree.selectedItems() == []
    dialog.other_edit.setText("base64")
    assert "not a text encoding" in dialog.other_label.text()
    assert not dialog.ok_button.isEnabled()
    dialog.other_edit.setText("ISO-8859-5")
    assert dialog.chosen_encoding() == "iso8859-5"
    assert dialog.ok_button.isEnabled()
    expected = first_lines(RUSSIAN.encode("koi8_r").decode("iso8859-5"))
    assert dialog.other_label.text() == f"iso8859-5 reads as:\n{expected}"
    # Picking from the list again replaces the typed name.
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    assert dialog.other_edit.text() == ""
    assert dialog.chosen_encoding() == "koi8-r"


# ---------------------------------------------------------------------- the window's flow
def _answer(window: MainWindow, encoding: str | None, confirm: bool = True) -> list[str]:
    asked: list[str] = []

    def ask(record: ArticleRecord, data: bytes) -> str | None:
        assert data == RUSSIAN.encode("koi8_r")
        asked.append("encoding")
        return encoding

    def confirm_it(record: ArticleRecord, chosen: str) -> bool:
        asked.append(f"confirm {chosen}")
        return confirm

    window.ask_redecode_encoding = ask  # type: ignore[method-assign]
    window.confirm_redecode = confirm_it  # type: ignore[method-assign]
    return asked


def test_redecoding_as_cp1251_then_koi8_r_changes_the_title(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    article_id = _legacy_article(qtbot, window, tmp_path)
    window.form.notes_edit.setPlainText("Checked by hand.")
    window.form.tags_edit.setText("Russia")
    with qtbot.waitSignal(window.article_saved):
        window.save()
    assert window.redecode_action.isEnabled()
    assert window.form.redecode_button.isEnabled()
    assert window.redecode_action in window.menuBar().actions()[1].menu().actions()  # type: ignore[union-attr]
    asked = _answer(window, "cp1251")
    with qtbot.waitSignal(window.article_reparsed, timeout=10_000) as blocker:
        window.redecode_action.trigger()
    assert blocker.args == [article_id]
    assert asked == ["encoding", "confirm cp1251"]
    assert window.form.title_edit.text() == TITLE_AS_CP1251
    assert window.form.encoding_label.text() == "cp1251"
    assert window.form.isEnabled()
    assert not window.form.is_modified
    qtbot.waitUntil(lambda: TITLE_AS_CP1251 in window.preview.toPlainText())
    row = window.model.row_of(article_id)
    assert row is not None
    assert window.model.data(window.model.index(row, 0)) == TITLE_AS_CP1251
    stored = library.get_article(article_id)
    assert stored.title == TITLE_AS_CP1251
    assert (stored.notes, stored.tags) == ("Checked by hand.", ("Russia",))

    _answer(window, "koi8_r")
    # The task's ``finished`` (which re-enables the button) may come after ``article_reparsed``.
    qtbot.waitUntil(window.form.redecode_button.isEnabled)
    with qtbot.waitSignal(window.article_reparsed, timeout=10_000):
        qtbot.mouseClick(window.form.redecode_button, Qt.MouseButton.LeftButton)
    assert window.form.title_edit.text() == TITLE
    assert window.form.encoding_label.text() == "koi8-r"
    assert library.get_article(article_id).title == TITLE
    assert library.get_article(article_id).notes == "Checked by hand."


@pytest.mark.parametrize(("encoding", "confirm"), [(None, True), ("cp1251", False)])
def test_cancelling_the_dialog_or_the_confirmation_changes_nothing(
    qtbot: QtBot,
    window: MainWindow,
    library: Library,
    tmp_path: Path,
    encoding: str | None,
    confirm: bool,
) -> None:
    article_id = _legacy_article(qtbot, window, tmp_path)
    before = library.get_article(article_id)
    _answer(window, encoding, confirm)
    with (
        qtbot.assertNotEmitted(window.article_reparsed),
        qtbot.assertNotEmitted(window.library_changed),
    ):
        assert window.redecode_current() is None
    after = library.get_article(article_id)
    assert after == before
    assert after.source == before.source
    assert window.form.title_edit.text() == TITLE


@pytest.mark.parametrize("choice", [Choice.Save, Choice.Cancel])
def test_unsaved_edits_are_saved_first_or_keep_the_article_as_it_is(
    qtbot: QtBot,
    window: MainWindow,
    library: Library,
    tmp_path: Path,
    choice: QMessageBox.StandardButton,
) -> None:
    article_id = _legacy_article(qtbot, window, tmp_path)
    window.form.notes_edit.setPlainText("Typed, not saved yet.")
    _question, text = window.redecode_confirmation(window.form.record, "cp1251")  # type: ignore[arg-type]
    assert "Your notes and tags stay" in text
    assert "title" in text
    assert "body" in text
    assert "boilerplate" in text
    assert "unsaved edits" in text
    asked = _answer(window, "cp1251")
    window.ask_unsaved_changes = lambda: asked.append("unsaved") or choice  # type: ignore[method-assign,func-returns-value]
    if choice == Choice.Save:
        with qtbot.waitSignal(window.article_reparsed, timeout=10_000):
            window.redecode_current()
        assert asked == ["encoding", "confirm cp1251", "unsaved"]
        stored = library.get_article(article_id)
        assert stored.notes == "Typed, not saved yet."
        assert stored.title == TITLE_AS_CP1251
        assert window.form.notes_edit.toPlainText() == "Typed, not saved yet."
    else:
        with qtbot.assertNotEmitted(window.article_reparsed):
            assert window.redecode_current() is None
        assert asked == ["encoding", "confirm cp1251", "unsaved"]
        assert window.form.is_modified
        assert window.form.notes_edit.toPlainText() == "Typed, not saved yet."
        assert library.get_article(article_id).title == TITLE
        assert library.get_article(article_id).notes == ""


def test_redecode_is_offered_only_for_a_shown_article(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    assert not window.redecode_action.isEnabled()
    assert window.redecode_current() is None
    _legacy_article(qtbot, window, tmp_path)
    assert window.redecode_action.isEnabled()
    window.open_article(0)
    assert not window.redecode_action.isEnabled()
    assert not window.form.redecode_button.isEnabled()
