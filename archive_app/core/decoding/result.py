"""Result types of the decoder."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Below this confidence a decoding is doubtful.
DOUBTFUL_CONFIDENCE = 0.5


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
            guessed, e.g. ``"3 NUL bytes removed"`` or ``"decoded as cp1251;
            could also be cp1255"``.
        confidence: How sure the decoder is, in [0, 1]: 1.0 for byte-order marks and
            valid UTF-8, the plausibility margin for legacy encodings.
        alternatives: Canonical codec names (``codecs.lookup(name).name``) of runner-up
            encodings that give a *different* text and scored close to the chosen one.
    """

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()
    confidence: float = field(default=1.0, compare=False)
    alternatives: tuple[str, ...] = field(default=(), compare=False)

    @property
    def doubtful(self) -> bool:
        """Whether another encoding is nearly as plausible or the confidence is low."""
        return bool(self.alternatives) or self.confidence < DOUBTFUL_CONFIDENCE


class NotTextError(ValueError):
    """The bytes are not text (binary file).

    ``str(exc)`` is a one-line reason such as
    ``"not a text file: looks like a PNG image"`` or
    ``"not a text file: 31% control bytes"``.
    """


@dataclass(frozen=True)
class Decoding:
    """One plausible reading of some bytes (see ``plausible_decodings``).

    Attributes:
        encoding: Canonical Python codec name, e.g. ``"cp1251"`` or ``"iso8859-7"``.
        confidence: Plausibility in [0, 1]; the list is ordered by it.
        text: The full decoded text, newlines normalised to LF.
    """

    encoding: str
    confidence: float
    text: str
