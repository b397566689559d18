"""The legacy-encoding decision: pick the most plausible reading and say how sure it is."""

from __future__ import annotations

import codecs
from typing import Final

from archive_app.core.decoding.candidates import (
    Candidate,
    canonical,
    rank_candidates,
    reported_name,
)
from archive_app.core.decoding.helpers import (
    _decode_replacing,
    _replacement_warning,
)
from archive_app.core.decoding.result import DOUBTFUL_CONFIDENCE, DecodedText
from archive_app.core.decoding.scoring import plausibility

#: A runner-up within this score of the winner (and giving another text) is an alternative.
ALTERNATIVE_MARGIN: Final = 0.1
#: Winner's score at and above which the absolute plausibility is full (clean text ~1.5).
_FULL_SCORE: Final = 1.3
#: Winner's score at and below which nothing is plausible (random bytes score ~0.3).
_NO_SCORE: Final = 0.7
#: Margin over the runner-up that gives full confidence.
_FULL_MARGIN: Final = 0.2
#: At most this many alternatives are named.
_MAX_ALTERNATIVES: Final = 2
#: ISO-2022 codecs tried on 7-bit data with escape sequences (most specific last).
_ISO2022_CODECS: Final = ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext", "iso2022_kr")
#: HZ-encoded Chinese needs this many characters that are not ASCII.
_MIN_HZ_CHARS: Final = 4


def confidence_of(candidates: list[Candidate]) -> float:
    """Confidence in the first candidate, from its score and its margin.

    Args:
        candidates: Ranked candidates (non-empty).

    Returns:
        ``min(absolute, margin)`` in [0, 1], where *absolute* rises linearly from 0 at
        score 0.7 to 1 at score 1.3 and *margin* from 0 at no lead to 1 at a lead of 0.2.
    """
    best = candidates[0]
    absolute = (best.score - _NO_SCORE) / (_FULL_SCORE - _NO_SCORE)
    margin = 1.0
    if len(candidates) > 1:
        margin = (best.score - candidates[1].score) / _FULL_MARGIN
    return round(max(0.0, min(1.0, absolute, margin)), 3)


def alternatives_of(candidates: list[Candidate]) -> tuple[str, ...]:
    """Runner-up codecs close in score to the first candidate (they give other texts).

    Args:
        candidates: Ranked candidates (non-empty).

    Returns:
        Canonical codec names, best first.
    """
    best = candidates[0].score
    close = [c.codec for c in candidates[1:] if best - c.score <= ALTERNATIVE_MARGIN]
    return tuple(close[:_MAX_ALTERNATIVES])


def doubt_warning(codec: str, alternatives: tuple[str, ...]) -> str:
    """The warning for a doubtful decoding.

    Args:
        codec: Canonical name of the codec used.
        alternatives: Canonical names of the close runners-up.

    Returns:
        E.g. ``"decoded as cp1251; could also be cp1255"``, or the historical
        ``"encoding could not be determined reliably; decoded as cp1251"`` without any.
    """
    if alternatives:
        return f"decoded as {codec}; could also be {', '.join(alternatives)}"
    return f"encoding could not be determined reliably; decoded as {codec}"


def decode_iso2022(data: bytes) -> DecodedText | None:
    """Decode 7-bit ISO-2022 (Japanese, Korean) or HZ (Chinese) text.

    Such files are pure ASCII bytes, so they would pass as UTF-8 (or, with ISO-2022-KR's
    shift bytes, as binary); their escape sequences identify them.

    Args:
        data: File contents (ASCII only).

    Returns:
        The decoded text (newlines not yet normalised), or None.
    """
    if b"\x1b" in data:
        for codec in _ISO2022_CODECS:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x1b" not in text and not text.isascii():
                return DecodedText(text, codecs.lookup(codec).name, confidence=0.95)
    if b"~{" in data:
        try:
            text = data.decode("hz")
        except UnicodeDecodeError:
            return None
        wide = len(text) - len(text.encode("ascii", "ignore"))
        if wide >= _MIN_HZ_CHARS and plausibility(text) >= _FULL_SCORE:
            return DecodedText(text, "hz", confidence=0.95)
    return None


def decode_legacy(data: bytes, sample: bytes) -> DecodedText:
    """Decode bytes in a legacy (non-Unicode) encoding.

    Args:
        data: NUL-free bytes that are not valid UTF-8.
        sample: Bounded sample of ``data`` used for the detection.

    Returns:
        The decoded text (newlines not yet normalised), with its confidence, the close
        alternatives and, when doubtful, a ``decoded as X; could also be Y`` warning.
    """
    candidates = rank_candidates(sample)
    confidence = confidence_of(candidates) if candidates else 0.0
    if not candidates or (confidence == 0.0 and candidates[0].score <= _NO_SCORE):
        text, replaced = _decode_replacing(data, "cp1252")
        if replaced:
            warning = _replacement_warning(replaced, "encoding guessed as cp1252", "byte")
        else:
            warning = doubt_warning("cp1252", ())
        return DecodedText(text, "cp1252", (warning,), confidence=0.0)
    best = candidates[0]
    warnings: list[str] = []
    for codec in (best.codec, *best.aliases):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        break
    else:
        codec = best.codec
        text, replaced = _decode_replacing(data, codec)
        warnings.append(_replacement_warning(replaced, f"encoding guessed as {codec}", "byte"))
    alternatives = alternatives_of(candidates)
    if alternatives or confidence < DOUBTFUL_CONFIDENCE:
        warnings.append(doubt_warning(codec, alternatives))
    return DecodedText(text, reported_name(codec), tuple(warnings), confidence, alternatives)


def known_codec(encoding: str) -> str:
    """Canonical name of any codec Python knows.

    Args:
        encoding: A codec name or alias.

    Returns:
        ``codecs.lookup(encoding).name``.

    Raises:
        LookupError: If Python has no such codec, or it is not a text encoding.
    """
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise LookupError(
            f"unknown encoding {encoding!r}: not a codec Python knows"
            " (try e.g. cp1251, iso8859-7, shift_jis)"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(f"{encoding!r} is not a text encoding")
    return info.name


__all__ = [
    "canonical",
    "decode_iso2022",
    "decode_legacy",
    "known_codec",
]
