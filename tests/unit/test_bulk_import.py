"""How an import writes: bulk settings while it lasts, ordered uids, one FTS segment a chunk."""

from __future__ import annotations

import dataclasses
import sqlite3
import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest

from archive_app.core import importer
from archive_app.core.importer import import_paths
from archive_app.core.library import (
    BULK_AUTOCHECKPOINT,
    BULK_CACHE_KIB,
    CACHE_KIB,
    FTS_AUTOMERGE,
    FTS_HASHSIZE,
    Library,
    bulk_cache_kib,
)
from archive_app.core.records import NewArticle
from tests.conftest import NewArticleFactory

# SQLite's bulk settings (page cache, WAL checkpoints, FTS5's memory, transactions per chunk)
# and its uid order; a server's settings are its administrator's (PostgresLibrary.bulk_import).
pytestmark = pytest.mark.sqlite_only

USUAL = (-CACHE_KIB, 1000)
BULK = (-CACHE_KIB, BULK_AUTOCHECKPOINT)  # a small library keeps the usual page cache


def _write_files(folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        (folder / f"{n:04d}.txt").write_text(
            f"Headline {n} about the harbour\n\nParagraph {n} of the story.\n", encoding="utf-8"
        )


def _spy_inserts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, int]]:
    """Record (cache_size, wal_autocheckpoint, articles) of every insert transaction."""
    seen: list[tuple[int, int, int]] = []
    original = Library._insert_articles

    def spy(self: Library, cur: sqlite3.Cursor, items: Sequence[NewArticle]) -> list[int]:
        cache = cur.execute("PRAGMA cache_size").fetchone()[0]
        checkpoint = cur.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        seen.append((cache, checkpoint, len(items)))
        return original(self, cur, items)

    monkeypatch.setattr(Library, "_insert_articles", spy)
    return seen


def test_an_import_writes_with_the_bulk_settings_and_restores_them_after(
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_article: NewArticleFactory,
) -> None:
    seen = _spy_inserts(monkeypatch)
    _write_files(tmp_path / "many", 12)
    report = import_paths(library, [tmp_path / "many"], chunk_files=5, workers=0)
    assert len(report.imported) == 12
    assert [(cache, checkpoint) for cache, checkpoint, _n in seen] == [BULK] * 3
    # Afterwards a write (an edit in the window) runs with the usual settings again.
    library.add_articles([make_article()])
    assert seen[-1][:2] == USUAL


def test_a_large_library_gets_a_larger_page_cache_while_importing(
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert bulk_cache_kib(10 * 1024**2) == CACHE_KIB
    assert bulk_cache_kib(1024**3) == 128 * 1024  # an eighth of the file
    assert bulk_cache_kib(10 * 1024**3) == BULK_CACHE_KIB == 256 * 1024
    seen = _spy_inserts(monkeypatch)
    # As if the file were 4 GB (the cache follows the library's size as it grows).
    monkeypatch.setattr("archive_app.core.library.bulk_cache_kib", lambda _size: BULK_CACHE_KIB)
    _write_files(tmp_path / "few", 4)
    import_paths(library, [tmp_path / "few"], workers=0)
    assert [(cache, checkpoint) for cache, checkpoint, _n in seen] == [
        (-BULK_CACHE_KIB, BULK_AUTOCHECKPOINT)
    ]


def test_the_bulk_settings_end_with_an_import_that_fails(
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_article: NewArticleFactory,
) -> None:
    seen = _spy_inserts(monkeypatch)
    _write_files(tmp_path / "few", 3)

    def broken(path_text: str) -> NewArticle | str:
        raise RuntimeError(f"a bug reading {path_text}")

    monkeypatch.setattr(importer, "prepare_path", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        import_paths(library, [tmp_path / "few"], workers=0)
    library.add_articles([make_article()])
    assert seen == [(*USUAL, 1)]


def test_a_default_import_stores_up_to_two_thousand_files_a_transaction(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fewer, larger transactions: each random-order index page and each full-text segment
    # is written once for more articles (measured: a fifth less CPU storing 10,000 articles).
    seen = _spy_inserts(monkeypatch)
    _write_files(tmp_path / "lots", 600)
    report = import_paths(library, [tmp_path / "lots"], workers=0)
    assert len(report.imported) == 600
    assert [n for _cache, _checkpoint, n in seen] == [600]
    assert importer.DEFAULT_CHUNK_FILES == 2000


def test_new_uids_are_uuid7_in_the_order_they_were_made(
    library: Library, make_article: NewArticleFactory
) -> None:
    ids = [library.add_articles([make_article()])[0] for _ in range(5)]
    ids += library.add_articles([make_article() for _ in range(20)])
    uids = [library.get_article(i).uid for i in ids]
    assert all(uuid.UUID(u).version == 7 for u in uids)
    assert all(uuid.UUID(u).variant == uuid.RFC_4122 for u in uids)
    assert len(set(uids)) == len(uids)
    # Millisecond time first: a later batch never sorts before an earlier one.
    stamps = [u.replace("-", "")[:12] for u in uids]
    assert stamps == sorted(stamps)


def test_an_article_coming_back_keeps_its_uid(
    library: Library, make_article: NewArticleFactory
) -> None:
    kept = str(uuid.uuid4())
    [article_id] = library.add_articles([dataclasses.replace(make_article(), uid=kept)])
    assert library.get_article(article_id).uid == kept


def test_storing_articles_lets_fts5_keep_a_whole_chunk_in_memory(
    library: Library, make_article: NewArticleFactory, library_path: Path
) -> None:
    library.add_articles([make_article()])
    conn = sqlite3.connect(library_path)
    try:
        row = conn.execute("SELECT v FROM article_fts_config WHERE k = 'hashsize'").fetchone()
    finally:
        conn.close()
    assert row == (FTS_HASHSIZE,)
    assert FTS_HASHSIZE >= 32 * 1024 * 1024


def test_an_import_leaves_the_wal_empty(library: Library, tmp_path: Path) -> None:
    # During an import the WAL may grow to BULK_AUTOCHECKPOINT pages; at its end it is
    # checkpointed and truncated, though the library stays open (the window keeps it open).
    _write_files(tmp_path / "some", 30)
    import_paths(library, [tmp_path / "some"], workers=0)
    wal = library.path.with_name(library.path.name + "-wal")
    assert library.count() == 30
    assert not wal.exists() or wal.stat().st_size == 0


def _counted(library_path: Path) -> int:
    conn = sqlite3.connect(library_path)
    try:
        row = conn.execute(
            "SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = 'article'"
        ).fetchone()
    finally:
        conn.close()
    return int(row[0])


def test_an_import_resamples_statistics_only_when_it_adds_a_tenth(
    library: Library, tmp_path: Path, library_path: Path
) -> None:
    # A sampled ANALYZE of a 1,000,000-article library costs 1.4-2.2 s of CPU, every import.
    _write_files(tmp_path / "first", 20)
    import_paths(library, [tmp_path / "first"], workers=0)
    assert _counted(library_path) == 20
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "x.txt").write_text("A lone headline\n\nIts only paragraph.\n")
    import_paths(library, [tmp_path / "one"], workers=0)
    assert library.count() == 21
    assert _counted(library_path) == 20  # a twentieth more: the statistics stay
    (tmp_path / "more").mkdir()
    for n in range(3):
        (tmp_path / "more" / f"{n}.txt").write_text(f"Another headline {n}\n\nText {n}.\n")
    import_paths(library, [tmp_path / "more"], workers=0)
    assert _counted(library_path) == 24  # three more of 21: re-sampled


def _automerge(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(
            conn.execute("SELECT v FROM article_fts_config WHERE k = 'automerge'").fetchone()[0]
        )
    finally:
        conn.close()


def test_an_import_leaves_full_text_merges_for_after_it(library_path: Path, tmp_path: Path) -> None:
    # Merging each chunk's segment into the index's large old ones made an import into a
    # 1,000,000-article library 1.5x slower than into a new one: during an import FTS5 only
    # merges new segments with each other (crisismerge), and merges again after it.
    _write_files(tmp_path / "in", 30)
    during: list[int] = []

    def progress(done: int, total: int, path: str) -> None:
        during.append(_automerge(library_path))  # committed chunks are visible

    with Library(library_path) as lib:
        assert _automerge(library_path) == FTS_AUTOMERGE
        report = import_paths(lib, [tmp_path / "in"], chunk_files=10, progress=progress, workers=0)
        assert len(report.imported) == 30
        assert 0 in during
        assert _automerge(library_path) == FTS_AUTOMERGE
        assert len(lib.search("harbour")) == 30  # the index answers as before


def test_merges_left_off_by_a_killed_import_are_back_on_with_the_next_write(
    library_path: Path, make_article: NewArticleFactory
) -> None:
    Library(library_path).close()
    conn = sqlite3.connect(library_path)
    with conn:  # as an import killed between two chunks leaves it
        conn.execute("INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 0)")
    conn.close()
    with Library(library_path) as lib:
        assert _automerge(library_path) == 0  # opening writes nothing
        lib.add_articles([make_article()])
    assert _automerge(library_path) == FTS_AUTOMERGE
