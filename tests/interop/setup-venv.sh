#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Makes the Python venv of the interop tests and the deflate echo comparison:
# build/.venv-interop with python-websockets pinned in tests/interop/requirements.txt.
# Idempotent: an existing venv with the pinned version is kept.
#
#   tests/interop/setup-venv.sh [VENV_DIR]
#
# Exit status: 0 when the venv is ready, 1 when it could not be made (the message says why and
# gives the exact command that failed).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
venv=${1:-$root/build/.venv-interop}
requirements=$root/tests/interop/requirements.txt
pinned=$(sed -n 's/^websockets==//p' "$requirements")

if [ -x "$venv/bin/python" ] &&
    [ "$("$venv/bin/python" -c 'import websockets; print(websockets.__version__)' 2>/dev/null)" = "$pinned" ]; then
    echo "interop venv: $venv (websockets $pinned)"
    exit 0
fi

python=${PYTHON:-python3}
if ! "$python" -m venv "$venv"; then
    echo "interop venv: FAILED: $python -m venv $venv (install python3-venv)" >&2
    exit 1
fi
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"; then
    echo "interop venv: FAILED: $venv/bin/python -m pip install -r $requirements" >&2
    echo "interop venv: is PyPI reachable? The interop tests cannot run without python-websockets." >&2
    exit 1
fi
echo "interop venv: $venv (websockets $pinned, installed)"
