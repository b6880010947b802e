#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Builds everything and runs the Qt example against the installed package:
#   1. installs missing build dependencies (apt-get as root; otherwise prints the command)
#   2. configures, builds and installs RsWebSockets into build/release/prefix
#   3. builds qt-example/ against that prefix (find_package, as an application would) and runs it
#
# Environment: BUILD_DIR (default build/release), JOBS (default: all cores).
# Arguments are passed to the example program (protocoldemo).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build/release}
PREFIX=$BUILD_DIR/prefix
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"
rsws_ensure_deps "${RSWS_BUILD_PACKAGES[@]}"

cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" -DBUILD_TESTING=OFF
cmake --build "$BUILD_DIR" --parallel "$JOBS"
cmake --install "$BUILD_DIR"

cmake -S "$ROOT/qt-example" -B "$BUILD_DIR/qt-example" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$PREFIX"
cmake --build "$BUILD_DIR/qt-example" --parallel "$JOBS"

echo
echo "== RsWebSockets installed in $PREFIX; running qt-example/protocoldemo =="
"$BUILD_DIR/qt-example/protocoldemo/protocoldemo" "$@"
