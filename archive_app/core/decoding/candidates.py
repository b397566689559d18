"""Legacy-encoding candidates: the Western rule, detectors and script sanity rules."""

from __future__ import annotations

import re
from typing import Final

import charset_normalizer

from archive_app.core.decoding.helpers import (
    _ASCII_LETTERS,
    _MAX_WESTERN_DENSITY,
    _MIN_WESTERN_SHARE,
    _decode_replacing,
    _replacement_warning,
)
from archive_app.core.decoding.result import DecodedText

# --------------------------------------------------------------------------
# Legacy encodings
# --------------------------------------------------------------------------

#: Python codec name (as charset-normalizer spells it) -> reported name.
_LEGACY_CODECS: Final[dict[str, str]] = {
    "cp1252": "cp1252",
    "cp1251": "cp1251",
    "koi8_r": "koi8-r",
    "cp1256": "cp1256",
    "gb18030": "gb18030",
    "big5": "big5",
    "shift_jis": "shift_jis",
    "euc_jp": "euc-jp",
}
_CYRILLIC_CODECS: Final = ("cp1251", "koi8_r")
_CHINESE_CODECS: Final = ("gb18030", "big5")
_JAPANESE_CODECS: Final = ("shift_jis", "euc_jp")
#: Minimum share of kana among non-ASCII characters for Japanese text.
_MIN_KANA_SHARE: Final = 0.2

#: Letters of Western European languages in cp1252's upper half.
_LATIN_LETTERS: Final = frozenset(
    "ŠŒŽšœžŸ" + "".join(chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7))
)
#: Punctuation that is plausible anywhere, even inside a word (apostrophes).
_FREE_PUNCTUATION: Final = frozenset("‘’‚“”„–—…·´\xad")
#: Symbols that are plausible next to words but not wedged inside one.
_SYMBOLS: Final = frozenset("€£¥¢©®™°±²³¹¼½¾§¶•«»¡¿ªº×÷µ\xa0†‡‰‹›ƒ")

_NON_ASCII_RUN: Final = re.compile(r"[^\x00-\x7f]+")
_CYRILLIC_LETTER: Final = re.compile(r"[А-Яа-яЁё]")
_CYRILLIC_LOWER: Final = re.compile(r"[а-яё]")
_CYRILLIC_WORD: Final = re.compile(r"[А-Яа-яЁё]+")
_CAMEL_CASE: Final = re.compile(r"[а-яё][А-ЯЁ]")
#: Plausible Russian: enough letters, mostly lower case, few camel-case words.
_MIN_RUSSIAN_LETTERS: Final = 12
_MIN_RUSSIAN_LOWERCASE: Final = 0.7
_MAX_RUSSIAN_CAMEL_SHARE: Final = 0.1
_KANA: Final = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")
#: Private-use characters and half-width katakana: typical CJK mojibake.
_CJK_MOJIBAKE: Final = re.compile(r"[\ue000-\uf8ff\uff61-\uff9f]")
_MAX_CJK_MOJIBAKE_SHARE: Final = 0.05


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


def _share(pattern: re.Pattern[str], text: str, total: int) -> float:
    """Share of matches of a pattern relative to a total.

    Args:
        pattern: Compiled single-character pattern.
        text: Text to search.
        total: Denominator; 0 gives a share of 0.

    Returns:
        The share.
    """
    return len(pattern.findall(text)) / total if total else 0.0


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


def _cyrillic_lowercase_share(text: str) -> float:
    """Share of lower-case letters among Cyrillic letters.

    Running text is mostly lower case; reading cp1251 as KOI8-R (or the
    reverse) swaps the cases, so the right codec has the higher share.

    Args:
        text: Decoded text.

    Returns:
        A share in [0, 1].
    """
    return _share(_CYRILLIC_LOWER, text, len(_CYRILLIC_LETTER.findall(text)))


def _is_plausible_russian(text: str) -> bool:
    """Whether a decoded text reads like Russian rather than mojibake.

    Real Russian is mostly lower case and words never switch from lower to
    upper case in the middle. Arabic or CJK bytes read as Cyrillic give
    random case, because their frequent letters fall in both case halves.

    Args:
        text: Text decoded with a Cyrillic codec.

    Returns:
        True if the text is plausibly Russian.
    """
    words = _CYRILLIC_WORD.findall(text)
    letters = sum(len(word) for word in words)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if letters < _MIN_RUSSIAN_LETTERS or letters < 0.8 * non_ascii:
        return False
    camel = sum(1 for word in words if _CAMEL_CASE.search(word))
    if camel > _MAX_RUSSIAN_CAMEL_SHARE * len(words):
        return False
    return _cyrillic_lowercase_share(text) >= _MIN_RUSSIAN_LOWERCASE


def _kana_share(text: str) -> float:
    """Share of hiragana/katakana among the non-ASCII characters.

    Args:
        text: Decoded text.

    Returns:
        A share in [0, 1].
    """
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return _share(_KANA, text, non_ascii)


def _has_cjk_mojibake(text: str | None) -> bool:
    """Whether a CJK decoding shows signs of the wrong codec.

    Reading Big5 or GB bytes as Shift_JIS gives half-width katakana (their
    lead bytes are single-byte kana there); reading Big5 as GB18030 gives
    private-use characters. Neither occurs in real news text.

    Args:
        text: Decoded text, or None if the codec failed.

    Returns:
        True if more than 5% of the non-ASCII characters are suspicious.
    """
    if text is None:
        return True
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return _share(_CJK_MOJIBAKE, text, non_ascii) > _MAX_CJK_MOJIBAKE_SHARE


def _ranked_legacy_codecs(sample: bytes) -> list[str]:
    """Rank the non-Western candidate codecs for a sample, best first.

    charset-normalizer, restricted to the candidate list, does the ranking;
    sanity rules then fix its weak spots on short texts: Cyrillic case
    distribution (cp1251 vs KOI8-R vs other scripts), CJK mojibake (Big5/GB
    read as Shift_JIS or GB18030) and kana (Japanese vs Chinese).

    Args:
        sample: A bounded sample of the data (not valid UTF-8).

    Returns:
        Codec names from ``_LEGACY_CODECS`` that decode the sample strictly.
    """
    matches = charset_normalizer.from_bytes(sample, cp_isolation=list(_LEGACY_CODECS))
    ranked = [match.encoding for match in matches if match.encoding in _LEGACY_CODECS]
    if not ranked:
        return []
    best = ranked[0]
    decoded = {codec: _strict_or_none(sample, codec) for codec in _LEGACY_CODECS}
    russian = {
        codec: text
        for codec in _CYRILLIC_CODECS
        if (text := decoded[codec]) is not None and _is_plausible_russian(text)
    }
    if russian or best in _CYRILLIC_CODECS:
        scores = {
            codec: _cyrillic_lowercase_share(text)
            for codec in _CYRILLIC_CODECS
            if (text := decoded[codec]) is not None and (codec in russian or not russian)
        }
        winner = max(scores, key=lambda codec: scores[codec])
        if winner != best and scores[winner] > scores.get(best, 0.0):
            ranked.insert(0, winner)
    elif best in _CHINESE_CODECS + _JAPANESE_CODECS:
        ranked.sort(key=lambda codec: _has_cjk_mojibake(decoded[codec]))  # stable
        for codec in _JAPANESE_CODECS:
            text = decoded[codec]
            if (
                text is not None
                and _kana_share(text) >= _MIN_KANA_SHARE
                and not _has_cjk_mojibake(text)
            ):
                ranked.insert(0, codec)
                break
    unique: list[str] = []
    for codec in ranked:
        if codec not in unique and decoded[codec] is not None:
            unique.append(codec)
    return unique


def _decode_legacy(data: bytes, sample: bytes) -> DecodedText:
    """Decode bytes in a legacy (non-Unicode) encoding.

    Args:
        data: NUL-free bytes that are not valid UTF-8.
        sample: Bounded sample of ``data`` used for the detection.

    Returns:
        The decoded text (newlines not yet normalised).
    """
    if _looks_western(sample):
        text, replaced = _decode_replacing(data, "cp1252")
        if replaced:
            warning = _replacement_warning(replaced, "encoding guessed as cp1252", "byte")
            return DecodedText(text, "cp1252", (warning,))
        return DecodedText(text, "cp1252")
    for codec in _ranked_legacy_codecs(sample):
        text_or_none = _strict_or_none(data, codec)
        if text_or_none is not None:
            return DecodedText(text_or_none, _LEGACY_CODECS[codec])
    text, replaced = _decode_replacing(data, "cp1252")
    if replaced:
        warning = _replacement_warning(replaced, "encoding guessed as cp1252", "byte")
    else:
        warning = "encoding could not be determined reliably; decoded as cp1252"
    return DecodedText(text, "cp1252", (warning,))
