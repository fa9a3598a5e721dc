//! JSON-LD: each page's linked-data block (schema.org), built from the views the page already has.
//!
//! The built-in theme prints it as `json_ld` inside `<script type="application/ld+json">`. It
//! used to be built in `partials/meta.html`, a map per claim and per actor in Tera, which cost a
//! quarter of a build; here each page's nodes are borrowed from its views into the structs
//! below and serialized once through [`super::json`].
//!
//! Types by page: `WebSite` (home), `Report` (briefing, its claims as `Claim` items under
//! `hasPart`, its sources as `CreativeWork` citations), `Country` / `Person` / `Organization` /
//! `NewsMediaOrganization` / `Thing` (dossier, by actor kind, the main entity of a
//! `ProfilePage`), `CollectionPage` (lists: briefing lists with their `Report`s, forecast pages
//! with their `Claim`s), `WebPage` (plain pages, search, 404). Every URL is absolute: the site's
//! origin + a view's URL path.
//!
//! Output rules (shared with the `json_ld` template filter): members that are null, `""` or `[]`
//! are left out, keys are sorted (each struct declares its fields in key order; a test checks
//! every page), and `<`, `>`, `&`, U+2028, U+2029 are escaped so that no string can end or
//! confuse the script element. An actor is described once per page, where it first appears,
//! and named by its `@id` after that: JSON-LD merges nodes that share an `@id`, so a claim
//! that refers to its author by `@id` says what it said with the author written out.

use super::views::{ActorRef, ActorView, BriefingCard, BriefingView, ClaimView, Shared, SiteView};
use rustc_hash::FxHashSet;
use serde::{Serialize, Serializer};
use std::fmt::{self, Display};

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
    let mut ld = Ld { site, origin: &site.origin, described: FxHashSet::default() };
    let written = match subject {
        Subject::Page if meta.section == "home" => to_string(&ld.home()),
        Subject::Page | Subject::Deferred => to_string(&ld.collection::<ReportRef>(meta, Vec::new())),
        Subject::Reports(cards) => {
            let parts = cards.iter().map(|b| ld.report_ref(b)).collect();
            to_string(&ld.collection(meta, parts))
        }
        Subject::Claims(claims) => {
            let parts = claims.iter().map(|c| ld.claim(c)).collect();
            to_string(&ld.collection(meta, parts))
        }
        Subject::Briefing(b) => to_string(&ld.briefing(meta, b)),
        Subject::Actor(a) => to_string(&ld.actor_page(meta, a)),
    };
    written.unwrap_or_else(|_| "null".to_string())
}

fn to_string<T: Serialize>(node: &T) -> serde_json::Result<String> {
    super::json::to_string(node)
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

/// Makes a page's nodes, borrowing from its views.
struct Ld<'a> {
    site: &'a SiteView,
    origin: &'a str,
    /// The URLs of the actors described so far on this page: the next mention is by `@id`.
    described: FxHashSet<&'a str>,
}

impl<'a> Ld<'a> {
    fn website(&self) -> Organisation<'a> {
        let base = self.site.base_url.as_str();
        Organisation { id: Cat([base, "#website"]), kind: "WebSite", name: &self.site.title, url: base }
    }

    fn publisher(&self) -> Organisation<'a> {
        let base = self.site.base_url.as_str();
        Organisation { id: Cat([base, "#publisher"]), kind: "Organization", name: &self.site.title, url: base }
    }

    fn home(&self) -> Home<'a> {
        let s = self.site;
        Home {
            context: SCHEMA_ORG,
            id: Cat([&s.base_url, "#website"]),
            kind: "WebSite",
            description: &s.description,
            in_language: &s.language,
            name: &s.title,
            publisher: self.publisher(),
            url: &s.base_url,
        }
    }

    fn collection<Part>(&self, meta: &'a Meta<'a>, has_part: Vec<Part>) -> Collection<'a, Part> {
        let kind = if COLLECTIONS.contains(&meta.section) { "CollectionPage" } else { "WebPage" };
        Collection {
            context: SCHEMA_ORG,
            id: meta.canonical_url,
            kind,
            description: meta.description,
            has_part,
            in_language: &self.site.language,
            is_part_of: self.website(),
            name: meta.title,
            url: meta.canonical_url,
        }
    }

    /// The actor in full if this page has not described it yet, else its `@id`.
    fn actor(&mut self, a: &'a ActorRef) -> Actor<'a> {
        let id = Cat([self.origin, &a.url, "#id"]);
        if !self.described.insert(&a.url) {
            return Actor::Named { id };
        }
        Actor::Described { id, kind: schema_type(&a.kind), name: &a.name, url: Cat([self.origin, &a.url]) }
    }

    fn report_ref(&self, b: &'a BriefingCard) -> ReportRef<'a> {
        ReportRef {
            id: Cat([self.origin, &b.url, "#report"]),
            kind: "Report",
            date_published: &b.date.iso,
            headline: &b.title,
            url: Cat([self.origin, &b.url]),
        }
    }

    fn claim(&mut self, c: &'a ClaimView) -> Claim<'a> {
        let origin = self.origin;
        // `about` before `author`: the order they are written in, so the first is in full.
        let about = c.about.iter().map(|a| self.actor(a)).collect();
        let author = c.by.as_ref().map(|a| self.actor(a));
        Claim {
            id: Cat([origin, &c.url]),
            kind: "Claim",
            about,
            author,
            citation: c.sources.iter().map(|s| Id { id: Cat([origin, &s.url]) }).collect(),
            date_created: c.date.as_ref().map_or("", |d| &d.iso),
            date_published: &c.briefing_date.iso,
            description: c.likelihood.as_ref().map(|l| Cat(["Likelihood: ", &l.label, " (", &l.range, ")"])),
            first_appearance: Id { id: Cat([origin, &c.briefing.url, "#report"]) },
            genre: &c.type_label,
            identifier: &c.global_id,
            text: &c.text,
            url: Cat([origin, &c.url]),
        }
    }

    fn briefing(&mut self, meta: &'a Meta<'a>, b: &'a BriefingView) -> Report<'a> {
        let canonical = meta.canonical_url;
        let card = &b.card;
        let about = card.actors.iter().map(|a| self.actor(a)).collect();
        let citation = b
            .sources
            .iter()
            .map(|s| Source {
                id: Cat([canonical, "#", &s.anchor]),
                kind: "CreativeWork",
                date_published: s.published.as_ref().map_or("", |d| &d.iso),
                name: &s.title,
                publisher: s
                    .publisher
                    .as_deref()
                    .filter(|p| !p.is_empty())
                    .map(|name| Person { kind: "Organization", name }),
                url: s.url.as_deref().unwrap_or_default(),
            })
            .collect();
        let has_part = b.claims.iter().map(|c| self.claim(c)).collect();
        Report {
            context: SCHEMA_ORG,
            id: Cat([canonical, "#report"]),
            kind: "Report",
            about,
            author: card.authors.iter().map(|name| Person { kind: "Person", name }).collect(),
            citation,
            date_modified: &b.updated.as_ref().unwrap_or(&card.date).iso,
            date_published: &card.date.iso,
            description: &card.summary,
            has_part,
            headline: &card.title,
            in_language: &self.site.language,
            is_part_of: self.website(),
            keywords: Joined(&card.tags, ", "),
            main_entity_of_page: canonical,
            name: &card.title,
            publisher: self.publisher(),
            url: canonical,
        }
    }

    fn actor_page(&self, meta: &'a Meta<'a>, a: &'a ActorView) -> ActorPage<'a> {
        let canonical = meta.canonical_url;
        let actor = &a.card.actor;
        let country = a.country.as_deref().filter(|c| !c.is_empty() && actor.kind == "state");
        ActorPage {
            context: SCHEMA_ORG,
            id: Cat([canonical, "#id"]),
            kind: schema_type(&actor.kind),
            alternate_name: a.aliases.iter().map(String::as_str).filter(|s| !s.is_empty()).collect(),
            description: meta.description,
            identifier: country.map(|value| PropertyValue {
                kind: "PropertyValue",
                property_id: "ISO 3166-1 alpha-3",
                value,
            }),
            main_entity_of_page: ProfilePage {
                id: canonical,
                kind: "ProfilePage",
                in_language: &self.site.language,
                is_part_of: self.website(),
                name: Cat([meta.title, " · ", &self.site.title]),
                url: canonical,
            },
            name: &actor.name,
            same_as: a.wikidata_url.as_deref().filter(|u| !u.is_empty()).into_iter().collect(),
            subject_of: a.briefings.iter().take(SUBJECT_OF_MAX).map(|b| self.report_ref(b)).collect(),
            url: canonical,
        }
    }
}

const SCHEMA_ORG: &str = "https://schema.org";

/// A string made of parts (an origin, a path, a fragment), written without joining them first;
/// left out when every part is empty.
#[derive(Clone, Copy)]
struct Cat<'a, const N: usize>([&'a str; N]);

impl<const N: usize> Cat<'_, N> {
    fn is_empty(&self) -> bool {
        self.0.iter().all(|p| p.is_empty())
    }
}

impl<const N: usize> Display for Cat<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|p| f.write_str(p))
    }
}

impl<const N: usize> Serialize for Cat<'_, N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Strings joined by a separator (a briefing's tags as `keywords`); left out when that makes
/// an empty string.
struct Joined<'a>(&'a [String], &'static str);

impl Joined<'_> {
    fn is_empty(&self) -> bool {
        self.0.iter().all(String::is_empty) && (self.0.len() < 2 || self.1.is_empty())
    }
}

impl Display for Joined<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(self.1)?;
            }
            f.write_str(item)?;
        }
        Ok(())
    }
}

impl Serialize for Joined<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

// The nodes. Fields are declared in the order of their JSON keys (byte order: `@` first,
// capitals before small letters), so that every object's keys are sorted.

#[derive(Serialize)]
struct Id<'a, const N: usize> {
    #[serde(rename = "@id", skip_serializing_if = "Cat::is_empty")]
    id: Cat<'a, N>,
}

/// The site as `WebSite` or as `Organization` (the publisher).
#[derive(Serialize)]
struct Organisation<'a> {
    #[serde(rename = "@id", skip_serializing_if = "Cat::is_empty")]
    id: Cat<'a, 2>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
}

/// A `Person`, or an `Organization` known by name only (a source's publisher).
#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
}

/// An actor where a page mentions it: described the first time, named by `@id` after.
#[derive(Serialize)]
#[serde(untagged)]
enum Actor<'a> {
    Described {
        #[serde(rename = "@id", skip_serializing_if = "Cat::is_empty")]
        id: Cat<'a, 3>,
        #[serde(rename = "@type")]
        kind: &'static str,
        #[serde(skip_serializing_if = "str::is_empty")]
        name: &'a str,
        #[serde(skip_serializing_if = "Cat::is_empty")]
        url: Cat<'a, 2>,
    },
    Named {
        #[serde(rename = "@id", skip_serializing_if = "Cat::is_empty")]
        id: Cat<'a, 3>,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Home<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id", skip_serializing_if = "Cat::is_empty")]
    id: Cat<'a, 2>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
    publisher: Organisation<'a>,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Collection<'a, Part> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id", skip_serializing_if = "str::is_empty")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    has_part: Vec<Part>,
    #[serde(skip_serializing_if = "str::is_empty")]
    in_language: &'a str,
    is_part_of: Organisation<'a>,
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportRef<'a> {
    #[serde(rename = "@id", skip_serializing_if = "Cat::is_empty")]
    id: Cat<'a, 3>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    date_published: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    headline: &'a str,
    #[serde(skip_serializing_if = "Cat::is_empty")]
    url: Cat<'a, 2>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Claim<'a> {
    #[serde(rename = "@id", skip_serializing_if = "Cat::is_empty")]
    id: Cat<'a, 2>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<Actor<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Actor<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citation: Vec<Id<'a, 2>>,
    #[serde(skip_serializing_if = "str::is_empty")]
    date_created: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    date_published: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Cat<'a, 5>>,
    first_appearance: Id<'a, 3>,
    #[serde(skip_serializing_if = "str::is_empty")]
    genre: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    identifier: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    text: &'a str,
    #[serde(skip_serializing_if = "Cat::is_empty")]
    url: Cat<'a, 2>,
}

/// A briefing's source, cited by its report.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Source<'a> {
    #[serde(rename = "@id", skip_serializing_if = "Cat::is_empty")]
    id: Cat<'a, 3>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    date_published: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Person<'a>>,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id", skip_serializing_if = "Cat::is_empty")]
    id: Cat<'a, 2>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<Actor<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Person<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citation: Vec<Source<'a>>,
    #[serde(skip_serializing_if = "str::is_empty")]
    date_modified: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    date_published: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    has_part: Vec<Claim<'a>>,
    #[serde(skip_serializing_if = "str::is_empty")]
    headline: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    in_language: &'a str,
    is_part_of: Organisation<'a>,
    #[serde(skip_serializing_if = "Joined::is_empty")]
    keywords: Joined<'a>,
    #[serde(skip_serializing_if = "str::is_empty")]
    main_entity_of_page: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
    publisher: Organisation<'a>,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
}

#[derive(Serialize)]
struct PropertyValue<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "propertyID")]
    property_id: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProfilePage<'a> {
    #[serde(rename = "@id", skip_serializing_if = "str::is_empty")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    in_language: &'a str,
    is_part_of: Organisation<'a>,
    #[serde(skip_serializing_if = "Cat::is_empty")]
    name: Cat<'a, 3>,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ActorPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id", skip_serializing_if = "Cat::is_empty")]
    id: Cat<'a, 2>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alternate_name: Vec<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<PropertyValue<'a>>,
    main_entity_of_page: ProfilePage<'a>,
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    subject_of: Vec<ReportRef<'a>>,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_descriptions_end_on_a_whole_word() {
        assert_eq!(short_description("short enough", 12), "short enough");
        assert_eq!(short_description("one two three", 9), "one two…");
        assert_eq!(short_description("one two three", 8), "one two…");
        assert_eq!(short_description("Ünïcödé wörds here", 10), "Ünïcödé…");
        assert_eq!(short_description("unbroken", 4), "unbr…");
    }
}
