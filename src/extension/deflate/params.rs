// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The four permessage-deflate parameters (RFC 7692 §7.1): parsing with the RFC's validation
//! rules, and formatting back into extension parameters.

use std::fmt;

use crate::extension::Param;

/// The smallest LZ77 window a peer may ask for (RFC 7692 §7.1.2: 8 bits, 256 bytes).
pub const MIN_WINDOW_BITS: u8 = 8;
/// The largest LZ77 window (15 bits, 32 KiB), and the one used when nothing limits it.
pub const MAX_WINDOW_BITS: u8 = 15;

pub(crate) const SERVER_NO_CONTEXT_TAKEOVER: &str = "server_no_context_takeover";
pub(crate) const CLIENT_NO_CONTEXT_TAKEOVER: &str = "client_no_context_takeover";
pub(crate) const SERVER_MAX_WINDOW_BITS: &str = "server_max_window_bits";
pub(crate) const CLIENT_MAX_WINDOW_BITS: &str = "client_max_window_bits";

/// `client_max_window_bits` as one offer or response carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClientBits {
    /// The parameter is not there.
    Absent,
    /// Present without a value (offers only): the client can limit its window if told to.
    Supported,
    /// Present with a value.
    Max(u8),
}

/// One offer or response, parsed and validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Params {
    pub server_no_context_takeover: bool,
    pub client_no_context_takeover: bool,
    pub server_max_window_bits: Option<u8>,
    pub client_max_window_bits: ClientBits,
}

/// Why a parameter list is not a valid permessage-deflate offer or response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParamError {
    Unknown(String),
    Duplicate(&'static str),
    UnexpectedValue(&'static str),
    MissingValue(&'static str),
    BadWindowBits(&'static str, String),
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::Unknown(name) => write!(f, "unknown permessage-deflate parameter {name:?}"),
            ParamError::Duplicate(name) => write!(f, "duplicate parameter {name}"),
            ParamError::UnexpectedValue(name) => write!(f, "parameter {name} takes no value"),
            ParamError::MissingValue(name) => write!(f, "parameter {name} needs a value"),
            ParamError::BadWindowBits(name, value) => {
                write!(f, "{name}={value:?} is not a window size from 8 to 15")
            }
        }
    }
}

/// Reads a window-bits value: exactly the decimal strings "8" to "15" (no sign, no leading zero).
fn window_bits(name: &'static str, value: &str) -> Result<u8, ParamError> {
    let bad = || ParamError::BadWindowBits(name, value.to_owned());
    if value.is_empty() || value.starts_with('0') || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match value.parse::<u8>() {
        Ok(bits) if (MIN_WINDOW_BITS..=MAX_WINDOW_BITS).contains(&bits) => Ok(bits),
        _ => Err(bad()),
    }
}

fn flag(name: &'static str, value: &Option<String>, seen: &mut bool) -> Result<(), ParamError> {
    if *seen {
        return Err(ParamError::Duplicate(name));
    }
    if value.is_some() {
        return Err(ParamError::UnexpectedValue(name));
    }
    *seen = true;
    Ok(())
}

impl Params {
    /// No parameter at all: both windows 15 bits, context takeover on both sides.
    pub(crate) const NONE: Params = Params {
        server_no_context_takeover: false,
        client_no_context_takeover: false,
        server_max_window_bits: None,
        client_max_window_bits: ClientBits::Absent,
    };

    /// Parses an offer (`in_offer`, where `client_max_window_bits` may come without a value) or
    /// a response. Duplicates, unknown names, values on flags and window sizes outside 8..=15
    /// are errors.
    pub(crate) fn parse(params: &[Param], in_offer: bool) -> Result<Params, ParamError> {
        let mut p = Params::NONE;
        let mut client_bits_seen = false;
        for (name, value) in params {
            match name.as_str() {
                SERVER_NO_CONTEXT_TAKEOVER => flag(
                    SERVER_NO_CONTEXT_TAKEOVER,
                    value,
                    &mut p.server_no_context_takeover,
                )?,
                CLIENT_NO_CONTEXT_TAKEOVER => flag(
                    CLIENT_NO_CONTEXT_TAKEOVER,
                    value,
                    &mut p.client_no_context_takeover,
                )?,
                SERVER_MAX_WINDOW_BITS => {
                    if p.server_max_window_bits.is_some() {
                        return Err(ParamError::Duplicate(SERVER_MAX_WINDOW_BITS));
                    }
                    let value = value
                        .as_deref()
                        .ok_or(ParamError::MissingValue(SERVER_MAX_WINDOW_BITS))?;
                    p.server_max_window_bits = Some(window_bits(SERVER_MAX_WINDOW_BITS, value)?);
                }
                CLIENT_MAX_WINDOW_BITS => {
                    if client_bits_seen {
                        return Err(ParamError::Duplicate(CLIENT_MAX_WINDOW_BITS));
                    }
                    client_bits_seen = true;
                    p.client_max_window_bits = match value.as_deref() {
                        None if in_offer => ClientBits::Supported,
                        None => return Err(ParamError::MissingValue(CLIENT_MAX_WINDOW_BITS)),
                        Some(v) => ClientBits::Max(window_bits(CLIENT_MAX_WINDOW_BITS, v)?),
                    };
                }
                other => return Err(ParamError::Unknown(other.to_owned())),
            }
        }
        Ok(p)
    }

    /// The parameter list, in the RFC's order.
    pub(crate) fn to_params(self) -> Vec<Param> {
        let mut out = Vec::new();
        if self.server_no_context_takeover {
            out.push((SERVER_NO_CONTEXT_TAKEOVER.to_owned(), None));
        }
        if self.client_no_context_takeover {
            out.push((CLIENT_NO_CONTEXT_TAKEOVER.to_owned(), None));
        }
        if let Some(bits) = self.server_max_window_bits {
            out.push((SERVER_MAX_WINDOW_BITS.to_owned(), Some(bits.to_string())));
        }
        match self.client_max_window_bits {
            ClientBits::Absent => {}
            ClientBits::Supported => out.push((CLIENT_MAX_WINDOW_BITS.to_owned(), None)),
            ClientBits::Max(bits) => {
                out.push((CLIENT_MAX_WINDOW_BITS.to_owned(), Some(bits.to_string())))
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(list: &[(&str, Option<&str>)]) -> Vec<Param> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.map(str::to_string)))
            .collect()
    }

    #[test]
    fn parses_all_four() {
        let parsed = Params::parse(
            &p(&[
                ("server_no_context_takeover", None),
                ("client_no_context_takeover", None),
                ("server_max_window_bits", Some("10")),
                ("client_max_window_bits", Some("8")),
            ]),
            false,
        )
        .unwrap();
        assert_eq!(
            parsed,
            Params {
                server_no_context_takeover: true,
                client_no_context_takeover: true,
                server_max_window_bits: Some(10),
                client_max_window_bits: ClientBits::Max(8),
            }
        );
        assert_eq!(Params::parse(&parsed.to_params(), false), Ok(parsed));
    }

    #[test]
    fn client_bits_without_value_only_in_offers() {
        let list = p(&[("client_max_window_bits", None)]);
        assert_eq!(
            Params::parse(&list, true).unwrap().client_max_window_bits,
            ClientBits::Supported
        );
        assert_eq!(
            Params::parse(&list, false),
            Err(ParamError::MissingValue(CLIENT_MAX_WINDOW_BITS))
        );
    }

    #[test]
    fn rejects_what_the_rfc_rejects() {
        let cases: &[&[(&str, Option<&str>)]] = &[
            &[
                ("server_no_context_takeover", None),
                ("server_no_context_takeover", None),
            ],
            &[("client_no_context_takeover", Some("1"))],
            &[("server_max_window_bits", None)],
            &[("server_max_window_bits", Some("7"))],
            &[("server_max_window_bits", Some("16"))],
            &[("server_max_window_bits", Some("09"))],
            &[("server_max_window_bits", Some("+9"))],
            &[("server_max_window_bits", Some(" 9"))],
            &[("server_max_window_bits", Some("300"))],
            &[("client_max_window_bits", Some("0"))],
            &[("client_max_window_bits", Some(""))],
            &[
                ("client_max_window_bits", None),
                ("client_max_window_bits", None),
            ],
            &[
                ("server_max_window_bits", Some("9")),
                ("server_max_window_bits", Some("9")),
            ],
            &[("x_unknown", None)],
            &[("Server_No_Context_Takeover", None)],
        ];
        for case in cases {
            assert!(Params::parse(&p(case), true).is_err(), "{case:?}");
        }
    }

    #[test]
    fn every_window_size_from_8_to_15() {
        for bits in 8..=15u8 {
            let list = p(&[("server_max_window_bits", Some(&bits.to_string()))]);
            assert_eq!(
                Params::parse(&list, false).unwrap().server_max_window_bits,
                Some(bits)
            );
        }
    }

    #[test]
    fn error_messages_name_the_parameter() {
        let err = Params::parse(&p(&[("server_max_window_bits", Some("99"))]), true).unwrap_err();
        assert!(err.to_string().contains("server_max_window_bits"));
    }
}
