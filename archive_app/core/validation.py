"""Checks on archivist edits; each problem is a message keyed by field name."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from archive_app.core.records import ArticleFields

_HOST_RE = re.compile(
    r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?(?::\d{1,5})?$"
)


def is_well_formed_url(value: str) -> bool:
    """Return whether ``value`` is an http(s) URL or a bare host name with an optional path.

    Bare hosts such as ``www.presstv.co.uk`` are what publishers print as alternate addresses.
    """
    value = value.strip()
    if not value or any(ch.isspace() for ch in value):
        return False
    if "://" not in value:
        host = value.split("/", 1)[0]
        return bool(_HOST_RE.match(host))
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return False
    return bool(_HOST_RE.match(parts.hostname)) or parts.hostname == "localhost"


_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def validate_fields(fields: ArticleFields) -> dict[str, str]:
    """Return ``{field: message}`` for every problem in ``fields`` (empty when all is well)."""
    errors: dict[str, str] = {}
    if not fields.title.strip():
        errors["title"] = "A title is required."
    if fields.source_url.strip() and not is_well_formed_url(fields.source_url):
        errors["source_url"] = f"Not a web address: {fields.source_url.strip()!r}."
    bad = [u for u in fields.alternate_urls if u.strip() and not is_well_formed_url(u)]
    if bad:
        errors["alternate_urls"] = "Not web addresses: " + ", ".join(repr(u) for u in bad) + "."
    if fields.language.strip() and not _LANGUAGE_RE.match(fields.language.strip()):
        errors["language"] = (
            f"Not a language code: {fields.language.strip()!r} (use e.g. en, ru, ar, zh-Hant)."
        )
    return errors
