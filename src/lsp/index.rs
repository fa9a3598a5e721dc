//! What the editor features look up: every actor, briefing, claim and source of the site as
//! its files were last read (unsaved buffers included), and where each is named.
//!
//! Made from the parsed files of each analysis, not from the resolved site, so that it is
//! there while the site has errors: completing a misspelled actor is when it is needed most.

use crate::config::Config;
use crate::content::links::{body_loc, destinations};
use crate::content::{Files, Parsed, dto};
use crate::diagnostic::Loc;
use crate::model::ClaimType;
use crate::yaml::tree::Seg::{self, Index as At, Key};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

/// The site's files by what they define.
#[derive(Default)]
pub struct Index {
    /// Actor id (the file stem) -> its dossier.
    pub actors: BTreeMap<String, Arc<Parsed<dto::ActorFm>>>,
    /// Briefing id -> the briefing.
    pub briefings: BTreeMap<String, Briefing>,
    pub pages: Vec<Arc<Parsed<dto::PageFm>>>,
    /// Relative path -> the id of the briefing in it.
    briefing_at: HashMap<String, String>,
    pub claim_types: Vec<ClaimType>,
}

pub struct Briefing {
    pub id: String,
    pub file: Arc<Parsed<dto::BriefingFm>>,
    /// Each claim's id: explicit, or `c<position>`.
    pub claim_ids: Vec<String>,
}

impl Briefing {
    pub fn claim(&self, id: &str) -> Option<(usize, &dto::ClaimFm)> {
        let i = self.claim_ids.iter().position(|c| c == id)?;
        Some((i, &self.file.front.claims[i]))
    }
}

/// Something a front matter names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Actor(String),
    Briefing(String),
    Claim { briefing: String, claim: String },
    Source { briefing: String, source: String },
}

/// One place a [`Target`] is named: a file position and the characters of the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Relative path, as in diagnostics.
    pub path: String,
    /// 1-based file line.
    pub line: usize,
    /// Character columns (0-based, end excluded) of the whole reference as written
    /// (`kazan#kursk`).
    pub whole: Range<usize>,
    /// The part of it that is the target's own id (`kursk`): what a rename replaces.
    pub name: Range<usize>,
}

/// The keys whose values are actor ids, by path (in a briefing or a dossier).
pub const ACTOR_KEYS: &[&[&str]] =
    &[&["actors"], &["claims", "by"], &["claims", "about"], &["parent"], &["relations", "target"]];

/// The keys whose values are claim refs (`c2`, `<briefing>#<claim>`).
pub const CLAIM_REF_KEYS: &[&[&str]] = &[
    &["claims", "disputes"],
    &["claims", "supports"],
    &["claims", "condition"],
    &["claims", "updates"],
    &["claims", "revises"],
    &["resolves", "claim"],
];

impl Index {
    /// The index of `files`; a file that does not parse now keeps what it defined in
    /// `previous`.
    pub fn new(files: &Files, config: &Config, previous: Index) -> Index {
        let mut index =
            Index { claim_types: config.claim_types.clone(), pages: files.pages.clone(), ..Index::default() };
        for f in &files.actors {
            index.actors.insert(f.stem.clone(), f.clone());
        }
        for f in &files.briefings {
            let id = f.front.id.clone().unwrap_or_else(|| f.stem.clone());
            let claim_ids = f
                .front
                .claims
                .iter()
                .enumerate()
                .map(|(i, c)| c.id.clone().unwrap_or_else(|| format!("c{}", i + 1)))
                .collect();
            index.briefing_at.insert(f.path.clone(), id.clone());
            index.briefings.insert(id.clone(), Briefing { id, file: f.clone(), claim_ids });
        }
        // A file that does not parse now (it is being typed) keeps what it last defined.
        let failed = |stem: &str| files.failed.briefings.contains(stem) || files.failed.actors.contains(stem);
        for (id, a) in previous.actors {
            if failed(&a.stem) && !index.actors.contains_key(&id) {
                index.actors.insert(id, a);
            }
        }
        for (id, b) in previous.briefings {
            if failed(&b.file.stem)
                && !index.briefing_at.contains_key(&b.file.path)
                && !index.briefings.contains_key(&id)
            {
                index.briefing_at.insert(b.file.path.clone(), id.clone());
                index.briefings.insert(id, b);
            }
        }
        index
    }

    /// The briefing in the file at `path` (relative).
    pub fn briefing_at(&self, path: &str) -> Option<&Briefing> {
        self.briefings.get(self.briefing_at.get(path)?)
    }

    /// The claim a ref names, written in briefing `from`: `c2` there, or `<briefing>#<claim>`.
    pub fn claim_target(from: &str, written: &str) -> Target {
        match written.split_once('#') {
            Some((b, c)) => Target::Claim { briefing: b.to_string(), claim: c.to_string() },
            None => Target::Claim { briefing: from.to_string(), claim: written.to_string() },
        }
    }

    /// Where `target` is defined: its file and 1-based line and column.
    pub fn definition(&self, target: &Target) -> Option<Loc> {
        match target {
            Target::Actor(id) => self.actors.get(id).map(|a| Loc::new(&a.path, 1, 1)),
            Target::Briefing(id) => self.briefings.get(id).map(|b| Loc::new(&b.file.path, 1, 1)),
            Target::Claim { briefing, claim } => {
                let b = self.briefings.get(briefing)?;
                let (i, _) = b.claim(claim)?;
                Some(b.file.at(&[Key("claims"), At(i)]))
            }
            Target::Source { briefing, source } => {
                let b = self.briefings.get(briefing)?;
                let i = b.file.front.sources.iter().position(|s| s.id == *source)?;
                Some(b.file.at(&[Key("sources"), At(i)]))
            }
        }
    }

    /// Every place `target` is named, in path order: front-matter values and `@/` links of
    /// bodies; a claim's or source's own `id:` too, but not an actor's dossier (its name is
    /// its file's).
    pub fn occurrences(&self, target: &Target) -> Vec<Occurrence> {
        let mut out = Vec::new();
        match target {
            Target::Actor(id) => {
                for b in self.briefings.values() {
                    let f = &b.file;
                    for (i, a) in f.front.actors.iter().enumerate() {
                        push_named(&mut out, f, &[Key("actors"), At(i)], a, id);
                    }
                    for (i, c) in f.front.claims.iter().enumerate() {
                        if let Some(by) = &c.by {
                            push_named(&mut out, f, &[Key("claims"), At(i), Key("by")], by, id);
                        }
                        for (j, a) in c.about.iter().enumerate() {
                            push_named(&mut out, f, &[Key("claims"), At(i), Key("about"), At(j)], a, id);
                        }
                    }
                }
                for a in self.actors.values() {
                    if let Some(p) = &a.front.parent {
                        push_named(&mut out, a, &[Key("parent")], p, id);
                    }
                    for (i, r) in a.front.relations.iter().enumerate() {
                        push_named(&mut out, a, &[Key("relations"), At(i), Key("target")], &r.target, id);
                    }
                }
                self.body_links(&mut out, &format!("@/actors/{id}/"), "@/actors/".len(), id.len());
            }
            Target::Claim { briefing, claim } => {
                for b in self.briefings.values() {
                    let f = &b.file;
                    let names = |written: &str| Index::claim_target(&b.id, written) == *target;
                    for (i, c) in f.front.claims.iter().enumerate() {
                        let lists = [("disputes", &c.disputes), ("supports", &c.supports)];
                        for (key, refs) in lists {
                            for (j, r) in refs.iter().enumerate() {
                                if names(r) {
                                    push_ref(&mut out, f, &[Key("claims"), At(i), Key(key), At(j)], r);
                                }
                            }
                        }
                        let single = [("condition", &c.condition), ("updates", &c.updates), ("revises", &c.revises)];
                        for (key, r) in single {
                            if let Some(r) = r.as_deref().filter(|r| names(r)) {
                                push_ref(&mut out, f, &[Key("claims"), At(i), Key(key)], r);
                            }
                        }
                    }
                    for (i, r) in f.front.resolves.iter().enumerate() {
                        if names(&r.claim) {
                            push_ref(&mut out, f, &[Key("resolves"), At(i), Key("claim")], &r.claim);
                        }
                        if b.id == *briefing {
                            for (j, e) in r.evidence.iter().enumerate() {
                                push_named(&mut out, f, &[Key("resolves"), At(i), Key("evidence"), At(j)], e, claim);
                            }
                        }
                    }
                    if b.id == *briefing
                        && let Some((i, c)) = b.claim(claim)
                        && let Some(id) = &c.id
                    {
                        push_named(&mut out, f, &[Key("claims"), At(i), Key("id")], id, claim);
                    }
                }
                let link = format!("@/briefings/{briefing}/#{claim}");
                self.body_links(&mut out, &link, link.len() - claim.len(), claim.len());
            }
            Target::Briefing(id) => {
                let link = format!("@/briefings/{id}/");
                self.body_links(&mut out, &link, "@/briefings/".len(), id.len());
            }
            Target::Source { briefing, source } => {
                if let Some(b) = self.briefings.get(briefing) {
                    let f = &b.file;
                    for (i, s) in f.front.sources.iter().enumerate() {
                        push_named(&mut out, f, &[Key("sources"), At(i), Key("id")], &s.id, source);
                    }
                    for (i, c) in f.front.claims.iter().enumerate() {
                        for (j, r) in c.sources.iter().enumerate() {
                            match r {
                                dto::SourceRefFm::Id(s) => {
                                    push_named(&mut out, f, &[Key("claims"), At(i), Key("sources"), At(j)], s, source)
                                }
                                dto::SourceRefFm::Graded(g) => push_named(
                                    &mut out,
                                    f,
                                    &[Key("claims"), At(i), Key("sources"), At(j), Key("ref")],
                                    &g.source,
                                    source,
                                ),
                            }
                        }
                    }
                }
            }
        }
        out.sort_by(|a, b| (&a.path, a.line, a.whole.start).cmp(&(&b.path, b.line, b.whole.start)));
        out.dedup();
        out
    }

    /// Each `@/` link of a body that starts with `link`, the name at `skip` characters into
    /// it, `len` long.
    fn body_links(&self, out: &mut Vec<Occurrence>, link: &str, skip: usize, len: usize) {
        let bodies = self
            .briefings
            .values()
            .map(|b| (&b.file.path, &b.file.body, b.file.body_line))
            .chain(self.actors.values().map(|a| (&a.path, &a.body, a.body_line)))
            .chain(self.pages.iter().map(|p| (&p.path, &p.body, p.body_line)));
        for (path, body, body_line) in bodies {
            if !body.contains(link) {
                continue;
            }
            for (range, dest) in destinations(body) {
                if !dest.starts_with(link) {
                    continue;
                }
                let Some(at) = body[range.clone()].find(link) else { continue };
                let loc = body_loc(path, body, body_line, range.start + at);
                let start = loc.column - 1;
                out.push(Occurrence {
                    path: path.clone(),
                    line: loc.line,
                    whole: start..start + link.chars().count(),
                    name: start + skip..start + skip + len,
                });
            }
        }
    }
}

/// The position of the value at `segs` of `f`, when it reads `written` there (quotes
/// skipped): its line and character columns.
fn value_at<T>(f: &Parsed<T>, segs: &[Seg<'_>], written: &str) -> Option<(usize, Range<usize>)> {
    let loc = f.at(segs);
    let line = f.yaml.lines().nth(loc.line.checked_sub(f.yaml_line)?)?;
    let mut start = loc.column.checked_sub(1)?;
    let mut chars = line.chars().skip(start);
    let first = chars.next()?;
    if first == '"' || first == '\'' {
        start += 1;
    }
    let found: String = line.chars().skip(start).take(written.chars().count()).collect();
    (found == written).then(|| (loc.line, start..start + written.chars().count()))
}

/// A value naming `id` by itself (an actor id, a claim id of the same briefing, a source id).
fn push_named<T>(out: &mut Vec<Occurrence>, f: &Parsed<T>, segs: &[Seg<'_>], written: &str, id: &str) {
    if written != id {
        return;
    }
    if let Some((line, cols)) = value_at(f, segs, written) {
        out.push(Occurrence { path: f.path.clone(), line, whole: cols.clone(), name: cols });
    }
}

/// A claim ref: its claim id is the part after `#`, or all of it.
fn push_ref<T>(out: &mut Vec<Occurrence>, f: &Parsed<T>, segs: &[Seg<'_>], written: &str) {
    if let Some((line, cols)) = value_at(f, segs, written) {
        let skip = written.find('#').map_or(0, |i| written[..=i].chars().count());
        out.push(Occurrence { path: f.path.clone(), line, whole: cols.clone(), name: cols.start + skip..cols.end });
    }
}
