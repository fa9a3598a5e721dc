//! JSON-LD: each page's linked-data block (schema.org), built from the views the page already has.
//!
//! The built-in theme prints it as `json_ld` inside `<script type="application/ld+json">`. It
//! used to be built in `partials/meta.html`, a map per claim and per actor in Tera, which cost a
//! quarter of a build; here it is written straight into one string per page (`Json`), by the same
//! rules as `script_safe`, the reference the tests hold it to.
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

use super::views::{ActorRef, ActorView, BriefingCard, BriefingView, ClaimView, Shared, SiteView};
use serde_json::Value;

/// A dossier's `subjectOf` lists its newest briefings only: big actors have thousands.
pub const SUBJECT_OF_MAX: usize = 50;

/// What a page is about, beyond what every page has (its URL, title, description, section).
pub enum Subject<'v> {
    /// Home (`WebSite`), or a plain page or list with no items of its own.
    Page,
    /// A briefing list: its briefings.
    Reports(&'v [&'v Shared<BriefingCard>]),
    /// A forecast ledger page: its rows.
    Claims(&'v [&'v Shared<ClaimView>]),
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
const COLLECTIONS: &[&str] = &["briefings", "actors", "claims", "forecasts", "disputes", "timeline", "tags"];

/// The page's JSON-LD, ready to print inside the script element.
pub fn page(site: &SiteView, meta: &Meta, subject: Subject) -> String {
    let ld = Ld { site };
    // Room for a briefing's (about 7 KB) without growing the buffer page by page.
    let mut json = Json { out: Vec::with_capacity(8 << 10) };
    json.object(|o| match subject {
        Subject::Page if meta.section == "home" => ld.home(o),
        Subject::Page | Subject::Deferred => ld.collection(o, meta, |_| {}),
        Subject::Reports(cards) => ld.collection(o, meta, |a| {
            for b in cards {
                a.object(|o| ld.report_ref(o, b));
            }
        }),
        Subject::Claims(claims) => ld.collection(o, meta, |a| {
            for c in claims {
                a.object(|o| ld.claim(o, c));
            }
        }),
        Subject::Briefing(b) => ld.briefing(o, meta, b),
        Subject::Actor(a) => ld.actor(o, meta, a),
    });
    json.finish()
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

// Each object's members are written in key order: `Obj` checks it in debug builds.
impl Ld<'_> {
    fn website(&self, o: &mut Obj) {
        let base = self.site.base_url.as_str();
        o.concat("@id", &[base, "#website"]).str("@type", "WebSite").str("name", &self.site.title).str("url", base);
    }

    fn publisher(&self, o: &mut Obj) {
        let base = self.site.base_url.as_str();
        o.concat("@id", &[base, "#publisher"])
            .str("@type", "Organization")
            .str("name", &self.site.title)
            .str("url", base);
    }

    fn home(&self, o: &mut Obj) {
        let s = self.site;
        o.str("@context", "https://schema.org")
            .concat("@id", &[&s.base_url, "#website"])
            .str("@type", "WebSite")
            .str("description", &s.description)
            .str("inLanguage", &s.language)
            .str("name", &s.title)
            .object("publisher", |o| self.publisher(o))
            .str("url", &s.base_url);
    }

    fn collection(&self, o: &mut Obj, meta: &Meta, has_part: impl FnOnce(&mut Arr)) {
        let kind = if COLLECTIONS.contains(&meta.section) { "CollectionPage" } else { "WebPage" };
        o.str("@context", "https://schema.org")
            .str("@id", meta.canonical_url)
            .str("@type", kind)
            .str("description", meta.description)
            .array("hasPart", has_part)
            .str("inLanguage", &self.site.language)
            .object("isPartOf", |o| self.website(o))
            .str("name", meta.title)
            .str("url", meta.canonical_url);
    }

    fn actor_ref(&self, o: &mut Obj, a: &ActorRef) {
        let origin = self.site.origin.as_str();
        o.concat("@id", &[origin, &a.url, "#id"])
            .str("@type", schema_type(&a.kind))
            .str("name", &a.name)
            .concat("url", &[origin, &a.url]);
    }

    fn report_ref(&self, o: &mut Obj, b: &BriefingCard) {
        let origin = self.site.origin.as_str();
        o.concat("@id", &[origin, &b.url, "#report"])
            .str("@type", "Report")
            .str("datePublished", &b.date.iso)
            .str("headline", &b.title)
            .concat("url", &[origin, &b.url]);
    }

    fn claim(&self, o: &mut Obj, c: &ClaimView) {
        let origin = self.site.origin.as_str();
        o.concat("@id", &[origin, &c.url])
            .str("@type", "Claim")
            .array("about", |a| {
                for actor in &c.about {
                    a.object(|o| self.actor_ref(o, actor));
                }
            })
            .maybe_object("author", c.by.as_ref(), |o, by| self.actor_ref(o, by))
            .array("citation", |a| {
                for s in &c.sources {
                    a.object(|o| {
                        o.concat("@id", &[origin, &s.url]);
                    });
                }
            })
            .maybe_str("dateCreated", c.date.as_ref().map(|d| d.iso.as_str()))
            .str("datePublished", &c.briefing_date.iso);
        if let Some(l) = &c.likelihood {
            o.concat("description", &["Likelihood: ", &l.label, " (", &l.range, ")"]);
        }
        o.object("firstAppearance", |o| {
            o.concat("@id", &[origin, &c.briefing.url, "#report"]);
        })
        .str("genre", &c.type_label)
        .str("identifier", &c.global_id)
        .str("text", &c.text)
        .concat("url", &[origin, &c.url]);
    }

    fn briefing(&self, o: &mut Obj, meta: &Meta, b: &BriefingView) {
        let canonical = meta.canonical_url;
        let card = &b.card;
        o.str("@context", "https://schema.org")
            .concat("@id", &[canonical, "#report"])
            .str("@type", "Report")
            .array("about", |a| {
                for actor in &card.actors {
                    a.object(|o| self.actor_ref(o, actor));
                }
            })
            .array("author", |a| {
                for name in &card.authors {
                    a.object(|o| {
                        o.str("@type", "Person").str("name", name);
                    });
                }
            })
            .array("citation", |a| {
                for s in &b.sources {
                    a.object(|o| {
                        let publisher = s.publisher.as_deref().filter(|p| !p.is_empty());
                        o.concat("@id", &[canonical, "#", &s.anchor])
                            .str("@type", "CreativeWork")
                            .maybe_str("datePublished", s.published.as_ref().map(|d| d.iso.as_str()))
                            .str("name", &s.title)
                            .maybe_object("publisher", publisher, |o, p| {
                                o.str("@type", "Organization").str("name", p);
                            })
                            .maybe_str("url", s.url.as_deref());
                    });
                }
            })
            .str("dateModified", &b.updated.as_ref().unwrap_or(&card.date).iso)
            .str("datePublished", &card.date.iso)
            .str("description", &card.summary)
            .array("hasPart", |a| {
                for c in &b.claims {
                    a.object(|o| self.claim(o, c));
                }
            })
            .str("headline", &card.title)
            .str("inLanguage", &self.site.language)
            .object("isPartOf", |o| self.website(o))
            .joined("keywords", &card.tags, ", ")
            .str("mainEntityOfPage", canonical)
            .str("name", &card.title)
            .object("publisher", |o| self.publisher(o))
            .str("url", canonical);
    }

    fn actor(&self, o: &mut Obj, meta: &Meta, a: &ActorView) {
        let canonical = meta.canonical_url;
        let actor = &a.card.actor;
        let country = a.country.as_deref().filter(|c| !c.is_empty() && actor.kind == "state");
        o.str("@context", "https://schema.org")
            .concat("@id", &[canonical, "#id"])
            .str("@type", schema_type(&actor.kind))
            .array("alternateName", |arr| {
                for alias in &a.aliases {
                    arr.str(alias);
                }
            })
            .str("description", meta.description)
            .maybe_object("identifier", country, |o, c| {
                o.str("@type", "PropertyValue").str("propertyID", "ISO 3166-1 alpha-3").str("value", c);
            })
            .object("mainEntityOfPage", |o| {
                o.str("@id", canonical)
                    .str("@type", "ProfilePage")
                    .str("inLanguage", &self.site.language)
                    .object("isPartOf", |o| self.website(o))
                    .concat("name", &[meta.title, " · ", &self.site.title])
                    .str("url", canonical);
            })
            .str("name", &actor.name)
            .array("sameAs", |arr| {
                if let Some(url) = &a.wikidata_url {
                    arr.str(url);
                }
            })
            .array("subjectOf", |arr| {
                for b in a.briefings.iter().take(SUBJECT_OF_MAX) {
                    arr.object(|o| self.report_ref(o, b));
                }
            })
            .str("url", canonical);
    }
}

/// JSON text written as it is made, by the rules of `script_safe` (empty members left out, keys
/// in order, strings escaped by serde_json and then `Inert`), without a `Value` tree: page
/// JSON-LD is made for every page, and a tree of owned keys and strings cost a third of
/// rendering a briefing. The values are all strings, objects and arrays.
#[derive(Default)]
struct Json {
    out: Vec<u8>,
}

impl Json {
    fn object(&mut self, members: impl FnOnce(&mut Obj)) {
        self.out.push(b'{');
        members(&mut Obj { json: self, empty: true, last: "" });
        self.out.push(b'}');
    }

    fn string(&mut self, s: &str) {
        write_str(&mut self.out, s);
    }

    fn finish(self) -> String {
        // Only whole strings and ASCII are written.
        String::from_utf8(self.out).unwrap_or_default()
    }
}

/// The members of an object being written.
struct Obj<'j> {
    json: &'j mut Json,
    empty: bool,
    /// The last key written, to check that keys come in order (as `prune` sorts them).
    last: &'static str,
}

impl Obj<'_> {
    /// Starts a member (keys need no escaping).
    fn key(&mut self, key: &'static str) {
        debug_assert!(self.last < key, "JSON-LD key {key:?} written after {:?}", self.last);
        self.last = key;
        let out = &mut self.json.out;
        if !self.empty {
            out.push(b',');
        }
        self.empty = false;
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":");
    }

    /// A string member, left out when empty.
    fn str(&mut self, key: &'static str, value: &str) -> &mut Self {
        if !value.is_empty() {
            self.key(key);
            self.json.string(value);
        }
        self
    }

    fn maybe_str(&mut self, key: &'static str, value: Option<&str>) -> &mut Self {
        self.str(key, value.unwrap_or_default())
    }

    /// A string member made of `parts`, left out when they are all empty.
    fn concat(&mut self, key: &'static str, parts: &[&str]) -> &mut Self {
        if parts.iter().any(|p| !p.is_empty()) {
            self.key(key);
            let out = &mut self.json.out;
            out.push(b'"');
            parts.iter().for_each(|p| write_str_contents(out, p));
            out.push(b'"');
        }
        self
    }

    /// The `items` joined by `sep`, left out when that is empty.
    fn joined(&mut self, key: &'static str, items: &[String], sep: &str) -> &mut Self {
        let empty = items.iter().all(String::is_empty) && (items.len() < 2 || sep.is_empty());
        if !empty {
            self.key(key);
            let out = &mut self.json.out;
            out.push(b'"');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    write_str_contents(out, sep);
                }
                write_str_contents(out, item);
            }
            out.push(b'"');
        }
        self
    }

    /// An object member: written even when it has no members (`{}`), as `prune` keeps it.
    fn object(&mut self, key: &'static str, members: impl FnOnce(&mut Obj)) -> &mut Self {
        self.key(key);
        self.json.object(members);
        self
    }

    /// An object member made from `value`, left out when it is `None`.
    fn maybe_object<T>(&mut self, key: &'static str, value: Option<T>, members: impl FnOnce(&mut Obj, T)) -> &mut Self {
        if let Some(value) = value {
            self.object(key, |o| members(o, value));
        }
        self
    }

    /// An array member, left out when no item is written.
    fn array(&mut self, key: &'static str, items: impl FnOnce(&mut Arr)) -> &mut Self {
        let (mark, empty) = (self.json.out.len(), self.empty);
        self.key(key);
        self.json.out.push(b'[');
        let mut arr = Arr { json: self.json, empty: true };
        items(&mut arr);
        if arr.empty {
            self.json.out.truncate(mark);
            self.empty = empty;
        } else {
            self.json.out.push(b']');
        }
        self
    }
}

/// The items of an array being written.
struct Arr<'j> {
    json: &'j mut Json,
    empty: bool,
}

impl Arr<'_> {
    fn comma(&mut self) {
        if !self.empty {
            self.json.out.push(b',');
        }
        self.empty = false;
    }

    /// A string item, left out when empty.
    fn str(&mut self, value: &str) {
        if !value.is_empty() {
            self.comma();
            self.json.string(value);
        }
    }

    fn object(&mut self, members: impl FnOnce(&mut Obj)) {
        self.comma();
        self.json.object(members);
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

/// The bytes that may start what [`Inert`] escapes: `<`, `>`, `&`, and the lead byte of U+2028
/// and U+2029.
fn is_special(b: u8) -> bool {
    matches!(b, b'<' | b'>' | b'&' | 0xE2)
}

/// The escape of what starts `rest`, and how many bytes it replaces, if `rest` starts with
/// something [`Inert`] escapes.
fn inert_escape(rest: &[u8]) -> Option<(&'static [u8], usize)> {
    match rest {
        [b'<', ..] => Some((b"\\u003c", 1)),
        [b'>', ..] => Some((b"\\u003e", 1)),
        [b'&', ..] => Some((b"\\u0026", 1)),
        [0xE2, 0x80, 0xA8, ..] => Some((b"\\u2028", 3)),
        [0xE2, 0x80, 0xA9, ..] => Some((b"\\u2029", 3)),
        _ => None,
    }
}

/// The bytes [`write_str_contents`] stops at: control characters, `"` and `\`, and what
/// may start something [`Inert`] escapes.
static STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let mut b = 0;
    while b < 256 {
        stops[b] = b < 0x20 || matches!(b as u8, b'"' | b'\\' | b'<' | b'>' | b'&' | 0xE2);
        b += 1;
    }
    stops
};

/// Appends `s` as a JSON string, escaped as serde_json escapes it and then as [`Inert`] does,
/// in one pass: page JSON-LD is tens of MB of short strings on a large site.
fn write_str(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    write_str_contents(out, s);
    out.push(b'"');
}

/// [`write_str`] without the quotes. Escapes never span two characters, so the contents of
/// a string written in parts are those of the whole.
fn write_str_contents(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while let Some(next) = bytes[i..].iter().position(|&b| STOPS[usize::from(b)]) {
        i += next;
        let b = bytes[i];
        let control;
        let (escaped, len): (&[u8], usize) = match b {
            b'"' => (b"\\\"", 1),
            b'\\' => (b"\\\\", 1),
            b'\n' => (b"\\n", 1),
            b'\r' => (b"\\r", 1),
            b'\t' => (b"\\t", 1),
            0x08 => (b"\\b", 1),
            0x0C => (b"\\f", 1),
            0x00..0x20 => {
                control = [b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]];
                (&control, 1)
            }
            _ => match inert_escape(&bytes[i..]) {
                Some(e) => e,
                None => {
                    i += 1;
                    continue;
                }
            },
        };
        out.extend_from_slice(&bytes[last..i]);
        out.extend_from_slice(escaped);
        i += len;
        last = i;
    }
    out.extend_from_slice(&bytes[last..]);
}

/// Appends JSON text `json` to `out` with what [`Inert`] escapes escaped. Finds the rare bytes
/// with memchr, so long runs of ordinary text are copied whole.
pub(super) fn escape_into(out: &mut Vec<u8>, json: &[u8]) {
    let mut last = 0;
    let mut from = 0;
    // Where the next `<`, `>` or `&` is, and the next 0xE2 (which may start U+2028 or
    // U+2029), `usize::MAX` when there is none: each is searched for again only once passed,
    // so text full of one is not rescanned for the other.
    let (mut markup, mut e2): (Option<usize>, Option<usize>) = (None, None);
    while from < json.len() {
        let rest = &json[from..];
        let found = if rest.len() < 64 {
            // Short writes (most of serde_json's) are quicker scanned by hand.
            rest.iter().position(|&b| is_special(b)).map(|i| from + i)
        } else {
            let next = |found: Option<usize>| found.map_or(usize::MAX, |i| from + i);
            if markup.is_none_or(|m| m < from) {
                markup = Some(next(memchr::memchr3(b'<', b'>', b'&', rest)));
            }
            if e2.is_none_or(|e| e < from) {
                e2 = Some(next(memchr::memchr(0xE2, rest)));
            }
            markup.min(e2).filter(|&i| i != usize::MAX)
        };
        let Some(i) = found else { break };
        let Some((escaped, len)) = inert_escape(&json[i..]) else {
            from = i + 1;
            continue;
        };
        out.extend_from_slice(&json[last..i]);
        out.extend_from_slice(escaped);
        last = i + len;
        from = last;
    }
    out.extend_from_slice(&json[last..]);
}

/// Appends `value` to `out` as compact JSON text that is inert in HTML (see [`Inert`]).
/// serde_json's many small writes are gathered into chunks and each chunk is escaped in one
/// pass ([`escape_into`]), so a large file is neither escaped write by write nor held twice,
/// unescaped and escaped. On error, `out` is as it was.
pub(super) fn write_inert<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    let start = out.len();
    let mut chunks = InertChunks { out, chunk: Vec::with_capacity(InertChunks::SIZE + 4096) };
    let result = serde_json::to_writer(&mut chunks, value);
    chunks.flush_chunk(true);
    if result.is_err() {
        chunks.out.truncate(start);
    }
    result
}

/// A writer that escapes what it is given into `out` a chunk at a time.
struct InertChunks<'o> {
    out: &'o mut Vec<u8>,
    chunk: Vec<u8>,
}

impl InertChunks<'_> {
    const SIZE: usize = 64 * 1024;

    /// Escapes the gathered bytes into `out`; unless `all`, keeps back the start of a character
    /// cut at the end (an escape spans a whole character).
    fn flush_chunk(&mut self, all: bool) {
        let keep = if all { 0 } else { cut_char(&self.chunk) };
        let n = self.chunk.len() - keep;
        escape_into(self.out, &self.chunk[..n]);
        self.chunk.drain(..n);
    }
}

impl std::io::Write for InertChunks<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.chunk.extend_from_slice(bytes);
        if self.chunk.len() >= Self::SIZE {
            self.flush_chunk(false);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How many bytes at the end of `bytes` begin a UTF-8 character that `bytes` cuts short.
fn cut_char(bytes: &[u8]) -> usize {
    for back in 1..=bytes.len().min(3) {
        let b = bytes[bytes.len() - back];
        if b & 0xC0 != 0x80 {
            // A lead byte (or ASCII): its character's length against the bytes there are.
            let len = match b {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            };
            return if len > back { back } else { 0 };
        }
    }
    0
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
    use super::super::views::{ActorCard, ClaimSourceView, DateView, LikelihoodView, LinkView, PageClaim, SourceView};
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// Page JSON-LD as it was made before `Json`: a `Value` tree through `script_safe`.
    mod reference {
        use super::super::{COLLECTIONS, Meta, SUBJECT_OF_MAX, Subject, schema_type, script_safe};
        use crate::render::views::{ActorRef, ActorView, BriefingCard, BriefingView, ClaimView, SiteView};
        use serde_json::{Value, json};

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
    }

    /// Views from a stream of choices: each string is one of a few, empty and awkward ones
    /// included, each option may be `None` and each list has up to two items.
    struct Pick<'a>(std::slice::Iter<'a, u8>);

    impl Pick<'_> {
        fn n(&mut self, max: u8) -> u8 {
            self.0.next().map_or(0, |b| b % (max + 1))
        }

        fn s(&mut self) -> String {
            ["", "x", "a b", "<&> \u{2028}\u{2029} \"\\\n\t\u{1}\u{7f} é"][self.n(3) as usize].to_string()
        }

        fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
            (self.n(1) == 1).then(|| f(self))
        }

        fn list<T>(&mut self, mut f: impl FnMut(&mut Self) -> T) -> Vec<T> {
            (0..self.n(2)).map(|_| f(self)).collect()
        }

        fn date(&mut self) -> DateView {
            DateView { iso: self.s(), display: String::new() }
        }

        fn kind(&mut self) -> String {
            ["state", "person", "media", ""][self.n(3) as usize].to_string()
        }

        fn site(&mut self) -> SiteView {
            let mut s = || self.s();
            SiteView {
                title: s(),
                description: s(),
                base_url: s(),
                origin: s(),
                root: String::new(),
                language: s(),
                generator: String::new(),
                claim_types: Vec::new(),
                pages: Vec::new(),
                feed_url: String::new(),
                data_url: String::new(),
                home_url: String::new(),
                briefings_url: String::new(),
                actors_url: String::new(),
                forecasts_url: String::new(),
                judgments_url: String::new(),
                disputes_url: String::new(),
                timeline_url: String::new(),
                search_url: String::new(),
                graph_url: String::new(),
                tags_url: String::new(),
            }
        }

        fn actor_ref(&mut self) -> ActorRef {
            let (name, kind, url) = (self.s(), self.kind(), self.s());
            ActorRef::new(String::new(), name, kind, url)
        }

        fn card(&mut self) -> BriefingCard {
            BriefingCard {
                id: String::new(),
                title: self.s(),
                url: self.s(),
                date: self.date(),
                summary: self.s(),
                authors: self.list(Self::s),
                actors: self.list(Self::actor_ref),
                tags: self.list(Self::s),
                tag_links: Vec::new(),
                claim_count: 0,
                draft: false,
            }
        }

        fn claim(&mut self) -> ClaimView {
            ClaimView {
                id: String::new(),
                global_id: self.s(),
                anchor: String::new(),
                url: self.s(),
                r#type: String::new(),
                type_label: self.s(),
                text_html: String::new(),
                text: self.s(),
                quote: None,
                by: self.opt(Self::actor_ref),
                about: self.list(Self::actor_ref),
                date: self.opt(Self::date),
                sources: self.list(|p| ClaimSourceView {
                    id: String::new(),
                    title: String::new(),
                    grade: String::new(),
                    url: p.s(),
                }),
                confidence: None,
                likelihood: self.opt(|p| LikelihoodView { term: String::new(), label: p.s(), range: p.s() }),
                probability: None,
                resolves_by: None,
                status: None,
                scoring_probability: None,
                due_soon: false,
                contested: false,
                resolution: None,
                condition: None,
                disputes: Vec::new(),
                disputed_by: Vec::new(),
                supports: Vec::new(),
                supported_by: Vec::new(),
                indicators: Vec::new(),
                briefing: LinkView { title: String::new(), url: self.s() },
                briefing_date: self.date(),
                question: None,
                updated_from: None,
                superseded_by: None,
                revised_from: None,
                revised_by: None,
                change_html: None,
                judgment_url: None,
                alternatives: Vec::new(),
            }
        }

        fn briefing(&mut self) -> BriefingView {
            BriefingView {
                card: self.card(),
                updated: self.opt(Self::date),
                key_takeaways: Vec::new(),
                content_html: String::new(),
                claims: self.list(|p| PageClaim { view: Shared::new(p.claim()), value: None }),
                claim_groups: Vec::new(),
                sources: self.list(|p| SourceView {
                    id: String::new(),
                    anchor: p.s(),
                    title: p.s(),
                    publisher: p.opt(Self::s),
                    url: p.opt(Self::s),
                    host: None,
                    published: p.opt(Self::date),
                    reliability: None,
                    reliability_label: None,
                }),
                resolutions: Vec::new(),
                prev: None,
                next: None,
            }
        }

        fn actor(&mut self) -> ActorView {
            ActorView {
                card: ActorCard {
                    actor: self.actor_ref(),
                    kind_label: String::new(),
                    parent: None,
                    briefing_count: 0,
                    claim_count: 0,
                },
                feed_url: String::new(),
                description_html: String::new(),
                aliases: self.list(Self::s),
                country: self.opt(Self::s),
                wikidata: None,
                wikidata_url: self.opt(Self::s),
                children: Vec::new(),
                relations: Vec::new(),
                related: Vec::new(),
                briefings: self.list(|p| Shared::new(p.card())),
                claims_by: Vec::new(),
                claims_about: Vec::new(),
                claims_url: String::new(),
                involved_count: 0,
                disputes: Vec::new(),
                dispute_count: 0,
                forecasts_open: Vec::new(),
                forecasts_resolved: Vec::new(),
                forecast_counts: (0, 0),
                timeline: Vec::new(),
                timeline_count: 0,
                timeline_more: None,
                ego: None,
                judgments: Vec::new(),
            }
        }
    }

    proptest! {
        /// Written as it goes, page JSON-LD is the same text as the `Value` tree `script_safe`
        /// prunes, sorts and escapes, for every kind of page and any member empty or missing.
        #[test]
        fn page_is_what_script_safe_makes_of_the_tree(choices in proptest::collection::vec(any::<u8>(), 0..600)) {
            let mut p = Pick(choices.iter());
            let which = p.n(5);
            let site = p.site();
            let strings = [p.s(), p.s(), p.s()];
            let section = ["home", "briefings", "about", ""][p.n(3) as usize];
            let meta = Meta { canonical_url: &strings[0], title: &strings[1], description: &strings[2], section };
            // Only the subject's views take choices, so that they are not all used up before.
            let cards = if which == 2 { p.list(|p| Shared::new(p.card())) } else { Vec::new() };
            let claims = if which == 3 { p.list(|p| Shared::new(p.claim())) } else { Vec::new() };
            let briefing = if which == 4 { p.briefing() } else { Pick([].iter()).briefing() };
            let actor = p.actor();
            let card_refs: Vec<&Shared<BriefingCard>> = cards.iter().collect();
            let claim_refs: Vec<&Shared<ClaimView>> = claims.iter().collect();
            let subject = || match which {
                0 => Subject::Page,
                1 => Subject::Deferred,
                2 => Subject::Reports(&card_refs),
                3 => Subject::Claims(&claim_refs),
                4 => Subject::Briefing(&briefing),
                _ => Subject::Actor(&actor),
            };
            prop_assert_eq!(page(&site, &meta, subject()), reference::page(&site, &meta, subject()));
        }
    }

    proptest! {
        /// `Inert` skips text eight bytes at a time: it escapes the same as replacing each
        /// character in turn, wherever in a word the characters fall.
        #[test]
        fn inert_escapes_each_character(s in "[a<>&\u{2028}\u{2029}\u{2027}\u{20ac}\u{e2}\u{2a80}é\"]{0,40}") {
            let mut out = Vec::new();
            std::io::Write::write_all(&mut Inert(&mut out), s.as_bytes()).expect("writes to a Vec");
            let expected = s
                .replace('&', r"\u0026")
                .replace('<', r"\u003c")
                .replace('>', r"\u003e")
                .replace('\u{2028}', r"\u2028")
                .replace('\u{2029}', r"\u2029");
            prop_assert_eq!(String::from_utf8(out).expect("UTF-8"), expected);
        }
    }

    /// Each character replaced in turn: what [`escape_into`] and [`write_inert`] must match.
    fn inert_by_hand(s: &str) -> String {
        s.replace('&', r"\u0026")
            .replace('<', r"\u003c")
            .replace('>', r"\u003e")
            .replace('\u{2028}', r"\u2028")
            .replace('\u{2029}', r"\u2029")
    }

    proptest! {
        /// Long text is searched with memchr for markup and for 0xE2 separately; the two
        /// searches interleave in any order.
        #[test]
        fn escape_into_matches_replacing_each_character(
            s in "([a<>&\u{2028}\u{2029}\u{2027}\u{e2}é]|[a-z ]{0,90}){0,60}"
        ) {
            let mut out = b"[".to_vec();
            escape_into(&mut out, s.as_bytes());
            prop_assert_eq!(String::from_utf8(out).expect("UTF-8"), format!("[{}", inert_by_hand(&s)));
        }
    }

    #[test]
    fn write_inert_escapes_across_chunks_and_undoes_a_failed_write() {
        // Far more than one chunk, with every escaped character and multi-byte ones throughout.
        let items: Vec<String> =
            (0..20_000).map(|i| format!("{i} <b>&</b> \u{2028}\u{2029} — ’ é {}", "x".repeat(i % 7))).collect();
        let mut out = b"x=".to_vec();
        write_inert(&mut out, &items).expect("serializes");
        let raw = serde_json::to_string(&items).expect("serializes");
        assert_eq!(String::from_utf8(out).expect("UTF-8"), format!("x={}", inert_by_hand(&raw)));

        struct Fails;
        impl serde::Serialize for Fails {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        let mut out = b"x=".to_vec();
        assert!(write_inert(&mut out, &(items, Fails)).is_err());
        assert_eq!(out, b"x=");
    }

    #[test]
    fn a_chunk_keeps_back_a_cut_character() {
        assert_eq!(cut_char(b""), 0);
        assert_eq!(cut_char(b"ab"), 0);
        assert_eq!(cut_char("a\u{2028}".as_bytes()), 0);
        assert_eq!(cut_char(&"a\u{2028}".as_bytes()[..3]), 2);
        assert_eq!(cut_char(&"a\u{2028}".as_bytes()[..2]), 1);
        assert_eq!(cut_char(&"é".as_bytes()[..1]), 1);
        assert_eq!(cut_char(&"😀".as_bytes()[..3]), 3);
    }

    #[test]
    fn escapes_like_serde_json_then_inert() {
        let every_char: String = (0..=0x3000u32).chain([0xfeff, 0x10ffff]).filter_map(char::from_u32).collect();
        let mut json = Json::default();
        json.string(&every_char);
        assert_eq!(json.finish(), script_safe(json!(every_char)));
    }

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
