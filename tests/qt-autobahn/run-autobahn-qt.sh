#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Autobahn|Testsuite conformance of the Qt face, both roles, compared case by case with the
# engine's tests/autobahn/expected.json (the Qt classes must meet the same expectations):
#   server role: fuzzingclient against the Qt example `echoserver --compress`
#   client role: fuzzingserver driving `autobahnclient URL AGENT` (RsWebSocket)
#
# usage: tests/qt-autobahn/run-autobahn-qt.sh ECHOSERVER AUTOBAHNCLIENT [--role server|client|both]
#            [--cases PATTERNS] [--full]
#   ECHOSERVER      the built qt-example echoserver (e.g. <build>/qt-example/echoserver/echoserver)
#   AUTOBAHNCLIENT  the built tests/qt-autobahn autobahnclient
#   default cases   1.* to 10.* plus the permessage-deflate subset of scripts/autobahn.sh
# Env: AUTOBAHN_DIR (default ../shared/autobahn), REPORT_DIR (default ./autobahn-qt-reports).
# Exit: 0 no regression, 1 regression, 2 harness error, 3 skipped (no harness; reason printed).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AB=${AUTOBAHN_DIR:-$ROOT/../shared/autobahn}
OUT=${REPORT_DIR:-$PWD/autobahn-qt-reports}
EXPECTED=$ROOT/tests/autobahn/expected.json
AGENT=rswebsockets-qt

[ $# -ge 2 ] || { sed -n '4,17p' "$0"; exit 2; }
SERVER_BIN=$1
CLIENT_BIN=$2
shift 2

DEFLATE_SUBSET="12.1.1,12.2.2,12.3.3,12.4.4,12.5.5,12.1.10,12.1.15,\
13.1.1,13.2.1,13.3.1,13.4.1,13.5.1,13.6.1,13.7.1,\
13.1.6,13.2.7,13.3.8,13.4.9,13.5.10,13.6.11,13.7.18"
CASES="1.*,2.*,3.*,4.*,5.*,6.*,7.*,8.*,9.*,10.*,$DEFLATE_SUBSET"
ROLE=both
while [ $# -gt 0 ]; do
    case $1 in
        --full) CASES="*" ;;
        --cases) CASES=$2; shift ;;
        --role) ROLE=$2; shift ;;
        *) sed -n '4,17p' "$0"; exit 2 ;;
    esac
    shift
done

if [ ! -x "$AB/run-server-tests.sh" ]; then
    echo "autobahn-qt: skipped (no Autobahn harness at $AB)"
    exit 3
fi
STATE=${AUTOBAHN_HOME:-$AB}
[ -w "$STATE" ] || STATE=${XDG_CACHE_HOME:-$HOME/.cache}/autobahn-py3
if [ ! -x "${AUTOBAHN_VENV:-$STATE/.venv}/bin/wstest" ]; then
    mkdir -p "$OUT"
    if ! "$AB/setup.sh" >"$OUT/setup.log" 2>&1; then
        echo "autobahn-qt: skipped (the harness setup failed, see $OUT/setup.log)"
        exit 3
    fi
fi

SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT INT TERM

mkdir -p "$OUT"
RUNS=()
START=$(date +%s)
if [ "$ROLE" = server ] || [ "$ROLE" = both ]; then
    # Port 0: the server picks a free port and prints it.
    "$SERVER_BIN" --port 0 --compress --quiet >"$OUT/echoserver.log" 2>&1 &
    SERVER_PID=$!
    port=
    for _ in $(seq 1 100); do
        port=$(sed -n 's/^Echo server listening on port \([0-9]*\).*/\1/p' "$OUT/echoserver.log")
        [ -n "$port" ] && break
        sleep 0.05
    done
    [ -n "$port" ] || { echo "autobahn-qt: echoserver did not start"; cat "$OUT/echoserver.log"; exit 2; }
    echo "autobahn-qt: server role (fuzzingclient -> Qt echoserver on port $port)"
    rc=0
    "$AB/run-server-tests.sh" -o "$OUT/server" -a "$AGENT" "ws://127.0.0.1:$port" "$CASES" \
        >"$OUT/server.log" 2>&1 || rc=$?
    cleanup
    SERVER_PID=
    [ "$rc" -le 1 ] || { echo "autobahn-qt: fuzzingclient failed:"; tail -20 "$OUT/server.log"; exit 2; }
    RUNS+=("server=$OUT/server")
fi
if [ "$ROLE" = client ] || [ "$ROLE" = both ]; then
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "autobahn-qt: client role (fuzzingserver on port $port <- autobahnclient)"
    rc=0
    "$AB/run-client-tests.sh" -p "$port" -o "$OUT/client" "$CASES" -- \
        "$CLIENT_BIN" "ws://127.0.0.1:$port" "$AGENT" >"$OUT/client.log" 2>&1 || rc=$?
    [ "$rc" -le 1 ] || { echo "autobahn-qt: fuzzingserver failed:"; tail -20 "$OUT/client.log"; exit 2; }
    RUNS+=("client=$OUT/client")
fi
echo "autobahn-qt: $(($(date +%s) - START)) s; reports in $OUT/{server,client}/index.html"
python3 "$ROOT/tests/autobahn/compare.py" "$EXPECTED" "${RUNS[@]}" --agent "$AGENT"
