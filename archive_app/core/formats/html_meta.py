"""News metadata of a parsed web page: JSON-LD, Open Graph, meta tags, breadcrumbs, figures.

Plain XPath over the lxml tree (about a millisecond a page): trafilatura's own metadata pass
costs twice its extraction (``htmldate``), so it is not used.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from archive_app.core.parsing.dates import _date_line
from archive_app.core.parsing.header import _caption

#: Longest breadcrumb part and byline kept (longer ones are page text, not labels).
_MAX_CRUMB = 80
_MAX_BYLINE = 120
_MAX_RIGHTS_LINE = 300
_HOME_WORDS = frozenset(
    {"home", "start", "startseite", "accueil", "inicio", "início", "главная", "首页", "ホーム"}
)
_SEPARATORS = frozenset({">", "/", "»", "›", "|", "→", "·", "•", "-", "–"})
_ISO_DATE_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/")
_CREDIT_CLASS_RE = re.compile(r"credit|copyright|source|photographer|byline|author", re.I)
_BY_RE = re.compile(r"^(?:by|von|par|por|di|door|автор:?)\s+", re.I)
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "original-publish-date",
    "citation_publication_date",
)
_RIGHTS_META = ("copyright", "dc.rights", "dcterms.rights", "dcterms.license", "rights")


@dataclass
class PageMeta:
    """What the page's markup says about the article (empty where it says nothing)."""

    title: str = ""
    byline: str = ""
    publisher: str = ""
    published_on: datetime.date | None = None
    section_path: tuple[str, ...] = ()
    urls: list[str] = field(default_factory=list)
    language: str = ""
    caption: str = ""
    credit: str = ""
    #: The lead figure's whole caption text, as it may also appear in the extracted body.
    figure_text: str = ""
    rights: list[str] = field(default_factory=list)


def text_of(element: Any) -> str:
    """The element's text with whitespace runs collapsed."""
    return " ".join("".join(element.itertext()).split())


def _meta_values(tree: Any) -> dict[str, str]:
    """``<meta>`` contents by lower-case ``property``/``name``/``itemprop`` (first one wins)."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = " ".join((meta.get("content") or "").split())
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (meta.get(attr) or "").strip().lower()
            if key:
                found.setdefault(key, content)
    return found


def _walk_jsonld(value: object) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _walk_jsonld(item)
    elif isinstance(value, dict):
        yield value
        if "@graph" in value:
            yield from _walk_jsonld(value["@graph"])


def jsonld_items(tree: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page (``@graph`` flattened); broken blocks are ignored."""
    items: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        try:
            items.extend(_walk_jsonld(json.loads(script.text or "", strict=False)))
        except ValueError:
            continue
    return items


def _types(item: dict[str, Any]) -> list[str]:
    kind = item.get("@type", "")
    return [str(k) for k in kind] if isinstance(kind, list) else [str(kind)]


def _names(value: object) -> list[str]:
    """Names in a JSON-LD value: a string, an object with ``name``, or a list of those."""
    if isinstance(value, str):
        return [" ".join(value.split())] if value.strip() else []
    if isinstance(value, dict):
        return _names(value.get("name", ""))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def parse_date(text: str) -> datetime.date | None:
    """A date from ISO 8601 text (``2017-11-28T10:00:00+03:00``) or a written date line."""
    m = _ISO_DATE_RE.search(text)
    if m is not None:
        try:
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    found = _date_line(text.strip())
    return found[0] if found is not None else None


def _is_url(text: str) -> bool:
    return urlsplit(text).scheme in {"http", "https"}


def _strip_site(title: str, site: str) -> str:
    """``Headline | Site`` or ``Headline - Site`` without the site part."""
    for sep in (" | ", " - ", " – ", " — ", " :: ", " · "):
        head, _, tail = title.rpartition(sep)
        same_site = not site or tail.strip().casefold() == site.casefold()
        if head and same_site and (site or len(tail) < len(head)):
            return head.strip()
    return title


def _crumbs_from_jsonld(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    for item in items:
        if "BreadcrumbList" not in _types(item):
            continue
        elements = item.get("itemListElement")
        if not isinstance(elements, list):
            continue
        parts = []
        for element in sorted(
            (e for e in elements if isinstance(e, dict)),
            key=lambda e: e.get("position", 0) if isinstance(e.get("position"), int) else 0,
        ):
            target = element.get("item")
            name = _names(element.get("name", "")) or _names(target)
            href = target if isinstance(target, str) else ""
            if isinstance(target, dict):
                href = str(target.get("@id", "") or target.get("url", ""))
            if name:
                parts.append((name[0], href))
        if parts:
            return parts
    return []


def _crumbs_from_markup(tree: Any) -> list[tuple[str, str]]:
    candidates = tree.xpath(
        "//nav[contains(translate(@aria-label, 'BREADCRUMB', 'breadcrumb'), 'breadcrumb')]"
        " | //*[contains(@itemtype, 'BreadcrumbList')]"
        " | //*[self::ol or self::ul or self::nav or self::div]"
        "[contains(translate(@class, 'BREADCRUMB', 'breadcrumb'), 'breadcrumb')]"
    )
    for block in candidates[:1]:
        items = block.xpath(".//li") or block.xpath(".//a")
        parts = []
        for item in items:
            links = item.xpath("descendant-or-self::a/@href")
            parts.append((text_of(item), str(links[0]) if links else ""))
        if parts:
            return parts
    return []


def _clean_crumbs(parts: list[tuple[str, str]], title: str) -> tuple[str, ...]:
    names = [(n, h) for n, h in parts if n and n not in _SEPARATORS]
    if names and (names[0][0].casefold() in _HOME_WORDS or urlsplit(names[0][1]).path in {"/"}):
        names = names[1:]
    if names and title and names[-1][0].casefold() in title.casefold():
        names = names[:-1]
    if not names or any(len(n) > _MAX_CRUMB for n, _ in names) or len(names) > 6:
        return ()
    return tuple(dict.fromkeys(n for n, _ in names))


def _lead_figure(tree: Any) -> Any:
    for scope in ("//article//figure", "//main//figure", "//figure"):
        for figure in tree.xpath(scope):
            if figure.xpath(".//img or .//picture") and figure.xpath(".//figcaption"):
                return figure
    return None


def _figure_caption(tree: Any) -> tuple[str, str, str]:
    """``(caption, credit, whole caption text)`` of the lead image's ``figcaption``."""
    figure = _lead_figure(tree)
    if figure is None:
        return "", "", ""
    figcaption = figure.xpath(".//figcaption")[0]
    whole = text_of(figcaption)
    credits = [
        el
        for el in figcaption.iter()
        if el is not figcaption
        and (el.tag in {"cite", "small"} or _CREDIT_CLASS_RE.search(el.get("class") or ""))
    ]
    if credits:
        credit = text_of(credits[0])
        caption = whole.replace(credit, "", 1).strip()
        return caption, re.sub(r"^(?:photo|foto|фото|credit)\s*:\s*", "", credit, flags=re.I), whole
    split = _caption(whole)
    if split is not None:
        return split[0], split[1], whole
    return whole, "", whole


def _licence_lines(tree: Any, items: list[dict[str, Any]], meta: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for link in tree.xpath("//a[contains(concat(' ', @rel, ' '), ' license ')]"):
        href = (link.get("href") or "").strip()
        parent = link.getparent()
        line = text_of(parent) if parent is not None else ""
        if not line or len(line) > _MAX_RIGHTS_LINE:
            line = text_of(link)
        if href and href not in line:
            line = f"{line} ({href})" if line else href
        lines.append(line)
    for link in tree.xpath("//link[contains(concat(' ', @rel, ' '), ' license ')]/@href"):
        if not any(str(link) in line for line in lines):
            lines.append(str(link).strip())
    for item in items:
        for key in ("license", "copyrightNotice"):
            value = item.get(key)
            if isinstance(value, dict):
                value = value.get("url") or value.get("name") or value.get("@id")
            if isinstance(value, str) and value.strip():
                text = " ".join(value.split())
                if not any(text in line for line in lines):
                    lines.append(text)
    for key in _RIGHTS_META:
        text = meta.get(key, "")
        if text and not any(text in line for line in lines):
            lines.append(text)
    return [line for line in lines if line]


def _article_item(items: list[dict[str, Any]]) -> dict[str, Any]:
    for item in items:
        if any(t.endswith(("Article", "BlogPosting", "Posting")) for t in _types(item)):
            return item
    return next((i for i in items if "WebPage" in _types(i)), {})


def _byline(tree: Any, article: dict[str, Any], meta: dict[str, str], site: str) -> str:
    candidates = [", ".join(dict.fromkeys(_names(article.get("author"))))]
    candidates += [meta.get(k, "") for k in ("author", "article:author", "byl", "dc.creator")]
    for xpath in (
        "//*[@rel='author']",
        "//*[@itemprop='author']",
        "//*[@class='byline']",
        "//a[contains(@href, '/author/')]",  # WordPress and most CMSs: the author's page
    ):
        candidates += [t for t in (text_of(el) for el in tree.xpath(xpath)[:3]) if t][:1]
    for text in candidates:
        text = _BY_RE.sub("", text.strip())
        if text and not _is_url(text) and len(text) <= _MAX_BYLINE and text != site:
            return text
    return ""


def _language(tree: Any, article: dict[str, Any], meta: dict[str, str]) -> str:
    values = [
        tree.get("lang") or "",
        tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "",
        meta.get("content-language", ""),
        meta.get("og:locale", ""),
        str(article.get("inLanguage") or ""),
    ]
    for value in values:
        code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
        if code.isalpha() and 2 <= len(code) <= 3:
            return code
    return ""


def _urls(tree: Any, meta: dict[str, str], article: dict[str, Any], base: str) -> list[str]:
    raw = [
        base,
        *(str(h) for h in tree.xpath("//link[@rel='canonical']/@href")[:1]),
        meta.get("og:url", ""),
        str(article.get("url") or "") if isinstance(article.get("url"), str) else "",
    ]
    found = []
    for url in raw:
        url = url.strip()
        if url and base:
            url = urljoin(base, url)
        if _is_url(url):
            found.append(url)
    return list(dict.fromkeys(found))


def page_meta(tree: Any, url: str = "") -> PageMeta:
    """Read the article's metadata from the markup of a page (before extraction edits it)."""
    meta = _meta_values(tree)
    items = jsonld_items(tree)
    article = _article_item(items)
    site = meta.get("og:site_name", "") or next(iter(_names(article.get("publisher"))), "")
    site = site or meta.get("application-name", "")
    titles = [
        meta.get("og:title", ""),
        next(iter(_names(article.get("headline"))), ""),
        *(text_of(h) for h in tree.xpath("//h1")[:1]),
        *(text_of(t) for t in tree.xpath("//title")[:1]),
    ]
    title = next((_strip_site(t, site) for t in titles if t), "")
    published = None
    for value in (
        str(article.get("datePublished") or ""),
        *(meta.get(key, "") for key in _DATE_META),
        *(str(v) for v in tree.xpath("//time[@pubdate or @itemprop='datePublished']/@datetime")),
        *(str(v) for v in tree.xpath("//time/@datetime")[:1]),
    ):
        published = parse_date(value) if value else None
        if published is not None:
            break
    urls = _urls(tree, meta, article, url)
    if published is None:
        for found in (_URL_DATE_RE.search(u) for u in urls):
            if found is not None:
                published = parse_date("-".join(found.groups()))
                break
    section = _clean_crumbs(_crumbs_from_jsonld(items) or _crumbs_from_markup(tree), title)
    if not section:
        named = _names(article.get("articleSection")) or _names(meta.get("article:section", ""))
        section = tuple(named[:1])
    caption, credit, whole = _figure_caption(tree)
    return PageMeta(
        title=title,
        byline=_byline(tree, article, meta, site),
        publisher=site,
        published_on=published,
        section_path=section,
        urls=urls,
        language=_language(tree, article, meta),
        caption=caption,
        credit=credit,
        figure_text=whole,
        rights=_licence_lines(tree, items, meta),
    )
