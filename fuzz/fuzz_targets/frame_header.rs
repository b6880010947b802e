// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Fuzz target: FrameHeader::parse: incremental parse and encode round trip (checks in src/lib.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rswebsockets_fuzz::frame_header(data);
});
