#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Echo comparison: our `echo_server` example vs tokio-tungstenite and fastwebsockets echo
# servers (benches/compare/), all on single-threaded tokio runtimes, all loaded by the same
# client (`wsload`) in one run, with `null_echo` (a server that checks nothing) as the ceiling
# of the small scenario.
# Scenarios (see wsload.rs):
#   small   64 connections x 16-byte text messages, 32 in flight per connection
#   medium   8 connections x 64 KiB binary messages, 4 in flight per connection
#   large    1 connection, one 16 MiB binary message at a time (round trips)
# Runs are interleaved (rep 1: every scenario against every server, rep 2: ...) so a noisy
# neighbour hurts every server alike; the table shows medians and ratios vs tokio-tungstenite
# ("x msgs/s": higher is better; "x p99": ours / theirs, lower is better), and each server's
# CPU time per echoed message ("x cpu": tokio-tungstenite's / this one's, higher is better),
# which a busy machine distorts less than throughput.
# Everything listens on 127.0.0.1 only; every run is bounded in time; every process started
# here is killed on exit.
#
# Usage: benches/compare.sh [-r REPS] [-s SECS] [-S "small medium large"] [-o RESULTS_FILE]
# Env:   CARGO_TARGET_DIR (shared by both builds), BASE_PORT (default 9310).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=benches/lib.sh
source "$here/lib.sh"
scenario_options 4,20 "$@"
base_port=${BASE_PORT:-9310}
target=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TARGET_DIR=$target

echo "== building (release)" >&2
(cd "$here/compare" && cargo build --release --locked --quiet --bins)
# null-echo checks nothing (see benches/compare/src/bin/null_echo.rs): the ceiling any server
# can reach on this machine with this client, shown for scale, not a competitor. Small messages
# only: it writes every piece of a large payload as it arrives, which makes it slower than the
# real servers on 64 KiB and 16 MiB messages, so it is no ceiling there.
skip_run() { [ "$1" = null-echo ] && [ "$2" != small ]; }
servers=(tokio-tungstenite fastwebsockets null-echo)
cmds=("$target/release/tungstenite_echo --port" "$target/release/fastws_echo --port"
    "$target/release/null_echo --port")
if (cd "$root" && cargo build --release --quiet --example echo_server) 2>"$logs/build-ours"; then
    servers=(rswebsockets "${servers[@]}")
    cmds=("$target/release/examples/echo_server --port" "${cmds[@]}")
else
    echo "== SKIPPING rswebsockets: 'cargo build --release --example echo_server' failed:" >&2
    tail -5 "$logs/build-ours" >&2
fi

start_servers "$base_port"

run_reps "$target/release/wsload"

# Medians per (scenario, server); ratios vs tokio-tungstenite (msgs/s: higher is better;
# p99: ours / theirs, lower is better).
print_table <<'EOF'
order = [s for s in ("small", "medium", "large") if any(k[0] == s for k in runs)]
print(f"{'scenario':8} {'server':18} {'runs':>4} {'msgs/s':>12} {'MiB/s':>9} {'p50 us':>10} {'p99 us':>10} "
      f"{'x msgs/s':>9} {'x p99':>7} {'cpu us/msg':>11} {'x cpu':>6}")
for sc in order:
    base = runs.get((sc, "tokio-tungstenite"))
    for srv in servers:
        rows = runs.get((sc, srv))
        if not rows and srv == "null-echo":
            continue  # small only, see skip_run
        if not rows:
            print(f"{sc:8} {srv:18} {0:>4}   (no successful run)")
            continue
        m, p99 = med(rows, "msgs_per_s"), med(rows, "p99_us")
        rm = f"{m / med(base, 'msgs_per_s'):.2f}" if base else "-"
        rp = f"{p99 / med(base, 'p99_us'):.2f}" if base else "-"
        cpu = cpu_us(rows)
        rc = f"{cpu_us(base) / cpu:.2f}" if base and cpu > 0 else "-"
        print(f"{sc:8} {srv:18} {len(rows):>4} {m:>12.0f} {med(rows, 'mib_per_s'):>9.1f} "
              f"{med(rows, 'p50_us'):>10.0f} {p99:>10.0f} {rm:>9} {rp:>7} {cpu:>11.2f} {rc:>6}")
EOF
