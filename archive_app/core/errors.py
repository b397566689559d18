"""Errors the core raises, each with a message fit to show the archivist."""

from __future__ import annotations


class LibraryError(Exception):
    """The library cannot be opened or used; the message says why and what to do."""


class LibraryTooNewError(LibraryError):
    """The library was written by a newer version of the app."""


class LibraryBusyError(LibraryError):
    """Another program held the write lock for longer than the library waits."""


class LibraryReadOnlyError(LibraryError):
    """The library is open read-only (read-only file or folder, full disk)."""


class NoLibraryFileError(LibraryError, AttributeError):
    """A library on a server has no file: use ``location`` to name it, ``file`` to test."""


class ArticleNotFoundError(LibraryError, LookupError):
    """No article has the requested id."""


class ValidationError(LibraryError, ValueError):
    """An edit was refused; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
