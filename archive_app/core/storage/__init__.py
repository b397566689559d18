"""Where a library lives: a SQLite file (the embedded default) or a PostgreSQL database."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit, urlunsplit

#: URL schemes of a library on a PostgreSQL server (libpq's two spellings).
SERVER_SCHEMES = ("postgresql", "postgres")


def is_server_url(location: object) -> bool:
    """Whether ``location`` names a library on a PostgreSQL server (``postgresql://...``)."""
    if isinstance(location, os.PathLike) or not isinstance(location, str):
        return False
    scheme, sep, _rest = location.partition("://")
    return bool(sep) and scheme.lower() in SERVER_SCHEMES


def redact_url(url: str) -> str:
    """``url`` without its password (and without ``password=`` in its query), fit to print."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"//[^@/]*@", "//***@", url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostinfo = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}{':***' if ':' in userinfo else ''}@{hostinfo}"
    query = re.sub(r"(?i)(^|&)(password)=[^&]*", r"\1\2=***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def has_password(url: str) -> bool:
    """Whether a server URL carries a password (``user:secret@`` or ``?password=``)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "@" in url and ":" in url.partition("://")[2].partition("@")[0]
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    return ":" in userinfo or bool(re.search(r"(?i)(^|&)password=", parts.query))


def without_password(url: str) -> str:
    """``url`` with its password left out (what may be kept in the settings)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"//([^:@/]*):[^@/]*@", r"//\1@", url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostinfo = netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}@{hostinfo}"
    query = "&".join(
        part for part in parts.query.split("&") if part and not part.lower().startswith("password=")
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
