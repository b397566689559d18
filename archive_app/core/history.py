"""Revisions: every change to an article, field by field, with who and when."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Columns of ``article`` stored as JSON lists.
JSON_FIELDS = frozenset({"section_path", "alternate_urls", "parse_warnings"})


@dataclass(frozen=True)
class Revision:
    """One change of one article.

    ``changes`` maps each changed field to ``(old, new)`` in JSON form (lists, ISO dates).
    """

    id: int
    article_id: int
    created_at: dt.datetime
    user: str
    kind: str
    changes: dict[str, tuple[Any, Any]]

    def to_json(self) -> dict[str, Any]:
        """Return the ``history --json`` object."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "created_at": self.created_at.replace(tzinfo=dt.UTC).isoformat(timespec="seconds"),
            "user": self.user,
            "kind": self.kind,
            "changes": {k: {"old": v[0], "new": v[1]} for k, v in self.changes.items()},
        }


def current_user() -> str:
    """The OS user name (who made a change)."""
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers): fall back to the id
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def jsonable(name: str, value: Any) -> Any:
    """A field value in the JSON form revisions keep (and compare)."""
    if isinstance(value, tuple | list):
        items = [str(v) for v in value]
        return sorted(items, key=str.casefold) if name == "tags" else items
    if isinstance(value, dt.date):
        return value.isoformat()
    if name == "needs_review":
        return bool(value)
    return value


def current_values(cur: sqlite3.Cursor, article_id: int, names: Iterable[str]) -> dict[str, Any]:
    """The stored values of some fields of an article, in JSON form."""
    names = list(names)
    columns = [n for n in names if n != "tags"]
    out: dict[str, Any] = {}
    if columns:
        row = cur.execute(
            f"SELECT {', '.join(columns)} FROM article WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return {}
        for name, value in zip(columns, row, strict=True):
            if name in JSON_FIELDS:
                value = json.loads(value) if value else []
            out[name] = jsonable(name, value)
    if "tags" in names:
        tags = cur.execute(
            "SELECT t.name FROM tag t JOIN article_tag at ON at.tag_id = t.id "
            "WHERE at.article_id = ?",
            (article_id,),
        ).fetchall()
        out["tags"] = jsonable("tags", [r[0] for r in tags])
    return out


def record(
    cur: sqlite3.Cursor,
    article_id: int,
    kind: str,
    changes: Mapping[str, tuple[Any, Any]],
    when: str,
) -> None:
    """Store a revision (nothing when nothing changed)."""
    if not changes:
        return
    cur.execute(
        "INSERT INTO revision (article_id, created_at, user, kind, changes) VALUES (?, ?, ?, ?, ?)",
        (
            article_id,
            when,
            current_user(),
            kind,
            json.dumps({k: list(v) for k, v in changes.items()}, ensure_ascii=False),
        ),
    )


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose JSON form differs, as ``(old, new)``."""
    return {name: (before.get(name), new) for name, new in after.items() if before.get(name) != new}


def read(cur: sqlite3.Cursor, article_id: int) -> list[Revision]:
    """An article's revisions, oldest first."""
    rows = cur.execute(
        "SELECT id, article_id, created_at, user, kind, changes FROM revision "
        "WHERE article_id = ? ORDER BY id",
        (article_id,),
    ).fetchall()
    return [
        Revision(
            id=r[0],
            article_id=r[1],
            created_at=dt.datetime.fromisoformat(r[2]),
            user=r[3],
            kind=r[4],
            changes={k: (v[0], v[1]) for k, v in json.loads(r[5]).items()},
        )
        for r in rows
    ]


def state_at(
    current: Mapping[str, Any], revisions: Sequence[Revision], revision_id: int
) -> dict[str, Any]:
    """The values of the fields changed after ``revision_id``, as they were right after it.

    Revision 0 is the article as it was imported (before every revision).

    Raises:
        LookupError: No such revision among ``revisions``.
    """
    if revision_id != 0 and not any(r.id == revision_id for r in revisions):
        raise LookupError(revision_id)  # 0 is the article as imported
    state = dict(current)
    for revision in reversed(revisions):
        if revision.id <= revision_id:
            break
        for name, (old, _new) in revision.changes.items():
            state[name] = old
    return state
