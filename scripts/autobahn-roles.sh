# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Sourced by scripts/autobahn.sh and scripts/autobahn-qt.sh: runs the Autobahn roles for one pair
# of programs and fills RUNS with "<row>=<report dir>" for tests/autobahn/compare.py.
#
# The caller sets AB (the harness), OUT (report dir), AGENT, CASES, ROLE (server|client|both) and
# defines start_server PORT, which must `exec` the echo server (it runs in the background).

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=
}
trap cleanup EXIT INT TERM

# autobahn_roles LABEL ROW_PREFIX SERVER_NAME CLIENT_NAME CLIENT_PROGRAM
autobahn_roles() {
    local label=$1 prefix=$2 server_name=$3 client_name=$4 client=$5 port rc start
    RUNS=()
    start=$(date +%s)
    mkdir -p "$OUT"
    if [ "$ROLE" = server ] || [ "$ROLE" = both ]; then
        port=$(free_port)
        start_server "$port" >"$OUT/$server_name.log" 2>&1 &
        SERVER_PID=$!
        for _ in $(seq 1 100); do
            (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
            sleep 0.05
        done
        echo "$label: server role (fuzzingclient -> $server_name on port $port)"
        rc=0
        "$AB/run-server-tests.sh" -o "$OUT/server" -a "$AGENT" "ws://127.0.0.1:$port" "$CASES" \
            >"$OUT/server.log" 2>&1 || rc=$?
        cleanup
        [ "$rc" -le 1 ] || { echo "$label: fuzzingclient failed:"; tail -20 "$OUT/server.log"; exit 2; }
        RUNS+=("${prefix}server=$OUT/server")
    fi
    if [ "$ROLE" = client ] || [ "$ROLE" = both ]; then
        port=$(free_port)
        echo "$label: client role (fuzzingserver on port $port <- $client_name)"
        rc=0
        "$AB/run-client-tests.sh" -p "$port" -o "$OUT/client" "$CASES" -- \
            "$client" "ws://127.0.0.1:$port" "$AGENT" >"$OUT/client.log" 2>&1 || rc=$?
        [ "$rc" -le 1 ] || { echo "$label: fuzzingserver failed:"; tail -20 "$OUT/client.log"; exit 2; }
        RUNS+=("${prefix}client=$OUT/client")
    fi
    echo "$label: $(($(date +%s) - start)) s; reports in $OUT/{server,client}/index.html"
}
