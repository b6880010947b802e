// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! UTF-8 in text messages: validated across fragments and reads, failing with 1007 at the first
//! invalid byte (Autobahn 6.x), not at the end of the message.

mod support;

use rswebsockets::{Error, Event};
use support::*;

/// Autobahn 6.3.1 / 6.4.x payload: valid "κόσμε" then an invalid sequence, then more text.
const BAD: &[u8] =
    b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64";

#[test]
fn valid_text_in_every_split() {
    let text = "Hello-µ@ßöäüàá-UTF-8!! κόσμε 𝄞";
    let bytes = text.as_bytes();
    for cut in 0..=bytes.len() {
        let mut c = client();
        c.receive_data(&frame(false, TEXT, &bytes[..cut]));
        c.receive_data(&frame(true, CONT, &bytes[cut..]));
        assert_event_received(&mut c, Event::Text(text.into()));
        let mut s = server();
        feed_bytewise(&mut s, &masked(true, TEXT, bytes));
        assert_event_received(&mut s, Event::Text(text.into()));
    }
}

#[test]
fn invalid_text_fails_1007() {
    let mut c = client();
    c.receive_data(&frame(true, TEXT, BAD));
    assert_eq!(assert_failing(&mut c, 1007), Error::InvalidUtf8);
}

#[test]
fn fails_in_the_first_fragment_before_the_message_ends() {
    // Autobahn 6.4.1: the first fragment already holds the invalid byte.
    let mut s = server();
    s.receive_data(&masked(false, TEXT, &BAD[..14]));
    assert_eq!(assert_failing(&mut s, 1007), Error::InvalidUtf8);
}

#[test]
fn fails_inside_a_frame_before_it_is_complete() {
    // Autobahn 6.4.3/6.4.4: one frame, its payload arriving in pieces; fail as soon as the
    // invalid byte arrives.
    let mut c = client();
    let f = frame(true, TEXT, BAD);
    c.receive_data(&f[..2 + 12]);
    assert!(!c.has_events());
    assert_nothing_sent(&c);
    c.receive_data(&f[14..15]); // the 0xa0 after 0xed: invalid
    assert_eq!(assert_failing(&mut c, 1007), Error::InvalidUtf8);
}

#[test]
fn fails_on_masked_input_byte_by_byte() {
    let mut s = server();
    let f = masked(true, TEXT, BAD);
    // Header (6 bytes) plus the 12 valid-so-far bytes: nothing yet.
    for b in &f[..6 + 12] {
        s.receive_data(std::slice::from_ref(b));
    }
    assert!(!s.has_events());
    s.receive_data(&f[18..19]);
    assert_eq!(assert_failing(&mut s, 1007), Error::InvalidUtf8);
}

#[test]
fn truncated_code_point_at_message_end_fails_1007() {
    let mut c = client();
    c.receive_data(&frame(false, TEXT, b"ok\xe2"));
    c.receive_data(&frame(true, CONT, b"\x82"));
    assert_eq!(assert_failing(&mut c, 1007), Error::InvalidUtf8);
}

#[test]
fn code_points_split_across_fragments_are_fine() {
    let text = "𝄞€";
    let b = text.as_bytes();
    let mut c = client();
    for (i, byte) in b.iter().enumerate() {
        let op = if i == 0 { TEXT } else { CONT };
        c.receive_data(&frame(i == b.len() - 1, op, std::slice::from_ref(byte)));
    }
    assert_event_received(&mut c, Event::Text(text.into()));
}

#[test]
fn overlong_and_surrogate_and_out_of_range_fail() {
    for bad in [
        &b"\xc0\xaf"[..],
        b"\xe0\x80\xaf",
        b"\xed\xa0\x80",
        b"\xf4\x90\x80\x80",
        b"\xf8\x88\x80\x80\x80",
        b"\xfe",
    ] {
        let mut c = client();
        c.receive_data(&frame(true, TEXT, bad));
        assert_eq!(assert_failing(&mut c, 1007), Error::InvalidUtf8, "{bad:x?}");
    }
}

#[test]
fn binary_messages_are_not_checked() {
    let mut c = client();
    c.receive_data(&frame(true, BINARY, BAD));
    assert_event_received(&mut c, Event::Binary(BAD.to_vec()));
}
