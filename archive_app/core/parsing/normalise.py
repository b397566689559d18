"""Field and whole-text normalisation; splitting text into paragraphs."""

from __future__ import annotations

import html
import html.entities
import re
import unicodedata

from archive_app.core.parsing.model import _Para

# Runs of two or more spaces (tabs are turned into spaces first); a literal prefix
# keeps the scan fast on large texts.
_SPACE_RUN_RE = re.compile(r"  +")
# A newline followed by one or more whitespace-only lines: collapsed to one blank
# line before splitting (possessive quantifiers keep this linear).
_BLANK_RUN_RE = re.compile(r"\n(?:[^\S\n]*+\n)++")
_MULTI_BLANK_RE = re.compile(r"\n{3,}")
#: A whitespace-only line that is not empty: with it or three newlines in a row the text has
#: a blank run to collapse; without them ``_BLANK_RUN_RE`` only replaces "\n\n" by itself.
#: (Both checks skip to the newlines; the substitution costs twice as much.)
_SPACE_LINE_RE = re.compile(r"\n[^\S\n]+\n")


def _spaces(text: str) -> str:
    """Turn non-breaking spaces and tabs into spaces and collapse runs of spaces."""
    if not text.isascii():  # (an O(1) flag of the string)
        text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
    text = text.replace("\t", " ")
    return _SPACE_RUN_RE.sub(" ", text) if "  " in text else text


def _normalize_line(line: str) -> str:
    """Normalise one line (no newline inside): NBSP, space runs, trim, NFC."""
    line = _spaces(line).strip()
    return line if line.isascii() else unicodedata.normalize("NFC", line)  # ASCII is NFC


def _unify_newlines(text: str) -> str:
    if "\r" not in text:
        return text  # decoded text has LF newlines already
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalize_field(s: str) -> str:
    """Normalise a field value.

    Applies NFC, turns non-breaking spaces (U+00A0, U+202F, U+2007) into spaces,
    collapses runs of spaces and tabs to one space within each line and trims each
    line and the whole value. Newlines (``\\r\\n`` and ``\\r`` become ``\\n``) are kept.

    Args:
        s: The raw value.

    Returns:
        The normalised value; normalising it again changes nothing.
    """
    if not s:
        return ""  # most optional fields of an article are empty
    s = _unify_newlines(s)
    if "\n" not in s:
        return _normalize_line(s)
    return "\n".join(_normalize_line(line) for line in s.split("\n")).strip("\n")


def normalized_text_for_hash(text: str) -> str:
    """Return the canonical form of a whole text used for duplicate detection.

    Newlines are unified, a leading BOM is dropped, the text is NFC-normalised,
    non-breaking spaces become spaces, trailing whitespace is stripped from every
    line, runs of blank lines collapse to one blank line and the whole text is
    stripped.

    Args:
        text: The decoded file text.

    Returns:
        The canonical text.
    """
    text = _unify_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.isascii():  # ASCII has no such spaces and is NFC already
        text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
        text = unicodedata.normalize("NFC", text)
    text = "\n".join(map(str.rstrip, text.split("\n")))
    if "\n\n\n" in text:  # (a substring search; the regular expression costs ten times more)
        text = _MULTI_BLANK_RE.sub("\n\n", text)
    return text.strip()


def _split_paragraphs(text: str) -> list[_Para]:
    """Split text into paragraphs of normalised non-empty lines.

    Paragraphs are separated by blank lines; if the text has no blank line between
    two non-empty lines at all, every line is its own paragraph. ``text`` must already
    have ``\n`` newlines.
    """
    text = _spaces(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    # After this every blank line is empty, so blocks split on "\n\n" hold only
    # non-blank lines (whitespace-only lines at either end go with strip()).
    if "\n\n\n" in text or _SPACE_LINE_RE.search(text) is not None:
        text = _BLANK_RUN_RE.sub("\n\n", text)
    text = text.strip()
    if not text:
        return []
    blocks: list[str] = text.split("\n\n")
    del text  # copies of a huge text go as soon as they are split (peak memory)
    if len(blocks) == 1:
        return [[line] for line in map(str.strip, blocks.pop().split("\n"))]
    paras: list[_Para] = []
    blocks.reverse()
    while blocks:  # first to last, each block freed once split into lines
        paras.append(list(map(str.strip, blocks.pop().split("\n"))))
    return paras


def _first_alpha(word: str) -> str:
    for ch in word:
        if ch.isalpha():
            return ch
    return ""


#: A real character reference: numeric (``&#163;``, ``&#xA3;``) or a named one with its
#: semicolon (``&amp;``); bare ``&`` and ``AT&T`` are left alone.
_REFERENCE_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: Decoded characters that would change the text's layout become spaces.
_LAYOUT_CHARS_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _decode_reference(m: re.Match[str]) -> str:
    ref = m.group(0)
    if ref[1] != "#" and ref[1:] not in html.entities.html5:
        return ref  # not a named reference HTML knows: text
    char = html.unescape(ref)
    if char == ref:
        return ref
    return _LAYOUT_CHARS_RE.sub(" ", char)


def unescape_references(text: str) -> str:
    """Decode HTML character references (``&#163;``, ``&amp;``, ``&quot;``) in text.

    Only real references are decoded (numeric, or named with their semicolon); a
    decoded newline or control character becomes a space, so paragraphs never change.
    """
    if "&" not in text:
        return text
    return _REFERENCE_RE.sub(_decode_reference, text)
