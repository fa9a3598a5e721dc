//! `sitpress serve`: a live preview. The only module with sockets, threads or a watcher.
//!
//! The site is built in memory (never written to disk) with the base URL of the server, so
//! every link works locally whatever `base_url`'s path is. A watcher on `content/`,
//! `templates/`, `static/` and `sitpress.yaml` triggers a rebuild through the same pipeline as
//! `build` ([`build::render_with`]), whose caches make it incremental: only changed files are
//! parsed again and only pages whose inputs changed are rendered again. Every open page holds
//! a server-sent-events connection: a good rebuild sends `reload`; a failed one sends
//! `build-error` with the diagnostics, shown as an overlay over the last good page, which the
//! server keeps serving.

use crate::build::{self, Caches, Options, Report, StaticFile};
use crate::diagnostic::Diagnostic;
use crate::render::Files;
use anyhow::{Context, Result};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::civil::Date;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
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
}

/// What the server tells the person running it; the CLI prints it.
pub enum Notice<'a> {
    Listening {
        url: &'a str,
    },
    /// The server is reachable from other machines.
    Exposed {
        bind: IpAddr,
    },
    /// Edited briefings shown at once, before the rebuild behind them.
    Previewed {
        pages: &'a [String],
        elapsed: Duration,
    },
    Built {
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
    Stopped,
}

/// The site as served now.
#[derive(Clone)]
struct Served {
    files: Files,
    statics: BTreeMap<String, StaticFile>,
    /// Diagnostics of the last build when it failed; the files are then the last good ones.
    errors: Option<Arc<str>>,
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

#[derive(Clone)]
struct Shared {
    served: Arc<RwLock<Arc<Served>>>,
    events: broadcast::Sender<Message>,
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
    preview: build::Preview,
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
    let mut builder =
        Builder { opts: build_opts, caches: Caches::default(), today: Box::new(today), shown: Vec::new() };
    let (events, _) = broadcast::channel(64);
    let served =
        Arc::new(RwLock::new(Arc::new(Served { files: Files::new(), statics: BTreeMap::new(), errors: None })));
    let shared = Shared { served, events };
    let (tx, rx) = std::sync::mpsc::channel::<Vec<PathBuf>>();
    let watcher = Arc::new(std::sync::Mutex::new(watch(&root, tx)?));
    let live = Arc::new(Live::default());
    builder.rebuild(&shared, &live, 0, &*notice);

    // Two threads behind the watcher, so a save is answered at once and builds never block
    // requests. The preview thread shows an edited briefing body within milliseconds and
    // passes every change on to the build thread, which rebuilds the whole site (one build for
    // a burst of saves). The watcher was started before the first build: a save during it
    // waits in the channel, it is not missed.
    let (to_build, builds) = std::sync::mpsc::channel::<Vec<PathBuf>>();
    {
        let shared = shared.clone();
        let notice = notice.clone();
        let live = live.clone();
        std::thread::spawn(move || {
            while let Ok(mut paths) = rx.recv() {
                // Take everything that arrived meanwhile.
                while let Ok(more) = rx.recv_timeout(Duration::from_millis(5)) {
                    paths.extend(more);
                }
                // A source folder created after the start (a first `static/`) is watched from
                // now on; the root itself is watched only one level deep.
                for dir in SOURCE_DIRS.map(|d| root.join(d)) {
                    if paths.contains(&dir)
                        && dir.is_dir()
                        && let Ok(mut w) = watcher.lock()
                    {
                        let _ = w.watch(&dir, RecursiveMode::Recursive);
                    }
                }
                paths.sort();
                paths.dedup();
                if !preview(&shared, &live, &paths, &*notice) {
                    live.structural.fetch_add(1, Ordering::SeqCst);
                }
                if to_build.send(paths).is_err() {
                    break;
                }
            }
        });
    }
    {
        let shared = shared.clone();
        let notice = notice.clone();
        std::thread::spawn(move || {
            while let Ok(mut paths) = builds.recv() {
                // Read before taking the paths: the build then includes at least every
                // structural change counted so far.
                let structural = live.structural.load(Ordering::SeqCst);
                while let Ok(more) = builds.try_recv() {
                    paths.extend(more);
                }
                for p in &paths {
                    builder.caches.content.invalidate(p);
                }
                builder.rebuild(&shared, &live, structural, &*notice);
            }
        });
    }

    if !opts.bind.is_loopback() {
        notice(Notice::Exposed { bind: opts.bind });
    }
    notice(Notice::Listening { url: &url });
    if opts.open
        && let Err(e) = open_browser(&url)
    {
        notice(Notice::OpenFailed { error: e.to_string() });
    }

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let stopping = shared.events.clone();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = Router::new()
            .route("/__sitpress/events", get(events_handler))
            .route("/__sitpress/reload.js", get(reload_js))
            .route("/__sitpress/manifest.json", get(manifest))
            .fallback(site_handler)
            .with_state(shared);
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                let _ = stopping.send(Message::Shutdown);
            })
            .await
            .context("the server stopped")
    })?;
    notice(Notice::Stopped);
    Ok(())
}

struct Builder {
    opts: Options,
    caches: Caches,
    today: Box<dyn Fn() -> Result<Date> + Send>,
    /// The warnings last shown, so an unchanged list is not printed on every save.
    shown: Vec<Diagnostic>,
}

impl Builder {
    /// Rebuilds and publishes the result: new files and `reload`, or the errors (the last
    /// good files stay) and `build-error`. `structural` is the count of structural changes
    /// this build includes.
    fn rebuild(&mut self, shared: &Shared, live: &Live, structural: u64, notice: &(dyn Fn(Notice<'_>) + Send + Sync)) {
        let start = Instant::now();
        if let Ok(today) = (self.today)() {
            self.opts.today = today;
        }
        let mut report = Report::default();
        let result = build::render_with(&self.opts, &mut report, Some(&mut self.caches));
        let rendered = match result {
            Ok(r) => r,
            Err(e) => {
                // An I/O problem (a folder removed mid-build...): shown like a content error.
                // Named after the site root, so the message never starts with an empty location.
                let root = crate::diagnostic::Loc::file(self.opts.root.display().to_string());
                report.diagnostics = vec![Diagnostic::error(root, format!("{e:#}"))];
                None
            }
        };
        // The previous build's views are freed on the side, not before the reload.
        let last = self.caches.last.take().map(|preview| Last { preview, structural });
        let old = match live.last.lock() {
            Ok(mut l) => std::mem::replace(&mut *l, last),
            Err(_) => None,
        };
        std::thread::spawn(move || drop(old));
        // Told before the lock below is taken: readers wait for nothing but the swap.
        let errors = match &rendered {
            Some(_) => {
                notice(Notice::Built {
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
        let Ok(mut served) = shared.served.write() else { return };
        let previous = Arc::clone(&served);
        let next = match (rendered, errors) {
            (Some(mut rendered), None) => {
                // A page previewed after this build started shows a newer file than it read.
                if let Ok(mut previewed) = live.previewed.lock() {
                    previewed.retain(|path, at| {
                        if *at > start
                            && let Some(bytes) = previous.files.get(path)
                        {
                            rendered.files.insert(path.clone(), bytes.clone());
                        }
                        *at > start
                    });
                }
                Served { files: rendered.files, statics: rendered.statics, errors: None }
            }
            // The last good site stays served under the overlay.
            (_, errors) => Served { errors, ..(*previous).clone() },
        };
        let message = match &next.errors {
            Some(e) => Message::BuildError(e.clone()),
            None => Message::Reload(changed_pages(&previous, &next)),
        };
        *served = Arc::new(next);
        drop(served);
        let _ = shared.events.send(message);
    }
}

/// Shows the changed briefings at once when only their bodies changed (see
/// [`build::Preview`]): publishes their pages and sends `reload` for them. Returns whether it
/// could; if not, the build that follows shows the change.
fn preview(shared: &Shared, live: &Live, paths: &[PathBuf], notice: &(dyn Fn(Notice<'_>) + Send + Sync)) -> bool {
    let start = Instant::now();
    let Ok(mut last) = live.last.lock() else { return false };
    let Some(last) = last.as_mut().filter(|l| l.structural == live.structural.load(Ordering::SeqCst)) else {
        return false;
    };
    let Some(pages) = last.preview.pages(paths) else { return false };
    let Ok(mut served) = shared.served.write() else { return false };
    let mut next = (**served).clone();
    let mut urls = Vec::new();
    if let Ok(mut previewed) = live.previewed.lock() {
        for (path, bytes) in pages {
            if next.files.get(&path) != Some(&bytes) {
                urls.push(url_path(&path));
                previewed.insert(path.clone(), Instant::now());
                next.files.insert(path, bytes);
            }
        }
    }
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
    let paths = old.files.keys().chain(new.files.keys().filter(|p| !old.files.contains_key(*p)));
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

/// Watches the site's sources; sends the changed paths, debounced, to `tx`.
fn watch(
    root: &Path,
    tx: std::sync::mpsc::Sender<Vec<PathBuf>>,
) -> Result<
    notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
> {
    let root = root.canonicalize().with_context(|| format!("cannot read the site root `{}`", root.display()))?;
    let watched = SOURCE_DIRS.map(|d| root.join(d));
    let filter_root = root.clone();
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(30),
        None,
        move |result: notify_debouncer_full::DebounceEventResult| {
            let Ok(events) = result else { return };
            // Reads are events too (inotify's open/close): a build reading the files must not
            // trigger the next build.
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths)
                .filter(|p| relevant(&filter_root, p))
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
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
    State(shared): State<Shared>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the state, so no build can slip between the two.
    let rx = shared.events.subscribe();
    let current = shared.served.read().ok().and_then(|s| s.errors.clone());
    let first = tokio_stream::iter(current.map(|e| Ok(Event::default().event("build-error").data(&*e))));
    let updates = BroadcastStream::new(rx).take_while(|m| !matches!(m, Ok(Message::Shutdown))).map(|m| {
        Ok(match m {
            Ok(Message::BuildError(e)) => Event::default().event("build-error").data(&*e),
            Ok(Message::Reload(Some(paths))) => Event::default().event("reload").data(&*paths),
            // A lagging client missed something: a reload shows it the current site.
            Ok(Message::Reload(None) | Message::Shutdown) | Err(_) => Event::default().event("reload").data("*"),
        })
    });
    Sse::new(first.chain(updates)).keep_alive(KeepAlive::default())
}

async fn reload_js() -> Response {
    respond(StatusCode::OK, "text/javascript; charset=utf-8", Body::from(RELOAD_JS))
}

/// Every path served now, for tests and tools.
async fn manifest(State(shared): State<Shared>) -> Response {
    let served = shared.served.read().map(|s| s.clone());
    let Ok(served) = served else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let paths: Vec<&String> = served.files.keys().chain(served.statics.keys()).collect();
    let json = serde_json::to_string(&paths).unwrap_or_else(|_| "[]".into());
    respond(StatusCode::OK, "application/json", Body::from(json))
}

async fn site_handler(State(shared): State<Shared>, req: Request<Body>) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let served = match shared.served.read() {
        Ok(s) => s.clone(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
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
        return file_response(StatusCode::OK, &path, bytes);
    }
    match served.statics.get(&path) {
        Some(StaticFile::Builtin(text)) => return file_response(StatusCode::OK, &path, text.as_bytes()),
        Some(StaticFile::Copy(p)) => {
            return match tokio::fs::read(p).await {
                Ok(bytes) => file_response(StatusCode::OK, &path, &bytes),
                Err(_) => not_found(&served),
            };
        }
        None => {}
    }
    // `/briefings/x` -> `/briefings/x/` when that page exists.
    if !path.is_empty() && !path.ends_with("index.html") && served.files.contains_key(&format!("{path}/index.html")) {
        let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("{raw}/")) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    not_found(&served)
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
        Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes),
        None => respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", Body::from("not found")),
    }
}

fn file_response(status: StatusCode, path: &str, bytes: &[u8]) -> Response {
    let mime = content_type(path);
    if mime.starts_with("text/html") {
        return respond(status, mime, Body::from(inject(bytes)));
    }
    respond(status, mime, Body::from(bytes.to_vec()))
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

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn injects_before_the_last_body_end() {
        assert_eq!(inject(b"<body>x</body>"), format!("<body>x{RELOAD_TAG}</body>").into_bytes());
        assert_eq!(inject(b"no body"), format!("no body{RELOAD_TAG}").into_bytes());
    }
}
