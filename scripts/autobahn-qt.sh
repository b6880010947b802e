#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Autobahn|Testsuite conformance of the Qt face, both roles, compared case by case with the
# "qt-server" and "qt-client" entries of tests/autobahn/expected.json (tests/autobahn/compare.py):
#   server role: fuzzingclient against qt-example's `echoserver --port N --compress`
#                (RsWebSocketServer), built against the installed package
#   client role: fuzzingserver driving `autobahnclient URL AGENT` (RsWebSocket, offers
#                permessage-deflate), built with the tests
# The Rust programs are covered by scripts/autobahn.sh; the cases are the same.
#
# usage: scripts/autobahn-qt.sh [--full] [--role server|client|both] [--cases PATTERNS] [--update]
#   (default)      1.* to 10.* (every case) plus the permessage-deflate subset of 12.*/13.* of
#                  scripts/autobahn.sh (12.1-12.5, 13.1-13.7, every message size class)
#   --full         all 517 cases
#   --cases P      only these case patterns, e.g. '1.*,7.5.1'
#   --role R       only one role
#   --update       write this run's outcomes into tests/autobahn/expected.json (qt-* roles)
# Env: BUILD_DIR (default build/test: the CMake build tree of scripts/test-all.sh), AUTOBAHN_DIR
#      (default ../shared/autobahn), REPORT_DIR (default $BUILD_DIR/autobahn-qt).
# The echoserver is the one the package test built ($BUILD_DIR/tests/package/work/...); without
# it, BUILD_DIR (built) is installed into REPORT_DIR/prefix and qt-example/echoserver is built
# against that.
# Exit: 0 no regression, 1 regression, 2 harness or build error, 3 skipped (reason printed).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AB=${AUTOBAHN_DIR:-$ROOT/../shared/autobahn}
BUILD=${BUILD_DIR:-$ROOT/build/test}
OUT=${REPORT_DIR:-$BUILD/autobahn-qt}
EXPECTED=$ROOT/tests/autobahn/expected.json
AGENT=rswebsockets-qt

# The same cases as scripts/autobahn.sh.
DEFLATE_SUBSET="12.1.1,12.2.2,12.3.3,12.4.4,12.5.5,12.1.10,12.1.15,\
13.1.1,13.2.1,13.3.1,13.4.1,13.5.1,13.6.1,13.7.1,\
13.1.6,13.2.7,13.3.8,13.4.9,13.5.10,13.6.11,13.7.18"
CASES="1.*,2.*,3.*,4.*,5.*,6.*,7.*,8.*,9.*,10.*,$DEFLATE_SUBSET"
ROLE=both
UPDATE=()
while [ $# -gt 0 ]; do
    case $1 in
        --full) CASES="*" ;;
        --cases) CASES=$2; shift ;;
        --role) ROLE=$2; shift ;;
        --update) UPDATE=(--update) ;;
        *) sed -n '4,25p' "$0"; exit 2 ;;
    esac
    shift
done

if [ ! -x "$AB/run-server-tests.sh" ]; then
    echo "autobahn-qt: skipped (no Autobahn harness at $AB)"
    exit 3
fi
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    echo "autobahn-qt: skipped (no CMake build tree at $BUILD; run scripts/test-all.sh or set BUILD_DIR)"
    exit 3
fi
if ! grep -q '^RSWEBSOCKETS_BUILD_QT:BOOL=ON' "$BUILD/CMakeCache.txt"; then
    echo "autobahn-qt: skipped (the build at $BUILD has no Qt library)"
    exit 3
fi
# The Autobahn venv is made by scripts/autobahn.sh (it runs first in the conformance step).
STATE=${AUTOBAHN_HOME:-$AB}
[ -w "$STATE" ] || STATE=${XDG_CACHE_HOME:-$HOME/.cache}/autobahn-py3
if [ ! -x "${AUTOBAHN_VENV:-$STATE/.venv}/bin/wstest" ]; then
    echo "autobahn-qt: skipped (the Autobahn harness is not set up; scripts/autobahn.sh sets it up)"
    exit 3
fi
mkdir -p "$OUT"

# ---- programs ---------------------------------------------------------------------------------
CLIENT=$BUILD/tests/qt-autobahn/autobahnclient
if [ "$ROLE" != server ]; then
    echo "autobahn-qt: building autobahnclient"
    cmake --build "$BUILD" --target autobahnclient >"$OUT/build-client.log" 2>&1 || {
        echo "autobahn-qt: cannot build autobahnclient:"; tail -20 "$OUT/build-client.log"; exit 2; }
fi
SERVER=$BUILD/tests/package/work/build-qt-example/echoserver/echoserver
if [ "$ROLE" != client ] && [ ! -x "$SERVER" ]; then
    echo "autobahn-qt: building qt-example/echoserver against $BUILD installed into $OUT/prefix"
    gen=()
    command -v ninja >/dev/null && gen=(-G Ninja)
    {
        cmake --install "$BUILD" --prefix "$OUT/prefix" &&
            cmake -S "$ROOT/qt-example/echoserver" -B "$OUT/echoserver" "${gen[@]}" \
                -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$OUT/prefix" \
                -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF &&
            cmake --build "$OUT/echoserver"
    } >"$OUT/build-server.log" 2>&1 || {
        echo "autobahn-qt: cannot build echoserver:"; tail -20 "$OUT/build-server.log"; exit 2; }
    SERVER=$OUT/echoserver/echoserver
fi

# shellcheck source=scripts/autobahn-roles.sh
source "$ROOT/scripts/autobahn-roles.sh"
start_server() { exec "$SERVER" --port "$1" --compress --quiet; }
autobahn_roles autobahn-qt "qt-" echoserver autobahnclient "$CLIENT"
python3 "$ROOT/tests/autobahn/compare.py" "$EXPECTED" "${RUNS[@]}" --agent "$AGENT" "${UPDATE[@]}"
