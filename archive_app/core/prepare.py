"""One file's work in the import: read, decode, parse, hash, compress (runs in workers)."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import stat
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from archive_app.core.compression import compress
from archive_app.core.decoding import DecodedText, NotTextError, decode_bytes
from archive_app.core.formats.pages import PAGE_SUFFIXES
from archive_app.core.parsing import (
    ParsedArticle,
    find_sidecar,
    normalized_text_for_hash,
    parse_article,
    read_sidecar,
)
from archive_app.core.records import ArticleFields, NewArticle

if TYPE_CHECKING:
    from archive_app.core.formats.html import HtmlArticle

#: Larger files are reported as failed (a saved article is a few KB; 20 MB is handled).
MAX_FILE_BYTES = 64 * 1024 * 1024


def display_path(path: str | os.PathLike[str]) -> str:
    """Return a path as text that can be stored and printed.

    A name that is not valid UTF-8 (decoded by Python with surrogate escapes) shows each bad
    byte as U+FFFD, the replacement mark; the file itself is read under its real name.
    """
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def content_hash(text: str) -> str:
    """Return the duplicate-detection hash of decoded text."""
    return hashlib.sha256(normalized_text_for_hash(text).encode("utf-8")).hexdigest()


#: The article fields a parse gives (the parser has no notes: those are the archivist's).
_PARSED_FIELDS = tuple(
    f.name
    for f in dataclasses.fields(ArticleFields)
    if f.name in ParsedArticle.__dataclass_fields__
)


def fields_from_parsed(parsed: ParsedArticle) -> ArticleFields:
    """Return the library fields for a parse result."""
    values = {name: getattr(parsed, name) for name in _PARSED_FIELDS}
    return ArticleFields(**values, needs_review=parsed.needs_review)


def prepare_bytes(data: bytes, path: Path, sidecar: tuple[str, bytes] | None = None) -> NewArticle:
    """Decode and parse one file's bytes into an article ready to store.

    Args:
        data: The file's bytes.
        path: The file's path; its name can give the headline.
        sidecar: The name and bytes of the JSON sidecar beside it (:func:`find_sidecar`).

    Raises:
        NotTextError: The bytes are not text.
        ValueError: An MHTML file holds no HTML page.
    """
    if path.suffix.lower() in PAGE_SUFFIXES:
        from archive_app.core.formats.html import read_page  # lxml and trafilatura: pages only

        # A page fetched from the web carries its address in the sidecar (formats.web).
        meta = read_sidecar(sidecar[1]) if sidecar is not None else {}
        url = meta.get("url") if isinstance(meta.get("url"), str) else ""
        page = read_page(data, file_name=path.name, url=str(url or ""))
        return article_from_page(page, data, path, sidecar)
    return article_from_decoded(decode_bytes(data), data, path, sidecar)


def article_from_page(
    page: HtmlArticle, data: bytes, path: Path, sidecar: tuple[str, bytes] | None = None
) -> NewArticle:
    """The article of a saved web page: its original bytes kept, its extracted text hashed."""
    return _new_article(
        page.fields,
        page.warnings,
        page.text,
        data,
        path,
        sidecar,
        encoding=page.encoding,
        confidence=page.confidence,
    )


def _new_article(
    fields: ArticleFields,
    warnings: tuple[str, ...],
    text: str,
    data: bytes,
    path: Path,
    sidecar: tuple[str, bytes] | None,
    *,
    encoding: str,
    confidence: float,
) -> NewArticle:
    """An article ready to store: the original bytes (and sidecar) compressed, ``text`` hashed."""
    return NewArticle(
        fields=fields,
        parse_warnings=warnings,
        content_hash=content_hash(text),
        file_name=display_path(path.name),
        original_path=display_path(path),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        compressed_data=compress(data),
        encoding_confidence=confidence,
        sidecar_name=display_path(sidecar[0]) if sidecar is not None else "",
        sidecar_data=compress(sidecar[1]) if sidecar is not None else b"",
        source_group=display_path(path.parent),
    )


def article_from_decoded(
    decoded: DecodedText, data: bytes, path: Path, sidecar: tuple[str, bytes] | None = None
) -> NewArticle:
    """Parse decoded text into an article ready to store (import and re-parse share this)."""
    meta = read_sidecar(sidecar[1]) if sidecar is not None else None
    parsed = parse_article(decoded.text, file_name=path.name, sidecar=meta)
    warnings = tuple(decoded.warnings) + tuple(parsed.warnings)
    fields = fields_from_parsed(parsed)
    if decoded.warnings or decoded.doubtful:
        # A doubtful decode is never silent: the article waits for review.
        fields = dataclasses.replace(fields, needs_review=True)
    return _new_article(
        fields,
        warnings,
        decoded.text,
        data,
        path,
        sidecar,
        encoding=decoded.encoding,
        confidence=decoded.confidence,
    )


def _read_file(path: Path) -> bytes:
    # O_NONBLOCK: a FIFO that replaced the file since the walk must not block the import.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb", closefd=True) as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise ValueError(
                f"file too large ({info.st_size / 1048576:.0f} MB; "
                f"the limit is {MAX_FILE_BYTES // 1048576} MB)"
            )
        return fh.read()


def prepare_path(path_text: str) -> NewArticle | str:
    """Read and prepare one file; return the article, or the reason it failed.

    Module-level and light on imports so worker processes can run it.
    """
    path = Path(path_text)
    try:
        return prepare_bytes(_read_file(path), path, find_sidecar(path))
    except NotTextError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    except ValueError as exc:
        return str(exc)


def prepare_paths(path_texts: list[str]) -> list[NewArticle | str]:
    """:func:`prepare_path` for each of a worker process's task of files (one reply for all)."""
    return [prepare_path(path_text) for path_text in path_texts]


#: How much lower a worker process's CPU priority is than the app's (``os.nice``). The app's
#: own threads (the window, the chunk being stored) come first and the workers take the
#: rest: on 2 cores the store of each chunk, which every later chunk waits for, otherwise
#: got two thirds of a core (measured on 10,000 files: 6.75 s against 7.33 s, the mean of
#: six runs each).
WORKER_NICENESS = 10
#: How often a worker process checks that the process that started it is still alive.
PARENT_POLL_SECONDS = 0.5


def _exit_when_orphaned(parent_pid: int, poll: float) -> None:
    while True:
        time.sleep(poll)
        # A killed parent re-parents us (to init or a subreaper): our parent id changes.
        if os.getppid() != parent_pid:
            os._exit(0)


def watch_parent(parent_pid: int, poll: float = PARENT_POLL_SECONDS) -> None:
    """Worker initializer: exit this process soon after ``parent_pid`` is gone.

    A SIGKILL of the importing process gives its workers no signal, and a pool worker blocks
    on its call queue forever; without this they (and multiprocessing's resource tracker, which
    waits for them) would outlive the app indefinitely.
    """
    thread = threading.Thread(
        target=_exit_when_orphaned, args=(parent_pid, poll), name="parent-watch", daemon=True
    )
    thread.start()


def start_worker(parent_pid: int) -> None:
    """Worker initializer: a lower CPU priority (:data:`WORKER_NICENESS`), then
    :func:`watch_parent`."""
    if hasattr(os, "nice"):  # POSIX; elsewhere the workers keep the app's priority
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)
    watch_parent(parent_pid)
