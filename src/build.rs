//! The pipeline: config -> content -> model -> render -> output.

use crate::check;
use crate::config::{BaseUrl, Config};
use crate::content;
use crate::diagnostic::{Diagnostic, Loc};
use crate::model::{BriefingIx, Site};
use crate::output;
use crate::render::{self, templates::SiteTemplate, templates::Theme};
use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
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
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The rendered site, in memory, and what went with it.
pub struct Rendered {
    pub files: render::Files,
    pub statics: BTreeMap<String, StaticFile>,
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

impl render::Progress for RenderProgress<'_> {
    fn pages(&self, pages: usize) {
        self.0.stage(Stage::Render, Some(pages));
    }

    fn page_done(&self) {
        self.0.step();
    }
}

/// What a serve session keeps between builds: parsed files and rendered pages.
#[derive(Default)]
pub struct Caches {
    pub content: content::Cache,
    pub pages: render::Cache,
    /// The last build, when it succeeded, for [`Preview`]; serve takes it after each build.
    pub last: Option<Preview>,
}

/// A serve session's last good build, kept to show an edited briefing at once: when only a
/// briefing's Markdown body changed, its page is rendered again from this build's model and
/// views, in milliseconds, while the whole site is rebuilt behind it.
pub struct Preview {
    site: Site,
    config: Config,
    theme: Theme,
    state: Option<render::State>,
    /// The `content/` folder.
    content: PathBuf,
    /// Each briefing's file (as the watcher names it): its front matter as parsed, its index.
    briefings: HashMap<PathBuf, (Arc<content::Parsed<content::dto::BriefingFm>>, BriefingIx)>,
}

impl Preview {
    fn new(
        root: &Path,
        site: Site,
        config: Config,
        theme: Theme,
        state: render::State,
        files: &content::Cache,
    ) -> Preview {
        let index: HashMap<&str, BriefingIx> =
            site.briefings.iter().enumerate().map(|(b, br)| (br.path.as_str(), b)).collect();
        let briefings = files
            .briefings()
            .filter_map(|(path, parsed)| Some((path.clone(), (parsed.clone(), *index.get(parsed.path.as_str())?))))
            .collect();
        Preview { site, config, theme, state: Some(state), content: root.join("content"), briefings }
    }

    /// The pages to show now for the files `changed`, as (output path, bytes): `None` unless
    /// every one is a briefing of this build whose front matter is byte for byte the same and
    /// whose body links to nothing new, so that the new body is all that differs.
    pub fn pages(&mut self, changed: &[PathBuf]) -> Option<Vec<render::Page>> {
        let mut bodies = Vec::new();
        for path in changed {
            let Some((parsed, b)) = self.briefings.get(path) else {
                // A scratch file an editor made and removed again (vim's `4913`) is no change.
                if path.starts_with(&self.content) && !path.exists() && path.extension().is_none_or(|e| e != "md") {
                    continue;
                }
                return None;
            };
            let text = std::fs::read_to_string(path).ok()?;
            let split = content::frontmatter::split(&text).ok()?;
            let old = &self.site.briefings[*b].body;
            if split.yaml != parsed.yaml
                || split.body_line != parsed.body_line
                || !content::links_within(split.body, old)
            {
                return None;
            }
            bodies.push((*b, split.body.to_string()));
        }
        let mut pages = Vec::new();
        for (b, body) in bodies {
            let (state, page) =
                render::render_briefing(&self.site, &self.config, &self.theme, self.state.take()?, b, &body);
            self.state = Some(state);
            pages.push(page.ok()?);
        }
        Some(pages)
    }
}

/// Loads, validates and renders the site without writing anything: every diagnostic a build
/// would give. Each page is dropped as soon as it is rendered, keeping only its path (for the
/// dangling-link lint), so a check needs no more memory than a build.
pub fn check(opts: &Options) -> Result<Report> {
    let start = Instant::now();
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
pub fn render_with(opts: &Options, report: &mut Report, caches: Option<&mut Caches>) -> Result<Option<Rendered>> {
    render_observed(opts, report, caches, &())
}

fn render_observed(
    opts: &Options,
    report: &mut Report,
    caches: Option<&mut Caches>,
    progress: &dyn Progress,
) -> Result<Option<Rendered>> {
    let mut caches = caches;
    if let Some(c) = caches.as_deref_mut() {
        c.last = None;
    }
    let Some(loaded) = load(opts, report, caches.as_deref_mut().map(|c| &mut c.content), progress)? else {
        return Ok(None);
    };
    let page_cache = caches.as_deref_mut().map(|c| &mut c.pages);
    let Some(rendered) = render_loaded(opts, report, loaded, page_cache, progress, render::Sink::Memory)? else {
        return Ok(None);
    };
    if let (Some(c), Some(kept)) = (caches, rendered.kept)
        && let Some(state) = c.pages.take_state()
    {
        c.last = Some(Preview::new(&opts.root, kept.site, kept.config, kept.theme, state, &c.content));
    }
    Ok(Some(Rendered { files: rendered.made.files, statics: rendered.statics }))
}

/// What [`render_loaded`] made, with the loaded site given back when a cache asks to keep it.
struct RenderedSite {
    made: render::Made,
    statics: BTreeMap<String, StaticFile>,
    kept: Option<Loaded>,
}

/// A valid site and its theme, ready to render.
struct Loaded {
    config: Config,
    site: Site,
    theme: Theme,
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
    content_cache: Option<&mut content::Cache>,
    progress: &dyn Progress,
) -> Result<Option<Loaded>> {
    // Without a config or a content folder, nothing else is worth checking.
    let Some((config, site)) = load_content(opts, report, content_cache, progress)? else {
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
    Ok(Some(Loaded { config, site, theme }))
}

/// Reads the config and the content: `None` when there is no valid config or no content
/// folder, no site when the content has errors (each in `report`).
fn load_content(
    opts: &Options,
    report: &mut Report,
    content_cache: Option<&mut content::Cache>,
    progress: &dyn Progress,
) -> Result<Option<(Config, Option<Site>)>> {
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
    let mut loaded = content::load(root, &config, opts.drafts, opts.today, content_cache)?;
    // Lints judge the whole site: with a file left out for its errors, they would judge a
    // site that is not the author's (its actors orphaned, its claims unreferenced), so they
    // wait until every file reads.
    if let Some(site) = &loaded.site
        && !loaded.diagnostics.iter().any(Diagnostic::is_error)
    {
        loaded.diagnostics.extend(check::lint(site, &loaded.files, opts.today));
        crate::diagnostic::sort(&mut loaded.diagnostics);
    }
    crate::timings::phase("load: lint");
    loaded.files.free();
    report.diagnostics.extend(loaded.diagnostics);
    opts.lints.apply(&mut report.diagnostics);
    Ok(Some((config, loaded.site)))
}

/// Renders a loaded site into `sink`, collects the static files and runs the checks that need
/// the rendered site; `None` when anything is an error (in `report`).
fn render_loaded(
    opts: &Options,
    report: &mut Report,
    loaded: Loaded,
    page_cache: Option<&mut render::Cache>,
    progress: &dyn Progress,
    sink: render::Sink<'_>,
) -> Result<Option<RenderedSite>> {
    let Loaded { config, site, theme } = loaded;
    let one_shot = page_cache.is_none();
    progress.stage(Stage::Render, None);
    let exit_after = one_shot && opts.exit_after;
    let progress_of_pages = RenderProgress(progress);
    let made = match render::render_site_with(&site, &config, &theme, page_cache, &progress_of_pages, sink, exit_after)
    {
        Ok(m) => m,
        Err(d) => {
            report.diagnostics.extend(d);
            crate::diagnostic::sort(&mut report.diagnostics);
            return Ok(None);
        }
    };
    report.pages = made.paths.iter().filter(|k| k.ends_with(".html")).count();
    let statics = collect_static(&opts.root, &made.paths, report)?;
    let exists = |p: &str| made.paths.contains(&render::urls::output_file(p)) || statics.contains_key(p);
    crate::timings::phase("render: sitemap, rest");
    report.diagnostics.extend(check::dangling_links(&site, &config.base_url, &exists));
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
        Some(Loaded { config, site, theme })
    };
    if report.has_errors() {
        return Ok(None);
    }
    Ok(Some(RenderedSite { made, statics, kept }))
}

/// Builds the site and, when there are no errors, writes it.
pub fn build(opts: &Options) -> Result<Report> {
    build_with(opts, &())
}

/// [`build`], telling `progress` how it goes.
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
