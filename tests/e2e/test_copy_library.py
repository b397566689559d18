"""``copy-library``: a whole library into another (file to server and back), verified."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from tests.conftest import FIXTURES
from tests.e2e.test_cli import run_cli


def _populate(path: Path, tmp_path: Path) -> None:
    """A library with something of everything a copy must carry."""
    side = tmp_path / "side"
    side.mkdir()
    (side / "with_meta.txt").write_text(
        "A headline from a sidecar\n\nThe body of the article with a sidecar.\n", "utf-8"
    )
    (side / "with_meta.json").write_text(
        json.dumps({"title": "Sidecar title", "author": "Ann Writer", "topics": ["Ports"]}),
        "utf-8",
    )
    with Library(path) as lib:
        report = import_paths(lib, [FIXTURES, side])
        assert report.failed == []
        ids = sorted(lib.article_ids())
        lib.update_fields(ids[0], {"title": "Edited title", "tags": ("Diplomacy", "élan")})
        lib.update_fields(ids[1], {"notes": "a note", "published_on": None})
        lib.trash([ids[2]])
        lib.save_search("Russia", "section:Russia")
        lib.save_search("Edited", "title:edited")
        lib.save_draft(ids[3], {"title": "typed, not saved"})


def _snapshot(location: str) -> dict[str, Any]:
    """Per uid: the article as ``show --json`` has it (without the concurrency token), its
    original bytes, sidecar and revisions; and the saved searches and drafts."""
    with Library(location, create=False) as lib:
        ids = sorted(lib.article_ids() + lib.article_ids(trash=True))
        articles = {}
        for article_id in ids:
            record = lib.get_article(article_id)
            data = record.to_json()
            del data["version"]
            data["tags"] = sorted(data["tags"])
            articles[record.uid] = (
                data,
                lib.source_bytes(article_id),
                lib.source_sidecar(article_id),
                [
                    {k: v for k, v in r.to_json().items() if k != "id"}
                    for r in lib.history(article_id)
                ],
            )
        return {
            "articles": articles,
            "searches": sorted((s.name, s.query) for s in lib.saved_searches()),
            "drafts": lib.drafts(),
        }


def test_a_library_is_copied_there_and_back_with_everything_verified(
    library_location: str, tmp_path: Path
) -> None:
    # The other end is this test's engine: a second file, or a database on the server.
    source = tmp_path / "source.sqlite3"
    _populate(source, tmp_path)
    before = _snapshot(str(source))
    assert any(sidecar for _d, _b, sidecar, _r in before["articles"].values())
    assert any(revisions for _d, _b, _s, revisions in before["articles"].values())

    there = run_cli("copy-library", "--from", source, "--to", library_location)
    lines = there.stdout.splitlines()
    total = len(before["articles"])
    assert lines[0].startswith(f"copied {total - 1} articles and 1 in the trash from {source}")
    assert f"SHA-256 of the copy matches the source for {total} of {total}" in there.stdout
    assert f"articles {total - 1} = {total - 1}" in there.stdout
    assert "saved searches 2 = 2" in there.stdout
    assert "ids: the same as in the source" in there.stdout
    assert lines[-1] == "verified: every field, tag, revision and original byte is in the copy"
    assert _snapshot(library_location) == before

    back = tmp_path / "back.sqlite3"
    report = json.loads(
        run_cli("copy-library", "--from", library_location, "--to", back, "--json").stdout
    )
    assert report["problems"] == []
    assert report["verified_sha256"] == total
    assert report["counts"]["revisions"]["from"] == report["counts"]["revisions"]["to"] > 0
    assert _snapshot(str(back)) == before


def test_a_target_with_articles_is_refused_unless_merging(
    library_location: str, tmp_path: Path
) -> None:
    source = tmp_path / "source.sqlite3"
    _populate(source, tmp_path)
    run_cli("copy-library", "--from", source, "--to", library_location)
    with Library(library_location) as lib:
        count = lib.count()
    again = run_cli("copy-library", "--from", source, "--to", library_location, check=False)
    assert again.returncode == 1
    assert "is not empty" in again.stderr
    assert "--merge" in again.stderr
    assert again.stderr.count("\n") == 1
    merged = run_cli("copy-library", "--from", source, "--to", library_location, "--merge")
    assert "already there, skipped" in merged.stdout
    with Library(library_location) as lib:
        assert lib.count() == count  # nothing twice
    onto_itself = run_cli("copy-library", "--from", source, "--to", source, check=False)
    assert onto_itself.returncode == 1
    assert "onto itself" in onto_itself.stderr
    missing = run_cli(
        "copy-library", "--from", tmp_path / "none.sqlite3", "--to", tmp_path / "x", check=False
    )
    assert missing.returncode == 1
    assert not (tmp_path / "x").exists()
