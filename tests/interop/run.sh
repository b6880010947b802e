#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# The interop step of the test command: makes the python-websockets venv
# (tests/interop/setup-venv.sh), then runs tests/interop_websockets.rs — our tokio client
# against python-websockets' server and its client against our tokio server, over the
# permessage-deflate parameter matrix and every message size — and ends with
# "interop: N cases passed, M failed".
#
# Exit status: 0 all passed, 1 a failure, 3 skipped because python-websockets could not be
# installed (the reason and the exact failing command are printed; never counted as a pass).
# Env: CARGO_TARGET_DIR (shared with the other cargo runs), CARGO_FLAGS (e.g. --locked).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

if ! "$root/tests/interop/setup-venv.sh"; then
    echo "interop: SKIPPED: python-websockets could not be installed (see the line above)"
    exit 3
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
cd "$root" || exit 1
# shellcheck disable=SC2086 # CARGO_FLAGS is a list of flags
cargo test ${CARGO_FLAGS:-} --test interop_websockets -- --ignored --nocapture 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}

# One total over the six tests (each prints "interop <what>: N cases passed, M failed").
read -r passed failed reported < <(awk '
    /^interop .*: [0-9]+ cases passed, [0-9]+ failed$/ { p += $(NF-4); f += $(NF-1); n++ }
    END { print p + 0, f + 0, n + 0 }' "$out")
echo "interop: ${passed:-0} cases passed, ${failed:-0} failed (${reported}/6 tests reported)"
if [ "$rc" -eq 0 ] && { [ "$reported" -ne 6 ] || [ "${failed:-0}" -ne 0 ]; }; then
    echo "interop: cargo test passed but not every test reported its cases" >&2
    rc=1
fi
exit "$rc"
