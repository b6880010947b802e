// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Shared sends (`Connection::send_message_shared`): payloads written from where they are and
//! released exactly once (written, taken, dropped, refused or copied); clients mask a copy; the
//! bytes on the wire equal the copying path's.

use rswebsockets::connection::SharedPayload;
use rswebsockets::extension::ExtensionConfig;
use rswebsockets::{Config, Connection, DeflateConfig, Error, MessageKind, Role};

fn all_slices(c: &Connection) -> usize {
    let mut slices = [std::io::IoSlice::new(&[]); 8];
    c.outgoing_slices(&mut slices)
}

/// A shared payload that counts its releases.
struct Counted {
    data: Vec<u8>,
    released: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl AsRef<[u8]> for Counted {
    fn as_ref(&self) -> &[u8] {
        &self.data
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.released
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

fn counted(
    data: Vec<u8>,
) -> (
    SharedPayload,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    let released = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let payload = Counted {
        data,
        released: std::sync::Arc::clone(&released),
    };
    (Box::new(payload), released)
}

fn releases(r: &std::sync::atomic::AtomicUsize) -> usize {
    r.load(std::sync::atomic::Ordering::SeqCst)
}

#[test]
fn shared_payload_is_written_in_place_and_released_once_written() {
    let mut s = Connection::new(Role::Server, Config::default());
    let data: Vec<u8> = (0..20_000u32).map(|i| i as u8).collect();
    let (payload, released) = counted(data.clone());
    let ptr = (*payload).as_ref().as_ptr();
    s.send_message_shared(MessageKind::Binary, payload).unwrap();
    s.send_text("after").unwrap();
    assert_eq!(all_slices(&s), 3);
    assert_eq!(s.outgoing(), [0x82, 126, 0x4E, 0x20]);
    s.consume_outgoing(4);
    assert_eq!(s.outgoing().as_ptr(), ptr);
    s.consume_outgoing(19_999);
    assert_eq!(releases(&released), 0, "one byte still unwritten");
    s.consume_outgoing(1);
    assert_eq!(releases(&released), 1);
    assert_eq!(s.outgoing(), [0x81, 5, b'a', b'f', b't', b'e', b'r']);
    s.consume_outgoing(100);
    assert_eq!(releases(&released), 1);
}

#[test]
fn shared_payloads_are_released_once_when_taken_dropped_refused_or_copied() {
    // Taken with the queue.
    let mut s = Connection::new(Role::Server, Config::default());
    let (payload, released) = counted(vec![1; 10_000]);
    s.send_message_shared(MessageKind::Binary, payload).unwrap();
    assert_eq!(s.take_outgoing().len(), 4 + 10_000);
    assert_eq!(releases(&released), 1);
    // Dropped with the connection, after a close and a partial write.
    let mut s = Connection::new(Role::Server, Config::default());
    let (first, first_released) = counted(vec![2; 10_000]);
    let (second, second_released) = counted(vec![3; 10_000]);
    s.send_message_shared(MessageKind::Binary, first).unwrap();
    s.send_message_shared(MessageKind::Binary, second).unwrap();
    s.consume_outgoing(100);
    s.close(1000u16, "").unwrap();
    s.fail(Error::InvalidUtf8);
    assert_eq!(releases(&first_released), 0);
    drop(s);
    assert_eq!(releases(&first_released), 1);
    assert_eq!(releases(&second_released), 1);
    // Refused: invalid text, closed connection, full write buffer, streamed message.
    let mut bad = vec![b'a'; 10_000];
    bad[9000] = 0xC0;
    let config = Config {
        max_write_buffer_size: 15_000,
        ..Config::default()
    };
    let mut s = Connection::new(Role::Server, config);
    let (payload, released) = counted(bad);
    assert_eq!(
        s.send_message_shared(MessageKind::Text, payload),
        Err(Error::InvalidUtf8)
    );
    assert_eq!(releases(&released), 1);
    let (payload, released) = counted(vec![0; 20_000]);
    assert_eq!(
        s.send_message_shared(MessageKind::Binary, payload),
        Err(Error::WriteBufferFull)
    );
    assert_eq!(releases(&released), 1);
    s.begin_message(MessageKind::Binary, true).unwrap();
    let (payload, released) = counted(vec![0; 5_000]);
    assert!(matches!(
        s.send_message_shared(MessageKind::Binary, payload),
        Err(Error::InvalidState(_))
    ));
    assert_eq!(releases(&released), 1);
    assert_eq!(s.outgoing_len(), 0);
    // Copied (small): released before the call returns.
    let mut s = Connection::new(Role::Server, Config::default());
    let (payload, released) = counted(vec![4; 100]);
    s.send_message_shared(MessageKind::Binary, payload).unwrap();
    assert_eq!(releases(&released), 1);
    assert_eq!(s.outgoing_len(), 102);
}

#[test]
fn clients_mask_a_copy_and_leave_the_shared_bytes_untouched() {
    let data: Vec<u8> = (0..30_000u32).map(|i| (i % 253) as u8).collect();
    let shared: std::sync::Arc<[u8]> = data.clone().into();
    let mut c = Connection::new(Role::Client, Config::default());
    c.set_mask_generator(Box::new(|| [9, 8, 7, 6]));
    c.send_message_shared(
        MessageKind::Binary,
        Box::new(std::sync::Arc::clone(&shared)),
    )
    .unwrap();
    assert_eq!(
        std::sync::Arc::strong_count(&shared),
        1,
        "copied and released"
    );
    assert_eq!(&shared[..], &data[..]);
    assert_eq!(all_slices(&c), 1);
    let mut copied = Connection::new(Role::Client, Config::default());
    copied.set_mask_generator(Box::new(|| [9, 8, 7, 6]));
    copied.send_binary(&data).unwrap();
    assert_eq!(c.take_outgoing(), copied.take_outgoing());
}

#[test]
fn shared_sends_match_copied_sends_on_the_wire() {
    for frame_size in [0, 4096, 5000, 512 << 10] {
        let config = Config {
            outgoing_frame_size: frame_size,
            ..Config::default()
        };
        let payload: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
        let text = "ü".repeat(3000);
        let mut shared = Connection::new(Role::Server, config.clone());
        let mut copied = Connection::new(Role::Server, config);
        shared
            .send_message_shared(MessageKind::Binary, Box::new(payload.clone()))
            .unwrap();
        shared.send_ping(b"p").unwrap();
        shared
            .send_message_shared(MessageKind::Text, Box::new(text.clone()))
            .unwrap();
        shared
            .send_message_shared(MessageKind::Binary, Box::new(b"small".to_vec()))
            .unwrap();
        copied.send_binary(&payload).unwrap();
        copied.send_ping(b"p").unwrap();
        copied.send_text(&text).unwrap();
        copied.send_binary(b"small").unwrap();
        assert!(all_slices(&shared) > 3);
        assert_eq!(shared.outgoing_len(), copied.outgoing_len());
        assert_eq!(
            shared.take_outgoing(),
            copied.take_outgoing(),
            "{frame_size}"
        );
    }
    // With an extension the message is copied (and compressed).
    let deflate = DeflateConfig::new();
    let offers = deflate.offers();
    let (_, ext) = deflate.accept(&offers[0]).unwrap();
    let mut s = Connection::with_extensions(Role::Server, Config::default(), vec![ext]);
    let (payload, released) = counted(vec![0; 10_000]);
    s.send_message_shared(MessageKind::Binary, payload).unwrap();
    assert_eq!(releases(&released), 1);
    assert!(s.outgoing_len() < 1000, "compressed");
}
