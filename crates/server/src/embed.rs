//! Who may embed the widget in an iframe: `--embed-origin ORIGIN`.
//!
//! The same list goes to two places that must agree: the `frame-ancestors`
//! directive of the pages' Content-Security-Policy (the browser refuses to
//! show the widget inside any other page) and `allowedOrigins` of
//! `/config.json` (`cil.js` in the widget accepts the `cil-host.js`
//! handshake only from those origins). Both compare origins exactly, so an
//! origin is kept in the form browsers report it: lower case, without the
//! default port, without a path.

use std::fmt;
use std::str::FromStr;

/// A web origin `scheme://host[:port]` allowed to embed the widget.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmbedOrigin(String);

impl EmbedOrigin {
    /// `http://localhost:<port>`: the origin of the demo CRM page, which
    /// embeds the widget served at `http://127.0.0.1:<port>` by the same server.
    pub fn localhost(port: u16) -> Self {
        Self(format!("http://localhost:{port}"))
    }

    /// The origin as browsers write it, e.g. `https://crm.example.com`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmbedOrigin {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// Why a text is not a plain origin; each message says how to write it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmbedOriginError {
    /// No `scheme://`.
    #[error(
        "`{0}` has no scheme; write an origin as scheme://host[:port], e.g. https://crm.example.com"
    )]
    NoScheme(String),
    /// A scheme other than http or https.
    #[error("`{0}`: the scheme must be http or https")]
    Scheme(String),
    /// A path, query or fragment after the authority (a trailing `/` too).
    #[error(
        "`{0}` is a URL, not an origin; drop everything after the host and port, e.g. https://crm.example.com"
    )]
    NotJustAnOrigin(String),
    /// `user:password@host`.
    #[error("`{0}` names a user; an origin is scheme://host[:port] only")]
    Credentials(String),
    /// `*` or `https://*.example.com`.
    #[error("`{0}`: wildcards are not allowed; repeat --embed-origin for each origin")]
    Wildcard(String),
    /// An empty or malformed host.
    #[error("`{0}`: the host must be a domain name, an IPv4 address or an [IPv6] address")]
    Host(String),
    /// A port that is not a number from 1 to 65535.
    #[error("`{0}`: the port must be a number from 1 to 65535")]
    Port(String),
}

impl FromStr for EmbedOrigin {
    type Err = EmbedOriginError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let input = text.trim();
        if input.contains('*') {
            return Err(EmbedOriginError::Wildcard(input.to_owned()));
        }
        let Some((scheme, authority)) = input.split_once("://") else {
            return Err(EmbedOriginError::NoScheme(input.to_owned()));
        };
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return Err(EmbedOriginError::Scheme(input.to_owned())),
        };
        if authority.contains(['/', '?', '#']) {
            return Err(EmbedOriginError::NotJustAnOrigin(input.to_owned()));
        }
        if authority.contains('@') {
            return Err(EmbedOriginError::Credentials(input.to_owned()));
        }
        let (host, port) = split_host_and_port(authority)
            .ok_or_else(|| EmbedOriginError::Host(input.to_owned()))?;
        if !is_valid_host(host) {
            return Err(EmbedOriginError::Host(input.to_owned()));
        }
        let port = match port {
            None => None,
            Some(digits) => {
                let number = digits
                    .parse::<u16>()
                    .ok()
                    .filter(|&port| port != 0 && digits.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| EmbedOriginError::Port(input.to_owned()))?;
                (number != default_port).then_some(number)
            }
        };
        let host = host.to_ascii_lowercase();
        Ok(Self(match port {
            Some(port) => format!("{scheme}://{host}:{port}"),
            None => format!("{scheme}://{host}"),
        }))
    }
}

/// `host[:port]` or `[v6][:port]`; `None` when brackets do not close.
fn split_host_and_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, rest) = authority.split_at(end + 1);
        return match rest.strip_prefix(':') {
            Some(port) => Some((host, Some(port))),
            None if rest.is_empty() => Some((host, None)),
            None => None,
        };
    }
    Some(match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

fn is_valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::{EmbedOrigin, EmbedOriginError};

    fn origin(text: &str) -> Result<String, EmbedOriginError> {
        text.parse::<EmbedOrigin>().map(|origin| origin.to_string())
    }

    #[test]
    fn keeps_origins_in_the_form_browsers_report_them() {
        assert_eq!(
            origin("https://crm.example.com").unwrap(),
            "https://crm.example.com"
        );
        assert_eq!(
            origin("HTTPS://CRM.Example.com").unwrap(),
            "https://crm.example.com"
        );
        assert_eq!(
            origin("https://crm.example.com:443").unwrap(),
            "https://crm.example.com"
        );
        assert_eq!(
            origin("http://localhost:8080").unwrap(),
            "http://localhost:8080"
        );
        assert_eq!(origin("http://127.0.0.1:80").unwrap(), "http://127.0.0.1");
        assert_eq!(origin("http://[::1]:3000").unwrap(), "http://[::1]:3000");
        assert_eq!(
            EmbedOrigin::localhost(9000).as_str(),
            "http://localhost:9000"
        );
    }

    #[test]
    fn refuses_what_is_not_a_plain_origin_and_says_why() {
        type Reason = fn(String) -> EmbedOriginError;
        let cases: [(&str, Reason); 11] = [
            ("crm.example.com", EmbedOriginError::NoScheme),
            ("ftp://crm.example.com", EmbedOriginError::Scheme),
            (
                "https://crm.example.com/",
                EmbedOriginError::NotJustAnOrigin,
            ),
            (
                "https://crm.example.com/app?x=1",
                EmbedOriginError::NotJustAnOrigin,
            ),
            (
                "https://user:secret@crm.example.com",
                EmbedOriginError::Credentials,
            ),
            ("https://*.example.com", EmbedOriginError::Wildcard),
            ("*", EmbedOriginError::Wildcard),
            ("https://", EmbedOriginError::Host),
            ("https://crm_example.com", EmbedOriginError::Host),
            ("https://crm.example.com:0", EmbedOriginError::Port),
            ("https://crm.example.com:99999", EmbedOriginError::Port),
        ];
        for (text, expected) in cases {
            assert_eq!(origin(text), Err(expected(text.to_owned())), "{text}");
        }
        assert!(
            origin("'self'")
                .unwrap_err()
                .to_string()
                .contains("scheme://host[:port]")
        );
    }
}
