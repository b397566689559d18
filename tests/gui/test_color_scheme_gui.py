"""Light and dark: the window follows the palette, and a dark one reads as well as a light one."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from archive_app.core.library import Library
from archive_app.gui import theme
from archive_app.gui.icons import THEME_NAMES, bundled_icon
from archive_app.gui.windows.main_window import MainWindow
from tests.gui.helpers import import_and_wait, write_article

Role = QPalette.ColorRole


def luminance(color: QColor) -> float:
    """WCAG relative luminance."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture
def scheme(qapp: QApplication) -> Iterator[object]:
    """Force a scheme for one test; the application's palette comes back afterwards."""
    saved = QPalette(qapp.palette())

    def force(name: theme.Scheme) -> None:
        theme.apply_color_scheme(qapp, name)

    yield force
    theme.reset_color_scheme(qapp, saved)


def _window_with_article(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path
) -> MainWindow:
    window: MainWindow = make_window(library)  # type: ignore[operator]
    path = write_article(
        tmp_path / "in",
        "a.txt",
        "Harbour lights return",
        "The harbour lights came back on after ten years. " * 12,
        section="News / Local",
        caption="The old lighthouse at dusk. (Photo: AFP)",
    )
    import_and_wait(qtbot, window, [path])
    window.library_view.select_id(window.model.ids()[0])
    assert window.form.record is not None
    return window


def _lightness_profile(widget: QWidget) -> tuple[int, int]:
    """The background's lightness (the top-left corner) and the lightest/darkest text pixel's
    distance from it, measured on a grab of ``widget``."""
    image: QImage = widget.grab().toImage()
    background = image.pixelColor(2, 2).lightness()
    far = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            far = max(far, abs(image.pixelColor(x, y).lightness() - background))
    return background, far


def test_the_scheme_can_be_forced_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert theme.requested_scheme({}) is None
    assert theme.requested_scheme({theme.ENV_VAR: "Dark"}) == "dark"
    assert theme.requested_scheme({theme.ENV_VAR: "light"}) == "light"
    assert theme.requested_scheme({theme.ENV_VAR: "system"}) is None
    monkeypatch.setenv(theme.ENV_VAR, "dark")
    assert theme.requested_scheme() == "dark"


def test_a_forced_dark_scheme_gives_a_dark_palette_with_readable_text(
    qapp: QApplication, scheme: object
) -> None:
    assert not theme.is_dark()  # the suite's platform is light
    scheme("dark")  # type: ignore[operator]
    palette = qapp.palette()
    assert theme.is_dark()
    assert palette.color(Role.Window).lightness() < 80
    assert palette.color(Role.Base).lightness() < 80
    for text, ground in (
        (Role.WindowText, Role.Window),
        (Role.Text, Role.Base),
        (Role.Text, Role.AlternateBase),
        (Role.ButtonText, Role.Button),
        (Role.HighlightedText, Role.Highlight),
        (Role.ToolTipText, Role.ToolTipBase),
    ):
        assert contrast(palette.color(text), palette.color(ground)) >= 4.5, (text, ground)
    # Every colour the widgets' style sheets use reads on the dark window and base.
    for name, value in dataclasses.asdict(theme.DARK).items():
        if name.startswith("banner") or name.startswith("icon"):
            continue
        for ground in (Role.Window, Role.Base):
            assert contrast(QColor(value), palette.color(ground)) >= 4.5, (name, ground)
    assert contrast(QColor(theme.DARK.banner_text), QColor(theme.DARK.banner_background)) >= 7
    scheme("light")  # type: ignore[operator]
    assert not theme.is_dark()
    for name, value in dataclasses.asdict(theme.LIGHT).items():
        if not name.startswith(("banner", "icon")):
            assert contrast(QColor(value), qapp.palette().color(Role.Base)) >= 4.5, name


def test_the_preview_is_light_on_dark_under_a_dark_palette(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path, scheme: object
) -> None:
    window = _window_with_article(qtbot, make_window, library, tmp_path)
    preview = window.preview.viewport()
    background, far = _lightness_profile(preview)
    assert background > 200
    assert far > 150

    scheme("dark")  # type: ignore[operator]  # switched at run time: the preview follows
    qtbot.waitUntil(lambda: _lightness_profile(preview)[0] < 80)
    background, far = _lightness_profile(preview)
    assert far > 150  # the text is light on it, not dark on dark
    html = window.preview.toHtml()
    assert "#1a1a1a" not in html.lower()  # the paper's text colour is not used on screen

    # The window's own colours follow too: the table, the form's fields and the sidebar.
    for widget in (window.library_view.table.viewport(), window.form.title_edit, window.sidebar):
        palette = widget.palette()
        assert palette.color(Role.Base).lightness() < 80, widget
        assert contrast(palette.color(Role.Text), palette.color(Role.Base)) >= 4.5, widget


def test_no_style_sheet_keeps_a_light_colour_under_a_dark_palette(
    qtbot: QtBot, make_window: object, library: Library, tmp_path: Path, scheme: object
) -> None:
    window = _window_with_article(qtbot, make_window, library, tmp_path)
    window.library_view.search_edit.setText("date:someday")  # the red error line
    window.library_view.apply_search()
    window.form.set_read_only(True, "In the trash")  # the banner
    scheme("dark")  # type: ignore[operator]
    dark_colors = {value.lower() for value in dataclasses.asdict(theme.DARK).values()}
    light_colors = {value.lower() for value in dataclasses.asdict(theme.LIGHT).values()}
    checked = 0
    for widget in QApplication.allWidgets():
        used = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", widget.styleSheet())}
        if used:
            checked += 1
            assert used <= dark_colors, (widget.objectName(), widget.styleSheet())
            assert not used & (light_colors - dark_colors), widget.objectName()
    assert checked >= 3  # the error line, the banner, the form's marks
    banner = window.form.read_only_banner
    assert theme.DARK.banner_background in banner.styleSheet()


def test_the_history_diff_uses_colours_that_read_on_its_palette() -> None:
    from archive_app.gui.views.history_panel import changes_html

    light = changes_html({"title": ("old", "new")}, theme.LIGHT)
    dark = changes_html({"title": ("old", "new")}, theme.DARK)
    assert theme.LIGHT.error in light
    assert theme.LIGHT.success in light
    assert theme.DARK.error in dark
    assert theme.DARK.success in dark
    assert theme.LIGHT.error not in dark


def _ink(image: QImage) -> float:
    """The mean lightness of the opaque pixels of an icon."""
    values = [
        image.pixelColor(x, y).lightness()
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 128
    ]
    assert values
    return sum(values) / len(values)


def test_toolbar_icons_show_on_a_dark_palette(
    qtbot: QtBot, window: MainWindow, scheme: object
) -> None:
    for name in THEME_NAMES:
        light = _ink(bundled_icon(name).pixmap(24, 24).toImage())
        dark = _ink(bundled_icon(name, dark=True).pixmap(24, 24).toImage())
        assert light < 110, name  # dark strokes on a light toolbar
        assert dark > 140, name  # light strokes on a dark one
    scheme("dark")  # type: ignore[operator]
    ground = QApplication.palette().color(Role.Window).lightness()
    actions = (window.import_files_action, window.export_action, window.trash_action)

    def ink(action: object) -> float:
        return _ink(action.icon().pixmap(24, 24).toImage())  # type: ignore[attr-defined]

    # The palette change reaches the window as an event: its icons are drawn again for it.
    qtbot.waitUntil(lambda: all(ink(action) - ground > 80 for action in actions))
    qtbot.waitUntil(lambda: window.sidebar.find_item("Trash") is not None)
    entry = window.sidebar.find_item("Trash")
    assert entry is not None
    qtbot.waitUntil(lambda: _ink(entry.icon(0).pixmap(16, 16).toImage()) - ground > 80)
