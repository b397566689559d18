"""HTML import benchmark: our page reader's body vs trafilatura alone, against gold texts.

Run from the repository root::

    .venv/bin/python -m benchmarks.html_bench [--corpus DIR] [--variants] [--json-only]

The corpus is ``html/`` of the shared corpus (default ``../shared/corpus/html`` from the
repository root, or the nearest ancestor that has it). Pages with a gold text:

* ``cleaneval_dev``, ``cleanportaleval``: ``input/<stem>.html`` + ``GoldStandard/<stem>.txt``
  (CleanEval markup: the ``URL:`` line and the ``<h>``/``<p>``/``<l>`` markers are removed);
* ``dragnet``: the same pairing, the gold cut at its ``!@#$%^&*()  COMMENTS`` line;
* ``zvezdaaltaya_ru``: ``<n>_page.html`` + ``<n>_raw.txt`` (scraper output, not human gold).

Gold files are decoded with the app's decoder; the ones that are not plain UTF-8 are listed.

Metric (the Article Extraction Benchmark's, written from its description): lower-case, split
into tokens on whitespace and punctuation (``\\w+``), take the bag of 4-token shingles of each
text (a text shorter than 4 tokens is one shingle); per page precision = shared shingles /
extracted shingles, recall = shared / gold shingles (both 1 when both are empty, 0 when only
one is), F1 their harmonic mean; P, R and F1 are averaged over pages.

Compared: (a) ``archive_app.core.formats.html.extract_html`` (bytes -> decoded page -> our
metadata -> trafilatura with the app's options -> caption/footer clean-up), the body field;
(b) ``trafilatura.extract(bytes)`` with default settings. Speed: pages/s over all pages, one
process, after a warm-up page. ``--variants`` also scores other trafilatura option sets through
our path. Output: a table on stderr, one JSON line per extractor and folder on stdout.
"""

from __future__ import annotations

import argparse
import codecs
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive_app.core.decoding import decode_bytes

REPO = Path(__file__).resolve().parent.parent
_RELATIVE_CORPUS = Path("shared") / "corpus" / "html"
DEFAULT_CORPUS = next(
    (p / _RELATIVE_CORPUS for p in REPO.parents if (p / _RELATIVE_CORPUS).is_dir()),
    REPO.parent / _RELATIVE_CORPUS,
)
SHINGLE = 4
_TOKEN_RE = re.compile(r"\w+")
_CLEANEVAL_MARK_RE = re.compile(r"^\s*<[hpl]>\s*", re.MULTILINE | re.IGNORECASE)
_DRAGNET_CUT = "!@#$%^&*()  COMMENTS"


@dataclass(frozen=True)
class Page:
    folder: str
    name: str
    html: bytes
    gold: str


@dataclass
class Score:
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, p: float, r: float) -> None:
        self.precision.append(p)
        self.recall.append(r)
        self.f1.append(2 * p * r / (p + r) if p + r else 0.0)

    def summary(self) -> dict[str, float]:
        n = len(self.f1) or 1
        return {
            "pages": len(self.f1),
            "precision": round(sum(self.precision) / n, 4),
            "recall": round(sum(self.recall) / n, 4),
            "f1": round(sum(self.f1) / n, 4),
            "pages_per_s": round(len(self.f1) / self.seconds, 1) if self.seconds else 0.0,
        }


def shingles(text: str, size: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The bag of ``size``-token shingles of a text (lower-cased ``\\w+`` tokens)."""
    tokens = _TOKEN_RE.findall(text.lower())
    if len(tokens) < size:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def precision_recall(extracted: str, gold: str) -> tuple[float, float]:
    """Shingle precision and recall of an extracted text against the gold text."""
    got, want = shingles(extracted), shingles(gold)
    if not got and not want:
        return 1.0, 1.0
    if not got or not want:
        return 0.0, 0.0
    shared = sum((got & want).values())
    return shared / sum(got.values()), shared / sum(want.values())


def _decode_gold(path: Path, odd: list[str]) -> str:
    data = path.read_bytes()
    decoded = decode_bytes(data)
    if decoded.encoding != "utf-8":
        odd.append(f"{path.parent.parent.name}/{path.name}: {decoded.encoding}")
    return decoded.text


def clean_cleaneval(text: str) -> str:
    """CleanEval gold without its ``URL:`` line and ``<h>``/``<p>``/``<l>`` markers."""
    lines = text.split("\n")
    if lines and lines[0].startswith("URL:"):
        lines = lines[1:]
    return _CLEANEVAL_MARK_RE.sub("", "\n".join(lines))


def iter_pages(corpus: Path, odd: list[str]) -> Iterator[Page]:
    """Every page with a gold text, folder by folder, in name order."""
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        if (folder / "input").is_dir():
            for page in sorted((folder / "input").glob("*.htm*")):
                gold_path = folder / "GoldStandard" / (page.stem + ".txt")
                if not gold_path.is_file():
                    continue
                gold = _decode_gold(gold_path, odd)
                if folder.name == "dragnet":
                    gold = gold.split(_DRAGNET_CUT, 1)[0]
                else:
                    gold = clean_cleaneval(gold)
                yield Page(folder.name, page.name, page.read_bytes(), gold)
        else:
            for page in sorted(folder.glob("*_page.html")):
                gold_path = page.with_name(page.name.replace("_page.html", "_raw.txt"))
                if gold_path.is_file():
                    yield Page(
                        folder.name, page.name, page.read_bytes(), _decode_gold(gold_path, odd)
                    )


def ours(options: dict[str, Any] | None = None) -> Callable[[Page], str]:
    from archive_app.core.formats import html

    def run(page: Page) -> str:
        if options is None:
            return html.extract_html(page.html, file_name=page.name).fields.body
        saved = dict(html.EXTRACT_OPTIONS)
        html.EXTRACT_OPTIONS.update(options)
        try:
            return html.extract_html(page.html, file_name=page.name).fields.body
        finally:
            html.EXTRACT_OPTIONS.clear()
            html.EXTRACT_OPTIONS.update(saved)

    return run


def trafilatura_alone(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(page.html) or ""


def evaluate(pages: list[Page], extractor: Callable[[Page], str]) -> dict[str, Score]:
    """Score one extractor on every page: per folder and ``all``."""
    extractor(pages[0])  # warm-up: imports and caches
    scores: dict[str, Score] = {}
    for page in pages:
        start = time.perf_counter()
        text = extractor(page)
        elapsed = time.perf_counter() - start
        p, r = precision_recall(text, page.gold)
        for key in (page.folder, "all"):
            score = scores.setdefault(key, Score())
            score.add(p, r)
            score.seconds += elapsed
    return scores


def encoding_report(corpus: Path) -> list[dict[str, Any]]:
    """How the reader decodes legacy pages: ``saintfish_chardet`` against its truth, and every
    page of ``html/`` that is not valid UTF-8 (declared charset, choice, confidence)."""
    from archive_app.core.decoding import normalize_newlines
    from archive_app.core.formats.html_charset import declared_charsets, decode_page

    rows: list[dict[str, Any]] = []
    truth_file = corpus.parent / "encodings" / "TRUTH.tsv"
    truths = {}
    if truth_file.is_file():
        for line in truth_file.read_text("utf-8").splitlines()[1:]:
            path, encoding = line.split("\t")[:2]
            if path.startswith("saintfish_chardet/"):
                truths[corpus.parent / "encodings" / path] = encoding
    pages = [*truths, *sorted(corpus.glob("*/input/*.htm*"))]
    for page in pages:
        data = page.read_bytes()
        truth = truths.get(page)
        if truth is None:
            try:
                data.decode("utf-8")
                continue
            except UnicodeDecodeError:
                pass
        decoded = decode_page(data)
        row: dict[str, Any] = {
            "page": str(page.relative_to(page.parents[2 if page.parent.name == "input" else 1])),
            "declared": declared_charsets(data),
            "encoding": decoded.encoding,
            "confidence": round(decoded.confidence, 2),
        }
        if truth is not None:
            codec = {"gb-18030": "gb18030"}.get(truth.lower(), truth)
            want = normalize_newlines(data.decode(codec).removeprefix("\ufeff"))
            right = decoded.text == want
            if not right and codecs.lookup(codec).name == "iso8859-1":
                # Browsers read iso-8859-1 as windows-1252 (WHATWG): C1 bytes are quotes.
                web = normalize_newlines(data.decode("cp1252", "replace"))
                right = "as windows-1252" if decoded.text == web else False
            row.update(truth=truth, right=right)
        rows.append(row)
    return rows


VARIANTS: dict[str, dict[str, Any]] = {
    "precision": {"favor_precision": True},
    "recall": {"favor_recall": True},
    "comments": {"include_comments": True},
    "no_tables": {"include_tables": False},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--variants", action="store_true", help="also score other options")
    parser.add_argument("--json-only", action="store_true")
    args = parser.parse_args(argv)
    odd: list[str] = []
    pages = list(iter_pages(args.corpus, odd))
    if not pages:
        print(f"no pages with gold text under {args.corpus}", file=sys.stderr)
        return 1
    runs: dict[str, Callable[[Page], str]] = {
        "ours": ours(),
        "trafilatura": trafilatura_alone,
    }
    if args.variants:
        runs.update({f"ours+{name}": ours(opts) for name, opts in VARIANTS.items()})
    results = {name: evaluate(pages, run) for name, run in runs.items()}
    folders = [*sorted({p.folder for p in pages}), "all"]
    for name, scores in results.items():
        for folder in folders:
            print(json.dumps({"extractor": name, "folder": folder, **scores[folder].summary()}))
    encodings = encoding_report(args.corpus)
    for row in encodings:
        print(json.dumps({"encoding": row}, ensure_ascii=False))
    if not args.json_only:
        out = sys.stderr
        print("\nlegacy-encoded pages (declared -> chosen, confidence[, truth]):", file=out)
        for row in encodings:
            verdict = (
                ""
                if "truth" not in row
                else f"  truth {row['truth']}: "
                + (
                    "WRONG"
                    if not row["right"]
                    else "right"
                    if row["right"] is True
                    else f"right {row['right']}"
                )
            )
            declared = ",".join(row["declared"]) or "-"
            print(
                f"  {row['page']:36} {declared:14} -> {row['encoding']:10} "
                f"{row['confidence']:.2f}{verdict}",
                file=out,
            )
        print(f"\n{len(pages)} pages; gold files not plain UTF-8: {len(odd)}", file=out)
        for line in odd:
            print(f"  {line}", file=out)
        columns = ("pages", "P", "R", "F1", "pages/s")
        print(f"{'folder':18} {'extractor':22} " + " ".join(f"{c:>6}" for c in columns), file=out)
        for folder in folders:
            for name, scores in results.items():
                s = scores[folder].summary()
                print(
                    f"{folder:18} {name:22} {s['pages']:5} {s['precision']:6.3f} "
                    f"{s['recall']:6.3f} {s['f1']:6.3f} {s['pages_per_s']:8.1f}",
                    file=out,
                )
        ours_all, base_all = (
            results["ours"]["all"].summary(),
            results["trafilatura"]["all"].summary(),
        )
        slowdown = (
            base_all["pages_per_s"] / ours_all["pages_per_s"] if ours_all["pages_per_s"] else 0
        )
        print(
            f"acceptance: F1 {ours_all['f1']:.3f} >= {base_all['f1']:.3f}: "
            f"{ours_all['f1'] >= base_all['f1']}; "
            f"time ratio {slowdown:.2f} <= 1.3: {slowdown <= 1.3}",
            file=out,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
