"""Original bytes are kept compressed: Zstandard for new sources, zlib rows still read."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
import zlib
from pathlib import Path

import pytest

from archive_app.core.compression import CODEC, CompressionError, compress, decompress
from archive_app.core.importer import import_files
from archive_app.core.library import Library
from tests.conftest import NewArticleFactory

#: Bytes no decoder would guess right by accident: legacy Cyrillic, CRLF, a NUL-free binary tail.
ORIGINAL = "Заголовок\r\n\r\nТекст статьи.\r\n".encode("cp1251") * 40 + bytes(range(1, 256))


def test_compressed_bytes_come_back_exactly_and_smaller() -> None:
    packed = compress(ORIGINAL)
    assert CODEC == "zstd"
    assert packed[:4] == b"\x28\xb5\x2f\xfd"  # a Zstandard frame
    assert len(packed) < len(ORIGINAL) / 2
    assert decompress(packed, "zstd") == ORIGINAL
    assert decompress(compress(b""), "zstd") == b""


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (compress(ORIGINAL)[:-4], "zstd"),  # cut short
        (compress(ORIGINAL) + b"more", "zstd"),  # something after the frame
        (b"not compressed at all", "zstd"),
        (zlib.compress(ORIGINAL)[:-4], "zlib"),
        (b"not compressed at all", "zlib"),
    ],
    ids=["zstd-cut", "zstd-trailing", "zstd-garbage", "zlib-cut", "zlib-garbage"],
)
def test_damaged_bytes_are_an_error_never_short_or_wrong_bytes(data: bytes, codec: str) -> None:
    with pytest.raises(CompressionError, match=f"damaged {codec} data"):
        decompress(data, codec)


def test_bytes_stored_without_a_codec_are_read_as_they_are() -> None:
    assert decompress(memoryview(b"plain"), "none") == b"plain"


def test_an_imported_file_and_its_sidecar_come_back_byte_for_byte(
    library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_bytes(ORIGINAL)
    sidecar = b'{"url": "https://example.org/story", "note": "\xc3\xa9t\xc3\xa9"}'
    (folder / "story.json").write_bytes(sidecar)
    report = import_files(library, [folder], workers=0)
    [article_id] = report.imported
    assert library.source_bytes(article_id) == ORIGINAL
    assert library.source_sidecar(article_id) == ("story.json", sidecar)
    source = library.get_article(article_id).source
    assert source is not None
    assert source.sha256 == hashlib.sha256(ORIGINAL).hexdigest()
    assert library.check() == []


def test_zlib_sources_of_an_older_library_stay_readable(
    library: Library, make_article: NewArticleFactory
) -> None:
    old = dataclasses.replace(
        make_article(),
        size=len(ORIGINAL),
        sha256=hashlib.sha256(ORIGINAL).hexdigest(),
        compressed_data=zlib.compress(ORIGINAL),
        sidecar_name="old.json",
        sidecar_data=zlib.compress(b"{}"),
        compression="zlib",
    )
    new = dataclasses.replace(
        make_article(), size=len(ORIGINAL), sha256=old.sha256, compressed_data=compress(ORIGINAL)
    )
    old_id, new_id = library.add_articles([old, new])
    assert library.source_bytes(old_id) == library.source_bytes(new_id) == ORIGINAL
    assert library.source_sidecar(old_id) == ("old.json", b"{}")
    assert library.check() == []


@pytest.mark.sqlite_only  # damages the file with sqlite3 (the server's checks share the code)
def test_check_reports_zstd_bytes_that_cannot_be_decompressed(
    library_path: Path, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_bytes(ORIGINAL)
    with Library(library_path) as lib:
        [article_id] = import_files(lib, [tmp_path / "a.txt"], workers=0).imported
    conn = sqlite3.connect(library_path)
    with conn:
        conn.execute("UPDATE source_file SET data = substr(data, 1, 20)")
    conn.close()
    with Library(library_path) as lib:
        problems = lib.check()
        assert any("its bytes are damaged" in p for p in problems), problems
        with pytest.raises(CompressionError):
            lib.source_bytes(article_id)
