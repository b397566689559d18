"""Generated files in the shapes real saved articles come in (the corpus's ``text/`` folder).

The shapes, not the text: every word, name and address here is invented. What the real files
showed and the generator copies in general form:

- ``slug_body``: the headline only in the file name (``_news_<id>_<Headline-Words>.txt``), the
  body alone in the file, mostly on one line (paragraphs joined by a space) or with CRLF
  (sometimes ``\\r\\r\\n``) line ends, a dateline with one of several dash styles, and a licence
  line of the agency after a run of non-breaking spaces with no final newline; a few files
  repeat the body as overlapping, shorter and shorter copies (a scraper's artefact).
- ``three_lines``: title, lead and the whole body as one long line (Latin script with many
  precomposed diacritics), no final newline.
- ``url_date_title``: the address, an ISO date-time with offset and a title with a bracketed
  section tag on the first three lines, CJK text, trailing blocks of related links.
- ``sidecar_raw``: ``<n>_raw.txt`` holds the body only and ``<n>_meta.json`` the title, date,
  address, author (often a placeholder) and topics; the body either in paragraphs or on one
  line with paragraphs glued by runs of spaces, no final newline (Cyrillic).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import unicodedata
from dataclasses import dataclass
from functools import cache

from benchmarks import vocab

#: Layout name -> weight (percent of the corpus).
REAL_LAYOUTS: dict[str, int] = {
    "slug_body": 12,
    "three_lines": 6,
    "url_date_title": 5,
    "sidecar_raw": 5,
}

_DASHES = (" – ", " - ", "- ", " — ", "— ")
_AGENCIES = ("Northwind News Agency", "Harbour Press Service", "Meridian Wire")
_CREDITS = ("Пресс-служба администрации района", "Пресс-служба управления", "Фото автора")
_AUTHORS = ("Редакция", "Журналист", "Анна Петрова", "Иван Смирнов")
_LINK_HEADS = ("■関連リンク", "■関連記事", "■おすすめ")


@dataclass(frozen=True)
class RealShaped:
    """One generated file of a real layout: its text, name, sidecar and expected fields."""

    text: str
    fields: dict[str, object]
    #: The file name to use instead of the numbered one ("" keeps it).
    file_name: str = ""
    #: ``(name, bytes)`` of a JSON sidecar written beside the file.
    sidecar: tuple[str, bytes] | None = None


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _zipf(count: int) -> tuple[float, ...]:
    return tuple(itertools.accumulate(1.0 / (rank + 2.7) ** 1.07 for rank in range(count)))


@cache
def _latin_words() -> tuple[tuple[str, ...], tuple[float, ...]]:
    v = list(dict.fromkeys([*vocab.FUNCTION_WORDS, *vocab.COMMON_WORDS, *vocab.TOPICAL_WORDS]))
    return tuple(v), _zipf(len(v))


@cache
def _diacritic_syllables() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Syllables of a tonal Latin-script language: onset, vowel with a tone mark, coda (NFC)."""
    onsets = vocab._words("b c ch d đ g gh gi h k kh l m n ng nh p ph qu r s t th tr v x")
    vowels = vocab._words("a ă â e ê i o ô ơ u ư y oa uy ươ iê uô")
    tones = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    codas = ("", "", "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u")
    rng = random.Random("real-layouts:syllables")
    found: dict[str, None] = {}
    while len(found) < 3000:
        vowel = rng.choice(vowels)
        toned = vowel + rng.choice(tones)  # the mark on the last vowel of the nucleus
        syllable = rng.choice(onsets) + toned + rng.choice(codas)
        found[unicodedata.normalize("NFC", syllable)] = None
    words = tuple(found)
    return words, _zipf(len(words))


@cache
def _cjk_words() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Words of 1-3 ideographs with 0-3 kana after them, or katakana loanwords."""
    rng = random.Random("real-layouts:cjk")
    ideographs = [chr(c) for c in rng.sample(range(0x4E00, 0x9FA5), 1500)]
    hiragana = [chr(c) for c in range(0x3041, 0x3094)]
    katakana = [chr(c) for c in range(0x30A1, 0x30F5)]
    found: dict[str, None] = {}
    while len(found) < 4000:
        if rng.random() < 0.15:
            word = "".join(rng.choices(katakana, k=rng.randint(2, 6)))
        else:
            word = "".join(rng.choices(ideographs, k=rng.randint(1, 3)))
            word += "".join(rng.choices(hiragana, k=rng.choice((0, 1, 1, 2, 3))))
        found[word] = None
    words = tuple(found)
    return words, _zipf(len(words))


def _latin_sentence(rng: random.Random) -> str:
    words, cum = _latin_words()
    picked = rng.choices(words, cum_weights=cum, k=rng.randint(8, 26))
    if rng.random() < 0.2:
        picked.insert(rng.randrange(len(picked)), str(rng.randint(2, 2000)))
    return _cap(" ".join(picked)) + "."


def _latin_paragraphs(rng: random.Random, target: int) -> list[str]:
    paras: list[str] = []
    size = 0
    while size < target:
        para = " ".join(_latin_sentence(rng) for _ in range(rng.randint(1, 4)))
        paras.append(para)
        size += len(para) + 1
    return paras


def _city(rng: random.Random) -> str:
    return rng.choice(vocab.DATELINE_CITIES).upper()


def _date(rng: random.Random) -> dt.date:
    return dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(6200))


def slug_body(rng: random.Random, index: int) -> RealShaped:
    """The headline in the file name, the body alone, one line or CRLF, a licence line."""
    words = _latin_words()[0][60:]  # no function words in a headline
    title_words = [_cap(w) for w in rng.choices(words, k=rng.randint(4, 10))]
    paras = _latin_paragraphs(rng, rng.randint(400, 7000))
    fields: dict[str, object] = {"title": " ".join(title_words)}
    if rng.random() < 0.8:
        city = _city(rng)
        paras[0] = f"{city}{rng.choice(_DASHES)}{paras[0]}"
        fields["dateline"] = city
    agency = rng.choice(_AGENCIES)
    licence = (
        f"All Content by {agency} is licensed under a Creative Commons Attribution 4.0 "
        "International License."
    )
    fields.update(body="\n\n".join(paras), rights=licence, publisher=agency, language="en")
    shape = rng.random()
    if shape < 0.6:
        lines = [" ".join(paras)]
        fields["body"] = lines[0]  # one line: nothing tells the paragraphs apart
        newline = ""
    else:
        newline = "\n" if shape < 0.68 else rng.choice(("\r\n", "\r\r\n"))
        lines = list(paras)
        if len(paras) >= 3 and rng.random() < 0.2:
            # Overlapping copies: each line restarts one paragraph later.
            lines = [" ".join(paras[start:]) for start in range(len(paras))]
    gap = "\u00a0 " * rng.randint(0, 5)
    text = newline.join(lines) + (newline or " ") + gap + licence
    slug = "-".join(title_words)
    return RealShaped(text, fields, file_name=f"_news_{index:06d}_{slug}.txt")


def three_lines(rng: random.Random, index: int) -> RealShaped:
    """Title, lead and a one-line body in a tonal Latin-script language, no final newline."""
    words, cum = _diacritic_syllables()

    def sentence() -> str:
        return _cap(" ".join(rng.choices(words, cum_weights=cum, k=rng.randint(10, 30)))) + "."

    title = _cap(" ".join(rng.choices(words, cum_weights=cum, k=rng.randint(6, 14))))
    lead = " ".join(sentence() for _ in range(rng.randint(1, 2)))
    body: list[str] = []
    size, target = 0, rng.randint(1500, 6000)
    while size < target:
        body.append(sentence())
        size += len(body[-1]) + 1
    line = " ".join(body)
    text = f"{title}\n{lead}\n{line}" + ("\n" if rng.random() < 0.01 else "")
    fields: dict[str, object] = {"title": title, "body": f"{lead}\n\n{line}", "language": "vi"}
    return RealShaped(text, fields)


def url_date_title(rng: random.Random, index: int) -> RealShaped:
    """Address, ISO date-time and a tagged title on three lines, CJK body, related links."""
    words, cum = _cjk_words()

    def sentence() -> str:
        picked = rng.choices(words, cum_weights=cum, k=rng.randint(6, 20))
        if len(picked) > 8 and rng.random() < 0.5:
            picked.insert(rng.randrange(3, len(picked) - 2), "、")
        return "".join(picked) + "。"

    day = _date(rng)
    stamp = f"{day.isoformat()}T{rng.randint(0, 23):02d}:{rng.choice((0, 30)):02d}:00+0900"
    url = f"http://news.example.jp/article/detail/{rng.randint(1_000_000, 9_999_999)}/"
    tag = "".join(rng.choices(words[:400], k=rng.randint(1, 2)))
    title = "".join(rng.choices(words, cum_weights=cum, k=rng.randint(5, 12))) + f"【{tag}】"
    paras: list[str] = []
    size, target = 0, rng.randint(700, 2500)  # characters: 3 bytes each in UTF-8
    while size < target:
        paras.append("".join(sentence() for _ in range(rng.randint(1, 4))))
        size += len(paras[-1])
    foot: list[str] = []
    for _ in range(rng.choice((0, 1, 1, 2))):
        links = ["・" + "".join(rng.choices(words, k=rng.randint(4, 9))) for _ in range(3)]
        foot += ["", rng.choice(_LINK_HEADS), *links]
    text = "\n".join([url, stamp, title, *paras, *foot]) + "\n"
    fields: dict[str, object] = {
        "title": title,
        "source_url": url,
        "published_on": day,
        "body": "\n".join(paras),  # one line each, no blank lines between them
        "language": "ja",
    }
    return RealShaped(text, fields)


def sidecar_raw(rng: random.Random, index: int) -> RealShaped:
    """``<n>_raw.txt`` (the body only) with ``<n>_meta.json`` (title, date, address...)."""
    words = vocab.RUSSIAN_WORDS
    cum = tuple(itertools.accumulate(1.0 / (r + 2.0) for r in range(len(words))))

    def sentence() -> str:
        return _cap(" ".join(rng.choices(words, cum_weights=cum, k=rng.randint(8, 22)))) + "."

    day = _date(rng)
    title = _cap(" ".join(rng.choices(words[20:], k=rng.randint(5, 11))))
    paras: list[str] = []
    size, target = 0, rng.randint(1000, 5000)  # characters: 2 bytes each in UTF-8
    while size < target:
        paras.append(" ".join(sentence() for _ in range(rng.randint(1, 3))))
        size += len(paras[-1])
    if rng.random() < 0.4:
        paras[0] += " Как передает агентство «Северный вестник», " + sentence().lower()
    glued = rng.random() < 0.6
    if glued and rng.random() < 0.3:
        paras.append(rng.choice(_CREDITS))
    if glued:
        text = "".join(p + rng.choice(("\u00a0 \u00a0 \u00a0", "   ", "\u00a0 ")) for p in paras)
        text = text.rstrip()
    else:
        text = "\n".join(paras) + "\n"
    slug = "-".join(w.lower() for w in rng.choices(vocab.LAST_NAMES, k=3))
    author = rng.choice(("NOT FOUND", "NOT FOUND", *_AUTHORS))
    meta: dict[str, object] = {
        "id": index,
        "url": f"https://news.example.ru/{day:%Y/%m/%d}/{slug}/",
        "title": title,
        "date": f"{day.isoformat()} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
        "author": author,
    }
    if rng.random() < 0.6:
        meta["topics"] = rng.sample(("Россия", "политика", "экономика", "общество"), 2)
    sidecar = json.dumps(meta, ensure_ascii=False, indent=rng.choice((None, 4))).encode()
    fields: dict[str, object] = {
        "title": title,
        "published_on": day,
        "source_url": meta["url"],
        "byline": "" if author == "NOT FOUND" else author,
        "body": "\n\n".join(paras),
        "language": "ru",
    }
    stem = f"{index:06d}"
    return RealShaped(
        text, fields, file_name=f"{stem}_raw.txt", sidecar=(f"{stem}_meta.json", sidecar)
    )


LAYOUT_FUNCS = {
    "slug_body": slug_body,
    "three_lines": three_lines,
    "url_date_title": url_date_title,
    "sidecar_raw": sidecar_raw,
}
