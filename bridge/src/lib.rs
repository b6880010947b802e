// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The one place where the rswebsockets engine meets C++: `#[cxx::bridge]` modules, one per
//! topic, compiled into the `rswebsockets_bridge` staticlib that the RsWebSockets C++ libraries
//! link.
//!
//! Every module declares `mod ffi` in the C++ namespace `rswebsockets::bridge`. Enums that C++
//! already declares in the installed headers (Qt's names and values) cross as cxx "extern
//! enums": cxx static-asserts each value against the hand-written header, so the two cannot
//! drift. Nothing from here appears in an installed C++ header.
#![deny(missing_docs)]

pub mod connection;
pub mod handshake;
pub mod protocol;
