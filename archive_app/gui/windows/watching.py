"""Other windows' and machines' writes, shown within a second or two: rows, sidebar, article."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from archive_app.core.errors import ArticleNotFoundError
from archive_app.core.records import ArticleRecord
from archive_app.gui.tasks import Task
from archive_app.gui.watcher import LibraryWatcher
from archive_app.gui.windows.base import WindowBase

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Refresh:
    """What a refresh read in its worker: the listed ids and the open article as stored."""

    ids: list[int]
    article: ArticleRecord | None
    missing: bool  # the open article is gone (purged elsewhere)


class WatchingMixin(WindowBase):
    """Refreshing what another program changed: the window's part."""

    watcher: LibraryWatcher | None = None
    _refresh_task: Task | None = None
    _refresh_again = False

    def start_watching(self) -> None:
        """Watch the library for other programs' writes (LISTEN on a server, else a poll)."""
        self.watcher = LibraryWatcher(self.library, self)
        self.watcher.changed_elsewhere.connect(self._on_watcher_changed_elsewhere)

    def stop_watching(self) -> None:
        """Stop watching (the window closes)."""
        if self.watcher is not None:
            self.watcher.stop()

    def _on_watcher_changed_elsewhere(self) -> None:
        self.refresh_from_library()

    def refresh_from_library(self) -> None:
        """Show the library as it is now: the listed rows (in place when the same articles
        are listed), the sidebar's counts, and the open article unless it has unsaved edits
        (their save then shows both versions).

        The queries run in a worker (a listing of a million ids, or a server across a
        network, must not freeze the window); what they found is applied here, unless the
        table's query changed meanwhile (its own listing is then newer).
        """
        if self.import_task is not None or self.model.query_invalid:
            return  # the import's end refreshes everything; an invalid query lists nothing
        if self._refresh_task is not None:
            self._refresh_again = True  # one at a time: the news is folded into the next
            return
        model, library = self.model, self.library
        query, by_relevance, trash = model.query, model.by_relevance, model.showing_trash
        record = self.form.record
        record_id = record.id if record is not None else None

        def work(_progress: object, _cancelled: object) -> _Refresh:
            ids = model.query_ids(query, by_relevance)
            if record_id is None:
                return _Refresh(ids, None, False)
            try:
                return _Refresh(ids, library.get_article(record_id), False)
            except ArticleNotFoundError:
                return _Refresh(ids, None, True)

        task = Task(work)
        task.signals.succeeded.connect(
            lambda found: self._apply_refresh(found, (query, by_relevance, trash), record_id)
        )
        task.signals.failed.connect(
            lambda message, _details: log.warning(
                "refresh after another program's write: %s", message
            )
        )
        task.signals.finished.connect(self._on_refresh_finished)
        self._refresh_task = task
        self.runner.start(task)

    def _on_refresh_finished(self) -> None:
        self._refresh_task = None
        if self._refresh_again:
            self._refresh_again = False
            self.refresh_from_library()

    def _apply_refresh(
        self, found: _Refresh, listed: tuple[str, bool, bool], record_id: int | None
    ) -> None:
        model = self.model
        if self.import_task is not None:
            return
        if listed == (model.query, model.by_relevance, model.showing_trash) and (
            model.complete and not model.loading
        ):
            if found.ids == model.ids():
                model.refresh_rows()
            else:
                model.apply_query_result(model.query, found.ids)
        self.refresh_sidebar()
        record = self.form.record
        if record is None or record.id != record_id:
            return  # another article was opened meanwhile: it was read as it is now
        stored = found.article
        if stored is None and not found.missing:
            return
        if stored is not None and (stored.version, stored.deleted_at) == (
            record.version,
            record.deleted_at,
        ):
            return
        if self.form.is_modified:
            self.statusBar().showMessage(
                "This article was changed elsewhere: saving shows both versions.", 8000
            )
        else:
            self.open_article(record.id if stored is not None else 0)
