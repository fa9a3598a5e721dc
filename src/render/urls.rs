//! The one place that decides every URL and output path.
//!
//! A *site path* is relative to the site root without a leading slash (`actors/russia/`); the
//! URL a page links to is the base path plus the site path (`/reports/actors/russia/`), and the
//! file written is the site path plus `index.html` for pages (the base path is not a folder in
//! the output).

use crate::config::BaseUrl;

#[derive(Debug, Clone)]
pub struct Urls {
    base: BaseUrl,
}

impl Urls {
    pub fn new(base: BaseUrl) -> Urls {
        Urls { base }
    }

    /// `/reports/` + site path.
    pub fn link(&self, site_path: &str) -> String {
        format!("{}{site_path}", self.base.path)
    }

    /// Absolute URL of a site path, for feeds, sitemaps and canonical links.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{site_path}", self.base.absolute)
    }

    pub fn root(&self) -> &str {
        &self.base.path
    }

    pub fn base_url(&self) -> &str {
        &self.base.absolute
    }
}

// Site paths. Pages end in `/`; files do not.

pub fn home() -> String {
    String::new()
}

pub fn briefings(page: usize) -> String {
    if page <= 1 { "briefings/".into() } else { format!("briefings/page/{page}/") }
}

pub fn briefing(id: &str) -> String {
    format!("briefings/{id}/")
}

pub fn actors() -> String {
    "actors/".into()
}

pub fn actor(id: &str) -> String {
    format!("actors/{id}/")
}

pub fn actor_feed(id: &str) -> String {
    format!("actors/{id}/atom.xml")
}

pub fn claim_type(id: &str) -> String {
    claim_type_page(id, 1)
}

pub fn claim_type_page(id: &str, page: usize) -> String {
    if page <= 1 { format!("claims/{id}/") } else { format!("claims/{id}/page/{page}/") }
}

/// Every claim by or about an actor, one line each.
pub fn actor_claims(id: &str, page: usize) -> String {
    if page <= 1 { format!("actors/{id}/claims/") } else { format!("actors/{id}/claims/page/{page}/") }
}

pub fn forecasts() -> String {
    "forecasts/".into()
}

/// The forecast ledger's pages of rows: page 1 is `/forecasts/` itself.
pub fn forecasts_page(page: usize) -> String {
    if page <= 1 { forecasts() } else { format!("forecasts/page/{page}/") }
}

/// One question, by its first forecast: `/forecasts/<briefing-id>/<claim-id>/`.
pub fn question(briefing: &str, claim: &str) -> String {
    format!("forecasts/{briefing}/{claim}/")
}

/// Every judgment with more than one step.
pub fn judgments() -> String {
    "judgments/".into()
}

/// Fragment id of a judgment on `/judgments/`, by its first step: `judgment-<briefing>.<claim>`
/// (ids have no `.`, so no two judgments share one).
pub fn judgment_anchor(briefing: &str, claim: &str) -> String {
    format!("judgment-{briefing}.{claim}")
}

pub fn disputes(page: usize) -> String {
    if page <= 1 { "disputes/".into() } else { format!("disputes/page/{page}/") }
}

pub fn timeline(page: usize) -> String {
    if page <= 1 { "timeline/".into() } else { format!("timeline/page/{page}/") }
}

/// Fragment id of a month on a timeline (`month-2024-10`).
pub fn month_anchor(year: i16, month: i8) -> String {
    format!("month-{year:04}-{month:02}")
}

pub fn tags() -> String {
    "tags/".into()
}

/// A tag's briefings: page 1 is `/tags/<slug>/`.
pub fn tag(slug: &str, page: usize) -> String {
    if page <= 1 { format!("tags/{slug}/") } else { format!("tags/{slug}/page/{page}/") }
}

pub fn tag_feed(slug: &str) -> String {
    format!("tags/{slug}/atom.xml")
}

pub fn graph() -> String {
    "graph/".into()
}

pub fn page(id: &str) -> String {
    format!("{id}/")
}

pub fn feed() -> String {
    "atom.xml".into()
}

pub fn sitemap() -> String {
    "sitemap.xml".into()
}

pub fn data() -> String {
    "data.json".into()
}

/// The site as one STIX 2.1 bundle.
pub fn stix() -> String {
    "stix.json".into()
}

pub fn search() -> String {
    "search/".into()
}

pub fn not_found() -> String {
    "404.html".into()
}

/// Fragment id of a claim on its briefing page.
pub fn claim_anchor(claim_id: &str) -> String {
    format!("claim-{claim_id}")
}

/// Fragment id of the resolutions section on a briefing page.
pub const RESOLUTIONS_ANCHOR: &str = "briefing-resolutions";

/// Fragment id of a source on its briefing page.
pub fn source_anchor(source_id: &str) -> String {
    format!("source-{source_id}")
}

/// The site path, with any fragment, that an internal link `@/<link>` points at
/// (`briefings/kazan/#c2` -> `briefings/kazan/#claim-c2`); `None` when it names no kind of page.
/// Whether the page exists is content validation's business.
pub fn internal(link: &str) -> Option<String> {
    use crate::model::Target;
    let (target, fragment) = Target::parse(link)?;
    let path = match target {
        Target::Home => home(),
        Target::Briefings => briefings(1),
        Target::Briefing(id, None) => briefing(id),
        Target::Briefing(id, Some(claim)) => return Some(format!("{}#{}", briefing(id), claim_anchor(claim))),
        Target::Actors => actors(),
        Target::Actor(id) => actor(id),
        Target::ClaimType(t) => claim_type(t),
        Target::Forecasts => forecasts(),
        Target::Disputes => disputes(1),
        Target::Timeline => timeline(1),
        Target::Page(id) => page(id),
    };
    // Fragments on other pages are passed through as written.
    Some(match fragment {
        Some(f) => format!("{path}#{f}"),
        None => path,
    })
}

/// The file a site path is written to: pages get `index.html`.
pub fn output_file(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
}

/// The host of an absolute URL, without a leading `www.`: what a reader recognises a source
/// by (`https://www.reuters.com/world/...` is `reuters.com`).
pub fn host(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let host = url.host_str()?.trim_start_matches("www.");
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// Attributes whose value is a URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "action", "poster", "formaction", "xlink:href"];

/// Rewrites every URL attribute under the site root (`href="/reports/actors/x/"`) to a path
/// relative to the page at `site_path` (`href="../../actors/x/"`), so a built site works from
/// any folder, under any base path and from file://. Values are always double-quoted in
/// rendered HTML, and a `"` inside text or attribute values is always escaped, so `="` plus
/// the root only ever starts a URL attribute value.
///
/// Works on the page's bytes: everything it matches or inserts is ASCII, so UTF-8 text passes
/// through unchanged.
pub fn relativize(html: &[u8], root: &str, site_path: &str) -> Vec<u8> {
    let up = "../".repeat(site_path.matches('/').count());
    let needle = format!("=\"{root}");
    let mut out = Vec::with_capacity(html.len() + html.len() / 16);
    let mut last = 0;
    for i in memchr::memmem::find_iter(html, needle.as_bytes()) {
        let rest = &html[i + needle.len()..];
        let attr_ok = URL_ATTRIBUTES.iter().any(|a| {
            html[..i].ends_with(a.as_bytes())
                && !html[..i - a.len()].last().is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'-')
        });
        // `//host/...` is another site, not a path under a root of `/`.
        if !attr_ok || rest.starts_with(b"/") {
            continue;
        }
        out.extend_from_slice(&html[last..i + 2]);
        // A place on this very page (a briefing's claims and sources): its fragment alone.
        if !site_path.is_empty() && rest.starts_with(site_path.as_bytes()) && rest.get(site_path.len()) == Some(&b'#') {
            last = i + needle.len() + site_path.len();
            continue;
        }
        if up.is_empty() && rest.first().is_some_and(|c| matches!(c, b'"' | b'#' | b'?')) {
            out.extend_from_slice(b"./");
        } else {
            out.extend_from_slice(up.as_bytes());
        }
        last = i + needle.len();
    }
    out.extend_from_slice(&html[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_honoured() {
        let u = Urls::new(BaseUrl::parse("https://example.org/reports/").unwrap());
        assert_eq!(u.link(&actor("russia")), "/reports/actors/russia/");
        assert_eq!(u.absolute(&feed()), "https://example.org/reports/atom.xml");
        assert_eq!(output_file(&actor("russia")), "actors/russia/index.html");
        assert_eq!(output_file(&home()), "index.html");
        assert_eq!(output_file(&data()), "data.json");
    }

    #[test]
    fn host_of_a_source_url() {
        assert_eq!(host("https://www.reuters.com/world/x").as_deref(), Some("reuters.com"));
        assert_eq!(host("http://example.org:8080").as_deref(), Some("example.org:8080"));
        assert_eq!(host("https://example.org/").as_deref(), Some("example.org"));
        assert_eq!(host("no-slashes"), None);
        assert_eq!(host("https://user:secret@example.org/x").as_deref(), Some("example.org"), "no credentials");
        assert_eq!(host("https://EXAMPLE.org?q=1").as_deref(), Some("example.org"));
    }

    #[test]
    fn root_links_become_page_relative() {
        let html = r#"<a href="/r/actors/x/">x</a> <img src="/r/a.png"> <a href="/r/">home</a> <a href="/r/#top">t</a> <a href="/other/">o</a> <a data-x="/r/keep/">k</a> <a href="https://e.org/r/">e</a> <form action="/r/search/"></form>"#;
        let relativize =
            |html: &str, root: &str, path: &str| String::from_utf8(relativize(html.as_bytes(), root, path)).unwrap();
        assert_eq!(
            relativize(html, "/r/", "briefings/b1/"),
            r#"<a href="../../actors/x/">x</a> <img src="../../a.png"> <a href="../../">home</a> <a href="../../#top">t</a> <a href="/other/">o</a> <a data-x="/r/keep/">k</a> <a href="https://e.org/r/">e</a> <form action="../../search/"></form>"#
        );
        assert_eq!(relativize(html, "/r/", "").split(' ').nth(5).unwrap(), r#"href="./">home</a>"#);
        // A link into the page itself is its fragment; a longer path is another page.
        let own = r#"<a href="/r/briefings/b1/#claim-c1">c1</a><a href="/r/briefings/b1/x/#y">y</a><a href="/r/briefings/b1/">top</a>"#;
        assert_eq!(
            relativize(own, "/r/", "briefings/b1/"),
            r##"<a href="#claim-c1">c1</a><a href="../../briefings/b1/x/#y">y</a><a href="../../briefings/b1/">top</a>"##
        );
        assert_eq!(
            relativize(r#"<a href="/x/">x</a><a href="//cdn.org/">c</a>"#, "/", ""),
            r#"<a href="x/">x</a><a href="//cdn.org/">c</a>"#
        );
        // Text around the links, in any script, passes through byte for byte.
        assert_eq!(
            relativize(r#"<p>naïve — 東京 <a href="/r/x/">x</a> é"</p>"#, "/r/", "a/"),
            r#"<p>naïve — 東京 <a href="../x/">x</a> é"</p>"#
        );
    }
}
