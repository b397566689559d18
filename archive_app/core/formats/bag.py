"""BagIt bags of articles: the layout the exporter writes, and reading one back to import.

A bag (RFC 8493, BagIt 1.0) holds, per article, ``data/articles/<nnnnn-slug>/``:
``original/<file name>`` (the imported file, byte for byte, and its JSON sidecar if any),
``metadata.json`` (every field, tags, notes, uid, warnings, times, revisions, provenance) and
``article.html`` (the rendered page). An import checks every checksum first, then restores each
article as it was exported: its fields are read from ``metadata.json``, never re-parsed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import bagit

from archive_app.core.compression import compress
from archive_app.core.decoding import NotTextError, decode_as, decode_bytes
from archive_app.core.errors import LibraryError
from archive_app.core.history import Revision
from archive_app.core.records import ArticleFields, ArticleRecord, NewArticle

if TYPE_CHECKING:
    from archive_app.core.importer import ImportReport
    from archive_app.core.library import Library

# bagit logs every file it checks (INFO) and every mismatch (WARNING); we report them ourselves.
logging.getLogger("bagit").addHandler(logging.NullHandler())

#: What ``metadata.json`` says it is, and the version of its layout.
METADATA_FORMAT = "article-archive/article"
METADATA_VERSION = 1
METADATA_NAME = "metadata.json"
PAGE_NAME = "article.html"
ORIGINAL_DIR = "original"
#: The payload folder holding one folder per article.
ARTICLES_DIR = "articles"
CHECKSUMS = ("sha256", "sha512")
#: Articles stored per transaction (as the file importer does).
CHUNK_ARTICLES = 500
#: The biggest archive member an import unpacks (a bag's files are articles, a few KB each).
MAX_MEMBER_BYTES = 256 * 1024 * 1024

#: ``progress(done, total, text)`` after each article.
ProgressCallback = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]

_TUPLE_FIELDS = frozenset(
    f.name for f in dataclasses.fields(ArticleFields) if isinstance(f.default, tuple)
)


class BagReadError(Exception):
    """The bag cannot be read at all (no bagit.txt, a bad zip, damaged tag files)."""


@dataclass(frozen=True)
class BadFile:
    """A file of a bag that does not match its manifest."""

    path: str
    reason: str


# -- writing (the exporter calls these) ----------------------------------------------------------


def full_time(value: dt.datetime | None) -> str | None:
    """ISO 8601 UTC time to the microsecond (``show --json`` rounds to seconds)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat(timespec="microseconds")


def article_metadata(
    record: ArticleRecord, revisions: Sequence[Revision], files: Mapping[str, str | None]
) -> dict[str, Any]:
    """The ``metadata.json`` object of an article: ``show --json`` at full time precision,
    plus its revisions and the bag-relative names of its files.

    Args:
        record: The article.
        revisions: Its revisions, oldest first (``Library.history``).
        files: ``{"original": ..., "sidecar": ... or None, "page": ...}``, relative to the
            article's folder.
    """
    data: dict[str, Any] = {"format": METADATA_FORMAT, "format_version": METADATA_VERSION}
    data.update(record.to_json())
    for name in ("created_at", "updated_at", "deleted_at"):
        data[name] = full_time(getattr(record, name))
    if record.source is not None:
        data["source"]["imported_at"] = full_time(record.source.imported_at)
    data["revisions"] = [{**r.to_json(), "created_at": full_time(r.created_at)} for r in revisions]
    data["files"] = dict(files)
    return data


# -- finding and opening -------------------------------------------------------------------------


def _zip_bag_root(names: Sequence[str]) -> str | None:
    """The folder of a zip holding ``bagit.txt`` ("" for the top), or ``None``."""
    if "bagit.txt" in names:
        return ""
    tops = {name.split("/", 1)[0] for name in names if name.strip("/")}
    if len(tops) == 1:
        top = tops.pop()
        if f"{top}/bagit.txt" in names:
            return top
    return None


def is_bag(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a bag folder (it has ``bagit.txt``) or a ``.zip`` of one."""
    p = Path(path)
    if p.is_dir():
        return (p / "bagit.txt").is_file()
    if p.is_file() and p.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(p) as archive:
                return _zip_bag_root(archive.namelist()) is not None
        except (OSError, zipfile.BadZipFile):
            return False
    return False


@contextlib.contextmanager
def open_bag(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield the bag folder: ``path`` itself, or a zip's bag unpacked into a temporary folder.

    Raises:
        BagReadError: A zip that cannot be read or holds no bag.
    """
    p = Path(path)
    if p.is_dir():
        yield p
        return
    try:
        with zipfile.ZipFile(p) as archive, tempfile.TemporaryDirectory(prefix="bag-") as tmp:
            root = _zip_bag_root(archive.namelist())
            if root is None:
                raise BagReadError(f"{p} holds no bag (no bagit.txt in one top folder)")
            for info in archive.infolist():
                if info.file_size > MAX_MEMBER_BYTES:
                    raise BagReadError(f"{p}: {info.filename} is too large to be an article")
            archive.extractall(tmp)  # extractall drops absolute and ".." parts of names
            yield Path(tmp) / root if root else Path(tmp)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BagReadError(f"cannot read {p}: {exc}") from exc


# -- checking ------------------------------------------------------------------------------------


def _file_hashes(path: Path, algorithms: Sequence[str]) -> dict[str, str]:
    hashers = {alg: hashlib.new(alg) for alg in algorithms}
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            for h in hashers.values():
                h.update(block)
    return {alg: h.hexdigest() for alg, h in hashers.items()}


def check_bag(folder: Path) -> list[BadFile]:
    """Validate every checksum of the bag (``bagit.Bag.validate``); return the bad files.

    When the bag is not valid, each file is checked on its own so the report names them all
    (bagit stops at the first kind of problem, and a missing file only shows as a wrong
    Payload-Oxum).

    Raises:
        BagReadError: No readable ``bagit.txt``, or a problem no file explains.
    """
    try:
        bag = bagit.Bag(str(folder))
    except bagit.BagError as exc:
        raise BagReadError(f"{folder} is not a readable bag: {exc}") from exc
    try:
        bag.validate(processes=1)
        return []
    except bagit.BagValidationError as exc:
        failure = exc
    missing, unexpected = bag.compare_manifests_with_fs()
    bad = [BadFile(p, "missing (listed in the manifest)") for p in sorted(missing)]
    bad += [BadFile(p, "not in the manifest") for p in sorted(unexpected)]
    gone = set(missing)
    for rel_path, expected in sorted(bag.entries.items()):
        if rel_path in gone:
            continue
        file_path = folder / rel_path
        if not file_path.is_file():
            bad.append(BadFile(rel_path, "missing (listed in the manifest)"))
            continue
        found = _file_hashes(file_path, list(expected))
        wrong = [alg for alg, value in expected.items() if value.lower() != found[alg]]
        if wrong:
            bad.append(BadFile(rel_path, f"checksum does not match ({', '.join(wrong)})"))
    if not bad:
        raise BagReadError(f"{folder} is not a valid bag: {failure}")
    return bad


# -- reading -------------------------------------------------------------------------------------


def article_folders(folder: Path) -> list[Path]:
    """The bag's article folders, in export order."""
    articles = folder / "data" / ARTICLES_DIR
    if not articles.is_dir():
        return []
    return sorted(p for p in articles.iterdir() if p.is_dir())


def _time(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(str(value))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def _fields(meta: Mapping[str, Any]) -> ArticleFields:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(ArticleFields):
        if f.name not in meta:
            continue
        value = meta[f.name]
        if f.name in _TUPLE_FIELDS:
            value = tuple(str(v) for v in value or ())
        elif f.name == "published_on":
            value = dt.date.fromisoformat(value) if value else None
        elif f.name == "needs_review":
            value = bool(value)
        else:
            value = "" if value is None else str(value)
        values[f.name] = value
    return ArticleFields(**values)


def _revision(data: Mapping[str, Any]) -> Revision:
    created = _time(data["created_at"])
    assert created is not None
    return Revision(
        id=0,
        article_id=0,
        created_at=created,
        user=str(data.get("user", "")),
        kind=str(data.get("kind", "")),
        changes={k: (v.get("old"), v.get("new")) for k, v in dict(data["changes"]).items()},
    )


def _inside(article: Path, relative: str) -> Path:
    """``article/relative``, refusing names that leave the article's folder."""
    path = (article / relative).resolve()
    if not path.is_relative_to(article.resolve()):
        raise ValueError(f"{relative!r} points outside the article's folder")
    return path


def read_article(article: Path) -> NewArticle:
    """Rebuild the article stored in one folder of a bag, as it was exported.

    The duplicate-detection hash is computed from the original bytes as the importer computes
    it, so a bag's article and its original file are duplicates of each other.

    Raises:
        ValueError: ``metadata.json`` is missing, not ours, or does not match the original.
        OSError: A file cannot be read.
    """
    try:
        meta = json.loads((article / METADATA_NAME).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{METADATA_NAME} is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != METADATA_FORMAT:
        raise ValueError(f"{METADATA_NAME} is not an Article Archive article")
    if int(meta.get("format_version", 0)) > METADATA_VERSION:
        raise ValueError(f"{METADATA_NAME} is from a newer version; update Article Archive")
    source = meta.get("source") or {}
    files = meta.get("files") or {}
    if not source or not files.get("original"):
        raise ValueError("the article has no original file")
    data = _inside(article, files["original"]).read_bytes()
    if hashlib.sha256(data).hexdigest() != source.get("sha256"):
        raise ValueError("the original file does not match the SHA-256 in metadata.json")
    sidecar = b""
    if files.get("sidecar"):
        sidecar = _inside(article, files["sidecar"]).read_bytes()
    encoding = str(source.get("encoding") or "utf-8")
    try:
        text = decode_bytes(data).text
    except NotTextError:
        text = decode_as(data, encoding).text
    # The same hash as prepare.content_hash (imported here lazily: it pulls in the parser).
    from archive_app.core.prepare import content_hash

    return NewArticle(
        fields=_fields(meta),
        parse_warnings=tuple(str(w) for w in meta.get("parse_warnings") or ()),
        content_hash=content_hash(text),
        file_name=str(source.get("file_name", "")),
        original_path=str(source.get("original_path", "")),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        compressed_data=compress(data),
        encoding_confidence=float(source.get("encoding_confidence", 1.0)),
        sidecar_name=str(source.get("sidecar_name") or "") if sidecar else "",
        sidecar_data=compress(sidecar) if sidecar else b"",
        uid=str(meta.get("uid") or ""),
        created_at=_time(meta.get("created_at")),
        updated_at=_time(meta.get("updated_at")),
        deleted_at=_time(meta.get("deleted_at")),
        revisions=tuple(_revision(r) for r in meta.get("revisions") or ()),
    )


# -- importing -----------------------------------------------------------------------------------


def _article_of(rel_path: str) -> str | None:
    """``data/articles/<name>`` for a payload path inside an article folder, else ``None``."""
    parts = rel_path.replace(os.sep, "/").split("/")
    if len(parts) >= 4 and parts[0] == "data" and parts[1] == ARTICLES_DIR:
        return "/".join(parts[:3])
    return None


def import_bag(
    library: Library,
    path: str | os.PathLike[str],
    *,
    partial: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ImportReport:
    """Import the articles of a bag (a folder or a ``.zip`` of one) after checking it.

    Every checksum is validated first. A damaged bag is refused, its bad files listed in
    ``report.failed``; with ``partial`` the articles whose files are all intact are imported
    and the others reported. Damaged tag files (manifests, ``bag-info.txt``) refuse the whole
    bag either way: the payload cannot be checked against them. Articles already in the library
    (the same uid, or the same text) are duplicates, so importing a bag into the library it
    came from adds nothing.

    Args:
        library: Where to store the articles.
        path: The bag folder or zip.
        partial: Import the intact articles of a damaged bag.
        progress: Called after each article with (done, total, folder).
        cancel: Polled between articles; stops after storing what was read.
    """
    # The importer is imported here: it may come to read bags through this module.
    from archive_app.core.importer import ImportReport, PathProblem

    report = ImportReport()
    shown = os.fspath(path)
    try:
        with open_bag(path) as folder:
            try:
                bad = check_bag(folder)
            except BagReadError as exc:
                report.failed.append(PathProblem(shown, str(exc)))
                return report
            bad_articles: dict[str, list[BadFile]] = {}
            whole_bag: list[BadFile] = []
            loose: list[BadFile] = []  # payload files outside every article's folder
            for problem in bad:
                article = _article_of(problem.path)
                if article is not None:
                    bad_articles.setdefault(article, []).append(problem)
                elif problem.path.replace(os.sep, "/").startswith("data/"):
                    loose.append(problem)
                else:
                    whole_bag.append(problem)
            if bad and (whole_bag or not partial):
                what = (
                    "its manifests or tag files are damaged, so nothing in it can be trusted"
                    if whole_bag
                    else "nothing was imported (--partial imports its intact articles)"
                )
                for problem in bad:
                    report.failed.append(
                        PathProblem(f"{shown}/{problem.path}", f"{problem.reason}; {what}")
                    )
                return report
            for problem in loose:
                report.failed.append(
                    PathProblem(f"{shown}/{problem.path}", f"{problem.reason}; not imported")
                )
            for article, problems in sorted(bad_articles.items()):
                for problem in problems:
                    report.failed.append(
                        PathProblem(
                            f"{shown}/{problem.path}",
                            f"{problem.reason}; the article in {article} was not imported",
                        )
                    )
            _store_articles(library, folder, shown, set(bad_articles), report, progress, cancel)
    except BagReadError as exc:
        report.failed.append(PathProblem(shown, str(exc)))
        return report
    except LibraryError as exc:
        report.error = str(exc)
        return report
    if report.imported:
        with contextlib.suppress(LibraryError):  # statistics only: the articles are stored
            library.optimize(analyze=True)
    return report


def _store_articles(
    library: Library,
    folder: Path,
    shown: str,
    skip: set[str],
    report: ImportReport,
    progress: ProgressCallback | None,
    cancel: CancelCheck | None,
) -> None:
    from archive_app.core.importer import Duplicate, ImportWarning, PathProblem

    folders = [f for f in article_folders(folder) if f"data/{ARTICLES_DIR}/{f.name}" not in skip]
    pending: list[tuple[str, NewArticle]] = []

    def flush() -> None:
        stored = library.add_new_articles([item for _where, item in pending])
        for (article_id, is_new), (where, item) in zip(stored, pending, strict=True):
            if not is_new:
                report.duplicates.append(Duplicate(where, article_id))
                continue
            report.imported.append(article_id)
            for message in item.parse_warnings:
                report.warnings.append(ImportWarning(where, article_id, message))
        pending.clear()

    for done, article in enumerate(folders, start=1):
        if cancel is not None and cancel():
            report.cancelled = True
            break
        where = f"{shown}/data/{ARTICLES_DIR}/{article.name}"
        try:
            pending.append((where, read_article(article)))
        except (OSError, ValueError, KeyError, TypeError, LookupError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            report.failed.append(PathProblem(where, f"cannot read the article: {reason}"))
        if len(pending) >= CHUNK_ARTICLES:
            flush()
        if progress is not None:
            progress(done, len(folders), where)
    if pending:
        flush()
