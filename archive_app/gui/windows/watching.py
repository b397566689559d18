"""Other windows' and machines' writes, shown within a second or two: rows, sidebar, article."""

from __future__ import annotations

import logging

from archive_app.core.errors import ArticleNotFoundError, LibraryError
from archive_app.core.query import QueryError
from archive_app.gui.watcher import LibraryWatcher
from archive_app.gui.windows.base import WindowBase

log = logging.getLogger(__name__)


class WatchingMixin(WindowBase):
    """Refreshing what another program changed: the window's part."""

    watcher: LibraryWatcher | None = None

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
        (their save then shows both versions)."""
        if self.import_task is not None or self.model.query_invalid:
            return  # the import's end refreshes everything; an invalid query lists nothing
        try:
            ids = self.model.query_ids(self.model.query, self.model.by_relevance)
            if ids == self.model.ids():
                self.model.refresh_rows()
            else:
                self.model.reload()
            self.refresh_sidebar()
        except (LibraryError, QueryError) as exc:  # the server went away for a moment
            log.warning("refresh after another program's write: %s", exc)
            return
        record = self.form.record
        if record is None:
            return
        try:
            stored = self.library.get_article(record.id)
        except ArticleNotFoundError:
            stored = None
        except LibraryError as exc:
            log.warning("refresh of article %s: %s", record.id, exc)
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
