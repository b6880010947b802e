#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Builds everything and runs the Qt example against the installed package:
#   1. installs missing build dependencies (apt-get as root; otherwise prints the command)
#   2. configures, builds and installs RsWebSockets into build/release/prefix
#   3. builds qt-example/ against that prefix (find_package, as an application would), runs the
#      echo server and echo client end to end (text, binary and a compressed message, then a clean
#      close) and the protocol tour
#
# Environment: BUILD_DIR (default build/release), JOBS (default: all cores).
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
EX=$BUILD_DIR/qt-example
echo "== RsWebSockets installed in $PREFIX =="
echo
echo "== qt-example: echoserver --compress and echoclient, end to end =="
"$ROOT/qt-example/echoclient/run-with-echoserver.sh" "$EX/echoserver/echoserver" "$EX/echoclient/echoclient"
echo
echo "== qt-example: protocoldemo =="
"$EX/protocoldemo/protocoldemo"
