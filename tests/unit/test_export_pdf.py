"""PDF export: text, fonts, metadata, PDF/A, pagination, file names, overwrite, cancel, headless."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from archive_app.core.records import ArticleRecord
from archive_app.export.common import (
    ExportError,
    ExportExistsError,
    ExportResult,
    article_file_name,
)
from archive_app.export.pdf import export_pdf
from tests.conftest import FIXTURES, SEED_FILE

ROOT = Path(__file__).parents[2]
#: Debian packages that provide the checking tools.
TOOL_PACKAGES = {
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "qpdf": "qpdf",
}
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0660-\u0669\u066e-\u06d3\u06d5]+")

HOSTILE_TITLE = "../../x <script>alert('x')</script> & co"
CHINESE_TITLE = "中国经济增长放缓"
CHINESE_BODY = (
    "北京——中国国家统计局周二公布的数据显示，经济增长有所放缓。\n\n"
    "分析人士表示，政府可能会出台更多刺激措施以稳定就业。"
)
LONG_PARAGRAPHS = 40
GIANT = 20
GIANT_SENTENCES = 80


def run_tool(name: str, *args: str | Path) -> str:
    """Run a PDF checking tool and return its standard output (fail if it is missing)."""
    if shutil.which(name) is None:
        pytest.fail(
            f"{name} is not installed: apt-get install {TOOL_PACKAGES[name]} (PDF tests need it)"
        )
    proc = subprocess.run([name, *map(str, args)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{name} {args} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def norm(text: str) -> str:
    """Return text as compared here: NFKC (presentation forms), no bidi marks, single spaces."""
    text = BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.split())


def pdf_pages(pdf: Path) -> list[str]:
    """Return the text of each page (pdftotext separates pages by form feeds)."""
    pages = run_tool("pdftotext", "-enc", "UTF-8", pdf, "-").split("\f")
    assert pages[-1].strip() == ""
    return pages[:-1]


def page_lines(page: str) -> list[str]:
    """Return the non-empty, normalised lines of a page."""
    return [norm(line) for line in page.splitlines() if line.strip()]


def flow_text(pdf: Path) -> str:
    """Return the article text of a PDF without the header and footer lines of each page."""
    return norm(" ".join(" ".join(page_lines(p)[1:-1]) for p in pdf_pages(pdf)))


def header_boxes(pdf: Path) -> list[tuple[float, float]]:
    """Return the horizontal extent of each word in the header (top 15 mm) of page 1."""
    out = run_tool("pdftotext", "-bbox", "-f", "1", "-l", "1", pdf, "-")
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"', out)
    return [(float(x0), float(x1)) for x0, y0, x1 in boxes if float(y0) < 15 / 25.4 * 72]


def pdf_info(pdf: Path) -> dict[str, str]:
    """Return pdfinfo's fields."""
    out = run_tool("pdfinfo", "-enc", "UTF-8", pdf)
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_fonts(pdf: Path) -> list[list[str]]:
    """Return pdffonts' rows (name, type..., emb, sub, uni, object, id), split on spaces."""
    rows = run_tool("pdffonts", pdf).splitlines()
    assert rows[0].split()[0] == "name"
    assert rows[1].startswith("---")
    return [row.split() for row in rows[2:]]


def assert_sound(pdf: Path) -> None:
    """Assert that qpdf finds no structural errors and every font is embedded."""
    out = run_tool("qpdf", "--check", pdf)
    assert "No syntax or stream encoding errors found" in out, out
    fonts = pdf_fonts(pdf)
    assert fonts, f"{pdf.name} has no fonts (so no text)"
    for row in fonts:
        # Columns from the right: object ID (two), uni, sub, emb.
        assert row[-5] == "yes", f"font {row[0]} of {pdf.name} is not embedded: {row}"


def arabic_words(text: str) -> list[str]:
    """Return the Arabic words of ``text`` (after NFKC, so presentation forms count)."""
    return ARABIC_WORD.findall(unicodedata.normalize("NFKC", text))


def contains_run(haystack: list[str], needle: list[str]) -> bool:
    """Return whether ``needle`` occurs as a contiguous run of ``haystack``."""
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def record(id_: int, title: str, body: str, **fields: object) -> ArticleRecord:
    """Return an article record that is not in a library (export takes plain records)."""
    return ArticleRecord(id=id_, uid="", title=title, body=body, **fields)  # type: ignore[arg-type]


def long_body() -> str:
    """Return a body that spans several pages; every sentence has a unique marker.

    One paragraph runs over pages with a soft line break after each sentence (so page breaks
    fall on them); some others have soft line breaks too.
    """
    paragraphs = []
    for p in range(1, LONG_PARAGRAPHS + 1):
        count = GIANT_SENTENCES if p == GIANT else 4
        sentences = [
            f"Sentence {p}-{s} of the long report says something about the harbour."
            for s in range(1, count + 1)
        ]
        paragraphs.append(("\n" if p % 7 == 0 or p == GIANT else " ").join(sentences))
    return "\n\n".join(paragraphs)


def long_sentences() -> list[str]:
    """Return the markers of every sentence of ``long_body``."""
    return [
        f"Sentence {p}-{s} "
        for p in range(1, LONG_PARAGRAPHS + 1)
        for s in range(1, (GIANT_SENTENCES if p == GIANT else 4) + 1)
    ]


@dataclass
class Articles:
    seed: ArticleRecord
    russian: ArticleRecord
    arabic: ArticleRecord
    chinese: ArticleRecord
    long: ArticleRecord
    hostile: ArticleRecord

    def all(self) -> list[ArticleRecord]:
        return [self.seed, self.russian, self.arabic, self.chinese, self.long, self.hostile]


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory, qapp: QApplication) -> Iterator[Articles]:
    # ``qapp`` so an in-process export uses pytest-qt's QApplication (export_pdf would make a
    # QGuiApplication, which later widget tests in the same process could not use).
    lib = Library(tmp_path_factory.mktemp("pdf-lib") / "library.sqlite3")
    report = import_paths(
        lib, [SEED_FILE, FIXTURES / "cyrillic_ru.txt", FIXTURES / "arabic_ar.txt"]
    )
    seed, russian, arabic = (lib.get_article(i) for i in report.imported)
    yield Articles(
        seed=seed,
        russian=russian,
        arabic=arabic,
        chinese=record(
            101, CHINESE_TITLE, CHINESE_BODY, section_path=("新闻", "中国"), language="zh"
        ),
        long=record(
            102, "The long harbour report", long_body(), byline="Jane Roe", publisher="Harbour News"
        ),
        hostile=record(103, HOSTILE_TITLE, "Body of <b>the</b> hostile & article."),
    )
    lib.close()


@dataclass
class Export:
    result: ExportResult
    progress: list[tuple[int, int, str]]


@pytest.fixture(scope="module")
def per_article(tmp_path_factory: pytest.TempPathFactory, articles: Articles) -> Export:
    calls: list[tuple[int, int, str]] = []
    out = tmp_path_factory.mktemp("per-article") / "pdfs"
    result = export_pdf(articles.all(), out, progress=lambda *a: calls.append(a))
    return Export(result, calls)


@pytest.fixture(scope="module")
def combined(tmp_path_factory: pytest.TempPathFactory, articles: Articles) -> Export:
    calls: list[tuple[int, int, str]] = []
    out = tmp_path_factory.mktemp("combined") / "bundle.pdf"
    records = [articles.seed, articles.russian, articles.long, articles.chinese]
    result = export_pdf(
        records,
        out,
        single_file=True,
        pdfa=True,
        page_size="Letter",
        title="My bundle",
        progress=lambda *a: calls.append(a),
    )
    return Export(result, calls)


def file_of(export: Export, article: ArticleRecord) -> Path:
    [path] = [p for p in export.result.files if p.name.startswith(f"{article.id}-")]
    return path


# --- one PDF per article --------------------------------------------------------------------


def test_per_article_file_names_and_progress(per_article: Export, articles: Articles) -> None:
    result = per_article.result
    assert not result.cancelled
    names = [p.name for p in result.files]
    assert (
        names[0]
        == f"{articles.seed.id}-putin-tells-macron-west-should-stop-sending-arms-to-ukraine.pdf"
    )
    assert names[3] == f"{articles.chinese.id}-{CHINESE_TITLE}.pdf"
    hostile = result.files[5]
    assert hostile.name == "103-x-script-alert-x-script-co.pdf"
    assert hostile.parent == result.files[0].parent
    assert sorted(p.name for p in hostile.parent.iterdir()) == sorted(names)  # no leftovers
    assert [(d, t) for d, t, _ in per_article.progress] == [(n, 6) for n in range(1, 7)]
    assert per_article.progress[0][2] == articles.seed.title


def test_every_file_is_sound_with_embedded_fonts(per_article: Export) -> None:
    for pdf in per_article.result.files:
        assert_sound(pdf)


def test_seed_text_is_all_there(per_article: Export, articles: Articles) -> None:
    seed = articles.seed
    assert seed.photo_caption
    assert seed.photo_credit
    assert seed.share_section
    text = flow_text(file_of(per_article, seed))
    assert norm(seed.title) in text
    assert norm(seed.photo_caption) in text
    assert f"(Photo: {seed.photo_credit})" in text
    assert len(seed.paragraphs) > 10
    for paragraph in seed.paragraphs:
        assert norm(paragraph) in text
    for line in seed.share_section.splitlines():
        assert norm(line) in text
    assert norm(seed.publisher_note) in text


def test_metadata(per_article: Export, articles: Articles) -> None:
    seed = pdf_info(file_of(per_article, articles.seed))
    assert seed["Title"] == articles.seed.title
    assert seed["Author"] == "Press TV"  # no byline: the publisher
    assert seed["Creator"] == "Article Archive"
    assert seed["Page size"].endswith("(A4)")
    long = pdf_info(file_of(per_article, articles.long))
    assert long["Author"] == "Jane Roe"  # the byline first
    assert pdf_info(file_of(per_article, articles.russian))["Title"] == articles.russian.title


def test_long_article_pages_have_header_and_footer(per_article: Export, articles: Articles) -> None:
    pdf = file_of(per_article, articles.long)
    pages = pdf_pages(pdf)
    total = len(pages)
    assert total >= 3
    assert pdf_info(pdf)["Pages"] == str(total)
    for n, page in enumerate(pages, start=1):
        lines = page_lines(page)
        assert lines[0] == articles.long.title
        assert lines[-1] == f"Page {n} of {total}"
    # Paginated by slices: every line once, none lost or repeated at a page break.
    text = flow_text(pdf)
    for marker in long_sentences():
        assert text.count(marker) == 1, marker
    for paragraph in articles.long.paragraphs:
        assert norm(paragraph) in text


def test_single_page_footer(per_article: Export, articles: Articles) -> None:
    [page] = pdf_pages(file_of(per_article, articles.russian))
    assert page_lines(page)[-1] == "Page 1 of 1"


def test_cyrillic_text(per_article: Export, articles: Articles) -> None:
    ru = articles.russian
    text = flow_text(file_of(per_article, ru))
    assert norm(ru.title) in text
    for paragraph in ru.paragraphs:
        assert norm(paragraph) in text
    assert "Президент России" in text


def test_arabic_text_is_shaped_glyphs_with_unicode(per_article: Export, articles: Articles) -> None:
    ar = articles.arabic
    pdf = file_of(per_article, ar)
    raw = run_tool("pdftotext", "-enc", "UTF-8", pdf, "-")
    words = arabic_words(raw)
    # Boxes or missing glyphs extract as nothing (or not as these letters): every Arabic word
    # of the headline and of each paragraph must come out, in order (or reversed, if a
    # pdftotext version gives visual order).
    for expected in [ar.title, *ar.paragraphs]:
        needle = arabic_words(expected)
        assert len(needle) >= 5
        assert contains_run(words, needle) or contains_run(words, needle[::-1]), expected
    # The shaped text uses contextual forms (what a real Arabic font gives), not isolated
    # letters only.
    assert any("\ufe70" <= ch <= "\ufefc" for ch in raw)
    # The header is the title, the footer the page number.
    lines = page_lines(pdf_pages(pdf)[0])
    assert arabic_words(lines[0]) == arabic_words(ar.title)
    assert lines[-1] == "Page 1 of 1"
    # A right-to-left header starts at the right margin (20 mm from the edge of 595 pt).
    header = header_boxes(pdf)
    assert min(x0 for x0, _ in header) > 595 / 2
    assert max(x1 for _, x1 in header) == pytest.approx(595 - 20 / 25.4 * 72, abs=1)
    assert min(x0 for x0, _ in header_boxes(file_of(per_article, articles.russian))) == (
        pytest.approx(20 / 25.4 * 72, abs=1)
    )


def test_chinese_text(per_article: Export, articles: Articles) -> None:
    pdf = file_of(per_article, articles.chinese)
    text = "".join(run_tool("pdftotext", "-enc", "UTF-8", pdf, "-").split())
    assert CHINESE_TITLE in text
    for paragraph in CHINESE_BODY.split("\n\n"):
        assert paragraph in text
    assert "新闻/中国" in text
    assert pdf_info(pdf)["Title"] == CHINESE_TITLE


def test_hostile_title_is_literal_text(per_article: Export, articles: Articles) -> None:
    pdf = file_of(per_article, articles.hostile)
    assert ".." not in pdf.name
    assert "/" not in pdf.name
    [page] = pdf_pages(pdf)
    lines = page_lines(page)
    assert lines[0] == HOSTILE_TITLE  # the header
    text = flow_text(pdf)
    assert HOSTILE_TITLE in text  # the headline: escaped in the HTML, literal in the PDF
    assert "Body of <b>the</b> hostile & article." in text
    assert pdf_info(pdf)["Title"] == HOSTILE_TITLE


# --- one combined PDF/A -------------------------------------------------------------------


def test_combined_pages_titles_and_footers(combined: Export, articles: Articles) -> None:
    [pdf] = combined.result.files
    assert combined.result.main_file == pdf
    order = [articles.seed, articles.russian, articles.long, articles.chinese]
    pages = pdf_pages(pdf)
    total = len(pages)
    headers = []
    for n, page in enumerate(pages, start=1):
        lines = page_lines(page)
        headers.append(lines[0])
        assert lines[-1] == f"Page {n} of {total}"
    titles = [norm(a.title) for a in order]
    # Each article has a run of pages, in order, and its header names it on each of them.
    runs = [h for i, h in enumerate(headers) if i == 0 or headers[i - 1] != h]
    assert runs == titles
    assert headers.count(titles[2]) >= 3  # the long one spans pages
    for article in order:
        first = headers.index(norm(article.title))
        start = norm(" ".join(page_lines(pages[first])[1:]))
        # The article begins at the top of a new page: its breadcrumb or headline first ...
        assert start.startswith(norm(" / ".join(article.section_path)).upper()) or start.startswith(
            norm(article.title)
        ), start[:80]
        assert norm(article.title) in start
        # ... and nothing of it is on the page before.
        if first:
            assert norm(article.title) not in norm(pages[first - 1])
    assert [(d, t) for d, t, _ in combined.progress] == [(n, 4) for n in range(1, 5)]


def test_combined_is_pdfa_and_sound(combined: Export) -> None:
    [pdf] = combined.result.files
    assert_sound(pdf)
    info = pdf_info(pdf)
    assert info["Title"] == "My bundle"
    assert info["Author"] == "Press TV; Jane Roe"
    assert info["Creator"] == "Article Archive"
    assert info["Page size"].endswith("(letter)")
    assert info["PDF version"] == "1.4"  # PDF/A-1 is based on PDF 1.4
    data = pdf.read_bytes()
    assert b'pdfaid:part="1"' in data or b"<pdfaid:part>1</pdfaid:part>" in data
    assert b'pdfaid:conformance="B"' in data or b"<pdfaid:conformance>B" in data
    assert b"/OutputIntents" in data
    assert b"/GTS_PDFA1" in data
    assert b"/DestOutputProfile" in data


def test_plain_export_is_not_pdfa(per_article: Export) -> None:
    data = per_article.result.files[0].read_bytes()
    assert b"pdfaid:part" not in data
    assert b"/OutputIntents" not in data


# --- refusing, cancelling, errors (small exports) ----------------------------------------


def test_refuses_to_overwrite_and_writes_nothing(tmp_path: Path, articles: Articles) -> None:
    records = [articles.russian, articles.hostile]
    out = tmp_path / "out"
    out.mkdir()
    existing = out / f"{articles.hostile.id}-x-script-alert-x-script-co.pdf"
    existing.write_bytes(b"mine")
    with pytest.raises(ExportExistsError) as info:
        export_pdf(records, out)
    assert info.value.paths == [existing]
    assert "--force" in str(info.value)
    assert sorted(out.iterdir()) == [existing]  # the first article was not written either
    assert existing.read_bytes() == b"mine"

    single = tmp_path / "one.pdf"
    single.write_bytes(b"mine too")
    with pytest.raises(ExportExistsError):
        export_pdf(records, single, single_file=True)
    assert single.read_bytes() == b"mine too"

    result = export_pdf(records, out, force=True)
    assert len(result.files) == 2
    assert existing.read_bytes().startswith(b"%PDF-")


def test_cancel_keeps_whole_files_only(tmp_path: Path, articles: Articles) -> None:
    records = [articles.russian, articles.hostile, articles.chinese]
    done: list[int] = []
    result = export_pdf(
        records,
        tmp_path / "out",
        progress=lambda d, _t, _s: done.append(d),
        cancel=lambda: len(done) >= 1,
    )
    assert result.cancelled
    assert [p.name for p in result.files] == [article_file_name(articles.russian, ".pdf")]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [result.files[0].name]
    assert_sound(result.files[0])

    single = tmp_path / "combined.pdf"
    result = export_pdf(records, single, single_file=True, cancel=lambda: True)
    assert result.cancelled
    assert result.files == []
    assert not single.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary files


def test_bad_arguments(tmp_path: Path, articles: Articles) -> None:
    with pytest.raises(ExportError, match="nothing to export"):
        export_pdf([], tmp_path / "x")
    with pytest.raises(ExportError, match="page size"):
        export_pdf([articles.russian], tmp_path / "x", page_size="A3")
    with pytest.raises(ExportError, match="is a folder"):
        export_pdf([articles.russian], tmp_path, single_file=True)
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(ExportError, match="is a file"):
        export_pdf([articles.russian], a_file)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_exports_from_a_worker_thread(tmp_path: Path, articles: Articles) -> None:
    # The window exports in a QThreadPool task while the application runs the main thread.
    results: list[ExportResult | BaseException] = []

    def work() -> None:
        try:
            results.append(export_pdf([articles.chinese], tmp_path / "t.pdf", single_file=True))
        except BaseException as exc:
            results.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    [result] = results
    assert isinstance(result, ExportResult), result
    assert CHINESE_TITLE in run_tool("pdftotext", "-enc", "UTF-8", tmp_path / "t.pdf", "-")
    assert_sound(tmp_path / "t.pdf")


# --- headless, from a command line --------------------------------------------------------


def test_headless_without_display_or_platform(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    out = tmp_path / "cli.pdf"
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from archive_app.core.records import ArticleRecord\n"
        "from archive_app.export.pdf import export_pdf\n"
        "r = ArticleRecord(id=1, title=sys.argv[2], body='Works without a display.')\n"
        "result = export_pdf([r], Path(sys.argv[1]), single_file=True)\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "print(QGuiApplication.platformName(), type(QGuiApplication.instance()).__name__)\n"
        "assert 'PySide6.QtWidgets' not in sys.modules\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(out), "Headless Привет مرحبا 你好"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["offscreen", "QGuiApplication"]
    text = norm(run_tool("pdftotext", "-enc", "UTF-8", out, "-"))
    assert "Headless Привет" in text
    assert text.count("你好") == 2  # header and headline
    assert arabic_words(text).count("مرحبا") == 2  # header and headline
    assert "Works without a display." in text
    assert_sound(out)


def test_refuses_when_no_fonts_are_installed(tmp_path: Path) -> None:
    # Qt would write a PDF without text (DESIGN.md, known pitfalls): an error says what to do.
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from archive_app.core.records import ArticleRecord\n"
        "from archive_app.export.common import ExportError\n"
        "from archive_app.export.pdf import export_pdf\n"
        "try:\n"
        "    export_pdf([ArticleRecord(id=1, title='t')], Path(sys.argv[1]), single_file=True)\n"
        "except ExportError as exc:\n"
        "    print(exc)\n"
    )
    out = tmp_path / "none.pdf"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "FONTCONFIG_FILE": str(conf)},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "no fonts found" in proc.stdout
    assert "fonts-dejavu-core" in proc.stdout
    assert not out.exists()


# --- long paragraphs: complete, and laid out in time linear in their length -----------------


def long_word(length: int) -> str:
    """Return one word of ``length`` letters (nowhere to wrap but anywhere)."""
    return ("abcdefghijklmnopqrstuvwxyzäöüßéèçñ" * (length // 34 + 1))[:length]


def long_paragraph(length: int) -> str:
    """Return one paragraph of ``length`` characters of ordinary words."""
    words = ("harbour", "report", "tide", "vessel", "crane", "the", "of", "and")
    text = " ".join(words[(i * 5 + i // 3) % len(words)] for i in range(length // 4))
    return text[:length].strip()


def test_a_20000_character_word_wraps_and_exports_completely(
    tmp_path: Path, qapp: QApplication
) -> None:
    word = long_word(20_000)
    out = tmp_path / "word.pdf"
    export_pdf([record(201, "One long word", word)], out, single_file=True)
    pages = pdf_pages(out)
    assert len(pages) >= 5
    text = ""
    for n, page in enumerate(pages, start=1):
        lines = page_lines(page)
        assert lines[0] == "One long word"
        assert lines[-1] == f"Page {n} of {len(pages)}"
        body = lines[1:-1]
        if n == 1:
            assert body[0] == "One long word"  # the headline
            body = body[1:]
        assert len(body) > 20  # wrapped into many lines
        text += "".join(body)
    # Every character once and in order: none lost or repeated at a page break.
    assert unicodedata.normalize("NFC", text.replace(" ", "")) == word
    assert_sound(out)


def test_a_long_paragraph_of_words_exports_completely(tmp_path: Path, qapp: QApplication) -> None:
    paragraph = long_paragraph(20_000)
    out = tmp_path / "paragraph.pdf"
    export_pdf([record(202, "One long paragraph", paragraph)], out, single_file=True)
    assert len(pdf_pages(out)) >= 5
    assert flow_text(out) == "One long paragraph " + norm(paragraph)


@dataclass
class LayoutWork:
    characters: int = 0  # laid out by passes over a whole document (or a scratch window)
    passes: int = 0  # passes over the article's document
    edits: int = 0  # edits of it (Qt lays out again from an edit to the end)
    longest_block: int = 0  # characters of the longest paragraph laid out in one piece


def layout_work(monkeypatch: pytest.MonkeyPatch, body: str) -> LayoutWork:
    """Render one article and count the layout work done for it."""
    import archive_app.export.pdf as pdf_module

    work = LayoutWork()
    lay_out, split_at = pdf_module._lay_out, pdf_module._split_at

    def counting_lay_out(doc: QTextDocument) -> int:
        work.characters += doc.characterCount()
        if doc.pageSize().height() > 0:  # the article, not a scratch window
            work.passes += 1
        block = doc.begin()
        while block.isValid():
            work.longest_block = max(work.longest_block, block.length())
            block = block.next()
        return lay_out(doc)

    def counting_split_at(doc: QTextDocument, positions: list[int]) -> None:
        if positions:
            work.edits += 1
            work.characters += doc.characterCount()  # the relayout it causes
        split_at(doc, positions)

    monkeypatch.setattr(pdf_module, "_lay_out", counting_lay_out)
    monkeypatch.setattr(pdf_module, "_split_at", counting_split_at)
    article = record(203, "Work", body)
    assert pdf_module._render([article], page_size="A4", pdfa=False, title="Work") is not None
    monkeypatch.undo()
    return work


@pytest.mark.parametrize("make", [long_word, long_paragraph], ids=["word", "paragraph"])
def test_layout_work_grows_linearly_with_paragraph_length(
    monkeypatch: pytest.MonkeyPatch, qapp: QApplication, make: Callable[[int], str]
) -> None:
    from archive_app.export.pdf import CHUNK_CHARS

    sizes = (12_000, 24_000, 48_000)
    works = [layout_work(monkeypatch, make(size)) for size in sizes]
    for work in works:
        # A fixed number of passes over the document, whatever its length (the old splitting
        # laid the rest of the paragraph out again for every page).
        assert work.passes <= 3, work
        assert work.edits <= 3, work
        # Qt's own layout of one paragraph is quadratic in a long word's length: none is long.
        assert work.longest_block <= 2 * CHUNK_CHARS + 1, work
    per_character = [work.characters / size for work, size in zip(works, sizes, strict=True)]
    assert max(per_character) <= 1.25 * min(per_character), per_character
