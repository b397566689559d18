"""PDF export time against article length: one long word, one long paragraph, many paragraphs.

Run from the repository root: ``python -m benchmarks.pdf_bench`` (or ``make bench-pdf``).
Each case and size is one article exported to a PDF in memory (``_render``). Printed per line:
seconds, seconds per 100,000 characters, and both as ratios to the smallest size of the same
shape measured in the same run. Linear time means the time ratio is close to the size ratio
(and the per-100k ratio close to 1); quadratic time means the square of it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable

from archive_app.core.records import ArticleRecord

#: Characters of article body per case; ratios are to the first (smallest).
SIZES = (50_000, 100_000, 200_000)
WORDS = ("harbour", "report", "tide", "vessel", "crane", "cargo", "pier", "the", "of", "and")


def one_word(size: int) -> str:
    """One word of ``size`` letters (no space anywhere: Qt must wrap it anywhere)."""
    return ("abcdefghijklmnopqrstuvwxyz" * (size // 26 + 1))[:size]


def _words(size: int) -> str:
    out: list[str] = []
    length = 0
    i = 0
    while length < size:
        word = WORDS[(i * 7 + i // 3) % len(WORDS)]
        out.append(word)
        length += len(word) + 1
        i += 1
    return " ".join(out)[:size]


def one_paragraph(size: int) -> str:
    """One paragraph of ``size`` characters of ordinary words."""
    return _words(size)


def many_paragraphs(size: int) -> str:
    """Paragraphs of about 600 characters, ``size`` characters in all."""
    text = _words(size)
    return "\n\n".join(text[i : i + 600].strip() for i in range(0, len(text), 600))


CASES: dict[str, Callable[[int], str]] = {
    "one_word": one_word,
    "one_paragraph": one_paragraph,
    "many_paragraphs": many_paragraphs,
}


def time_export(body: str) -> tuple[float, int]:
    """Return the seconds to render ``body`` as one article's PDF, and the PDF's size."""
    from archive_app.export.pdf import _render

    article = ArticleRecord(id=1, uid="", title="Benchmark article", body=body)
    start = time.perf_counter()
    data = _render([article], page_size="A4", pdfa=False, title=article.title)
    elapsed = time.perf_counter() - start
    assert data is not None
    return elapsed, len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="comma-separated body sizes in characters (default: %(default)s)",
    )
    parser.add_argument(
        "--cases", default=",".join(CASES), help="comma-separated cases (default: %(default)s)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    cases = [c.strip() for c in args.cases.split(",")]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; use {', '.join(CASES)}")

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from archive_app.export.pdf import check_fonts, ensure_gui_application

    ensure_gui_application()
    check_fonts()
    time_export(one_paragraph(2_000))  # warm up fonts and the PDF engine

    if not args.json:
        print(
            f"{'case':<16} {'chars':>8} {'seconds':>9} {'s/100k':>8} {'x chars':>8} "
            f"{'x time':>8} {'x s/100k':>9}"
        )
    for case in cases:
        base: tuple[int, float] | None = None
        for size in sizes:
            body = CASES[case](size)
            seconds, pdf_bytes = time_export(body)
            per_100k = seconds / len(body) * 100_000
            if base is None:
                base = (len(body), seconds)
            size_ratio = len(body) / base[0]
            time_ratio = seconds / base[1] if base[1] else float("nan")
            row = {
                "case": case,
                "chars": len(body),
                "seconds": round(seconds, 3),
                "s_per_100k": round(per_100k, 3),
                "size_ratio": round(size_ratio, 2),
                "time_ratio": round(time_ratio, 2),
                "s_per_100k_ratio": round(time_ratio / size_ratio, 2),
                "pdf_bytes": pdf_bytes,
            }
            if args.json:
                print(json.dumps(row), flush=True)
            else:
                print(
                    f"{case:<16} {row['chars']:>8} {row['seconds']:>9.3f} "
                    f"{row['s_per_100k']:>8.3f} {row['size_ratio']:>8.2f} "
                    f"{row['time_ratio']:>8.2f} {row['s_per_100k_ratio']:>9.2f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
