// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The opening handshake across the bridge: `RsWebSocketHandshake::Client` and `::Server` in
//! C++ drive the engine's [`rswebsockets::handshake::ClientHandshake`] and
//! [`rswebsockets::handshake::ServerHandshake`] through the opaque `Client` and `Server`, and get
//! plain shared structs back. Nothing here returns a Rust
//! `Result`: every failure is a value (libsoup's error domain plus a message), so C++ never
//! sees an exception from this module.
//!
//! The negotiated extensions (`Box<dyn Extension>`, with their compression state) never leave
//! Rust: they wait in an opaque [`Negotiated`] until `RsWebSocketConnection` takes them.

use std::sync::Arc;

use rswebsockets::extension::{DeflateConfig, Extension, ExtensionConfig};
use rswebsockets::handshake::{self as engine, HandshakeError, HandshakeErrorKind};

mod client;
mod server;

use client::{client_new, Client};
use server::{server_new, Server};

use ffi::{DeflateSettings, ErrorKind, ExtensionInfo, ExtensionParam, HeaderPair};

/// The bridge module (C++ namespace `rswebsockets::bridge`).
#[cxx::bridge(namespace = "rswebsockets::bridge")]
#[allow(missing_docs)]
// cxx generates items that cannot carry docs
// cxx's expansion of `Box<T>` returns uses std items stabilised in 1.82 (above the MSRV); the
// generated code is cxx's, built with the toolchain that builds the bridge.
#[allow(clippy::incompatible_msrv)]
pub mod ffi {
    /// libsoup's `SoupWebsocketError`, plus `NoError`.
    #[repr(u8)]
    enum ErrorKind {
        NoError,
        Failed,
        NotWebSocket,
        BadHandshake,
        BadOrigin,
    }

    /// Where a handshake stands after the bytes read so far.
    #[repr(u8)]
    enum Progress {
        Incomplete,
        Complete,
        Failed,
    }

    /// One HTTP header.
    #[derive(Clone)]
    struct HeaderPair {
        name: String,
        value: String,
    }

    /// One extension parameter; `has_value` false for a bare flag.
    #[derive(Clone)]
    struct ExtensionParam {
        name: String,
        has_value: bool,
        value: String,
    }

    /// One negotiated extension.
    #[derive(Clone)]
    struct ExtensionInfo {
        name: String,
        params: Vec<ExtensionParam>,
    }

    /// permessage-deflate settings (`RsWebSocketDeflateOptions`); 0 window bits = unset,
    /// -1 compression level = default.
    struct DeflateSettings {
        enabled: bool,
        server_no_context_takeover: bool,
        client_no_context_takeover: bool,
        server_max_window_bits: i32,
        client_max_window_bits: i32,
        compression_level: i32,
        memory_level: i32,
        compression_window_bits: i32,
        threshold: usize,
        offer_client_max_window_bits: bool,
        fallback_offer: bool,
    }

    /// `RsWebSocketHandshake::ClientOptions`.
    struct ClientSettings {
        url: String,
        origin: String,
        protocols: Vec<String>,
        headers: Vec<HeaderPair>,
        deflate: DeflateSettings,
    }

    /// `RsWebSocketHandshake::ClientResult` without the negotiation handle.
    #[derive(Clone)]
    struct ClientVerification {
        status: Progress,
        error: ErrorKind,
        error_string: String,
        http_status: i32,
        consumed: usize,
        protocol: String,
        extensions: Vec<ExtensionInfo>,
        headers: Vec<HeaderPair>,
    }

    /// `RsWebSocketHandshake::ServerOptions`.
    struct ServerSettings {
        allowed_origins: Vec<String>,
        protocols: Vec<String>,
        headers: Vec<HeaderPair>,
        deflate: DeflateSettings,
    }

    /// `RsWebSocketHandshake::ServerRequest`.
    #[derive(Clone)]
    struct ServerCheck {
        status: Progress,
        error: ErrorKind,
        error_string: String,
        http_status: i32,
        consumed: usize,
        resource: String,
        host: String,
        origin: String,
        key: String,
        version: i32,
        protocols: Vec<String>,
        extension_offers: Vec<String>,
        headers: Vec<HeaderPair>,
    }

    /// `RsWebSocketHandshake::ServerResponse` without the negotiation handle.
    struct ServerReply {
        accepted: bool,
        error: ErrorKind,
        error_string: String,
        http_status: i32,
        response: Vec<u8>,
        protocol: String,
        extensions: Vec<ExtensionInfo>,
    }

    extern "Rust" {
        /// A client handshake in progress.
        type Client;
        /// A server handshake in progress.
        type Server;
        /// The negotiated protocol and extensions, waiting for a connection to take them.
        type Negotiated;

        /// `Sec-WebSocket-Accept` for a key (RFC 6455 §4.2.2).
        fn accept_key(key: &[u8]) -> String;
        /// A fresh random `Sec-WebSocket-Key`.
        fn generate_key() -> String;

        /// Builds the request; on bad settings the client is invalid (see `error_string`).
        fn client_new(settings: &ClientSettings) -> Box<Client>;
        fn is_valid(self: &Client) -> bool;
        fn error_kind(self: &Client) -> ErrorKind;
        fn error_string(self: &Client) -> String;
        fn request(self: &Client) -> &[u8];
        fn key(self: &Client) -> &str;
        fn host(self: &Client) -> String;
        fn resource(self: &Client) -> &str;
        fn secure(self: &Client) -> bool;
        /// `data` is everything read so far; only the bytes not seen before are parsed.
        fn verify(self: &mut Client, data: &[u8]) -> ClientVerification;
        fn take_negotiated(self: &mut Client) -> Box<Negotiated>;

        fn server_new(settings: &ServerSettings) -> Box<Server>;
        /// `data` is everything read so far; only the bytes not seen before are parsed.
        fn check(self: &mut Server, data: &[u8]) -> ServerCheck;
        fn accept(self: &mut Server) -> ServerReply;
        /// `status` 0: the status of the failed check (400 if none).
        fn reject(self: &mut Server, status: i32, reason: &[u8]) -> ServerReply;
        fn take_negotiated(self: &mut Server) -> Box<Negotiated>;

        fn negotiated_empty() -> Box<Negotiated>;
        fn protocol(self: &Negotiated) -> &str;
        fn extensions(self: &Negotiated) -> Vec<ExtensionInfo>;
    }
}

/// What a handshake agreed on; consumed by the connection bridge.
#[derive(Default)]
pub struct Negotiated {
    /// The chosen subprotocol, if any.
    pub(crate) protocol: Option<String>,
    /// The configured extensions, in negotiation order.
    pub(crate) extensions: Vec<Box<dyn Extension>>,
}

// SAFETY: `Negotiated` is the opaque Rust type declared in this bridge (C++
// `rswebsockets::bridge::Negotiated`); the connection bridge only ever handles it by reference.
unsafe impl cxx::ExternType for Negotiated {
    type Id = cxx::type_id!("rswebsockets::bridge::Negotiated");
    type Kind = cxx::kind::Opaque;
}

impl Negotiated {
    fn protocol(&self) -> &str {
        self.protocol.as_deref().unwrap_or("")
    }

    fn extensions(&self) -> Vec<ExtensionInfo> {
        describe(&self.extensions)
    }

    /// Moves the extensions out (a negotiation configures exactly one connection).
    pub(crate) fn take_extensions(&mut self) -> Vec<Box<dyn Extension>> {
        std::mem::take(&mut self.extensions)
    }
}

fn negotiated_empty() -> Box<Negotiated> {
    Box::default()
}

fn accept_key(key: &[u8]) -> String {
    engine::derive_accept_key(&String::from_utf8_lossy(key))
}

fn generate_key() -> String {
    // The engine's own client key: 16 bytes from its CSPRNG, base64-encoded (this keeps the
    // bridge free of a direct `rand` dependency).
    engine::ClientHandshake::new("ws://localhost/", engine::ClientOptions::default())
        .map(|(hs, _)| hs.key().to_owned())
        .unwrap_or_default()
}

/// Describes negotiated extensions for C++.
pub(crate) fn describe(extensions: &[Box<dyn Extension>]) -> Vec<ExtensionInfo> {
    extensions
        .iter()
        .map(|e| ExtensionInfo {
            name: e.name().to_owned(),
            params: e
                .params()
                .into_iter()
                .map(|(name, value)| ExtensionParam {
                    name,
                    has_value: value.is_some(),
                    value: value.unwrap_or_default(),
                })
                .collect(),
        })
        .collect()
}

fn kind(error: &HandshakeError) -> ErrorKind {
    match error.kind() {
        HandshakeErrorKind::Failed => ErrorKind::Failed,
        HandshakeErrorKind::NotWebSocket => ErrorKind::NotWebSocket,
        HandshakeErrorKind::BadHandshake => ErrorKind::BadHandshake,
        HandshakeErrorKind::BadOrigin => ErrorKind::BadOrigin,
    }
}

fn pairs(headers: &[(String, String)]) -> Vec<HeaderPair> {
    headers
        .iter()
        .map(|(name, value)| HeaderPair {
            name: name.clone(),
            value: value.clone(),
        })
        .collect()
}

fn unpairs(headers: &[HeaderPair]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect()
}

/// The engine configuration for the deflate settings, or why they are unusable. Checked here
/// because the engine's builder panics on out-of-range values (a panic would abort C++).
fn deflate_config(s: &DeflateSettings) -> Result<Option<Arc<dyn ExtensionConfig>>, String> {
    if !s.enabled {
        return Ok(None);
    }
    let bits = |v: i32, what: &str| -> Result<Option<u8>, String> {
        match v {
            0 => Ok(None),
            8..=15 => Ok(Some(v as u8)),
            _ => Err(format!("{what} must be within 8..15, got {v}")),
        }
    };
    let mut config = DeflateConfig::new()
        .server_no_context_takeover(s.server_no_context_takeover)
        .client_no_context_takeover(s.client_no_context_takeover)
        .offer_client_max_window_bits(s.offer_client_max_window_bits)
        .fallback_offer(s.fallback_offer);
    if let Some(b) = bits(s.server_max_window_bits, "serverMaxWindowBits")? {
        config = config.server_max_window_bits(b);
    }
    if let Some(b) = bits(s.client_max_window_bits, "clientMaxWindowBits")? {
        config = config.client_max_window_bits(b);
    }
    match s.compression_level {
        -1 => {}
        0..=9 => config = config.compression_level(s.compression_level as u8),
        l => return Err(format!("compressionLevel must be within -1..9, got {l}")),
    }
    match s.memory_level {
        0 => {}
        1..=9 => config = config.mem_level(s.memory_level as u8),
        l => {
            return Err(format!(
                "memoryLevel must be within 1..9 (0: default), got {l}"
            ))
        }
    }
    if let Some(b) = bits(s.compression_window_bits, "compressionWindowBits")? {
        config = config.compression_window_bits(b);
    }
    Ok(Some(Arc::new(config.threshold(s.threshold))))
}

/// The bytes of `data` not fed before, for callers that pass their whole buffer each time.
fn unseen(data: &[u8], fed: usize) -> &[u8] {
    data.get(fed..).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::client::status_code;
    use super::ffi::{ClientSettings, Progress, ServerSettings};
    use super::*;

    fn no_deflate() -> DeflateSettings {
        DeflateSettings {
            enabled: false,
            server_no_context_takeover: false,
            client_no_context_takeover: false,
            server_max_window_bits: 0,
            client_max_window_bits: 0,
            compression_level: -1,
            memory_level: 0,
            compression_window_bits: 0,
            threshold: 0,
            offer_client_max_window_bits: true,
            fallback_offer: false,
        }
    }

    fn deflate() -> DeflateSettings {
        DeflateSettings {
            enabled: true,
            ..no_deflate()
        }
    }

    fn client(url: &str, d: DeflateSettings) -> Box<Client> {
        client_new(&ClientSettings {
            url: url.into(),
            origin: String::new(),
            protocols: vec!["chat".into()],
            headers: Vec::new(),
            deflate: d,
        })
    }

    fn server(d: DeflateSettings) -> Box<Server> {
        server_new(&ServerSettings {
            allowed_origins: Vec::new(),
            protocols: vec!["chat".into()],
            headers: Vec::new(),
            deflate: d,
        })
    }

    #[test]
    fn round_trip_with_deflate_byte_by_byte() {
        let mut c = client("ws://localhost/x", deflate());
        assert!(c.is_valid());
        let mut s = server(deflate());
        let request = c.request().to_vec();
        for end in 0..request.len() {
            assert!(s.check(&request[..end]).status == Progress::Incomplete);
        }
        let checked = s.check(&request);
        assert!(checked.status == Progress::Complete);
        assert_eq!(checked.consumed, request.len());
        assert_eq!(checked.resource, "/x");
        assert_eq!(checked.version, 13);
        let reply = s.accept();
        assert!(reply.accepted);
        assert_eq!(reply.protocol, "chat");
        assert_eq!(reply.extensions.len(), 1);
        let mut response = reply.response.clone();
        response.extend_from_slice(b"\x81\x00");
        let v = c.verify(&response);
        assert!(v.status == Progress::Complete);
        assert_eq!(v.consumed, reply.response.len());
        assert_eq!(v.http_status, 101);
        assert_eq!(v.extensions[0].name, "permessage-deflate");
        assert_eq!(c.take_negotiated().extensions().len(), 1);
        assert_eq!(s.take_negotiated().protocol(), "chat");
    }

    #[test]
    fn invalid_settings_are_values() {
        let c = client("ftp://nope", no_deflate());
        assert!(!c.is_valid());
        assert!(c.error_kind() == ErrorKind::Failed);
        let mut bad_bits = deflate();
        bad_bits.client_max_window_bits = 16;
        assert!(!client("ws://a/", bad_bits).is_valid());
        let mut bad_level = deflate();
        bad_level.compression_level = 10;
        let mut s = server(bad_level);
        assert!(s.check(b"GET / HTTP/1.1\r\n\r\n").status == Progress::Failed);
    }

    #[test]
    fn rejections() {
        let mut s = server(no_deflate());
        let checked = s.check(b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
        assert!(checked.status == Progress::Failed);
        assert_eq!(checked.http_status, 426);
        let reply = s.reject(0, b"");
        assert_eq!(reply.http_status, 426);
        assert!(String::from_utf8_lossy(&reply.response).contains("Sec-WebSocket-Version: 13"));
        let reply = s.reject(403, b"no");
        assert!(reply.response.starts_with(b"HTTP/1.1 403 "));
        assert!(!s.accept().accepted);
        assert!(!s.reject(200, b"").accepted);
    }

    #[test]
    fn status_line() {
        assert_eq!(status_code(b"HTTP/1.1 403 Forbidden\r\n"), 403);
        assert_eq!(status_code(b"HTTP/1.1 10"), 0);
        assert_eq!(status_code(b"SSH-2.0\r\n"), 0);
    }
}
