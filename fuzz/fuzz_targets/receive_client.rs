// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Fuzz target: Connection::receive_data as a client, no extension (checks in src/lib.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rswebsockets::Role;

fuzz_target!(|data: &[u8]| {
    rswebsockets_fuzz::receive(Role::Client, false, data);
});
