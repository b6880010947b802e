// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Hostile text and Close frames: invalid UTF-8 cut at every byte across fragments and
//! fed byte by byte fails with 1007 exactly when the first bad byte arrives; bad UTF-8 in close
//! reasons and in compressed text is 1007; every close code that may not appear on the wire
//! (0–999, 1004–1006, 1015, 1016–2999, 5000+) is 1002, in both roles.

use rswebsockets::extension::deflate::DeflateConfig;
use rswebsockets::extension::{Extension, ExtensionConfig};
use rswebsockets::frame::{write_frame, FrameHeader};
use rswebsockets::{Config, Connection, Error, Event, OpCode, Role, State};

const KEY: [u8; 4] = [0xa1, 0xb2, 0xc3, 0xd4];

fn conn(role: Role, config: Config) -> Connection {
    let mut c = Connection::new(role, config);
    c.set_mask_generator(Box::new(|| KEY));
    c
}

fn frame_to(receiver: Role, fin: bool, rsv: u8, opcode: OpCode, payload: &[u8]) -> Vec<u8> {
    let mut h = FrameHeader::new(
        fin,
        opcode,
        (receiver == Role::Server).then_some(KEY),
        payload.len() as u64,
    );
    h.rsv = rsv;
    let mut out = Vec::new();
    write_frame(&mut out, &h, payload);
    out
}

/// Whether no continuation of `prefix` can be valid UTF-8.
fn hopeless(prefix: &[u8]) -> bool {
    matches!(std::str::from_utf8(prefix), Err(e) if e.error_len().is_some())
}

fn failure(c: &mut Connection) -> Option<Error> {
    c.events().find_map(|e| match e {
        Event::Failed(e) => Some(e),
        _ => None,
    })
}

/// Checks that the last frame `c` sent is a Close with `code`.
fn assert_sent_close(c: &mut Connection, code: u16) {
    let out = c.take_outgoing();
    let mut rest = &out[..];
    let mut last = None;
    while let Ok(Some((h, n))) = FrameHeader::parse(rest) {
        let end = n + h.payload_len as usize;
        let mut payload = rest[n..end].to_vec();
        if let Some(key) = h.mask {
            rswebsockets::mask::apply_mask(&mut payload, key, 0);
        }
        last = Some((h.opcode, payload));
        rest = &rest[end..];
    }
    let (opcode, payload) = last.expect("a frame was sent");
    assert_eq!(opcode, OpCode::Close);
    assert_eq!(u16::from_be_bytes([payload[0], payload[1]]), code);
    assert!(std::str::from_utf8(&payload[2..]).is_ok());
}

/// Invalid texts: a valid start, then something no continuation can repair.
const INVALID: &[&[u8]] = &[
    b"\xff",
    b"abc\x80def",
    b"\xc0\xaf",                                                       // overlong '/'
    b"\xe0\x80\xaf",                                                   // overlong, 3 bytes
    b"\xf0\x80\x80\xaf",                                               // overlong, 4 bytes
    b"\xed\xa0\x80",                                                   // surrogate U+D800
    b"\xed\xbf\xbf",                                                   // surrogate U+DFFF
    b"\xf4\x90\x80\x80",                                               // above U+10FFFF
    b"\xf5\x80\x80\x80",                                               // lead byte past F4
    b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited", // Autobahn 6.4.2
    b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90\x80\x80\x65\x64", // Autobahn 6.4.1
    b"\xe2\x82",                                                       // cut code point at the end
    b"Hello\xe2\x82\xac\xf0\x9f\x98",                                  // cut emoji at the end
    b"\xe2\x28\xa1",                                                   // bad second byte
    b"\xf0\x9f\x98\x28",                                               // bad fourth byte
];

#[test]
fn invalid_text_fails_at_the_first_bad_byte_fed_byte_by_byte() {
    for role in [Role::Server, Role::Client] {
        for text in INVALID {
            let mut c = conn(role, Config::default());
            let frame = frame_to(role, true, 0, OpCode::Text, text);
            let header_len = frame.len() - text.len();
            c.receive_data(&frame[..header_len]);
            let mut failed_at = None;
            for i in 0..text.len() {
                c.receive_data(&frame[header_len + i..header_len + i + 1]);
                if c.error().is_some() {
                    failed_at = Some(i + 1);
                    break;
                }
            }
            // The first prefix no continuation can save; a text that is only cut at its end
            // fails once the frame (and message) ends.
            let expected = (1..=text.len()).find(|&n| hopeless(&text[..n]));
            let expected = expected.or(Some(text.len()));
            assert_eq!(failed_at, expected, "{role:?} {text:x?}");
            assert_eq!(failure(&mut c), Some(Error::InvalidUtf8));
            assert_sent_close(&mut c, 1007);
        }
    }
}

#[test]
fn invalid_text_cut_at_every_byte_across_fragments() {
    for role in [Role::Server, Role::Client] {
        for frame_events in [false, true] {
            let config = Config {
                frame_events,
                ..Config::default()
            };
            for text in INVALID {
                for cut in 0..=text.len() {
                    let mut c = conn(role, config.clone());
                    c.receive_data(&frame_to(role, false, 0, OpCode::Text, &text[..cut]));
                    let early = hopeless(&text[..cut]);
                    assert_eq!(c.error().is_some(), early, "{role:?} {text:x?} cut {cut}");
                    // Frame events before the failure only ever carry valid text.
                    let before: Vec<Event> = c.events().collect();
                    for e in &before {
                        if let Event::TextFrame { data, .. } = e {
                            assert!(text.starts_with(data.as_bytes()));
                        }
                    }
                    c.receive_data(&frame_to(role, true, 0, OpCode::Continue, &text[cut..]));
                    let err = c.error().cloned().expect("fails by the end of the message");
                    assert_eq!(err, Error::InvalidUtf8);
                    assert_sent_close(&mut c, 1007);
                    assert!(!c.events().any(|e| matches!(e, Event::Text(_))));
                }
            }
        }
    }
}

#[test]
fn valid_text_cut_at_every_byte_across_three_fragments() {
    let text = "κόσμε 😀 €uro \u{10FFFF}".as_bytes();
    for role in [Role::Server, Role::Client] {
        for a in 0..=text.len() {
            for b in a..=text.len() {
                let mut c = conn(role, Config::default());
                c.receive_data(&frame_to(role, false, 0, OpCode::Text, &text[..a]));
                c.receive_data(&frame_to(role, false, 0, OpCode::Continue, &text[a..b]));
                c.receive_data(&frame_to(role, true, 0, OpCode::Continue, &text[b..]));
                let expected = String::from_utf8(text.to_vec()).unwrap();
                assert_eq!(c.next_event(), Some(Event::Text(expected)), "{a} {b}");
            }
        }
    }
}

#[test]
fn close_reasons_with_invalid_utf8_are_1007() {
    for role in [Role::Server, Role::Client] {
        for reason in INVALID {
            let mut payload = 1000u16.to_be_bytes().to_vec();
            payload.extend_from_slice(reason);
            let frame = frame_to(role, true, 0, OpCode::Close, &payload);
            // Whole, and byte by byte.
            for bytewise in [false, true] {
                let mut c = conn(role, Config::default());
                if bytewise {
                    for b in &frame {
                        c.receive_data(std::slice::from_ref(b));
                    }
                } else {
                    c.receive_data(&frame);
                }
                assert_eq!(failure(&mut c), Some(Error::InvalidUtf8), "{reason:x?}");
                assert_sent_close(&mut c, 1007);
            }
        }
    }
}

/// What a connection does with a Close frame carrying `code`.
fn close_with_code(role: Role, code: u16) -> Result<u16, Error> {
    let mut c = conn(role, Config::default());
    c.receive_data(&frame_to(
        role,
        true,
        0,
        OpCode::Close,
        &[&code.to_be_bytes()[..], b"why"].concat(),
    ));
    let events: Vec<Event> = c.events().collect();
    if let Some(err) = c.error().cloned() {
        assert_eq!(err.close_code().value(), 1002, "{code}");
        assert_sent_close(&mut c, 1002);
        return Err(err);
    }
    assert!(events.contains(&Event::Close {
        code,
        reason: "why".into()
    }));
    // The Close is echoed with the same code.
    assert_sent_close(&mut c, code);
    match role {
        Role::Server => assert_eq!(c.state(), State::Closed),
        Role::Client => assert_eq!(c.state(), State::Closing),
    }
    Ok(code)
}

#[test]
fn every_close_code_that_may_not_be_sent_is_1002() {
    for role in [Role::Server, Role::Client] {
        for code in 0..=u16::MAX {
            let allowed = matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999);
            match close_with_code(role, code) {
                Ok(_) => assert!(allowed, "{role:?} accepted {code}"),
                Err(e) => {
                    assert!(!allowed, "{role:?} refused {code}");
                    assert_eq!(e, Error::InvalidCloseCode(code));
                }
            }
        }
    }
}

#[test]
fn malformed_close_payloads() {
    for role in [Role::Server, Role::Client] {
        // One byte: no room for a code.
        let mut c = conn(role, Config::default());
        c.receive_data(&frame_to(role, true, 0, OpCode::Close, &[0x03]));
        assert_eq!(failure(&mut c), Some(Error::InvalidClosePayload));
        assert_sent_close(&mut c, 1002);
        // 126 bytes: too big for a control frame.
        let mut c = conn(role, Config::default());
        let mut payload = 1000u16.to_be_bytes().to_vec();
        payload.extend_from_slice(&[b'x'; 124]);
        c.receive_data(&frame_to(role, true, 0, OpCode::Close, &payload));
        assert_eq!(failure(&mut c), Some(Error::ControlFrameTooBig));
        assert_sent_close(&mut c, 1002);
        // Fragmented Close.
        let mut c = conn(role, Config::default());
        c.receive_data(&frame_to(role, false, 0, OpCode::Close, &payload[..4]));
        assert_eq!(failure(&mut c), Some(Error::FragmentedControlFrame));
        // RSV1 on a Close, even with permessage-deflate negotiated.
        let config = DeflateConfig::new();
        let (response, server) = config.accept(&config.offers()[0]).unwrap();
        let client = config.verify(&response).unwrap();
        let ext: Box<dyn Extension> = if role == Role::Server { server } else { client };
        let mut c = Connection::with_extensions(role, Config::default(), vec![ext]);
        c.receive_data(&frame_to(role, true, 0x40, OpCode::Close, &payload[..4]));
        assert_eq!(failure(&mut c), Some(Error::ReservedBitsSet));
        // An empty Close is 1005 to the application and answered with 1000.
        let mut c = conn(role, Config::default());
        c.receive_data(&frame_to(role, true, 0, OpCode::Close, b""));
        assert!(c.events().any(|e| e
            == Event::Close {
                code: 1005,
                reason: String::new()
            }));
        assert_sent_close(&mut c, 1000);
    }
}

fn deflate_pair() -> (Box<dyn Extension>, Box<dyn Extension>) {
    let config = DeflateConfig::new();
    let (response, server) = config.accept(&config.offers()[0]).unwrap();
    (config.verify(&response).unwrap(), server)
}

#[test]
fn compressed_text_with_invalid_utf8_and_corrupt_streams_are_1007() {
    for role in [Role::Server, Role::Client] {
        let (client_ext, server_ext) = deflate_pair();
        let (mine, theirs) = match role {
            Role::Server => (server_ext, client_ext),
            Role::Client => (client_ext, server_ext),
        };
        let peer_role = if role == Role::Server {
            Role::Client
        } else {
            Role::Server
        };
        let mut peer = Connection::with_extensions(peer_role, Config::default(), vec![theirs]);
        peer.set_mask_generator(Box::new(|| KEY));
        let mut c = Connection::with_extensions(role, Config::default(), vec![mine]);
        // A binary message of invalid UTF-8, re-labelled as text (opcode bits only change).
        peer.send_binary(b"valid start \xed\xa0\x80 then a surrogate")
            .unwrap();
        let mut bytes = peer.take_outgoing();
        bytes[0] = (bytes[0] & 0xF0) | OpCode::Text as u8;
        c.receive_data(&bytes);
        assert_eq!(failure(&mut c), Some(Error::InvalidUtf8), "{role:?}");

        // A corrupt deflate stream: a reserved block type (BTYPE = 11).
        let (client_ext, server_ext) = deflate_pair();
        let mine = if role == Role::Server {
            server_ext
        } else {
            client_ext
        };
        let mut c = Connection::with_extensions(role, Config::default(), vec![mine]);
        c.receive_data(&frame_to(
            role,
            true,
            0x40,
            OpCode::Binary,
            &[0xff, 0xff, 0xff],
        ));
        let err = failure(&mut c).expect("fails");
        assert!(matches!(err, Error::InvalidCompressedData(_)), "{err:?}");
        assert_eq!(err.close_code().value(), 1007);
        assert_sent_close(&mut c, 1007);

        // RSV1 on a continuation frame (RFC 7692 §6.1).
        let (client_ext, server_ext) = deflate_pair();
        let mine = if role == Role::Server {
            server_ext
        } else {
            client_ext
        };
        let mut c = Connection::with_extensions(role, Config::default(), vec![mine]);
        c.receive_data(&frame_to(role, false, 0x40, OpCode::Text, &[0x02, 0x00]));
        c.receive_data(&frame_to(role, true, 0x40, OpCode::Continue, &[0x00]));
        assert_eq!(failure(&mut c), Some(Error::ReservedBitsSet));
        assert_sent_close(&mut c, 1002);
    }
}
