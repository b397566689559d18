#!/usr/bin/env bash
# Save a screenshot of the main window (docs/screenshot.png, or the path given) on a virtual X display.
# With --redecode first: a legacy-encoded article's provenance and the "Re-decode as…" dialog
# (scripts/screenshot_redecode.py; PNGs in build/screenshots, or the folder given).
# With --history first: the history panel and the "Recover Unsaved Edits" dialog
# (scripts/screenshot_history.py; same folders).
# Needs Xvfb (Debian/Ubuntu: apt-get install xvfb xauth libxcb-icccm4 libxcb-keysyms1) and the venv.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
command -v xvfb-run >/dev/null || { echo "screenshot.sh: xvfb-run is missing (apt-get install xvfb xauth)" >&2; exit 1; }
script=screenshot.py
if [ "${1:-}" = --redecode ]; then
    shift
    script=screenshot_redecode.py
elif [ "${1:-}" = --history ]; then
    shift
    script=screenshot_history.py
fi
exec env -u WAYLAND_DISPLAY QT_QPA_PLATFORM=xcb \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$python" "$here/scripts/$script" "$@"
