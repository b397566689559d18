"""What the library learns from its own collection, applied to articles (import and re-parse)."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Protocol

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

#: The ``learned_state`` row that held the whole boilerplate learner in one JSON text, in
#: libraries written before each source got a row of its own (:func:`state_name`). It grew with
#: the number of sources (266 MB at 1,000,000 articles in 1,000 folders) and every import read
#: and wrote it whole; the first import or re-parse now splits it (:func:`split_legacy_state`).
BOILERPLATE_STATE = "boilerplate"
#: Each source group's boilerplate is the row ``boilerplate:<group>`` (the learner's JSON with
#: that one group), read when an import or a re-parse first meets the group and written when
#: it learned something.
GROUP_STATE_PREFIX = BOILERPLATE_STATE + ":"
#: A longer group name (a deep folder path) is named by its SHA-256 instead: a server's index
#: entry has a size limit, and the row's JSON names its group anyway.
MAX_NAME_CHARS = 300


class LearnedRows(Protocol):
    """Where the learned rows are read from (a ``Library`` of either engine)."""

    def learned_states(self, names: Sequence[str]) -> dict[str, str]:
        """The rows among ``names`` that exist: name -> JSON text."""
        ...


class LearnedStore(LearnedRows, Protocol):
    """A library's learned rows, to split the legacy row and to list every row."""

    def learned_state_names(self, prefix: str) -> list[str]:
        """The names of the rows that start with ``prefix``."""
        ...

    def split_learned_state(
        self,
        name: str,
        split: Callable[[str, Callable[[Sequence[str]], dict[str, str]]], Mapping[str, str] | None],
    ) -> bool:
        """Replace the row ``name`` by the rows ``split`` makes of it, in one transaction."""
        ...


def state_name(group: str) -> str:
    """The ``learned_state`` row that keeps the boilerplate learned for ``group``."""
    try:
        group.encode("utf-8")
    except UnicodeEncodeError:  # a folder name that is not UTF-8 (surrogate escapes)
        pass
    else:
        if len(group) <= MAX_NAME_CHARS:
            return GROUP_STATE_PREFIX + group
    digest = hashlib.sha256(group.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{GROUP_STATE_PREFIX}#{digest}"


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
        rows: Where each group's saved state is read from when the learner first meets the
            group (a library: see :meth:`for_library`); ``None``: only ``state``.
    """

    def __init__(self, state: str | None = None, *, rows: LearnedRows | None = None) -> None:
        self.learner = BoilerplateLearner()
        if state:
            with contextlib.suppress(ValueError):  # a state from another version: learn again
                self.learner = BoilerplateLearner.from_json(state)
        self._rows = rows
        self._loaded: set[str] = set()
        self._changed: set[str] = set()
        self._patterns: dict[str, tuple[Pattern, ...]] = {}
        self._fragments: dict[str, tuple[str, ...]] = {}
        self._seen: dict[str, int] = {}

    @classmethod
    def for_library(cls, library: LearnedRows) -> CollectionLearner:
        """A learner that reads a group's saved state from ``library`` as it meets the group.

        Call :func:`split_legacy_state` first (an import or a re-parse does), so a library
        still holding the single legacy row is read as well.
        """
        return cls(rows=library)

    def load(self, groups: Iterable[str]) -> None:
        """Read the saved state of the groups not read yet, in one query (a chunk's groups)."""
        if self._rows is None:
            return
        names = {state_name(g): g for g in dict.fromkeys(groups) if g not in self._loaded}
        if not names:
            return
        found = self._rows.learned_states(list(names))
        self._loaded.update(names.values())
        for name, text in found.items():
            with contextlib.suppress(ValueError):  # a state from another version: learn again
                self.learner.merge(BoilerplateLearner.from_json(text))
            self._patterns.pop(names[name], None)

    def learn(self, items: Iterable[tuple[str, str]]) -> None:
        """Count ``(group, body)`` of new articles (a re-import must not count twice).

        Large sources are sampled (see ``LEARN_ALL_UP_TO``): a share of a sample is the share.
        """
        items = list(items)
        self.load(group for group, _ in items)
        for group, body in items:
            seen = self._seen.get(group, 0)
            self._seen[group] = seen + 1
            if self.learner.articles(group) >= LEARN_ALL_UP_TO and seen % LEARN_EVERY:
                continue
            self.learner.add_segments(group, edge_segments(body))
            self._patterns.pop(group, None)
            self._changed.add(group)

    def changed_states(self) -> dict[str, str]:
        """The rows of the groups that learned something since the last call: name -> JSON.

        The caller stores them (with the articles they were learned from); the next call
        gives only what changes after this one.
        """
        changed, self._changed = self._changed, set()
        return {state_name(group): self.learner.to_json([group]) for group in sorted(changed)}

    def patterns(self, group: str) -> tuple[Pattern, ...]:
        """The boilerplate learned for ``group`` so far."""
        if group not in self._patterns:
            self.load((group,))
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
        """The whole state read and learned so far, in one JSON text."""
        return self.learner.to_json()


def groups_learned_more(
    learner: CollectionLearner, seen: dict[str, frozenset[str]]
) -> Sequence[str]:
    """Groups whose patterns grew since ``seen`` (group -> pattern keys used at the time)."""
    return [group for group, keys in seen.items() if learner.pattern_keys(group) - keys]


def _split(text: str, read: Callable[[Sequence[str]], dict[str, str]]) -> dict[str, str] | None:
    """The legacy row's groups as rows of their own, added to rows the groups have already."""
    try:
        legacy = BoilerplateLearner.from_json(text)
    except ValueError:
        return None  # not a state this version reads: left as it is
    names = {state_name(group): group for group in legacy.groups()}
    for saved in read(list(names)).values():
        # A group that has a row too (written by this version while an older one kept
        # writing the legacy row): both counted other articles, so the counts add up.
        with contextlib.suppress(ValueError):
            legacy.merge(BoilerplateLearner.from_json(saved))
    return {name: legacy.to_json([group]) for name, group in names.items()}


def split_legacy_state(library: LearnedStore) -> bool:
    """Split the single legacy row into one row per group, in one write transaction.

    Nothing is lost: a group that has a row already gets the legacy counts added, and the
    legacy row is deleted in the transaction that writes the group rows. A row this version
    cannot read is left as it is. Cheap when there is no legacy row (only names are read).
    Returns whether a legacy row was split.
    """
    if BOILERPLATE_STATE not in library.learned_state_names(BOILERPLATE_STATE):
        return False
    return library.split_learned_state(BOILERPLATE_STATE, _split)


def group_states(library: LearnedStore, batch: int = 50) -> Iterator[tuple[str, str]]:
    """Every group's boilerplate row, ``(name, JSON)``, read ``batch`` rows at a time.

    A legacy single row (a library not written since) is given as the group rows it splits
    into, merged with the rows those groups have (one this version cannot read, as it is);
    the library is not written.
    """
    names = library.learned_state_names(BOILERPLATE_STATE)
    legacy: BoilerplateLearner | None = None
    legacy_names: dict[str, str] = {}
    if BOILERPLATE_STATE in names:
        text = library.learned_states([BOILERPLATE_STATE]).get(BOILERPLATE_STATE, "")
        try:
            legacy = BoilerplateLearner.from_json(text)
        except ValueError:
            yield BOILERPLATE_STATE, text  # not a state this version reads: kept as it is
        else:
            legacy_names = {state_name(group): group for group in legacy.groups()}
    rows = [name for name in names if name.startswith(GROUP_STATE_PREFIX)]
    for start in range(0, len(rows), batch):
        for name, text in library.learned_states(rows[start : start + batch]).items():
            if legacy is not None and name in legacy_names:
                with contextlib.suppress(ValueError):
                    legacy.merge(BoilerplateLearner.from_json(text))
            else:
                yield name, text
    if legacy is not None:
        for name, group in legacy_names.items():
            yield name, legacy.to_json([group])
