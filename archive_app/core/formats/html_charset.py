"""The text of a saved web page: BOM, then the declared charset checked against the bytes."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

from archive_app.core.decoding import DecodedText, decode_bytes, normalize_newlines
from archive_app.core.decoding.candidates import canonical, reported_name
from archive_app.core.decoding.scoring import plausibility

#: How far into the page a charset declaration is looked for (HTML5 says 1024 bytes; saved
#: pages often carry long heads of scripts and styles before the meta tag).
DECLARATION_SCAN = 16 * 1024
#: A declared legacy charset is trusted when its text scores at least this (clean text scores
#: 1.5-1.7, mojibake far lower: ``decoding.scoring.plausibility``)...
TRUSTED_SCORE = 1.3
#: ... or when it scores no less than the app's own choice minus this margin.
SCORE_MARGIN = 0.05
#: Confidence of a declared charset the bytes agree with.
DECLARED_CONFIDENCE = 0.95

_BOMS = (
    codecs.BOM_UTF8,
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)
_LABEL = rb"""["']?\s*([A-Za-z0-9._:\-]+)"""
#: ``<meta charset=...>`` and ``<meta http-equiv=Content-Type content="...; charset=...">``.
_META_RE = re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*" + _LABEL, re.IGNORECASE)
_XML_RE = re.compile(rb"^\s*<\?xml\b[^>]*?\bencoding\s*=\s*" + _LABEL, re.IGNORECASE)

#: What browsers read a label as (WHATWG Encoding): the superset the page was really written in.
_SUPERSETS = {
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "big5": "big5hkscs",
}


def declared_charsets(data: bytes) -> list[str]:
    """The charsets a page declares (XML declaration, then meta tags), as written."""
    head = data[:DECLARATION_SCAN]
    found: list[str] = []
    xml = _XML_RE.match(head)
    if xml is not None:
        found.append(xml.group(1).decode("ascii"))
    found.extend(m.group(1).decode("ascii") for m in _META_RE.finditer(head))
    return list(dict.fromkeys(found))


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _declared_reading(data: bytes, label: str) -> tuple[str, str] | None:
    """Decode with a declared legacy charset (or the superset browsers use), strictly."""
    codec = canonical(label)
    if codec is None or codec in {"utf-8", "utf-8-sig"}:
        return None
    if codec in {"ascii", "iso8859-1"}:
        # Latin-1 pages without bytes 0x80-0x9F read the same in cp1252: keep the declared name.
        c1 = any(0x80 <= byte <= 0x9F for byte in data)
        order = ["cp1252", "iso8859-1"] if c1 else ["iso8859-1"]
    else:
        order = [codec, *([_SUPERSETS[codec]] if codec in _SUPERSETS else [])]
    for name in order:
        text = _strict(data, name)
        if text is not None and "\ufffd" not in text:
            return text, name
    return None


def decode_page(data: bytes, declared: Iterable[str] = ()) -> DecodedText:
    """Decode the bytes of an HTML page.

    Order: a byte-order mark; valid UTF-8 (a page declaring iso-8859-1 whose bytes are UTF-8
    with non-ASCII characters is UTF-8); the declared charsets (``declared`` first, e.g. an
    MHTML part's, then the page's own), each trusted only when it decodes strictly, gives no
    U+FFFD and reads as plausibly as the app's own choice; else the app's decoder.

    Raises:
        NotTextError: The bytes are not text.
    """
    data = bytes(data)
    if data.startswith(_BOMS):
        return decode_bytes(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" not in text:
            return DecodedText(normalize_newlines(text), "utf-8")
    labels = [*declared, *declared_charsets(data)]
    guessed: DecodedText | None = None
    for label in dict.fromkeys(labels):
        reading = _declared_reading(data, label)
        if reading is None:
            continue
        text, codec = reading
        score = plausibility(text)
        if score < TRUSTED_SCORE:
            guessed = guessed or decode_bytes(data)
            if score < plausibility(guessed.text) - SCORE_MARGIN:
                continue
        return DecodedText(normalize_newlines(text), reported_name(codec), (), DECLARED_CONFIDENCE)
    return guessed or decode_bytes(data)
