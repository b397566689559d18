"""The search language compiled for PostgreSQL: a ``tsquery`` for the words, SQL for the rest.

The same parse as SQLite (``core.query.parse_query``) and the same split: the free-text parts of
the top-level AND become one ranking ``tsquery`` (``a.search @@ q``, ranked with ``ts_rank``,
answered by the GIN index); everything else becomes WHERE conditions with ``%s`` parameters.

Words are cut at what is not a letter or digit (``O'Brien`` is the phrase ``o <-> brien``, as
FTS5's unicode61 cuts it) and each is quoted, so nothing a person types reaches ``to_tsquery``
as syntax. A field (``title:``) is a weight: title A, section B, byline and caption C, body D.
Known differences from FTS5: ``byline:`` and ``caption:`` share a weight, so inside an OR or a
NOT each also finds the other's words (at the top level a recheck of the column keeps them
apart); a phrase may run on from one field into the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive_app.core.query import (
    And,
    Filter,
    Node,
    Not,
    Or,
    QueryError,
    Text,
    _like_escape,
    _period,
    parse_query,
)
from archive_app.core.storage.pg_schema import COLUMN_WEIGHTS, TEXT_CONFIG

_WORD = re.compile(r"\w+")
#: Columns that share a weight with another, rechecked when they are a top-level term.
_SHARED_WEIGHT = frozenset({"byline", "photo_caption"})


@dataclass
class PgQuery:
    """A compiled query over ``article a``.

    ``tsquery`` is the ranking full-text query in ``to_tsquery`` syntax (``None`` when the query
    has no free words); the SQL reads it as ``to_tsquery('archive_text', %s)``.
    """

    where: str
    params: list[object] = field(default_factory=list)
    tsquery: str | None = None
    trash: bool = False
    only_text: bool = False


def tsquery_sql() -> str:
    """The SQL expression of a ``PgQuery.tsquery`` parameter."""
    return f"to_tsquery('{TEXT_CONFIG}', %s)"


def _text(node: Text) -> str | None:
    words = [w for w in _WORD.findall(node.text) if any(c.isalnum() for c in w)]
    if not words:
        return None
    weight = COLUMN_WEIGHTS[node.column] if node.column else ""
    lexemes = [f"'{w}'{':' + weight if weight else ''}" for w in words]
    if node.prefix:
        lexemes[-1] = f"'{words[-1]}':*{weight}"
    joined = " <-> ".join(lexemes)
    return f"({joined})" if len(lexemes) > 1 else joined


def _ts_expression(node: Node) -> str | None:
    """One tsquery for a subtree of free text only (``None`` if it has filters or no words)."""
    if isinstance(node, Text):
        return _text(node)
    if isinstance(node, And | Or):
        parts = [_ts_expression(c) for c in node.children]
        if any(p is None for p in parts):
            return None
        joiner = " & " if isinstance(node, And) else " | "
        return "(" + joiner.join(p for p in parts if p) + ")"
    return None


class _Compiler:
    def __init__(self) -> None:
        self.params: list[object] = []
        self.trash = False

    def node(self, node: Node) -> str:
        if isinstance(node, Text):
            expr = _text(node)
            if expr is None:
                return "TRUE"
            self.params.append(expr)
            return f"a.search @@ {tsquery_sql()}"
        if isinstance(node, Not):
            return f"NOT ({self.node(node.child)})"
        if isinstance(node, And):
            return "(" + " AND ".join(self.node(c) for c in node.children) + ")"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.node(c) for c in node.children) + ")"
        return self.filter(node)

    def filter(self, node: Filter) -> str:
        name, value = node.name, node.value
        if name == "publisher":
            if node.exact:
                self.params.append(value)
                return "lower(a.publisher) = lower(%s)"
            self.params.append(f"%{_like_escape(value)}%")
            return "a.publisher ILIKE %s ESCAPE '\\'"
        if name == "tag":
            if node.prefix:
                self.params.append(f"{_like_escape(value)}%")
                test = "t.name ILIKE %s ESCAPE '\\'"
            else:
                self.params.append(value)
                test = "lower(t.name) = lower(%s)"
            return (
                "EXISTS (SELECT 1 FROM article_tag at JOIN tag t ON t.id = at.tag_id "
                f"WHERE at.article_id = a.id AND {test})"
            )
        if name == "lang":
            self.params.extend([value, f"{_like_escape(value)}-%"])
            return "(lower(a.language) = lower(%s) OR a.language ILIKE %s ESCAPE '\\')"
        if name in ("date", "imported"):
            column, cast = (
                ("a.published_on", "date") if name == "date" else ("a.created_at", "timestamp")
            )
            start, end = _period(value, name)
            parts = []
            if start is not None:
                parts.append(f"{column} >= %s::{cast}")
                self.params.append(start)
            if end is not None:
                parts.append(f"{column} < %s::{cast}")
                self.params.append(end)
            return "(" + " AND ".join(parts) + ")" if parts else f"{column} IS NOT NULL"
        if name == "is":
            flag = value.lower()
            if flag == "review":
                return "a.needs_review"
            if flag == "trash":
                self.trash = True
                return "TRUE"
            raise QueryError(f"is:{value} is not known; use is:review or is:trash")
        raise QueryError(f"{name}: is not a field")  # pragma: no cover (FIELDS guards it)

    def recheck(self, node: Text) -> str:
        """The column alone must match (byline and caption share a weight)."""
        expr = _text(Text(node.text, None, node.prefix))
        self.params.append(expr)
        return f"to_tsvector('{TEXT_CONFIG}', a.{node.column}) @@ {tsquery_sql()}"


def compile_pg_query(query: str | None, *, trash: bool = False) -> PgQuery:
    """Compile ``query`` for PostgreSQL (see ``PgQuery``).

    Raises:
        QueryError: The query cannot be understood.
    """
    tree = parse_query(query or "")
    compiler = _Compiler()
    children: tuple[Node, ...] = ()
    if tree is not None:
        children = tree.children if isinstance(tree, And) else (tree,)
    positive: list[str] = []
    negative: list[str] = []
    others: list[Node] = []
    rechecks: list[Text] = []
    for child in children:
        if isinstance(child, Not) and (expr := _ts_expression(child.child)) is not None:
            negative.append(expr)
            others.append(child)
        elif (expr := _ts_expression(child)) is not None:
            positive.append(expr)
            if isinstance(child, Text) and child.column in _SHARED_WEIGHT:
                rechecks.append(child)
        else:
            others.append(child)
    tsquery = None
    if positive:
        tsquery = " & ".join(positive) + "".join(f" & !{n}" for n in negative)
        others = [c for c in others if not (isinstance(c, Not) and _ts_expression(c.child))]
    conditions = [compiler.node(c) for c in others]
    conditions.extend(compiler.recheck(node) for node in rechecks)
    show_trash = trash or compiler.trash
    conditions.insert(0, "a.deleted_at IS NOT NULL" if show_trash else "a.deleted_at IS NULL")
    return PgQuery(
        where=" AND ".join(conditions),
        params=compiler.params,
        tsquery=tsquery,
        trash=show_trash,
        only_text=not others and not rechecks,
    )
