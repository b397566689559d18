#!/usr/bin/env bash
# Save a screenshot of the main window (docs/screenshot.png, or the path given) on a virtual X display.
# Needs Xvfb (Debian/Ubuntu: apt-get install xvfb xauth libxcb-icccm4 libxcb-keysyms1) and the venv.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
command -v xvfb-run >/dev/null || { echo "screenshot.sh: xvfb-run is missing (apt-get install xvfb xauth)" >&2; exit 1; }
exec env -u WAYLAND_DISPLAY QT_QPA_PLATFORM=xcb \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$python" "$here/scripts/screenshot.py" "$@"
