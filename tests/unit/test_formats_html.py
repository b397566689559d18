"""Saved web pages (HTML, MHTML) import as articles: charset, body, news fields, no network."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import socket
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from archive_app.core.formats.html import extract_html, extract_mhtml
from archive_app.core.formats.html_charset import declared_charsets, decode_page
from archive_app.core.formats.pages import is_page_resources
from archive_app.core.importer import import_paths, iter_candidates
from archive_app.core.library import Library
from archive_app.core.reparse import reparse_articles
from archive_app.export.html import export_html

PARAGRAPHS = [
    "The harbour authority said on Tuesday that the new breakwater would be finished before "
    "the winter storms, after two years of delays caused by a shortage of concrete and labour.",
    "Fishermen who moor their boats inside the old wall welcomed the news but said the works "
    "had already cost them a season, because the dredgers had blocked the channel for months.",
    "The project, paid for by the regional government and a European fund, is meant to protect "
    "the town centre from the floods that have become more frequent over the past decade.",
    "Engineers will now test the structure against waves of up to eight metres, the authority "
    "said, and the public promenade on top of it should open to walkers in the spring.",
]
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def news_page(
    paragraphs: list[str] = PARAGRAPHS,
    *,
    head: str = '<meta charset="utf-8">',
    lang: str = "en",
    title: str = "Harbour wall to be finished before winter",
) -> str:
    jsonld = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "NewsArticle",
                "headline": title,
                "author": [{"@type": "Person", "name": "Anna Smith"}],
                "datePublished": "2024-03-05T09:30:00+01:00",
                "publisher": {"@type": "Organization", "name": "The Coast Gazette"},
                "license": LICENCE_URL,
            },
            {
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": "Home", "item": "/"},
                    {"@type": "ListItem", "position": 2, "name": "News", "item": "/news"},
                    {"@type": "ListItem", "position": 3, "name": "Local", "item": "/news/local"},
                ],
            },
        ],
    }
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{head}
<title>{title} | The Coast Gazette</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="The Coast Gazette">
<meta property="og:url" content="https://gazette.example/news/local/harbour-wall">
<link rel="canonical" href="https://gazette.example/news/local/harbour-wall">
<link rel="stylesheet" href="http://cdn.gazette.example/site.css">
<link rel="license" href="{LICENCE_URL}">
<script src="http://cdn.gazette.example/app.js"></script>
<script type="application/ld+json">{json.dumps(jsonld)}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>{title}</h1>
<p class="byline">By Anna Smith</p>
<figure><img src="http://img.gazette.example/wall.jpg" alt="">
<figcaption>Workers on the new breakwater at dawn.
<span class="credit">Photo: John Doe/AFP</span></figcaption></figure>
{body}
<p>This article is licensed under a <a rel="license" href="{LICENCE_URL}">Creative Commons
Attribution 4.0 International License</a>.</p>
</article>
<footer><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul>
</footer>
</body></html>
"""


def test_fields_come_from_open_graph_json_ld_and_figures() -> None:
    page = extract_html(news_page().encode("utf-8"), file_name="wall.html")
    fields = page.fields
    assert fields.title == "Harbour wall to be finished before winter"
    assert fields.byline == "Anna Smith"
    assert fields.publisher == "The Coast Gazette"
    assert fields.published_on == dt.date(2024, 3, 5)
    assert fields.section_path == ("News", "Local")
    assert fields.source_url == "https://gazette.example/news/local/harbour-wall"
    assert fields.language == "en"
    assert fields.photo_caption == "Workers on the new breakwater at dawn."
    assert fields.photo_credit == "John Doe/AFP"
    assert LICENCE_URL in fields.rights
    assert "Creative Commons" in fields.rights
    assert fields.paragraphs[0].startswith("The harbour authority said on Tuesday")
    assert fields.paragraphs[-1].startswith("Engineers will now test")
    for unwanted in ("Workers on the new breakwater", "Creative Commons", "About us", "Sport"):
        assert unwanted not in fields.body
    assert page.encoding == "utf-8"
    assert page.confidence == 1.0
    assert not fields.needs_review


def test_declared_iso_8859_1_page_that_is_utf_8_is_read_as_utf_8() -> None:
    words = "Café owners in Zürich say the naïve façade plan will fail."
    html = news_page([words, *PARAGRAPHS], head='<meta charset="iso-8859-1">')
    page = extract_html(html.encode("utf-8"), file_name="cafe.html")
    assert page.encoding == "utf-8"
    assert words in page.fields.body
    assert "Ã" not in page.fields.body


def test_real_iso_8859_1_page_is_read_with_its_declared_charset() -> None:
    words = "Les élèves de Besançon ont répondu à la dernière enquête sur l'école."
    head = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    html = news_page([words, *PARAGRAPHS], head=head)
    page = extract_html(html.encode("iso-8859-1"), file_name="ecole.html")
    assert page.encoding == "iso8859-1"
    assert page.confidence >= 0.9
    assert words in page.fields.body


def test_windows_1251_page_without_charset_is_detected() -> None:
    russian = [
        "Администрация города сообщила во вторник, что новый мол будет достроен до начала "
        "зимних штормов, несмотря на два года задержек из-за нехватки бетона и рабочих.",
        "Рыбаки, которые держат свои лодки за старой стеной, приветствовали эту новость, но "
        "сказали, что работы уже стоили им целого сезона, потому что фарватер был закрыт.",
        "Проект оплачивают региональное правительство и европейский фонд; он должен защитить "
        "центр города от наводнений, которые за последние десять лет стали намного чаще.",
    ]
    html = news_page(russian, head="", lang="", title="Мол достроят до зимы")
    data = html.encode("cp1251")
    assert declared_charsets(data) == []
    page = extract_html(data, file_name="mol.html")
    assert page.encoding == "cp1251"
    assert russian[0] in page.fields.body
    assert page.fields.title == "Мол достроят до зимы"
    assert page.fields.language == "ru"


def test_a_declared_charset_that_gives_mojibake_is_not_trusted() -> None:
    text = "Президент заявил, что переговоры продолжатся на следующей неделе в Москве."
    data = f'<html><head><meta charset="koi8-r"></head><body><p>{text}</p></body></html>'
    decoded = decode_page(data.encode("cp1251"))
    assert decoded.encoding == "cp1251"
    assert text in decoded.text


def test_mhtml_archive_is_read_from_its_html_part() -> None:
    message = EmailMessage()
    message["Subject"] = "Harbour wall"
    message["Snapshot-Content-Location"] = "https://gazette.example/news/local/harbour-wall"
    message.make_related()
    message.add_related(
        news_page(), subtype="html", charset="utf-8", cte="quoted-printable", headers=[]
    )
    message.add_related(b"\x89PNG\r\n\x1a\n" + bytes(64), maintype="image", subtype="png")
    page = extract_mhtml(message.as_bytes(), file_name="wall.mhtml")
    assert page.fields.title == "Harbour wall to be finished before winter"
    assert page.fields.source_url == "https://gazette.example/news/local/harbour-wall"
    assert page.fields.paragraphs[0].startswith("The harbour authority")


def test_saved_page_folder_imports_one_article(tmp_path: Path, library: Library) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "page.html").write_text(news_page(), encoding="utf-8")
    resources = saved / "page_files"
    resources.mkdir()
    (resources / "site.css").write_text("body { color: black }", encoding="utf-8")
    (resources / "readme.txt").write_text("Not an article.", encoding="utf-8")
    (resources / "frame.html").write_text("<html><body>ad</body></html>", encoding="utf-8")
    assert is_page_resources(resources)
    report = import_paths(library, [saved], workers=0)
    assert len(report.imported) == 1
    assert [(Path(p.path).name, p.reason) for p in report.skipped] == [
        ("page_files", "resources of a saved page")
    ]
    assert report.failed == []


def test_a_folder_named_like_resources_without_its_page_is_walked(tmp_path: Path) -> None:
    folder = tmp_path / "holiday_files"
    folder.mkdir()
    (folder / "note.txt").write_text("A title\n\nA body.", encoding="utf-8")
    assert not is_page_resources(folder)
    assert [c.path.name for c in iter_candidates([tmp_path])] == ["note.txt"]


def test_importing_a_page_opens_no_socket(
    tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        pytest.fail(f"network access: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    path = tmp_path / "remote.html"
    path.write_text(news_page(), encoding="utf-8")
    report = import_paths(library, [path], workers=0)
    assert len(report.imported) == 1


def test_same_page_twice_is_a_duplicate_and_bytes_are_kept(
    tmp_path: Path, library: Library
) -> None:
    data = news_page().replace("\n", "\r\n").encode("utf-8")
    first, second = tmp_path / "a.html", tmp_path / "b.htm"
    first.write_bytes(data)
    second.write_bytes(data)
    report = import_paths(library, [first, second], workers=0)
    [article_id] = report.imported
    assert [(Path(d.path).name, d.existing_id) for d in report.duplicates] == [
        ("b.htm", article_id)
    ]
    assert library.source_bytes(article_id) == data
    record = library.get_article(article_id)
    assert record.source is not None
    assert record.source.sha256 == hashlib.sha256(data).hexdigest()
    assert record.source.encoding == "utf-8"
    # A re-parse reads the stored page as a page again.
    reparsed = reparse_articles(library, [article_id])
    assert reparsed.failed == []
    assert library.get_article(article_id).body == record.body


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link" and dict(attrs).get("rel") == "schema.DC":
            return  # names the Dublin Core vocabulary; browsers never load it
        self.urls += [value or "" for name, value in attrs if name in {"src", "href"}]


def test_html_export_of_an_imported_page_loads_nothing(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "wall.html"
    path.write_text(news_page(), encoding="utf-8")
    [article_id] = import_paths(library, [path], workers=0).imported
    record = library.get_article(article_id)
    result = export_html([record], tmp_path / "out")
    for file in result.files:
        text = file.read_text("utf-8")
        parser = _Links()
        parser.feed(text)
        assert not [u for u in parser.urls if "://" in u or u.startswith("//")], file.name
        assert "img.gazette.example" not in text
        assert "cdn.gazette.example" not in text
    page = next(f for f in result.files if f.name != "index.html").read_text("utf-8")
    assert "https://gazette.example/news/local/harbour-wall" in page  # shown as text


def test_html_export_of_an_imported_page_is_valid_html5(tmp_path: Path, library: Library) -> None:
    from tests.unit.test_export_html import vnu_errors

    path = tmp_path / "wall.html"
    path.write_text(news_page(), encoding="utf-8")
    [article_id] = import_paths(library, [path], workers=0).imported
    result = export_html([library.get_article(article_id)], tmp_path / "out")
    assert vnu_errors(list(result.files)) == []
