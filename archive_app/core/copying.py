"""Copying a whole library into another (a file to a server, a server to a file), verified.

Every article (the trash too) with every field, its tags, uid, times, warnings and revisions;
its original file's exact bytes and JSON sidecar; the saved searches, the drafts and what the
library learned. Then every copied article is read back and compared: its original bytes by
SHA-256 against the source's (and the SHA-256 the source recorded), its fields, tags and
revisions; and the two libraries' counts. Articles go in chunks, one transaction each, oldest
first, so an empty target gets the same ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from archive_app.core.compression import compress
from archive_app.core.errors import LibraryError
from archive_app.core.history import Revision
from archive_app.core.learning import BOILERPLATE_STATE, group_states, split_legacy_state
from archive_app.core.library import Library
from archive_app.core.prepare import content_hash
from archive_app.core.records import ArticleRecord, NewArticle

#: Articles per transaction.
CHUNK = 200
#: What ``Library.counts`` counts that a copy must match (tags are compared by name in use).
COUNTED = ("articles", "trash", "source_files", "revisions", "drafts")
#: Learned rows are written this many characters of JSON per transaction.
LEARNED_BATCH_CHARS = 32 * 1024 * 1024

Progress = Callable[[int, int], None]


@dataclass
class CopyReport:
    """What a copy did and what its verification found (``problems`` empty: all verified)."""

    source: str
    target: str
    articles: int = 0
    trash: int = 0
    sidecars: int = 0
    revisions: int = 0
    saved_searches: int = 0
    drafts: int = 0
    skipped: int = 0
    verified_sha256: int = 0
    ids_kept: bool = True
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether everything was copied and verified."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as ``copy-library`` prints it: what was copied, then the verification."""
        total = self.articles + self.trash
        out = [
            f"copied {self.articles} articles and {self.trash} in the trash from {self.source} "
            f"to {self.target}"
            + (f" ({self.skipped} already there, skipped)" if self.skipped else ""),
            f"  original files: {total} ({self.sidecars} with a JSON sidecar); SHA-256 of the "
            f"copy matches the source for {self.verified_sha256} of {total}",
            f"  revisions: {self.revisions}, saved searches: {self.saved_searches}, "
            f"drafts: {self.drafts}",
            "  counts (from = to): "
            + ", ".join(f"{k.replace('_', ' ')} {a} = {b}" for k, (a, b) in self.counts.items()),
            "  ids: " + ("the same as in the source" if self.ids_kept else "renumbered"),
        ]
        if self.ok:
            out.append("verified: every field, tag, revision and original byte is in the copy")
        else:
            out.append(f"NOT verified: {len(self.problems)} problems")
            out.extend(f"problem: {problem}" for problem in self.problems)
        return out

    def to_json(self) -> dict[str, object]:
        """The report as ``copy-library --json`` prints it."""
        return {
            "from": self.source,
            "to": self.target,
            "articles": self.articles,
            "trash": self.trash,
            "sidecars": self.sidecars,
            "revisions": self.revisions,
            "saved_searches": self.saved_searches,
            "drafts": self.drafts,
            "skipped": self.skipped,
            "verified_sha256": self.verified_sha256,
            "ids_kept": self.ids_kept,
            "counts": {k: {"from": a, "to": b} for k, (a, b) in self.counts.items()},
            "problems": list(self.problems),
        }


def _is_empty(library: Library) -> bool:
    return (
        library.count() == 0
        and library.count(trash=True) == 0
        and not library.saved_searches()
        and not library.drafts()
    )


@dataclass(frozen=True)
class _Original:
    """One source article as read for the copy (read once, used to write and to verify)."""

    record: ArticleRecord
    data: bytes
    sidecar: tuple[str, bytes] | None
    revisions: tuple[Revision, ...]


def _read(source: Library, article_id: int) -> _Original:
    return _Original(
        record=source.get_article(article_id),
        data=source.source_bytes(article_id),
        sidecar=source.source_sidecar(article_id),
        revisions=tuple(source.history(article_id)),
    )


def _new_article(original: _Original) -> NewArticle:
    record, sidecar = original.record, original.sidecar
    info = record.source
    if info is None:  # pragma: no cover (every article has its file; check() says otherwise)
        raise LibraryError(f"article {record.id} has no original file; run 'check' on it")
    return NewArticle(
        fields=record.editable(),
        parse_warnings=record.parse_warnings,
        content_hash=record.content_hash or content_hash(record.body),
        file_name=info.file_name,
        original_path=info.original_path,
        size=info.size,
        sha256=info.sha256,
        encoding=info.encoding,
        compressed_data=compress(original.data),
        encoding_confidence=info.encoding_confidence,
        sidecar_name=sidecar[0] if sidecar else "",
        sidecar_data=compress(sidecar[1]) if sidecar else b"",
        uid=record.uid,
        created_at=record.created_at,
        updated_at=record.updated_at,
        deleted_at=record.deleted_at,
        revisions=original.revisions,
        imported_at=info.imported_at,
    )


def _revision_key(revision: Revision) -> tuple[object, ...]:
    return (revision.created_at, revision.user, revision.kind, revision.changes)


def _verify(original: _Original, target: Library, target_id: int, report: CopyReport) -> None:
    """Read one copied article back and note every difference from the original."""
    mine = original.record
    copy = target.get_article(target_id)
    label = f"article {mine.id}"
    sha = hashlib.sha256(original.data).hexdigest()
    if mine.source is not None and sha != mine.source.sha256:
        report.problems.append(f"{label}: its original bytes do not match its own SHA-256")
    if hashlib.sha256(target.source_bytes(target_id)).hexdigest() != sha:
        report.problems.append(f"{label}: the copy's original bytes differ (SHA-256)")
    else:
        report.verified_sha256 += 1
    if target.source_sidecar(target_id) != original.sidecar:
        report.problems.append(f"{label}: the copy's JSON sidecar differs")
    for name in ("uid", "parse_warnings", "created_at", "updated_at", "deleted_at"):
        if getattr(mine, name) != getattr(copy, name):
            report.problems.append(f"{label}: {name} differs in the copy")
    # Tags compare as a set: each engine lists them in its own case-folding order.
    if replace(mine.editable(), tags=()) != replace(copy.editable(), tags=()):
        report.problems.append(f"{label}: its fields differ in the copy")
    if sorted(mine.tags) != sorted(copy.tags):
        report.problems.append(f"{label}: its tags differ in the copy")
    if mine.source != copy.source:
        report.problems.append(f"{label}: its original file's details differ in the copy")
    theirs = [_revision_key(r) for r in original.revisions]
    if theirs != [_revision_key(r) for r in target.history(target_id)]:
        report.problems.append(f"{label}: its revisions differ in the copy")


def _all_ids(library: Library) -> list[int]:
    return sorted(library.article_ids(sort="id") + library.article_ids(sort="id", trash=True))


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def copy_library(
    source: Library,
    target: Library,
    *,
    merge: bool = False,
    progress: Progress | None = None,
) -> CopyReport:
    """Copy every article, original file, revision, saved search and draft of ``source`` into
    ``target``, then verify the copy (see the module's docstring).

    Args:
        merge: Copy into a library that already holds articles: those it has (the same uid
            or text) are skipped, saved searches whose name it has are left as they are.
        progress: Called with ``(done, total)`` articles.

    Raises:
        LibraryError: ``target`` is ``source``, is read-only, or holds articles (without
            ``merge``).
    """
    same_file = (
        source.file is not None
        and target.file is not None
        and (source.file.resolve() == target.file.resolve())
    )
    if same_file or source.location == target.location:
        raise LibraryError(f"{source.location} cannot be copied onto itself; choose another --to")
    if target.read_only:
        raise LibraryError(f"{target.location} is read-only ({target.read_only_reason})")
    empty = _is_empty(target)
    if not empty and not merge:
        raise LibraryError(
            f"{target.location} is not empty ({target.count() + target.count(trash=True)} "
            f"articles, {len(target.saved_searches())} saved searches); copy into an empty "
            "library, or add --merge to add what it lacks"
        )
    report = CopyReport(source=source.location, target=target.location)
    before = target.counts()
    ids = _all_ids(source)
    pairs: list[tuple[int, int]] = []
    for chunk in _chunks(ids, CHUNK):
        originals = [_read(source, i) for i in chunk]
        items = [_new_article(original) for original in originals]
        if empty:
            stored = [(i, True) for i in target.add_articles(items)]
        else:
            stored = target.add_new_articles(items)
        for original, item, (new_id, is_new) in zip(originals, items, stored, strict=True):
            if not is_new:
                report.skipped += 1
                continue
            pairs.append((original.record.id, new_id))
            report.articles += original.record.deleted_at is None
            report.trash += original.record.deleted_at is not None
            report.sidecars += bool(item.sidecar_name)
            report.revisions += len(item.revisions)
            _verify(original, target, new_id, report)
        if progress is not None:
            progress(len(pairs) + report.skipped, len(ids))
    new_id_of = dict(pairs)
    report.ids_kept = all(a == b for a, b in pairs)

    taken = {s.name.lower() for s in target.saved_searches()}
    for search in source.saved_searches():
        if search.name.lower() not in taken:
            target.save_search(search.name, search.query)
            report.saved_searches += 1
    for article_id, values in source.drafts().items():
        if article_id in new_id_of:
            target.save_draft(new_id_of[article_id], values)
            report.drafts += 1
    _copy_learned(source, target, empty=empty)

    # The counts: the copy's own against the source's (or, merging, before and after).
    if empty:
        mine, copy = source.counts(), target.counts()
        for key in COUNTED:
            report.counts[key] = (mine[key], copy[key])
            if mine[key] != copy[key]:
                report.problems.append(f"{key}: {mine[key]} in the library, {copy[key]} copied")
        theirs = {s.name: s.query for s in source.saved_searches()}
        ours = {s.name: s.query for s in target.saved_searches()}
        report.counts["saved_searches"] = (len(theirs), len(ours))
        if theirs != ours:
            report.problems.append("saved searches differ in the copy")
    else:
        after = target.counts()
        for key in COUNTED:
            report.counts[key] = (before[key], after[key])
    # Tag names (a tag no article has is not copied: the per-article check covers the rest).
    report.counts["tags"] = (len(source.all_tags()), len(target.all_tags()))
    return report


def _copy_learned(source: Library, target: Library, *, empty: bool) -> None:
    """Copy what the source learned: every group's row (an older version's single row split).

    Into a library that has rows already, only the groups it has no row for are copied: a
    second copy of the same library must not count its articles twice.
    """
    taken: set[str] = set()
    if not empty:
        split_legacy_state(target)
        taken = set(target.learned_state_names(BOILERPLATE_STATE))
    batch: dict[str, str] = {}
    size = 0
    for name, state in group_states(source):
        if name in taken:
            continue
        batch[name] = state
        size += len(state)
        if size >= LEARNED_BATCH_CHARS:
            target.save_learned_states(batch)
            batch, size = {}, 0
    target.save_learned_states(batch)
