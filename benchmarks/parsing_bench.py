"""Parser quality and speed on real saved-article collections (one folder per source).

Run from the repository root: ``python -m benchmarks.parsing_bench [--corpus DIR]``.

Per source folder it prints: files; titles equal to the sidecar title or the file name's
words (where either exists); bodies free of the folder's licence line (the most common last
sentence, counted as boilerplate when it ends at least half of the files); datelines found
among the bodies that open with one; dates and URLs found where the file has them; languages
right (the folder's language: a known source name or a ``_xx`` suffix); the share flagged
needs_review; parse files/s. Then it runs the parser tests that keep the seed and
``tests/fixtures/articles`` exact. Every check is computed generically from the files.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import html
import inspect
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive_app.core import parsing

REPO = Path(__file__).resolve().parents[1]
#: ``../shared/corpus/text`` from the repository root (a worktree may sit deeper: the
#: nearest ``shared/corpus/text`` above the repository is used).
DEFAULT_CORPUS = next(
    (
        parent / "shared" / "corpus" / "text"
        for parent in REPO.parents
        if (parent / "shared" / "corpus" / "text").is_dir()
    ),
    REPO / ".." / "shared" / "corpus" / "text",
)
#: The folder languages the corpus README gives; other folders use a ``_xx`` name suffix.
KNOWN_LANGUAGES = {"tehran_times": "en"}
SKIP_NAMES = frozenset({"LICENSE.txt", "README.txt", "CHANGES.txt"})

_WORD_RE = re.compile(r"[^\W_]+")
_ID_RE = re.compile(r"^\d{5,}$")
_HEX_ID_RE = re.compile(r"^(?=.*\d)[0-9a-f]{6,}$")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?。])\s+")
#: An all-caps place (one to four words) before a dash, or an agency in parentheses and a
#: dash, within the first 40 characters of a line.
_OPENS_WITH_DATELINE_RE = re.compile(
    r"^[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3}(?:,[^–—\n]{1,25}?)?"
    r"(?:\s*\([^()\n]{1,30}\))?(?:\s*[–—]|\s+-|-\s)"
)
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:+.Z-]*)?$")
_URL_LINE_RE = re.compile(r"^https?://\S+$")


@dataclass
class Counter:
    """Hits over the files where a check applies."""

    hits: int = 0
    n: int = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.hits += bool(ok)

    def __str__(self) -> str:
        if not self.n:
            return "-"
        return f"{100 * self.hits / self.n:5.1f}% ({self.hits}/{self.n})"


@dataclass
class FolderReport:
    """The checks of one source folder."""

    name: str
    files: int = 0
    seconds: float = 0.0
    title: Counter = field(default_factory=Counter)
    licence_free: Counter = field(default_factory=Counter)
    dateline: Counter = field(default_factory=Counter)
    date: Counter = field(default_factory=Counter)
    url: Counter = field(default_factory=Counter)
    language: Counter = field(default_factory=Counter)
    review: Counter = field(default_factory=Counter)
    failures: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))


def _norm(text: str) -> str:
    text = html.unescape(text) if "&" in text else text
    return " ".join(unicodedata.normalize("NFC", text).split())


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(_norm(text))]


def file_name_words(name: str) -> list[str]:
    """The words of a file name: no extension, no numbers or hex ids."""
    stem = name.rsplit(".", 1)[0]
    return [w for w in _words(stem) if not _ID_RE.match(w) and not _HEX_ID_RE.match(w)]


def _title_matches_file_name(title: str, name_words: list[str]) -> bool:
    """The title's words are a run of the file name's words covering nearly all of them."""
    words = _words(title)
    if not words or len(words) < len(name_words) - 4:
        return False
    n = len(words)
    return any(name_words[i : i + n] == words for i in range(len(name_words) - n + 1))


def _last_sentence(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    return _SENTENCE_END_RE.split(lines[-1])[-1].strip()


def _sidecar_text(meta: Mapping[str, object], *keys: str) -> str:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, str) and value.strip() and value.strip().upper() != "NOT FOUND":
            return value.strip()
    return ""


def _sidecar_for(path: Path) -> tuple[str | None, dict[str, object]]:
    find = getattr(parsing, "find_sidecar", None)
    read = getattr(parsing, "read_sidecar", None)
    if find is None or read is None:
        # The parser predates sidecars: read one the same way for the expectations only.
        for cand in (path.with_suffix(".json"), path.with_name(path.stem + "_meta.json")):
            if cand.is_file():
                import json

                try:
                    data = json.loads(cand.read_bytes())
                except ValueError:
                    return None, {}
                return cand.name, data if isinstance(data, dict) else {}
        if path.stem.endswith("_raw"):
            cand = path.with_name(path.stem[: -len("_raw")] + "_meta.json")
            if cand.is_file():
                import json

                return cand.name, json.loads(cand.read_bytes())
        return None, {}
    found = find(path)
    if found is None:
        return None, {}
    return found[0], read(found[1])


def _expected_date(text: str, meta: Mapping[str, object]) -> datetime.date | None:
    raw = _sidecar_text(meta, "date", "published", "datePublished")
    if raw:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", raw)
        if m:
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    for line in text.splitlines()[:5]:
        m = _ISO_DATE_RE.match(line.strip())
        if m:
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    return None


def _expected_url(text: str, meta: Mapping[str, object]) -> str:
    url = _sidecar_text(meta, "url", "link", "source_url")
    if url:
        return url
    for line in text.splitlines()[:5]:
        if _URL_LINE_RE.match(line.strip()):
            return line.strip()
    return ""


def _opens_with_dateline(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()][:4]
    return any(_OPENS_WITH_DATELINE_RE.match(line[:40]) for line in lines)


def _folder_language(name: str) -> str:
    if name in KNOWN_LANGUAGES:
        return KNOWN_LANGUAGES[name]
    m = re.search(r"_([a-z]{2})$", name)
    return m.group(1) if m else ""


def _inputs(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*.txt")
        if p.is_file() and p.name not in SKIP_NAMES and not p.name.endswith("_meta.json")
    )


def _parse(text: str, path: Path, meta: dict[str, object]) -> Any:
    if "file_name" in inspect.signature(parsing.parse_article).parameters:
        return parsing.parse_article(text, file_name=path.name, sidecar=meta or None)
    return parsing.parse_article(text)


def run_folder(folder: Path) -> FolderReport:
    """Parse every input of one source folder and run the checks."""
    report = FolderReport(folder.name)
    items: list[tuple[Path, str, dict[str, object]]] = []
    for path in _inputs(folder):
        text = path.read_bytes().decode("utf-8", errors="replace")
        _, meta = _sidecar_for(path)
        items.append((path, text, meta))
    report.files = len(items)
    last = collections.Counter(_last_sentence(text) for _, text, _ in items)
    licence = last.most_common(1)[0][0] if last else ""
    count = sum(text.rstrip().endswith(licence) for _, text, _ in items) if licence else 0
    if not licence or count < len(items) / 2:
        licence = ""
    language = _folder_language(folder.name)

    parsed = []
    start = time.perf_counter()
    for path, text, meta in items:
        parsed.append(_parse(text, path, meta))
    report.seconds = time.perf_counter() - start

    for (path, text, meta), article in zip(items, parsed, strict=True):
        fails = report.failures
        side_title = _sidecar_text(meta, "title", "headline")
        name_words = file_name_words(path.name)
        if side_title:
            ok = _norm(article.title) == _norm(side_title)
            report.title.add(ok)
        elif len(name_words) >= 4:  # fewer is often a category (``sports-watch-123``)
            ok = _title_matches_file_name(article.title, name_words)
            report.title.add(ok)
        else:
            ok = True
        if not ok:
            fails["title"].append(f"{path.name}: {article.title[:80]!r}")
        if licence and licence in text:
            ok = licence not in article.body
            report.licence_free.add(ok)
        if _opens_with_dateline(text):
            report.dateline.add(bool(article.dateline))
            if not article.dateline:
                fails["dateline"].append(f"{path.name}: {text.strip()[:60]!r}")
        want_date = _expected_date(text, meta)
        if want_date is not None:
            report.date.add(article.published_on == want_date)
            if article.published_on != want_date:
                fails["date"].append(f"{path.name}: {article.published_on} != {want_date}")
        want_url = _expected_url(text, meta)
        if want_url:
            report.url.add(article.source_url == want_url)
            if article.source_url != want_url:
                fails["url"].append(f"{path.name}: {article.source_url!r}")
        if language:
            report.language.add(article.language == language)
            if article.language != language:
                fails["language"].append(f"{path.name}: {article.language!r}")
        report.review.add(article.needs_review)
        if article.needs_review:
            fails["review"].append(f"{path.name}: {article.warnings}")
    return report


def run_fixture_tests() -> str:
    """Run the parser tests that keep the seed and the fixtures exact; return pytest's summary."""
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        str(REPO / "tests" / "unit" / "test_parsing.py"),
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else proc.stderr.strip()[-200:]


def main(argv: list[str] | None = None) -> int:
    """Print the table; ``--show N`` lists up to N failures per check and folder."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--show", type=int, default=0, help="failures to list per check")
    ap.add_argument("--no-tests", action="store_true", help="skip the fixture tests")
    args = ap.parse_args(argv)
    corpus = args.corpus.resolve()
    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    header = (
        f"{'source':<17} {'files':>5}  {'title':<20} {'licence-free':<20} {'dateline':<20} "
        f"{'date':<20} {'url':<20} {'language':<20} {'review':<20} {'files/s':>8}"
    )
    print(header)
    for folder in folders:
        r = run_folder(folder)
        rate = r.files / r.seconds if r.seconds else 0.0
        print(
            f"{r.name:<17} {r.files:>5}  {r.title!s:<20} {r.licence_free!s:<20} "
            f"{r.dateline!s:<20} {r.date!s:<20} {r.url!s:<20} {r.language!s:<20} "
            f"{r.review!s:<20} {rate:>8.0f}"
        )
        if args.show:
            for check, items in sorted(r.failures.items()):
                for item in items[: args.show]:
                    print(f"    {check}: {item}")
    if not args.no_tests:
        print(f"seed and fixtures (tests/unit/test_parsing.py): {run_fixture_tests()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
