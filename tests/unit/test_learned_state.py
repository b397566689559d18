"""The learned boilerplate is kept a row per source group: an import reads and writes only its
groups' rows; an older library's single row is split without loss (both engines)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from archive_app.core import importer
from archive_app.core.boilerplate import BoilerplateLearner
from archive_app.core.copying import copy_library
from archive_app.core.importer import import_paths
from archive_app.core.learning import (
    BOILERPLATE_STATE,
    GROUP_STATE_PREFIX,
    group_states,
    split_legacy_state,
    state_name,
)
from archive_app.core.library import Library
from archive_app.core.reparse import reparse_articles
from tests.conftest import NewArticleFactory
from tests.unit.test_import_learning import LICENCE, SHARE, _write_source


def _sql(location: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one statement on the library's database directly (not through ``Library``)."""
    if location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(location) as conn:
            cur = conn.execute(sql.replace("?", "%s"), params)
            return cur.fetchall() if cur.description else []
    with closing(sqlite3.connect(location)) as conn, conn:
        return conn.execute(sql, params).fetchall()


def _rows(location: str) -> dict[str, tuple[str, str]]:
    """Every learned row: name -> (state, updated_at)."""
    rows = _sql(location, "SELECT name, state, updated_at FROM learned_state")
    return {str(name): (str(state), str(when)) for name, state, when in rows}


def _other_groups(count: int) -> dict[str, str]:
    """Rows of ``count`` groups that some earlier imports learned."""
    learner = BoilerplateLearner()
    for g in range(count):
        for i in range(8):
            learner.add(
                f"folder:/elsewhere/{g}",
                f"Story {i} of source {g} about the harbour.\n\nRead more from source {g}.",
            )
    return {state_name(group): learner.to_json([group]) for group in learner.groups()}


def _groups(text: str) -> dict[str, Any]:
    groups: dict[str, Any] = json.loads(text)["groups"]
    return groups


def _make_legacy(library: Library, location: str) -> str:
    """Turn the library's group rows into the single row an older version kept."""
    whole = BoilerplateLearner()
    for _name, text in group_states(library):
        whole.merge(BoilerplateLearner.from_json(text))
    _sql(location, "DELETE FROM learned_state")
    legacy = whole.to_json()
    library.save_learned_state(BOILERPLATE_STATE, legacy)
    return legacy


def test_an_import_reads_and_writes_only_the_rows_of_its_groups(
    library: Library,
    library_location: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    library.save_learned_states(_other_groups(40))
    before = _rows(library_location)
    assert len(before) == 40
    read: list[str] = []
    real_read = library.learned_states

    def spy_read(names: Sequence[str]) -> dict[str, str]:
        read.extend(names)
        return real_read(names)

    with_articles: list[str] = []
    real_add = library.add_new_articles

    def spy_add(items: Any, *, learned: Any = None) -> Any:
        with_articles.extend(learned or ())
        return real_add(items, learned=learned)

    alone: list[str] = []
    real_save = library.save_learned_states

    def spy_save(states: Any) -> None:
        alone.extend(states)
        real_save(states)

    monkeypatch.setattr(library, "learned_states", spy_read)
    monkeypatch.setattr(library, "add_new_articles", spy_add)
    monkeypatch.setattr(library, "save_learned_states", spy_save)
    monkeypatch.setattr(importer, "SAVE_LEARNED_EVERY", 2)
    _write_source(tmp_path / "wire", 30)
    report = import_paths(library, [tmp_path / "wire"], chunk_files=7, workers=0)
    assert len(report.imported) == 30

    after = _rows(library_location)
    [new] = set(after) - set(before)
    assert new.startswith(GROUP_STATE_PREFIX + "folder:")
    assert new.endswith("wire")
    assert set(read) == {new}  # the other groups' rows were never read ...
    for name, row in before.items():
        assert after[name] == row  # ... nor written (same text, same time)
    # What was learned was written with the articles, chunk by chunk, never on its own.
    assert with_articles.count(new) >= 2
    assert alone == []
    group = next(iter(_groups(after[new][0])))
    assert _groups(after[new][0])[group]["articles"] == 30
    assert all(LICENCE in library.get_article(i).rights for i in report.imported)


def test_what_an_earlier_import_learned_is_still_applied(
    library_location: str, tmp_path: Path
) -> None:
    folder = tmp_path / "wire"
    _write_source(folder, 30)
    with Library(library_location) as library:
        import_paths(library, [folder])
    _write_source(folder, 3, start=30)  # three alone teach nothing
    new = [folder / f"story-{n:03d}.txt" for n in range(30, 33)]
    with Library(library_location) as library:
        report = import_paths(library, new)
        assert len(report.imported) == 3
        for article_id in report.imported:
            record = library.get_article(article_id)
            assert LICENCE not in record.body
            assert LICENCE in record.rights
            assert SHARE in record.share_section
        [name] = library.learned_state_names(GROUP_STATE_PREFIX)
        [row] = _groups(library.learned_states([name])[name]).values()
        assert row["articles"] == 33


def test_an_older_librarys_single_row_is_split_without_loss(
    library: Library, library_location: str, tmp_path: Path
) -> None:
    folder = tmp_path / "wire"
    _write_source(folder, 30)
    import_paths(library, [folder])
    library.save_learned_states(_other_groups(5))
    legacy = _make_legacy(library, library_location)
    assert list(_rows(library_location)) == [BOILERPLATE_STATE]
    old_groups = _groups(legacy)
    assert len(old_groups) == 6

    _write_source(folder, 3, start=30)
    report = import_paths(library, [folder / f"story-{n:03d}.txt" for n in range(30, 33)])
    for article_id in report.imported:
        assert LICENCE in library.get_article(article_id).rights  # the old row was read

    rows = _rows(library_location)
    assert BOILERPLATE_STATE not in rows
    assert set(rows) == {state_name(group) for group in old_groups}
    for group, data in old_groups.items():
        [(name, mine)] = _groups(rows[state_name(group)][0]).items()
        assert name == group
        if group.startswith("folder:/elsewhere/"):
            assert mine == data  # every count and example as it was
        else:
            assert mine["articles"] == data["articles"] + 3
            assert mine["keys"].keys() >= data["keys"].keys()
    assert not split_legacy_state(library)  # once


def test_the_split_adds_to_a_groups_row_and_keeps_an_unreadable_row(
    library: Library, library_location: str
) -> None:
    rows = _other_groups(3)
    first = sorted(rows)[0]
    whole = BoilerplateLearner()
    for text in rows.values():
        whole.merge(BoilerplateLearner.from_json(text))
    library.save_learned_state(BOILERPLATE_STATE, whole.to_json())
    library.save_learned_states({first: rows[first]})  # written by this version meanwhile
    assert split_legacy_state(library)
    after = {name: state for name, (state, _when) in _rows(library_location).items()}
    assert set(after) == set(rows)
    [(_group, merged)] = _groups(after[first]).items()
    [(_group, alone)] = _groups(rows[first]).items()
    assert merged["articles"] == 2 * alone["articles"]
    for name in set(rows) - {first}:
        assert _groups(after[name]) == _groups(rows[name])

    library.save_learned_state(BOILERPLATE_STATE, '{"version": 99}')
    assert not split_legacy_state(library)
    assert _rows(library_location)[BOILERPLATE_STATE][0] == '{"version": 99}'


def test_a_long_or_undecodable_folder_gets_a_row_of_its_own(library: Library) -> None:
    long_group = "folder:/" + "deep/" * 200
    odd_group = "folder:/news/caf\udce9"
    names = {state_name(long_group), state_name(odd_group), state_name("folder:/a")}
    assert len(names) == 3
    assert all(name.startswith(GROUP_STATE_PREFIX) and len(name) < 400 for name in names)
    learner = BoilerplateLearner()
    learner.add(long_group, "A body.\n\nRead more.")
    library.save_learned_states({state_name(long_group): learner.to_json([long_group])})
    assert library.learned_state_names(GROUP_STATE_PREFIX) == [state_name(long_group)]


def test_reparse_all_applies_every_groups_rows_of_an_older_library(
    library: Library, library_location: str, tmp_path: Path
) -> None:
    first: list[int] = []
    for start, source in ((0, "wire"), (100, "agency")):  # other stories in each
        _write_source(tmp_path / source, 3, start=start)  # too few to learn anything from
        first += import_paths(library, [tmp_path / source]).imported
        _write_source(tmp_path / source, 30, start=start + 3)
        import_paths(library, [tmp_path / source])
    assert len(first) == 6
    assert all(LICENCE in library.get_article(i).body for i in first)
    _make_legacy(library, library_location)
    report = reparse_articles(library, library.article_ids())
    assert set(first) <= set(report.changed)
    for article_id in first:
        assert LICENCE in library.get_article(article_id).rights
    names = library.learned_state_names(BOILERPLATE_STATE)
    assert len(names) == 2
    assert all(name.startswith(GROUP_STATE_PREFIX) for name in names)


def test_copy_library_copies_every_groups_row(
    library: Library, tmp_path: Path, make_article: NewArticleFactory
) -> None:
    rows = _other_groups(12)
    with Library(tmp_path / "source.sqlite3") as source:
        source.add_articles([make_article()])
        source.save_learned_states(rows)
        copy_library(source, library)
    assert library.learned_state_names(BOILERPLATE_STATE) == sorted(rows)
    assert library.learned_states(list(rows)) == rows

    # From an older library: its single row arrives as the rows it splits into; a merge
    # adds only the groups the target lacks, so copying twice counts nothing twice.
    older = tmp_path / "older.sqlite3"
    more = _other_groups(15)
    whole = BoilerplateLearner()
    for text in more.values():
        whole.merge(BoilerplateLearner.from_json(text))
    with Library(older) as source:
        source.add_articles([make_article()])
        source.save_learned_state(BOILERPLATE_STATE, whole.to_json())
        copy_library(source, library, merge=True)
        copy_library(source, library, merge=True)
        assert source.learned_state_names(BOILERPLATE_STATE) == [BOILERPLATE_STATE]  # unwritten
    assert library.learned_state_names(BOILERPLATE_STATE) == sorted(more)
    copied = library.learned_states(list(more))
    for name, text in more.items():
        assert _groups(copied[name]) == _groups(text)
