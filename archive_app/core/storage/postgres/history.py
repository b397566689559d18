"""A PostgreSQL library's history (revisions, revert) and drafts (unsaved edits)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from archive_app.core import history
from archive_app.core.errors import ArticleNotFoundError
from archive_app.core.library import utcnow
from archive_app.core.records import Changes
from archive_app.core.storage.postgres.engine import Cursor
from archive_app.core.storage.postgres.writes import PgWrites


class PgHistory(PgWrites):
    """Revisions (an article's history, revert) and drafts (unsaved edits)."""

    @staticmethod
    def _revisions(cur: Cursor, article_id: int) -> list[history.Revision]:
        cur.execute(
            'SELECT id, article_id, created_at, "user", kind, changes::text FROM revision '
            "WHERE article_id = %s ORDER BY id",
            (article_id,),
        )
        return [
            history.Revision(
                id=r[0],
                article_id=r[1],
                created_at=r[2],
                user=r[3],
                kind=r[4],
                changes={k: (v[0], v[1]) for k, v in json.loads(r[5]).items()},
            )
            for r in cur.fetchall()
        ]

    def history(self, article_id: int) -> list[history.Revision]:
        """An article's revisions, oldest first.

        Raises:
            ArticleNotFoundError: No article has that id.
        """
        with self._pg_read() as cur:
            cur.execute("SELECT 1 FROM article WHERE id = %s", (article_id,))
            if cur.fetchone() is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            return self._revisions(cur, article_id)

    def revert(self, article_id: int, revision_id: int) -> Changes:
        """Put an article back as it was right after ``revision_id`` (itself a revision).

        Raises:
            ArticleNotFoundError: No such article, or the revision is not one of its own.
        """
        with self._pg_write() as cur:
            revisions = self._revisions(cur, article_id)
            names = {name for r in revisions for name in r.changes}
            current = self._current_values(cur, article_id, names)
            if not current and names:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            try:
                state = history.state_at(current, revisions, revision_id)
            except LookupError:
                raise ArticleNotFoundError(
                    f"article {article_id} has no revision {revision_id}; see "
                    f"'article-archive history {article_id}'"
                ) from None
            self._pg_write_fields(cur, article_id, state, kind=f"restore of revision {revision_id}")
        return Changes(article_ids=frozenset({article_id}), tags=True)

    # -- drafts ----------------------------------------------------------------------------

    def save_draft(self, article_id: int, fields: Mapping[str, Any]) -> None:
        """Keep the form's unsaved values of an article (JSON form) until saved or discarded."""
        data = json.dumps(
            {name: history.jsonable(name, value) for name, value in fields.items()},
            ensure_ascii=False,
        )
        with self._pg_write() as cur:
            cur.execute(
                "INSERT INTO draft (article_id, fields, updated_at) VALUES (%s, %s::json, %s) "
                "ON CONFLICT (article_id) DO UPDATE SET fields = excluded.fields, "
                "updated_at = excluded.updated_at",
                (article_id, data, utcnow()),
            )

    def discard_draft(self, article_id: int) -> None:
        """Forget an article's draft (after saving or discarding the edits)."""
        with self._pg_write() as cur:
            cur.execute("DELETE FROM draft WHERE article_id = %s", (article_id,))

    def drafts(self) -> dict[int, dict[str, Any]]:
        """Every article's unsaved edits left from a session that did not end well."""
        with self._pg_read() as cur:
            cur.execute("SELECT article_id, fields::text FROM draft ORDER BY article_id")
            rows = cur.fetchall()
        return {int(r[0]): json.loads(r[1]) for r in rows}
