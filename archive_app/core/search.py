"""Turning what a person types into a safe FTS5 query."""

from __future__ import annotations

import re

_TOKEN_RE = re.compile(r'"[^"]*"?|\S+')


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def to_fts_query(text: str) -> str | None:
    """Return an FTS5 MATCH expression for free text, or ``None`` if nothing is searchable.

    Every word is quoted (so ``NEAR(``, ``a:b``, ``O'Brien`` or a lone ``(`` are searched as
    text, never parsed as FTS5 syntax), embedded quotes are doubled, a trailing ``*`` keeps its
    prefix meaning, and ``"an exact phrase"`` stays a phrase. Terms are ANDed.
    """
    terms: list[str] = []
    for token in _TOKEN_RE.findall(text):
        prefix = False
        if token.startswith('"'):
            inner = token[1:-1] if token.endswith('"') and len(token) > 1 else token[1:]
        else:
            inner = token
            if inner.endswith("*"):
                inner = inner.rstrip("*")
                prefix = True
        if not any(ch.isalnum() for ch in inner):
            continue
        terms.append(_quote(inner) + ("*" if prefix else ""))
    return " AND ".join(terms) if terms else None
