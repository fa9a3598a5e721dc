//! Content: files on disk -> a validated, resolved [`crate::model::Site`].
//!
//! [`load`] reads every briefing, dossier and page (in path order, so diagnostics and
//! duplicate detection are stable), splits front matter, deserializes it into DTOs, and hands
//! everything to [`resolve`], which checks every rule of docs/format.md and turns ids into indices.
//! Problems are collected, never thrown: one bad file does not hide another's.

pub mod dto;
pub mod frontmatter;
pub mod links;
mod resolve;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Loc};
use crate::model::Site;
use crate::yaml::{self, tree};
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

pub use resolve::resolve;

/// A content file read and split, with its front matter deserialized.
#[derive(Debug)]
pub struct Parsed<T> {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// The file stem.
    pub stem: String,
    pub front: T,
    /// Positions in `yaml`, worked out when first asked for (most files never are).
    locator: std::sync::OnceLock<tree::Locator>,
    /// The front matter's YAML text, and the file line of its first line.
    pub yaml: String,
    pub yaml_line: usize,
    /// The Markdown body, shared with the model made from it.
    pub body: Arc<str>,
    pub body_line: usize,
    /// The body's link destinations, found once per text (a Markdown parse): a rebuild
    /// resolves every file, but parses only the changed ones.
    pub links: crate::model::BodyLinks,
}

impl<T> Parsed<T> {
    fn locator(&self) -> &tree::Locator {
        self.locator.get_or_init(|| tree::Locator::new(&self.yaml))
    }

    /// The file position of the value at `segs`.
    pub fn at(&self, segs: &[tree::Seg<'_>]) -> Loc {
        let (line, col) = self.locator().value(segs);
        if (line, col) == (1, 1) {
            // No value sits at 1:1 (it follows a key), so this is "not found": the front
            // matter as a whole, whose first line is the opening `---`.
            return Loc::new(&self.path, 1, 1);
        }
        Loc::new(&self.path, self.yaml_line + line - 1, col)
    }

    /// The file position of the key at `segs`.
    pub fn key_at(&self, segs: &[tree::Seg<'_>]) -> Loc {
        let (line, col) = self.locator().key(segs);
        Loc::new(&self.path, self.yaml_line + line - 1, col)
    }
}

/// What loading produced: a site when there were no errors, every error, and the parsed files,
/// where the lints (`check`) find positions; [`Files::free`] lets them go.
pub struct Loaded {
    pub site: Option<Site>,
    pub diagnostics: Vec<Diagnostic>,
    pub files: Files,
}

pub struct Files {
    pub briefings: Vec<Arc<Parsed<dto::BriefingFm>>>,
    pub actors: Vec<Arc<Parsed<dto::ActorFm>>>,
    pub pages: Vec<Arc<Parsed<dto::PageFm>>>,
    /// Ids of files that could not be parsed (already reported). References to them are not
    /// reported again: the one real error should not drown in its echoes.
    pub failed: Failed,
}

impl Files {
    /// Frees the files off the critical path: without a cache to keep them, they are hundreds
    /// of thousands of small strings at 10k briefings.
    pub fn free(self) {
        rayon::spawn(move || drop(self));
    }
}

#[derive(Debug, Default)]
pub struct Failed {
    pub briefings: HashSet<String>,
    pub actors: HashSet<String>,
}

/// Parsed files kept between the builds of a serve session: a file whose size and
/// modification time are unchanged is not read or parsed again.
#[derive(Default)]
pub struct Cache {
    briefings: FileCache<dto::BriefingFm>,
    actors: FileCache<dto::ActorFm>,
    pages: FileCache<dto::PageFm>,
    /// Files parsed (not reused) by the last load.
    pub parsed: usize,
    /// The briefings (relative paths) the last load parsed anew while it reused others: the
    /// ones just edited, whose pages a serve session shows first.
    pub edited: Vec<String>,
}

impl Cache {
    /// The briefing files parsed without error, by path (as walked: the root joined with the
    /// file's relative path).
    pub fn briefings(&self) -> impl Iterator<Item = (&PathBuf, &Arc<Parsed<dto::BriefingFm>>)> {
        self.briefings.iter().filter_map(|(p, c)| Some((p, c.parsed.as_ref()?)))
    }

    /// Forgets `path` (a file or folder), so it is read again whatever its stamp says.
    pub fn invalidate(&mut self, path: &Path) {
        self.briefings.retain(|p, _| !p.starts_with(path));
        self.actors.retain(|p, _| !p.starts_with(path));
        self.pages.retain(|p, _| !p.starts_with(path));
    }
}

type FileCache<T> = HashMap<PathBuf, Cached<T>>;

/// Texts read instead of the files on disk: an editor's unsaved buffers (`sitpress lsp`), by
/// the path the walk gives the file (the site root joined with its relative path). A buffer of
/// a file not yet saved is read as if it were there.
#[derive(Debug, Clone, Default)]
pub struct Overlay(Arc<BTreeMap<PathBuf, Arc<str>>>);

impl Overlay {
    pub fn new(texts: BTreeMap<PathBuf, Arc<str>>) -> Overlay {
        Overlay(Arc::new(texts))
    }

    fn get(&self, path: &Path) -> Option<&Arc<str>> {
        self.0.get(path)
    }

    /// The Markdown files of the overlay below `dir` that are not among `walked` (nothing to
    /// look for, and no set made of the walk, without an overlay: every build).
    fn unsaved_in<T>(&self, dir: &Path, walked: &[(usize, PathBuf, T)]) -> Vec<PathBuf> {
        if self.0.is_empty() {
            return Vec::new();
        }
        let walked: HashSet<&Path> = walked.iter().map(|w| w.1.as_path()).collect();
        let unsaved = |p: &&PathBuf| {
            p.starts_with(dir)
                && p.extension().is_some_and(|e| e == "md")
                && !is_hidden(p)
                && !walked.contains(p.as_path())
        };
        self.0.keys().filter(unsaved).cloned().collect()
    }
}

/// What a file was parsed from: the file on disk as it was then, or a text of the overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stamp {
    Disk(SystemTime, u64),
    Text(u64),
}

impl Stamp {
    fn of_text(text: &str) -> Stamp {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        Stamp::Text(h.finish())
    }
}

/// One file's parse: the parsed file or the ids it would have had, and its diagnostics.
struct Cached<T> {
    stamp: Stamp,
    parsed: Option<Arc<Parsed<T>>>,
    failed_ids: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

/// Whether every `@/` link of the Markdown `new` is also one of the links `old` (of a body
/// that passed validation): `new`'s internal links then name things that exist.
pub fn links_within(new: &str, old: &crate::model::BodyLinks) -> bool {
    if !new.contains("@/") {
        return true;
    }
    let old: HashSet<&str> = old.iter().map(|(_, d)| d.as_str()).collect();
    links::destinations(new).iter().all(|(_, d)| !d.starts_with("@/") || old.contains(d.as_str()))
}

/// Loads and validates the site at `root`, reusing `cache` where files are unchanged.
pub fn load(
    root: &Path,
    config: &Config,
    drafts: bool,
    today: Date,
    cache: Option<&mut Cache>,
    overlay: &Overlay,
) -> anyhow::Result<Loaded> {
    let mut diagnostics = Vec::new();
    let content = root.join("content");
    let mut failed = Failed::default();
    let mut scratch = Cache::default();
    let keep = cache.is_some();
    let cache = cache.unwrap_or(&mut scratch);
    cache.parsed = 0;
    let mut parsed = 0;
    let mut edited = Vec::new();
    let files = Files {
        briefings: read_dir(
            (root, overlay),
            &content.join("briefings"),
            &mut cache.briefings,
            keep,
            (&mut parsed, Some(&mut edited)),
            &mut diagnostics,
            &mut failed.briefings,
        )?,
        actors: read_dir(
            (root, overlay),
            &content.join("actors"),
            &mut cache.actors,
            keep,
            (&mut parsed, None),
            &mut diagnostics,
            &mut failed.actors,
        )?,
        pages: read_dir(
            (root, overlay),
            &content.join("pages"),
            &mut cache.pages,
            keep,
            (&mut parsed, None),
            &mut diagnostics,
            &mut HashSet::new(),
        )?,
        failed,
    };
    cache.parsed = parsed;
    cache.edited = edited;
    crate::timings::phase("load: read and parse");
    // The walk for stray files needs nothing else: it runs beside resolve's serial steps.
    let (stray, (site, resolved)) = rayon::join(
        || {
            let mut stray = Vec::new();
            warn_stray_files(root, &content, &mut stray);
            stray
        },
        || {
            let mut diagnostics = Vec::new();
            (resolve(&files, config, drafts, today, &mut diagnostics), diagnostics)
        },
    );
    diagnostics.extend(stray);
    // A value that failed to read was reported and stood in for by a neutral one (see
    // `yaml::from_str_checked`); what resolve says of that stand-in would be the same
    // mistake twice.
    let read_errors: HashSet<(&str, usize)> =
        diagnostics.iter().filter(|d| d.is_error()).map(|d| (d.loc.path.as_str(), d.loc.line)).collect();
    let resolved: Vec<Diagnostic> = if read_errors.is_empty() {
        resolved
    } else {
        resolved.into_iter().filter(|d| !read_errors.contains(&(d.loc.path.as_str(), d.loc.line))).collect()
    };
    diagnostics.extend(resolved);
    crate::timings::phase("load: resolve");
    crate::diagnostic::sort(&mut diagnostics);
    // A one-shot load's cache holds nothing it keeps; dropping it walks its maps all the same.
    rayon::spawn(move || drop(scratch));
    Ok(Loaded { site, diagnostics, files })
}

/// Reads every `.md` file under `dir` (any depth, path order) and parses its front matter,
/// or takes it from `cache` when unchanged. Files no longer there leave the cache; unless
/// `keep`, files parsed now do not enter it (a one-shot load has no use for them).
fn read_dir<T: dto::FrontMatter + Send + Sync>(
    (root, overlay): (&Path, &Overlay),
    dir: &Path,
    cache: &mut FileCache<T>,
    keep: bool,
    (parsed, edited): (&mut usize, Option<&mut Vec<String>>),
    diagnostics: &mut Vec<Diagnostic>,
    failed: &mut HashSet<String>,
) -> anyhow::Result<Vec<Arc<Parsed<T>>>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    // The walk hands each file to whichever core is free, which stats it and parses it if it
    // changed, while the walk goes on; the files are then put back in path order.
    let mut walked: Vec<(usize, PathBuf, Option<Cached<T>>)> = if dir.exists() {
        let known: &FileCache<T> = cache;
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .enumerate()
            .par_bridge()
            .filter_map(|(i, entry)| {
                let walked = || -> anyhow::Result<Option<_>> {
                    let entry = entry.map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", dir.display()))?;
                    let p = entry.path();
                    if !entry.file_type().is_file() || p.extension().is_none_or(|e| e != "md") || is_hidden(p) {
                        return Ok(None);
                    }
                    let text = overlay.get(p);
                    let stamp = match text {
                        Some(text) => Stamp::of_text(text),
                        None => {
                            let meta = entry
                                .metadata()
                                .map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", p.display()))?;
                            Stamp::Disk(meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len())
                        }
                    };
                    let parse = known.get(p).is_none_or(|c| c.stamp != stamp);
                    let parsed = if parse { Some(parse_path::<T>(root, p, stamp, text)?) } else { None };
                    Ok(Some((i, entry.into_path(), parsed)))
                };
                walked().transpose()
            })
            .collect::<anyhow::Result<_>>()?
    } else {
        Vec::new()
    };
    walked.sort_unstable_by_key(|w| w.0);
    let unsaved = overlay.unsaved_in(dir, &walked);
    if !unsaved.is_empty() {
        for p in unsaved {
            let text = overlay.get(&p).expect("listed by the overlay");
            let stamp = Stamp::of_text(text);
            let parsed = match cache.get(&p) {
                Some(c) if c.stamp == stamp => None,
                _ => Some(parse_path::<T>(root, &p, stamp, Some(text))?),
            };
            walked.push((0, p, parsed));
        }
        // Path order is the walk's order (file names sorted in each folder, depth first).
        walked.sort_by(|a, b| a.1.cmp(&b.1));
    }
    *parsed += walked.iter().filter(|w| w.2.is_some()).count();
    if let Some(edited) = edited
        && walked.iter().any(|w| w.2.is_none())
    {
        edited.extend(walked.iter().filter_map(|w| Some(w.2.as_ref()?.parsed.as_ref()?.path.clone())));
    }
    let mut take = |c: &Cached<T>| {
        diagnostics.extend(c.diagnostics.iter().cloned());
        failed.extend(c.failed_ids.iter().cloned());
        out.extend(c.parsed.clone());
    };
    if walked.iter().all(|w| w.2.is_some()) {
        // Every file parsed now (a first load): whatever else the cache holds is of files no
        // longer there.
        walked.iter().filter_map(|w| w.2.as_ref()).for_each(&mut take);
        cache.clear();
        if keep {
            cache.extend(walked.into_iter().filter_map(|(_, p, c)| c.map(|c| (p, c))));
        }
        return Ok(out);
    }
    for (_, p, fresh) in walked {
        if let Some(c) = fresh {
            cache.insert(p.clone(), c);
        }
        take(&cache[&p]);
        seen.insert(p);
    }
    cache.retain(|p, _| seen.contains(p));
    Ok(out)
}

/// Parses the file at `p`, or `text` in its place (a buffer of the overlay).
fn parse_path<T: dto::FrontMatter>(
    root: &Path,
    p: &Path,
    stamp: Stamp,
    text: Option<&Arc<str>>,
) -> anyhow::Result<Cached<T>> {
    let rel = relative(root, p);
    let bytes = match text {
        Some(text) => text.as_bytes().to_vec(),
        None => std::fs::read(p).map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", p.display()))?,
    };
    let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut diagnostics = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid_up_to = e.utf8_error().valid_up_to();
            diagnostics.push(crate::diagnostic::not_utf8(&rel, e.as_bytes(), valid_up_to));
            return Ok(Cached { stamp, parsed: None, failed_ids: vec![stem], diagnostics });
        }
    };
    let parsed = parse_file::<T>(&rel, p, &text, &mut diagnostics).map(Arc::new);
    let failed_ids = match parsed {
        Some(_) => Vec::new(),
        None => declared_id(&text).into_iter().chain([stem]).collect(),
    };
    Ok(Cached { stamp, parsed, failed_ids, diagnostics })
}

/// Splits and deserializes one file's text; `None` (with a diagnostic) when that fails.
pub fn parse_file<T: dto::FrontMatter>(
    rel: &str,
    path: &Path,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Parsed<T>> {
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            let (msg, help) = e.message();
            diagnostics.push(Diagnostic::error(Loc::new(rel, 1, 1), msg).with_help(help));
            return None;
        }
    };
    if split.yaml.trim().is_empty() {
        diagnostics.push(
            Diagnostic::error(Loc::new(rel, 1, 1), "the front matter is empty")
                .with_help("add the required keys between the `---` lines"),
        );
        return None;
    }
    let (front, errors) = yaml::from_str_checked::<T>(split.yaml, rel, split.yaml_line, T::SCHEMA);
    diagnostics.extend(errors);
    // A second `---` at once: a doubled fence, or a second front matter block, whose keys
    // would silently become body text.
    if split.body.lines().next().is_some_and(|l| l.trim_end() == "---") {
        diagnostics.push(
            Diagnostic::error(Loc::new(rel, split.body_line, 1), "the body starts with another `---` line")
                .with_help("remove the extra `---`: the front matter ends at the first `---` after it, so what follows would be shown as text; for a rule at the top of the body, leave a blank line before it"),
        );
    }
    match front {
        Some(front) => Some(Parsed {
            path: rel.to_string(),
            stem: path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            front,
            locator: std::sync::OnceLock::new(),
            yaml: split.yaml.to_string(),
            yaml_line: split.yaml_line,
            body: split.body.into(),
            body_line: split.body_line,
            links: links::destinations(split.body),
        }),
        None => None,
    }
}

/// A top-level `id:` in text whose front matter did not parse, for [`Failed`].
fn declared_id(text: &str) -> Option<String> {
    text.lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.strip_prefix("id:").map(|v| v.trim().trim_matches(['"', '\'']).to_string()))
}

fn warn_stray_files(root: &Path, content: &Path, diagnostics: &mut Vec<Diagnostic>) {
    if !content.exists() {
        return;
    }
    let folders = ["briefings", "actors", "pages"].map(|d| content.join(d));
    for entry in walkdir::WalkDir::new(content).sort_by_file_name().into_iter().flatten() {
        let p = entry.path();
        if !entry.file_type().is_file() || is_hidden(p) {
            continue;
        }
        let known = folders.iter().any(|d| p.starts_with(d));
        let is_md = p.extension().is_some_and(|e| e == "md");
        if !known || !is_md {
            let rel = relative(root, p);
            diagnostics.push(
                Diagnostic::warning(Loc::file(&rel), "this file is not part of the site and is ignored")
                    .with_help("briefings go in content/briefings/, dossiers in content/actors/, pages in content/pages/, all as .md files; other files belong in static/"),
            );
        }
    }
}

fn is_hidden(p: &Path) -> bool {
    p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// `p` relative to `root`, with `/` separators, for messages.
pub fn relative(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_links_within_another_when_it_names_no_new_page() {
        let old = links::destinations("See [Kazan](@/briefings/kazan/) and [the MFA](@/actors/russia-mfa/).");
        assert!(links_within("No links at all.", &old));
        assert!(links_within("Only [Kazan](@/briefings/kazan/) now, and [a site](https://example.org/).", &old));
        assert!(!links_within("A [new one](@/actors/nato/).", &old));
        assert!(!links_within("[Kazan](@/briefings/kazan/) and [a claim](@/briefings/kazan/#c2).", &old));
    }
}
