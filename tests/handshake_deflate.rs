// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! permessage-deflate negotiated end to end through the handshake (client offer, server
//! accept, client verify), with the real `DeflateConfig`.

mod handshake_support;

use std::sync::Arc;

use rswebsockets::extension::{DeflateConfig, RSV1};
use rswebsockets::handshake::{ClientOptions, ServerOptions};

use handshake_support::*;

#[test]
fn permessage_deflate_round_trip() {
    let (c, s) = round_trip(
        ClientOptions {
            extensions: vec![Arc::new(DeflateConfig::new())],
            ..Default::default()
        },
        ServerOptions {
            extensions: vec![Arc::new(DeflateConfig::new())],
            ..Default::default()
        },
    );
    assert_eq!(c.extensions.len(), 1);
    assert_eq!(c.extensions[0].name(), "permessage-deflate");
    assert_eq!(s.extensions[0].name(), "permessage-deflate");
    assert_eq!(c.extensions[0].rsv_mask(), RSV1);
    assert_eq!(c.extensions[0].params(), s.extensions[0].params());
}

#[test]
fn server_without_deflate_answers_no_extension() {
    let (c, s) = round_trip(
        ClientOptions {
            extensions: vec![Arc::new(DeflateConfig::new())],
            ..Default::default()
        },
        ServerOptions::default(),
    );
    assert!(c.extensions.is_empty() && s.extensions.is_empty());
}
