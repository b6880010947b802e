// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The client half of the handshake bridge: [`Client`] wraps the engine's `ClientHandshake`.

use super::ffi::{ClientSettings, ClientVerification, ErrorKind, Progress};
use super::{deflate_config, describe, kind, pairs, unpairs, unseen, Negotiated};
use rswebsockets::handshake::{self as engine, ClientHandshake, HandshakeError};

/// A client handshake in progress (or the reason it could not start).
pub struct Client {
    inner: Result<ClientHandshake, HandshakeError>,
    request: Vec<u8>,
    fed: usize,
    result: Option<ClientVerification>,
    negotiated: Negotiated,
}

pub(super) fn client_new(settings: &ClientSettings) -> Box<Client> {
    let built = deflate_config(&settings.deflate)
        .map_err(HandshakeError::InvalidExtensionOffer)
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
pub(super) fn status_code(data: &[u8]) -> i32 {
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
    pub(super) fn is_valid(&self) -> bool {
        self.inner.is_ok()
    }

    pub(super) fn error_kind(&self) -> ErrorKind {
        self.inner.as_ref().err().map_or(ErrorKind::NoError, kind)
    }

    pub(super) fn error_string(&self) -> String {
        self.inner
            .as_ref()
            .err()
            .map_or(String::new(), |e| e.to_string())
    }

    pub(super) fn request(&self) -> &[u8] {
        &self.request
    }

    pub(super) fn key(&self) -> &str {
        self.inner.as_ref().map_or("", |hs| hs.key())
    }

    pub(super) fn host(&self) -> String {
        self.inner
            .as_ref()
            .map_or(String::new(), |hs| hs.url().host_header())
    }

    pub(super) fn resource(&self) -> &str {
        self.inner.as_ref().map_or("", |hs| &hs.url().resource)
    }

    pub(super) fn secure(&self) -> bool {
        self.inner.as_ref().is_ok_and(|hs| hs.url().secure)
    }

    pub(super) fn verify(&mut self, data: &[u8]) -> ClientVerification {
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

    pub(super) fn take_negotiated(&mut self) -> Box<Negotiated> {
        Box::new(std::mem::take(&mut self.negotiated))
    }
}
