#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Deflate echo comparison: our `echo_server --deflate` beside Boost.Beast's deflate echo server
# (benches/compare/beast/beast_echo.cpp: one thread, permessage_deflate server_enable=true,
# Beast's defaults otherwise) and python-websockets' (tests/interop/peer.py server --bench:
# compression="deflate", its defaults), in one run, loaded by the same client
# (benches/compare/src/bin/wsload_deflate.rs) with permessage-deflate negotiated:
# 16 connections x 1 KiB JSON-like text messages, 8 in flight per connection.
# Our server runs twice: at its default compression level (6) and at level 1
# (`--deflate-level 1`), whose output is about as large as Beast's at Beast's defaults.
# Runs are interleaved (rep 1: every server, rep 2: ...); the table shows medians, the bytes
# per echo on the wire, each server's msgs/s relative to Beast's ("x beast") and its CPU time
# per echoed message ("cpu us"; "x cpu" = Beast's / this one's, higher is better), which a busy
# machine distorts less than throughput. Target (issue 4): >= 1.5x Beast.
# Everything listens on 127.0.0.1 only; every run is bounded in time; every process started
# here is killed on exit.
#
# Usage: benches/compare-deflate.sh [-r REPS] [-s SECS] [-c CONNS] [-z SIZE] [-w WINDOW]
#                                   [-o RESULTS_FILE]
# Env:   CARGO_TARGET_DIR (default: target), BASE_PORT (default 9410), CXX (default g++).
# Needs: libboost-dev (Beast, header-only, Boost >= 1.70), python3 with venv + PyPI for
# tests/interop/setup-venv.sh. A server that cannot be built is skipped with a message.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
reps=3
secs=3
conns=16
size=1024
window=8
out=""
while getopts "r:s:c:z:w:o:h" opt; do
    case $opt in
        r) reps=$OPTARG ;;
        s) secs=$OPTARG ;;
        c) conns=$OPTARG ;;
        z) size=$OPTARG ;;
        w) window=$OPTARG ;;
        o) out=$OPTARG ;;
        *) sed -n '4,24p' "$0"; exit 2 ;;
    esac
done
base_port=${BASE_PORT:-9410}
target=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TARGET_DIR=$target

# shellcheck source=benches/lib.sh
source "$here/lib.sh"

servers=()
cmds=()

echo "== building wsload_deflate (release)" >&2
(cd "$here/compare" && cargo build --release --locked --quiet --bin wsload_deflate)

echo "== building echo_server (release)" >&2
if (cd "$root" && cargo build --release --quiet --example echo_server) 2>"$logs/build-ours"; then
    servers+=(rswebsockets rswebsockets-level1)
    cmds+=("$target/release/examples/echo_server --deflate --port"
        "$target/release/examples/echo_server --deflate-level 1 --port")
else
    echo "== SKIPPING rswebsockets: 'cargo build --release --example echo_server' failed:" >&2
    tail -5 "$logs/build-ours" >&2
fi

echo "== building beast_echo (${CXX:-g++} -O2)" >&2
beast_src=$here/compare/beast/beast_echo.cpp
beast_bin=$target/beast_echo
if [ ! -f /usr/include/boost/beast.hpp ]; then
    echo "== SKIPPING Beast: /usr/include/boost/beast.hpp missing (apt-get install libboost-dev)" >&2
elif { [ "$beast_bin" -nt "$beast_src" ] ||
    "${CXX:-g++}" -std=c++17 -O2 -DNDEBUG "$beast_src" -o "$beast_bin" -pthread 2>"$logs/build-beast"; }; then
    servers+=(beast)
    cmds+=("$beast_bin --port")
else
    echo "== SKIPPING Beast: the build failed:" >&2
    tail -5 "$logs/build-beast" >&2
fi

echo "== python-websockets venv" >&2
if "$root/tests/interop/setup-venv.sh" >&2; then
    servers+=(python-websockets)
    cmds+=("$root/build/.venv-interop/bin/python $root/tests/interop/peer.py server --bench --port")
else
    echo "== SKIPPING python-websockets: no venv (see the message above)" >&2
fi

start_servers "$base_port" 200

run_reps "$target/release/wsload_deflate" --conns "$conns" --size "$size" --window "$window"

# Medians per server; "x beast" = msgs/s / Beast's msgs/s.
print_table <<'EOF'
beast = runs.get(("deflate", "beast"))
print(f"{'server':20} {'runs':>4} {'msgs/s':>10} {'p50 us':>9} {'p99 us':>9} {'echo B':>7} {'x beast':>8} {'cpu us':>7} {'x cpu':>6}  negotiated")
for srv in servers:
    rows = runs.get(("deflate", srv))
    if not rows:
        print(f"{srv:20} {0:>4}   (no successful run)")
        continue
    m = med(rows, "msgs_per_s")
    ratio = f"{m / med(beast, 'msgs_per_s'):.2f}" if beast else "-"
    cpu = cpu_us(rows)
    xcpu = f"{cpu_us(beast) / cpu:.2f}" if beast and cpu > 0 else "-"
    print(f"{srv:20} {len(rows):>4} {m:>10.0f} {med(rows, 'p50_us'):>9.0f} {med(rows, 'p99_us'):>9.0f} "
          f"{med(rows, 'echo_wire_bytes_per_msg'):>7.0f} {ratio:>8} {cpu:>7.1f} {xcpu:>6}  {rows[0]['ext']}")
EOF
