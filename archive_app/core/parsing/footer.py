"""The article foot: share block, alternate addresses, licence and copyright, source."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from archive_app.core.parsing.header import _source_url
from archive_app.core.parsing.model import _Para, _State
from archive_app.core.parsing.normalise import _first_alpha, normalize_field

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
#: A licence sentence glued to the last body line: "... is licensed under a Creative
#: Commons ... License." (any publisher; only the end of the line is searched).
_GLUED_LICENCE_RE = re.compile(
    r"(?:^|(?<=[.!?\"”’)])\s)(?P<sentence>[^.!?\n]{0,200}?\blicen[cs]ed\s+under\s+"
    r"(?:a|an|the)?\s*(?:creative\s+commons|cc[\s-]+by|cc0)[^!?\n]{0,150}?[.!]?)\s*$",
    re.IGNORECASE,
)
_GLUED_LICENCE_SCAN = 500
#: Where the licence word first stands: a match of ``_GLUED_LICENCE_RE`` starts at most this
#: far before it (its lookbehind space, then at most 200 characters of the sentence), so the
#: search starts there instead of trying every position of the tail.
_LICENSED_WORD_RE = re.compile(r"licen[cs]ed", re.IGNORECASE)
_GLUED_LICENCE_LEAD = 201
_CONTENT_BY_RE = re.compile(
    r"\b(?:content|material|text|articles?|stories|works?|photos?|images?)\s+"
    r"(?:by|from|of|on)\s+(?P<pub>[^\W\d_][^.\n]{0,60}?)\s+(?:is|are)\s+licen[cs]ed\b",
    re.IGNORECASE,
)
#: Related-links blocks: bullets of their lines, symbols that open their heading.
_BULLETS = frozenset("・•●○◦▪▫‣⁃*-–—»›>■□◆◇▶▷►★☆◎※")
_HEAD_SYMBOLS = frozenset("■□◆◇▼▽▲△▶▷►●○★☆◎※【〖[")
_NOT_HEAD_SYMBOLS = frozenset("©®℗™°")
_SENTENCE_END = frozenset(".。!！?？…:：;；")
_LINKISH_RE = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|jp|co|ru|io|info)\b", re.I)
# ``_LINKISH_RE`` in three searches that start at a literal (the engine skips to it), instead of
# a word-by-word scan of every line: a scheme only where "://" is, "www." from its dot, and a
# domain from its dot (``\b[\w-]+`` before it means: a word character in the run of word
# characters and hyphens that ends at the dot).
_SCHEME_RE = re.compile(r"https?://", re.I)
_WWW_RE = re.compile(r"\.(?<=www\.)", re.I)
_TLD_RE = re.compile(r"\.(?:com|net|org|jp|co|ru|io|info)\b", re.I)
_LINK_LABEL_MAX_LEN = 80
_LINK_LINE_MAX_LEN = 300
_LINK_HEAD_MAX_LEN = 40
_LINK_BLOCK_PARAS = 12


_PUBLISHER_ALIASES: dict[str, str] = {
    "ap": "The Associated Press",
    "associated press": "The Associated Press",
    "the associated press": "The Associated Press",
    "presstv": "Press TV",
    "press tv": "Press TV",
}


def _canonical_publisher(name: str) -> str:
    name = normalize_field(name).strip(" ,;:-–—")
    return _PUBLISHER_ALIASES.get(name.lower(), name)


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
        st.rights.insert(0, prev + " " + text)
        del paras[-2:]
        return True
    pub = _licence_publisher(text)
    if pub is None:
        return False
    st.footer_publisher = _canonical_publisher(pub)
    st.rights.insert(0, text)
    del paras[-1]
    return True


def _take_glued_licence(paras: list[_Para], st: _State) -> bool:
    """Take a licence sentence glued to the end of the last body line."""
    p = paras[-1]
    line = p[-1]
    tail = line[-_GLUED_LICENCE_SCAN:]
    lowered = tail.lower()
    if "licensed" not in lowered and "licenced" not in lowered:
        return False
    word = _LICENSED_WORD_RE.search(tail)
    if word is None:
        return False
    m = _GLUED_LICENCE_RE.search(tail, max(0, word.start() - _GLUED_LICENCE_LEAD))
    if m is None:
        return False
    sentence = m.group("sentence").strip()
    rest = line[: len(line) - len(tail) + m.start()].rstrip()
    if not st.footer_publisher:
        pm = _CONTENT_BY_RE.search(sentence)
        if pm is not None:
            st.footer_publisher = _canonical_publisher(pm.group("pub"))
    st.rights.insert(0, sentence)
    if rest:
        p[-1] = rest
    elif len(p) > 1:
        del p[-1]
    else:
        del paras[-1]
    return True


def _word_before(line: str, dot: int) -> bool:
    """Whether the run of word characters and hyphens ending at ``dot`` has a word character."""
    k = dot - 1
    while k >= 0:
        ch = line[k]
        if ch.isalnum() or ch == "_":  # ``\w``
            return True
        if ch != "-":
            return False
        k -= 1
    return False


def _is_linkish(line: str) -> bool:
    """Whether ``line`` holds an address (``_LINKISH_RE.search(line)``, found faster)."""
    if "://" in line and _SCHEME_RE.search(line) is not None:
        return True
    if _WWW_RE.search(line) is not None:
        return True
    return any(_word_before(line, m.start()) for m in _TLD_RE.finditer(line))


def _is_link_line(line: str) -> bool:
    """A line of a related-links block: a bullet item, an address, or a short label."""
    if len(line) > _LINK_LINE_MAX_LEN:
        return False
    return (
        line[:1] in _BULLETS
        or _is_linkish(line)
        or (len(line) <= _LINK_LABEL_MAX_LEN and line[-1] not in _SENTENCE_END)
    )


def _is_block_head(line: str) -> bool:
    """A related-links heading: a short line opening with a symbol (``■関連記事``)."""
    if len(line) > _LINK_HEAD_MAX_LEN or len(line) < 2:
        return False
    first = line[0]
    if first in _NOT_HEAD_SYMBOLS:
        return False  # "© 2024 ..." opens a copyright notice, not a list of links
    return first in _HEAD_SYMBOLS or unicodedata.category(first) == "So"


def _lines_from_end(paras: list[_Para], first: int) -> Iterator[tuple[int, int]]:
    """``(paragraph, line)`` indexes from the last line back to paragraph ``first``."""
    for i in range(len(paras) - 1, first - 1, -1):
        for j in range(len(paras[i]) - 1, -1, -1):
            yield i, j


def _take_related_links(paras: list[_Para], st: _State) -> bool:
    """Move trailing related-link blocks (a symbol heading, then link lines) out of the body.

    The block runs from its heading to the end of the text; every line after the heading
    must look like a link (bullet item, address, short label) and at least one must be a
    bullet item or an address. Blocks in a row are all taken.
    """
    start: tuple[int, int] | None = None
    real_links = 0
    last = True
    # From the last line backwards; most bodies stop at their last line (a sentence).
    for i, j in _lines_from_end(paras, max(0, len(paras) - _LINK_BLOCK_PARAS)):
        line = paras[i][j]
        if not last and real_links and _is_block_head(line):
            start = (i, j)
        last = False
        if not _is_link_line(line):
            break
        if line[:1] in _BULLETS or _is_linkish(line):
            real_links += 1
    if start is None or start == (0, 0):
        return False
    i, j = start
    block = [paras[i][j:], *paras[i + 1 :]]
    st.boilerplate[:0] = ["\n".join(q) for q in block]
    if j:
        paras[i] = paras[i][:j]
        del paras[i + 1 :]
    else:
        del paras[i:]
    return True


def _take_source(paras: list[_Para], st: _State) -> bool:
    p = paras[-1]
    if st.footer_source_url or len(p) != 1:
        return False
    url = _source_url(p[0])
    if url is None:
        return False
    st.footer_source_url = url
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
    _take_related_links,
    _take_share,
    _take_alternate,
    _take_licence,
    _take_source,
    _take_network_names,
    _take_glued_licence,
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
