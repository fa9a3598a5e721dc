//! `sitpress serve`: a live preview. The only module with sockets, threads or a watcher.
//!
//! Drafts are in the preview, so it answers only this machine's browser: `guard` refuses
//! other hosts and other sites' requests, `conn` caps and times out connections.
//!
//! The site is built in memory (never written to disk) with the base URL of the server, so
//! every link works locally whatever `base_url`'s path is. A watcher on `content/`,
//! `templates/`, `static/` and `sitpress.yaml` triggers a rebuild through the same pipeline as
//! `build` ([`build::render_with`]), whose caches make it incremental: only changed files are
//! parsed again and only pages whose inputs changed are rendered again. Every open page holds
//! a server-sent-events connection: a good rebuild sends `reload`; a failed one sends
//! `build-error` with the diagnostics, shown as an overlay over the last good page, which the
//! server keeps serving.

mod conn;
mod guard;
mod preview;

pub use conn::{HEADER_TIMEOUT, MAX_CONNECTIONS};
pub use guard::host_name;

use crate::build::{self, Options, RebuildCaches, Report, StaticFile};
use crate::diagnostic::Diagnostic;
use crate::render::{OutputFile, OutputFiles};
use anyhow::{Context, Result};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::civil::Date;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use preview::Preview;
use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// URL prefix of the server's own endpoints; no site path can start with it (ids cannot
/// start with `_`).
const PREFIX: &str = "/__sitpress/";
/// The folders of a site's sources, watched recursively.
const SOURCE_DIRS: [&str; 3] = ["content", "templates", "static"];
/// The tag injected before `</body>` of every HTML response, and only here.
pub const RELOAD_TAG: &str = "<script src=\"/__sitpress/reload.js\" defer></script>";
const RELOAD_JS: &str = include_str!("serve/reload.js");

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub open: bool,
    pub drafts: bool,
    /// Host names answered besides the loopback and the bound address (see [`host_name`]).
    pub allow_hosts: Vec<String>,
}

/// What the server tells the person running it; the CLI prints it.
pub enum Notice<'a> {
    Listening {
        url: &'a str,
    },
    /// The server is reachable from other machines, which must name it by the bound address
    /// or one of `allowed`.
    Exposed {
        bind: IpAddr,
        allowed: &'a [String],
    },
    /// Edited briefings shown at once, before the rebuild behind them.
    Previewed {
        pages: &'a [String],
        elapsed: Duration,
    },
    Built {
        /// How long after the start the first changed page went out, when one went out before
        /// the whole rebuild was done.
        shown: Option<Duration>,
        parsed: usize,
        rendered: usize,
        reused: usize,
        elapsed: Duration,
    },
    /// Errors of a failed build, or warnings that changed since the last build.
    Diagnostics {
        report: &'a Report,
        root: &'a Path,
    },
    OpenFailed {
        error: String,
    },
    /// The watcher lost track of changes: everything is read again.
    Rescan {
        reason: &'a str,
    },
    Stopped,
}

/// The site as served now.
#[derive(Clone)]
struct Served {
    files: ServedFiles,
    statics: BTreeMap<String, StaticFile>,
    /// Diagnostics of the last build when it failed; the files are then the last good ones.
    errors: Option<Arc<str>>,
}

/// The pages served: the files of the last whole render, shared by every version of the
/// served site made from it, and the pages published over them since (a preview, a rebuild's
/// groups of changed pages), so publishing a few pages copies none of the others.
#[derive(Clone, Default)]
struct ServedFiles {
    render: Arc<OutputFiles>,
    newer: OutputFiles,
}

impl ServedFiles {
    fn new(render: OutputFiles) -> ServedFiles {
        ServedFiles { render: Arc::new(render), newer: OutputFiles::new() }
    }

    fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.newer.get(path).or_else(|| self.render.get(path))
    }

    fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    fn is_empty(&self) -> bool {
        self.render.is_empty() && self.newer.is_empty()
    }

    fn insert(&mut self, path: String, bytes: Arc<[u8]>) {
        self.newer.insert(path, bytes);
    }

    /// Every path, each once.
    fn keys(&self) -> impl Iterator<Item = &String> {
        self.render.keys().chain(self.newer.keys().filter(|p| !self.render.contains_key(*p)))
    }
}

#[derive(Clone, Debug)]
enum Message {
    /// The site changed: the paths of the pages that changed (URL paths, as a JSON array; an
    /// open page reloads when its own path is among them), or every page.
    Reload(Option<Arc<str>>),
    /// JSON: the diagnostics to show in the overlay.
    BuildError(Arc<str>),
    /// The server is stopping: event streams end, so open connections let it stop.
    Shutdown,
}

/// What is published, shared by the request handlers, the preview and the builder: the site
/// served now, and the channel its changes and errors are announced on.
#[derive(Clone)]
struct Published {
    served: Arc<RwLock<Arc<Served>>>,
    events: broadcast::Sender<Message>,
    streams: Arc<Streams>,
}

/// The site served now. A lock poisoned by a panic elsewhere still holds a whole site (every
/// writer swaps one `Arc`), so it is read anyway rather than failing every request after.
fn read(served: &RwLock<Arc<Served>>) -> Arc<Served> {
    Arc::clone(&served.read().unwrap_or_else(PoisonError::into_inner))
}

/// What the preview side (which answers each save at once) and the build side (which rebuilds
/// the whole site behind it) share.
#[derive(Default)]
struct Live {
    /// The last good build, when nothing it does not include has changed since but bodies of
    /// briefings: the preview renders from it.
    last: Mutex<Option<Last>>,
    /// Changes the preview could not show (front matter, dossiers, templates, new files),
    /// counted: a build made before the latest of them is not previewed from.
    structural: AtomicU64,
    /// Output paths a preview published, and when: a build that started earlier read the
    /// older file, so it keeps these pages rather than go back in time.
    previewed: Mutex<HashMap<String, Instant>>,
}

struct Last {
    preview: Preview,
    /// The count of structural changes when the build that made it started.
    structural: u64,
}

/// Builds, serves and watches until Ctrl-C. `today` is asked at every build.
pub fn serve(
    opts: ServeOptions,
    today: impl Fn() -> Result<Date> + Send + 'static,
    notice: impl Fn(Notice<'_>) + Send + Sync + 'static,
) -> Result<()> {
    let addr = SocketAddr::new(opts.bind, opts.port);
    // Bind first: a port in use is reported before any work.
    let listener = std::net::TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "port {} on {} is already in use; stop the other server or choose another port with `--port {}`",
            opts.port,
            opts.bind,
            opts.port.wrapping_add(1).max(1024)
        ),
        std::io::ErrorKind::PermissionDenied => {
            anyhow::anyhow!("not allowed to listen on port {}; choose a port above 1023 with `--port`", opts.port)
        }
        _ => anyhow::anyhow!("cannot listen on {addr}: {e}"),
    })?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    let host = match opts.bind {
        IpAddr::V4(ip) if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(ip) if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let url = format!("http://{host}:{port}/");
    let notice = Arc::new(notice);

    // Canonical, so the watcher's paths and the parse cache's paths are the same paths.
    let root =
        opts.root.canonicalize().with_context(|| format!("cannot read the site root `{}`", opts.root.display()))?;
    let build_opts =
        Options { drafts: opts.drafts, base_url: Some(url.clone()), ..Options::new(root.clone(), today()?) };
    let mut builder = Builder::new(build_opts, Box::new(today));
    let (events, _) = broadcast::channel(64);
    let served = Arc::new(RwLock::new(Arc::new(Served {
        files: ServedFiles::default(),
        statics: BTreeMap::new(),
        errors: None,
    })));
    let shared = Published { served, events, streams: Arc::default() };
    let (tx, rx) = std::sync::mpsc::channel::<Change>();
    let watcher = Arc::new(std::sync::Mutex::new(watch(&root, tx)?));
    let live = Arc::new(Live::default());
    builder.rebuild(&shared, &live, 0, false, &*notice);

    // Two threads behind the watcher, so a save is answered at once and builds never block
    // requests. The preview thread shows an edited briefing body within milliseconds and
    // passes every change on to the build thread, which rebuilds the whole site (one build for
    // a burst of saves). The watcher was started before the first build: a save during it
    // waits in the channel, it is not missed.
    let (to_build, builds) = std::sync::mpsc::channel::<Change>();
    {
        let shared = shared.clone();
        let notice = notice.clone();
        let live = live.clone();
        std::thread::spawn(move || {
            while let Ok(mut change) = rx.recv() {
                // Take everything that arrived meanwhile.
                while let Ok(more) = rx.recv_timeout(Duration::from_millis(5)) {
                    change.merge(more);
                }
                // A source folder created after the start (a first `static/`) is watched from
                // now on (after a rescan, whatever exists); the root itself is watched only one
                // level deep.
                for dir in SOURCE_DIRS.map(|d| root.join(d)) {
                    if (change.rescan.is_some() || change.paths.contains(&dir))
                        && dir.is_dir()
                        && let Ok(mut w) = watcher.lock()
                    {
                        let _ = w.watch(&dir, RecursiveMode::Recursive);
                    }
                }
                change.paths.sort();
                change.paths.dedup();
                // After a rescan nothing is known of what changed: no preview from the old model.
                if change.rescan.is_some() || !preview(&shared, &live, &change.paths, &*notice) {
                    live.structural.fetch_add(1, Ordering::SeqCst);
                }
                if to_build.send(change).is_err() {
                    break;
                }
            }
        });
    }
    {
        let shared = shared.clone();
        let notice = notice.clone();
        std::thread::spawn(move || {
            while let Ok(mut change) = builds.recv() {
                // Read before taking the changes: the build then includes at least every
                // structural change counted so far.
                let structural = live.structural.load(Ordering::SeqCst);
                while let Ok(more) = builds.try_recv() {
                    change.merge(more);
                }
                builder.update(change, &shared, &live, structural, &*notice);
            }
        });
    }

    if !opts.bind.is_loopback() {
        notice(Notice::Exposed { bind: opts.bind, allowed: &opts.allow_hosts });
    }
    notice(Notice::Listening { url: &url });
    if opts.open
        && let Err(e) = open_browser(&url)
    {
        notice(Notice::OpenFailed { error: e.to_string() });
    }

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let stopping = shared.events.clone();
    let hosts = Arc::new(guard::Hosts::new(opts.bind, &opts.allow_hosts));
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        conn::run(listener, app(shared, hosts), async move {
            let _ = tokio::signal::ctrl_c().await;
            let _ = stopping.send(Message::Shutdown);
        })
        .await;
        anyhow::Ok(())
    })?;
    notice(Notice::Stopped);
    Ok(())
}

/// Every route, behind the guard (which also marks every response, errors included).
fn app(shared: Published, hosts: Arc<guard::Hosts>) -> Router {
    Router::new()
        .route("/__sitpress/events", get(events_handler))
        .route("/__sitpress/reload.js", get(reload_js))
        .route("/__sitpress/manifest.json", get(manifest))
        .fallback(site_handler)
        .with_state(shared)
        .layer(axum::middleware::from_fn_with_state(hosts, guard::guard))
}

/// What the watcher saw since the last build.
#[derive(Debug, Default, PartialEq)]
struct Change {
    /// The changed paths (files or folders).
    paths: Vec<PathBuf>,
    /// Set when the watcher lost track of changes (its queue overflowed, as on a `git checkout`
    /// of thousands of files, or it failed): why. Any file may have changed, so the build reads
    /// every file again instead of trusting their stamps.
    rescan: Option<String>,
}

impl Change {
    fn merge(&mut self, other: Change) {
        self.paths.extend(other.paths);
        self.rescan = self.rescan.take().or(other.rescan);
    }
}

/// How the site is rendered: [`build::render_shown`], or in tests one that fails.
type RenderFn = fn(
    &Options,
    &mut Report,
    Option<&mut RebuildCaches>,
    &(dyn Fn(Vec<OutputFile>) + Sync),
) -> Result<Option<build::Rendered>>;

struct Builder {
    opts: Options,
    caches: RebuildCaches,
    today: Box<dyn Fn() -> Result<Date> + Send>,
    /// The warnings last shown, so an unchanged list is not printed on every save.
    shown: Vec<Diagnostic>,
    render: RenderFn,
}

impl Builder {
    fn new(opts: Options, today: Box<dyn Fn() -> Result<Date> + Send>) -> Builder {
        Builder { opts, caches: RebuildCaches::default(), today, shown: Vec::new(), render: build::render_shown }
    }

    /// Rebuilds after `change`: files it names are read again (every file after a rescan),
    /// and a change to `static/` reloads every open page, since any page may use a static
    /// file, directly or through a stylesheet or script.
    fn update(
        &mut self,
        change: Change,
        shared: &Published,
        live: &Live,
        structural: u64,
        notice: &(dyn Fn(Notice<'_>) + Send + Sync),
    ) {
        if let Some(reason) = &change.rescan {
            notice(Notice::Rescan { reason });
            self.caches.content = Default::default();
        }
        for p in &change.paths {
            self.caches.content.invalidate(p);
        }
        let statics = self.opts.root.join("static");
        let everything = change.rescan.is_some() || change.paths.iter().any(|p| p.starts_with(&statics));
        self.rebuild(shared, live, structural, everything, notice);
    }

    /// Rebuilds and publishes the result: new files and `reload` (for every page when
    /// `everything`), or the errors (the last good files stay) and `build-error`.
    /// `structural` is the count of structural changes this build includes.
    fn rebuild(
        &mut self,
        shared: &Published,
        live: &Live,
        structural: u64,
        everything: bool,
        notice: &(dyn Fn(Notice<'_>) + Send + Sync),
    ) {
        let start = Instant::now();
        if let Ok(today) = (self.today)() {
            self.opts.today = today;
        }
        let mut report = Report::default();
        let render = self.render;
        // The edited pages go out as soon as they are made, the pages that list them next, and
        // the site-wide files with the rest below.
        let early = EarlyPages { shared, live, start, first: OnceLock::new() };
        let show = |files: Vec<OutputFile>| early.publish(files);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            render(&self.opts, &mut report, Some(&mut self.caches), &show)
        }));
        let shown = early.first.get().copied();
        let root = || crate::diagnostic::Loc::file(self.opts.root.display().to_string());
        let mut rendered = match result {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                // An I/O problem (a folder removed mid-build...): shown like a content error.
                // Named after the site root, so the message never starts with an empty location.
                report.diagnostics = vec![Diagnostic::error(root(), format!("{e:#}"))];
                None
            }
            Err(panic) => {
                // A bug, not the content's fault. The caches may be half updated: the next
                // build starts from nothing, and the server goes on with the last good site.
                self.caches = RebuildCaches::default();
                report = Report::default();
                report.diagnostics = vec![
                    Diagnostic::error(root(), format!("sitpress crashed while building the site: {}", panic_message(&*panic)))
                        .with_help("this is a bug in sitpress, not in your files; the last good site is still served, and the next save builds again from scratch"),
                ];
                None
            }
        };
        // The previous build's views are freed on the side, not before the reload.
        let source = rendered.as_mut().and_then(|r| r.source.take());
        let last = source
            .map(|source| Last { preview: Preview::new(&self.opts.root, source, &self.caches.content), structural });
        let old = std::mem::replace(&mut *live.last.lock().unwrap_or_else(PoisonError::into_inner), last);
        std::thread::spawn(move || drop(old));
        // Told before the lock below is taken: readers wait for nothing but the swap.
        let errors = match &rendered {
            Some(_) => {
                notice(Notice::Built {
                    shown,
                    parsed: self.caches.content.parsed,
                    rendered: self.caches.pages.rendered,
                    reused: self.caches.pages.reused,
                    elapsed: start.elapsed(),
                });
                if report.diagnostics != self.shown && !report.diagnostics.is_empty() {
                    notice(Notice::Diagnostics { report: &report, root: &self.opts.root });
                }
                None
            }
            None => {
                notice(Notice::Diagnostics { report: &report, root: &self.opts.root });
                Some(Arc::<str>::from(overlay_json(&report.diagnostics, &self.opts.root)))
            }
        };
        self.shown = report.diagnostics;
        // Under the lock, so no preview published meanwhile is lost.
        let mut served = shared.served.write().unwrap_or_else(PoisonError::into_inner);
        let previous = Arc::clone(&served);
        let next = match (rendered, errors) {
            (Some(mut rendered), None) => {
                // A page previewed after this build started shows a newer file than it read.
                live.previewed.lock().unwrap_or_else(PoisonError::into_inner).retain(|path, at| {
                    if *at > start
                        && let Some(bytes) = previous.files.get(path)
                    {
                        rendered.files.insert(path.clone(), bytes.clone());
                    }
                    *at > start
                });
                Served { files: ServedFiles::new(rendered.files), statics: rendered.statics, errors: None }
            }
            // The last good site stays served under the overlay.
            (_, errors) => Served { errors, ..(*previous).clone() },
        };
        let message = match &next.errors {
            Some(e) => Message::BuildError(e.clone()),
            None if everything => Message::Reload(None),
            None => Message::Reload(changed_pages(&previous, &next)),
        };
        *served = Arc::new(next);
        drop(served);
        let _ = shared.events.send(message);
    }
}

/// Publishes a rebuild's pages while it goes on (see [`crate::render::Sink::Shown`]): each
/// group's changed pages are served and reloaded at once, so the edited briefing's page does
/// not wait for the rest of the site. The rebuild's own publication follows with everything.
struct EarlyPages<'a> {
    shared: &'a Published,
    live: &'a Live,
    /// When the rebuild started.
    start: Instant,
    /// How long after `start` the first changed page went out.
    first: OnceLock<Duration>,
}

impl EarlyPages<'_> {
    fn publish(&self, files: Vec<OutputFile>) {
        let mut served = self.shared.served.write().unwrap_or_else(PoisonError::into_inner);
        // Under an error overlay, the site changes only once the whole rebuild is good.
        if served.errors.is_some() || served.files.is_empty() {
            return;
        }
        // A page previewed after this rebuild started shows a newer file than it read.
        let previewed = self.live.previewed.lock().unwrap_or_else(PoisonError::into_inner);
        let mut next: Option<Served> = None;
        let mut urls = Vec::new();
        for (path, bytes) in files {
            if !path.ends_with(".html") || previewed.get(&path).is_some_and(|at| *at > self.start) {
                continue;
            }
            if let Some(old) = served.files.get(&path)
                && (Arc::ptr_eq(old, &bytes) || *old == bytes)
            {
                continue;
            }
            urls.push(url_path(&path));
            next.get_or_insert_with(|| (**served).clone()).files.insert(path, bytes);
        }
        drop(previewed);
        let Some(next) = next else { return };
        *served = Arc::new(next);
        drop(served);
        let _ = self.first.set(self.start.elapsed());
        let _ = self.shared.events.send(Message::Reload(Some(json_list(&urls))));
    }
}

/// Shows the changed briefings at once when only their bodies changed (see
/// [`Preview`]): publishes their pages and sends `reload` for them. Returns whether it
/// could; if not, the build that follows shows the change.
fn preview(shared: &Published, live: &Live, paths: &[PathBuf], notice: &(dyn Fn(Notice<'_>) + Send + Sync)) -> bool {
    let start = Instant::now();
    let mut guard = live.last.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(last) = guard.as_mut().filter(|l| l.structural == live.structural.load(Ordering::SeqCst)) else {
        return false;
    };
    // A bug in the preview must not take the server down: the build behind it shows the
    // change (or reports the crash), and no preview is made from this model again.
    let pages = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| last.preview.pages(paths)));
    let Ok(Some(pages)) = pages else {
        if pages.is_err() {
            *guard = None;
        }
        return false;
    };
    let mut served = shared.served.write().unwrap_or_else(PoisonError::into_inner);
    let mut next = (**served).clone();
    let mut urls = Vec::new();
    let mut previewed = live.previewed.lock().unwrap_or_else(PoisonError::into_inner);
    for (path, bytes) in pages {
        if next.files.get(&path) != Some(&bytes) {
            urls.push(url_path(&path));
            previewed.insert(path.clone(), Instant::now());
            next.files.insert(path, bytes);
        }
    }
    drop(previewed);
    if urls.is_empty() {
        return true;
    }
    *served = Arc::new(next);
    drop(served);
    let _ = shared.events.send(Message::Reload(Some(json_list(&urls))));
    notice(Notice::Previewed { pages: &urls, elapsed: start.elapsed() });
    true
}

/// The pages whose bytes differ between two served sites, for `reload`: `None` when every
/// page should reload (an earlier failed build, a stylesheet or script, a static file, too
/// many pages to list).
fn changed_pages(old: &Served, new: &Served) -> Option<Arc<str>> {
    const MAX_LISTED: usize = 1000;
    if old.errors.is_some() || old.files.is_empty() || old.statics != new.statics {
        return None;
    }
    let mut urls = Vec::new();
    let paths = old.files.keys().chain(new.files.keys().filter(|p| !old.files.contains_key(p)));
    for path in paths {
        let same = match (old.files.get(path), new.files.get(path)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
            _ => false,
        };
        if same {
            continue;
        }
        match path.rsplit_once('.').map(|(_, ext)| ext) {
            Some("html") => urls.push(url_path(path)),
            // Read only by the search page, which a change to any of them reloads (once).
            _ if path.starts_with(crate::render::search::DIR) => {
                if !urls.iter().any(|u| u == "/search/") {
                    urls.push("/search/".to_string());
                }
            }
            // Feeds, the sitemap, data.json: no open page shows them.
            Some("xml" | "json" | "txt") => {}
            _ => return None,
        }
        if urls.len() > MAX_LISTED {
            return None;
        }
    }
    Some(json_list(&urls))
}

/// The URL path of an output file: `briefings/x/index.html` -> `/briefings/x/`.
fn url_path(output: &str) -> String {
    format!("/{}", output.strip_suffix("index.html").unwrap_or(output))
}

fn json_list(urls: &[String]) -> Arc<str> {
    serde_json::to_string(urls).unwrap_or_else(|_| "[]".into()).into()
}

/// The diagnostics for the browser overlay: each with its location and the same rendering
/// as the terminal's (without colour).
fn overlay_json(diags: &[Diagnostic], root: &Path) -> String {
    let items: Vec<serde_json::Value> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let source = std::fs::read_to_string(root.join(&d.loc.path)).ok();
            serde_json::json!({
                "location": d.location(),
                "message": d.message,
                "help": d.help,
                "text": d.render(source.as_deref(), false),
            })
        })
        .collect();
    serde_json::to_string(&items).unwrap_or_else(|_| "[]".into())
}

/// Watches the site's sources; sends what changed, debounced, to `tx`.
fn watch(
    root: &Path,
    tx: std::sync::mpsc::Sender<Change>,
) -> Result<
    notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
> {
    let root = root.canonicalize().with_context(|| format!("cannot read the site root `{}`", root.display()))?;
    let watched = SOURCE_DIRS.map(|d| root.join(d));
    let filter_root = root.clone();
    // An editor's save is a burst of events within a millisecond or two (a temporary file,
    // a rename, the write): 10 ms of quiet ends it, and is all a save waits for before its
    // rebuild starts.
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(10),
        None,
        move |result: notify_debouncer_full::DebounceEventResult| {
            if let Some(change) = change(result, &filter_root) {
                let _ = tx.send(change);
            }
        },
    )?;
    // The root itself, not recursively: sitpress.yaml, and the folders appearing or going.
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    for dir in watched.iter().filter(|d| d.is_dir()) {
        debouncer.watch(dir, RecursiveMode::Recursive)?;
    }
    Ok(debouncer)
}

/// What a batch of watcher events means for the site: `None` when nothing relevant changed.
/// An overflow (`Rescan`) or an error means changes may have been missed: a rescan.
fn change(result: notify_debouncer_full::DebounceEventResult, root: &Path) -> Option<Change> {
    let events = match result {
        Ok(events) => events,
        Err(errors) => {
            let reason = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
            return Some(Change { paths: Vec::new(), rescan: Some(format!("the file watcher failed: {reason}")) });
        }
    };
    let rescan = events
        .iter()
        .any(|e| e.event.need_rescan())
        .then(|| "more changes at once than the file watcher could follow".to_string());
    // Reads are events too (inotify's open/close): a build reading the files must not trigger
    // the next build.
    let paths: Vec<PathBuf> = events
        .into_iter()
        .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
        .flat_map(|e| e.event.paths)
        .filter(|p| relevant(root, p))
        .collect();
    (rescan.is_some() || !paths.is_empty()).then_some(Change { paths, rescan })
}

/// The text of a panic's payload (`panic!` with a message gives a `&str` or a `String`).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
        (Some(s), _) => (*s).to_string(),
        (_, Some(s)) => s.clone(),
        _ => "a panic without a message".to_string(),
    }
}

/// Whether a changed path can change the site (not the output folder, not editor swap files).
fn relevant(root: &Path, p: &Path) -> bool {
    let Ok(rel) = p.strip_prefix(root) else { return false };
    let hidden = p.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.starts_with('.') || n.ends_with('~') || n.ends_with(".swp") || n.ends_with(".tmp")
    });
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    !hidden && matches!(first.as_str(), "content" | "templates" | "static" | crate::config::FILE_NAME)
}

fn open_browser(url: &str) -> std::io::Result<()> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

async fn events_handler(
    State(shared): State<Published>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the state, so no build can slip between the two.
    let rx = shared.events.subscribe();
    let current = read(&shared.served).errors.clone();
    // A comment first: the client knows it is subscribed (tests wait for it, not for a while).
    let subscribed = Event::default().comment("subscribed");
    let first = tokio_stream::iter(
        std::iter::once(subscribed).chain(current.map(|e| Event::default().event("build-error").data(&*e))).map(Ok),
    );
    let updates = BroadcastStream::new(rx).take_while(|m| !matches!(m, Ok(Message::Shutdown))).map(|m| {
        Ok(match m {
            Ok(Message::BuildError(e)) => Event::default().event("build-error").data(&*e),
            Ok(Message::Reload(Some(paths))) => Event::default().event("reload").data(&*paths),
            // A lagging client missed something: a reload shows it the current site.
            Ok(Message::Reload(None) | Message::Shutdown) | Err(_) => Event::default().event("reload").data("*"),
        })
    });
    let (slot, end) = shared.streams.open();
    Sse::new(Capped { inner: Box::pin(first.chain(updates)), end, _slot: slot }).keep_alive(KeepAlive::default())
}

/// Event streams open at most. Every open page holds one for as long as it is open; past
/// this, opening one ends the oldest (most likely a tab long forgotten, whose `EventSource`
/// reconnects if it is still there). A browser opens at most six connections per host, so
/// one browser never reaches it.
pub const MAX_EVENT_STREAMS: usize = 32;

/// The open event streams.
#[derive(Default)]
struct Streams {
    open: Mutex<OpenStreams>,
}

/// The last id given, and each open stream's id and end signal, oldest first.
type OpenStreams = (u64, std::collections::VecDeque<(u64, Arc<tokio::sync::Notify>)>);

impl Streams {
    /// Registers a stream, ending the oldest past [`MAX_EVENT_STREAMS`]: the slot that
    /// unregisters it when dropped, and the future that completes when it must end.
    fn open(self: &Arc<Self>) -> (StreamSlot, Pin<Box<dyn Future<Output = ()> + Send>>) {
        let end = Arc::new(tokio::sync::Notify::new());
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let (next, streams) = &mut *open;
        *next += 1;
        let id = *next;
        while streams.len() >= MAX_EVENT_STREAMS {
            if let Some((_, oldest)) = streams.pop_front() {
                oldest.notify_one();
            }
        }
        streams.push_back((id, Arc::clone(&end)));
        (StreamSlot { streams: Arc::clone(self), id }, Box::pin(async move { end.notified().await }))
    }
}

struct StreamSlot {
    streams: Arc<Streams>,
    id: u64,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.streams.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.1.retain(|(id, _)| *id != self.id);
    }
}

/// An event stream that ends when its slot is taken by a newer one.
struct Capped<S> {
    inner: Pin<Box<S>>,
    end: Pin<Box<dyn Future<Output = ()> + Send>>,
    _slot: StreamSlot,
}

impl<S: tokio_stream::Stream> tokio_stream::Stream for Capped<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<S::Item>> {
        if self.end.as_mut().poll(cx).is_ready() {
            return std::task::Poll::Ready(None);
        }
        self.inner.as_mut().poll_next(cx)
    }
}

async fn reload_js() -> Response {
    respond(StatusCode::OK, "text/javascript; charset=utf-8", Body::from(RELOAD_JS))
}

/// Every path served now, for tests and tools.
async fn manifest(State(shared): State<Published>) -> Response {
    let served = read(&shared.served);
    let paths: Vec<&String> = served.files.keys().chain(served.statics.keys()).collect();
    let json = serde_json::to_string(&paths).unwrap_or_else(|_| "[]".into());
    respond(StatusCode::OK, "application/json", Body::from(json))
}

async fn site_handler(State(shared): State<Published>, req: Request<Body>) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let served = read(&shared.served);
    let raw = req.uri().path();
    if served.files.is_empty() {
        // No good build yet: say so, and reload when there is one.
        let html = format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>sitpress: the site does not build yet</title><body><h1>The site does not build yet</h1><p>Fix the problems shown here or in the terminal; this page reloads by itself.</p>{RELOAD_TAG}</body></html>"
        );
        return respond(StatusCode::SERVICE_UNAVAILABLE, "text/html; charset=utf-8", Body::from(html));
    }
    let Some(path) = site_path(raw) else { return not_found(&served) };
    if let Some(bytes) = served.files.get(&path) {
        return file_response(StatusCode::OK, &path, bytes.clone());
    }
    match served.statics.get(&path) {
        Some(StaticFile::Builtin(text)) => {
            return file_response(StatusCode::OK, &path, Bytes::from_static(text.as_bytes()));
        }
        Some(StaticFile::Copy(p)) => {
            return match stream_file(p, req.method() == Method::HEAD).await {
                Ok((len, body)) => {
                    let mut r = respond(StatusCode::OK, &content_type(&path), body);
                    r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(len));
                    r
                }
                Err(_) => not_found(&served),
            };
        }
        None => {}
    }
    // `/briefings/x` -> `/briefings/x/` when that page exists.
    if !path.is_empty() && !path.ends_with("index.html") && served.files.contains_key(&format!("{path}/index.html")) {
        let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(v) = HeaderValue::from_str(&folder_location(&path)) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    not_found(&served)
}

/// A static file's length and its bytes, read from disk as they are sent (a site's `static/`
/// may hold videos or data sets: a request never holds a whole file in memory). For `HEAD`,
/// the length alone. The length is the one read when the file was opened; a file shortened
/// meanwhile ends the response early (the next save reloads the page anyway).
async fn stream_file(path: &Path, head: bool) -> std::io::Result<(u64, Body)> {
    let file = tokio::fs::File::open(path).await?;
    let len = file.metadata().await?.len();
    if head {
        return Ok((len, Body::empty()));
    }
    let reader = tokio::io::AsyncReadExt::take(file, len);
    Ok((len, Body::from_stream(tokio_util::io::ReaderStream::with_capacity(reader, 64 * 1024))))
}

/// Where `/briefings/x` redirects: the site path with a slash, absolute on this origin. Built
/// from the normalised path, never from the request: `//evil.example/x` names the site path
/// `evil.example/x`, so the redirect cannot become a scheme-relative URL to another host.
fn folder_location(path: &str) -> String {
    // A path segment's reserved characters, and `\`, which browsers read as `/`.
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'\\');
    format!("/{}/", percent_encoding::utf8_percent_encode(path.trim_start_matches('/'), SEGMENT))
}

/// The site path a request path names: percent-decoded, `index.html` for folders. `None` for
/// anything that tries to leave the site (`..`, backslashes, NUL) or is not UTF-8; the site is
/// served from memory, so no request can read a file outside it anyway.
pub fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) || decoded.starts_with(PREFIX) {
        return None;
    }
    let trimmed = decoded.trim_start_matches('/');
    if trimmed.split('/').any(|seg| seg == ".." || seg == ".") || trimmed.contains("//") {
        return None;
    }
    Some(if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    })
}

fn not_found(served: &Served) -> Response {
    match served.files.get("404.html") {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes.clone()),
        None => respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", Body::from("not found")),
    }
}

/// An in-memory file: HTML with the reload script injected, anything else without a copy.
fn file_response(status: StatusCode, path: &str, bytes: impl AsRef<[u8]> + Send + 'static) -> Response {
    let mime = content_type(path);
    if mime.starts_with("text/html") {
        return respond(status, &mime, Body::from(inject(bytes.as_ref())));
    }
    respond(status, &mime, Body::from(Bytes::from_owner(bytes)))
}

fn respond(status: StatusCode, mime: &str, body: Body) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    // A preview must never show a stale page.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// The page with the reload script before its last `</body>` (or at the end).
fn inject(html: &[u8]) -> Vec<u8> {
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + RELOAD_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(RELOAD_TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The `Content-Type` of a served file, from its extension (mime_guess's table), with the
/// charset of text, which is always UTF-8 here; a feed is Atom, not generic XML.
fn content_type(path: &str) -> std::borrow::Cow<'static, str> {
    if path.ends_with("atom.xml") {
        return "application/atom+xml".into();
    }
    // Markdown sources shown as text, not offered as downloads.
    let mime = if path.ends_with(".md") {
        "text/plain"
    } else {
        mime_guess::from_path(path).first_raw().unwrap_or("application/octet-stream")
    };
    if mime.starts_with("text/") || mime == "application/javascript" {
        format!("{mime}; charset=utf-8").into()
    } else {
        mime.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_say_what_a_browser_needs() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("search-index/t/ab.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/atom+xml");
        assert_eq!(content_type("sitemap.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("data.json"), "application/json");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("photo.JPG"), "image/jpeg");
        assert_eq!(content_type("notes.md"), "text/plain; charset=utf-8");
        assert_eq!(content_type("archive.unknownext"), "application/octet-stream");
    }

    #[test]
    fn site_paths_never_leave_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/actors/russia/").as_deref(), Some("actors/russia/index.html"));
        assert_eq!(site_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(site_path("/a%20b/").as_deref(), Some("a b/index.html"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2E%2E/x",
            "/..%2fx",
            "/a\\b",
            "/%5c..%5cx",
            "/%00",
            "/a//b",
            "/__sitpress/x",
            "/%ff",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn redirects_stay_on_the_origin() {
        assert_eq!(folder_location("briefings/x"), "/briefings/x/");
        assert_eq!(folder_location("a b/c?d#e"), "/a%20b/c%3Fd%23e/");
        // site_path never gives a path with a leading slash or a backslash, but the location
        // does not rely on it.
        assert_eq!(folder_location("//evil.example"), "/evil.example/");
        assert_eq!(folder_location("\\evil.example"), "/%5Cevil.example/");
    }

    /// A server's state with nothing served yet, for driving a [`Builder`] by hand.
    fn shared() -> Published {
        let served = Served { files: ServedFiles::default(), statics: BTreeMap::new(), errors: None };
        Published {
            served: Arc::new(RwLock::new(Arc::new(served))),
            events: broadcast::channel(16).0,
            streams: Arc::default(),
        }
    }

    fn builder(root: &Path) -> Builder {
        let day = Date::constant(2025, 1, 1);
        let opts = Options { base_url: Some("http://127.0.0.1:1111/".into()), ..Options::new(root.to_path_buf(), day) };
        Builder::new(opts, Box::new(move || Ok(day)))
    }

    fn page(shared: &Published, path: &str) -> String {
        read(&shared.served).files.get(path).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default()
    }

    #[test]
    fn a_panicking_build_is_reported_and_the_next_save_builds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data-site").canonicalize().unwrap();
        let (shared, live) = (shared(), Live::default());
        let mut events = shared.events.subscribe();
        let shown = Mutex::new(Vec::new());
        let notice = |n: Notice<'_>| {
            if let Notice::Diagnostics { report, .. } = n {
                shown.lock().unwrap().extend(report.diagnostics.iter().map(|d| d.message.clone()));
            }
        };
        let mut builder = builder(&root);
        builder.rebuild(&shared, &live, 0, false, &notice);
        assert!(page(&shared, "briefings/b1/index.html").contains("First"));
        assert!(matches!(events.try_recv(), Ok(Message::Reload(_))));

        builder.render = |_, _, _, _| panic!("a template filter fell over");
        builder.update(Change::default(), &shared, &live, 0, &notice);
        // The overlay and the terminal say what happened; the last good site stays.
        let Ok(Message::BuildError(overlay)) = events.try_recv() else { panic!("no build-error event") };
        assert!(
            overlay.contains("crashed while building") && overlay.contains("a template filter fell over"),
            "{overlay}"
        );
        assert!(shown.lock().unwrap().iter().any(|m| m.contains("a template filter fell over")));
        assert!(page(&shared, "briefings/b1/index.html").contains("First"));
        assert!(live.last.lock().unwrap().is_none(), "no preview from a build that crashed");

        builder.render = build::render_shown;
        builder.update(Change::default(), &shared, &live, 0, &notice);
        assert!(matches!(events.try_recv(), Ok(Message::Reload(None))), "the next build recovers");
        assert!(read(&shared.served).errors.is_none());
    }

    #[test]
    fn a_watcher_that_lost_track_reads_every_file_again() {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data-site");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let root = dir.path().canonicalize().unwrap();
        let (shared, live) = (shared(), Live::default());
        let mut builder = builder(&root);
        let quiet = |_: Notice<'_>| {};
        builder.rebuild(&shared, &live, 0, false, &quiet);
        // An edit the watcher never reported, which leaves the file's size and mtime as they
        // were (as a checkout can): its stamp alone does not show it.
        let b1 = root.join("content/briefings/b1.md");
        let mtime = std::fs::metadata(&b1).unwrap().modified().unwrap();
        let text = std::fs::read_to_string(&b1).unwrap();
        std::fs::write(&b1, text.replacen("title: First", "title: Fyrst", 1)).unwrap();
        std::fs::File::options().write(true).open(&b1).unwrap().set_modified(mtime).unwrap();
        builder.update(Change::default(), &shared, &live, 0, &quiet);
        assert!(page(&shared, "briefings/b1/index.html").contains("First"), "the stamp was trusted");
        let rescan = Change { paths: Vec::new(), rescan: Some("overflow".into()) };
        builder.update(rescan, &shared, &live, 0, &quiet);
        assert!(page(&shared, "briefings/b1/index.html").contains("Fyrst"), "a rescan reads it again");
    }

    #[test]
    fn an_overflow_or_a_watcher_error_is_a_rescan() {
        use notify_debouncer_full::DebouncedEvent;
        use notify_debouncer_full::notify::event::{AccessKind, Flag, ModifyKind};
        use notify_debouncer_full::notify::{Error, Event};
        let root = Path::new("/site");
        let at = |kind, path: &str| DebouncedEvent::new(Event::new(kind).add_path(root.join(path)), Instant::now());
        let overflow = DebouncedEvent::new(Event::new(EventKind::Other).set_flag(Flag::Rescan), Instant::now());
        let got = change(Ok(vec![overflow]), root).expect("a change");
        assert!(got.rescan.is_some() && got.paths.is_empty());
        let got = change(Err(vec![Error::generic("inotify watch limit reached")]), root).expect("a change");
        assert!(got.rescan.is_some_and(|r| r.contains("inotify watch limit reached")));
        let edit = at(EventKind::Modify(ModifyKind::Any), "static/extra.css");
        let read = at(EventKind::Access(AccessKind::Any), "content/briefings/b1.md");
        let outside = at(EventKind::Modify(ModifyKind::Any), "public/index.html");
        let got = change(Ok(vec![edit, read, outside]), root).expect("a change");
        assert_eq!(got, Change { paths: vec![root.join("static/extra.css")], rescan: None });
        let read = at(EventKind::Access(AccessKind::Any), "content/briefings/b1.md");
        assert_eq!(change(Ok(vec![read]), root), None, "reading is no change");
    }

    #[test]
    fn injects_before_the_last_body_end() {
        assert_eq!(inject(b"<body>x</body>"), format!("<body>x{RELOAD_TAG}</body>").into_bytes());
        assert_eq!(inject(b"no body"), format!("no body{RELOAD_TAG}").into_bytes());
    }
}
