"""Decoding accuracy benchmark: the app's decoder vs charset-normalizer vs chardet.

Run from the repository root::

    .venv/bin/python -m benchmarks.decoding_bench [--corpus DIR] [--show-wrong] [--json-only]

The corpus is ``encodings/`` of the shared corpus (default ``../shared/corpus/encodings``
relative to the repository root). Every file listed in its ``TRUTH.tsv`` is decoded by each
decoder; a file is *right* when the decoded text equals the text under the true encoding
(after normalising newlines and stripping a leading BOM), so aliases and supersets that give
identical text count as right. A file whose truth label Python has no codec for (e.g.
``euc-tw``), or whose bytes are invalid under that codec, is *excluded* and listed.

Output: a human table on stderr (overall and per source folder), then one JSON line per
decoder on stdout.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_RELATIVE_CORPUS = Path("shared") / "corpus" / "encodings"
#: ``../shared/corpus/encodings`` from the repository root; from a git worktree nested one level
#: deeper (``/work/wt/NAME``) the nearest ancestor that has it.
DEFAULT_CORPUS = next(
    (p / _RELATIVE_CORPUS for p in REPO.parents if (p / _RELATIVE_CORPUS).is_dir()),
    REPO.parent / _RELATIVE_CORPUS,
)

#: Labels (lower case, ``_`` and ``-`` folded to ``-``) that ``codecs.lookup`` does not know.
#: ``None``: Python has no codec for it; the file is excluded.
ALIASES: dict[str, str | None] = {
    "ibm862": "cp862",
    "ibm852": "cp852",
    "ibm855": "cp855",
    "ibm865": "cp865",
    "ibm866": "cp866",
    "mac-cyrillic": "mac_cyrillic",
    "x-mac-cyrillic": "mac_cyrillic",
    "mac-centraleurope": "mac_latin2",
    "x-mac-ce": "mac_latin2",
    "hz-gb2312": "hz",
    "hz-gb-2312": "hz",
    "gb-18030": "gb18030",
    "uhc": "cp949",
    "tis-620": "cp874",  # cp874 is a superset: identical text on TIS-620 bytes
    "tis620": "cp874",
    "iso-8859-11": "cp874",
    "us-ascii": "ascii",
    "euc-tw": None,
    "viscii": None,
    "georgian-ps": None,
    "georgian-academy": None,
}


def resolve_label(label: str) -> str | None:
    """Python codec name for a truth label as a source spells it, or None if Python has none.

    Args:
        label: E.g. ``"Shift_JIS"``, ``"ibm862"``, ``"WINDOWS-1255"``.

    Returns:
        A canonical Python codec name, or None.
    """
    key = label.strip().lower().replace("_", "-")
    if key in ALIASES:
        target = ALIASES[key]
        return None if target is None else codecs.lookup(target).name
    try:
        return codecs.lookup(label.strip()).name
    except LookupError:
        return None


def clean(text: str) -> str:
    """Normalise newlines and strip a leading BOM, for comparing texts.

    Args:
        text: Decoded text.

    Returns:
        The comparable text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.removeprefix("\ufeff")


#: Supersets tried, in order, when the bytes are invalid under the label's own codec (files
#: labelled Big5 that use the Microsoft or HKSCS extensions, ISO-8859-8 with cp1255 points).
SUPERSETS: dict[str, tuple[str, ...]] = {
    "big5": ("cp950", "big5hkscs"),
    "iso8859-8": ("cp1255",),
    "euc_kr": ("cp949",),
    "gb2312": ("gbk", "gb18030"),
    "gbk": ("gb18030",),
    "shift_jis": ("cp932",),
    "euc_jp": ("euc_jis_2004",),
    "iso8859-1": ("cp1252",),
}


def truth_text(data: bytes, codec: str) -> tuple[str, str] | None:
    """The text under the true encoding, or None if the bytes are invalid in it.

    Args:
        data: File contents.
        codec: Python codec name.

    Returns:
        The comparable text and the codec that gave it (the label's or a superset), or None.
    """
    for candidate in (codec, *SUPERSETS.get(codec, ())):
        try:
            return clean(data.decode(candidate)), candidate
        except UnicodeDecodeError:
            continue
    return None


@dataclass
class Sample:
    """One corpus file with its truth."""

    path: str
    label: str
    codec: str | None
    data: bytes
    truth: str | None
    #: The superset codec the truth was decoded with, if the label's own codec failed.
    via: str | None = None

    @property
    def folder(self) -> str:
        """The source folder (first path part)."""
        return self.path.split("/", 1)[0]


@dataclass
class Score:
    """Right/wrong counts of one decoder."""

    name: str
    right: int = 0
    wrong: int = 0
    per_folder: dict[str, list[int]] = field(default_factory=dict)
    wrong_files: list[tuple[str, str, str]] = field(default_factory=list)
    files_per_s: float | None = None

    def add(self, sample: Sample, ok: bool, chosen: str) -> None:
        """Record one result."""
        counts = self.per_folder.setdefault(sample.folder, [0, 0])
        if ok:
            self.right += 1
            counts[0] += 1
        else:
            self.wrong += 1
            counts[1] += 1
            self.wrong_files.append((sample.path, sample.label, chosen))

    @property
    def percent(self) -> float:
        """Share of files right, in percent."""
        total = self.right + self.wrong
        return 100.0 * self.right / total if total else 0.0


def load(corpus: Path) -> list[Sample]:
    """Read TRUTH.tsv and the files it lists.

    Args:
        corpus: The ``encodings/`` folder.

    Returns:
        One sample per row.
    """
    samples = []
    with (corpus / "TRUTH.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            data = (corpus / row["path"]).read_bytes()
            codec = resolve_label(row["encoding"])
            found = truth_text(data, codec) if codec else None
            truth, used = found if found else (None, None)
            sample = Sample(row["path"], row["encoding"], codec, data, truth)
            sample.via = used if used != codec else None
            samples.append(sample)
    return samples


def _app(data: bytes) -> tuple[str, str]:
    from archive_app.core.decoding import decode_bytes

    result = decode_bytes(data)
    return result.text, result.encoding


def _charset_normalizer(data: bytes) -> tuple[str, str]:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return "", "none"
    return str(best), best.encoding


def _chardet(data: bytes) -> tuple[str, str]:
    import chardet

    name = chardet.detect(data)["encoding"]
    if not name:
        return "", "none"
    try:
        return data.decode(name), name
    except (LookupError, UnicodeDecodeError) as exc:
        return "", f"{name} ({type(exc).__name__})"


DECODERS: dict[str, Callable[[bytes], tuple[str, str]]] = {
    "app": _app,
    "charset-normalizer": _charset_normalizer,
    "chardet": _chardet,
}


def evaluate(name: str, samples: list[Sample]) -> Score:
    """Run one decoder over the included samples.

    Args:
        name: Key of ``DECODERS``.
        samples: Samples with a truth.

    Returns:
        The score.
    """
    decoder = DECODERS[name]
    score = Score(name)
    for sample in samples:
        assert sample.truth is not None
        try:
            text, chosen = decoder(sample.data)
        except Exception as exc:  # a decoder failing counts as wrong
            text, chosen = "", f"error: {exc}"
        score.add(sample, clean(text) == sample.truth, chosen)
    return score


def time_app(samples: list[Sample], rounds: int = 3) -> float:
    """Files per second of the app's decoder (best of a few rounds).

    Args:
        samples: Samples to decode.
        rounds: Number of timed rounds.

    Returns:
        Files per second.
    """
    from archive_app.core.decoding import decode_bytes

    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for sample in samples:
            with contextlib.suppress(ValueError):  # NotTextError
                decode_bytes(sample.data)
        best = min(best, time.perf_counter() - start)
    return len(samples) / best if best else float("inf")


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show-wrong", action="store_true", help="list every wrong file")
    parser.add_argument("--only", default=",".join(DECODERS), help="comma-separated decoders")
    args = parser.parse_args(argv)

    samples = load(args.corpus)
    included = [s for s in samples if s.truth is not None]
    excluded = [s for s in samples if s.truth is None]
    out = sys.stderr
    print(f"corpus: {args.corpus} ({len(samples)} files)", file=out)
    print(f"excluded ({len(excluded)}): truth not decodable by Python:", file=out)
    for sample in excluded:
        why = "no Python codec" if sample.codec is None else f"invalid {sample.codec}"
        print(f"  {sample.path} [{sample.label}: {why}]", file=out)
    for sample in included:
        if sample.via:
            print(
                f"note: {sample.path} is invalid {sample.codec};"
                f" truth read as superset {sample.via}",
                file=out,
            )

    scores = [evaluate(name, included) for name in args.only.split(",") if name]
    for score in scores:
        if score.name == "app":
            score.files_per_s = time_app(included)
            utf8 = [s for s in included if s.codec == "utf-8" and not s.data.startswith(b"\xef")]
            utf8_rate = time_app(utf8) if utf8 else None
            legacy = [s for s in included if s.codec not in ("utf-8", "ascii")]
            legacy_rate = time_app(legacy) if legacy else None

    folders = sorted({s.folder for s in included})
    header = f"{'decoder':<20}{'right':>7}{'wrong':>7}{'%':>8}  " + "".join(
        f"{f[:18]:>20}" for f in folders
    )
    print("\n" + header, file=out)
    for score in scores:
        cells = "".join(
            "{:>20}".format(
                f"{c[0]}/{c[0] + c[1]} {100 * c[0] / (c[0] + c[1]):.0f}%"
                if (c := score.per_folder.get(f, [0, 0]))[0] + c[1]
                else "-"
            )
            for f in folders
        )
        print(
            f"{score.name:<20}{score.right:>7}{score.wrong:>7}{score.percent:>7.1f}%  {cells}",
            file=out,
        )
    for score in scores:
        if score.files_per_s is not None:
            print(
                f"\napp decoder speed: {score.files_per_s:.0f} files/s on all {len(included)}"
                f" files; UTF-8 files only: {utf8_rate or 0:.0f} files/s;"
                f" legacy only: {legacy_rate or 0:.0f} files/s",
                file=out,
            )
    for score in scores:
        if args.show_wrong or score.name == "app":
            print(f"\nwrong for {score.name} ({score.wrong}):", file=out)
            for path, label, chosen in score.wrong_files:
                print(f"  {path:<58} truth {label:<18} got {chosen}", file=out)

    for score in scores:
        record = {
            "decoder": score.name,
            "right": score.right,
            "wrong": score.wrong,
            "percent": round(score.percent, 2),
            "excluded": len(excluded),
            "per_folder": {f: {"right": c[0], "wrong": c[1]} for f, c in score.per_folder.items()},
            "files_per_s": None if score.files_per_s is None else round(score.files_per_s, 1),
            "wrong_files": [p for p, _, _ in score.wrong_files],
        }
        if score.name == "app":
            record["utf8_files_per_s"] = None if utf8_rate is None else round(utf8_rate, 1)
        print(json.dumps(record))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
