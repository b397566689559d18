"""What the library learns from its own collection, applied to articles (import and re-parse)."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Sequence

from archive_app.core.boilerplate import BoilerplateLearner, Pattern, segments, strip
from archive_app.core.records import ArticleFields

#: The ``learned_state`` row that holds the boilerplate learner.
BOILERPLATE_STATE = "boilerplate"


def source_group(fields: ArticleFields, folder: str) -> str:
    """The source an article's boilerplate is learned from: its publisher, else its folder."""
    return f"publisher:{fields.publisher.casefold()}" if fields.publisher else f"folder:{folder}"


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

    def learn(self, items: Iterable[tuple[str, str]]) -> None:
        """Count ``(group, body)`` pairs (new articles only: a re-import must not count twice)."""
        for group, body in items:
            self.learner.add(group, body)
            self._patterns.pop(group, None)

    def patterns(self, group: str) -> tuple[Pattern, ...]:
        """The boilerplate learned for ``group`` so far."""
        if group not in self._patterns:
            self._patterns[group] = tuple(self.learner.patterns(group))
        return self._patterns[group]

    def apply(self, fields: ArticleFields, group: str) -> ArticleFields:
        """Return ``fields`` with the group's learned boilerplate moved out of the body.

        Licence lines join ``rights``, share lines ``share_section`` and the rest
        ``boilerplate``; nothing is dropped.
        """
        patterns = self.patterns(group)
        if not patterns or not fields.body:
            return fields
        stripped = strip(fields.body, patterns, segs=segments(fields.body))
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
