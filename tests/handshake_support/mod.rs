// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Shared helpers for the handshake tests: RFC 6455 sample messages, request/response
//! builders, and a small test extension.
#![allow(dead_code)] // each test file uses a different subset

use std::sync::Arc;

use rswebsockets::extension::{Extension, ExtensionConfig, FrameBits, Param};
use rswebsockets::handshake::{
    derive_accept_key, Accepted, ClientHandshake, ClientOptions, HandshakeError, Request,
    ServerAccepted, ServerHandshake, ServerOptions, WsUrl,
};
use rswebsockets::Error;

// --- helpers ---------------------------------------------------------------------------------

/// The key of RFC 6455 §1.3.
pub const SAMPLE_KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";

/// The client request of RFC 6455 §1.2 (with `Sec-WebSocket-Version: 13`).
pub const SAMPLE_REQUEST: &str = "GET /chat HTTP/1.1\r\n\
Host: server.example.com\r\n\
Upgrade: websocket\r\n\
Connection: Upgrade\r\n\
Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
Origin: http://example.com\r\n\
Sec-WebSocket-Protocol: chat, superchat\r\n\
Sec-WebSocket-Version: 13\r\n\r\n";

/// The server response of RFC 6455 §1.2.
pub const SAMPLE_RESPONSE: &str = "HTTP/1.1 101 Switching Protocols\r\n\
Upgrade: websocket\r\n\
Connection: Upgrade\r\n\
Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\
Sec-WebSocket-Protocol: chat\r\n\r\n";

pub fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

pub fn client(options: ClientOptions) -> ClientHandshake {
    let url = WsUrl::parse("ws://server.example.com/chat").unwrap();
    ClientHandshake::from_parts(url, options, SAMPLE_KEY.into())
        .unwrap()
        .0
}

pub fn chat_client() -> ClientHandshake {
    client(ClientOptions {
        protocols: strings(&["chat", "superchat"]),
        ..Default::default()
    })
}

/// A 101 response for the sample key, with extra header lines.
pub fn response_with(extra: &str) -> String {
    format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {}\r\n{extra}\r\n",
        derive_accept_key(SAMPLE_KEY)
    )
}

pub fn client_result(mut hs: ClientHandshake, response: &str) -> Result<Accepted, HandshakeError> {
    hs.receive(response.as_bytes())
        .map(|r| r.expect("complete response").0)
}

/// A valid request with `replace` header lines swapped in (by name) and `remove` left out.
pub fn request_with(replace: &[(&str, &str)], remove: &[&str]) -> String {
    let mut out = String::from("GET /chat HTTP/1.1\r\n");
    let base = [
        ("Host", "server.example.com"),
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", SAMPLE_KEY),
        ("Sec-WebSocket-Version", "13"),
    ];
    for (name, value) in base {
        if remove.contains(&name) || replace.iter().any(|(n, _)| *n == name) {
            continue;
        }
        out += &format!("{name}: {value}\r\n");
    }
    for (name, value) in replace {
        out += &format!("{name}: {value}\r\n");
    }
    out + "\r\n"
}

pub fn server_result(options: ServerOptions, request: &str) -> Result<Request, HandshakeError> {
    ServerHandshake::new(options)
        .receive(request.as_bytes())
        .map(|r| r.expect("complete request").0)
}

pub fn server_error(options: ServerOptions, request: &str) -> HandshakeError {
    server_result(options, request).expect_err("request must be rejected")
}

/// A negotiated test extension: it only remembers what was agreed.
pub struct TestExt {
    pub name: String,
    pub params: Vec<Param>,
    pub rsv: u8,
}

impl Extension for TestExt {
    fn name(&self) -> &str {
        &self.name
    }
    fn params(&self) -> Vec<Param> {
        self.params.clone()
    }
    fn rsv_mask(&self) -> u8 {
        self.rsv
    }
    fn encode(&mut self, _: &mut FrameBits, _: &[u8], _: &mut Vec<u8>) -> Result<bool, Error> {
        Ok(false)
    }
    fn decode(
        &mut self,
        _: &mut FrameBits,
        _: &[u8],
        _: &mut Vec<u8>,
        _: usize,
    ) -> Result<bool, Error> {
        Ok(false)
    }
}

/// A test config: offers `level=N` for each of `levels`; accepts (server) or verifies (client)
/// an offer or answer whose only parameter is `level=N` with N ≤ `max_level`.
pub struct TestConfig {
    pub name: &'static str,
    pub levels: Vec<u32>,
    pub max_level: u32,
    pub rsv: u8,
}

impl TestConfig {
    pub fn shared(name: &'static str, levels: &[u32], max_level: u32) -> Arc<dyn ExtensionConfig> {
        Arc::new(TestConfig {
            name,
            levels: levels.to_vec(),
            max_level,
            rsv: 0,
        })
    }

    fn level(&self, params: &[Param]) -> Option<u32> {
        match params {
            [(name, Some(v))] if name == "level" => v.parse().ok().filter(|&n| n <= self.max_level),
            _ => None,
        }
    }

    fn negotiated(&self, level: u32) -> (Vec<Param>, Box<dyn Extension>) {
        let params = vec![("level".to_owned(), Some(level.to_string()))];
        let ext = TestExt {
            name: self.name.into(),
            params: params.clone(),
            rsv: self.rsv,
        };
        (params, Box::new(ext))
    }
}

impl ExtensionConfig for TestConfig {
    fn name(&self) -> &str {
        self.name
    }
    fn offers(&self) -> Vec<Vec<Param>> {
        self.levels
            .iter()
            .map(|l| vec![("level".to_owned(), Some(l.to_string()))])
            .collect()
    }
    fn accept(&self, offer: &[Param]) -> Option<(Vec<Param>, Box<dyn Extension>)> {
        self.level(offer).map(|l| self.negotiated(l))
    }
    fn verify(&self, response: &[Param]) -> Result<Box<dyn Extension>, Error> {
        self.level(response)
            .map(|l| self.negotiated(l).1)
            .ok_or_else(|| Error::ExtensionNegotiationFailed(format!("bad answer {response:?}")))
    }
}

/// Runs a whole handshake through memory; returns both sides' outcomes.
pub fn round_trip(
    client_options: ClientOptions,
    server_options: ServerOptions,
) -> (Accepted, ServerAccepted) {
    let (mut c, request) =
        ClientHandshake::new("ws://localhost:9001/echo", client_options).unwrap();
    let mut s = ServerHandshake::new(server_options);
    let (req, consumed) = s.receive(&request).unwrap().unwrap();
    assert_eq!(
        (req.host.as_str(), req.resource.as_str(), consumed),
        ("localhost:9001", "/echo", request.len())
    );
    let server = s.accept(&[]).unwrap();
    let (client, consumed) = c.receive(&server.response).unwrap().unwrap();
    assert_eq!(consumed, server.response.len());
    (client, server)
}
