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
    format!("claims/{id}/")
}

pub fn forecasts() -> String {
    "forecasts/".into()
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

/// The file a site path is written to: pages get `index.html`.
pub fn output_file(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
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
}
