"""The import pipeline: paths -> files -> bytes -> decode -> parse -> dedupe -> store."""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive_app.core.errors import LibraryError
from archive_app.core.formats.pages import PAGE_SUFFIXES, is_page_resources
from archive_app.core.learning import (
    CollectionLearner,
    groups_learned_more,
    source_group,
    split_legacy_state,
)
from archive_app.core.library import Library
from archive_app.core.prepare import (
    MAX_FILE_BYTES,
    content_hash,
    display_path,
    fields_from_parsed,
    prepare_bytes,
    prepare_path,
    prepare_paths,
    start_worker,
)
from archive_app.core.records import NewArticle

__all__ = [
    "MAX_FILE_BYTES",
    "ImportReport",
    "content_hash",
    "fields_from_parsed",
    "import_paths",
    "iter_candidates",
    "prepare_bytes",
]

#: File name endings the importer reads; anything else is reported as skipped.
TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
#: Text files and saved web pages (``.html .htm .xhtml .mhtml .mht``).
IMPORT_SUFFIXES = TEXT_SUFFIXES | PAGE_SUFFIXES
RESOURCES_REASON = "resources of a saved page"
DEFAULT_CHUNK_FILES = 2000
#: The last batch is stored in this many smaller chunks (see ``import_files``).
TAIL_CHUNKS = 4
DEFAULT_CHUNK_BYTES = 32 * 1024 * 1024
#: Chunks between two saves of what the import learned (it is saved at the end too): the
#: groups that learned since the last save, each a row of its own (a large source's row is a
#: few MB of JSON, 20-60 ms to write out).
SAVE_LEARNED_EVERY = 20
#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 400
#: Files a worker process is given at a time, their results sent back in one message.
#: Measured on 10,000 files: 8 a task cost 0.6 s more of this process's CPU (a message, a
#: wake-up and a future each) and 0.5-1 s more of the workers'.
WORKER_TASK_FILES = 64
#: ... and at most this many bytes of files a task (its results wait in memory to be read).
WORKER_TASK_BYTES = 4 * 1024 * 1024

#: ``progress(done, total, current_path)`` after each file; ``done < 0``: ``current_path`` is a
#: message to show (downloading a page, waiting for another program's write).
ProgressCallback = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class PathProblem:
    """A file that was not imported, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """A file whose text is already in the library."""

    path: str
    existing_id: int


@dataclass(frozen=True)
class ImportWarning:
    """Something about an imported file a person should review."""

    path: str
    article_id: int
    message: str


@dataclass
class ImportReport:
    """What an import did, file by file."""

    imported: list[int] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    failed: list[PathProblem] = field(default_factory=list)
    skipped: list[PathProblem] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    cancelled: bool = False
    #: Why the import stopped early (disk full, library busy or read-only...), else "".
    error: str = ""

    @property
    def files_seen(self) -> int:
        """How many files were looked at (imported, duplicate, failed or skipped)."""
        return len(self.imported) + len(self.duplicates) + len(self.failed) + len(self.skipped)

    def to_json(self) -> dict[str, Any]:
        """Return the ``import --json`` object (DESIGN.md's contract)."""
        return {
            "imported": list(self.imported),
            "duplicates": [{"path": d.path, "existing_id": d.existing_id} for d in self.duplicates],
            "failed": [{"path": p.path, "reason": p.reason} for p in self.failed],
            "skipped": [{"path": p.path, "reason": p.reason} for p in self.skipped],
            "warnings": [
                {"path": w.path, "article_id": w.article_id, "message": w.message}
                for w in self.warnings
            ],
            "cancelled": self.cancelled,
            "error": self.error,
        }

    def merge(self, other: ImportReport) -> None:
        """Add what another import (a bag, the downloaded pages) did to this report."""
        self.imported.extend(other.imported)
        self.duplicates.extend(other.duplicates)
        self.failed.extend(other.failed)
        self.skipped.extend(other.skipped)
        self.warnings.extend(other.warnings)
        self.cancelled = self.cancelled or other.cancelled
        self.error = self.error or other.error

    def summary(self) -> str:
        """Return a one-line human summary."""
        parts = [
            f"{len(self.imported)} imported",
            f"{len(self.duplicates)} duplicates",
            f"{len(self.failed)} failed",
            f"{len(self.skipped)} skipped",
        ]
        text = ", ".join(parts)
        if self.error:
            return f"{text} (stopped: {self.error})"
        return text + (" (cancelled)" if self.cancelled else "")


@dataclass(frozen=True)
class Candidate:
    """A path found by the walk: a file to read, or one to report as skipped/failed."""

    path: Path
    skip_reason: str | None = None
    fail_reason: str | None = None
    #: The size the walk saw (0: not known); it only groups files into the workers' tasks.
    size: int = 0


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _classify(path: Path, mode: int | None = None, size: int = 0) -> Candidate:
    if _is_hidden(path.name):
        return Candidate(path, skip_reason="hidden file")
    if mode is not None and not stat.S_ISREG(mode):
        # FIFOs, sockets and devices are never opened: a FIFO would block the import forever.
        return Candidate(path, skip_reason="not a regular file")
    suffix = path.suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        return Candidate(path, skip_reason=f"not a text file ({suffix or path.name})")
    return Candidate(path, size=size)


def _walk(folder: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """Walk ``folder`` in name order without hidden folders: (folder, resources, file names).

    A browser's folder beside a saved page (``page_files/``) holds images, not articles: it is
    named in ``resources`` and not entered.
    """
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
        resources = [d for d in dirs if is_page_resources(Path(root) / d)]
        for name in resources:
            dirs.remove(name)
        yield root, resources, files


def iter_candidates(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Candidate]:
    """Yield every file under ``paths`` (folders recursively, in name order), lazily."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, resources, files in _walk(path):
                for name in resources:
                    yield Candidate(Path(root) / name, skip_reason=RESOURCES_REASON)
                for name in sorted(files):
                    file_path = Path(root) / name
                    try:
                        info = file_path.stat()
                    except OSError as exc:
                        yield Candidate(file_path, fail_reason=f"cannot read: {exc.strerror}")
                        continue
                    yield _classify(file_path, info.st_mode, info.st_size)
        elif path.is_file():
            yield _classify(path)
        elif path.exists():
            yield Candidate(path, skip_reason="not a regular file")
        else:
            yield Candidate(path, fail_reason="no such file or folder")


def count_candidates(paths: Iterable[str | os.PathLike[str]]) -> int:
    """Return how many files ``iter_candidates`` will yield (for the progress total).

    The same walk without a ``stat`` or a :class:`Candidate` per file: every file found yields
    exactly one candidate whatever its mode, so the names are enough (measured on 10,000
    files: 9-15 ms instead of 117-172 ms of the importing process's CPU).
    """
    total = 0
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            total += 1
            continue
        for _root, resources, files in _walk(path):
            total += len(resources) + len(files)
    return total


def _worker_tasks(candidates: Iterable[Candidate]) -> Iterator[list[str]]:
    """Group files to read into workers' tasks (``WORKER_TASK_FILES``, ``WORKER_TASK_BYTES``)."""
    task: list[str] = []
    size = 0
    for candidate in candidates:
        if task and (len(task) >= WORKER_TASK_FILES or size + candidate.size > WORKER_TASK_BYTES):
            yield task
            task = []
            size = 0
        task.append(str(candidate.path))
        size += candidate.size
    if task:
        yield task


def _task_results(futures: list[Future[list[NewArticle | str]]]) -> Iterator[NewArticle | str]:
    """The tasks' results in order; the tasks not yet started are cancelled if left early."""
    try:
        for future in futures:
            yield from future.result()
    finally:
        for future in futures:
            future.cancel()


def _batches(items: Iterator[Candidate], size: int) -> Iterator[list[Candidate]]:
    batch: list[Candidate] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _apply_later_learning(
    library: Library,
    learner: CollectionLearner,
    stripped_with: dict[str, frozenset[str]],
    imported_groups: dict[str, list[int]],
) -> None:
    """Strip what was learned late in an import from the articles stored before it was known.

    A source's first chunk may hold too few of its articles for its boilerplate to qualify;
    once it does, those first articles get the same treatment (``reparse`` does the same for
    earlier imports).
    """
    for group in groups_learned_more(learner, stripped_with):
        changes: dict[int, dict[str, Any]] = {}
        for article_id in imported_groups.get(group, ()):
            record = library.get_article(article_id)
            fields = learner.apply(record.editable(), group)
            if fields.body != record.body:
                changes[article_id] = {
                    "body": fields.body,
                    "rights": fields.rights,
                    "share_section": fields.share_section,
                    "boilerplate": fields.boilerplate,
                }
        library.replace_parsed_fields(changes, kind="learned boilerplate")


def default_workers(total: int) -> int:
    """How many worker processes to decode and parse with (0: in this process)."""
    cores = os.cpu_count() or 1
    return min(cores, 4) if cores > 1 and total >= PARALLEL_MIN_FILES else 0


def _is_url(path: str | os.PathLike[str]) -> bool:
    return isinstance(path, str) and path.lower().startswith(("http://", "https://"))


def import_paths(
    library: Library,
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
    chunk_files: int = DEFAULT_CHUNK_FILES,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    workers: int | None = None,
    partial: bool = False,
) -> ImportReport:
    """Import files, folders, BagIt bags (folder or ``.zip``) and ``http(s)://`` addresses.

    Addresses are downloaded first (``formats.web``: timeout, size cap, a sidecar with the
    address and the fetch time) and imported like saved pages; bags are checked and imported
    as exported (``formats.bag``; ``partial`` imports the intact articles of a damaged bag);
    everything else goes through :func:`import_files`.
    """
    from archive_app.core.formats.bag import import_bag, is_bag
    from archive_app.core.formats.web import DownloadError, download_url, save_for_import

    path_list = list(paths)
    urls = [p for p in path_list if _is_url(p)]
    bags = [p for p in path_list if not _is_url(p) and is_bag(p)]
    rest: list[str | os.PathLike[str]] = [p for p in path_list if p not in urls and p not in bags]
    report = ImportReport()
    with tempfile.TemporaryDirectory(prefix="article-archive-") as downloads:
        for url in urls:
            if progress is not None:
                progress(-1, 0, f"Downloading {url}…")  # done < 0: a message, not a count
            try:
                rest.append(save_for_import(download_url(str(url)), downloads))
            except DownloadError as exc:
                report.failed.append(PathProblem(str(url), str(exc)))
        if rest:
            report.merge(
                import_files(
                    library,
                    rest,
                    progress=progress,
                    cancel=cancel,
                    chunk_files=chunk_files,
                    chunk_bytes=chunk_bytes,
                    workers=workers,
                )
            )
    for bag in bags:
        if report.error or report.cancelled:
            break
        report.merge(import_bag(library, bag, partial=partial, progress=progress, cancel=cancel))
    return report


def import_files(
    library: Library,
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
    chunk_files: int = DEFAULT_CHUNK_FILES,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    workers: int | None = None,
) -> ImportReport:
    """Import files and folders into the library, streaming in chunks.

    Each chunk is stored in one transaction, so a crash or kill leaves only whole articles and
    a re-run skips what is already there (as duplicates). A bad file is reported in ``failed``
    with the reason and the rest goes on. Large imports decode and parse in worker processes
    while this process stores (measured: parsing is most of an import's time).

    Args:
        library: Where to store the articles.
        paths: Files and folders (recursively) to import.
        progress: Called after each file with (done, total, path).
        cancel: Polled between files; when it returns true, the files read so far are stored
            and the import stops with ``report.cancelled`` set.
        chunk_files: Files per transaction.
        chunk_bytes: Bytes of file data per transaction (bounds memory for large files).
        workers: Worker processes (``0``: none; ``None``: by the number of files and cores).
    """
    path_list = list(paths)
    total = count_candidates(path_list)
    if workers is None:
        workers = default_workers(total)
    report = ImportReport()
    if total:
        try:
            # A library written by an older version keeps all it learned in one row: split it
            # (once) into a row per source, so this import reads and writes only its sources'.
            split_legacy_state(library)
        except LibraryError as exc:
            report.error = str(exc)
            return report
    learner = CollectionLearner.for_library(library)
    chunks = 0
    # Per source: what its first articles of this import were stripped with, and their ids.
    stripped_with: dict[str, frozenset[str]] = {}
    imported_groups: dict[str, list[int]] = {}
    pending: list[NewArticle] = []
    pending_bytes = 0
    # One chunk at a time is written by a thread of its own while this one goes on reading,
    # learning and preparing the next (SQLite does its work without holding the GIL): in a
    # large library a chunk's write waits on the disk for index pages, and the parsing need
    # not wait with it. The chunks are still written one after the other, in order.
    writer = ThreadPoolExecutor(1, thread_name_prefix="import-store")
    writing: tuple[Future[list[tuple[int, bool]]], list[NewArticle], list[str]] | None = None
    # Per group: the learned pattern keys its articles of the chunk being written were
    # stripped with (the learner moves on while the chunk is written).
    writing_keys: dict[str, frozenset[str]] = {}

    def finish_writing() -> None:
        """Wait for the chunk being written and put its articles into the report."""
        nonlocal writing
        if writing is None:
            return
        future, ready, groups = writing
        writing = None
        stored = future.result()
        for (article_id, is_new), item, group in zip(stored, ready, groups, strict=True):
            if not is_new:
                report.duplicates.append(Duplicate(item.original_path, article_id))
                continue
            report.imported.append(article_id)
            stripped_with.setdefault(group, writing_keys[group])
            imported_groups.setdefault(group, []).append(article_id)
            for message in item.parse_warnings:
                report.warnings.append(ImportWarning(item.original_path, article_id, message))

    def flush(*, last: bool = False) -> None:
        nonlocal pending, pending_bytes, chunks, writing, writing_keys
        if not pending:
            return
        # Learn each source's recurring edge lines from the new articles (a re-import must not
        # count twice), then move what was learned out of every body of the chunk.
        known = library.existing_ids_by_hash(item.content_hash for item in pending)
        groups = [source_group(item.fields, item.source_group) for item in pending]
        learner.learn(
            (group, item.fields.body)
            for group, item in zip(groups, pending, strict=True)
            if item.content_hash not in known
        )
        ready = []
        for group, item in zip(groups, pending, strict=True):
            fields = learner.apply(item.fields, group)
            ready.append(
                item if fields is item.fields else dataclasses.replace(item, fields=fields)
            )
        chunks += 1
        # What was learned is saved with a chunk now and then and with the last one: the rows
        # of the groups that learned since, in the chunk's write transaction (with the
        # duplicate check and the inserts).
        save = last or chunks % SAVE_LEARNED_EVERY == 0
        learned = learner.changed_states() if save else None
        keys = {group: learner.pattern_keys(group) for group in set(groups)}
        finish_writing()  # the previous chunk first: one writer, chunks in order
        writing_keys = keys
        future = writer.submit(library.add_new_articles, ready, learned=learned)
        writing = (future, ready, groups)
        pending = []
        pending_bytes = 0

    def store(*, wait: bool = False) -> bool:
        """Store the pending chunk; on a library error, stop the import and say why."""
        try:
            flush(last=wait)
            if wait:
                finish_writing()
        except LibraryError as exc:
            report.error = report.error or str(exc)
            return False
        return True

    pool = (
        ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=start_worker,
            initargs=(os.getpid(),),
        )
        if workers > 0
        else None
    )
    done = 0
    # The chunks are written with the library's bulk settings (larger page cache, fewer
    # checkpoints), restored when the import ends however it ends.
    bulk = contextlib.ExitStack()

    def start(batch: list[Candidate] | None) -> Iterator[NewArticle | str]:
        readable = [c for c in batch or () if not (c.skip_reason or c.fail_reason)]
        if pool is not None:  # every task of the batch is submitted right away
            return _task_results([pool.submit(prepare_paths, t) for t in _worker_tasks(readable)])
        return map(prepare_path, (str(c.path) for c in readable))

    try:
        bulk.enter_context(library.bulk_import())
        batches = _batches(iter_candidates(path_list), chunk_files)
        batch = next(batches, None)
        prepared = start(batch)
        while batch is not None:
            # The workers parse the next batch while this process stores the current one.
            next_batch = next(batches, None)
            next_prepared = start(next_batch) if pool is not None else None
            # In the last batch the workers have nothing more to parse while this process
            # stores: smaller chunks there let the storing overlap the parsing of the rest.
            tail = next_batch is None and pool is not None
            limit = max(1, chunk_files // TAIL_CHUNKS) if tail else chunk_files
            for candidate in batch:
                if cancel is not None and cancel():
                    report.cancelled = True
                    break
                path = candidate.path
                if candidate.skip_reason:
                    report.skipped.append(PathProblem(display_path(path), candidate.skip_reason))
                elif candidate.fail_reason:
                    report.failed.append(PathProblem(display_path(path), candidate.fail_reason))
                else:
                    item = next(prepared)
                    if isinstance(item, str):
                        report.failed.append(PathProblem(display_path(path), item))
                    else:
                        pending.append(item)
                        pending_bytes += item.size
                        full = len(pending) >= limit or pending_bytes >= chunk_bytes
                        if full and not store():
                            break
                done += 1
                if progress is not None:
                    progress(done, max(total, done), display_path(path))
            if report.cancelled or report.error:
                break
            batch = next_batch
            prepared = next_prepared if next_prepared is not None else start(batch)
        if store(wait=True) and report.imported:
            try:
                library.save_learned_states(learner.changed_states())  # if no chunk took them
                if not report.error:
                    _apply_later_learning(library, learner, stripped_with, imported_groups)
            except LibraryError as exc:
                report.error = report.error or str(exc)
        if not report.error and report.imported:
            with contextlib.suppress(LibraryError):  # statistics only: the articles are stored
                library.optimize(analyze=True, changed=len(report.imported))
    finally:
        if writing is not None:  # stopped by an error: the chunk being written ends first
            with contextlib.suppress(Exception):
                writing[0].result()
        writer.shutdown(wait=True)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        bulk.close()
    return report
