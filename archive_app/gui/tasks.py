"""Background tasks: ``QRunnable`` workers reporting through a ``QObject`` signals holder."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

#: A task body: ``fn(progress, cancelled) -> result``; ``progress(done, total, text)``.
TaskFn = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]


class TaskSignals(QObject):
    """Signals of a running task (emitted from the worker thread, delivered queued).

    Signals:
        progressed: (done, total, text) as the work goes on.
        succeeded: The task's result.
        failed: A one-line message and the traceback text.
        finished: Emitted last, whatever the outcome.
    """

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str, str)
    finished = Signal()


class Task(QRunnable):
    """Run ``fn`` off the GUI thread; cancel with ``cancel()``.

    Args:
        fn: The work, called with a progress callback and a cancellation check.
    """

    def __init__(self, fn: TaskFn) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._fn = fn
        self._cancel = threading.Event()
        self.signals = TaskSignals()

    def cancel(self) -> None:
        """Ask the task to stop at its next check."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancellation was requested."""
        return self._cancel.is_set()

    def run(self) -> None:
        """Do the work (in a pool thread) and report the outcome."""
        try:
            result = self._fn(self.signals.progressed.emit, self._cancel.is_set)
        except Exception as exc:
            log.exception("background task failed")
            self.signals.failed.emit(str(exc) or type(exc).__name__, traceback.format_exc())
        else:
            self.signals.succeeded.emit(result)
        finally:
            self.signals.finished.emit()


class TaskRunner(QObject):
    """Starts tasks on a thread pool and keeps them alive until they finish.

    Args:
        synchronous: Run tasks in the calling thread (for tests that need determinism).
    """

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._running: set[Task] = set()

    def start(self, task: Task) -> Task:
        """Start ``task`` and return it."""
        self._running.add(task)
        task.signals.finished.connect(lambda: self._running.discard(task))
        if self.synchronous:
            task.run()
        else:
            self._pool.start(task)
        return task

    @property
    def busy(self) -> bool:
        """Whether a task is still running."""
        return bool(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for every task to finish (on quit); return whether they did."""
        for task in list(self._running):
            task.cancel()
        return self._pool.waitForDone(msecs)
