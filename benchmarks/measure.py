"""Running a measured child process (wall time and its own peak RSS) and small statistics."""

from __future__ import annotations

import atexit
import math
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ChildResult:
    """What a child process did: exit code, wall seconds, CPU seconds, peak RSS and output."""

    returncode: int
    seconds: float
    max_rss_mb: float
    stdout: str
    stderr: str
    started: float  # time.monotonic() just before the process was created
    #: User + system CPU of the process and of the children it waited for (its workers): on a
    #: machine shared with other work this moves far less than the wall time.
    cpu_seconds: float = 0.0

    def check(self, what: str) -> None:
        """Raise with the end of stderr if the process failed."""
        if self.returncode != 0:
            tail = "\n".join(self.stderr.strip().splitlines()[-15:])
            raise RuntimeError(f"{what} exited with {self.returncode}:\n{tail}")


def child_env(
    extra: Mapping[str, str] | None = None, *, home: Path | None = None
) -> dict[str, str]:
    """Return the environment for children: offscreen Qt, settings isolated under ``home``."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("ARCHIVE_APP_QUIT_AFTER_MS", None)
    if home is not None:
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            path = home / name.lower()
            path.mkdir(parents=True, exist_ok=True)
            env[name] = str(path)
    env.update(extra or {})
    return env


_spawner: ProcessPoolExecutor | None = None
_spawner_lock = threading.Lock()


def _spawner_pool() -> ProcessPoolExecutor:
    """The small process every measured child is started from (made on first use)."""
    global _spawner
    with _spawner_lock:
        if _spawner is None:
            _spawner = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            atexit.register(_spawner.shutdown)
        return _spawner


def run_child(
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 1800.0,
    cwd: Path = REPO,
) -> ChildResult:
    """Run ``python args...`` (this interpreter) and measure it.

    The peak RSS is that process's own (``os.wait4``), not the maximum over every child
    this process ever waited for (which ``RUSAGE_CHILDREN`` would give); the CPU seconds are
    that process's and its own children's (the import's workers).

    The child is started by a small process of its own, not by this one: Linux counts the
    memory of the process a child is forked (or vforked) from, up to its ``exec``, in the
    child's peak RSS, so a child of a benchmark that had just built a library in memory
    reported that process's 481 MB instead of its own 215 MB.
    """
    env = dict(env or os.environ)
    return _spawner_pool().submit(_run_child_here, list(args), env, timeout, cwd).result()


def _run_child_here(
    args: Sequence[str], env: Mapping[str, str], timeout: float, cwd: Path
) -> ChildResult:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, *args], stdout=out, stderr=err, env=dict(env), cwd=cwd
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ChildResult(
            returncode=proc.returncode,
            seconds=seconds,
            max_rss_mb=usage.ru_maxrss / 1024,  # KiB on Linux
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            started=started,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
        )


def percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q``-th percentile (0-100) with linear interpolation between ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def median(values: Sequence[float]) -> float:
    """Return the median."""
    return percentile(values, 50)
