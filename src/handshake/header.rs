// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Header helpers: case-insensitive lookup, comma-separated token lists, and the
//! `Sec-WebSocket-Extensions` grammar (RFC 6455 §9.1, with RFC 7230's token and quoted-string).

use crate::extension::Param;
use crate::handshake::HandshakeError;

/// One extension in a `Sec-WebSocket-Extensions` list: its name and parameters, quotes removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionOffer {
    /// The extension's name, e.g. `permessage-deflate`.
    pub name: String,
    /// Its parameters in order: `name` or `name=value`.
    pub params: Vec<Param>,
}

/// Whether `b` may appear in an RFC 7230 `token` (`tchar`).
pub fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Whether `s` is a non-empty RFC 7230 `token`.
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

/// The value of the first header called `name` (ASCII case-insensitive).
pub fn get<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The values of every header called `name` (ASCII case-insensitive), in order.
pub fn get_all<'a>(
    headers: &'a [(String, String)],
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The value of a header that must appear at most once; several instances are an error.
pub fn get_unique<'a>(
    headers: &'a [(String, String)],
    name: &'static str,
) -> Result<Option<&'a str>, HandshakeError> {
    let mut values = headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name));
    let first = values.next().map(|(_, v)| v.as_str());
    if values.next().is_some() {
        return Err(HandshakeError::DuplicateHeader(name));
    }
    Ok(first)
}

/// The elements of a comma-separated list (RFC 7230 `#rule`): trimmed of spaces and tabs,
/// empty elements skipped.
pub fn tokens(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .map(|t| t.trim_matches([' ', '\t']))
        .filter(|t| !t.is_empty())
}

/// Whether any header called `name` lists `token` (both compared ASCII case-insensitively),
/// e.g. `Connection: keep-alive, Upgrade` has the token `upgrade`.
pub fn has_token(headers: &[(String, String)], name: &str, token: &str) -> bool {
    get_all(headers, name).any(|v| tokens(v).any(|t| t.eq_ignore_ascii_case(token)))
}

/// Every subprotocol listed in the `Sec-WebSocket-Protocol` headers, in order. Each must be a
/// token.
pub fn parse_protocols(headers: &[(String, String)]) -> Result<Vec<String>, HandshakeError> {
    let mut out = Vec::new();
    for value in get_all(headers, "sec-websocket-protocol") {
        for t in tokens(value) {
            if !is_token(t) {
                return Err(HandshakeError::MalformedProtocol(value.to_owned()));
            }
            out.push(t.to_owned());
        }
    }
    Ok(out)
}

/// Every extension listed in the `Sec-WebSocket-Extensions` headers, in order.
pub fn parse_extension_headers(
    headers: &[(String, String)],
) -> Result<Vec<ExtensionOffer>, HandshakeError> {
    let mut out = Vec::new();
    for value in get_all(headers, "sec-websocket-extensions") {
        out.extend(parse_extensions(value)?);
    }
    Ok(out)
}

/// Parses one `Sec-WebSocket-Extensions` value:
///
/// ```text
/// extension-list  = 1#extension
/// extension       = extension-token *( ";" extension-param )
/// extension-param = token [ "=" ( token | quoted-string ) ]
/// ```
///
/// Optional whitespace is allowed around `,`, `;` and `=`. A quoted value is unescaped and,
/// as RFC 6455 §9.1 requires, must then be a token. Empty list elements are skipped.
pub fn parse_extensions(value: &str) -> Result<Vec<ExtensionOffer>, HandshakeError> {
    let mut p = Cursor {
        s: value.as_bytes(),
        i: 0,
        value,
    };
    let mut out = Vec::new();
    loop {
        p.skip_ows();
        match p.peek() {
            None => return Ok(out),
            Some(b',') => {
                p.i += 1;
                continue;
            }
            Some(_) => {}
        }
        let name = p.token("extension name")?;
        let mut params = Vec::new();
        loop {
            p.skip_ows();
            match p.peek() {
                None => break,
                Some(b',') => {
                    p.i += 1;
                    break;
                }
                Some(b';') => {
                    p.i += 1;
                    p.skip_ows();
                    let pname = p.token("parameter name")?;
                    p.skip_ows();
                    let pvalue = if p.peek() == Some(b'=') {
                        p.i += 1;
                        p.skip_ows();
                        Some(if p.peek() == Some(b'"') {
                            p.quoted()?
                        } else {
                            p.token("parameter value")?
                        })
                    } else {
                        None
                    };
                    params.push((pname, pvalue));
                }
                Some(_) => return Err(p.fail("expected ',' or ';'")),
            }
        }
        out.push(ExtensionOffer { name, params });
    }
}

/// Formats extensions as a `Sec-WebSocket-Extensions` value: `a; p; q=v, b`. Values that are
/// not tokens are written as quoted strings.
pub fn format_extensions(list: &[ExtensionOffer]) -> String {
    let mut out = String::new();
    for (i, ext) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&ext.name);
        for (name, value) in &ext.params {
            out.push_str("; ");
            out.push_str(name);
            if let Some(v) = value {
                out.push('=');
                if is_token(v) {
                    out.push_str(v);
                } else {
                    out.push('"');
                    for c in v.chars() {
                        if c == '"' || c == '\\' {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    out.push('"');
                }
            }
        }
    }
    out
}

/// Checks that an extension name and its parameters are tokens, as RFC 6455 §9.1 requires.
pub fn validate_extension(ext: &ExtensionOffer) -> Result<(), HandshakeError> {
    let bad = |what: String| Err(HandshakeError::InvalidExtensionOffer(what));
    if !is_token(&ext.name) {
        return bad(format!("extension name {:?} is not a token", ext.name));
    }
    for (name, value) in &ext.params {
        if !is_token(name) {
            return bad(format!(
                "{}: parameter name {name:?} is not a token",
                ext.name
            ));
        }
        if let Some(v) = value {
            if !is_token(v) {
                return bad(format!(
                    "{}: value {v:?} of {name} is not a token",
                    ext.name
                ));
            }
        }
    }
    Ok(())
}

/// Checks a header the application wants to send: the name must be a token, the value must
/// hold no control characters other than horizontal tab (in particular no CR or LF, which would
/// let it inject header lines).
pub fn validate_header(name: &str, value: &str) -> Result<(), HandshakeError> {
    let invalid = |reason| {
        Err(HandshakeError::InvalidHeader {
            name: name.to_owned(),
            reason,
        })
    };
    if !is_token(name) {
        return invalid("the name is not an HTTP token");
    }
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return invalid("the value contains CR, LF or another control character");
    }
    Ok(())
}

/// A byte cursor over one header value.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
    value: &'a str,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    fn fail(&self, what: &str) -> HandshakeError {
        HandshakeError::MalformedExtensions(format!(
            "{what} at byte {} of {:?}",
            self.i, self.value
        ))
    }

    fn token(&mut self, what: &str) -> Result<String, HandshakeError> {
        let start = self.i;
        while self.peek().is_some_and(is_tchar) {
            self.i += 1;
        }
        if start == self.i {
            return Err(self.fail(&format!("expected {what}")));
        }
        // Only ASCII tchars were taken, so this slice is on character boundaries.
        Ok(self.value[start..self.i].to_owned())
    }

    /// A quoted-string (the cursor is on the opening quote), unescaped; must be a token.
    fn quoted(&mut self) -> Result<String, HandshakeError> {
        self.i += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.fail("unterminated quoted string")),
                Some(b'"') => {
                    self.i += 1;
                    break;
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(c) if c == b'\t' || c >= 0x20 && c != 0x7f => out.push(c),
                        _ => return Err(self.fail("bad escape in quoted string")),
                    }
                    self.i += 1;
                }
                Some(c) if c == b'\t' || c >= 0x20 && c != 0x7f => {
                    out.push(c);
                    self.i += 1;
                }
                Some(_) => return Err(self.fail("control character in quoted string")),
            }
        }
        match String::from_utf8(out) {
            Ok(s) if is_token(&s) => Ok(s),
            _ => Err(self.fail("quoted value is not a token (RFC 6455 §9.1)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn p(name: &str, value: Option<&str>) -> Param {
        (name.to_owned(), value.map(str::to_owned))
    }

    #[test]
    fn lookup_is_case_insensitive() {
        let hs = h(&[
            ("Upgrade", "WebSocket"),
            ("CONNECTION", "keep-alive, Upgrade"),
        ]);
        assert_eq!(get(&hs, "upgrade"), Some("WebSocket"));
        assert!(has_token(&hs, "connection", "upgrade"));
        assert!(has_token(&hs, "Upgrade", "websocket"));
        assert!(!has_token(&hs, "connection", "close"));
        assert_eq!(get(&hs, "host"), None);
    }

    #[test]
    fn unique_header() {
        let hs = h(&[("A", "1"), ("a", "2")]);
        assert_eq!(
            get_unique(&hs, "A"),
            Err(HandshakeError::DuplicateHeader("A"))
        );
        assert_eq!(get_unique(&hs, "b"), Ok(None));
    }

    #[test]
    fn token_lists() {
        let got: Vec<_> = tokens(" a ,,\tb,c , ").collect();
        assert_eq!(got, ["a", "b", "c"]);
        let hs = h(&[
            ("Sec-WebSocket-Protocol", "chat, superchat"),
            ("sec-websocket-protocol", "x"),
        ]);
        assert_eq!(parse_protocols(&hs).unwrap(), ["chat", "superchat", "x"]);
        let bad = h(&[("Sec-WebSocket-Protocol", "a b")]);
        assert!(matches!(
            parse_protocols(&bad),
            Err(HandshakeError::MalformedProtocol(_))
        ));
    }

    #[test]
    fn extension_grammar() {
        let got = parse_extensions("foo; p; q=v ;r=\"quoted\", bar,foo ; x = \"a\\-b\"").unwrap();
        assert_eq!(
            got,
            vec![
                ExtensionOffer {
                    name: "foo".into(),
                    params: vec![p("p", None), p("q", Some("v")), p("r", Some("quoted"))],
                },
                ExtensionOffer {
                    name: "bar".into(),
                    params: vec![],
                },
                ExtensionOffer {
                    name: "foo".into(),
                    params: vec![p("x", Some("a-b"))],
                },
            ]
        );
        assert_eq!(parse_extensions(" , ,").unwrap(), vec![]);
    }

    #[test]
    fn extension_grammar_errors() {
        for bad in [
            "foo;",
            "foo; =v",
            "foo; a=",
            "foo; a=\"unterminated",
            "foo; a=\"not a token\"",
            "foo; a=\"\"",
            "foo bar",
            "foo; a=b c",
            ";a",
            "foo; a=\"x\\",
            "foo; a=\"\u{e9}\"",
            "f\u{e9}",
        ] {
            assert!(
                matches!(
                    parse_extensions(bad),
                    Err(HandshakeError::MalformedExtensions(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn format_round_trips() {
        let list = vec![
            ExtensionOffer {
                name: "permessage-deflate".into(),
                params: vec![
                    p("client_max_window_bits", None),
                    p("server_max_window_bits", Some("10")),
                ],
            },
            ExtensionOffer {
                name: "x".into(),
                params: vec![],
            },
        ];
        let s = format_extensions(&list);
        assert_eq!(
            s,
            "permessage-deflate; client_max_window_bits; server_max_window_bits=10, x"
        );
        assert_eq!(parse_extensions(&s).unwrap(), list);
        let quoted = vec![ExtensionOffer {
            name: "x".into(),
            params: vec![p("a", Some("b \"c\""))],
        }];
        assert_eq!(format_extensions(&quoted), "x; a=\"b \\\"c\\\"\"");
    }

    #[test]
    fn header_validation() {
        assert!(validate_header("X-Token", "abc\tdef").is_ok());
        assert!(validate_header("X Token", "a").is_err());
        assert!(validate_header("X-A", "a\r\nEvil: 1").is_err());
        assert!(validate_header("X-A", "a\nb").is_err());
        assert!(validate_header("", "a").is_err());
    }

    #[test]
    fn extension_validation() {
        let ok = ExtensionOffer {
            name: "a".into(),
            params: vec![p("b", Some("1"))],
        };
        assert!(validate_extension(&ok).is_ok());
        let bad = ExtensionOffer {
            name: "a".into(),
            params: vec![p("b", Some("1 2"))],
        };
        assert!(validate_extension(&bad).is_err());
        let bad = ExtensionOffer {
            name: "a b".into(),
            params: vec![],
        };
        assert!(validate_extension(&bad).is_err());
    }
}
