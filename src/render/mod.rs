//! Render: the model -> every output file.
//!
//! [`render_site_with`] builds the views once (claims, briefing cards, actor references are
//! shared by many pages), renders each page through the theme, and adds feeds, the sitemap,
//! `data.json` and `stix.json`. Each file goes to a [`Sink`] as soon as it is made: kept in
//! memory, or handed on from the thread that made it (a build writing its output), so a site
//! need never be held whole. It returns what it made, or every diagnostic (a dangling `@/`
//! link, a template error).
//!
//! This file holds the entry points and the way a finished file goes to its sink. The views
//! every page shares are built in `state`; one page's template context, and its rendering,
//! is `context`; `pages/` renders each family of pages, one file each (a new page goes
//! there); `cache` is what a serve session keeps from one render to the next.

pub mod bench;
mod cache;
mod context;
mod data;
mod graph;
mod json;
mod jsonld;
pub mod markdown;
mod pages;
pub mod search;
mod state;
pub mod stix;
pub mod templates;
pub mod urls;
pub mod views;

pub use cache::PageCache;
pub use state::RenderState;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{BriefingIx, Site};
use cache::key_of;
use state::{ClaimTexts, Renderer};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use templates::Theme;
use urls::Urls;

/// The rendered site: output path (relative, `/`-separated) -> bytes. Shared, not copied,
/// between builds of a serve session.
pub type OutputFiles = BTreeMap<String, Arc<[u8]>>;

/// One output file: its path (as in [`OutputFiles`]) and bytes.
pub type OutputFile = (String, Arc<[u8]>);

/// Where each rendered file goes, as soon as it is made.
#[derive(Clone, Copy)]
pub enum Sink<'a> {
    /// Kept in memory and returned in [`Made::files`].
    Memory,
    /// Kept in memory like [`Sink::Memory`], and shown to the function as soon as each group
    /// of pages is made, before the render ends: the pages of the briefings whose files are
    /// named (relative paths: the ones just edited), then every briefing page, then every
    /// page, before the feeds, the sitemap and the site-wide files are done and before any
    /// check of the whole site has run (`serve` publishes them at once; a later error still
    /// fails the render).
    Shown(&'a (dyn Fn(Vec<OutputFile>) + Sync), &'a [String]),
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
            Sink::Memory | Sink::Shown(..) => Some(bytes.into()),
            Sink::PathsOnly => None,
            Sink::Stream(put) => {
                put(path, bytes.as_ref());
                None
            }
        }
    }
}

impl Sink<'_> {
    /// Shows the pages made so far to a [`Sink::Shown`] function; nothing for other sinks.
    fn show<'f>(&self, files: impl Iterator<Item = (&'f String, &'f Arc<[u8]>)>) {
        if let Sink::Shown(show, _) = self {
            show(files.map(|(path, bytes)| (path.clone(), Arc::clone(bytes))).collect());
        }
    }
}

/// What a render made.
#[derive(Debug, Default)]
pub struct Made {
    /// Every file's output path.
    pub paths: BTreeSet<String>,
    /// Their bytes with [`Sink::Memory`]; empty with [`Sink::Stream`].
    pub files: OutputFiles,
}

impl Made {
    fn insert(&mut self, path: String, bytes: Option<Arc<[u8]>>) {
        if let Some(bytes) = bytes {
            self.files.insert(path.clone(), bytes);
        }
        self.paths.insert(path);
    }
}

pub const GENERATOR: &str = concat!("sitpress ", env!("CARGO_PKG_VERSION"));

/// Told how rendering goes, from any thread: for a progress bar.
pub trait PageProgress: Sync {
    /// About `pages` HTML pages will be rendered (or reused).
    fn pages(&self, _pages: usize) {}
    /// One more HTML page is done.
    fn page_done(&self) {}
}

impl PageProgress for () {}

/// Renders the whole site, telling `progress` as pages are done and handing each file to
/// `sink`. Pages handed on by a [`Sink::Stream`] are not kept, so not cached for the next
/// render. With `exit_after` (the process ends right after; see `build::Options`), the views
/// are left to the OS instead of being freed one by one.
pub fn render_site_with(
    site: &Site,
    config: &Config,
    theme: &Theme,
    cache: Option<&mut PageCache>,
    progress: &dyn PageProgress,
    sink: Sink<'_>,
    exit_after: bool,
) -> Result<Made, Vec<Diagnostic>> {
    // data.json and stix.json need only the model: each is one long serial job, made while the
    // views, bodies and pages (parallel jobs) keep the other cores busy, and handed on as soon
    // as it is made. The search index needs the bodies' text, which their rendering makes.
    let old = cache.as_deref();
    // Claim texts as HTML and plain text, for the claims' views and the search index alike.
    let texts = ClaimTexts::new(site, old);
    let plain = &texts.plain;
    let data_and_stix = || match sink {
        Sink::PathsOnly => (None, None),
        _ => rayon::join(
            || sink.take(&urls::data(), data::data_json(site, &config.title, &Urls::new(config.base_url.clone()))),
            || sink.take(&urls::stix(), stix::bundle_json_with(site, config, plain)),
        ),
    };
    let views = || -> Result<_, Vec<Diagnostic>> {
        let mut r = Renderer::new(site, config, theme, &texts)?;
        r.progress = progress;
        r.caching = old.is_some();
        if r.caching {
            r.site_key = key_of(&(&r.site_view, theme.fingerprint()));
        }
        let mut fresh = PageCache::default();
        let bodies = r.render_bodies(old, &mut fresh);
        crate::timings::phase("render: views, bodies");
        Ok((r, fresh, bodies))
    };
    let index = |bodies: &[Arc<str>]| search::index_files(site, plain, bodies, &sink);
    let dest = Dest { old, sink };
    // A build makes the site-wide files beside the pages, each a long serial job for the other
    // core. A render that shows its pages as they are made (serve) makes them after: no open
    // page shows them, and beside the pages they would halve the cores the edited page waits
    // for.
    let ((data, stix), index, (r, mut fresh, mut made)) = match sink {
        Sink::Shown(..) => {
            let (mut r, mut fresh, bodies) = views()?;
            let made = r.render_all(dest, &mut fresh)?;
            let (site_wide, index) = rayon::join(data_and_stix, || index(&bodies));
            (site_wide, index, (r, fresh, made))
        }
        _ => {
            let (site_wide, pages) = rayon::join(data_and_stix, || -> Result<_, Vec<Diagnostic>> {
                let (mut r, mut fresh, bodies) = views()?;
                let (index, made) = rayon::join(|| index(&bodies), || r.render_all(dest, &mut fresh));
                Ok((index, (r, fresh, made?)))
            });
            let (index, pages) = pages?;
            (site_wide, index, pages)
        }
    };
    crate::timings::phase("render: data.json, stix.json, search index");
    made.insert(urls::data(), data);
    made.insert(urls::stix(), stix);
    for (path, bytes) in index {
        made.insert(path, bytes);
    }
    match cache {
        Some(c) => {
            fresh.state = Some(r.state);
            fresh.claim_texts = texts.into_cache(site);
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
    state: RenderState,
    b: BriefingIx,
    body: &str,
) -> (RenderState, Result<OutputFile, Diagnostic>) {
    let mut r = Renderer { site, config, theme, progress: &(), state };
    r.bodies[b] = r.body(&site.briefings[b], body).html;
    let (path, ctx) = r.briefing_page(b, Vec::new());
    let done = r.page(Dest { old: None, sink: Sink::Memory }, &path, "briefing.html", ctx);
    // In memory, the bytes always come back.
    (r.state, done.result.map(|bytes| (done.path, bytes.unwrap_or_else(|| Arc::from(&[][..])))))
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
    old: Option<&'a PageCache>,
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

/// Output being assembled, in a fixed order: what was made, the errors, and the cache the
/// next render will reuse pages from.
struct Out<'c> {
    made: Made,
    errors: Vec<Diagnostic>,
    fresh: &'c mut PageCache,
}

impl Out<'_> {
    /// Takes a file made by a page job: counts it, caches it (when it has a key and its bytes
    /// were kept) and records it, or its error.
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
