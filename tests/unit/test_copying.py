"""``copy_library``'s verification: it finds what a copy lost (both engines as the target)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_app.core.copying import copy_library
from archive_app.core.errors import LibraryError
from archive_app.core.library import Library
from tests.conftest import NewArticleFactory


def test_the_verification_notices_a_byte_the_copy_lost(
    library: Library,
    tmp_path: Path,
    make_article: NewArticleFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Library(tmp_path / "source.sqlite3") as source:
        source.add_articles([make_article(), make_article(tags=("kept",))])
        real = library.source_bytes
        monkeypatch.setattr(library, "source_bytes", lambda i: real(i)[:-1] if i == 2 else real(i))
        report = copy_library(source, library)
    assert report.verified_sha256 == 1
    assert report.problems == ["article 2: the copy's original bytes differ (SHA-256)"]
    assert not report.ok
    assert report.lines()[-2:] == [
        "NOT verified: 1 problems",
        "problem: article 2: the copy's original bytes differ (SHA-256)",
    ]


def test_an_empty_looking_target_with_saved_searches_is_not_empty(
    library: Library, tmp_path: Path, make_article: NewArticleFactory
) -> None:
    library.save_search("Mine", "title:x")
    with Library(tmp_path / "source.sqlite3") as source:
        source.add_articles([make_article()])
        with pytest.raises(LibraryError, match="--merge"):
            copy_library(source, library)
        report = copy_library(source, library, merge=True)
    assert report.ok
    assert library.count() == 1
