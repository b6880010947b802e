// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! WebSocket URLs (RFC 6455 §3): `ws://host[:port][/path][?query]` and `wss://…`.
//!
//! `http` and `https` are accepted and mapped to `ws` and `wss`, as browsers do. Fragments,
//! user information and other schemes are refused. Path and query bytes that cannot appear in a
//! request target (controls, space, non-ASCII) are percent-encoded.

use std::fmt;
use std::net::Ipv6Addr;

/// Why a string is not a usable WebSocket URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// No `scheme://` prefix.
    #[error("missing scheme")]
    MissingScheme,
    /// A scheme other than ws, wss, http or https.
    #[error("unsupported scheme {0:?}")]
    UnsupportedScheme(String),
    /// The URL has a `#fragment` (RFC 6455 §3 forbids it).
    #[error("WebSocket URLs cannot have a fragment")]
    Fragment,
    /// The URL has `user:password@`.
    #[error("user information in WebSocket URLs is not supported")]
    UserInfo,
    /// The host is empty or holds characters a host cannot have.
    #[error("invalid host {0:?}")]
    InvalidHost(String),
    /// The port is not a number in 1..=65535.
    #[error("invalid port {0:?}")]
    InvalidPort(String),
}

/// A parsed WebSocket URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WsUrl {
    /// `wss` (TLS) rather than `ws`.
    pub secure: bool,
    /// The host, lowercase, IPv6 literals without brackets.
    pub host: String,
    /// The port, the scheme's default (80 or 443) when the URL had none.
    pub port: u16,
    /// The resource name: path (at least `/`) and `?query` if any.
    pub resource: String,
}

impl WsUrl {
    /// Parses a `ws://`, `wss://`, `http://` or `https://` URL.
    pub fn parse(url: &str) -> Result<WsUrl, UrlError> {
        let (scheme, rest) = url.split_once("://").ok_or(UrlError::MissingScheme)?;
        let secure = match scheme.to_ascii_lowercase().as_str() {
            "ws" | "http" => false,
            "wss" | "https" => true,
            _ => return Err(UrlError::UnsupportedScheme(scheme.to_owned())),
        };
        if rest.contains('#') {
            return Err(UrlError::Fragment);
        }
        let split = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, target) = rest.split_at(split);
        if authority.contains('@') {
            return Err(UrlError::UserInfo);
        }
        let (host, port) = split_host_port(authority)?;
        let default_port = if secure { 443 } else { 80 };
        let port = match port {
            None | Some("") => default_port,
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => n,
                _ => return Err(UrlError::InvalidPort(p.to_owned())),
            },
        };
        let mut resource = String::with_capacity(target.len() + 1);
        if !target.starts_with('/') {
            resource.push('/');
        }
        for &b in target.as_bytes() {
            if b <= 0x20 || b >= 0x7f {
                resource.push_str(&format!("%{b:02X}"));
            } else {
                resource.push(b as char);
            }
        }
        Ok(WsUrl {
            secure,
            host,
            port,
            resource,
        })
    }

    /// The port the scheme implies: 443 for wss, 80 for ws.
    pub fn default_port(&self) -> u16 {
        if self.secure {
            443
        } else {
            80
        }
    }

    /// The `Host` header value: IPv6 literals in brackets, the port only when it is not the
    /// scheme's default.
    pub fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == self.default_port() {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

impl fmt::Display for WsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.secure { "wss" } else { "ws" };
        write!(f, "{scheme}://{}{}", self.host_header(), self.resource)
    }
}

impl std::str::FromStr for WsUrl {
    type Err = UrlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WsUrl::parse(s)
    }
}

/// Splits `host[:port]` or `[v6][:port]`; the host comes back lowercase and unbracketed.
fn split_host_port(authority: &str) -> Result<(String, Option<&str>), UrlError> {
    let bad_host = || UrlError::InvalidHost(authority.to_owned());
    if let Some(rest) = authority.strip_prefix('[') {
        let (literal, after) = rest.split_once(']').ok_or_else(bad_host)?;
        literal.parse::<Ipv6Addr>().map_err(|_| bad_host())?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or_else(bad_host)?),
        };
        return Ok((literal.to_ascii_lowercase(), port));
    }
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    // RFC 3986 reg-name / IPv4address: unreserved, sub-delims and percent-encoding.
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=".contains(&b));
    if !host_ok {
        return Err(bad_host());
    }
    Ok((host.to_ascii_lowercase(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> WsUrl {
        WsUrl::parse(s).unwrap()
    }

    #[test]
    fn defaults_and_resource() {
        let u = url("ws://Example.COM");
        assert_eq!(
            (u.secure, u.host.as_str(), u.port, u.resource.as_str()),
            (false, "example.com", 80, "/")
        );
        assert_eq!(u.host_header(), "example.com");
        let u = url("wss://example.com/chat?room=1&x=%20");
        assert_eq!((u.secure, u.port), (true, 443));
        assert_eq!(u.resource, "/chat?room=1&x=%20");
        assert_eq!(url("ws://h?q").resource, "/?q");
        assert_eq!(url("ws://h:8080/").host_header(), "h:8080");
        assert_eq!(url("wss://h:443/").host_header(), "h");
        assert_eq!(url("ws://h:/a").port, 80);
    }

    #[test]
    fn ipv6() {
        let u = url("ws://[::1]:9001/x");
        assert_eq!((u.host.as_str(), u.port), ("::1", 9001));
        assert_eq!(u.host_header(), "[::1]:9001");
        assert_eq!(url("wss://[FE80::1]").host_header(), "[fe80::1]");
        assert_eq!(url("ws://[::1]:9001/x").to_string(), "ws://[::1]:9001/x");
    }

    #[test]
    fn http_schemes_map_like_browsers() {
        assert!(!url("http://h/").secure);
        assert!(url("HTTPS://h/").secure);
        assert_eq!(url("https://h/").port, 443);
    }

    #[test]
    fn percent_encodes_unsafe_bytes() {
        assert_eq!(url("ws://h/a b\u{e9}").resource, "/a%20b%C3%A9");
    }

    #[test]
    fn rejections() {
        let err = |s: &str| WsUrl::parse(s).unwrap_err();
        assert_eq!(err("ftp://h/"), UrlError::UnsupportedScheme("ftp".into()));
        assert_eq!(err("h/"), UrlError::MissingScheme);
        assert_eq!(err("ws://h/#frag"), UrlError::Fragment);
        assert_eq!(err("ws://u:p@h/"), UrlError::UserInfo);
        assert!(matches!(err("ws:///x"), UrlError::InvalidHost(_)));
        assert!(matches!(err("ws://[::1/"), UrlError::InvalidHost(_)));
        assert!(matches!(err("ws://[zz]/"), UrlError::InvalidHost(_)));
        assert!(matches!(err("ws://[::1]x/"), UrlError::InvalidHost(_)));
        assert!(matches!(err("ws://a b/"), UrlError::InvalidHost(_)));
        assert!(matches!(err("ws://h:0/"), UrlError::InvalidPort(_)));
        assert!(matches!(err("ws://h:70000/"), UrlError::InvalidPort(_)));
        assert!(matches!(err("ws://h:+80/"), UrlError::InvalidPort(_)));
        assert!(matches!(err("ws://h:1:2/"), UrlError::InvalidPort(_)));
    }
}
