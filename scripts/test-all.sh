#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Runs every test. Steps:
#   deps         install missing dependencies (apt-get as root; otherwise print the command)
#   configure    CMake, developer mode (warnings are errors), tests on
#   build        Cargo (bridge staticlib) + C++ libraries + C++ tests
#   python-peers the venv with python-websockets for the interop tests (tests/interop/setup-venv.sh)
#   ctest        Rust (cargo test --workspace, clippy -D warnings, doc -D warnings, fmt --check,
#                the fuzz/ corpus replayed on stable),
#                C++/Qt tests, and the package test (install + out-of-tree consumers + qt-example)
#   interop      python-websockets peer (pip into build/.venv-interop), tests/interop/run.sh
#   conformance  Autobahn|Testsuite from ../shared/autobahn, when available: the Rust programs
#                (scripts/autobahn.sh) and the Qt ones (scripts/autobahn-qt.sh)
# Ends with "N passed, N failed[, N skipped]" counting the steps; exits non-zero on any failure.
#
# Environment: BUILD_DIR (default build/test), JOBS (default: all cores).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build/test}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
SHARED_DIR=${SHARED_DIR:-$ROOT/../shared}
START=$(date +%s)

PASSED=0
FAILED=0
SKIPPED=0
FAILED_STEPS=()

step() { # step <name> <command…>: run one step, count it
    local name=$1
    shift
    local t0=$(date +%s)
    echo
    echo "==== $name ===="
    if "$@"; then
        PASSED=$((PASSED + 1))
        echo "==== $name: passed ($(($(date +%s) - t0)) s) ===="
        return 0
    fi
    FAILED=$((FAILED + 1))
    FAILED_STEPS+=("$name")
    echo "==== $name: FAILED ($(($(date +%s) - t0)) s) ===="
    return 1
}

skip() { # skip <name> <reason>
    SKIPPED=$((SKIPPED + 1))
    echo
    echo "==== $1: skipped ($2) ===="
}

finish() {
    echo
    echo "test-all: $(($(date +%s) - START)) s${FAILED_STEPS[*]:+; failed: ${FAILED_STEPS[*]}}"
    if [ "$SKIPPED" -gt 0 ]; then
        echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
    else
        echo "$PASSED passed, $FAILED failed"
    fi
    [ "$FAILED" -eq 0 ]
    exit $?
}

# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"

# ---- deps -----------------------------------------------------------------------------------
# python3-pip / python3-venv: for the Python test peers of the conformance step.
step deps rsws_ensure_deps "${RSWS_BUILD_PACKAGES[@]}" python3 python3-pip python3-venv || finish

# ---- configure + build ----------------------------------------------------------------------
step configure cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON -DRSWEBSOCKETS_DEVELOPER_MODE=ON \
    -DRSWEBSOCKETS_BUILD_EXAMPLES=ON || finish
step build cmake --build "$BUILD_DIR" --parallel "$JOBS" || finish

# ---- Python test peers ------------------------------------------------------------------------
# The interop tests (cargo test) talk to python-websockets from a venv in build/.venv-interop.
if [ -x "$ROOT/tests/interop/setup-venv.sh" ]; then
    step python-peers "$ROOT/tests/interop/setup-venv.sh"
fi

# ---- ctest: Rust, C++/Qt, package -------------------------------------------------------------
step ctest ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel "$JOBS"

# ---- interop: python-websockets (pip, build/.venv-interop), permessage-deflate, both roles -----
# tests/interop/run.sh: exit 3 means skipped (python-websockets could not be installed).
CARGO_TARGET_DIR="$BUILD_DIR/cargo" "$ROOT/tests/interop/run.sh" >"$BUILD_DIR/interop.out" 2>&1
rc=$?
cat "$BUILD_DIR/interop.out"
if [ "$rc" -eq 3 ]; then
    skip interop "$(grep -m1 'SKIPPED' "$BUILD_DIR/interop.out")"
else
    step interop test "$rc" -eq 0
fi

# ---- conformance (Autobahn|Testsuite) ---------------------------------------------------------
# The harness lives in ../shared/autobahn (setup.sh, run-server-tests.sh, run-client-tests.sh,
# summarize.py). This section runs it against our echo server and client once they exist.
# scripts/autobahn.sh: both roles, 1.*-10.* + a permessage-deflate subset, compared case by case
# with tests/autobahn/expected.json; exit 3 means skipped (reason printed).
if [ ! -d "$SHARED_DIR/autobahn" ]; then
    skip conformance "no Autobahn harness at $SHARED_DIR/autobahn"
else
    AUTOBAHN_DIR="$SHARED_DIR/autobahn" "$ROOT/scripts/autobahn.sh" >"$BUILD_DIR/autobahn.out" 2>&1
    rc=$?
    cat "$BUILD_DIR/autobahn.out"
    # The Qt programs (echoserver, autobahnclient) of this build under the same cases, compared
    # with the qt-server/qt-client rows of tests/autobahn/expected.json; 3 = skipped (no Qt).
    rc_qt=3
    if [ "$rc" -ne 3 ]; then
        AUTOBAHN_DIR="$SHARED_DIR/autobahn" BUILD_DIR="$BUILD_DIR" "$ROOT/scripts/autobahn-qt.sh" \
            >"$BUILD_DIR/autobahn-qt.out" 2>&1
        rc_qt=$?
        cat "$BUILD_DIR/autobahn-qt.out"
    fi
    if [ "$rc" -eq 3 ]; then
        skip conformance "$(grep -m1 'skipped' "$BUILD_DIR/autobahn.out")"
    else
        step conformance test "$rc" -eq 0 -a \( "$rc_qt" -eq 0 -o "$rc_qt" -eq 3 \)
    fi
fi

finish
