"""A PostgreSQL library's checks: the schema version, the full-text column, the bytes, counts."""

from __future__ import annotations

import hashlib
from pathlib import Path

from archive_app.core.compression import CompressionError, decompress
from archive_app.core.errors import LibraryError
from archive_app.core.storage import pg_schema
from archive_app.core.storage.postgres.reads import PgReads


class PgChecks(PgReads):
    """The schema version, the checks, the counts, and why a server has no file backup."""

    @property
    def schema_version(self) -> int:
        """The schema version of the open library (PostgreSQL's own numbering)."""
        with self._pg_read() as cur:
            cur.execute(f"SELECT value FROM {pg_schema.META_TABLE} WHERE name = 'schema_version'")
            row = cur.fetchone()
        return int(row[0]) if row else 0

    def integrity_check(self) -> list[str]:
        """Check the full-text columns against the fields they are made from."""
        vectors = {"search": pg_schema.SEARCH_VECTOR_SQL, **pg_schema.FIELD_VECTOR_SQL}
        stale_sql = " OR ".join(f"a.{c} IS DISTINCT FROM {sql}" for c, sql in vectors.items())
        with self._pg_read() as cur:
            cur.execute(f"SELECT count(*) FROM article a WHERE {stale_sql}")
            stale = int(cur.fetchone()[0])  # type: ignore[index]
        if stale:
            return [f"full-text index: {stale} articles are indexed with outdated text"]
        return []

    def backup(self, out: str | Path) -> Path:
        """A server library is backed up by its server; the app's portable copy is a bag.

        Raises:
            LibraryError: Always, saying what to use instead.
        """
        raise LibraryError(
            f"{self.display_url} is on a PostgreSQL server: back it up there (pg_dump), or "
            "export a portable copy with 'article-archive export --all --format bag --out DIR'"
        )

    def check(self) -> list[str]:
        """Check the full-text column, every original file against its SHA-256, and the links
        between articles and sources; one line per problem (none: all well)."""
        problems = self.integrity_check()
        with self._pg_read() as cur:
            cur.execute(
                "SELECT id, file_name, sha256, compression, data FROM source_file ORDER BY id"
            )
            for source_id, name, sha, compression, data in cur:
                try:
                    raw = decompress(data, compression)
                except CompressionError:
                    problems.append(f"source file {source_id} ({name}): its bytes are damaged")
                    continue
                if hashlib.sha256(raw).hexdigest() != sha:
                    problems.append(
                        f"source file {source_id} ({name}): its bytes do not match its SHA-256"
                    )
            cur.execute(
                "SELECT a.id FROM article a LEFT JOIN source_file s ON s.id = a.source_file_id "
                "WHERE s.id IS NULL ORDER BY a.id"
            )
            for (article_id,) in cur.fetchall():
                problems.append(f"article {article_id} has no source file")
            cur.execute(
                "SELECT s.id, s.file_name FROM source_file s WHERE NOT EXISTS "
                "(SELECT 1 FROM article a WHERE a.source_file_id = s.id) ORDER BY s.id"
            )
            for source_id, name in cur.fetchall():
                problems.append(f"source file {source_id} ({name}) belongs to no article")
        return problems

    def counts(self) -> dict[str, int]:
        """Row counts (articles, trash, sources, tags, revisions, drafts) for ``check``."""
        with self._pg_read() as cur:
            cur.execute(
                "SELECT (SELECT count(*) FROM article WHERE deleted_at IS NULL), "
                "(SELECT count(*) FROM article WHERE deleted_at IS NOT NULL), "
                "(SELECT count(*) FROM source_file), (SELECT count(*) FROM tag), "
                "(SELECT count(*) FROM revision), (SELECT count(*) FROM draft)"
            )
            row = cur.fetchone()
        assert row is not None
        keys = ("articles", "trash", "source_files", "tags", "revisions", "drafts")
        return {key: int(value) for key, value in zip(keys, row, strict=True)}
