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
# For a background job: the job's pid is then the program's own.
bare_exec() { exec env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 XDG_RUNTIME_DIR="$work/run" "$@"; }
command -v pdftotext >/dev/null || fail "pdftotext is missing (apt-get install poppler-utils)"

version=$(bare "$bundle" --version) || fail "--version exited with $?"
[[ $version == "article-archive "* ]] || fail "unexpected --version output: $version"

# Qt modules the app does not use stay out; the offscreen platform plugin (headless export) is in.
unwanted=$(find "$dir" \( -name 'libQt6Network*' -o -name 'libQt6OpenGL*' -o -name 'libQt6Qml*' \
    -o -name 'libQt6Quick*' -o -name 'libQt6WebEngine*' -o -name 'libQt6Pdf*' \
    -o -name 'libqgtk3*' -o \( -name 'libssl*' -not -name 'libssl-????????.so*' \) \) -print)
# (libssl-<hash>.so: the OpenSSL psycopg's wheel vendors for its libpq, for a server library.)
[[ -z $unwanted ]] || fail "unwanted libraries in the bundle: $unwanted"
[[ -n $(find "$dir" -path '*/platforms/libqoffscreen.so') ]] || fail "no offscreen platform plugin"

bare "$bundle" --library "$work/lib.sqlite3" import "$here/tests/fixtures/seed" --json \
    >"$work/import.json" || fail "import exited with $?: $(cat "$work/import.json")"
grep -q '"imported": \[$' "$work/import.json" || fail "nothing imported: $(cat "$work/import.json")"

bare "$bundle" --library "$work/lib.sqlite3" export --all --format pdf --single-file \
    --out "$work/out.pdf" >/dev/null || fail "PDF export exited with $?"
# Text in the PDF means fontconfig found fonts through the bundled libraries.
pdftotext "$work/out.pdf" - | grep -q "Putin tells Macron" || fail "the PDF has no article text"

# A saved web page (trafilatura and lxml in the bundle) and an archival package round trip
# (bagit in the bundle).
mkdir "$work/page"
cat >"$work/page/harbour.html" <<'HTML'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbour reopens</title>
<meta property="og:site_name" content="Smoke Herald"></head><body><article>
<h1>Harbour reopens after the storm</h1>
<p>The harbour reopened on Monday after a week of repairs to the sea wall, the port said.</p>
<p>Fishing boats returned to their berths and the ferry service resumed in the afternoon.</p>
</article></body></html>
HTML
bare "$bundle" --library "$work/lib.sqlite3" import "$work/page" --json >"$work/page.json" \
    || fail "import of a saved page exited with $?: $(cat "$work/page.json")"
grep -q '"imported": \[$' "$work/page.json" || fail "the saved page was not imported: $(cat "$work/page.json")"
bare "$bundle" --library "$work/lib.sqlite3" export --all --format bag --out "$work/bag" >/dev/null \
    || fail "bag export exited with $?"
bare "$bundle" --library "$work/from-bag.sqlite3" import "$work/bag" --json >"$work/bag.json" \
    || fail "bag import exited with $?: $(cat "$work/bag.json")"
grep -q '"imported": \[$' "$work/bag.json" || fail "the bag imported nothing: $(cat "$work/bag.json")"

# 500 files: the import decodes and parses in spawned worker processes, which in a frozen bundle
# start this executable again (multiprocessing.freeze_support() in the launcher).
mkdir "$work/many"
for i in $(seq 1 500); do
    printf 'News / Smoke\n\nSmoke test headline number %d\n\nBody paragraph %d of the smoke test. ' \
        "$i" "$i" >"$work/many/article-$i.txt"
    printf 'It has a few words in it, and a number: %d.\n' "$((i * 7919))" >>"$work/many/article-$i.txt"
done
bare timeout 300 "$bundle" --library "$work/many.sqlite3" import "$work/many" --json \
    >"$work/many.json" 2>"$work/many.err" || fail "import of 500 files exited with $?: $(cat "$work/many.err")"
imported=$(grep -c '^    [0-9]' "$work/many.json" || true)
[[ $imported == 500 ]] || fail "500 files gave $imported imported articles: $(head -c 2000 "$work/many.json")"
bare timeout 300 "$bundle" --library "$work/many.sqlite3" export --all --format html \
    --out "$work/many-html" >/dev/null || fail "HTML export of 500 articles exited with $?"
pages=$(find "$work/many-html" -name '*.html' ! -name index.html | wc -l)
[[ $pages == 500 ]] || fail "the HTML export of 500 articles wrote $pages pages"

# A killed import (SIGKILL, workers running) leaves no process behind within a few seconds.
for i in $(seq 501 3000); do
    printf 'Another smoke headline %d\n\nAnother body %d, with words.\n' "$i" "$i" >"$work/many/article-$i.txt"
done
bare_exec "$bundle" --library "$work/kill.sqlite3" import "$work/many" >/dev/null 2>&1 &
victim=$!
for _ in $(seq 1 600); do
    [[ $( (pgrep -P "$victim" || true) | wc -l) -ge 2 ]] && break
    sleep 0.05
done
children=$( (pgrep -P "$victim" || true) | tr '\n' ' ')
[[ -n $children ]] || fail "the import of 3,000 files started no worker processes"
kill -KILL "$victim"
wait "$victim" 2>/dev/null || true
for _ in $(seq 1 100); do
    left=$(for pid in $children; do kill -0 "$pid" 2>/dev/null && echo "$pid"; done; true)
    [[ -z $left ]] && break
    sleep 0.1
done
if [[ -n $left ]]; then
    kill -KILL $left 2>/dev/null || true
    fail "processes outlived the killed import by 10 s: $left"
fi

# The window opens (offscreen) on the library and closes by itself with exit code 0.
code=0
bare QT_QPA_PLATFORM=offscreen ARCHIVE_APP_QUIT_AFTER_MS=1500 timeout 60 \
    "$bundle" --library "$work/lib.sqlite3" 2>"$work/gui.log" || code=$?
[[ $code == 0 ]] || fail "the window exited with $code (124: timed out):"$'\n'"$(cat "$work/gui.log")"
grep -q "main window shown" "$work/gui.log" || fail "no 'main window shown':"$'\n'"$(cat "$work/gui.log")"
if grep -q "Traceback" "$work/gui.log"; then fail "the window logged an error:"$'\n'"$(cat "$work/gui.log")"; fi

echo "bundle smoke test passed: $version, $(du -sh "$dir" | cut -f1) on disk"
