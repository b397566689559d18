"""The dateline that opens the body: place, date and agency before a dash."""

from __future__ import annotations

import re

from archive_app.core.parsing.dates import _MONTHS
from archive_app.core.parsing.normalise import _first_alpha

#: What stands before the dash: ``PLACE``, up to two ``, extra`` parts, ``(Agency)``.
_HEAD_RE = re.compile(
    r"(?P<place>[^\W\d_][^\W\d_.'’-]*(?:[ .'’-]{1,2}[^\W\d_][^\W\d_.'’-]*){0,4}\.?)"
    r"(?P<extras>(?:,\s*[^,()–—\n]{1,30}?){0,2})"
    r"(?:\s*\((?P<agency>[^()\n]{1,40})\))?"
)
#: Any dash style: ``–``, ``—``, ``-``, ``--``, ``-—``, with or without spaces around.
_DASH_RE = re.compile(r"(?P<before>\s*)(?P<dash>[-–—]{1,3})(?P<after>\s*)(?=\S)")
#: A dateline ends within this many characters; only the first few dashes are tried.
_DATELINE_SCAN_LEN = 120
_DASHES_TRIED = 3


def _head(head: str) -> tuple[str, str] | None:
    m = _HEAD_RE.fullmatch(head)
    if m is None:
        return None
    letters = [ch for ch in m.group("place") if ch.isalpha()]
    if len(letters) < 2 or any(ch.islower() for ch in letters):
        return None
    if not any(ch.isupper() for ch in letters):
        return None  # a script without case (Arabic, CJK): no way to tell a place
    for extra in m.group("extras").split(","):
        for word in extra.split():
            first = word[:1]
            if not (first.isupper() or first.isdigit() or word.strip(".").lower() in _MONTHS):
                return None
    agency = (m.group("agency") or "").strip()
    if agency and (len(agency.split()) > 5 or _first_alpha(agency).islower()):
        return None
    return head, agency


def _dateline(first_line: str) -> tuple[str, str]:
    """Return ``(dateline, agency)`` found at the start of the first body line.

    A dateline is an all-caps place (``TEHRAN``, ``ST. LOUIS``), optionally a date or
    region after commas and an agency in parentheses, then a dash of any style. A
    hyphen glued to both neighbours (``US-Iran``) joins words and is no dateline dash.
    """
    line = first_line[: _DATELINE_SCAN_LEN + 4]
    for tried, m in enumerate(_DASH_RE.finditer(line)):
        if tried >= _DASHES_TRIED or m.start() > _DATELINE_SCAN_LEN:
            break
        if set(m.group("dash")) == {"-"} and not m.group("before") and not m.group("after"):
            continue
        found = _head(line[: m.start()].strip())
        if found is not None:
            return found
    return "", ""
