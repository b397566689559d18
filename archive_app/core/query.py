"""The search language (calibre-like), parsed and compiled to SQL over the library.

Free words match the full text (ranked by bm25); ``word*`` is a prefix; ``"exact phrase"``;
field filters ``title:`` ``section:`` ``byline:`` ``caption:`` ``body:`` (full text in that
field), ``publisher:`` ``tag:`` ``lang:``; dates ``date:2022-05``, ``date:>=2022-01-01``,
``date:2022-01..2022-06`` and ``imported:`` likewise; ``is:review``, ``is:trash``; terms are
ANDed, with ``OR``, ``NOT``/``-word`` and parentheses. Anything a person types either searches
sensibly or raises ``QueryError`` with a one-line explanation; nothing reaches SQLite unquoted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Union

from archive_app.core.errors import LibraryError

FTS_FIELDS = {
    "title": "title",
    "section": "section_path",
    "byline": "byline",
    "caption": "photo_caption",
    "body": "body",
}
SQL_FIELDS = ("publisher", "tag", "lang", "date", "imported", "is")
FIELDS = tuple(FTS_FIELDS) + SQL_FIELDS
#: Most levels of parentheses and NOT a query may nest (a run of NOTs counts once: two cancel).
#: Far beyond what a person types; it keeps parsing and compiling from recursing without bound.
MAX_DEPTH = 32
#: Most levels of AND, OR and NOT inside each other in the simplified query (``a OR (b OR c)``
#: is one level, ``NOT NOT a`` none). SQLite's parser stack (100 entries, about three a level
#: plus the statement around them) overflows near 26 levels of conditions nested in SQL, and
#: FTS5's near 33 in a MATCH expression; 20 leaves room for the costliest conditions (tags).
MAX_NESTING = 20
#: Most words, phrases and filters in one query: SQLite refuses an expression tree deeper than
#: 1000, and each term of a flat AND or OR adds one level.
MAX_TERMS = 500


class QueryError(LibraryError, ValueError):
    """The query cannot be understood; the message is one line fit for the search field."""


@dataclass(frozen=True)
class Text:
    """A free word, prefix or phrase, optionally limited to one full-text column."""

    text: str
    column: str | None = None
    prefix: bool = False


@dataclass(frozen=True)
class Filter:
    """A field filter answered from the article table (not the full-text index)."""

    name: str
    value: str
    prefix: bool = False
    exact: bool = False  # the value was quoted


@dataclass(frozen=True)
class Not:
    """Negation."""

    child: Node


@dataclass(frozen=True)
class And:
    """All children must match."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any child may match."""

    children: tuple[Node, ...]


Node = Union[Text, Filter, Not, And, Or]  # noqa: UP007 (a runtime alias of dataclasses)

_TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|(?P<phrase>"[^"]*"?)|(?P<bare>[^\s()"]+(?:"[^"]*"?)?))')
_FIELD = re.compile(r"^(?P<neg>-?)(?P<name>[A-Za-z]+):(?P<value>.*)$", re.DOTALL)


@dataclass
class _Token:
    kind: str  # "(", ")", "OR", "AND", "NOT", "term"
    node: Node | None = None


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _unquote(value: str) -> tuple[str, bool]:
    """Return (text, is_phrase) for ``"a phrase"`` (closing quote optional) or a bare word."""
    if value.startswith('"'):
        inner = value[1:-1] if len(value) > 1 and value.endswith('"') else value[1:]
        return inner, True
    return value, False


def _term(raw: str) -> Node | None:
    negate = False
    match = _FIELD.match(raw)
    if match and match.group("name").lower() in FIELDS:
        negate = bool(match.group("neg"))
        name = match.group("name").lower()
        value, phrase = _unquote(match.group("value"))
        prefix = not phrase and value.endswith("*")
        value = value.rstrip("*") if prefix else value
        if not value.strip():
            raise QueryError(f"{name}: needs a value, e.g. {_EXAMPLES[name]}")
        node: Node | None
        if name in FTS_FIELDS:
            node = Text(value, FTS_FIELDS[name], prefix) if _has_word(value) else None
        else:
            node = Filter(name, value.strip(), prefix, exact=phrase)
    else:
        if raw.startswith("-") and len(raw) > 1:
            negate, raw = True, raw[1:]
        value, phrase = _unquote(raw)
        prefix = not phrase and value.endswith("*")
        value = value.rstrip("*") if prefix else value
        node = Text(value, None, prefix) if _has_word(value) else None
    if node is not None and negate:
        return _not(node)
    return node


_EXAMPLES = {
    "title": "title:ukraine",
    "section": "section:russia",
    "byline": 'byline:"jane doe"',
    "caption": "caption:afp",
    "body": "body:ceasefire",
    "publisher": 'publisher:"press tv"',
    "tag": "tag:energy",
    "lang": "lang:en",
    "date": "date:2022-05 or date:>=2022-01-01 or date:2022-01..2022-06",
    "imported": "imported:2026-11",
    "is": "is:review or is:trash",
}


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(query):
        match = _TOKEN.match(query, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
        if match.group("paren"):
            tokens.append(_Token(match.group("paren")))
            continue
        raw = match.group("phrase") or match.group("bare") or ""
        if raw in ("OR", "AND", "NOT"):
            tokens.append(_Token(raw))
            continue
        node = _term(raw)
        if node is not None:
            tokens.append(_Token("term", node))
    return tokens


_TOO_DEEP = (
    f"the query nests too deeply (more than {MAX_DEPTH} levels of parentheses or NOT); simplify it"
)
_TOO_NESTED = (
    f"the query nests AND, OR and NOT too deeply (more than {MAX_NESTING} levels inside each "
    "other); simplify it"
)


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0  # levels of "(" and NOT being parsed

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(_TOO_DEEP)

    def peek(self) -> str | None:
        return self.tokens[self.pos].kind if self.pos < len(self.tokens) else None

    def parse(self) -> Node | None:
        node = self.or_expr()
        while self.pos < len(self.tokens):  # a stray ")" is ignored, the rest still counts
            self.pos += 1
            rest = self.or_expr()
            node = _and(node, rest)
        return node

    def or_expr(self) -> Node | None:
        parts = [self.and_expr()]
        while self.peek() == "OR":
            self.pos += 1
            parts.append(self.and_expr())
        kept = tuple(p for p in parts if p is not None)
        if not kept:
            return None
        if len(kept) == 1:
            return kept[0]
        # (a OR (b OR c)) is a OR b OR c: one level, not two
        return Or(tuple(c for p in kept for c in (p.children if isinstance(p, Or) else (p,))))

    def and_expr(self) -> Node | None:
        node: Node | None = None
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.pos += 1
                continue
            node = _and(node, self.unary())
        return node

    def unary(self) -> Node | None:
        kind = self.peek()
        if kind in (None, ")", "OR"):
            return None  # a dangling NOT or "-" asks for nothing
        if kind == "NOT":
            negations = 0
            while self.peek() == "NOT":  # a run of NOTs in a loop, not one recursion each
                self.pos += 1
                negations += 1
            self.enter()
            child = self.unary()
            self.depth -= 1
            if child is None:
                return None
            return _not(child) if negations % 2 else child
        if kind == "(":
            self.pos += 1
            self.enter()
            node = self.or_expr()
            self.depth -= 1
            if self.peek() == ")":
                self.pos += 1
            return node  # a missing ")" is closed at the end
        token = self.tokens[self.pos]
        self.pos += 1
        return token.node


def _not(node: Node) -> Node:
    """Return the negation of ``node``; two NOTs cancel (``NOT -word`` is ``word``)."""
    return node.child if isinstance(node, Not) else Not(node)


def _and(left: Node | None, right: Node | None) -> Node | None:
    if left is None:
        return right
    if right is None:
        return left
    items = (left.children if isinstance(left, And) else (left,)) + (
        right.children if isinstance(right, And) else (right,)
    )
    return And(items)


def parse_query(query: str) -> Node | None:
    """Return the query's syntax tree (``None`` when it asks for nothing), simplified: two NOTs
    cancel, and an AND in an AND or an OR in an OR is merged into it.

    Raises:
        QueryError: A field filter has no value, or a bad one; the query nests more than
            ``MAX_DEPTH`` levels, or (simplified) ``MAX_NESTING``; or it has more than
            ``MAX_TERMS`` terms.
    """
    tree = _Parser(_tokens(query)).parse()
    if tree is not None:
        nesting, terms = _measure(tree)
        if nesting > MAX_NESTING:
            raise QueryError(_TOO_NESTED)
        if terms > MAX_TERMS:
            raise QueryError(
                f"the query has more than {MAX_TERMS} words, phrases and filters; simplify it"
            )
    return tree


def _measure(tree: Node) -> tuple[int, int]:
    """Return how many levels of AND, OR and NOT ``tree`` nests, and how many terms it has."""
    nesting = terms = 0
    stack: list[tuple[Node, int]] = [(tree, 0)]
    while stack:  # no recursion: a tree deeper than the limits is measured too
        node, level = stack.pop()
        if isinstance(node, Not):
            stack.append((node.child, level + 1))
        elif isinstance(node, And | Or):
            stack.extend((child, level + 1) for child in node.children)
        else:
            terms += 1
            nesting = max(nesting, level)
    return nesting, terms


# -- compiling --------------------------------------------------------------------------------


def _fts_text(node: Text) -> str:
    quoted = '"' + node.text.replace('"', '""') + '"' + ("*" if node.prefix else "")
    return f"{node.column} : {quoted}" if node.column else quoted


def _period(value: str, name: str) -> tuple[str | None, str | None]:
    """Return [start, end) ISO bounds for a date filter value."""

    def bounds(text: str) -> tuple[str, str]:
        text = text.strip()
        try:
            if re.fullmatch(r"\d{4}", text):
                year = int(text)
                return f"{year:04d}-01-01", f"{year + 1:04d}-01-01"
            if re.fullmatch(r"\d{4}-\d{1,2}", text):
                year, month = (int(x) for x in text.split("-"))
                dt.date(year, month, 1)
                last = calendar.monthrange(year, month)[1]
                end = dt.date(year, month, last) + dt.timedelta(days=1)
                return f"{year:04d}-{month:02d}-01", end.isoformat()
            day = dt.date.fromisoformat(text)
            return day.isoformat(), (day + dt.timedelta(days=1)).isoformat()
        except ValueError:
            raise QueryError(
                f"{name}:{value} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD, "
                f"e.g. {_EXAMPLES[name]}"
            ) from None

    for op in (">=", "<=", ">", "<", "="):
        if value.startswith(op):
            start, end = bounds(value[len(op) :])
            return {
                ">=": (start, None),
                ">": (end, None),
                "<=": (None, end),
                "<": (None, start),
                "=": (start, end),
            }[op]
    if ".." in value:
        low, _, high = value.partition("..")
        return (bounds(low)[0] if low.strip() else None, bounds(high)[1] if high.strip() else None)
    return bounds(value)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class CompiledQuery:
    """SQL for a query over ``article a``: a WHERE clause, its parameters, and the ranking
    full-text expression (joined as ``article_fts`` and ordered by rank) if there is one."""

    where: str
    params: list[object] = field(default_factory=list)
    match: str | None = None
    trash: bool = False
    only_text: bool = False  # nothing but the MATCH (and the trash rule) filters

    @property
    def ranked(self) -> bool:
        """Whether results can be ordered by relevance."""
        return self.match is not None


class _Compiler:
    def __init__(self) -> None:
        self.params: list[object] = []
        self.trash = False

    def fts(self, expression: str) -> str:
        self.params.append(expression)
        return "a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)"

    def node(self, node: Node) -> str:
        if isinstance(node, Text):
            return self.fts(_fts_text(node))
        if isinstance(node, Not):
            inner = self.node(node.child)  # an AND or an OR brings its own parentheses
            return f"NOT {inner}" if isinstance(node.child, And | Or) else f"NOT ({inner})"
        if isinstance(node, And):
            return "(" + " AND ".join(self.node(c) for c in node.children) + ")"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.node(c) for c in node.children) + ")"
        return self.filter(node)

    def filter(self, node: Filter) -> str:
        name, value = node.name, node.value
        if name == "publisher":
            if node.exact:  # publisher:"Press TV" (what the sidebar writes): an index seek
                self.params.append(value)
                return "a.publisher = ? COLLATE NOCASE"
            self.params.append(f"%{_like_escape(value)}%")
            return "a.publisher LIKE ? ESCAPE '\\'"
        if name == "tag":
            if node.prefix:
                self.params.append(f"{_like_escape(value)}%")
                test = "t.name LIKE ? ESCAPE '\\'"
            else:
                self.params.append(value)
                test = "t.name = ? COLLATE NOCASE"
            return (
                "EXISTS (SELECT 1 FROM article_tag at JOIN tag t ON t.id = at.tag_id "
                f"WHERE at.article_id = a.id AND {test})"
            )
        if name == "lang":
            self.params.extend([value, f"{_like_escape(value)}-%"])
            return "(a.language = ? COLLATE NOCASE OR a.language LIKE ? ESCAPE '\\')"
        if name in ("date", "imported"):
            column = "a.published_on" if name == "date" else "a.created_at"
            start, end = _period(value, name)
            parts = []
            if start is not None:
                parts.append(f"{column} >= ?")
                self.params.append(start)
            if end is not None:
                parts.append(f"{column} < ?")
                self.params.append(end)
            return "(" + " AND ".join(parts) + ")" if parts else f"{column} IS NOT NULL"
        if name == "is":
            flag = value.lower()
            if flag == "review":
                return "a.needs_review = 1"
            if flag == "trash":
                self.trash = True
                return "1"
            raise QueryError(f"is:{value} is not known; use is:review or is:trash")
        raise QueryError(f"{name}: is not a field")  # pragma: no cover (FIELDS guards it)


def _fts_expression(node: Node) -> str | None:
    """Return one FTS5 expression for a subtree of free text only (``None`` if it has filters)."""
    if isinstance(node, Text):
        return _fts_text(node)
    if isinstance(node, And | Or):
        parts = [_fts_expression(c) for c in node.children]
        if any(p is None for p in parts):
            return None
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(p for p in parts if p) + ")"
    return None


def compile_query(query: str | None, *, trash: bool = False) -> CompiledQuery:
    """Compile ``query`` to SQL over ``article a`` (see ``CompiledQuery``).

    The free-text parts of the top-level AND (words, phrases, ORs of them, and NOTs of them
    when something positive is there) become one ranking MATCH expression, which FTS5 answers
    in one pass; everything else becomes WHERE conditions.

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
    for child in children:
        if isinstance(child, Not) and (expr := _fts_expression(child.child)) is not None:
            negative.append(expr)
            others.append(child)
        elif (expr := _fts_expression(child)) is not None:
            positive.append(expr)
        else:
            others.append(child)
    match = None
    if positive:
        match = " AND ".join(positive) + "".join(f" NOT {n}" for n in negative)
        others = [c for c in others if not (isinstance(c, Not) and _fts_expression(c.child))]
    conditions = [compiler.node(c) for c in others]
    show_trash = trash or compiler.trash
    conditions.insert(0, "a.deleted_at IS NOT NULL" if show_trash else "a.deleted_at IS NULL")
    return CompiledQuery(
        where=" AND ".join(conditions),
        params=compiler.params,
        match=match,
        trash=show_trash,
        only_text=not others,
    )
