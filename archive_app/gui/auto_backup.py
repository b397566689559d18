"""Rotating automatic backups next to the library: names, when one is due, which to keep.

Qt-free (the window decides when to call it and where it runs).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from archive_app.core.errors import LibraryError
from archive_app.core.library import Library

#: How many automatic backups stay (QSettings ``backup/keep`` overrides it).
DEFAULT_KEEP = 5
#: At most one automatic backup in this long.
INTERVAL = dt.timedelta(days=1)

#: An automatic backup is skipped when it would leave less than this free on the disk.
MIN_FREE_AFTER = 1 << 30

_STAMP = "%Y%m%d-%H%M%S"
_NAME_RE = re.compile(r"\.auto-(\d{8}-\d{6})\.backup$")


def backup_path(library_path: Path, now: dt.datetime) -> Path:
    """``<library name>.auto-<YYYYmmdd-HHMMSS>.backup`` beside the library (local time)."""
    return library_path.with_name(f"{library_path.name}.auto-{now.strftime(_STAMP)}.backup")


def existing_backups(library_path: Path) -> list[tuple[dt.datetime, Path]]:
    """The automatic backups of this library, oldest first."""
    found: list[tuple[dt.datetime, Path]] = []
    prefix = f"{library_path.name}.auto-"
    if not library_path.parent.is_dir():
        return found
    for path in library_path.parent.iterdir():
        if not path.name.startswith(prefix):
            continue
        match = _NAME_RE.search(path.name)
        if match is None or not path.is_file():
            continue
        try:
            when = dt.datetime.strptime(match.group(1), _STAMP)
        except ValueError:
            continue
        found.append((when, path))
    return sorted(found)


def is_due(library: Library, now: dt.datetime) -> bool:
    """Whether an automatic backup should be written now (never for a read-only library)."""
    file = library.file
    if library.read_only or file is None or not file.is_file():
        return False  # a library on a server is backed up by its server
    backups = existing_backups(file)
    return not backups or now - backups[-1][0] >= INTERVAL


def no_room_reason(library_path: Path) -> str:
    """Why an automatic backup of this library would not fit on its disk, or ``""``.

    A backup is as large as the library (12 GB at a million articles): it must not fill the
    disk the archivist's other work needs. A backup the archivist asks for is not limited.
    """
    size = sum(
        p.stat().st_size
        for p in (library_path, library_path.with_name(library_path.name + "-wal"))
        if p.is_file()
    )
    free = shutil.disk_usage(library_path.parent).free
    if free - size >= MIN_FREE_AFTER:
        return ""
    return (
        f"an automatic backup ({size / 1e9:.1f} GB) would leave less than "
        f"{MIN_FREE_AFTER / 1e9:.0f} GB free on the disk ({free / 1e9:.1f} GB free)"
    )


def rotate(library_path: Path, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond ``keep``; return what was deleted."""
    backups = existing_backups(library_path)
    doomed = [path for _when, path in backups[: max(0, len(backups) - max(1, keep))]]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def write_backup(library: Library, keep: int, now: dt.datetime | None = None) -> Path:
    """Write an automatic backup now and drop the oldest beyond ``keep``.

    Raises:
        LibraryError: The backup could not be written (the older ones stay).
    """
    when = now or dt.datetime.now()
    file = library.file
    if file is None:
        raise LibraryError(f"{library.location} is on a server: back it up there")
    target = library.backup(backup_path(file, when))
    rotate(file, keep)
    return target
