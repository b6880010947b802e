// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The opening handshake (RFC 6455 §4): RFC samples, the client's request, case-insensitive
//! headers, every rejection with its HTTP status and libsoup error kind, subprotocols.

mod handshake_support;

use std::sync::Arc;

use rand::SeedableRng;
use rswebsockets::handshake::{
    derive_accept_key, header, ClientHandshake, ClientOptions, HandshakeError, HandshakeErrorKind,
    OriginPolicy, ProtocolPreference, ServerHandshake, ServerOptions, WsUrl,
};

use handshake_support::*;

// --- RFC samples -----------------------------------------------------------------------------

#[test]
fn accept_key_vector() {
    assert_eq!(
        derive_accept_key(SAMPLE_KEY),
        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    );
}

#[test]
fn rfc_sample_request_is_accepted_with_sample_response() {
    let mut hs = ServerHandshake::new(ServerOptions {
        protocols: strings(&["chat"]),
        ..Default::default()
    });
    let (req, consumed) = hs.receive(SAMPLE_REQUEST.as_bytes()).unwrap().unwrap();
    assert_eq!(consumed, SAMPLE_REQUEST.len());
    assert_eq!(req.resource, "/chat");
    assert_eq!(req.host, "server.example.com");
    assert_eq!(req.origin.as_deref(), Some("http://example.com"));
    assert_eq!(req.protocols, strings(&["chat", "superchat"]));
    assert_eq!(req.key, SAMPLE_KEY);
    assert_eq!(req.headers.len(), 7);
    assert_eq!(hs.request(), Some(&req));
    let accepted = hs.accept(&[]).unwrap();
    assert_eq!(
        String::from_utf8(accepted.response).unwrap(),
        SAMPLE_RESPONSE
    );
    assert_eq!(accepted.protocol.as_deref(), Some("chat"));
    assert!(accepted.extensions.is_empty());
}

#[test]
fn rfc_sample_response_verifies() {
    let accepted = client_result(chat_client(), SAMPLE_RESPONSE).unwrap();
    assert_eq!(accepted.protocol.as_deref(), Some("chat"));
    assert!(accepted.extensions.is_empty());
    assert_eq!(accepted.headers.len(), 4);
    assert_eq!(
        header::get(&accepted.headers, "sec-websocket-accept"),
        Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    );
}

#[test]
fn client_request_matches_rfc_sample() {
    let url = WsUrl::parse("ws://server.example.com/chat").unwrap();
    let options = ClientOptions {
        origin: Some("http://example.com".into()),
        protocols: strings(&["chat", "superchat"]),
        ..Default::default()
    };
    let (_, req) = ClientHandshake::from_parts(url, options, SAMPLE_KEY.into()).unwrap();
    let req = String::from_utf8(req).unwrap();
    // Same header set as the sample, our order.
    let mut ours: Vec<&str> = req.split("\r\n").collect();
    let mut sample: Vec<&str> = SAMPLE_REQUEST.split("\r\n").collect();
    ours.sort_unstable();
    sample.sort_unstable();
    assert_eq!(ours, sample);
}

#[test]
fn client_key_comes_from_the_injected_rng() {
    let seeded = || rand::rngs::StdRng::seed_from_u64(42);
    let (a, req_a) =
        ClientHandshake::with_rng("ws://h/", ClientOptions::default(), &mut seeded()).unwrap();
    let (b, req_b) =
        ClientHandshake::with_rng("ws://h/", ClientOptions::default(), &mut seeded()).unwrap();
    assert_eq!(a.key(), b.key());
    assert_eq!(req_a, req_b);
    let (c, _) = ClientHandshake::new("ws://h/", ClientOptions::default()).unwrap();
    let (d, _) = ClientHandshake::new("ws://h/", ClientOptions::default()).unwrap();
    assert_ne!(c.key(), d.key());
    assert!(rswebsockets::handshake::server::is_valid_key(c.key()));
}

#[test]
fn host_header_from_url() {
    let host_of = |url: &str| {
        let (_, req) = ClientHandshake::new(url, ClientOptions::default()).unwrap();
        let req = String::from_utf8(req).unwrap();
        let line = req.lines().find(|l| l.starts_with("Host: ")).unwrap();
        (req.lines().next().unwrap().to_owned(), line[6..].to_owned())
    };
    assert_eq!(
        host_of("ws://[::1]:9001/a?b=c"),
        ("GET /a?b=c HTTP/1.1".into(), "[::1]:9001".into())
    );
    assert_eq!(
        host_of("wss://Example.com:443"),
        ("GET / HTTP/1.1".into(), "example.com".into())
    );
    assert_eq!(
        host_of("ws://example.com:8080/"),
        ("GET / HTTP/1.1".into(), "example.com:8080".into())
    );
    assert!(matches!(
        ClientHandshake::new("ws://h/#x", ClientOptions::default()),
        Err(HandshakeError::InvalidUrl(_))
    ));
    assert!(matches!(
        ClientHandshake::new("ftp://h/", ClientOptions::default())
            .map(|_| ())
            .unwrap_err()
            .kind(),
        HandshakeErrorKind::Failed
    ));
}

#[test]
fn client_extra_headers_and_injection() {
    let url = || WsUrl::parse("ws://h/").unwrap();
    let build = |headers: Vec<(String, String)>| {
        let options = ClientOptions {
            headers,
            ..Default::default()
        };
        ClientHandshake::from_parts(url(), options, SAMPLE_KEY.into()).map(|(_, r)| r)
    };
    let req = build(vec![("Authorization".into(), "Bearer x".into())]).unwrap();
    assert!(String::from_utf8(req)
        .unwrap()
        .ends_with("Authorization: Bearer x\r\n\r\n"));
    for name in [
        "Host",
        "upgrade",
        "CONNECTION",
        "Sec-WebSocket-Key",
        "Sec-WebSocket-Version",
        "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Extensions",
        "Origin",
        "Content-Length",
        "Transfer-Encoding",
    ] {
        assert_eq!(
            build(vec![(name.into(), "x".into())]).unwrap_err(),
            HandshakeError::ForbiddenHeader(name.into())
        );
    }
    for (name, value) in [
        ("X", "a\r\nHost: evil"),
        ("X", "a\rb"),
        ("X", "a\0"),
        ("X:Y", "a"),
        ("X\r\n", "a"),
    ] {
        let err = build(vec![(name.into(), value.into())]).unwrap_err();
        assert!(
            matches!(err, HandshakeError::InvalidHeader { .. }),
            "{name:?}: {value:?}"
        );
        assert_eq!(err.kind(), HandshakeErrorKind::Failed);
    }
}

// --- case-insensitivity and token lists ------------------------------------------------------

#[test]
fn client_accepts_any_case_and_connection_lists() {
    let response = format!(
        "HTTP/1.1 101 Switching Protocols\r\nuPgRaDe: WebSocket\r\n\
         CONNECTION: keep-alive, UPGRADE\r\nsec-websocket-accept: {}\r\n\r\n",
        derive_accept_key(SAMPLE_KEY)
    );
    assert!(client_result(chat_client(), &response).is_ok());
    let split_connection = format!(
        "HTTP/1.1 101 x\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n\
         Connection: upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
        derive_accept_key(SAMPLE_KEY)
    );
    assert!(client_result(chat_client(), &split_connection).is_ok());
}

#[test]
fn server_accepts_any_case_and_lists() {
    let request = "GET / HTTP/1.1\r\nhost: h\r\nUPGRADE: h2c, WebSocket\r\n\
        connection: keep-alive,Upgrade\r\nSEC-WEBSOCKET-KEY: dGhlIHNhbXBsZSBub25jZQ==\r\n\
        sec-websocket-version: 13\r\n\r\n";
    let req = server_result(ServerOptions::default(), request).unwrap();
    assert_eq!(req.host, "h");
}

// --- server rejections -----------------------------------------------------------------------

#[test]
fn server_rejections_have_status_and_kind() {
    use HandshakeErrorKind::*;
    let o = ServerOptions::default;
    let cases: Vec<(String, ServerOptions, u16, HandshakeErrorKind)> = vec![
        (
            request_with(&[], &[]).replace("GET", "POST"),
            o(),
            400,
            NotWebSocket,
        ),
        (
            request_with(&[], &[]).replace("HTTP/1.1", "HTTP/1.0"),
            o(),
            400,
            NotWebSocket,
        ),
        ("GARBAGE\r\n\r\n".into(), o(), 400, NotWebSocket),
        (request_with(&[], &["Host"]), o(), 400, BadHandshake),
        (request_with(&[("Host", "")], &[]), o(), 400, BadHandshake),
        (request_with(&[], &["Upgrade"]), o(), 400, NotWebSocket),
        (
            request_with(&[("Upgrade", "h2c")], &[]),
            o(),
            400,
            NotWebSocket,
        ),
        (request_with(&[], &["Connection"]), o(), 400, NotWebSocket),
        (
            request_with(&[("Connection", "keep-alive")], &[]),
            o(),
            400,
            NotWebSocket,
        ),
        (
            request_with(&[], &["Sec-WebSocket-Key"]),
            o(),
            400,
            BadHandshake,
        ),
        (
            request_with(&[("Sec-WebSocket-Key", "c2hvcnQ=")], &[]),
            o(),
            400,
            BadHandshake,
        ),
        (
            request_with(&[("Sec-WebSocket-Key", "not base64 at all!!!!!!!")], &[]),
            o(),
            400,
            BadHandshake,
        ),
        (
            request_with(&[("Sec-WebSocket-Version", "8")], &[]),
            o(),
            426,
            BadHandshake,
        ),
        (
            request_with(&[], &["Sec-WebSocket-Version"]),
            o(),
            426,
            BadHandshake,
        ),
        (
            request_with(&[("Sec-WebSocket-Protocol", "a b")], &[]),
            o(),
            400,
            BadHandshake,
        ),
        (
            request_with(&[("Sec-WebSocket-Extensions", "x; =1")], &[]),
            o(),
            400,
            BadHandshake,
        ),
        (
            request_with(&[("Origin", "http://evil.example")], &[]),
            ServerOptions {
                origin_policy: OriginPolicy::Allow(strings(&["http://good.example"])),
                ..o()
            },
            403,
            BadOrigin,
        ),
        (
            request_with(&[], &[]),
            ServerOptions {
                origin_policy: OriginPolicy::Allow(strings(&["http://good.example"])),
                ..o()
            },
            403,
            BadOrigin,
        ),
        (
            request_with(&[("Origin", "http://x")], &[]),
            ServerOptions {
                origin_policy: OriginPolicy::Check(Arc::new(|o| o == Some("http://y"))),
                ..o()
            },
            403,
            BadOrigin,
        ),
        (
            request_with(&[("Sec-WebSocket-Protocol", "a, b")], &[]),
            ServerOptions {
                protocols: strings(&["c"]),
                require_protocol: true,
                ..o()
            },
            400,
            BadHandshake,
        ),
    ];
    for (request, options, status, kind) in cases {
        let mut hs = ServerHandshake::new(options);
        let err = hs.receive(request.as_bytes()).expect_err(&request);
        assert_eq!(
            (err.status(), err.kind()),
            (Some(status), kind),
            "{request:?}: {err}"
        );
        let response = String::from_utf8(hs.reject(&err)).unwrap();
        assert!(
            response.starts_with(&format!("HTTP/1.1 {status} ")),
            "{response}"
        );
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        assert_eq!(body, format!("{err}\n"));
        assert!(head.contains(&format!("\r\nContent-Length: {}\r\n", body.len())));
        assert_eq!(
            head.contains("\r\nSec-WebSocket-Version: 13"),
            status == 426,
            "{head}"
        );
        assert!(matches!(
            hs.accept(&[]),
            Err(HandshakeError::InvalidState(_))
        ));
    }
}

#[test]
fn server_rejects_duplicate_single_headers() {
    for name in [
        "Host",
        "Sec-WebSocket-Key",
        "Sec-WebSocket-Version",
        "Origin",
    ] {
        let mut request = request_with(&[("Origin", "http://a")], &[]);
        request.insert_str(request.len() - 2, &format!("{name}: dup\r\n"));
        let err = server_error(ServerOptions::default(), &request);
        assert!(
            matches!(err, HandshakeError::DuplicateHeader(_)),
            "{name}: {err}"
        );
        assert_eq!(err.status(), Some(400));
    }
}

#[test]
fn version_426_names_supported_version_and_client_reads_it() {
    let mut hs = ServerHandshake::new(ServerOptions::default());
    let err = hs
        .receive(request_with(&[("Sec-WebSocket-Version", "8")], &[]).as_bytes())
        .unwrap_err();
    assert_eq!(
        err,
        HandshakeError::UnsupportedVersion {
            version: Some("8".into())
        }
    );
    let response = String::from_utf8(hs.reject(&err)).unwrap();
    assert!(response.starts_with("HTTP/1.1 426 Upgrade Required\r\n"));
    // The client side of the same exchange.
    let err = client_result(chat_client(), &response).unwrap_err();
    assert_eq!(
        err,
        HandshakeError::UnexpectedStatus {
            status: 426,
            reason: "Upgrade Required".into(),
            supported_versions: Some("13".into()),
        }
    );
    assert_eq!(err.kind(), HandshakeErrorKind::NotWebSocket);
    assert!(err.to_string().contains("426") && err.to_string().contains("13"));
}

#[test]
fn application_can_accept_missing_origin_with_a_callback() {
    let options = ServerOptions {
        origin_policy: OriginPolicy::Check(Arc::new(|o| o.is_none() || o == Some("http://ok"))),
        ..Default::default()
    };
    assert!(server_result(options.clone(), &request_with(&[], &[])).is_ok());
    let req = server_result(options, &request_with(&[("Origin", "http://ok")], &[])).unwrap();
    assert_eq!(req.origin.as_deref(), Some("http://ok"));
}

#[test]
fn server_accept_extra_headers() {
    let mut hs = ServerHandshake::new(ServerOptions::default());
    hs.receive(request_with(&[], &[]).as_bytes())
        .unwrap()
        .unwrap();
    assert!(matches!(
        hs.accept(&[("Sec-WebSocket-Accept".into(), "x".into())]),
        Err(HandshakeError::ForbiddenHeader(_))
    ));
    assert!(matches!(
        hs.accept(&[("Set-Cookie".into(), "a\r\nb".into())]),
        Err(HandshakeError::InvalidHeader { .. })
    ));
    let ok = hs.accept(&[("Set-Cookie".into(), "id=1".into())]).unwrap();
    assert!(String::from_utf8(ok.response)
        .unwrap()
        .ends_with("Set-Cookie: id=1\r\n\r\n"));
    assert!(matches!(
        hs.accept(&[]),
        Err(HandshakeError::InvalidState(_))
    ));
}

// --- client rejections -----------------------------------------------------------------------

#[test]
fn client_rejections_have_kind() {
    use HandshakeErrorKind::*;
    let accept = derive_accept_key(SAMPLE_KEY);
    let cases: Vec<(String, HandshakeErrorKind)> = vec![
        (
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".into(),
            NotWebSocket,
        ),
        ("HTTP/1.1 400 Bad Request\r\n\r\n".into(), BadHandshake),
        ("HTTP/1.1 403 Forbidden\r\n\r\n".into(), NotWebSocket),
        ("SSH-2.0-OpenSSH\r\n\r\n".into(), NotWebSocket),
        (
            SAMPLE_RESPONSE.replace("HTTP/1.1", "HTTP/1.0"),
            NotWebSocket,
        ),
        (
            SAMPLE_RESPONSE.replace("Upgrade: websocket\r\n", ""),
            NotWebSocket,
        ),
        (
            SAMPLE_RESPONSE.replace("Upgrade: websocket", "Upgrade: h2c"),
            NotWebSocket,
        ),
        (
            SAMPLE_RESPONSE.replace("Connection: Upgrade", "Connection: close"),
            NotWebSocket,
        ),
        (
            SAMPLE_RESPONSE.replace(&format!("Sec-WebSocket-Accept: {accept}\r\n"), ""),
            BadHandshake,
        ),
        (
            SAMPLE_RESPONSE.replace(&accept, "dGhlIHNhbXBsZSBub25jZQ=="),
            BadHandshake,
        ),
        (
            response_with(&format!("Sec-WebSocket-Accept: {accept}\r\n")),
            BadHandshake,
        ),
        (
            response_with("Sec-WebSocket-Protocol: other\r\n"),
            BadHandshake,
        ),
        (
            response_with("Sec-WebSocket-Protocol: chat, superchat\r\n"),
            BadHandshake,
        ),
        (
            response_with("Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: chat\r\n"),
            BadHandshake,
        ),
        (
            response_with("Sec-WebSocket-Extensions: x-unknown\r\n"),
            BadHandshake,
        ),
        (
            response_with("Sec-WebSocket-Extensions: ;\r\n"),
            BadHandshake,
        ),
    ];
    for (response, kind) in cases {
        let err = client_result(chat_client(), &response).expect_err(&response);
        assert_eq!(err.kind(), kind, "{response:?}: {err}");
    }
}

#[test]
fn client_rejects_protocol_it_did_not_offer() {
    let err = client_result(client(ClientOptions::default()), SAMPLE_RESPONSE).unwrap_err();
    assert_eq!(err, HandshakeError::UnexpectedProtocol("chat".into()));
    let err = client_result(
        chat_client(),
        &response_with("Sec-WebSocket-Protocol: CHAT\r\n"),
    )
    .unwrap_err();
    assert_eq!(err, HandshakeError::UnexpectedProtocol("CHAT".into()));
    let accepted = client_result(chat_client(), &response_with("")).unwrap();
    assert_eq!(accepted.protocol, None);
}

#[test]
fn non_101_with_body_reports_status() {
    let response = "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nnope!";
    let err = client_result(chat_client(), response).unwrap_err();
    assert_eq!(
        err,
        HandshakeError::UnexpectedStatus {
            status: 404,
            reason: "Not Found".into(),
            supported_versions: None
        }
    );
}

// --- subprotocols ----------------------------------------------------------------------------

#[test]
fn server_subprotocol_choice() {
    let request = request_with(
        &[
            ("Sec-WebSocket-Protocol", "a, b"),
            ("sec-websocket-protocol", "c"),
        ],
        &[],
    );
    let chosen = |protocols: &[&str], preference| {
        let mut hs = ServerHandshake::new(ServerOptions {
            protocols: strings(protocols),
            protocol_preference: preference,
            ..Default::default()
        });
        let (req, _) = hs.receive(request.as_bytes()).unwrap().unwrap();
        assert_eq!(req.protocols, strings(&["a", "b", "c"]));
        let accepted = hs.accept(&[]).unwrap();
        let response = String::from_utf8(accepted.response).unwrap();
        let line = response
            .lines()
            .find(|l| l.starts_with("Sec-WebSocket-Protocol"));
        assert_eq!(line.map(|l| l[24..].to_owned()), accepted.protocol);
        accepted.protocol
    };
    use ProtocolPreference::*;
    assert_eq!(chosen(&["c", "b"], Server).as_deref(), Some("c"));
    assert_eq!(chosen(&["c", "b"], Client).as_deref(), Some("b"));
    assert_eq!(chosen(&["x", "A"], Server), None); // never one the client did not offer
    assert_eq!(chosen(&[], Client), None);
}

#[test]
fn server_without_protocols_answers_none() {
    let mut hs = ServerHandshake::new(ServerOptions::default());
    hs.receive(SAMPLE_REQUEST.as_bytes()).unwrap().unwrap();
    let accepted = hs.accept(&[]).unwrap();
    assert_eq!(accepted.protocol, None);
    assert!(!String::from_utf8(accepted.response)
        .unwrap()
        .contains("Sec-WebSocket-Protocol"));
}

// --- what the application sees ---------------------------------------------------------------

#[test]
fn request_details_for_the_application() {
    let request = request_with(
        &[("Origin", "https://app.example"), ("Cookie", "id=7")],
        &[],
    )
    .replace("GET /chat ", "GET /chat?room=5 ");
    let req = server_result(ServerOptions::default(), &request).unwrap();
    assert_eq!((req.path(), req.query()), ("/chat", Some("room=5")));
    assert_eq!(req.url(false), "ws://server.example.com/chat?room=5");
    assert_eq!(req.origin.as_deref(), Some("https://app.example"));
    assert_eq!(header::get(&req.headers, "cookie"), Some("id=7"));
    assert_eq!(req.headers.len(), 7);
}

#[test]
fn absolute_form_target_and_leading_empty_line() {
    let request = format!(
        "\r\n{}",
        request_with(&[], &[]).replace("GET /chat ", "GET ws://server.example.com/chat?x ")
    );
    let mut hs = ServerHandshake::new(ServerOptions::default());
    let (req, consumed) = hs.receive(request.as_bytes()).unwrap().unwrap();
    assert_eq!(
        (req.resource.as_str(), consumed),
        ("/chat?x", request.len())
    );
    let bad = request_with(&[], &[]).replace("GET /chat ", "GET * ");
    let err = server_error(ServerOptions::default(), &bad);
    assert!(matches!(err, HandshakeError::MalformedHttp(_)), "{err}");
    assert_eq!(err.status(), Some(400));
}

#[test]
fn non_utf8_header_values_read_as_latin1() {
    let mut request = request_with(&[], &[]).into_bytes();
    let at = request.len() - 2;
    request.splice(at..at, b"X-Name: Jos\xe9\r\n".iter().copied());
    let mut hs = ServerHandshake::new(ServerOptions::default());
    let (req, _) = hs.receive(&request).unwrap().unwrap();
    assert_eq!(header::get(&req.headers, "x-name"), Some("Jos\u{e9}"));
}
