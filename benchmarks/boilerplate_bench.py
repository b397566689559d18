"""Boilerplate learning on a folder corpus: what is learned per folder, what is removed, speed.

Run from the repository root: ``python -m benchmarks.boilerplate_bench [--corpus DIR]``
(default ``../shared/corpus/text``). Each folder that holds text files is one group (the file's
own folder, so ``livedoor_ja/<category>`` are separate sources). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from archive_app.core.boilerplate import (
    BoilerplateLearner,
    Pattern,
    normalize_key,
    segments,
    strip,
)

REPO = Path(__file__).resolve().parent.parent
# ../shared/corpus/text from the repository root (one level further up from a git worktree).
DEFAULT_CORPUS = next(
    (
        base / "shared" / "corpus" / "text"
        for base in (REPO.parent, REPO.parent.parent)
        if (base / "shared" / "corpus" / "text").is_dir()
    ),
    REPO.parent / "shared" / "corpus" / "text",
)
SKIP_NAMES = {"LICENSE.txt", "README.txt", "CHANGES.txt"}
# Invented for the guard experiment; not from any corpus.
INJECTED = "The harbour commission said the new ferry timetable would take effect in spring."


def read_groups(corpus: Path) -> dict[str, list[str]]:
    """Bodies per folder (relative to ``corpus``), files sorted by name."""
    groups: dict[str, list[str]] = defaultdict(list)
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.name in SKIP_NAMES or path.suffix == ".json":
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        groups[str(path.parent.relative_to(corpus))].append(text)
    return dict(groups)


def short(text: str, width: int = 80) -> str:
    """One line, at most ``width`` characters."""
    one = " ".join(text.split())
    return one if len(one) <= width else one[: width - 1] + "…"


def report_group(name: str, bodies: list[str]) -> tuple[int, float]:
    """Learn and strip one group; print its figures; return (files, seconds)."""
    began = time.perf_counter()
    learner = BoilerplateLearner()
    split = [segments(body) for body in bodies]  # split once, for learning and stripping
    for segs in split:
        learner.add_segments(name, segs)
    patterns = learner.patterns(name)
    results = [strip(body, patterns, segs=segs) for body, segs in zip(bodies, split, strict=True)]
    seconds = time.perf_counter() - began
    removed = sum(len(b) - len(r.body) for b, r in zip(bodies, results, strict=True))
    print(f"\n== {name}: {len(bodies)} files, {len(patterns)} patterns")
    for p in patterns:
        print(
            f"   [{p.kind}{' block' if p.block else ''}] {p.articles} articles"
            f" ({p.share:.0%}), edge share {p.edge_share:.2f}: {short(p.text)!r}"
        )
    rights = [p for p in patterns if p.kind == "rights"]
    if rights:
        top = rights[0]
        still = sum(1 for r in results if top.key in normalize_key(r.body))
        print(
            f"   bodies still holding the top rights pattern: {still}/{len(bodies)}"
            f" ({1 - still / len(bodies):.1%} clean)"
        )
    changed = sum(1 for b, r in zip(bodies, results, strict=True) if b != r.body)
    print(
        f"   bodies changed: {changed}; characters removed per file: {removed / len(bodies):.1f};"
        f" learn+strip {len(bodies) / seconds:,.0f} files/s"
    )
    return len(bodies), seconds


def inject_middle(body: str, sentence: str) -> str:
    """``body`` with ``sentence`` as a line of its own in the middle of its lines/sentences."""
    segs = segments(body)
    if len(segs) < 2:
        return f"{body}\n{sentence}\n{body}"
    cut = segs[len(segs) // 2].start
    return f"{body[:cut]}{sentence} {body[cut:]}"


def guard_experiment(groups: dict[str, list[str]]) -> None:
    """An invented sentence in 3 of 200 bodies (middle, then last sentence) is not learned."""
    name = max(groups, key=lambda g: len(groups[g]))
    rng = random.Random(7)
    bodies = groups[name][:200]
    chosen = set(rng.sample(range(len(bodies)), 3))
    print(f"\n== guard experiment on {name}: {len(bodies)} bodies, sentence in 3 of them")
    for where in ("middle", "end"):
        learner = BoilerplateLearner()
        for i, body in enumerate(bodies):
            if i in chosen:
                body = inject_middle(body, INJECTED) if where == "middle" else f"{body} {INJECTED}"
            learner.add(name, body)
        learned = [p for p in learner.patterns(name) if "ferry timetable" in p.key]
        print(f"   injected at the {where}: learned = {bool(learned)}")


def learned_in_middle(name: str, bodies: list[str], patterns: list[Pattern]) -> int:
    """How many (body, pattern) pairs hold the pattern strictly inside the body (not stripped)."""
    keys = {p.key for p in patterns}
    count = 0
    for body in bodies:
        kept = strip(body, patterns).body
        count += sum(1 for s in segments(kept) if s.key in keys)
    return count


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    corpus: Path = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"error: no corpus folder at {corpus}; pass --corpus DIR", file=sys.stderr)
        return 2
    groups = read_groups(corpus)
    files = 0
    seconds = 0.0
    for name in sorted(groups):
        n, s = report_group(name, groups[name])
        files += n
        seconds += s
        learner = BoilerplateLearner()
        for body in groups[name]:
            learner.add(name, body)
        inside = learned_in_middle(name, groups[name], learner.patterns(name))
        print(f"   occurrences of learned patterns kept inside bodies (not at an edge): {inside}")
    print(f"\n== all: {files} files, learn+strip {files / seconds:,.0f} files/s")
    guard_experiment(groups)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
