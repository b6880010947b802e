// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The server side: read and check a client's upgrade request as its bytes arrive, then answer
//! with `101 Switching Protocols` ([`ServerHandshake::accept`]) or a rejection
//! ([`ServerHandshake::reject`]: 400, 403, 426 with `Sec-WebSocket-Version: 13`, 431).
//!
//! ```
//! use rswebsockets::handshake::{ServerHandshake, ServerOptions};
//!
//! let mut hs = ServerHandshake::new(ServerOptions {
//!     protocols: vec!["chat".into()],
//!     ..Default::default()
//! });
//! let request = b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n\
//!     Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
//!     Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n";
//! let response = match hs.receive(request) {
//!     Ok(Some((req, _consumed))) => {
//!         assert_eq!(req.resource, "/chat");
//!         hs.accept(&[])?.response
//!     }
//!     Ok(None) => unreachable!("the request is complete"),
//!     Err(e) => hs.reject(&e),
//! };
//! assert!(response.starts_with(b"HTTP/1.1 101 Switching Protocols\r\n"));
//! # Ok::<(), rswebsockets::handshake::HandshakeError>(())
//! ```

use std::fmt;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::extension::{Extension, ExtensionConfig};
use crate::handshake::header::{self, ExtensionOffer};
use crate::handshake::{
    derive_accept_key, own_headers, write_header, HandshakeError, HeadReader, Headers, Limits,
    WsUrl, WEBSOCKET_VERSION,
};

/// Headers an application cannot add to a 101 response: the handshake writes them, or they
/// would break the upgrade.
const RESERVED_HEADERS: &[&str] = &[
    "upgrade",
    "connection",
    "sec-websocket-accept",
    "sec-websocket-protocol",
    "sec-websocket-extensions",
    "sec-websocket-version",
    "content-length",
    "transfer-encoding",
];

/// Which `Origin`s a server accepts.
#[derive(Clone, Default)]
pub enum OriginPolicy {
    /// Every request, with or without `Origin`.
    #[default]
    Any,
    /// Only requests whose `Origin` is one of these (compared ASCII case-insensitively, e.g.
    /// `https://example.com`). A request without `Origin` is refused.
    Allow(Vec<String>),
    /// A caller-supplied check, given the request's `Origin` (or `None`).
    Check(OriginCheck),
}

/// A caller-supplied origin check for [`OriginPolicy::Check`]: true lets the request pass.
pub type OriginCheck = Arc<dyn Fn(Option<&str>) -> bool + Send + Sync>;

impl OriginPolicy {
    /// Whether a request with this `Origin` (or none) passes.
    pub fn allows(&self, origin: Option<&str>) -> bool {
        match self {
            OriginPolicy::Any => true,
            OriginPolicy::Allow(list) => {
                origin.is_some_and(|o| list.iter().any(|a| a.eq_ignore_ascii_case(o)))
            }
            OriginPolicy::Check(f) => f(origin),
        }
    }
}

impl fmt::Debug for OriginPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OriginPolicy::Any => f.write_str("Any"),
            OriginPolicy::Allow(list) => f.debug_tuple("Allow").field(list).finish(),
            OriginPolicy::Check(_) => f.write_str("Check(..)"),
        }
    }
}

/// Whose order decides the subprotocol when the client offers several the server supports.
/// Either way the choice is always one the client offered and the server supports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProtocolPreference {
    /// The first protocol of [`ServerOptions::protocols`] that the client offered (the
    /// default; Qt and python-websockets also let the server decide).
    #[default]
    Server,
    /// The first protocol the client offered that the server supports.
    Client,
}

/// What a server accepts.
#[derive(Clone, Default)]
pub struct ServerOptions {
    /// Which `Origin`s pass; others are rejected with 403.
    pub origin_policy: OriginPolicy,
    /// The subprotocols this server speaks.
    pub protocols: Vec<String>,
    /// How to choose among several common subprotocols.
    pub protocol_preference: ProtocolPreference,
    /// Reject (400) a client that offers no subprotocol the server speaks. When false (the
    /// default, as RFC 6455 intends) such a client is accepted without a subprotocol.
    pub require_protocol: bool,
    /// The extensions this server can accept, in the order they are tried for each offer.
    pub extensions: Vec<Arc<dyn ExtensionConfig>>,
    /// Bounds on the request's header block.
    pub limits: Limits,
}

impl fmt::Debug for ServerOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerOptions")
            .field("origin_policy", &self.origin_policy)
            .field("protocols", &self.protocols)
            .field("protocol_preference", &self.protocol_preference)
            .field("require_protocol", &self.require_protocol)
            .field(
                "extensions",
                &self.extensions.iter().map(|e| e.name()).collect::<Vec<_>>(),
            )
            .field("limits", &self.limits)
            .finish()
    }
}

/// A checked upgrade request, for the application (like QWebSocketServer's request URL and
/// origin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The request target: path and query, e.g. `/chat?room=1`.
    pub resource: String,
    /// The `Host` header.
    pub host: String,
    /// The `Origin` header, if any.
    pub origin: Option<String>,
    /// The `Sec-WebSocket-Key` header.
    pub key: String,
    /// The subprotocols the client offered, in its order.
    pub protocols: Vec<String>,
    /// The extension offers the client made, in its order.
    pub extensions: Vec<ExtensionOffer>,
    /// Every header of the request, in order.
    pub headers: Headers,
}

impl Request {
    /// The path part of [`Request::resource`] (before any `?`).
    pub fn path(&self) -> &str {
        self.resource
            .split_once('?')
            .map_or(&self.resource, |(p, _)| p)
    }

    /// The query part of [`Request::resource`] (after the first `?`), if any.
    pub fn query(&self) -> Option<&str> {
        self.resource.split_once('?').map(|(_, q)| q)
    }

    /// The request as a URL, like `QWebSocket::requestUrl()` on a server-side socket:
    /// `ws://` or `wss://` (as the transport knows), the `Host` header and the resource. The
    /// host comes from the client and is not checked against anything.
    pub fn url(&self, secure: bool) -> String {
        let scheme = if secure { "wss" } else { "ws" };
        format!("{scheme}://{}{}", self.host, self.resource)
    }
}

/// The outcome of [`ServerHandshake::accept`].
pub struct ServerAccepted {
    /// The `101 Switching Protocols` response to send.
    pub response: Vec<u8>,
    /// The chosen subprotocol, if any.
    pub protocol: Option<String>,
    /// The negotiated extensions, in the order of the client's offers.
    pub extensions: Vec<Box<dyn Extension>>,
}

impl fmt::Debug for ServerAccepted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerAccepted")
            .field("response", &String::from_utf8_lossy(&self.response))
            .field("protocol", &self.protocol)
            .field(
                "extensions",
                &self.extensions.iter().map(|e| e.name()).collect::<Vec<_>>(),
            )
            .finish()
    }
}

#[derive(Debug)]
enum State {
    Reading,
    Received(Box<Request>),
    Done,
    Failed,
}

/// A server's opening handshake in progress.
#[derive(Debug)]
pub struct ServerHandshake {
    options: ServerOptions,
    reader: HeadReader,
    state: State,
}

impl ServerHandshake {
    /// Starts reading a request.
    pub fn new(options: ServerOptions) -> Self {
        ServerHandshake {
            reader: HeadReader::new(options.limits),
            options,
            state: State::Reading,
        }
    }

    /// Feeds bytes received from the client. Returns `Ok(None)` while the request's header
    /// block is incomplete (all of `bytes` was taken), `Ok(Some((request, consumed)))` once it
    /// is complete and passed every check (`bytes[consumed..]` already belongs to the
    /// WebSocket stream). On `Err`, answer with [`ServerHandshake::reject`].
    pub fn receive(&mut self, bytes: &[u8]) -> Result<Option<(Request, usize)>, HandshakeError> {
        match self.state {
            State::Reading => {}
            State::Received(_) => return Err(HandshakeError::InvalidState("already received")),
            State::Done => return Err(HandshakeError::InvalidState("already complete")),
            State::Failed => return Err(HandshakeError::InvalidState("already failed")),
        }
        let result = match self.reader.push(bytes) {
            Ok(None) => return Ok(None),
            Ok(Some(consumed)) => self.check().map(|r| (r, consumed)),
            Err(e) => Err(e),
        };
        match result {
            Ok((request, consumed)) => {
                self.state = State::Received(Box::new(request.clone()));
                Ok(Some((request, consumed)))
            }
            Err(e) => {
                self.state = State::Failed;
                Err(e)
            }
        }
    }

    /// The checked request, between [`ServerHandshake::receive`] and `accept`/`reject`.
    pub fn request(&self) -> Option<&Request> {
        match &self.state {
            State::Received(r) => Some(r),
            _ => None,
        }
    }

    /// Accepts the received request: chooses the subprotocol and negotiates extensions (for
    /// each client offer in order, each configured extension of that name not yet accepted
    /// gets to `accept` it; a declined offer falls through to the client's next offer of that
    /// extension). Returns the 101 response with `extra_headers` (e.g. `Set-Cookie`) added.
    pub fn accept(
        &mut self,
        extra_headers: &[(String, String)],
    ) -> Result<ServerAccepted, HandshakeError> {
        let State::Received(request) = &self.state else {
            return Err(HandshakeError::InvalidState("not ready to accept"));
        };
        for (name, value) in extra_headers {
            header::validate_header(name, value)?;
            if RESERVED_HEADERS
                .iter()
                .any(|r| r.eq_ignore_ascii_case(name))
            {
                return Err(HandshakeError::ForbiddenHeader(name.clone()));
            }
        }
        let protocol = select_protocol(
            &self.options.protocols,
            &request.protocols,
            self.options.protocol_preference,
        );
        let (answers, extensions) = self.negotiate_extensions(&request.extensions)?;

        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(b"HTTP/1.1 101 Switching Protocols\r\n");
        write_header(&mut out, "Upgrade", "websocket");
        write_header(&mut out, "Connection", "Upgrade");
        write_header(
            &mut out,
            "Sec-WebSocket-Accept",
            &derive_accept_key(&request.key),
        );
        if let Some(p) = &protocol {
            write_header(&mut out, "Sec-WebSocket-Protocol", p);
        }
        if !answers.is_empty() {
            write_header(
                &mut out,
                "Sec-WebSocket-Extensions",
                &header::format_extensions(&answers),
            );
        }
        for (name, value) in extra_headers {
            write_header(&mut out, name, value);
        }
        out.extend_from_slice(b"\r\n");
        self.state = State::Done;
        Ok(ServerAccepted {
            response: out,
            protocol,
            extensions,
        })
    }

    /// The response rejecting a request for `error`: its [`HandshakeError::status`] (500 for
    /// errors that are not the client's fault), the error text as a plain-text body, and
    /// `Sec-WebSocket-Version: 13` with a 426. The handshake is over afterwards.
    pub fn reject(&mut self, error: &HandshakeError) -> Vec<u8> {
        self.state = State::Failed;
        let status = error.status().unwrap_or(500);
        let mut extra = Vec::new();
        if status == 426 {
            extra.push(("Sec-WebSocket-Version".to_owned(), WEBSOCKET_VERSION.into()));
            extra.push(("Upgrade".to_owned(), "websocket".into()));
        }
        build_rejection(status, &format!("{error}\n"), &extra)
    }

    /// Checks the complete request head.
    fn check(&self) -> Result<Request, HandshakeError> {
        let mut slots = vec![httparse::EMPTY_HEADER; self.reader.header_slots()];
        let mut req = httparse::Request::new(&mut slots);
        match req.parse(self.reader.block()) {
            Ok(httparse::Status::Complete(_)) => {}
            Ok(httparse::Status::Partial) => {
                return Err(HandshakeError::MalformedHttp(
                    "incomplete request head".into(),
                ))
            }
            Err(e) => return Err(HandshakeError::MalformedHttp(e.to_string())),
        }
        let method = req.method.unwrap_or("");
        if method != "GET" {
            return Err(HandshakeError::MethodNotGet(method.to_owned()));
        }
        if req.version != Some(1) {
            return Err(HandshakeError::HttpVersionTooOld);
        }
        let resource = resource_name(req.path.unwrap_or(""))?;
        let headers = own_headers(req.headers);
        let host = match header::get_unique(&headers, "Host")? {
            Some(h) if !h.is_empty() => h.to_owned(),
            _ => return Err(HandshakeError::MissingHost),
        };
        check_no_body(&headers)?;
        if !header::has_token(&headers, "upgrade", "websocket") {
            return Err(HandshakeError::MissingUpgrade);
        }
        if !header::has_token(&headers, "connection", "upgrade") {
            return Err(HandshakeError::MissingConnectionUpgrade);
        }
        match header::get_unique(&headers, "Sec-WebSocket-Version")? {
            Some(WEBSOCKET_VERSION) => {}
            v => {
                return Err(HandshakeError::UnsupportedVersion {
                    version: v.map(str::to_owned),
                })
            }
        }
        let key =
            header::get_unique(&headers, "Sec-WebSocket-Key")?.ok_or(HandshakeError::MissingKey)?;
        if !is_valid_key(key) {
            return Err(HandshakeError::InvalidKey(key.to_owned()));
        }
        let key = key.to_owned();
        let origin = header::get_unique(&headers, "Origin")?.map(str::to_owned);
        if !self.options.origin_policy.allows(origin.as_deref()) {
            return Err(HandshakeError::OriginRejected { origin });
        }
        let protocols = header::parse_protocols(&headers)?;
        if self.options.require_protocol
            && select_protocol(
                &self.options.protocols,
                &protocols,
                self.options.protocol_preference,
            )
            .is_none()
        {
            return Err(HandshakeError::NoCommonProtocol(protocols));
        }
        let extensions = header::parse_extension_headers(&headers)?;
        Ok(Request {
            resource,
            host,
            origin,
            key,
            protocols,
            extensions,
            headers,
        })
    }

    /// Walks the client's offers in order; see [`ServerHandshake::accept`].
    #[allow(clippy::type_complexity)]
    fn negotiate_extensions(
        &self,
        offers: &[ExtensionOffer],
    ) -> Result<(Vec<ExtensionOffer>, Vec<Box<dyn Extension>>), HandshakeError> {
        let mut answers: Vec<ExtensionOffer> = Vec::new();
        let mut negotiated: Vec<Box<dyn Extension>> = Vec::new();
        let mut used_rsv = 0u8;
        for offer in offers {
            if answers
                .iter()
                .any(|a| a.name.eq_ignore_ascii_case(&offer.name))
            {
                continue;
            }
            let configs = self
                .options
                .extensions
                .iter()
                .filter(|c| c.name().eq_ignore_ascii_case(&offer.name));
            for config in configs {
                let Some((params, extension)) = config.accept(&offer.params) else {
                    continue;
                };
                // Two extensions cannot own the same reserved bit: treat as declined.
                if extension.rsv_mask() & used_rsv != 0 {
                    continue;
                }
                let answer = ExtensionOffer {
                    name: config.name().to_owned(),
                    params,
                };
                header::validate_extension(&answer)?;
                used_rsv |= extension.rsv_mask();
                answers.push(answer);
                negotiated.push(extension);
                break;
            }
        }
        Ok((answers, negotiated))
    }
}

/// The resource name of a request target: origin-form (`/path?query`) as it is, absolute-form
/// (`ws://host/path`, also `http`, `https`, `wss`, which RFC 6455 §4.1 allows) reduced to its
/// path and query. Anything else (`*`, authority-form) is refused.
fn resource_name(target: &str) -> Result<String, HandshakeError> {
    if target.starts_with('/') {
        return Ok(target.to_owned());
    }
    match WsUrl::parse(target) {
        Ok(url) => Ok(url.resource),
        Err(e) => Err(HandshakeError::MalformedHttp(format!(
            "request target {target:?} is not a resource name ({e})"
        ))),
    }
}

/// An upgrade request has no body (RFC 6455 §4.1 sends a bare GET): everything after the
/// head is WebSocket frames. A request announcing a body (`Transfer-Encoding`, or a
/// `Content-Length` other than 0, which some clients send) is refused, so that body bytes are
/// never read as frames and a proxy in front cannot disagree with us about where the request
/// ends (the request smuggling shape).
fn check_no_body(headers: &[(String, String)]) -> Result<(), HandshakeError> {
    if header::get(headers, "transfer-encoding").is_some() {
        return Err(HandshakeError::MalformedHttp(
            "Transfer-Encoding in an upgrade request (a WebSocket upgrade has no body)".into(),
        ));
    }
    match header::get_unique(headers, "Content-Length")? {
        Some(v) if v.is_empty() || v.bytes().any(|b| b != b'0') => {
            Err(HandshakeError::MalformedHttp(format!(
                "Content-Length {v:?} in an upgrade request (a WebSocket upgrade has no body)"
            )))
        }
        _ => Ok(()),
    }
}

/// Whether `key` is the base64 (with padding) of exactly 16 bytes.
pub fn is_valid_key(key: &str) -> bool {
    key.len() == 24 && STANDARD.decode(key).is_ok_and(|k| k.len() == 16)
}

/// The subprotocol a server speaking `supported` picks from the client's `offered` list:
/// always one in both lists (compared exactly), in the order `preference` names.
pub fn select_protocol(
    supported: &[String],
    offered: &[String],
    preference: ProtocolPreference,
) -> Option<String> {
    match preference {
        ProtocolPreference::Server => supported.iter().find(|s| offered.contains(s)),
        ProtocolPreference::Client => offered.iter().find(|o| supported.contains(o)),
    }
    .cloned()
}

/// A rejection response an application builds itself (e.g. 401 after checking a cookie):
/// `status` (400–599) with `body` as plain text and `extra_headers`, closing the connection.
pub fn reject_response(
    status: u16,
    body: &str,
    extra_headers: &[(String, String)],
) -> Result<Vec<u8>, HandshakeError> {
    if !(400..=599).contains(&status) {
        return Err(HandshakeError::InvalidStatus(status));
    }
    for (name, value) in extra_headers {
        header::validate_header(name, value)?;
        if ["content-length", "transfer-encoding", "connection"]
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name))
        {
            return Err(HandshakeError::ForbiddenHeader(name.clone()));
        }
    }
    Ok(build_rejection(status, body, extra_headers))
}

fn build_rejection(status: u16, body: &str, extra_headers: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(160 + body.len());
    out.extend_from_slice(format!("HTTP/1.1 {status} {}\r\n", reason_phrase(status)).as_bytes());
    write_header(&mut out, "Content-Type", "text/plain; charset=utf-8");
    write_header(&mut out, "Content-Length", &body.len().to_string());
    let upgrade = extra_headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("upgrade"));
    write_header(
        &mut out,
        "Connection",
        if upgrade { "Upgrade, close" } else { "close" },
    );
    for (name, value) in extra_headers {
        write_header(&mut out, name, value);
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body.as_bytes());
    out
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ if status < 500 => "Client Error",
        _ => "Server Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(list: &[&str]) -> Vec<String> {
        list.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn protocol_selection_orders() {
        let supported = s(&["b", "a"]);
        let offered = s(&["a", "b", "c"]);
        assert_eq!(
            select_protocol(&supported, &offered, ProtocolPreference::Server).as_deref(),
            Some("b")
        );
        assert_eq!(
            select_protocol(&supported, &offered, ProtocolPreference::Client).as_deref(),
            Some("a")
        );
        assert_eq!(
            select_protocol(&supported, &s(&["c", "B"]), ProtocolPreference::Server),
            None
        );
    }

    #[test]
    fn resource_names() {
        assert_eq!(resource_name("/a?b").unwrap(), "/a?b");
        assert_eq!(resource_name("ws://h:1/a?b").unwrap(), "/a?b");
        assert_eq!(resource_name("http://h").unwrap(), "/");
        assert!(resource_name("*").is_err());
        assert!(resource_name("h:80").is_err());
        assert!(resource_name("").is_err());
    }

    #[test]
    fn request_url_parts() {
        let req = Request {
            resource: "/chat?room=1".into(),
            host: "example.com:8080".into(),
            origin: None,
            key: String::new(),
            protocols: vec![],
            extensions: vec![],
            headers: vec![],
        };
        assert_eq!((req.path(), req.query()), ("/chat", Some("room=1")));
        assert_eq!(req.url(true), "wss://example.com:8080/chat?room=1");
        let bare = Request {
            resource: "/".into(),
            ..req
        };
        assert_eq!((bare.path(), bare.query()), ("/", None));
    }

    #[test]
    fn key_validation() {
        assert!(is_valid_key("dGhlIHNhbXBsZSBub25jZQ=="));
        assert!(!is_valid_key("dGhlIHNhbXBsZSBub25jZQ")); // no padding
        assert!(!is_valid_key("dGhlIHNhbXBsZSBub25jZXg=")); // 17 bytes
        assert!(!is_valid_key("dGhlIHNhbXBsZSBub25j")); // 15 bytes
        assert!(!is_valid_key("!!!!!!!!!!!!!!!!!!!!!!=="));
    }

    #[test]
    fn origin_policies() {
        assert!(OriginPolicy::Any.allows(None));
        let allow = OriginPolicy::Allow(s(&["https://a.example"]));
        assert!(allow.allows(Some("HTTPS://A.example")));
        assert!(!allow.allows(Some("https://b.example")));
        assert!(!allow.allows(None));
        let check = OriginPolicy::Check(Arc::new(|o| o.map_or(true, |o| o.ends_with(".local"))));
        assert!(check.allows(None));
        assert!(check.allows(Some("http://x.local")));
        assert!(!check.allows(Some("http://x.com")));
    }

    #[test]
    fn custom_rejection() {
        let r = reject_response(
            401,
            "who are you?",
            &[("WWW-Authenticate".into(), "Basic".into())],
        )
        .unwrap();
        let r = String::from_utf8(r).unwrap();
        assert!(r.starts_with("HTTP/1.1 401 Unauthorized\r\n"));
        assert!(r.contains("\r\nContent-Length: 12\r\n"));
        assert!(r.contains("\r\nWWW-Authenticate: Basic\r\n"));
        assert!(r.ends_with("\r\n\r\nwho are you?"));
        assert_eq!(
            reject_response(200, "", &[]),
            Err(HandshakeError::InvalidStatus(200))
        );
        assert!(reject_response(400, "", &[("Content-Length".into(), "1".into())]).is_err());
    }

    #[test]
    fn bodies_are_refused() {
        let h = |name: &str, value: &str| vec![(name.to_owned(), value.to_owned())];
        assert!(check_no_body(&[]).is_ok());
        assert!(check_no_body(&h("Content-Length", "0")).is_ok());
        assert!(check_no_body(&h("content-length", "00")).is_ok());
        for (name, value) in [
            ("Content-Length", "1"),
            ("Content-Length", ""),
            ("Content-Length", "-0"),
            ("Transfer-Encoding", "chunked"),
            ("TRANSFER-ENCODING", "identity"),
        ] {
            let err = check_no_body(&h(name, value)).unwrap_err();
            assert_eq!(err.status(), Some(400), "{name}: {value}");
        }
        let mut two = h("Content-Length", "0");
        two.extend(h("Content-Length", "0"));
        assert_eq!(
            check_no_body(&two),
            Err(HandshakeError::DuplicateHeader("Content-Length"))
        );
    }

    #[test]
    fn accept_before_receive_fails() {
        let mut hs = ServerHandshake::new(ServerOptions::default());
        assert_eq!(
            hs.accept(&[]).unwrap_err(),
            HandshakeError::InvalidState("not ready to accept")
        );
    }
}
