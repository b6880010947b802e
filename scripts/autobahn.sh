#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Autobahn|Testsuite conformance, both roles, compared case by case with
# tests/autobahn/expected.json (tests/autobahn/compare.py):
#   server role: fuzzingclient against `cargo run --release --example echo_server -- --deflate`
#   client role: fuzzingserver driving `cargo run --release --example autobahn_client`
#
# usage: scripts/autobahn.sh [--full] [--role server|client|both] [--cases PATTERNS] [--update]
#   (default)      1.* to 10.* (every case) plus a permessage-deflate subset of 12.*/13.* that
#                  covers 12.1-12.5, 13.1-13.7 and every message size class (16 B .. 128 KiB,
#                  with and without fragmentation); about 4 minutes per role on 2 busy cores
#   --full         all 517 cases (12.*/13.* in full take 20-30 minutes per role here)
#   --cases P      only these case patterns, e.g. '1.*,7.5.1'
#   --role R       only one role
#   --update       write this run's outcomes into tests/autobahn/expected.json
# Env: AUTOBAHN_DIR (default ../shared/autobahn), REPORT_DIR (default target/autobahn),
#      CARGO_TARGET_DIR.
# Exit: 0 no regression, 1 regression, 2 harness or build error, 3 skipped (no harness; the
# reason is printed).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AB=${AUTOBAHN_DIR:-$ROOT/../shared/autobahn}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=${REPORT_DIR:-$TARGET/autobahn}
EXPECTED=$ROOT/tests/autobahn/expected.json
AGENT=rswebsockets

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
        *) sed -n '4,21p' "$0"; exit 2 ;;
    esac
    shift
done

if [ ! -x "$AB/run-server-tests.sh" ]; then
    echo "autobahn: skipped (no Autobahn harness at $AB)"
    exit 3
fi
# The harness keeps its virtualenv in AUTOBAHN_HOME, else beside itself, else in ~/.cache.
STATE=${AUTOBAHN_HOME:-$AB}
[ -w "$STATE" ] || STATE=${XDG_CACHE_HOME:-$HOME/.cache}/autobahn-py3
if [ ! -x "${AUTOBAHN_VENV:-$STATE/.venv}/bin/wstest" ]; then
    echo "autobahn: setting up the harness ($AB/setup.sh)"
    mkdir -p "$OUT"
    if ! "$AB/setup.sh" >"$OUT/setup.log" 2>&1; then
        echo "autobahn: skipped (the harness setup failed, see $OUT/setup.log:"
        tail -3 "$OUT/setup.log"
        echo ")"
        exit 3
    fi
fi

echo "autobahn: building the examples (release)"
(cd "$ROOT" && cargo build --release --quiet --example echo_server --example autobahn_client) || exit 2
BIN=$TARGET/release/examples

# shellcheck source=scripts/autobahn-roles.sh
source "$ROOT/scripts/autobahn-roles.sh"
start_server() { exec "$BIN/echo_server" --port "$1" --deflate; }
autobahn_roles autobahn "" echo_server autobahn_client "$BIN/autobahn_client"
python3 "$ROOT/tests/autobahn/compare.py" "$EXPECTED" "${RUNS[@]}" "${UPDATE[@]}"
