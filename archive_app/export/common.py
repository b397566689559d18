"""What every export shares: safe file names, no silent overwrites, atomic writes."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from archive_app.core.records import ArticleRecord

#: ``progress(done, total, text)`` after each article.
ProgressCallback = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]

_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_NON_SLUG = re.compile(r"[^\w]+")
MAX_STEM = 80


class ExportError(Exception):
    """An export could not be done; the message says why and what to do."""


class ExportExistsError(ExportError):
    """Files the export would write already exist (pass ``force`` to overwrite them)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        shown = ", ".join(str(p) for p in self.paths[:3])
        more = f" and {len(self.paths) - 3} more" if len(self.paths) > 3 else ""
        super().__init__(
            f"would overwrite {shown}{more}; choose another destination or allow overwriting "
            "(--force)"
        )


@dataclass
class ExportResult:
    """What an export wrote."""

    files: list[Path] = field(default_factory=list)
    cancelled: bool = False

    @property
    def main_file(self) -> Path | None:
        """The file to open afterwards: the index, the combined file, or the only file."""
        for f in self.files:
            if f.name == "index.html":
                return f
        return self.files[0] if len(self.files) == 1 else None


def slugify(text: str, max_len: int = 60) -> str:
    """Return a lower-case ASCII-ish slug of ``text`` (letters of any script are kept)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    slug = _NON_SLUG.sub("-", text.lower()).strip("-_")
    slug = slug[:max_len].rstrip("-_")
    return slug or "article"


def safe_file_name(stem: str, suffix: str) -> str:
    """Return a file name that is safe on Windows, macOS and Linux.

    No path separators or characters Windows forbids, no ``.``/``..``, no reserved device
    names (``CON``, ``NUL``, ``COM1``...), no trailing dots or spaces, a bounded length.
    """
    stem = unicodedata.normalize("NFC", stem)
    stem = _UNSAFE.sub("-", stem).strip(" .-")
    stem = stem[:MAX_STEM].rstrip(" .-")
    if not stem or stem.split(".")[0].lower() in _WINDOWS_RESERVED:
        stem = f"export-{stem}" if stem else "export"
    return f"{stem}{suffix}"


def article_file_name(record: ArticleRecord, suffix: str) -> str:
    """Return ``<id>-<slug><suffix>`` for an article."""
    return safe_file_name(f"{record.id}-{slugify(record.title)}", suffix)


def unique_names(names: Iterable[str]) -> list[str]:
    """Return ``names`` with repeats made unique (case-insensitively) by a ``-2``, ``-3``..."""
    seen: set[str] = set()
    out = []
    for name in names:
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        candidate, n = name, 2
        while candidate.lower() in seen:
            candidate = f"{stem}-{n}{dot}{suffix}"
            n += 1
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def check_targets(paths: Sequence[Path], *, force: bool) -> None:
    """Raise ``ExportExistsError`` if any of ``paths`` exists and ``force`` is not set."""
    if force:
        return
    existing = [p for p in paths if p.exists()]
    if existing:
        raise ExportExistsError(existing)


def prepare_folder(folder: Path) -> None:
    """Create the destination folder; refuse a path that is a file."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file; give a folder (or use --single-file)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {folder}: {exc.strerror}") from exc


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; exports are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))
