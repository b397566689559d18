"""Stand-alone date lines and the month names they use."""

from __future__ import annotations

import datetime
import re

_MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
    # Russian (genitive, as used in dates, and nominative)
    "января": 1,
    "январь": 1,
    "февраля": 2,
    "февраль": 2,
    "марта": 3,
    "март": 3,
    "апреля": 4,
    "апрель": 4,
    "мая": 5,
    "май": 5,
    "июня": 6,
    "июнь": 6,
    "июля": 7,
    "июль": 7,
    "августа": 8,
    "август": 8,
    "сентября": 9,
    "сентябрь": 9,
    "октября": 10,
    "октябрь": 10,
    "ноября": 11,
    "ноябрь": 11,
    "декабря": 12,
    "декабрь": 12,
}

_DATE_LINE_RE = re.compile(
    r"^(?:(?P<label>published|posted|updated|last\s+updated|last\s+modified|modified"
    r"|date|dated|first\s+published|publish(?:ed)?\s+date|publication\s+date"
    r"|released|created|опубликовано|дата)(?:\s+on)?\s*:?\s*)?"
    r"(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+"
    r"|(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье),?\s+)?"
    r"(?:"
    r"(?P<mon1>[^\W\d_]{3,10})\.?\s+(?P<day1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year1>\d{4})"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<mon2>[^\W\d_]{3,10})\.?,?"
    r"\s+(?P<year2>\d{4})(?:\s*(?:г\.|года|г\b))?"
    r"|(?P<year3>\d{4})(?P<sep>[-/.])(?P<mon3>\d{1,2})(?P=sep)(?P<day3>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|(?P<day4>\d{1,2})\.(?P<mon4>\d{1,2})\.(?P<year4>\d{4})"
    r"|(?P<a5>\d{1,2})/(?P<b5>\d{1,2})/(?P<year5>\d{4})"
    r")(?P<tail>.{0,80})$",
    re.IGNORECASE,
)
_DATE_TAIL_RE = re.compile(
    r"\s*(?:[,|@·•–—-]|\bat\b)?\s*"
    r"(?:\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)?)?\s*"
    r"(?:\(?(?:GMT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|EEST|IRST|IRDT"
    r"|MSK|IST|ET|PT|Z)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?)?\s*"
    r"(?:[|·•–—-]\s*(?:updated|last\s+updated|modified)\b.*)?",
    re.IGNORECASE,
)
_DATE_LINE_MAX_LEN = 120
#: A digit (any script's): every date line the patterns below match has one.
_DIGIT_RE = re.compile(r"\d")


def _make_date(year: str, month: int, day: str) -> datetime.date | None:
    try:
        y = int(year)
        if not 1800 <= y <= 2200:
            return None
        return datetime.date(y, month, int(day))
    except ValueError:
        return None


def _date_line(line: str) -> tuple[datetime.date, bool] | None:
    """Parse a stand-alone date line.

    Returns:
        ``(date, is_update_label)`` or ``None`` if the line is not just a date.
    """
    if len(line) > _DATE_LINE_MAX_LEN or _DIGIT_RE.search(line) is None:
        return None
    m = _DATE_LINE_RE.match(line)
    if m is None or _DATE_TAIL_RE.fullmatch(m.group("tail")) is None:
        return None
    g = m.group
    result: datetime.date | None = None
    if g("year1"):
        month = _MONTHS.get(g("mon1").lower())
        result = _make_date(g("year1"), month, g("day1")) if month else None
    elif g("year2"):
        month = _MONTHS.get(g("mon2").lower())
        result = _make_date(g("year2"), month, g("day2")) if month else None
    elif g("year3"):
        result = _make_date(g("year3"), int(g("mon3")), g("day3"))
    elif g("year4"):
        result = _make_date(g("year4"), int(g("mon4")), g("day4"))
    elif g("year5"):
        a, b = int(g("a5")), int(g("b5"))
        if a > 12 >= b:
            result = _make_date(g("year5"), b, str(a))
        elif b > 12 >= a or a == b:
            result = _make_date(g("year5"), a, str(b))
    if result is None:
        return None
    label = (g("label") or "").lower()
    return result, ("updated" in label or "modified" in label)
