// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Handshake input handling: header limits, input split at every byte with leftover bytes
//! handed back, truncated input, random and mutated bytes.

mod handshake_support;

use rand::{Rng, SeedableRng};
use rswebsockets::handshake::{
    header, ClientOptions, HandshakeError, HandshakeErrorKind, Limits, ServerHandshake,
    ServerOptions, WsUrl,
};

use handshake_support::*;

// --- limits ----------------------------------------------------------------------------------

fn padded_request(count: usize, value_len: usize) -> String {
    let extra: Vec<(String, String)> = (0..count)
        .map(|i| (format!("X-Pad-{i}"), "v".repeat(value_len)))
        .collect();
    let extra: Vec<(&str, &str)> = extra
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    request_with(&extra, &[])
}

#[test]
fn server_limits_default_like_qt() {
    let o = ServerOptions::default;
    // 5 handshake headers + 95 = 100 header lines: fine; one more is too many.
    assert!(server_result(o(), &padded_request(95, 1)).is_ok());
    assert_eq!(
        server_error(o(), &padded_request(96, 1)),
        HandshakeError::TooManyHeaders { limit: 100 }
    );
    // A 8 KiB line is fine ("X-Pad-0: " is 9 bytes), one byte more is not.
    assert!(server_result(o(), &padded_request(1, 8192 - 9)).is_ok());
    let err = server_error(o(), &padded_request(1, 8192 - 8));
    assert_eq!(err, HandshakeError::LineTooLong { limit: 8192 });
    assert_eq!(
        (err.status(), err.kind()),
        (Some(431), HandshakeErrorKind::BadHandshake)
    );
    // 16 KiB in total.
    assert_eq!(
        server_error(o(), &padded_request(3, 6000)),
        HandshakeError::HeadersTooLarge { limit: 16384 }
    );
}

#[test]
fn limits_are_settable_and_bound_buffering() {
    let limits = Limits {
        max_line_length: 64,
        max_headers: 8,
        max_total_size: 300,
    };
    let options = || ServerOptions {
        limits,
        ..Default::default()
    };
    assert!(server_result(options(), &request_with(&[], &[])).is_ok());
    assert!(matches!(
        server_error(options(), &padded_request(4, 1)),
        HandshakeError::TooManyHeaders { .. }
    ));
    assert!(matches!(
        server_error(options(), &padded_request(1, 60)),
        HandshakeError::LineTooLong { .. }
    ));
    assert!(matches!(
        server_error(options(), &padded_request(3, 40)),
        HandshakeError::HeadersTooLarge { .. }
    ));
    // An endless header line fed byte by byte fails as soon as it passes the line limit.
    let mut hs = ServerHandshake::new(options());
    let mut fed = 0;
    let err = loop {
        fed += 1;
        match hs.receive(b"x") {
            Ok(None) => assert!(fed <= 66),
            Ok(Some(_)) => panic!("no header block here"),
            Err(e) => break e,
        }
    };
    assert_eq!((err, fed), (HandshakeError::LineTooLong { limit: 64 }, 66));
    // Endless short lines hit the line count; with a high count, the total size.
    let mut hs = ServerHandshake::new(ServerOptions {
        limits: Limits {
            max_headers: 1000,
            ..limits
        },
        ..Default::default()
    });
    let mut fed = 0;
    let err = loop {
        fed += 3;
        if let Err(e) = hs.receive(b"a\r\n") {
            break e;
        }
        assert!(fed <= 303);
    };
    assert_eq!(err, HandshakeError::HeadersTooLarge { limit: 300 });
}

#[test]
fn client_limits() {
    let limits = Limits {
        max_line_length: 100,
        max_headers: 5,
        max_total_size: 1000,
    };
    let hs = || {
        client(ClientOptions {
            protocols: strings(&["chat"]),
            limits,
            ..Default::default()
        })
    };
    assert!(client_result(hs(), SAMPLE_RESPONSE).is_ok());
    let many = response_with("A: 1\r\nB: 2\r\nC: 3\r\n");
    assert_eq!(
        client_result(hs(), &many).unwrap_err(),
        HandshakeError::TooManyHeaders { limit: 5 }
    );
    let long = response_with(&format!("A: {}\r\n", "x".repeat(100)));
    assert_eq!(
        client_result(hs(), &long).unwrap_err(),
        HandshakeError::LineTooLong { limit: 100 }
    );
}

// --- incremental input -----------------------------------------------------------------------

#[test]
fn server_request_split_at_every_byte_keeps_leftover() {
    let mut input = SAMPLE_REQUEST.as_bytes().to_vec();
    input.extend_from_slice(b"\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"); // RFC 6455 §5.7 "Hello"
    let whole = server_result(ServerOptions::default(), SAMPLE_REQUEST).unwrap();
    for split in 0..=input.len() {
        let (a, b) = input.split_at(split);
        let mut hs = ServerHandshake::new(ServerOptions::default());
        let (req, rest) = match hs.receive(a).unwrap() {
            Some((req, consumed)) => {
                let mut rest = a[consumed..].to_vec();
                rest.extend_from_slice(b);
                (req, rest)
            }
            None => {
                let (req, consumed) = hs.receive(b).unwrap().expect("complete");
                (req, b[consumed..].to_vec())
            }
        };
        assert_eq!(req, whole);
        assert_eq!(rest, &input[SAMPLE_REQUEST.len()..], "split at {split}");
    }
}

#[test]
fn client_response_byte_by_byte_keeps_leftover() {
    let mut input = SAMPLE_RESPONSE.as_bytes().to_vec();
    input.extend_from_slice(b"\x81\x05Hello\x89\x00");
    let mut hs = chat_client();
    let mut result = None;
    for (i, byte) in input.iter().enumerate() {
        match hs.receive(std::slice::from_ref(byte)).unwrap() {
            None => assert!(i < SAMPLE_RESPONSE.len() - 1),
            Some((accepted, consumed)) => {
                assert_eq!((i, consumed), (SAMPLE_RESPONSE.len() - 1, 1));
                result = Some(accepted);
                break;
            }
        }
    }
    assert_eq!(result.unwrap().protocol.as_deref(), Some("chat"));
    // Every split point, two reads.
    for split in 0..=input.len() {
        let (a, b) = input.split_at(split);
        let mut hs = chat_client();
        let rest = match hs.receive(a).unwrap() {
            Some((_, consumed)) => [&a[consumed..], b].concat(),
            None => {
                let (_, consumed) = hs.receive(b).unwrap().expect("complete");
                b[consumed..].to_vec()
            }
        };
        assert_eq!(rest, b"\x81\x05Hello\x89\x00", "split at {split}");
    }
}

#[test]
fn truncated_input_never_completes_or_panics() {
    for cut in 0..SAMPLE_REQUEST.len() {
        let mut hs = ServerHandshake::new(ServerOptions::default());
        assert!(
            hs.receive(&SAMPLE_REQUEST.as_bytes()[..cut])
                .unwrap()
                .is_none(),
            "{cut}"
        );
    }
    for cut in 0..SAMPLE_RESPONSE.len() {
        assert!(
            chat_client()
                .receive(&SAMPLE_RESPONSE.as_bytes()[..cut])
                .unwrap()
                .is_none(),
            "{cut}"
        );
    }
}

// --- hostile input ---------------------------------------------------------------------------

#[test]
fn random_and_mutated_input_never_panics() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    let alphabet =
        b"GET HTTP/1.1\r\n:;,=\"\\ \tUpgrade websocket Connection Sec-WebSocket-Key 13 \x00\xff";
    for round in 0..3000 {
        let len = rng.random_range(0..400);
        let input: Vec<u8> = match round % 3 {
            0 => (0..len).map(|_| rng.random()).collect(),
            1 => (0..len)
                .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                .collect(),
            _ => {
                let base = if round % 2 == 0 {
                    SAMPLE_REQUEST
                } else {
                    SAMPLE_RESPONSE
                };
                let mut bytes = base.as_bytes().to_vec();
                for _ in 0..rng.random_range(1..6) {
                    let i = rng.random_range(0..bytes.len());
                    bytes[i] = alphabet[rng.random_range(0..alphabet.len())];
                }
                bytes
            }
        };
        let chunk = rng.random_range(1..64);
        let mut server = ServerHandshake::new(ServerOptions {
            extensions: vec![TestConfig::shared("x-a", &[], 9)],
            protocols: strings(&["chat"]),
            ..Default::default()
        });
        let mut client = client(ClientOptions {
            protocols: strings(&["chat"]),
            extensions: vec![TestConfig::shared("x-a", &[1], 9)],
            ..Default::default()
        });
        let mut server_done = false;
        let mut client_done = false;
        for piece in input.chunks(chunk) {
            if !server_done {
                match server.receive(piece) {
                    Ok(None) => {}
                    Ok(Some((req, consumed))) => {
                        assert!(consumed <= piece.len());
                        assert!(rswebsockets::handshake::server::is_valid_key(&req.key));
                        assert!(server.accept(&[]).is_ok());
                        server_done = true;
                    }
                    Err(e) => {
                        let response = server.reject(&e);
                        assert!(response.starts_with(b"HTTP/1.1 4"));
                        server_done = true;
                    }
                }
            }
            if !client_done {
                match client.receive(piece) {
                    Ok(None) => {}
                    Ok(Some((_, consumed))) => {
                        assert!(consumed <= piece.len());
                        client_done = true;
                    }
                    Err(_) => client_done = true,
                }
            }
        }
    }
}

#[test]
fn random_header_values_and_urls_never_panic() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(0xface);
    let pieces = [
        "ws",
        "wss",
        "://",
        "[",
        "]",
        "::1",
        ":",
        "80",
        "/",
        "?",
        "#",
        "@",
        "h",
        "é",
        " ",
        "\t",
        ";",
        ",",
        "=",
        "\"",
        "\\",
        "x",
        "permessage-deflate",
        "%",
        "\u{1F600}",
    ];
    let (mut lists, mut urls) = (0, 0);
    for _ in 0..5000 {
        let len = rng.random_range(0..12);
        let text: String = (0..len)
            .map(|_| pieces[rng.random_range(0..pieces.len())])
            .collect();
        if let Ok(list) = header::parse_extensions(&text) {
            // Whatever parses formats back to an equivalent list.
            let again = header::parse_extensions(&header::format_extensions(&list)).unwrap();
            assert_eq!(again, list, "{text:?}");
            lists += usize::from(!list.is_empty());
        }
        let schemes = ["ws://", "wss://", "HTTP://", "https://", ""];
        let candidate = format!("{}{text}", schemes[rng.random_range(0..schemes.len())]);
        if let Ok(url) = WsUrl::parse(&candidate) {
            assert!(url.resource.starts_with('/'));
            assert!(
                url.resource.bytes().all(|b| b > 0x20 && b < 0x7f),
                "{text:?}"
            );
            assert_eq!(WsUrl::parse(&url.to_string()), Ok(url.clone()), "{text:?}");
            urls += 1;
        }
    }
    // The generator reaches both parsers' success paths, not only their errors.
    assert!(lists > 100 && urls > 100, "lists {lists}, urls {urls}");
}
