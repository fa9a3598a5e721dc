//! JSON-LD: each page's linked-data block (schema.org), built from the views the page already has.
//!
//! The built-in theme prints it as `json_ld` inside `<script type="application/ld+json">`. It
//! used to be built in `partials/meta.html`, a map per claim and per actor in Tera, which cost a
//! quarter of a build; here it is a few `serde_json` values per page.
//!
//! Types by page: `WebSite` (home), `Report` (briefing, its claims as `Claim` items under
//! `hasPart`, its sources as `CreativeWork` citations), `Country` / `Person` / `Organization` /
//! `NewsMediaOrganization` / `Thing` (dossier, by actor kind, the main entity of a
//! `ProfilePage`), `CollectionPage` (lists: briefing lists with their `Report`s, forecast pages
//! with their `Claim`s), `WebPage` (plain pages, search, 404). Every URL is absolute: the site's
//! origin + a view's URL path.
//!
//! Output rules (shared with the `json_ld` template filter): members that are null, `""` or `[]`
//! are left out, keys are sorted, and `<`, `>`, `&`, U+2028, U+2029 are escaped so that no
//! string can end or confuse the script element.

use super::views::{ActorRef, ActorView, BriefingCard, BriefingView, ClaimView, SiteView};
use serde_json::{Value, json};

/// A dossier's `subjectOf` lists its newest briefings only: big actors have thousands.
pub const SUBJECT_OF_MAX: usize = 50;

/// What a page is about, beyond what every page has (its URL, title, description, section).
pub enum Subject<'v> {
    /// Home (`WebSite`), or a plain page or list with no items of its own.
    Page,
    /// A briefing list: its briefings.
    Reports(&'v [&'v BriefingCard]),
    /// A forecast ledger page: its rows.
    Claims(&'v [&'v ClaimView]),
    Briefing(&'v BriefingView),
    Actor(&'v ActorView),
    /// Made later, only if the page is rendered (see `Renderer::context_deferred`).
    Deferred,
}

/// What every page has, as in its template context.
pub struct Meta<'a> {
    pub canonical_url: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub section: &'a str,
}

/// Sections whose pages are lists (`CollectionPage`); other pages are a `WebPage`.
const COLLECTIONS: &[&str] = &["briefings", "actors", "claims", "forecasts", "disputes", "timeline"];

/// The page's JSON-LD, ready to print inside the script element.
pub fn page(site: &SiteView, meta: &Meta, subject: Subject) -> String {
    let ld = Ld { site };
    let value = match subject {
        Subject::Page if meta.section == "home" => ld.home(),
        Subject::Page | Subject::Deferred => ld.collection(meta, Vec::new()),
        Subject::Reports(cards) => ld.collection(meta, cards.iter().map(|b| ld.report_ref(b)).collect()),
        Subject::Claims(claims) => ld.collection(meta, claims.iter().map(|c| ld.claim(c)).collect()),
        Subject::Briefing(b) => ld.briefing(meta, b),
        Subject::Actor(a) => ld.actor(meta, a),
    };
    script_safe(value)
}

/// A dossier's description: the actor's description as plain text, cut at a whole word when it
/// is longer than `max` characters.
pub fn short_description(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => {
            let head = &text[..end];
            let head = head.rsplit_once(' ').map_or(head, |(words, _)| words);
            format!("{}…", head.trim_end())
        }
    }
}

struct Ld<'a> {
    site: &'a SiteView,
}

impl Ld<'_> {
    fn abs(&self, path: &str) -> String {
        format!("{}{path}", self.site.origin)
    }

    fn website(&self) -> Value {
        let base = &self.site.base_url;
        json!({"@type": "WebSite", "@id": format!("{base}#website"), "name": self.site.title, "url": base})
    }

    fn publisher(&self) -> Value {
        let base = &self.site.base_url;
        json!({"@type": "Organization", "@id": format!("{base}#publisher"), "name": self.site.title, "url": base})
    }

    fn home(&self) -> Value {
        let s = self.site;
        json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "@id": format!("{}#website", s.base_url),
            "name": s.title,
            "url": s.base_url,
            "description": s.description,
            "inLanguage": s.language,
            "publisher": self.publisher(),
        })
    }

    fn collection(&self, meta: &Meta, has_part: Vec<Value>) -> Value {
        let kind = if COLLECTIONS.contains(&meta.section) { "CollectionPage" } else { "WebPage" };
        json!({
            "@context": "https://schema.org",
            "@type": kind,
            "@id": meta.canonical_url,
            "url": meta.canonical_url,
            "name": meta.title,
            "description": meta.description,
            "inLanguage": self.site.language,
            "isPartOf": self.website(),
            "hasPart": has_part,
        })
    }

    fn actor_ref(&self, a: &ActorRef) -> Value {
        let url = self.abs(&a.url);
        json!({"@type": schema_type(&a.kind), "@id": format!("{url}#id"), "name": a.name, "url": url})
    }

    fn report_ref(&self, b: &BriefingCard) -> Value {
        let url = self.abs(&b.url);
        json!({
            "@type": "Report",
            "@id": format!("{url}#report"),
            "headline": b.title,
            "url": url,
            "datePublished": b.date.iso,
        })
    }

    fn claim(&self, c: &ClaimView) -> Value {
        let url = self.abs(&c.url);
        json!({
            "@type": "Claim",
            "@id": url,
            "url": url,
            "identifier": c.global_id,
            "genre": c.type_label,
            "text": c.text,
            "description": c.likelihood.as_ref().map(|l| format!("Likelihood: {} ({})", l.label, l.range)),
            "author": c.by.as_ref().map(|a| self.actor_ref(a)),
            "about": c.about.iter().map(|a| self.actor_ref(a)).collect::<Vec<_>>(),
            "dateCreated": c.date.as_ref().map(|d| &d.iso),
            "datePublished": c.briefing_date.iso,
            "firstAppearance": {"@id": format!("{}#report", self.abs(&c.briefing.url))},
            "citation": c.sources.iter().map(|s| json!({"@id": self.abs(&s.url)})).collect::<Vec<_>>(),
        })
    }

    fn briefing(&self, meta: &Meta, b: &BriefingView) -> Value {
        let canonical = meta.canonical_url;
        let card = &b.card;
        let citations: Vec<Value> = b
            .sources
            .iter()
            .map(|s| {
                json!({
                    "@type": "CreativeWork",
                    "@id": format!("{canonical}#{}", s.anchor),
                    "name": s.title,
                    "url": s.url,
                    "publisher": s.publisher.as_ref().filter(|p| !p.is_empty())
                        .map(|p| json!({"@type": "Organization", "name": p})),
                    "datePublished": s.published.as_ref().map(|d| &d.iso),
                })
            })
            .collect();
        json!({
            "@context": "https://schema.org",
            "@type": "Report",
            "@id": format!("{canonical}#report"),
            "url": canonical,
            "mainEntityOfPage": canonical,
            "headline": card.title,
            "name": card.title,
            "description": card.summary,
            "datePublished": card.date.iso,
            "dateModified": b.updated.as_ref().unwrap_or(&card.date).iso,
            "inLanguage": self.site.language,
            "author": card.authors.iter().map(|n| json!({"@type": "Person", "name": n})).collect::<Vec<_>>(),
            "publisher": self.publisher(),
            "isPartOf": self.website(),
            "about": card.actors.iter().map(|a| self.actor_ref(a)).collect::<Vec<_>>(),
            "keywords": card.tags.join(", "),
            "citation": citations,
            "hasPart": b.claims.iter().map(|c| self.claim(c)).collect::<Vec<_>>(),
        })
    }

    fn actor(&self, meta: &Meta, a: &ActorView) -> Value {
        let canonical = meta.canonical_url;
        let actor = &a.card.actor;
        let country = a.country.as_ref().filter(|c| !c.is_empty() && actor.kind == "state");
        json!({
            "@context": "https://schema.org",
            "@type": schema_type(&actor.kind),
            "@id": format!("{canonical}#id"),
            "name": actor.name,
            "alternateName": a.aliases,
            "description": meta.description,
            "url": canonical,
            "sameAs": [a.wikidata_url],
            "identifier": country.map(|c| json!({"@type": "PropertyValue", "propertyID": "ISO 3166-1 alpha-3", "value": c})),
            "mainEntityOfPage": {
                "@type": "ProfilePage",
                "@id": canonical,
                "url": canonical,
                "name": format!("{} · {}", meta.title, self.site.title),
                "inLanguage": self.site.language,
                "isPartOf": self.website(),
            },
            "subjectOf": a.briefings.iter().take(SUBJECT_OF_MAX).map(|b| self.report_ref(b)).collect::<Vec<_>>(),
        })
    }
}

/// The schema.org type of an actor kind.
fn schema_type(kind: &str) -> &'static str {
    match kind {
        "state" => "Country",
        "person" => "Person",
        "organisation" | "alliance" | "igo" | "armed-group" => "Organization",
        "media" => "NewsMediaOrganization",
        _ => "Thing",
    }
}

/// `json` as compact JSON for a script element: empty members left out, keys sorted, and the
/// characters that matter to an HTML parser (and to JavaScript) escaped.
pub fn script_safe(json: Value) -> String {
    let json = prune(json).unwrap_or(Value::Null);
    let mut out = Vec::new();
    if serde_json::to_writer(Inert(&mut out), &json).is_err() {
        return "null".to_string();
    }
    // serde_json writes UTF-8 and the escapes are ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// Takes JSON text and escapes, as it goes, what matters to an HTML parser or to JavaScript:
/// `<`, `>`, `&`, U+2028 and U+2029 (as `\u003c`...). They occur only inside strings, where
/// the escape means the same, so the text stays the same JSON yet is inert pasted into HTML,
/// in a script element, or served with the wrong type. Escaping while serializing makes a
/// large file (`data.json` is tens of MB on a big site) in one buffer.
pub(super) struct Inert<'a>(pub(super) &'a mut Vec<u8>);

impl std::io::Write for Inert<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // serde_json hands over whole characters, so U+2028 (E2 80 A8) and U+2029 (E2 80 A9)
        // are never split between two calls.
        escape_into(self.0, buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Appends JSON text `json` to `out` with what [`Inert`] escapes escaped. Finds the rare bytes
/// with memchr, so long runs of ordinary text are copied whole.
pub(super) fn escape_into(out: &mut Vec<u8>, json: &[u8]) {
    let mut last = 0;
    let mut from = 0;
    while from < json.len() {
        let rest = &json[from..];
        let next = match (memchr::memchr3(b'<', b'>', b'&', rest), memchr::memchr(0xE2, rest)) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => break,
        };
        let i = from + next;
        let (escaped, len): (&[u8], usize) = match &json[i..] {
            [b'<', ..] => (b"\\u003c", 1),
            [b'>', ..] => (b"\\u003e", 1),
            [b'&', ..] => (b"\\u0026", 1),
            [0xE2, 0x80, 0xA8, ..] => (b"\\u2028", 3),
            [0xE2, 0x80, 0xA9, ..] => (b"\\u2029", 3),
            _ => {
                from = i + 1;
                continue;
            }
        };
        out.extend_from_slice(&json[last..i]);
        out.extend_from_slice(escaped);
        last = i + len;
        from = last;
    }
    out.extend_from_slice(&json[last..]);
}

/// Appends `value` to `out` as compact JSON text that is inert in HTML (see [`Inert`]):
/// serialized whole, then escaped in one pass, much faster for a large file than escaping each
/// of serde_json's small writes. On error, `out` is as it was.
pub(super) fn write_inert<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    let raw = serde_json::to_vec(value)?;
    out.reserve(raw.len() + raw.len() / 64);
    escape_into(out, &raw);
    Ok(())
}

/// `json` without empty members, keys sorted; `None` when `json` itself is empty.
fn prune(json: Value) -> Option<Value> {
    match json {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::Array(items) => {
            let items: Vec<Value> = items.into_iter().filter_map(prune).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(map) => {
            let mut members: Vec<(String, Value)> =
                map.into_iter().filter_map(|(k, v)| prune(v).map(|v| (k, v))).collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            Some(Value::Object(members.into_iter().collect()))
        }
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_could_end_the_script_element() {
        let title = "A </script><script>alert(\"x\")</script> & <!-- 'q' \u{2028}";
        let out = script_safe(json!({"headline": title}));
        assert!(!out.contains('<') && !out.contains('>') && !out.contains('&'), "{out}");
        assert!(out.contains(r"\u003c/script\u003e") && out.contains(r"\u2028"), "{out}");
        let back: Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(back["headline"], title, "the same value after parsing");
    }

    #[test]
    fn leaves_out_empty_members_and_sorts_keys() {
        let none: Option<&str> = None;
        let out = script_safe(
            json!({"z": 1, "@type": "Thing", "a": "", "b": none, "c": [], "d": [none, "x"], "e": {"f": none}}),
        );
        assert_eq!(out, r#"{"@type":"Thing","d":["x"],"e":{},"z":1}"#);
    }

    #[test]
    fn short_descriptions_end_on_a_whole_word() {
        assert_eq!(short_description("short enough", 12), "short enough");
        assert_eq!(short_description("one two three", 9), "one two…");
        assert_eq!(short_description("one two three", 8), "one two…");
        assert_eq!(short_description("Ünïcödé wörds here", 10), "Ünïcödé…");
        assert_eq!(short_description("unbroken", 4), "unbr…");
    }
}
