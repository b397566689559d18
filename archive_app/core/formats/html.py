"""Saved web pages (HTML, MHTML) as articles: charset, main text with trafilatura, metadata.

Nothing is ever fetched: trafilatura only reads the tree it is given, lxml parses with
``no_network`` and without resolving entities, and images, styles and scripts are ignored.
trafilatura (about 0.15 s to import, with lxml and its fallbacks) is imported on the first page,
in the worker.
"""

from __future__ import annotations

import email
import email.policy
import unicodedata
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

from archive_app.core.decoding import DecodedText, decode_as
from archive_app.core.formats.html_charset import decode_page
from archive_app.core.formats.html_meta import PageMeta, page_meta
from archive_app.core.formats.pages import (
    MHTML_SUFFIXES,
)
from archive_app.core.parsing import WARN_EMPTY_BODY, WARN_NO_HEADLINE, normalize_field
from archive_app.core.parsing.dateline import _dateline
from archive_app.core.parsing.footer import _peel_footer
from archive_app.core.parsing.language import _LANGUAGE_SAMPLE_LEN, _guess_language
from archive_app.core.parsing.model import _State
from archive_app.core.parsing.normalise import _split_paragraphs
from archive_app.core.records import ArticleFields

#: Body text shorter than this does not outvote a page's ``lang`` attribute.
_LANGUAGE_CHECK_CHARS = 400
#: trafilatura's settings (measured on the html/ corpus with ``benchmarks.html_bench``).
EXTRACT_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "favor_precision": False,
    "favor_recall": False,
    "deduplicate": False,
    "with_metadata": False,
}
WARN_NOT_HTML = "no HTML part in the MHTML file"
WARN_EXTRACTION = "text extraction failed"


@dataclass(frozen=True)
class HtmlArticle:
    """One page read as an article.

    Attributes:
        fields: The article's fields (body paragraphs separated by one blank line).
        text: The extracted text (title and body): what the duplicate check hashes.
        encoding: The codec the page was decoded with; confidence how sure that is.
        warnings: Reasons for review (decoding and extraction).
        doubtful: Whether the decoding was doubtful (the article then needs review).
    """

    fields: ArticleFields
    text: str
    encoding: str
    confidence: float
    warnings: tuple[str, ...]
    doubtful: bool = False


def parse_tree(text: str) -> Any:
    """Parse page text with lxml, never touching the network or resolving entities."""
    from lxml import etree, html  # imported with trafilatura, in the worker

    parser = html.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        default_doctype=False,
        no_network=True,
    )
    try:
        return html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError):
        return html.document_fromstring("<html><body></body></html>", parser=parser)


def extract_text(tree: Any, url: str = "", options: dict[str, Any] | None = None) -> str:
    """The main text of a parsed page with trafilatura: one paragraph per line."""
    import trafilatura  # 0.15 s to import: only where pages are read

    kwargs = EXTRACT_OPTIONS if options is None else options
    text = trafilatura.extract(tree, url=url or None, output_format="txt", **kwargs)
    return text or ""


def _same(a: str, b: str) -> bool:
    return bool(a) and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _body(text: str, meta: PageMeta) -> tuple[list[str], _State]:
    """Body paragraphs of the extracted text, without caption, headline and footer blocks."""
    paras = _split_paragraphs("\n\n".join(line for line in text.split("\n") if line.strip()))
    drop = (meta.title, meta.caption, meta.figure_text, meta.credit)
    paras = [p for p in paras if not any(_same(" ".join(p), d) for d in drop)]
    st = _State()
    # The parser's footer rules: share blocks, related-link lists, licence and source lines.
    _peel_footer(paras, st)
    return ["\n".join(p) for p in paras], st


def _language(declared: str, title: str, body: str) -> str:
    detected = _guess_language(title + "\n" + body[:_LANGUAGE_SAMPLE_LEN])
    if detected and (not declared or len(body) >= _LANGUAGE_CHECK_CHARS):
        # Templates often keep a default ``lang``: a long body's own language wins.
        return detected
    return declared or detected


def article_from_page(decoded: DecodedText, url: str = "") -> HtmlArticle:
    """Extract the article from a decoded page."""
    tree = parse_tree(decoded.text)
    meta = page_meta(tree, url)
    source_url = meta.urls[0] if meta.urls else ""
    warnings = list(decoded.warnings)
    try:
        text = extract_text(tree, source_url)
    except Exception as exc:  # a page must never stop an import: it waits for review
        text = ""
        warnings.append(f"{WARN_EXTRACTION}: {type(exc).__name__}")
    paras, st = _body(text, meta)
    body = "\n\n".join(paras)
    title = meta.title
    if not title:
        warnings.append(WARN_NO_HEADLINE)
    if not body:
        warnings.append(WARN_EMPTY_BODY)
    dateline, agency = _dateline(paras[0].split("\n")[0]) if paras else ("", "")
    rights = list(dict.fromkeys([*meta.rights, *st.rights]))
    fields = ArticleFields(
        title=normalize_field(title),
        section_path=tuple(normalize_field(s) for s in meta.section_path),
        byline=normalize_field(meta.byline or st.byline),
        publisher=normalize_field(meta.publisher or st.footer_publisher or agency),
        dateline=normalize_field(dateline),
        published_on=meta.published_on,
        source_url=source_url,
        alternate_urls=tuple(dict.fromkeys([*meta.urls[1:], *st.alternate_urls])),
        language=_language(meta.language, title, body),
        photo_caption=normalize_field(meta.caption),
        photo_credit=normalize_field(meta.credit),
        body=unicodedata.normalize("NFC", body),
        share_section=normalize_field("\n".join(st.share_lines)),
        publisher_note=normalize_field("\n".join(st.notes)),
        rights=normalize_field("\n".join(rights)),
        boilerplate=normalize_field("\n\n".join(st.boilerplate)),
        needs_review=bool(warnings) or decoded.doubtful,
    )
    return HtmlArticle(
        fields=fields,
        text=f"{fields.title}\n\n{fields.body}",
        encoding=decoded.encoding,
        confidence=decoded.confidence,
        warnings=tuple(dict.fromkeys(warnings)),
        doubtful=decoded.doubtful,
    )


def extract_html(data: bytes, *, file_name: str, url: str = "") -> HtmlArticle:
    """Read the bytes of a saved HTML page as an article.

    Args:
        data: The page's bytes.
        file_name: The file's name (reported in errors).
        url: Where the page came from, when known (MHTML location, a download).

    Raises:
        NotTextError: The bytes are not text.
    """
    del file_name  # the page names its own title; kept for the readers' common signature
    return article_from_page(decode_page(data), url)


def html_part(data: bytes) -> tuple[bytes, str, str]:
    """The first ``text/html`` part of an MHTML file: ``(bytes, charset, url)``.

    Raises:
        ValueError: The file holds no HTML part.
    """
    message: Message = email.message_from_bytes(data, policy=email.policy.compat32)
    top_url = str(message.get("Snapshot-Content-Location", "") or "")
    for part in message.walk():
        if part.get_content_type() != "text/html" or part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = part.get_content_charset() or ""
        url = top_url or str(part.get("Content-Location", "") or "")
        return payload, charset, url.strip()
    raise ValueError(WARN_NOT_HTML)


def extract_mhtml(data: bytes, *, file_name: str) -> HtmlArticle:
    """Read an MHTML web archive (``.mhtml``/``.mht``) as an article.

    Raises:
        ValueError: The file holds no HTML part.
        NotTextError: The HTML part is not text.
    """
    del file_name
    payload, charset, url = html_part(data)
    return article_from_page(decode_page(payload, [charset] if charset else []), url)


def read_page(
    data: bytes, *, file_name: str, url: str = "", encoding: str | None = None
) -> HtmlArticle:
    """Read a saved page (HTML or MHTML, by the file name's ending) as an article.

    Args:
        data: The file's bytes.
        file_name: The file's name.
        url: Where the page came from, when known.
        encoding: Decode with this codec instead of detecting (the archivist's re-decode).

    Raises:
        ValueError: An MHTML file holds no HTML part.
        NotTextError: The page is not text.
        LookupError: ``encoding`` is not a codec.
    """
    declared: list[str] = []
    if Path(file_name).suffix.lower() in MHTML_SUFFIXES:
        data, charset, found = html_part(data)
        url = url or found
        declared = [charset] if charset else []
    decoded = decode_as(data, encoding) if encoding else decode_page(data, declared)
    return article_from_page(decoded, url)
