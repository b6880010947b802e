// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! C++ memory in the engine: the bytes of a shared send (read in place, released through a C++
//! trampoline exactly once), with the tests of the bridge calls that lend C++ memory (shared
//! sends, external input).

use super::ffi::SharedRelease;

/// The bytes of a C++ shared send: read in place, released through C++ when dropped.
pub(super) struct ForeignBytes {
    pub(super) data: *const u8,
    pub(super) len: usize,
    pub(super) release: SharedRelease,
}

// SAFETY: the bytes are only read, and C++ promised they stay valid and unchanged until the
// release; the release runs on whichever thread drops the connection's queue, as documented
// on `RsWebSocketConnection::sendMessageShared`.
unsafe impl Send for ForeignBytes {}

impl AsRef<[u8]> for ForeignBytes {
    fn as_ref(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: C++ lent `len` readable bytes at `data` until the release (Drop below).
        unsafe { std::slice::from_raw_parts(self.data, self.len) }
    }
}

impl Drop for ForeignBytes {
    fn drop(&mut self) {
        release_foreign(&self.release);
    }
}

/// Calls C++'s release trampoline (if any) once.
fn release_foreign(release: &SharedRelease) {
    if release.call == 0 {
        return;
    }
    // SAFETY: C++ passed the address of an `extern "C"` function of this type (noexcept, so
    // nothing unwinds into Rust); `release` and `context` are its own values, passed back.
    let call: unsafe extern "C" fn(usize, usize) = unsafe { std::mem::transmute(release.call) };
    unsafe { call(release.release, release.context) };
}

#[cfg(test)]
mod tests {
    use super::super::tests::{empty_event, settings};
    use super::super::*;

    /// A stand-in for the C++ trampoline: `release` counts calls at the address in `context`.
    extern "C" fn count_release(release: usize, context: usize) {
        assert_eq!(release, 7);
        // SAFETY: the tests pass the address of a live AtomicUsize.
        let counter = unsafe { &*(context as *const std::sync::atomic::AtomicUsize) };
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    fn counting(counter: &std::sync::atomic::AtomicUsize) -> SharedRelease {
        SharedRelease {
            call: count_release as *const () as usize,
            release: 7,
            context: counter as *const _ as usize,
        }
    }

    #[test]
    fn shared_sends_are_written_from_c_memory_and_released_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let mut negotiated = Negotiated::default();
        let mut server = connection_new(&settings(true), &mut negotiated);
        let payload: Vec<u8> = (0..40_000u32).map(|i| (i % 249) as u8).collect();
        let released = AtomicUsize::new(0);
        // SAFETY: `payload` outlives the connection's use of it (checked by the counter).
        assert!(unsafe {
            server.send_message_shared(true, payload.as_ptr(), payload.len(), counting(&released))
        });
        assert!(server.ping(b"p"));
        assert_eq!(server.outgoing_len(), 4 + 40_000 + 3);
        let mut chunks = [
            OutgoingChunk { data: 0, len: 0 },
            OutgoingChunk { data: 0, len: 0 },
        ];
        assert_eq!(server.outgoing_slices(&mut chunks), 2);
        assert_eq!((chunks[0].len, chunks[1].len), (4, 40_000));
        assert_eq!(chunks[1].data, payload.as_ptr() as usize);
        server.consume_outgoing(4 + 39_999);
        assert_eq!(released.load(Ordering::SeqCst), 0);
        server.consume_outgoing(1);
        assert_eq!(released.load(Ordering::SeqCst), 1);
        assert_eq!(server.outgoing(), [0x89, 1, b'p']);
        // Refused (text that is not UTF-8), copied (client) and dropped with the connection.
        let bad = [0xFFu8; 10_000];
        // SAFETY: as above.
        assert!(!unsafe {
            server.send_message_shared(false, bad.as_ptr(), bad.len(), counting(&released))
        });
        assert_eq!(released.load(Ordering::SeqCst), 2);
        let mut client = connection_new(&settings(false), &mut negotiated);
        // SAFETY: as above.
        assert!(unsafe {
            client.send_message_shared(true, payload.as_ptr(), payload.len(), counting(&released))
        });
        assert_eq!(released.load(Ordering::SeqCst), 3);
        assert_eq!(client.outgoing_len(), client.outgoing().len());
        // SAFETY: as above.
        assert!(unsafe {
            server.send_message_shared(true, payload.as_ptr(), payload.len(), counting(&released))
        });
        drop(server);
        assert_eq!(released.load(Ordering::SeqCst), 4);
    }

    #[test]
    fn external_input_goes_into_c_memory() {
        let mut negotiated = Negotiated::default();
        let mut client = connection_new(&settings(false), &mut negotiated);
        let mut server = connection_new(&settings(true), &mut negotiated);
        let payload: Vec<u8> = (0..50_000u32).map(|i| (i % 241) as u8).collect();
        assert!(client.send_message(true, &payload, true));
        let wire = client.outgoing().to_vec();
        let mut info = ExternalInput {
            binary: false,
            len: 0,
            received: 0,
        };
        assert!(!server.external_input(&mut info));
        assert_eq!(server.receive_data_until_event(&wire[..100]), 100);
        assert!(server.external_input(&mut info));
        assert!(info.binary);
        assert_eq!(info.len, 50_000);
        let have = info.received as usize;
        let mut message = vec![0u8; 50_000];
        message[..have].copy_from_slice(server.external_prefix());
        message[have..].copy_from_slice(&wire[100..]);
        // SAFETY: `message` is ours and nothing else uses it during the call.
        let answer = unsafe { server.commit_external(message[have..].as_mut_ptr(), 50_000 - have) };
        assert_eq!(answer, 1);
        assert_eq!(message, payload);
        let mut event = empty_event();
        assert!(!server.next_event(&mut event));
        // SAFETY: nothing is read externally now: refused without touching memory.
        assert_eq!(
            unsafe { server.commit_external(std::ptr::null_mut(), 0) },
            -1
        );
    }
}
