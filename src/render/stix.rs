//! `/stix.json`: the whole site as one STIX 2.1 bundle, for threat-intelligence platforms
//! (OpenCTI, MISP, ...) to import.
//!
//! The mapping (docs/publishing.md says why each choice was made):
//! - an actor is a `location` when it is a state with a country, otherwise an `identity` whose
//!   `identity_class` follows its kind; a non-state actor with a country is `located-at` that
//!   country's state (or a bare `location` for the country when the site has no such state);
//! - a briefing is a `report` (published on its date, described by its summary, covering its
//!   actors, claims and claim relations, referencing its URL and its sources');
//! - a claim is a `note` on its report and actors; dossier relations, `parent`, and claims'
//!   `disputes` and `supports` are `relationship`s;
//! - what STIX has no property for (claim type, likelihood, probability, source grades,
//!   resolutions, aliases, ...) goes in a property extension, defined once by the
//!   `extension-definition` object every bundle carries.
//!
//! Ids are UUIDv5 of a name made of the site's base URL, a kind and the content's id, so a
//! platform that imports the bundle again updates its objects instead of adding copies. Every
//! timestamp comes from the content (briefing dates), never from the clock or the build's day;
//! forecast status that depends on the day (open or overdue) is left out for the same reason.
//! The bundle is written object by object, never held as a JSON tree.

use super::json;
use super::{markdown, urls};
use crate::config::Config;
use crate::model::{ActorIx, ActorKind, BriefingIx, ClaimIx, Confidence, Site, Status, countries};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use urls::Urls;
use uuid::Uuid;

const SPEC_VERSION: &str = "2.1";

/// The extension definition for sitpress's own properties. Fixed, not derived from the site:
/// the same definition serves every sitpress site, so a platform learns it once.
pub const EXTENSION_ID: &str = "extension-definition--736a505a-c45b-46ca-bbec-1c012173d01c";
/// sitpress itself, the creator of the extension definition.
const SITPRESS_ID: &str = "identity--348d3e3e-c29f-4f35-b6ff-ff8dd7678973";
/// When version 1.0.0 of the extension was defined (2026-12-01T00:00:00Z).
const EXTENSION_DATE: Stamp = Stamp(1_796_083_200);
const EXTENSION_VERSION: &str = "1.0.0";

const EXTENSION_SCHEMA: &str = "sitpress situation-report properties, version 1.0.0. A property extension; \
every property is optional unless marked required. \
On a note (a claim of a briefing): claim_id (required; `<briefing id>#<claim id>`), claim_type (required; \
report, statement, denial, assessment, assumption, forecast or a type the site defines), quote (the words quoted), \
by_ref (the actor who made a statement or denial), about_refs (the actors it is about), date (when the event happened, \
as written), confidence (the analyst's confidence: low, moderate or high; also in the note's confidence as 15, 50 or 85), \
likelihood (an ICD 203 term: almost-no-chance 1-5%, very-unlikely 5-20%, unlikely 20-45%, roughly-even-chance 45-55%, \
likely 55-80%, very-likely 80-95%, almost-certain 95-99%), probability (0 to 1, within the term's range), resolves_by \
(a forecast's deadline, YYYY-MM-DD), condition_ref (the forecast this one is conditional on), indicators (what to watch), \
sources (the sources cited: source_id, reliability A-F and credibility 1-6 on the Admiralty scale), outcome (a resolved \
forecast's outcome: yes, no, ambiguous or annulled), resolved_in_ref (the report that resolved it), evidence_refs (the \
notes it was resolved on), resolution_note. \
On a report (a briefing): briefing_id (required), authors, key_takeaways, sources (each: source_id, title, publisher, url, \
published YYYY-MM-DD, reliability A-F on the Admiralty scale). \
On an identity or location (an actor): actor_id (required), kind (required: state, person, organisation, alliance, igo, \
armed-group, media or other), aliases, country (ISO 3166-1 alpha-3), wikidata (a Wikidata item id). \
On a relationship from an actor's dossier: relation (required: the dossier's relation type, or parent), from_date and \
to_date (the period as written: YYYY, YYYY-MM or YYYY-MM-DD).";

/// The file's bytes: the bundle, compact, escaped for HTML like `data.json`.
pub fn bundle_json(site: &Site, config: &Config) -> Vec<u8> {
    let plain: Vec<std::sync::Arc<str>> = site.claims.iter().map(|c| markdown::plain_text(&c.text).into()).collect();
    bundle_json_with(site, config, &plain)
}

/// [`bundle_json`] with every claim's text as plain text already at hand.
pub(super) fn bundle_json_with(site: &Site, config: &Config, plain: &[std::sync::Arc<str>]) -> Vec<u8> {
    let stix = Stix::new(site, config, plain);
    let mut out = Vec::with_capacity(256 * (site.claims.len() + site.actors.len() + site.briefings.len()) + 8192);
    if json::write(&mut out, &stix).is_err() {
        out.extend_from_slice(b"null");
    }
    out.push(b'\n');
    out
}

/// A STIX timestamp, seconds since the epoch, written with millisecond precision
/// (`2024-10-24T00:00:00.000Z`) as STIX asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Stamp(i64);

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ts = jiff::Timestamp::from_second(self.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let t = ts.to_zoned(jiff::tz::TimeZone::UTC).datetime();
        s.collect_str(&format_args!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ))
    }
}

/// When an object was created and last modified.
#[derive(Debug, Clone, Copy)]
struct Span {
    created: Stamp,
    modified: Stamp,
}

impl Span {
    const EPOCH: Span = Span { created: Stamp(0), modified: Stamp(0) };

    /// The span covering `spans`, or the epoch for none.
    fn covering(spans: impl Iterator<Item = Span>) -> Span {
        spans
            .reduce(|a, b| Span { created: a.created.min(b.created), modified: a.modified.max(b.modified) })
            .unwrap_or(Span::EPOCH)
    }
}

/// What an actor is in STIX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActorObject {
    /// A state with a country: a `location` with this ISO 3166-1 alpha-2 code.
    Location(&'static str),
    /// An `identity` of this `identity_class`.
    Identity(&'static str),
}

fn actor_object(kind: ActorKind, country: Option<&str>) -> ActorObject {
    match kind {
        ActorKind::State => match country.and_then(countries::alpha2) {
            Some(alpha2) => ActorObject::Location(alpha2),
            // STIX locations need a country, region or coordinates: a state without a
            // country is the organisation that governs it.
            None => ActorObject::Identity("organization"),
        },
        ActorKind::Person => ActorObject::Identity("individual"),
        ActorKind::Organisation | ActorKind::Alliance | ActorKind::Igo | ActorKind::Media => {
            ActorObject::Identity("organization")
        }
        ActorKind::ArmedGroup => ActorObject::Identity("group"),
        ActorKind::Other => ActorObject::Identity("unknown"),
    }
}

/// STIX's Low/Med/High confidence scale (STIX 2.1 appendix A).
fn confidence_value(c: Confidence) -> u8 {
    match c {
        Confidence::Low => 15,
        Confidence::Moderate => 50,
        Confidence::High => 85,
    }
}

/// The first instant of a partial date (`2024`, `2024-05`, `2024-05-10`) and the first
/// instant after it, or `None` for text content validation would have rejected.
fn period(text: &str) -> Option<(Stamp, Option<Stamp>)> {
    use jiff::civil::Date;
    let (start, next): (Date, Option<Date>) = match text.len() {
        4 => {
            let d: Date = format!("{text}-01-01").parse().ok()?;
            (d, d.checked_add(jiff::Span::new().years(1)).ok())
        }
        7 => {
            let d: Date = format!("{text}-01").parse().ok()?;
            (d, d.checked_add(jiff::Span::new().months(1)).ok())
        }
        10 => {
            let d: Date = text.parse().ok()?;
            (d, d.tomorrow().ok())
        }
        _ => return None,
    };
    let stamp = |d: Date| d.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| Stamp(z.timestamp().as_second()));
    Some((stamp(start)?, next.and_then(stamp)))
}

/// The id of the object of STIX type `kind` that `name` (`briefing/kazan`) names under the base
/// URL `base`: `report--<UUIDv5 of "https://example.org/briefing/kazan" in the URL namespace>`.
fn stix_id(base: &str, kind: &str, name: std::fmt::Arguments<'_>) -> String {
    let name = format!("{base}/{name}");
    format!("{kind}--{}", Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes()))
}

/// The export of one site: every id and span worked out once, the objects written on demand.
struct Stix<'a> {
    site: &'a Site,
    config: &'a Config,
    plain: &'a [std::sync::Arc<str>],
    urls: Urls,
    /// The base URL without its final `/`, which starts every id's name.
    base: &'a str,
    site_id: String,
    site_span: Span,
    actor_ids: Vec<String>,
    actor_objects: Vec<ActorObject>,
    actor_spans: Vec<Span>,
    report_ids: Vec<String>,
    report_spans: Vec<Span>,
    note_ids: Vec<String>,
    /// Per non-state actor with a country: the id of the location it is `located-at`.
    located_at: Vec<Option<String>>,
    /// Countries named by actors that no state of the site stands for: alpha-3 -> location id.
    bare_countries: BTreeMap<&'a str, String>,
}

impl<'a> Stix<'a> {
    fn new(site: &'a Site, config: &'a Config, plain: &'a [std::sync::Arc<str>]) -> Stix<'a> {
        let urls = Urls::new(config.base_url.clone());
        let base = config.base_url.absolute.trim_end_matches('/');
        let id = |kind: &str, name: std::fmt::Arguments<'_>| stix_id(base, kind, name);
        let report_spans: Vec<Span> = site
            .briefings
            .iter()
            .map(|b| {
                let created = Stamp(b.date.instant);
                let updated = b.updated.as_ref().map_or(created, |u| Stamp(u.instant));
                Span { created, modified: created.max(updated) }
            })
            .collect();
        let actor_objects: Vec<ActorObject> =
            site.actors.iter().map(|a| actor_object(a.kind, a.country.as_deref())).collect();
        let actor_ids = site
            .actors
            .iter()
            .zip(&actor_objects)
            .map(|(a, o)| {
                let kind = match o {
                    ActorObject::Location(_) => "location",
                    ActorObject::Identity(_) => "identity",
                };
                id(kind, format_args!("actor/{}", a.id))
            })
            .collect::<Vec<_>>();
        let actor_spans =
            site.actor_facts.iter().map(|f| Span::covering(f.briefings.iter().map(|&b| report_spans[b]))).collect();
        // The state standing for each country: the first in id order.
        let mut states: BTreeMap<&str, ActorIx> = BTreeMap::new();
        for (a, actor) in site.actors.iter().enumerate() {
            if let (ActorObject::Location(_), Some(c)) = (actor_objects[a], actor.country.as_deref()) {
                states.entry(c).or_insert(a);
            }
        }
        let mut bare_countries = BTreeMap::new();
        let located_at = site
            .actors
            .iter()
            .enumerate()
            .map(|(a, actor)| {
                let country = actor.country.as_deref().filter(|c| countries::alpha2(c).is_some())?;
                if matches!(actor_objects[a], ActorObject::Location(_)) {
                    return None;
                }
                if let Some(&state) = states.get(country) {
                    return Some(actor_ids[state].clone());
                }
                let bare =
                    bare_countries.entry(country).or_insert_with(|| id("location", format_args!("country/{country}")));
                Some(bare.clone())
            })
            .collect();
        Stix {
            site,
            config,
            plain,
            base,
            site_id: id("identity", format_args!("site")),
            site_span: Span::covering(report_spans.iter().copied()),
            report_ids: site.briefings.iter().map(|b| id("report", format_args!("briefing/{}", b.id))).collect(),
            note_ids: (0..site.claims.len()).map(|c| id("note", format_args!("claim/{}", site.claim_ref(c)))).collect(),
            actor_ids,
            actor_objects,
            actor_spans,
            report_spans,
            located_at,
            bare_countries,
            urls,
        }
    }

    fn id(&self, kind: &str, name: std::fmt::Arguments<'_>) -> String {
        stix_id(self.base, kind, name)
    }

    /// The name the site goes by in external references.
    fn site_name(&self) -> &str {
        if self.config.title.trim().is_empty() { self.config.base_url.absolute.as_str() } else { &self.config.title }
    }

    /// A claim's note: its briefing's span, extended to the briefing that resolved it.
    fn note_span(&self, c: ClaimIx) -> Span {
        let own = self.report_spans[self.site.claims[c].briefing];
        match self.site.claim_facts[c].resolution {
            Some((b, _)) => Span::covering([own, self.report_spans[b]].into_iter()),
            None => own,
        }
    }

    fn head<'s>(&'s self, kind: &'static str, id: &'s str, span: Span) -> Head<'s> {
        Head {
            kind,
            spec_version: SPEC_VERSION,
            id,
            created_by_ref: None,
            created: span.created,
            modified: span.modified,
        }
    }

    /// Writes every object, in a fixed order: the extension and its creator, the site, actors
    /// (by id) and bare countries (by code), reports (newest first), notes (in site claim order),
    /// then relationships (dossiers by actor id, then claims in site order).
    fn objects<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error> {
        seq.serialize_element(&Identity {
            head: Head {
                kind: "identity",
                spec_version: SPEC_VERSION,
                id: SITPRESS_ID,
                created_by_ref: None,
                created: EXTENSION_DATE,
                modified: EXTENSION_DATE,
            },
            name: "sitpress",
            description: Some(Cow::Borrowed(
                "The static site generator for situation reports that defines the sitpress STIX extension.",
            )),
            identity_class: "system",
            lang: None,
            external_references: Vec::new(),
            extensions: None,
        })?;
        seq.serialize_element(&ExtensionDefinition {
            head: Head {
                kind: "extension-definition",
                spec_version: SPEC_VERSION,
                id: EXTENSION_ID,
                created_by_ref: Some(SITPRESS_ID),
                created: EXTENSION_DATE,
                modified: EXTENSION_DATE,
            },
            name: "sitpress situation-report properties",
            description: "Claim types, ICD 203 likelihood and probability, Admiralty source grades, forecast \
                          resolutions and actor kinds from sitpress situation reports.",
            schema: EXTENSION_SCHEMA,
            version: EXTENSION_VERSION,
            extension_types: ["property-extension"],
        })?;
        let lang = Some(self.config.language.as_str()).filter(|l| !l.is_empty());
        seq.serialize_element(&Identity {
            head: self.head("identity", &self.site_id, self.site_span),
            name: self.site_name(),
            description: Some(self.config.description.as_str()).filter(|d| !d.trim().is_empty()).map(Cow::Borrowed),
            identity_class: "organization",
            lang,
            external_references: vec![ExternalReference {
                source_name: self.site_name(),
                url: Some(self.urls.base_url().into()),
                ..ExternalReference::default()
            }],
            extensions: None,
        })?;
        for a in 0..self.site.actors.len() {
            self.actor(seq, a)?;
        }
        for (country, id) in &self.bare_countries {
            seq.serialize_element(&Location {
                head: Head { created_by_ref: Some(&self.site_id), ..self.head("location", id, self.site_span) },
                name: None,
                description: None,
                country: countries::alpha2(country).unwrap_or_default(),
                lang: None,
                external_references: Vec::new(),
                extensions: None,
            })?;
        }
        for b in 0..self.site.briefings.len() {
            self.report(seq, b)?;
        }
        for c in 0..self.site.claims.len() {
            self.note(seq, c)?;
        }
        for a in 0..self.site.actors.len() {
            self.actor_relationships(seq, a)?;
        }
        for c in 0..self.site.claims.len() {
            self.claim_relationships(seq, c)?;
        }
        Ok(())
    }

    fn actor<S: SerializeSeq>(&self, seq: &mut S, a: ActorIx) -> Result<(), S::Error> {
        let actor = &self.site.actors[a];
        let mut refs = vec![ExternalReference {
            source_name: self.site_name(),
            url: Some(self.urls.absolute(&urls::actor(&actor.id)).into()),
            external_id: Some(actor.id.as_str().into()),
            ..ExternalReference::default()
        }];
        if let Some(q) = &actor.wikidata {
            refs.push(ExternalReference {
                source_name: "wikidata",
                url: Some(format!("https://www.wikidata.org/wiki/{q}").into()),
                external_id: Some(q.as_str().into()),
                ..ExternalReference::default()
            });
        }
        let description = self.description(actor);
        let head =
            Head { created_by_ref: Some(&self.site_id), ..self.head("", &self.actor_ids[a], self.actor_spans[a]) };
        let extensions = Some(Extension(ActorExt {
            actor_id: &actor.id,
            kind: actor.kind.id(),
            aliases: &actor.aliases,
            country: actor.country.as_deref(),
            wikidata: actor.wikidata.as_deref(),
        }));
        let lang = Some(self.config.language.as_str()).filter(|l| !l.is_empty());
        match self.actor_objects[a] {
            ActorObject::Location(country) => seq.serialize_element(&Location {
                head: Head { kind: "location", ..head },
                name: Some(&actor.name),
                description,
                country,
                lang,
                external_references: refs,
                extensions,
            }),
            ActorObject::Identity(class) => seq.serialize_element(&Identity {
                head: Head { kind: "identity", ..head },
                name: &actor.name,
                description,
                identity_class: class,
                lang,
                external_references: refs,
                extensions,
            }),
        }
    }

    /// An actor's dossier text, its `@/` links made absolute URLs so they work in a platform.
    fn description(&self, actor: &'a crate::model::Actor) -> Option<Cow<'a, str>> {
        let body = actor.description.trim();
        if body.is_empty() {
            return None;
        }
        let body: &str = &actor.description;
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for (range, dest) in &actor.links {
            let Some(link) = dest.strip_prefix("@/") else { continue };
            let Some(path) = urls::internal(link) else { continue };
            // Inline links hold their destination; reference links have it in a definition.
            let at =
                body.get(range.clone()).and_then(|s| s.rfind(dest.as_str())).map(|i| range.start + i).or_else(|| {
                    let def = format!("]: {dest}");
                    body.find(&def).map(|i| i + 3)
                });
            if let Some(at) = at
                && !edits.iter().any(|(r, _)| r.start == at)
            {
                edits.push((at..at + dest.len(), self.urls.absolute(&path)));
            }
        }
        edits.sort_by_key(|(r, _)| r.start);
        let mut out = String::with_capacity(body.len());
        let mut last = 0;
        for (r, url) in edits {
            if r.start < last {
                continue;
            }
            out.push_str(&body[last..r.start]);
            out.push_str(&url);
            last = r.end;
        }
        out.push_str(&body[last..]);
        Some(Cow::Owned(out.trim().to_string()))
    }

    fn report<S: SerializeSeq>(&self, seq: &mut S, b: BriefingIx) -> Result<(), S::Error> {
        let site = self.site;
        let br = &site.briefings[b];
        let mut object_refs: Vec<Cow<'_, str>> =
            site.briefing_actors[b].iter().map(|&a| Cow::Borrowed(self.actor_ids[a].as_str())).collect();
        object_refs.extend(br.claims.iter().map(|&c| Cow::Borrowed(self.note_ids[c].as_str())));
        object_refs.extend(br.resolutions.iter().map(|r| Cow::Borrowed(self.note_ids[r.claim].as_str())));
        for &c in &br.claims {
            object_refs.extend(self.claim_links(c).into_iter().map(|(_, _, id)| Cow::Owned(id)));
        }
        let mut seen = std::collections::HashSet::new();
        object_refs.retain(|r| seen.insert(r.clone()));
        if object_refs.is_empty() {
            // STIX requires a report to cover something: one that names no actor and makes no
            // claim covers what its publisher says.
            object_refs.push(Cow::Borrowed(self.site_id.as_str()));
        }
        let mut refs = vec![ExternalReference {
            source_name: self.site_name(),
            url: Some(self.urls.absolute(&urls::briefing(&br.id)).into()),
            external_id: Some(br.id.as_str().into()),
            ..ExternalReference::default()
        }];
        refs.extend(br.sources.iter().map(source_reference));
        seq.serialize_element(&Report {
            head: Head {
                created_by_ref: Some(&self.site_id),
                ..self.head("report", &self.report_ids[b], self.report_spans[b])
            },
            name: &br.title,
            description: br.summary.as_deref().filter(|s| !s.trim().is_empty()),
            published: Stamp(br.date.instant),
            object_refs,
            labels: self.site.briefing_tags[b].iter().map(|&t| self.site.tags[t].name.as_str()).collect(),
            lang: Some(self.config.language.as_str()).filter(|l| !l.is_empty()),
            external_references: refs,
            extensions: Extension(ReportExt {
                briefing_id: &br.id,
                authors: &br.authors,
                key_takeaways: &br.key_takeaways,
                sources: br
                    .sources
                    .iter()
                    .map(|s| SourceExt {
                        source_id: &s.id,
                        title: Some(&s.title),
                        publisher: s.publisher.as_deref(),
                        url: s.url.as_deref(),
                        published: s.published.map(|d| d.to_string()),
                        reliability: s.reliability.map(String::from),
                        credibility: None,
                    })
                    .collect(),
            }),
        })
    }

    fn note<S: SerializeSeq>(&self, seq: &mut S, c: ClaimIx) -> Result<(), S::Error> {
        let site = self.site;
        let claim = &site.claims[c];
        let br = &site.briefings[claim.briefing];
        let kind = site.claim_type(claim);
        let text = if self.plain[c].is_empty() { claim.text.as_str() } else { &self.plain[c] };
        let content = match &claim.quote {
            Some(q) if !q.trim().is_empty() => Cow::Owned(format!("{text}\n\n> {}", q.trim())),
            _ => Cow::Borrowed(text),
        };
        let mut object_refs: Vec<&str> = vec![&self.report_ids[claim.briefing]];
        for a in claim.by.iter().chain(&claim.about) {
            if !object_refs.contains(&self.actor_ids[*a].as_str()) {
                object_refs.push(&self.actor_ids[*a]);
            }
        }
        let claim_ref = site.claim_ref(c);
        let mut refs = vec![ExternalReference {
            source_name: self.site_name(),
            url: Some(
                format!("{}#{}", self.urls.absolute(&urls::briefing(&br.id)), urls::claim_anchor(&claim.id)).into(),
            ),
            external_id: Some(claim_ref.clone().into()),
            ..ExternalReference::default()
        }];
        refs.extend(claim.sources.iter().map(|s| source_reference(&br.sources[s.source])));
        let resolution = site.claim_facts[c].resolution.map(|(b, r)| (b, &site.briefings[b].resolutions[r]));
        let outcome = match site.claim_facts[c].status {
            Some(Status::Resolved(o)) => Some(o.id()),
            _ => None,
        };
        seq.serialize_element(&Note {
            head: Head {
                created_by_ref: Some(&self.site_id),
                ..self.head("note", &self.note_ids[c], self.note_span(c))
            },
            abstract_: format!("{}: {}", kind.label, abstract_of(text)),
            content,
            authors: &br.authors,
            object_refs,
            labels: [kind.id.as_str()],
            confidence: claim.confidence.map(confidence_value),
            lang: Some(self.config.language.as_str()).filter(|l| !l.is_empty()),
            external_references: refs,
            extensions: Extension(ClaimExt {
                claim_id: claim_ref,
                claim_type: &kind.id,
                quote: claim.quote.as_deref(),
                by_ref: claim.by.map(|a| self.actor_ids[a].as_str()),
                about_refs: claim.about.iter().map(|&a| self.actor_ids[a].as_str()).collect(),
                date: claim.date.as_ref().map(|d| d.text.as_str()),
                confidence: claim.confidence.map(Confidence::id),
                likelihood: claim.likelihood.map(|l| l.id()),
                probability: claim.probability,
                resolves_by: claim.resolves_by.map(|d| d.to_string()),
                condition_ref: claim.condition.map(|x| self.note_ids[x].as_str()),
                indicators: &claim.indicators,
                sources: claim
                    .sources
                    .iter()
                    .map(|s| {
                        let source = &br.sources[s.source];
                        SourceExt {
                            source_id: &source.id,
                            title: None,
                            publisher: None,
                            url: None,
                            published: None,
                            reliability: source.reliability.map(String::from),
                            credibility: s.credibility,
                        }
                    })
                    .collect(),
                outcome,
                resolved_in_ref: resolution.map(|(b, _)| self.report_ids[b].as_str()),
                evidence_refs: resolution
                    .map(|(_, r)| r.evidence.iter().map(|&e| self.note_ids[e].as_str()).collect())
                    .unwrap_or_default(),
                resolution_note: resolution.and_then(|(_, r)| r.note.as_deref()),
            }),
        })
    }

    /// An actor's relationships: its dossier's relations, its `parent` (as `part-of`, unless
    /// the dossier already says so), and where it is (`located-at` its country).
    fn actor_relationships<S: SerializeSeq>(&self, seq: &mut S, a: ActorIx) -> Result<(), S::Error> {
        let actor = &self.site.actors[a];
        let span = self.actor_spans[a];
        let source = self.actor_ids[a].as_str();
        for r in &actor.relations {
            let (from, to) = (r.from.as_deref().unwrap_or(""), r.to.as_deref().unwrap_or(""));
            let target = &self.site.actors[r.target].id;
            let id =
                self.id("relationship", format_args!("relation/{}/{}/{target}/{from}/{to}", actor.id, r.kind.id()));
            seq.serialize_element(&Relationship {
                head: Head { created_by_ref: Some(&self.site_id), ..self.head("relationship", &id, span) },
                relationship_type: r.kind.id(),
                source_ref: source,
                target_ref: &self.actor_ids[r.target],
                start_time: r.from.as_deref().and_then(period).map(|p| p.0),
                stop_time: r.to.as_deref().and_then(period).and_then(|p| p.1),
                extensions: Some(Extension(RelationExt {
                    relation: r.kind.id(),
                    from: r.from.as_deref(),
                    to: r.to.as_deref(),
                })),
            })?;
        }
        if let Some(p) = actor.parent
            && !actor.relations.iter().any(|r| r.target == p && r.kind == crate::model::RelationKind::PartOf)
        {
            let id = self.id("relationship", format_args!("parent/{}/{}", actor.id, self.site.actors[p].id));
            seq.serialize_element(&Relationship {
                head: Head { created_by_ref: Some(&self.site_id), ..self.head("relationship", &id, span) },
                relationship_type: "part-of",
                source_ref: source,
                target_ref: &self.actor_ids[p],
                start_time: None,
                stop_time: None,
                extensions: Some(Extension(RelationExt { relation: "parent", from: None, to: None })),
            })?;
        }
        if let (Some(place), Some(country)) = (&self.located_at[a], &actor.country) {
            let id = self.id("relationship", format_args!("located-at/{}/{country}", actor.id));
            seq.serialize_element(&Relationship {
                head: Head { created_by_ref: Some(&self.site_id), ..self.head("relationship", &id, span) },
                relationship_type: "located-at",
                source_ref: source,
                target_ref: place,
                start_time: None,
                stop_time: None,
                extensions: None,
            })?;
        }
        Ok(())
    }

    /// A claim's `disputes` and `supports`: (relationship type, other claim, relationship id).
    fn claim_links(&self, c: ClaimIx) -> Vec<(&'static str, ClaimIx, String)> {
        let claim = &self.site.claims[c];
        let from = self.site.claim_ref(c);
        let lists = [("disputes", &claim.disputes), ("supports", &claim.supports)];
        lists
            .into_iter()
            .flat_map(|(kind, targets)| targets.iter().map(move |&t| (kind, t)))
            .map(|(kind, t)| {
                let id = self.id("relationship", format_args!("claim/{from}/{kind}/{}", self.site.claim_ref(t)));
                (kind, t, id)
            })
            .collect()
    }

    fn claim_relationships<S: SerializeSeq>(&self, seq: &mut S, c: ClaimIx) -> Result<(), S::Error> {
        let span = self.note_span(c);
        for (kind, t, id) in self.claim_links(c) {
            seq.serialize_element(&Relationship {
                head: Head { created_by_ref: Some(&self.site_id), ..self.head("relationship", &id, span) },
                relationship_type: kind,
                source_ref: &self.note_ids[c],
                target_ref: &self.note_ids[t],
                start_time: None,
                stop_time: None,
                extensions: None,
            })?;
        }
        Ok(())
    }
}

/// A source as an external reference: named by its publisher (or title, or id), described by
/// its title, with its URL when it has one. STIX wants a name and one of description, URL and
/// external id: a source with none of them is known by its id.
fn source_reference(s: &crate::model::Source) -> ExternalReference<'_> {
    fn given(v: Option<&str>) -> Option<&str> {
        v.filter(|v| !v.trim().is_empty())
    }
    let title = given(Some(&s.title));
    let url = given(s.url.as_deref());
    ExternalReference {
        source_name: given(s.publisher.as_deref()).or(title).unwrap_or(&s.id),
        description: title,
        url: url.map(Cow::Borrowed),
        external_id: (title.is_none() && url.is_none()).then_some(Cow::Borrowed(s.id.as_str())),
    }
}

/// The start of a claim's text, at most about 100 characters, cut at a word.
fn abstract_of(text: &str) -> Cow<'_, str> {
    const MAX: usize = 100;
    if text.chars().count() <= MAX {
        return Cow::Borrowed(text);
    }
    let cut = text.char_indices().nth(MAX).map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    let head = head.rfind(' ').map_or(head, |i| &head[..i]);
    Cow::Owned(format!("{}…", head.trim_end_matches([',', ';', ':', '.', ' '])))
}

impl Serialize for Stix<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("type", "bundle")?;
        map.serialize_entry("id", &self.id("bundle", format_args!("bundle")))?;
        map.serialize_entry("objects", &Objects(self))?;
        map.end()
    }
}

struct Objects<'s, 'a>(&'s Stix<'a>);

impl Serialize for Objects<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        self.0.objects(&mut seq)?;
        seq.end()
    }
}

/// The properties every object has.
#[derive(Serialize, Clone, Copy)]
struct Head<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    spec_version: &'static str,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_by_ref: Option<&'a str>,
    created: Stamp,
    modified: Stamp,
}

#[derive(Serialize, Default)]
struct ExternalReference<'a> {
    source_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<Cow<'a, str>>,
}

/// Properties in the sitpress extension: `{"extension-definition--…": {"extension_type":
/// "property-extension", …}}`.
struct Extension<T>(T);

impl<T: Serialize> Serialize for Extension<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Tagged<'t, T> {
            extension_type: &'static str,
            #[serde(flatten)]
            properties: &'t T,
        }
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(EXTENSION_ID, &Tagged { extension_type: "property-extension", properties: &self.0 })?;
        map.end()
    }
}

#[derive(Serialize)]
struct ExtensionDefinition<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    name: &'a str,
    description: &'a str,
    schema: &'a str,
    version: &'a str,
    extension_types: [&'static str; 1],
}

#[derive(Serialize)]
struct Identity<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Cow<'a, str>>,
    identity_class: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<ExternalReference<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extensions: Option<Extension<ActorExt<'a>>>,
}

#[derive(Serialize)]
struct Location<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Cow<'a, str>>,
    country: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<ExternalReference<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extensions: Option<Extension<ActorExt<'a>>>,
}

#[derive(Serialize)]
struct ActorExt<'a> {
    actor_id: &'a str,
    kind: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wikidata: Option<&'a str>,
}

#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    published: Stamp,
    object_refs: Vec<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    external_references: Vec<ExternalReference<'a>>,
    extensions: Extension<ReportExt<'a>>,
}

#[derive(Serialize)]
struct ReportExt<'a> {
    briefing_id: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    authors: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    key_takeaways: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<SourceExt<'a>>,
}

#[derive(Serialize)]
struct SourceExt<'a> {
    source_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reliability: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credibility: Option<u8>,
}

#[derive(Serialize)]
struct Note<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    #[serde(rename = "abstract")]
    abstract_: String,
    content: Cow<'a, str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    authors: &'a [String],
    object_refs: Vec<&'a str>,
    labels: [&'a str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    external_references: Vec<ExternalReference<'a>>,
    extensions: Extension<ClaimExt<'a>>,
}

#[derive(Serialize)]
struct ClaimExt<'a> {
    claim_id: String,
    claim_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_ref: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about_refs: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    likelihood: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    probability: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolves_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition_ref: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    indicators: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<SourceExt<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved_in_ref: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence_refs: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolution_note: Option<&'a str>,
}

#[derive(Serialize)]
struct Relationship<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    relationship_type: &'a str,
    source_ref: &'a str,
    target_ref: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_time: Option<Stamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stop_time: Option<Stamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extensions: Option<Extension<RelationExt<'a>>>,
}

#[derive(Serialize)]
struct RelationExt<'a> {
    relation: &'a str,
    /// Extension properties need names of three characters or more: not `to`.
    #[serde(rename = "from_date", skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    #[serde(rename = "to_date", skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(s: Stamp) -> String {
        serde_json::to_string(&s).unwrap()
    }

    #[test]
    fn timestamps_have_milliseconds_and_partial_dates_cover_their_period() {
        assert_eq!(stamp(Stamp(0)), "\"1970-01-01T00:00:00.000Z\"");
        assert_eq!(stamp(EXTENSION_DATE), "\"2026-12-01T00:00:00.000Z\"");
        let (start, next) = period("2024").unwrap();
        assert_eq!(
            (stamp(start), stamp(next.unwrap())),
            ("\"2024-01-01T00:00:00.000Z\"".into(), "\"2025-01-01T00:00:00.000Z\"".into())
        );
        let (start, next) = period("2024-12").unwrap();
        assert_eq!(
            (stamp(start), stamp(next.unwrap())),
            ("\"2024-12-01T00:00:00.000Z\"".into(), "\"2025-01-01T00:00:00.000Z\"".into())
        );
        let (start, next) = period("2024-02-29").unwrap();
        assert_eq!(
            (stamp(start), stamp(next.unwrap())),
            ("\"2024-02-29T00:00:00.000Z\"".into(), "\"2024-03-01T00:00:00.000Z\"".into())
        );
        assert!(period("9999").is_some_and(|(_, next)| next.is_none()), "no instant after 9999, and no panic");
        assert!(period("2024-13").is_none());
    }

    #[test]
    fn actor_kinds_map_to_the_fitting_object() {
        use ActorObject::*;
        assert_eq!(actor_object(ActorKind::State, Some("RUS")), Location("RU"));
        assert_eq!(actor_object(ActorKind::State, None), Identity("organization"));
        assert_eq!(actor_object(ActorKind::Person, Some("RUS")), Identity("individual"));
        assert_eq!(actor_object(ActorKind::Organisation, None), Identity("organization"));
        assert_eq!(actor_object(ActorKind::Alliance, None), Identity("organization"));
        assert_eq!(actor_object(ActorKind::Igo, None), Identity("organization"));
        assert_eq!(actor_object(ActorKind::Media, None), Identity("organization"));
        assert_eq!(actor_object(ActorKind::ArmedGroup, None), Identity("group"));
        assert_eq!(actor_object(ActorKind::Other, None), Identity("unknown"));
    }

    #[test]
    fn abstracts_are_cut_at_a_word() {
        assert_eq!(abstract_of("Short."), "Short.");
        let long = "word ".repeat(40);
        let cut = abstract_of(long.trim());
        assert!(cut.ends_with("word…") && cut.chars().count() <= 101, "{cut}");
    }
}
