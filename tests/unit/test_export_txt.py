"""Plain-text export: files the importer reads back to the same article."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from archive_app.core.records import ArticleFields, ArticleRecord
from archive_app.export.common import ExportError, ExportExistsError
from archive_app.export.txt import SEPARATOR, article_to_text, export_txt
from tests.conftest import FIXTURES, SEED_FILE, NewArticleFactory

ROUND_TRIP_FIELDS = (
    "title",
    "section_path",
    "byline",
    "publisher",
    "dateline",
    "published_on",
    "source_url",
    "alternate_urls",
    "language",
    "photo_caption",
    "photo_credit",
    "body",
    "share_section",
    "publisher_note",
    "rights",
)
SAMPLES = [SEED_FILE, *sorted(FIXTURES.glob("*.txt"))]


def fields_of(record: ArticleFields) -> dict[str, object]:
    return {name: getattr(record, name) for name in ROUND_TRIP_FIELDS}


def import_one(library: Library, path: Path) -> ArticleRecord:
    report = import_paths(library, [path])
    assert report.failed == [], report.failed
    [article_id] = report.imported
    return library.get_article(article_id)


def record(article_id: int, **fields: object) -> ArticleRecord:
    return ArticleRecord(id=article_id, uid=str(uuid.uuid4()), **fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ round trip
@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_export_then_import_gives_the_same_article(
    sample: Path, library: Library, tmp_path: Path
) -> None:
    original = import_one(library, sample)
    result = export_txt([original], tmp_path / "out")
    [exported] = result.files
    with Library(tmp_path / "again.sqlite3") as fresh:
        again = import_one(fresh, exported)
    assert fields_of(again) == fields_of(original)


def test_every_field_the_parser_knows_survives_a_round_trip(
    library: Library, make_article: NewArticleFactory, tmp_path: Path
) -> None:
    [article_id] = library.add_articles(
        [
            make_article(
                title="Harbour cranes return to the old port",
                section_path=("World", "Europe", "Ports"),
                byline="Anna Smith and Li Wei",
                publisher="Press TV",
                dateline="HAMBURG",
                published_on=dt.date(2021, 11, 30),
                source_url="https://www.example.org/news/2021/11/30/cranes",
                alternate_urls=("www.presstv.ir", "www.presstv.co.uk"),
                photo_caption="Cranes at the old port in Hamburg.",
                photo_credit="John Smith/AFP/Getty Images",
                body="HAMBURG – Two cranes came back on Tuesday.\n\n"
                "A soft line break\nstays inside its paragraph.\n\n"
                "“Quotes”, dashes — and ellipses… survive too.",
                share_section="SHARE THIS ARTICLE\nFacebook Twitter\nEmail",
                publisher_note="Press TV’s website can also be accessed at the following "
                "alternate addresses:",
                rights="This article is licensed under a Creative Commons Attribution 4.0 "
                "International License.",
                language="en",
            )
        ]
    )
    original = library.get_article(article_id)
    [exported] = export_txt([original], tmp_path / "out").files
    with Library(tmp_path / "again.sqlite3") as fresh:
        again = import_one(fresh, exported)
    assert fields_of(again) == fields_of(original)
    assert not again.needs_review


def test_seed_sample_is_written_in_the_seed_layout(library: Library) -> None:
    text = article_to_text(import_one(library, SEED_FILE))
    blocks = text.split("\n\n")
    assert blocks[:3] == [
        "News / Russia",
        "Putin tells Macron West should stop sending arms to Ukraine to end atrocities",
        "The file photo shows a Ukrainian soldier with an anti-tank rocket launcher. (Photo: AFP)",
    ]
    assert blocks[3].startswith("Russian President Vladimir Putin has urged the West")
    assert blocks[-2:] == [
        "Press TV’s website can also be accessed at the following alternate addresses:\n"
        "www.presstv.co.uk",
        "SHARE THIS ARTICLE\nPress TV News Roku\n",
    ]
    assert len(blocks) == 3 + 16 + 2
    assert "\r" not in text
    assert text.endswith("Roku\n")
    assert not text.endswith("\n\n")


def test_header_lines_are_written_as_a_reader_expects() -> None:
    text = article_to_text(
        ArticleFields(
            title="Headline",
            byline="Jane Doe",
            published_on=dt.date(2022, 5, 3),
            photo_caption="A caption.",
            photo_credit="Reuters",
            source_url="https://example.com/a",
            body="One.\n\nTwo.",
        )
    )
    assert text == (
        "Headline\n\nBy Jane Doe\nPublished: 2022-05-03\n\nA caption. (Photo: Reuters)\n\n"
        "One.\n\nTwo.\n\nSource: https://example.com/a\n"
    )


def test_text_that_utf8_cannot_encode_is_marked_not_lost(tmp_path: Path) -> None:
    [path] = export_txt([record(1, title="Odd", body="A lone \ud800 surrogate.")], tmp_path).files
    assert path.read_text("utf-8") == "Odd\n\nA lone \ufffd surrogate.\n"


# ----------------------------------------------------------------------------- the files
HOSTILE_TITLES = ["../../etc/passwd", "CON", "a/b\\c:d*?", "", "x" * 300, "Same", "Same"]


def test_files_are_utf8_with_unix_newlines_and_safe_unique_names(tmp_path: Path) -> None:
    records = [
        record(n, title=title, body=f"Паragraph {n} — 中文 العربية.")
        for n, title in enumerate(HOSTILE_TITLES, start=1)
    ]
    out = tmp_path / "out"
    result = export_txt(records, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.files)
    names = [p.name for p in result.files]
    assert len({n.lower() for n in names}) == len(records)
    for path, rec in zip(result.files, records, strict=True):
        assert path.parent == out
        assert path.name.startswith(f"{rec.id}-")
        assert path.suffix == ".txt"
        assert not set(path.name) & set('<>:"/\\|?*')
        assert len(path.name) <= 100
        data = path.read_bytes()
        assert b"\r" not in data
        assert data.decode("utf-8").endswith(f"Паragraph {rec.id} — 中文 العربية.\n")
    assert result.main_file is None  # several files: nothing single to open


def test_single_file_holds_every_article_between_separators(
    library: Library, tmp_path: Path
) -> None:
    originals = [import_one(library, path) for path in SAMPLES[:4]]
    out = tmp_path / "all.txt"
    result = export_txt(originals, out, single_file=True)
    assert result.files == [out]
    assert result.main_file == out
    text = out.read_text("utf-8")
    parts = text.split(f"\n{SEPARATOR}\n\n")
    assert parts == [article_to_text(r) for r in originals]
    # Each part, cut out again, imports as the article it came from.
    for n, (part, original) in enumerate(zip(parts, originals, strict=True)):
        piece = tmp_path / f"part-{n}.txt"
        piece.write_text(part, encoding="utf-8")
        with Library(tmp_path / f"part-{n}.sqlite3") as fresh:
            assert fields_of(import_one(fresh, piece)) == fields_of(original)


def test_existing_file_refuses_the_export_and_nothing_is_written(tmp_path: Path) -> None:
    records = [record(1, title="One", body="1."), record(2, title="Two", body="2.")]
    (tmp_path / "2-two.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportExistsError) as info:
        export_txt(records, tmp_path)
    assert info.value.paths == [tmp_path / "2-two.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["2-two.txt"]
    result = export_txt(records, tmp_path, force=True)
    assert (tmp_path / "2-two.txt").read_text("utf-8") == "Two\n\n2.\n"
    assert len(result.files) == 2


def test_single_file_refuses_an_existing_file_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "all.txt"
    out.write_text("keep", encoding="utf-8")
    with pytest.raises(ExportExistsError):
        export_txt([record(1, title="One", body="1.")], out, single_file=True)
    assert out.read_text("utf-8") == "keep"
    export_txt([record(1, title="One", body="1.")], out, single_file=True, force=True)
    assert out.read_text("utf-8") == "One\n\n1.\n"


def test_wrong_kind_of_destination_is_an_export_error(tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        export_txt([record(1, title="One")], a_file)
    with pytest.raises(ExportError, match="is a folder"):
        export_txt([record(1, title="One")], tmp_path, single_file=True)


def test_progress_and_cancel_keep_only_whole_files(tmp_path: Path) -> None:
    records = [record(n, title=f"Article {n}", body="Text.") for n in range(1, 6)]
    calls: list[tuple[int, int, str]] = []
    out = tmp_path / "out"
    result = export_txt(
        records, out, progress=lambda *a: calls.append(a), cancel=lambda: len(calls) >= 3
    )
    assert result.cancelled
    assert calls == [(1, 5, "Article 1"), (2, 5, "Article 2"), (3, 5, "Article 3")]
    assert sorted(p.name for p in out.iterdir()) == [
        "1-article-1.txt",
        "2-article-2.txt",
        "3-article-3.txt",
    ]
    assert result.files == [out / name for name in sorted(p.name for p in out.iterdir())]

    single = tmp_path / "all.txt"
    calls.clear()
    cancelled = export_txt(
        records,
        single,
        single_file=True,
        progress=lambda *a: calls.append(a),
        cancel=lambda: len(calls) >= 2,
    )
    assert cancelled.cancelled
    assert cancelled.files == []
    assert not single.exists()


def test_the_same_article_twice_gets_two_files(tmp_path: Path) -> None:
    article = record(7, title="Twice", body="Text.")
    result = export_txt([article, article], tmp_path)
    assert [p.name for p in result.files] == ["7-twice.txt", "7-twice-2.txt"]
    assert {p.read_text("utf-8") for p in result.files} == {"Twice\n\nText.\n"}
