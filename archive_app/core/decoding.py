"""Decode the raw bytes of saved article text files into normalised text."""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass
from typing import Final

import charset_normalizer

__all__ = ["DecodedText", "NotTextError", "decode_bytes", "normalize_newlines"]


@dataclass(frozen=True)
class DecodedText:
    """The result of decoding a text file.

    Attributes:
        text: The decoded text, without byte-order mark, with every CRLF and
            lone CR turned into LF.
        encoding: Lower-case Python codec name that was used, e.g. ``"utf-8"``,
            ``"utf-8-sig"``, ``"utf-16"`` (file with a BOM), ``"utf-16-le"``
            (file without a BOM), ``"cp1252"``, ``"koi8-r"`` or ``"euc-jp"``.
            Pure ASCII is reported as ``"utf-8"``. When ``warnings`` is empty,
            decoding the original bytes with this codec gives ``text`` (up to
            newline normalisation), so it can be used to save the file back.
        warnings: Human-readable notes about anything that was altered or
            guessed, e.g. ``"3 NUL bytes removed"``.
    """

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


class NotTextError(ValueError):
    """The bytes are not text (binary file).

    ``str(exc)`` is a one-line reason such as
    ``"not a text file: looks like a PNG image"`` or
    ``"not a text file: 31% control bytes"``.
    """


# --------------------------------------------------------------------------
# Tunables
# --------------------------------------------------------------------------

#: Bytes inspected for control-byte and UTF-16/32 statistics.
_STATS_SAMPLE: Final = 64 * 1024
#: More control bytes than this (share of the stats sample) means binary.
_MAX_CONTROL_SHARE: Final = 0.10
#: Stricter limit for data that is not UTF-8 (legacy text never has this many).
_MAX_LEGACY_CONTROL_SHARE: Final = 0.05
#: Max share of BOM-less UTF-16 characters that are just two ASCII bytes.
_MAX_ASCII_PAIR_SHARE: Final = 0.6
#: NUL bytes (excluding trailing padding) below this share are removed.
_MAX_NUL_SHARE: Final = 0.01
#: ... and a few stray NULs are removed whatever the file's size (a short article with one).
_MAX_NUL_COUNT_ALWAYS_TEXT: Final = 4
#: Size of the head and of the tail sample used for legacy-encoding detection.
_DETECTION_HALF_SAMPLE: Final = 128 * 1024
#: Share of high bytes that must look Western for the cp1252 rule to apply.
_MIN_WESTERN_SHARE: Final = 0.9
#: Maximum share of non-ASCII letters among all letters for the cp1252 rule.
_MAX_WESTERN_DENSITY: Final = 0.5
#: Size of the first, quick mostly-UTF-8 check.
_QUICK_UTF8_SAMPLE: Final = 16 * 1024
#: Mostly-UTF-8 data needs this many valid non-ASCII characters per bad byte.
_MIN_VALID_PER_INVALID_UTF8: Final = 4

_CONTROL_BYTES: Final = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x20)) + b"\x7f"
_CONTROL_CHARS: Final = dict.fromkeys(_CONTROL_BYTES)
#: Characters of real scripts, for checking BOM-less UTF-16: ASCII text,
#: Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, Indic, Thai,
#: Vietnamese, punctuation, currency, CJK, kana, Hangul, full-width forms.
_WIDE_TEXT_CHARS: Final = re.compile(
    "[\t\n\f\r\x20-\x7e\xa0-\u024f\u0370-\u06ff\u0900-\u0e7f\u1e00-\u1eff"
    "\u2000-\u206f\u20a0-\u20cf\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7a3\uff00-\uffef]"
)
#: UTF-16 code units whose two bytes are both printable ASCII.
_ASCII_PAIR_CHARS: Final = re.compile(
    "[" + "".join(f"{chr(hi << 8 | 0x20)}-{chr(hi << 8 | 0x7E)}" for hi in range(0x20, 0x7F)) + "]"
)
_ASCII_LETTERS: Final = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CP1252_UNDEFINED: Final = frozenset(b"\x81\x8d\x8f\x90\x9d")

# --------------------------------------------------------------------------
# Byte-order marks and binary signatures
# --------------------------------------------------------------------------

#: (BOM, codec used on the bytes after the BOM, reported encoding name).
#: UTF-32-LE must come before UTF-16-LE: its BOM starts with the UTF-16 one.
_BOMS: Final[tuple[tuple[bytes, str, str], ...]] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

#: (offset, magic bytes, description) of common binary formats.
_SIGNATURES: Final[tuple[tuple[int, bytes, str], ...]] = (
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (0, b"\x00\x00\x01\x00", "an icon (ICO) file"),
    (0, b"%PDF-", "a PDF document"),
    (0, b"PK\x03\x04", "a ZIP archive (or a .docx/.odt/.epub document)"),
    (0, b"PK\x05\x06", "a ZIP archive (or a .docx/.odt/.epub document)"),
    (0, b"PK\x07\x08", "a ZIP archive (or a .docx/.odt/.epub document)"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office 97-2003 document"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"\xfd7zXZ\x00", "an xz archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (0, b"\x7fELF", "an ELF executable"),
    (0, b"\xfe\xed\xfa\xce", "a Mach-O executable"),
    (0, b"\xfe\xed\xfa\xcf", "a Mach-O executable"),
    (0, b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (0, b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (0, b"\xca\xfe\xba\xbe", "a Java class file or Mach-O executable"),
    (0, b"\x00asm", "a WebAssembly module"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
    (0, b"OggS\x00", "an Ogg media file"),
    (0, b"\x1a\x45\xdf\xa3", "a Matroska/WebM media file"),
    (4, b"ftyp", "an MP4/QuickTime media file"),
)

_BZIP2_RE: Final = re.compile(rb"BZh[1-9]1AY&SY")
_ID3_RE: Final = re.compile(rb"ID3[\x02-\x04]\x00")

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
_HIGH_BYTE: Final = re.compile(rb"[\x80-\xff]")
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

# --------------------------------------------------------------------------
# Counting error handlers
# --------------------------------------------------------------------------

_COUNTING_REPLACE: Final = "archive_app.decoding.counting_replace"
_CP1252_REPAIR: Final = "archive_app.decoding.cp1252_repair"
_counters = threading.local()


def _counting_replace(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: like ``"replace"`` but counts replacements.

    Args:
        exc: The decoding error raised by the codec.

    Returns:
        One U+FFFD and the position to resume decoding at.

    Raises:
        UnicodeError: If ``exc`` is not a decoding error.
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _counters.replaced += 1
    return "\ufffd", exc.end


def _cp1252_repair(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode bytes that are not UTF-8 as cp1252.

    Args:
        exc: The decoding error raised by the UTF-8 codec.

    Returns:
        The offending bytes decoded as cp1252 and the position to resume at.

    Raises:
        UnicodeError: If ``exc`` is not a decoding error.
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    _counters.repaired += len(bad)
    _counters.replaced += sum(1 for byte in bad if byte in _CP1252_UNDEFINED)
    return bad.decode("cp1252", errors="replace"), exc.end


codecs.register_error(_COUNTING_REPLACE, _counting_replace)
codecs.register_error(_CP1252_REPAIR, _cp1252_repair)


def _decode_replacing(data: bytes, codec: str) -> tuple[str, int]:
    """Decode, replacing undecodable sequences with U+FFFD.

    Args:
        data: The bytes to decode.
        codec: A Python codec name.

    Returns:
        The text and the number of U+FFFD characters inserted.
    """
    _counters.replaced = 0
    text = data.decode(codec, _COUNTING_REPLACE)
    return text, int(_counters.replaced)


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _plural(count: int, noun: str) -> str:
    """Format a count with a noun, e.g. ``"1 byte"`` or ``"3 bytes"``.

    Args:
        count: How many.
        noun: Singular noun.

    Returns:
        The count followed by the (possibly pluralised) noun.
    """
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _percent(share: float) -> str:
    """Format a share in [0, 1] as a short percentage.

    Args:
        share: The share to format.

    Returns:
        E.g. ``"31%"`` or ``"2.5%"``.
    """
    return f"{share * 100:.1f}%" if share < 0.1 else f"{share * 100:.0f}%"


def _replacement_warning(count: int, detail: str, unit: str = "byte sequence") -> str:
    """Build the warning for characters replaced with U+FFFD.

    Args:
        count: Number of replacement characters inserted.
        detail: Parenthesised explanation, without the parentheses.
        unit: What one replacement stands for: ``"byte"`` for single-byte
            codecs, ``"byte sequence"`` otherwise.

    Returns:
        The warning text, e.g. ``"12 undecodable bytes replaced with U+FFFD
        (encoding guessed as cp1252)"``.
    """
    return f"{_plural(count, 'undecodable ' + unit)} replaced with U+FFFD ({detail})"


def _remove_nul_chars(text: str, warnings: list[str]) -> str:
    """Remove U+0000 characters, recording a warning if there were any.

    Args:
        text: Decoded text.
        warnings: List the warning is appended to.

    Returns:
        The text without NUL characters.
    """
    count = text.count("\0")
    if count:
        warnings.append(f"{_plural(count, 'NUL character')} removed")
        return text.replace("\0", "")
    return text


def _control_share(sample: bytes) -> float:
    """Share of control bytes (C0 except TAB/LF/VT/FF/CR, plus DEL) in a sample.

    Args:
        sample: Non-empty bytes.

    Returns:
        A share in [0, 1].
    """
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


def _control_char_share(text: str) -> float:
    """Share of control characters in (the start of) a decoded text.

    Args:
        text: Decoded text.

    Returns:
        A share in [0, 1]; 0 for an empty text.
    """
    sample = text[: _STATS_SAMPLE // 2]
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(_CONTROL_CHARS))) / len(sample)


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR line endings into LF.

    Args:
        text: Any text.

    Returns:
        The text with ``"\\r\\n"`` and ``"\\r"`` replaced by ``"\\n"``.
    """
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------
# Decision steps
# --------------------------------------------------------------------------


def _decode_with_bom(data: bytes) -> DecodedText | None:
    """Decode data that starts with a Unicode byte-order mark.

    Args:
        data: Non-empty file contents.

    Returns:
        The decoded text, or None if there is no BOM.
    """
    for bom, codec, reported in _BOMS:
        if not data.startswith(bom):
            continue
        body = data[len(bom) :]
        warnings: list[str] = []
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            if bom == codecs.BOM_UTF32_LE:
                # FF FE 00 00 may also be a UTF-16-LE BOM followed by U+0000.
                try:
                    text = data[2:].decode("utf-16-le")
                except UnicodeDecodeError:
                    pass
                else:
                    text = _remove_nul_chars(text, warnings)
                    return DecodedText(normalize_newlines(text), "utf-16", tuple(warnings))
            text, replaced = _decode_replacing(body, codec)
            warnings.append(
                _replacement_warning(replaced, f"invalid {reported} despite the byte-order mark")
            )
        text = _remove_nul_chars(text, warnings)
        return DecodedText(normalize_newlines(text), reported, tuple(warnings))
    return None


def _binary_kind(data: bytes) -> str | None:
    """Recognise well-known binary file signatures.

    Args:
        data: Non-empty file contents.

    Returns:
        A description such as ``"a PNG image"``, or None.
    """
    for offset, magic, kind in _SIGNATURES:
        if data.startswith(magic, offset):
            return kind
    if data.startswith(b"RIFF") and len(data) >= 12:
        form = data[8:12]
        if form == b"WEBP":
            return "a WebP image"
        if form == b"WAVE":
            return "a WAV audio file"
        if form == b"AVI ":
            return "an AVI video"
        return "a RIFF media file"
    if _BZIP2_RE.match(data):
        return "a bzip2 archive"
    if _ID3_RE.match(data):
        return "an MP3 audio file"
    if data.startswith(b"MZ") and len(data) >= 0x40:
        pe_offset = int.from_bytes(data[0x3C:0x40], "little")
        if data.startswith(b"PE\x00\x00", pe_offset):
            return "a Windows executable"
    return None


def _looks_like_utf8(sample: bytes) -> bool:
    """Whether a sample reads as (mostly valid) UTF-8 text.

    UTF-16 in Cyrillic or Greek consists of bytes below 0x80 only, so it is
    technically valid UTF-8 too, but full of control bytes.

    Args:
        sample: The start of a file.

    Returns:
        True if the sample is mostly valid UTF-8 with few control bytes.
    """
    quick = sample[:_QUICK_UTF8_SAMPLE]
    return _control_share(quick) <= _MAX_CONTROL_SHARE and _repair_utf8(quick) is not None


def _is_plausible_wide_text(text: str) -> bool:
    """Whether text decoded from BOM-less UTF-16 reads like real text.

    Checked when the only evidence is where the NUL bytes are: nearly all
    characters must come from the blocks that real scripts use, and the
    non-ASCII characters must not merely be pairs of ASCII bytes, which is
    what 8-bit text read as UTF-16 gives.

    Args:
        text: The decoded text.

    Returns:
        True if the text is plausible.
    """
    head = text[: _STATS_SAMPLE // 2]
    non_ascii = len(head) - len(head.encode("ascii", "ignore"))
    if not non_ascii:
        return False
    outside = len(_WIDE_TEXT_CHARS.sub("", head))
    ascii_pairs = len(_ASCII_PAIR_CHARS.findall(head))
    return outside <= 0.05 * len(head) and ascii_pairs <= _MAX_ASCII_PAIR_SHARE * non_ascii


def _decode_wide(data: bytes, codec: str, *, check_script: bool = False) -> DecodedText | None:
    """Decode BOM-less UTF-16/32 that was recognised from its byte pattern.

    Args:
        data: The whole file.
        codec: ``"utf-16-le"``, ``"utf-16-be"``, ``"utf-32-le"`` or
            ``"utf-32-be"``.
        check_script: Also require :func:`_is_plausible_wide_text` (used when
            the evidence is weaker than the Latin-script NUL pattern).

    Returns:
        The decoded text, or None if the data is not plausible text in
        that encoding.
    """
    warnings: list[str] = []
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        text, replaced = _decode_replacing(data, codec)
        if replaced > max(1, len(text) // 1000):
            return None
        warnings.append(_replacement_warning(replaced, f"invalid {codec}"))
    if _control_char_share(text) > _MAX_CONTROL_SHARE:
        return None
    if check_script and not _is_plausible_wide_text(text):
        return None
    text = _remove_nul_chars(text, warnings)
    return DecodedText(normalize_newlines(text), codec, tuple(warnings))


def _detect_wide(data: bytes) -> DecodedText | None:
    """Detect and decode UTF-32 or UTF-16 without a BOM.

    UTF-32 has NULs in three bytes out of four. UTF-16 text in a Latin
    script has a NUL in nearly every high-order byte. In other scripts there
    are fewer NULs (spaces, digits, newlines), so if the data has NULs but
    does not read as UTF-8, the decoded text itself is checked.

    Args:
        data: The whole file.

    Returns:
        The decoded text, or None if the data does not look like BOM-less
        UTF-16/32.
    """
    sample = data[:_STATS_SAMPLE]
    quads = len(sample) // 4
    if quads == 0:
        return None
    sample = sample[: quads * 4]
    lanes = [sample[i::4] for i in range(4)]
    if not lanes[3].strip(b"\0") and max(lanes[2]) <= 0x10 and lanes[0].count(0) <= quads // 10:
        result = _decode_wide(data, "utf-32-le")
        if result is not None:
            return result
    if not lanes[0].strip(b"\0") and max(lanes[1]) <= 0x10 and lanes[3].count(0) <= quads // 10:
        result = _decode_wide(data, "utf-32-be")
        if result is not None:
            return result
    sample = data[: min(len(data), _STATS_SAMPLE) // 2 * 2]
    pairs = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls > 0.4 * pairs and even_nuls < 0.1 * pairs:
        return _decode_wide(data, "utf-16-le")
    if even_nuls > 0.4 * pairs and odd_nuls < 0.1 * pairs:
        return _decode_wide(data, "utf-16-be")
    if (odd_nuls or even_nuls) and not _looks_like_utf8(sample):
        codecs_by_evidence = ("utf-16-le", "utf-16-be")
        if even_nuls > odd_nuls:
            codecs_by_evidence = ("utf-16-be", "utf-16-le")
        for codec in codecs_by_evidence:
            result = _decode_wide(data, codec, check_script=True)
            if result is not None:
                return result
    return None


def _repair_utf8(data: bytes) -> tuple[str, int, int] | None:
    """Decode UTF-8, decoding stray non-UTF-8 bytes as cp1252.

    Args:
        data: Bytes that are not strictly valid UTF-8.

    Returns:
        The text, the number of repaired bytes and the number of those that
        became U+FFFD; None if the data is not mostly UTF-8.
    """
    _counters.repaired = 0
    _counters.replaced = 0
    text = data.decode("utf-8", _CP1252_REPAIR)
    repaired = int(_counters.repaired)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if non_ascii - repaired < _MIN_VALID_PER_INVALID_UTF8 * repaired:
        return None
    return text, repaired, int(_counters.replaced)


def _decode_mostly_utf8(data: bytes, sample: bytes) -> DecodedText | None:
    """Decode UTF-8 that contains a few stray non-UTF-8 bytes.

    Such files usually come from pasting cp1252 text into a UTF-8 file, so
    the stray bytes are decoded as cp1252 (with a warning).

    Args:
        data: Bytes that are not strictly valid UTF-8.
        sample: Bounded sample of ``data`` checked first, so that large
            legacy-encoded files are rejected quickly.

    Returns:
        The repaired text, or None if the data is not mostly UTF-8.
    """
    quick = sample[:_QUICK_UTF8_SAMPLE]
    cut = quick.rfind(b"\n")
    if cut > 0:
        quick = quick[:cut]
    for part in (quick, sample):
        if len(part) < len(data) and _repair_utf8(part) is None:
            return None
    repaired_text = _repair_utf8(data)
    if repaired_text is None:
        return None
    text, repaired, replaced = repaired_text
    what = "byte that was" if repaired == 1 else "bytes that were"
    warnings = [f"{repaired} {what} not valid UTF-8 decoded as cp1252"]
    if replaced:
        warnings.append(_replacement_warning(replaced, "undefined in cp1252", "byte"))
    return DecodedText(text, "utf-8", tuple(warnings))


def _detection_sample(data: bytes) -> bytes:
    """Bounded sample of the data for the legacy-encoding heuristics.

    Large inputs are reduced to their head and tail, plus a window from the
    first non-ASCII byte if head and tail are pure ASCII. Pieces are cut at
    line breaks so that no multi-byte character is split (LF is never part
    of a multi-byte character in the candidate encodings).

    Args:
        data: The whole file.

    Returns:
        The data itself if small, else the pieces joined by LF.
    """
    if len(data) <= 2 * _DETECTION_HALF_SAMPLE:
        return data
    head = data[:_DETECTION_HALF_SAMPLE]
    cut = head.rfind(b"\n")
    if cut > 0:
        head = head[:cut]
    tail = data[-_DETECTION_HALF_SAMPLE:]
    cut = tail.find(b"\n")
    if 0 <= cut < len(tail) - 1:
        tail = tail[cut + 1 :]
    sample = head + b"\n" + tail
    if sample.isascii():
        first_high = _HIGH_BYTE.search(data)
        if first_high is not None:
            # The first non-ASCII byte always starts a character.
            window = data[first_high.start() : first_high.start() + _DETECTION_HALF_SAMPLE]
            cut = window.rfind(b"\n")
            if cut > 0:
                window = window[:cut]
            sample += b"\n" + window
    return sample


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


def decode_bytes(data: bytes) -> DecodedText:
    """Turn the bytes of a saved article text file into text.

    Decision order: empty input; Unicode byte-order marks; known binary
    signatures; BOM-less UTF-16/32; NUL and control-byte checks; strict
    UTF-8 (mostly-UTF-8 with a few stray cp1252 bytes is repaired); then
    legacy encodings (cp1252 for Western text, otherwise cp1251, KOI8-R,
    cp1256, GB18030, Big5, Shift_JIS or EUC-JP). Newlines are normalised
    to LF in every case.

    Args:
        data: The raw file contents.

    Returns:
        The decoded text with the encoding used and any warnings.

    Raises:
        NotTextError: If the data is recognisably binary.
    """
    data = bytes(data)
    if not data:
        return DecodedText("", "utf-8", ())

    with_bom = _decode_with_bom(data)
    if with_bom is not None:
        return with_bom

    kind = _binary_kind(data)
    if kind is not None:
        raise NotTextError(f"not a text file: looks like {kind}")

    wide = _detect_wide(data)
    if wide is not None:
        return wide

    # Trailing NUL padding (e.g. from an interrupted save) is not evidence
    # of a binary file, so it is left out of the statistics.
    nul_count = data.count(0)
    body = data.rstrip(b"\0") if nul_count else data
    if not body:
        raise NotTextError("not a text file: contains only NUL bytes")
    control = _control_share(body[:_STATS_SAMPLE])
    if control > _MAX_CONTROL_SHARE:
        raise NotTextError(f"not a text file: {_percent(control)} control bytes")

    warnings: list[str] = []
    if nul_count:
        inner_nuls = body.count(0)
        if inner_nuls > _MAX_NUL_COUNT_ALWAYS_TEXT and inner_nuls >= _MAX_NUL_SHARE * len(body):
            raise NotTextError(f"not a text file: {_percent(inner_nuls / len(body))} NUL bytes")
        data = body.replace(b"\0", b"") if inner_nuls else body
        warnings.append(f"{_plural(nul_count, 'NUL byte')} removed")

    try:
        result = DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        if control > _MAX_LEGACY_CONTROL_SHARE:
            raise NotTextError(f"not a text file: {_percent(control)} control bytes") from None
        detection_sample = _detection_sample(data)
        result = _decode_mostly_utf8(data, detection_sample) or _decode_legacy(
            data, detection_sample
        )
    return DecodedText(
        normalize_newlines(result.text), result.encoding, (*warnings, *result.warnings)
    )
