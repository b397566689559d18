"""The import pipeline: files and folders in, whole articles out, nothing lost."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_app.core import importer
from archive_app.core.importer import count_candidates, import_paths, iter_candidates
from archive_app.core.library import Library
from tests.conftest import FIXTURES, SEED_FILE

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def _article_text(n: int) -> str:
    return (
        f"World / Europe\n\nHeadline number {n} about the harbour\n\n"
        f"First paragraph {n} with some words.\n\nSecond paragraph {n * 7} ends here.\n"
    )


def _write_articles(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"article-{n:05d}.txt"
        path.write_text(_article_text(n), encoding="utf-8")
        paths.append(path)
    return paths


def test_seed_sample_imports_with_its_fields_and_exact_bytes(library: Library) -> None:
    report = import_paths(library, [SEED_FILE])
    assert report.failed == []
    assert report.duplicates == []
    [article_id] = report.imported
    record = library.get_article(article_id)
    assert record.title == (
        "Putin tells Macron West should stop sending arms to Ukraine to end atrocities"
    )
    assert record.section_path == ("News", "Russia")
    assert record.photo_credit == "AFP"
    assert record.publisher == "Press TV"
    assert record.alternate_urls == ("www.presstv.co.uk",)
    assert record.share_section == "SHARE THIS ARTICLE\nPress TV News Roku"
    assert len(record.paragraphs) == 16
    assert not record.needs_review
    assert record.source is not None
    assert record.source.encoding == "utf-8"
    assert record.source.sha256 == hashlib.sha256(SEED_FILE.read_bytes()).hexdigest()
    assert library.source_bytes(article_id) == SEED_FILE.read_bytes()


def test_folders_are_walked_recursively_and_other_files_reported_skipped(
    library: Library, tmp_path: Path
) -> None:
    root = tmp_path / "in"
    _write_articles(root / "a", 2)
    _write_articles(root / "a" / "deeper", 2, start=10)
    (root / "notes.text").write_text(_article_text(99))
    (root / "README").write_text(_article_text(98))
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    (root / "report.PDF").write_bytes(b"%PDF-1.4")
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    report = import_paths(library, [root])
    assert len(report.imported) == 6
    assert sorted((Path(p.path).name, p.reason) for p in report.skipped) == [
        (".DS_Store", "hidden file"),
        ("photo.jpg", "not a text file (.jpg)"),
        ("report.PDF", "not a text file (.pdf)"),
    ]
    assert report.failed == []
    assert library.count() == 6


def test_missing_path_is_reported_failed(library: Library, tmp_path: Path) -> None:
    report = import_paths(library, [tmp_path / "nope.txt"])
    assert [(p.path, p.reason) for p in report.failed] == [
        (str(tmp_path / "nope.txt"), "no such file or folder")
    ]


def test_one_bad_file_among_100_still_imports_the_other_99(
    library: Library, tmp_path: Path
) -> None:
    paths = _write_articles(tmp_path / "batch", 100)
    paths[42].write_bytes(PNG)
    report = import_paths(library, [tmp_path / "batch"], chunk_files=16)
    assert len(report.imported) == 99
    assert [(Path(p.path).name, p.reason) for p in report.failed] == [
        ("article-00042.txt", "not a text file: looks like a PNG image")
    ]
    assert library.count() == 99


def test_importing_the_same_folder_twice_adds_nothing(library: Library, tmp_path: Path) -> None:
    _write_articles(tmp_path / "f", 12)
    first = import_paths(library, [tmp_path / "f"], chunk_files=5)
    second = import_paths(library, [tmp_path / "f"], chunk_files=5)
    assert second.imported == []
    assert sorted(d.existing_id for d in second.duplicates) == sorted(first.imported)
    assert library.count() == 12


def test_same_text_in_another_encoding_or_line_ending_is_a_duplicate(
    library: Library, tmp_path: Path
) -> None:
    text = "Ukraine talks\n\nThe “talks” resumed on Monday — officials said.\n"
    a = tmp_path / "a.txt"
    a.write_bytes(text.encode("utf-8"))
    b = tmp_path / "b.txt"
    b.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))
    c = tmp_path / "c.txt"
    c.write_bytes(text.encode("cp1252"))
    report = import_paths(library, [a, b, c])
    [article_id] = report.imported
    assert sorted((Path(d.path).name, d.existing_id) for d in report.duplicates) == [
        ("b.txt", article_id),
        ("c.txt", article_id),
    ]


def test_progress_total_and_chunks_committed_as_it_goes(
    library: Library, library_location: str, tmp_path: Path
) -> None:
    _write_articles(tmp_path / "p", 30)
    seen: list[tuple[int, int, int]] = []

    def progress(done: int, total: int, path: str) -> None:
        # Count from a separate connection: committed chunks are visible mid-import.
        with Library(library_location, create=False) as other:
            stored = other.count()
        seen.append((done, total, stored))

    import_paths(library, [tmp_path / "p"], progress=progress, chunk_files=10)
    assert [s[0] for s in seen] == list(range(1, 31))
    assert {s[1] for s in seen} == {30}
    # A chunk is written while the next is read: by the time the next one is full, it is
    # committed (and visible to other connections).
    assert seen[19][2] >= 10
    assert seen[29][2] >= 20
    assert library.count() == 30


def test_cancel_stores_only_whole_articles_and_stops(library: Library, tmp_path: Path) -> None:
    _write_articles(tmp_path / "c", 40)
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 13

    report = import_paths(library, [tmp_path / "c"], cancel=cancel, chunk_files=5)
    assert report.cancelled
    assert len(report.imported) == 13
    assert library.count() == 13
    assert library.integrity_check() == []
    for article_id in report.imported:
        record = library.get_article(article_id)
        assert record.title.startswith("Headline number")
        assert record.source is not None
    rest = import_paths(library, [tmp_path / "c"])
    assert len(rest.imported) == 27
    assert len(rest.duplicates) == 13


def test_empty_nul_and_large_files(library: Library, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "nul.txt").write_bytes(b"Headline\n\nBody with a \x00 NUL byte inside it.\n")
    para = "A long paragraph of plain reporting words that goes on and on. " * 20
    big = ("Big file headline\n\n" + (para + "\n\n") * 16000).encode()
    assert len(big) > 20_000_000
    (tmp_path / "big.txt").write_bytes(big)
    report = import_paths(library, [tmp_path])
    assert report.failed == []
    assert len(report.imported) == 3
    by_name = {
        library.get_article(i).source.file_name: library.get_article(i)  # type: ignore[union-attr]
        for i in report.imported
    }
    assert by_name["empty.txt"].needs_review
    assert by_name["nul.txt"].needs_review
    assert by_name["big.txt"].title == "Big file headline"
    assert [h.id for h in library.search("reporting")] == [by_name["big.txt"].id]
    big_id = by_name["big.txt"].id
    assert library.source_bytes(big_id) == big


def test_iter_candidates_is_lazy(tmp_path: Path) -> None:
    _write_articles(tmp_path, 3)
    it = iter_candidates([tmp_path])
    first = next(it)
    assert first.path.name == "article-00000.txt"


_KILL_SCRIPT = """
import sys
from archive_app.core.importer import import_paths
from archive_app.core.library import Library
lib = Library(sys.argv[1])
import_paths(lib, [sys.argv[2]], chunk_files=20)
"""


def test_sigkill_mid_import_leaves_a_consistent_library_and_rerun_completes(
    tmp_path: Path,
) -> None:
    total = 4000
    _write_articles(tmp_path / "many", total)
    lib_path = tmp_path / "lib.sqlite3"
    Library(lib_path).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILL_SCRIPT, str(lib_path), str(tmp_path / "many")],
        cwd=Path(__file__).parents[2],
    )
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        conn = sqlite3.connect(lib_path, timeout=30)
        stored = conn.execute("SELECT count(*) FROM article").fetchone()[0]
        conn.close()
        if stored >= 40:
            break
        time.sleep(0.005)  # polling another process: there is no signal to wait on
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with Library(lib_path) as lib:
        assert lib.integrity_check() == []
        count = lib.count()
        assert 40 <= count < total
        assert count % 20 == 0, "only whole chunks are stored"
        conn = sqlite3.connect(lib_path)
        orphans = conn.execute(
            "SELECT count(*) FROM article a LEFT JOIN source_file s ON s.id = a.source_file_id "
            "WHERE s.id IS NULL"
        ).fetchone()[0]
        fts_rows = conn.execute("SELECT count(*) FROM article_fts_docsize").fetchone()[0]
        conn.close()
        assert orphans == 0
        assert fts_rows == count
        report = import_paths(lib, [tmp_path / "many"])
        assert len(report.imported) == total - count
        assert len(report.duplicates) == count
        assert lib.count() == total
        assert lib.integrity_check() == []


def _children_of(pid: int) -> set[int]:
    """The live processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


_KILL_WORKERS_SCRIPT = """
import sys
from archive_app.core.importer import import_paths
from archive_app.core.library import Library
if __name__ == "__main__":
    lib = Library(sys.argv[1])
    import_paths(lib, [sys.argv[2]], chunk_files=20, workers=2)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_worker_processes_exit_soon_after_the_import_is_killed(tmp_path: Path) -> None:
    _write_articles(tmp_path / "many", 3000)
    lib_path = tmp_path / "lib.sqlite3"
    Library(lib_path).close()
    script = tmp_path / "kill_workers.py"
    script.write_text(_KILL_WORKERS_SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(lib_path), str(tmp_path / "many")],
        cwd=Path(__file__).parents[2],
    )
    deadline = time.monotonic() + 60
    children: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        children = _children_of(proc.pid)
        if len(children) >= 3:  # two workers and multiprocessing's resource tracker
            break
        time.sleep(0.01)  # polling another process: there is no signal to wait on
    assert proc.poll() is None, "the import finished before it could be killed"
    assert len(children) >= 3, f"expected worker processes, found {children}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.05)
    left = [pid for pid in children if _alive(pid)]
    for pid in left:  # do not leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == [], "worker processes outlived the killed import by 10 s"


def test_import_never_crashes_on_arbitrary_bytes() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lib = Library(folder / "lib.sqlite3")
        counter = iter(range(10**9))

        @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(st.binary(max_size=3000))
        def check(data: bytes) -> None:
            path = folder / f"f{next(counter)}.txt"
            path.write_bytes(data)
            report = import_paths(lib, [path])
            assert report.files_seen == 1
            if report.imported:
                assert lib.source_bytes(report.imported[0]) == data
            elif report.duplicates:
                assert lib.get_article(report.duplicates[0].existing_id)
            else:
                assert report.failed[0].reason.startswith("not a text file")

        try:
            check()
            assert lib.integrity_check() == []
        finally:
            lib.close()


@pytest.mark.parametrize("name", ["utf8.txt", "nested/deep.txt"])
def test_relative_and_nested_paths(library: Library, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_article_text(1))
    report = import_paths(library, [path])
    assert len(report.imported) == 1


def test_every_fixture_imports_with_its_encoding(library: Library) -> None:
    report = import_paths(library, [FIXTURES])
    assert report.failed == []
    assert [Path(p.path).name for p in report.skipped] == ["README.md"]
    txt_files = sorted(FIXTURES.glob("*.txt"))
    assert len(report.imported) == len(txt_files) >= 20
    records = {r.source.file_name: r for r in map(library.get_article, report.imported) if r.source}
    assert records["cp1252_smart_quotes.txt"].source.encoding == "cp1252"  # type: ignore[union-attr]
    assert "“talks are over”" in records["cp1252_smart_quotes.txt"].title
    assert records["utf16_bom.txt"].source.encoding == "utf-16"  # type: ignore[union-attr]
    assert records["utf8_bom.txt"].source.encoding == "utf-8-sig"  # type: ignore[union-attr]
    assert records["crlf_dateline.txt"].dateline == "MOSCOW"
    assert records["cyrillic_ru.txt"].language == "ru"
    assert records["arabic_ar.txt"].language == "ar"
    for name, record in records.items():
        assert "\r" not in record.body, name
        assert library.source_bytes(record.id) == (FIXTURES / name).read_bytes()


def test_worker_processes_give_the_same_result_as_one_process(tmp_path: Path) -> None:
    paths = _write_articles(tmp_path / "many", 60)
    paths[7].write_bytes(PNG)
    paths[9].write_text(_article_text(3), encoding="utf-8")  # a duplicate of article 3
    results = []
    for workers in (0, 2):
        with Library(tmp_path / f"lib{workers}.sqlite3") as lib:
            report = import_paths(lib, [tmp_path / "many"], workers=workers, chunk_files=16)
            results.append(
                (
                    len(report.imported),
                    [(Path(p.path).name, p.reason) for p in report.failed],
                    [Path(d.path).name for d in report.duplicates],
                    [lib.get_article(i).editable() for i in report.imported],
                )
            )
    assert results[0] == results[1]
    assert results[0][0] == 58
    assert results[0][1] == [("article-00007.txt", "not a text file: looks like a PNG image")]
    assert results[0][2] == ["article-00009.txt"]


def test_workers_get_every_file_once_in_order_in_bounded_tasks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files go to the workers many to a task (one reply each), bounded by count and bytes."""
    _write_articles(tmp_path / "t", 150)
    big = tmp_path / "t" / "article-00003.txt"
    big.write_text(_article_text(3) * 400, encoding="utf-8")  # about 60 KB
    monkeypatch.setattr(importer, "WORKER_TASK_BYTES", 40_000)
    candidates = list(iter_candidates([tmp_path / "t"]))
    assert candidates[3].size == big.stat().st_size  # the walk's stat gives the size
    tasks = list(importer._worker_tasks(candidates))
    assert [p for task in tasks for p in task] == [str(c.path) for c in candidates]
    assert max(map(len, tasks)) == importer.WORKER_TASK_FILES
    assert [str(big)] in tasks  # too large to share a task with the files around it
    for task in tasks:
        assert len(task) == 1 or sum(Path(p).stat().st_size for p in task) <= 40_000


@pytest.mark.skipif(not hasattr(os, "nice"), reason="CPU priority is POSIX's os.nice")
def test_import_workers_run_at_a_lower_cpu_priority_than_the_app() -> None:
    """The window and the chunk being stored come first; the workers take what is left."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from archive_app.core.prepare import WORKER_NICENESS, start_worker

    mine = os.nice(0)
    with ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=importer.start_worker,
        initargs=(os.getpid(),),
    ) as pool:
        assert pool.submit(os.nice, 0).result() == min(19, mine + WORKER_NICENESS)
    assert importer.start_worker is start_worker
    assert os.nice(0) == mine  # this process keeps its priority


def test_cancel_with_worker_processes_stores_whole_articles(
    library: Library, tmp_path: Path
) -> None:
    _write_articles(tmp_path / "c", 80)
    seen = {"n": 0}

    def progress(done: int, total: int, path: str) -> None:
        seen["n"] = done

    report = import_paths(
        library,
        [tmp_path / "c"],
        progress=progress,
        cancel=lambda: seen["n"] >= 30,
        workers=2,
        chunk_files=16,
    )
    assert report.cancelled
    assert len(report.imported) == 30 == library.count()
    assert library.integrity_check() == []


def test_the_progress_total_counts_every_candidate_the_walk_yields(tmp_path: Path) -> None:
    """The import's progress total comes from a walk without a stat per file: it must equal
    what the walk yields on every kind of entry (hidden, skipped, resources, a FIFO)."""
    root = tmp_path / "drop"
    (root / "a" / "b").mkdir(parents=True)
    (root / ".hidden-dir").mkdir()
    (root / ".hidden-dir" / "inside.txt").write_text("never walked")
    (root / ".hidden.txt").write_text("skipped as hidden")
    (root / "a" / "one.txt").write_text(_article_text(1))
    (root / "a" / "b" / "two.txt").write_text(_article_text(2))
    (root / "a" / "photo.png").write_bytes(PNG)
    (root / "page.html").write_text("<html><body><p>Saved</p></body></html>")
    (root / "page_files").mkdir()
    (root / "page_files" / "image.png").write_bytes(PNG)
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "a" / "pipe.txt")
    single = tmp_path / "single.txt"
    single.write_text(_article_text(3))
    paths = [root, single, tmp_path / "missing.txt"]
    yielded = list(iter_candidates(paths))
    assert count_candidates(paths) == len(yielded)
    reasons = {c.path.name: c.skip_reason or c.fail_reason for c in yielded}
    assert "inside.txt" not in reasons
    assert "image.png" not in reasons
    assert reasons["page_files"]
    assert reasons[".hidden.txt"] == "hidden file"
    assert reasons.get("pipe.txt", "not a regular file") == "not a regular file"
    assert reasons["missing.txt"] == "no such file or folder"
