"""Which files are saved web pages, and which folders hold a page's resources.

Kept apart from ``formats.html`` so the import's walk and its worker processes can tell a page
without loading lxml and trafilatura (measured: 0.1 s a process).
"""

from __future__ import annotations

from pathlib import Path

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MHTML_SUFFIXES = frozenset({".mhtml", ".mht"})
PAGE_SUFFIXES = HTML_SUFFIXES | MHTML_SUFFIXES
#: The folder a browser saves a page's images and styles in, beside ``<stem>.html``
#: (Chrome and Firefox in English, German, French, Spanish, Portuguese, Dutch, Italian).
RESOURCE_FOLDER_ENDINGS = (
    "_files",
    "-Dateien",
    "_fichiers",
    "_archivos",
    "_arquivos",
    "-bestanden",
    "_file",
)


def is_page_resources(folder: Path) -> bool:
    """Whether a folder is a saved page's resources (``page_files`` beside ``page.html``)."""
    name = folder.name
    for ending in RESOURCE_FOLDER_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            stem = name[: -len(ending)]
            if any((folder.parent / (stem + suffix)).is_file() for suffix in PAGE_SUFFIXES):
                return True
    return False
