// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Extension negotiation in the handshake: client offers from `ExtensionConfig`s, server
//! fall-through between offers, answer checks on the client, permessage-deflate end to end.

mod handshake_support;

use std::sync::Arc;

use rswebsockets::extension::{ExtensionConfig, RSV1, RSV2};
use rswebsockets::handshake::{
    Accepted, ClientHandshake, ClientOptions, HandshakeError, HandshakeErrorKind, OriginPolicy,
    ServerHandshake, ServerOptions, WsUrl,
};

use handshake_support::*;

fn ext_server(extensions: Vec<Arc<dyn ExtensionConfig>>, offer: &str) -> (String, Vec<String>) {
    let mut hs = ServerHandshake::new(ServerOptions {
        extensions,
        ..Default::default()
    });
    let request = request_with(&[("Sec-WebSocket-Extensions", offer)], &[]);
    hs.receive(request.as_bytes()).unwrap().unwrap();
    let accepted = hs.accept(&[]).unwrap();
    let response = String::from_utf8(accepted.response).unwrap();
    let line = response
        .lines()
        .find_map(|l| l.strip_prefix("Sec-WebSocket-Extensions: "))
        .unwrap_or("")
        .to_owned();
    let names = accepted
        .extensions
        .iter()
        .map(|e| format!("{}{:?}", e.name(), e.params()))
        .collect();
    (line, names)
}

#[test]
fn client_offers_come_from_configs() {
    let url = WsUrl::parse("ws://h/").unwrap();
    let options = ClientOptions {
        extensions: vec![
            TestConfig::shared("x-a", &[9, 2], 9),
            TestConfig::shared("x-none", &[], 9),
            TestConfig::shared("x-b", &[1], 9),
        ],
        ..Default::default()
    };
    let (_, req) = ClientHandshake::from_parts(url, options, SAMPLE_KEY.into()).unwrap();
    let req = String::from_utf8(req).unwrap();
    assert!(
        req.contains("\r\nSec-WebSocket-Extensions: x-a; level=9, x-a; level=2, x-b; level=1\r\n"),
        "{req}"
    );
}

#[test]
fn client_refuses_invalid_offer_from_config() {
    let err = ClientHandshake::new(
        "ws://h/",
        ClientOptions {
            extensions: vec![TestConfig::shared("bad name", &[1], 1)],
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, HandshakeError::InvalidExtensionOffer(_)));
}

#[test]
fn server_declined_offer_falls_through_to_next() {
    let (line, names) = ext_server(
        vec![TestConfig::shared("x-a", &[], 5)],
        "x-a; level=9, x-a; level=2, x-a; level=1",
    );
    assert_eq!(line, "x-a; level=2");
    assert_eq!(names, ["x-a[(\"level\", Some(\"2\"))]"]);
    // Quoted values are unquoted before the config sees them.
    let (line, _) = ext_server(vec![TestConfig::shared("x-a", &[], 5)], "x-a; level=\"3\"");
    assert_eq!(line, "x-a; level=3");
    // Nothing acceptable: no header at all.
    let (line, names) = ext_server(
        vec![TestConfig::shared("x-a", &[], 0)],
        "x-a; level=9, x-unknown",
    );
    assert_eq!((line.as_str(), names.len()), ("", 0));
}

#[test]
fn server_tries_every_config_of_a_name() {
    let configs = vec![
        TestConfig::shared("x-a", &[], 1),
        TestConfig::shared("x-a", &[], 9),
    ];
    let (line, _) = ext_server(configs, "x-a; level=5");
    assert_eq!(line, "x-a; level=5");
}

#[test]
fn server_answers_in_client_offer_order_once_per_name() {
    let configs = vec![
        TestConfig::shared("x-a", &[], 9),
        TestConfig::shared("x-b", &[], 9),
    ];
    let (line, names) = ext_server(configs, "x-b; level=1, x-a; level=2, x-b; level=3");
    assert_eq!(line, "x-b; level=1, x-a; level=2");
    assert_eq!(names.len(), 2);
}

#[test]
fn server_never_gives_one_reserved_bit_to_two_extensions() {
    let first: Arc<dyn ExtensionConfig> = Arc::new(TestConfig {
        name: "x-a",
        levels: vec![],
        max_level: 9,
        rsv: RSV1,
    });
    let second: Arc<dyn ExtensionConfig> = Arc::new(TestConfig {
        name: "x-b",
        levels: vec![],
        max_level: 9,
        rsv: RSV1 | RSV2,
    });
    let (line, _) = ext_server(vec![first, second], "x-a; level=1, x-b; level=1");
    assert_eq!(line, "x-a; level=1");
}

fn ext_client(
    configs: Vec<Arc<dyn ExtensionConfig>>,
    answer: &str,
) -> Result<Accepted, HandshakeError> {
    let hs = client(ClientOptions {
        extensions: configs,
        ..Default::default()
    });
    client_result(
        hs,
        &response_with(&format!("Sec-WebSocket-Extensions: {answer}\r\n")),
    )
}

#[test]
fn client_verifies_extension_answers() {
    let configs = || {
        vec![
            TestConfig::shared("x-a", &[3], 5),
            TestConfig::shared("x-b", &[1], 5),
        ]
    };
    let accepted = ext_client(configs(), "x-b; level=1, X-A; level=\"4\"").unwrap();
    let names: Vec<_> = accepted
        .extensions
        .iter()
        .map(|e| e.name().to_owned())
        .collect();
    assert_eq!(names, ["x-b", "x-a"]);
    assert_eq!(
        accepted.extensions[1].params(),
        vec![("level".to_owned(), Some("4".to_owned()))]
    );

    let err = ext_client(configs(), "x-c").unwrap_err();
    assert_eq!(err, HandshakeError::UnknownExtension("x-c".into()));
    let err = ext_client(configs(), "x-a; level=1, x-a; level=2").unwrap_err();
    assert_eq!(err, HandshakeError::DuplicateExtension("x-a".into()));
    let err = ext_client(configs(), "x-a; level=9").unwrap_err();
    assert!(
        matches!(&err, HandshakeError::ExtensionRejected { name, reason }
        if name == "x-a" && reason.contains("bad answer")),
        "{err}"
    );
    assert_eq!(err.kind(), HandshakeErrorKind::BadHandshake);
    // A config that made no offer cannot be answered.
    let err = ext_client(vec![TestConfig::shared("x-a", &[], 5)], "x-a; level=1").unwrap_err();
    assert_eq!(err, HandshakeError::UnknownExtension("x-a".into()));
    // Two answers claiming the same reserved bit.
    let with_rsv = |name, rsv| -> Arc<dyn ExtensionConfig> {
        Arc::new(TestConfig {
            name,
            levels: vec![1],
            max_level: 5,
            rsv,
        })
    };
    let both_rsv1 = vec![with_rsv("x-a", RSV1), with_rsv("x-b", RSV1 | RSV2)];
    let err = ext_client(both_rsv1, "x-a; level=1, x-b; level=1").unwrap_err();
    assert!(
        matches!(err, HandshakeError::ExtensionRejected { .. }),
        "{err}"
    );
    // Split over two header lines is one list.
    let hs = client(ClientOptions {
        extensions: configs(),
        ..Default::default()
    });
    let response = response_with(
        "Sec-WebSocket-Extensions: x-a; level=1\r\nSec-WebSocket-Extensions: x-a; level=1\r\n",
    );
    assert_eq!(
        client_result(hs, &response).unwrap_err(),
        HandshakeError::DuplicateExtension("x-a".into())
    );
}

#[test]
fn client_and_server_agree() {
    let (c, s) = round_trip(
        ClientOptions {
            origin: Some("http://localhost".into()),
            protocols: strings(&["v2", "v1"]),
            extensions: vec![TestConfig::shared("x-a", &[7, 2], 9)],
            ..Default::default()
        },
        ServerOptions {
            origin_policy: OriginPolicy::Allow(strings(&["http://localhost"])),
            protocols: strings(&["v1", "v2"]),
            extensions: vec![TestConfig::shared("x-a", &[], 5)],
            ..Default::default()
        },
    );
    assert_eq!(
        (c.protocol.as_deref(), s.protocol.as_deref()),
        (Some("v1"), Some("v1"))
    );
    assert_eq!(c.extensions.len(), 1);
    assert_eq!(c.extensions[0].params(), s.extensions[0].params());
    assert_eq!(
        c.extensions[0].params(),
        vec![("level".to_owned(), Some("2".to_owned()))]
    );
}
