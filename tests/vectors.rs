// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The shared protocol vectors (`tests/vectors/protocol.txt`), checked against the engine; the
//! C++ tests read the same file, so Rust and C++ agree byte for byte.

use rswebsockets::mask::mask;
use rswebsockets::protocol::{
    current_version, is_close_code_valid, version_from_bytes, CloseCode, OpCode, Version,
};

const VECTORS: &str = include_str!("vectors/protocol.txt");

/// The non-comment lines, split into fields, with their line numbers.
fn vectors() -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    VECTORS
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(index, line)| (index + 1, line.split(' ').collect()))
}

fn hex(field: &str) -> Vec<u8> {
    if field == "-" {
        return Vec::new();
    }
    assert!(field.len() % 2 == 0, "odd hex string {field}");
    (0..field.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&field[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// Qt's enumerator name for an engine variant (`CloseCode::Normal` is `CloseCodeNormal`).
fn enum_value(enum_name: &str, enumerator: &str) -> Option<i32> {
    let rest = enumerator.strip_prefix(enum_name)?;
    match enum_name {
        "CloseCode" => CloseCode::ALL
            .iter()
            .find(|c| format!("{c:?}") == rest)
            .map(|c| *c as i32),
        "OpCode" => (0u8..16)
            .map(OpCode::from_bits)
            .find(|op| format!("{op:?}") == rest)
            .map(|op| i32::from(op as u8)),
        "Version" if rest == "Latest" => Some(Version::LATEST as i32),
        "Version" => Version::ALL
            .iter()
            .find(|v| format!("{v:?}").trim_start_matches('V') == rest)
            .map(|v| *v as i32),
        _ => None,
    }
}

#[test]
fn every_vector_holds_for_the_engine() {
    let mut counts = [0usize; 4];
    for (line, fields) in vectors() {
        match fields.as_slice() {
            ["enum", name, enumerator, value] => {
                let expected: i32 = value.parse().expect("enum value");
                assert_eq!(
                    enum_value(name, enumerator),
                    Some(expected),
                    "line {line}: {enumerator}"
                );
                counts[0] += 1;
            }
            ["close_code_valid", code, valid] => {
                let code: i32 = code.parse().expect("close code");
                assert_eq!(is_close_code_valid(code), *valid == "1", "line {line}");
                counts[1] += 1;
            }
            ["version", input, value] => {
                let expected = Version::from_value(value.parse().expect("version value"));
                assert_eq!(version_from_bytes(&hex(input)), expected, "line {line}");
                counts[2] += 1;
            }
            ["mask", key, payload, masked] => {
                let key = u32::from_str_radix(key, 16).expect("hex key");
                let mut data = hex(payload);
                mask(&mut data, key);
                assert_eq!(data, hex(masked), "line {line}");
                mask(&mut data, key);
                assert_eq!(data, hex(payload), "line {line}: masking twice restores");
                counts[3] += 1;
            }
            _ => panic!("line {line}: unknown vector {fields:?}"),
        }
    }
    // Every kind is present, and every enumerator of the engine is named by a vector.
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
    assert_eq!(counts[0], 13 + 16 + 9);
}

#[test]
fn current_version_is_the_latest_vector() {
    let latest = vectors()
        .find(|(_, f)| f[..3] == ["enum", "Version", "VersionLatest"])
        .map(|(_, f)| f[3].parse::<i32>().expect("value"));
    assert_eq!(latest, Some(current_version() as i32));
}
