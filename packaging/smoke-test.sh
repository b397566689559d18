#!/usr/bin/env bash
# Smoke test of a built bundle: --version, its contents, a headless import and PDF export, the window.
# Everything runs in a bare environment (env -i): a minimal PATH, no display, no Python, no venv.
# Needs pdftotext (Debian: poppler-utils) and timeout (coreutils).
set -euo pipefail
bundle=${1:-dist/article-archive/article-archive}
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(dirname "$bundle")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/run"
fail() { echo "bundle smoke test FAILED: $*" >&2; exit 1; }
bare() { env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 XDG_RUNTIME_DIR="$work/run" "$@"; }
command -v pdftotext >/dev/null || fail "pdftotext is missing (apt-get install poppler-utils)"

version=$(bare "$bundle" --version) || fail "--version exited with $?"
[[ $version == "article-archive "* ]] || fail "unexpected --version output: $version"

# Qt modules the app does not use stay out; the offscreen platform plugin (headless export) is in.
unwanted=$(find "$dir" \( -name 'libQt6Network*' -o -name 'libQt6OpenGL*' -o -name 'libQt6Qml*' \
    -o -name 'libQt6Quick*' -o -name 'libQt6WebEngine*' -o -name 'libQt6Pdf*' \
    -o -name 'libqgtk3*' -o -name 'libssl*' \) -print)
[[ -z $unwanted ]] || fail "unwanted libraries in the bundle: $unwanted"
[[ -n $(find "$dir" -path '*/platforms/libqoffscreen.so') ]] || fail "no offscreen platform plugin"

bare "$bundle" --library "$work/lib.sqlite3" import "$here/tests/fixtures/seed" --json \
    >"$work/import.json" || fail "import exited with $?: $(cat "$work/import.json")"
grep -q '"imported": \[$' "$work/import.json" || fail "nothing imported: $(cat "$work/import.json")"

bare "$bundle" --library "$work/lib.sqlite3" export --all --format pdf --single-file \
    --out "$work/out.pdf" >/dev/null || fail "PDF export exited with $?"
# Text in the PDF means fontconfig found fonts through the bundled libraries.
pdftotext "$work/out.pdf" - | grep -q "Putin tells Macron" || fail "the PDF has no article text"

# The window opens (offscreen) on the library and closes by itself with exit code 0.
code=0
bare QT_QPA_PLATFORM=offscreen ARCHIVE_APP_QUIT_AFTER_MS=1500 timeout 60 \
    "$bundle" --library "$work/lib.sqlite3" 2>"$work/gui.log" || code=$?
[[ $code == 0 ]] || fail "the window exited with $code (124: timed out):"$'\n'"$(cat "$work/gui.log")"
grep -q "main window shown" "$work/gui.log" || fail "no 'main window shown':"$'\n'"$(cat "$work/gui.log")"
if grep -q "Traceback" "$work/gui.log"; then fail "the window logged an error:"$'\n'"$(cat "$work/gui.log")"; fi

echo "bundle smoke test passed: $version, $(du -sh "$dir" | cut -f1) on disk"
