"""Where the library and settings live: platformdirs locations and their overrides."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "ArticleArchive"
LIBRARY_FILE_NAME = "library.sqlite3"
LIBRARY_ENV_VAR = "ARCHIVE_APP_LIBRARY"


def data_dir() -> Path:
    """Return the per-user data folder (not created)."""
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def default_library_path() -> Path:
    """Return the default library file: ``library.sqlite3`` in the user data folder."""
    return data_dir() / LIBRARY_FILE_NAME


#: How a library on a PostgreSQL server is named (``--library`` or ``$ARCHIVE_APP_LIBRARY``).
SERVER_URL_PREFIXES = ("postgresql://", "postgres://")


def is_server_url(value: str | os.PathLike[str] | None) -> bool:
    """Whether ``value`` is a ``postgresql://`` URL rather than a file path."""
    return isinstance(value, str) and value.lower().startswith(SERVER_URL_PREFIXES)


def resolve_library(cli_value: str | os.PathLike[str] | None = None) -> Path | str:
    """Like ``resolve_library_path``, but a ``postgresql://`` URL is returned as it is.

    Args:
        cli_value: The value of ``--library`` if it was given.
    """
    for value in (cli_value, os.environ.get(LIBRARY_ENV_VAR)):
        if value:
            return (
                value
                if isinstance(value, str) and is_server_url(value)
                else Path(value).expanduser()
            )
    return default_library_path()


def resolve_library_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """Return the library to open: ``--library``, else ``$ARCHIVE_APP_LIBRARY``, else the default.

    Args:
        cli_value: The value of ``--library`` if it was given.
    """
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(LIBRARY_ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_library_path()
