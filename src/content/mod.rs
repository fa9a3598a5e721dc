//! Content: files on disk -> a validated, resolved [`crate::model::Site`].
//!
//! [`load`] reads every briefing, dossier and page (in path order, so diagnostics and
//! duplicate detection are stable), splits front matter, deserializes it into DTOs, and hands
//! everything to [`resolve`], which checks every rule of FORMAT.md and turns ids into indices.
//! Problems are collected, never thrown: one bad file does not hide another's.

pub mod dto;
pub mod frontmatter;
mod links;
pub mod lint;
mod resolve;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Loc};
use crate::model::Site;
use crate::yaml::{self, locate};
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::path::Path;

pub use resolve::resolve;

/// A content file read and split, with its front matter deserialized.
#[derive(Debug)]
pub struct Parsed<T> {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// The file stem.
    pub stem: String,
    pub front: T,
    pub locator: locate::Locator,
    /// The front matter's YAML text, and the file line of its first line.
    pub yaml: String,
    pub yaml_line: usize,
    pub body: String,
    pub body_line: usize,
}

impl<T> Parsed<T> {
    /// The file position of the value at `segs`.
    pub fn at(&self, segs: &[locate::Seg<'_>]) -> Loc {
        let (line, col) = self.locator.value(segs);
        if (line, col) == (1, 1) {
            // No value sits at 1:1 (it follows a key), so this is "not found": the front
            // matter as a whole, whose first line is the opening `---`.
            return Loc::new(&self.path, 1, 1);
        }
        Loc::new(&self.path, self.yaml_line + line - 1, col)
    }

    /// The file position of the key at `segs`.
    pub fn key_at(&self, segs: &[locate::Seg<'_>]) -> Loc {
        let (line, col) = self.locator.key(segs);
        Loc::new(&self.path, self.yaml_line + line - 1, col)
    }
}

/// Every content file's text, kept so diagnostics can show the offending line.
pub type Sources = BTreeMap<String, String>;

/// What loading produced: a site when there were no errors, and every diagnostic (errors,
/// and lint warnings when there is a site).
pub struct Loaded {
    pub site: Option<Site>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

pub struct Files {
    pub briefings: Vec<Parsed<dto::BriefingFm>>,
    pub actors: Vec<Parsed<dto::ActorFm>>,
    pub pages: Vec<Parsed<dto::PageFm>>,
    /// Ids of files that could not be parsed (already reported). References to them are not
    /// reported again: the one real error should not drown in its echoes.
    pub failed: Failed,
}

#[derive(Debug, Default)]
pub struct Failed {
    pub briefings: std::collections::HashSet<String>,
    pub actors: std::collections::HashSet<String>,
}

/// Loads and validates the site at `root`.
pub fn load(root: &Path, config: &Config, drafts: bool, today: Date) -> anyhow::Result<Loaded> {
    let mut diagnostics = Vec::new();
    let mut sources = Sources::new();
    let content = root.join("content");
    let mut failed = Failed::default();
    let files = Files {
        briefings: read_dir(root, &content.join("briefings"), &mut sources, &mut diagnostics, &mut failed.briefings)?,
        actors: read_dir(root, &content.join("actors"), &mut sources, &mut diagnostics, &mut failed.actors)?,
        pages: read_dir(root, &content.join("pages"), &mut sources, &mut diagnostics, &mut Default::default())?,
        failed,
    };
    warn_stray_files(root, &content, &mut diagnostics);
    let site = resolve(&files, config, drafts, today, &mut diagnostics);
    if let Some(site) = &site {
        diagnostics.extend(lint::lint(site, &files, today));
    }
    crate::diagnostic::sort(&mut diagnostics);
    Ok(Loaded { site, diagnostics, sources })
}

/// Reads every `.md` file under `dir` (any depth, path order) and parses its front matter.
fn read_dir<T: dto::FrontMatter>(
    root: &Path,
    dir: &Path,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
    failed: &mut std::collections::HashSet<String>,
) -> anyhow::Result<Vec<Parsed<T>>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", dir.display()))?;
        let p = entry.path();
        if !entry.file_type().is_file() || p.extension().is_none_or(|e| e != "md") || is_hidden(p) {
            continue;
        }
        let rel = relative(root, p);
        let bytes = std::fs::read(p).map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", p.display()))?;
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let Ok(text) = String::from_utf8(bytes) else {
            failed.insert(stem);
            diagnostics.push(
                Diagnostic::error(Loc::new(&rel, 1, 1), "the file is not valid UTF-8")
                    .with_help("save the file with UTF-8 encoding"),
            );
            continue;
        };
        match parse_file::<T>(&rel, p, &text, diagnostics) {
            Some(parsed) => out.push(parsed),
            None => {
                failed.extend(declared_id(&text));
                failed.insert(stem);
            }
        }
        sources.insert(rel, text);
    }
    Ok(out)
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
    match front {
        Some(front) => Some(Parsed {
            path: rel.to_string(),
            stem: path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            front,
            locator: locate::Locator::new(split.yaml),
            yaml: split.yaml.to_string(),
            yaml_line: split.yaml_line,
            body: split.body.to_string(),
            body_line: split.body_line,
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
    for entry in walkdir::WalkDir::new(content).sort_by_file_name().into_iter().flatten() {
        let p = entry.path();
        if !entry.file_type().is_file() || is_hidden(p) {
            continue;
        }
        let rel = relative(root, p);
        let known = ["content/briefings/", "content/actors/", "content/pages/"].iter().any(|d| rel.starts_with(d));
        let is_md = p.extension().is_some_and(|e| e == "md");
        if !known || !is_md {
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
