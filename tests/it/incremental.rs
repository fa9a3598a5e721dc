//! The incremental rebuild equals a fresh build: random sequences of the edits an author
//! makes (titles, dates, claims added and removed, actors renamed, files moved, deleted and
//! restored), each applied to a small site on disk and rebuilt through the caches a serve
//! session keeps (`render_with` with `RebuildCaches`, told which paths
//! changed as the watcher tells serve), then compared byte for byte, file by file, with a
//! fresh render of the same files, diagnostics included.

use proptest::prelude::*;
use sitpress::internals::{Options, RebuildCaches, Report, render_with};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Actors of the site: (id, name). `a1` is part of `a0`.
const ACTORS: [&str; 3] = ["a0", "a1", "a2"];
const CLAIM_TYPES: [&str; 4] = ["report", "statement", "assessment", "forecast"];
const LIKELIHOODS: [&str; 3] = ["likely", "unlikely", "roughly-even-chance"];

/// One claim as written: its type and the actor it is by.
#[derive(Debug, Clone)]
struct Claim {
    kind: usize,
    by: usize,
    text: u8,
}

/// One briefing as written.
#[derive(Debug, Clone)]
struct Briefing {
    id: String,
    /// The folder under `content/briefings/` it is in (moves change it).
    folder: Option<&'static str>,
    title: String,
    day: u8,
    actors: Vec<usize>,
    claims: Vec<Claim>,
    /// Deleted for now (a later step may restore it).
    deleted: bool,
}

/// The site as the author has written it so far.
#[derive(Debug, Clone)]
struct Written {
    names: Vec<String>,
    briefings: Vec<Briefing>,
}

#[derive(Debug, Clone)]
enum Edit {
    Title(usize, u8),
    Date(usize, u8),
    AddClaim(usize, Claim),
    RemoveClaim(usize),
    /// A new text for a claim (briefing, claim, text): only that claim's view changes.
    ClaimText(usize, usize, u8),
    RenameActor(usize, u8),
    Move(usize),
    Delete(usize),
    Restore(usize),
}

fn claim() -> impl Strategy<Value = Claim> {
    (0..CLAIM_TYPES.len(), 0..ACTORS.len(), any::<u8>()).prop_map(|(kind, by, text)| Claim { kind, by, text })
}

fn edit() -> impl Strategy<Value = Edit> {
    let b = 0..4usize;
    prop_oneof![
        (b.clone(), any::<u8>()).prop_map(|(b, n)| Edit::Title(b, n)),
        (b.clone(), 1..28u8).prop_map(|(b, d)| Edit::Date(b, d)),
        (b.clone(), claim()).prop_map(|(b, c)| Edit::AddClaim(b, c)),
        b.clone().prop_map(Edit::RemoveClaim),
        (b.clone(), 0..3usize, any::<u8>()).prop_map(|(b, c, n)| Edit::ClaimText(b, c, n)),
        (0..ACTORS.len(), any::<u8>()).prop_map(|(a, n)| Edit::RenameActor(a, n)),
        b.clone().prop_map(Edit::Move),
        b.clone().prop_map(Edit::Delete),
        b.prop_map(Edit::Restore),
    ]
}

impl Written {
    fn new() -> Written {
        let claims = |by: usize| {
            vec![Claim { kind: 0, by, text: 1 }, Claim { kind: 3, by, text: 2 }, Claim { kind: 1, by: 1, text: 3 }]
        };
        Written {
            names: vec!["Aland".into(), "Aland Ministry".into(), "Bor".into()],
            briefings: (0..4)
                .map(|b| Briefing {
                    id: format!("b{b}"),
                    folder: None,
                    title: format!("Briefing {b}"),
                    day: 1 + b as u8 * 3,
                    actors: vec![b % ACTORS.len()],
                    claims: claims(b % ACTORS.len()),
                    deleted: false,
                })
                .collect(),
        }
    }

    fn actor_file(&self, a: usize) -> (String, String) {
        let parent = if a == 1 { "parent: a0\n" } else { "" };
        let kind = if a == 1 { "organisation" } else { "state" };
        (
            format!("content/actors/{}.md", ACTORS[a]),
            format!("---\nname: {}\nkind: {kind}\n{parent}---\n\nAbout {}.\n", self.names[a], self.names[a]),
        )
    }

    fn briefing_path(&self, b: usize) -> String {
        let br = &self.briefings[b];
        match br.folder {
            Some(f) => format!("content/briefings/{f}/{}.md", br.id),
            None => format!("content/briefings/{}.md", br.id),
        }
    }

    fn briefing_text(&self, b: usize) -> String {
        let br = &self.briefings[b];
        let actors: Vec<&str> = br.actors.iter().map(|&a| ACTORS[a]).collect();
        let mut text = format!(
            "---\ntitle: \"{}\"\ndate: 2024-10-{:02}\nsummary: Summary of {}.\nactors: [{}]\ntags: [Grain]\nsources:\n  - id: s1\n    title: A wire report\n    reliability: B\nclaims:\n",
            br.title,
            br.day,
            br.id,
            actors.join(", ")
        );
        for (i, c) in br.claims.iter().enumerate() {
            text.push_str(&format!("  - id: c{i}\n    type: {}\n", CLAIM_TYPES[c.kind]));
            if c.kind != 0 {
                text.push_str(&format!("    by: {}\n", ACTORS[c.by]));
            }
            text.push_str(&format!("    about: [{}]\n    text: Claim {} on the matter.\n", ACTORS[c.by], c.text));
            if CLAIM_TYPES[c.kind] == "forecast" {
                let l = LIKELIHOODS[usize::from(c.text) % LIKELIHOODS.len()];
                text.push_str(&format!("    likelihood: {l}\n    resolves_by: 2025-0{}-01\n", 1 + c.text % 9));
            }
            text.push_str("    sources: [s1]\n");
        }
        // The body names actors, so renaming one changes its autolinks.
        text.push_str(&format!("---\n\n{} met {} about {}.\n", self.names[0], self.names[2], br.title));
        text
    }

    /// Applies `edit` in memory; returns what changed on disk, `None` when the edit does nothing.
    fn apply(&mut self, edit: &Edit) -> Option<Changed> {
        // A deleted file is not edited; it may be restored.
        if let Edit::Title(b, _)
        | Edit::Date(b, _)
        | Edit::AddClaim(b, _)
        | Edit::RemoveClaim(b)
        | Edit::ClaimText(b, _, _) = *edit
            && self.briefings[b].deleted
        {
            return None;
        }
        match *edit {
            Edit::Title(b, n) => self.briefings[b].title = format!("Briefing {b}, revised {n}"),
            Edit::Date(b, d) => self.briefings[b].day = d,
            Edit::AddClaim(b, ref c) => self.briefings[b].claims.push(c.clone()),
            Edit::RemoveClaim(b) => {
                // A briefing keeps one claim at least, so it stays the same kind of page.
                if self.briefings[b].claims.len() < 2 {
                    return None;
                }
                self.briefings[b].claims.pop();
            }
            Edit::ClaimText(b, c, n) => {
                let claims = &mut self.briefings[b].claims;
                let last = claims.len() - 1;
                claims[c.min(last)].text = n;
            }
            Edit::RenameActor(a, n) => {
                self.names[a] = format!("{} {n}", ["Aland", "Aland Ministry", "Bor"][a]);
                return Some(Changed::Actor(a));
            }
            Edit::Move(b) => {
                let old = self.briefing_path(b);
                let br = &mut self.briefings[b];
                br.folder = if br.folder.is_some() { None } else { Some("2024") };
                return Some(Changed::Moved(b, old));
            }
            Edit::Delete(b) => {
                if self.briefings[b].deleted {
                    return None;
                }
                self.briefings[b].deleted = true;
            }
            Edit::Restore(b) => {
                if !self.briefings[b].deleted {
                    return None;
                }
                self.briefings[b].deleted = false;
            }
        }
        let b = match *edit {
            Edit::Title(b, _)
            | Edit::Date(b, _)
            | Edit::AddClaim(b, _)
            | Edit::RemoveClaim(b)
            | Edit::ClaimText(b, _, _)
            | Edit::Delete(b)
            | Edit::Restore(b) => b,
            _ => unreachable!("handled above"),
        };
        Some(Changed::Briefing(b))
    }

    /// Writes every file of the site.
    fn write_all(&self, root: &Path) {
        std::fs::write(root.join("sitpress.yaml"), "title: Incremental\nbase_url: https://example.org/r/\n").unwrap();
        for a in 0..ACTORS.len() {
            write(root, &self.actor_file(a));
        }
        for b in 0..self.briefings.len() {
            write(root, &(self.briefing_path(b), self.briefing_text(b)));
        }
    }

    /// Writes what `changed` says changed, as an editor would; returns the paths touched, as
    /// the watcher would report them.
    fn write_changed(&self, root: &Path, changed: &Changed) -> Vec<PathBuf> {
        match changed {
            Changed::Actor(a) => {
                let file = self.actor_file(*a);
                write(root, &file);
                vec![root.join(&file.0)]
            }
            Changed::Briefing(b) => {
                let path = self.briefing_path(*b);
                if self.briefings[*b].deleted {
                    std::fs::remove_file(root.join(&path)).unwrap();
                } else {
                    write(root, &(path.clone(), self.briefing_text(*b)));
                }
                vec![root.join(path)]
            }
            Changed::Moved(b, old) => {
                let new = self.briefing_path(*b);
                if !self.briefings[*b].deleted {
                    std::fs::create_dir_all(root.join(&new).parent().unwrap()).unwrap();
                    std::fs::rename(root.join(old), root.join(&new)).unwrap();
                }
                vec![root.join(old), root.join(new)]
            }
        }
    }
}

/// What an edit changed on disk.
#[derive(Debug)]
enum Changed {
    Briefing(usize),
    Actor(usize),
    /// Briefing moved from the path given.
    Moved(usize, String),
}

fn write(root: &Path, (path, text): &(String, String)) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// What a render gives, to compare: every file's bytes (or none, on errors) and every
/// diagnostic.
type Outcome = (Option<BTreeMap<String, Vec<u8>>>, Vec<String>);

fn render(opts: &Options, caches: Option<&mut RebuildCaches>) -> Outcome {
    let mut report = Report::default();
    let rendered = render_with(opts, &mut report, caches).expect("no I/O error");
    let files = rendered.map(|r| r.files.iter().map(|(p, b)| (p.clone(), b.to_vec())).collect());
    (files, report.diagnostics.iter().map(|d| format!("{}: {}", d.location(), d.message)).collect())
}

/// The first file whose bytes differ, for a readable failure.
fn first_difference(a: &Outcome, b: &Outcome) -> String {
    match (&a.0, &b.0) {
        (Some(x), Some(y)) => {
            let paths = x.keys().chain(y.keys());
            for p in paths {
                if x.get(p) != y.get(p) {
                    return format!("`{p}` differs");
                }
            }
            "diagnostics differ".into()
        }
        _ => format!("one failed: {:?} / {:?}", a.1, b.1),
    }
}

fn check(edits: &[Edit]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut written = Written::new();
    written.write_all(&root);
    let today = jiff::civil::date(2025, 1, 1);
    let opts = Options::new(root.clone(), today);
    let mut caches = RebuildCaches::default();
    let first = render(&opts, Some(&mut caches));
    prop_assert!(first.0.is_some(), "the site builds: {:?}", first.1);
    for (step, edit) in edits.iter().enumerate() {
        let Some(changed) = written.apply(edit) else { continue };
        for path in written.write_changed(&root, &changed) {
            caches.content.invalidate(&path);
        }
        let incremental = render(&opts, Some(&mut caches));
        let fresh = render(&opts, None);
        prop_assert!(
            incremental == fresh,
            "after step {step} ({edit:?}) of {edits:?}: {}",
            first_difference(&incremental, &fresh)
        );
    }
    Ok(())
}

proptest! {
    // Each case renders the site twice per edit; a handful of cases of six edits each covers
    // every pair of edits in a few seconds of a debug build.
    #![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

    #[test]
    fn every_incremental_rebuild_equals_a_fresh_build(edits in prop::collection::vec(edit(), 1..7)) {
        check(&edits)?;
    }
}

/// The lints keep each body's actor mentions from one rebuild to the next: an actor renamed,
/// its file alone saved, must change what unchanged bodies are found to mention.
#[test]
fn renaming_an_actor_changes_the_mentions_of_unchanged_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut written = Written::new();
    written.write_all(&root);
    let opts = Options::new(root.clone(), jiff::civil::date(2025, 1, 1));
    let mut caches = RebuildCaches::default();
    let untagged = |o: &Outcome| o.1.iter().filter(|d| d.contains("(a2) is mentioned but not tagged")).count();
    let first = render(&opts, Some(&mut caches));
    assert!(untagged(&first) > 0, "bodies name `Bor` (a2) untagged: {:?}", first.1);
    // The bodies still say `Bor`, which no longer names a2.
    written.names[2] = "Bor Republic".into();
    let file = written.actor_file(2);
    write(&root, &file);
    caches.content.invalidate(&root.join(&file.0));
    let incremental = render(&opts, Some(&mut caches));
    let fresh = render(&opts, None);
    assert_eq!(untagged(&fresh), 0, "{:?}", fresh.1);
    assert!(incremental == fresh, "{}", first_difference(&incremental, &fresh));
}
