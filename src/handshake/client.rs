// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The client side: build the upgrade request, then verify the server's response as its bytes
//! arrive.
//!
//! ```
//! use rswebsockets::handshake::{derive_accept_key, ClientHandshake, ClientOptions};
//!
//! let (mut hs, request) = ClientHandshake::new("ws://example.com/chat", ClientOptions::default())?;
//! assert!(request.starts_with(b"GET /chat HTTP/1.1\r\n"));
//! // ... write `request`, then feed what the server answers:
//! let response = format!(
//!     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
//!      Sec-WebSocket-Accept: {}\r\n\r\n",
//!     derive_accept_key(hs.key())
//! );
//! let mut bytes = response.into_bytes();
//! bytes.extend_from_slice(b"\x81\x02hi"); // the server's first frame, in the same read
//! let (accepted, consumed) = hs.receive(&bytes)?.expect("complete");
//! assert_eq!(&bytes[consumed..], b"\x81\x02hi"); // belongs to the connection
//! assert_eq!(accepted.protocol, None);
//! # Ok::<(), rswebsockets::handshake::HandshakeError>(())
//! ```

use std::fmt;
use std::sync::Arc;

use crate::extension::{Extension, ExtensionConfig};
use crate::handshake::header::{self, ExtensionOffer};
use crate::handshake::{
    derive_accept_key, generate_key, own_headers, write_header, HandshakeError, HeadReader,
    Headers, Limits, WsUrl, WEBSOCKET_VERSION,
};

/// Headers the handshake writes itself, or that would break it; applications cannot add them
/// through [`ClientOptions::headers`].
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "upgrade",
    "connection",
    "origin",
    "sec-websocket-key",
    "sec-websocket-version",
    "sec-websocket-accept",
    "sec-websocket-protocol",
    "sec-websocket-extensions",
    "content-length",
    "transfer-encoding",
];

/// What the client asks for.
#[derive(Clone, Default)]
pub struct ClientOptions {
    /// The `Origin` header to send, e.g. `https://example.com`.
    pub origin: Option<String>,
    /// The subprotocols to offer in `Sec-WebSocket-Protocol`, most preferred first.
    pub protocols: Vec<String>,
    /// The extensions to offer, in order; each config's offers go into
    /// `Sec-WebSocket-Extensions`.
    pub extensions: Vec<Arc<dyn ExtensionConfig>>,
    /// Extra headers (cookies, authorization, …). Headers that the handshake sets itself
    /// (Host, Upgrade, Connection, Origin, Sec-WebSocket-*) and Content-Length /
    /// Transfer-Encoding are refused, as are values with CR, LF or other control characters.
    pub headers: Vec<(String, String)>,
    /// Bounds on the response's header block.
    pub limits: Limits,
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("origin", &self.origin)
            .field("protocols", &self.protocols)
            .field(
                "extensions",
                &self.extensions.iter().map(|e| e.name()).collect::<Vec<_>>(),
            )
            .field("headers", &self.headers)
            .field("limits", &self.limits)
            .finish()
    }
}

/// A successful handshake, as the client sees it.
pub struct Accepted {
    /// The subprotocol the server chose (always one the client offered).
    pub protocol: Option<String>,
    /// The negotiated extensions, in the order of the server's response.
    pub extensions: Vec<Box<dyn Extension>>,
    /// Every header of the response, in order.
    pub headers: Headers,
}

impl fmt::Debug for Accepted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Accepted")
            .field("protocol", &self.protocol)
            .field(
                "extensions",
                &self.extensions.iter().map(|e| e.name()).collect::<Vec<_>>(),
            )
            .field("headers", &self.headers)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Waiting,
    Done,
    Failed,
}

/// A client's opening handshake in progress.
pub struct ClientHandshake {
    url: WsUrl,
    key: String,
    protocols: Vec<String>,
    /// The configs that made at least one offer.
    offered: Vec<Arc<dyn ExtensionConfig>>,
    reader: HeadReader,
    state: State,
}

impl fmt::Debug for ClientHandshake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientHandshake")
            .field("url", &self.url)
            .field("key", &self.key)
            .field("protocols", &self.protocols)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl ClientHandshake {
    /// Starts a handshake for `url` with a key from the thread-local CSPRNG. Returns the
    /// handshake and the request bytes to send.
    pub fn new(url: &str, options: ClientOptions) -> Result<(Self, Vec<u8>), HandshakeError> {
        Self::with_rng(url, options, &mut rand::rng())
    }

    /// Like [`ClientHandshake::new`], with the key's 16 bytes drawn from `rng` (tests pass a
    /// seeded generator).
    pub fn with_rng<R: rand::CryptoRng + ?Sized>(
        url: &str,
        options: ClientOptions,
        rng: &mut R,
    ) -> Result<(Self, Vec<u8>), HandshakeError> {
        let url = WsUrl::parse(url)?;
        Self::from_parts(url, options, generate_key(rng))
    }

    /// Starts a handshake from a parsed URL and a given `Sec-WebSocket-Key` (which must be
    /// the base64 of 16 bytes, e.g. from [`generate_key`]).
    pub fn from_parts(
        url: WsUrl,
        options: ClientOptions,
        key: String,
    ) -> Result<(Self, Vec<u8>), HandshakeError> {
        if !crate::handshake::server::is_valid_key(&key) {
            return Err(HandshakeError::InvalidKey(key));
        }
        let mut req = Vec::with_capacity(256);
        req.extend_from_slice(b"GET ");
        req.extend_from_slice(url.resource.as_bytes());
        req.extend_from_slice(b" HTTP/1.1\r\n");
        write_header(&mut req, "Host", &url.host_header());
        write_header(&mut req, "Upgrade", "websocket");
        write_header(&mut req, "Connection", "Upgrade");
        write_header(&mut req, "Sec-WebSocket-Key", &key);
        write_header(&mut req, "Sec-WebSocket-Version", WEBSOCKET_VERSION);
        if let Some(origin) = &options.origin {
            header::validate_header("Origin", origin)?;
            write_header(&mut req, "Origin", origin);
        }
        if let Some(p) = options.protocols.iter().find(|p| !header::is_token(p)) {
            return Err(HandshakeError::InvalidProtocolName(p.clone()));
        }
        if !options.protocols.is_empty() {
            write_header(
                &mut req,
                "Sec-WebSocket-Protocol",
                &options.protocols.join(", "),
            );
        }
        let mut offers = Vec::new();
        let mut offered = Vec::new();
        for config in &options.extensions {
            let before = offers.len();
            for params in config.offers() {
                let offer = ExtensionOffer {
                    name: config.name().to_owned(),
                    params,
                };
                header::validate_extension(&offer)?;
                offers.push(offer);
            }
            if offers.len() > before {
                offered.push(Arc::clone(config));
            }
        }
        if !offers.is_empty() {
            write_header(
                &mut req,
                "Sec-WebSocket-Extensions",
                &header::format_extensions(&offers),
            );
        }
        for (name, value) in &options.headers {
            header::validate_header(name, value)?;
            if RESERVED_HEADERS
                .iter()
                .any(|r| r.eq_ignore_ascii_case(name))
            {
                return Err(HandshakeError::ForbiddenHeader(name.clone()));
            }
            write_header(&mut req, name, value);
        }
        req.extend_from_slice(b"\r\n");
        let hs = ClientHandshake {
            url,
            key,
            protocols: options.protocols,
            offered,
            reader: HeadReader::new(options.limits),
            state: State::Waiting,
        };
        Ok((hs, req))
    }

    /// The URL being connected to.
    pub fn url(&self) -> &WsUrl {
        &self.url
    }

    /// The `Sec-WebSocket-Key` sent.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Feeds bytes received from the server. Returns `Ok(None)` while the response's header
    /// block is incomplete (all of `bytes` was taken), and `Ok(Some((accepted, consumed)))`
    /// once it is complete and valid: `bytes[consumed..]` is the start of the WebSocket stream
    /// and belongs to the connection. After an error or a success, further calls fail with
    /// [`HandshakeError::InvalidState`].
    pub fn receive(&mut self, bytes: &[u8]) -> Result<Option<(Accepted, usize)>, HandshakeError> {
        match self.state {
            State::Done => return Err(HandshakeError::InvalidState("already complete")),
            State::Failed => return Err(HandshakeError::InvalidState("already failed")),
            State::Waiting => {}
        }
        let result = match self.reader.push(bytes) {
            Ok(None) => return Ok(None),
            Ok(Some(consumed)) => self.verify().map(|a| Some((a, consumed))),
            Err(e) => Err(e),
        };
        self.state = if result.is_ok() {
            State::Done
        } else {
            State::Failed
        };
        result
    }

    /// Checks the complete response head.
    fn verify(&self) -> Result<Accepted, HandshakeError> {
        let mut slots = vec![httparse::EMPTY_HEADER; self.reader.header_slots()];
        let mut resp = httparse::Response::new(&mut slots);
        match resp.parse(self.reader.block()) {
            Ok(httparse::Status::Complete(_)) => {}
            Ok(httparse::Status::Partial) => {
                return Err(HandshakeError::MalformedHttp(
                    "incomplete response head".into(),
                ))
            }
            Err(e) => return Err(HandshakeError::MalformedHttp(e.to_string())),
        }
        let status = resp.code.unwrap_or(0);
        let headers = own_headers(resp.headers);
        if status != 101 {
            let versions: Vec<&str> = header::get_all(&headers, "sec-websocket-version").collect();
            return Err(HandshakeError::UnexpectedStatus {
                status,
                reason: resp.reason.unwrap_or("").to_owned(),
                supported_versions: (!versions.is_empty()).then(|| versions.join(", ")),
            });
        }
        match resp.version {
            Some(1) => {}
            v => return Err(HandshakeError::BadHttpVersion(v.unwrap_or(0))),
        }
        if !header::has_token(&headers, "upgrade", "websocket") {
            return Err(HandshakeError::MissingUpgrade);
        }
        if !header::has_token(&headers, "connection", "upgrade") {
            return Err(HandshakeError::MissingConnectionUpgrade);
        }
        let accept = header::get_unique(&headers, "Sec-WebSocket-Accept")?
            .ok_or(HandshakeError::MissingAccept)?;
        let expected = derive_accept_key(&self.key);
        if accept != expected {
            return Err(HandshakeError::AcceptMismatch {
                expected,
                got: accept.to_owned(),
            });
        }
        let protocol = match header::get_unique(&headers, "Sec-WebSocket-Protocol")? {
            None => None,
            Some(p) if !header::is_token(p) => {
                return Err(HandshakeError::MalformedProtocol(p.to_owned()))
            }
            Some(p) if !self.protocols.iter().any(|o| o == p) => {
                return Err(HandshakeError::UnexpectedProtocol(p.to_owned()))
            }
            Some(p) => Some(p.to_owned()),
        };
        let extensions = self.verify_extensions(&headers)?;
        Ok(Accepted {
            protocol,
            extensions,
            headers,
        })
    }

    /// Matches each extension of the response to the config that offered it, by name, and
    /// lets that config check the parameters.
    fn verify_extensions(
        &self,
        headers: &Headers,
    ) -> Result<Vec<Box<dyn Extension>>, HandshakeError> {
        let mut negotiated: Vec<Box<dyn Extension>> = Vec::new();
        let mut used_rsv = 0u8;
        for ext in header::parse_extension_headers(headers)? {
            let config = self
                .offered
                .iter()
                .find(|c| c.name().eq_ignore_ascii_case(&ext.name))
                .ok_or_else(|| HandshakeError::UnknownExtension(ext.name.clone()))?;
            if negotiated
                .iter()
                .any(|n| n.name().eq_ignore_ascii_case(&ext.name))
            {
                return Err(HandshakeError::DuplicateExtension(ext.name));
            }
            let extension =
                config
                    .verify(&ext.params)
                    .map_err(|e| HandshakeError::ExtensionRejected {
                        name: ext.name.clone(),
                        reason: e.to_string(),
                    })?;
            if extension.rsv_mask() & used_rsv != 0 {
                return Err(HandshakeError::ExtensionRejected {
                    name: ext.name,
                    reason: "its reserved bits are taken by an earlier extension".into(),
                });
            }
            used_rsv |= extension.rsv_mask();
            negotiated.push(extension);
        }
        Ok(negotiated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";

    fn start(options: ClientOptions) -> (ClientHandshake, String) {
        let url = WsUrl::parse("ws://server.example.com/chat").unwrap();
        let (hs, req) = ClientHandshake::from_parts(url, options, KEY.into()).unwrap();
        (hs, String::from_utf8(req).unwrap())
    }

    #[test]
    fn request_layout() {
        let (_, req) = start(ClientOptions {
            origin: Some("http://example.com".into()),
            protocols: vec!["chat".into(), "superchat".into()],
            headers: vec![("Cookie".into(), "a=b".into())],
            ..Default::default()
        });
        assert_eq!(
            req,
            "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
             Sec-WebSocket-Version: 13\r\nOrigin: http://example.com\r\n\
             Sec-WebSocket-Protocol: chat, superchat\r\nCookie: a=b\r\n\r\n"
        );
    }

    #[test]
    fn refuses_bad_options() {
        let url = || WsUrl::parse("ws://h/").unwrap();
        let with = |o: ClientOptions| ClientHandshake::from_parts(url(), o, KEY.into()).err();
        assert_eq!(
            with(ClientOptions {
                headers: vec![("sec-websocket-key".into(), "x".into())],
                ..Default::default()
            }),
            Some(HandshakeError::ForbiddenHeader("sec-websocket-key".into()))
        );
        assert!(matches!(
            with(ClientOptions {
                headers: vec![("X".into(), "a\r\nHost: evil".into())],
                ..Default::default()
            }),
            Some(HandshakeError::InvalidHeader { .. })
        ));
        assert!(matches!(
            with(ClientOptions {
                origin: Some("a\nb".into()),
                ..Default::default()
            }),
            Some(HandshakeError::InvalidHeader { .. })
        ));
        assert_eq!(
            with(ClientOptions {
                protocols: vec!["a b".into()],
                ..Default::default()
            }),
            Some(HandshakeError::InvalidProtocolName("a b".into()))
        );
        assert!(matches!(
            ClientHandshake::from_parts(url(), ClientOptions::default(), "short".into()),
            Err(HandshakeError::InvalidKey(_))
        ));
    }

    #[test]
    fn state_after_completion() {
        let (mut hs, _) = start(ClientOptions::default());
        let resp = format!(
            "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
            derive_accept_key(KEY)
        );
        assert!(hs.receive(resp.as_bytes()).unwrap().is_some());
        assert_eq!(
            hs.receive(b"x").unwrap_err(),
            HandshakeError::InvalidState("already complete")
        );
        let (mut hs, _) = start(ClientOptions::default());
        assert!(hs.receive(b"garbage\r\n\r\n").is_err());
        assert_eq!(
            hs.receive(b"x").unwrap_err(),
            HandshakeError::InvalidState("already failed")
        );
    }
}
