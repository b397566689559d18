"""Organising a PostgreSQL library: the sidebar's facets, saved searches, batch edits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archive_app.core.errors import ArticleNotFoundError, ValidationError
from archive_app.core.library import _batch_fields, _quote_value, utcnow
from archive_app.core.query import compile_query
from archive_app.core.records import (
    BatchEdit,
    BatchTarget,
    BatchUndo,
    Changes,
    FacetCount,
    Facets,
    SavedSearch,
)
from archive_app.core.storage.postgres.engine import as_tuple
from archive_app.core.storage.postgres.writes import PgWrites


class PgOrganising(PgWrites):
    """The sidebar's facets, saved searches, batch edits."""

    def facets(self, *, trash: bool = False) -> Facets:
        """Return the sidebar's sections tree, publishers and tags with counts.

        With ``trash`` the sections, publishers and tags count the trash; ``total``,
        ``review`` and ``trash`` always count the library and the trash.
        """
        listed = "deleted_at IS NOT NULL" if trash else "deleted_at IS NULL"
        with self._pg_read() as cur:
            sections: dict[tuple[str, ...], int] = {}
            cur.execute(
                f"SELECT section_path, count(*) FROM article WHERE {listed} GROUP BY section_path"
            )
            for path_json, count in cur.fetchall():
                path = as_tuple(path_json)
                for depth in range(1, len(path) + 1):
                    sections[path[:depth]] = sections.get(path[:depth], 0) + count
            cur.execute(
                f"SELECT min(publisher), count(*) FROM article WHERE {listed} "
                "AND publisher <> '' GROUP BY lower(publisher) "
                'ORDER BY count(*) DESC, lower(publisher) COLLATE "C"'
            )
            publishers = cur.fetchall()
            cur.execute(
                "SELECT t.name, count(a.id) FROM tag t JOIN article_tag at ON at.tag_id = t.id "
                f"JOIN article a ON a.id = at.article_id AND a.{listed} "
                'GROUP BY t.id, t.name ORDER BY lower(t.name) COLLATE "C"'
            )
            tags = cur.fetchall()
            cur.execute(
                "SELECT count(*) FILTER (WHERE deleted_at IS NULL), "
                "count(*) FILTER (WHERE deleted_at IS NULL AND needs_review), "
                "count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM article"
            )
            total, review, trashed = cur.fetchone()  # type: ignore[misc]
        return Facets(
            sections=tuple(
                FacetCount(path[-1], count, f"section:{_quote_value(' '.join(path))}", path)
                for path, count in sorted(
                    sections.items(), key=lambda kv: [p.lower() for p in kv[0]]
                )
            ),
            publishers=tuple(
                FacetCount(name, count, 'publisher:"' + name.replace('"', "") + '"')
                for name, count in publishers
            ),
            tags=tuple(
                FacetCount(name, count, f"tag:{_quote_value(name)}") for name, count in tags
            ),
            total=int(total or 0),
            review=int(review or 0),
            trash=int(trashed or 0),
        )

    def saved_searches(self) -> list[SavedSearch]:
        """Return the saved searches, by name."""
        with self._pg_read() as cur:
            cur.execute('SELECT id, name, query FROM saved_search ORDER BY lower(name) COLLATE "C"')
            return [SavedSearch(*row) for row in cur.fetchall()]

    def save_search(self, name: str, query: str, *, search_id: int | None = None) -> SavedSearch:
        """Create a saved search, or change the one with ``search_id``.

        Raises:
            ValidationError: Empty name or query, or a name another saved search has.
        """
        name, query = " ".join(name.split()), query.strip()
        errors = {}
        if not name:
            errors["name"] = "A name is required."
        if not query:
            errors["query"] = "A query is required."
        if errors:
            raise ValidationError(errors)
        compile_query(query)  # refuse a query that cannot be understood
        with self._pg_write() as cur:
            cur.execute(
                "SELECT id FROM saved_search WHERE lower(name) = lower(%s) "
                "AND id IS DISTINCT FROM %s",
                (name, search_id),
            )
            if cur.fetchone():
                raise ValidationError({"name": f"A saved search is already called {name!r}."})
            if search_id is None:
                cur.execute(
                    "INSERT INTO saved_search (name, query, created_at) VALUES (%s, %s, %s) "
                    "RETURNING id",
                    (name, query, utcnow()),
                )
                search_id = int(cur.fetchone()[0])  # type: ignore[index]
            else:
                cur.execute(
                    "UPDATE saved_search SET name = %s, query = %s WHERE id = %s",
                    (name, query, search_id),
                )
        return SavedSearch(search_id, name, query)

    def delete_saved_search(self, search_id: int) -> None:
        """Forget a saved search."""
        with self._pg_write() as cur:
            cur.execute("DELETE FROM saved_search WHERE id = %s", (search_id,))

    def batch_targets(self, ids: Sequence[int]) -> list[BatchTarget]:
        """What a batch edit of ``ids`` reads, in the order given (missing ids are left out)."""
        out: list[BatchTarget] = []
        for article_id in dict.fromkeys(ids):
            try:
                r = self.get_article(article_id)
            except ArticleNotFoundError:
                continue
            out.append(BatchTarget(r.id, r.title, r.tags, r.section_path, r.publisher, r.language))
        return out

    def apply_batch_edit(self, ids: Sequence[int], edit: BatchEdit) -> tuple[Changes, BatchUndo]:
        """Apply ``edit`` to every article in one transaction; return what to undo it with."""
        before: dict[int, dict[str, Any]] = {}
        with self._pg_write() as cur:
            for record in self.batch_targets(ids):
                article_id = record.id
                planned = _batch_fields(record, edit)
                if not planned:
                    continue
                before[article_id] = {name: old for name, old, _new in planned}
                self._pg_write_fields(
                    cur, article_id, {name: new for name, _old, new in planned}, kind="batch edit"
                )
        return (
            Changes(article_ids=frozenset(before), tags=bool(edit.add_tags or edit.remove_tags)),
            BatchUndo(before),
        )

    def undo_batch_edit(self, undo: BatchUndo) -> Changes:
        """Put back what a batch edit replaced, in one transaction."""
        with self._pg_write() as cur:
            for article_id, values in undo.before.items():
                self._pg_write_fields(cur, article_id, values, kind="undo of a batch edit")
        return Changes(article_ids=frozenset(undo.before), tags=True)
