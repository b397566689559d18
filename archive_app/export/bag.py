"""Export articles as a BagIt 1.0 bag (RFC 8493): originals, metadata and pages, checksummed.

The layout is described in :mod:`archive_app.core.formats.bag`, which also reads it back.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Sequence
from pathlib import Path

import bagit

from archive_app import __version__
from archive_app.core.formats.bag import (
    ARTICLES_DIR,
    CHECKSUMS,
    METADATA_NAME,
    ORIGINAL_DIR,
    PAGE_NAME,
    article_metadata,
)
from archive_app.core.library import Library
from archive_app.core.records import ArticleRecord
from archive_app.export.common import (
    CancelCheck,
    ExportError,
    ExportExistsError,
    ExportResult,
    ProgressCallback,
    safe_file_name,
    slugify,
    unique_names,
)
from archive_app.render.pages import render_article_page

#: Where ``Source-Organization`` comes from when ``--organization`` is not given.
ORGANIZATION_ENV_VAR = "ARCHIVE_APP_ORGANIZATION"
DEFAULT_ORGANIZATION = "Article Archive user"
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

# bagit.make_bag and Bag.save change the working directory while they run: one at a time.
_BAGIT_LOCK = threading.Lock()


def default_organization() -> str:
    """``Source-Organization``: $ARCHIVE_APP_ORGANIZATION, else "Article Archive user"."""
    return os.environ.get(ORGANIZATION_ENV_VAR, "").strip() or DEFAULT_ORGANIZATION


def _targets(out: Path, zip_bag: bool) -> tuple[Path, str]:
    """The path to write (folder or zip) and the bag's folder name."""
    if not zip_bag:
        return out, out.name
    target = out if out.suffix.lower() == ".zip" else out.with_name(out.name + ".zip")
    return target, target.stem


def _check_target(target: Path, zip_bag: bool, force: bool) -> None:
    if zip_bag:
        if target.is_dir():
            raise ExportError(f"{target} is a folder; give the name of the zip to write")
        if target.exists() and not force:
            raise ExportExistsError([target])
        return
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file; give a folder for the bag (or use --zip)")
    if target.is_dir() and any(target.iterdir()):
        if not force:
            raise ExportExistsError([target])
        if not (target / "bagit.txt").is_file():
            # --force replaces an older bag, never an ordinary folder full of other files.
            raise ExportError(
                f"{target} is a folder that is not a bag; choose a new or empty folder"
            )


def _write(path: Path, data: bytes) -> None:
    # No fsync per file: the bag is built in a temporary folder and renamed into place whole.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _write_article(library: Library, record: ArticleRecord, folder: Path) -> None:
    files: dict[str, str | None] = {"original": None, "sidecar": None, "page": PAGE_NAME}
    if record.source is not None:
        sidecar = library.source_sidecar(record.id)
        names = [record.source.file_name] + ([sidecar[0]] if sidecar else [])
        safe = unique_names(safe_file_name(*_split(name)) for name in names)
        files["original"] = f"{ORIGINAL_DIR}/{safe[0]}"
        _write(folder / ORIGINAL_DIR / safe[0], library.source_bytes(record.id))
        if sidecar is not None:
            files["sidecar"] = f"{ORIGINAL_DIR}/{safe[1]}"
            _write(folder / ORIGINAL_DIR / safe[1], sidecar[1])
    metadata = article_metadata(record, library.history(record.id), files)
    _write(
        folder / METADATA_NAME,
        json.dumps(metadata, ensure_ascii=False, indent=2).encode("utf-8") + b"\n",
    )
    _write(folder / PAGE_NAME, render_article_page(record, index_href="").encode("utf-8"))


def _split(name: str) -> tuple[str, str]:
    stem, dot, suffix = name.rpartition(".")
    return (stem, dot + suffix) if dot and stem else (name, "")


def _make_bag(folder: Path, count: int, organization: str) -> None:
    info = {
        "Source-Organization": organization,
        "Bagging-Date": dt.date.today().isoformat(),
        "Bag-Count": "1 of 1",
        "External-Description": (
            f"{count} article{'' if count == 1 else 's'} exported from Article Archive "
            f"{__version__}: for each, the original file byte for byte (with its sidecar), "
            f"{METADATA_NAME} (every field, tags, notes, revisions, provenance) and "
            f"{PAGE_NAME} (the rendered page)"
        ),
        "Bag-Software-Agent": f"Article Archive {__version__} (bagit.py {bagit.VERSION})",
    }
    with _BAGIT_LOCK:
        bag = bagit.make_bag(str(folder), info, processes=1, checksums=list(CHECKSUMS))
        # bagit.py writes BagIt-Version 0.97; the layout is already BagIt 1.0 (RFC 8493), so
        # only bagit.txt changes, and save() then updates the tag manifests over it.
        (folder / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
        bag.save(processes=1)


def _zip_folder(folder: Path, root: str, target: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, f"{root}/{path.relative_to(folder).as_posix()}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_bag(
    records: Sequence[ArticleRecord],
    out: Path,
    *,
    library: Library,
    zip_bag: bool = False,
    force: bool = False,
    organization: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Write the articles as one BagIt bag: a folder, or with ``zip_bag`` a zip of one.

    Per article, ``data/articles/<nnnnn-slug>/`` holds the original file byte for byte (and
    its sidecar), ``metadata.json`` and ``article.html``; SHA-256 and SHA-512 manifests and
    tag manifests cover every file. The bag is built in a temporary folder beside ``out`` and
    renamed into place when complete, so a failed or cancelled export leaves no half bag.

    Args:
        records: The articles, in order (numbered in the bag in this order).
        out: The bag folder (new, empty, or with ``force`` an older bag); with ``zip_bag``
            the zip (``.zip`` is added when missing), whose one top folder is the bag.
        library: Where the originals and revisions are read from.
        zip_bag: Write a zip of the bag instead of a folder.
        force: Replace an existing bag or zip.
        organization: ``Source-Organization`` (default: :func:`default_organization`).
        progress: Called after each article with (done, total, title).
        cancel: Polled between articles; a cancelled export writes nothing.

    Raises:
        ExportExistsError: The target exists and ``force`` is not set.
        ExportError: The target cannot be used.
        OSError: Writing failed.
    """
    target, root = _targets(Path(os.path.abspath(out)), zip_bag)
    _check_target(target, zip_bag, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root}.", suffix=".partial", dir=target.parent))
    result = ExportResult()
    try:
        bag_dir = staging / root
        articles = bag_dir / ARTICLES_DIR  # make_bag moves it under data/
        width = max(5, len(str(len(records))))
        total = len(records)
        for done, record in enumerate(records, start=1):
            if cancel is not None and cancel():
                result.cancelled = True
                return result
            name = safe_file_name(f"{done:0{width}d}-{slugify(record.title)}", "")
            _write_article(library, record, articles / name)
            if progress is not None:
                progress(done, total, record.title)
        _make_bag(bag_dir, total, organization or default_organization())
        if zip_bag:
            _zip_folder(bag_dir, root, target)
        else:
            if target.exists():  # an empty folder, or (checked above) an older bag
                target.rename(staging / ".replaced")
            bag_dir.rename(target)
        result.files.append(target)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)
