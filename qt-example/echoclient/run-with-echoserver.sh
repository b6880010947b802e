#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# End to end: starts echoserver on a free port with --compress, runs echoclient against it
# (text, binary and a compressed message, then a clean close) and stops the server.
# usage: run-with-echoserver.sh ECHOSERVER ECHOCLIENT   (exit status: echoclient's)
set -euo pipefail

server_bin=$1
client_bin=$2
log=$(mktemp)
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -f "$log"' EXIT

"$server_bin" --port 0 --compress >"$log" 2>&1 &
server_pid=$!

port=
for _ in $(seq 1 100); do
    port=$(sed -n 's/^Echo server listening on port \([0-9]*\).*/\1/p' "$log")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.05
done
[ -n "$port" ] || { echo "echoserver did not start:"; cat "$log"; exit 1; }

rc=0
"$client_bin" --url "ws://127.0.0.1:$port" || rc=$?
sleep 0.2
echo "--- echoserver output:"
cat "$log"
exit "$rc"
