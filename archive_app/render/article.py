"""Article -> HTML through the shared Jinja2 templates (the preview and every export use them)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from archive_app.core.records import ArticleFields

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ku", "sd", "ug"})


@cache
def environment() -> jinja2.Environment:
    """Return the template environment (autoescaping on: article text is untrusted data)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("archive_app.resources", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@cache
def stylesheet(name: str) -> str:
    """Return a stylesheet shipped in ``resources/styles``."""
    return resources.files("archive_app.resources").joinpath("styles", name).read_text("utf-8")


def format_date(value: dt.date | None) -> str:
    """Return a date as a reader sees it (``3 May 2022``), or an empty string."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B')} {value.year}"


def is_rtl(fields: ArticleFields) -> bool:
    """Return whether the article reads right to left (by language, else by its letters)."""
    if fields.language:
        return fields.language.split("-")[0].lower() in RTL_LANGUAGES
    sample = (fields.title + " " + fields.body[:2000]).strip()
    rtl = ltr = 0
    for ch in sample:
        bidi = unicodedata.bidirectional(ch)
        if bidi in ("R", "AL"):
            rtl += 1
        elif bidi == "L":
            ltr += 1
    return rtl > ltr


@dataclass(frozen=True)
class ArticleView:
    """What the templates show of an article, computed once."""

    fields: ArticleFields
    anchor: str = ""

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``."""
        return "rtl" if is_rtl(self.fields) else "ltr"

    @property
    def meta(self) -> list[str]:
        """Byline, dateline, date and publisher, the ones that are set."""
        f = self.fields
        items = []
        if f.byline:
            items.append(f.byline if f.byline.lower().startswith("by ") else f"By {f.byline}")
        if f.dateline:
            items.append(f.dateline)
        if f.published_on:
            items.append(format_date(f.published_on))
        if f.publisher:
            items.append(f.publisher)
        return items

    @property
    def paragraphs(self) -> list[list[str]]:
        """Body paragraphs, each as its lines (soft line breaks are kept)."""
        return [p.split("\n") for p in self.fields.paragraphs]

    @property
    def share_lines(self) -> list[str]:
        """The share section's lines."""
        return [line for line in self.fields.share_section.split("\n") if line.strip()]

    @property
    def rights_lines(self) -> list[str]:
        """The rights notice's lines (licence and copyright), trimmed."""
        return [line.strip() for line in self.fields.rights.split("\n") if line.strip()]


def _context(view: ArticleView, **extra: Any) -> dict[str, Any]:
    return {"a": view.fields, "view": view, **extra}


def render_article_fragment(fields: ArticleFields, *, anchor: str = "") -> str:
    """Return the article as an HTML fragment (``<div class="article">``)."""
    template = environment().get_template("article.html.j2")
    return template.render(_context(ArticleView(fields, anchor)))


def render_preview(fields: ArticleFields, *, dark: bool = False) -> str:
    """Return a whole HTML document for the preview pane (Qt's rich-text subset).

    With ``dark`` (the window's palette is dark) ``article-qt-dark.css`` recolours the text for
    a dark background, as ``prefers-color-scheme: dark`` would in a browser (Qt's rich text
    has no media queries). The PDF export, on paper, never passes it.
    """
    css = stylesheet("article-qt.css")
    if dark:
        css += stylesheet("article-qt-dark.css")
    template = environment().get_template("preview.html.j2")
    return template.render(_context(ArticleView(fields), css=Markup(css)))
