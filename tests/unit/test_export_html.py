"""HTML export: valid, self-contained, escaped pages with machine-readable metadata."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from archive_app.core.records import ArticleRecord
from archive_app.export.common import ExportError, ExportExistsError, ExportResult
from archive_app.export.html import export_html
from archive_app.render.article import render_article_fragment
from archive_app.render.pages import html_safe_text
from tests.conftest import FIXTURES, SEED_FILE

ROOT = Path(__file__).parents[2]
DEFAULT_VNU_JAR = (
    ROOT / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
XSS = "<script>alert(1)</script>"
HOSTILE_TITLES = [
    "../../etc/passwd",
    "CON",
    "nul.txt",
    "a/b\\c:d*?",
    "",
    "   ",
    "Long " + "x" * 295,
    "Same title",
    "Same title",
    "SAME TITLE",
    "Closing </script> and <!-- comments --> in a title",
]


# ------------------------------------------------------------------------ parsing helpers
@dataclass
class Element:
    """A start tag seen in a page."""

    tag: str
    attrs: dict[str, str]


class Page(HTMLParser):
    """What a test needs to know of an HTML document: its elements, scripts and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.text: list[str] = []
        self.title = ""
        self._open: str | None = None
        self._data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append(Element(tag, values))
        if tag in ("script", "title", "style"):
            self._open, self._data = tag, []
            if tag == "script":
                self.scripts.append((values, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            data = "".join(self._data)
            if tag == "script":
                self.scripts[-1] = (self.scripts[-1][0], data)
            elif tag == "title":
                self.title = data
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._data.append(data)
        else:
            self.text.append(data)

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def meta(self, name: str) -> list[str]:
        return [e.attrs["content"] for e in self.all("meta") if e.attrs.get("name") == name]

    def json_ld(self) -> Any:
        [(_attrs, data)] = self.scripts
        return json.loads(data)

    @property
    def visible_text(self) -> str:
        return "".join(self.text)


def parse_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text("utf-8"))
    page.close()
    return page


# ------------------------------------------------------------------------------ the checker
def vnu_jar() -> Path:
    jar = Path(os.environ.get("VNU_JAR") or DEFAULT_VNU_JAR)
    if not jar.is_file():
        pytest.fail(
            f"the Nu HTML Checker is missing ({jar}): run `make vnu` (needs npm) or point "
            "VNU_JAR at vnu.jar"
        )
    if shutil.which("java") is None:
        pytest.fail("java is not installed: the Nu HTML Checker (vnu.jar) needs a Java runtime")
    return jar


def vnu_errors(files: list[Path]) -> list[str]:
    """Validate ``files`` in one JVM run; return the errors as ``file:line: message``."""
    proc = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--stdout"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(proc.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON report (exit {proc.returncode}): {proc.stderr[-2000:]}")
    if proc.returncode != 0 and not messages:
        pytest.fail(f"vnu failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return [
        f"{unquote(m.get('url', '?')).rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: "
        f"{m.get('type')}: {m.get('message')} [{m.get('extract', '')!r}]"
        for m in messages
    ]


# ------------------------------------------------------------------------------- the corpus
HOSTILE_RIGHTS = (
    "© 2022 Tom & Jerry's <b>Press</b>\nLicensed under https://example.com/licence?a=1&b=</script>."
)


def record(article_id: int, **fields: object) -> ArticleRecord:
    return ArticleRecord(id=article_id, uid=str(uuid.uuid4()), **fields)  # type: ignore[arg-type]


def hostile_records(start: int) -> list[ArticleRecord]:
    records = [
        record(start + n, title=title, body=f"Paragraph of article {n}.")
        for n, title in enumerate(HOSTILE_TITLES)
    ]
    n = start + len(records)
    records += [
        record(
            n,
            title=f"Injected {XSS}",
            section_path=("News", "<b>Bold</b>"),
            byline='Jane "Quotes" <Doe>',
            publisher="Tom & Jerry's",
            dateline="LONDON",
            published_on=dt.date(2022, 5, 3),
            source_url="https://example.com/a?b=1&c=</script>",
            alternate_urls=("www.example.co.uk",),
            language="en-GB",
            photo_caption="A <img src=x onerror=alert(1)> caption",
            photo_credit="AFP",
            body=f"LONDON – First {XSS} paragraph.\n\nSecond </script><script>x()</script>"
            "\nwith a soft break & an <iframe src='https://evil.example'>.",
            share_section="SHARE THIS ARTICLE\nFacebook <a href=x>",
            publisher_note="Example's website can also be accessed at the following "
            "alternate addresses:",
            rights=HOSTILE_RIGHTS,
            boilerplate="SUBSCRIBE <b>now</b> to our newsletter",
            tags=("war & peace", "</script>", "tag"),
        ),
        record(
            n + 1,
            title="中国经济增长放缓",
            section_path=("新闻", "经济"),
            byline="李明",
            publisher="新华社",
            published_on=dt.date(2023, 1, 17),
            language="zh",
            body="北京——国家统计局周二公布的数据显示，去年经济增长放缓。\n\n分析人士预计今年将会反弹。",
        ),
        record(
            n + 2,
            title="Control characters\x07 and noncharacters\ufffe",
            language="english please",
            body="NUL\x00 here, C1\x85 there, vertical\x0btab, astral \U0001fffe end, "
            "lone \ud800 surrogate.",
        ),
    ]
    return records


@dataclass
class Export:
    """One corpus exported as per-article files plus index, and as one combined file."""

    records: list[ArticleRecord]
    folder: Path
    pages: ExportResult
    combined: ExportResult

    def page_of(self, article_id: int) -> Path:
        [path] = [p for p in self.pages.files if p.name.startswith(f"{article_id}-")]
        return path

    def record_titled(self, prefix: str) -> ArticleRecord:
        [found] = [r for r in self.records if r.title.startswith(prefix)]
        return found


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Export:
    tmp = tmp_path_factory.mktemp("html-export")
    with Library(tmp / "library.sqlite3") as library:
        report = import_paths(library, [SEED_FILE, *sorted(FIXTURES.glob("*.txt"))])
        assert report.failed == []
        imported = [library.get_article(i) for i in report.imported]
    records = imported + hostile_records(start=1000)
    folder = tmp / "pages"
    pages = export_html(records, folder, title="Exported <articles> & more")
    combined = export_html(records, tmp / "all.html", single_file=True, title="All <articles>")
    return Export(records, folder, pages, combined)


# ------------------------------------------------------------------------------ the tests
def test_every_exported_document_is_valid_html5(exported: Export) -> None:
    assert len(exported.pages.files) == len(exported.records) + 1
    # Every file in one run of the checker (a JVM start is the slow part).
    errors = vnu_errors([*exported.pages.files, *exported.combined.files])
    assert errors == [], "\n".join(errors)


def test_documents_declare_doctype_charset_and_language(exported: Export) -> None:
    for path in [*exported.pages.files, *exported.combined.files]:
        text = path.read_text("utf-8")
        assert text.startswith("<!DOCTYPE html>\n"), path.name
        page = parse_page(path)
        assert page.all("meta")[0].attrs == {"charset": "utf-8"}
        [html] = page.all("html")
        assert "lang" in html.attrs
    arabic = exported.record_titled("وزير")
    [html] = parse_page(exported.page_of(arabic.id)).all("html")
    assert html.attrs == {"lang": "ar", "dir": "rtl"}
    chinese = exported.record_titled("中国")
    [html] = parse_page(exported.page_of(chinese.id)).all("html")
    assert html.attrs == {"lang": "zh", "dir": "ltr"}
    russian = exported.record_titled("Президент")
    assert parse_page(exported.page_of(russian.id)).all("html")[0].attrs["lang"] == "ru"


def test_documents_load_nothing_and_run_nothing(exported: Export) -> None:
    for path in [*exported.pages.files, *exported.combined.files]:
        page = parse_page(path)
        for element in page.elements:
            assert element.tag not in {"img", "iframe", "object", "embed", "base"}, path.name
            assert "src" not in element.attrs, path.name
            assert not any(name.startswith("on") for name in element.attrs), path.name
            if element.tag == "link":
                assert element.attrs["rel"] == "schema.DC"
            if element.tag == "a":
                assert "://" not in element.attrs["href"], path.name
        # No script but the JSON-LD data block (the index has none at all).
        expected = [] if path.name == "index.html" else [{"type": "application/ld+json"}]
        assert [attrs for attrs, _data in page.scripts] == expected, path.name
        assert len(page.all("style")) == 1  # the stylesheet is inline
        raw = path.read_text("utf-8")
        assert "@import" not in raw
        assert "url(" not in raw


def test_article_text_is_shown_escaped_and_never_runs(exported: Export) -> None:
    hostile = exported.record_titled("Injected")
    for path in [exported.page_of(hostile.id), *exported.combined.files]:
        raw = path.read_text("utf-8")
        page = parse_page(path)
        # The only script is the data block, and the markup in the article is visible text.
        assert len(page.scripts) == 1
        assert raw.count("<script") == 1
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
        assert f"First {XSS} paragraph." in page.visible_text
        assert "<iframe src='https://evil.example'>" in page.visible_text
        assert "A <img src=x onerror=alert(1)> caption" in page.visible_text
        # The rights notice ends the article, escaped; the boilerplate is not the article.
        assert "Rights: © 2022 Tom & Jerry's <b>Press</b>" in page.visible_text
        assert "&lt;b&gt;Press&lt;/b&gt;" in raw
        assert "SUBSCRIBE" not in raw


def test_json_ld_cannot_be_broken_out_of(exported: Export) -> None:
    hostile = exported.record_titled("Injected")
    raw = exported.page_of(hostile.id).read_text("utf-8")
    start = raw.index('<script type="application/ld+json">')
    block = raw[start : raw.index("</script>", start)]
    json_text = block.split(">", 1)[1]
    assert not set("<>&") & set(json_text)
    assert "\\u003c/script\\u003e" in json_text
    data = json.loads(json_text)
    assert data["headline"] == f"Injected {XSS}"
    assert data["keywords"] == ["war & peace", "</script>", "tag"]


def test_article_page_carries_dublin_core_and_schema_org_metadata(exported: Export) -> None:
    hostile = exported.record_titled("Injected")
    page = parse_page(exported.page_of(hostile.id))
    assert page.title == f"Injected {XSS}"
    assert page.meta("DC.title") == [hostile.title]
    assert page.meta("DC.creator") == ['Jane "Quotes" <Doe>']
    assert page.meta("DC.publisher") == ["Tom & Jerry's"]
    assert page.meta("DC.date") == ["2022-05-03"]
    assert page.meta("DC.identifier") == [f"urn:uuid:{hostile.uid}"]
    assert page.meta("DC.source") == ["https://example.com/a?b=1&c=</script>"]
    assert page.meta("DC.subject") == ["war & peace", "</script>", "tag"]
    assert page.meta("DC.language") == ["en-GB"]
    assert page.meta("DC.rights") == [HOSTILE_RIGHTS]
    [schema] = page.all("link")
    assert schema.attrs == {"rel": "schema.DC", "href": "http://purl.org/dc/elements/1.1/"}
    data = page.json_ld()
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": f"Injected {XSS}",
        "articleSection": "News / <b>Bold</b>",
        "author": {"@type": "Person", "name": 'Jane "Quotes" <Doe>'},
        "publisher": {"@type": "Organization", "name": "Tom & Jerry's"},
        "datePublished": "2022-05-03",
        "dateline": "LONDON",
        "identifier": f"urn:uuid:{hostile.uid}",
        "url": "https://example.com/a?b=1&c=</script>",
        "inLanguage": "en-GB",
        "keywords": ["war & peace", "</script>", "tag"],
        "image": {
            "@type": "ImageObject",
            "caption": "A <img src=x onerror=alert(1)> caption",
            "creditText": "AFP",
        },
        "copyrightNotice": HOSTILE_RIGHTS,
        "license": "https://example.com/licence?a=1&b=",  # a URL ends before "<"
        "articleBody": hostile.body,
    }


def test_seed_page_credits_the_publisher_when_there_is_no_byline(exported: Export) -> None:
    seed = exported.record_titled("Putin tells Macron")
    page = parse_page(exported.page_of(seed.id))
    assert page.meta("DC.creator") == ["Press TV"]
    assert page.meta("DC.publisher") == ["Press TV"]
    assert page.meta("DC.identifier") == [f"urn:uuid:{seed.uid}"]
    assert page.meta("DC.date") == []  # the seed sample has no date
    data = page.json_ld()
    assert isinstance(data, dict)
    assert data["author"] == {"@type": "Organization", "name": "Press TV"}
    assert data["articleSection"] == "News / Russia"
    assert data["articleBody"].startswith("Russian President Vladimir Putin has urged")
    # The page shows the whole article through the shared template.
    assert "Moscow is now pushing for complete control of the Donbass region" in page.visible_text
    assert "www.presstv.co.uk" in page.visible_text
    assert [e.attrs.get("class") for e in page.all("div")][:1] == ["article"]


def test_imported_rights_notices_reach_the_metadata(exported: Export) -> None:
    reuters = next(r for r in exported.records if r.rights.startswith("© 2022 Reuters"))
    page = parse_page(exported.page_of(reuters.id))
    assert page.meta("DC.rights") == ["© 2022 Reuters. All rights reserved."]
    data = page.json_ld()
    assert data["copyrightNotice"] == "© 2022 Reuters. All rights reserved."
    assert "license" not in data  # a copyright notice names no licence
    assert page.visible_text.rstrip().endswith("Rights: © 2022 Reuters. All rights reserved.")
    conversation = next(r for r in exported.records if "Creative Commons" in r.rights)
    data = parse_page(exported.page_of(conversation.id)).json_ld()
    assert data["copyrightNotice"] == conversation.rights
    assert data["license"] == {"@type": "CreativeWork", "name": "Creative Commons license"}
    combined = parse_page(exported.combined.files[0]).json_ld()
    notices = [item.get("copyrightNotice") for item in combined["@graph"]]
    assert conversation.rights in notices
    assert reuters.rights in notices


def test_page_content_is_the_shared_article_template(exported: Export) -> None:
    seed = exported.record_titled("Putin tells Macron")
    assert render_article_fragment(seed) in exported.page_of(seed.id).read_text("utf-8")


def test_file_names_are_safe_unique_and_inside_the_folder(exported: Export) -> None:
    names = [p.name for p in exported.pages.files]
    assert sorted(p.name for p in exported.folder.iterdir()) == sorted(names)
    assert all(p.parent == exported.folder for p in exported.pages.files)
    assert len({n.lower() for n in names}) == len(names)
    assert "index.html" in names
    reserved = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)}
    article_files = exported.pages.files[:-1]
    for path, rec in zip(article_files, exported.records, strict=True):
        name = path.name
        assert name.startswith(f"{rec.id}-"), name
        assert name.endswith(".html"), name
        assert not set(name) & set('<>:"/\\|?*'), name
        assert name.split(".")[0].lower() not in reserved
        assert len(name) <= 100
        assert name == name.strip(" .")
    assert exported.pages.main_file == exported.folder / "index.html"


def test_index_lists_every_article_with_a_working_link(exported: Export) -> None:
    index = exported.folder / "index.html"
    page = parse_page(index)
    links = [e.attrs["href"] for e in page.all("a")]
    expected = [p.name for p in exported.pages.files if p.name != "index.html"]
    assert [unquote(href) for href in links] == expected
    assert all((exported.folder / unquote(href)).is_file() for href in links)
    assert len(page.all("tr")) == len(exported.records) + 1  # the header row
    assert page.title == "Exported <articles> & more"
    text = page.visible_text
    assert "Exported <articles> & more" in text
    assert "Putin tells Macron West should stop sending arms" in text
    assert "3 May 2022" in text
    assert "(untitled)" in text
    # Each article page links back to the index.
    seed = exported.record_titled("Putin tells Macron")
    assert [e.attrs["href"] for e in parse_page(exported.page_of(seed.id)).all("a")] == [
        "index.html"
    ]


def test_combined_file_links_its_contents_to_every_article(exported: Export) -> None:
    [path] = exported.combined.files
    assert exported.combined.main_file == path
    page = parse_page(path)
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs and e.tag == "div"]
    assert len(ids) == len(exported.records) == len(set(ids))
    toc = [e.attrs["href"] for e in page.all("a") if e.attrs["href"] != "#contents"]
    assert toc == ["#" + anchor for anchor in ids]
    assert ids[0] == f"article-{exported.records[0].id}"
    text = page.visible_text
    for rec in exported.records:
        if rec.title.strip():
            assert " ".join(html_safe_text(rec.title).split()) in " ".join(text.split())
    graph = page.json_ld()
    assert isinstance(graph, dict)
    assert [item["headline"] for item in graph["@graph"]][:2] == [
        exported.records[0].title,
        exported.records[1].title,
    ]
    assert len(graph["@graph"]) == len(exported.records)


def test_forbidden_characters_are_shown_as_replacement_marks(exported: Export) -> None:
    rec = exported.record_titled("Control characters")
    page = parse_page(exported.page_of(rec.id))
    assert (
        "NUL\ufffd here, C1\ufffd there, vertical\ufffdtab, astral \ufffd end, "
        "lone \ufffd surrogate." in page.visible_text
    )
    # A language that is not a language tag is left out rather than written invalid.
    assert page.all("html")[0].attrs["lang"] == ""
    assert page.meta("DC.language") == []


# ------------------------------------------------------------ writing: refusal, cancel, ...
def _records(count: int) -> list[ArticleRecord]:
    return [record(n, title=f"Article {n}", body=f"Body {n}.") for n in range(1, count + 1)]


def test_existing_index_refuses_the_export_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportExistsError) as info:
        export_html(_records(3), tmp_path)
    assert info.value.paths == [tmp_path / "index.html"]
    assert "--force" in str(info.value)
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
    assert (tmp_path / "index.html").read_text("utf-8") == "mine"


def test_existing_article_file_refuses_unless_forced(tmp_path: Path) -> None:
    records = _records(2)
    first = export_html(records, tmp_path)
    article = first.files[1]
    article.write_text("edited", encoding="utf-8")
    with pytest.raises(ExportExistsError) as info:
        export_html(records, tmp_path)
    assert set(info.value.paths) == set(first.files)
    assert article.read_text("utf-8") == "edited"
    again = export_html(records, tmp_path, force=True)
    assert again.files == first.files
    assert "Article 2" in article.read_text("utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_single_file_refuses_an_existing_file_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "all.html"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportExistsError):
        export_html(_records(2), out, single_file=True)
    assert out.read_text("utf-8") == "keep me"
    result = export_html(_records(2), out, single_file=True, force=True)
    assert result.files == [out]
    assert "Article 2" in out.read_text("utf-8")


def test_wrong_kind_of_destination_is_an_export_error(tmp_path: Path) -> None:
    a_file = tmp_path / "file.html"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        export_html(_records(1), a_file)
    with pytest.raises(ExportError, match="is a folder"):
        export_html(_records(1), tmp_path, single_file=True)


def test_progress_reports_each_article(tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    export_html(_records(3), tmp_path / "out", progress=lambda *a: calls.append(a))
    assert calls == [(1, 3, "Article 1"), (2, 3, "Article 2"), (3, 3, "Article 3")]
    calls.clear()
    export_html(
        _records(2), tmp_path / "one.html", single_file=True, progress=lambda *a: calls.append(a)
    )
    assert calls == [(1, 2, "Article 1"), (2, 2, "Article 2")]


def test_cancel_keeps_only_whole_files_and_writes_no_index(tmp_path: Path) -> None:
    done: list[int] = []
    out = tmp_path / "out"
    result = export_html(
        _records(5),
        out,
        progress=lambda n, _total, _title: done.append(n),
        cancel=lambda: len(done) >= 2,
    )
    assert result.cancelled
    assert [p.name for p in result.files] == ["1-article-1.html", "2-article-2.html"]
    assert sorted(p.name for p in out.iterdir()) == ["1-article-1.html", "2-article-2.html"]
    assert result.main_file is None


def test_cancelled_single_file_export_writes_nothing(tmp_path: Path) -> None:
    done: list[int] = []
    out = tmp_path / "all.html"
    result = export_html(
        _records(4),
        out,
        single_file=True,
        progress=lambda n, _total, _title: done.append(n),
        cancel=lambda: len(done) >= 1,
    )
    assert result.cancelled
    assert result.files == []
    assert list(tmp_path.iterdir()) == []


def test_the_same_article_twice_gets_two_files_and_two_anchors(tmp_path: Path) -> None:
    [article] = _records(1)
    result = export_html([article, article], tmp_path / "out")
    assert [p.name for p in result.files] == [
        "1-article-1.html",
        "1-article-1-2.html",
        "index.html",
    ]
    combined = export_html([article, article], tmp_path / "all.html", single_file=True)
    page = parse_page(combined.files[0])
    assert [e.attrs["href"] for e in page.all("a")][:2] == ["#article-1", "#article-1-2"]
