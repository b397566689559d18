"""The dateline that opens the body: place, date and agency before a dash."""

from __future__ import annotations

import re

from archive_app.core.parsing.dates import _MONTHS
from archive_app.core.parsing.normalise import _first_alpha

_DATELINE_RE = re.compile(
    r"^(?P<dateline>(?P<place>[^\W\d_][^\W\d_.'’-]*(?:[ .'’-]{1,2}[^\W\d_][^\W\d_.'’-]*){0,4})"
    r"(?P<extras>(?:,\s*[^,()–—\n]{1,30}?){0,2})"
    r"(?:\s*\((?P<agency>[^()\n]{1,40})\))?)"
    r"\s*(?:[–—]|\s-{1,2})\s+\S"
)
_DATELINE_SCAN_LEN = 200


def _dateline(first_line: str) -> tuple[str, str]:
    """Return ``(dateline, agency)`` found at the start of the first body line."""
    m = _DATELINE_RE.match(first_line[:_DATELINE_SCAN_LEN])
    if m is None:
        return "", ""
    place = m.group("place")
    letters = [ch for ch in place if ch.isalpha()]
    if len(letters) < 2 or any(ch.islower() for ch in letters):
        return "", ""
    if not any(ch.isupper() for ch in letters):
        return "", ""
    for extra in m.group("extras").split(","):
        for word in extra.split():
            first = word[:1]
            if not (first.isupper() or first.isdigit() or word.strip(".").lower() in _MONTHS):
                return "", ""
    agency = (m.group("agency") or "").strip()
    if agency:
        words = agency.split()
        if len(words) > 5 or _first_alpha(agency).islower():
            return "", ""
    return m.group("dateline").strip(), agency
