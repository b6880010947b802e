// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Generates the C++ side of every `#[cxx::bridge]` module, compiles it into the staticlib, and
//! exports the generated headers (plus `rust/cxx.h`) to the directory CMake names in
//! `RSWEBSOCKETS_BRIDGE_INCLUDE_DIR`, so the C++ libraries never look inside Cargo's target dir.

use std::path::{Path, PathBuf};
use std::{env, fs};

/// One `#[cxx::bridge]` module per topic; other topics add their file here
/// (CMake reads this list for the names of the generated headers).
const BRIDGES: &[&str] = &["src/protocol.rs", "src/handshake.rs", "src/connection.rs"];

/// The hand-written C++ headers that the bridges `include!` (their enums are static-asserted).
const CPP_HEADERS: &[&str] = &[
    "../cpp/include/RsWebSockets/rswebsocketprotocol.h",
    "../cpp/include/RsWebSockets/rswebsockets_global.h",
];

/// The environment variable through which CMake passes the header export directory.
const EXPORT_DIR_VAR: &str = "RSWEBSOCKETS_BRIDGE_INCLUDE_DIR";

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by Cargo"));
    let cpp_include = manifest_dir.join("../cpp/include");

    let mut build = cxx_build::bridges(BRIDGES);
    build.include(&cpp_include).std("c++17");
    build.compile("rswebsockets-bridge-cxx");

    for path in BRIDGES.iter().chain(CPP_HEADERS) {
        println!("cargo:rerun-if-changed={path}");
    }
    println!("cargo:rerun-if-env-changed={EXPORT_DIR_VAR}");

    if let Some(export_dir) = env::var_os(EXPORT_DIR_VAR).filter(|d| !d.is_empty()) {
        let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("set by Cargo"));
        let generated = out_dir.join("cxxbridge").join("include");
        export_headers(&generated, Path::new(&export_dir)).unwrap_or_else(|err| {
            panic!(
                "cannot export the bridge headers to {}: {err}",
                Path::new(&export_dir).display()
            )
        });
    }
}

/// Copies every `*.h` under `from` (following cxx's symlinks) into `to`, keeping the relative
/// layout (`rust/cxx.h`, `rswebsockets-bridge/src/protocol.rs.h`). Files whose content is
/// unchanged are not rewritten, so C++ sources are not recompiled needlessly.
fn export_headers(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        let meta = fs::metadata(&source)?;
        if meta.is_dir() {
            export_headers(&source, &target)?;
        } else if source.extension().is_some_and(|e| e == "h") {
            let content = fs::read(&source)?;
            if fs::read(&target).ok().as_deref() != Some(&content[..]) {
                fs::create_dir_all(to)?;
                fs::write(&target, &content)?;
            }
        }
    }
    Ok(())
}
