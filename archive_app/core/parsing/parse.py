"""The entry point: text in, :class:`ParsedArticle` out."""

from __future__ import annotations

from collections.abc import Mapping

from archive_app.core.parsing.dateline import _dateline
from archive_app.core.parsing.filename import title_from_file_name
from archive_app.core.parsing.footer import _canonical_publisher, _peel_footer
from archive_app.core.parsing.header import _peel_header, _section_tag
from archive_app.core.parsing.language import _LANGUAGE_SAMPLE_LEN, _guess_language
from archive_app.core.parsing.model import (
    WARN_EMPTY,
    WARN_EMPTY_BODY,
    WARN_INTERNAL,
    WARN_NO_HEADLINE,
    WARN_NUL,
    WARN_REPLACEMENT,
    WARN_TITLE_FROM_FILE_NAME,
    ParsedArticle,
    _State,
)
from archive_app.core.parsing.normalise import (
    _split_paragraphs,
    _unify_newlines,
    normalize_field,
    unescape_references,
)
from archive_app.core.parsing.sidecar import SidecarValues, sidecar_values


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------
def parse_article(
    text: str,
    *,
    file_name: str | None = None,
    sidecar: Mapping[str, object] | None = None,
) -> ParsedArticle:
    """Parse the decoded text of a saved news article.

    The function is pure and never raises: whatever it cannot recognise stays in
    ``body`` and doubtful results carry ``warnings``.

    HTML character references (``&#163;``, ``&amp;``) are decoded, then the text is
    split into paragraphs at blank lines (every line is a paragraph when the text has
    no blank line at all). The footer is peeled from the end (related-link blocks, share
    block, publisher alternate-address note with its addresses, licence/copyright
    notice, source URL, in any order), then the header from the start (source URL, date
    and breadcrumb lines, the headline, then byline, date, source and one photo caption
    with its credit, in any order). The rest is the body; a dateline is read from (but
    left in) its first paragraph. ``publisher`` comes from the footer (the note nearest
    the body wins), else from the dateline agency, e.g. ``(Reuters)``.

    A first line longer than a headline is a body paragraph. When the text has no
    headline line, the title comes from ``sidecar`` or else from ``file_name`` (a slug
    such as ``Iraqi-Council-Picks-Kurdish-Mayor.txt``: warning ``title from file name``,
    which alone does not set ``needs_review``). Sidecar values (title, date, author,
    URL, topics as ``tags``) win over what the text suggests; placeholders are ignored.
    A leading ``【tag】`` in the title becomes the section when there is none.

    Args:
        text: The decoded file text (any newline convention).
        file_name: The file's name (not its path), for a headline slug.
        sidecar: The decoded JSON sidecar (see :func:`read_sidecar`).

    Returns:
        The parsed article.
    """
    try:
        return _parse(text, file_name, sidecar)
    except Exception as exc:  # defensive: the contract is "never raises"
        try:
            body = normalize_field(text) if isinstance(text, str) else ""
        except Exception:
            body = ""
        return ParsedArticle(body=body, warnings=(f"{WARN_INTERNAL}: {type(exc).__name__}",))


def _parse(text: str, file_name: str | None, sidecar: Mapping[str, object] | None) -> ParsedArticle:
    text = _unify_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    st = _State()
    if "\x00" in text:
        st.warnings.append(WARN_NUL)
    if "\ufffd" in text:
        st.warnings.append(WARN_REPLACEMENT)
    meta = sidecar_values(sidecar)
    named = title_from_file_name(file_name) if file_name else None
    paras = _split_paragraphs(unescape_references(text))
    if not paras:
        return ParsedArticle(warnings=(WARN_EMPTY, *st.warnings))

    _peel_footer(paras, st)
    _peel_header(
        paras,
        st,
        unescape_references(normalize_field(meta.title)),
        named.title if named is not None else "",
    )
    if meta.title:
        st.title = unescape_references(meta.title)
    elif not st.title and named is not None:
        st.title = named.title
        st.warnings.append(WARN_TITLE_FROM_FILE_NAME)
        if not st.byline:
            st.byline = named.byline
    if not st.title:
        st.warnings.insert(0, WARN_NO_HEADLINE)
    tag_path, title = _section_tag(st.title)
    if tag_path:
        st.title = title
        st.section_path = st.section_path or tag_path
    _apply_sidecar(st, meta)

    body = "\n\n".join(map("\n".join, paras))
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
        rights=normalize_field("\n".join(st.rights)),
        boilerplate=normalize_field("\n\n".join(st.boilerplate)),
        tags=tuple(normalize_field(t) for t in meta.tags),
        warnings=tuple(dict.fromkeys(st.warnings)),
    )


def _apply_sidecar(st: _State, meta: SidecarValues) -> None:
    """Sidecar values win over the text's; a footer URL never beats the header's."""
    if st.footer_source_url:
        if not st.source_url:
            st.source_url = st.footer_source_url
        elif st.footer_source_url != st.source_url:
            st.boilerplate.append(st.footer_source_url)
    if meta.byline:
        st.byline = unescape_references(meta.byline)
    if meta.published_on is not None:
        st.published_on = meta.published_on
    if meta.source_url:
        st.source_url = meta.source_url
    if meta.section_path and not st.section_path:
        st.section_path = meta.section_path
