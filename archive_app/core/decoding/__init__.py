"""Decode the raw bytes of saved article text files into normalised text."""

from __future__ import annotations

from archive_app.core.decoding.candidates import (
    _decode_legacy,
)
from archive_app.core.decoding.helpers import (
    _MAX_CONTROL_SHARE,
    _MAX_LEGACY_CONTROL_SHARE,
    _MAX_NUL_COUNT_ALWAYS_TEXT,
    _MAX_NUL_SHARE,
    _STATS_SAMPLE,
    _control_share,
    _decode_mostly_utf8,
    _detection_sample,
    _percent,
    _plural,
    normalize_newlines,
)
from archive_app.core.decoding.result import (
    DecodedText,
    NotTextError,
)
from archive_app.core.decoding.signatures import (
    _binary_kind,
    _decode_with_bom,
    _detect_wide,
)

__all__ = ["DecodedText", "NotTextError", "decode_bytes", "normalize_newlines"]


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
