"""Download one web page to a temporary file for *File › Import from URL…* (Qt-free).

The only place the app touches the network, and only when the archivist asks for a URL: one
``http(s)`` request (urllib), a 20 s timeout, a 20 MB cap, no images or styles. The import then
reads the saved file like any other page, with the URL as its source.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 20.0
MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "ArticleArchive/0.1 (+saving one page for a personal archive)"
_CHUNK = 64 * 1024
_SUFFIXES = {"text/html": ".html", "application/xhtml+xml": ".xhtml", "text/plain": ".txt"}


class DownloadError(Exception):
    """The page could not be downloaded; ``str(exc)`` is one line saying why and what to do."""


@dataclass(frozen=True)
class DownloadedPage:
    """A page saved to a temporary file.

    Attributes:
        path: The file (the caller deletes it after the import).
        url: The URL asked for; ``final_url`` where redirects ended.
        fetched_at: When the response arrived (UTC).
        content_type: The response's media type, e.g. ``text/html``.
    """

    path: Path
    url: str
    final_url: str
    fetched_at: dt.datetime
    content_type: str


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise DownloadError(f"not a web address: {url!r} (give an http:// or https:// URL)")
    return url


def download_url(
    url: str,
    folder: str | os.PathLike[str] | None = None,
    *,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
) -> DownloadedPage:
    """Download one page to a temporary file.

    Args:
        url: An ``http`` or ``https`` URL.
        folder: Where to create the file (default: the system's temporary folder).
        timeout: Seconds to wait for the connection and for each read.
        max_bytes: Larger responses are refused.

    Raises:
        DownloadError: Not a web address, offline, no answer, an HTTP error, too large, or
            not a page.
    """
    url = _check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    host = urlsplit(url).hostname or url
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the error response's connection
        raise DownloadError(f"{host} answered {exc.code} {exc.reason}: check the address") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.timeout | TimeoutError):
            raise DownloadError(
                f"{host} did not answer within {timeout:g} s: try again later"
            ) from None
        if isinstance(reason, socket.gaierror):
            raise DownloadError(
                f"cannot find {host}: check the address and that you are online"
            ) from None
        raise DownloadError(f"cannot reach {host}: {reason} (are you online?)") from None
    except (TimeoutError, OSError) as exc:
        raise DownloadError(f"cannot reach {host}: {exc} (are you online?)") from None
    with response:
        fetched_at = dt.datetime.now(dt.UTC)
        content_type = response.headers.get_content_type()
        if not content_type.startswith("text/") and content_type not in _SUFFIXES:
            raise DownloadError(f"{url} is not a web page ({content_type}): save it and import it")
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise DownloadError(f"the page is too large ({int(length) / 1048576:.0f} MB)")
        suffix = _SUFFIXES.get(content_type, ".html")
        fd, name = tempfile.mkstemp(prefix="article-", suffix=suffix, dir=folder)
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                total = 0
                while chunk := response.read(_CHUNK):
                    total += len(chunk)
                    if total > max_bytes:
                        raise DownloadError(
                            f"the page is larger than {max_bytes // 1048576} MB: not imported"
                        )
                    out.write(chunk)
        except (TimeoutError, OSError) as exc:
            path.unlink(missing_ok=True)
            raise DownloadError(f"the download from {host} broke off: {exc}") from None
        except DownloadError:
            path.unlink(missing_ok=True)
            raise
    return DownloadedPage(path, url, response.geturl() or url, fetched_at, content_type)


def save_for_import(page: DownloadedPage, folder: str | os.PathLike[str]) -> Path:
    """Put a downloaded page in ``folder`` with a JSON sidecar naming its URL and fetch time.

    The importer reads the sidecar like any other (the URL becomes the source URL) and keeps it
    with the original bytes, so the article records where and when it was fetched.
    """
    host = urlsplit(page.final_url).hostname or "page"
    stem = re.sub(r"[^A-Za-z0-9.-]+", "-", f"{host}{urlsplit(page.final_url).path}").strip("-.")
    target = Path(folder) / f"{stem[:80] or 'page'}{page.path.suffix}"
    shutil.move(page.path, target)
    sidecar = {
        "url": page.final_url,
        "requested_url": page.url,
        "fetched_at": page.fetched_at.isoformat(timespec="seconds"),
        "content_type": page.content_type,
    }
    target.with_suffix(".json").write_text(json.dumps(sidecar, indent=2), encoding="utf-8")
    return target
