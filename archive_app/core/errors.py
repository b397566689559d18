"""Errors the core raises, each with a message fit to show the archivist."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive_app.core.records import ArticleFields, ArticleRecord


class LibraryError(Exception):
    """The library cannot be opened or used; the message says why and what to do."""


class LibraryTooNewError(LibraryError):
    """The library was written by a newer version of the app."""


class LibraryBusyError(LibraryError):
    """Another program held the write lock for longer than the library waits."""


class LibraryReadOnlyError(LibraryError):
    """The library is open read-only (read-only file or folder, full disk)."""


class NoLibraryHereError(LibraryError):
    """There is no library at that file or in that database yet (only ``create`` makes one)."""


class NoLibraryFileError(LibraryError, AttributeError):
    """A library on a server has no file: use ``location`` to name it, ``file`` to test."""


class ArticleNotFoundError(LibraryError, LookupError):
    """No article has the requested id."""


class ValidationError(LibraryError, ValueError):
    """An edit was refused; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class LibraryConflictError(LibraryError):
    """A save met a newer version of the article than the one the editor loaded.

    Nothing was written. ``theirs`` is the article as stored now (its ``version`` is what a
    save that keeps or merges it passes next); ``ours`` the fields that were to be saved over
    ``expected_version``.
    """

    def __init__(
        self, article_id: int, theirs: ArticleRecord, ours: ArticleFields, expected_version: int
    ) -> None:
        self.article_id = article_id
        self.theirs = theirs
        self.ours = ours
        self.expected_version = expected_version
        super().__init__(
            f"article {article_id} was changed by someone else while it was edited (version "
            f"{theirs.version} is stored, the edits are of version {expected_version}); "
            "nothing was saved: compare the two versions and save again"
        )

    @property
    def their_version(self) -> int:
        """The stored version."""
        return self.theirs.version
