//! Render: the model -> every output file.
//!
//! [`render_site`] builds the views once (claims, briefing cards, actor references are shared
//! by many pages), renders each page through the theme, and adds feeds, the sitemap,
//! `data.json` and `stix.json`. Each file goes to a [`Sink`] as soon as it is made: kept in
//! memory, or handed on from the thread that made it (a build writing its output), so a site
//! need never be held whole. It returns what it made, or every diagnostic (a dangling `@/`
//! link, a template error).

mod analysis;
pub mod bench;
mod data;
mod feeds;
mod graph;
mod json;
mod jsonld;
pub mod markdown;
mod questions;
pub mod search;
pub mod stix;
mod tags;
pub mod templates;
pub mod urls;
pub mod views;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::mentions::Matcher;
use crate::model::{ActorIx, BriefingIx, BuiltinType, ClaimIx, RELIABILITY, Site, Status, TimelineItem, When};
use markdown::BodyOptions;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use templates::Theme;
use urls::Urls;
use views::*;

/// The rendered site: output path (relative, `/`-separated) -> bytes. Shared, not copied,
/// between builds of a serve session.
pub type Files = BTreeMap<String, Arc<[u8]>>;

/// One output file: its path (as in [`Files`]) and bytes.
pub type Page = (String, Arc<[u8]>);

/// Where each rendered file goes, as soon as it is made.
#[derive(Clone, Copy)]
pub enum Sink<'a> {
    /// Kept in memory and returned in [`Made::files`] (`serve`).
    Memory,
    /// Only the path is kept (`check`, which needs the paths for its link and clash checks).
    /// The site-wide data files no check reads (`data.json`, `stix.json`: the largest buffers
    /// of a build) are not even made.
    PathsOnly,
    /// Handed to the function, from the thread that made the file, and then dropped: only its
    /// path is kept. The function is told every file of the render, including those of a render
    /// that then fails; what it does with them is up to it (a build stages them and commits
    /// only a render without errors).
    Stream(&'a (dyn Fn(&str, &[u8]) + Sync)),
}

impl Sink<'_> {
    /// Takes the file at `path`: returns its bytes to keep, or `None` once they are handed on.
    fn take(&self, path: &str, bytes: impl AsRef<[u8]> + Into<Arc<[u8]>>) -> Option<Arc<[u8]>> {
        match self {
            Sink::Memory => Some(bytes.into()),
            Sink::PathsOnly => None,
            Sink::Stream(put) => {
                put(path, bytes.as_ref());
                None
            }
        }
    }
}

/// What a render made.
#[derive(Debug, Default)]
pub struct Made {
    /// Every file's output path.
    pub paths: BTreeSet<String>,
    /// Their bytes with [`Sink::Memory`]; empty with [`Sink::Stream`].
    pub files: Files,
}

impl Made {
    fn insert(&mut self, path: String, bytes: Option<Arc<[u8]>>) {
        if let Some(bytes) = bytes {
            self.files.insert(path.clone(), bytes);
        }
        self.paths.insert(path);
    }
}

/// Pages of an earlier build, reused when what their template would see is unchanged, so a
/// rebuild renders only the pages that depend on what changed. Correct by construction: the
/// key is a hash of the page's whole template context (and of the theme), not a list of
/// dependencies kept by hand.
#[derive(Debug, Default)]
pub struct Cache {
    pages: HashMap<String, (u64, Arc<[u8]>)>,
    /// Claim cards and rows, keyed by a hash of their template name and claim view.
    fragments: HashMap<u64, Fragment>,
    /// Rendered briefing bodies, keyed by a hash of everything the Markdown renderer sees.
    bodies: HashMap<u64, String>,
    /// Pages rendered and reused by the last build.
    pub rendered: usize,
    pub reused: usize,
    /// The last build's shared views, for [`render_briefing`].
    state: Option<State>,
}

impl Cache {
    /// Takes the last build's shared views, if that build kept them.
    pub fn take_state(&mut self) -> Option<State> {
        self.state.take()
    }
}

pub const GENERATOR: &str = concat!("sitpress ", env!("CARGO_PKG_VERSION"));

/// Number of entries on the home page lists and in the site feed.
const HOME_ITEMS: usize = 10;
const FEED_ITEMS: usize = 50;
/// Claim cards shown per type on a dossier, and denials shown in its disputes section; the
/// rest are one line each on the actor's claims pages.
const GROUP_CARDS: usize = 5;
const DOSSIER_DISPUTES: usize = 10;
/// Lines per page of an actor's claims pages.
const CLAIM_ROWS_PER_PAGE: usize = 100;
/// A claim's card, row and (for a forecast) forecast row, rendered once and listed by pages.
const FRAGMENT_TEMPLATES: [&str; 3] =
    ["partials/claim_card.html", "partials/claim_row.html", "partials/forecast_row.html"];
type Fragments = (Fragment, Fragment, Option<Fragment>);
/// A briefing's claims with their fragments, and its page if one was asked for.
type PerBriefing = (Vec<(ClaimIx, Fragments)>, Option<Done>);

/// The part of a claim its briefing page and its card share, rendered once for both.
const CLAIM_BODY: &str = "partials/claim_body.html";

thread_local! {
    /// The buffer each thread renders pages into, kept from page to page.
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

const GRAPH_DESCRIPTION: &str = "Which actors appear together in briefings, and how their dossiers relate them.";

/// Told how rendering goes, from any thread: for a progress bar.
pub trait Progress: Sync {
    /// About `pages` HTML pages will be rendered (or reused).
    fn pages(&self, _pages: usize) {}
    /// One more HTML page is done.
    fn page_done(&self) {}
}

impl Progress for () {}

/// Renders the whole site, telling `progress` as pages are done and handing each file to
/// `sink`. Pages handed on by a [`Sink::Stream`] are not kept, so not cached for the next
/// render. With `exit_after` (the process ends right after; see `build::Options`), the views
/// are left to the OS instead of being freed one by one.
pub fn render_site_with(
    site: &Site,
    config: &Config,
    theme: &Theme,
    cache: Option<&mut Cache>,
    progress: &dyn Progress,
    sink: Sink<'_>,
    exit_after: bool,
) -> Result<Made, Vec<Diagnostic>> {
    // data.json and the search index need only the model: each is one long serial job, made
    // while the views and bodies (parallel jobs) keep the other cores busy.
    // They are handed on as soon as they are made, before any page is rendered.
    let old = cache.as_deref();
    // Claim texts as plain text, for the claims' views and the search index alike.
    let plain = claim_plain_texts(site);
    let (((data, stix), index), views) = rayon::join(
        || {
            rayon::join(
                || {
                    rayon::join(
                        || match sink {
                            Sink::PathsOnly => None,
                            _ => sink.take(
                                &urls::data(),
                                data::data_json(site, &config.title, &Urls::new(config.base_url.clone())),
                            ),
                        },
                        || match sink {
                            Sink::PathsOnly => None,
                            _ => sink.take(&urls::stix(), stix::bundle_json_with(site, config, &plain)),
                        },
                    )
                },
                || search::index_files(site, &plain, &sink),
            )
        },
        || -> Result<_, Vec<Diagnostic>> {
            let mut r = Renderer::new(site, config, theme, &plain)?;
            r.progress = progress;
            r.hashing = old.is_some();
            if r.hashing {
                r.base_hash = hash_of(&(&r.site_view, theme.fingerprint()));
            }
            let mut fresh = Cache::default();
            r.render_bodies(old, &mut fresh);
            Ok((r, fresh))
        },
    );
    let (mut r, mut fresh) = views?;
    crate::timings::phase("render: views, bodies, data.json, stix.json, search index");
    let mut made = r.render_all(Dest { old: cache.as_deref(), sink }, &mut fresh)?;
    made.insert(urls::data(), data);
    made.insert(urls::stix(), stix);
    for (path, bytes) in index {
        made.insert(path, bytes);
    }
    match cache {
        Some(c) => {
            fresh.state = Some(r.state);
            *c = fresh;
        }
        // The renderer holds views, never page bytes.
        None if exit_after => std::mem::forget(r),
        None => drop(r),
    }
    Ok(made)
}

/// Briefing `b`'s page again, as the build that made `state` would render it if the
/// briefing's Markdown body were `body`: what a serve session shows at once when only a body
/// changed, before the whole site is rebuilt. Returns the output path and the page.
///
/// `site`, `config` and `theme` must be those of the build that made `state`; the body's `@/`
/// links must name things that exist (callers check that they are among the old body's).
/// The state comes back with the new body in it.
pub fn render_briefing(
    site: &Site,
    config: &Config,
    theme: &Theme,
    state: State,
    b: BriefingIx,
    body: &str,
) -> (State, Result<Page, Diagnostic>) {
    let mut r = Renderer { site, config, theme, progress: &(), state };
    r.bodies[b] = r.body_html(&site.briefings[b], body);
    let (path, ctx) = r.briefing_page(b, Vec::new());
    let done = r.page(Dest { old: None, sink: Sink::Memory }, &path, "briefing.html", ctx);
    // In memory, the bytes always come back.
    (r.state, done.result.map(|bytes| (done.path, bytes.unwrap_or_else(|| Arc::from(&[][..])))))
}

/// A template context, and (when caching) a running hash of everything put into it.
///
/// The Tera context itself is built only when the page is rendered: a page reused from the
/// cache costs its hash, not a second copy of its data.
struct PageCtx<'a> {
    items: Vec<(&'static str, Item<'a>)>,
    hash: Option<Hasher64>,
    /// The page's JSON-LD, made only if the page is rendered (not reused): it is a function of
    /// the site view and of values already in the context, so it adds nothing to the key.
    json_ld: Option<DeferredLd<'a>>,
}

/// What a page's JSON-LD is made from when it is needed.
struct DeferredLd<'a> {
    title: String,
    description: String,
    canonical_url: String,
    section: &'static str,
    make: MakeLd<'a>,
}

type MakeLd<'a> = Box<dyn FnOnce(&SiteView, &jsonld::Meta) -> String + 'a>;

/// A context entry: a view serialized at render time, or a Tera value made beforehand.
enum Item<'a> {
    View(Box<dyn ToTera + Sync + 'a>),
    Value(tera::Value),
}

impl<'a> PageCtx<'a> {
    fn insert<T: serde::Serialize + Sync + 'a>(&mut self, key: &'static str, value: T) {
        if let Some(h) = &mut self.hash {
            key.hash(h);
            views::hashing(|| serde_json::to_writer(HashWriter(h), &value)).ok();
        }
        self.items.push((key, Item::View(Box::new(value))));
    }

    /// Inserts a list of rendered fragments without copying their HTML; the page key sees
    /// their keys.
    fn insert_fragments<'f>(&mut self, key: &'static str, fragments: impl Iterator<Item = &'f Fragment>) {
        let mut values = Vec::new();
        for f in fragments {
            if let Some(h) = &mut self.hash {
                f.key.hash(h);
            }
            values.push(f.html.clone());
        }
        if let Some(h) = &mut self.hash {
            key.hash(h);
            values.len().hash(h);
        }
        self.items.push((key, Item::Value(tera::Value::from(values))));
    }

    /// The Tera context; `site` is the site view, converted once per build.
    fn tera(&self, site: &tera::Value) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", site.clone());
        for (key, item) in &self.items {
            let value = match item {
                Item::View(v) => v.to_tera(),
                Item::Value(v) => v.clone(),
            };
            ctx.insert_value(*key, value);
        }
        ctx
    }
}

/// A view of any type, turned into a Tera value when (and only when) the page is rendered.
trait ToTera {
    fn to_tera(&self) -> tera::Value;
}

impl<T: serde::Serialize> ToTera for T {
    fn to_tera(&self) -> tera::Value {
        // Views are plain data (strings, numbers, lists, maps): they always serialize.
        tera::Value::try_from_serializable(self).unwrap_or(tera::Value::none())
    }
}

/// The page-cache hasher: fast, and only ever compared within one process.
type Hasher64 = rustc_hash::FxHasher;

/// Feeds serialized bytes into a hasher.
struct HashWriter<'a>(&'a mut Hasher64);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hash_of<T: serde::Serialize + ?Sized>(value: &T) -> u64 {
    let mut h = Hasher64::default();
    views::hashing(|| serde_json::to_writer(HashWriter(&mut h), value)).ok();
    h.finish()
}

/// One output file produced (possibly on another thread): reused or freshly made.
struct Done {
    path: String,
    key: Option<u64>,
    /// The bytes, when the sink keeps them; `None` once handed on.
    result: Result<Option<Arc<[u8]>>, Diagnostic>,
    reused: bool,
}

/// What every page job shares, on any thread: the previous build's pages, for reuse, and the
/// sink each finished file goes to.
#[derive(Clone, Copy)]
struct Dest<'a> {
    old: Option<&'a Cache>,
    sink: Sink<'a>,
}

impl Dest<'_> {
    /// The file at `path`: the previous bytes when `key` matches, else `make`'s; handed to the
    /// sink here, on the thread that made it.
    fn make(&self, path: String, key: Option<u64>, make: impl FnOnce() -> Result<Vec<u8>, Diagnostic>) -> Done {
        if let (Some(k), Some(old)) = (key, self.old)
            && let Some((ok, bytes)) = old.pages.get(&path)
            && *ok == k
        {
            let bytes = self.sink.take(&path, Arc::clone(bytes));
            return Done { path, key, result: Ok(bytes), reused: true };
        }
        let result = make().map(|bytes| self.sink.take(&path, bytes));
        Done { path, key, result, reused: false }
    }
}

/// Output being assembled: what was made, and the previous build's pages for reuse.
struct Out<'c> {
    made: Made,
    errors: Vec<Diagnostic>,
    dest: Dest<'c>,
    fresh: &'c mut Cache,
}

impl Out<'_> {
    /// Adds `path`, reusing the previous bytes when `key` matches, else calling `make`.
    fn add(&mut self, path: String, key: Option<u64>, make: impl FnOnce() -> Result<Vec<u8>, Diagnostic>) {
        let done = self.dest.make(path, key, make);
        self.accept(done);
    }

    fn accept(&mut self, done: Done) {
        let Done { path, key, result, reused } = done;
        match result {
            Ok(bytes) => {
                if reused {
                    self.fresh.reused += 1;
                } else {
                    self.fresh.rendered += 1;
                }
                if let (Some(k), Some(bytes)) = (key, &bytes) {
                    self.fresh.pages.insert(path.clone(), (k, bytes.clone()));
                }
                self.made.insert(path, bytes);
            }
            Err(d) => self.errors.push(d),
        }
    }

    fn accept_all(&mut self, dones: Vec<Done>) {
        for d in dones {
            self.accept(d);
        }
    }
}

struct Renderer<'a> {
    site: &'a Site,
    config: &'a Config,
    theme: &'a Theme,
    progress: &'a dyn Progress,
    /// Everything made from the site before pages render; kept by a serve session to render
    /// one page again at once ([`render_briefing`]).
    state: State,
}

/// The views a build makes once and every page shares.
pub struct State {
    /// Whether page contexts are hashed for the cache, and the hash every page key starts from.
    hashing: bool,
    base_hash: u64,
    urls: Urls,
    site_view: SiteView,
    /// `site_view` as a Tera value, made once and shared by every page.
    site_value: tera::Value,
    actor_refs: Vec<ActorRef>,
    claim_links: Vec<ClaimLink>,
    claim_views: Vec<Shared<ClaimView>>,
    /// Every claim rendered once through `partials/claim_card.html` and `partials/claim_row.html`.
    claim_cards: Vec<Fragment>,
    claim_rows: Vec<Fragment>,
    /// Every forecast rendered once through `partials/forecast_row.html` (`None` for other
    /// claims).
    forecast_rows: Vec<Option<Fragment>>,
    cards: Vec<Shared<BriefingCard>>,
    bodies: Vec<String>,
    /// Actor names and aliases, and each actor's URL, for autolinking in bodies (when
    /// `autolink_actors` is on).
    autolink: Option<(Matcher<usize>, Vec<String>)>,
    site_timeline: analysis::SiteTimeline,
    typed: graph::Typed,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State").field("briefings", &self.cards.len()).finish_non_exhaustive()
    }
}

impl std::ops::Deref for Renderer<'_> {
    type Target = State;

    fn deref(&self) -> &State {
        &self.state
    }
}

impl std::ops::DerefMut for Renderer<'_> {
    fn deref_mut(&mut self) -> &mut State {
        &mut self.state
    }
}

pub fn date_view(iso: &str, date: jiff::civil::Date) -> DateView {
    DateView { iso: iso.to_string(), display: date.strftime("%-d %B %Y").to_string() }
}

/// Every claim's text as plain text (Markdown removed), by claim.
fn claim_plain_texts(site: &Site) -> Vec<String> {
    site.claims.par_iter().map(|c| markdown::plain_text(&c.text)).collect()
}

fn when_view(w: &When) -> DateView {
    // Show the calendar date as written (a datetime's own offset), not shifted to UTC.
    let date = w.text.get(..10).and_then(|d| d.parse().ok()).unwrap_or(w.date);
    date_view(&w.text, date)
}

fn plain_date_view(d: jiff::civil::Date) -> DateView {
    date_view(&d.to_string(), d)
}

impl<'a> Renderer<'a> {
    /// `plain`: every claim's text as plain text ([`claim_plain_texts`]).
    fn new(
        site: &'a Site,
        config: &'a Config,
        theme: &'a Theme,
        plain: &[String],
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let urls = Urls::new(config.base_url.clone());
        let actor_refs: Vec<ActorRef> = site
            .actors
            .iter()
            .map(|a| {
                ActorRef::new(a.id.clone(), a.name.clone(), a.kind.id().to_string(), urls.link(&urls::actor(&a.id)))
            })
            .collect();
        let mut counts = vec![0usize; site.claim_types.len()];
        for c in &site.claims {
            counts[c.kind] += 1;
        }
        let site_view = SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: urls.base_url().to_string(),
            origin: urls.base_url().strip_suffix(urls.root()).unwrap_or_default().to_string(),
            root: urls.root().to_string(),
            language: config.language.clone(),
            generator: GENERATOR.to_string(),
            claim_types: site
                .claim_types
                .iter()
                .zip(&counts)
                .map(|(t, &count)| ClaimTypeView {
                    id: t.id.clone(),
                    label: t.label.clone(),
                    description: t.description.clone(),
                    url: urls.link(&urls::claim_type(&t.id)),
                    count,
                })
                .collect(),
            pages: site
                .pages
                .iter()
                .map(|p| LinkView { title: p.title.clone(), url: urls.link(&urls::page(&p.id)) })
                .collect(),
            feed_url: urls.link(&urls::feed()),
            data_url: urls.link(&urls::data()),
            home_url: urls.link(&urls::home()),
            briefings_url: urls.link(&urls::briefings(1)),
            actors_url: urls.link(&urls::actors()),
            forecasts_url: urls.link(&urls::forecasts()),
            judgments_url: urls.link(&urls::judgments()),
            disputes_url: urls.link(&urls::disputes(1)),
            timeline_url: urls.link(&urls::timeline(1)),
            search_url: urls.link(&urls::search()),
            graph_url: urls.link(&urls::graph()),
            tags_url: urls.link(&urls::tags()),
        };
        let texts: Vec<String> = site.claims.par_iter().map(|c| markdown::render_inline(&c.text)).collect();
        let claim_links: Vec<ClaimLink> = (0..site.claims.len())
            .into_par_iter()
            .map(|c| {
                let claim = &site.claims[c];
                let b = &site.briefings[claim.briefing];
                ClaimLink {
                    id: site.claim_ref(c),
                    url: format!("{}#{}", urls.link(&urls::briefing(&b.id)), urls::claim_anchor(&claim.id)),
                    r#type: site.claim_type(claim).id.clone(),
                    type_label: site.claim_type(claim).label.clone(),
                    text_html: texts[c].clone(),
                    briefing_title: b.title.clone(),
                    contested: site.contested(c),
                }
            })
            .collect();
        let tag_links = tags::tag_links(site, &urls);
        let cards: Vec<Shared<BriefingCard>> = (0..site.briefings.len())
            .into_par_iter()
            .map(|b| {
                let br = &site.briefings[b];
                Shared::new(BriefingCard {
                    id: br.id.clone(),
                    title: br.title.clone(),
                    url: urls.link(&urls::briefing(&br.id)),
                    date: when_view(&br.date),
                    summary: br.summary.clone().unwrap_or_default(),
                    authors: br.authors.clone(),
                    actors: site.briefing_actors[b].iter().map(|&a| actor_refs[a].clone()).collect(),
                    tags: br.tags.clone(),
                    tag_links: site.briefing_tags[b].iter().map(|&t| tag_links[t].clone()).collect(),
                    claim_count: br.claims.len(),
                    draft: br.draft,
                })
            })
            .collect();
        let autolink = config.autolink_actors.then(|| {
            let urls = actor_refs.iter().map(|a| a.url.clone()).collect();
            (crate::model::mentions::actor_matcher(&site.actors), urls)
        });
        let state = State {
            hashing: false,
            base_hash: 0,
            urls,
            site_value: tera::Value::from_serializable(&site_view),
            site_view,
            actor_refs,
            claim_links,
            claim_views: Vec::new(),
            claim_cards: Vec::new(),
            claim_rows: Vec::new(),
            forecast_rows: Vec::new(),
            cards,
            bodies: Vec::new(),
            autolink,
            site_timeline: analysis::SiteTimeline::new(site, config.paginate),
            typed: graph::Typed::new(site),
        };
        let mut r = Renderer { site, config, theme, progress: &(), state };
        r.claim_views = (0..site.claims.len())
            .into_par_iter()
            .map(|c| Shared::new(r.claim_view(c, &texts[c], &plain[c])))
            .collect();
        Ok(r)
    }

    fn claim_view(&self, c: ClaimIx, text_html: &str, plain: &str) -> ClaimView {
        let site = self.site;
        let claim = &site.claims[c];
        let b = &site.briefings[claim.briefing];
        let briefing_url = self.urls.link(&urls::briefing(&b.id));
        let facts = &site.claim_facts[c];
        let links = |ixs: &[ClaimIx]| ixs.iter().map(|&i| self.claim_links[i].clone()).collect::<Vec<_>>();
        let resolution = facts.resolution.map(|(rb, ri)| {
            let rbr = &site.briefings[rb];
            let res = &rbr.resolutions[ri];
            Box::new(ResolutionRef {
                outcome: res.outcome.id().to_string(),
                note: res.note.clone().unwrap_or_default(),
                briefing_title: rbr.title.clone(),
                url: format!("{}#{}", self.urls.link(&urls::briefing(&rbr.id)), urls::RESOLUTIONS_ANCHOR),
                date: when_view(&rbr.date),
            })
        });
        let mut view = ClaimView {
            id: claim.id.clone(),
            global_id: site.claim_ref(c),
            anchor: urls::claim_anchor(&claim.id),
            url: format!("{briefing_url}#{}", urls::claim_anchor(&claim.id)),
            r#type: site.claim_type(claim).id.clone(),
            type_label: site.claim_type(claim).label.clone(),
            text_html: text_html.to_string(),
            text: plain.to_string(),
            quote: claim.quote.clone(),
            by: claim.by.map(|a| self.actor_refs[a].clone()),
            about: claim.about.iter().map(|&a| self.actor_refs[a].clone()).collect(),
            date: claim.date.as_ref().map(when_view),
            sources: claim
                .sources
                .iter()
                .map(|cs| {
                    let s = &b.sources[cs.source];
                    let grade = format!(
                        "{}{}",
                        s.reliability.map(String::from).unwrap_or_default(),
                        cs.credibility.map(|n| n.to_string()).unwrap_or_default()
                    );
                    ClaimSourceView {
                        id: s.id.clone(),
                        title: s.title.clone(),
                        grade,
                        url: format!("{briefing_url}#{}", urls::source_anchor(&s.id)),
                    }
                })
                .collect(),
            confidence: claim.confidence.map(|x| x.id().to_string()),
            likelihood: claim.likelihood.map(|l| LikelihoodView {
                term: l.id().to_string(),
                label: l.label(),
                range: l.range_label(),
            }),
            probability: claim.probability,
            resolves_by: claim.resolves_by.map(plain_date_view),
            status: facts.status.map(|s| s.id().to_string()),
            scoring_probability: facts.status.and(site.scoring_probability(claim)),
            due_soon: site.due_soon(c),
            contested: site.contested(c),
            resolution,
            condition: claim.condition.map(|i| Box::new(self.claim_links[i].clone())),
            disputes: links(&claim.disputes),
            disputed_by: links(&facts.disputed_by),
            supports: links(&claim.supports),
            supported_by: links(&facts.supported_by),
            indicators: claim.indicators.clone(),
            briefing: LinkView { title: b.title.clone(), url: briefing_url },
            briefing_date: when_view(&b.date),
            question: None,
            updated_from: None,
            superseded_by: None,
            revised_from: None,
            revised_by: None,
            change_html: None,
            judgment_url: None,
            alternatives: Vec::new(),
        };
        self.chain_fields(c, &mut view);
        view
    }

    /// Renders every claim's fragments (its card, its row and, for a forecast, its forecast
    /// row) and, given `pages`, every briefing's page, briefing by briefing. A claim's view
    /// becomes a Tera value once, for its fragments and its briefing's page together; that
    /// value lives only until the page is done. Fragments whose view is unchanged since the
    /// cached build are reused. Returns the briefing pages.
    fn render_briefings(
        &mut self,
        pages: Option<Dest>,
        old: Option<&Cache>,
        fresh: &mut Cache,
    ) -> Result<Vec<Done>, Vec<Diagnostic>> {
        let this = &*self;
        let made: Vec<PerBriefing> = (0..this.site.briefings.len())
            .into_par_iter()
            .map(|b| this.briefing_with_fragments(b, pages, old))
            // One template error is reported once, not once per claim.
            .collect::<Result<_, Diagnostic>>()
            .map_err(|d| vec![d])?;
        let mut done = Vec::with_capacity(made.len());
        let mut all = Vec::with_capacity(self.site.claims.len());
        for (fragments, page) in made {
            all.extend(fragments);
            done.extend(page);
        }
        // Every claim belongs to exactly one briefing: sorted by claim, these are all claims.
        all.sort_unstable_by_key(|&(c, _)| c);
        let n = all.len();
        let (mut cards, mut rows, mut forecast_rows) =
            (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        for (_, (card, row, forecast_row)) in all {
            cards.push(card);
            rows.push(row);
            forecast_rows.push(forecast_row);
        }
        (self.state.claim_cards, self.state.claim_rows, self.state.forecast_rows) = (cards, rows, forecast_rows);
        if self.hashing {
            let all = self.claim_cards.iter().chain(&self.claim_rows).chain(self.forecast_rows.iter().flatten());
            for f in all {
                fresh.fragments.insert(f.key, f.clone());
            }
        }
        Ok(done)
    }

    /// Briefing `b`'s claim fragments and, given `pages`, its page: a claim's view becomes a
    /// Tera value once, for its fragments and the page together.
    fn briefing_with_fragments(
        &self,
        b: BriefingIx,
        pages: Option<Dest>,
        old: Option<&Cache>,
    ) -> Result<PerBriefing, Diagnostic> {
        let claims = &self.site.briefings[b].claims;
        let mut fragments = Vec::with_capacity(claims.len());
        let mut values = Vec::with_capacity(claims.len());
        for &c in claims {
            let (f, value) = self.claim_fragments(c, old)?;
            fragments.push((c, f));
            values.push(value);
        }
        let page = pages.map(|dest| {
            let (path, ctx) = self.briefing_page(b, values);
            self.page(dest, &path, "briefing.html", ctx)
        });
        Ok((fragments, page))
    }

    /// Claim `c`'s fragments, reused or rendered, and its view's Tera value if one was made.
    fn claim_fragments(&self, c: ClaimIx, old: Option<&Cache>) -> Result<(Fragments, Option<tera::Value>), Diagnostic> {
        let hashing = self.hashing;
        let view = &self.claim_views[c];
        let keys = if hashing {
            let key = hash_of(&(view, self.theme.fingerprint()));
            FRAGMENT_TEMPLATES.map(|t| key ^ hash_of(t))
        } else {
            [0; 3]
        };
        let forecast = view.status.is_some();
        let reused = |i: usize| old.filter(|_| hashing).and_then(|o| o.fragments.get(&keys[i])).cloned();
        if let (Some(card), Some(row)) = (reused(0), reused(1)) {
            match (forecast, reused(2)) {
                (false, _) => return Ok(((card, row, None), None)),
                (true, Some(forecast_row)) => return Ok(((card, row, Some(forecast_row)), None)),
                (true, None) => {}
            }
        }
        // Views are plain data (strings, numbers, lists, maps): they always serialize.
        let value = tera::Value::try_from_serializable(&**view).unwrap_or(tera::Value::none());
        let value = self.with_body(value)?;
        let mut ctx = tera::Context::new();
        ctx.insert_value("claim", value.clone());
        let render =
            |i: usize| self.theme.render(FRAGMENT_TEMPLATES[i], &ctx).map(|html| Fragment::new(&html, keys[i]));
        let fragments = (render(0)?, render(1)?, if forecast { Some(render(2)?) } else { None });
        Ok((fragments, Some(value)))
    }

    /// A claim's Tera value with `body_html`: its `partials/claim_body.html`, rendered once
    /// for the card and the briefing page that both print it.
    fn with_body(&self, value: tera::Value) -> Result<tera::Value, Diagnostic> {
        let body = {
            let mut ctx = tera::Context::new();
            ctx.insert_value("claim", value.clone());
            self.theme.render(CLAIM_BODY, &ctx)?
        };
        // The context is gone: the map is not shared, so this takes it without a copy.
        let Some(mut map) = value.into_map() else {
            return Ok(tera::Value::none());
        };
        map.insert("body_html".into(), tera::Value::safe_string(&body));
        Ok(tera::Value::from(map))
    }

    /// The URL of an `@/` link target (the part after `@/`). Content validation has checked
    /// that the target exists.
    fn internal_link(&self, link: &str) -> Option<String> {
        Some(self.urls.link(&urls::internal(link)?))
    }

    /// Renders every briefing body, or reuses it when its text, anchors and everything it may
    /// link to are unchanged.
    fn render_bodies(&mut self, old: Option<&Cache>, fresh: &mut Cache) {
        let hashing = self.hashing;
        // Autolinks depend on every actor's names; `@/` links on ids and the base path only.
        let shared = hashing.then(|| {
            let names: Vec<(&str, &str, &[String])> =
                self.site.actors.iter().map(|a| (a.id.as_str(), a.name.as_str(), a.aliases.as_slice())).collect();
            hash_of(&(names, self.config.autolink_actors, format!("{:?}", self.config.raw_html), self.urls.root()))
        });
        let bodies: Vec<(u64, String)> = self
            .site
            .briefings
            .par_iter()
            .map(|b| {
                let key = shared.map_or(0, |shared| {
                    let claims: Vec<&str> = b.claims.iter().map(|&c| self.site.claims[c].id.as_str()).collect();
                    let sources: Vec<&str> = b.sources.iter().map(|s| s.id.as_str()).collect();
                    hash_of(&(shared, &*b.body, claims, sources))
                });
                if let Some(html) = old.filter(|_| hashing).and_then(|o| o.bodies.get(&key)) {
                    return (key, html.clone());
                }
                (key, self.body_html(b, &b.body))
            })
            .collect();
        if hashing {
            fresh.bodies.extend(bodies.iter().cloned());
        }
        self.bodies = bodies.into_iter().map(|(_, html)| html).collect();
    }

    /// Briefing `b`'s Markdown `body` (its own, or a new text of it) as its page shows it.
    fn body_html(&self, b: &crate::model::Briefing, body: &str) -> String {
        let internal = |t: &str| self.internal_link(t);
        let reserved: HashSet<String> = b
            .claims
            .iter()
            .map(|&c| urls::claim_anchor(&self.site.claims[c].id))
            .chain(b.sources.iter().map(|s| urls::source_anchor(&s.id)))
            .chain(RESERVED_ANCHORS.iter().map(|s| s.to_string()))
            .collect();
        let opts = BodyOptions {
            raw_html: self.config.raw_html,
            actors: self.autolink.as_ref().map(|(m, urls)| (m, urls.as_slice())),
            internal: &internal,
            reserved_ids: &reserved,
        };
        markdown::render_body(body, &opts)
    }

    fn simple_body(&self, md: &str) -> String {
        let internal = |t: &str| self.internal_link(t);
        let reserved = HashSet::new();
        let opts =
            BodyOptions { raw_html: self.config.raw_html, actors: None, internal: &internal, reserved_ids: &reserved };
        markdown::render_body(md, &opts)
    }

    fn context<'c>(&self, site_path: &str, title: &str, description: &str, section: &'static str) -> PageCtx<'c> {
        self.context_about(site_path, title, description, section, jsonld::Subject::Page)
    }

    /// A page's context, with JSON-LD that describes `subject`.
    fn context_about<'c>(
        &self,
        site_path: &str,
        title: &str,
        description: &str,
        section: &'static str,
        subject: jsonld::Subject,
    ) -> PageCtx<'c> {
        let hash = self.hashing.then(|| {
            let mut h = Hasher64::default();
            self.base_hash.hash(&mut h);
            h
        });
        // The site view is the same on every page: hashed once, in `base_hash`, and added to
        // the Tera context at render time.
        let mut ctx = PageCtx { items: Vec::new(), hash, json_ld: None };
        let description = if description.is_empty() { self.config.description.as_str() } else { description };
        ctx.insert("title", title.to_string());
        ctx.insert("description", description.to_string());
        ctx.insert("page_url", self.urls.link(site_path));
        let canonical_url = self.urls.absolute(site_path);
        if !matches!(subject, jsonld::Subject::Deferred) {
            let meta = jsonld::Meta { canonical_url: &canonical_url, title, description, section };
            ctx.insert("json_ld", jsonld::page(&self.site_view, &meta, subject));
        }
        ctx.insert("canonical_url", canonical_url);
        ctx.insert("section", section);
        ctx.insert("feed", None::<String>);
        ctx
    }

    /// [`Renderer::context_about`] for a page whose JSON-LD is about `view` (a briefing, a
    /// dossier): the JSON-LD is made only if the page is rendered rather than reused.
    fn context_deferred<'c, T: serde::Serialize + Sync + Send + 'c>(
        &self,
        site_path: &str,
        title: &str,
        description: &str,
        section: &'static str,
        view: &Arc<T>,
        subject: impl for<'v> FnOnce(&'v T) -> jsonld::Subject<'v> + 'c,
    ) -> PageCtx<'c> {
        let mut ctx = self.context_about(site_path, title, description, section, jsonld::Subject::Deferred);
        let description = if description.is_empty() { self.config.description.as_str() } else { description };
        let view = Arc::clone(view);
        ctx.json_ld = Some(DeferredLd {
            title: title.to_string(),
            description: description.to_string(),
            canonical_url: self.urls.absolute(site_path),
            section,
            make: Box::new(move |site, meta| jsonld::page(site, meta, subject(&view))),
        });
        ctx
    }

    /// Renders one HTML page (or reuses it): its key is the hash of its context and template.
    fn page(&self, dest: Dest, site_path: &str, template: &'static str, mut ctx: PageCtx) -> Done {
        let key = ctx.hash.take().map(|mut h| {
            template.hash(&mut h);
            h.finish()
        });
        let done = dest.make(urls::output_file(site_path), key, || {
            if let Some(ld) = ctx.json_ld.take() {
                let meta = jsonld::Meta {
                    canonical_url: &ld.canonical_url,
                    title: &ld.title,
                    description: &ld.description,
                    section: ld.section,
                };
                let text = (ld.make)(&self.site_view, &meta);
                ctx.items.push(("json_ld", Item::Value(tera::Value::from(text))));
            }
            // A page is rendered into a buffer of its thread's, kept from page to page, and
            // copied out once with its links made relative.
            PAGE_BUFFER.with_borrow_mut(|html| {
                html.clear();
                self.theme.render_to(template, &ctx.tera(&self.site_value), html)?;
                Ok(urls::relativize(html, self.urls.root(), site_path))
            })
        });
        self.progress.page_done();
        done
    }

    fn render_all(&mut self, dest: Dest, fresh: &mut Cache) -> Result<Made, Vec<Diagnostic>> {
        // Claim fragments and briefing pages first: every other page may list fragments.
        let briefing_pages = self.render_briefings(Some(dest), dest.old, fresh)?;
        crate::timings::phase("render: claim fragments, briefing pages");
        let mut out = Out { made: Made::default(), errors: Vec::new(), dest, fresh };
        let mut html = |path: String, template: &'static str, ctx: PageCtx| {
            let done = self.page(dest, &path, template, ctx);
            out.accept(done);
        };
        let site = self.site;
        // Home, lists, briefings, actors, dossiers, claim types, forecasts, pages.
        let lists = self.cards.len().div_ceil(self.config.paginate.max(1)).max(1);
        let pages = 1 + lists + site.briefings.len() + 1 + site.actors.len() + site.claim_types.len() + 1;
        self.progress.pages(pages + site.pages.len() + site.questions.len() + 1);

        // Home.
        {
            let mut ctx = self.context(&urls::home(), &self.config.title, "", "home");
            ctx.insert("latest", self.cards.iter().take(HOME_ITEMS).collect::<Vec<_>>());
            let mut active: Vec<(ActorIx, usize)> =
                site.actor_facts.iter().enumerate().map(|(a, f)| (a, f.briefings.len())).filter(|x| x.1 > 0).collect();
            active.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            let active: Vec<ActiveActorView> = active
                .into_iter()
                .take(HOME_ITEMS)
                .map(|(a, n)| ActiveActorView { actor: self.actor_refs[a].clone(), briefing_count: n })
                .collect();
            ctx.insert("active_actors", active);
            // A question is due by its latest forecast: superseded ones are left out.
            let mut due: Vec<ClaimIx> = (0..site.claims.len())
                .filter(|&c| site.claim_facts[c].status == Some(Status::Open) && !site.claim_facts[c].superseded())
                .collect();
            due.sort_by_key(|&c| (site.claims[c].resolves_by, c));
            ctx.insert("due_forecasts", due.iter().take(HOME_ITEMS).map(|&c| &self.claim_views[c]).collect::<Vec<_>>());
            ctx.insert("forecast_summary", self.forecast_summary());
            html(urls::home(), "index.html", ctx);
        }

        // Briefing lists.
        let per = self.config.paginate.max(1);
        let total = self.cards.len().div_ceil(per).max(1);
        let list_pages: Vec<Done> = (1..=total)
            .into_par_iter()
            .map(|page| {
                let chunk: Vec<&Shared<BriefingCard>> = self.cards.iter().skip((page - 1) * per).take(per).collect();
                let title = if page == 1 { "Briefings".to_string() } else { format!("Briefings, page {page}") };
                let about = jsonld::Subject::Reports(&chunk);
                let mut ctx = self.context_about(&urls::briefings(page), &title, "", "briefings", about);
                ctx.insert("briefings", chunk);
                ctx.insert("pagination", self.pagination(page, total, urls::briefings));
                self.page(dest, &urls::briefings(page), "briefings.html", ctx)
            })
            .collect();

        crate::timings::phase("render: home, briefing lists");
        // Dossiers in parallel, and meanwhile, on whichever core frees up first, the pages made
        // one at a time (each is one serial job): the actors index, search, the actor graph,
        // plain pages and the site feed. They are accepted below in the order they had when
        // made one after another, so the sitemap lists them in the same order.
        let (actor_pages, (single_pages, site_feed)) = rayon::join(
            || (0..site.actors.len()).into_par_iter().map(|a| self.dossier(dest, a)).collect::<Vec<Done>>(),
            || (self.single_pages(dest), self.site_feed(dest)),
        );
        crate::timings::phase("render: dossiers");

        // Claim types, `paginate` claims per page.
        let mut by_type: Vec<Vec<ClaimIx>> = vec![Vec::new(); site.claim_types.len()];
        for (c, claim) in site.claims.iter().enumerate() {
            by_type[claim.kind].push(c);
        }
        let type_pages: Vec<Done> = page_jobs(&by_type, per)
            .into_par_iter()
            .map(|(t, page, total)| {
                let ct = &site.claim_types[t];
                let path = urls::claim_type_page(&ct.id, page);
                let cards = by_type[t].iter().skip((page - 1) * per).take(per).map(|&c| &self.claim_cards[c]);
                let title = if page == 1 {
                    format!("{} claims", ct.label)
                } else {
                    format!("{} claims, page {page}", ct.label)
                };
                let mut ctx = self.context(&path, &title, &ct.description, "claims");
                ctx.insert("claim_type", &self.site_view.claim_types[t]);
                ctx.insert_fragments("claim_cards", cards);
                ctx.insert("pagination", self.pagination(page, total, |p| urls::claim_type_page(&ct.id, p)));
                self.page(dest, &path, "claims.html", ctx)
            })
            .collect();
        crate::timings::phase("render: claim types");

        // Every claim by or about an actor, one line each.
        let involved: Vec<Vec<ClaimIx>> = (0..site.actors.len()).into_par_iter().map(|a| self.involved(a)).collect();
        let actor_claim_pages: Vec<Done> = page_jobs(&involved, CLAIM_ROWS_PER_PAGE)
            .into_par_iter()
            .map(|(a, page, total)| {
                let actor = &self.actor_refs[a];
                let path = urls::actor_claims(&actor.id, page);
                let involved = &involved[a];
                let rows = involved
                    .iter()
                    .skip((page - 1) * CLAIM_ROWS_PER_PAGE)
                    .take(CLAIM_ROWS_PER_PAGE)
                    .map(|&c| &self.claim_rows[c]);
                let title = match page {
                    1 => format!("Claims by and about {}", actor.name),
                    _ => format!("Claims by and about {}, page {page}", actor.name),
                };
                let mut ctx = self.context(&path, &title, "", "actors");
                ctx.insert("subject", actor);
                ctx.insert("count", involved.len());
                ctx.insert_fragments("claim_cards", rows);
                ctx.insert("pagination", self.pagination(page, total, |p| urls::actor_claims(&actor.id, p)));
                self.page(dest, &path, "actor_claims.html", ctx)
            })
            .collect();
        crate::timings::phase("render: actor claims");

        out.accept_all(single_pages);
        out.accept_all(list_pages);
        out.accept_all(briefing_pages);
        out.accept_all(actor_pages);
        out.accept_all(type_pages);
        out.accept_all(actor_claim_pages);
        crate::timings::phase("render: misc pages");
        out.accept_all(self.ledger_pages(dest));
        out.accept_all(self.question_pages(dest));
        out.accept(self.judgments_page(dest));
        crate::timings::phase("render: ledger, questions, judgments");
        out.accept_all(self.dispute_pages(dest));
        crate::timings::phase("render: disputes");
        out.accept_all(self.timeline_pages(dest));
        crate::timings::phase("render: timeline");
        out.accept_all(self.tag_pages(dest));
        crate::timings::phase("render: tags");

        // Not found (written as 404.html, not a folder).
        {
            let ctx = self.context(&urls::not_found(), "Page not found", "", "404");
            let key = ctx.hash.as_ref().map(|h| h.clone().finish());
            out.add(urls::not_found(), key, || {
                self.theme.render("404.html", &ctx.tera(&self.site_value)).map(String::into_bytes)
            });
        }
        if !out.errors.is_empty() {
            return Err(out.errors);
        }

        out.accept(site_feed);
        let actor_feeds: Vec<Done> = site
            .actors
            .par_iter()
            .enumerate()
            .map(|(a, actor)| {
                let title = format!("{} · {}", actor.name, self.config.title);
                let entries = self.actor_feed_entries(a, FEED_ITEMS);
                let path = urls::actor_feed(&actor.id);
                let key = self.feed_key(&title, &entries, false);
                dest.make(path.clone(), key, || Ok(feeds::feed(self, &path, &title, &entries, false)))
            })
            .collect();
        out.accept_all(actor_feeds);
        out.accept_all(self.tag_feeds(dest));
        crate::timings::phase("render: feeds");
        let sitemap = feeds::sitemap(self, &out.made.paths);
        let sitemap = dest.sink.take(&urls::sitemap(), sitemap);
        out.made.insert(urls::sitemap(), sitemap);
        Ok(out.made)
    }

    /// The pages made one at a time, in the order they are listed: the actors index, search
    /// (its index is added elsewhere), the actor graph, plain pages.
    fn single_pages(&self, dest: Dest) -> Vec<Done> {
        let site = self.site;
        let mut done = Vec::new();
        {
            let mut kinds = Vec::new();
            for kind in crate::model::ActorKind::ALL {
                let mut actors: Vec<ActorCard> = (0..site.actors.len())
                    .filter(|&a| site.actors[a].kind == kind)
                    .map(|a| self.actor_card(a))
                    .collect();
                actors.sort_by(|x, y| {
                    x.actor.name.to_lowercase().cmp(&y.actor.name.to_lowercase()).then(x.actor.id.cmp(&y.actor.id))
                });
                if !actors.is_empty() {
                    kinds.push(KindGroup { id: kind.id().to_string(), label: kind.label().to_string(), actors });
                }
            }
            let mut ctx = self.context(&urls::actors(), "Actors", "", "actors");
            ctx.insert("kinds", kinds);
            done.push(self.page(dest, &urls::actors(), "actors.html", ctx));
        }
        done.push(self.page(
            dest,
            &urls::search(),
            "search.html",
            self.context(&urls::search(), "Search", "", "search"),
        ));
        {
            let mut ctx = self.context(&urls::graph(), "Actor network", GRAPH_DESCRIPTION, "graph");
            ctx.insert("graph_page", graph::site_page(site, &self.actor_refs, &self.typed));
            done.push(self.page(dest, &urls::graph(), "graph.html", ctx));
        }
        for p in &site.pages {
            let view = PageView {
                id: p.id.clone(),
                title: p.title.clone(),
                url: self.urls.link(&urls::page(&p.id)),
                content_html: self.simple_body(&p.body),
            };
            let mut ctx = self.context(&urls::page(&p.id), &p.title, "", "page");
            ctx.insert("page", view);
            done.push(self.page(dest, &urls::page(&p.id), "page.html", ctx));
        }
        done
    }

    /// The site's Atom feed: the newest briefings, in full.
    fn site_feed(&self, dest: Dest) -> Done {
        let entries: Vec<TimelineItem> =
            (0..self.site.briefings.len()).take(FEED_ITEMS).map(TimelineItem::Briefing).collect();
        let key = self.feed_key(&self.config.title, &entries, true);
        dest.make(urls::feed(), key, || Ok(feeds::feed(self, &urls::feed(), &self.config.title, &entries, true)))
    }

    /// A feed's cache key (when caching): everything its entries show.
    fn feed_key(&self, title: &str, entries: &[TimelineItem], full: bool) -> Option<u64> {
        let site = self.site;
        self.hashing.then(|| {
            let items: Vec<_> = entries
                .iter()
                .map(|&item| {
                    let (b, claim) = match item {
                        TimelineItem::Briefing(b) => (b, None),
                        TimelineItem::Claim(c) => (site.claims[c].briefing, Some(&self.claim_links[c])),
                    };
                    let br = &site.briefings[b];
                    (&self.cards[b], br.updated.as_ref().map(|u| &u.text), full.then(|| &self.bodies[b]), claim)
                })
                .collect();
            hash_of(&(self.base_hash, title, items))
        })
    }

    /// One actor's dossier page.
    fn dossier(&self, dest: Dest, a: ActorIx) -> Done {
        let site = self.site;
        let view = Arc::new(self.actor_view(a));
        let desc = markdown::plain_text(&site.actors[a].description);
        let desc = jsonld::short_description(&desc, 200);
        let path = urls::actor(&view.card.actor.id);
        let mut ctx =
            self.context_deferred(&path, &view.card.actor.name, &desc, "actors", &view, |v| jsonld::Subject::Actor(v));
        ctx.insert("feed", view.feed_url.clone());
        ctx.insert("actor", Shared(view));
        self.page(dest, &urls::actor(&site.actors[a].id), "actor.html", ctx)
    }

    fn forecast_summary(&self) -> ForecastSummaryView {
        let f = &self.site.forecasts;
        ForecastSummaryView {
            total: f.total,
            questions: f.questions,
            resolved: f.resolved,
            scored: f.scored,
            open: f.open,
            overdue: f.overdue,
            brier: f.brier.map(|b| format!("{b:.3}")),
        }
    }

    /// Briefing `b`'s page: its site path and context (for `briefing.html`).
    ///
    /// `values` are the Tera values of the briefing's claim views, where they were made
    /// already (see [`PageClaim`]); missing ones are converted with the page.
    fn briefing_page<'c>(&self, b: BriefingIx, values: Vec<Option<tera::Value>>) -> (String, PageCtx<'c>) {
        let view = Arc::new(self.briefing_view(b, values));
        let path = urls::briefing(&self.site.briefings[b].id);
        let mut ctx = self.context_deferred(&path, &view.card.title, &view.card.summary, "briefings", &view, |v| {
            jsonld::Subject::Briefing(v)
        });
        ctx.insert("briefing", Shared(view));
        (path, ctx)
    }

    fn briefing_view(&self, b: BriefingIx, values: Vec<Option<tera::Value>>) -> BriefingView {
        let site = self.site;
        let br = &site.briefings[b];
        let link = |i: BriefingIx| LinkView { title: site.briefings[i].title.clone(), url: self.cards[i].url.clone() };
        let claims: Vec<PageClaim> = br
            .claims
            .iter()
            .zip(values.into_iter().chain(std::iter::repeat(None)))
            .map(|(&c, value)| PageClaim { view: self.claim_views[c].clone(), value })
            .collect();
        let mut claim_groups: Vec<PageClaimGroup> = Vec::new();
        for (t, ct) in site.claim_types.iter().enumerate() {
            let of_type = br.claims.iter().zip(&claims).filter(|&(&c, _)| site.claims[c].kind == t);
            let group: Vec<PageClaim> = of_type.map(|(_, claim)| claim.clone()).collect();
            if !group.is_empty() {
                claim_groups.push(PageClaimGroup {
                    r#type: ct.id.clone(),
                    label: ct.label.clone(),
                    count: group.len(),
                    claims: group,
                });
            }
        }
        BriefingView {
            card: BriefingCard::clone(&self.cards[b]),
            updated: br.updated.as_ref().map(when_view),
            key_takeaways: br.key_takeaways.clone(),
            content_html: self.bodies[b].clone(),
            claims,
            claim_groups,
            sources: br
                .sources
                .iter()
                .map(|s| SourceView {
                    id: s.id.clone(),
                    anchor: urls::source_anchor(&s.id),
                    title: s.title.clone(),
                    publisher: s.publisher.clone(),
                    url: s.url.clone(),
                    host: s.url.as_deref().and_then(urls::host),
                    published: s.published.map(plain_date_view),
                    reliability: s.reliability.map(String::from),
                    reliability_label: s
                        .reliability
                        .and_then(|r| RELIABILITY.iter().find(|(c, _)| *c == r).map(|(_, l)| (*l).to_string())),
                })
                .collect(),
            resolutions: br
                .resolutions
                .iter()
                .map(|r| ResolutionView {
                    claim: self.claim_links[r.claim].clone(),
                    outcome: r.outcome.id().to_string(),
                    evidence: r.evidence.iter().map(|&c| self.claim_links[c].clone()).collect(),
                    note: r.note.clone().unwrap_or_default(),
                })
                .collect(),
            prev: (b + 1 < site.briefings.len()).then(|| link(b + 1)),
            next: (b > 0).then(|| link(b - 1)),
        }
    }

    fn actor_card(&self, a: ActorIx) -> ActorCard {
        let site = self.site;
        let facts = &site.actor_facts[a];
        let mut claims: Vec<ClaimIx> = facts.claims_by.iter().chain(&facts.claims_about).copied().collect();
        claims.sort_unstable();
        claims.dedup();
        ActorCard {
            actor: self.actor_refs[a].clone(),
            kind_label: site.actors[a].kind.singular().to_string(),
            parent: site.actors[a].parent.map(|p| self.actor_refs[p].clone()),
            briefing_count: facts.briefings.len(),
            claim_count: claims.len(),
        }
    }

    fn pagination(&self, page: usize, total: usize, path: impl Fn(usize) -> String) -> PaginationView {
        PaginationView {
            current: page,
            total,
            prev_url: (page > 1).then(|| self.urls.link(&path(page - 1))),
            next_url: (page < total).then(|| self.urls.link(&path(page + 1))),
        }
    }

    /// Claims by or about actor `a` (rolled up), newest briefing first.
    fn involved(&self, a: ActorIx) -> Vec<ClaimIx> {
        let facts = &self.site.actor_facts[a];
        let mut involved: Vec<ClaimIx> = facts.claims_by.iter().chain(&facts.claims_about).copied().collect();
        involved.sort_unstable();
        involved.dedup();
        involved
    }

    /// Claims grouped by type in type order, each group with its newest cards.
    fn groups(&self, claims: &[ClaimIx]) -> Vec<ClaimGroup> {
        let site = self.site;
        let mut groups: Vec<ClaimGroup> = site
            .claim_types
            .iter()
            .map(|ct| ClaimGroup { r#type: ct.id.clone(), label: ct.label.clone(), count: 0, claims: Vec::new() })
            .collect();
        for &c in claims {
            let g = &mut groups[site.claims[c].kind];
            g.count += 1;
            if g.claims.len() < GROUP_CARDS {
                g.claims.push(self.claim_cards[c].clone());
            }
        }
        groups.retain(|g| g.count > 0);
        groups
    }

    fn actor_view(&self, a: ActorIx) -> ActorView {
        let site = self.site;
        let actor = &site.actors[a];
        let facts = &site.actor_facts[a];
        let involved = self.involved(a);
        let disputes: Vec<ClaimIx> = involved
            .iter()
            .copied()
            .filter(|&c| {
                site.builtin(&site.claims[c]) == Some(BuiltinType::Denial)
                    || !site.claim_facts[c].disputed_by.is_empty()
            })
            .collect();
        let (forecasts_open, forecasts_resolved, forecast_counts) = self.actor_forecasts(&involved);
        let (timeline, timeline_count, timeline_more) = self.actor_timeline(&facts.briefings, &involved);
        ActorView {
            card: self.actor_card(a),
            feed_url: self.urls.link(&urls::actor_feed(&actor.id)),
            description_html: self.simple_body(&actor.description),
            aliases: actor.aliases.clone(),
            country: actor.country.clone(),
            wikidata: actor.wikidata.clone(),
            wikidata_url: actor.wikidata.as_ref().map(|q| format!("https://www.wikidata.org/wiki/{q}")),
            children: facts.children.iter().map(|&c| self.actor_refs[c].clone()).collect(),
            relations: actor
                .relations
                .iter()
                .map(|r| RelationView {
                    r#type: r.kind.id().to_string(),
                    label: r.kind.label().to_string(),
                    target: self.actor_refs[r.target].clone(),
                    from: r.from.clone(),
                    to: r.to.clone(),
                })
                .collect(),
            related: facts
                .related
                .iter()
                .map(|&(o, w)| RelatedView { actor: self.actor_refs[o].clone(), weight: w })
                .collect(),
            briefings: facts.briefings.iter().take(jsonld::SUBJECT_OF_MAX).map(|&b| self.cards[b].clone()).collect(),
            claims_by: self.groups(&facts.claims_by),
            claims_about: self.groups(&facts.claims_about),
            claims_url: self.urls.link(&urls::actor_claims(&actor.id, 1)),
            involved_count: involved.len(),
            dispute_count: disputes.len(),
            disputes: disputes.iter().take(DOSSIER_DISPUTES).map(|&c| self.claim_cards[c].clone()).collect(),
            forecasts_open,
            forecasts_resolved,
            forecast_counts,
            timeline,
            timeline_count,
            timeline_more,
            ego: graph::ego(site, &self.actor_refs, &self.typed, a),
            judgments: self.actor_judgments(&involved),
        }
    }
}

/// One job per page of each list, `per` items a page (an empty list still has its page 1):
/// (list index, page, pages of that list).
fn page_jobs<T>(lists: &[Vec<T>], per: usize) -> Vec<(usize, usize, usize)> {
    lists
        .iter()
        .enumerate()
        .flat_map(|(i, list)| {
            let total = list.len().div_ceil(per).max(1);
            (1..=total).map(move |page| (i, page, total))
        })
        .collect()
}

/// Ids the built-in briefing template uses for its own sections, kept free of heading ids.
const RESERVED_ANCHORS: &[&str] = &[
    "main",
    "briefing-bluf",
    "briefing-takeaways",
    "briefing-claims",
    "briefing-claims-heading",
    urls::RESOLUTIONS_ANCHOR,
    "briefing-resolutions-heading",
    "briefing-sources",
    "briefing-sources-heading",
];

#[derive(serde::Serialize)]
struct KindGroup {
    id: String,
    label: String,
    actors: Vec<ActorCard>,
}
