#!/usr/bin/env bash
# Print the path of a Python interpreter of the given version (e.g. 3.13), or fail loudly.
# Looks on PATH (python3.13), then in pyenv's versions and the usual install prefixes.
set -euo pipefail
want=${1:?usage: find-python.sh VERSION}
candidates=("python$want")
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for dir in "$root"/versions/"$want"*/bin /usr/local/bin /usr/bin /opt/python/"$want"*/bin; do
    candidates+=("$dir/python$want")
done
for python in "${candidates[@]}"; do
    if path=$(command -v "$python" 2>/dev/null) && "$path" -c 'import sys, venv' 2>/dev/null; then
        got=$("$path" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
        if [[ $got == "$want" ]]; then
            echo "$path"
            exit 0
        fi
    fi
done
echo "find-python.sh: no Python $want on this machine (looked for python$want on PATH and in" \
    "$root/versions); install it, e.g. 'pyenv install $want'" >&2
exit 1
