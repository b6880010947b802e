#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# The Qt echo server of RsWebSockets (qt-example/echoserver) beside QtWebSockets' echo server
# (benches/qt-echo/qtws_echoserver.cpp): both are one QCoreApplication event loop echoing from a
# slot, both loaded by the same client (benches/compare wsload), runs interleaved:
#   small   64 connections x 16-byte text messages, 32 in flight per connection
#   medium   8 connections x 64 KiB binary messages, 4 in flight per connection
#   large    1 connection, one 16 MiB binary message at a time
# Prints medians and the ratio RsWebSockets / QtWebSockets (msgs/s, higher is better).
# Issue 5 targets: >= 3x on medium and large, >= 1.5x on small.
#
# usage: benches/qt-echo/compare-qt.sh ECHOSERVER [-r REPS] [-s SECS] [-S "small medium large"]
#   ECHOSERVER  qt-example's echoserver built in Release against the installed package
# Env: CARGO_TARGET_DIR (wsload), QTWS_BUILD_DIR (default /tmp/qtws-echo-build), BASE_PORT (9410).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] || { sed -n '4,17p' "$0"; exit 2; }
ours=$1
shift
reps=3
secs=3
scenarios="small medium large"
while getopts "r:s:S:h" opt; do
    case $opt in
        r) reps=$OPTARG ;;
        s) secs=$OPTARG ;;
        S) scenarios=$OPTARG ;;
        *) sed -n '4,17p' "$0"; exit 2 ;;
    esac
done
target=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TARGET_DIR=$target
qtws_build=${QTWS_BUILD_DIR:-/tmp/qtws-echo-build}
base_port=${BASE_PORT:-9410}

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

echo "== building wsload and qtws_echoserver (release)" >&2
(cd "$root/benches/compare" && cargo build --release --locked --quiet --bin wsload)
cmake -S "$here" -B "$qtws_build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$qtws_build" >/dev/null

servers=(rswebsockets-qt qtwebsockets)
cmds=("$ours" "$qtws_build/qtws_echoserver")

cpu_ticks() { # utime + stime of a process, in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
wait_port() {
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "server on port $1 did not start" >&2
    return 1
}

ports=()
for i in "${!servers[@]}"; do
    port=$((base_port + i))
    "${cmds[$i]}" --port "$port" --quiet >/dev/null 2>&1 &
    pids+=($!)
    ports+=("$port")
    wait_port "$port"
done

results=$(mktemp)
for rep in $(seq 1 "$reps"); do
    for sc in $scenarios; do
        for i in "${!servers[@]}"; do
            echo "== rep $rep/$reps  $sc  ${servers[$i]}" >&2
            t0=$(cpu_ticks "${pids[$i]}")
            if line=$(timeout $((secs * 4 + 60)) "$target/release/wsload" --scenario "$sc" \
                --port "${ports[$i]}" --label "${servers[$i]}" --secs "$secs"); then
                echo "$line server_cpu_ticks=$(($(cpu_ticks "${pids[$i]}") - t0))" >>"$results"
            else
                echo "   (run failed)" >&2
            fi
        done
    done
done

python3 - "$results" "$(getconf CLK_TCK)" "${servers[@]}" <<'PY'
import statistics, sys
path, tck, servers = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
runs = {}
for line in open(path):
    if not line.startswith("RESULT "):
        continue
    kv = dict(f.split("=", 1) for f in line.split()[1:])
    if kv.get("errors") != "0":
        continue
    runs.setdefault((kv["scenario"], kv["server"]), []).append(kv)
def med(rows, key):
    return statistics.median(float(r[key]) for r in rows)
def cpu_us(rows):
    return statistics.median(float(r["server_cpu_ticks"]) / tck * 1e6 / max(1.0, float(r["all_msgs"]))
                             for r in rows)
targets = {"small": 1.5, "medium": 3.0, "large": 3.0}
print(f"{'scenario':8} {'server':16} {'runs':>4} {'msgs/s':>11} {'MiB/s':>9} {'p50 us':>9} {'p99 us':>10} "
      f"{'cpu us/msg':>11} {'x msgs/s':>9} {'target':>7}")
for sc in [s for s in ("small", "medium", "large") if any(k[0] == s for k in runs)]:
    base = runs.get((sc, "qtwebsockets"))
    for srv in servers:
        rows = runs.get((sc, srv))
        if not rows:
            print(f"{sc:8} {srv:16} {0:>4}   (no successful run)")
            continue
        m = med(rows, "msgs_per_s")
        ratio = f"{m / med(base, 'msgs_per_s'):.2f}" if base and srv != "qtwebsockets" else "-"
        tgt = f">={targets[sc]}" if srv != "qtwebsockets" else ""
        print(f"{sc:8} {srv:16} {len(rows):>4} {m:>11.0f} {med(rows, 'mib_per_s'):>9.1f} "
              f"{med(rows, 'p50_us'):>9.0f} {med(rows, 'p99_us'):>10.0f} {cpu_us(rows):>11.2f} "
              f"{ratio:>9} {tgt:>7}")
PY
rm -f "$results"
