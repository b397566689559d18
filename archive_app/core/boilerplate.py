"""Publisher boilerplate learned from the collection and stripped from article bodies.

Nothing here knows a publisher: a *source* (``group``: a folder, a publisher, an import batch)
teaches its own boilerplate. A segment (a line or, inside a line, a sentence; glued text is
split) is boilerplate for a group when it recurs across many of the group's articles at the
edge of their bodies. Stripping removes such segments only from the contiguous run at the start
or the end of a body, and files each removed segment by general multilingual cues: licence and
copyright notices into ``rights``, share and social lines into ``share_section``, everything
else into ``boilerplate`` (kept, re-insertable: nothing is lost).

Segment keys
    NFKC, casefold, whitespace runs collapsed to one space, and every digit run collapsed to
    ``0`` (years in copyright lines and counters in share lines vary from article to article;
    "(c) 2017 X" and "(c) 2021 X" are one notice) except inside URL-like tokens, which are
    identifiers, not counters (an article URL must never become a recurring line). A key needs
    at least :data:`MIN_LETTERS` letters to qualify, so date lines, numbers and separators never
    do.

The rule and the guard
    A key qualifies for a group when (1) it occurs in at least ``min_articles`` articles
    (default 5), (2) in at least ``min_share`` of the group's articles (default 0.3), both
    counted *at an edge*, i.e. within the first or last ``edge`` segments (default 6) of the
    body or as the head line of a short trailing block of lines, and (3) at an edge in at least
    ``min_edge_share`` (default 0.75) of all its occurrences. (1) and (2) keep a quote
    repeated in a few stories; (3) keeps a sentence that many stories repeat inside their
    text. At strip time a learned key is removed only while it is part of the run that touches
    the start or the end of the body, so even a learned sentence is never cut from the middle.

    Measured on the development corpus (``python -m benchmarks.boilerplate_bench``, group =
    the file's own folder, bodies = whole files, defaults):

    - ``tehran_times`` (1,500 files): 1 pattern, the agency's Creative Commons licence sentence,
      filed as rights. It is its own segment in 838 files (after two spaces or a newline) and
      glued by one space after an editor code (``MH/PA``) in the other 662, found as a glued
      suffix of the last segment; 0 of 1,500 stripped bodies still contain it (100% clean).
    - ``livedoor_ja/<category>`` (9 x 50 files): kaden-channel 1 (the related-articles head
      line, 84%, block), peachy 1 (related-links head line, 30%, block), topic-news 2
      (related-info and related-articles head lines, 64% and 56%, blocks), it-life-hack 1 (a
      "see reviews" link line, 34%), smax 4 (related-links head, the site's two link lines, one
      of them its Twitter account (share), and one writer credit line, 32-94%); the other 4
      categories learn nothing. Occurrences of these keys that are not at the end (15 in
      smax and topic-news: related blocks between paragraphs, blocks longer than 12 lines) are
      kept in the body.
    - ``baomoi_vi`` (500), ``polit_ru`` (100), ``zvezdaaltaya_ru`` (137): 0 patterns. The most
      repeated segments there are news text or credits at an edge in too few articles: polit_ru
      repeats a background sentence on the war in 12 of 100 articles and a sanctions sentence
      in 7, zvezdaaltaya_ru a health advice sentence in 11 of 137, baomoi_vi an agency credit
      in 11 of 500; rule (2) keeps them all.
    - Every learned pattern has an edge share of 0.94 or more; none is a sentence from the
      middle of articles.
    - Guard experiment: an invented news sentence injected in 3 of 200 bodies, in the middle or
      as the last sentence, is not learned.

Bounded state
    Per group the learner keeps the number of articles and, per key, the number of articles it
    occurs in, at an edge, and as a block head, plus one example text. Only edge segments add
    keys (at most ``2 * edge`` plus block heads per article); a middle occurrence only counts
    for a key already in the table, so a key's middle count may be low when its middle
    occurrences came before its first edge occurrence (it is then at an edge often enough to be
    boilerplate anyway, and strip still only cuts edge runs). Keys longer than
    :data:`MAX_KEY_CHARS` are never tracked. When a group's table passes ``max_keys``, keys seen
    in one article are dropped (then two, ...) until it is back to three quarters of the cap: a
    key that recurs in 30% of articles is seen again long before a prune. The state is plain
    JSON (:meth:`BoilerplateLearner.to_json`, whole or some groups) so an integrator can
    persist it in the library, a group at a time.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "MAX_KEY_CHARS",
    "MIN_LETTERS",
    "BoilerplateLearner",
    "Kind",
    "Pattern",
    "Segment",
    "Stripped",
    "classify",
    "normalize_key",
    "segments",
    "strip",
]

Kind = Literal["rights", "share", "boilerplate"]

MIN_LETTERS = 3
"""A key with fewer letters (a date, a number, a separator line) never qualifies."""

MAX_KEY_CHARS = 400
"""Segments with a longer key are article text, never tracked."""

BLOCK_MAX_LINES = 12
"""A trailing block: a head line followed by at most this many lines to the end ..."""

BLOCK_LINE_CHARS = 120
"""... each at most this long (related links, product facts, credits)."""

GLUED_MIN_WORDS = 4
"""A sentence glued by one space to the end of a body has at least this many words."""

_STATE_VERSION = 1

# --- segmentation -----------------------------------------------------------------------------

# One pass over the body finds line ends and candidate breaks inside lines. ``nl``: a line end
# (with the blank lines and spaces around it); ``ws``: glued by a run of two or more spaces (or a
# tab); ``cjk``: a CJK full stop with its closing brackets; ``end``: sentence-final punctuation
# with closing quotes, then at most one space, before more text (the caller checks what follows).
# The leading lookahead lets the engine skip ordinary characters fast, a single space between
# words included (only two whitespace characters, or one of the others, can start a break).
_BREAK_RE = re.compile(
    r"(?=[\r\n\t。！？｡.!?…]|\s\s)(?:"
    r"(?P<nl>[^\S\r\n]*[\r\n]\s*)"
    r"|(?P<ws>[^\S\r\n]{2,}|\t)"
    r"|(?P<cjk>[。！？｡]+[」』）】〕》\"'”’)\]]*)[^\S\r\n]?"
    r"|(?P<end>[.!?…]+[\"'”’»)\]]*)(?P<sp>[^\S\r\n]?)(?=\S)"
    r")"
)
_GLUED_START_RE = re.compile(r"(?<=[^\S\r\n])[^\W\d_]")
_OPENERS = "\"'“‘«„([¿¡"
_URL_TOKEN_RE = re.compile(r"\S*(?:://|www\.)\S*")
_DIGITS_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """One line or sentence of a body.

    ``body[start:end] == text``; ``line`` numbers the non-blank lines from 0;
    ``line_start``/``line_end`` tell whether the segment opens/closes its line.
    """

    text: str
    key: str
    start: int
    end: int
    line: int
    line_start: bool
    line_end: bool


def normalize_key(text: str) -> str:
    """The comparison key of a segment (see the module docstring)."""
    # ASCII is NFKC already, and casefold() is lower() there.
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    if "://" in folded or "www." in folded:
        parts: list[str] = []
        pos = 0
        for url in _URL_TOKEN_RE.finditer(folded):
            parts.append(_DIGITS_RE.sub("0", folded[pos : url.start()]))
            parts.append(url.group())
            pos = url.end()
        parts.append(_DIGITS_RE.sub("0", folded[pos:]))
        folded = "".join(parts)
    else:
        folded = _DIGITS_RE.sub("0", folded)
    return " ".join(folded.split())


def _sentence_ends(text: str, match: re.Match[str]) -> bool:
    """Whether sentence-final punctuation (an ``end`` match) breaks the line there."""
    after = match.end()
    if match.end("sp") > match.start("sp"):
        # Skip opening quotes/brackets, then require a capital or a caseless (non-Latin) letter.
        while after < len(text) and text[after] in _OPENERS:
            after += 1
        if after >= len(text) or not text[after].isalpha() or text[after].islower():
            return False
        # "Mr. Smith", "U.S. Army", "J. Doe": a short capitalised word before the stop.
        word_end = match.start()
        word_start = word_end
        while word_start > 0 and word_end - word_start <= 3 and text[word_start - 1].isalpha():
            word_start -= 1
        word = text[word_start:word_end]
        return not (0 < len(word) <= 3 and word[0].isupper())
    # No space: "collision.Marine" (lower, stop, Capital, lower) but not "U.S.A" or "4.0".
    before = match.start() - 1
    return (
        before >= 0
        and text[before].islower()
        and text[after].isupper()
        and after + 1 < len(text)
        and text[after + 1].islower()
    )


def segments(body: str) -> list[Segment]:
    """Split ``body`` into lines and, within lines, sentences (glued text included)."""
    # (start, end, line) of the non-blank pieces, trimmed; ``line`` counts raw lines.
    pieces: list[tuple[int, int, int]] = []
    line = 0
    pos = 0
    for match in _BREAK_RE.finditer(body):
        kind = match.lastgroup  # "nl", "ws", "cjk" or "sp" (the end alternative's last group)
        if kind == "nl" or kind == "ws":
            cut = match.start()
            after = match.end()
        elif kind == "cjk":
            cut = after = match.end("cjk")
        elif _sentence_ends(body, match):
            cut = after = match.end("end")
        else:
            continue
        piece = body[pos:cut]
        stripped = piece.strip()
        if stripped:
            # The first character left is no space: its first index is where the piece begins.
            lead = pos if stripped is piece else pos + piece.index(stripped[0])
            pieces.append((lead, lead + len(stripped), line))
        if kind == "nl":
            line += 1
        pos = after
    piece = body[pos:]
    stripped = piece.strip()
    if stripped:
        lead = pos if stripped is piece else pos + piece.index(stripped[0])
        pieces.append((lead, lead + len(stripped), line))
    # Lines are renumbered to count non-blank lines only.
    result: list[Segment] = []
    number = -1
    previous = -1
    last = len(pieces) - 1
    for index, (begin, stop, line_no) in enumerate(pieces):
        starts = line_no != previous
        if starts:
            number += 1
            previous = line_no
        text = body[begin:stop]
        result.append(
            Segment(
                text,
                normalize_key(text),
                begin,
                stop,
                number,
                starts,
                index == last or pieces[index + 1][2] != line_no,
            )
        )
    return result


def _block_heads(segs: Sequence[Segment]) -> list[int]:
    """Every index that could head a short trailing block (from the end backwards)."""
    heads: list[int] = []
    if not segs:
        return heads
    last_line = segs[-1].line
    lines_after: set[int] = set()
    line_chars: dict[int, int] = {}
    for index in range(len(segs) - 1, -1, -1):
        seg = segs[index]
        if seg.line != last_line and seg.line_start and seg.line_end and lines_after:
            heads.append(index)
        lines_after.add(seg.line)
        line_chars[seg.line] = line_chars.get(seg.line, 0) + len(seg.text)
        if len(lines_after) > BLOCK_MAX_LINES or line_chars[seg.line] > BLOCK_LINE_CHARS:
            break
    return heads


def _glued_tails(seg: Segment) -> list[tuple[int, str]]:
    """Suffixes of ``seg`` glued by a single space: (offset in ``seg.text``, key), longest first.

    A suffix starts at a capital or caseless letter after a space and has at least
    :data:`GLUED_MIN_WORDS` words: "EF/MA All content by X is licensed ..." yields
    "All content by X ...", "X is licensed ...", ...
    """
    text = seg.text
    if len(text) > MAX_KEY_CHARS * 2 or " " not in text:
        return []
    found: list[tuple[int, str]] = []
    for match in _GLUED_START_RE.finditer(text):
        offset = match.start()
        char = text[offset]
        if offset == 0 or char.islower():
            continue
        suffix = text[offset:]
        if suffix.count(" ") + 1 < GLUED_MIN_WORDS or len(suffix) > MAX_KEY_CHARS:
            continue
        found.append((offset, normalize_key(suffix)))
    return found


# --- classification ---------------------------------------------------------------------------

_RIGHTS_RE = re.compile(
    r"licen[cs]|copyright|©|\(c\)\s*0|all rights reserved|creative commons|\bcc[ -]by\b"
    r"|права защищены|авторск\w* прав|著作権|無断転載|版权|版權|bản quyền|저작권"
    r"|droits réservés|derechos reservados|alle rechte|urheberrecht|diritti riservati"
    r"|direitos reservados|حقوق"
)
_SHARE_RE = re.compile(
    r"\bshare\b|\bshares\b|\bfollow us\b|\btweet|facebook|twitter|whatsapp|telegram|linkedin"
    r"|pinterest|instagram|\bvk\b|вконтакте|одноклассник|подел\w*|подпис\w+ на"
    r"|シェア|ツイート|いいね|フォロー|分享|关注|微信|微博|chia sẻ|theo dõi"
    r"|teilen|partager|compartir|condividi|compartilh"
)


def classify(text: str) -> Kind:
    """``rights``, ``share`` or ``boilerplate`` by small multilingual cue lists."""
    key = normalize_key(text)
    if _RIGHTS_RE.search(key):
        return "rights"
    if _SHARE_RE.search(key):
        return "share"
    return "boilerplate"


# --- learning ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """A learned boilerplate segment of one group.

    ``articles``: articles with the key at an edge; ``share``: that over the group's articles;
    ``edge_share``: edge occurrences over all occurrences; ``block``: the key mostly heads a
    short trailing block of lines, which strip removes with it.
    """

    key: str
    text: str
    kind: Kind
    articles: int
    share: float
    edge_share: float
    block: bool


# Per key: [articles, edge articles, block-head articles, example text].
_Entry = list[Any]


class BoilerplateLearner:
    """Counts segment keys per group, once per article, and yields the qualifying patterns."""

    def __init__(
        self,
        *,
        min_articles: int = 5,
        min_share: float = 0.3,
        min_edge_share: float = 0.75,
        edge: int = 6,
        max_keys: int = 20_000,
    ) -> None:
        self.min_articles = max(1, min_articles)
        self.min_share = min_share
        self.min_edge_share = min_edge_share
        self.edge = max(1, edge)
        self.max_keys = max(16, max_keys)
        self._articles: dict[str, int] = {}
        self._keys: dict[str, dict[str, _Entry]] = {}

    # counting

    def add(self, group: str, body: str) -> None:
        """Count the distinct segment keys of one article of ``group``."""
        self.add_segments(group, segments(body))

    def add_segments(self, group: str, segs: Sequence[Segment]) -> None:
        """As :meth:`add`, for a body already split with :func:`segments`."""
        self._articles[group] = self._articles.get(group, 0) + 1
        table = self._keys.setdefault(group, {})
        n = len(segs)
        heads = set(_block_heads(segs))
        edge_keys: dict[str, str] = {}
        block_keys: set[str] = set()
        for index, seg in enumerate(segs):
            at_edge = index < self.edge or index >= n - self.edge or index in heads
            if at_edge and len(seg.key) <= MAX_KEY_CHARS:
                edge_keys.setdefault(seg.key, seg.text)
                if index in heads:
                    block_keys.add(seg.key)
        if segs:
            for offset, key in _glued_tails(segs[-1]):
                edge_keys.setdefault(key, segs[-1].text[offset:])
        seen: set[str] = set()
        for key in itertools.chain((seg.key for seg in segs), edge_keys):
            if key in seen:
                continue
            seen.add(key)
            entry = table.get(key)
            if key in edge_keys:
                if entry is None:
                    entry = [0, 0, 0, edge_keys[key][:MAX_KEY_CHARS]]
                    table[key] = entry
                entry[1] += 1
                if key in block_keys:
                    entry[2] += 1
            if entry is not None:
                entry[0] += 1
        if len(table) > self.max_keys:
            self._prune(table)

    def _prune(self, table: dict[str, _Entry]) -> None:
        floor = 1
        target = self.max_keys * 3 // 4
        while len(table) > target:
            for key in [k for k, e in table.items() if e[0] <= floor]:
                del table[key]
            floor += 1

    def merge(self, other: BoilerplateLearner) -> None:
        """Add the counts of ``other`` (e.g. a worker's learner, or a saved state)."""
        for group, count in other._articles.items():
            self._articles[group] = self._articles.get(group, 0) + count
        for group, other_table in other._keys.items():
            table = self._keys.setdefault(group, {})
            for key, entry in other_table.items():
                mine = table.get(key)
                if mine is None:
                    table[key] = list(entry)
                else:
                    mine[0] += entry[0]
                    mine[1] += entry[1]
                    mine[2] += entry[2]
            if len(table) > self.max_keys:
                self._prune(table)

    # reading

    def groups(self) -> list[str]:
        """The groups seen so far."""
        return sorted(self._articles)

    def articles(self, group: str) -> int:
        """How many articles of ``group`` were added."""
        return self._articles.get(group, 0)

    def patterns(self, group: str) -> list[Pattern]:
        """The qualifying keys of ``group``, most frequent first (see the module docstring)."""
        total = self._articles.get(group, 0)
        if total == 0:
            return []
        needed = max(self.min_articles, self.min_share * total)
        found: list[Pattern] = []
        for key, (occurs, edge, block, text) in self._keys.get(group, {}).items():
            if edge < needed or edge < self.min_edge_share * occurs:
                continue
            if sum(ch.isalpha() for ch in key) < MIN_LETTERS:
                continue
            found.append(
                Pattern(
                    key=key,
                    text=str(text),
                    kind=classify(str(text)),
                    articles=int(edge),
                    share=edge / total,
                    edge_share=edge / occurs,
                    block=2 * block >= edge,
                )
            )
        # A glued sentence also counts its own shorter suffixes: keep the longest of a nest.
        nested = {
            p.key
            for p in found
            for q in found
            if len(q.key) > len(p.key)
            and q.key.endswith(" " + p.key)
            and q.articles >= 0.8 * p.articles
        }
        found = [p for p in found if p.key not in nested]
        found.sort(key=lambda p: (-p.articles, p.key))
        return found

    # persistence

    def to_json(self, groups: Iterable[str] | None = None) -> str:
        """The state as a JSON string (bounded by ``max_keys`` per group).

        Args:
            groups: Only these groups (a library keeps each group's state in a row of its own,
                so an import saves only the groups it changed); ``None``: every group.
        """
        chosen = self._articles if groups is None else dict.fromkeys(groups)
        state = {
            "version": _STATE_VERSION,
            "settings": {
                "min_articles": self.min_articles,
                "min_share": self.min_share,
                "min_edge_share": self.min_edge_share,
                "edge": self.edge,
                "max_keys": self.max_keys,
            },
            "groups": {
                group: {"articles": self._articles[group], "keys": self._keys.get(group, {})}
                for group in chosen
                if group in self._articles
            },
        }
        return json.dumps(state, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> BoilerplateLearner:
        """A learner from :meth:`to_json` output; raises ``ValueError`` on a foreign state."""
        try:
            state = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not a boilerplate state: {exc}") from exc
        if not isinstance(state, dict) or state.get("version") != _STATE_VERSION:
            raise ValueError("not a boilerplate state of a known version")
        settings = state.get("settings", {})
        learner = cls(**_settings(settings))
        groups = state.get("groups", {})
        if not isinstance(groups, dict):
            raise ValueError("boilerplate state: 'groups' is not an object")
        for group, data in groups.items():
            learner._articles[str(group)] = int(data["articles"])
            table: dict[str, _Entry] = {}
            for key, entry in dict(data.get("keys", {})).items():
                table[str(key)] = [int(entry[0]), int(entry[1]), int(entry[2]), str(entry[3])]
            learner._keys[str(group)] = table
        return learner


def _settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("min_articles", "edge", "max_keys"):
        if name in raw:
            out[name] = int(raw[name])
    for name in ("min_share", "min_edge_share"):
        if name in raw:
            out[name] = float(raw[name])
    return out


# --- stripping --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stripped:
    """The body without its edge boilerplate, and what was removed, by kind (newline-joined)."""

    body: str
    rights: str = ""
    share_section: str = ""
    boilerplate: str = ""


def _has_alnum(key: str) -> bool:
    return any(ch.isalnum() for ch in key)


def strip(
    body: str,
    patterns: Sequence[Pattern] | Iterable[Pattern],
    *,
    segs: Sequence[Segment] | None = None,
) -> Stripped:
    """Remove the learned ``patterns`` from the start and the end of ``body``.

    Only the contiguous run of pattern segments touching the start or the end is removed
    (punctuation-only segments inside the run go with it), plus, at the end, a short trailing
    block of lines headed by a learned block pattern, and a pattern glued by one space to the
    end of the last kept segment. If that would leave no text, the body is kept whole and
    nothing is reported. Never raises; stripping a stripped body changes nothing. ``segs`` may
    pass ``segments(body)`` when the caller has it already (e.g. from
    :meth:`BoilerplateLearner.add_segments`), to split the body once.
    """
    by_key = {p.key: p for p in patterns}
    if not by_key or not body:
        return Stripped(body=body)
    segs = list(segs) if segs is not None else segments(body)
    kinds: list[Kind | None] = [None] * len(segs)
    hi = len(segs)  # segs[lo:hi] are kept
    changed = True
    while changed and hi > 0:
        changed = False
        # the run of pattern segments at the end
        index = hi - 1
        pending: list[int] = []
        while index >= 0:
            pattern = by_key.get(segs[index].key)
            if pattern is not None:
                for p in pending:
                    kinds[p] = "boilerplate"
                pending = []
                kinds[index] = pattern.kind
                hi = index
                changed = True
            elif not _has_alnum(segs[index].key):
                pending.append(index)
            else:
                break
            index -= 1
        if hi == 0:
            break
        # a pattern glued by one space to the end of the last kept segment
        last = segs[hi - 1]
        for offset, key in _glued_tails(last):
            pattern = by_key.get(key)
            if pattern is None:
                continue
            head_text = last.text[:offset].rstrip()
            if not _has_alnum(normalize_key(head_text)):
                break
            tail_start = last.start + offset
            head = Segment(
                head_text,
                normalize_key(head_text),
                last.start,
                last.start + len(head_text),
                last.line,
                last.line_start,
                False,
            )
            tail = Segment(
                last.text[offset:], key, tail_start, last.end, last.line, False, last.line_end
            )
            segs[hi - 1 : hi] = [head, tail]
            kinds[hi - 1 : hi] = [None, pattern.kind]
            changed = True
            break
        if changed:
            continue
        # a short trailing block headed by a learned block pattern
        for head_index in _block_heads(segs[:hi]):
            pattern = by_key.get(segs[head_index].key)
            if pattern is not None and pattern.block:
                for p in range(head_index, hi):
                    kinds[p] = pattern.kind
                hi = head_index
                changed = True
                break
    lo = 0
    pending = []
    index = 0
    while index < hi:
        pattern = by_key.get(segs[index].key)
        if pattern is not None:
            for p in pending:
                kinds[p] = "boilerplate"
            pending = []
            kinds[index] = pattern.kind
            lo = index + 1
        elif not _has_alnum(segs[index].key):
            pending.append(index)
        else:
            break
        index += 1
    if lo >= hi or not any(_has_alnum(seg.key) for seg in segs[lo:hi]):
        return Stripped(body=body)
    if lo == 0 and hi == len(segs):
        return Stripped(body=body)
    start = segs[lo].start if lo > 0 else 0
    end = segs[hi - 1].end if hi < len(segs) else len(body)
    removed: dict[Kind, list[str]] = {"rights": [], "share": [], "boilerplate": []}
    for seg, kind in zip(segs, kinds, strict=True):
        if kind is not None:
            removed[kind].append(seg.text)
    return Stripped(
        body=body[start:end],
        rights="\n".join(removed["rights"]),
        share_section="\n".join(removed["share"]),
        boilerplate="\n".join(removed["boilerplate"]),
    )
