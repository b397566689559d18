"""Whole HTML documents for the HTML export: one article, the index, all articles in one file."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from archive_app.core.records import ArticleRecord
from archive_app.render.article import (
    ArticleView,
    environment,
    format_date,
    render_article_fragment,
    stylesheet,
)

#: What ``DC.*`` names refer to (``<link rel="schema.DC">``).
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
UNTITLED = "(untitled)"

# Code points HTML forbids in a document (controls other than whitespace, noncharacters) and
# lone surrogates (UTF-8 cannot encode them): shown as U+FFFD so the loss stays visible.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}-{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)
# A BCP 47 tag's shape (ISO 639 language, then subtags); anything else is not a ``lang`` value.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_JSON_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}

# Licences named in a rights notice: a web address, or a Creative Commons licence, short
# (``CC BY-NC-SA 4.0``, ``CC0``) or long (``Creative Commons Attribution-NoDerivatives 4.0``).
_URL_IN_TEXT = re.compile(r"\bhttps?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_CC_SHORT = re.compile(
    r"\bCC(?:[ -]?(?P<zero>0)\b|[ -](?P<terms>BY(?:[ -](?:NC|SA|ND))*)\b)"
    r"(?:[ -]+(?P<version>\d\.\d)\b)?",
    re.IGNORECASE,
)
_CC_LONG = re.compile(r"\bCreative[ -]Commons\b(?:[^.;\n]|(?<=\d)\.(?=\d))*", re.IGNORECASE)
_CC_WORDS = {
    "attribution": "by",
    "noncommercial": "nc",
    "sharealike": "sa",
    "noderivatives": "nd",
    "noderivs": "nd",
}
_VERSION = re.compile(r"\b(\d\.\d)\b")


def html_safe_text(text: str) -> str:
    """Return ``text`` with code points an HTML document may not carry replaced by U+FFFD."""
    return _FORBIDDEN.sub("\ufffd", text)


def html_safe_record(record: ArticleRecord) -> ArticleRecord:
    """Return a copy of ``record`` whose text fields are safe in an HTML document.

    Forbidden code points become U+FFFD, and a ``language`` that is not shaped like a language
    tag (``en``, ``pt-BR``) is dropped, since it would be an invalid ``lang`` attribute.
    """
    changes: dict[str, Any] = {}
    if record.language and not _LANGUAGE_TAG.fullmatch(record.language.strip()):
        changes["language"] = ""
    elif record.language != record.language.strip():
        changes["language"] = record.language.strip()
    for f in dataclasses.fields(record):
        value = changes.get(f.name, getattr(record, f.name))
        if isinstance(value, str):
            cleaned: Any = html_safe_text(value)
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            cleaned = tuple(html_safe_text(v) for v in value)
        else:
            continue
        if cleaned != value:
            changes[f.name] = cleaned
    return dataclasses.replace(record, **changes) if changes else record


def script_json(data: Any) -> Markup:
    """Return ``data`` as JSON text that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026`` (the same
    JSON value), so no string in the data can close the element or start a comment.
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    for char, escape in _JSON_UNSAFE.items():
        text = text.replace(char, escape)
    return Markup(text)


def _cc_url(terms: set[str], version: str) -> str | None:
    """Return the Creative Commons deed address for these terms, if they make a licence."""
    if "by" not in terms or ("sa" in terms and "nd" in terms):
        return None
    code = "-".join(t for t in ("by", "nc", "nd", "sa") if t in terms)
    return f"https://creativecommons.org/licenses/{code}/{version}/"


def licence_of(rights: str) -> str | dict[str, str] | None:
    """Return the schema.org ``license`` a rights notice gives, or ``None``.

    A web address in the notice is the licence; a named Creative Commons licence with its
    version becomes its deed address (``CC BY-ND 4.0`` ->
    ``https://creativecommons.org/licenses/by-nd/4.0/``); one named without a version is a
    ``CreativeWork`` with that name. Other notices (``© 2022 Reuters``) name no licence.
    """
    found = _URL_IN_TEXT.search(rights)
    if found:
        return found.group(0).rstrip(".,;:!?")
    short = _CC_SHORT.search(rights)
    if short:
        if short.group("zero"):
            return "https://creativecommons.org/publicdomain/zero/1.0/"
        terms = set(re.split(r"[ -]", short.group("terms").lower()))
        url = _cc_url(terms, short.group("version")) if short.group("version") else None
        return url or {"@type": "CreativeWork", "name": " ".join(short.group(0).split())}
    long = _CC_LONG.search(rights)
    if long:
        text = long.group(0)
        joined = re.sub(r"\b(non|share|no)[ -](commercial|alike|deriv)", r"\1\2", text.lower())
        words = re.findall(r"[a-z]+", joined)
        terms = {_CC_WORDS[w] for w in words if w in _CC_WORDS}
        version = _VERSION.search(text)
        url = _cc_url(terms, version.group(1)) if version else None
        return url or {"@type": "CreativeWork", "name": " ".join(text.split())}
    return None


def display_title(record: ArticleRecord) -> str:
    """Return the title a reader sees (``(untitled)`` for an empty one)."""
    return record.title.strip() or UNTITLED


def identifier(record: ArticleRecord) -> str:
    """Return the article's stable identifier (``urn:uuid:<uid>``), or an empty string."""
    return f"urn:uuid:{record.uid}" if record.uid else ""


def dublin_core(record: ArticleRecord) -> list[tuple[str, str]]:
    """Return the Dublin Core ``(name, content)`` pairs of an article (only the ones set)."""
    pairs = [("DC.title", display_title(record))]
    creator = record.byline or record.publisher
    if creator:
        pairs.append(("DC.creator", creator))
    if record.publisher:
        pairs.append(("DC.publisher", record.publisher))
    if record.published_on is not None:
        pairs.append(("DC.date", record.published_on.isoformat()))
    if record.uid:
        pairs.append(("DC.identifier", identifier(record)))
    if record.source_url:
        pairs.append(("DC.source", record.source_url))
    pairs.extend(("DC.subject", tag) for tag in record.tags)
    if record.language:
        pairs.append(("DC.language", record.language))
    if record.rights.strip():
        pairs.append(("DC.rights", record.rights.strip()))
    pairs.append(("DC.type", "Text"))
    pairs.append(("DC.format", "text/html"))
    return pairs


def json_ld(record: ArticleRecord) -> dict[str, Any]:
    """Return the schema.org ``NewsArticle`` object of an article (only the properties set)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": display_title(record),
    }
    if record.section_path:
        data["articleSection"] = " / ".join(record.section_path)
    if record.byline:
        data["author"] = {"@type": "Person", "name": record.byline}
    elif record.publisher:
        data["author"] = {"@type": "Organization", "name": record.publisher}
    if record.publisher:
        data["publisher"] = {"@type": "Organization", "name": record.publisher}
    if record.published_on is not None:
        data["datePublished"] = record.published_on.isoformat()
    if record.dateline:
        data["dateline"] = record.dateline
    if record.uid:
        data["identifier"] = identifier(record)
    if record.source_url:
        data["url"] = record.source_url
    if record.language:
        data["inLanguage"] = record.language
    if record.tags:
        data["keywords"] = list(record.tags)
    if record.photo_caption or record.photo_credit:
        image: dict[str, Any] = {"@type": "ImageObject"}
        if record.photo_caption:
            image["caption"] = record.photo_caption
        if record.photo_credit:
            image["creditText"] = record.photo_credit
        data["image"] = image
    if record.rights.strip():
        data["copyrightNotice"] = record.rights.strip()
        licence = licence_of(record.rights)
        if licence is not None:
            data["license"] = licence
    data["articleBody"] = "\n\n".join(record.paragraphs)
    return data


@dataclass(frozen=True)
class TocEntry:
    """One row of a table of contents."""

    href: str
    title: str
    section: str
    publisher: str
    date_iso: str
    date_text: str
    language: str


def toc_entry(record: ArticleRecord, href: str) -> TocEntry:
    """Return the table-of-contents row of an article linking to ``href``."""
    record = html_safe_record(record)
    return TocEntry(
        href=href,
        title=display_title(record),
        section=" / ".join(record.section_path),
        publisher=record.publisher,
        date_iso=record.published_on.isoformat() if record.published_on else "",
        date_text=format_date(record.published_on),
        language=record.language,
    )


def file_href(file_name: str) -> str:
    """Return a relative URL for a file name in the same folder (percent-encoded)."""
    return quote(file_name)


def page_css() -> Markup:
    """Return the exported pages' stylesheet: the preview's, then the browser additions."""
    css = stylesheet("article-qt.css") + "\n" + stylesheet("article-export.css")
    if "</" in css:  # would end the <style> element early
        raise ValueError("a stylesheet must not contain '</'")
    return Markup(css)


def render_article_page(record: ArticleRecord, *, index_href: str = "index.html") -> str:
    """Return a self-contained HTML document for one article.

    Args:
        record: The article.
        index_href: Where the "All articles" link points; empty for no link.
    """
    record = html_safe_record(record)
    template = environment().get_template("export-page.html.j2")
    return template.render(
        a=record,
        view=ArticleView(record),
        title=display_title(record),
        dublin_core=dublin_core(record),
        dc_schema=DUBLIN_CORE,
        json_ld=script_json(json_ld(record)),
        article=Markup(render_article_fragment(record)),
        index_href=index_href,
        css=page_css(),
    )


def render_index_page(title: str, entries: Sequence[TocEntry]) -> str:
    """Return the ``index.html`` document: a table of the exported articles."""
    template = environment().get_template("export-index.html.j2")
    return template.render(
        title=html_safe_text(title.strip() or UNTITLED),
        entries=entries,
        css=page_css(),
    )


def article_anchor(record: ArticleRecord) -> str:
    """Return the fragment id of an article inside the combined file."""
    return f"article-{record.id}"


class CombinedDocument:
    """One HTML document with a linked table of contents and every article, built piecemeal.

    Each ``add`` renders one article at once, so a long export can report progress and stop
    between articles; ``render`` returns the whole document.
    """

    def __init__(self, title: str) -> None:
        """Start an empty document called ``title``."""
        self.title = html_safe_text(title.strip() or UNTITLED)
        self._entries: list[TocEntry] = []
        self._articles: list[dict[str, Any]] = []
        self._json_ld: list[dict[str, Any]] = []
        self._anchors: set[str] = set()

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, record: ArticleRecord) -> None:
        """Render and append one article (its anchor is ``#article-<id>``, kept unique)."""
        record = html_safe_record(record)
        base = anchor = article_anchor(record)
        n = 2
        while anchor in self._anchors:
            anchor = f"{base}-{n}"
            n += 1
        self._anchors.add(anchor)
        self._entries.append(toc_entry(record, "#" + anchor))
        self._articles.append(
            {
                "language": record.language,
                "html": Markup(render_article_fragment(record, anchor=anchor)),
            }
        )
        item = json_ld(record)
        del item["@context"]
        self._json_ld.append(item)

    def render(self) -> str:
        """Return the whole document."""
        graph = {"@context": "https://schema.org", "@graph": self._json_ld}
        template = environment().get_template("export-combined.html.j2")
        return template.render(
            title=self.title,
            entries=self._entries,
            articles=self._articles,
            json_ld=script_json(graph) if self._json_ld else None,
            dc_schema=DUBLIN_CORE,
            css=page_css(),
        )


def render_combined_page(title: str, records: Sequence[ArticleRecord]) -> str:
    """Return one HTML document with a linked table of contents and every article."""
    document = CombinedDocument(title)
    for record in records:
        document.add(record)
    return document.render()
