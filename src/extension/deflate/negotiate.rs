// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Negotiation rules of RFC 7692 §7.1: what a server answers to one offer, and whether a client
//! can live with the answer it got. Pure functions over parsed parameters, so every row of the
//! RFC's tables is a unit test.

use super::params::{ClientBits, Params, MAX_WINDOW_BITS};
use super::DeflateParams;

/// What one side wants, independent of its role (the [`super::DeflateConfig`] knobs that
/// take part in negotiation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wishes {
    pub server_no_context_takeover: bool,
    pub client_no_context_takeover: bool,
    pub server_max_window_bits: Option<u8>,
    pub client_max_window_bits: Option<u8>,
}

/// Server: the response to one valid offer and the resulting agreement. Every offer that parsed
/// can be accepted: the server only ever narrows what the client allowed.
pub(crate) fn answer(wishes: &Wishes, offer: &Params) -> (Params, DeflateParams) {
    // Context takeover: the server may always forbid it on either side; a client's
    // `client_no_context_takeover` hint is echoed so that it binds the client.
    let server_no_context_takeover =
        offer.server_no_context_takeover || wishes.server_no_context_takeover;
    let client_no_context_takeover =
        offer.client_no_context_takeover || wishes.client_no_context_takeover;

    // Our own window: at most what the client asked for, at most what we are configured for.
    // An explicit request must be answered (§7.1.2.1).
    let server_max_window_bits = match (offer.server_max_window_bits, wishes.server_max_window_bits)
    {
        (Some(asked), mine) => Some(asked.min(mine.unwrap_or(MAX_WINDOW_BITS))),
        (None, Some(mine)) if mine < MAX_WINDOW_BITS => Some(mine),
        (None, _) => None,
    };

    // The client's window: only limited when the client said it can be (§7.1.2.2).
    let (client_max_window_bits, client_bits) =
        match (offer.client_max_window_bits, wishes.client_max_window_bits) {
            (ClientBits::Absent, _) => (ClientBits::Absent, MAX_WINDOW_BITS),
            (ClientBits::Supported, Some(mine)) => (ClientBits::Max(mine), mine),
            (ClientBits::Supported, None) => (ClientBits::Absent, MAX_WINDOW_BITS),
            (ClientBits::Max(theirs), mine) => {
                let bits = theirs.min(mine.unwrap_or(MAX_WINDOW_BITS));
                (ClientBits::Max(bits), bits)
            }
        };

    let response = Params {
        server_no_context_takeover,
        client_no_context_takeover,
        server_max_window_bits,
        client_max_window_bits,
    };
    let agreed = DeflateParams {
        server_no_context_takeover,
        client_no_context_takeover,
        server_max_window_bits: server_max_window_bits.unwrap_or(MAX_WINDOW_BITS),
        client_max_window_bits: client_bits,
    };
    (response, agreed)
}

/// Client: checks a server's response against the offer it answers, giving the agreement or
/// the reason the response is unacceptable.
pub(crate) fn check(offer: &Params, response: &Params) -> Result<DeflateParams, String> {
    if offer.server_no_context_takeover && !response.server_no_context_takeover {
        return Err("the server did not confirm the requested server_no_context_takeover".into());
    }
    // Our own hint binds us even when the server does not echo it.
    let client_no_context_takeover =
        response.client_no_context_takeover || offer.client_no_context_takeover;

    let server_max_window_bits = match (
        offer.server_max_window_bits,
        response.server_max_window_bits,
    ) {
        (None, granted) => granted.unwrap_or(MAX_WINDOW_BITS),
        (Some(_), None) => {
            return Err("the server did not confirm the requested server_max_window_bits".into())
        }
        (Some(asked), Some(granted)) if granted > asked => {
            return Err(format!(
                "server_max_window_bits={granted} exceeds the requested {asked}"
            ))
        }
        (Some(_), Some(granted)) => granted,
    };

    let client_max_window_bits = match (
        offer.client_max_window_bits,
        response.client_max_window_bits,
    ) {
        (_, ClientBits::Supported) => {
            return Err("client_max_window_bits without a value in a response".into())
        }
        (ClientBits::Absent, ClientBits::Max(_)) => {
            return Err("client_max_window_bits in the response, but not offered".into())
        }
        (ClientBits::Absent | ClientBits::Supported, ClientBits::Absent) => MAX_WINDOW_BITS,
        (ClientBits::Max(offered), ClientBits::Absent) => offered,
        (ClientBits::Supported, ClientBits::Max(bits)) => bits,
        (ClientBits::Max(offered), ClientBits::Max(bits)) if bits > offered => {
            return Err(format!(
                "client_max_window_bits={bits} exceeds the offered {offered}"
            ))
        }
        (ClientBits::Max(_), ClientBits::Max(bits)) => bits,
    };

    Ok(DeflateParams {
        server_no_context_takeover: response.server_no_context_takeover,
        client_no_context_takeover,
        server_max_window_bits,
        client_max_window_bits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_WISHES: Wishes = Wishes {
        server_no_context_takeover: false,
        client_no_context_takeover: false,
        server_max_window_bits: None,
        client_max_window_bits: None,
    };

    fn offer(snct: bool, cnct: bool, smwb: Option<u8>, cmwb: ClientBits) -> Params {
        Params {
            server_no_context_takeover: snct,
            client_no_context_takeover: cnct,
            server_max_window_bits: smwb,
            client_max_window_bits: cmwb,
        }
    }

    #[test]
    fn plain_offer_plain_answer() {
        let (resp, agreed) = answer(&NO_WISHES, &Params::NONE);
        assert_eq!(resp, Params::NONE);
        assert_eq!(agreed, DeflateParams::default());
        assert_eq!(check(&Params::NONE, &resp), Ok(agreed));
    }

    #[test]
    fn server_window_is_the_smaller_of_request_and_config() {
        // (config, request) -> response
        let rows = [
            (None, None, None),
            (None, Some(10), Some(10)),
            (Some(12), None, Some(12)),
            (Some(12), Some(10), Some(10)),
            (Some(9), Some(10), Some(9)),
            (Some(15), None, None),
            (Some(15), Some(8), Some(8)),
        ];
        for (mine, asked, expected) in rows {
            let wishes = Wishes {
                server_max_window_bits: mine,
                ..NO_WISHES
            };
            let o = offer(false, false, asked, ClientBits::Absent);
            let (resp, agreed) = answer(&wishes, &o);
            assert_eq!(resp.server_max_window_bits, expected, "{mine:?} {asked:?}");
            assert_eq!(agreed.server_max_window_bits, expected.unwrap_or(15));
            assert_eq!(check(&o, &resp), Ok(agreed));
        }
    }

    #[test]
    fn client_window_only_when_offered() {
        use ClientBits::*;
        // (config, offer) -> (response, client window)
        let rows = [
            (None, Absent, Absent, 15),
            (Some(10), Absent, Absent, 15),
            (None, Supported, Absent, 15),
            (Some(10), Supported, Max(10), 10),
            (None, Max(12), Max(12), 12),
            (Some(10), Max(12), Max(10), 10),
            (Some(13), Max(12), Max(12), 12),
            (Some(8), Supported, Max(8), 8),
        ];
        for (mine, offered, expected, bits) in rows {
            let wishes = Wishes {
                client_max_window_bits: mine,
                ..NO_WISHES
            };
            let o = offer(false, false, None, offered);
            let (resp, agreed) = answer(&wishes, &o);
            assert_eq!(
                resp.client_max_window_bits, expected,
                "{mine:?} {offered:?}"
            );
            assert_eq!(agreed.client_max_window_bits, bits);
            assert_eq!(check(&o, &resp), Ok(agreed));
        }
    }

    #[test]
    fn context_takeover_flags_are_echoed_or_imposed() {
        for (mine_s, mine_c, asked_s, asked_c) in
            (0..16).map(|i| (i & 1 != 0, i & 2 != 0, i & 4 != 0, i & 8 != 0))
        {
            let wishes = Wishes {
                server_no_context_takeover: mine_s,
                client_no_context_takeover: mine_c,
                ..NO_WISHES
            };
            let o = offer(asked_s, asked_c, None, ClientBits::Absent);
            let (resp, agreed) = answer(&wishes, &o);
            assert_eq!(resp.server_no_context_takeover, mine_s || asked_s);
            assert_eq!(resp.client_no_context_takeover, mine_c || asked_c);
            assert_eq!(check(&o, &resp), Ok(agreed));
        }
    }

    #[test]
    fn client_rejects_what_it_did_not_ask_for() {
        use ClientBits::*;
        let rows = [
            // requested server_no_context_takeover, not confirmed
            (
                offer(true, false, None, Absent),
                offer(false, false, None, Absent),
            ),
            // requested a server window, not confirmed
            (offer(false, false, Some(10), Absent), Params::NONE),
            // granted a bigger server window than requested
            (
                offer(false, false, Some(10), Absent),
                offer(false, false, Some(11), Absent),
            ),
            // client window limited although not offered
            (Params::NONE, offer(false, false, None, Max(10))),
            // client window above the offered value
            (
                offer(false, false, None, Max(10)),
                offer(false, false, None, Max(12)),
            ),
            // client window without a value in a response
            (
                offer(false, false, None, Supported),
                offer(false, false, None, Supported),
            ),
        ];
        for (o, resp) in rows {
            assert!(check(&o, &resp).is_err(), "{o:?} / {resp:?}");
        }
    }

    #[test]
    fn client_accepts_what_the_rfc_allows() {
        use ClientBits::*;
        // the server may add either no_context_takeover, and a server window, unasked
        let resp = offer(true, true, Some(9), Absent);
        let agreed = check(&offer(false, false, None, Supported), &resp).unwrap();
        assert_eq!(
            agreed,
            DeflateParams {
                server_no_context_takeover: true,
                client_no_context_takeover: true,
                server_max_window_bits: 9,
                client_max_window_bits: 15,
            }
        );
        // a client hint binds the client even when not echoed; an offered value binds too
        let agreed = check(&offer(false, true, None, Max(11)), &Params::NONE).unwrap();
        assert!(agreed.client_no_context_takeover);
        assert_eq!(agreed.client_max_window_bits, 11);
    }
}
