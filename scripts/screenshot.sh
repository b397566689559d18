#!/usr/bin/env bash
# Save a screenshot of the main window (docs/main-window-light.png, or the path given; --scheme
# dark draws it dark) on a virtual X display.
# With --docs first: every PNG the documentation shows, light and dark (scripts/screenshot_docs.py:
# docs/main-window-light.png, main-window-dark.png, preview.png, export-dialog.png,
# import-report.png; or into the folder given).
# With --redecode first: a legacy-encoded article's provenance and the "Re-decode as…" dialog
# (scripts/screenshot_redecode.py; PNGs in build/screenshots, or the folder given).
# With --history first: the history panel and the "Recover Unsaved Edits" dialog
# (scripts/screenshot_history.py; same folders).
# Needs Xvfb (Debian/Ubuntu: apt-get install xvfb xauth libxcb-icccm4 libxcb-keysyms1) and the venv.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
command -v xvfb-run >/dev/null || { echo "screenshot.sh: xvfb-run is missing (apt-get install xvfb xauth)" >&2; exit 1; }
run() {
    env -u WAYLAND_DISPLAY -u ARCHIVE_APP_COLOR_SCHEME QT_QPA_PLATFORM=xcb \
        xvfb-run -a -s "-screen 0 1600x1000x24" "$python" "$here/scripts/$1" "${@:2}"
}
script=screenshot.py
case "${1:-}" in
    --docs)
        shift
        run screenshot_docs.py "$@" --scheme light
        run screenshot_docs.py "$@" --scheme dark
        exit 0
        ;;
    --redecode) shift; script=screenshot_redecode.py ;;
    --history) shift; script=screenshot_history.py ;;
esac
run "$script" "$@"
