"""The import applies what the decoder, the parser and the collection learning find."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from archive_app.core.reparse import reparse_articles

ROOT = Path(__file__).parents[2]
LICENCE = (
    "All material from the Example Wire Service is licensed under a Creative Commons "
    "Attribution 4.0 International License."
)
SHARE = "Share this story with your friends on social networks"
REPEATED_NEWS = "The ministry said the talks would resume in the spring after a long pause."


def _story(n: int) -> str:
    topics = ["harbour", "railway", "festival", "election", "harvest", "museum", "bridge"]
    topic = topics[n % len(topics)]
    return (
        f"Officials opened the new {topic} number {n} on Monday after years of planning. "
        f"Residents of district {n} gathered to watch the ceremony.\n\n"
        f"The project cost {n + 3} million and employed {n * 7 + 11} workers from the region."
    )


def _write_source(folder: Path, count: int, *, start: int = 0, repeated: set[int] = frozenset()):
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        body = _story(n)
        if n in repeated:
            body += "\n\n" + REPEATED_NEWS
        # The licence is glued to the last body line after two spaces, as scrapers leave it.
        text = f"Headline of story {n}\n\n{body}  {LICENCE}\n\n{SHARE}\n"
        (folder / f"story-{n:03d}.txt").write_text(text, encoding="utf-8")


def test_boilerplate_learned_from_a_source_leaves_every_body(
    library: Library, tmp_path: Path
) -> None:
    _write_source(tmp_path / "wire", 30, repeated={4, 17, 25})
    report = import_paths(library, [tmp_path / "wire"], chunk_files=7)
    assert len(report.imported) == 30
    records = [library.get_article(i) for i in report.imported]
    for record in records:
        assert LICENCE not in record.body
        assert "Creative Commons" not in record.body
        assert LICENCE in record.rights
        assert SHARE not in record.body
        assert record.body.startswith("Officials opened")
    # The guard: news text repeated in 3 of 30 articles is not boilerplate.
    with_repeat = [r for r in records if REPEATED_NEWS in r.body]
    assert len(with_repeat) == 3
    # Search no longer finds the licence words in the bodies.
    assert library.search("body:attribution") == []


def test_reparse_applies_what_was_learned_to_earlier_imports(
    library: Library, tmp_path: Path
) -> None:
    _write_source(tmp_path / "wire", 3)  # too few to learn anything from
    first = import_paths(library, [tmp_path / "wire"]).imported
    assert all(LICENCE in library.get_article(i).body for i in first)
    _write_source(tmp_path / "wire", 30, start=3)
    import_paths(library, [tmp_path / "wire"])
    assert all(LICENCE in library.get_article(i).body for i in first)  # not re-parsed yet
    report = reparse_articles(library, library.article_ids())
    assert set(first) <= set(report.changed)
    for article_id in first:
        record = library.get_article(article_id)
        assert LICENCE not in record.body
        assert LICENCE in record.rights


def test_a_headline_from_the_file_name_needs_no_review(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "_news_4521_Harbour-Workers-End-Their-Strike-After-Talks.txt"
    path.write_text(
        "PORTVILLE – Dock workers went back to work on Tuesday after the union accepted a "
        "new offer from the port authority, ending a strike that had lasted three weeks and "
        "left dozens of ships waiting outside the harbour for a berth.\n",
        encoding="utf-8",
    )
    [article_id] = import_paths(library, [path]).imported
    record = library.get_article(article_id)
    assert record.title == "Harbour Workers End Their Strike After Talks"
    assert record.dateline.startswith("PORTVILLE")
    assert "title from file name" in record.parse_warnings
    assert not record.needs_review


def test_a_sidecar_fills_the_fields_and_is_kept_with_the_source(
    library: Library, tmp_path: Path
) -> None:
    (tmp_path / "17_raw.txt").write_text(
        "The city council approved the budget for next year after a long debate.\n",
        encoding="utf-8",
    )
    meta = {
        "title": "Council approves the budget",
        "date": "2022-03-24 12:56:00",
        "author": "NOT FOUND",
        "url": "https://news.example.org/17",
    }
    (tmp_path / "17_meta.json").write_text(json.dumps(meta), encoding="utf-8")
    report = import_paths(library, [tmp_path / "17_raw.txt"])
    record = library.get_article(report.imported[0])
    assert record.title == "Council approves the budget"
    assert record.published_on is not None
    assert record.published_on.isoformat() == "2022-03-24"
    assert record.source_url == "https://news.example.org/17"
    assert record.byline == ""  # the placeholder is ignored
    assert record.source is not None
    assert record.source.sidecar_name == "17_meta.json"
    assert library.source_sidecar(record.id) == ("17_meta.json", json.dumps(meta).encode())


def test_a_doubtful_decode_is_flagged_with_the_runner_up(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes("Шалом".encode("cp1251"))
    [article_id] = import_paths(library, [path]).imported
    record = library.get_article(article_id)
    assert record.needs_review
    assert any(
        w.startswith("decoded as ") and "could also be" in w for w in record.parse_warnings
    ), record.parse_warnings
    assert record.source is not None
    assert record.source.encoding_confidence < 1.0


def test_reparse_from_the_command_line_in_another_encoding(tmp_path: Path) -> None:
    text = "Новости города\n\nСегодня в городе открыли новый мост через реку, сообщили власти.\n"
    path = tmp_path / "koi.txt"
    path.write_bytes(text.encode("koi8_r"))
    library = tmp_path / "lib.sqlite3"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "archive_app", "--library", str(library), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert cli("import", str(path)).returncode == 0
    assert json.loads(cli("show", "1", "--json").stdout)["title"] == "Новости города"
    wrong = cli("reparse", "1", "--encoding", "cp1251", "--json")
    assert wrong.returncode == 0, wrong.stderr
    shown = json.loads(cli("show", "1", "--json").stdout)
    assert shown["title"] == text.encode("koi8_r").decode("cp1251").split("\n")[0]
    assert shown["source"]["encoding"] == "cp1251"
    back = cli("reparse", "--all", "--encoding", "koi8-r")
    assert back.returncode == 0, back.stderr
    shown = json.loads(cli("show", "1", "--json").stdout)
    assert shown["title"] == "Новости города"
    assert shown["source"]["encoding"] == "koi8-r"
    bad = cli("reparse", "1", "--encoding", "no-such-codec")
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1
    assert "unknown encoding" in bad.stderr
