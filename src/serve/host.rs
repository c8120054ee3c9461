//! Who the preview answers. A page on another site can make a browser send
//! requests to a loopback port under a name of its own that resolves to
//! 127.0.0.1 (DNS rebinding) and then read the answers as same-origin, so
//! the `Host` of every request must be a name the preview is known by: a
//! loopback name, the address it listens on or was reached at, or a name
//! given with `--allow-host`. A request sent by a page (`Origin`) must come
//! from such a name too.

use std::net::IpAddr;

/// The names the preview answers to.
#[derive(Debug, Clone)]
pub(super) struct Hosts {
    bound: IpAddr,
    /// Names from `--allow-host`, lowercase, without port.
    allowed: Vec<String>,
}

impl Hosts {
    /// Loopback names, `bound`, and `allowed` (names, with or without port).
    pub(super) fn new(bound: IpAddr, allowed: &[String]) -> Self {
        let allowed = allowed.iter().map(|name| normalise(name)).collect();
        Hosts { bound, allowed }
    }

    /// Whether a request may be answered: `Err` gives the text to refuse
    /// it with. `local` is the address the client connected to.
    pub(super) fn check(
        &self,
        host: Option<&str>,
        origin: Option<&str>,
        local: IpAddr,
        http10: bool,
    ) -> Result<(), String> {
        match host {
            Some(host) if !self.allows(host, local) => return Err(refusal("Host", host)),
            None if !http10 => return Err(refusal("Host", "")),
            _ => {}
        }
        match origin {
            Some(origin) if !self.allows_origin(origin, local) => Err(refusal("Origin", origin)),
            _ => Ok(()),
        }
    }

    /// Whether `host` (a `Host` value: name and optional port) is known.
    fn allows(&self, host: &str, local: IpAddr) -> bool {
        let name = normalise(host);
        if name == "localhost" || self.allowed.contains(&name) {
            return true;
        }
        // An address cannot be rebound; only the preview's own are accepted.
        let address = name.trim_start_matches('[').trim_end_matches(']');
        address
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip == self.bound || ip == local)
    }

    /// Whether `origin` (`http://name:port`) is a page of the preview.
    fn allows_origin(&self, origin: &str, local: IpAddr) -> bool {
        let lower = origin.to_ascii_lowercase();
        let Some(rest) = lower.strip_prefix("http://").or_else(|| lower.strip_prefix("https://")) else {
            return false;
        };
        !rest.contains(['/', '@']) && self.allows(rest, local)
    }
}

/// A host name without its port, lowercase, without a final dot.
fn normalise(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    let name = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(&host)
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.contains(':') => name,
            _ => &host,
        }
    };
    name.strip_suffix('.').unwrap_or(name).to_string()
}

/// The plain-text answer to a request for a name the preview does not know.
fn refusal(header: &str, value: &str) -> String {
    let shown: String = value.chars().filter(|c| !c.is_control()).take(200).collect();
    if value.is_empty() {
        return "this preview answers only requests that name it in a Host header \
                (localhost, 127.0.0.1 or [::1]); to allow another name, restart it with \
                `pressroom serve --allow-host NAME`\n"
            .to_string();
    }
    let name = match header {
        "Host" => normalise(&shown),
        _ => "NAME".to_string(),
    };
    format!(
        "this preview answers only localhost, 127.0.0.1, [::1] and the address it listens on, \
         not `{header}: {shown}` (a page on another site may be trying to read it); \
         to allow this name, restart it with `pressroom serve --allow-host {name}`\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn answers_loopback_names_its_addresses_and_allowed_names_only() {
        let local = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let hosts = Hosts::new(local, &["Preview.Test:8080".to_string()]);
        let table: &[(Option<&str>, Option<&str>, bool)] = &[
            (Some("localhost"), None, true),
            (Some("localhost:1111"), None, true),
            (Some("LocalHost.:1111"), None, true),
            (Some("127.0.0.1:1111"), None, true),
            (Some("127.0.0.2"), None, true),
            (Some("[::1]:1111"), None, true),
            (Some("preview.test"), None, true),
            (Some("preview.test:1111"), None, true),
            (Some("evil.example"), None, false),
            (Some("localhost.evil.example"), None, false),
            (Some("127.0.0.1.nip.io"), None, false),
            (Some("10.0.0.1"), None, false),
            (Some(""), None, false),
            (None, None, false),
            (Some("localhost"), Some("http://localhost:1111"), true),
            (Some("localhost"), Some("http://preview.test"), true),
            (Some("localhost"), Some("http://evil.example"), false),
            (Some("localhost"), Some("http://localhost@evil.example"), false),
            (Some("localhost"), Some("null"), false),
        ];
        for (host, origin, want) in table {
            let got = hosts.check(*host, *origin, local, false);
            assert_eq!(got.is_ok(), *want, "{host:?} {origin:?}: {got:?}");
        }
        // HTTP/1.0 clients may leave Host out.
        assert!(hosts.check(None, None, local, true).is_ok());
        // Bound to every address: the one a request came in on is known.
        let lan = Hosts::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), &[]);
        let lan_ip: IpAddr = "192.168.1.20".parse().unwrap();
        assert!(lan.check(Some("192.168.1.20:1111"), None, lan_ip, false).is_ok());
        assert!(lan.check(Some("192.168.1.21:1111"), None, lan_ip, false).is_err());
        assert!(lan.check(Some("mybox.lan"), None, lan_ip, false).is_err());
    }

    #[test]
    fn a_refusal_says_how_to_allow_the_name() {
        let hosts = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &[]);
        let local = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let text = hosts.check(Some("Docs.Lan:1111"), None, local, false).unwrap_err();
        assert!(text.contains("not `Host: Docs.Lan:1111`"), "{text}");
        assert!(
            text.ends_with("restart it with `pressroom serve --allow-host docs.lan`\n"),
            "{text}"
        );
    }
}
