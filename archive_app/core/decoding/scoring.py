"""Plausibility score of a decoded text: how much it reads like real text, not mojibake.

The detectors (charset-normalizer, the rules in ``candidates``) propose encodings; this
score decides between the texts they give. It only looks at the characters that differ
between codecs, the non-ASCII ones, and at the whitespace-separated tokens that hold them.
Each rule is general (no language is singled out beyond its alphabet and its most frequent
letters):

* **Impossible or rare characters** (C0/C1 controls, private use, unassigned, U+FFFD: 1
  point each; box drawing, half-width katakana, lone spacing accents such as ``¨ ´ ¸ ˇ ˛``,
  ``¤ ¦``: 0.5; other symbols: 0.2) per non-ASCII character. Reading DOS, Mac or ISO
  bytes with the wrong table produces exactly these.
* **Symbols wedged inside a word** (``Pol±ka``, ``m¶ciwy``): 1 point each.
* **Script mixing inside a word** (Latin and Cyrillic, Arabic with ``é``) and **case
  flips** (``кУРС``, a lower-case letter followed by a capital): share of such tokens.
* **Alphabet fit** (Latin script): the share of accented letters that belong to the
  alphabet of a single language (the best-fitting one). cp1250 read as cp1252 turns Czech
  ``č ř ě`` into ``è ø ì``, which no one language writes together.
* **Frequency fit** (other scripts): the share of letters that are among the most
  frequent letters of the best-fitting language of that script (charset-normalizer's
  frequency tables). KOI8-R read as cp1251, or EUC-KR read as GB18030, maps the frequent
  letters onto rare ones.

Measured on the shared ``encodings/`` corpus (201 decodable files, four sources): see
``benchmarks/decoding_bench.py`` and the README's "Decoding accuracy" paragraph.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import islice
from typing import Final

from charset_normalizer.constant import FREQUENCIES

#: Maximum number of non-ASCII tokens scored (keeps the score cheap on big files).
MAX_TOKENS: Final = 250
#: Characters looked at per token.
_MAX_TOKEN_CHARS: Final = 24
#: Tokens looked at in the quick first pass over all candidates.
QUICK_TOKENS: Final = 40

#: Extra (non-ASCII) letters of the alphabets of languages written in Latin script.
LATIN_ALPHABETS: Final[dict[str, str]] = {
    "en": "éïœæ",
    "fr": "àâæçéèêëîïôœùûüÿ",
    "de": "äöüßé",
    "es": "áéíñóúü",
    "pt": "áâãàçéêíóôõú",
    "it": "àèéìíîòóùú",
    "ca": "àçèéíïòóúü",
    "nl": "ëéïèöüáó",
    "da": "æøåé",
    "sv": "åäöé",
    "fi": "äöåšž",
    "is": "áðéíóúýþæö",
    "fo": "áðíóúýæø",
    "ga": "áéíóú",
    "cy": "âêîôûŵŷáéíóúàèìòùäëïöüÿ",
    "eu": "ñü",
    "gl": "áéíñóúü",
    "sq": "çë",
    "pl": "ąćęłńóśźż",
    "cs": "áčďéěíňóřšťúůýž",
    "sk": "áäčďéíĺľňóôŕšťúýž",
    "sl": "čšžćđ",
    "hr": "čćđšž",
    "hu": "áéíóöőúüű",
    "ro": "ăâîșțşţ",
    "lt": "ąčęėįšųūž",
    "lv": "āčēģīķļņšūž",
    "et": "äõöüšž",
    "tr": "çğıöşüâîû",
    "mt": "ċġħżàèìòù",
    "eo": "ĉĝĥĵŝŭ",
    "vi": "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",
    "se": "áčđŋšŧž",
    "kl": "æøåĸ",
}
_LATIN_SETS: Final = [frozenset(letters) for letters in LATIN_ALPHABETS.values()]
_RUSSIAN: Final = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
#: Alphabets of languages written in Cyrillic script.
CYRILLIC_ALPHABETS: Final[dict[str, str]] = {
    "ru": _RUSSIAN,
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџш",
    "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    "kk": _RUSSIAN + "әғқңөұүһі",
}
_ALPHABET_SETS: Final = {
    "latin": _LATIN_SETS,
    "cyrillic": [frozenset(letters) for letters in CYRILLIC_ALPHABETS.values()],
}
#: Vietnamese tone marks as cp1258 writes them (combining): they sit on vowels only.
_TONE_MARKS: Final = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS: Final = frozenset("aeiouyAEIOUYâêôăơưÂÊÔĂƠƯ")

#: The most frequent characters of Traditional Chinese (the traditional forms of the
#: start of charset-normalizer's Simplified list).
_TRADITIONAL_CHINESE: Final = (
    "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之"
    "年過發後作裡"
)

#: Letters counted as frequent per script table: the top of each frequency list.
_TOP_LETTERS: Final = 14


def _script(char: str) -> str:
    """Coarse script of a letter, by Unicode block.

    Args:
        char: One character.

    Returns:
        A short script name (``"latin"``, ``"cyrillic"``, ``"han"``...) or ``"other"``.
    """
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    if 0x370 <= code <= 0x3FF or 0x1F00 <= code <= 0x1FFF:
        return "greek"
    if 0x400 <= code <= 0x52F:
        return "cyrillic"
    if 0x530 <= code <= 0x58F:
        return "armenian"
    if 0x590 <= code <= 0x5FF or 0xFB1D <= code <= 0xFB4F:
        return "hebrew"
    if 0x600 <= code <= 0x6FF or 0x750 <= code <= 0x77F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x900 <= code <= 0xDFF:
        return "indic"
    if 0xE00 <= code <= 0xE7F:
        return "thai"
    if 0x10A0 <= code <= 0x10FF:
        return "georgian"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return "kana"
    if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF:
        return "han"
    return "other"


#: Scripts that share words in real text (Japanese mixes kanji and kana).
_COMPATIBLE: Final = frozenset({frozenset({"han", "kana"}), frozenset({"han", "hangul"})})


def _tables() -> dict[str, list[frozenset[str]]]:
    """Frequent-letter sets per script, one set per language.

    Returns:
        Script name -> list of sets of frequent characters.
    """
    tables: dict[str, list[frozenset[str]]] = {}
    lists = [list(chars) for chars in FREQUENCIES.values()] + [list(_TRADITIONAL_CHINESE)]
    for chars in lists:
        letters = [char for char in chars if not char.isascii()]
        if len(letters) < len(chars) // 2:
            continue  # a Latin-script language: its accents are in LATIN_ALPHABETS
        script = _script(letters[0])
        size = len(letters) if script in ("han", "kana", "hangul") else _TOP_LETTERS
        if script in ("han", "kana"):
            script = "cjk"
        tables.setdefault(script, []).append(frozenset(letters[:size]))
    return tables


_FREQUENT: Final = _tables()

_RARE_SYMBOLS: Final = frozenset("¦¨´¸¯˘˙˚˛˝ˇ¬")
#: Characters that prose never uses (the generic currency sign is a placeholder).
_NEVER: Final = frozenset("¤")
#: Symbols that real text uses freely (no badness on their own).
_COMMON_SYMBOLS: Final = frozenset("©®°€£¥¢±×÷§•™¹²³¼½¾")
#: Punctuation that never stands between two letters of a word (symbols neither).
_WEDGE_PUNCTUATION: Final = frozenset("†‡‰‹›¡¿«»„‚“”•…¶§")
#: Small kana: they only ever follow another kana.
_SMALL_KANA: Final = frozenset("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
#: Small hiragana ya/yu/yo only follow a consonant kana of the i column.
_SMALL_YA: Final = frozenset("ゃゅょ")
_I_COLUMN: Final = frozenset("きしちにひみりぎじぢびぴ")
#: Japanese text writes kana everywhere; below this share among CJK characters, kana
#: in Han text are mojibake (Big5 or GB read as the other, or as Shift_JIS).
_MIN_KANA_SHARE: Final = 0.1
#: Penalty per distinct accented Latin letter outside the best-fitting alphabet.
_MISFIT_PENALTY: Final = 0.1
_MAX_MISFIT_PENALTY: Final = 0.4

#: Absolute badness cost per point, and its cap.
_ABSOLUTE_BAD: Final = 0.04
_MAX_ABSOLUTE_BAD: Final = 0.4

#: Character kinds returned by ``_char_class``.
_LETTER: Final = 1
_MARK: Final = 2
_SYMBOL: Final = 3
_OTHER: Final = 0


@lru_cache(maxsize=8192)
def _char_class(char: str) -> tuple[float, int, str]:
    """Badness weight, kind and script of a non-ASCII character.

    Args:
        char: One non-ASCII character.

    Returns:
        (badness in points, kind, script or ``""``).
    """
    category = unicodedata.category(char)
    if char in _NEVER:
        return 3.0, _SYMBOL, ""
    if char == "\ufffd" or category in ("Cc", "Co", "Cn", "Cs"):
        return 1.0, _SYMBOL, ""
    code = ord(char)
    if 0x2500 <= code <= 0x259F or 0xFF61 <= code <= 0xFF9F or char in _RARE_SYMBOLS:
        return 0.5, _SYMBOL, ""
    if category[0] == "L":
        return 0.0, _LETTER, _script(char)
    if category[0] == "M":
        return 0.0, _MARK, _script(char)
    if char in _COMMON_SYMBOLS:
        return 0.0, _SYMBOL, ""
    if char in "\u200e\u200f":
        return 0.5, _SYMBOL, ""  # direction marks: only at the edges of right-to-left text
    if category[0] == "S":
        return 0.2, _SYMBOL, ""
    if char in _WEDGE_PUNCTUATION:
        return 0.0, _SYMBOL, ""
    return 0.0, _OTHER, ""  # other punctuation and spaces (CJK commas, apostrophes...)


def _compatible(first: str, second: str) -> bool:
    """Whether two scripts may meet inside a word."""
    return first == second or first in _CJK_SCRIPTS or second in _CJK_SCRIPTS


_CJK_SCRIPTS: Final = frozenset({"han", "kana", "hangul", "other", ""})


def _word_checks(token: str) -> tuple[float, bool, bool]:
    """Badness inside one token: wedged symbols, stray marks and kana, case, scripts.

    Args:
        token: A whitespace-separated token holding non-ASCII characters.

    Returns:
        (badness points, has a case flip, mixes scripts inside a word).
    """
    bad = 0.0
    flip = False
    mixed = False
    prev_kind = _OTHER  # kind of the previous character
    prev_script = ""
    prev_lower = False
    prev_ascii = True
    wedge = False  # a symbol follows a letter
    symbol_before = False  # the previous character is a non-ASCII symbol or number
    prev_char = ""
    for char in token:
        if char.isascii():
            if char.isalpha():
                kind, script, is_ascii = _LETTER, "latin", True
            else:
                kind, script, is_ascii = _OTHER, "", True
        else:
            _, kind, script = _char_class(char)
            is_ascii = False
        if kind == _LETTER:
            if wedge:
                bad += 1.0
            if prev_kind in (_LETTER, _MARK):
                if prev_lower and char.isupper() and not (is_ascii and prev_ascii):
                    flip = True
                if not _compatible(prev_script, script):
                    mixed = True
            if char in _SMALL_KANA and (
                (prev_script != "kana" and char not in "っッ")
                or (char in _SMALL_YA and prev_script == "kana" and prev_char not in _I_COLUMN)
            ):
                bad += 1.0
            if symbol_before and char.islower():
                bad += 1.0  # "½uvre", "©e": a symbol glued to the start of a word
            prev_lower = char.islower()
            prev_script = script
        elif kind == _MARK and (
            prev_kind not in (_LETTER, _MARK)
            or script not in ("other", prev_script)
            or (char in _TONE_MARKS and prev_kind == _LETTER and prev_char not in _VOWELS)
        ):
            bad += 1.0  # a combining mark with nothing (of its script) to combine with
        wedge = kind == _SYMBOL and not is_ascii and prev_kind == _LETTER
        prev_kind = kind if wedge or kind != _SYMBOL else _OTHER
        if kind == _OTHER:
            wedge = False
        category = "" if is_ascii else unicodedata.category(char)
        # A symbol glued to the start of a word; a dash only at the start of a token.
        symbol_before = category[:1] in ("S", "N") or (category == "Pd" and char is token[0])
        prev_ascii = is_ascii
        prev_char = char
    return bad, flip, mixed


@lru_cache(maxsize=16384)
def _encodable(char: str, codec: str) -> bool:
    """Whether a character exists in a legacy character set."""
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=16384)
def _ks_uncommon(syllable: str) -> bool:
    """Whether a Hangul syllable is outside the 2,350 of KS X 1001."""
    try:
        return len(syllable.encode("euc_kr")) != 2
    except UnicodeEncodeError:
        return True


def _han_inconsistency(han: list[str], kana: bool, hangul: bool) -> int:
    """Han characters that do not belong to the writing system the text uses.

    Japanese text (it has kana) writes JIS kanji, Korean text KS X 1001 hanja, and a
    Chinese text is Simplified (GB2312) or Traditional (Big5), not a mixture: mojibake
    from the wrong CJK codec gives characters from both.

    Args:
        han: The Han characters of the text.
        kana: Whether the text has kana.
        hangul: Whether it has Hangul.

    Returns:
        The number of Han characters out of place.
    """
    if kana:
        return sum(not _encodable(char, "cp932") for char in han)
    if hangul:
        return sum(not _encodable(char, "cp949") for char in han)
    traditional_only = sum(not _encodable(char, "gb2312") for char in han)
    simplified_only = sum(not _encodable(char, "cp950") for char in han)
    return min(traditional_only, simplified_only)


def _frequency_fit(script: str, share: float) -> float:
    """Map the share of frequent letters to a fit in [0, 1].

    In running text of an alphabetic script the top 14 letters make up about 80% of the
    letters, against about 40% for a random mapping; the top Han, kana or Hangul lists
    cover about 30% of CJK text and a few percent of mojibake.

    Args:
        script: Script key of the frequency table.
        share: Share of the script's letters that are frequent ones.

    Returns:
        The fit.
    """
    if script in ("cjk", "hangul"):
        return min(1.0, share / 0.3)
    return max(0.0, min(1.0, (share - 0.4) / 0.4))


def _best_overlap(counts: Counter[str], sets: list[frozenset[str]]) -> int:
    """The most occurrences that fall into one of the sets."""
    return max(sum(counts[char] for char in counts.keys() & chosen) for chosen in sets)


def plausibility(text: str, max_tokens: int = MAX_TOKENS) -> float:
    """Score how much a decoded text reads like real text.

    Args:
        text: A decoded (sample of a) text.
        max_tokens: How many tokens holding non-ASCII characters are looked at.

    Returns:
        A score, about 1.5 to 1.7 for clean text in a known script, lower the more it
        looks like mojibake (random bytes score about 0.3). Pure ASCII scores 1.5.
    """
    # Tokens are cut to a bounded length: CJK text has few spaces, so a token can be a
    # whole paragraph.
    tokens = list(
        islice(
            (token[:_MAX_TOKEN_CHARS] for token in text.split() if not token.isascii()),
            max_tokens,
        )
    )
    if not tokens:
        return 1.5
    non_ascii = 0
    bad = 0.0
    flipped = 0
    mixed = 0
    latin_extra: list[str] = []
    by_script: dict[str, list[str]] = {}
    for token in tokens:
        token_bad, flip, mix = _word_checks(token)
        bad += token_bad
        flipped += flip
        mixed += mix
        for char in token:
            if char.isascii():
                continue
            non_ascii += 1
            weight, kind, script = _char_class(char)
            bad += weight
            if kind != _LETTER:
                continue
            lower = char.lower()
            if script == "latin":
                latin_extra.append(lower)
            else:
                by_script.setdefault(script, []).append(lower)
    kana = len(by_script.get("kana", ()))
    han = len(by_script.get("han", ()))
    if kana and kana < _MIN_KANA_SHARE * (kana + han):
        bad += 0.5 * kana
    if han:
        bad += _han_inconsistency(by_script["han"], bool(kana), "hangul" in by_script)
    # Korean text writes the 2,350 common syllables of KS X 1001; mojibake read as
    # Johab or UHC gives the other 8,822 as often as not.
    # (Python's euc_kr spells those as 8-byte jamo sequences, hence the length test.)
    bad += sum(_ks_uncommon(char) for char in by_script.get("hangul", ()) if char >= "\uac00")
    # Relative badness, plus a little per bad character so that one misread letter
    # still counts in a long text.
    score = 1.0 - 3.0 * bad / non_ascii - min(_MAX_ABSOLUTE_BAD, _ABSOLUTE_BAD * bad)
    score -= 1.5 * flipped / len(tokens) + 1.5 * mixed / len(tokens)
    letters = len(latin_extra) + sum(len(chars) for chars in by_script.values())
    if not letters:
        score += 0.5  # nothing to judge the alphabet by: neutral, like a perfect fit
    else:
        fit = 0.0
        if latin_extra:
            fit += _best_overlap(Counter(latin_extra), _LATIN_SETS)
        for script, chars in (("latin", latin_extra), ("cyrillic", by_script.get("cyrillic"))):
            if chars:
                types = set(chars)
                misfits = min(len(types - s) for s in _ALPHABET_SETS[script])
                score -= min(_MAX_MISFIT_PENALTY, _MISFIT_PENALTY * misfits)
        for script, chars in by_script.items():
            key = "cjk" if script in ("han", "kana") else script
            sets = _FREQUENT.get(key)
            if sets is None:
                fit += 0.5 * len(chars)  # a script without a table: neutral
                continue
            frequent = _best_overlap(Counter(chars), sets)
            fit += len(chars) * _frequency_fit(key, frequent / len(chars))
        score += 0.5 * fit / letters
    return score
