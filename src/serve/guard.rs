//! Whom the preview answers. Drafts are in it, so a page on another site must neither reach it
//! under a name it controls (DNS rebinding: the name resolves to 127.0.0.1, the browser sends
//! that name as `Host`) nor include its files (`<script src>` of `search-index/manifest.js` is read by
//! the including page). Three rules, on every request, before any handler runs:
//!
//! - `Host` must name the loopback (`localhost`, `127.0.0.1`, `[::1]`), the bound address, or
//!   a name given with `--allow-host`; any port. A rebinding page cannot send any of them.
//! - A request that a browser marks (`Sec-Fetch-Site`) as made by another site, or another
//!   port of this one, is refused unless it opens a page in a tab (a top-level navigation,
//!   which shows the page to the person, not to the site that linked it).
//! - Every response, refusals included, says `Cross-Origin-Resource-Policy: same-origin`, so a
//!   browser that sends no fetch metadata still keeps other origins from reading it.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;
use std::sync::Arc;

const CORP: HeaderName = HeaderName::from_static("cross-origin-resource-policy");

/// The names a `Host` header may give, without the port, lower case: IPv6 addresses in
/// brackets, as `Host` writes them.
#[derive(Debug, Clone)]
pub struct Hosts {
    names: Vec<String>,
}

impl Hosts {
    /// The loopback names, the bound address (unless it is the unspecified address, which no
    /// client can name) and the names allowed on the command line (see [`host_name`]).
    pub fn new(bound: IpAddr, allowed: &[String]) -> Hosts {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].map(String::from).to_vec();
        if !bound.is_unspecified() {
            names.push(match bound {
                IpAddr::V4(ip) => ip.to_string(),
                IpAddr::V6(ip) => format!("[{ip}]"),
            });
        }
        names.extend(allowed.iter().cloned());
        names.sort();
        names.dedup();
        Hosts { names }
    }

    /// Whether a `Host` value (a name with or without `:port`) names this server.
    pub fn allows(&self, host: &str) -> bool {
        split_port(host).is_some_and(|name| self.names.iter().any(|n| *n == normalise(name)))
    }

    /// For the refusal message: the names answered.
    fn list(&self) -> String {
        self.names.join(", ")
    }
}

/// The name of a `Host` value without its port; `None` when the port is not a number or an
/// IPv6 address is not in brackets.
fn split_port(host: &str) -> Option<&str> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        (&host[..=end], &host[end + 1..])
    } else {
        host.split_at(host.find(':').unwrap_or(host.len()))
    };
    let port_ok = match port.strip_prefix(':') {
        Some(digits) => digits.parse::<u16>().is_ok(),
        None => port.is_empty(),
    };
    (port_ok && !name.is_empty()).then_some(name)
}

/// Lower case, without the trailing dot of a fully qualified name (`localhost.`).
fn normalise(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

/// Checks an `--allow-host` value and writes it as a `Host` header would (lower case, IPv6 in
/// brackets). The error says what is wrong and how to write it.
pub fn host_name(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("the name is empty; give a host name or address, e.g. `--allow-host mybox.local`".into());
    }
    if trimmed.contains("://") || trimmed.contains('/') {
        return Err(format!("`{input}` is a URL; give only its host name, e.g. `--allow-host mybox.local`"));
    }
    let bare = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(trimmed);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(match ip {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        });
    }
    if let Some((name, port)) = trimmed.rsplit_once(':')
        && port.parse::<u16>().is_ok()
    {
        return Err(format!("`{input}` has a port; every port is answered, give only the name: `--allow-host {name}`"));
    }
    let name = normalise(trimmed);
    let valid = name.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && !label.starts_with('-')
            && !label.ends_with('-')
    });
    if !valid || name.len() > 253 {
        return Err(format!(
            "`{input}` is not a host name: use letters, digits, `-` and dots (`mybox.local`), or an IP address"
        ));
    }
    Ok(name)
}

/// Whether fetch metadata marks the request as another site's that is not a top-level
/// navigation. `same-site` counts as another site: it is another port of `localhost`, another
/// program.
fn cross_site(headers: &HeaderMap) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
    let foreign = matches!(get("sec-fetch-site").as_deref(), Some("cross-site" | "same-site"));
    let navigation =
        get("sec-fetch-mode").as_deref() == Some("navigate") && get("sec-fetch-dest").as_deref() == Some("document");
    foreign && !navigation
}

/// Why a request is refused, as the plain text of the 403; `None` to answer it.
pub fn refusal(hosts: &Hosts, req: &Request) -> Option<String> {
    let Some(header) = host_header(req.headers()) else {
        return Some(format!(
            "403 Forbidden: the request has no Host header. This preview answers only to {}.\n",
            hosts.list()
        ));
    };
    // An absolute-form request (`GET http://name/ HTTP/1.1`) names its host in the target too.
    let target = req.uri().authority().map(|a| a.host());
    let foreign = [Some(header.as_str()), target].into_iter().flatten().find(|h| !hosts.allows(h));
    if let Some(host) = foreign {
        let shown: String = host.chars().filter(|c| !c.is_control()).take(100).collect();
        return Some(format!(
            "403 Forbidden: this preview answers only to {}, not to `{shown}`, so that a page on \
             another site cannot read it under a name of its own.\n\
             To preview it under this name (from another machine, through a tunnel), restart \
             with `sitpress serve --allow-host {name}` (and `--bind 0.0.0.0` for other machines \
             to reach it).\n",
            hosts.list(),
            name = split_port(&shown).unwrap_or("NAME"),
        ));
    }
    if cross_site(req.headers()) {
        return Some(
            "403 Forbidden: another site asked for this file (Sec-Fetch-Site). A page elsewhere may \
             link to the preview, but not load or read its files.\n"
                .into(),
        );
    }
    None
}

/// The `Host` header as text (`?`, which no rule allows, when it is not visible ASCII).
fn host_header(headers: &HeaderMap) -> Option<String> {
    headers.get(header::HOST).map(|v| v.to_str().map(str::to_string).unwrap_or_else(|_| "?".into()))
}

/// The middleware: refuse (403) what [`refusal`] refuses, answer the rest, and mark every
/// response `Cross-Origin-Resource-Policy: same-origin`.
pub async fn guard(State(hosts): State<Arc<Hosts>>, req: Request, next: Next) -> Response {
    let mut response = match refusal(&hosts, &req) {
        Some(message) => {
            let mut r = (StatusCode::FORBIDDEN, Body::from(message)).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            r
        }
        None => next.run(req).await,
    };
    response.headers_mut().insert(CORP, HeaderValue::from_static("same-origin"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn request(host: Option<&str>, fetch: &[(&str, &str)]) -> Request {
        let mut b = Request::builder().uri("/search-index/manifest.js");
        if let Some(h) = host {
            b = b.header("host", h);
        }
        for (k, v) in fetch {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_loopback_the_bound_address_and_allowed_names_are_answered() {
        let hosts = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &["mybox.local".into()]);
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:8080",
            "localhost.",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
            "mybox.local",
            "MyBox.Local:1111",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.com",
            "evil.com:1111",
            "localhost.evil.com",
            "127.0.0.1.nip.io",
            "localhost:x",
            "localhost:99999",
            "::1",
            "[::1",
            "",
            ":1111",
            "192.168.1.20",
            "0.0.0.0",
            "mybox.local.evil.com",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
        let lan = Hosts::new("192.168.1.20".parse().unwrap(), &[]);
        assert!(lan.allows("192.168.1.20:1111") && !lan.allows("192.168.1.21"));
        let any = Hosts::new("0.0.0.0".parse().unwrap(), &[]);
        assert!(!any.allows("0.0.0.0") && any.allows("localhost"));
    }

    #[test]
    fn allowed_names_are_checked_and_written_as_host_headers_are() {
        assert_eq!(host_name("MyBox.Local."), Ok("mybox.local".into()));
        assert_eq!(host_name("::1"), Ok("[::1]".into()));
        assert_eq!(host_name("[fe80::1]"), Ok("[fe80::1]".into()));
        assert_eq!(host_name("10.0.0.2"), Ok("10.0.0.2".into()));
        for (bad, hint) in [
            ("mybox.local:1111", "--allow-host mybox.local`"),
            ("http://mybox.local/", "only its host name"),
            ("", "empty"),
            ("my box", "not a host name"),
            ("a..b", "not a host name"),
            ("*", "not a host name"),
        ] {
            let err = host_name(bad).unwrap_err();
            assert!(err.contains(hint), "{bad}: {err}");
        }
    }

    #[test]
    fn other_sites_may_open_a_page_but_not_load_a_file() {
        let hosts = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &[]);
        let script = [("sec-fetch-site", "cross-site"), ("sec-fetch-mode", "no-cors"), ("sec-fetch-dest", "script")];
        assert!(refusal(&hosts, &request(Some("localhost:1111"), &script)).is_some());
        let sibling = [("sec-fetch-site", "same-site"), ("sec-fetch-mode", "cors"), ("sec-fetch-dest", "empty")];
        assert!(refusal(&hosts, &request(Some("localhost:1111"), &sibling)).is_some());
        let frame = [("sec-fetch-site", "cross-site"), ("sec-fetch-mode", "navigate"), ("sec-fetch-dest", "iframe")];
        assert!(refusal(&hosts, &request(Some("localhost:1111"), &frame)).is_some());
        let open = [("sec-fetch-site", "cross-site"), ("sec-fetch-mode", "navigate"), ("sec-fetch-dest", "document")];
        assert_eq!(refusal(&hosts, &request(Some("localhost:1111"), &open)), None);
        let own = [("sec-fetch-site", "same-origin"), ("sec-fetch-mode", "no-cors"), ("sec-fetch-dest", "script")];
        assert_eq!(refusal(&hosts, &request(Some("localhost:1111"), &own)), None);
        assert_eq!(refusal(&hosts, &request(Some("localhost:1111"), &[])), None, "curl sends no metadata");
        let missing = refusal(&hosts, &request(None, &[])).unwrap();
        assert!(missing.contains("no Host header"), "{missing}");
        let foreign = refusal(&hosts, &request(Some("evil.example:1111"), &[])).unwrap();
        assert!(foreign.contains("--allow-host evil.example`"), "{foreign}");
        // An absolute-form target must name an allowed host too.
        let absolute = Request::builder()
            .uri("http://evil.example/search-index/manifest.js")
            .header("host", "localhost")
            .body(Body::empty())
            .unwrap();
        assert!(refusal(&hosts, &absolute).is_some());
    }
}
