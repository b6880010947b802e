#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Sourced by build-and-run.sh and test-all.sh:  rsws_ensure_deps <debian packages…>
# Installs the missing Debian packages with apt-get when run as root; otherwise prints the exact
# command to run and returns 1. Also checks for a Rust toolchain (cargo), which Debian 12's own
# rustc is too old for: install it with rustup (https://rustup.rs) if it is missing.

RSWS_BUILD_PACKAGES=(cmake ninja-build g++ pkg-config qt6-base-dev qt6-websockets-dev)

rsws_missing_packages() {
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
            printf '%s\n' "$pkg"
        fi
    done
}

rsws_ensure_deps() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "deps: not a Debian/Ubuntu system; make sure these are installed: $*" >&2
    else
        local missing
        missing=$(rsws_missing_packages "$@" | tr '\n' ' ')
        missing=${missing% }
        if [ -n "$missing" ]; then
            if [ "$(id -u)" = 0 ]; then
                echo "deps: installing $missing"
                DEBIAN_FRONTEND=noninteractive apt-get update -q &&
                    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing ||
                    { echo "deps: apt-get install failed" >&2; return 1; }
            else
                echo "deps: missing packages. Run:" >&2
                echo "    sudo apt-get install -y $missing" >&2
                return 1
            fi
        else
            echo "deps: all present ($*)"
        fi
    fi
    if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        echo "deps: cargo not found. Install Rust (1.80 or newer) with rustup:" >&2
        echo "    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --component clippy rustfmt" >&2
        return 1
    fi
    return 0
}
