"""The entry point: text in, :class:`ParsedArticle` out."""

from __future__ import annotations

from archive_app.core.parsing.dateline import _dateline
from archive_app.core.parsing.footer import _canonical_publisher, _peel_footer
from archive_app.core.parsing.header import _peel_header
from archive_app.core.parsing.language import _LANGUAGE_SAMPLE_LEN, _guess_language
from archive_app.core.parsing.model import (
    WARN_EMPTY,
    WARN_EMPTY_BODY,
    WARN_INTERNAL,
    WARN_NO_HEADLINE,
    WARN_NUL,
    WARN_REPLACEMENT,
    ParsedArticle,
    _State,
)
from archive_app.core.parsing.normalise import _split_paragraphs, _unify_newlines, normalize_field


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------
def parse_article(text: str) -> ParsedArticle:
    """Parse the decoded text of a saved news article.

    The function is pure and never raises: whatever it cannot recognise stays in
    ``body`` and doubtful results carry ``warnings``.

    The text is split into paragraphs at blank lines (every line is a paragraph when
    the text has no blank line at all). The footer is peeled from the end (share
    block, publisher alternate-address note with its addresses, licence/copyright
    notice, source URL, in any order), then the header from the start (source URL,
    date and breadcrumb lines, the headline, then byline, date, source and one photo
    caption with its credit, in any order). The rest is the body; a dateline is read
    from (but left in) its first paragraph. ``publisher`` comes from the footer (the
    note nearest the body wins), else from the dateline agency, e.g. ``(Reuters)``.

    Args:
        text: The decoded file text (any newline convention).

    Returns:
        The parsed article.
    """
    try:
        return _parse(text)
    except Exception as exc:  # defensive: the contract is "never raises"
        try:
            body = normalize_field(text) if isinstance(text, str) else ""
        except Exception:
            body = ""
        return ParsedArticle(body=body, warnings=(f"{WARN_INTERNAL}: {type(exc).__name__}",))


def _parse(text: str) -> ParsedArticle:
    text = _unify_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    st = _State()
    if "\x00" in text:
        st.warnings.append(WARN_NUL)
    if "\ufffd" in text:
        st.warnings.append(WARN_REPLACEMENT)
    paras = _split_paragraphs(text)
    if not paras:
        return ParsedArticle(warnings=(WARN_EMPTY, *st.warnings))

    _peel_footer(paras, st)
    _peel_header(paras, st)
    if not st.title:
        st.warnings.insert(0, WARN_NO_HEADLINE)

    body = "\n\n".join("\n".join(p) for p in paras)
    if not body:
        st.warnings.append(WARN_EMPTY_BODY)

    dateline, agency = _dateline(paras[0][0]) if paras else ("", "")
    publisher = st.footer_publisher or (_canonical_publisher(agency) if agency else "")
    language = _guess_language(st.title + "\n" + body[:_LANGUAGE_SAMPLE_LEN])

    return ParsedArticle(
        title=normalize_field(st.title),
        section_path=tuple(normalize_field(s) for s in st.section_path),
        byline=normalize_field(st.byline),
        publisher=normalize_field(publisher),
        dateline=normalize_field(dateline),
        published_on=st.published_on or st.updated_on,
        source_url=normalize_field(st.source_url),
        alternate_urls=tuple(normalize_field(u) for u in st.alternate_urls),
        language=language,
        photo_caption=normalize_field(st.caption),
        photo_credit=normalize_field(st.credit),
        body=body,
        share_section=normalize_field("\n".join(st.share_lines)),
        publisher_note=normalize_field("\n".join(st.notes)),
        warnings=tuple(dict.fromkeys(st.warnings)),
    )
