// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Hostile opening handshakes: oversized and malformed heads, request smuggling shapes, bad
//! keys and versions, bad extension parameters, and responses with things the client never
//! offered. Every one ends in a clear error (with its HTTP status on the server, and its close
//! code where a WebSocket close code applies), never a panic.

mod handshake_support;

use std::sync::Arc;

use handshake_support::*;
use rswebsockets::extension::deflate::DeflateConfig;
use rswebsockets::handshake::{
    ClientOptions, HandshakeError, HandshakeErrorKind, Limits, ServerHandshake, ServerOptions,
};
use rswebsockets::CloseCode;

fn deflate_server() -> ServerOptions {
    ServerOptions {
        extensions: vec![Arc::new(DeflateConfig::new())],
        ..Default::default()
    }
}

fn deflate_client() -> rswebsockets::handshake::ClientHandshake {
    client(ClientOptions {
        extensions: vec![Arc::new(DeflateConfig::new())],
        ..Default::default()
    })
}

/// The server's verdict on `request`, fed in one piece and byte by byte (which must agree):
/// the error and the status line of the rejection it sends.
fn rejected(options: ServerOptions, request: &[u8]) -> (HandshakeError, String) {
    let mut whole = ServerHandshake::new(options.clone());
    let err = match whole.receive(request) {
        Ok(Some((req, _))) => panic!("accepted {:?}: {req:?}", String::from_utf8_lossy(request)),
        Ok(None) => panic!("incomplete: {:?}", String::from_utf8_lossy(request)),
        Err(e) => e,
    };
    let mut split = ServerHandshake::new(options);
    let mut split_err = None;
    for b in request {
        match split.receive(std::slice::from_ref(b)) {
            Ok(None) => {}
            Ok(Some(_)) => panic!("accepted byte by byte"),
            Err(e) => {
                split_err = Some(e);
                break;
            }
        }
    }
    assert_eq!(
        split_err.as_ref(),
        Some(&err),
        "byte-by-byte verdict differs"
    );
    let response = whole.reject(&err);
    let text = String::from_utf8_lossy(&response);
    let status_line = text.lines().next().unwrap_or_default().to_owned();
    // The rejection is itself a well-formed response that closes the connection.
    assert!(text.contains("\r\nConnection: close\r\n") || text.contains("Upgrade, close"));
    (err, status_line)
}

fn assert_status(options: ServerOptions, request: &[u8], status: u16) -> HandshakeError {
    let (err, line) = rejected(options, request);
    assert!(
        line.starts_with(&format!("HTTP/1.1 {status} ")),
        "{:?} -> {err:?}, {line}",
        String::from_utf8_lossy(request)
    );
    assert_eq!(err.status(), Some(status), "{err:?}");
    err
}

#[test]
fn oversized_heads_get_431() {
    let long = "a".repeat(8 * 1024 + 1);
    let req = request_with(&[("X-Long", &long)], &[]);
    assert!(matches!(
        assert_status(ServerOptions::default(), req.as_bytes(), 431),
        HandshakeError::LineTooLong { .. }
    ));
    // A request line that never ends.
    let endless = format!("GET /{} HTTP/1.1", "x".repeat(20_000));
    assert!(matches!(
        assert_status(ServerOptions::default(), endless.as_bytes(), 431),
        HandshakeError::LineTooLong { .. }
    ));
    // 101 short header lines.
    let many: Vec<(String, String)> = (0..101)
        .map(|i| (format!("X-{i}"), "v".to_string()))
        .collect();
    let refs: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let req = request_with(&refs, &[]);
    assert!(matches!(
        assert_status(ServerOptions::default(), req.as_bytes(), 431),
        HandshakeError::TooManyHeaders { .. }
    ));
    // 40 lines of 500 bytes: each line and the count are fine, the total (20 KB) is not.
    let big: Vec<(String, String)> = (0..40)
        .map(|i| (format!("X-{i}"), "v".repeat(500)))
        .collect();
    let refs: Vec<(&str, &str)> = big.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let req = request_with(&refs, &[]);
    assert!(matches!(
        assert_status(ServerOptions::default(), req.as_bytes(), 431),
        HandshakeError::HeadersTooLarge { .. }
    ));
    // Empty lines before the request line still count toward the total.
    let blank = "\r\n".repeat(9000);
    assert!(matches!(
        assert_status(ServerOptions::default(), blank.as_bytes(), 431),
        HandshakeError::HeadersTooLarge { .. }
    ));
}

#[test]
fn limits_bound_what_is_buffered_whatever_the_split() {
    // A peer that trickles header lines forever, one byte at a time, is stopped at the total
    // limit: nothing past it is buffered.
    let limits = Limits {
        max_line_length: 64,
        max_headers: 1000,
        max_total_size: 256,
    };
    let mut hs = ServerHandshake::new(ServerOptions {
        limits,
        ..Default::default()
    });
    let stream = b"GET / HTTP/1.1\r\n"
        .iter()
        .chain(b"X: 0123456789\r\n".iter().cycle());
    let mut fed = 0usize;
    let mut err = None;
    for b in stream.take(10_000) {
        match hs.receive(std::slice::from_ref(b)) {
            Ok(None) => fed += 1,
            Ok(Some(_)) => panic!("accepted"),
            Err(e) => {
                err = Some(e);
                break;
            }
        }
    }
    assert_eq!(err, Some(HandshakeError::HeadersTooLarge { limit: 256 }));
    assert_eq!(fed, 256);
}

#[test]
fn key_problems_get_400() {
    type Replace<'a> = &'a [(&'a str, &'a str)];
    let cases: &[(Replace<'_>, &[&str])] = &[
        (&[], &["Sec-WebSocket-Key"]),
        (&[("Sec-WebSocket-Key", "")], &[]),
        (&[("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ")], &[]),
        (&[("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZR==")], &[]), // non-canonical bits
        (&[("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZXhh")], &[]), // 18 bytes
        (&[("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25j")], &[]),
        (&[("Sec-WebSocket-Key", "!!!!!!!!!!!!!!!!!!!!!!==")], &[]),
        (&[("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==x")], &[]),
        (&[("Sec-WebSocket-Key", "dGhlIHNhbXBs ZSBub25jZQ==")], &[]),
    ];
    for (replace, remove) in cases {
        let req = request_with(replace, remove);
        let err = assert_status(ServerOptions::default(), req.as_bytes(), 400);
        assert!(
            matches!(
                err,
                HandshakeError::MissingKey | HandshakeError::InvalidKey(_)
            ),
            "{replace:?}: {err:?}"
        );
        assert_eq!(err.kind(), HandshakeErrorKind::BadHandshake);
    }
    // Two keys, even two valid ones.
    let twice = request_with(&[], &[]).replace(
        "\r\n\r\n",
        "\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n",
    );
    assert_eq!(
        assert_status(ServerOptions::default(), twice.as_bytes(), 400),
        HandshakeError::DuplicateHeader("Sec-WebSocket-Key")
    );
}

#[test]
fn bad_versions_get_426_with_the_supported_version() {
    for version in ["8", "12", "14", "", "13, 8", "013", "thirteen", "13 "] {
        let req = request_with(&[("Sec-WebSocket-Version", version)], &[]);
        if version == "13 " {
            // Trailing whitespace is not part of a field value (RFC 7230 §3.2.4).
            assert!(server_result(ServerOptions::default(), &req).is_ok());
            continue;
        }
        let (err, line) = rejected(ServerOptions::default(), req.as_bytes());
        assert!(
            matches!(err, HandshakeError::UnsupportedVersion { .. }),
            "{version:?}: {err:?}"
        );
        assert_eq!(line, "HTTP/1.1 426 Upgrade Required");
        let mut hs = ServerHandshake::new(ServerOptions::default());
        let response = String::from_utf8(hs.reject(&err)).unwrap();
        assert!(
            response.contains("\r\nSec-WebSocket-Version: 13\r\n"),
            "{response}"
        );
    }
    let missing = request_with(&[], &["Sec-WebSocket-Version"]);
    assert_status(ServerOptions::default(), missing.as_bytes(), 426);
}

#[test]
fn not_a_websocket_get() {
    let base = request_with(&[], &[]);
    for bad in [
        base.replace("GET", "POST"),
        base.replace("GET", "get"),
        base.replace("GET", "CONNECT"),
        base.replace("HTTP/1.1", "HTTP/1.0"),
        base.replace("HTTP/1.1", "HTTP/2.0"),
        base.replace("HTTP/1.1", "HTTP/1.1 extra"),
        base.replace("GET /chat", "GET  /chat"),
        base.replace("GET /chat", "GET *"),
        base.replace("GET /chat", "GET server.example.com:80"),
        base.replace("Upgrade: websocket", "Upgrade: h2c"),
        base.replace("Connection: Upgrade", "Connection: keep-alive"),
        base.replace("Host: server.example.com\r\n", ""),
        base.replace("Host: server.example.com", "Host:"),
        "\x16\x03\x01\x02\x00\x01\x00\x01\x7c\x03\x03\r\n\r\n".to_owned(), // TLS-hello-like
        "SSH-2.0-OpenSSH_9.6\r\n\r\n".to_owned(),
    ] {
        let (err, line) = rejected(ServerOptions::default(), bad.as_bytes());
        assert!(line.starts_with("HTTP/1.1 400 "), "{bad:?}: {err:?} {line}");
    }
}

#[test]
fn smuggling_shapes_are_refused() {
    let base = request_with(&[], &[]);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        // obs-fold: a continuation line (RFC 7230 §3.2.4: reject with 400).
        (
            "obs-fold",
            base.replace(
                "Upgrade: websocket\r\n",
                "Upgrade: websocket\r\n  , foo\r\n",
            )
            .into_bytes(),
        ),
        (
            "obs-fold on the key",
            base.replace(
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
                "Sec-WebSocket-Key:\r\n dGhlIHNhbXBsZSBub25jZQ==\r\n",
            )
            .into_bytes(),
        ),
        (
            "space before colon",
            base.replace("Host:", "Host :").into_bytes(),
        ),
        (
            "NUL in a value",
            base.replace("server.example.com", "server\0.example.com")
                .into_bytes(),
        ),
        (
            "NUL in a name",
            base.replace("Upgrade:", "Upgr\0ade:").into_bytes(),
        ),
        (
            "NUL in the target",
            base.replace("/chat", "/ch\0at").into_bytes(),
        ),
        (
            "bare CR in a value",
            base.replace("server.example.com", "server\r.example.com")
                .into_bytes(),
        ),
        (
            "request body by Content-Length",
            base.replace("\r\n\r\n", "\r\nContent-Length: 5\r\n\r\nhello")
                .into_bytes(),
        ),
        (
            "chunked request body",
            base.replace(
                "\r\n\r\n",
                "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            )
            .into_bytes(),
        ),
        (
            "two Content-Lengths",
            base.replace(
                "\r\n\r\n",
                "\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n",
            )
            .into_bytes(),
        ),
        (
            "non-numeric Content-Length",
            base.replace("\r\n\r\n", "\r\nContent-Length: 0x5\r\n\r\n")
                .into_bytes(),
        ),
        (
            "two Hosts",
            base.replace("\r\n\r\n", "\r\nHost: evil.example\r\n\r\n")
                .into_bytes(),
        ),
    ];
    for (what, req) in cases {
        let (err, line) = rejected(ServerOptions::default(), &req);
        assert!(line.starts_with("HTTP/1.1 400 "), "{what}: {err:?} {line}");
        assert_ne!(err.kind(), HandshakeErrorKind::Failed, "{what}: {err:?}");
    }
    // An empty body announced as such is harmless (some clients send it).
    let zero = base.replace("\r\n\r\n", "\r\nContent-Length: 0\r\n\r\n");
    assert!(server_result(ServerOptions::default(), &zero).is_ok());
}

#[test]
fn bare_lf_heads_are_read_like_crlf_heads() {
    // RFC 7230 §3.5 lets a recipient accept a bare LF as the line end; what follows the head
    // is the WebSocket stream, exactly.
    let crlf = request_with(&[], &[]);
    let lf = crlf.replace("\r\n", "\n");
    let mut bytes = lf.clone().into_bytes();
    bytes.extend_from_slice(b"\x81\x80");
    let mut hs = ServerHandshake::new(ServerOptions::default());
    let (req, consumed) = hs.receive(&bytes).unwrap().unwrap();
    assert_eq!(consumed, lf.len());
    assert_eq!(req.key, SAMPLE_KEY);
    // Mixed endings, the blank line as "\n\r\n", also work.
    let mixed = crlf.replacen("\r\n", "\n", 2);
    assert!(server_result(ServerOptions::default(), &mixed).is_ok());
}

#[test]
fn non_utf8_bytes_are_errors_or_latin1_never_bad_strings() {
    let base = request_with(&[], &[]);
    for bad in [
        base.replace("/chat", "/ch\u{00ff}at").into_bytes(),
        {
            let mut b = base.clone().into_bytes();
            let at = b.windows(5).position(|w| w == b"/chat").unwrap();
            b[at + 2] = 0xff; // invalid UTF-8 in the target
            b
        },
        {
            let mut b = base.clone().into_bytes();
            let at = b.windows(6).position(|w| w == b"server").unwrap();
            b[at] = 0xc3; // a lone lead byte in the Host value
            b
        },
    ] {
        let mut hs = ServerHandshake::new(ServerOptions::default());
        match hs.receive(&bad) {
            Ok(Some((req, _))) => {
                // Whatever was accepted is valid text.
                assert!(std::str::from_utf8(req.resource.as_bytes()).is_ok());
                assert!(std::str::from_utf8(req.host.as_bytes()).is_ok());
            }
            Ok(None) => panic!("incomplete"),
            Err(e) => assert_eq!(e.status(), Some(400), "{e:?}"),
        }
    }
}

#[test]
fn malformed_deflate_offers_are_declined_not_failed() {
    // RFC 7692 §5: a server declines an offer it cannot accept (it answers without the
    // extension, or with a later acceptable offer); the connection goes on uncompressed.
    for offer in [
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
        "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
        "permessage-deflate; x-unknown",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=08",
        "permessage-deflate; client_max_window_bits=0",
        "permessage-deflate; client_max_window_bits=65536",
        "permessage-deflate; client_max_window_bits=-1",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; client_no_context_takeover=\"yes\"",
    ] {
        let req = request_with(&[("Sec-WebSocket-Extensions", offer)], &[]);
        let mut hs = ServerHandshake::new(deflate_server());
        hs.receive(req.as_bytes()).unwrap().unwrap();
        let accepted = hs.accept(&[]).unwrap();
        assert!(accepted.extensions.is_empty(), "{offer}");
        let response = String::from_utf8(accepted.response).unwrap();
        assert!(!response.contains("Sec-WebSocket-Extensions"), "{offer}");

        // With a valid fallback offer after it, the fallback is taken.
        let both = format!("{offer}, permessage-deflate");
        let req = request_with(&[("Sec-WebSocket-Extensions", &both)], &[]);
        let mut hs = ServerHandshake::new(deflate_server());
        hs.receive(req.as_bytes()).unwrap().unwrap();
        let accepted = hs.accept(&[]).unwrap();
        assert_eq!(accepted.extensions.len(), 1, "{both}");
    }
    // Quoted values are unquoted (RFC 6455 §9.1) and then checked like tokens.
    let quoted = "permessage-deflate; client_max_window_bits=\"10\"";
    let req = request_with(&[("Sec-WebSocket-Extensions", quoted)], &[]);
    let mut hs = ServerHandshake::new(deflate_server());
    hs.receive(req.as_bytes()).unwrap().unwrap();
    assert_eq!(hs.accept(&[]).unwrap().extensions.len(), 1);
    // A header that does not follow the grammar at all is a bad request.
    for broken in [
        "permessage-deflate; client_max_window_bits=\"1 0\"",
        "permessage-deflate;;",
        "permessage-deflate; =10",
        "permessage-deflate client_max_window_bits",
    ] {
        let req = request_with(&[("Sec-WebSocket-Extensions", broken)], &[]);
        let err = assert_status(deflate_server(), req.as_bytes(), 400);
        assert!(
            matches!(err, HandshakeError::MalformedExtensions(_)),
            "{broken}: {err:?}"
        );
    }
}

/// A client's verdict on a response, with the close code its failure maps to.
fn client_failure(
    hs: rswebsockets::handshake::ClientHandshake,
    response: &str,
) -> (HandshakeError, Option<CloseCode>) {
    let err = client_result(hs, response).expect_err("the response must be refused");
    let code = err.close_code();
    (err, code)
}

#[test]
fn client_refuses_an_extension_it_did_not_offer_with_1010() {
    for extra in [
        "Sec-WebSocket-Extensions: permessage-deflate\r\n",
        "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n",
    ] {
        let (err, code) = client_failure(chat_client(), &response_with(extra));
        assert!(
            matches!(err, HandshakeError::UnknownExtension(_)),
            "{err:?}"
        );
        assert_eq!(code, Some(CloseCode::MissingExtension));
        assert_eq!(err.kind(), HandshakeErrorKind::BadHandshake);
    }
    // Offered, but answered with parameters the client cannot accept.
    for extra in [
        "Sec-WebSocket-Extensions: permessage-deflate; x-unknown\r\n",
        "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16\r\n",
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n",
        "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_no_context_takeover\r\n",
    ] {
        let (err, code) = client_failure(deflate_client(), &response_with(extra));
        assert!(matches!(err, HandshakeError::ExtensionRejected { .. }), "{extra}: {err:?}");
        assert_eq!(code, Some(CloseCode::MissingExtension), "{extra}");
    }
    // Offered once, accepted twice.
    let twice = "Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate\r\n";
    let (err, code) = client_failure(deflate_client(), &response_with(twice));
    assert!(
        matches!(err, HandshakeError::DuplicateExtension(_)),
        "{err:?}"
    );
    assert_eq!(code, Some(CloseCode::MissingExtension));
}

#[test]
fn client_refuses_a_subprotocol_it_did_not_offer() {
    for extra in [
        "Sec-WebSocket-Protocol: superduperchat\r\n",
        "Sec-WebSocket-Protocol: CHAT\r\n",
        "Sec-WebSocket-Protocol: chat, superchat\r\n",
        "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: chat\r\n",
    ] {
        let (err, code) = client_failure(chat_client(), &response_with(extra));
        assert!(
            matches!(
                err,
                HandshakeError::UnexpectedProtocol(_)
                    | HandshakeError::MalformedProtocol(_)
                    | HandshakeError::DuplicateHeader(_)
            ),
            "{extra}: {err:?}"
        );
        assert_eq!(code, Some(CloseCode::ProtocolError), "{extra}");
    }
    // No protocol offered, one answered.
    let (err, _) = client_failure(
        client(ClientOptions::default()),
        &response_with("Sec-WebSocket-Protocol: chat\r\n"),
    );
    assert!(matches!(err, HandshakeError::UnexpectedProtocol(_)));
}

#[test]
fn client_refuses_malformed_responses() {
    let good = response_with("");
    for bad in [
        good.replace("HTTP/1.1", "HTTP/1.0"),
        good.replace("101", "200"),
        good.replace("101", "1O1"),
        good.replace("Upgrade: websocket", "Upgrade: h2c"),
        good.replace("Connection: Upgrade", "Connection: close"),
        good.replace("Sec-WebSocket-Accept", "Sec-WebSocket-Acept"),
        good.replace("Sec-WebSocket-Accept: ", "Sec-WebSocket-Accept: x"),
        good.replace(
            "\r\n\r\n",
            "\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
        ),
        good.replace(
            "Upgrade: websocket\r\n",
            "Upgrade: websocket\r\n folded\r\n",
        ),
        good.replace("Upgrade:", "Upgrade :"),
        good.replace("websocket", "web\0socket"),
    ] {
        let hs = client(ClientOptions::default());
        let err = client_result(hs, &bad).expect_err(&bad);
        assert_ne!(err.kind(), HandshakeErrorKind::Failed, "{bad:?}: {err:?}");
    }
}

#[test]
fn handshake_errors_map_to_close_codes_in_one_place() {
    // Misuse of the API puts nothing on the wire and has no close code; a server answers
    // request errors with an HTTP status, and reports the close code to its application.
    assert_eq!(HandshakeError::InvalidState("x").close_code(), None);
    assert_eq!(
        HandshakeError::MissingKey.close_code(),
        Some(CloseCode::ProtocolError)
    );
    assert_eq!(
        HandshakeError::UnknownExtension("x".into()).close_code(),
        Some(CloseCode::MissingExtension)
    );
    assert_eq!(
        HandshakeError::MissingAccept.close_code(),
        Some(CloseCode::ProtocolError)
    );
}
