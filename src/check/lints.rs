//! The lints: what is valid but weakens a briefing, after ICD 203's analytic standards.
//!
//! Each lint has a stable name (`sitpress check --deny NAME`), reports a warning at the exact
//! line and column it concerns, and says how to fix it. Lints run on a valid site: the model
//! for facts (forecast status, who is mentioned), the parsed files for positions.
//!
//! To add one: a line in [`LINTS`], a function called from [`lint`] (or from
//! [`dangling_links`] when it needs the rendered site), an example in docs/check.md, and a
//! fixture under tests/fixtures/lints/.

use crate::config::BaseUrl;
use crate::content::links::body_loc;
use crate::content::{Files, Parsed, dto::BriefingFm};
use crate::diagnostic::{Diagnostic, Fix, Loc};
use crate::model::mentions::{Matcher, actor_matcher};
use crate::model::{ActorIx, BodyLinks, BuiltinType, Likelihood, Site, Status};
use crate::yaml::tree::Seg::{Index, Key};
use jiff::civil::Date;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// Every lint: name, what it finds.
pub const LINTS: &[(&str, &str)] = &[
    ("missing-summary", "a briefing without `summary` (bottom line up front)"),
    ("empty-body", "a briefing with no text below its front matter"),
    ("unsourced-claim", "a report, statement or denial that cites no source"),
    ("unscaled-hedge", "an assessment or forecast that hedges (may, might, could...) without likelihood or confidence"),
    ("likelihood-mismatch", "claim text using an ICD 203 term other than its `likelihood`"),
    ("untagged-mention", "an actor named in the body but neither tagged nor named in a claim"),
    ("overdue-forecast", "a forecast past `resolves_by` with no resolution"),
    ("orphan-actor", "a dossier nothing refers to"),
    ("ambiguous-alias", "one alias on two actors, or two actor names that slugify alike"),
    ("dangling-link", "a link in a body to a page of this site that does not exist"),
    ("future-date", "a date after the build's day"),
    ("resolution-before-forecast", "a resolution in a briefing dated before the forecast's own briefing"),
    (
        "unexplained-change",
        "an update or revision whose likelihood, probability or confidence differs from the claim it replaces, without `change`",
    ),
    ("incoherent-alternatives", "a claim and its alternatives whose lower bounds add up to more than 100%"),
];

/// Hedging words that call for a stated likelihood or confidence.
const HEDGES: &[&str] = &[
    "may",
    "might",
    "could",
    "possibly",
    "possible",
    "perhaps",
    "probably",
    "probable",
    "appears",
    "appear",
    "apparently",
    "seems",
    "seem",
    "suggests",
    "suggest",
    "presumably",
    "potentially",
    "conceivably",
    "arguably",
];

/// Every actor name or alias in a body's prose: its byte range in the body, and the actor.
type Mentions = Arc<[(Range<usize>, ActorIx)]>;

/// The actors each briefing body mentions, kept by a serve session from one lint to the next:
/// finding them (reading each body's prose and matching every actor's names in it) is most of
/// what the lints cost, and depends on the body's text and the actors' ids, names and aliases
/// alone, so those are what it is kept by.
#[derive(Debug, Default)]
pub struct MentionCache {
    /// The actors' ids, names and aliases the mentions were found with.
    actors: Vec<(String, String, Vec<String>)>,
    /// Mentions by body text.
    bodies: HashMap<Arc<str>, Mentions>,
}

/// Every actor a body's prose names, found with `actors` (made on first use: a rebuild that
/// finds every body in its cache needs no matcher).
fn mentions(body: &str, actors: &OnceLock<Matcher<usize>>, site: &Site) -> Mentions {
    let actors = actors.get_or_init(|| actor_matcher(&site.actors));
    prose(body)
        .into_iter()
        .flat_map(|(offset, text)| actors.find(text).map(move |(r, a)| (offset + r.start..offset + r.end, a)))
        .collect()
}

/// Runs every lint but `dangling-link` (which needs the rendered site; see [`dangling_links`]),
/// taking from `cache` (and leaving in it) the mentions of actors in briefing bodies.
pub fn lint(site: &Site, files: &Files, today: Date, cache: Option<&mut MentionCache>) -> Vec<Diagnostic> {
    let by_path: HashMap<&str, &Parsed<BriefingFm>> = files.briefings.iter().map(|f| (f.path.as_str(), &**f)).collect();
    let hedges = Matcher::new(HEDGES.iter().map(|h| (*h, *h)), true);
    let mut terms: Vec<(Likelihood, String)> = Likelihood::ALL.iter().map(|l| (*l, l.label())).collect();
    terms.push((Likelihood::AlmostCertain, "almost certainly".into()));
    let terms = Matcher::new(terms, true);
    let actors = OnceLock::new();
    // Mentions found with other actors are of no use.
    let same_actors = |c: &&MentionCache| {
        c.actors.len() == site.actors.len()
            && c.actors
                .iter()
                .zip(&site.actors)
                .all(|((id, name, aliases), a)| *id == a.id && *name == a.name && *aliases == a.aliases)
    };
    let known = cache.as_deref().filter(same_actors).map(|c| &c.bodies);

    // Each briefing on its own, in parallel; the order of the results is the briefings'.
    let per_briefing = |(b, briefing): (usize, &crate::model::Briefing)| -> (Vec<Diagnostic>, Mentions) {
        let mut out = Vec::new();
        let found = match known.and_then(|k| k.get(&*briefing.body)) {
            Some(m) => Arc::clone(m),
            None => mentions(&briefing.body, &actors, site),
        };
        let Some(f) = by_path.get(briefing.path.as_str()) else { return (out, found) };
        let path = &briefing.path;
        if briefing.summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
            out.push(
                Diagnostic::lint(
                    "missing-summary",
                    if briefing.summary.is_some() { f.at(&[Key("summary")]) } else { Loc::new(path, 1, 1) },
                    "the briefing has no `summary`",
                )
                .with_help("add `summary:` with the bottom line up front, in one to three sentences"),
            );
        }
        if briefing.body.trim().is_empty() {
            out.push(
                Diagnostic::lint(
                    "empty-body",
                    Loc::new(path, briefing.body_line.saturating_sub(1).max(1), 1),
                    "the briefing has no body",
                )
                .with_help("write the analysis in Markdown below the closing `---`"),
            );
        }
        if briefing.date.date > today {
            out.push(future(f.at(&[Key("date")]), "the briefing's date", &briefing.date.text, today));
        }
        if let Some(u) = &briefing.updated
            && u.date > today
        {
            out.push(future(f.at(&[Key("updated")]), "`updated`", &u.text, today));
        }
        for (i, s) in briefing.sources.iter().enumerate() {
            if let Some(p) = s.published
                && p > today
            {
                out.push(future(
                    f.at(&[Key("sources"), Index(i), Key("published")]),
                    "the source's `published` date",
                    &p.to_string(),
                    today,
                ));
            }
        }
        for (i, &c) in briefing.claims.iter().enumerate() {
            let claim = &site.claims[c];
            let base = [Key("claims"), Index(i)];
            let text_loc = || f.at(&[Key("claims"), Index(i), Key("text")]);
            let builtin = site.builtin(claim);
            let type_id = site.claim_type(claim).id.as_str();
            if builtin.is_some_and(BuiltinType::wants_sources) && claim.sources.is_empty() {
                out.push(
                    Diagnostic::lint("unsourced-claim", f.key_at(&base), format!("this {type_id} cites no source"))
                        .with_help("add `sources: [<source id>]` naming one of the briefing's `sources`"),
                );
            }
            let judgment = matches!(builtin, Some(BuiltinType::Assessment | BuiltinType::Forecast));
            if judgment && claim.likelihood.is_none() && claim.confidence.is_none() {
                // A capitalised hedge inside a sentence is a name ("in May"), not a hedge.
                let hedge = hedges.find(&claim.text).find(|(r, _)| {
                    let capital = claim.text[r.clone()].starts_with(char::is_uppercase);
                    !capital || sentence_start(&claim.text[..r.start])
                });
                if let Some((range, _)) = hedge {
                    let word = &claim.text[range.clone()];
                    out.push(
                        Diagnostic::lint(
                            "unscaled-hedge",
                            word_loc(f, &text_loc(), &claim.text, range),
                            format!("this {type_id} hedges with `{word}` but states no likelihood or confidence"),
                        )
                        .with_len(word.chars().count())
                        .with_help("add `likelihood:` (an ICD 203 term) or `confidence: low|moderate|high`, or state the judgment plainly"),
                    );
                }
            }
            for (range, term) in terms.find(&claim.text) {
                let word = &claim.text[range.clone()];
                match claim.likelihood {
                    Some(l) if l != term => out.push(
                        Diagnostic::lint(
                            "likelihood-mismatch",
                            word_loc(f, &text_loc(), &claim.text, range.clone()),
                            format!("the text says `{word}` but `likelihood` is `{}` ({})", l.id(), l.range_label()),
                        )
                        .with_len(word.chars().count())
                        .with_help(format!(
                            "use the words of the stated likelihood, `{}`, or change `likelihood` to `{}`",
                            l.label(),
                            term.id()
                        ))
                        .with_fix(Fix::Replace(same_case(word, &l.label()))),
                    ),
                    None if judgment => out.push(
                        Diagnostic::lint(
                            "likelihood-mismatch",
                            word_loc(f, &text_loc(), &claim.text, range.clone()),
                            format!("the text uses the ICD 203 term `{word}` but the claim has no `likelihood`"),
                        )
                        .with_len(word.chars().count())
                        .with_help(format!("add `likelihood: {}`", term.id()))
                        .with_fix(Fix::AddClaimKey {
                            claim: i,
                            key: "likelihood",
                            value: term.id().to_string(),
                        }),
                    ),
                    _ => {}
                }
            }
            if let Some(d) = &claim.date
                && d.date > today
            {
                out.push(future(f.at(&[Key("claims"), Index(i), Key("date")]), "the claim's date", &d.text, today));
            }
            out.extend(unexplained_change(site, f, i, c));
            out.extend(incoherent_alternatives(f, i, claim));
            if site.claim_facts[c].status == Some(Status::Overdue) && !site.claim_facts[c].superseded() {
                let due = claim.resolves_by.map(|d| d.to_string()).unwrap_or_default();
                out.push(
                    Diagnostic::lint(
                        "overdue-forecast",
                        f.at(&[Key("claims"), Index(i), Key("resolves_by")]),
                        format!("this forecast was due on {due} and is not resolved"),
                    )
                    .with_help(format!(
                        "resolve it in a later briefing: `resolves: [{{claim: {}, outcome: yes|no|ambiguous|annulled}}]`",
                        site.claim_ref(c)
                    )),
                );
            }
        }
        for (i, r) in briefing.resolutions.iter().enumerate() {
            let forecast_briefing = &site.briefings[site.claims[r.claim].briefing];
            if forecast_briefing.date.instant > briefing.date.instant {
                out.push(
                    Diagnostic::lint(
                        "resolution-before-forecast",
                        f.at(&[Key("resolves"), Index(i), Key("claim")]),
                        format!(
                            "this briefing ({}) resolves a forecast made later, in `{}` ({})",
                            briefing.date.text, forecast_briefing.id, forecast_briefing.date.text
                        ),
                    )
                    .with_help("check the claim reference, or the dates of the two briefings"),
                );
            }
        }
        // Mentions of actors the briefing neither tags nor names in a claim.
        let involved: HashSet<usize> = site.briefing_actors[b].iter().copied().collect();
        let mut reported = HashSet::new();
        for (range, a) in found.iter().cloned() {
            if involved.contains(&a) || !reported.insert(a) {
                continue;
            }
            let actor = &site.actors[a];
            let text = &briefing.body[range.clone()];
            out.push(
                Diagnostic::lint(
                    "untagged-mention",
                    body_loc(path, &briefing.body, briefing.body_line, range.start),
                    format!("`{text}` ({}) is mentioned but not tagged", actor.id),
                )
                .with_len(text.chars().count())
                .with_help(format!("add `{}` to `actors:`, or name it in a claim's `by` or `about`", actor.id))
                .with_fix(Fix::TagActor(actor.id.clone())),
            );
        }
        (out, found)
    };
    let per_briefing: Vec<(Vec<Diagnostic>, Mentions)> =
        site.briefings.par_iter().enumerate().map(per_briefing).collect();
    let mut out = Vec::new();
    let mut bodies = HashMap::new();
    for (briefing, (diagnostics, found)) in site.briefings.iter().zip(per_briefing) {
        out.extend(diagnostics);
        if cache.is_some() {
            bodies.insert(Arc::clone(&briefing.body), found);
        }
    }
    // The next lint takes from this one's bodies alone, so the cache does not grow with edits.
    if let Some(c) = cache {
        // A one-shot check keeps nothing, so copies no names.
        let actors = site.actors.iter().map(|a| (a.id.clone(), a.name.clone(), a.aliases.clone())).collect();
        *c = MentionCache { actors, bodies };
    }
    out.extend(actor_lints(site, files));
    out
}

/// An update or revision (claim `c`, the `i`th of file `f`) that moves the estimate without
/// saying why: ICD 203 standard 7 asks analysts to explain change to their judgments.
fn unexplained_change(site: &Site, f: &Parsed<BriefingFm>, i: usize, c: usize) -> Option<Diagnostic> {
    let claim = &site.claims[c];
    let (key, earlier, noun) = match (claim.updates, claim.revises) {
        (Some(e), _) => ("updates", e, "update"),
        (None, Some(e)) => ("revises", e, "revision"),
        (None, None) => return None,
    };
    if claim.change.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        return None;
    }
    let before = &site.claims[earlier];
    let word = |x: Option<&str>| x.map_or_else(|| "none".to_string(), |s| format!("`{s}`"));
    let percent = |p: Option<f64>| p.map(|p| format!("{}%", (p * 1000.0).round() / 10.0));
    let mut moved = Vec::new();
    if before.likelihood != claim.likelihood {
        let (a, b) = (before.likelihood.map(|l| l.id()), claim.likelihood.map(|l| l.id()));
        moved.push(format!("likelihood {} -> {}", word(a), word(b)));
    }
    if before.probability != claim.probability {
        let (a, b) = (percent(before.probability), percent(claim.probability));
        moved.push(format!("probability {} -> {}", word(a.as_deref()), word(b.as_deref())));
    }
    if before.confidence != claim.confidence {
        let (a, b) = (before.confidence.map(|x| x.id()), claim.confidence.map(|x| x.id()));
        moved.push(format!("confidence {} -> {}", word(a), word(b)));
    }
    if moved.is_empty() {
        return None;
    }
    Some(
        Diagnostic::lint(
            "unexplained-change",
            f.at(&[Key("claims"), Index(i), Key(key)]),
            format!(
                "this {noun} of `{}` moves the estimate ({}) without saying why",
                site.claim_ref(earlier),
                moved.join(", ")
            ),
        )
        .with_help("add `change:` with what moved the estimate: the new evidence or reasoning (ICD 203 standard 7)"),
    )
}

/// A claim whose `alternatives`, taken with the claim as mutually exclusive outcomes, cannot all
/// hold: the sum of their lower bounds (a probability if given, else the bottom of the
/// likelihood's range; nothing stated counts 0) exceeds 1.
fn incoherent_alternatives(f: &Parsed<BriefingFm>, i: usize, claim: &crate::model::Claim) -> Option<Diagnostic> {
    if claim.alternatives.is_empty() {
        return None;
    }
    let lower = |p: Option<f64>, l: Option<Likelihood>| p.or(l.map(|l| l.range().0));
    let parts: Vec<(String, f64)> =
        std::iter::once(("the claim".to_string(), lower(claim.probability, claim.likelihood)))
            .chain(
                claim
                    .alternatives
                    .iter()
                    .enumerate()
                    .map(|(j, a)| (format!("alternative {}", j + 1), lower(a.probability, a.likelihood))),
            )
            .filter_map(|(name, p)| Some((name, p?)))
            .collect();
    let sum: f64 = parts.iter().map(|(_, p)| p).sum();
    // A little tolerance: 0.55 + 0.45 must not exceed 1 by a rounding error.
    if sum <= 1.0 + 1e-9 {
        return None;
    }
    let pct = |p: f64| format!("{}%", (p * 1000.0).round() / 10.0);
    let terms: Vec<String> = parts.iter().map(|(name, p)| format!("{name} at least {}", pct(*p))).collect();
    Some(
        Diagnostic::lint(
            "incoherent-alternatives",
            f.at(&[Key("claims"), Index(i), Key("alternatives")]),
            format!(
                "the claim and its alternatives cannot all hold: their lower bounds add up to {} ({})",
                pct(sum),
                terms.join(", ")
            ),
        )
        .with_help("the claim and its alternatives are mutually exclusive, so their likelihoods must leave room for each other: lower one, or drop an alternative that is not exclusive"),
    )
}

/// Whether text ending here ends a sentence (or is empty): the next word starts one.
fn sentence_start(before: &str) -> bool {
    let t = before.trim_end();
    t.is_empty() || t.ends_with(['.', '!', '?', ':', ';', '"', '“'])
}

/// `words` written with the capital of `like` (`Likely` -> `Very likely`).
fn same_case(like: &str, words: &str) -> String {
    let mut chars = words.chars();
    match (like.starts_with(char::is_uppercase), chars.next()) {
        (true, Some(first)) => first.to_uppercase().chain(chars).collect(),
        _ => words.to_string(),
    }
}

fn future(loc: Loc, what: &str, value: &str, today: Date) -> Diagnostic {
    Diagnostic::lint("future-date", loc, format!("{what} `{value}` is in the future (today is {today})"))
        .with_help("check the year and month; sitpress judges forecasts against today's date")
}

fn actor_lints(site: &Site, files: &Files) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let by_path: HashMap<&str, &Parsed<crate::content::dto::ActorFm>> =
        files.actors.iter().map(|f| (f.path.as_str(), &**f)).collect();
    let mut referenced: HashSet<usize> = HashSet::new();
    for actor in &site.actors {
        referenced.extend(actor.parent);
        referenced.extend(actor.relations.iter().map(|r| r.target));
    }
    // Names and aliases, case-insensitively, and names by slug: the first owner in id order.
    let mut phrases: HashMap<String, (usize, bool)> = HashMap::new();
    let mut slugs: HashMap<String, usize> = HashMap::new();
    for (a, actor) in site.actors.iter().enumerate() {
        let Some(f) = by_path.get(actor.path.as_str()) else { continue };
        if site.actor_facts[a].briefings.is_empty() && !referenced.contains(&a) {
            out.push(
                Diagnostic::lint(
                    "orphan-actor",
                    Loc::new(&actor.path, 1, 1),
                    format!("no briefing or actor refers to `{}`", actor.id),
                )
                .with_help("tag it in a briefing's `actors`, name it in a claim, or remove the dossier"),
            );
        }
        // Positions are worked out only for a name reported.
        let names = std::iter::once((actor.name.as_str(), None))
            .chain(actor.aliases.iter().map(String::as_str).enumerate().map(|(i, al)| (al, Some(i))));
        let mut name_reported = false;
        for (phrase, alias) in names {
            let is_alias = alias.is_some();
            match phrases.get(&phrase.to_lowercase()) {
                Some(&(other, other_is_alias)) if other != a => {
                    name_reported |= !is_alias;
                    let owner = &site.actors[other].id;
                    let help = match (is_alias, other_is_alias) {
                        (true, _) => format!("remove the alias `{phrase}` here or from `{owner}`"),
                        (false, true) => format!("remove the alias `{phrase}` from `{owner}`"),
                        (false, false) => "give the two actors names a reader can tell apart".to_string(),
                    };
                    out.push(
                        Diagnostic::lint(
                            "ambiguous-alias",
                            match alias {
                                None => f.at(&[Key("name")]),
                                Some(i) => f.at(&[Key("aliases"), Index(i)]),
                            },
                            format!("`{phrase}` also names `{owner}`: a mention cannot tell which actor is meant"),
                        )
                        .with_help(help),
                    );
                }
                Some(_) => {}
                None => {
                    phrases.insert(phrase.to_lowercase(), (a, is_alias));
                }
            }
        }
        let slug = slug::slugify(&actor.name);
        match slugs.get(&slug) {
            // The same name in other letters case is reported above, once.
            Some(&other) if !name_reported => out.push(
                Diagnostic::lint(
                    "ambiguous-alias",
                    f.at(&[Key("name")]),
                    format!(
                        "the name `{}` reads like `{}`, the name of `{}`",
                        actor.name, site.actors[other].name, site.actors[other].id
                    ),
                )
                .with_help("give the actors names a reader can tell apart"),
            ),
            Some(_) => {}
            None => {
                slugs.insert(slug, a);
            }
        }
    }
    out
}

/// Internal links in bodies whose target is not a page or file of the built site.
///
/// `exists` answers for a site path (`briefings/x/`, `style.css`).
pub fn dangling_links(site: &Site, base: &BaseUrl, exists: &(dyn Fn(&str) -> bool + Sync)) -> Vec<Diagnostic> {
    let bodies: Vec<(&String, &str, usize, &BodyLinks)> = site
        .briefings
        .iter()
        .map(|b| (&b.path, &*b.body, b.body_line, &b.links))
        .chain(site.actors.iter().map(|a| (&a.path, &*a.description, a.body_line, &a.links)))
        .chain(site.pages.iter().map(|p| (&p.path, &*p.body, p.body_line, &p.links)))
        .collect();
    // Each body on any core; the diagnostics in body order.
    let per_body: Vec<Vec<Diagnostic>> = bodies.par_iter().map(|&(path, body, body_line, links)| {
        let mut out = Vec::new();
        for (range, dest) in links {
            let local = if let Some(rest) = dest.strip_prefix(&base.absolute) {
                rest
            } else if let Some(rest) = dest.strip_prefix(&base.path) {
                rest
            } else if dest.starts_with('/') && !dest.starts_with("//") {
                // Root-relative but outside the base path: broken once deployed there.
                out.push(
                    Diagnostic::lint(
                        "dangling-link",
                        body_loc(path, body, body_line, range.start),
                        format!("link to `{dest}`, outside the site's base path `{}`", base.path),
                    )
                    .with_len(body[range.clone()].lines().next().unwrap_or_default().chars().count())
                    .with_help("link by id (`@/briefings/<id>/`) and the base path is added for you"),
                );
                continue;
            } else {
                continue; // external, relative or `@/` (checked as an error)
            };
            let target = local.split(['#', '?']).next().unwrap_or_default();
            let found = exists(target)
                || (!target.is_empty()
                    && !target.ends_with('/')
                    && !target.contains('.')
                    && exists(&format!("{target}/")));
            if !found {
                out.push(
                    Diagnostic::lint(
                        "dangling-link",
                        body_loc(path, body, body_line, range.start),
                        format!("link to `{dest}`, which is not a page of this site"),
                    )
                    .with_len(body[range.clone()].lines().next().unwrap_or_default().chars().count())
                    .with_help("link by id instead, and the URL is made for you: `@/briefings/<id>/`, `@/actors/<id>/`, `@/<page-id>/`"),
                );
            }
        }
        out
    }).collect();
    per_body.into_iter().flatten().collect()
}

/// Prose text of a Markdown body (not code, not link text, not headings), with byte offsets.
fn prose(body: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut skip = 0usize;
    for (e, r) in Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES).into_offset_iter() {
        match e {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. }) => skip += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image | TagEnd::Heading(_)) => {
                skip = skip.saturating_sub(1)
            }
            // Text events map 1:1 to source bytes unless escapes or entities were decoded.
            Event::Text(t) if skip == 0 && body.get(r.clone()) == Some(&*t) => out.push((r.start, &body[r])),
            _ => {}
        }
    }
    out
}

/// The position of the match at `range` of the claim's `text` in the file, when the text is
/// on one line with its key; else the text's own position. The match is found again on the
/// line as the same (n-th) word-bounded occurrence, ignoring ASCII case.
fn word_loc<T>(f: &Parsed<T>, text_loc: &Loc, text: &str, range: std::ops::Range<usize>) -> Loc {
    let Some(line) = text_loc.line.checked_sub(f.yaml_line).and_then(|i| f.yaml.lines().nth(i)) else {
        return text_loc.clone();
    };
    let word = text[range.clone()].to_ascii_lowercase();
    let nth = occurrences(&text.to_ascii_lowercase(), &word).take_while(|&i| i < range.start).count();
    let start: usize = line.char_indices().nth(text_loc.column.saturating_sub(1)).map_or(line.len(), |(b, _)| b);
    let lower = line.to_ascii_lowercase();
    match occurrences(&lower[start..], &word).nth(nth) {
        Some(i) => Loc::new(&text_loc.path, text_loc.line, line[..start + i].chars().count() + 1),
        None => text_loc.clone(),
    }
}

/// Byte offsets of word-bounded occurrences of `word` in `hay`.
fn occurrences<'a>(hay: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    hay.match_indices(word).map(|(i, _)| i).filter(move |&i| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + word.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}
