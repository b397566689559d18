"""Metadata sidecars: a JSON file beside an article's text with its title, date, author, URL."""

from __future__ import annotations

import datetime
import functools
import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from archive_app.core.parsing.dates import _date_line

__all__ = ["SIDECAR_MAX_BYTES", "find_sidecar", "read_sidecar"]

#: A sidecar holds a few fields; anything larger is not one.
SIDECAR_MAX_BYTES = 1024 * 1024

_TITLE_KEYS = ("title", "headline", "name")
_DATE_KEYS = (
    "date",
    "published",
    "datePublished",
    "date_published",
    "published_on",
    "published_at",
    "pubDate",
    "publication_date",
    "created",
)
_AUTHOR_KEYS = ("author", "byline", "authors", "creator")
_URL_KEYS = ("url", "link", "source_url", "sourceUrl", "canonical_url", "canonical")
_TAG_KEYS = ("topics", "tags", "keywords", "subjects")
_SECTION_KEYS = ("section", "category", "articleSection")

#: Values that say "no value" (compared case-insensitively, trimmed).
_PLACEHOLDERS = frozenset(
    {"", "not found", "none", "null", "nil", "n/a", "na", "-", "--", "—", "?", "unknown", "nan"}
)
_ISO_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ])")
_TAG_SPLIT_RE = re.compile(r"\s*[,;|]\s*")


@dataclass(frozen=True)
class SidecarValues:
    """The article fields a sidecar gives (empty where it gives none)."""

    title: str = ""
    byline: str = ""
    published_on: datetime.date | None = None
    source_url: str = ""
    tags: tuple[str, ...] = ()
    section_path: tuple[str, ...] = ()


def _json_names(folder: Path) -> frozenset[str]:
    """The JSON files in ``folder`` (one listing per folder and change, not 2-4 stats a file)."""
    try:
        mtime = folder.stat().st_mtime_ns
    except OSError:
        return frozenset()
    return _listed_json(str(folder), mtime)


@functools.lru_cache(maxsize=64)
def _listed_json(folder: str, _mtime: int) -> frozenset[str]:
    try:
        with os.scandir(folder) as entries:
            return frozenset(e.name for e in entries if e.name.endswith(".json"))
    except OSError:
        return frozenset()


def find_sidecar(path: Path) -> tuple[str, bytes] | None:
    """Return the name and bytes of the JSON sidecar beside a text file, if there is one.

    Looks for ``<stem>.json`` and ``<stem>_meta.json``; for ``<n>_raw.txt`` also
    ``<n>_meta.json``. Never raises: an unreadable or oversized candidate is skipped.
    """
    stem = path.stem
    names = [stem + ".json", stem + "_meta.json"]
    for suffix in ("_raw", "-raw", ".raw", "_text", "_body"):
        if stem.endswith(suffix) and len(stem) > len(suffix):
            base = stem[: -len(suffix)]
            names += [base + "_meta.json", base + ".json"]
    present = _json_names(path.parent)
    for name in dict.fromkeys(names):
        if name not in present:
            continue
        candidate = path.with_name(name)
        try:
            info = candidate.stat()  # one stat: a regular file, and its size
            if not stat.S_ISREG(info.st_mode) or info.st_size > SIDECAR_MAX_BYTES:
                continue
            return name, candidate.read_bytes()
        except (OSError, ValueError):
            continue
    return None


def read_sidecar(data: bytes) -> dict[str, object]:
    """Decode a sidecar's bytes; bad JSON, or JSON that is not an object, gives ``{}``."""
    try:
        value = json.loads(data)
    except (ValueError, TypeError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    """A string's text (or a mapping's ``name``), ``""`` for placeholders and the rest."""
    if isinstance(value, Mapping):
        value = value.get("name", "")
    if not isinstance(value, str):
        return ""
    text = " ".join(value.split())
    return "" if text.lower() in _PLACEHOLDERS else text


def _texts(value: object) -> list[str]:
    """A list of texts from a string, a list or a mapping with a name."""
    items = [_text(v) for v in value] if isinstance(value, list | tuple) else [_text(value)]
    return [item for item in items if item]


def _first(meta: Mapping[str, object], keys: tuple[str, ...]) -> object:
    for key in keys:
        if key in meta and _texts(meta[key]):
            return meta[key]
    return None


def _date(value: object) -> datetime.date | None:
    text = _text(value)
    if not text:
        return None
    m = _ISO_DATE_RE.match(text)
    if m is not None:
        try:
            return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    parsed = _date_line(text)
    return parsed[0] if parsed is not None else None


def sidecar_values(meta: Mapping[str, object] | None) -> SidecarValues:
    """Pick the article fields out of a decoded sidecar; never raises."""
    if not meta:
        return SidecarValues()
    try:
        title = _texts(_first(meta, _TITLE_KEYS))
        authors = _texts(_first(meta, _AUTHOR_KEYS))
        urls = _texts(_first(meta, _URL_KEYS))
        published = None
        for key in _DATE_KEYS:
            published = _date(meta.get(key))
            if published is not None:
                break
        tags: list[str] = []
        for item in _texts(_first(meta, _TAG_KEYS)):
            tags += [t for t in _TAG_SPLIT_RE.split(item) if _text(t)]
        sections = _texts(_first(meta, _SECTION_KEYS))
        return SidecarValues(
            title=title[0] if title else "",
            byline=", ".join(dict.fromkeys(authors)),
            published_on=published,
            source_url=urls[0] if urls else "",
            tags=tuple(dict.fromkeys(tags)),
            section_path=tuple(sections),
        )
    except Exception:  # defensive: a sidecar never breaks a parse
        return SidecarValues()
