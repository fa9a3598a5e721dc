//! The pipeline: config -> content -> model -> render -> output.

use crate::check;
use crate::config::{BaseUrl, Config};
use crate::content;
use crate::diagnostic::{Diagnostic, Loc};
use crate::model::Site;
use crate::output;
use crate::render::{self, templates::SiteTemplate, templates::Theme};
use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// The day forecast status is judged on.
    pub today: Date,
    /// Which lint warnings fail the run (`--strict`, `--deny`).
    pub lints: check::Policy,
    /// The process exits as soon as this run is over (the CLI's `build` and `check` say so):
    /// the model and the views are then left to the OS instead of being freed one by one,
    /// hundreds of thousands of small allocations at 10,000 briefings. Off by default, so a
    /// library caller leaks nothing.
    pub exit_after: bool,
    /// Texts read instead of content files on disk: an editor's unsaved buffers.
    pub overlay: content::Overlay,
}

impl Options {
    /// Options for the site at `root` with every default.
    pub fn new(root: PathBuf, today: Date) -> Options {
        Options {
            root,
            output: None,
            base_url: None,
            drafts: false,
            today,
            lints: check::Policy::default(),
            exit_after: false,
            overlay: content::Overlay::default(),
        }
    }
}

/// What a build (or a check) found and did.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// What was written, when the build wrote its output.
    pub output: Option<output::Summary>,
    pub pages: usize,
    pub elapsed: Duration,
    /// What the site's links may point to, once it rendered.
    pub site_paths: Option<SitePaths>,
}

/// Every output path of a rendered site, its static files included: what a link of the site
/// may point to (the `dangling-link` lint).
#[derive(Debug, Default)]
pub struct SitePaths {
    generated: BTreeSet<String>,
    statics: BTreeSet<String>,
}

impl SitePaths {
    /// Whether the link path `p` (relative to the site's root, as in `@/` links) is a page or
    /// a file of the site.
    pub fn exists(&self, p: &str) -> bool {
        self.generated.contains(&render::urls::output_file(p)) || self.statics.contains(p)
    }
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The rendered site, in memory, and what went with it.
pub struct Rendered {
    pub files: render::OutputFiles,
    pub statics: BTreeMap<String, StaticFile>,
    /// With caches: what the site was rendered from, for a caller that renders single pages
    /// of it again.
    pub source: Option<RenderSource>,
}

/// A site as loaded, and the views every page of its render shared: enough to render one
/// page again as that render would have (`render::render_briefing`).
pub struct RenderSource {
    pub loaded: LoadedSite,
    pub state: render::RenderState,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StaticFile {
    Builtin(&'static str),
    Copy(PathBuf),
}

/// The stages of a build, in order, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and checking the content.
    Load,
    /// Rendering pages (a build stages each in the output's staging folder as it is made).
    Render,
    /// Writing the static files and moving everything staged into the output folder.
    Write,
}

/// Told how a build goes, from any thread: for a progress bar. Does nothing by default.
pub trait Progress: Sync {
    /// `stage` starts; it has `steps` steps, when known.
    fn stage(&self, _stage: Stage, _steps: Option<usize>) {}
    /// One more step of the current stage is done.
    fn step(&self) {}
}

impl Progress for () {}

/// Passes render's page count and pages on as steps of [`Stage::Render`].
struct RenderProgress<'a>(&'a dyn Progress);

impl render::PageProgress for RenderProgress<'_> {
    fn pages(&self, pages: usize) {
        self.0.stage(Stage::Render, Some(pages));
    }

    fn page_done(&self) {
        self.0.step();
    }
}

/// What a serve session keeps between builds: parsed files and rendered pages.
#[derive(Default)]
pub struct RebuildCaches {
    pub content: content::Cache,
    /// The actors each briefing body mentions, for the `untagged-mention` lint.
    pub mentions: check::MentionCache,
    pub pages: render::PageCache,
}

/// Loads, validates and renders the site without writing anything: every diagnostic a build
/// would give. Each page is dropped as soon as it is rendered, keeping only its path (for the
/// dangling-link lint), so a check needs no more memory than a build.
pub fn check(opts: &Options) -> Result<Report> {
    let start = Instant::now();
    // `SITPRESS_TIMINGS` measures each phase from the one before: the first, reading and
    // parsing, from here.
    crate::timings::phase("start");
    let mut report = Report::default();
    if let Some(loaded) = load(opts, &mut report, None, &())? {
        render_loaded(opts, &mut report, loaded, None, &(), render::Sink::PathsOnly)?;
    }
    report.elapsed = start.elapsed();
    Ok(report)
}

/// Loads, validates and renders the site into memory, reusing what `caches` kept from the
/// previous build: only changed files are parsed again and only pages whose inputs changed
/// are rendered again. The result is the same as a fresh render.
pub fn render_with(
    opts: &Options,
    report: &mut Report,
    caches: Option<&mut RebuildCaches>,
) -> Result<Option<Rendered>> {
    render_into(opts, report, caches, &(), None)
}

/// [`render_with`], showing `shown` the pages as soon as they are made, before the render
/// ends (see [`render::Sink::Shown`]): the briefing pages, then every page. What it is shown
/// is what the render returns, unless the render then fails.
pub fn render_shown(
    opts: &Options,
    report: &mut Report,
    caches: Option<&mut RebuildCaches>,
    shown: &(dyn Fn(Vec<render::OutputFile>) + Sync),
) -> Result<Option<Rendered>> {
    render_into(opts, report, caches, &(), Some(shown))
}

/// Renders into memory, showing `shown` each group of pages as it is made when given
/// ([`render::Sink::Shown`]).
fn render_into(
    opts: &Options,
    report: &mut Report,
    caches: Option<&mut RebuildCaches>,
    progress: &dyn Progress,
    shown: Option<&(dyn Fn(Vec<render::OutputFile>) + Sync)>,
) -> Result<Option<Rendered>> {
    let mut caches = caches;
    let Some(loaded) = load(opts, report, caches.as_deref_mut(), progress)? else {
        return Ok(None);
    };
    let (page_cache, edited) = match caches.as_deref_mut() {
        Some(c) => (Some(&mut c.pages), c.content.edited.as_slice()),
        None => (None, &[][..]),
    };
    // The briefings just edited, known once the content is read, are shown first.
    let sink = match shown {
        Some(show) => render::Sink::Shown(show, edited),
        None => render::Sink::Memory,
    };
    let Some(rendered) = render_loaded(opts, report, loaded, page_cache, progress, sink)? else {
        return Ok(None);
    };
    let source = match (caches, rendered.kept) {
        (Some(c), Some(loaded)) => c.pages.take_state().map(|state| RenderSource { loaded, state }),
        _ => None,
    };
    Ok(Some(Rendered { files: rendered.made.files, statics: rendered.statics, source }))
}

/// What [`render_loaded`] made, with the loaded site given back when a cache asks to keep it.
struct RenderedSite {
    made: render::Made,
    statics: BTreeMap<String, StaticFile>,
    kept: Option<LoadedSite>,
}

/// A valid site and its theme, ready to render.
pub struct LoadedSite {
    pub config: Config,
    pub site: Site,
    pub theme: Theme,
}

/// Loads and checks the site and returns its STIX 2.1 bundle (`render::stix`), the same bytes
/// a build writes to `stix.json`; `None` when the content has errors (in `report`). Templates
/// are not read: the bundle does not depend on them.
pub fn export_stix(opts: &Options, report: &mut Report) -> Result<Option<Vec<u8>>> {
    let Some((config, Some(site))) = load_content(opts, report, None, &())? else {
        return Ok(None);
    };
    Ok(Some(render::stix::bundle_json(&site, &config)))
}

/// Reads the config, the content and the templates; `None` when they have errors (in `report`).
fn load(
    opts: &Options,
    report: &mut Report,
    caches: Option<&mut RebuildCaches>,
    progress: &dyn Progress,
) -> Result<Option<LoadedSite>> {
    // Without a config or a content folder, nothing else is worth checking.
    let Some((config, site)) = load_content(opts, report, caches, progress)? else {
        return Ok(None);
    };
    let templates = read_templates(&opts.root)?;
    let theme = match Theme::new(templates) {
        Ok(t) => Some(t),
        Err(d) => {
            report.diagnostics.extend(d);
            None
        }
    };
    let (Some(site), Some(theme)) = (site, theme) else {
        return Ok(None);
    };
    Ok(Some(LoadedSite { config, site, theme }))
}

/// Reads the config and the content: `None` when there is no valid config or no content
/// folder, no site when the content has errors (each in `report`).
fn load_content(
    opts: &Options,
    report: &mut Report,
    caches: Option<&mut RebuildCaches>,
    progress: &dyn Progress,
) -> Result<Option<(Config, Option<Site>)>> {
    let loaded = load_content_keeping(opts, report, caches, progress)?;
    Ok(loaded.map(|(config, site, files)| {
        files.free();
        (config, site)
    }))
}

/// [`load_content`], giving back the parsed files too.
fn load_content_keeping(
    opts: &Options,
    report: &mut Report,
    caches: Option<&mut RebuildCaches>,
    progress: &dyn Progress,
) -> Result<Option<(Config, Option<Site>, content::Files)>> {
    let (content_cache, mentions) = match caches {
        Some(c) => (Some(&mut c.content), Some(&mut c.mentions)),
        None => (None, None),
    };
    let root = &opts.root;
    if !root.is_dir() {
        bail!("the site root `{}` is not a folder", root.display());
    }
    let mut config = match Config::load(root)? {
        Ok(c) => c,
        Err(diags) => {
            report.diagnostics.extend(diags);
            return Ok(None);
        }
    };
    if let Some(url) = &opts.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|e| anyhow::anyhow!("invalid --base-url: {e}"))?;
    }
    if !root.join("content").is_dir() {
        report.diagnostics.push(
            Diagnostic::error(Loc::file("content/"), "no `content/` folder in the site root")
                .with_help(format!("is `{}` a sitpress site? `sitpress init DIR` creates one", root.display())),
        );
        return Ok(None);
    }
    progress.stage(Stage::Load, None);
    let mut loaded = content::load(root, &config, opts.drafts, opts.today, content_cache, &opts.overlay)?;
    // Lints judge the whole site: with a file left out for its errors, they would judge a
    // site that is not the author's (its actors orphaned, its claims unreferenced), so they
    // wait until every file reads.
    if let Some(site) = &loaded.site
        && !loaded.diagnostics.iter().any(Diagnostic::is_error)
    {
        loaded.diagnostics.extend(check::lint(site, &loaded.files, opts.today, mentions));
        crate::diagnostic::sort(&mut loaded.diagnostics);
    }
    crate::timings::phase("load: lint");
    report.diagnostics.extend(loaded.diagnostics);
    opts.lints.apply(&mut report.diagnostics);
    Ok(Some((config, loaded.site, loaded.files)))
}

/// The content as an editor sees it after each change of a buffer (`sitpress lsp`).
pub struct Analysis {
    pub config: Config,
    /// Every file that parsed, whether or not the site resolved.
    pub files: content::Files,
}

/// Reads, resolves and lints the site (its unsaved buffers in `opts.overlay`), reusing what
/// `caches` kept, into `report`: every diagnostic `check` gives but those that need the
/// rendered site, which are worked out from `paths`, the paths of the last render, when given
/// (`dangling-link`). Milliseconds where a check takes seconds: what an editor runs on every
/// change, with a whole [`check`] when the typing pauses. `None` without a valid config or a
/// content folder (in `report`).
pub fn analyze(
    opts: &Options,
    report: &mut Report,
    caches: &mut RebuildCaches,
    paths: Option<&SitePaths>,
) -> Result<Option<Analysis>> {
    let Some((config, site, files)) = load_content_keeping(opts, report, Some(caches), &())? else {
        return Ok(None);
    };
    if let (Some(site), Some(paths)) = (&site, paths)
        && !report.has_errors()
    {
        report.diagnostics.extend(check::dangling_links(site, &config.base_url, &|p| paths.exists(p)));
        opts.lints.apply(&mut report.diagnostics);
        crate::diagnostic::sort(&mut report.diagnostics);
    }
    Ok(Some(Analysis { config, files }))
}

/// Renders a loaded site into `sink`, collects the static files and runs the checks that need
/// the rendered site; `None` when anything is an error (in `report`).
fn render_loaded(
    opts: &Options,
    report: &mut Report,
    loaded: LoadedSite,
    page_cache: Option<&mut render::PageCache>,
    progress: &dyn Progress,
    sink: render::Sink<'_>,
) -> Result<Option<RenderedSite>> {
    let LoadedSite { config, site, theme } = loaded;
    let one_shot = page_cache.is_none();
    progress.stage(Stage::Render, None);
    let exit_after = one_shot && opts.exit_after;
    let progress_of_pages = RenderProgress(progress);
    let mut made =
        match render::render_site_with(&site, &config, &theme, page_cache, &progress_of_pages, sink, exit_after) {
            Ok(m) => m,
            Err(d) => {
                report.diagnostics.extend(d);
                crate::diagnostic::sort(&mut report.diagnostics);
                return Ok(None);
            }
        };
    report.pages = made.paths.iter().filter(|k| k.ends_with(".html")).count();
    let statics = collect_static(&opts.root, &made.paths, report)?;
    let paths = SitePaths { generated: std::mem::take(&mut made.paths), statics: statics.keys().cloned().collect() };
    crate::timings::phase("render: sitemap, rest");
    report.diagnostics.extend(check::dangling_links(&site, &config.base_url, &|p| paths.exists(p)));
    report.site_paths = Some(paths);
    crate::timings::phase("dangling links");
    opts.lints.apply(&mut report.diagnostics);
    crate::diagnostic::sort(&mut report.diagnostics);
    let kept = if exit_after {
        // See `Options::exit_after`. Neither holds page bytes.
        std::mem::forget(site);
        std::mem::forget(theme);
        None
    } else if one_shot {
        None
    } else {
        Some(LoadedSite { config, site, theme })
    };
    if report.has_errors() {
        return Ok(None);
    }
    Ok(Some(RenderedSite { made, statics, kept }))
}

/// Builds the site and, when there are no errors, writes it, telling `progress` how it goes.
///
/// Each file is staged beside the output folder as soon as it is rendered, from the thread that
/// rendered it, so the site is never held whole in memory. The output folder changes only once
/// every page is rendered and every check passed: then only the files whose bytes changed are
/// replaced, and files no longer produced are removed. A build with errors discards what it
/// staged.
pub fn build_with(opts: &Options, progress: &dyn Progress) -> Result<Report> {
    use rayon::prelude::*;
    let start = Instant::now();
    crate::timings::phase("start");
    let output = opts.output.clone().unwrap_or_else(|| opts.root.join("public"));
    // Refused before anything is read, and never written to but through the checked target.
    let target = output::check_target(&opts.root, &output)?;
    let mut report = Report::default();
    if let Some(loaded) = load(opts, &mut report, None, progress)? {
        let writer = output::Writer::new(&target)?;
        // The first failure to stage a file (a full disk...): later files are not tried, and
        // the build fails once rendering is over.
        let failure: OnceLock<anyhow::Error> = OnceLock::new();
        let put = |rel: &str, bytes: &[u8]| {
            if failure.get().is_none()
                && let Err(e) = writer.write(rel, bytes)
            {
                let _ = failure.set(e);
            }
        };
        let rendered = render_loaded(opts, &mut report, loaded, None, progress, render::Sink::Stream(&put))?;
        // On content errors, the writer is dropped with what it staged.
        if let Some(RenderedSite { statics, .. }) = rendered {
            if let Some(e) = failure.into_inner() {
                return Err(e);
            }
            progress.stage(Stage::Write, None);
            statics.par_iter().try_for_each(|(rel, s)| match s {
                StaticFile::Builtin(text) => writer.write(rel, text.as_bytes()),
                StaticFile::Copy(src) => writer.copy(rel, src),
            })?;
            crate::timings::phase("static files");
            report.output = Some(writer.commit()?);
            crate::timings::phase("commit");
        }
    }
    report.elapsed = start.elapsed();
    Ok(report)
}

/// The site's `templates/` files.
fn read_templates(root: &Path) -> Result<Vec<SiteTemplate>> {
    let dir = root.join("templates");
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("failed to read `{}`", dir.display()))?;
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let name = content::relative(&dir, entry.path());
        let display = content::relative(root, entry.path());
        let text = std::fs::read_to_string(entry.path())
            .with_context(|| format!("failed to read `{}` (templates must be UTF-8)", entry.path().display()))?;
        out.push(SiteTemplate { name, path: display, text });
    }
    Ok(out)
}

/// Built-in static files, then the site's `static/` (which overrides them by name).
fn collect_static(
    root: &Path,
    generated: &BTreeSet<String>,
    report: &mut Report,
) -> Result<BTreeMap<String, StaticFile>> {
    let mut out: BTreeMap<String, StaticFile> =
        render::templates::STATIC.iter().map(|(n, t)| ((*n).to_string(), StaticFile::Builtin(t))).collect();
    let dir = root.join("static");
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("failed to read `{}`", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = content::relative(&dir, entry.path());
        if generated.contains(&rel) || rel == output::MARKER {
            report.diagnostics.push(
                Diagnostic::error(
                    Loc::file(content::relative(root, entry.path())),
                    format!("`static/{rel}` would overwrite the generated `/{rel}`"),
                )
                .with_help("rename or remove the static file"),
            );
            continue;
        }
        out.insert(rel, StaticFile::Copy(entry.into_path()));
    }
    Ok(out)
}
