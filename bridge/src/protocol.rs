// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The `RsWebSocketProtocol` namespace across the bridge: Qt's enums, checked value by value
//! against `cpp/include/RsWebSockets/rswebsocketprotocol.h`, and the helpers the C++ face calls.

use rswebsockets::protocol as engine;

pub use ffi::{CloseCode, OpCode, Version};

/// The bridge module (C++ namespace `rswebsockets::bridge`; the enums live in the C++
/// namespace `RsWebSocketProtocol`, where the installed header declares them).
#[cxx::bridge(namespace = "rswebsockets::bridge")]
#[allow(missing_docs)] // cxx generates items (repr fields, constants) that cannot carry docs
pub mod ffi {
    /// Qt's `QWebSocketProtocol::CloseCode`.
    #[namespace = "RsWebSocketProtocol"]
    #[repr(i32)]
    #[derive(Debug)]
    enum CloseCode {
        CloseCodeNormal = 1000,
        CloseCodeGoingAway = 1001,
        CloseCodeProtocolError = 1002,
        CloseCodeDatatypeNotSupported = 1003,
        CloseCodeReserved1004 = 1004,
        CloseCodeMissingStatusCode = 1005,
        CloseCodeAbnormalDisconnection = 1006,
        CloseCodeWrongDatatype = 1007,
        CloseCodePolicyViolated = 1008,
        CloseCodeTooMuchData = 1009,
        CloseCodeMissingExtension = 1010,
        CloseCodeBadOperation = 1011,
        CloseCodeTlsHandshakeFailed = 1015,
    }

    /// Qt's `QWebSocketProtocol::OpCode`.
    #[namespace = "RsWebSocketProtocol"]
    #[repr(i32)]
    #[derive(Debug)]
    enum OpCode {
        OpCodeContinue = 0x0,
        OpCodeText = 0x1,
        OpCodeBinary = 0x2,
        OpCodeReserved3 = 0x3,
        OpCodeReserved4 = 0x4,
        OpCodeReserved5 = 0x5,
        OpCodeReserved6 = 0x6,
        OpCodeReserved7 = 0x7,
        OpCodeClose = 0x8,
        OpCodePing = 0x9,
        OpCodePong = 0xA,
        OpCodeReservedB = 0xB,
        OpCodeReservedC = 0xC,
        OpCodeReservedD = 0xD,
        OpCodeReservedE = 0xE,
        OpCodeReservedF = 0xF,
    }

    /// Qt's `QWebSocketProtocol::Version` (`VersionLatest` is a C++ alias of `Version13`).
    #[namespace = "RsWebSocketProtocol"]
    #[repr(i32)]
    #[derive(Debug)]
    enum Version {
        VersionUnknown = -1,
        Version0 = 0,
        Version4 = 4,
        Version5 = 5,
        Version6 = 6,
        Version7 = 7,
        Version8 = 8,
        Version13 = 13,
    }

    extern "Rust" {
        /// `isCloseCodeValid`: may this code appear in a Close frame?
        fn is_close_code_valid(close_code: i32) -> bool;
        /// `isOpCodeReserved`: 0x3–0x7 and everything above 0xA.
        fn is_op_code_reserved(code: OpCode) -> bool;
        /// `currentVersion()`: `VersionLatest`.
        fn current_version() -> Version;
        /// `versionFromString` over bytes; invalid UTF-8 is `VersionUnknown`.
        fn version_from_bytes(version: &[u8]) -> Version;
        /// Masks `payload` in place; the key's most significant byte masks byte 0.
        fn mask(payload: &mut [u8], masking_key: u32);
    }

    #[namespace = "RsWebSocketProtocol"]
    extern "C++" {
        include!("RsWebSockets/rswebsocketprotocol.h");
        type CloseCode;
        type OpCode;
        type Version;
    }
}

fn is_close_code_valid(close_code: i32) -> bool {
    engine::is_close_code_valid(close_code)
}

fn is_op_code_reserved(code: OpCode) -> bool {
    // Like Qt's inline test, any int is answered: values above 0xF count as reserved too.
    match engine::OpCode::try_from(code) {
        Ok(op) => op.is_reserved(),
        Err(value) => value > OpCode::OpCodePong.repr,
    }
}

fn current_version() -> Version {
    engine::current_version().into()
}

fn version_from_bytes(version: &[u8]) -> Version {
    engine::version_from_bytes(version).into()
}

fn mask(payload: &mut [u8], masking_key: u32) {
    engine::mask(payload, masking_key);
}

impl From<engine::CloseCode> for CloseCode {
    /// The bridge value of an engine close code. The IANA codes 1012–1014, which Qt's enum does
    /// not name, keep their numeric value (a C++ `CloseCode` can hold any value in range).
    fn from(code: engine::CloseCode) -> Self {
        CloseCode { repr: code as i32 }
    }
}

impl TryFrom<CloseCode> for engine::CloseCode {
    type Error = i32;

    /// The engine close code with this value, or the value itself if the engine has none.
    fn try_from(code: CloseCode) -> Result<Self, i32> {
        engine::CloseCode::from_value(code.repr).ok_or(code.repr)
    }
}

impl From<engine::OpCode> for OpCode {
    fn from(code: engine::OpCode) -> Self {
        OpCode {
            repr: i32::from(code as u8),
        }
    }
}

impl TryFrom<OpCode> for engine::OpCode {
    type Error = i32;

    /// The engine opcode with this value; values outside 0x0–0xF are returned as the error.
    fn try_from(code: OpCode) -> Result<Self, i32> {
        u8::try_from(code.repr)
            .ok()
            .filter(|bits| *bits <= 0x0F)
            .map(engine::OpCode::from_bits)
            .ok_or(code.repr)
    }
}

impl From<engine::Version> for Version {
    fn from(version: engine::Version) -> Self {
        Version {
            repr: version as i32,
        }
    }
}

impl From<Version> for engine::Version {
    /// The engine version with this value; values that name no version are `Unknown`.
    fn from(version: Version) -> Self {
        engine::Version::from_value(version.repr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_codes_convert_both_ways() {
        for code in engine::CloseCode::ALL {
            let bridged = CloseCode::from(code);
            assert_eq!(bridged.repr, code as i32);
            assert_eq!(engine::CloseCode::try_from(bridged), Ok(code));
        }
        assert_eq!(
            CloseCode::from(engine::CloseCode::Normal),
            CloseCode::CloseCodeNormal
        );
        assert_eq!(
            CloseCode::from(engine::CloseCode::TlsHandshakeFailed),
            CloseCode::CloseCodeTlsHandshakeFailed
        );
        assert_eq!(
            engine::CloseCode::try_from(CloseCode { repr: 3000 }),
            Err(3000)
        );
    }

    #[test]
    fn opcodes_convert_both_ways() {
        for bits in 0u8..16 {
            let code = engine::OpCode::from_bits(bits);
            let bridged = OpCode::from(code);
            assert_eq!(bridged.repr, i32::from(bits));
            assert_eq!(engine::OpCode::try_from(bridged), Ok(code));
            assert_eq!(is_op_code_reserved(bridged), code.is_reserved());
        }
        assert_eq!(engine::OpCode::try_from(OpCode { repr: 16 }), Err(16));
        assert_eq!(engine::OpCode::try_from(OpCode { repr: -1 }), Err(-1));
    }

    #[test]
    fn versions_convert_both_ways() {
        for version in engine::Version::ALL {
            let bridged = Version::from(version);
            assert_eq!(bridged.repr, version as i32);
            assert_eq!(engine::Version::from(bridged), version);
        }
        assert_eq!(current_version(), Version::Version13);
        assert_eq!(
            engine::Version::from(Version { repr: 9 }),
            engine::Version::Unknown
        );
    }

    #[test]
    fn helpers_forward_to_the_engine() {
        assert!(is_close_code_valid(1000));
        assert!(!is_close_code_valid(1005));
        assert_eq!(version_from_bytes(b" 013 "), Version::Version13);
        assert_eq!(version_from_bytes(b"13\xff"), Version::VersionUnknown);
        let mut data = *b"Hello";
        mask(&mut data, 0x37fa_213d);
        assert_eq!(data, [0x7f, 0x9f, 0x4d, 0x51, 0x58]);
    }
}
