"""Byte-order marks, binary signatures and BOM-less UTF-16/32."""

from __future__ import annotations

import codecs
import re
from typing import Final

from archive_app.core.decoding.helpers import (
    _ASCII_PAIR_CHARS,
    _MAX_ASCII_PAIR_SHARE,
    _MAX_CONTROL_SHARE,
    _QUICK_UTF8_SAMPLE,
    _STATS_SAMPLE,
    _WIDE_TEXT_CHARS,
    _control_char_share,
    _control_share,
    _decode_replacing,
    _remove_nul_chars,
    _repair_utf8,
    _replacement_warning,
    normalize_newlines,
)
from archive_app.core.decoding.result import DecodedText

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

#: The magic bytes at offset 0, for one ``startswith`` over them all (text files match none).
_MAGICS_AT_START: Final = tuple(magic for offset, magic, _kind in _SIGNATURES if offset == 0)
_MAGICS_AT_FOUR: Final = tuple(magic for offset, magic, _kind in _SIGNATURES if offset == 4)
assert len(_MAGICS_AT_START) + len(_MAGICS_AT_FOUR) == len(_SIGNATURES)

_BZIP2_RE: Final = re.compile(rb"BZh[1-9]1AY&SY")
_ID3_RE: Final = re.compile(rb"ID3[\x02-\x04]\x00")


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
    if data.startswith(_MAGICS_AT_START) or data.startswith(_MAGICS_AT_FOUR, 4):
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
    if quads == 0 or b"\0" not in sample:
        return None  # every test below needs NUL bytes in the sample
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
