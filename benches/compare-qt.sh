#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Qt echo comparison: RsWebSocketServer/RsWebSocket against Qt's own QWebSocketServer/QWebSocket.
# Both servers are the same source (benches/compare/qt/qt_echo.cpp, classes renamed), each on a
# single-threaded QCoreApplication event loop, loaded by the same client (`wsload`, see
# benches/compare/src/bin/wsload.rs) in one run. Scenarios:
#   small   64 connections x 16-byte text messages, 32 in flight per connection (pipelined)
#   medium   8 connections x 64 KiB binary messages, 4 in flight per connection
#   large    1 connection, one 16 MiB binary message at a time (round trips)
# Runs are interleaved (rep 1: every scenario against both servers, rep 2: ...); the table shows
# medians and the ratios RsWebSockets vs QtWebSockets: "x msgs/s" (ours / theirs, higher is
# better), "x p99" (ours / theirs, lower is better) and "x cpu" (each server's CPU time, user +
# system, per echoed message: theirs / ours, higher is better; a busy machine distorts it less
# than throughput, since the client and the kernel's loopback share the cores).
# Everything listens on 127.0.0.1 only; every run is bounded in time; every process started here
# is killed on exit.
#
# Usage: benches/compare-qt.sh [-r REPS] [-s SECS] [-S "small medium large"] [-o RESULTS_FILE]
# Env:   RSWS_PREFIX   an installed RsWebSockets (with the Qt component) to build against;
#                      default: this tree is built (Release) and installed into $QT_BENCH_DIR/prefix
#        QT_BENCH_DIR  build directory (default build/compare-qt)
#        CARGO_TARGET_DIR (for wsload), BASE_PORT (default 9340), JOBS (default: all cores)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=benches/lib.sh
source "$here/lib.sh"
scenario_options 4,24 "$@"
base_port=${BASE_PORT:-9340}
bdir=${QT_BENCH_DIR:-$root/build/compare-qt}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
target=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TARGET_DIR=$target
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)

mkdir -p "$bdir"
prefix=${RSWS_PREFIX:-}
if [ -z "$prefix" ]; then
    prefix=$bdir/prefix
    echo "== building RsWebSockets (Release) and installing into $prefix" >&2
    cmake -S "$root" -B "$bdir/rswebsockets" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
        -DBUILD_TESTING=OFF >"$bdir/rswebsockets.log" 2>&1 &&
        cmake --build "$bdir/rswebsockets" --parallel "$jobs" >>"$bdir/rswebsockets.log" 2>&1 &&
        cmake --install "$bdir/rswebsockets" --prefix "$prefix" >>"$bdir/rswebsockets.log" 2>&1 || {
        echo "RsWebSockets build failed; see $bdir/rswebsockets.log" >&2
        tail -20 "$bdir/rswebsockets.log" >&2
        exit 2
    }
fi
echo "== building the Qt echo servers (benches/compare/qt) against $prefix" >&2
cmake -S "$here/compare/qt" -B "$bdir/echo" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$bdir/echo.log" 2>&1 &&
    cmake --build "$bdir/echo" --parallel "$jobs" >>"$bdir/echo.log" 2>&1 || {
    echo "echo server build failed; see $bdir/echo.log" >&2
    tail -20 "$bdir/echo.log" >&2
    exit 2
}
if [ ! -x "$bdir/echo/rsws_echo" ]; then
    echo "rsws_echo was not built (RsWebSockets not found under $prefix); see $bdir/echo.log" >&2
    exit 2
fi
echo "== building wsload (release)" >&2
(cd "$here/compare" && cargo build --release --locked --quiet --bin wsload)

servers=(rswebsockets-qt qtwebsockets)
cmds=("$bdir/echo/rsws_echo --port" "$bdir/echo/qtws_echo --port")

start_servers "$base_port"

run_reps "$target/release/wsload"

print_table <<'EOF'
base_name = "qtwebsockets"
order = [s for s in ("small", "medium", "large") if any(k[0] == s for k in runs)]
print(f"{'scenario':8} {'server':16} {'runs':>4} {'msgs/s':>12} {'MiB/s':>9} {'p50 us':>10} {'p99 us':>10} "
      f"{'cpu us/msg':>10} {'x msgs/s':>9} {'x p99':>7} {'x cpu':>6}")
for sc in order:
    base = runs.get((sc, base_name))
    for srv in servers:
        rows = runs.get((sc, srv))
        if not rows:
            print(f"{sc:8} {srv:16} {0:>4}   (no successful run)")
            continue
        m, p99 = med(rows, "msgs_per_s"), med(rows, "p99_us")
        cpu = cpu_us(rows)
        rm = f"{m / med(base, 'msgs_per_s'):.2f}" if base else "-"
        rp = f"{p99 / med(base, 'p99_us'):.2f}" if base else "-"
        rc = f"{cpu_us(base) / cpu:.2f}" if base and cpu > 0 else "-"
        print(f"{sc:8} {srv:16} {len(rows):>4} {m:>12.0f} {med(rows, 'mib_per_s'):>9.1f} "
              f"{med(rows, 'p50_us'):>10.0f} {p99:>10.0f} {cpu:>10.1f} {rm:>9} {rp:>7} {rc:>6}")
EOF
