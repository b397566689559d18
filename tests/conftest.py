"""Shared fixtures: temporary libraries and article factories."""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from archive_app.core.library import Library
from archive_app.core.records import ArticleFields, NewArticle

TESTS_DIR = Path(__file__).parent
FIXTURES = TESTS_DIR / "fixtures" / "articles"
# A byte-identical copy of ../shared/seed/ (the sample that started the project), so the suite
# does not depend on where the checkout sits.
SEED_DIR = TESTS_DIR / "fixtures" / "seed"
SEED_FILE = SEED_DIR / "000_7f3caeb8daf06a9f.txt"


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


@pytest.fixture
def library(library_path: Path) -> Iterator[Library]:
    lib = Library(library_path)
    yield lib
    lib.close()


NewArticleFactory = Callable[..., NewArticle]


@pytest.fixture
def make_article() -> NewArticleFactory:
    counter = iter(range(1, 1_000_000))

    def make(**overrides: object) -> NewArticle:
        n = next(counter)
        fields = ArticleFields(
            **{
                "title": f"Article number {n}",
                "body": f"First paragraph of article {n}.\n\nSecond paragraph.",
                **overrides,
            }  # type: ignore[arg-type]
        )
        raw = f"{fields.title}\n\n{fields.body}".encode()
        return NewArticle(
            fields=fields,
            parse_warnings=(),
            content_hash=hashlib.sha256(raw).hexdigest(),
            file_name=f"article-{n}.txt",
            original_path=f"/tmp/article-{n}.txt",
            size=len(raw),
            sha256=hashlib.sha256(raw).hexdigest(),
            encoding="utf-8",
            compressed_data=zlib.compress(raw),
        )

    return make
