"""Shared helpers: counting error handlers, warning wording, newlines, samples."""

from __future__ import annotations

import codecs
import re
import threading
from typing import Final

from archive_app.core.decoding.result import DecodedText

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

_HIGH_BYTE: Final = re.compile(rb"[\x80-\xff]")

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
