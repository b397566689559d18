"""The command line, run for real in a subprocess against a temporary library."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from archive_app.core.library import Library
from tests.conftest import SEED_FILE

ROOT = Path(__file__).parents[2]


def run_cli(
    *args: str | Path, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    base_env = {k: v for k, v in os.environ.items() if k != "ARCHIVE_APP_LIBRARY"}
    proc = subprocess.run(
        [sys.executable, "-m", "archive_app", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**base_env, **(env or {})},
        timeout=120,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def run_json(*args: str | Path) -> Any:
    return json.loads(run_cli(*args).stdout)


@pytest.fixture
def lib(library_location: str) -> str:
    """A new library for the command line: a file, or a ``postgresql://`` URL."""
    return library_location


def test_import_show_list_search_round_trip(lib: Path) -> None:
    report = run_json("--library", lib, "import", SEED_FILE, "--json")
    assert report["duplicates"] == []
    assert report["failed"] == []
    assert report["skipped"] == []
    [article_id] = report["imported"]

    shown = run_json("--library", lib, "show", str(article_id), "--json")
    assert shown["id"] == article_id
    assert shown["title"].startswith("Putin tells Macron")
    assert shown["section_path"] == ["News", "Russia"]
    assert shown["photo_credit"] == "AFP"
    assert shown["source"]["sha256"] == hashlib.sha256(SEED_FILE.read_bytes()).hexdigest()
    assert shown["source"]["file_name"] == SEED_FILE.name
    assert shown["source"]["encoding"] == "utf-8"
    assert shown["source"]["size"] == SEED_FILE.stat().st_size
    assert shown["tags"] == []
    assert shown["created_at"].endswith("+00:00")
    for key in (
        "uid",
        "byline",
        "publisher",
        "dateline",
        "published_on",
        "source_url",
        "alternate_urls",
        "language",
        "photo_caption",
        "body",
        "share_section",
        "publisher_note",
        "notes",
        "needs_review",
        "parse_warnings",
        "updated_at",
        "deleted_at",
    ):
        assert key in shown

    listed = run_json("--library", lib, "list", "--json")
    assert listed == [
        {
            "id": article_id,
            "title": shown["title"],
            "section_path": ["News", "Russia"],
            "publisher": "Press TV",
            "published_on": None,
        }
    ]
    hits = run_json("--library", lib, "search", "Azovstal", "--json")
    assert [h["id"] for h in hits] == [article_id]
    assert "[Azovstal]" in hits[0]["snippet"]
    assert run_json("--library", lib, "search", "zzzzunknown", "--json") == []

    again = run_json("--library", lib, "import", SEED_FILE, "--json")
    assert again["imported"] == []
    assert again["duplicates"] == [{"path": str(SEED_FILE), "existing_id": article_id}]


def test_human_output(lib: Path) -> None:
    out = run_cli("--library", lib, "import", SEED_FILE).stdout
    assert out.startswith("1 imported, 0 duplicates, 0 failed, 0 skipped")
    listing = run_cli("--library", lib, "list").stdout
    assert "Putin tells Macron" in listing
    assert "[News / Russia]" in listing
    shown = run_cli("--library", lib, "show", "1").stdout
    assert "photo_credit: AFP" in shown
    assert "Azovstal steelworks" in shown


def test_environment_variable_chooses_the_library(library_location: str) -> None:
    run_cli("import", SEED_FILE, env={"ARCHIVE_APP_LIBRARY": library_location})
    listed = json.loads(
        run_cli("list", "--json", env={"ARCHIVE_APP_LIBRARY": library_location}).stdout
    )
    assert len(listed) == 1
    with Library(library_location, create=False) as library:
        assert library.count() == 1


def test_default_library_is_in_the_user_data_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share")}
    run_cli("import", SEED_FILE, env=env)
    assert (home / ".local" / "share" / "ArticleArchive" / "library.sqlite3").is_file()


def test_partial_failure_exits_1_and_names_the_bad_file(lib: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Headline\n\nBody.\n")
    (folder / "bad.txt").write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    proc = run_cli("--library", lib, "import", folder, "--json", check=False)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert len(report["imported"]) == 1
    assert report["failed"] == [
        {"path": str(folder / "bad.txt"), "reason": "not a text file: looks like a PDF document"}
    ]


def test_errors_are_one_line_on_stderr(lib: Path, tmp_path: Path) -> None:
    run_cli("--library", lib, "import", SEED_FILE)
    proc = run_cli("--library", lib, "show", "999", check=False)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (
        "article-archive: error: no article with id 999; see the ids with 'article-archive list'\n"
    )

    not_db = tmp_path / "not-a-library.sqlite3"
    not_db.write_text("hello")
    proc = run_cli("--library", not_db, "list", check=False)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1
    assert "not a SQLite database" in proc.stderr
    assert not_db.read_text() == "hello"

    proc = run_cli("--library", lib, "list", "--limit", "0", check=False)
    assert proc.returncode == 2
    assert "must be 1 or more" in proc.stderr


@pytest.mark.parametrize(
    "query",
    [
        "(" * 500 + "macron",
        "a OR (" * 40 + "b" + ")" * 40,
        " OR ".join(f"w{i}" for i in range(1000)),
    ],
    ids=["500-parens", "40-nested-or", "1000-words"],
)
def test_a_too_deep_query_is_a_one_line_error(lib: Path, query: str) -> None:
    run_cli("--library", lib, "import", SEED_FILE)
    for command in (["search", query], ["list", "--query", query]):
        proc = run_cli("--library", lib, *command, check=False)
        assert proc.returncode == 1, proc.stderr
        assert proc.stdout == ""
        assert "Traceback" not in proc.stderr
        assert proc.stderr.count("\n") == 1, proc.stderr
        assert proc.stderr.startswith("article-archive: error: the query "), proc.stderr
        assert proc.stderr.rstrip().endswith("simplify it"), proc.stderr
    # Fifty NOTs cancel in pairs: the same as the word itself.
    proc = run_cli("--library", lib, "search", "NOT " * 50 + "macron", "--json")
    assert [hit["title"] for hit in json.loads(proc.stdout)] == [
        hit["title"] for hit in run_json("--library", lib, "search", "macron", "--json")
    ]
    assert json.loads(proc.stdout)


def test_list_query_and_limit(lib: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(5):
        (folder / f"{n}.txt").write_text(
            f"Headline {n}\n\nBody about {'cats' if n % 2 else 'dogs'}.\n"
        )
    run_cli("--library", lib, "import", folder)
    assert len(run_json("--library", lib, "list", "--json", "--limit", "2")) == 2
    cats = run_json("--library", lib, "list", "--query", "cats", "--json")
    assert [c["title"] for c in cats] == ["Headline 1", "Headline 3"]


def test_version_and_no_display_message(lib: Path) -> None:
    proc = run_cli("--version")
    assert proc.stdout.startswith("article-archive ")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    proc = subprocess.run(
        [sys.executable, "-m", "archive_app", "--library", str(lib)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("article-archive: error: no display found")
    assert proc.stderr.count("\n") == 1


def _headless_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}


def test_export_every_format_from_the_command_line(lib: Path, tmp_path: Path) -> None:
    from tests.conftest import FIXTURES

    run_cli("--library", lib, "import", SEED_FILE, FIXTURES / "cyrillic_ru.txt")
    out = tmp_path / "html"
    written = run_cli("--library", lib, "export", "--all", "--format", "html", "--out", out)
    files = sorted(Path(line) for line in written.stdout.splitlines())
    assert sorted(p.name for p in files) == sorted(p.name for p in out.iterdir())
    assert (out / "index.html").is_file()
    assert len(files) == 3

    txt = tmp_path / "bundle.txt"
    run_cli(
        "--library", lib, "export", "--query", "Putin", "--format", "txt",
        "--out", txt, "--single-file",
    )  # fmt: skip
    assert txt.read_text(encoding="utf-8").startswith("News / Russia\n\nPutin tells Macron")

    pdf = tmp_path / "court.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "archive_app", "--library", str(lib), "export", "--ids", "1",
         "--format", "pdf", "--single-file", "--pdfa", "--out", str(pdf)],
        capture_output=True, text=True, cwd=ROOT, env=_headless_env(), timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Putin tells Macron" in text
    assert b"pdfaid" in pdf.read_bytes()


def test_export_never_overwrites_without_force(lib: Path, tmp_path: Path) -> None:
    run_cli("--library", lib, "import", SEED_FILE)
    target = tmp_path / "one.txt"
    target.write_text("keep me", encoding="utf-8")
    args = ("--library", lib, "export", "--all", "--format", "txt", "--single-file")
    proc = run_cli(*args, "--out", target, check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith("article-archive: error: would overwrite")
    assert "--force" in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "keep me"
    run_cli(*args, "--out", target, "--force")
    assert "Putin tells Macron" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--ids", "7", "--format", "html"), "no article with id 7"),
        (("--query", "zzzz", "--format", "html"), "nothing to export: no article matches"),
        (("--all", "--format", "txt", "--pdfa"), "--pdfa goes with --format pdf"),
        (("--all", "--format", "docx"), "invalid choice: 'docx'"),
    ],
)
def test_export_errors_say_what_to_do(
    lib: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    run_cli("--library", lib, "import", SEED_FILE)
    proc = run_cli("--library", lib, "export", *args, "--out", tmp_path / "x", check=False)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert not (tmp_path / "x").exists()
