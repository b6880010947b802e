// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The `QWebSocketProtocol` namespace in Rust: close codes, opcodes, protocol versions and the
//! helpers that go with them, with exactly Qt 6's values and semantics.
//!
//! Enum variants drop Qt's prefix (`CloseCode::Normal` is Qt's `CloseCodeNormal`); every value
//! equals Qt's, so the C++ face can mirror them one to one.

pub use crate::mask::mask;

/// A close status code (RFC 6455 §7.4.1 and the IANA "WebSocket Close Code Number" registry).
///
/// The values 1000–1011 and 1015 are Qt's `QWebSocketProtocol::CloseCode`; 1012–1014 are the
/// later IANA registrations, available for applications that want to name them.
/// Codes 3000–4999 are application codes and have no variant: close events carry a raw `u16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(i32)]
pub enum CloseCode {
    /// 1000: normal closure.
    Normal = 1000,
    /// 1001: the endpoint is going away (server shutdown, page navigation).
    GoingAway = 1001,
    /// 1002: protocol error.
    ProtocolError = 1002,
    /// 1003: the endpoint received a data type it cannot accept.
    DatatypeNotSupported = 1003,
    /// 1004: reserved; never sent.
    Reserved1004 = 1004,
    /// 1005: no status code was present in the Close frame; never sent.
    MissingStatusCode = 1005,
    /// 1006: the connection was closed without a Close frame; never sent.
    AbnormalDisconnection = 1006,
    /// 1007: message data did not match its type (e.g. invalid UTF-8 in a text message).
    WrongDatatype = 1007,
    /// 1008: the message violates the endpoint's policy.
    PolicyViolated = 1008,
    /// 1009: a message was too big to process.
    TooMuchData = 1009,
    /// 1010: the client expected the server to negotiate an extension.
    MissingExtension = 1010,
    /// 1011: an unexpected condition prevented the endpoint from fulfilling the request.
    BadOperation = 1011,
    /// 1012: the service is restarting (IANA; not in Qt).
    ServiceRestart = 1012,
    /// 1013: try again later (IANA; not in Qt).
    TryAgainLater = 1013,
    /// 1014: bad gateway (IANA; not in Qt).
    BadGateway = 1014,
    /// 1015: the TLS handshake failed; never sent.
    TlsHandshakeFailed = 1015,
}

impl CloseCode {
    /// Every variant, in value order.
    pub const ALL: [CloseCode; 16] = [
        CloseCode::Normal,
        CloseCode::GoingAway,
        CloseCode::ProtocolError,
        CloseCode::DatatypeNotSupported,
        CloseCode::Reserved1004,
        CloseCode::MissingStatusCode,
        CloseCode::AbnormalDisconnection,
        CloseCode::WrongDatatype,
        CloseCode::PolicyViolated,
        CloseCode::TooMuchData,
        CloseCode::MissingExtension,
        CloseCode::BadOperation,
        CloseCode::ServiceRestart,
        CloseCode::TryAgainLater,
        CloseCode::BadGateway,
        CloseCode::TlsHandshakeFailed,
    ];

    /// The numeric value (as in a Close frame).
    pub const fn value(self) -> u16 {
        self as i32 as u16
    }

    /// The variant with this value, if there is one.
    pub fn from_value(value: i32) -> Option<CloseCode> {
        Self::ALL.iter().copied().find(|c| *c as i32 == value)
    }
}

impl From<CloseCode> for u16 {
    fn from(code: CloseCode) -> u16 {
        code.value()
    }
}

/// A frame opcode (RFC 6455 §5.2), with Qt's `QWebSocketProtocol::OpCode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum OpCode {
    /// 0x0: continuation frame.
    Continue = 0x0,
    /// 0x1: text frame.
    Text = 0x1,
    /// 0x2: binary frame.
    Binary = 0x2,
    /// 0x3: reserved data opcode.
    Reserved3 = 0x3,
    /// 0x4: reserved data opcode.
    Reserved4 = 0x4,
    /// 0x5: reserved data opcode.
    Reserved5 = 0x5,
    /// 0x6: reserved data opcode.
    Reserved6 = 0x6,
    /// 0x7: reserved data opcode.
    Reserved7 = 0x7,
    /// 0x8: close frame.
    Close = 0x8,
    /// 0x9: ping frame.
    Ping = 0x9,
    /// 0xA: pong frame.
    Pong = 0xA,
    /// 0xB: reserved control opcode.
    ReservedB = 0xB,
    /// 0xC: reserved control opcode.
    ReservedC = 0xC,
    /// 0xD: reserved control opcode.
    ReservedD = 0xD,
    /// 0xE: reserved control opcode.
    ReservedE = 0xE,
    /// 0xF: reserved control opcode.
    ReservedF = 0xF,
}

impl OpCode {
    /// The opcode in the low four bits of `bits` (the upper bits are ignored).
    pub const fn from_bits(bits: u8) -> OpCode {
        match bits & 0x0F {
            0x0 => OpCode::Continue,
            0x1 => OpCode::Text,
            0x2 => OpCode::Binary,
            0x3 => OpCode::Reserved3,
            0x4 => OpCode::Reserved4,
            0x5 => OpCode::Reserved5,
            0x6 => OpCode::Reserved6,
            0x7 => OpCode::Reserved7,
            0x8 => OpCode::Close,
            0x9 => OpCode::Ping,
            0xA => OpCode::Pong,
            0xB => OpCode::ReservedB,
            0xC => OpCode::ReservedC,
            0xD => OpCode::ReservedD,
            0xE => OpCode::ReservedE,
            _ => OpCode::ReservedF,
        }
    }

    /// True for the reserved opcodes 0x3–0x7 and 0xB–0xF (Qt's `isOpCodeReserved`).
    pub const fn is_reserved(self) -> bool {
        let v = self as u8;
        (v > OpCode::Binary as u8 && v < OpCode::Close as u8) || v > OpCode::Pong as u8
    }

    /// True for control opcodes (Close, Ping, Pong and the reserved 0xB–0xF).
    pub const fn is_control(self) -> bool {
        (self as u8) & 0x08 != 0
    }
}

/// A WebSocket protocol version, with Qt's `QWebSocketProtocol::Version` values.
///
/// Qt's `VersionLatest` is [`Version::LATEST`] (an alias of [`Version::V13`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(i32)]
pub enum Version {
    /// -1: not a known version.
    Unknown = -1,
    /// 0: hixie-76 / hybi-00.
    V0 = 0,
    /// 4: hybi-04.
    V4 = 4,
    /// 5: hybi-05.
    V5 = 5,
    /// 6: hybi-06.
    V6 = 6,
    /// 7: hybi-07.
    V7 = 7,
    /// 8: hybi-08 to hybi-12.
    V8 = 8,
    /// 13: RFC 6455.
    V13 = 13,
}

impl Version {
    /// The latest version known (Qt's `VersionLatest`).
    pub const LATEST: Version = Version::V13;

    /// Every variant, in value order.
    pub const ALL: [Version; 8] = [
        Version::Unknown,
        Version::V0,
        Version::V4,
        Version::V5,
        Version::V6,
        Version::V7,
        Version::V8,
        Version::V13,
    ];

    /// The variant with this value, or [`Version::Unknown`].
    pub fn from_value(value: i32) -> Version {
        Self::ALL
            .iter()
            .copied()
            .find(|v| *v as i32 == value)
            .unwrap_or(Version::Unknown)
    }
}

/// The version this implementation speaks (Qt's `currentVersion()`): [`Version::LATEST`].
pub const fn current_version() -> Version {
    Version::LATEST
}

/// Qt's `isCloseCodeValid`: may this code appear in a Close frame on the wire?
///
/// True for 1000–1003, 1007–1011 and 3000–4999; false for everything else, including the
/// codes that must never be sent (1004, 1005, 1006, 1015) and the range 1012–2999.
pub const fn is_close_code_valid(close_code: i32) -> bool {
    close_code > 999
        && close_code < 5000
        && close_code != CloseCode::Reserved1004 as i32
        && close_code != CloseCode::MissingStatusCode as i32
        && close_code != CloseCode::AbnormalDisconnection as i32
        && (close_code >= 3000 || close_code < 1012)
}

/// Qt's `versionFromString`: the version named by a `Sec-WebSocket-Version` value.
///
/// Parsed exactly like Qt 6's `QStringView::toInt` (checked against Qt 6.4 by the C++ tests):
/// the text ends at the first NUL character; surrounding ASCII whitespace (space, `\t`, `\n`,
/// `\v`, `\f`, `\r`) is ignored, but not other Unicode spaces; one optional `+` or `-` sign,
/// then ASCII decimal digits (leading zeros allowed) that fit an `i32`; anything else (group
/// separators, inner spaces, hex, non-ASCII digits, an empty string, overflow) is
/// [`Version::Unknown`], and so is any number that is not one of the defined versions.
pub fn version_from_string(version: &str) -> Version {
    match parse_qt_int(version) {
        Some(v) if v != Version::Unknown as i32 => Version::from_value(v),
        _ => Version::Unknown,
    }
}

/// [`version_from_string`] for bytes that may not be UTF-8: invalid UTF-8 is
/// [`Version::Unknown`].
pub fn version_from_bytes(version: &[u8]) -> Version {
    std::str::from_utf8(version)
        .map(version_from_string)
        .unwrap_or(Version::Unknown)
}

/// `QString::toInt(&ok)` in base 10: up to the first NUL, ASCII-trimmed, signed, ASCII digits,
/// `i32` range.
fn parse_qt_int(text: &str) -> Option<i32> {
    let text = text.split('\0').next().unwrap_or_default();
    let text = text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r'));
    let (negative, digits) = match text.as_bytes().first()? {
        b'+' => (false, &text[1..]),
        b'-' => (true, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: i64 = 0;
    for b in digits.bytes() {
        value = value * 10 + i64::from(b - b'0');
        if value > i64::from(i32::MAX) + 1 {
            return None;
        }
    }
    let value = if negative { -value } else { value };
    i32::try_from(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_code_values_match_qt() {
        let expected = [
            1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013,
            1014, 1015,
        ];
        for (code, value) in CloseCode::ALL.iter().zip(expected) {
            assert_eq!(*code as i32, value);
            assert_eq!(CloseCode::from_value(value), Some(*code));
            assert_eq!(u16::from(*code), value as u16);
        }
        assert_eq!(CloseCode::from_value(1016), None);
        assert_eq!(CloseCode::from_value(3000), None);
    }

    #[test]
    fn opcode_values_and_classes() {
        for bits in 0u8..16 {
            let op = OpCode::from_bits(bits);
            assert_eq!(op as u8, bits);
            assert_eq!(op.is_control(), bits >= 8);
            assert_eq!(op.is_reserved(), (3..=7).contains(&bits) || bits >= 0xB);
            assert_eq!(OpCode::from_bits(bits | 0xF0), op);
        }
    }

    #[test]
    fn version_values_match_qt() {
        let values: Vec<i32> = Version::ALL.iter().map(|v| *v as i32).collect();
        assert_eq!(values, [-1, 0, 4, 5, 6, 7, 8, 13]);
        assert_eq!(Version::LATEST, Version::V13);
        assert_eq!(current_version(), Version::V13);
        assert_eq!(Version::from_value(9), Version::Unknown);
    }

    #[test]
    fn close_code_validity_follows_qt() {
        for code in -1..6000 {
            let expected = matches!(code, 1000..=1003 | 1007..=1011 | 3000..=4999);
            assert_eq!(is_close_code_valid(code), expected, "code {code}");
        }
        assert!(!is_close_code_valid(i32::MIN));
        assert!(!is_close_code_valid(i32::MAX));
    }

    #[test]
    fn version_parsing_follows_qstring_to_int() {
        let cases: &[(&str, Version)] = &[
            ("13", Version::V13),
            ("0", Version::V0),
            ("4", Version::V4),
            ("5", Version::V5),
            ("6", Version::V6),
            ("7", Version::V7),
            ("8", Version::V8),
            ("+13", Version::V13),
            ("013", Version::V13),
            ("0000013", Version::V13),
            (" 13", Version::V13),
            ("13 ", Version::V13),
            ("\t13\r\n", Version::V13),
            ("\x0b\x0c13", Version::V13),
            ("13\0", Version::V13),
            ("13 \0x", Version::V13),
            ("8\0\0", Version::V8),
            ("\x0013", Version::Unknown),
            ("1\x003", Version::Unknown),
            ("\u{3000}13", Version::Unknown),
            ("13\u{a0}", Version::Unknown),
            ("\u{85}13", Version::Unknown),
            ("\u{1c}13", Version::Unknown),
            ("-0", Version::V0),
            ("+0", Version::V0),
            ("-13", Version::Unknown),
            ("-1", Version::Unknown),
            ("1", Version::Unknown),
            ("9", Version::Unknown),
            ("12", Version::Unknown),
            ("14", Version::Unknown),
            ("", Version::Unknown),
            (" ", Version::Unknown),
            ("+", Version::Unknown),
            ("1 3", Version::Unknown),
            ("+ 13", Version::Unknown),
            ("++13", Version::Unknown),
            ("0x0d", Version::Unknown),
            ("13a", Version::Unknown),
            ("13.0", Version::Unknown),
            ("1,3", Version::Unknown),
            ("\u{0661}\u{0663}", Version::Unknown),
            ("4294967309", Version::Unknown),
            ("99999999999999999999999", Version::Unknown),
            ("2147483647", Version::Unknown),
            ("-2147483648", Version::Unknown),
            ("-2147483649", Version::Unknown),
        ];
        for (text, expected) in cases {
            assert_eq!(version_from_string(text), *expected, "{text:?}");
            assert_eq!(version_from_bytes(text.as_bytes()), *expected, "{text:?}");
        }
        assert_eq!(version_from_bytes(b"13\xff"), Version::Unknown);
        assert_eq!(version_from_bytes(b"\xc0\xaf13"), Version::Unknown);
        assert_eq!(parse_qt_int("-2147483648"), Some(i32::MIN));
        assert_eq!(parse_qt_int("2147483648"), None);
    }
}
