"""What the library learns from its own collection, applied to articles (import and re-parse)."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Sequence

from archive_app.core.boilerplate import BoilerplateLearner, Pattern, Segment, segments, strip
from archive_app.core.records import ArticleFields

#: Boilerplate sits at the edges of a body: only this many characters at the start and at the
#: end are split into segments (measured: splitting whole 4 KB bodies cost 0.9 ms an article,
#: as much as decoding and parsing it; the learned patterns on the corpus are unchanged).
HEAD_CHARS = 300
TAIL_CHARS = 1200
#: Every article of a source teaches until the source has this many; after that one in
#: ``LEARN_EVERY`` does (shares stay the same; measured: learning from every article of a
#: 10,000-file import cost a third of the import's time).
LEARN_ALL_UP_TO = 60
LEARN_EVERY = 10

#: The ``learned_state`` row that holds the boilerplate learner.
BOILERPLATE_STATE = "boilerplate"


def source_group(fields: ArticleFields, folder: str) -> str:
    """The source an article's boilerplate is learned from: its publisher, else its folder."""
    return f"publisher:{fields.publisher.casefold()}" if fields.publisher else f"folder:{folder}"


def edge_segments(body: str) -> tuple[Segment, ...]:
    """The segments of the start and the end of ``body`` (all of it when it is short).

    The middle is left out: learning counts edges, and stripping only removes edge runs. Cuts
    fall on line ends where there is one, so no line is split by a cut.
    """
    if len(body) <= HEAD_CHARS + TAIL_CHARS:
        return tuple(segments(body))
    head_end = body.find("\n", HEAD_CHARS)
    if head_end < 0 or head_end > HEAD_CHARS * 2:
        head_end = HEAD_CHARS
    tail_start = body.rfind("\n", 0, len(body) - TAIL_CHARS)
    if tail_start < head_end or tail_start < len(body) - TAIL_CHARS * 2:
        tail_start = len(body) - TAIL_CHARS
    head = segments(body[:head_end])
    tail = segments(body[tail_start:])
    lines = (head[-1].line + 1) if head else 0
    moved = [
        Segment(
            s.text,
            s.key,
            s.start + tail_start,
            s.end + tail_start,
            s.line + lines,
            s.line_start,
            s.line_end,
        )
        for s in tail
    ]
    return (*head, *moved)


def _fragment(text: str) -> str:
    """The longest word of a pattern (casefolded, digits excluded), to look for it cheaply."""
    words = [w for w in text.casefold().split() if w.isalpha()]
    return max(words, key=len) if words else ""


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


class CollectionLearner:
    """Learns each source's recurring edge lines and strips them from bodies.

    Args:
        state: A saved learner (``to_json``), or ``None`` to start empty.
    """

    def __init__(self, state: str | None = None) -> None:
        self.learner = BoilerplateLearner()
        if state:
            with contextlib.suppress(ValueError):  # a state from another version: learn again
                self.learner = BoilerplateLearner.from_json(state)
        self._patterns: dict[str, tuple[Pattern, ...]] = {}
        self._fragments: dict[str, tuple[str, ...]] = {}
        self._seen: dict[str, int] = {}

    def learn(self, items: Iterable[tuple[str, str]]) -> None:
        """Count ``(group, body)`` of new articles (a re-import must not count twice).

        Large sources are sampled (see ``LEARN_ALL_UP_TO``): a share of a sample is the share.
        """
        for group, body in items:
            seen = self._seen.get(group, 0)
            self._seen[group] = seen + 1
            if self.learner.articles(group) >= LEARN_ALL_UP_TO and seen % LEARN_EVERY:
                continue
            self.learner.add_segments(group, edge_segments(body))
            self._patterns.pop(group, None)

    def patterns(self, group: str) -> tuple[Pattern, ...]:
        """The boilerplate learned for ``group`` so far."""
        if group not in self._patterns:
            patterns = tuple(self.learner.patterns(group))
            self._patterns[group] = patterns
            self._fragments[group] = (
                tuple({_fragment(p.text) for p in patterns} - {""})
                if all(_fragment(p.text) for p in patterns)
                else ()
            )
        return self._patterns[group]

    def apply(
        self, fields: ArticleFields, group: str, segs: Sequence[Segment] | None = None
    ) -> ArticleFields:
        """Return ``fields`` with the group's learned boilerplate moved out of the body.

        Licence lines join ``rights``, share lines ``share_section`` and the rest
        ``boilerplate``; nothing is dropped.
        """
        patterns = self.patterns(group)
        if not patterns or not fields.body:
            return fields
        fragments = self._fragments.get(group, ())
        if fragments and segs is None:
            # Cheap first look: a body that holds none of the patterns' words is left as is.
            edges = (fields.body[: HEAD_CHARS * 2] + fields.body[-TAIL_CHARS * 2 :]).casefold()
            if not any(fragment in edges for fragment in fragments):
                return fields
        if segs is None:
            segs = edge_segments(fields.body)
        stripped = strip(fields.body, patterns, segs=segs)
        if stripped.body == fields.body:
            return fields
        return dataclasses.replace(
            fields,
            body=stripped.body,
            rights=_join(fields.rights, stripped.rights),
            share_section=_join(fields.share_section, stripped.share_section),
            boilerplate=_join(fields.boilerplate, stripped.boilerplate),
        )

    def pattern_keys(self, group: str) -> frozenset[str]:
        """Identifies what was learned for ``group`` (to find articles stripped with less)."""
        return frozenset(p.key for p in self.patterns(group))

    def to_json(self) -> str:
        """The state to keep in the library."""
        return self.learner.to_json()


def groups_learned_more(
    learner: CollectionLearner, seen: dict[str, frozenset[str]]
) -> Sequence[str]:
    """Groups whose patterns grew since ``seen`` (group -> pattern keys used at the time)."""
    return [group for group, keys in seen.items() if learner.pattern_keys(group) - keys]
