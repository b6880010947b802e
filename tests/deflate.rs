// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! permessage-deflate (RFC 7692): the RFC's sample bytes, the negotiation matrix, round trips
//! over every parameter combination and window size, fragmentation, bombs, corrupt data, and
//! two connections talking deflate end to end after a real handshake.

mod deflate_support;

use deflate_support::*;
use rswebsockets::extension::deflate::{DeflateConfig, DEFLATE_TAIL};
use rswebsockets::extension::{Extension, ExtensionConfig, Param, RSV1};
use rswebsockets::{Error, OpCode};

// --- RFC 7692 §7.2.3 sample bytes -----------------------------------------------------------

const HELLO: [u8; 7] = [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00];
const HELLO_AGAIN: [u8; 5] = [0xf2, 0x00, 0x11, 0x00, 0x00];

#[test]
fn rfc_hello_compressed() {
    let (mut client, mut server) = default_pair();
    let frames = send(client.as_mut(), b"Hello", &[], true);
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].0.rsv, RSV1);
    assert_eq!(frames[0].1, HELLO);
    assert_eq!(receive(server.as_mut(), &frames, 100).unwrap(), b"Hello");
}

#[test]
fn rfc_hello_in_two_frames() {
    // §7.2.3.1: 0x41 0x03 f2 48 cd / 0x80 0x04 c9 c9 07 00
    let (_, mut server) = default_pair();
    let frames = [
        frame(OpCode::Text, false, true, &[0xf2, 0x48, 0xcd]),
        frame(OpCode::Continue, true, false, &[0xc9, 0xc9, 0x07, 0x00]),
    ];
    assert_eq!(receive(server.as_mut(), &frames, 100).unwrap(), b"Hello");
}

#[test]
fn rfc_context_takeover_second_hello() {
    // §7.2.3.2: with the window shared, the second "Hello" is a back-reference.
    let (mut client, mut server) = default_pair();
    let first = send(client.as_mut(), b"Hello", &[], true);
    let second = send(client.as_mut(), b"Hello", &[], true);
    assert_eq!(first[0].1, HELLO);
    assert_eq!(second[0].1, HELLO_AGAIN);
    assert_eq!(receive(server.as_mut(), &first, 100).unwrap(), b"Hello");
    assert_eq!(receive(server.as_mut(), &second, 100).unwrap(), b"Hello");
}

#[test]
fn rfc_no_context_takeover_repeats_the_first_bytes() {
    let config = DeflateConfig::new().client_no_context_takeover(true);
    let (mut client, mut server) = negotiate(&config, &DeflateConfig::new()).unwrap();
    for _ in 0..3 {
        let frames = send(client.as_mut(), b"Hello", &[], true);
        assert_eq!(frames[0].1, HELLO);
        assert_eq!(receive(server.as_mut(), &frames, 100).unwrap(), b"Hello");
    }
}

#[test]
fn rfc_uncompressed_block() {
    // §7.2.3.3: a stored block.
    let (_, mut server) = default_pair();
    let payload = [
        0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00,
    ];
    let frames = [frame(OpCode::Text, true, true, &payload)];
    assert_eq!(receive(server.as_mut(), &frames, 100).unwrap(), b"Hello");
}

#[test]
fn rfc_bfinal_block_then_next_message() {
    // §7.2.3.4: a block with BFINAL set; the stream restarts with the next message.
    let (_, mut server) = default_pair();
    let payload = [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00];
    let frames = [frame(OpCode::Text, true, true, &payload)];
    assert_eq!(receive(server.as_mut(), &frames, 100).unwrap(), b"Hello");
    let next = [frame(OpCode::Text, true, true, &HELLO)];
    assert_eq!(receive(server.as_mut(), &next, 100).unwrap(), b"Hello");
}

#[test]
fn rfc_two_blocks_in_one_message() {
    // §7.2.3.5: "He" flushed, then "llo".
    let (_, mut server) = default_pair();
    let payload = [
        0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca, 0xc9, 0xc9, 0x07, 0x00,
    ];
    let frames = [frame(OpCode::Text, true, true, &payload)];
    assert_eq!(receive(server.as_mut(), &frames, 100).unwrap(), b"Hello");
}

#[test]
fn tail_constant_is_the_empty_stored_block() {
    assert_eq!(DEFLATE_TAIL, [0x00, 0x00, 0xff, 0xff]);
}

// --- negotiation matrix ---------------------------------------------------------------------

#[test]
fn negotiation_matrix_both_sides_agree() {
    let bits = [None, Some(8), Some(9), Some(12), Some(15)];
    let mut combos = 0;
    for flags in 0..4u8 {
        for &c_smwb in &bits {
            for &c_cmwb in &bits {
                for offer_client_bits in [true, false] {
                    for s_flags in 0..4u8 {
                        for &s_smwb in &[None, Some(8), Some(10)] {
                            for &s_cmwb in &[None, Some(9), Some(15)] {
                                let mut client = DeflateConfig::new()
                                    .server_no_context_takeover(flags & 1 != 0)
                                    .client_no_context_takeover(flags & 2 != 0)
                                    .offer_client_max_window_bits(offer_client_bits);
                                if let Some(b) = c_smwb {
                                    client = client.server_max_window_bits(b);
                                }
                                if let Some(b) = c_cmwb {
                                    client = client.client_max_window_bits(b);
                                }
                                let mut server = DeflateConfig::new()
                                    .server_no_context_takeover(s_flags & 1 != 0)
                                    .client_no_context_takeover(s_flags & 2 != 0);
                                if let Some(b) = s_smwb {
                                    server = server.server_max_window_bits(b);
                                }
                                if let Some(b) = s_cmwb {
                                    server = server.client_max_window_bits(b);
                                }
                                let (c, s) = negotiate(&client, &server).unwrap();
                                let c = agreed(c.as_ref());
                                let s = agreed(s.as_ref());
                                assert_eq!(c, s, "{client:?} / {server:?}");
                                check_agreement(&c, &client, &server, c_smwb, c_cmwb, s_smwb);
                                combos += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    assert_eq!(combos, 4 * 5 * 5 * 2 * 4 * 3 * 3);
}

/// The agreement, read back from the server's response as the client saw it.
fn agreed(ext: &dyn Extension) -> Vec<Param> {
    let mut params = ext.params();
    params.sort();
    params
}

fn check_agreement(
    response: &[Param],
    client: &DeflateConfig,
    server: &DeflateConfig,
    c_smwb: Option<u8>,
    c_cmwb: Option<u8>,
    s_smwb: Option<u8>,
) {
    let get = |name: &str| response.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    // The server never grants a bigger server window than the client asked for.
    if let Some(asked) = c_smwb {
        let granted: u8 = get("server_max_window_bits")
            .expect("requested window confirmed")
            .as_ref()
            .unwrap()
            .parse()
            .unwrap();
        assert!(granted <= asked && granted <= s_smwb.unwrap_or(15));
    }
    // client_max_window_bits only appears when the client offered it.
    if let Some(Some(v)) = get("client_max_window_bits") {
        let v: u8 = v.parse().unwrap();
        assert!(v <= c_cmwb.unwrap_or(15), "{client:?} / {server:?}");
    }
}

#[test]
fn wsproto_style_server_answers() {
    // (offer, server config) -> response
    let server_9 = DeflateConfig::new().server_max_window_bits(9);
    let client_10 = DeflateConfig::new().client_max_window_bits(10);
    let cases: Vec<(Vec<Param>, &DeflateConfig, Vec<Param>)> = vec![
        (
            vec![],
            &server_9,
            p(&[("server_max_window_bits", Some("9"))]),
        ),
        (
            p(&[("server_max_window_bits", Some("12"))]),
            &server_9,
            p(&[("server_max_window_bits", Some("9"))]),
        ),
        (
            p(&[("server_max_window_bits", Some("8"))]),
            &server_9,
            p(&[("server_max_window_bits", Some("8"))]),
        ),
        (
            p(&[("client_max_window_bits", None)]),
            &client_10,
            p(&[("client_max_window_bits", Some("10"))]),
        ),
        (vec![], &client_10, vec![]),
        (
            p(&[("client_max_window_bits", Some("12"))]),
            &client_10,
            p(&[("client_max_window_bits", Some("10"))]),
        ),
        (
            p(&[
                ("client_no_context_takeover", None),
                ("server_no_context_takeover", None),
            ]),
            &server_9,
            p(&[
                ("server_no_context_takeover", None),
                ("client_no_context_takeover", None),
                ("server_max_window_bits", Some("9")),
            ]),
        ),
    ];
    for (offer, config, expected) in cases {
        let (response, ext) = config.accept(&offer).expect("accepted");
        assert_eq!(response, expected, "offer {offer:?}");
        assert_eq!(ext.params(), expected);
    }
}

#[test]
fn server_declines_invalid_offers_and_takes_the_next() {
    let server = DeflateConfig::new();
    let invalid = [
        p(&[("server_max_window_bits", Some("7"))]),
        p(&[("server_max_window_bits", Some("16"))]),
        p(&[("server_max_window_bits", None)]),
        p(&[("client_max_window_bits", Some("abc"))]),
        p(&[("server_no_context_takeover", Some("yes"))]),
        p(&[
            ("client_no_context_takeover", None),
            ("client_no_context_takeover", None),
        ]),
        p(&[("x-unknown", None)]),
    ];
    for offer in &invalid {
        assert!(server.accept(offer).is_none(), "{offer:?}");
    }
    // The handshake's fall-through: the first acceptable offer wins.
    let offers = [invalid[0].clone(), p(&[("client_max_window_bits", None)])];
    let (response, _) = offers.iter().find_map(|o| server.accept(o)).unwrap();
    assert!(response.is_empty());
}

#[test]
fn client_verify_rejects_bad_responses() {
    let client = DeflateConfig::new()
        .server_no_context_takeover(true)
        .server_max_window_bits(10);
    let bad = [
        // not confirmed
        p(&[("server_max_window_bits", Some("10"))]),
        p(&[("server_no_context_takeover", None)]),
        // bigger than requested
        p(&[
            ("server_no_context_takeover", None),
            ("server_max_window_bits", Some("11")),
        ]),
        // malformed
        p(&[
            ("server_no_context_takeover", None),
            ("server_max_window_bits", Some("10")),
            ("x", None),
        ]),
        p(&[
            ("server_no_context_takeover", None),
            ("server_max_window_bits", Some("10")),
            ("server_max_window_bits", Some("10")),
        ]),
        p(&[
            ("server_no_context_takeover", None),
            ("server_max_window_bits", Some("10")),
            ("client_max_window_bits", None),
        ]),
    ];
    for response in &bad {
        let err = client.verify(response).err().expect("refused");
        assert!(
            matches!(err, Error::ExtensionNegotiationFailed(_)),
            "{err:?}"
        );
        assert_eq!(err.close_code(), rswebsockets::CloseCode::MissingExtension);
    }
    let good = p(&[
        ("server_no_context_takeover", None),
        ("server_max_window_bits", Some("8")),
    ]);
    assert!(client.verify(&good).is_ok());
    // client_max_window_bits in a response, but never offered
    let no_bits = DeflateConfig::new().offer_client_max_window_bits(false);
    assert!(no_bits
        .verify(&p(&[("client_max_window_bits", Some("10"))]))
        .is_err());
    assert!(no_bits.verify(&[]).is_ok());
}

// --- round trips ----------------------------------------------------------------------------

fn round_trip(client_cfg: &DeflateConfig, server_cfg: &DeflateConfig, messages: &[Vec<u8>]) {
    let (mut client, mut server) = negotiate(client_cfg, server_cfg).unwrap();
    for (i, m) in messages.iter().enumerate() {
        let cuts: Vec<usize> = match i % 3 {
            0 => vec![],
            1 => vec![1, 7, 100],
            _ => vec![m.len() / 2],
        };
        let frames = send(client.as_mut(), m, &cuts, true);
        assert_eq!(&receive(server.as_mut(), &frames, m.len()).unwrap(), m);
        let frames = send(server.as_mut(), m, &cuts, true);
        assert_eq!(&receive(client.as_mut(), &frames, m.len()).unwrap(), m);
    }
}

fn sample_messages() -> Vec<Vec<u8>> {
    vec![
        text_like(3000),
        Vec::new(),
        b"Hello".to_vec(),
        random(2000, 7),
        text_like(3000),
        vec![b'x'; 1000],
    ]
}

#[test]
fn round_trip_every_parameter_combination() {
    let messages = sample_messages();
    for flags in 0..4u8 {
        for smwb in [None, Some(8), Some(9), Some(11), Some(15)] {
            for cmwb in [None, Some(8), Some(10), Some(15)] {
                let mut client = DeflateConfig::new()
                    .server_no_context_takeover(flags & 1 != 0)
                    .client_no_context_takeover(flags & 2 != 0);
                if let Some(b) = smwb {
                    client = client.server_max_window_bits(b);
                }
                if let Some(b) = cmwb {
                    client = client.client_max_window_bits(b);
                }
                round_trip(&client, &DeflateConfig::new(), &messages);
                round_trip(&DeflateConfig::new(), &client, &messages);
            }
        }
    }
}

#[test]
fn round_trip_every_window_size_level_and_memory_level() {
    let messages = sample_messages();
    for bits in 8..=15u8 {
        for (level, mem) in [(0, 1), (1, 4), (6, 8), (9, 9)] {
            // The local cap off, so that every negotiated window is really used.
            let config = DeflateConfig::new()
                .server_max_window_bits(bits)
                .client_max_window_bits(bits)
                .compression_window_bits(15)
                .compression_level(level)
                .mem_level(mem);
            let (c, _) = negotiate(&config, &config).unwrap();
            assert!(c.params().iter().any(|(n, v)| n == "server_max_window_bits"
                && v.as_deref() == Some(bits.to_string().as_str())));
            round_trip(&config, &config, &messages);
        }
    }
}

#[test]
fn empty_fragments_anywhere_in_a_message() {
    let (mut client, mut server) = default_pair();
    for cuts in [
        vec![0],
        vec![0, 0],
        vec![5, 0],
        vec![5, 0, 0, 3],
        // everything in the first frame, an empty last frame
        vec![100],
        vec![3, 100],
    ] {
        for message in [b"Hello, Hello, Hello".to_vec(), Vec::new()] {
            let cuts: Vec<usize> = cuts.clone();
            let frames = send(client.as_mut(), &message, &cuts, true);
            assert_eq!(frames[0].0.rsv, RSV1);
            assert!(frames[1..].iter().all(|(b, _)| b.rsv == 0));
            let got = receive(server.as_mut(), &frames, 1000).unwrap();
            assert_eq!(got, message, "{cuts:?}");
        }
    }
}

#[test]
fn threshold_and_per_message_switch() {
    let config = DeflateConfig::new().threshold(16);
    let (mut client, mut server) = negotiate(&config, &config).unwrap();
    // below the threshold: sent as is
    let frames = send(client.as_mut(), b"short", &[], true);
    assert_eq!(frames[0].0.rsv, 0);
    assert_eq!(frames[0].1, b"short");
    assert_eq!(receive(server.as_mut(), &frames, 100).unwrap(), b"short");
    // above: compressed
    let long = text_like(200);
    let frames = send(client.as_mut(), &long, &[], true);
    assert_eq!(frames[0].0.rsv, RSV1);
    assert!(frames[0].1.len() < long.len());
    assert_eq!(receive(server.as_mut(), &frames, 1000).unwrap(), long);
    // the application's switch: a fragmented message sent as is, frame after frame
    let frames = send(client.as_mut(), &long, &[50, 50], false);
    assert!(frames.iter().all(|(b, _)| b.rsv == 0));
    assert_eq!(receive(server.as_mut(), &frames, 1000).unwrap(), long);
    // and compression carries on afterwards with the shared window
    let frames = send(client.as_mut(), &long, &[], true);
    assert_eq!(receive(server.as_mut(), &frames, 1000).unwrap(), long);
}

// --- limits and bad input -------------------------------------------------------------------

#[test]
fn bomb_stops_at_the_limit() {
    let (mut client, mut server) = default_pair();
    let bomb = vec![0u8; 10 << 20];
    let frames = send(client.as_mut(), &bomb, &[], true);
    assert!(frames[0].1.len() < 20_000, "{}", frames[0].1.len());
    let limit = 64 * 1024;
    let mut out = Vec::new();
    let mut bits = frames[0].0;
    let err = server
        .decode(&mut bits, &frames[0].1, &mut out, limit)
        .unwrap_err();
    assert_eq!(
        err,
        Error::MessageTooBig {
            limit: limit as u64
        }
    );
    assert_eq!(err.close_code(), rswebsockets::CloseCode::TooMuchData);
    assert!(out.len() <= limit);
    assert!(out.capacity() <= limit, "capacity {}", out.capacity());
}

#[test]
fn bomb_across_fragments_counts_the_whole_message() {
    let (mut client, mut server) = default_pair();
    let bomb = vec![b'a'; 300_000];
    let frames = send(client.as_mut(), &bomb, &[100_000, 100_000], true);
    assert_eq!(
        receive(server.as_mut(), &frames, 299_999),
        Err(Error::MessageTooBig { limit: 299_999 })
    );
    // exactly at the limit is fine (new pair: the failed one is torn down by the connection)
    let (mut client, mut server) = default_pair();
    let frames = send(client.as_mut(), &bomb, &[100_000, 100_000], true);
    assert_eq!(receive(server.as_mut(), &frames, 300_000).unwrap(), bomb);
}

#[test]
fn corrupt_data_is_1007() {
    let cases: [&[u8]; 4] = [
        &[0xff, 0xff, 0xff],
        &[0x07, 0x00],                   // reserved block type 3
        &[0x00, 0x05, 0x00, 0x00, 0x00], // stored block with bad NLEN
        &[0xf2, 0x00, 0x11, 0x00, 0x00], // back-reference before the start of the stream
    ];
    for payload in cases {
        let (_, mut server) = default_pair();
        let frames = [frame(OpCode::Binary, true, true, payload)];
        let err = receive(server.as_mut(), &frames, 1000).unwrap_err();
        assert!(
            matches!(err, Error::InvalidCompressedData(_)),
            "{payload:?}: {err:?}"
        );
        assert_eq!(err.close_code(), rswebsockets::CloseCode::WrongDatatype);
    }
}

#[test]
fn rsv1_on_a_continuation_frame_is_1002() {
    let (_, mut server) = default_pair();
    let frames = [
        frame(OpCode::Text, false, true, &[0xf2, 0x48, 0xcd]),
        frame(OpCode::Continue, true, true, &[0xc9, 0xc9, 0x07, 0x00]),
    ];
    let err = receive(server.as_mut(), &frames, 100).unwrap_err();
    assert_eq!(err.close_code(), rswebsockets::CloseCode::ProtocolError);
}

#[test]
fn no_context_takeover_receiver_rejects_references_into_the_previous_message() {
    // The client promised no context takeover; a back-reference into the previous message is
    // invalid data for the server's fresh decompressor.
    let config = DeflateConfig::new().client_no_context_takeover(true);
    let (_, mut server) = negotiate(&config, &DeflateConfig::new()).unwrap();
    let first = [frame(OpCode::Text, true, true, &HELLO)];
    assert_eq!(receive(server.as_mut(), &first, 100).unwrap(), b"Hello");
    let second = [frame(OpCode::Text, true, true, &HELLO_AGAIN)];
    assert!(matches!(
        receive(server.as_mut(), &second, 100),
        Err(Error::InvalidCompressedData(_))
    ));
}

// --- 8-bit windows --------------------------------------------------------------------------

#[test]
fn eight_bit_window_output_fits_a_256_byte_window() {
    // The checker itself: a 15-bit stream with far back-references fails it.
    let data: Vec<u8> = (0..4).flat_map(|_| random(1000, 3)).collect();
    let wide = DeflateConfig::new();
    let (mut c15, _) = negotiate(&wide, &wide).unwrap();
    let frames = send(c15.as_mut(), &data, &[], true);
    let mut stream = frames[0].1.clone();
    stream.extend_from_slice(&DEFLATE_TAIL);
    let decoded = puff::decode(&stream).unwrap();
    assert_eq!(decoded.data, data);
    assert!(
        decoded.max_distance > 256,
        "the checker sees far references"
    );

    // Ours with 8 bits passes, message after message (context takeover included).
    let narrow = DeflateConfig::new()
        .client_max_window_bits(8)
        .server_max_window_bits(8);
    let (mut client, mut server) = negotiate(&narrow, &narrow).unwrap();
    let mut all = Vec::new();
    let mut all_plain = Vec::new();
    for m in [data.clone(), text_like(5000), vec![7u8; 3000], data] {
        let frames = send(client.as_mut(), &m, &[700], true);
        for (_, payload) in &frames {
            all.extend_from_slice(payload);
        }
        all.extend_from_slice(&DEFLATE_TAIL);
        all_plain.extend_from_slice(&m);
        assert_eq!(receive(server.as_mut(), &frames, m.len()).unwrap(), m);
    }
    let decoded = puff::decode(&all).unwrap();
    assert_eq!(decoded.data, all_plain);
    assert!(
        decoded.max_distance <= 256,
        "max distance {}",
        decoded.max_distance
    );
    // and it still compresses runs and text
    let frames = send(client.as_mut(), &text_like(10_000), &[], true);
    assert!(frames[0].1.len() < 9_000, "{}", frames[0].1.len());
}

#[test]
fn compression_window_cap_bounds_distances_without_negotiation() {
    // 6 KiB of random bytes sent twice in one message: the repeat is 6 KiB back.
    let block = random(6 * 1024, 11);
    let data: Vec<u8> = [block.clone(), block].concat();
    let max_distance = |config: &DeflateConfig| {
        let (mut client, mut server) = negotiate(config, config).unwrap();
        // The cap is local: nothing about it appears in the negotiation.
        assert!(client
            .params()
            .iter()
            .all(|(n, _)| n != "server_max_window_bits"));
        let frames = send(client.as_mut(), &data, &[], true);
        assert_eq!(receive(server.as_mut(), &frames, data.len()).unwrap(), data);
        let mut stream = frames[0].1.clone();
        stream.extend_from_slice(&DEFLATE_TAIL);
        let decoded = puff::decode(&stream).unwrap();
        assert_eq!(decoded.data, data);
        (decoded.max_distance, frames[0].1.len())
    };
    // Default: a 12-bit window, so the 6 KiB repeat is out of reach.
    let (distance, size) = max_distance(&DeflateConfig::new());
    assert!(distance <= 4096, "max distance {distance}");
    assert!(size > data.len() * 9 / 10, "{size}");
    // The full window finds it.
    let (distance, size) = max_distance(&DeflateConfig::new().compression_window_bits(15));
    assert!(distance > 4096, "max distance {distance}");
    assert!(size < data.len() * 6 / 10, "{size}");
}

#[test]
fn eight_bits_is_negotiated_not_refused() {
    let client = DeflateConfig::new().server_max_window_bits(8);
    let server = DeflateConfig::new().client_max_window_bits(8);
    let (c, s) = negotiate(&client, &server).unwrap();
    let expected = p(&[
        ("server_max_window_bits", Some("8")),
        ("client_max_window_bits", Some("8")),
    ]);
    assert_eq!(c.params(), expected);
    assert_eq!(s.params(), expected);
}

// --- end to end: handshake, then two connections --------------------------------------------

mod end_to_end {
    use std::sync::Arc;

    use rswebsockets::extension::ExtensionConfig;
    use rswebsockets::handshake::{ClientHandshake, ClientOptions, ServerHandshake, ServerOptions};
    use rswebsockets::{Config, Connection, DeflateConfig, Event, MessageKind, Role};

    fn connect(client: DeflateConfig, server: DeflateConfig) -> (Connection, Connection) {
        let client_cfg: Arc<dyn ExtensionConfig> = Arc::new(client);
        let server_cfg: Arc<dyn ExtensionConfig> = Arc::new(server);
        let (mut ch, request) = ClientHandshake::new(
            "ws://example.com/chat",
            ClientOptions {
                extensions: vec![client_cfg],
                ..Default::default()
            },
        )
        .unwrap();
        let mut sh = ServerHandshake::new(ServerOptions {
            extensions: vec![server_cfg],
            ..Default::default()
        });
        sh.receive(&request).unwrap().unwrap();
        let accepted = sh.accept(&[]).unwrap();
        let response = String::from_utf8(accepted.response.clone()).unwrap();
        assert!(
            response.contains("Sec-WebSocket-Extensions: permessage-deflate"),
            "{response}"
        );
        let (client_accepted, _) = ch.receive(&accepted.response).unwrap().unwrap();
        let config = Config {
            outgoing_frame_size: 1000,
            ..Config::default()
        };
        let client =
            Connection::with_extensions(Role::Client, config.clone(), client_accepted.extensions);
        let server = Connection::with_extensions(Role::Server, config, accepted.extensions);
        (client, server)
    }

    fn deliver(from: &mut Connection, to: &mut Connection) -> Vec<Event> {
        let bytes = from.take_outgoing();
        to.receive_data(&bytes);
        to.events().collect()
    }

    #[test]
    fn messages_cross_compressed_both_ways() {
        for (client, server) in [
            (DeflateConfig::new(), DeflateConfig::new()),
            (
                DeflateConfig::new()
                    .server_no_context_takeover(true)
                    .client_no_context_takeover(true)
                    .server_max_window_bits(9)
                    .client_max_window_bits(8),
                DeflateConfig::new().compression_level(1).mem_level(2),
            ),
            (
                DeflateConfig::new(),
                DeflateConfig::new()
                    .server_max_window_bits(8)
                    .client_max_window_bits(10)
                    .threshold(64),
            ),
        ] {
            let (mut c, mut s) = connect(client, server);
            assert_eq!(c.extensions()[0].name(), "permessage-deflate");
            assert_eq!(c.extensions()[0].params(), s.extensions()[0].params());
            let long = crate::deflate_support::text_like(50_000);
            let long_text = String::from_utf8(long.clone()).unwrap();
            for text in ["Hello", "", "Hello", long_text.as_str()] {
                c.send_text(text).unwrap();
                let wire = c.outgoing_len();
                if text.len() > 1000 {
                    assert!(wire < text.len() * 3 / 4, "compressed on the wire: {wire}");
                }
                assert_eq!(deliver(&mut c, &mut s), [Event::Text(text.to_owned())]);
                s.send_binary(text.as_bytes()).unwrap();
                assert_eq!(
                    deliver(&mut s, &mut c),
                    [Event::Binary(text.as_bytes().to_vec())]
                );
            }
            // a streamed message, compressed frame by frame
            c.begin_message(MessageKind::Binary, true).unwrap();
            c.continue_message(&long[..20_000]).unwrap();
            c.continue_message(&long[20_000..40_000]).unwrap();
            c.finish_message(&long[40_000..]).unwrap();
            assert_eq!(deliver(&mut c, &mut s), [Event::Binary(long.clone())]);
            // a ping in between is never compressed
            s.send_ping(b"ping").unwrap();
            assert_eq!(deliver(&mut s, &mut c), [Event::Ping(b"ping".to_vec())]);
        }
    }

    #[test]
    fn bomb_closes_with_1009() {
        let (mut c, mut s) = connect(DeflateConfig::new(), DeflateConfig::new());
        s.set_config(Config {
            max_message_size: 100_000,
            ..s.config().clone()
        });
        c.send_binary(&vec![0u8; 5_000_000]).unwrap();
        let events = deliver(&mut c, &mut s);
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::Failed(e) if e.close_code().value() == 1009)),
            "{events:?}"
        );
    }
}
