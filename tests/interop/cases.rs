// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The interop cases: permessage-deflate parameter sets, what each server answers to an offer
//! (written here from RFC 7692 §7.1 and each peer's documented policy, not taken from the
//! crate), the effective agreement, and the scripted messages with their payloads.

use rswebsockets::extension::DeflateConfig;
use rswebsockets::tokio::Message;

/// `client_max_window_bits` in an offer or a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bits {
    /// Not present.
    Absent,
    /// Present without a value (offers only).
    Bare,
    /// Present with a value, 8..=15.
    Max(u8),
}

/// The four RFC 7692 parameters: an offer, a server's limits, or a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub snct: bool,
    pub cnct: bool,
    pub smwb: Option<u8>,
    pub cmwb: Bits,
}

impl Params {
    /// No parameter at all.
    pub const NONE: Params = Params {
        snct: false,
        cnct: false,
        smwb: None,
        cmwb: Bits::Absent,
    };

    /// The parameters as `name` / `name=value` strings, sorted (order is not significant).
    pub fn to_list(self) -> Vec<String> {
        let mut list = Vec::new();
        if self.snct {
            list.push("server_no_context_takeover".to_string());
        }
        if self.cnct {
            list.push("client_no_context_takeover".to_string());
        }
        if let Some(b) = self.smwb {
            list.push(format!("server_max_window_bits={b}"));
        }
        match self.cmwb {
            Bits::Absent => {}
            Bits::Bare => list.push("client_max_window_bits".to_string()),
            Bits::Max(b) => list.push(format!("client_max_window_bits={b}")),
        }
        list.sort();
        list
    }

    /// A short label for failure messages.
    pub fn label(self) -> String {
        let list = self.to_list();
        if list.is_empty() {
            "(no parameters)".to_string()
        } else {
            list.join("; ")
        }
    }

    /// The configuration object peer.py expects (`client_max_window_bits: true` for bare).
    pub fn python_json(self) -> String {
        let smwb = self.smwb.map_or("null".to_string(), |b| b.to_string());
        let cmwb = match self.cmwb {
            Bits::Absent => "null".to_string(),
            Bits::Bare => "true".to_string(),
            Bits::Max(b) => b.to_string(),
        };
        format!(
            "{{\"server_no_context_takeover\": {}, \"client_no_context_takeover\": {}, \
             \"server_max_window_bits\": {smwb}, \"client_max_window_bits\": {cmwb}}}",
            self.snct, self.cnct
        )
    }

    /// The crate's configuration: as a client, this offer; as a server, these limits.
    pub fn deflate_config(self, fallback_offer: bool) -> DeflateConfig {
        let mut config = DeflateConfig::new()
            .server_no_context_takeover(self.snct)
            .client_no_context_takeover(self.cnct)
            .fallback_offer(fallback_offer);
        if let Some(b) = self.smwb {
            config = config.server_max_window_bits(b);
        }
        match self.cmwb {
            Bits::Absent => config.offer_client_max_window_bits(false),
            Bits::Bare => config,
            Bits::Max(b) => config.client_max_window_bits(b),
        }
    }
}

/// Every value `server_max_window_bits` can take in an offer.
pub fn server_bits_values() -> Vec<Option<u8>> {
    std::iter::once(None).chain((8..=15).map(Some)).collect()
}

/// Every value `client_max_window_bits` can take in an offer, from `min` bits.
pub fn client_bits_values(min: u8) -> Vec<Bits> {
    [Bits::Absent, Bits::Bare]
        .into_iter()
        .chain((min..=15).map(Bits::Max))
        .collect()
}

/// Every offer made of the given window values, with both context-takeover flags.
pub fn all_offers(smwb: &[Option<u8>], cmwb: &[Bits]) -> Vec<Params> {
    let mut offers = Vec::new();
    for snct in [false, true] {
        for cnct in [false, true] {
            for &s in smwb {
                for &c in cmwb {
                    offers.push(Params {
                        snct,
                        cnct,
                        smwb: s,
                        cmwb: c,
                    });
                }
            }
        }
    }
    offers
}

/// Server limits: none, each flag alone, and each window value alone (`Bits::Max` only).
pub fn server_limit_sets(smwb_min: u8, cmwb_min: u8) -> Vec<Params> {
    let mut sets = vec![
        Params::NONE,
        Params {
            snct: true,
            ..Params::NONE
        },
        Params {
            cnct: true,
            ..Params::NONE
        },
    ];
    sets.extend((smwb_min..=15).map(|b| Params {
        smwb: Some(b),
        ..Params::NONE
    }));
    sets.extend((cmwb_min..=15).map(|b| Params {
        cmwb: Bits::Max(b),
        ..Params::NONE
    }));
    sets
}

/// A covering set of `n` offers: case `i` takes the `i`-th value of each window list
/// (cycling) and a different pair of flags, so every value appears at least once.
pub fn covering_offers(smwb: &[Option<u8>], cmwb: &[Bits]) -> Vec<Params> {
    let n = smwb.len().max(cmwb.len());
    (0..n)
        .map(|i| Params {
            snct: i % 2 == 1,
            cnct: (i / 2) % 2 == 1,
            smwb: smwb[i % smwb.len()],
            cmwb: cmwb[i % cmwb.len()],
        })
        .collect()
}

/// What a server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// permessage-deflate with this response.
    Deflate(Params),
    /// The server declined every offer: no extension.
    NoDeflate,
    /// The client refuses the server's response (the handshake fails).
    Refused,
}

/// python-websockets' server (`ServerPerMessageDeflateFactory`, documented tables): forces its
/// flags, lowers windows to its limits, echoes a client's own window value, answers a bare
/// `client_max_window_bits` only when it has a limit, and declines a server window of 8 (zlib
/// cannot compress with it).
pub fn python_server_answer(offer: Params, limits: Params) -> Option<Params> {
    let smwb = match (offer.smwb, limits.smwb) {
        (asked, None) => asked,
        (None, Some(mine)) => Some(mine),
        (Some(asked), Some(mine)) => Some(asked.min(mine)),
    };
    if smwb == Some(8) {
        return None;
    }
    let mine = match limits.cmwb {
        Bits::Max(b) => Some(b),
        _ => None,
    };
    let cmwb = match (offer.cmwb, mine) {
        (Bits::Absent, _) => Bits::Absent,
        (Bits::Bare, None) => Bits::Absent,
        (Bits::Bare, Some(m)) => Bits::Max(m),
        (Bits::Max(theirs), None) => Bits::Max(theirs),
        (Bits::Max(theirs), Some(m)) => Bits::Max(theirs.min(m)),
    };
    Some(Params {
        snct: offer.snct || limits.snct,
        cnct: offer.cnct || limits.cnct,
        smwb,
        cmwb,
    })
}

/// Our server (`DeflateConfig` as documented): every well-formed offer is accepted, never
/// granting more than asked nor more than configured; a server limit below 15 is announced
/// even when the client did not ask; the client's window is limited only when it said it can be.
pub fn our_server_answer(offer: Params, limits: Params) -> Params {
    let mine = limits.smwb.unwrap_or(15);
    let smwb = match offer.smwb {
        Some(asked) => Some(asked.min(mine)),
        None if mine < 15 => Some(mine),
        None => None,
    };
    let their_limit = match limits.cmwb {
        Bits::Max(b) => Some(b),
        _ => None,
    };
    let cmwb = match (offer.cmwb, their_limit) {
        (Bits::Absent, _) => Bits::Absent,
        (Bits::Bare, None) => Bits::Absent,
        (Bits::Bare, Some(m)) => Bits::Max(m),
        (Bits::Max(theirs), m) => Bits::Max(theirs.min(m.unwrap_or(15))),
    };
    Params {
        snct: offer.snct || limits.snct,
        cnct: offer.cnct || limits.cnct,
        smwb,
        cmwb,
    }
}

/// python-websockets' client refuses `client_max_window_bits=8` (it cannot compress with an
/// 8-bit window); everything our server answers is otherwise acceptable to it.
pub fn python_client_outcome(response: Params) -> Outcome {
    if response.cmwb == Bits::Max(8) {
        Outcome::Refused
    } else {
        Outcome::Deflate(response)
    }
}

/// The effective values both sides work with (RFC 7692 §7.1.2: an absent window is 15 bits, or
/// the value the client offered for its own window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Agreed {
    pub snct: bool,
    pub cnct: bool,
    pub smwb: u8,
    pub cmwb: u8,
}

pub fn agreed(offer: Params, response: Params) -> Agreed {
    Agreed {
        snct: response.snct,
        cnct: response.cnct || offer.cnct,
        smwb: response.smwb.unwrap_or(15),
        cmwb: match (response.cmwb, offer.cmwb) {
            (Bits::Max(b), _) => b,
            (_, Bits::Max(b)) => b,
            _ => 15,
        },
    }
}

/// How python-websockets' `PerMessageDeflate` should hold `agreed`, in peer.py's format
/// `local_nct,remote_nct,local_bits,remote_bits`.
pub fn python_view(a: Agreed, python_is_server: bool) -> String {
    let (local_nct, remote_nct, local_bits, remote_bits) = if python_is_server {
        (a.snct, a.cnct, a.smwb, a.cmwb)
    } else {
        (a.cnct, a.snct, a.cmwb, a.smwb)
    };
    format!(
        "{},{},{local_bits},{remote_bits}",
        u8::from(local_nct),
        u8::from(remote_nct)
    )
}

/// The permessage-deflate parameters of a `Sec-WebSocket-Extensions` value, sorted; `None` when
/// it names no permessage-deflate.
pub fn parse_header(value: &str) -> Option<Vec<String>> {
    let mut parts = value.split(';').map(str::trim);
    if parts.next()? != "permessage-deflate" || value.contains(',') {
        return None;
    }
    let mut list: Vec<String> = parts
        .filter(|p| !p.is_empty())
        .map(|p| p.replace([' ', '"'], ""))
        .collect();
    list.sort();
    Some(list)
}

/// Data frames: `Text` or `Binary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Binary,
}

/// Payload content: repetitive words (compresses well) or pseudo-random (does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Compressible,
    Random,
}

/// One scripted message.
pub type Step = (Kind, usize, Content);

/// The message sizes of the issue: empty, one byte, the 7-bit / 16-bit / 64-bit length
/// boundaries and 1 MiB.
pub const SIZES: [usize; 7] = [0, 1, 125, 126, 65535, 65536, 1 << 20];

/// Every size, text and binary, compressible and random: 28 messages, 4.3 MiB.
pub fn full_script() -> Vec<Step> {
    let mut script = Vec::new();
    for size in SIZES {
        for kind in [Kind::Text, Kind::Binary] {
            for content in [Content::Compressible, Content::Random] {
                script.push((kind, size, content));
            }
        }
    }
    script
}

/// A short script for the large matrices: both kinds, every size up to 64 KiB, repeated
/// compressible messages (context takeover) and random ones.
pub fn short_script() -> Vec<Step> {
    use Content::*;
    use Kind::*;
    vec![
        (Text, 0, Compressible),
        (Binary, 0, Random),
        (Text, 1, Random),
        (Binary, 125, Random),
        (Text, 126, Compressible),
        (Text, 4096, Compressible),
        (Binary, 4096, Compressible),
        (Text, 65535, Random),
        (Binary, 65536, Compressible),
    ]
}

/// The script as peer.py reads it.
pub fn script_json(script: &[Step]) -> String {
    let items: Vec<String> = script
        .iter()
        .map(|(kind, size, content)| {
            let kind = if *kind == Kind::Text {
                "text"
            } else {
                "binary"
            };
            let content = if *content == Content::Compressible {
                "compressible"
            } else {
                "random"
            };
            format!("[\"{kind}\", {size}, \"{content}\"]")
        })
        .collect();
    format!("[{}]", items.join(", "))
}

const WORDS: [&str; 8] = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "permessage",
    "deflate",
    "window",
    "context",
];

fn xorshift(mut s: u64) -> u64 {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    s
}

/// The payload of step `index` (the same function as `payload` in peer.py).
pub fn payload(step: Step, index: usize) -> Message {
    let (kind, size, content) = step;
    let tag = if kind == Kind::Text { 1 } else { 2 };
    let seed = ((size as u64) * 1_000_003 + (index as u64) * 7919 + tag) | 1;
    let mut out = Vec::with_capacity(size + 8);
    let mut state = seed;
    match (content, kind) {
        (Content::Compressible, _) => {
            let mut n = 0usize;
            while out.len() < size {
                out.extend_from_slice(format!("{} {} ", WORDS[n % WORDS.len()], n % 97).as_bytes());
                n += 1;
            }
            out.truncate(size);
        }
        (Content::Random, Kind::Binary) => {
            while out.len() < size {
                state = xorshift(state);
                out.extend_from_slice(&state.to_le_bytes());
            }
            out.truncate(size);
        }
        (Content::Random, Kind::Text) => {
            let mut buf = [0u8; 4];
            while out.len() < size {
                state = xorshift(state);
                let mut width = 1 + (state >> 8) % 4;
                if out.len() as u64 + width > size as u64 {
                    width = 1;
                }
                let value = state >> 16;
                let cp = match width {
                    1 => 0x20 + value % 0x5F,
                    2 => 0x80 + value % (0x800 - 0x80),
                    3 => 0x800 + value % (0xD800 - 0x800),
                    _ => 0x10000 + value % (0x110000 - 0x10000),
                };
                let c = char::from_u32(cp as u32).expect("a scalar value");
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    match kind {
        Kind::Text => Message::Text(String::from_utf8(out).expect("generated text is UTF-8")),
        Kind::Binary => Message::Binary(out),
    }
}
