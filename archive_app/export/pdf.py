"""PDF export: the preview HTML laid out by QTextDocument and painted page by page to PDF."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QUuid,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextOption,
)

from archive_app.core.records import ArticleRecord
from archive_app.export.common import (
    CancelCheck,
    ExportError,
    ExportResult,
    ProgressCallback,
    article_file_name,
    atomic_write_bytes,
    check_targets,
    prepare_folder,
    unique_names,
)
from archive_app.render.article import is_rtl, render_preview

CREATOR = "Article Archive"
PAGE_SIZES: dict[str, QPageSize.PageSizeId] = {
    "A4": QPageSize.PageSizeId.A4,
    "Letter": QPageSize.PageSizeId.Letter,
}
#: Device units per inch of the PDF coordinate system (vector output: only a precision).
RESOLUTION = 1200
#: Page margins around the article text, in millimetres (header and footer sit inside them).
MARGIN_SIDE_MM = 20.0
MARGIN_TOP_MM = 22.0
MARGIN_BOTTOM_MM = 22.0
#: Distance of the header's and the footer's text from the page edge, in millimetres.
HEADER_MM = 10.0
FOOTER_MM = 10.0
#: Device units a page's slice is narrowed by when choosing the lines to paint on it.
SLICE_EPSILON = 1.0
LINE_SEPARATOR = "\u2028"
#: Paragraphs longer than twice this are cut, before the first layout, into pieces of about
#: this many characters at line starts (Qt lays a long word out in time quadratic in its
#: length: each line scans the rest of the word for a break opportunity).
CHUNK_CHARS = 4000
#: Rounds of splitting paragraphs at page breaks (each one layout; the second finds nothing).
MAX_SPLIT_ROUNDS = 10
#: How many laid-out articles a combined export keeps between counting and painting pages.
KEEP_LAID_OUT = 200
#: Families tried in order for text the stylesheet does not place (and the header and footer).
#: The CJK ones come from Debian's ``fonts-wqy-microhei`` (or the system elsewhere); fontconfig
#: falls back to them for scripts the first ones lack.
SANS_FAMILIES = [
    "DejaVu Sans",
    "Noto Sans",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "sans-serif",
]
SERIF_FAMILIES = [
    "DejaVu Serif",
    "Noto Serif",
    "DejaVu Sans",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "serif",
]

_app: QGuiApplication | None = None


def ensure_gui_application() -> QGuiApplication:
    """Return the running ``QGuiApplication``, creating one if there is none.

    Fonts (and so text in PDFs) need a GUI application. From a command line without a display
    the ``offscreen`` platform is used, unless ``QT_QPA_PLATFORM`` says otherwise.

    Raises:
        ExportError: A non-GUI ``QCoreApplication`` runs, or there is no application and this
            is not the main thread (one must be created there first).
    """
    global _app
    instance = QGuiApplication.instance()
    if isinstance(instance, QGuiApplication):
        return instance
    if instance is not None:
        raise ExportError("PDF export needs a QGuiApplication, but a QCoreApplication is running")
    if threading.current_thread() is not threading.main_thread():
        raise ExportError("PDF export needs a QGuiApplication; create one in the main thread")
    argv = ["article-archive"]
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        argv += ["-platform", "offscreen"]
    _app = QGuiApplication(argv)
    return _app


def check_fonts() -> None:
    """Refuse to export when Qt finds no fonts (it would silently write PDFs without text).

    Raises:
        ExportError: No font is installed.
    """
    font = QFont()
    font.setFamilies(SERIF_FAMILIES)
    if not QFontInfo(font).family():  # fontconfig's aliases are all there is
        raise ExportError(
            "no fonts found, so the PDF would have no text; install some "
            "(on Debian or Ubuntu: apt-get install fonts-dejavu-core fonts-wqy-microhei)"
        )


def author_of(record: ArticleRecord) -> str:
    """Return the PDF author of an article: its byline, else its publisher."""
    return record.byline.strip() or record.publisher.strip()


def combined_author(records: Sequence[ArticleRecord]) -> str:
    """Return the authors of several articles (up to three distinct ones), else ``""``."""
    authors = list(dict.fromkeys(a for a in map(author_of, records) if a))
    return "; ".join(authors) if len(authors) <= 3 else ""


def document_id(records: Sequence[ArticleRecord]) -> QUuid:
    """Return a PDF document id that is the same each time the same articles are exported.

    One article keeps its ``uid``; several get a name-based UUID of their uids.
    """
    uids = [r.uid or f"id:{r.id}" for r in records]
    if len(uids) == 1:
        try:
            return QUuid(str(uuid.UUID(uids[0])))
        except ValueError:
            pass
    return QUuid(str(uuid.uuid5(uuid.NAMESPACE_URL, "article-archive:" + "|".join(uids))))


@dataclass
class _Geometry:
    """The page and its regions in device units (``RESOLUTION`` per inch)."""

    page: QRectF
    body: QRectF
    header_y: float
    footer_y: float

    @classmethod
    def for_writer(cls, writer: QPdfWriter) -> _Geometry:
        """Measure the full page of ``writer`` (whose own margins are zero)."""
        size = writer.pageLayout().fullRectPixels(writer.resolution()).size()
        per_mm = writer.resolution() / 25.4
        page = QRectF(0, 0, size.width(), size.height())
        body = page.adjusted(
            MARGIN_SIDE_MM * per_mm,
            MARGIN_TOP_MM * per_mm,
            -MARGIN_SIDE_MM * per_mm,
            -MARGIN_BOTTOM_MM * per_mm,
        )
        return cls(page, body, HEADER_MM * per_mm, page.height() - FOOTER_MM * per_mm)


def _make_writer(
    buffer: QBuffer, records: Sequence[ArticleRecord], *, page_size: str, pdfa: bool, title: str
) -> QPdfWriter:
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    layout = QPageLayout(
        QPageSize(PAGE_SIZES[page_size]),
        QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )
    writer.setPageLayout(layout)
    if pdfa:
        writer.setPdfVersion(QPagedPaintDevice.PdfVersion.PdfVersion_A1b)
    writer.setTitle(title)
    writer.setAuthor(author_of(records[0]) if len(records) == 1 else combined_author(records))
    writer.setCreator(CREATOR)
    if hasattr(writer, "setDocumentId"):  # Qt 6.8+
        writer.setDocumentId(document_id(records))
    return writer


def _layout_article(
    record: ArticleRecord, writer: QPdfWriter, geometry: _Geometry
) -> QTextDocument:
    """Lay the article's preview HTML out in pages of the body's size on ``writer``."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    font = QFont()
    font.setFamilies(SERIF_FAMILIES)
    font.setPointSizeF(11)
    tag = getattr(QFont, "Tag", None)  # Qt 6.7+
    if tag is not None:
        # Without "fi"/"fl" ligatures, copied and extracted text reads "file", not "ﬁle".
        font.setFeature(tag("liga"), 0)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setUndoRedoEnabled(False)
    doc.setHtml(render_preview(record))  # no page size yet: nothing is laid out
    _cut_long_paragraphs(doc, geometry.body.width())
    doc.setPageSize(QSizeF(geometry.body.width(), geometry.body.height()))
    _split_blocks_at_page_breaks(doc, geometry.body.height())
    return doc


def _lay_out(doc: QTextDocument) -> int:
    """Lay the whole document out (layout is lazy) and return its page count."""
    return doc.pageCount()


def _page_of(y: float, page_height: float) -> int:
    return int((y + SLICE_EPSILON) // page_height)


def _split_at(doc: QTextDocument, positions: list[int]) -> None:
    """Make the paragraphs holding ``positions`` (line starts) several, split there.

    The pieces keep the paragraph's format and direction, without spacing or a first-line
    indent between them, so the page looks the same. All splits are one edit: Qt lays out
    again from an edit to the end of the document, so one edit per split would be quadratic.
    """
    if not positions:
        return
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    for position in sorted(set(positions), reverse=True):  # earlier positions stay valid
        cursor.setPosition(position)
        direction = cursor.block().textDirection()  # of the whole paragraph, not of a piece
        if doc.characterAt(position - 1) == LINE_SEPARATOR:  # a <br> ended the line
            cursor.deletePreviousChar()
        cursor.insertBlock()
        second = cursor.blockFormat()
        second.setTopMargin(0)
        second.setTextIndent(0)
        second.setLayoutDirection(direction)
        cursor.setBlockFormat(second)
        cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
        first = cursor.blockFormat()
        first.setBottomMargin(0)
        first.setLayoutDirection(direction)
        cursor.setBlockFormat(first)
    cursor.endEditBlock()


def _cut_long_paragraphs(doc: QTextDocument, width: float) -> None:
    """Cut paragraphs longer than ``2 * CHUNK_CHARS`` into pieces at line starts.

    Where the lines of a long paragraph start is found a window of ``CHUNK_CHARS`` at a time
    in a scratch document of the same width and formats: the window is laid out from a line
    start, and the next window starts at its second-to-last line (the last may be cut short
    by the window, the one before it is as in the whole paragraph). So the work is linear in
    the paragraph's length, and the pieces are laid out as the paragraph would be.
    """
    root = doc.rootFrame()
    cuts: list[int] = []
    block = doc.begin()
    while block.isValid():
        if block.length() > 2 * CHUNK_CHARS and block.textList() is None:
            where = QTextCursor(block)
            if where.currentFrame() == root and where.currentTable() is None:
                cuts.extend(_line_starts(doc, block, width))
        block = block.next()
    _split_at(doc, cuts)


def _line_starts(doc: QTextDocument, block: QTextBlock, width: float) -> list[int]:
    """Return positions about ``CHUNK_CHARS`` apart where lines of ``block`` start."""
    scratch = QTextDocument()
    scratch.documentLayout().setPaintDevice(doc.documentLayout().paintDevice())
    scratch.setDefaultFont(doc.defaultFont())
    scratch.setDefaultTextOption(doc.defaultTextOption())
    scratch.setDocumentMargin(0)
    scratch.setUndoRedoEnabled(False)
    scratch.setTextWidth(width)  # no pages: line breaks do not depend on them
    block_format = block.blockFormat()
    block_format.setLayoutDirection(block.textDirection())
    starts: list[int] = []
    start = block.position()
    end = block.position() + block.length() - 1
    window = QTextCursor(doc)
    while end - start > 2 * CHUNK_CHARS:
        window.setPosition(start)
        window.setPosition(start + CHUNK_CHARS, QTextCursor.MoveMode.KeepAnchor)
        scratch.clear()
        cursor = QTextCursor(scratch)
        cursor.setBlockFormat(block_format)
        cursor.setBlockCharFormat(block.charFormat())
        cursor.insertFragment(window.selection())
        _lay_out(scratch)
        lines = scratch.begin().layout()
        if lines.lineCount() < 3:
            break
        offset = lines.lineAt(lines.lineCount() - 2).textStart()
        if offset <= 0:
            break
        start += offset
        starts.append(start)
        block_format.setTextIndent(0)  # the pieces after the first have no first-line indent
    return starts


def _split_blocks_at_page_breaks(doc: QTextDocument, page_height: float) -> None:
    """Make every paragraph that runs over page breaks several, split at the breaks.

    ``QTextLayout::draw`` also draws the line just above its clip rectangle, so a paragraph
    running over a page break would put its last line of the previous page, clipped and
    invisible but still text, in the top margin of the next one (and copying or extracting
    the text would show it twice). Paragraphs that start on a page do not have that line.
    Every break found in one layout is split in one edit; the pieces sit where the lines were,
    so the next layout normally finds nothing more to split.
    """
    layout = doc.documentLayout()
    for _ in range(MAX_SPLIT_ROUNDS):
        _lay_out(doc)
        splits: list[int] = []
        block = doc.begin()
        while block.isValid():
            lines = block.layout()
            if lines.lineCount() > 1 and block.textList() is None:
                top = layout.blockBoundingRect(block).top()
                page = _page_of(top + lines.lineAt(0).y(), page_height)
                for i in range(1, lines.lineCount()):
                    line = lines.lineAt(i)
                    line_page = _page_of(top + line.y(), page_height)
                    if line_page != page:
                        splits.append(block.position() + line.textStart())
                        page = line_page
            block = block.next()
        if not splits:
            return
        _split_at(doc, splits)


class _Painter:
    """Paints laid-out articles page by page, with the header and the footer."""

    def __init__(self, writer: QPdfWriter, geometry: _Geometry, total_pages: int) -> None:
        self.writer = writer
        self.geometry = geometry
        self.total_pages = total_pages
        self.page_number = 0
        self.painter = QPainter()
        if not self.painter.begin(writer):
            raise ExportError("cannot start the PDF (Qt refused to paint into it)")
        self.small = QFont()
        self.small.setFamilies(SANS_FAMILIES)
        self.small.setPointSizeF(8)
        self.metrics = QFontMetricsF(self.small, writer)

    def article(self, record: ArticleRecord, doc: QTextDocument) -> None:
        """Paint every page of ``doc`` (starting on a new page)."""
        body = self.geometry.body
        height = body.height()
        rtl = is_rtl(record)
        for index in range(doc.pageCount()):
            if self.page_number:
                self.writer.newPage()
            self.page_number += 1
            p = self.painter
            p.save()
            p.translate(body.left(), body.top() - index * height)
            slice_rect = QRectF(0, index * height, body.width(), height)
            p.setClipRect(slice_rect)
            # Lines and paragraphs touch the page breaks (give or take layout rounding):
            # narrow the slice a hair so those of the next or previous page are not also
            # painted (clipped, but still text) on this one.
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = slice_rect.adjusted(0, SLICE_EPSILON, 0, -SLICE_EPSILON)
            doc.documentLayout().draw(p, context)
            p.restore()
            self._decorate(record.title or "(untitled)", rtl=rtl)

    def _decorate(self, title: str, *, rtl: bool) -> None:
        p = self.painter
        g = self.geometry
        p.save()
        p.setFont(self.small)
        p.setPen(QPen(QColor("#555555")))
        ascent = self.metrics.ascent()
        line_height = self.metrics.height()
        header = QRectF(g.body.left(), g.header_y - ascent, g.body.width(), line_height)
        # Leading edge: the right for a right-to-left title.
        option = QTextOption(Qt.AlignmentFlag.AlignLeading)
        option.setTextDirection(
            Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        )
        option.setWrapMode(QTextOption.WrapMode.NoWrap)
        shown = self.metrics.elidedText(
            " ".join(title.split()), Qt.TextElideMode.ElideRight, g.body.width()
        )
        p.drawText(header, shown, option)
        rule_y = header.bottom() + line_height * 0.25
        p.setPen(QPen(QColor("#bbbbbb"), self.writer.resolution() / 144))
        p.drawLine(QPointF(g.body.left(), rule_y), QPointF(g.body.right(), rule_y))
        p.setPen(QPen(QColor("#555555")))
        footer = QRectF(g.body.left(), g.footer_y - ascent, g.body.width(), line_height)
        p.drawText(
            footer,
            f"Page {self.page_number} of {self.total_pages}",
            QTextOption(Qt.AlignmentFlag.AlignHCenter),
        )
        p.restore()

    def finish(self) -> None:
        """End painting (the PDF is complete in its device afterwards)."""
        self.painter.end()


def _render(
    records: Sequence[ArticleRecord],
    *,
    page_size: str,
    pdfa: bool,
    title: str,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> bytes | None:
    """Return the PDF of ``records`` as bytes, or ``None`` if cancelled.

    The page count of every article is needed before the first page is painted (``Page n of
    N``), so articles are laid out first; up to ``KEEP_LAID_OUT`` of them are kept for
    painting, the rest are laid out again (a combined export of a whole library stays small).
    """
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _make_writer(buffer, records, page_size=page_size, pdfa=pdfa, title=title)
    geometry = _Geometry.for_writer(writer)
    kept: list[QTextDocument] = []
    total_pages = 0
    for record in records:
        if cancel is not None and cancel():
            return None
        doc = _layout_article(record, writer, geometry)
        total_pages += doc.pageCount()
        if len(kept) < KEEP_LAID_OUT:
            kept.append(doc)
    painter = _Painter(writer, geometry, total_pages)
    try:
        for n, record in enumerate(records):
            if n and cancel is not None and cancel():
                return None
            doc = kept[n] if n < len(kept) else _layout_article(record, writer, geometry)
            painter.article(record, doc)
            if progress is not None:
                progress(n + 1, len(records), record.title)
    finally:
        painter.finish()
        buffer.close()
    return bytes(data.data())


def export_pdf(
    records: Sequence[ArticleRecord],
    out: Path,
    *,
    single_file: bool = False,
    force: bool = False,
    pdfa: bool = False,
    page_size: str = "A4",
    title: str = "Exported articles",
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Export articles as PDF: one file per article in folder ``out``, or one combined file.

    Every page has a header with the article's title and a footer with ``Page n of N``
    (counted within the file); in a combined file each article starts on a new page.

    Args:
        records: The articles, in order.
        out: The destination folder (created), or the PDF file if ``single_file``.
        single_file: Write one combined PDF at ``out``.
        force: Overwrite existing files.
        pdfa: Write PDF/A-1b (XMP metadata, sRGB output intent, embedded fonts).
        page_size: ``"A4"`` or ``"Letter"``.
        title: The document title of a combined file of several articles.
        progress: Called as ``progress(done, total, title)`` after each article.
        cancel: Polled between articles; when it returns true the export stops, keeping only
            whole files (a combined file is then not written).

    Returns:
        The files written, and whether the export was cancelled.

    Raises:
        ExportError: Nothing to export, an unknown page size, the destination is unusable,
            or (``ExportExistsError``) files exist and ``force`` is not set. Nothing is
            written then.
    """
    if not records:
        raise ExportError("nothing to export: no articles selected")
    if page_size not in PAGE_SIZES:
        raise ExportError(f"unknown page size {page_size!r}; use one of {', '.join(PAGE_SIZES)}")
    result = ExportResult()
    total = len(records)
    if single_file:
        if out.is_dir():
            raise ExportError(f"{out} is a folder; give a file name for a single-file export")
        check_targets([out], force=force)
        ensure_gui_application()
        check_fonts()
        data = _render(
            records,
            page_size=page_size,
            pdfa=pdfa,
            title=records[0].title if total == 1 else title,
            progress=progress,
            cancel=cancel,
        )
        if data is None:
            result.cancelled = True
            return result
        atomic_write_bytes(out, data)
        result.files.append(out)
        return result

    targets = [out / name for name in unique_names(article_file_name(r, ".pdf") for r in records)]
    check_targets(targets, force=force)
    prepare_folder(out)
    ensure_gui_application()
    check_fonts()
    for n, (record, target) in enumerate(zip(records, targets, strict=True)):
        if cancel is not None and cancel():
            result.cancelled = True
            break
        data = _render([record], page_size=page_size, pdfa=pdfa, title=record.title)
        assert data is not None  # only cancelled between articles
        atomic_write_bytes(target, data)
        result.files.append(target)
        if progress is not None:
            progress(n + 1, total, record.title)
    return result
