"""The article head: breadcrumb, headline, byline, dates, source and photo caption."""

from __future__ import annotations

import re

from archive_app.core.parsing.dates import _date_line
from archive_app.core.parsing.model import _Para, _State
from archive_app.core.parsing.normalise import _first_alpha

_CRUMB_SPLIT_RE = re.compile(r"\s+(?:/|>|»|›|\||→|::)\s+")
_CRUMB_MAX_LEN = 150
#: A first line longer than this is a body paragraph, never a headline. Measured on the
#: development corpus: of 2,687 known titles (sidecars, file names, title lines) the
#: longest has 144 characters (99th percentile 109), while 90% of first body lines are
#: longer than 150.
_HEADLINE_MAX_LEN = 160
#: A soft-wrapped headline (continuation lines starting lowercase) stays below this.
_WRAPPED_HEADLINE_MAX_LEN = 250
#: A title may open with a tag in these brackets: ``【Sports Watch／Racing】Headline``.
_SECTION_TAG_RE = re.compile(
    r"^[【〖〔［]\s*(?P<tag>[^【】〖〗〔〕［］\n]{1,40}?)\s*[】〗〕］]\s*(?P<rest>\S.*)$"
)
_TAG_SPLIT_RE = re.compile(r"\s*[／/|｜>»›]\s*")
#: With a file-name title to fall back on, a first line ending so is a body sentence.
_SENTENCE_END = frozenset(".!?。！？…:;,")
_WORDS_RE = re.compile(r"[^\W_]+")

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

_URL_MAX_LEN = 2048
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


def _is_headline(line: str) -> bool:
    return len(line) <= _HEADLINE_MAX_LEN


def _same_words(a: str, b: str) -> bool:
    """Whether two texts have the same words (case, punctuation and spacing aside)."""
    if len(a) > 2 * len(b) + 20 or len(b) > 2 * len(a) + 20:
        return False
    return _WORDS_RE.findall(a.casefold()) == _WORDS_RE.findall(b.casefold())


def _section_tag(title: str) -> tuple[tuple[str, ...], str]:
    """Split a leading bracketed tag off a title: ``(section parts, rest of the title)``."""
    m = _SECTION_TAG_RE.match(title)
    if m is None:
        return (), title
    parts = tuple(p for p in _TAG_SPLIT_RE.split(m.group("tag")) if p)
    return parts, m.group("rest")


def _peel_header_lines(paras: list[_Para], st: _State, *, caption: bool) -> None:
    """After the headline, in any order: byline, date, source, photo caption."""
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
        if caption and not st.caption_found and _consume_caption(paras, 0, st):
            continue
        break


def _peel_header(
    paras: list[_Para], st: _State, known_title: str = "", name_title: str = ""
) -> None:
    """Remove breadcrumb, headline, byline, dates, source and caption from the start.

    With ``known_title`` (from a sidecar) the first line is the headline only when it
    has the same words; otherwise it stays in the body. With ``name_title`` (from the
    file name) a first line with its words is the headline, and so is a short line
    that does not end like a sentence. A first line longer than a headline is always
    a body paragraph: no title then.
    """
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
    if name_title and not known_title:
        if _same_words(first, name_title):
            known_title = name_title
        elif first.rstrip("\"'”’»)]）」』")[-1:] in _SENTENCE_END:
            _peel_header_lines(paras, st, caption=False)
            return
    if known_title:
        if _same_words(first, known_title):
            st.title = first
            del p[0]
            if not p:
                del paras[0]
            _peel_header_lines(paras, st, caption=True)
        else:
            _peel_header_lines(paras, st, caption=False)
        return
    if not _is_headline(first):
        return
    title_lines = [first]
    j = 1
    length = len(first)
    while (
        j < len(p)
        and _first_alpha(p[j][:1]).islower()
        and length + len(p[j]) < _WRAPPED_HEADLINE_MAX_LEN
    ):
        title_lines.append(p[j])
        length += len(p[j]) + 1
        j += 1
    st.title = " ".join(title_lines)
    if j < len(p):
        paras[0] = p[j:]
    else:
        del paras[0]
    _peel_header_lines(paras, st, caption=True)
