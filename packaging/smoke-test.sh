#!/usr/bin/env bash
# Smoke test of a built bundle: --version, then a headless import and PDF export.
set -euo pipefail
bundle=${1:-dist/article-archive/article-archive}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")/.." && pwd)
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM PATH=/usr/bin:/bin HOME="$work" \
    "$bundle" --version
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM PATH=/usr/bin:/bin HOME="$work" \
    "$bundle" --library "$work/lib.sqlite3" import "$here/tests/fixtures/seed" --json >"$work/import.json"
grep -q '"imported": \[' "$work/import.json"
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM PATH=/usr/bin:/bin HOME="$work" \
    "$bundle" --library "$work/lib.sqlite3" export --all --format pdf --single-file \
    --out "$work/out.pdf"
pdftotext "$work/out.pdf" - | grep -q "Putin tells Macron"
echo "bundle smoke test passed: $(du -sh "$(dirname "$bundle")" | cut -f1) on disk"
