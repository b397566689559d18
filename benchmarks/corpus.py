"""Deterministic generator of realistic article text files (the benchmark corpus)."""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import itertools
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from archive_app.core.compression import compress
from archive_app.core.prepare import content_hash
from archive_app.core.records import ArticleFields, NewArticle
from benchmarks import vocab
from benchmarks.real_layouts import LAYOUT_FUNCS as REAL_LAYOUT_FUNCS
from benchmarks.real_layouts import REAL_LAYOUTS

#: Bump whenever the output for a given (seed, index) changes: cached corpora and libraries
#: are keyed on it. 2: the real layouts (one-line bodies, CRLF, long lines, sidecars).
GENERATOR_VERSION = 2

DEFAULT_SEED = 1

#: Share of files that are byte-for-byte copies of an earlier article file.
DUPLICATE_SHARE = 0.03
#: Share of files that are not text at all (images, PDFs, archives, noise named ``.txt``).
BINARY_SHARE = 0.005

FILES_PER_FOLDER = 1000

FIRST_DATE = dt.date(2008, 1, 1)
LAST_DATE = dt.date(2024, 12, 31)

Kind = Literal["article", "duplicate", "binary"]

#: Layout name -> weight (percent). The shapes are those of tests/fixtures (seed and articles)
#: and, for 28%, those of the real files of the shared corpus's ``text/`` (``real_layouts``).
LAYOUTS: dict[str, int] = {
    "presstv": 24,
    "reuters": 10,
    "byline_photo": 10,
    "ap": 7,
    "url_top": 6,
    "afp_bottom": 5,
    "caps_byline": 4,
    "conversation": 3,
    "getty": 2,
    "russian": 1,
    **REAL_LAYOUTS,
}

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_AP_MONTHS: tuple[str, ...] = ("Jan.", "Feb.", "March", "April", "May", "June", "July")
_AP_MONTHS += ("Aug.", "Sept.", "Oct.", "Nov.", "Dec.")


@dataclass(frozen=True)
class GeneratedArticle:
    """One generated article: the fields a perfect parser would find, and its file bytes."""

    index: int
    layout: str
    encoding: str
    fields: ArticleFields
    text: str
    data: bytes
    #: The file's name when the layout gives it one (the headline in it, ``<n>_raw.txt``).
    file_name: str = ""
    #: ``(name, bytes)`` of the JSON sidecar beside the file.
    sidecar: tuple[str, bytes] | None = None


@dataclass(frozen=True)
class CorpusFile:
    """One file of the corpus (and the sidecar written beside it, if any)."""

    index: int
    relpath: str
    kind: Kind
    data: bytes
    #: ``(relpath, bytes)`` of the files that go with it (a JSON sidecar).
    extra: tuple[tuple[str, bytes], ...] = ()


# -- vocabulary -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Vocabulary:
    words: tuple[str, ...]
    cum_weights: tuple[float, ...]
    title_words: tuple[str, ...]
    title_cum_weights: tuple[float, ...]


def _interleave(base: list[str], extra: list[str], every: int) -> list[str]:
    out: list[str] = []
    pending = iter(extra)
    for i, word in enumerate(base):
        out.append(word)
        if i % every == every - 1:
            out.extend(itertools.islice(pending, 1))
    out.extend(pending)
    return out


@cache
def vocabulary() -> _Vocabulary:
    """Return the ranked vocabulary with Zipf-Mandelbrot cumulative weights."""
    middle = _interleave(list(dict.fromkeys(vocab.COMMON_WORDS)), vocab.PROPER_NOUNS, 3)
    middle = _interleave(middle, vocab.COLLOCATIONS, 14)
    ranked = list(
        dict.fromkeys(
            [*vocab.FUNCTION_WORDS, *middle, *vocab.TOPICAL_WORDS, *vocab.synthetic_words()]
        )
    )
    weights = [1.0 / (rank + 2.7) ** 1.07 for rank in range(len(ranked))]
    cum = tuple(itertools.accumulate(weights))
    start = len(dict.fromkeys(vocab.FUNCTION_WORDS))
    end = len(ranked) - len(vocab.synthetic_words())
    title_words = tuple(ranked[start:end])
    title_cum = tuple(itertools.accumulate(weights[start:end]))
    return _Vocabulary(tuple(ranked), cum, title_words, title_cum)


# -- text pieces ------------------------------------------------------------------------------


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"


def _number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        return str(rng.randint(2, 99))
    if kind < 0.5:
        return f"{rng.randint(1, 9)},{rng.randint(0, 999):03d}"
    if kind < 0.7:
        return f"{rng.randint(2, 95)} percent"
    if kind < 0.85:
        return f"${rng.randint(1, 900)} million"
    return f"£{rng.randint(1, 90)} billion"


def _sentence(rng: random.Random, v: _Vocabulary, year: int, quotes: tuple[str, str]) -> str:
    words = rng.choices(v.words, cum_weights=v.cum_weights, k=rng.randint(8, 28))
    if rng.random() < 0.25:
        words.insert(rng.randrange(len(words)), _number(rng))
    if rng.random() < 0.12:
        words.insert(rng.randrange(len(words)), f"in {rng.randint(year - 4, year)}")
    if rng.random() < 0.1:
        month = rng.choice(_MONTH_NAMES)
        words.insert(rng.randrange(len(words)), f"on {month} {rng.randint(1, 28)}")
    if len(words) > 12 and rng.random() < 0.3:
        cut = rng.randrange(4, len(words) - 3)
        words[cut] += ","
    text = _cap(" ".join(words))
    if rng.random() < 0.15:
        speaker = rng.choice(("the official said", "he said", "she said", _name(rng) + " said"))
        return f"{quotes[0]}{text},{quotes[1]} {speaker}."
    return text + "."


def _paragraphs(
    rng: random.Random, v: _Vocabulary, target_chars: int, year: int, quotes: tuple[str, str]
) -> list[str]:
    paras: list[str] = []
    size = 0
    while size < target_chars:
        para = " ".join(_sentence(rng, v, year, quotes) for _ in range(rng.choice((1, 2, 2, 3))))
        paras.append(para)
        size += len(para) + 2
    return paras


def _plant(rng: random.Random, paras: list[str]) -> None:
    """Insert the planted rare words and phrases (each with its fixed document share)."""
    for text, share in vocab.PLANTED:
        if rng.random() < share:
            i = rng.randrange(len(paras))
            words = paras[i].split(" ")
            words.insert(rng.randrange(1, len(words)), text)
            paras[i] = " ".join(words)


def _title(rng: random.Random, v: _Vocabulary) -> str:
    words = rng.choices(v.title_words, cum_weights=v.title_cum_weights, k=rng.randint(6, 12))
    return _cap(" ".join(words))


def _date(rng: random.Random) -> dt.date:
    span = (LAST_DATE - FIRST_DATE).days
    return FIRST_DATE + dt.timedelta(days=rng.randrange(span + 1))


def _clock(rng: random.Random) -> str:
    return f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(('AM', 'PM'))}"


def _caption_sentence(rng: random.Random, v: _Vocabulary) -> str:
    words = rng.choices(v.title_words, cum_weights=v.title_cum_weights, k=rng.randint(6, 14))
    return "The file photo shows " + " ".join(words) + "."


def _url(rng: random.Random, day: dt.date, title: str) -> str:
    slug = "-".join(title.lower().split()[:6])
    return f"https://{rng.choice(vocab.NEWS_DOMAINS)}/news/{day:%Y/%m/%d}/{slug}"


# -- layouts ----------------------------------------------------------------------------------


@dataclass
class _Draft:
    """Header lines, body paragraphs and footer lines of a file, plus the expected fields."""

    head: list[str]
    body: list[str]
    foot: list[str]
    fields: dict[str, object]


def _layout_presstv(rng: random.Random, v: _Vocabulary, d: _Draft, day: dt.date) -> None:
    sep = rng.choice(vocab.BREADCRUMB_SEPARATORS)
    section = rng.choice(vocab.SECTIONS)
    d.head += [sep.join(section), d.fields["title"]]  # type: ignore[list-item]
    d.fields["section_path"] = section
    if rng.random() < 0.7:
        d.head.append(f"{_WEEKDAYS[day.weekday()]}, {day:%d} {day:%B %Y} {_clock(rng)}")
        d.fields["published_on"] = day
    if rng.random() < 0.8:
        caption = _caption_sentence(rng, v)
        credit = rng.choice(("AFP", "AFP", "Reuters", "IRNA"))
        d.head.append(f"{caption} (By {credit})")
        d.fields["photo_caption"] = caption
        d.fields["photo_credit"] = credit
    if rng.random() < 0.35:
        city = rng.choice(vocab.DATELINE_CITIES)
        d.body[0] = f"{city} – {d.body[0]}"
        d.fields["dateline"] = city
    apostrophe = rng.choice(("’", "'"))
    note = (
        f"Press TV{apostrophe}s website can also be accessed at the following alternate addresses:"
    )
    addresses = rng.sample(vocab.PRESSTV_ADDRESSES, rng.randint(1, 3))
    d.foot += [note, *addresses]
    d.foot.append("SHARE THIS ARTICLE\nPress TV News Roku")
    d.fields.update(
        publisher="Press TV",
        publisher_note=note,
        alternate_urls=tuple(addresses),
        share_section="SHARE THIS ARTICLE\nPress TV News Roku",
    )


def _layout_reuters(rng: random.Random, v: _Vocabulary, d: _Draft, day: dt.date) -> None:
    d.head.append(d.fields["title"])  # type: ignore[arg-type]
    if rng.random() < 0.5:
        byline = _name(rng)
        d.head.append(f"By {byline}")
        d.fields["byline"] = byline
    if rng.random() < 0.8:
        label = rng.choice(("", "", "Published: "))
        d.head.append(f"{label}{day:%B} {day.day}, {day.year}")
        d.fields["published_on"] = day
    city = rng.choice(vocab.DATELINE_CITIES)
    d.body[0] = f"{city} (Reuters) - {d.body[0]}"
    d.fields.update(dateline=f"{city} (Reuters)", publisher="Reuters")
    if rng.random() < 0.5:
        d.body.append(f"(Reporting by {_name(rng)}; Editing by {_name(rng)})")


def _layout_ap(rng: random.Random, v: _Vocabulary, d: _Draft, day: dt.date) -> None:
    d.head += [d.fields["title"], f"{day:%B} {day.day}, {day.year}"]  # type: ignore[list-item]
    city = rng.choice(vocab.DATELINE_CITIES)
    d.body[0] = f"{city}, {_AP_MONTHS[day.month - 1]} {day.day} (AP) — {d.body[0]}"
    d.foot.append(
        f"Copyright {day.year} The Associated Press. All rights reserved. This material may not "
        "be published, broadcast, rewritten or redistributed."
    )
    d.fields["publisher_note"] = d.foot[-1]
    d.fields.update(
        published_on=day,
        dateline=f"{city}, {_AP_MONTHS[day.month - 1]} {day.day} (AP)",
        publisher="The Associated Press",
    )


def _layout_byline_photo(rng: random.Random, v: _Vocabulary, d: _Draft, day: dt.date) -> None:
    section = rng.choice(vocab.SECTIONS)
    byline = _name(rng) + (f" and {_name(rng)}" if rng.random() < 0.3 else "")
    caption = _caption_sentence(rng, v)
    credit = rng.choice(vocab.PHOTO_AGENCIES[:4])
    d.head += [
        " / ".join(section),
        d.fields["title"],  # type: ignore[list-item]
        f"By {byline}",
        f"Published: {day:%B} {day.day}, {day.year}",
        f"{caption} (Photo: {credit})",
    ]
    d.fields.update(
        section_path=section,
        byline=byline,
        published_on=day,
        photo_caption=caption,
        photo_credit=credit,
    )


def _layout_caps_byline(rng: random.Random, v: _Vocabulary, d: _Draft, day: dt.date) -> None:
    name = _name(rng)
    caption = _caption_sentence(rng, v)
    photographer = rng.choice(vocab.PHOTOGRAPHERS)
    stamp = f"{_WEEKDAYS[day.weekday()]}, {day:%B} {day.day}, {day.year} {_clock(rng)}"
    d.head.append(f"{d.fields['title']}\nBy {name.upper()}, Reuters\n{stamp}")
    d.head.append(f"{caption} (Photo by {photographer}/Reuters)")
    d.foot.append(f"© {day.year} Reuters. All rights reserved.")
    d.fields["publisher_note"] = d.foot[-1]
    d.fields.update(
        byline=f"{name.upper()}, Reuters",
        published_on=day,
        photo_caption=caption,
        photo_credit=f"{photographer}/Reuters",
        publisher="Reuters",
    )


def _layout_url_top(rng: random.Random, v: _Vocabulary, d: _Draft, day: dt.date) -> None:
    url = _url(rng, day, str(d.fields["title"]))
    d.head += [url, d.fields["title"], day.isoformat()]  # type: ignore[list-item]
    d.fields.update(source_url=url, published_on=day)


def _layout_afp_bottom(rng: random.Random, v: _Vocabulary, d: _Draft, day: dt.date) -> None:
    caption = _caption_sentence(rng, v)
    url = _url(rng, day, str(d.fields["title"]))
    d.head += [d.fields["title"], f"{day.day} {day:%B %Y}", f"{caption} (AFP photo)"]  # type: ignore[list-item]
    d.foot.append(f"Source: {url}")
    d.fields.update(published_on=day, photo_caption=caption, photo_credit="AFP", source_url=url)


def _layout_conversation(rng: random.Random, v: _Vocabulary, d: _Draft, day: dt.date) -> None:
    d.head.append(d.fields["title"])  # type: ignore[arg-type]
    licence = (
        "This article is republished from The Conversation under a Creative Commons license. "
        "Read the original article."
    )
    networks = rng.sample(vocab.SHARE_NETWORKS, 3)
    d.foot += [licence, "Share this story:\n" + "\n".join(networks)]
    d.fields.update(
        publisher="The Conversation",
        publisher_note=licence,
        share_section="Share this story:\n" + "\n".join(networks),
    )


def _layout_getty(rng: random.Random, v: _Vocabulary, d: _Draft, day: dt.date) -> None:
    caption = _caption_sentence(rng, v)
    credit = f"{rng.choice(vocab.PHOTOGRAPHERS).upper()}/AFP/Getty Images"
    d.head += [d.fields["title"], f"{caption} {credit}"]  # type: ignore[list-item]
    d.fields.update(photo_caption=caption, photo_credit=credit)


_LAYOUT_FUNCS = {
    "presstv": _layout_presstv,
    "reuters": _layout_reuters,
    "byline_photo": _layout_byline_photo,
    "ap": _layout_ap,
    "url_top": _layout_url_top,
    "afp_bottom": _layout_afp_bottom,
    "caps_byline": _layout_caps_byline,
    "conversation": _layout_conversation,
    "getty": _layout_getty,
}


def _russian_article(rng: random.Random, index: int) -> tuple[str, dict[str, object]]:
    words = vocab.RUSSIAN_WORDS
    weights = [1.0 / (r + 2.0) for r in range(len(words))]
    cum = list(itertools.accumulate(weights))
    day = _date(rng)
    section = rng.choice(vocab.RUSSIAN_SECTIONS)
    title = _cap(" ".join(rng.choices(words[20:], k=rng.randint(6, 10))))
    month = vocab.RUSSIAN_MONTHS_GENITIVE[day.month - 1]
    paras: list[str] = []
    size, target = 0, rng.randint(2000, 6000)
    while size < target:
        sentences = (
            _cap(" ".join(rng.choices(words, cum_weights=cum, k=rng.randint(8, 20)))) + "."
            for _ in range(rng.randint(1, 3))
        )
        paras.append(" ".join(sentences))
        size += len(paras[-1].encode("utf-8")) + 2
    paras[0] = f"МОСКВА, {day.day} {month} — {paras[0]}"
    text = "\n\n".join([" / ".join(section), title, f"{day.day} {month} {day.year}", *paras])
    fields: dict[str, object] = {
        "title": title,
        "section_path": section,
        "published_on": day,
        "dateline": f"МОСКВА, {day.day} {month}",
        "language": "ru",
        "body": "\n\n".join(paras),
    }
    return text + "\n", fields


# -- articles and files -----------------------------------------------------------------------


@cache
def _layout_table() -> tuple[tuple[str, ...], tuple[int, ...]]:
    names = tuple(LAYOUTS)
    return names, tuple(itertools.accumulate(LAYOUTS.values()))


def _pick_layout(rng: random.Random) -> str:
    names, cum = _layout_table()
    return names[bisect.bisect_right(cum, rng.random() * cum[-1])]


def generate_article(index: int, seed: int = DEFAULT_SEED) -> GeneratedArticle:
    """Return article ``index`` of the corpus ``seed`` (independent of the corpus size)."""
    rng = random.Random(f"{seed}:article:{index}")
    layout = _pick_layout(rng)
    if layout in REAL_LAYOUT_FUNCS:
        real = REAL_LAYOUT_FUNCS[layout](rng, index)
        data = real.text.encode("utf-8")
        fields = ArticleFields(**real.fields)  # type: ignore[arg-type]
        return GeneratedArticle(
            index, layout, "utf-8", fields, real.text, data, real.file_name, real.sidecar
        )
    if layout == "russian":
        text, raw = _russian_article(rng, index)
        encoding = "utf-8" if rng.random() < 0.6 else "cp1251"
        newline = "\n"
    else:
        v = vocabulary()
        day = _date(rng)
        encoding = rng.choices(("utf-8", "cp1252", "utf-8-sig", "utf-16"), (92, 5, 2, 1))[0]
        smart = encoding == "cp1252" or rng.random() < 0.3
        quotes = ("“", "”") if smart else ('"', '"')
        body = _paragraphs(rng, v, rng.randint(2000, 6000), day.year, quotes)
        _plant(rng, body)
        draft = _Draft([], body, [], {"title": _title(rng, v)})
        _LAYOUT_FUNCS[layout](rng, v, draft, day)
        draft.fields["body"] = "\n\n".join(draft.body)
        blocks = [*draft.head, *draft.body, *draft.foot]
        text = "\n\n".join(blocks) + "\n"
        raw = draft.fields
        newline = "\r\n" if rng.random() < 0.04 else "\n"
    fields = ArticleFields(**raw)  # type: ignore[arg-type]
    if newline != "\n":
        text = text.replace("\n", newline)
    data = text.encode(encoding)
    return GeneratedArticle(index, layout, encoding, fields, text, data)


def _binary_file(rng: random.Random) -> bytes:
    noise = rng.randbytes(rng.randint(2_000, 20_000))
    kind = rng.randrange(5)
    if kind == 0:
        return b"\x89PNG\r\n\x1a\n" + noise
    if kind == 1:
        return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + noise
    if kind == 2:
        return b"PK\x03\x04" + noise
    if kind == 3:
        return b"\xff\xd8\xff\xe0" + noise
    return noise


def file_kind(index: int, seed: int = DEFAULT_SEED) -> Kind:
    """Return whether file ``index`` is an article, a duplicate or a binary file."""
    if index == 0:
        return "article"
    roll = random.Random(f"{seed}:kind:{index}").random()
    if roll < BINARY_SHARE:
        return "binary"
    if roll < BINARY_SHARE + DUPLICATE_SHARE:
        return "duplicate"
    return "article"


def relpath(index: int, seed: int = DEFAULT_SEED, name: str = "") -> str:
    """Return the corpus-relative path of file ``index`` (``part000/000123_<hash>.txt``).

    ``name`` is the file name a layout gives (the headline in it, ``<n>_raw.txt``).
    """
    if not name:
        digest = hashlib.sha256(f"{seed}:{index}".encode()).hexdigest()[:16]
        name = f"{index:06d}_{digest}.txt"
    return f"part{index // FILES_PER_FOLDER:03d}/{name}"


def corpus_file(index: int, seed: int = DEFAULT_SEED, first: int = 0) -> CorpusFile:
    """Return file ``index`` of the corpus ``seed``.

    A duplicate repeats an earlier article from ``first`` on (a corpus of files ``first ..``
    then repeats only its own articles, whatever a library already holds).
    """
    kind = file_kind(index, seed) if index != first else "article"
    if kind == "binary":
        data = _binary_file(random.Random(f"{seed}:binary:{index}"))
    elif kind == "duplicate":
        rng = random.Random(f"{seed}:duplicate:{index}")
        source = first + rng.randrange(index - first)
        while file_kind(source, seed) != "article" and source > first:
            source -= 1
        data = generate_article(source, seed).data
    else:
        article = generate_article(index, seed)
        extra = ()
        if article.sidecar is not None:
            extra = ((relpath(index, seed, article.sidecar[0]), article.sidecar[1]),)
        return CorpusFile(index, relpath(index, seed, article.file_name), kind, article.data, extra)
    return CorpusFile(index, relpath(index, seed), kind, data)


def iter_files(n: int, seed: int = DEFAULT_SEED, start: int = 0) -> Iterator[CorpusFile]:
    """Yield the ``n`` files of the corpus ``seed`` from file ``start`` on."""
    for index in range(start, start + n):
        yield corpus_file(index, seed, start)


def write_corpus(
    out: Path, n: int, seed: int = DEFAULT_SEED, *, start: int = 0
) -> dict[str, object]:
    """Write ``n`` files (from file ``start`` on) under ``out``; return counts by kind."""
    kinds: Counter[str] = Counter()
    total = 0
    for f in iter_files(n, seed, start):
        path = out / f.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f.data)
        kinds[f.kind] += 1
        total += len(f.data)
        for rel, data in f.extra:
            (out / rel).write_bytes(data)
            kinds["sidecar"] += 1
            total += len(data)
    return {
        "generator_version": GENERATOR_VERSION,
        "n": n,
        "seed": seed,
        "start": start,
        "bytes": total,
        "kinds": dict(kinds),
    }


def new_article(article: GeneratedArticle) -> NewArticle:
    """Return what the importer would store for ``article``, without decoding or parsing.

    The fields are the ones the generator put into the layout (what a perfect parser finds);
    the source bytes are stored as the importer stores them (compressed, with their SHA-256), and
    the text is hashed as the importer hashes it (a later file repeating it is a duplicate).
    """
    digest = hashlib.sha256(article.data).hexdigest()
    path = relpath(article.index, name=article.file_name)
    sidecar_name, sidecar_data = article.sidecar or ("", b"")
    return NewArticle(
        fields=article.fields,
        parse_warnings=(),
        content_hash=content_hash(article.text),  # as the importer hashes: duplicates match
        file_name=path.rsplit("/", 1)[-1],
        original_path=f"/benchmark-corpus/{path}",
        size=len(article.data),
        sha256=digest,
        encoding="utf-8" if article.data.isascii() else article.encoding,
        compressed_data=compress(article.data),
        sidecar_name=sidecar_name,
        sidecar_data=compress(sidecar_data) if sidecar_data else b"",
        source_group=f"/benchmark-corpus/{path.rsplit('/', 1)[0]}",  # its folder, as imported
    )


def check_against_parser(n: int, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Decode and parse ``n`` generated articles with the app; return per-field agreement."""
    from archive_app.core.decoding import decode_bytes
    from archive_app.core.parsing import parse_article
    from archive_app.core.parsing.sidecar import read_sidecar

    names: tuple[str, ...] = ("title", "section_path", "byline", "publisher", "dateline")
    names += ("published_on",)
    names += ("source_url", "alternate_urls", "photo_caption", "photo_credit", "body")
    names += ("share_section", "publisher_note", "rights", "language")
    agree: Counter[str] = Counter()
    examples: dict[str, list[object]] = {}
    encodings: Counter[str] = Counter()
    for index in range(n):
        article = generate_article(index, seed)
        decoded = decode_bytes(article.data)
        encodings[f"{article.encoding}->{decoded.encoding}"] += 1
        name = relpath(index, seed, article.file_name).rsplit("/", 1)[-1]
        meta = read_sidecar(article.sidecar[1]) if article.sidecar else None
        parsed = parse_article(decoded.text, file_name=name, sidecar=meta)
        for name in names:
            want, got = getattr(article.fields, name), getattr(parsed, name)
            if want == got:
                agree[name] += 1
            elif len(examples.setdefault(name, [])) < 3:
                examples[name].append(
                    {"index": index, "layout": article.layout, "want": want, "got": got}
                )
    return {
        "n": n,
        "agreement": {name: agree[name] / n for name in names},
        "encodings": dict(encodings),
        "examples": examples,
    }


def main(argv: list[str] | None = None) -> int:
    """Write a corpus: ``python -m benchmarks.corpus --n 10000 --seed 1 --out DIR``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__)
    parser.add_argument("--n", type=int, default=10_000, help="number of files (10000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed (1)")
    parser.add_argument("--out", type=Path, help="folder to write (created)")
    parser.add_argument(
        "--check", action="store_true", help="parse n articles with the app and compare fields"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.check:
        result = check_against_parser(args.n, args.seed)
    elif args.out is None:
        parser.error("--out is required (or --check)")
    else:
        result = write_corpus(args.out, args.n, args.seed)
    result["seconds"] = round(time.perf_counter() - started, 3)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
