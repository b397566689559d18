"""Sort keys for titles: accents, case and leading punctuation ignored, the same everywhere."""

from __future__ import annotations

import re
import unicodedata

#: The SQL name of ``title_key`` (registered on every connection the library opens).
SQL_FUNCTION = "archive_title_key"
#: Characters of a title that shape its key (longer titles tie on their first 100).
KEY_CHARS = 100

#: Letters with no decomposition that collations file under plain Latin letters.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
    }
)
#: Anything before the first letter or digit: quotes (straight, curly, guillemets), dashes,
#: brackets, ¿ ¡, spaces, symbols.
_LEADING = re.compile(r"^[\W_]+")


def title_key(title: str | None) -> str:
    """Return the key a title sorts by (plain text, compared byte by byte).

    ``“Quoted” headline`` files under Q, ``Éclair`` beside ``eclair``, ``Ørsted`` under O and
    ``ёлка`` beside ``елка``: the Unicode collation algorithm's first level for Latin, Greek
    and Cyrillic (case and accents ignored), which is where a title's place in a list is
    decided. It is deliberately not the process locale's: the window and the command line
    set different locales (DESIGN, pitfalls), and a key stored in the library must not
    depend on which of them wrote it.
    """
    if not title:
        return ""
    text = unicodedata.normalize("NFKD", title[: KEY_CHARS * 2].translate(_FOLD))
    if not text.isascii():
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _LEADING.sub("", text).casefold()[:KEY_CHARS]
