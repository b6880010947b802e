// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Close frame payloads (RFC 6455 §5.5.1, §7.4): a 2-byte code and a UTF-8 reason.
//!
//! A received code is accepted when Qt's [`is_close_code_valid`] accepts it, and also for the
//! IANA-registered 1012–1014 that real servers send. 1004, 1005, 1006 and 1015 never appear on
//! the wire, in either direction.

use crate::error::Error;
use crate::frame::MAX_CONTROL_PAYLOAD;
use crate::protocol::{is_close_code_valid, CloseCode};

/// The longest close reason: a control payload of 125 bytes minus the 2-byte code.
pub const MAX_CLOSE_REASON: usize = MAX_CONTROL_PAYLOAD - 2;

/// May `code` appear in a Close frame on the wire (sent or received)?
pub const fn is_wire_close_code(code: u16) -> bool {
    is_close_code_valid(code as i32) || matches!(code, 1012..=1014) // ServiceRestart, TryAgainLater, BadGateway (IANA)
}

/// Parses a received Close payload into its code and reason.
///
/// An empty payload is reported as 1005 ([`CloseCode::MissingStatusCode`]) with an empty
/// reason. A 1-byte payload is [`Error::InvalidClosePayload`], a code that may not be sent is
/// [`Error::InvalidCloseCode`], a reason that is not UTF-8 is [`Error::InvalidUtf8`].
pub fn parse_close_payload(payload: &[u8]) -> Result<(u16, &str), Error> {
    match payload {
        [] => Ok((CloseCode::MissingStatusCode.value(), "")),
        [_] => Err(Error::InvalidClosePayload),
        [hi, lo, reason @ ..] => {
            let code = u16::from_be_bytes([*hi, *lo]);
            if !is_wire_close_code(code) {
                return Err(Error::InvalidCloseCode(code));
            }
            let reason = simdutf8::basic::from_utf8(reason).map_err(|_| Error::InvalidUtf8)?;
            Ok((code, reason))
        }
    }
}

/// Checks a code and reason the application wants to send.
pub fn check_outgoing_close(code: u16, reason: &str) -> Result<(), Error> {
    if !is_wire_close_code(code) {
        return Err(Error::InvalidCloseCode(code));
    }
    if reason.len() > MAX_CLOSE_REASON {
        return Err(Error::CloseReasonTooLong);
    }
    Ok(())
}

/// Encodes a Close payload into `buf`, returning its length. The reason is cut to
/// [`MAX_CLOSE_REASON`] bytes at a character boundary.
pub fn encode_close_payload(code: u16, reason: &str, buf: &mut [u8; MAX_CONTROL_PAYLOAD]) -> usize {
    let reason = truncate_reason(reason);
    buf[..2].copy_from_slice(&code.to_be_bytes());
    buf[2..2 + reason.len()].copy_from_slice(reason.as_bytes());
    2 + reason.len()
}

/// `reason` cut to at most [`MAX_CLOSE_REASON`] bytes, at a character boundary.
pub fn truncate_reason(reason: &str) -> &str {
    if reason.len() <= MAX_CLOSE_REASON {
        return reason;
    }
    let mut end = MAX_CLOSE_REASON;
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    &reason[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_codes() {
        for code in 0..=u16::MAX {
            let expected = matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999);
            assert_eq!(is_wire_close_code(code), expected, "{code}");
        }
    }

    #[test]
    fn parse_payloads() {
        assert_eq!(parse_close_payload(&[]), Ok((1005, "")));
        assert_eq!(parse_close_payload(&[3]), Err(Error::InvalidClosePayload));
        assert_eq!(parse_close_payload(&[0x03, 0xE8]), Ok((1000, "")));
        assert_eq!(parse_close_payload(b"\x03\xe9bye"), Ok((1001, "bye")));
        assert_eq!(parse_close_payload(&[0x03, 0xF4]), Ok((1012, "")));
        assert_eq!(
            parse_close_payload(&[0x03, 0xED]),
            Err(Error::InvalidCloseCode(1005))
        );
        assert_eq!(
            parse_close_payload(
                b"\x03\xe8\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80"
            ),
            Err(Error::InvalidUtf8)
        );
    }

    #[test]
    fn outgoing_checks() {
        assert_eq!(check_outgoing_close(1000, ""), Ok(()));
        assert_eq!(check_outgoing_close(4999, "x"), Ok(()));
        assert_eq!(
            check_outgoing_close(1005, ""),
            Err(Error::InvalidCloseCode(1005))
        );
        assert_eq!(
            check_outgoing_close(1000, &"x".repeat(124)),
            Err(Error::CloseReasonTooLong)
        );
        assert_eq!(check_outgoing_close(1000, &"x".repeat(123)), Ok(()));
    }

    #[test]
    fn encode_truncates_at_char_boundary() {
        let mut buf = [0u8; MAX_CONTROL_PAYLOAD];
        let reason = "é".repeat(70); // 140 bytes
        let n = encode_close_payload(1002, &reason, &mut buf);
        assert_eq!(n, 2 + 122);
        assert_eq!(&buf[..2], &[0x03, 0xEA]);
        assert!(std::str::from_utf8(&buf[2..n]).is_ok());
        assert_eq!(truncate_reason("short"), "short");
    }
}
