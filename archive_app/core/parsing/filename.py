"""A headline (and byline) read from a file name such as ``_news_123_Iran-Wins-Gold.txt``."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: A file-name title needs this many words (``Dirty-War``); words before an id need one
#: more, as a category often stands there (``sports-watch-4597641``).
MIN_WORDS = 2
_EXTENSION_RE = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")
_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_SEPARATOR_RE = re.compile(r"[\s_\-.+~]+")
#: Ids: long numbers, dates, hex hashes, UUID parts.
_ID_RE = re.compile(r"^(?:\d{5,}|\d{8}T?\d{4,6}|(?=.*\d)(?=.*[a-fA-F])[0-9a-fA-F]{8,})$")
_UUID_RE = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_NUMBER_RE = re.compile(r"^\d+$")
_BY_WORDS = frozenset({"by", "von", "par", "por", "di"})


@dataclass(frozen=True)
class FileNameTitle:
    """What a file name gives: a title and, from a trailing ``-By-Name``, a byline."""

    title: str
    byline: str = ""


def _has_upper(words: list[str]) -> bool:
    """Whether any character of ``words`` is a capital (``str.isupper``)."""
    return any(map(str.isupper, "".join(words)))


def _is_id(token: str) -> bool:
    return _ID_RE.match(token) is not None


def _word_runs(tokens: list[str]) -> list[list[str]]:
    """Runs of words between ids; a run before an id needs one word more (a category)."""
    runs: list[list[str]] = [[]]
    for token in tokens:
        if _is_id(token):
            runs.append([])
        else:
            runs[-1].append(token)
    out = []
    for k, run in enumerate(runs):
        while run and _NUMBER_RE.match(run[0]):
            run = run[1:]
        while run and _NUMBER_RE.match(run[-1]):
            run = run[:-1]
        if len(run) >= (MIN_WORDS + 1 if k < len(runs) - 1 else MIN_WORDS):
            out.append(run)
    return out


def _join(words: list[str]) -> str:
    """Join slug words, restoring ``U.S.`` from ``U-S`` and ``’s`` from ``-s-``."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if len(word) == 1 and word.isupper() and i + 1 < len(words):
            j = i
            while j < len(words) and len(words[j]) == 1 and words[j].isupper():
                j += 1
            if j - i >= 2:
                out.append(".".join(words[i:j]) + ".")
                i = j
                continue
        if word in ("s", "S") and out and out[-1][-1:].isalpha():
            out[-1] += "'s"
        else:
            out.append(word)
        i += 1
    return " ".join(out)


def _split_byline(words: list[str]) -> tuple[list[str], list[str]]:
    """Split ``[..., 'By', 'Name', 'Surname']`` into title words and name words."""
    lowercase = not _has_upper(words)
    for k in range(len(words) - 2, max(len(words) - 5, 0) - 1, -1):
        if words[k].lower() not in _BY_WORDS or k < MIN_WORDS:
            continue
        name = words[k + 1 :]
        if lowercase:
            ok = 2 <= len(name) <= 3 and all(w.isalpha() for w in name)
        else:
            ok = words[k][0].isupper() and all(w[:1].isupper() and w.isalpha() for w in name)
        if ok:
            return words[:k], name
    return words, []


def _drop_category_prefix(tokens: list[str]) -> list[str]:
    """Drop a lowercase category and a short number before a mixed-case slug (``news_4521_``).

    Long numbers are ids anyway; a short one (``4521``) after one or two lowercase words is a
    category and a number too when the words after it carry capitals, as headline slugs do.
    """
    if not _has_upper(tokens):
        return tokens
    k = 0
    while k < min(2, len(tokens)) and tokens[k].isalpha() and tokens[k].islower():
        k += 1
    if 0 < k < len(tokens) and _NUMBER_RE.match(tokens[k]):
        return tokens[k + 1 :]
    return tokens


def title_from_file_name(name: str) -> FileNameTitle | None:
    """Read a headline from a file name, or ``None`` when the name is just an id.

    Extensions, ids (long numbers, dates, hashes) and numeric prefixes are dropped;
    the longest run of words left is the title. Lowercase slugs get sentence case;
    mixed-case slugs keep theirs. A trailing ``By Name Surname`` becomes the byline.
    """
    stem = unicodedata.normalize("NFC", name.rsplit("/", 1)[-1])
    for _ in range(2):  # name.tar.gz, name.txt.bak
        stem = _EXTENSION_RE.sub("", stem)
    stem = _UUID_RE.sub("_", stem)
    tokens = [t for part in _SEPARATOR_RE.split(stem) for t in _TOKEN_RE.findall(part)]
    tokens = _drop_category_prefix(tokens)
    runs = _word_runs(tokens)
    if not runs:
        return None
    words = max(runs, key=len)
    if not any(sum(map(str.isalpha, w)) >= 3 for w in words):
        return None
    words, name_words = _split_byline(words)
    lowercase = not _has_upper(words)
    title = _join(words)
    if lowercase:
        title = title[:1].upper() + title[1:]
    byline = " ".join(w[:1].upper() + w[1:] for w in name_words)
    return FileNameTitle(title, byline)
