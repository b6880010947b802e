// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The server half of the handshake bridge: [`Server`] wraps the engine's `ServerHandshake`.

use super::ffi::{ErrorKind, Progress, ServerCheck, ServerReply, ServerSettings};
use super::{deflate_config, describe, kind, pairs, unpairs, unseen, Negotiated};
use rswebsockets::handshake::{self as engine, HandshakeError, OriginPolicy, ServerHandshake};

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

pub(super) fn server_new(settings: &ServerSettings) -> Box<Server> {
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
    pub(super) fn check(&mut self, data: &[u8]) -> ServerCheck {
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

    pub(super) fn accept(&mut self) -> ServerReply {
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

    pub(super) fn reject(&mut self, status: i32, reason: &[u8]) -> ServerReply {
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

    pub(super) fn take_negotiated(&mut self) -> Box<Negotiated> {
        Box::new(std::mem::take(&mut self.negotiated))
    }
}
