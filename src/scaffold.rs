//! `sitpress init` and `sitpress new`: well-formed starting files.

use crate::model::is_valid_id;
use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// Creates a new site in `dir` (absent or empty). Returns the files written.
pub fn init(dir: &Path, today: Date) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).with_context(|| format!("failed to read `{}`", dir.display()))?;
        if entries.next().is_some() {
            bail!("`{}` is not empty; `sitpress init` only creates a site in a new or empty folder", dir.display());
        }
    }
    let files = [
        ("sitpress.yaml", CONFIG.to_string()),
        ("content/actors/ruritania.md", RURITANIA.to_string()),
        ("content/actors/ruritania-president.md", PRESIDENT.to_string()),
        ("content/briefings/first-briefing.md", BRIEFING.replace("{today}", &today.to_string())),
        ("content/pages/about.md", ABOUT.to_string()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        written.push(write_new(&dir.join(rel), &text)?);
    }
    Ok(written)
}

/// Writes `content/briefings/<slug>.md` under `root`.
pub fn new_briefing(root: &Path, title: &str, today: Date) -> Result<PathBuf> {
    let slug = slug::slugify(title);
    if slug.is_empty() {
        bail!("the title `{title}` gives no usable file name; use some letters or digits");
    }
    let text = format!(
        "---\ntitle: {}\ndate: {today}\nsummary: \"\"\nauthors: []\nactors: []\ntags: []\nsources: []\nclaims: []\n---\n\nWrite the briefing here.\n",
        yaml_string(title)
    );
    write_new(&root.join("content/briefings").join(format!("{slug}.md")), &text)
}

/// Writes `content/actors/<id>.md` under `root`.
pub fn new_actor(root: &Path, id: &str, name: &str) -> Result<PathBuf> {
    if !is_valid_id(id) {
        bail!("`{id}` is not a valid actor id: use lowercase letters, digits and `-`, such as `{}`", slug::slugify(id));
    }
    let text = format!("---\nname: {}\nkind: other\naliases: []\n---\n\nDescribe the actor here.\n", yaml_string(name));
    write_new(&root.join("content/actors").join(format!("{id}.md")), &text)
}

fn write_new(path: &Path, text: &str) -> Result<PathBuf> {
    if path.exists() {
        bail!("`{}` already exists; not overwriting it", path.display());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("failed to write `{}`", path.display()))?;
    Ok(path.to_path_buf())
}

/// A YAML double-quoted string.
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

const CONFIG: &str = "\
title: My situation reports
description: Briefings, actors and forecasts.
base_url: https://example.org/
language: en
";

const RURITANIA: &str = "\
---
name: Ruritania
kind: state
aliases: [Ruritanian government]
---

A fictional state, to show how dossiers work. Replace it with the actors you follow.
";

const PRESIDENT: &str = "\
---
name: President of Ruritania
kind: person
parent: ruritania
relations:
  - type: leads
    target: ruritania
---

Statements by the president roll up to Ruritania's dossier.
";

const BRIEFING: &str = "\
---
title: Ruritania announces snap elections
date: {today}
summary: Ruritania's president called early elections; we judge a change of government unlikely.
authors: [Analyst]
key_takeaways:
  - The president announced elections for next spring.
  - A change of government is unlikely.
actors: [ruritania]
tags: [elections]
sources:
  - id: gazette
    title: Official Gazette announcement
    publisher: Ruritanian Official Gazette
    url: https://example.org/gazette
    reliability: B
claims:
  - type: statement
    by: ruritania-president
    text: The president announced elections for next spring.
    quote: The people will decide.
    sources: [{ref: gazette, credibility: 1}]
  - type: forecast
    text: The governing party keeps its majority in the spring elections.
    about: [ruritania]
    likelihood: likely
    confidence: moderate
    resolves_by: 2099-06-30
---

## What happened

The President of Ruritania announced early elections. Write the analysis here in Markdown;
the first mention of an actor's name or alias links to its dossier.
";

const ABOUT: &str = "\
---
title: About
---

What this site covers, who writes it, and how to read its claims.
";
