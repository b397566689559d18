"""The ``article-archive`` command: the window with no arguments, subcommands for scripts."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from archive_app import __version__
from archive_app.core.errors import ArticleNotFoundError, LibraryError
from archive_app.paths import LIBRARY_ENV_VAR, is_server_url, resolve_library, resolve_library_path

PROG = "article-archive"


class CliError(Exception):
    """A problem to report on stderr in one line, with a non-zero exit code."""


def _no_article(article_id: int) -> CliError:
    return CliError(f"no article with id {article_id}; see the ids with '{PROG} list'")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (DESIGN.md's command-line contract)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Article Archive: catalogue, search and export saved news articles. "
        "With no command, opens the window.",
    )
    parser.add_argument(
        "--library",
        metavar="FILE",
        help="the library file, or a postgresql://user@host/dbname URL "
        f"(default: ${LIBRARY_ENV_VAR}, else the user data folder)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import article text files, folders and BagIt bags")
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files or folders (recursive), or BagIt bags (a folder or a .zip of one)",
    )
    p.add_argument("--json", action="store_true", help="print the import report as JSON")
    p.add_argument(
        "--partial",
        action="store_true",
        help="from a damaged bag, import the articles whose files are intact",
    )

    p = sub.add_parser("list", help="list articles")
    p.add_argument("--query", "-q", help="only articles matching this full-text query")
    p.add_argument("--limit", "-n", type=_positive_int, help="at most N articles")
    p.add_argument("--trash", action="store_true", help="list the trash instead")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("show", help="show one article")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("search", help="full-text search, best matches first")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", "-n", type=_positive_int, default=50, help="at most N (50)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("export", help="export articles to HTML, PDF, plain text or a BagIt bag")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--ids", type=_id_list, metavar="1,2,3", help="these article ids")
    which.add_argument("--query", "-q", help="the articles matching this full-text query")
    which.add_argument("--all", action="store_true", help="every article in the library")
    p.add_argument("--format", "-f", required=True, choices=("html", "pdf", "txt", "bag"))
    p.add_argument(
        "--out",
        "-o",
        required=True,
        metavar="PATH",
        help="a folder (one file per article, or the bag), or the file with --single-file",
    )
    p.add_argument("--single-file", action="store_true", help="write one combined file")
    p.add_argument(
        "--zip", action="store_true", help="bag only: write PATH.zip (or PATH if it ends .zip)"
    )
    p.add_argument(
        "--organization",
        metavar="NAME",
        help="bag only: its Source-Organization "
        "(default: $ARCHIVE_APP_ORGANIZATION, else 'Article Archive user')",
    )
    p.add_argument("--pdfa", action="store_true", help="PDF/A-1b for archiving (pdf only)")
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4", help="pdf only")
    p.add_argument("--title", default="Exported articles", help="name of a combined export")
    p.add_argument("--force", action="store_true", help="overwrite existing files")

    p = sub.add_parser(
        "reparse",
        help="parse articles again from their original bytes (optionally in another encoding)",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=int, metavar="ID", help="one article")
    which.add_argument("--query", "-q", help="the articles matching this query")
    which.add_argument("--all", action="store_true", help="every article (also the trash)")
    p.add_argument("--encoding", metavar="NAME", help="decode as NAME (any codec Python knows)")
    p.add_argument("--json", action="store_true", help="print what changed as JSON")

    p = sub.add_parser("set", help="change fields of one article (kept as a revision)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--title")
    p.add_argument(
        "--section",
        action="append",
        metavar="PART",
        help="one part of the section breadcrumb, in order (repeat: --section World "
        "--section 'US/Canada'); --section '' clears it",
    )
    p.add_argument("--byline")
    p.add_argument("--publisher")
    p.add_argument("--dateline")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="published date ('' clears it)")
    p.add_argument("--source-url", metavar="URL")
    p.add_argument("--language", metavar="CODE")
    p.add_argument("--caption")
    p.add_argument("--credit")
    p.add_argument("--rights")
    p.add_argument("--notes")
    p.add_argument("--tag", action="append", metavar="TAG", help="the tags (repeat); '' clears")
    p.add_argument("--review", choices=("yes", "no"), help="needs review")

    p = sub.add_parser("history", help="the revisions of one article")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("revert", help="put an article back as it was after a revision")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument(
        "--to", type=int, required=True, metavar="REVISION", help="a revision id (0: as imported)"
    )

    p = sub.add_parser("check", help="verify the library: database, index, original files")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("backup", help="write a consistent copy of the library")
    p.add_argument("--out", metavar="FILE", help="the copy (default: beside the library)")

    p = sub.add_parser(
        "copy-library",
        help="copy a whole library (file to server, server to file), verified",
        description="Copy every article, original file, revision, saved search and draft of "
        "one library into another (a file or a postgresql:// URL), then verify the copy by "
        "SHA-256 of every original file and by counts.",
    )
    p.add_argument("--from", dest="source", required=True, metavar="LIBRARY")
    p.add_argument("--to", dest="target", required=True, metavar="LIBRARY")
    p.add_argument(
        "--merge",
        action="store_true",
        help="copy into a library that holds articles already (those it has are skipped)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub.add_parser("restore-backup", help="replace the library with a backup copy")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return parser


def _id_list(text: str) -> list[int]:
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of ids like 1,2,3: {text!r}") from None
    if not ids:
        raise argparse.ArgumentTypeError("no ids given")
    return ids


def _open_library(args: argparse.Namespace, *, create: bool = False) -> Any:
    """Open the library; only commands that write (``import``) may create it."""
    from archive_app.core.library import Library

    library = Library(resolve_library(args.library), create=create)
    for note in library.notes:
        sys.stderr.write(f"{PROG}: note: {note}\n")
    if library.read_only and not create:
        sys.stderr.write(
            f"{PROG}: note: {library.location} is open read-only ({library.read_only_reason})\n"
        )
    return library


def _print_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from archive_app.core.importer import import_paths

    show_progress = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int, path: str) -> None:
        sys.stderr.write(f"\r{path}\n" if done < 0 else f"\rimporting {done}/{total}")
        sys.stderr.flush()

    with _open_library(args, create=True) as library:
        if library.read_only:
            raise CliError(
                f"cannot import into {library.location}: it is open read-only "
                f"({library.read_only_reason}); choose another library with --library"
            )
        report = import_paths(
            library,
            args.paths,
            progress=progress if show_progress else None,
            partial=args.partial,
        )
    if show_progress:
        sys.stderr.write("\n")
    if args.json:
        _print_json(report.to_json(), out)
    else:
        out.write(report.summary() + "\n")
        for dup in report.duplicates:
            out.write(f"duplicate: {dup.path} (already article {dup.existing_id})\n")
        for problem in report.failed:
            out.write(f"failed: {problem.path}: {problem.reason}\n")
        for problem in report.skipped:
            out.write(f"skipped: {problem.path}: {problem.reason}\n")
        for warning in report.warnings:
            out.write(f"review: article {warning.article_id} ({warning.path}): {warning.message}\n")
    if report.error:
        stored = len(report.imported)
        sys.stderr.write(
            f"{PROG}: error: {report.error} "
            f"({stored} article{'' if stored == 1 else 's'} stored before it stopped)\n"
        )
        return 1
    return 1 if report.failed else 0


def _summary_line(item: Any) -> str:
    date = item.published_on.isoformat() if item.published_on else "----------"
    section = " / ".join(item.section_path)
    parts = [f"{item.id:>6}", date, item.title or "(untitled)"]
    if section:
        parts.append(f"[{section}]")
    if item.publisher:
        parts.append(f"— {item.publisher}")
    return "  ".join(parts)


def _cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    with _open_library(args) as library:
        items = library.list_articles(args.query, limit=args.limit, trash=args.trash)
    if args.json:
        _print_json([item.to_json() for item in items], out)
    else:
        for item in items:
            out.write(_summary_line(item) + "\n")
    return 0


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    with _open_library(args) as library:
        try:
            record = library.get_article(args.id)
        except ArticleNotFoundError:
            raise _no_article(args.id) from None
    if args.json:
        _print_json(record.to_json(), out)
        return 0
    data = record.to_json()
    for key, value in data.items():
        if key in ("body", "source"):
            continue
        if isinstance(value, list):
            value = " / ".join(value) if key == "section_path" else ", ".join(value)
        if value in ("", None, []):
            continue
        out.write(f"{key}: {value}\n")
    if record.source:
        s = record.source
        out.write(f"source: {s.file_name} ({s.size} bytes, {s.encoding}, sha256 {s.sha256})\n")
    out.write("\n" + record.body + "\n")
    return 0


def _cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    with _open_library(args) as library:
        hits = library.search(args.query, limit=args.limit)
    if args.json:
        _print_json([hit.to_json() for hit in hits], out)
    else:
        for hit in hits:
            out.write(_summary_line(hit) + "\n")
            if hit.snippet:
                out.write(f"        {hit.snippet}\n")
    return 0


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from archive_app.export.common import ExportError
    from archive_app.export.run import export_records

    if args.pdfa and args.format != "pdf":
        raise CliError("--pdfa goes with --format pdf")
    if (args.zip or args.organization) and args.format != "bag":
        raise CliError(f"--{'zip' if args.zip else 'organization'} goes with --format bag")
    with _open_library(args) as library:
        if args.ids:
            ids = list(dict.fromkeys(args.ids))
        else:
            ids = library.article_ids(args.query if not args.all else None)
        if not ids:
            what = f"no article matches {args.query!r}" if args.query else "the library is empty"
            raise CliError(f"nothing to export: {what}")
        try:
            records = [library.get_article(i) for i in ids]
        except ArticleNotFoundError as exc:
            raise CliError(f"{exc}; see the ids with '{PROG} list'") from None
        try:
            # A bag reads the originals and revisions from the library while it writes.
            result = export_records(
                records,
                Path(args.out),
                fmt=args.format,
                single_file=args.single_file or args.zip,
                force=args.force,
                pdfa=args.pdfa,
                page_size=args.page_size,
                title=args.title,
                library=library,
                organization=args.organization,
            )
        except ExportError as exc:
            raise CliError(str(exc)) from None
    for path in result.files:
        out.write(f"{path}\n")
    return 0


def _cmd_reparse(args: argparse.Namespace, out: TextIO) -> int:
    from archive_app.core.reparse import check_encoding, reparse_articles

    if args.encoding:
        check_encoding(args.encoding)  # a one-line error before anything is read
    with _open_library(args) as library:
        if library.read_only:
            raise CliError(f"cannot re-parse: {library.location} is open read-only")
        if args.id is not None:
            library.get_article(args.id)
            ids = [args.id]
        elif args.all:
            ids = library.article_ids() + library.article_ids(trash=True)
        else:
            ids = library.article_ids(args.query)
        if not ids:
            raise CliError(f"nothing to re-parse: no article matches {args.query!r}")
        report = reparse_articles(library, ids, encoding=args.encoding)
    if args.json:
        _print_json(
            {
                "reparsed": report.reparsed,
                "changed": report.changed,
                "encodings": {str(k): v for k, v in report.encodings.items()},
                "failed": [{"id": i, "reason": r} for i, r in report.failed],
            },
            out,
        )
    else:
        out.write(
            f"{len(report.reparsed)} re-parsed, {len(report.changed)} changed, "
            f"{len(report.failed)} failed\n"
        )
        for article_id, reason in report.failed:
            out.write(f"failed: article {article_id}: {reason}\n")
    return 1 if report.failed else 0


_SET_OPTIONS = {
    "title": "title",
    "byline": "byline",
    "publisher": "publisher",
    "dateline": "dateline",
    "source_url": "source_url",
    "language": "language",
    "caption": "photo_caption",
    "credit": "photo_credit",
    "rights": "rights",
    "notes": "notes",
}


def _cmd_set(args: argparse.Namespace, out: TextIO) -> int:
    import datetime as dt

    from archive_app.core.errors import ValidationError

    changes: dict[str, Any] = {
        field: getattr(args, option)
        for option, field in _SET_OPTIONS.items()
        if getattr(args, option) is not None
    }
    if args.section is not None:
        changes["section_path"] = tuple(p.strip() for p in args.section if p.strip())
    if args.tag is not None:
        changes["tags"] = tuple(t for t in args.tag if t.strip())
    if args.date is not None:
        try:
            changes["published_on"] = dt.date.fromisoformat(args.date) if args.date else None
        except ValueError:
            raise CliError(f"--date must look like 2022-05-03, not {args.date!r}") from None
    if args.review is not None:
        changes["needs_review"] = args.review == "yes"
    if not changes:
        raise CliError("nothing to set: give at least one option such as --title or --tag")
    with _open_library(args) as library:
        try:
            library.update_fields(args.id, changes)
        except ArticleNotFoundError:
            raise _no_article(args.id) from None
        except ValidationError as exc:
            raise CliError(f"not changed: {exc}") from None
        revisions = library.history(args.id)
    latest = revisions[-1] if revisions else None
    if latest is not None and latest.kind == "edit":
        out.write(f"article {args.id}: revision {latest.id} ({', '.join(latest.changes)})\n")
    else:
        out.write(f"article {args.id}: nothing changed\n")
    return 0


def _show_value(name: str, value: Any) -> str:
    if isinstance(value, list):
        return (", " if name == "tags" else " / ").join(value) if value else "(none)"
    if value in ("", None):
        return "(empty)"
    text = str(value).replace("\n", " ")
    return text if len(text) <= 70 else text[:69] + "…"


def _cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    with _open_library(args) as library:
        try:
            revisions = library.history(args.id)
        except ArticleNotFoundError:
            raise _no_article(args.id) from None
    if args.json:
        _print_json([r.to_json() for r in revisions], out)
        return 0
    if not revisions:
        out.write(f"article {args.id} has not been changed since it was imported\n")
    for revision in revisions:
        when = revision.to_json()["created_at"]
        out.write(f"revision {revision.id}  {when}  {revision.user}  {revision.kind}\n")
        for name, (old, new) in revision.changes.items():
            out.write(f"    {name}: {_show_value(name, old)} -> {_show_value(name, new)}\n")
    return 0


def _cmd_revert(args: argparse.Namespace, out: TextIO) -> int:
    with _open_library(args) as library:
        try:
            library.revert(args.id, args.to)
        except ArticleNotFoundError as exc:
            raise CliError(str(exc)) from None
        latest = library.history(args.id)[-1]
    out.write(f"article {args.id}: back as of revision {args.to} (revision {latest.id})\n")
    return 0


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    with _open_library(args) as library:
        problems = library.check()
        counts = library.counts()
    if args.json:
        _print_json({"ok": not problems, "problems": problems, "counts": counts}, out)
    else:
        for problem in problems:
            out.write(f"problem: {problem}\n")
        summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
        out.write(
            ("all well: " if not problems else f"{len(problems)} problems; ") + summary + "\n"
        )
    return 1 if problems else 0


def _backup_name(library_path: Any, kind: str) -> Any:
    import datetime as dt

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return library_path.with_name(f"{library_path.name}.{kind}-{stamp}.backup")


def _cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    with _open_library(args) as library:
        if args.out:
            target = Path(args.out)
        elif library.file is not None:
            target = _backup_name(library.file, "backup")
        else:  # a library on a server: its backup() says what to use instead
            target = Path(library.location)
        written = library.backup(target)
    out.write(f"{written}\n")
    return 0


def _cmd_restore_backup(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from archive_app.core.library import Library

    source = Path(args.file)
    if not source.is_file():
        raise CliError(f"no backup at {source}")
    with Library(source, create=False) as backup:
        problems = backup.integrity_check()
        count = backup.count()
    if problems:
        raise CliError(f"{source} is damaged ({problems[0]}); it was not restored")
    if is_server_url(resolve_library(args.library)):
        raise CliError(
            "restore-backup replaces a library file; a library on a PostgreSQL server is "
            "restored on the server (or imported again from an exported bag)"
        )
    target = resolve_library_path(args.library)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("restoring replaces the library: add --yes to confirm")
        answer = input(
            f"Replace {target} with {source} ({count} articles)? The current library is kept as "
            "a backup first. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            out.write("not restored\n")
            return 1
    import sqlite3

    kept = None
    if target.exists():
        with Library(target, create=False) as current:
            kept = current.backup(_backup_name(target, "before-restore"))
    dest = sqlite3.connect(target)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()
    out.write(f"restored {target} from {source} ({count} articles)")
    out.write(f"; the previous library is kept as {kept}\n" if kept else "\n")
    return 0


def _has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run_gui(args: argparse.Namespace) -> int:
    if not _has_display():
        raise CliError(
            "no display found (DISPLAY and WAYLAND_DISPLAY are unset): run it in a desktop "
            "session, set QT_QPA_PLATFORM=offscreen to start it headless, or use the "
            f"subcommands ('{PROG} --help')"
        )
    try:
        from archive_app.gui.app import run
    except ImportError as exc:
        raise CliError(f"the window cannot start: {exc}") from exc
    quit_after = os.environ.get("ARCHIVE_APP_QUIT_AFTER_MS")
    chosen = args.library or os.environ.get(LIBRARY_ENV_VAR)
    return run(
        resolve_library(chosen) if chosen else None,  # None: the window's remembered one
        quit_after_ms=int(quit_after) if quit_after and quit_after.isdigit() else None,
    )


def _cmd_copy_library(args: argparse.Namespace, out: TextIO) -> int:
    from archive_app.core.copying import copy_library
    from archive_app.core.library import Library

    show_progress = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rcopying {done}/{total}")
        sys.stderr.flush()

    with (
        Library(resolve_library(args.source), create=False) as source,
        Library(resolve_library(args.target)) as target,
    ):
        report = copy_library(
            source, target, merge=args.merge, progress=progress if show_progress else None
        )
    if show_progress:
        sys.stderr.write("\n")
    if args.json:
        _print_json(report.to_json(), out)
    else:
        out.write("\n".join(report.lines()) + "\n")
    return 0 if report.ok else 1


_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "import": _cmd_import,
    "list": _cmd_list,
    "show": _cmd_show,
    "search": _cmd_search,
    "export": _cmd_export,
    "reparse": _cmd_reparse,
    "set": _cmd_set,
    "history": _cmd_history,
    "revert": _cmd_revert,
    "check": _cmd_check,
    "backup": _cmd_backup,
    "restore-backup": _cmd_restore_backup,
    "copy-library": _cmd_copy_library,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    stream = out if out is not None else sys.stdout
    try:
        if args.command is None:
            return _run_gui(args)
        return _COMMANDS[args.command](args, stream)
    except (CliError, LibraryError) as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
