# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Shared parts of the side-by-side comparison scripts (compare.sh, compare-deflate.sh,
# compare-qt.sh); sourced, not run. The sourcing script sets `reps`, `secs`, `out` (and
# `scenarios`; scenario_options does it for compare.sh and compare-qt.sh), fills the arrays
# `servers` (names) and `cmds` (each a command line that takes the port as its last argument,
# split on spaces), then calls start_servers, run_reps and print_table. Every server started
# here is killed on exit; `logs` (a temporary directory, $results included) is removed on exit.

pids=()
ports=()
logs=$(mktemp -d)
results=$(mktemp -p "$logs")

bench_cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$logs"
}
trap bench_cleanup EXIT INT TERM

# Servers and the load client on separate cores where the machine has two or more and `taskset`
# exists (BENCH_PIN=0 turns it off): on a small box the scheduler otherwise moves them onto one
# core at times, which makes throughput and p99 measure the scheduler. Every server gets the same
# core, so the comparison stays fair.
server_pin=()
client_pin=()
if [ "${BENCH_PIN:-1}" != 0 ] && command -v taskset >/dev/null 2>&1 \
    && [ "$(nproc 2>/dev/null || echo 1)" -ge 2 ]; then
    server_pin=(taskset -c 1)
    client_pin=(taskset -c 0)
fi

# scenario_options HELP_LINES ARGS...: the options of the scenario scripts (compare.sh,
# compare-qt.sh): -r REPS (3), -s SECS (3), -S SCENARIOS ("small medium large"), -o FILE; any
# other prints lines HELP_LINES (sed range, e.g. 4,20) of the script and exits 2.
scenario_options() {
    local help=$1 opt
    shift
    reps=3
    secs=3
    scenarios="small medium large"
    out=""
    while getopts "r:s:S:o:h" opt; do
        case $opt in
            r) reps=$OPTARG ;;
            s) secs=$OPTARG ;;
            S) scenarios=$OPTARG ;;
            o) out=$OPTARG ;;
            *) sed -n "${help}p" "$0"; exit 2 ;;
        esac
    done
}

# CPU time (user + system, in clock ticks) a process has used so far; 0 where /proc is missing.
cpu_ticks() {
    if [ -r "/proc/$1/stat" ]; then
        sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
    else
        echo 0
    fi
}

# wait_port PORT [TRIES]: waits (TRIES x 50 ms, default 100) until 127.0.0.1:PORT accepts.
wait_port() {
    for _ in $(seq 1 "${2:-100}"); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "server on port $1 did not start" >&2
    return 1
}

# start_servers BASE_PORT [TRIES]: starts server i of `cmds` on port BASE_PORT + i (log in
# $logs/NAME.log; the port probe makes each server log one aborted handshake) and waits for it.
start_servers() {
    local i port
    for i in "${!servers[@]}"; do
        port=$(($1 + i))
        # shellcheck disable=SC2086 # cmds hold a command and its arguments
        "${server_pin[@]}" ${cmds[$i]} "$port" >"$logs/${servers[$i]}.log" 2>&1 &
        pids+=($!)
        ports+=("$port")
        wait_port "$port" "${2:-100}"
    done
}

# run_load I SECS CLIENT ARGS...: one load run against server I, bounded in time; its RESULT
# line, with the server's CPU ticks during the run appended, goes to $results.
run_load() {
    local i=$1 secs=$2 line t0
    shift 2
    t0=$(cpu_ticks "${pids[$i]}")
    if line=$(timeout $((secs * 4 + 60)) "${client_pin[@]}" "$@" --port "${ports[$i]}" --label "${servers[$i]}" \
        --secs "$secs"); then
        echo "$line server_cpu_ticks=$(($(cpu_ticks "${pids[$i]}") - t0))" >>"$results"
    else
        echo "   (run failed; server log: $(tail -3 "$logs/${servers[$i]}.log"))" >&2
    fi
}

# run_reps CLIENT ARGS...: $reps interleaved rounds; each runs CLIENT ARGS against every server,
# once per scenario of $scenarios (passed as --scenario) where the script has scenarios, except
# where the script defines `skip_run SERVER SCENARIO` and it succeeds. Then copies the RESULT
# lines to $out if set.
run_reps() {
    local rep sc i
    for rep in $(seq 1 "$reps"); do
        for sc in ${scenarios:--}; do
            for i in "${!servers[@]}"; do
                if [ "$sc" = - ]; then
                    echo "== rep $rep/$reps  ${servers[$i]}" >&2
                    run_load "$i" "$secs" "$@"
                elif ! declare -F skip_run >/dev/null || ! skip_run "${servers[$i]}" "$sc"; then
                    echo "== rep $rep/$reps  $sc  ${servers[$i]}" >&2
                    run_load "$i" "$secs" "$@" --scenario "$sc"
                fi
            done
        done
    done
    if [ -n "$out" ]; then cp "$results" "$out"; fi
}

# print_table: runs the Python table code on stdin after a prelude that reads $results into
# `runs` ((scenario, server) -> successful RESULT lines as dicts) and defines `med(rows, key)`
# (median) and `cpu_us(rows)` (median server CPU time per echoed message); `servers` holds the
# server names in order.
print_table() {
    python3 -c "$(
        cat <<'EOF'
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
    # Server CPU time (user + system) per echoed message, warm-up and drain included.
    return statistics.median(float(r["server_cpu_ticks"]) / tck * 1e6 / max(1.0, float(r["all_msgs"]))
                             for r in rows)
EOF
        cat
    )" "$results" "$(getconf CLK_TCK)" "${servers[@]}"
}
