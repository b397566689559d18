#!/usr/bin/env bash
# Make sure the system packages a make target needs are installed; install the missing ones.
#
#   scripts/system-deps.sh test       Qt's runtime libraries, fonts, PDF checkers, Java, npm and
#                                     PostgreSQL (the tests start a throwaway server of their own)
#   scripts/system-deps.sh packaging  desktop-file and AppStream validators, the bundle's xcb libs
#
# On Debian/Ubuntu it installs what is missing with apt-get (as root, or with passwordless sudo)
# and prints the packages it installed. Anywhere else, or without the rights, it stops at once with
# one line naming the exact command to run. Set ARCHIVE_APP_NO_SYSTEM_DEPS=1 to skip the check.
set -euo pipefail

[[ ${ARCHIVE_APP_NO_SYSTEM_DEPS:-} == 1 ]] && exit 0

declare -a wanted=()
for group in "$@"; do
    case $group in
    test)
        # Offscreen Qt needs libEGL, libGL, fontconfig, xkbcommon, D-Bus and GLib; PDFs need fonts
        # (DejaVu: Latin, Cyrillic, Arabic; WenQuanYi Micro Hei: Chinese); poppler-utils and qpdf
        # check the PDFs; the Nu HTML Checker runs on Java and is installed with npm; the library
        # tests also run on PostgreSQL (initdb and postgres; no service is used).
        wanted+=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0
            fonts-dejavu-core fonts-wqy-microhei poppler-utils qpdf default-jre-headless npm
            postgresql) ;;
    packaging)
        wanted+=(desktop-file-utils appstream libxcb-icccm4 libxcb-keysyms1 poppler-utils) ;;
    *)
        echo "system-deps.sh: unknown group '$group' (use test or packaging)" >&2
        exit 2 ;;
    esac
done

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    # Not a Debian system: check the commands we can check, and name what is missing.
    missing=()
    for cmd in pdftotext pdfinfo pdffonts qpdf java npm initdb; do
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
    done
    if ((${#missing[@]})); then
        echo "Missing system tools: ${missing[*]}. Install poppler, qpdf, a Java runtime, npm" \
            "and PostgreSQL (initdb on PATH) with your package manager, then run make test" \
            "again." >&2
        exit 1
    fi
    exit 0
fi

missing=()
for pkg in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [[ $status == installed ]] || missing+=("$pkg")
done
# Java and npm may come from elsewhere (another JRE, Node.js's own packages): the command counts.
command -v java >/dev/null 2>&1 && missing=("${missing[@]/default-jre-headless/}")
command -v npm >/dev/null 2>&1 && missing=("${missing[@]/npm/}")
# Any installed PostgreSQL server will do (another major version's package, a build on PATH).
if command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    missing=("${missing[@]/postgresql/}")
fi
read -r -a missing <<<"${missing[*]:-}"
((${#missing[@]})) || exit 0

if [[ $(id -u) == 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "Missing system packages; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed system packages: ${missing[*]}"
