"""The search language compiled for PostgreSQL: ``tsquery`` matches for the words, SQL for the rest.

The same parse as SQLite (``core.query.parse_query``) and the same split: the free-text parts of
the top-level AND become the full-text match (``PgQuery.match``, answered by GIN indexes) and
one ranking ``tsquery`` (``ts_rank`` over the weighted ``search`` vector); everything else
becomes WHERE conditions with ``%s`` parameters.

Words are cut at what is not a letter or digit (``O'Brien`` is the phrase ``o <-> brien``, as
FTS5's unicode61 cuts it, and as the vectors are made: ``pg_schema.WORD_BREAKS``) and each is
quoted, so nothing a person types reaches ``to_tsquery`` as syntax. A field query reads its
field's own vector (``title:`` ``a.search_title``, ``section:``, ``byline:``, ``caption:``
likewise); ``body:`` is the weight D of ``search``. Free words read ``search``, where the
fields are kept a lexeme apart, so a phrase never runs on from one field into the next.
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
from archive_app.core.storage.pg_schema import COLUMN_WEIGHTS, FIELD_VECTORS, TEXT_CONFIG

#: A word of a query: letters and digits (``_`` is punctuation to FTS5, as to the vectors).
_WORD = re.compile(r"[^\W_]+")
#: The vector every free word and ``body:`` is matched in.
_ALL = "a.search"


@dataclass
class PgQuery:
    """A compiled query over ``article a``.

    ``match`` is the SQL condition of the full-text part (``None`` when the query has no free
    words), with ``match_params``; ``where`` holds the rest, with ``params``. ``tsquery`` is the
    ranking full-text query in ``to_tsquery`` syntax with the fields' weights, which the SQL
    reads as ``to_tsquery('archive_text', %s)`` (``ts_rank``, ``ts_headline``).
    """

    where: str
    params: list[object] = field(default_factory=list)
    tsquery: str | None = None
    match: str | None = None
    match_params: list[object] = field(default_factory=list)
    trash: bool = False
    only_text: bool = False


def tsquery_sql() -> str:
    """The SQL expression of a ``PgQuery.tsquery`` parameter."""
    return f"to_tsquery('{TEXT_CONFIG}', %s)"


def _lexemes(node: Text, weight: str) -> str | None:
    words = _WORD.findall(node.text)
    if not words:
        return None
    lexemes = [f"'{w}'{':' + weight if weight else ''}" for w in words]
    if node.prefix:
        lexemes[-1] = f"'{words[-1]}':*{weight}"
    joined = " <-> ".join(lexemes)
    return f"({joined})" if len(lexemes) > 1 else joined


def _text(node: Text) -> str | None:
    """The ranking form of a word or phrase: its field as a weight of ``search``."""
    return _lexemes(node, COLUMN_WEIGHTS[node.column] if node.column else "")


def _target(node: Text) -> tuple[str, str]:
    """The vector a word or phrase is matched in, and the weight it needs there."""
    if node.column is None:
        return _ALL, ""
    if node.column in FIELD_VECTORS:
        return f"a.{FIELD_VECTORS[node.column]}", ""
    return _ALL, COLUMN_WEIGHTS[node.column]


def _ts_expression(node: Node) -> str | None:
    """One ranking tsquery for a subtree of free text only (``None`` if it has filters)."""
    if isinstance(node, Text):
        return _text(node)
    if isinstance(node, And | Or):
        parts = [_ts_expression(c) for c in node.children]
        if any(p is None for p in parts):
            return None
        joiner = " & " if isinstance(node, And) else " | "
        return "(" + joiner.join(p for p in parts if p) + ")"
    return None


def _vector_of(node: Node) -> str | None:
    """The one vector all the words of a free-text subtree are matched in (else ``None``)."""
    if isinstance(node, Text):
        return _target(node)[0]
    if isinstance(node, Not):
        return _vector_of(node.child)
    if isinstance(node, And | Or):
        vectors = {_vector_of(c) for c in node.children}
        return vectors.pop() if len(vectors) == 1 else None
    return None


def _match_expression(node: Node) -> str:
    """A subtree of one vector's words as one tsquery (``_vector_of`` is not ``None``)."""
    if isinstance(node, Text):
        return _lexemes(node, _target(node)[1]) or ""
    if isinstance(node, Not):
        return f"!{_match_expression(node.child)}"
    assert isinstance(node, And | Or)
    joiner = " & " if isinstance(node, And) else " | "
    return "(" + joiner.join(_match_expression(c) for c in node.children) + ")"


class _Compiler:
    def __init__(self) -> None:
        self.params: list[object] = []
        self.trash = False

    def text(self, node: Node) -> str:
        """A free-text subtree as SQL: one tsquery a vector, ANDed and ORed across them."""
        vector = _vector_of(node)
        if vector is not None:
            self.params.append(_match_expression(node))
            return f"{vector} @@ {tsquery_sql()}"
        if isinstance(node, Not):
            return f"NOT ({self.text(node.child)})"
        assert isinstance(node, And | Or)
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(self.text(c) for c in node.children) + ")"

    def node(self, node: Node) -> str:
        if _ts_expression(node) is not None:
            return self.text(node)
        if isinstance(node, Not):
            return f"NOT ({self.node(node.child)})"
        if isinstance(node, And):
            return "(" + " AND ".join(self.node(c) for c in node.children) + ")"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.node(c) for c in node.children) + ")"
        assert isinstance(node, Filter)
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


def _match(positive: list[Node], negative: list[Node]) -> tuple[str, list[object]]:
    """The full-text match of the top-level AND: one tsquery a vector (the words of each
    vector together, so a GIN index answers them in one scan), ANDed."""
    by_vector: dict[str | None, list[Node]] = {}
    for node in positive + [Not(n) for n in negative]:
        by_vector.setdefault(_vector_of(node), []).append(node)
    compiler = _Compiler()
    conditions: list[str] = []
    for vector, nodes in by_vector.items():
        if vector is None:
            conditions.extend(compiler.text(n) for n in nodes)
        else:
            compiler.params.append(" & ".join(_match_expression(n) for n in nodes))
            conditions.append(f"{vector} @@ {tsquery_sql()}")
    return " AND ".join(conditions), compiler.params


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
    positive: list[Node] = []
    negative: list[Node] = []
    others: list[Node] = []
    for child in children:
        if isinstance(child, Not) and _ts_expression(child.child) is not None:
            negative.append(child.child)
            others.append(child)
        elif _ts_expression(child) is not None:
            positive.append(child)
        else:
            others.append(child)
    tsquery = match = None
    match_params: list[object] = []
    if positive:
        ranked = [_ts_expression(n) for n in positive]
        tsquery = " & ".join(p for p in ranked if p)
        others = [c for c in others if not (isinstance(c, Not) and _ts_expression(c.child))]
        match, match_params = _match(positive, negative)
    conditions = [compiler.node(c) for c in others]
    show_trash = trash or compiler.trash
    conditions.insert(0, "a.deleted_at IS NOT NULL" if show_trash else "a.deleted_at IS NULL")
    return PgQuery(
        where=" AND ".join(conditions),
        params=compiler.params,
        tsquery=tsquery,
        match=match,
        match_params=match_params,
        trash=show_trash,
        only_text=not others,
    )
