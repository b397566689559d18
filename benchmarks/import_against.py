"""The command-line import of this checkout against an older revision, alternated in one run.

``python -m benchmarks.import_against --rev 708f0c3 [--corpus DIR ...] [--rounds 3]``

The older revision's ``archive_app`` is taken with ``git archive`` into a temporary folder and
run with this checkout's interpreter and dependencies. Each round imports every corpus once with
each version, alternating (old, new, old, new, ...), into a fresh library. It prints, per corpus,
the best wall time and the best CPU time (user + system of the import and its workers, from
``os.wait4``) of each version and their ratio (new / old), and the median CPU times. On a
shared, noisy machine the CPU time is the steadier figure: wall time also counts the time other
work held the cores.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import cache
from benchmarks.measure import REPO, child_env

SHARED_TEXT = REPO.parent / "shared" / "corpus" / "text"


@dataclass
class Run:
    wall: float
    cpu: float
    returncode: int


def checkout(rev: str, into: Path) -> Path:
    """Write ``archive_app`` as of ``rev`` under ``into``; return the folder to put on the path."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev, "archive_app"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def import_once(code: Path, corpus: Path, work: Path) -> Run:
    """Import ``corpus`` with the app under ``code`` into a new library; wall and CPU seconds."""
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        env = child_env({"PYTHONPATH": str(code)}, home=Path(tmp) / "home")
        # Byte-code is written and reused, as for an installed app (the wheel compiles it).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        args = [sys.executable, "-m", "archive_app", "--library", f"{tmp}/lib.sqlite3"]
        started = time.perf_counter()
        process = subprocess.Popen(
            [*args, "import", str(corpus)],
            env=env,
            cwd=tmp,  # so ``archive_app`` comes from PYTHONPATH, not the current folder
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        # ru_* of wait4 covers the child and the children it waited for (the workers).
        return Run(wall, usage.ru_utime + usage.ru_stime, process.returncode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="708f0c3", help="the older revision (default 708f0c3)")
    parser.add_argument("--corpus", type=Path, action="append", help="folders to import")
    parser.add_argument("--n", type=int, default=10_000, help="generated files (default 10000)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    corpora: list[Path] = args.corpus or [cache.ensure_corpus(args.n, 1), SHARED_TEXT]
    with tempfile.TemporaryDirectory(prefix="import-against-") as tmp:
        work = Path(tmp)
        versions = {args.rev: checkout(args.rev, work / "old"), "this checkout": REPO}
        for corpus in corpora:
            runs: dict[str, list[Run]] = {name: [] for name in versions}
            for round_ in range(args.rounds):
                for name, code in versions.items():
                    run = import_once(code, corpus, work)
                    runs[name].append(run)
                    print(
                        f"{corpus.name} round {round_ + 1} {name}: wall {run.wall:.2f} s, "
                        f"cpu {run.cpu:.2f} s, exit {run.returncode}",
                        file=sys.stderr,
                    )
            old, new = (runs[name] for name in versions)
            best = {
                "corpus": str(corpus),
                "rounds": args.rounds,
                "old_rev": args.rev,
                "old_wall_s": round(min(r.wall for r in old), 3),
                "new_wall_s": round(min(r.wall for r in new), 3),
                "old_cpu_s": round(min(r.cpu for r in old), 3),
                "new_cpu_s": round(min(r.cpu for r in new), 3),
            }
            best["wall_ratio"] = round(best["new_wall_s"] / best["old_wall_s"], 3)
            best["cpu_ratio"] = round(best["new_cpu_s"] / best["old_cpu_s"], 3)
            # The median too: on a machine other work shares, one lucky round can set a best.
            best["old_cpu_median_s"] = round(statistics.median(r.cpu for r in old), 3)
            best["new_cpu_median_s"] = round(statistics.median(r.cpu for r in new), 3)
            best["cpu_median_ratio"] = round(best["new_cpu_median_s"] / best["old_cpu_median_s"], 3)
            print(json.dumps(best), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
