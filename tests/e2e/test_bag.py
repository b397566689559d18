"""BagIt export and import: a bag round-trips every article; a damaged one is refused."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import bagit
import pytest

from archive_app.cli import main
from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from tests.conftest import FIXTURES, SEED_DIR, SEED_FILE

BAGIT_SCRIPT = Path(sys.executable).with_name("bagit.py")
#: The seed, the 20 fixtures and one story with a sidecar.
SMALL = 22


def cli(*args: str | Path) -> tuple[int, str]:
    out = io.StringIO()
    code = main([str(a) for a in args], out=out)
    return code, out.getvalue()


def cli_json(*args: str | Path) -> Any:
    code, text = cli(*args, "--json")
    data = json.loads(text)
    return code, data


def all_ids(library: Library) -> list[int]:
    return sorted(library.article_ids() + library.article_ids(trash=True))


def comparable(record_json: dict[str, Any]) -> dict[str, Any]:
    """``show --json`` without what an import may change: the id, the import time and the
    version (a concurrency token: it starts at 1 in every library)."""
    data = dict(record_json)
    del data["id"], data["version"]
    data["source"] = {k: v for k, v in data["source"].items() if k != "imported_at"}
    return data


def revisions(library: Library, article_id: int) -> list[dict[str, Any]]:
    out = []
    for r in library.history(article_id):
        data = r.to_json()
        del data["id"], data["article_id"]
        out.append(data)
    return out


def snapshot(path: Path) -> dict[str, tuple[dict[str, Any], bytes, Any, list[dict[str, Any]]]]:
    """Per uid: the comparable show --json, original bytes, sidecar and revisions."""
    with Library(path) as library:
        return {
            (record := library.get_article(i)).uid: (
                comparable(record.to_json()),
                library.source_bytes(i),
                library.source_sidecar(i),
                revisions(library, i),
            )
            for i in all_ids(library)
        }


def export_bag(library: Path, out: Path, *extra: str) -> Path:
    with Library(library) as lib:
        ids = ",".join(map(str, all_ids(lib)))  # the trash too
    code, text = cli("--library", library, "export", "--ids", ids, "--format", "bag", "--out",
                     out, *extra)  # fmt: skip
    assert code == 0
    return Path(text.strip())


def write_generated(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"gen-{i:04d}.txt").write_text(
            f"Generated headline number {i}\n\nBy Staff Writer {i % 7}\n\n"
            f"The first paragraph of generated story {i} about topic {i * 31 % 97}.\n\n"
            f"A second paragraph, {i} words long in spirit.\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def small_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and every fixture, with a sidecar, edits (revisions), tags, notes and trash."""
    tmp = tmp_path_factory.mktemp("small")
    extra = tmp / "with-sidecar"
    extra.mkdir()
    (extra / "story.txt").write_text("A story with a sidecar\n\nIts body.\n", encoding="utf-8")
    (extra / "story.json").write_bytes(b'{"title": "A story with a sidecar", "tags": ["kept"]}')
    path = tmp / "source.sqlite3"
    with Library(path) as library:
        report = import_paths(library, [SEED_DIR, FIXTURES, extra], workers=0)
        assert not report.failed
        first, second, third = report.imported[:3]
        library.update_fields(first, {"notes": "An archivist's note", "tags": ("Iran", "oman")})
        library.update_fields(first, {"title": "A new title"})
        library.update_fields(second, {"needs_review": True})
        library.trash([third])
    return path


@pytest.fixture(scope="module")
def small_bag(small_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_bag(small_source, tmp_path_factory.mktemp("bags") / "small-bag")


@pytest.fixture(scope="module")
def big_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("big")
    write_generated(tmp / "files", 1000)
    path = tmp / "source.sqlite3"
    with Library(path) as library:
        report = import_paths(library, [tmp / "files"], workers=0)
        assert len(report.imported) == 1000
    return path


@pytest.fixture
def empty(library_location: str) -> str:
    """A new library to import bags into: a file, or a PostgreSQL database (a SQLite library's
    bag then comes back whole on the server)."""
    return library_location


def test_bag_is_valid_bagit_1_0(small_bag: Path, small_source: Path) -> None:
    bag = bagit.Bag(str(small_bag))
    bag.validate(processes=1)
    assert bag.version_info == (1, 0)
    assert set(bag.algorithms) == {"sha256", "sha512"}
    for name in ("manifest", "tagmanifest"):
        for alg in ("sha256", "sha512"):
            assert (small_bag / f"{name}-{alg}.txt").is_file()
    assert bag.info["Source-Organization"] == "Article Archive user"
    assert bag.info["Bag-Count"] == "1 of 1"
    assert bag.info["Bagging-Date"]
    assert bag.info["External-Description"].startswith(f"{SMALL} articles exported")
    assert bag.info["Payload-Oxum"].endswith(f".{SMALL * 3 + 1}")  # 3 files per article + 1 sidecar
    # The command line validator installed with the package agrees.
    proc = subprocess.run(
        [sys.executable, BAGIT_SCRIPT, "--validate", small_bag],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "is valid" in proc.stderr


def test_bag_holds_originals_metadata_and_pages(small_bag: Path, small_source: Path) -> None:
    with Library(small_source) as library:
        for number, article_id in enumerate(all_ids(library), start=1):
            record = library.get_article(article_id)
            assert record.source is not None
            [folder] = (small_bag / "data" / "articles").glob(f"{number:05d}-*")
            original = folder / "original" / record.source.file_name
            assert original.read_bytes() == library.source_bytes(article_id)
            meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
            assert meta["uid"] == record.uid
            assert meta["notes"] == record.notes
            assert meta["tags"] == list(record.tags)
            assert meta["source"]["sha256"] == record.source.sha256
            assert meta["source"]["original_path"] == record.source.original_path
            assert len(meta["revisions"]) == len(library.history(article_id))
            page = (folder / "article.html").read_text(encoding="utf-8")
            assert page.startswith("<!DOCTYPE html>")
            assert record.title.split()[0] in page
            if record.source.sidecar_name:
                assert (folder / "original" / record.source.sidecar_name).is_file()


def test_organization_from_option_and_environment(
    small_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_APP_ORGANIZATION", "The Town Library")
    bag = export_bag(small_source, tmp_path / "env-bag")
    assert bagit.Bag(str(bag)).info["Source-Organization"] == "The Town Library"
    bag = export_bag(small_source, tmp_path / "opt-bag", "--organization", "Ourselves")
    assert bagit.Bag(str(bag)).info["Source-Organization"] == "Ourselves"


@pytest.mark.parametrize("which", ["small", "big"])
def test_round_trip_into_an_empty_library(
    which: str, request: pytest.FixtureRequest, empty: Path, tmp_path: Path
) -> None:
    source: Path = request.getfixturevalue(f"{which}_source")
    bag = export_bag(source, tmp_path / "bag")
    before = snapshot(source)

    code, report = cli_json("--library", empty, "import", bag)
    assert code == 0, report
    assert len(report["imported"]) == len(before)
    assert report["failed"] == []
    assert report["duplicates"] == []
    after = snapshot(empty)
    assert after.keys() == before.keys()
    for uid, (shown, original, sidecar, history) in before.items():
        assert after[uid][0] == shown, uid  # every field, tags, notes, times, provenance
        assert after[uid][1] == original  # byte for byte
        assert after[uid][2] == sidecar
        assert after[uid][3] == history
    if which == "small":
        assert any(h for _s, _o, _c, h in before.values())  # revisions were exported
        assert any(s["deleted_at"] for s, _o, _c, _h in before.values())  # and the trash
        assert any(c for _s, _o, c, _h in before.values())  # and a sidecar

    # Again into the same library, and into the library it came from: nothing new.
    for target in (empty, source):
        code, again = cli_json("--library", target, "import", bag)
        assert code == 0
        assert again["imported"] == []
        assert len(again["duplicates"]) == len(before)


def test_show_json_identical_through_the_cli(
    small_source: Path, empty: Path, tmp_path: Path
) -> None:
    bag = export_bag(small_source, tmp_path / "bag")
    cli("--library", empty, "import", bag)
    with Library(small_source) as a, Library(empty) as b:
        pairs = {a.get_article(i).uid: i for i in all_ids(a)}
        targets = {b.get_article(i).uid: i for i in all_ids(b)}
    for uid, article_id in pairs.items():
        _, shown_a = cli_json("--library", small_source, "show", article_id)
        _, shown_b = cli_json("--library", empty, "show", targets[uid])
        assert comparable(shown_a) == comparable(shown_b)


def test_bag_and_original_file_are_duplicates(small_bag: Path, empty: Path, tmp_path: Path) -> None:
    cli("--library", empty, "import", small_bag)
    code, report = cli_json("--library", empty, "import", SEED_FILE)
    assert code == 0
    assert report["imported"] == []
    assert len(report["duplicates"]) == 1
    # And the other way: a library with the original file takes the bag's copy as a duplicate.
    other = tmp_path / "other.sqlite3"
    cli("--library", other, "import", SEED_FILE)
    _, report = cli_json("--library", other, "import", small_bag)
    assert len(report["duplicates"]) == 1
    assert len(report["imported"]) == SMALL - 1


def _damaged_copy(bag: Path, tmp_path: Path) -> tuple[Path, str]:
    copy = tmp_path / "damaged"
    shutil.copytree(bag, copy)
    original = sorted((copy / "data" / "articles").glob("00002-*/original/*"))[0]
    data = bytearray(original.read_bytes())
    data[0] ^= 0x01
    original.write_bytes(bytes(data))
    return copy, original.relative_to(copy).as_posix()


def test_changed_byte_refuses_the_bag(small_bag: Path, empty: Path, tmp_path: Path) -> None:
    damaged, bad = _damaged_copy(small_bag, tmp_path)
    code, report = cli_json("--library", empty, "import", damaged)
    assert code == 1
    assert report["imported"] == []
    assert [f["path"] for f in report["failed"]] == [f"{damaged}/{bad}"]
    assert "checksum" in report["failed"][0]["reason"]
    with Library(empty) as library:
        assert library.count() + library.count(trash=True) == 0
    # Without --json, the bad file is named in the output too.
    code, text = cli("--library", empty, "import", damaged)
    assert code == 1
    assert bad in text
    assert "--partial" in text


def test_partial_imports_the_intact_articles(small_bag: Path, empty: Path, tmp_path: Path) -> None:
    damaged, bad = _damaged_copy(small_bag, tmp_path)
    code, report = cli_json("--library", empty, "import", damaged, "--partial")
    assert code == 1  # something was not imported
    assert len(report["imported"]) == SMALL - 1
    assert [f["path"] for f in report["failed"]] == [f"{damaged}/{bad}"]
    with Library(empty) as library:
        titles = {library.get_article(i).title for i in all_ids(library)}
    meta = json.loads(next((damaged / "data/articles").glob("00002-*/metadata.json")).read_text())
    assert meta["title"] not in titles


def test_missing_file_is_listed(small_bag: Path, empty: Path, tmp_path: Path) -> None:
    copy = tmp_path / "missing"
    shutil.copytree(small_bag, copy)
    page = next((copy / "data" / "articles").glob("00005-*/article.html"))
    page.unlink()
    (copy / "data" / "articles" / "stray.txt").write_text("not in the manifest")
    code, report = cli_json("--library", empty, "import", copy)
    assert code == 1
    assert report["imported"] == []
    paths = {f["path"]: f["reason"] for f in report["failed"]}
    assert paths.keys() == {
        f"{copy}/{page.relative_to(copy).as_posix()}",
        f"{copy}/data/articles/stray.txt",
    }


def test_damaged_manifest_refuses_even_with_partial(
    small_bag: Path, empty: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "bad-manifest"
    shutil.copytree(small_bag, copy)
    manifest = copy / "manifest-sha256.txt"
    manifest.write_text(manifest.read_text().replace("a", "b", 1))
    code, report = cli_json("--library", empty, "import", copy, "--partial")
    assert code == 1
    assert report["imported"] == []
    assert any(f["path"].endswith("manifest-sha256.txt") for f in report["failed"])


def test_zip_round_trip(small_source: Path, empty: Path, tmp_path: Path) -> None:
    written = export_bag(small_source, tmp_path / "archive", "--zip")
    assert written == tmp_path / "archive.zip"
    with zipfile.ZipFile(written) as archive:
        names = archive.namelist()
    assert "archive/bagit.txt" in names
    assert all(n.startswith("archive/") for n in names)
    code, report = cli_json("--library", empty, "import", written)
    assert code == 0
    assert len(report["imported"]) == SMALL
    assert snapshot(empty).keys() == snapshot(small_source).keys()
    # --out X.zip names the zip itself.
    assert export_bag(small_source, tmp_path / "named.zip", "--zip") == tmp_path / "named.zip"


def test_never_overwrites_without_force(small_source: Path, tmp_path: Path) -> None:
    bag = export_bag(small_source, tmp_path / "bag")
    with Library(small_source) as lib:
        ids = str(all_ids(lib)[0])
    args = ("--library", small_source, "export", "--ids", ids, "--format", "bag", "--out", bag)
    code, _ = cli(*args)
    assert code == 1
    assert bagit.Bag(str(bag)).info["External-Description"].startswith(f"{SMALL} articles")
    code, _ = cli(*args, "--force")
    assert code == 0
    assert bagit.Bag(str(bag)).info["External-Description"].startswith("1 article ")
    # --force replaces a bag, never a folder of other files.
    other = tmp_path / "documents"
    other.mkdir()
    (other / "letter.txt").write_text("mine")
    code, _ = cli("--library", small_source, "export", "--ids", ids, "--format", "bag",
                  "--out", other, "--force")  # fmt: skip
    assert code == 1
    assert (other / "letter.txt").read_text() == "mine"
    zipped = export_bag(small_source, tmp_path / "z", "--zip")
    code, _ = cli("--library", small_source, "export", "--ids", ids, "--format", "bag",
                  "--out", zipped, "--zip")  # fmt: skip
    assert code == 1


def test_export_and_import_as_subprocesses(small_source: Path, tmp_path: Path) -> None:
    from tests.e2e.test_cli import run_cli

    bag = tmp_path / "sub-bag"
    run_cli("--library", small_source, "export", "--all", "--format", "bag", "--out", bag)
    proc = run_cli("--library", tmp_path / "new.sqlite3", "import", bag, "--json")
    assert len(json.loads(proc.stdout)["imported"]) == SMALL - 1  # --all leaves the trash out
