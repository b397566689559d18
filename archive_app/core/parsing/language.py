"""The language of an article's text (ISO 639-1).

Scripts that tell their language by themselves (Cyrillic, Arabic, CJK, kana, Hangul,
Greek, Hebrew) are counted here: measured on the development corpus this is exact for
Russian and Japanese, where CLD2 missed 1.5% of short Russian samples. Everything else
(Latin script above all) goes to CLD2 (``pycld2``, imported on first use: a C library with
its model built in, about 0.1 ms for the sample). Without ``pycld2`` the language stays
empty.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, NamedTuple

_LANGUAGE_SAMPLE_LEN = 20_000
#: CLD2 reads a bounded sample: about 0.04 ms per article for 400 characters (100% right
#: on the development corpus's en/vi/ja/ru files from 300 characters on).
_DETECT_SAMPLE_LEN = 400
#: The script count reads this much: the majority script of 3,000 characters is that of the
#: article (measured: counting 20,000 characters cost 1.1 ms an article, the most expensive
#: step of parsing Russian and Japanese files; languages on the corpus unchanged).
_SCRIPT_SAMPLE_LEN = 3_000
#: ... and a first look reads this much, enough when its count is clear: one script holds at
#: least ``_CLEAR_SHARE`` of the letters, and each telling letter count (Ukrainian among
#: Cyrillic, kana among CJK...) is nil or ``_CLEAR_MARGIN`` times past its threshold.
_SCRIPT_FIRST_LEN = 600
_CLEAR_SHARE = 0.8
_CLEAR_MARGIN = 2.0
#: Fewer letters than this say too little to name a language.
_MIN_LETTERS = 12


#: Letters of the scripts ``_guess_language`` counts; text without any is Latin (or other).
_COUNTED_SCRIPTS = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u0590-\u05ff\u0600-\u06ff\u0750-\u077f"
    "\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\ufb50-\ufeff]"
)


def _guess_language(sample: str) -> str:
    """Return the ISO 639-1 code of the sample's language, or ``""`` if unsure."""
    # Only the script count's sample matters: without counted letters there it finds nothing.
    if sample.isascii() or not _COUNTED_SCRIPTS.search(sample, 0, _SCRIPT_SAMPLE_LEN):
        # The loop below would count no script letters (measured: 2.2 s of 10k files).
        return _detect(sample[:_DETECT_SAMPLE_LEN])
    found = _script_language(sample[:_SCRIPT_SAMPLE_LEN])
    return found or _detect(sample[:_DETECT_SAMPLE_LEN])


def _script_language(sample: str) -> str:
    """The language the sample's majority script tells, or ``""``.

    The first ``_SCRIPT_FIRST_LEN`` characters decide when they are clear (measured: 70% of the
    parsing time of Russian and Japanese files went to counting 3,000 characters); a mixed or
    borderline start (a Latin header, a quoted word) is counted again over 3,000.
    """
    language, clear = _count_scripts(sample[:_SCRIPT_FIRST_LEN])
    if clear or len(sample) <= _SCRIPT_FIRST_LEN:
        return language
    return _count_scripts(sample[:_SCRIPT_SAMPLE_LEN])[0]


def _share(part: int, whole: int, threshold: float) -> tuple[bool, bool]:
    """Whether ``part`` passes ``threshold`` of ``whole``, and whether it is far from it."""
    passes = part > whole * threshold
    return passes, part == 0 or part > whole * threshold * _CLEAR_MARGIN


class _Scripts(NamedTuple):
    """Character classes of the letters (``str.isalpha``) of each counted script."""

    cyrillic: re.Pattern[str]
    ukrainian: re.Pattern[str]
    arabic: re.Pattern[str]
    persian: re.Pattern[str]
    urdu: re.Pattern[str]
    han: re.Pattern[str]
    kana: re.Pattern[str]
    hangul: re.Pattern[str]
    greek: re.Pattern[str]
    hebrew: re.Pattern[str]


def _letter_class(*ranges: tuple[int, int]) -> re.Pattern[str]:
    """A class of the code points in ``ranges`` that are letters, as runs (``\\uXXXX-\\uYYYY``)."""
    runs: list[str] = []
    for low, high in ranges:
        first: int | None = None
        for point in range(low, high + 2):
            if point <= high and chr(point).isalpha():
                if first is None:
                    first = point
            elif first is not None:
                runs.append(f"\\u{first:04x}-\\u{point - 1:04x}")
                first = None
    return re.compile("[" + "".join(runs) + "]")


@functools.cache
def _scripts() -> _Scripts:
    """Built on first use (a few ms; files in Latin script never need them)."""
    return _Scripts(
        cyrillic=_letter_class((0x400, 0x52F)),
        ukrainian=re.compile("[іїєґІЇЄҐ]"),
        arabic=_letter_class((0x600, 0x6FF), (0x750, 0x77F), (0xFB50, 0xFEFF)),
        persian=re.compile("[پچژگکی]"),
        urdu=re.compile("[ٹڈڑںے]"),
        han=_letter_class((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF)),
        kana=_letter_class((0x3040, 0x30FF)),
        hangul=_letter_class((0xAC00, 0xD7AF), (0x1100, 0x11FF)),
        greek=_letter_class((0x370, 0x3FF)),
        hebrew=_letter_class((0x590, 0x5FF)),
    )


def _count(letters: re.Pattern[str], sample: str) -> int:
    return len(letters.findall(sample))


def _cyrillic(sample: str, scripts: _Scripts, letters: int) -> tuple[str, bool] | None:
    cyr = _count(scripts.cyrillic, sample)
    if cyr <= letters / 2:
        return None
    is_uk, sure = _share(_count(scripts.ukrainian, sample), cyr, 0.02)
    return ("uk" if is_uk else "ru"), sure and cyr >= letters * _CLEAR_SHARE


def _arabic(sample: str, scripts: _Scripts, letters: int) -> tuple[str, bool] | None:
    arabic = _count(scripts.arabic, sample)
    if arabic <= letters / 2:
        return None
    clear = arabic >= letters * _CLEAR_SHARE
    is_ur, sure_ur = _share(_count(scripts.urdu, sample), arabic, 0.01)
    if is_ur:
        return "ur", sure_ur and clear
    is_fa, sure_fa = _share(_count(scripts.persian, sample), arabic, 0.02)
    return ("fa" if is_fa else "ar"), sure_ur and sure_fa and clear


def _cjk(sample: str, scripts: _Scripts, letters: int) -> tuple[str, bool] | None:
    han = _count(scripts.han, sample)
    kana = _count(scripts.kana, sample)
    hangul = _count(scripts.hangul, sample)
    cjk = han + kana + hangul
    if cjk <= letters / 2:
        return None
    if hangul > han + kana:
        return "ko", hangul >= letters * _CLEAR_SHARE
    is_ja, sure = _share(kana, han + kana, 0.02)
    return ("ja" if is_ja else "zh"), sure and cjk >= letters * _CLEAR_SHARE


def _greek(sample: str, scripts: _Scripts, letters: int) -> tuple[str, bool] | None:
    greek = _count(scripts.greek, sample)
    return ("el", greek >= letters * _CLEAR_SHARE) if greek > letters / 2 else None


def _hebrew(sample: str, scripts: _Scripts, letters: int) -> tuple[str, bool] | None:
    hebrew = _count(scripts.hebrew, sample)
    return ("he", hebrew >= letters * _CLEAR_SHARE) if hebrew > letters / 2 else None


_Majority = Callable[[str, _Scripts, int], tuple[str, bool] | None]
_MAJORITIES: tuple[_Majority, ...] = (_cyrillic, _arabic, _cjk, _greek, _hebrew)


def _likely_first(sample: str) -> _Majority | None:
    """The script of the sample's first counted letter: the one to count first."""
    m = _COUNTED_SCRIPTS.search(sample)
    if m is None:
        return None
    o = ord(m.group())
    if 0x400 <= o <= 0x52F:
        return _cyrillic
    if 0x370 <= o <= 0x3FF:
        return _greek
    if 0x590 <= o <= 0x5FF:
        return _hebrew
    if 0x600 <= o <= 0x77F or o >= 0xFB50:
        return _arabic
    return _cjk


def _count_scripts(sample: str) -> tuple[str, bool]:
    """Return the language of the sample's majority script and whether the count is clear.

    The scripts' letter sets are disjoint, so at most one holds more than half of the letters:
    they are counted (by regular expressions, not a loop over the characters) until one does,
    starting with the script of the first counted letter.
    """
    letters = sum(map(str.isalpha, sample))
    if not letters:
        return "", False
    scripts = _scripts()
    first = _likely_first(sample)
    if first is None:
        return "", False
    for majority in (first, *(m for m in _MAJORITIES if m is not first)):
        found = majority(sample, scripts, letters)
        if found is not None:
            return found
    return "", False


# ----------------------------- CLD2 -------------------------------------
#: Characters CLD2 rejects as invalid input (C0/C1 controls but tab and newline).
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Old codes CLD2 still uses, and their ISO 639-1 names.
_CODE_ALIASES = {"iw": "he", "in": "id", "jw": "jv", "ji": "yi", "mo": "ro", "sh": "sr"}
_detector: Callable[[bytes], Any] | None = None
_detector_missing = False


def _load_detector() -> Callable[[bytes], Any] | None:
    global _detector, _detector_missing
    if _detector is None and not _detector_missing:
        try:
            import pycld2  # type: ignore[import-untyped]  # lazy: only some scripts need it
        except ImportError:
            _detector_missing = True
            return None
        _detector = pycld2.detect
    return _detector


def _detect(sample: str) -> str:
    if len(sample) < 4 * _MIN_LETTERS and sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return ""
    detect = _load_detector()
    if detect is None:
        return ""
    data = _CONTROL_RE.sub(" ", sample).encode("utf-8", "replace")
    try:
        _reliable, _size, details = detect(data)
    except Exception:  # CLD2 rejects some byte sequences: no language then
        return ""
    for _name, code, percent, _score in details:
        if code in ("un", "xxx") or not percent:
            continue
        code = code.split("-")[0].lower()
        code = _CODE_ALIASES.get(code, code)
        return code if len(code) == 2 else ""
    return ""
