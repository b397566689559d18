"""Peak memory of importing one huge text file, as a multiple of the file's size.

``python -m benchmarks.huge_file_bench [--sizes 10,50]``: for each size (MB) it writes a file of
plain reporting paragraphs (ASCII) and one of Cyrillic paragraphs, imports each with the real
command line in a subprocess, and prints the child's peak RSS, the peak of a run that imports an
empty file (the interpreter and modules: the baseline, same run) and ``(peak - baseline) / size``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
SHAPES = {
    "ascii": "A long paragraph of plain reporting words that goes on and on. " * 20 + "\n\n",
    "cyrillic": "Длинный абзац простого текста новостей, который продолжается. " * 10 + "\n",
}


def _peak_rss_mb(library: Path, path: Path) -> float:
    code = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            sys.executable,
            "-m",
            "archive_app",
            "--library",
            str(library),
            "import",
            str(path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,50", help="file sizes in MB (10,50)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        empty = folder / "empty.txt"
        empty.write_text("Headline\n\nA short body.\n")
        baseline = _peak_rss_mb(folder / "base.sqlite3", empty)
        for size in (int(s) for s in args.sizes.split(",")):
            for shape, para in SHAPES.items():
                path = folder / f"{shape}-{size}.txt"
                unit = len(para.encode())
                path.write_text("Huge file headline\n\n" + para * (size * 1024 * 1024 // unit))
                mb = path.stat().st_size / 1048576
                peak = _peak_rss_mb(folder / f"{shape}-{size}.sqlite3", path)
                print(
                    json.dumps(
                        {
                            "name": f"huge_file_import_{shape}_{size}mb",
                            "file_mb": round(mb, 1),
                            "peak_rss_mb": round(peak, 1),
                            "baseline_rss_mb": round(baseline, 1),
                            "multiple_of_size": round((peak - baseline) / mb, 2),
                        }
                    )
                )


if __name__ == "__main__":
    main()
