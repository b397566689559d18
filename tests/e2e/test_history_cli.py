"""The command line keeps every edit: set, history, revert, backup, restore-backup, check."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from archive_app.core.compression import compress

ROOT = Path(__file__).parents[2]
SEED = ROOT / "tests" / "fixtures" / "seed"


def run(library: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archive_app", "--library", str(library), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


@pytest.fixture
def library(library_location: str) -> str:
    """The seed imported into a new library (a file, or a PostgreSQL database)."""
    assert run(library_location, "import", str(SEED)).returncode == 0
    return library_location


def show(library: Path, article_id: int = 1) -> dict[str, object]:
    result = run(library, "show", str(article_id), "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_set_keeps_a_section_part_with_a_slash_and_records_a_revision(library: Path) -> None:
    original = show(library)
    result = run(
        library,
        "set",
        "1",
        "--title",
        "New title",
        "--section",
        "World",
        "--section",
        "US/Canada",
        "--tag",
        "Energy",
        "--tag",
        "EU",
        "--notes",
        "checked",
    )
    assert result.returncode == 0, result.stderr
    now = show(library)
    assert now["title"] == "New title"
    assert now["section_path"] == ["World", "US/Canada"]
    assert now["tags"] == ["Energy", "EU"]
    assert now["notes"] == "checked"
    [revision] = json.loads(run(library, "history", "1", "--json").stdout)
    assert revision["kind"] == "edit"
    assert revision["user"]
    assert revision["changes"]["title"] == {"old": original["title"], "new": "New title"}
    assert revision["changes"]["section_path"]["new"] == ["World", "US/Canada"]
    assert set(revision["changes"]) == {"title", "section_path", "tags", "notes"}


def test_revert_restores_an_earlier_version_as_a_new_revision(library: Path) -> None:
    original = show(library)
    assert run(library, "set", "1", "--title", "First edit").returncode == 0
    assert run(library, "set", "1", "--title", "Second edit", "--byline", "Someone").returncode == 0
    revisions = json.loads(run(library, "history", "1", "--json").stdout)
    assert [r["changes"]["title"]["new"] for r in revisions] == ["First edit", "Second edit"]
    assert run(library, "revert", "1", "--to", str(revisions[0]["id"])).returncode == 0
    back = show(library)
    assert back["title"] == "First edit"
    assert back["byline"] == original["byline"]
    revisions = json.loads(run(library, "history", "1", "--json").stdout)
    assert revisions[-1]["kind"] == f"restore of revision {revisions[0]['id']}"
    assert run(library, "revert", "1", "--to", "0").returncode == 0
    assert show(library)["title"] == original["title"]
    bad = run(library, "revert", "1", "--to", "999")
    assert bad.returncode == 1
    assert "no revision 999" in bad.stderr


def test_reparse_is_a_revision_too(library: Path) -> None:
    assert run(library, "set", "1", "--title", "Edited").returncode == 0
    assert run(library, "reparse", "1").returncode == 0
    revisions = json.loads(run(library, "history", "1", "--json").stdout)
    assert revisions[-1]["kind"] == "re-parse"
    assert revisions[-1]["changes"]["title"]["old"] == "Edited"


@pytest.mark.sqlite_only  # SQLite's online backup of a file (a server is backed up on the server)
def test_backup_while_in_use_and_restore_keep_everything(library: Path, tmp_path: Path) -> None:
    holder = sqlite3.connect(library)
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM article").fetchone()  # a reader holds a snapshot
    copy = tmp_path / "copy.backup"
    result = run(library, "backup", "--out", str(copy))
    holder.rollback()
    holder.close()
    assert result.returncode == 0, result.stderr
    assert run(copy, "check").returncode == 0
    assert run(library, "backup", "--out", str(copy)).returncode == 1  # never overwrites
    assert run(library, "set", "1", "--title", "Changed after the backup").returncode == 0
    refused = run(library, "restore-backup", str(copy))  # no terminal: must confirm
    assert refused.returncode == 1
    assert "--yes" in refused.stderr
    restored = run(library, "restore-backup", str(copy), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert show(library)["title"] != "Changed after the backup"
    kept = list(tmp_path.glob("library.sqlite3.before-restore-*.backup"))
    assert len(kept) == 1
    assert show(kept[0])["title"] == "Changed after the backup"


def _damage(library: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(library)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


@pytest.mark.sqlite_only  # damages the file with sqlite3 (test_postgres checks the server's)
def test_check_reports_each_kind_of_damage(library: Path, tmp_path: Path) -> None:
    assert run(library, "import", str(ROOT / "tests" / "fixtures" / "articles")).returncode == 0
    ok = run(library, "check", "--json")
    assert ok.returncode == 0, ok.stdout
    assert json.loads(ok.stdout)["ok"] is True
    _damage(library, "UPDATE source_file SET data = ? WHERE id = 2", compress(b"changed"))
    _damage(library, "PRAGMA foreign_keys = OFF")
    conn = sqlite3.connect(library)
    conn.execute("UPDATE article SET source_file_id = NULL WHERE id = 3")
    conn.execute(
        "INSERT INTO source_file (file_name, size, sha256, encoding, data, imported_at) "
        "VALUES ('stray.txt', 1, 'x', 'utf-8', ?, '2026-01-01 00:00:00')",
        (zlib.compress(b"x"),),
    )
    conn.execute("DELETE FROM article_fts_docsize WHERE id = 4")
    conn.commit()
    conn.close()
    result = run(library, "check")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("problem:")]
    text = "\n".join(lines)
    assert "source file 2" in text
    assert "SHA-256" in text
    assert "article 3 has no source file" in text
    assert "stray.txt" in text
    assert "belongs to no article" in text
    assert "full-text index" in text
    assert "Traceback" not in result.stderr
