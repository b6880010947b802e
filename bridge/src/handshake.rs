// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The opening handshake across the bridge: `RsWebSocketHandshake::Client` and `::Server` in
//! C++ drive the engine's [`ClientHandshake`] and [`ServerHandshake`] through the opaque
//! [`Client`] and [`Server`], and get plain shared structs back. Nothing here returns a Rust
//! `Result`: every failure is a value (libsoup's error domain plus a message), so C++ never
//! sees an exception from this module.
//!
//! The negotiated extensions (`Box<dyn Extension>`, with their compression state) never leave
//! Rust: they wait in an opaque [`Negotiated`] until `RsWebSocketConnection` takes them.

use std::sync::Arc;

use rswebsockets::extension::{DeflateConfig, Extension, ExtensionConfig};
use rswebsockets::handshake::{
    self as engine, ClientHandshake, HandshakeError, HandshakeErrorKind, OriginPolicy,
    ServerHandshake,
};

use ffi::{
    ClientSettings, ClientVerification, DeflateSettings, ErrorKind, ExtensionInfo, ExtensionParam,
    HeaderPair, Progress, ServerCheck, ServerReply, ServerSettings,
};

/// The bridge module (C++ namespace `rswebsockets::bridge`).
#[cxx::bridge(namespace = "rswebsockets::bridge")]
#[allow(missing_docs)] // cxx generates items that cannot carry docs
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
        threshold: usize,
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
    engine::generate_key(&mut rand::rng())
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
        .client_no_context_takeover(s.client_no_context_takeover);
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
        1..=9 => config = config.mem_level(s.memory_level as u8),
        l => return Err(format!("memoryLevel must be within 1..9, got {l}")),
    }
    Ok(Some(Arc::new(config.threshold(s.threshold))))
}

/// The bytes of `data` not fed before, for callers that pass their whole buffer each time.
fn unseen(data: &[u8], fed: usize) -> &[u8] {
    data.get(fed..).unwrap_or(&[])
}

// ---- client ---------------------------------------------------------------------------------

/// A client handshake in progress (or the reason it could not start).
pub struct Client {
    inner: Result<ClientHandshake, HandshakeError>,
    request: Vec<u8>,
    fed: usize,
    result: Option<ClientVerification>,
    negotiated: Negotiated,
}

fn client_new(settings: &ClientSettings) -> Box<Client> {
    let built = deflate_config(&settings.deflate)
        .map_err(|reason| HandshakeError::InvalidExtensionOffer(reason))
        .and_then(|deflate| {
            let options = engine::ClientOptions {
                origin: (!settings.origin.is_empty()).then(|| settings.origin.clone()),
                protocols: settings.protocols.clone(),
                extensions: deflate.into_iter().collect(),
                headers: unpairs(&settings.headers),
                ..Default::default()
            };
            ClientHandshake::new(&settings.url, options)
        });
    let (inner, request) = match built {
        Ok((hs, request)) => (Ok(hs), request),
        Err(e) => (Err(e), Vec::new()),
    };
    Box::new(Client {
        inner,
        request,
        fed: 0,
        result: None,
        negotiated: Negotiated::default(),
    })
}

fn client_failure(error: &HandshakeError, http_status: i32) -> ClientVerification {
    ClientVerification {
        status: Progress::Failed,
        error: kind(error),
        error_string: error.to_string(),
        http_status,
        consumed: 0,
        protocol: String::new(),
        extensions: Vec::new(),
        headers: Vec::new(),
    }
}

/// The status code of a response head, if its status line has arrived.
fn status_code(data: &[u8]) -> i32 {
    let line = data.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let mut parts = line.split(|&b| b == b' ');
    match (parts.next(), parts.next()) {
        (Some(v), Some(code)) if v.starts_with(b"HTTP/") && code.len() == 3 => {
            std::str::from_utf8(code)
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(0)
        }
        _ => 0,
    }
}

impl Client {
    fn is_valid(&self) -> bool {
        self.inner.is_ok()
    }

    fn error_kind(&self) -> ErrorKind {
        self.inner.as_ref().err().map_or(ErrorKind::NoError, kind)
    }

    fn error_string(&self) -> String {
        self.inner
            .as_ref()
            .err()
            .map_or(String::new(), |e| e.to_string())
    }

    fn request(&self) -> &[u8] {
        &self.request
    }

    fn key(&self) -> &str {
        self.inner.as_ref().map_or("", |hs| hs.key())
    }

    fn host(&self) -> String {
        self.inner
            .as_ref()
            .map_or(String::new(), |hs| hs.url().host_header())
    }

    fn resource(&self) -> &str {
        self.inner.as_ref().map_or("", |hs| &hs.url().resource)
    }

    fn secure(&self) -> bool {
        self.inner.as_ref().is_ok_and(|hs| hs.url().secure)
    }

    fn verify(&mut self, data: &[u8]) -> ClientVerification {
        if let Some(done) = &self.result {
            return done.clone();
        }
        let hs = match &mut self.inner {
            Ok(hs) => hs,
            Err(e) => return client_failure(e, 0),
        };
        let fed_before = self.fed;
        let fresh = unseen(data, fed_before);
        let outcome = hs.receive(fresh);
        let http_status = status_code(data);
        let result = match outcome {
            Ok(None) => {
                self.fed += fresh.len();
                return ClientVerification {
                    status: Progress::Incomplete,
                    error: ErrorKind::NoError,
                    error_string: String::new(),
                    http_status,
                    consumed: 0,
                    protocol: String::new(),
                    extensions: Vec::new(),
                    headers: Vec::new(),
                };
            }
            Ok(Some((accepted, consumed))) => {
                let verification = ClientVerification {
                    status: Progress::Complete,
                    error: ErrorKind::NoError,
                    error_string: String::new(),
                    http_status,
                    consumed: fed_before + consumed,
                    protocol: accepted.protocol.clone().unwrap_or_default(),
                    extensions: describe(&accepted.extensions),
                    headers: pairs(&accepted.headers),
                };
                self.negotiated = Negotiated {
                    protocol: accepted.protocol,
                    extensions: accepted.extensions,
                };
                verification
            }
            Err(e) => client_failure(&e, http_status),
        };
        self.result = Some(result.clone());
        result
    }

    fn take_negotiated(&mut self) -> Box<Negotiated> {
        Box::new(std::mem::take(&mut self.negotiated))
    }
}

// ---- server ---------------------------------------------------------------------------------

/// A server handshake in progress.
pub struct Server {
    inner: ServerHandshake,
    headers: Vec<(String, String)>,
    /// Settings that could not be used (the handshake then fails with `Failed`).
    setup_error: Option<HandshakeError>,
    fed: usize,
    checked: Option<ServerCheck>,
    failure: Option<HandshakeError>,
    negotiated: Negotiated,
}

fn server_new(settings: &ServerSettings) -> Box<Server> {
    let (extensions, setup_error) = match deflate_config(&settings.deflate) {
        Ok(deflate) => (deflate.into_iter().collect(), None),
        Err(reason) => (
            Vec::new(),
            Some(HandshakeError::InvalidExtensionOffer(reason)),
        ),
    };
    let options = engine::ServerOptions {
        origin_policy: if settings.allowed_origins.is_empty() {
            OriginPolicy::Any
        } else {
            OriginPolicy::Allow(settings.allowed_origins.clone())
        },
        protocols: settings.protocols.clone(),
        extensions,
        ..Default::default()
    };
    Box::new(Server {
        inner: ServerHandshake::new(options),
        headers: unpairs(&settings.headers),
        setup_error,
        fed: 0,
        checked: None,
        failure: None,
        negotiated: Negotiated::default(),
    })
}

fn empty_check(status: Progress) -> ServerCheck {
    ServerCheck {
        status,
        error: ErrorKind::NoError,
        error_string: String::new(),
        http_status: 0,
        consumed: 0,
        resource: String::new(),
        host: String::new(),
        origin: String::new(),
        key: String::new(),
        version: -1,
        protocols: Vec::new(),
        extension_offers: Vec::new(),
        headers: Vec::new(),
    }
}

fn failed_reply(error: &HandshakeError) -> ServerReply {
    ServerReply {
        accepted: false,
        error: kind(error),
        error_string: error.to_string(),
        http_status: 0,
        response: Vec::new(),
        protocol: String::new(),
        extensions: Vec::new(),
    }
}

impl Server {
    fn check(&mut self, data: &[u8]) -> ServerCheck {
        if let Some(done) = &self.checked {
            return done.clone();
        }
        if let Some(e) = &self.setup_error {
            let mut c = empty_check(Progress::Failed);
            c.error = kind(e);
            c.error_string = e.to_string();
            c.http_status = 500;
            self.checked = Some(c.clone());
            return c;
        }
        let fed_before = self.fed;
        let fresh = unseen(data, fed_before);
        let result = match self.inner.receive(fresh) {
            Ok(None) => {
                self.fed += fresh.len();
                return empty_check(Progress::Incomplete);
            }
            Ok(Some((request, consumed))) => {
                let version = engine::header::get(&request.headers, "sec-websocket-version")
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(-1);
                ServerCheck {
                    status: Progress::Complete,
                    consumed: fed_before + consumed,
                    resource: request.resource,
                    host: request.host,
                    origin: request.origin.unwrap_or_default(),
                    key: request.key,
                    version,
                    protocols: request.protocols,
                    extension_offers: request
                        .extensions
                        .iter()
                        .map(|o| engine::header::format_extensions(std::slice::from_ref(o)))
                        .collect(),
                    headers: pairs(&request.headers),
                    ..empty_check(Progress::Complete)
                }
            }
            Err(e) => {
                let mut c = empty_check(Progress::Failed);
                c.error = kind(&e);
                c.error_string = e.to_string();
                c.http_status = e.status().map_or(400, i32::from);
                self.failure = Some(e);
                c
            }
        };
        self.checked = Some(result.clone());
        result
    }

    fn accept(&mut self) -> ServerReply {
        match self.checked.as_ref().map(|c| c.status) {
            Some(Progress::Complete) => {}
            _ => {
                return failed_reply(&HandshakeError::InvalidState(
                    "no complete, valid request to accept",
                ))
            }
        }
        match self.inner.accept(&self.headers) {
            Ok(accepted) => {
                let reply = ServerReply {
                    accepted: true,
                    error: ErrorKind::NoError,
                    error_string: String::new(),
                    http_status: 101,
                    response: accepted.response,
                    protocol: accepted.protocol.clone().unwrap_or_default(),
                    extensions: describe(&accepted.extensions),
                };
                self.negotiated = Negotiated {
                    protocol: accepted.protocol,
                    extensions: accepted.extensions,
                };
                reply
            }
            Err(e) => failed_reply(&e),
        }
    }

    fn reject(&mut self, status: i32, reason: &[u8]) -> ServerReply {
        let reason = String::from_utf8_lossy(reason);
        let (status, error) = match (&self.failure, status) {
            (Some(failure), 0) => {
                let status = failure.status().map_or(400, i32::from);
                let response = self.inner.reject(failure);
                return ServerReply {
                    http_status: status,
                    response,
                    ..failed_reply(failure)
                };
            }
            (Some(failure), s) => (s, failure.clone()),
            (None, 0) => (
                400,
                HandshakeError::InvalidState("rejected by the application"),
            ),
            (None, s) => (
                s,
                HandshakeError::InvalidState("rejected by the application"),
            ),
        };
        let status = match u16::try_from(status) {
            Ok(s @ 400..=599) => s,
            _ => {
                return failed_reply(&HandshakeError::InvalidStatus(status.clamp(0, 65535) as u16))
            }
        };
        let extra: Vec<(String, String)> = if status == 426 {
            vec![(
                "Sec-WebSocket-Version".into(),
                engine::WEBSOCKET_VERSION.into(),
            )]
        } else {
            Vec::new()
        };
        let body = if reason.is_empty() {
            format!("{error}\n")
        } else {
            format!("{reason}\n")
        };
        match engine::server::reject_response(status, &body, &extra) {
            Ok(response) => ServerReply {
                accepted: false,
                error: if self.failure.is_some() {
                    kind(&error)
                } else {
                    ErrorKind::Failed
                },
                error_string: body.trim_end().to_owned(),
                http_status: i32::from(status),
                response,
                protocol: String::new(),
                extensions: Vec::new(),
            },
            Err(e) => failed_reply(&e),
        }
    }

    fn take_negotiated(&mut self) -> Box<Negotiated> {
        Box::new(std::mem::take(&mut self.negotiated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_deflate() -> DeflateSettings {
        DeflateSettings {
            enabled: false,
            server_no_context_takeover: false,
            client_no_context_takeover: false,
            server_max_window_bits: 0,
            client_max_window_bits: 0,
            compression_level: -1,
            memory_level: 8,
            threshold: 0,
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
