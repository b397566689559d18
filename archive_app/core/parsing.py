"""Pure, Qt-free parser that turns a saved news-article text into structured fields."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "WARN_EMPTY",
    "WARN_EMPTY_BODY",
    "WARN_FIRST_LINE_USED",
    "WARN_INTERNAL",
    "WARN_NO_HEADLINE",
    "WARN_NUL",
    "WARN_REPLACEMENT",
    "ParsedArticle",
    "normalize_field",
    "normalized_text_for_hash",
    "parse_article",
]


@dataclass(frozen=True)
class ParsedArticle:
    """Structured result of :func:`parse_article`.

    Every text field is normalised with :func:`normalize_field`. ``body`` holds the
    article paragraphs separated by exactly one blank line; a soft-wrapped paragraph
    keeps its single newlines. ``warnings`` lists the reasons why a human should
    review the result.
    """

    title: str = ""
    section_path: tuple[str, ...] = ()
    byline: str = ""
    publisher: str = ""
    dateline: str = ""
    published_on: datetime.date | None = None
    source_url: str = ""
    alternate_urls: tuple[str, ...] = ()
    language: str = ""
    photo_caption: str = ""
    photo_credit: str = ""
    body: str = ""
    share_section: str = ""
    publisher_note: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def needs_review(self) -> bool:
        """Whether the parse produced warnings that a human should look at."""
        return bool(self.warnings)


# --------------------------------------------------------------------------
# Warnings (stable strings: other modules and tests match on them)
# --------------------------------------------------------------------------
WARN_EMPTY = "empty file"
WARN_NO_HEADLINE = "no headline found"
WARN_FIRST_LINE_USED = "no headline found: first line used"
WARN_EMPTY_BODY = "body is empty"
WARN_NUL = "text contains NUL characters"
WARN_REPLACEMENT = "text contains U+FFFD replacement characters"
WARN_INTERNAL = "internal parser error"

# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------
# Runs of two or more spaces (tabs are turned into spaces first); a literal prefix
# keeps the scan fast on large texts.
_SPACE_RUN_RE = re.compile(r"  +")
# A newline followed by one or more whitespace-only lines: collapsed to one blank
# line before splitting (possessive quantifiers keep this linear).
_BLANK_RUN_RE = re.compile(r"\n(?:[^\S\n]*+\n)++")
_MULTI_BLANK_RE = re.compile(r"\n{3,}")


def _spaces(text: str) -> str:
    """Turn non-breaking spaces and tabs into spaces and collapse runs of spaces."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
    text = text.replace("\t", " ")
    return _SPACE_RUN_RE.sub(" ", text) if "  " in text else text


def _normalize_line(line: str) -> str:
    """Normalise one line (no newline inside): NBSP, space runs, trim, NFC."""
    return unicodedata.normalize("NFC", _spaces(line).strip())


def _unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalize_field(s: str) -> str:
    """Normalise a field value.

    Applies NFC, turns non-breaking spaces (U+00A0, U+202F, U+2007) into spaces,
    collapses runs of spaces and tabs to one space within each line and trims each
    line and the whole value. Newlines (``\\r\\n`` and ``\\r`` become ``\\n``) are kept.

    Args:
        s: The raw value.

    Returns:
        The normalised value; normalising it again changes nothing.
    """
    s = _unify_newlines(s)
    if "\n" not in s:
        return _normalize_line(s)
    return "\n".join(_normalize_line(line) for line in s.split("\n")).strip("\n")


def normalized_text_for_hash(text: str) -> str:
    """Return the canonical form of a whole text used for duplicate detection.

    Newlines are unified, a leading BOM is dropped, the text is NFC-normalised,
    non-breaking spaces become spaces, trailing whitespace is stripped from every
    line, runs of blank lines collapse to one blank line and the whole text is
    stripped.

    Args:
        text: The decoded file text.

    Returns:
        The canonical text.
    """
    text = _unify_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _MULTI_BLANK_RE.sub("\n\n", text).strip()


# --------------------------------------------------------------------------
# Header patterns
# --------------------------------------------------------------------------
_CRUMB_SPLIT_RE = re.compile(r"\s+(?:/|>|»|›|\||→|::)\s+")
_CRUMB_MAX_LEN = 150
_HEADLINE_MAX_LEN = 300
_HEADLINE_SOFT_MAX_LEN = 200
_TITLE_MAX_LEN = 200
_TERMINAL_PUNCT = ".!?…"

_BYLINE_RE = re.compile(
    r"^(?:(?:written|story|words|text|reported)\s+)?by\s*:?\s+(?P<name>\S.{0,99})$"
    r"|^(?:authors?|writer|reporter)\s*:\s*(?P<name2>\S.{0,99})$",
    re.IGNORECASE,
)
_NAME_CONNECTORS = frozenset(
    {
        "and",
        "&",
        "de",
        "del",
        "della",
        "der",
        "den",
        "van",
        "von",
        "la",
        "le",
        "da",
        "di",
        "du",
        "dos",
        "das",
        "bin",
        "ibn",
        "al",
        "el",
        "y",
        "e",
        "in",
        "for",
        "the",
        "of",
        "at",
        "with",
    }
)
_NAME_INITIAL_END_RE = re.compile(r"(?:\b[A-Z]|\bJr|\bSr)\.$")

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

_LONE_URL_RE = re.compile(r"^<?(?:https?://|www\.)[^\s<>]+>?$", re.IGNORECASE)
_SOURCE_LINE_RE = re.compile(
    r"^(?:source(?:\s+url)?|original(?:ly\s+published)?(?:\s+(?:at|on))?"
    r"|read\s+(?:more|the\s+original(?:\s+article)?)(?:\s+at)?|url|link|permalink)"
    r"\s*:\s*<?(?P<url>(?:https?://|www\.)[^\s<>]+)>?$",
    re.IGNORECASE,
)

# Photo credits. Each pattern is searched in a short caption paragraph only.
_CREDIT_PAREN_RES: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"\(\s*(?:file\s+)?(?:photo(?:graph)?|image|picture|pic)s?\s*(?:credit\s*)?"
        r"(?:by|via|:)\s*(?P<credit>[^()\n]{1,80}?)\s*\)$",
        re.IGNORECASE,
    ),
    re.compile(r"\((?P<credit>[^()\n]{0,30}\bphoto\s*/\s*[^()\n]{1,60}?)\s*\)$", re.IGNORECASE),
    re.compile(r"\(\s*by\s+(?P<credit>[^()\n]{1,60}?)\s*\)$", re.IGNORECASE),
    re.compile(
        r"\(\s*(?P<credit>[^()\n]{1,60}?)\s+(?:file\s+)?(?:photo|image|picture|pic)s?"
        r"\s*\)$",
        re.IGNORECASE,
    ),
    re.compile(
        r"\(\s*(?:credit|courtesy(?:\s+of)?)\s*:?\s*(?P<credit>[^()\n]{1,60}?)\s*\)$",
        re.IGNORECASE,
    ),
)
_CREDIT_LABEL_RE = re.compile(
    r"^(?P<caption>.*?[.!?\"”’)])\s+(?:photo(?:graph)?|image|picture)s?\s*"
    r"(?:credit)?\s*:\s*(?P<credit>[^\n]{1,80})$",
    re.IGNORECASE,
)
_CREDIT_SLASH_RE = re.compile(
    r"^(?P<caption>.*[.!?\"”’)])\s+(?P<credit>[^\s/][^/\n]{0,40}(?:/[^/\n]{1,40}){1,4})$"
)
_KNOWN_AGENCIES = frozenset(
    {
        "afp",
        "getty",
        "getty images",
        "reuters",
        "ap",
        "ap photo",
        "the associated press",
        "associated press",
        "epa",
        "efe",
        "epa-efe",
        "anadolu",
        "anadolu agency",
        "xinhua",
        "sputnik",
        "tass",
        "ria novosti",
        "irna",
        "tasnim",
        "fars",
        "mehr",
        "isna",
        "wana",
        "bloomberg",
        "shutterstock",
        "alamy",
        "pool",
        "sopa images",
        "lightrocket",
        "nurphoto",
        "zuma",
        "zuma press",
        "sipa",
        "upi",
        "pa",
        "pa images",
        "pa wire",
        "dpa",
        "ansa",
        "kyodo",
        "yonhap",
        "press tv",
        "presstv",
        "file",
        "handout",
    }
)
_CAPTION_MAX_LEN = 400
# "(File photo)" and the like name no one: not a credit.
_GENERIC_CREDIT_WORDS = frozenset(
    {"file", "a file", "stock", "archive", "illustrative", "illustration", "representational"}
)

# --------------------------------------------------------------------------
# Footer patterns
# --------------------------------------------------------------------------
_SHARE_HEAD_RE = re.compile(
    r"^(?:share\s+(?:this|the)\s+(?:article|story|post|page|news|report)"
    r"|share(?:\s+(?:on|via|it))?)\s*[:!]?(?P<rest>.*)$",
    re.IGNORECASE,
)
_NETWORKS = frozenset(
    {
        "facebook",
        "twitter",
        "x",
        "whatsapp",
        "email",
        "e-mail",
        "mail",
        "telegram",
        "linkedin",
        "reddit",
        "pinterest",
        "print",
        "copy",
        "link",
        "copy link",
        "messenger",
        "vk",
        "vkontakte",
        "ok",
        "tumblr",
        "flipboard",
        "pocket",
        "sms",
        "share",
        "tweet",
        "roku",
        "viber",
        "line",
        "wechat",
        "weibo",
        "instagram",
        "youtube",
        "threads",
        "bluesky",
        "mastodon",
        "more",
    }
)
_NETWORK_SPLIT_RE = re.compile(r"[\s,|·•/]+")
_SHARE_LINE_MAX_LEN = 40
_SHARE_NETWORKS_MAX_LEN = 200
_SHARE_LOOKBACK = 5
_SHARE_MAX_LINES = 12
_FOOTER_SPLIT_SCAN = 12

_ALT_NOTE_RE = re.compile(
    r"\b(?:web\s*site|site)\b.{0,100}?\balternat(?:e|ive)\s+(?:web\s*)?"
    r"(?:address|domain|url|link|site)",
    re.IGNORECASE,
)
_ALT_NOTE_SPLIT_RE = re.compile(
    r"^(?P<note>.*?\b(?:address|domain|url|link)(?:es|s)?\s*:)(?P<rest>.*)$", re.IGNORECASE
)
_POSSESSIVE_SITE_RE = re.compile(
    r"^(?P<pub>.{1,60}?)\s*(?:['’‘`´]s|s['’])\s+(?:web\s*site|site)\b", re.IGNORECASE
)
_ADDRESS_RE = re.compile(
    r"^(?:https?://)?(?:[\w-]+\.)+[^\W\d_]{2,}(?::\d+)?(?:/\S*)?$", re.IGNORECASE
)
_ADDRESS_SPLIT_RE = re.compile(r"[\s,;]+")
_LICENCE_RE = re.compile(
    r"\b(?:re)?published\s+(?:from|by|on|in)\s+(?P<pub>[^.\n]{1,80}?)\s+under\s+"
    r"(?:a|an|the)\s+creative\s+commons\b",
    re.IGNORECASE,
)
_ORIGINALLY_RE = re.compile(
    r"^this\s+(?:article|story|piece|post)\s+(?:was|is|has\s+been)\s+(?:originally\s+|first\s+)?"
    r"(?:re)?published\s+(?:on|by|in|at|from)\s+(?P<pub>[^.\n]{1,80}?)\s*(?:\.|,|$)",
    re.IGNORECASE,
)
_COPYRIGHT_RE = re.compile(
    r"^(?P<head>(?:(?:©|\(c\)|copyright)\s*)+)"
    r"(?P<year>(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?\s*,?\s*)?"
    r"(?P<pub>[^.\n©]{1,80}?)\s*(?:\.|,|$|\ball\s+rights\b)",
    re.IGNORECASE,
)
_TRAILING_YEAR_RE = re.compile(r"\s*,?\s*(?:19|20)\d{2}$")
_READ_ORIGINAL_RE = re.compile(r"^read\s+the\s+original\s+(?:article|story)\.?$", re.I)
_FOOTER_TEXT_MAX_LEN = 600
_URL_MAX_LEN = 2048

# --------------------------------------------------------------------------
# Dateline
# --------------------------------------------------------------------------
_DATELINE_RE = re.compile(
    r"^(?P<dateline>(?P<place>[^\W\d_][^\W\d_.'’-]*(?:[ .'’-]{1,2}[^\W\d_][^\W\d_.'’-]*){0,4})"
    r"(?P<extras>(?:,\s*[^,()–—\n]{1,30}?){0,2})"
    r"(?:\s*\((?P<agency>[^()\n]{1,40})\))?)"
    r"\s*(?:[–—]|\s-{1,2})\s+\S"
)
_DATELINE_SCAN_LEN = 200

_PUBLISHER_ALIASES: dict[str, str] = {
    "ap": "The Associated Press",
    "associated press": "The Associated Press",
    "the associated press": "The Associated Press",
    "presstv": "Press TV",
    "press tv": "Press TV",
}

_LANGUAGE_SAMPLE_LEN = 20_000


# --------------------------------------------------------------------------
# Internal state
# --------------------------------------------------------------------------
@dataclass
class _State:
    """Mutable accumulator used while parsing."""

    title: str = ""
    section_path: tuple[str, ...] = ()
    byline: str = ""
    footer_publisher: str = ""
    published_on: datetime.date | None = None
    updated_on: datetime.date | None = None
    source_url: str = ""
    alternate_urls: list[str] = field(default_factory=list)
    caption: str = ""
    credit: str = ""
    caption_found: bool = False
    share_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_Para = list[str]  # a paragraph: its normalised, non-empty lines


def _split_paragraphs(text: str) -> list[_Para]:
    """Split text into paragraphs of normalised non-empty lines.

    Paragraphs are separated by blank lines; if the text has no blank line between
    two non-empty lines at all, every line is its own paragraph. ``text`` must already
    have ``\n`` newlines.
    """
    text = unicodedata.normalize("NFC", _spaces(text))
    # After this every blank line is empty, so blocks split on "\n\n" hold only
    # non-blank lines (whitespace-only lines at either end go with strip()).
    text = _BLANK_RUN_RE.sub("\n\n", text).strip()
    if not text:
        return []
    blocks = text.split("\n\n")
    if len(blocks) == 1:
        return [[line.strip()] for line in blocks[0].split("\n")]
    return [[line.strip() for line in block.split("\n")] for block in blocks]


def _canonical_publisher(name: str) -> str:
    name = normalize_field(name).strip(" ,;:-–—")
    return _PUBLISHER_ALIASES.get(name.lower(), name)


def _first_alpha(word: str) -> str:
    for ch in word:
        if ch.isalpha():
            return ch
    return ""


# ----------------------------- header helpers -----------------------------
def _breadcrumb(line: str) -> tuple[str, ...] | None:
    if len(line) > _CRUMB_MAX_LEN:
        return None
    parts = _CRUMB_SPLIT_RE.split(line)
    if not 2 <= len(parts) <= 8:
        return None
    for part in parts:
        if not part or len(part) > 40 or len(part.split()) > 5:
            return None
        if part[-1] in ".!?:;,\"'”’":
            return None
        if _first_alpha(part).islower():
            return None
    return tuple(parts)


def _byline(line: str) -> str | None:
    m = _BYLINE_RE.match(line)
    if m is None:
        return None
    name = (m.group("name") or m.group("name2") or "").strip()
    if not name or name[-1] in "!?:;":
        return None
    if name.endswith(".") and not _NAME_INITIAL_END_RE.search(name):
        return None
    words = name.replace(",", " ").split()
    if not words or len(words) > 14:
        return None
    capitalised = False
    for word in words:
        bare = word.strip("()[]\"'“”‘’.")
        if not bare or bare.lower() in _NAME_CONNECTORS:
            continue
        first = _first_alpha(bare)
        if not first or first.islower():
            return None
        capitalised = True
    return name if capitalised else None


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
    if len(line) > _DATE_LINE_MAX_LEN or not any(ch.isdigit() for ch in line):
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


def _source_url(line: str) -> str | None:
    if len(line) > _URL_MAX_LEN:
        return None
    m = _SOURCE_LINE_RE.match(line)
    if m is not None:
        return m.group("url")
    if _LONE_URL_RE.match(line):
        return line.strip("<>")
    return None


def _consume_date(line: str, st: _State) -> bool:
    parsed = _date_line(line)
    if parsed is None:
        return False
    value, is_update = parsed
    if is_update:
        if st.updated_on is None:
            st.updated_on = value
    elif st.published_on is None:
        st.published_on = value
    return True


def _consume_source(line: str, st: _State) -> bool:
    if st.source_url:
        return False
    url = _source_url(line)
    if url is None:
        return False
    st.source_url = url
    return True


def _consume_header_line(line: str, st: _State) -> bool:
    if not st.byline:
        name = _byline(line)
        if name is not None:
            st.byline = name
            return True
    return _consume_date(line, st) or _consume_source(line, st)


def _credit_is_agency_like(credit: str) -> bool:
    parts = [p.strip().lower() for p in credit.split("/")]
    if any(len(p.split()) > 5 or not p for p in parts):
        return False
    if any(ch in credit for ch in "!?"):
        return False
    return any(p in _KNOWN_AGENCIES or p.endswith((" images", " photo", " pool")) for p in parts)


def _caption(text: str) -> tuple[str, str] | None:
    """Split a caption paragraph into ``(caption, credit)`` or return ``None``."""
    if len(text) > _CAPTION_MAX_LEN or not text:
        return None
    if text.endswith(")"):
        for rx in _CREDIT_PAREN_RES:
            m = rx.search(text)
            if m is not None:
                credit = m.group("credit").strip()
                if credit and credit.lower() not in _GENERIC_CREDIT_WORDS:
                    return text[: m.start()].strip(), credit
    m = _CREDIT_LABEL_RE.match(text)
    if m is not None:
        return m.group("caption").strip(), m.group("credit").strip()
    if "/" in text:
        m = _CREDIT_SLASH_RE.match(text)
        if m is not None and _credit_is_agency_like(m.group("credit")):
            return m.group("caption").strip(), m.group("credit").strip()
    return None


def _consume_caption(paras: list[_Para], i: int, st: _State) -> bool:
    p = paras[i]
    candidates = [(" ".join(p), len(p))]
    if len(p) > 1:
        candidates.append((p[0], 1))
    for text, used in candidates:
        found = _caption(text)
        if found is not None:
            st.caption, st.credit = found
            st.caption_found = True
            if used == len(p):
                del paras[i]
            else:
                paras[i] = p[used:]
            return True
    return False


def _truncate_title(line: str) -> str:
    if len(line) <= _TITLE_MAX_LEN:
        return line
    head = line[: _TITLE_MAX_LEN - 1]
    cut = head.rfind(" ")
    if cut >= _TITLE_MAX_LEN // 2:
        head = head[:cut]
    return head.rstrip(" ,;:–—-") + "…"


def _is_headline(line: str) -> bool:
    if len(line) <= _HEADLINE_SOFT_MAX_LEN:
        return True
    return len(line) <= _HEADLINE_MAX_LEN and line[-1] not in _TERMINAL_PUNCT


def _peel_header(paras: list[_Para], st: _State) -> None:
    """Remove breadcrumb, headline, byline, dates, source and caption from the start."""
    # Before the headline: source URL, date lines and the breadcrumb.
    for _ in range(8):
        if not paras:
            break
        p = paras[0]
        line = p[0]
        taken = _consume_source(line, st) or _consume_date(line, st)
        if not taken and not st.section_path and (len(p) > 1 or len(paras) > 1):
            crumbs = _breadcrumb(line)
            if crumbs is not None:
                st.section_path = crumbs
                taken = True
        if not taken:
            break
        if len(p) > 1:
            paras[0] = p[1:]
        else:
            del paras[0]

    if not paras:
        return
    p = paras[0]
    first = p[0]
    if not _is_headline(first):
        st.title = _truncate_title(first)
        st.warnings.append(WARN_FIRST_LINE_USED)
        return
    title_lines = [first]
    j = 1
    length = len(first)
    while j < len(p) and _first_alpha(p[j][:1]).islower() and length + len(p[j]) < 250:
        title_lines.append(p[j])
        length += len(p[j]) + 1
        j += 1
    st.title = " ".join(title_lines)
    if j < len(p):
        paras[0] = p[j:]
    else:
        del paras[0]

    # After the headline, in any order: byline, date, source, photo caption.
    for _ in range(12):
        if not paras:
            break
        p = paras[0]
        k = 0
        while k < len(p) and _consume_header_line(p[k], st):
            k += 1
        if k:
            if k == len(p):
                del paras[0]
            else:
                paras[0] = p[k:]
            continue
        if not st.caption_found and _consume_caption(paras, 0, st):
            continue
        break


# ----------------------------- footer helpers -----------------------------
def _is_network_line(line: str) -> bool:
    if len(line) > _SHARE_NETWORKS_MAX_LEN:
        return False
    words = [w for w in _NETWORK_SPLIT_RE.split(line.lower()) if w]
    if not words:
        return True
    if all(w in _NETWORKS for w in words):
        return True
    if _is_address(line) or _source_url(line) is not None:
        return False
    return len(line) <= _SHARE_LINE_MAX_LEN and len(words) <= 5 and line[-1] not in '.!?:;"”’'


def _is_share_head(line: str) -> bool:
    if len(line) > _SHARE_NETWORKS_MAX_LEN:
        return False
    m = _SHARE_HEAD_RE.match(line)
    if m is None:
        return False
    rest = m.group("rest").strip()
    if not rest:
        return True
    words = [w for w in _NETWORK_SPLIT_RE.split(rest.lower()) if w]
    return all(w in _NETWORKS for w in words)


def _take_share(paras: list[_Para], st: _State) -> bool:
    k = len(paras) - 1
    while k >= 0 and len(paras) - k <= _SHARE_LOOKBACK:
        p = paras[k]
        if len(p) > _SHARE_MAX_LINES:
            return False
        if _is_share_head(p[0]) and all(_is_network_line(line) for line in p[1:]):
            lines = [line for q in paras[k:] for line in q]
            st.share_lines[:0] = lines
            del paras[k:]
            return True
        if not all(_is_network_line(line) for line in p):
            return False
        k -= 1
    return False


def _network_names(line: str) -> int:
    """Return how many network names the line has, or 0 if it has anything else."""
    if len(line) > _SHARE_NETWORKS_MAX_LEN:
        return 0
    words = [w for w in _NETWORK_SPLIT_RE.split(line.lower()) if w]
    return len(words) if all(w in _NETWORKS for w in words) else 0


def _take_network_names(paras: list[_Para], st: _State) -> bool:
    """Take a trailing run of lines made only of share-network names (no heading)."""
    k = len(paras)
    total = 0
    while k > 0 and len(paras) - k < _SHARE_LOOKBACK:
        counts = [_network_names(line) for line in paras[k - 1]]
        if len(counts) > _SHARE_MAX_LINES or not all(counts):
            break
        total += sum(counts)
        k -= 1
    if k == len(paras) or total < 2:
        return False
    st.share_lines[:0] = [line for q in paras[k:] for line in q]
    del paras[k:]
    return True


def _is_address(line: str) -> bool:
    return len(line) <= 200 and _ADDRESS_RE.match(line) is not None


def _alt_note(line: str) -> tuple[str, list[str]] | None:
    """Recognise a publisher's alternate-address note; return (note, addresses)."""
    if len(line) > 300 or _ALT_NOTE_RE.search(line) is None:
        return None
    m = _ALT_NOTE_SPLIT_RE.match(line)
    if m is not None and m.group("rest").strip():
        tokens = [t for t in _ADDRESS_SPLIT_RE.split(m.group("rest")) if t]
        if all(_is_address(t) for t in tokens):
            return m.group("note").strip(), tokens
    return line, []


def _take_alternate(paras: list[_Para], st: _State) -> bool:
    k = len(paras)
    while k > 0 and all(_is_address(line) for line in paras[k - 1]):
        k -= 1
    if k == 0:
        return False
    p = paras[k - 1]
    note = _alt_note(p[0])
    if note is None or not all(_is_address(line) for line in p[1:]):
        return False
    text, inline = note
    addresses = inline + p[1:] + [line for q in paras[k:] for line in q]
    pm = _POSSESSIVE_SITE_RE.match(text)
    if pm is not None:
        st.footer_publisher = _canonical_publisher(pm.group("pub"))
    st.notes.insert(0, text)
    st.alternate_urls[:0] = addresses
    del paras[k - 1 :]
    return True


def _licence_publisher(text: str) -> str | None:
    m = _LICENCE_RE.search(text)
    if m is not None:
        return m.group("pub")
    m = _ORIGINALLY_RE.match(text)
    if m is not None:
        return m.group("pub")
    m = _COPYRIGHT_RE.match(text)
    if m is None:
        return None
    lowered = text.lower()
    if not (
        "©" in m.group("head")
        or "(c)" in m.group("head").lower()
        or m.group("year")
        or "rights reserved" in lowered
    ):
        return None
    pub = _TRAILING_YEAR_RE.sub("", m.group("pub").strip())
    first = _first_alpha(pub)
    if not first or first.islower():
        return None
    return pub


def _take_licence(paras: list[_Para], st: _State) -> bool:
    p = paras[-1]
    text = " ".join(p)
    if len(text) > _FOOTER_TEXT_MAX_LEN:
        return False
    if _READ_ORIGINAL_RE.match(text) and len(paras) > 1:
        prev = " ".join(paras[-2])
        pub = _licence_publisher(prev) if len(prev) <= _FOOTER_TEXT_MAX_LEN else None
        if pub is None:
            return False
        st.footer_publisher = _canonical_publisher(pub)
        st.notes.insert(0, prev + " " + text)
        del paras[-2:]
        return True
    pub = _licence_publisher(text)
    if pub is None:
        return False
    st.footer_publisher = _canonical_publisher(pub)
    st.notes.insert(0, text)
    del paras[-1]
    return True


def _take_source(paras: list[_Para], st: _State) -> bool:
    p = paras[-1]
    if st.source_url or len(p) != 1:
        return False
    url = _source_url(p[0])
    if url is None:
        return False
    st.source_url = url
    del paras[-1]
    return True


def _is_footer_start(line: str) -> bool:
    return (
        _is_share_head(line)
        or _alt_note(line) is not None
        or _source_url(line) is not None
        or (len(line) <= _FOOTER_TEXT_MAX_LEN and _licence_publisher(line) is not None)
    )


_FOOTER_TAKERS = (
    _take_share,
    _take_alternate,
    _take_licence,
    _take_source,
    _take_network_names,
)


def _take_any_footer(paras: list[_Para], st: _State) -> bool:
    return any(taker(paras, st) for taker in _FOOTER_TAKERS)


def _peel_footer(paras: list[_Para], st: _State) -> None:
    """Remove share block, publisher notes, licence footer and source from the end."""
    for _ in range(16):
        if not paras:
            return
        if _take_any_footer(paras, st):
            continue
        last = paras[-1]
        split_at = next(
            (
                j
                for j in range(len(last) - 1, max(0, len(last) - _FOOTER_SPLIT_SCAN), -1)
                if _is_footer_start(last[j])
            ),
            0,
        )
        if split_at == 0:
            return
        paras[-1:] = [last[:split_at], last[split_at:]]
        if not _take_any_footer(paras, st):
            paras[-2:] = [last]
            return


# ----------------------------- body helpers -------------------------------
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


#: Letters of the scripts ``_guess_language`` counts; text without any is Latin (or other).
_COUNTED_SCRIPTS = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u0590-\u05ff\u0600-\u06ff\u0750-\u077f"
    "\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\ufb50-\ufeff]"
)


def _guess_language(sample: str) -> str:
    if not _COUNTED_SCRIPTS.search(sample):
        return ""  # the loop below would count no script letters (measured: 2.2 s of 10k files)
    letters = cyr = ukr = arabic = persian = urdu = han = kana = hangul = greek = 0
    hebrew = 0
    for ch in sample:
        if not ch.isalpha():
            continue
        letters += 1
        o = ord(ch)
        if o < 0x370:
            continue
        if 0x400 <= o <= 0x52F:
            cyr += 1
            if ch in "іїєґІЇЄҐ":
                ukr += 1
        elif 0x600 <= o <= 0x6FF or 0x750 <= o <= 0x77F or 0xFB50 <= o <= 0xFEFF:
            arabic += 1
            if ch in "پچژگکی":
                persian += 1
            elif ch in "ٹڈڑںے":
                urdu += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
            han += 1
        elif 0x3040 <= o <= 0x30FF:
            kana += 1
        elif 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF:
            hangul += 1
        elif 0x370 <= o <= 0x3FF:
            greek += 1
        elif 0x590 <= o <= 0x5FF:
            hebrew += 1
    if not letters:
        return ""
    half = letters / 2
    if cyr > half:
        return "uk" if ukr > cyr * 0.02 else "ru"
    if arabic > half:
        if urdu > arabic * 0.01:
            return "ur"
        return "fa" if persian > arabic * 0.02 else "ar"
    if han + kana + hangul > half:
        if hangul > han + kana:
            return "ko"
        return "ja" if kana > (han + kana) * 0.02 else "zh"
    if greek > half:
        return "el"
    if hebrew > half:
        return "he"
    return ""


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------
def parse_article(text: str) -> ParsedArticle:
    """Parse the decoded text of a saved news article.

    The function is pure and never raises: whatever it cannot recognise stays in
    ``body`` and doubtful results carry ``warnings``.

    The text is split into paragraphs at blank lines (every line is a paragraph when
    the text has no blank line at all). The footer is peeled from the end (share
    block, publisher alternate-address note with its addresses, licence/copyright
    notice, source URL, in any order), then the header from the start (source URL,
    date and breadcrumb lines, the headline, then byline, date, source and one photo
    caption with its credit, in any order). The rest is the body; a dateline is read
    from (but left in) its first paragraph. ``publisher`` comes from the footer (the
    note nearest the body wins), else from the dateline agency, e.g. ``(Reuters)``.

    Args:
        text: The decoded file text (any newline convention).

    Returns:
        The parsed article.
    """
    try:
        return _parse(text)
    except Exception as exc:  # defensive: the contract is "never raises"
        try:
            body = normalize_field(text) if isinstance(text, str) else ""
        except Exception:
            body = ""
        return ParsedArticle(body=body, warnings=(f"{WARN_INTERNAL}: {type(exc).__name__}",))


def _parse(text: str) -> ParsedArticle:
    text = _unify_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    st = _State()
    if "\x00" in text:
        st.warnings.append(WARN_NUL)
    if "\ufffd" in text:
        st.warnings.append(WARN_REPLACEMENT)
    paras = _split_paragraphs(text)
    if not paras:
        return ParsedArticle(warnings=(WARN_EMPTY, *st.warnings))

    _peel_footer(paras, st)
    _peel_header(paras, st)
    if not st.title:
        st.warnings.insert(0, WARN_NO_HEADLINE)

    body = "\n\n".join("\n".join(p) for p in paras)
    if not body:
        st.warnings.append(WARN_EMPTY_BODY)

    dateline, agency = _dateline(paras[0][0]) if paras else ("", "")
    publisher = st.footer_publisher or (_canonical_publisher(agency) if agency else "")
    language = _guess_language(st.title + "\n" + body[:_LANGUAGE_SAMPLE_LEN])

    return ParsedArticle(
        title=normalize_field(st.title),
        section_path=tuple(normalize_field(s) for s in st.section_path),
        byline=normalize_field(st.byline),
        publisher=normalize_field(publisher),
        dateline=normalize_field(dateline),
        published_on=st.published_on or st.updated_on,
        source_url=normalize_field(st.source_url),
        alternate_urls=tuple(normalize_field(u) for u in st.alternate_urls),
        language=language,
        photo_caption=normalize_field(st.caption),
        photo_credit=normalize_field(st.credit),
        body=body,
        share_section=normalize_field("\n".join(st.share_lines)),
        publisher_note=normalize_field("\n".join(st.notes)),
        warnings=tuple(dict.fromkeys(st.warnings)),
    )
