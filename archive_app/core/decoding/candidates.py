"""Legacy-encoding candidates and their ranking by plausibility.

Candidates come from every source that knows something, so that every encoding Python
knows is in play: all of charset-normalizer's matches for the sample (it tries every
Python codec), their same-text aliases, and a fixed list of the common legacy code pages
of each script (Windows, ISO-8859, DOS, Mac, KOI8, the CJK multi-byte codecs). Codecs
that do not keep ASCII as ASCII (EBCDIC, UTF-7...) are left out: article files are never
in them. Candidates are grouped by the text they give, each distinct text is scored with
``scoring.plausibility``, and the highest score wins; within a group of identical texts
the most common codec names the group.

Priors, applied as small bonuses to the score (smaller than one misread letter in a
typical text): the Western rule below (+0.12 for cp1252: Western news with smart quotes
is cp1252 far more often than a detector believes; a clean cp1252 reading of Western
text, and a clean cp1251 reading of a long Cyrillic text, are taken as they are), the
most common code page of each script (+0.02) and charset-normalizer's best guess
(+0.03); DOS, Mac and other rare code pages pay 0.08 (they are rare in files made this
century); a Japanese codec whose reading has 20% kana gets +0.3 (kana are written only in
Japanese).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import charset_normalizer

from archive_app.core.decoding.helpers import (
    _ASCII_LETTERS,
    _MAX_WESTERN_DENSITY,
    _MIN_WESTERN_SHARE,
)
from archive_app.core.decoding.scoring import QUICK_TOKENS, plausibility

#: Codecs whose reported name differs from ``codecs.lookup(name).name`` (kept as before).
_REPORTED_NAMES: Final[dict[str, str]] = {"euc_jp": "euc-jp"}

#: Common legacy code pages, most common first within a script; the order also decides
#: which name reports a group of codecs that give the same text.
COMMON_CODECS: Final[tuple[str, ...]] = (
    "cp1252",
    "cp1251",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
    "cp1250",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp874",
    "koi8_r",
    "cp1258",
    "iso8859-15",
    "iso8859-1",
    "iso8859-2",
    "iso8859-3",
    "iso8859-4",
    "iso8859-5",
    "iso8859-6",
    "iso8859-7",
    "iso8859-8",
    "iso8859-9",
    "iso8859-10",
    "iso8859-13",
    "iso8859-16",
    "koi8_u",
    "cp866",
    "cp855",
    "mac_cyrillic",
    "cp737",
    "cp862",
    "cp852",
    "mac_latin2",
    "mac_roman",
    "cp850",
    "cp437",
    "cp865",
    "cp857",
    "gbk",
    "cp950",
    "big5hkscs",
    "cp932",
    "cp949",
    "johab",
)
#: The most common code page of each script: a small prior bonus.
_FIRST_CHOICE: Final = frozenset(
    {"cp1252", "cp1251", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "cp1250"}
    | {"cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp874", "koi8_r"}
)
#: Codecs of everyday files: Windows code pages, ISO-8859, KOI8 and the main CJK codecs.
#: DOS, Mac and other rare code pages pay a small penalty instead.
_MAINSTREAM: Final = _FIRST_CHOICE | frozenset(
    {f"iso8859-{part}" for part in range(1, 17) if part != 12}
    | {"koi8_u", "cp1258", "gbk", "cp950", "big5hkscs", "cp932", "cp949", "euc_kr", "hz"}
)
_RARE_PENALTY: Final = 0.08
#: A Western cp1252 reading scoring this (no bad character, one alphabet) is taken as is.
_CLEAN_SCORE: Final = 1.5
#: cp1251 bytes of Cyrillic letters (А-я, Ё, ё) needed in the first _FAST_SCAN bytes.
_CYRILLIC_LETTERS: Final = re.compile(rb"[\xc0-\xff\xa8\xb8]")
_FAST_SCAN: Final = 16 * 1024
#: Russian news scores 1.42-1.5 (its 14 commonest letters are ~75% of the letters).
_CLEAN_CYRILLIC_SCORE: Final = 1.4
_MIN_FAST_LETTERS: Final = 200
#: Distinct readings that get the full score after the quick pass.
_FULLY_SCORED: Final = 8
#: Kana are written only in Japanese: a reading where they make up this share of the
#: non-ASCII characters, by a Japanese codec, gets ``_KANA_BONUS`` (GB2312 also has kana
#: at the same code points as EUC-JP, and Big5 reads kana bytes as common Han).
_MIN_KANA_SHARE: Final = 0.2
_KANA_BONUS: Final = 0.3
_JAPANESE_CODECS: Final = frozenset(
    {"shift_jis", "cp932", "euc_jp", "euc_jis_2004", "euc_jisx0213", "shift_jis_2004"}
    | {"shift_jisx0213", "iso2022_jp"}
)
_KANA_RE: Final = re.compile(r"[\u3041-\u30ff]")
#: The same sets and order under canonical names (``koi8_r`` is ``koi8-r``...).
_FIRST_CHOICE_NAMES: Final = frozenset(codecs.lookup(name).name for name in _FIRST_CHOICE)
_MAINSTREAM_NAMES: Final = frozenset(codecs.lookup(name).name for name in _MAINSTREAM)
_ORDER: Final = {codecs.lookup(name).name: index for index, name in enumerate(COMMON_CODECS)}
_WESTERN_BONUS: Final = 0.12
_FIRST_CHOICE_BONUS: Final = 0.02
_DETECTOR_BONUS: Final = 0.03

_ASCII_PROBE: Final = bytes(range(0x20, 0x7F)) + b"\t\n\r"


#: Letters of Western European languages in cp1252's upper half.
_LATIN_LETTERS: Final = frozenset(
    "ŠŒŽšœžŸ" + "".join(chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7))
)
#: Punctuation that is plausible anywhere, even inside a word (apostrophes).
_FREE_PUNCTUATION: Final = frozenset("‘’‚“”„–—…·´\xad")
#: Symbols that are plausible next to words but not wedged inside one.
_SYMBOLS: Final = frozenset("€£¥¢©®™°±²³¹¼½¾§¶•«»¡¿ªº×÷µ\xa0†‡‰‹›ƒ")

_NON_ASCII_RUN: Final = re.compile(r"[^\x00-\x7f]+")


@dataclass(frozen=True)
class Candidate:
    """One distinct reading of a sample."""

    codec: str
    score: float
    text: str
    aliases: tuple[str, ...] = ()


@lru_cache(maxsize=512)
def canonical(name: str) -> str | None:
    """Canonical Python name of an ASCII-compatible text codec, or None.

    Args:
        name: Any codec name or alias.

    Returns:
        ``codecs.lookup(name).name``, or None for unknown codecs, codecs that are not
        text encodings, and codecs that do not read ASCII as ASCII.
    """
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    try:
        if info.decode(_ASCII_PROBE)[0] != _ASCII_PROBE.decode("ascii"):
            return None
    except (UnicodeDecodeError, ValueError):
        return None
    return info.name


def reported_name(codec: str) -> str:
    """The encoding name reported in ``DecodedText.encoding``.

    Args:
        codec: Canonical codec name.

    Returns:
        The name (``euc-jp`` keeps its historical spelling).
    """
    return _REPORTED_NAMES.get(codec, codec)


def _looks_western(sample: bytes) -> bool:
    """Decide whether bytes are Western European text in cp1252.

    In Western text the high bytes are sparse and come alone or in pairs:
    accented letters inside otherwise ASCII words, smart quotes, dashes and
    ellipses. Cyrillic, Greek, Arabic or CJK text decoded as cp1252 instead
    gives long runs of Latin-1 letters and symbols.

    Args:
        sample: A bounded sample of the data (not valid UTF-8).

    Returns:
        True if the sample should be decoded as cp1252.
    """
    text = sample.decode("cp1252", errors="replace")
    high = 0
    high_letters = 0
    western = 0
    for match in _NON_ASCII_RUN.finditer(text):
        run = match.group()
        high += len(run)
        high_letters += sum(
            1 for char in run if char not in _FREE_PUNCTUATION and char not in _SYMBOLS
        )
        if len(run) > 3:
            continue
        start, end = match.span()
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        wedged = before.isascii() and before.isalpha() and after.isascii() and after.isalpha()
        if all(
            char in _LATIN_LETTERS or char in _FREE_PUNCTUATION or (char in _SYMBOLS and not wedged)
            for char in run
        ):
            western += len(run)
    if high == 0:
        return True
    if western < _MIN_WESTERN_SHARE * high:
        return False
    ascii_letters = len(sample) - len(sample.translate(None, _ASCII_LETTERS))
    return high_letters <= _MAX_WESTERN_DENSITY * (high_letters + ascii_letters)


def _strict_or_none(sample: bytes, codec: str) -> str | None:
    """Decode strictly, returning None instead of raising.

    Args:
        sample: Bytes to decode.
        codec: Python codec name.

    Returns:
        The text, or None if the bytes are invalid in that codec.
    """
    try:
        return sample.decode(codec)
    except UnicodeDecodeError:
        return None


def _detector_guesses(sample: bytes) -> tuple[list[str], str | None]:
    """Codecs charset-normalizer finds plausible for a sample.

    Args:
        sample: Bytes that are not valid UTF-8.

    Returns:
        Canonical codec names (each match and the aliases giving the same text) and the
        best match's codec, if any.
    """
    names: list[str] = []
    best: str | None = None
    for match in charset_normalizer.from_bytes(sample):
        for name in (match.encoding, *match.could_be_from_charset):
            codec = canonical(name)
            if codec is not None and codec not in names:
                names.append(codec)
        if best is None:
            best = canonical(match.encoding)
    return names, best


def _priority(codec: str) -> int:
    """Position of a codec in ``COMMON_CODECS`` (unknown ones last)."""
    return _ORDER.get(codec, len(_ORDER))


def rank_candidates(
    sample: bytes, extra: tuple[str, ...] = (), *, exhaustive: bool = False
) -> list[Candidate]:
    """Distinct plausible readings of a sample, best first.

    Args:
        sample: A bounded sample of data that is not valid UTF-8.
        extra: More codec names to consider.
        exhaustive: Always rank every reading (no fast path for clean cp1252 or cp1251).

    Returns:
        One candidate per distinct text, ordered by score (ties: the more common codec).
    """
    western = _looks_western(sample)
    fast = not extra and not exhaustive
    if western and fast:
        # Fast path for the commonest legacy file: Western text whose cp1252 reading is
        # clean and fits one alphabet; a Central European text read as cp1252 fails
        # the alphabet test (Czech "č ř ě" become "è ø ì").
        text = _strict_or_none(sample, "cp1252")
        if text is not None and (score := plausibility(text)) >= _CLEAN_SCORE:
            return [Candidate("cp1252", score + _WESTERN_BONUS + _FIRST_CHOICE_BONUS, text)]
    if fast and len(_CYRILLIC_LETTERS.findall(sample, 0, _FAST_SCAN)) >= _MIN_FAST_LETTERS:
        # The same for the commonest Cyrillic code page on a text long enough to judge:
        # KOI8-R, Mac or DOS Cyrillic read as cp1251 flip case or give symbols.
        text = _strict_or_none(sample, "cp1251")
        if text is not None and (score := plausibility(text)) >= _CLEAN_CYRILLIC_SCORE:
            return [Candidate("cp1251", score + _FIRST_CHOICE_BONUS, text)]
    guesses, best_guess = _detector_guesses(sample)
    names = [canonical(name) for name in (*COMMON_CODECS, *guesses, *extra)]
    by_text: dict[str, list[str]] = {}
    for codec in dict.fromkeys(name for name in names if name):
        text = _strict_or_none(sample, codec)
        if text is None and codec == "cp1252":
            # Western text with a stray undefined byte (0x81, 0x8D...) stays cp1252; the
            # U+FFFD it gets counts against it in the score.
            text = sample.decode(codec, errors="replace")
        if text is not None:
            by_text.setdefault(text, []).append(codec)
    # Quick pass over every distinct text, full score for the best few only.
    quick = sorted(by_text, key=lambda text: -plausibility(text, QUICK_TOKENS))
    keep = set(quick[:_FULLY_SCORED])
    candidates = []
    for text, group in by_text.items():
        group.sort(key=_priority)
        if text not in keep and not (western and "cp1252" in group):
            continue
        score = plausibility(text)
        if western and "cp1252" in group:
            score += _WESTERN_BONUS
        if _FIRST_CHOICE_NAMES.intersection(group):
            score += _FIRST_CHOICE_BONUS
        if best_guess in group and not western:
            score += _DETECTOR_BONUS
        if not _JAPANESE_CODECS.isdisjoint(group):
            non_ascii = len(text) - len(text.encode("ascii", "ignore"))
            if len(_KANA_RE.findall(text)) >= _MIN_KANA_SHARE * non_ascii > 0:
                score += _KANA_BONUS
                group.sort(key=lambda codec: codec not in _JAPANESE_CODECS)  # stable
        if _MAINSTREAM_NAMES.isdisjoint(group):
            score -= _RARE_PENALTY
        candidates.append(Candidate(group[0], score, text, tuple(group[1:])))
    candidates.sort(key=lambda c: (-c.score, _priority(c.codec)))
    return candidates
