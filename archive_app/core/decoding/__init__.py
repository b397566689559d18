"""Decode the raw bytes of saved article text files into normalised text.

Modules: ``signatures`` (BOMs, binary formats, BOM-less UTF-16/32), ``helpers`` (error
handlers, warnings, samples, mostly-UTF-8 repair), ``candidates`` (which encodings are in
play), ``scoring`` (the plausibility rule that decides between them) and ``legacy`` (the
decision, its confidence and its warning).
"""

from __future__ import annotations

from archive_app.core.decoding.candidates import rank_candidates
from archive_app.core.decoding.helpers import (
    _MAX_CONTROL_SHARE,
    _MAX_LEGACY_CONTROL_SHARE,
    _MAX_NUL_COUNT_ALWAYS_TEXT,
    _MAX_NUL_SHARE,
    _STATS_SAMPLE,
    _control_share,
    _decode_mostly_utf8,
    _decode_replacing,
    _detection_sample,
    _percent,
    _plural,
    _remove_nul_chars,
    _replacement_warning,
    normalize_newlines,
)
from archive_app.core.decoding.legacy import (
    confidence_of,
    decode_iso2022,
    decode_legacy,
    known_codec,
)
from archive_app.core.decoding.result import (
    DecodedText,
    Decoding,
    NotTextError,
)
from archive_app.core.decoding.signatures import (
    _binary_kind,
    _decode_with_bom,
    _detect_wide,
)

__all__ = [
    "DecodedText",
    "Decoding",
    "NotTextError",
    "decode_as",
    "decode_bytes",
    "normalize_newlines",
    "plausible_decodings",
]


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

    # 7-bit ISO-2022 and HZ text (escape sequences; ISO-2022-KR's shift bytes would count
    # as control bytes). isascii() stops at the first non-ASCII byte: UTF-8 text pays nothing.
    if data.isascii() and (b"\x1b" in data or b"~{" in data):
        seven_bit = decode_iso2022(data)
        if seven_bit is not None:
            return DecodedText(
                normalize_newlines(seven_bit.text), seven_bit.encoding, (), seven_bit.confidence
            )

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
        result = _decode_mostly_utf8(data, detection_sample) or decode_legacy(
            data, detection_sample
        )
    return DecodedText(
        normalize_newlines(result.text),
        result.encoding,
        (*warnings, *result.warnings),
        result.confidence,
        result.alternatives,
    )


def decode_as(data: bytes, encoding: str) -> DecodedText:
    """Decode bytes with a chosen codec (the archivist's "Re-decode as...").

    A byte-order mark matching the codec is dropped; NUL characters are removed and
    newlines normalised as in :func:`decode_bytes`.

    Args:
        data: The raw file contents.
        encoding: Any codec name Python knows (``"cp1255"``, ``"ISO-8859-7"``...).

    Returns:
        The text, with ``encoding`` set to the canonical codec name, confidence 1.0 and a
        warning counting the bytes that were replaced with U+FFFD, if any.

    Raises:
        LookupError: If Python knows no such text encoding.
    """
    codec = known_codec(encoding)
    data = bytes(data)
    warnings: list[str] = []
    if codec == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text, replaced = _decode_replacing(data, codec)
    if replaced:
        unit = "byte" if len(codec_probe := "a".encode(codec)) == 1 else "byte sequence"
        del codec_probe
        warnings.append(_replacement_warning(replaced, f"decoded as {codec}", unit))
    text = text.removeprefix("\ufeff")
    text = _remove_nul_chars(text, warnings)
    return DecodedText(normalize_newlines(text), codec, tuple(warnings))


def plausible_decodings(data: bytes, limit: int = 6) -> list[Decoding]:
    """Plausible readings of some bytes, best first, each giving a different text.

    The first entry is what :func:`decode_bytes` chose (unless the data is binary); the
    others are the legacy encodings ranked by the plausibility rule. Meant for the GUI's
    "Re-decode as..." dialog and ``reparse --encoding``.

    Args:
        data: The raw file contents.
        limit: Maximum number of entries.

    Returns:
        Up to ``limit`` decodings with canonical codec names, confidences in [0, 1] and
        full texts (newlines normalised).
    """
    data = bytes(data)
    found: list[Decoding] = []
    seen: set[str] = set()
    try:
        chosen = decode_bytes(data)
    except NotTextError:
        pass
    else:
        found.append(Decoding(known_codec(chosen.encoding), chosen.confidence, chosen.text))
        seen.add(chosen.text)
    if not data or limit <= len(found):
        return found[:limit]
    sample = _detection_sample(data.replace(b"\0", b""))
    candidates = rank_candidates(sample, exhaustive=True)
    for index, candidate in enumerate(candidates):
        if len(found) >= limit:
            break
        text = decode_as(data, candidate.codec).text
        if text in seen:
            continue
        seen.add(text)
        confidence = confidence_of(candidates[index:]) if index == 0 else 0.0
        if index:
            # A runner-up's confidence: its plausibility relative to the winner's.
            confidence = round(max(0.0, min(1.0, candidate.score / candidates[0].score)) / 2, 3)
        if found:  # best first: never more confident than an entry above
            confidence = min(confidence, found[-1].confidence)
        found.append(Decoding(candidate.codec, confidence, text))
    return found
