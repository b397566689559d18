"""Run the benchmark suite: print one JSON line per figure and write results/latest.json."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import cache
from benchmarks.measure import REPO, ChildResult, child_env, median, run_child

RESULTS_DIR = Path(__file__).resolve().parent / "results"
PARTS = ("import", "open", "search", "preview", "export", "stalls")
#: New files imported into an empty and into the 1,000,000-article library (``--million``).
DECAY_FILES = 100_000
#: Runs of the floor and of the import against it (``bench_import``): the best of each.
IMPORT_RUNS = 2


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark is (``--quick`` divides them by ten)."""

    import_files: int = 10_000
    library_articles: int = 100_000
    preview_articles: int = 200
    pdf_articles: int = 100
    html_articles: int = 1000
    search_rounds: int = 3
    open_runs: int = 3


FULL = Sizes()
QUICK = Sizes(1000, 10_000, 20, 10, 100, search_rounds=1, open_runs=2)


@dataclass(frozen=True)
class Budget:
    """A figure's budget: the value must be ``<= max`` or ``>= min`` (and ratio <= max_ratio)."""

    max: float | None = None
    min: float | None = None
    max_ratio: float | None = None
    #: Whether the budget is about the full size (then it is not judged on --quick runs).
    size_bound: bool = True

    def text(self, unit: str) -> str:
        """Return the budget as a person reads it."""
        parts = []
        if self.min is not None:
            parts.append(f">= {self.min:g} {unit}")
        if self.max is not None:
            parts.append(f"<= {self.max:g} {unit}")
        if self.max_ratio is not None:
            parts.append(f"ratio <= {self.max_ratio:g}")
        return " and ".join(parts)

    def judge(self, value: float | None, ratio: float | None) -> bool | None:
        """Return whether ``value`` (and ``ratio``) meet the budget, None if unknown."""
        if value is None:
            return None
        ok = True
        if self.max is not None:
            ok = ok and value <= self.max
        if self.min is not None:
            ok = ok and value >= self.min
        if self.max_ratio is not None:
            ok = ok and ratio is not None and ratio <= self.max_ratio
        return ok


#: Budgets on the 2-core reference machine.
BUDGETS: dict[str, Budget] = {
    "import_files_per_s": Budget(min=2000, max_ratio=2.0, size_bound=False),
    "open_s": Budget(max=1.5),
    "open_peak_rss_mb": Budget(max=300),
    "search_p95_ms": Budget(max=50),
    "gui_stall_max_ms": Budget(max=100),
    "preview_p95_ms": Budget(max=30),
    "export_pdf_100_s": Budget(max=3),
    "export_html_1000_s": Budget(max=2),
    "import_decay_ratio": Budget(max=1.3, size_bound=False),
}
#: Budgets of the same figures on the 1,000,000-article library (``--million``).
MILLION_BUDGETS: dict[str, Budget] = {
    "open_s": Budget(max=1.0),
    "search_p95_ms": Budget(max=150),
}


@dataclass
class Suite:
    """Collects figures and details while the parts run."""

    quick: bool
    sizes: Sizes
    seed: int
    figures: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def figure(
        self,
        name: str,
        value: float | None,
        unit: str,
        n: int,
        *,
        baseline: float | None = None,
        ratio: float | None = None,
        note: str = "",
    ) -> None:
        """Record a figure and print it as one JSON line."""
        budget = BUDGETS.get(name)
        if n >= cache.MILLION:
            budget = MILLION_BUDGETS.get(name, budget)
        ok = None
        if budget is not None and not (self.quick and budget.size_bound):
            ok = budget.judge(value, ratio)
        entry: dict[str, Any] = {
            "name": name,
            "value": None if value is None else round(value, 4),
            "unit": unit,
            "n": n,
            "baseline": None if baseline is None else round(baseline, 4),
            "ratio": None if ratio is None else round(ratio, 4),
            "budget": budget.text(unit) if budget else None,
            "ok": ok,
        }
        if note:
            entry["note"] = note
        self.figures.append(entry)
        print(json.dumps(entry, ensure_ascii=False), flush=True)


def log(message: str) -> None:
    """Progress on stderr (stdout carries only the JSON lines)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- machine ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """Return the machine and software the figures were measured on."""
    cpu = ""
    mem_mb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_mb = int(line.split()[1]) // 1024
    except OSError:
        cpu = cpu or platform.processor()
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    versions: dict[str, str | None] = {}
    for dist in ("article-archive", "PySide6-Essentials", "SQLAlchemy"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return {
        "cores": os.cpu_count(),
        "cpu_model": cpu,
        "memory_mb": mem_mb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "versions": versions,
        "git": commit,
    }


# -- parts ------------------------------------------------------------------------------------


def _warm_page_cache(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        if path.is_file():
            total += len(path.read_bytes())
    return total


def _compile_bytecode() -> None:
    """Compile the app's modules as installing it does (pip compiles a wheel's modules).

    A checkout run with ``PYTHONDONTWRITEBYTECODE`` (set on this machine) otherwise compiles
    every module from source in each process it starts, the import's workers included:
    0.1 s of CPU a process, which an installed app never spends.
    """
    run_child(["-m", "compileall", "-q", str(REPO / "archive_app")]).check("compiling the app")


def _cache_tables(env: dict[str, str]) -> None:
    """Compile and cache the models' tables as a user's first library does
    (``migrations.model_ddl``): the imports are timed as every later one runs."""
    warm = ["-c", "from archive_app.core import migrations; migrations.model_ddl()"]
    run_child(warm, env=env).check("caching the compiled tables")


def bench_import(suite: Suite, work: Path, profile_dir: Path | None) -> None:
    """CLI import of N generated files into a fresh library, against the baseline floor."""
    n = suite.sizes.import_files
    corpus_dir = cache.ensure_corpus(n, suite.seed, log)
    stamp = json.loads(corpus_dir.with_name(corpus_dir.name + ".json").read_text())
    _warm_page_cache(corpus_dir)
    env = child_env(home=work / "home")
    _cache_tables(env)

    # Best of ``IMPORT_RUNS`` for both, run in turn: on a shared machine either one's time
    # moved by 30% from one run to the next (the issue measured it the same way).
    floors: list[ChildResult] = []
    imports: list[ChildResult] = []
    library = work / "import.sqlite3"
    args = ["-m", "archive_app", "--library", str(library), "import", str(corpus_dir), "--json"]
    for run in range(1, IMPORT_RUNS + 1):
        log(f"baseline {run}: reading, decoding and indexing {n} files ...")
        floor_db = work / "floor.sqlite3"
        _remove_library(floor_db)
        this = run_child(["-m", "benchmarks.baseline", str(corpus_dir), str(floor_db)])
        this.check("the baseline")
        log(f"baseline {run}: {this.seconds:.2f} s")
        floors.append(this)
        log(f"import {run}: python -m archive_app import of {n} files ...")
        _remove_library(library)
        this = run_child(args, env=env)
        log(f"import {run}: {this.seconds:.2f} s, peak RSS {this.max_rss_mb:.0f} MB")
        imports.append(this)
    base = min(floors, key=lambda r: r.seconds)
    ours = min(imports, key=lambda r: r.seconds)
    report = _import_report(ours)

    kinds = stamp["kinds"]
    counts = {key: len(report.get(key, [])) for key in ("imported", "duplicates", "failed")}
    counts["skipped"] = len(report.get("skipped", []))
    expected = {
        "imported": kinds.get("article", 0),
        "duplicates": kinds.get("duplicate", 0),
        "failed": kinds.get("binary", 0),
        "skipped": kinds.get("sidecar", 0),  # the JSON sidecars: read with their article
    }
    suite.details["import"] = {
        "files": n,
        "corpus_bytes": stamp["bytes"],
        "seconds": round(ours.seconds, 3),
        "baseline_seconds": round(base.seconds, 3),
        "cpu_seconds": round(ours.cpu_seconds, 3),
        "baseline_cpu_seconds": round(base.cpu_seconds, 3),
        "baseline_peak_rss_mb": round(base.max_rss_mb, 1),
        "report_counts": counts,
        "expected_counts": expected,
        "exit_code": ours.returncode,
        "warnings": len(report.get("warnings", [])),
        "library_mb": round(_library_bytes(library) / 1e6, 1),
        "ratio_definition": "ratio = our_seconds / baseline_seconds (lower is better)",
    }
    if counts != expected:
        log(f"import: report counts {counts} differ from the corpus {expected}")
    suite.figure(
        "import_files_per_s",
        n / ours.seconds,
        "files/s",
        n,
        baseline=n / base.seconds,
        ratio=ours.seconds / base.seconds,
    )
    suite.figure(
        "import_cpu_ratio",
        ours.cpu_seconds / base.cpu_seconds,
        "x",
        n,
        note=f"CPU of the import and its workers {ours.cpu_seconds:.2f} s over the baseline's "
        f"{base.cpu_seconds:.2f} s (moves less than the wall time on a shared machine)",
    )
    suite.figure("import_peak_rss_mb", ours.max_rss_mb, "MB", n)
    if counts["imported"]:
        suite.figure(
            "import_bytes_per_article",
            _library_bytes(library) / counts["imported"],
            "bytes",
            counts["imported"],
            note="the imported library file (and its WAL) over the articles stored",
        )

    if profile_dir is not None:
        log("import: profiling run ...")
        again = work / "import-profiled.sqlite3"
        prof = profile_dir / "import.prof"
        run_child(
            ["-m", "cProfile", "-o", str(prof), *args[:2], "--library", str(again), *args[4:]],
            env=env,
        )
        log(f"import: profile in {prof}")


def _remove_library(path: Path) -> None:
    """Delete a library file of an earlier run and its WAL (a run must start with none)."""
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _library_bytes(path: Path) -> int:
    """Bytes on disk of a library: the file and what its WAL still holds."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def bench_million(suite: Suite, work: Path, files: int) -> None:
    """The 1,000,000-article library: bytes per article, build decay, import decay.

    Import decay: ``files`` new generated files (articles the library does not hold; their
    duplicates repeat each other only) are imported with the command line into a new library
    and into a copy of the cached 1,000,000-article library (``import_decay_ratio``: the
    issue's "last 100,000 into 900,000 over the first 100,000 into an empty library", a bit
    stricter). That copy first loses its learned boilerplate (``..._unlearned``: the storing
    side alone), then gets it back for a second set of files (the library as imports leave
    it: the learned state grows with the sources, and every import loads and saves it). The
    build's own store time per tenth (the bulk path without parsing) is reported too.
    """
    seed = suite.seed
    big = cache.million_library(seed, log)
    small_n = suite.sizes.library_articles
    sizes = [(small_n, cache.ensure_library(small_n, seed, log)), (cache.MILLION, big)]
    for n, path in sizes:
        suite.figure(
            "library_bytes_per_article",
            _library_bytes(path) / n,
            "bytes",
            n,
            note="the cached benchmark library (generated fields, sources stored and "
            "boilerplate learned as an import does)",
        )
    stamp = cache.library_stamp(cache.MILLION, seed) or {}
    slices = [s for s in stamp.get("slices", []) if s.get("articles")]
    if len(slices) >= 2 and slices[0]["store_s"]:
        first, last = slices[0], slices[-1]
        suite.details["million_build"] = stamp
        suite.figure(
            "build_decay_ratio",
            last["store_s"] / first["store_s"],
            "x",
            cache.MILLION,
            note=f"store time of the last tenth ({last['store_s']:.0f} s, CPU "
            f"{last['cpu_s']:.0f} s) over the first ({first['store_s']:.0f} s, CPU "
            f"{first['cpu_s']:.0f} s) when the cached library was built",
        )
    # Open and search at 1,000,000 (their own budgets: MILLION_BUDGETS).
    bench_open(suite, big, work, None, n=cache.MILLION)
    bench_gui(suite, big, work, {"search"}, None, n=cache.MILLION)
    unlearned = cache.ensure_corpus(files, seed, log, start=cache.MILLION)
    learned = cache.ensure_corpus(files, seed, log, start=cache.MILLION + files)
    env = child_env(home=work / "home-decay")
    _cache_tables(env)

    def timed(label: str, target: Path, corpus_dir: Path) -> ChildResult:
        _warm_page_cache(corpus_dir)
        log(f"decay: importing {files} files into {label} ...")
        args = ["-m", "archive_app", "--library", str(target), "import", str(corpus_dir)]
        result = run_child([*args, "--json"], env=env, timeout=7200)
        _import_report(result)
        log(f"decay: {result.seconds:.2f} s, CPU {result.cpu_seconds:.2f} s")
        return result

    if shutil.disk_usage(work).free < _library_bytes(big) * 1.2 + 4e9:
        log(f"decay: not enough free disk for a copy of {big.name}; skipped")
        return
    copy = work / "decay-million.sqlite3"
    log(f"decay: copying {big.name} ...")
    shutil.copyfile(big, copy)
    # The copy's writeback (13 GB) must not land on the first timed import (measured: that
    # import 98.5 s without the sync, 90.6 s with it).
    os.sync()
    with sqlite3.connect(copy) as conn:
        state = conn.execute("SELECT name, state, updated_at FROM learned_state").fetchall()
        conn.execute("DELETE FROM learned_state")
    conn.close()
    runs: dict[str, ChildResult] = {}
    for label, corpus_dir in (("unlearned", unlearned), ("learned", learned)):
        empty = work / f"decay-empty-{label}.sqlite3"
        runs[f"empty-{label}"] = timed("a new library", empty, corpus_dir)
        _remove_library(empty)
        if label == "learned":
            with sqlite3.connect(copy) as conn:
                conn.execute("DELETE FROM learned_state")
                conn.executemany("INSERT INTO learned_state VALUES (?, ?, ?)", state)
            conn.close()
            _split_learned(copy)
        runs[label] = timed(f"the 1,000,000-article library ({label})", copy, corpus_dir)
    _remove_library(copy)
    suite.details["import_decay"] = {
        "files": files,
        **{
            label: {"seconds": round(r.seconds, 3), "cpu_seconds": round(r.cpu_seconds, 3)}
            for label, r in runs.items()
        },
    }
    for label, name in (
        ("learned", "import_decay_ratio"),
        ("unlearned", "import_decay_ratio_unlearned"),
    ):
        result, empty_run = runs[label], runs[f"empty-{label}"]
        suite.figure(
            name,
            result.seconds / empty_run.seconds,
            "x",
            cache.MILLION,
            note=f"{files} new files into the 1,000,000-article library"
            f"{' without its learned boilerplate' if label == 'unlearned' else ''} over "
            f"into a new one ({result.seconds:.1f} s / {empty_run.seconds:.1f} s); CPU ratio "
            f"{result.cpu_seconds / empty_run.cpu_seconds:.2f}",
        )


def _split_learned(library_path: Path) -> None:
    """Split a library's single learned row (a library built before a row per source) untimed:
    an import does it once, and the decay is about every import after that one."""
    from archive_app.core.learning import split_legacy_state
    from archive_app.core.library import Library

    started = time.perf_counter()
    with Library(library_path) as library:
        if split_legacy_state(library):
            seconds = time.perf_counter() - started
            log(f"decay: split the single learned row into a row per source ({seconds:.1f} s)")


def _import_report(result: ChildResult) -> dict[str, Any]:
    # The import command exits 1 when some files failed (the corpus has a few binary files).
    if result.returncode not in (0, 1):
        result.check("the import")
    try:
        report: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        result.check("the import")
        raise RuntimeError(f"the import printed no JSON report: {result.stdout[:300]!r}") from None
    return report


def bench_open(
    suite: Suite, library: Path, work: Path, profile_dir: Path | None, n: int | None = None
) -> None:
    """Process start to the main window with its first table rows painted (offscreen)."""
    n = n or suite.sizes.library_articles
    env = child_env(home=work / "home-open")
    runs: list[dict[str, float]] = []
    rss: list[float] = []
    total = suite.sizes.open_runs + 1
    for attempt in range(total):
        marks, result = _open_once(library, work, env, None)
        label = "warm-up" if attempt == 0 else f"run {attempt}"
        log(f"open: {label}: {marks['painted'] - marks['t0']:.3f} s, {result.max_rss_mb:.0f} MB")
        if attempt > 0:
            runs.append({k: v - marks["t0"] for k, v in marks.items() if isinstance(v, float)})
            rss.append(result.max_rss_mb)
            suite.details.setdefault("open_samples", []).append(
                {"seconds": round(marks["painted"] - marks["t0"], 4), "rss_mb": result.max_rss_mb}
            )
    breakdown = {key: round(median([r[key] for r in runs if key in r]), 4) for key in runs[0]}
    suite.details["open" if n < cache.MILLION else "open_million"] = {
        "articles": n,
        "median_marks_s": breakdown,
        "marks": {
            "probe_started": "interpreter up, probe module running",
            "qt_ready": "QApplication created",
            "shown": "main window Show event",
            "paint_event": "first Paint event of the table viewport with rows",
            "painted": "that paint handled (the figure)",
        },
    }
    suite.figure("open_s", median([r["painted"] for r in runs]), "s", n)
    suite.figure("open_peak_rss_mb", max(rss), "MB", n)
    if profile_dir is not None:
        _open_once(library, work, env, profile_dir / "open.prof")
        log(f"open: profile in {profile_dir / 'open.prof'}")


def _open_once(
    library: Path, work: Path, env: dict[str, str], profile: Path | None
) -> tuple[dict[str, Any], ChildResult]:
    out = work / "open.json"
    out.unlink(missing_ok=True)
    t0 = time.monotonic()
    args = ["-m", "benchmarks.open_probe", "--library", str(library), "--t0", repr(t0)]
    args += ["--out", str(out)]
    if profile is not None:
        args += ["--profile", str(profile)]
    result = run_child(args, env=env, timeout=300)
    result.check("the open probe")
    marks: dict[str, Any] = json.loads(out.read_text())
    return marks, result


def bench_gui(
    suite: Suite,
    library: Path,
    work: Path,
    parts: set[str],
    profile_dir: Path | None,
    n: int | None = None,
) -> None:
    """Search, preview and export in one window process on the big library (``n`` articles)."""
    sizes = suite.sizes
    n = n or sizes.library_articles
    out = work / "gui.json"
    args = [
        "-m",
        "benchmarks.gui_bench",
        "--library",
        str(library),
        "--out",
        str(out),
        "--only",
        ",".join(sorted(parts)),
        "--seed",
        str(suite.seed),
        "--rounds",
        str(sizes.search_rounds),
        "--preview-n",
        str(sizes.preview_articles),
        "--pdf-n",
        str(sizes.pdf_articles),
        "--html-n",
        str(sizes.html_articles),
    ]
    log(f"gui: {', '.join(sorted(parts))} on {n} articles ...")
    result = run_child(args, env=child_env(home=work / "home-gui"))
    result.check("the GUI benchmark")
    data: dict[str, Any] = json.loads(out.read_text())
    suite.details["gui_process" if n < cache.MILLION else "gui_process_million"] = {
        "seconds": round(result.seconds, 2),
        "peak_rss_mb": round(result.max_rss_mb, 1),
    }
    if "search" in data:
        search = data["search"]
        suite.details["search" if n < cache.MILLION else "search_million"] = search
        field_path = search["search_field"]
        suite.figure("search_p50_ms", field_path["p50_ms"], "ms", n)
        suite.figure(
            "search_p95_ms",
            field_path["p95_ms"],
            "ms",
            n,
            note=f"{search['queries']} queries x {search['rounds']} rounds through the search "
            "field (apply_search, a background task on large libraries) + the first 40 "
            f"rows; model.set_query p95 {search['set_query']['p95_ms']} ms",
        )
    if "stalls" in data:  # gui_bench.bench_stalls: the longest GUI-thread stall of each action
        stalls = data["stalls"]
        suite.details["stalls"] = stalls
        measured = {k: v for k, v in stalls.items() if not k.startswith("open (construct")}
        worst = max(measured, key=lambda k: measured[k]["stall_ms"])
        suite.figure(
            "gui_stall_max_ms",
            measured[worst]["stall_ms"],
            "ms",
            n,
            note=f"longest of {len(measured)} actions: {worst}",
        )
    if "preview" in data:
        preview = data["preview"]
        suite.details["preview"] = preview
        rendered = preview["open_to_rendered"]
        suite.figure(
            "preview_p95_ms",
            rendered["p95_ms"] if rendered else None,
            "ms",
            preview["articles"],
            note="open_article(id) until PreviewView.rendered; to painted p95 "
            f"{preview['open_to_painted']['p95_ms']} ms",
        )
    if "export" in data:
        export = data["export"]
        suite.details["export"] = export
        for key, name in (("pdf", "export_pdf_100_s"), ("html", "export_html_1000_s")):
            entry = export.get(key, {})
            suite.figure(
                name,
                entry.get("seconds"),
                "s",
                entry.get("articles", sizes.pdf_articles if key == "pdf" else sizes.html_articles),
                note=entry.get("error", ""),
            )
    if profile_dir is not None:
        prof = profile_dir / "gui.prof"
        log("gui: profiling run ...")
        run_child([*args, "--profile", str(prof)], env=child_env(home=work / "home-gui"))
        log(f"gui: profile in {prof}")


# -- main -------------------------------------------------------------------------------------


def _table(figures: list[dict[str, Any]]) -> str:
    lines = [f"{'figure':22} {'value':>12} {'unit':8} {'n':>7}  {'budget':32} ok"]
    for f in figures:
        value = "n/a" if f["value"] is None else f"{f['value']:.4g}"
        ok = {True: "yes", False: "NO", None: "-"}[f["ok"]]
        ratio = f" (ratio {f['ratio']:.2f})" if f["ratio"] is not None else ""
        lines.append(
            f"{f['name']:22} {value:>12} {f['unit']:8} {f['n']:>7}  {f['budget'] or '':32} "
            f"{ok}{ratio}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.run [--quick] [--only PARTS] [--seed N] [--profile]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes (< 1 min)")
    parser.add_argument("--only", help=f"comma-separated parts of {', '.join(PARTS)}")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (1)")
    parser.add_argument("--import-n", type=int, help="files to import (10000; quick 1000)")
    parser.add_argument("--library-n", type=int, help="articles in the big library (100000)")
    parser.add_argument(
        "--profile", action="store_true", help="also write cProfile files to results/profiles/"
    )
    parser.add_argument(
        "--million",
        action="store_true",
        help="also the 1,000,000-article figures (builds and caches that library the first "
        "time: ~13 GB, about half an hour)",
    )
    parser.add_argument(
        "--decay-files", type=int, help=f"files of each import-decay import ({DECAY_FILES})"
    )
    args = parser.parse_args(argv)
    parts = set(PARTS) if not args.only else {p.strip() for p in args.only.split(",")}
    unknown = parts - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    sizes = QUICK if args.quick else FULL
    if args.import_n or args.library_n:
        sizes = dataclasses.replace(
            sizes,
            import_files=args.import_n or sizes.import_files,
            library_articles=args.library_n or sizes.library_articles,
        )
    suite = Suite(quick=args.quick, sizes=sizes, seed=args.seed)
    started = time.perf_counter()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    cache.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    profile_dir = RESULTS_DIR / "profiles" if args.profile else None
    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=cache.CACHE_DIR))
    _compile_bytecode()
    try:
        steps: list[tuple[str, Callable[[], None]]] = []
        if "import" in parts:
            steps.append(("import", lambda: bench_import(suite, work, profile_dir)))
        gui_parts = parts & {"search", "preview", "export", "stalls"}
        if "open" in parts or gui_parts:

            def big_library() -> Path:
                return cache.ensure_library(sizes.library_articles, args.seed, log)

            if "open" in parts:
                steps.append(("open", lambda: bench_open(suite, big_library(), work, profile_dir)))
            if gui_parts:
                steps.append(
                    (
                        "gui",
                        lambda: bench_gui(suite, big_library(), work, gui_parts, profile_dir),
                    )
                )
        if args.million:
            decay_files = args.decay_files or (DECAY_FILES // 10 if args.quick else DECAY_FILES)
            steps.append(("million", lambda: bench_million(suite, work, decay_files)))
        for name, step in steps:
            try:
                step()
            except Exception as exc:
                log(f"{name} failed: {exc}")
                suite.details.setdefault("errors", {})[name] = str(exc)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "million": args.million,
        "seed": args.seed,
        "sizes": sizes.__dict__,
        "machine": machine(),
        "seconds": round(time.perf_counter() - started, 1),
        "figures": suite.figures,
        "details": suite.details,
    }
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    (RESULTS_DIR / "latest.json").write_text(text, encoding="utf-8")
    (RESULTS_DIR / ("quick.json" if args.quick else "full.json")).write_text(text, "utf-8")
    log(f"done in {result['seconds']} s; written to {RESULTS_DIR / 'latest.json'}")
    print(_table(suite.figures), file=sys.stderr)
    return 1 if "errors" in suite.details else 0


if __name__ == "__main__":
    sys.exit(main())
