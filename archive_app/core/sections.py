"""Section paths as text: one rule for joining and splitting breadcrumb parts.

Parts are written with ``" / "`` between them (as the parser reads a breadcrumb line: a
separator has spaces on both sides), so a bare slash stays inside a part: ``US/Canada``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: What separates two parts: ``/``, ``>`` or ``»`` with whitespace on both sides. The parser's
#: breadcrumb rule (``parsing.header``) has the same shape and also accepts a few more symbols
#: (``›``, ``|``, ``→``, ``::``) that only appear in saved pages, never in what we write.
SEPARATOR_RE = re.compile(r"\s+[/>»]\s+")

#: What ``join_section`` puts between parts.
SEPARATOR = " / "


def join_section(parts: Iterable[str]) -> str:
    """Return the breadcrumb text of ``parts``: ``World / US/Canada``."""
    return SEPARATOR.join(parts)


def split_section(text: str) -> tuple[str, ...]:
    """Return the parts of breadcrumb text, trimmed, without empty ones.

    Splits only on a separator with spaces around it (`` / ``, `` > ``, `` » ``); a bare ``/``
    (``US/Canada``, ``24/7``) stays inside its part. ``split_section(join_section(p)) == p``
    for parts that are trimmed, non-empty and contain no spaced separator.
    """
    padded = f" {text.strip()} "  # a leading or trailing separator still has its spaces
    return tuple(part.strip() for part in SEPARATOR_RE.split(padded) if part.strip())
