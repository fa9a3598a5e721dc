//! Validation and resolution: DTOs with string ids -> model types with indices.
//!
//! Every rule of docs/format.md that concerns more than one value's shape lives here, each reported
//! at the position of the offending key or value with a fix where one exists. Resolution runs
//! in passes so references may point forward: actors first, then briefings and their claims,
//! then claim references, then resolutions.

use super::dto::{ActorFm, AlternativeFm, BriefingFm, ClaimFm, PageFm, Scalar, SourceRefFm};
use super::{Files, Parsed};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Fix, Loc, did_you_mean, suggest};
use crate::model::{
    Actor, ActorIx, ActorKind, Alternative, BodyLinks, Briefing, BuiltinType, Claim, ClaimIx, ClaimSource, Confidence,
    Likelihood, Outcome, Page, Parts, Relation, RelationKind, Resolution, Site, Source, When, countries, is_valid_id,
};
use crate::yaml::tree::Seg::{self, Index, Key};
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// URL paths that pages may not take.
pub const RESERVED_PAGE_IDS: &[&str] = &[
    "briefings",
    "actors",
    "claims",
    "forecasts",
    "judgments",
    "disputes",
    "graph",
    "timeline",
    "search",
    "tags",
    "feeds",
    "static",
    "page",
    "404",
];

/// What the checks look names up in: fixed once the actors are resolved, so the checks of
/// many briefings can share it in parallel.
struct Scope<'a> {
    actor_ids: BTreeMap<String, ActorIx>,
    failed: &'a super::Failed,
}

/// Where checks report, and what they look up. Checks run in parallel each report into their
/// own list, merged in a fixed order, so the diagnostics do not depend on the scheduling.
struct Ctx<'a> {
    diags: &'a mut Vec<Diagnostic>,
    scope: &'a Scope<'a>,
}

fn error(diags: &mut Vec<Diagnostic>, loc: Loc, msg: impl Into<String>) -> &mut Diagnostic {
    diags.push(Diagnostic::error(loc, msg));
    diags.last_mut().expect("just pushed")
}

impl Ctx<'_> {
    fn error(&mut self, loc: Loc, msg: impl Into<String>) -> &mut Diagnostic {
        error(self.diags, loc, msg)
    }

    /// The actor `id`; `loc` is worked out only when it is unknown.
    fn actor(&mut self, id: &str, loc: impl FnOnce() -> Loc) -> Option<ActorIx> {
        if let Some(&ix) = self.scope.actor_ids.get(id) {
            return Some(ix);
        }
        if self.scope.failed.actors.contains(id) {
            return None; // its dossier's own error is already reported
        }
        let meant = did_you_mean(id, self.scope.actor_ids.keys().map(String::as_str));
        let help = match meant {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("create `content/actors/{id}.md` with at least `name: ...` in its front matter"),
        };
        let d = self.error(loc(), format!("unknown actor `{id}`"));
        d.help = Some(help);
        d.fix = meant.map(|s| Box::new(Fix::Replace(s.to_string())));
        None
    }
}

fn seg_path<'a>(base: &[Seg<'a>], more: &[Seg<'a>]) -> Vec<Seg<'a>> {
    base.iter().chain(more).copied().collect()
}

pub fn resolve(files: &Files, config: &Config, drafts: bool, today: Date, diags: &mut Vec<Diagnostic>) -> Option<Site> {
    let (kept, scope) = accept_actors(&files.actors, &files.failed, diags);
    let mut ctx = Ctx { diags, scope: &scope };
    let actors = resolve_actors(&kept, &mut ctx);
    let briefing_files: Vec<&Parsed<BriefingFm>> =
        files.briefings.iter().map(|f| &**f).filter(|f| drafts || !f.front.draft).collect();
    let (briefings, claims) = resolve_briefings(&briefing_files, config, &mut ctx);
    let pages = resolve_pages(&files.pages, &mut ctx);
    check_links(&briefings, &claims, &actors, &pages, config, &mut ctx);
    if ctx.diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    let parts = Parts { claim_types: config.claim_types.clone(), briefings, actors, claims, pages };
    Some(Site::new(parts, today))
}

/// The dossiers with a valid, unique id, in id order, and the scope their ids make.
fn accept_actors<'f>(
    files: &'f [std::sync::Arc<Parsed<ActorFm>>],
    failed: &'f super::Failed,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<&'f Parsed<ActorFm>>, Scope<'f>) {
    let mut kept: Vec<&Parsed<ActorFm>> = Vec::new();
    let mut first_path: HashMap<String, String> = HashMap::new();
    for f in files {
        if !is_valid_id(&f.stem) {
            error(diags, Loc::new(&f.path, 1, 1), format!("`{}` is not a valid actor id", f.stem)).help =
                Some(format!(
                    "an actor's id is its file name: rename the file to `{}.md` (lowercase letters, digits and `-`)",
                    suggest_id(&f.stem)
                ));
            continue;
        }
        if let Some(first) = first_path.get(&f.stem) {
            error(diags, Loc::new(&f.path, 1, 1), format!("duplicate actor id `{}`", f.stem)).help =
                Some(format!("`{first}` already defines it; actor ids are file names and must be unique"));
            continue;
        }
        first_path.insert(f.stem.clone(), f.path.clone());
        kept.push(f);
    }
    kept.sort_by(|a, b| a.stem.cmp(&b.stem));
    let actor_ids = kept.iter().enumerate().map(|(i, f)| (f.stem.clone(), i)).collect();
    (kept, Scope { actor_ids, failed })
}

fn resolve_actors(kept: &[&Parsed<ActorFm>], ctx: &mut Ctx<'_>) -> Vec<Actor> {
    let mut actors = Vec::with_capacity(kept.len());
    for f in kept {
        let fm = &f.front;
        let kind = match &fm.kind {
            None => ActorKind::Other,
            Some(k) => parse_enum(
                ctx,
                k,
                || f.at(&[Key("kind")]),
                "actor kind",
                ActorKind::ALL.map(|a| (a.id(), a)),
                &ActorKind::SYNONYMS,
            )
            .unwrap_or(ActorKind::Other),
        };
        if fm.name.trim().is_empty() {
            ctx.error(f.at(&[Key("name")]), "the actor's `name` is empty");
        }
        let parent = fm.parent.as_ref().and_then(|p| {
            let loc = || f.at(&[Key("parent")]);
            if *p == f.stem {
                ctx.error(loc(), "an actor cannot be its own parent");
                return None;
            }
            ctx.actor(p, loc)
        });
        if let Some(c) = &fm.country
            && countries::alpha2(c).is_none()
        {
            ctx.error(f.at(&[Key("country")]), format!("invalid country code `{c}`")).help = Some(country_help(c));
        }
        if let Some(q) = &fm.wikidata
            && !(q.len() > 1 && q.starts_with('Q') && q[1..].chars().all(|ch| ch.is_ascii_digit()))
        {
            ctx.error(f.at(&[Key("wikidata")]), format!("invalid Wikidata id `{q}`")).help =
                Some("write the item id, such as `Q159`".into());
        }
        for (i, alias) in fm.aliases.iter().enumerate() {
            if alias.trim().is_empty() {
                ctx.error(f.at(&[Key("aliases"), Index(i)]), "empty alias");
            }
        }
        let mut relations = Vec::new();
        for (i, r) in fm.relations.iter().enumerate() {
            let base = [Key("relations"), Index(i)];
            let kind = parse_enum(
                ctx,
                &r.kind,
                || f.at(&seg_path(&base, &[Key("type")])),
                "relation type",
                RelationKind::ALL.map(|k| (k.id(), k)),
                &RelationKind::SYNONYMS,
            );
            let target = ctx.actor(&r.target, || f.at(&seg_path(&base, &[Key("target")])));
            let from = partial_date(ctx, r.from.as_ref(), || f.at(&seg_path(&base, &[Key("from")])));
            let to = partial_date(ctx, r.to.as_ref(), || f.at(&seg_path(&base, &[Key("to")])));
            if let (Some(from), Some(to)) = (&from, &to)
                && ends_before(to, from)
            {
                ctx.error(
                    f.at(&seg_path(&base, &[Key("to")])),
                    format!("the relation ends (`{to}`) before it starts (`{from}`)"),
                )
                .help = Some(
                    "`to` is the last year, month or day the relation held; swap the dates if they are reversed".into(),
                );
            }
            if let (Some(kind), Some(target)) = (kind, target) {
                relations.push(Relation { kind, target, from, to });
            }
        }
        actors.push(Actor {
            id: f.stem.clone(),
            path: f.path.clone(),
            name: fm.name.clone(),
            kind,
            aliases: fm.aliases.clone(),
            parent,
            country: fm.country.clone(),
            wikidata: fm.wikidata.clone(),
            relations,
            description: f.body.clone(),
            body_line: f.body_line,
            links: f.links.clone(),
        });
    }
    // A parent cycle is reported once, at the cycle member with the smallest id.
    let parents: Vec<Option<usize>> = actors.iter().map(|a| a.parent).collect();
    for start in parent_cycles(&parents) {
        let mut names = vec![actors[start].id.as_str()];
        let mut cur = start;
        while let Some(p) = actors[cur].parent {
            names.push(actors[p].id.as_str());
            if p == start {
                break;
            }
            cur = p;
        }
        let loc = kept[start].at(&[Key("parent")]);
        ctx.error(loc, format!("parent cycle: {}", names.join(" -> "))).help =
            Some("an actor's parent chain must end at an actor without `parent`".into());
    }
    if ctx.diags.iter().any(Diagnostic::is_error) {
        for a in &mut actors {
            a.parent = None; // never let a cycle reach the model
        }
    }
    actors
}

/// Every cycle of `parents` (an actor's parent, by index), each as its member with the smallest index, in index order. Each actor
/// is walked once (a chain 10,000 deep costs 10,000 steps, not 10,000 squared).
fn parent_cycles(parents: &[Option<usize>]) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Seen {
        Not,
        /// On the chain being walked now, at this position of `path`.
        OnPath(usize),
        Done,
    }
    let mut seen = vec![Seen::Not; parents.len()];
    let mut cycles = Vec::new();
    let mut path = Vec::new();
    for start in 0..parents.len() {
        path.clear();
        let mut cur = Some(start);
        while let Some(a) = cur {
            match seen[a] {
                Seen::Not => {
                    seen[a] = Seen::OnPath(path.len());
                    path.push(a);
                    cur = parents[a];
                }
                Seen::OnPath(at) => {
                    cycles.extend(path[at..].iter().min().copied());
                    break;
                }
                Seen::Done => break,
            }
        }
        for &a in &path {
            seen[a] = Seen::Done;
        }
    }
    cycles.sort_unstable();
    cycles
}

fn partial_date(ctx: &mut Ctx<'_>, v: Option<&Scalar>, loc: impl FnOnce() -> Loc) -> Option<String> {
    let text = v?.text();
    let ok = match text.len() {
        4 => text.chars().all(|c| c.is_ascii_digit()),
        7 => format!("{text}-01").parse::<Date>().is_ok(),
        10 => text.parse::<Date>().is_ok(),
        _ => false,
    };
    if !ok {
        ctx.error(loc(), format!("invalid date `{text}`")).help =
            Some("write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`".into());
        return None;
    }
    Some(text)
}

/// What to write instead of `code`, which is not an ISO 3166-1 alpha-3 code.
fn country_help(code: &str) -> String {
    let upper = code.to_ascii_uppercase();
    if upper != code && countries::alpha2(&upper).is_some() {
        return format!("write the code in capitals: `{upper}`");
    }
    if let Some(a3) = countries::alpha3(&upper) {
        return format!("`{code}` is an alpha-2 code; write the ISO 3166-1 alpha-3 code `{a3}`");
    }
    "use an ISO 3166-1 alpha-3 code in capitals, such as `RUS` or `KOR`".into()
}

/// Whether the period of partial date `to` (`2024`, `2024-05` or `2024-05-10`) is wholly
/// before that of `from`: a relation held from May 2024 "to 2024" is fine, "to April 2024" is
/// not. Both passed [`partial_date`], so comparing the text they share compares the dates.
fn ends_before(to: &str, from: &str) -> bool {
    let n = to.len().min(from.len());
    to[..n] < from[..n]
}

/// `value` as one of a closed vocabulary's `table`, or an error that suggests what was meant:
/// the same word written otherwise, one of the vocabulary's `synonyms`, or a close spelling.
fn parse_enum<T: Copy + PartialEq, const N: usize>(
    ctx: &mut Ctx<'_>,
    value: &str,
    loc: impl FnOnce() -> Loc,
    what: &str,
    table: [(&'static str, T); N],
    synonyms: &[(&'static str, T)],
) -> Option<T> {
    if let Some((_, v)) = table.iter().find(|(id, _)| *id == value) {
        return Some(*v);
    }
    let names: Vec<&str> = table.iter().map(|(id, _)| *id).collect();
    let synonyms: Vec<(&str, &str)> = synonyms
        .iter()
        .filter_map(|(word, v)| table.iter().find(|(_, t)| t == v).map(|(id, _)| (*word, *id)))
        .collect();
    let help = match suggest(value, &names, &synonyms) {
        Some(s) => format!("did you mean `{s}`? allowed: {}", names.join(", ")),
        None => format!("allowed: {}", names.join(", ")),
    };
    ctx.error(loc(), format!("unknown {what} `{value}`")).help = Some(help);
    None
}

fn date_of(ctx: &mut Ctx<'_>, v: &Scalar, loc: impl FnOnce() -> Loc, what: &str) -> Option<When> {
    let text = v.text();
    When::parse(&text).or_else(|| {
        ctx.error(loc(), format!("invalid {what} `{text}`")).help =
            Some("write a date `YYYY-MM-DD` or an RFC 3339 datetime such as `2024-10-24T09:30:00Z`".into());
        None
    })
}

fn plain_date(ctx: &mut Ctx<'_>, v: &Scalar, loc: impl FnOnce() -> Loc, what: &str) -> Option<Date> {
    let text = v.text();
    When::parse_date(&text).or_else(|| {
        ctx.error(loc(), format!("invalid {what} `{text}`")).help = Some("write a date `YYYY-MM-DD`".into());
        None
    })
}

/// A briefing accepted so far, with where it came from.
struct Accepted<'f> {
    file: &'f Parsed<BriefingFm>,
    id: String,
    /// `None` when the date is invalid (reported): the briefing is checked, never built.
    /// Checks that compare briefing dates skip it.
    date: Option<When>,
    /// Position in file-path order.
    path_order: usize,
}

/// Whether a briefing's date is known: one whose date is invalid (reported) has the stand-in
/// below, and checks that compare dates skip it.
fn dated(when: &When) -> bool {
    when.instant != i64::MIN
}

/// A briefing's sort key, undated ones before every date.
fn instant(acc: &Accepted<'_>) -> i64 {
    acc.date.as_ref().map_or(i64::MIN, |d| d.instant)
}

fn resolve_briefings(files: &[&Parsed<BriefingFm>], config: &Config, ctx: &mut Ctx<'_>) -> (Vec<Briefing>, Vec<Claim>) {
    let mut accepted: Vec<Accepted<'_>> = Vec::new();
    let mut first_path: HashMap<String, &str> = HashMap::new();
    for (path_order, f) in files.iter().enumerate() {
        let id = f.front.id.as_ref().unwrap_or(&f.stem).clone();
        let id_loc = || match f.front.id {
            Some(_) => f.at(&[Key("id")]),
            None => Loc::new(&f.path, 1, 1),
        };
        // A briefing with an invalid id or date is still checked through, under the id it
        // has and with no date, so that its other mistakes are reported in the same run and
        // references to it raise nothing more; the errors already keep the site from building.
        if !is_valid_id(&id) {
            let help = if f.front.id.is_some() {
                format!("use lowercase letters, digits and `-`, such as `{}`", suggest_id(&id))
            } else {
                format!("the id comes from the file name: rename the file to `{}.md` or set `id:`", suggest_id(&id))
            };
            ctx.error(id_loc(), format!("`{id}` is not a valid briefing id")).help = Some(help);
        }
        if let Some(first) = first_path.get(&id) {
            ctx.error(id_loc(), format!("duplicate briefing id `{id}`")).help =
                Some(format!("`{first}` already uses it; set a different `id:` or rename the file"));
            continue;
        }
        if f.front.title.trim().is_empty() {
            ctx.error(f.at(&[Key("title")]), "the briefing's `title` is empty");
        }
        let date = date_of(ctx, &f.front.date, || f.at(&[Key("date")]), "date");
        first_path.insert(id.clone(), &f.path);
        accepted.push(Accepted { file: f, id, date, path_order });
    }
    // Site order: newest first, ties by id; undated briefings (an error is reported) last.
    accepted.sort_by(|a, b| instant(b).cmp(&instant(a)).then_with(|| a.id.cmp(&b.id)));

    // Pass 1, each briefing on its own and in parallel: claims with their local fields; claim
    // refs wait for pass 2. Claims are numbered in site order, so each briefing knows its first.
    let mut first_claim = Vec::with_capacity(accepted.len());
    let mut n = 0;
    for acc in &accepted {
        first_claim.push(n);
        n += acc.file.front.claims.len();
    }
    let scope = ctx.scope;
    let done: Vec<(Briefing, Vec<Claim>, Vec<Diagnostic>)> = accepted
        .par_iter()
        .enumerate()
        .map(|(b, acc)| {
            let mut diags = Vec::new();
            let (briefing, claims) =
                resolve_briefing(acc, b, first_claim[b], config, &mut Ctx { diags: &mut diags, scope });
            (briefing, claims, diags)
        })
        .collect();
    let mut claims: Vec<Claim> = Vec::with_capacity(n);
    let mut briefings: Vec<Briefing> = Vec::with_capacity(accepted.len());
    for (briefing, cs, diags) in done {
        ctx.diags.extend(diags);
        claims.extend(cs);
        briefings.push(briefing);
    }
    // Claim ids per briefing; the last of two equal ids wins (the second is reported).
    let local: Vec<HashMap<&str, ClaimIx>> =
        briefings.par_iter().map(|br| br.claims.iter().map(|&c| (claims[c].id.as_str(), c)).collect()).collect();

    // Pass 2, in parallel again: claim references, applied once all are looked up.
    let refs =
        Refs { briefings: accepted.iter().enumerate().map(|(b, a)| (a.id.as_str(), b)).collect(), local: &local };
    let kind_of = |builtin| config.claim_types.iter().position(|t| t.builtin == Some(builtin));
    let kinds = Kinds {
        forecast: kind_of(BuiltinType::Forecast),
        assessment: kind_of(BuiltinType::Assessment),
        types: &config.claim_types,
    };
    let forecast_type = kinds.forecast;
    let linked: Vec<(Vec<ClaimLinks>, Vec<Diagnostic>)> = accepted
        .par_iter()
        .enumerate()
        .map(|(b, acc)| {
            let mut diags = Vec::new();
            let mut ctx = Ctx { diags: &mut diags, scope };
            let links = claim_links(acc.file, b, &briefings[b].claims, &claims, &briefings, &refs, kinds, &mut ctx);
            (links, diags)
        })
        .collect();
    let mut linked_claims = Vec::with_capacity(n);
    for (links, diags) in linked {
        ctx.diags.extend(diags);
        linked_claims.extend(links);
    }

    // Claims in file-path order, then written order: the second of two is the one reported.
    let mut by_path: Vec<usize> = (0..accepted.len()).collect();
    by_path.sort_by_key(|&b| accepted[b].path_order);
    let claim_order: Vec<ClaimIx> = by_path.iter().flat_map(|&b| briefings[b].claims.iter().copied()).collect();
    // Where a claim's key is written: its briefing's file and its position there.
    let key_at = |c: ClaimIx, key: &str| {
        let b = claims[c].briefing;
        accepted[b].file.at(&[Key("claims"), Index(c - first_claim[b]), Key(key)])
    };
    for link in [Link::Updates, Link::Revises] {
        check_chain(link, &claim_order, &claims, &briefings, &mut linked_claims, &key_at, ctx);
    }
    // The first forecast of each forecast's question.
    let root = |mut c: ClaimIx| {
        for _ in 0..n {
            match linked_claims[c].updates {
                Some(earlier) => c = earlier,
                None => break,
            }
        }
        c
    };

    // Resolutions, in file-path order so the second of two is the one reported. Resolving any
    // forecast of a question resolves the question.
    let mut resolved_at: HashMap<ClaimIx, (String, ClaimIx, usize)> = HashMap::new();
    for &b in &by_path {
        let f = accepted[b].file;
        for (i, r) in f.front.resolves.iter().enumerate() {
            let base = [Key("resolves"), Index(i)];
            let loc = || f.at(&seg_path(&base, &[Key("claim")]));
            if !r.claim.contains('#') {
                ctx.error(loc(), format!("`{}` is not a full claim reference", r.claim)).help =
                    Some(format!("write `<briefing-id>#<claim-id>`, such as `{}#{}`", accepted[b].id, r.claim));
                continue;
            }
            let Some(target) = refs.lookup(ctx, &r.claim, b, loc) else {
                continue;
            };
            if Some(claims[target].kind) != forecast_type {
                ctx.error(loc(), format!("`{}` is not a forecast", r.claim)).help =
                    Some("only forecasts are resolved; check the claim reference".into());
                continue;
            }
            let question = root(target);
            if let Some((first, first_target, _)) = resolved_at.get(&question) {
                if *first_target == target {
                    ctx.error(loc(), format!("`{}` is resolved twice", r.claim)).help =
                        Some(format!("`{first}` already resolves it; keep one resolution"));
                } else {
                    let (q, other) =
                        (claim_ref(&briefings, &claims, question), claim_ref(&briefings, &claims, *first_target));
                    ctx.error(
                        loc(),
                        format!("the question `{q}`, which `{}` belongs to, is resolved twice", r.claim),
                    )
                    .help = Some(format!(
                        "`{first}` already resolves it through `{other}`; a resolution of any forecast of a question resolves the whole question, so keep one"
                    ));
                }
                continue;
            }
            resolved_at.insert(question, (f.path.clone(), target, b));
            let outcome = parse_enum(
                ctx,
                &r.outcome,
                || f.at(&seg_path(&base, &[Key("outcome")])),
                "outcome",
                Outcome::ALL.map(|o| (o.id(), o)),
                &Outcome::SYNONYMS,
            );
            let mut evidence = Vec::new();
            for (j, e) in r.evidence.iter().enumerate() {
                let loc = || f.at(&seg_path(&base, &[Key("evidence"), Index(j)]));
                match local[b].get(e.as_str()) {
                    Some(&c) => evidence.push(c),
                    None => {
                        let meant = did_you_mean(e, local[b].keys().copied());
                        let help = match meant {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "evidence lists claim ids of this briefing".into(),
                        };
                        let d = ctx.error(loc(), format!("unknown claim `{e}` in this briefing"));
                        d.help = Some(help);
                        d.fix = meant.map(|s| Box::new(Fix::Replace(s.to_string())));
                    }
                }
            }
            if let Some(outcome) = outcome {
                briefings[b].resolutions.push(Resolution { claim: target, outcome, evidence, note: r.note.clone() });
            }
        }
    }
    // An update in a briefing dated after the one that resolves its question.
    for &c in &claim_order {
        if linked_claims[c].updates.is_none() {
            continue;
        }
        let Some((path, _, rb)) = resolved_at.get(&root(c)) else { continue };
        let (own, resolving) = (&briefings[claims[c].briefing].date, &briefings[*rb].date);
        if dated(own) && dated(resolving) && own.instant > resolving.instant {
            let q = claim_ref(&briefings, &claims, root(c));
            ctx.error(
                key_at(c, "updates"),
                format!(
                    "this update ({}) comes after its question `{q}` was resolved in `{path}` ({})",
                    own.text, resolving.text
                ),
            )
            .help = Some("a resolved question takes no more forecasts: remove `updates` to ask a new question".into());
        }
    }
    // Claims are numbered in site order, as are the links looked up for them.
    for (claim, links) in claims.iter_mut().zip(linked_claims) {
        (claim.condition, claim.disputes, claim.supports) = (links.condition, links.disputes, links.supports);
        (claim.updates, claim.revises) = (links.updates, links.revises);
    }
    (briefings, claims)
}

fn claim_ref(briefings: &[Briefing], claims: &[Claim], c: ClaimIx) -> String {
    format!("{}#{}", briefings[claims[c].briefing].id, claims[c].id)
}

/// The rules of a chain (`updates` or `revises`) that span claims, in `order` (file-path
/// order): each claim is replaced at most once (the second is reported), and no cycle (reported
/// once, at its member first in that order). Offending links are dropped, so what is left is
/// simple paths.
fn check_chain(
    link: Link,
    order: &[ClaimIx],
    claims: &[Claim],
    briefings: &[Briefing],
    links: &mut [ClaimLinks],
    key_at: &dyn Fn(ClaimIx, &str) -> Loc,
    ctx: &mut Ctx<'_>,
) {
    let key = link.key();
    let mut replaced_by: HashMap<ClaimIx, ClaimIx> = HashMap::new();
    for &c in order {
        let Some(t) = link.of(&links[c]) else { continue };
        if let Some(&first) = replaced_by.get(&t) {
            let (t_ref, first_ref) = (claim_ref(briefings, claims, t), claim_ref(briefings, claims, first));
            let (verb, noun) = match link {
                Link::Updates => ("updated", "a forecast is updated by at most one later forecast"),
                Link::Revises => ("revised", "an assessment is revised by at most one later assessment"),
            };
            ctx.error(key_at(c, key), format!("`{t_ref}` is already {verb} by `{first_ref}`")).help =
                Some(format!("{noun}: `{key}: {first_ref}` continues the chain from its latest step"));
            link.clear(&mut links[c]);
            continue;
        }
        replaced_by.insert(t, c);
    }
    // Every claim now has at most one link in and one out: a cycle is a ring.
    let position: HashMap<ClaimIx, usize> = order.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    let mut in_ring: Vec<bool> = vec![false; links.len()];
    for &start in order {
        if in_ring[start] || link.of(&links[start]).is_none() {
            continue;
        }
        let mut ring = vec![start];
        let mut cur = start;
        let closed = loop {
            match link.of(&links[cur]) {
                Some(next) if next == start => break true,
                Some(next) if ring.len() <= order.len() && !ring.contains(&next) => {
                    ring.push(next);
                    cur = next;
                }
                _ => break false,
            }
        };
        if !closed {
            continue;
        }
        for &m in &ring {
            in_ring[m] = true;
        }
        // `start` is the ring's member first in file-path order: the walk starts there.
        debug_assert!(ring.iter().all(|m| position[m] >= position[&start]));
        let names: Vec<String> = ring.iter().chain([&start]).map(|&m| claim_ref(briefings, claims, m)).collect();
        ctx.error(key_at(start, key), format!("`{key}` cycle: {}", names.join(" -> "))).help =
            Some(format!("`{key}` names an earlier claim; a chain must start at a claim without `{key}`"));
        for &m in &ring {
            link.clear(&mut links[m]);
        }
    }
}

/// One briefing's pass 1: the briefing, numbered `b` in site order, and its claims, numbered
/// from `first_claim`.
fn resolve_briefing(
    acc: &Accepted<'_>,
    b: usize,
    first_claim: ClaimIx,
    config: &Config,
    ctx: &mut Ctx<'_>,
) -> (Briefing, Vec<Claim>) {
    let f = acc.file;
    let fm = &f.front;
    let tagged: Vec<ActorIx> =
        fm.actors.iter().enumerate().filter_map(|(i, a)| ctx.actor(a, || f.at(&[Key("actors"), Index(i)]))).collect();
    let sources = resolve_sources(f, ctx);
    check_tags(f, ctx);
    let updated = fm.updated.as_ref().and_then(|u| date_of(ctx, u, || f.at(&[Key("updated")]), "date"));
    let ids = claim_ids(f, ctx);
    check_question_urls(acc, &ids, ctx);
    let claims: Vec<Claim> = fm
        .claims
        .iter()
        .zip(ids)
        .enumerate()
        .map(|(i, (cfm, id))| resolve_claim(f, i, cfm, id, b, &sources, config, ctx))
        .collect();
    let briefing = Briefing {
        id: acc.id.clone(),
        path: f.path.clone(),
        title: fm.title.clone(),
        // Undated only in a run that has reported an error and builds nothing.
        date: acc.date.clone().unwrap_or_else(|| When { text: String::new(), date: Date::MIN, instant: i64::MIN }), // see `dated`
        updated,
        draft: fm.draft,
        summary: fm.summary.clone(),
        authors: fm.authors.clone(),
        key_takeaways: fm.key_takeaways.clone(),
        tagged,
        tags: fm.tags.clone(),
        sources,
        claims: (first_claim..first_claim + claims.len()).collect(),
        resolutions: Vec::new(),
        body: f.body.clone(),
        body_line: f.body_line,
        links: f.links.clone(),
    };
    (briefing, claims)
}

/// Every tag needs a slug to name its page (`/tags/<slug>/`): one with no letter or digit
/// (`!!!`) is an error rather than a warning, because the build could only leave it out of
/// every tag page, silently, or link it to a page that cannot exist.
fn check_tags(f: &Parsed<BriefingFm>, ctx: &mut Ctx<'_>) {
    for (i, tag) in f.front.tags.iter().enumerate() {
        if crate::model::tag_slug(tag).is_empty() {
            ctx.error(f.at(&[Key("tags"), Index(i)]), format!("the tag `{tag}` has no letter or digit")).help =
                Some("a tag's page is named after its letters and digits: add some, or remove the tag".into());
        }
    }
}

/// A claim's references to other claims, as found in pass 2.
struct ClaimLinks {
    condition: Option<ClaimIx>,
    disputes: Vec<ClaimIx>,
    supports: Vec<ClaimIx>,
    updates: Option<ClaimIx>,
    revises: Option<ClaimIx>,
}

/// The claim types the rules of chains name, as indices into the configured types.
#[derive(Clone, Copy)]
struct Kinds<'a> {
    forecast: Option<usize>,
    assessment: Option<usize>,
    types: &'a [crate::model::ClaimType],
}

impl Kinds<'_> {
    fn id(&self, claim: &Claim) -> &str {
        &self.types[claim.kind].id
    }
}

/// A chain link: `updates` (forecasts) or `revises` (assessments), with the words its
/// diagnostics use.
#[derive(Clone, Copy, PartialEq)]
enum Link {
    Updates,
    Revises,
}

impl Link {
    fn key(self) -> &'static str {
        match self {
            Link::Updates => "updates",
            Link::Revises => "revises",
        }
    }

    /// `a forecast`, `an assessment`: what both ends of the link must be.
    fn what(self) -> &'static str {
        match self {
            Link::Updates => "a forecast",
            Link::Revises => "an assessment",
        }
    }

    fn kind(self, kinds: Kinds<'_>) -> Option<usize> {
        match self {
            Link::Updates => kinds.forecast,
            Link::Revises => kinds.assessment,
        }
    }

    fn of(self, links: &ClaimLinks) -> Option<ClaimIx> {
        match self {
            Link::Updates => links.updates,
            Link::Revises => links.revises,
        }
    }

    fn clear(self, links: &mut ClaimLinks) {
        match self {
            Link::Updates => links.updates = None,
            Link::Revises => links.revises = None,
        }
    }
}

/// Pass 2 for the claims `ixs` of briefing `b` (file `f`).
#[allow(clippy::too_many_arguments)]
fn claim_links(
    f: &Parsed<BriefingFm>,
    b: usize,
    ixs: &[ClaimIx],
    claims: &[Claim],
    briefings: &[Briefing],
    refs: &Refs<'_>,
    kinds: Kinds<'_>,
    ctx: &mut Ctx<'_>,
) -> Vec<ClaimLinks> {
    let forecast_type = kinds.forecast;
    let mut out = Vec::with_capacity(ixs.len());
    for (i, cfm) in f.front.claims.iter().enumerate() {
        let ix = ixs[i];
        let base = [Key("claims"), Index(i)];
        let is_forecast = Some(claims[ix].kind) == forecast_type;
        let mut condition = None;
        if let Some(cond) = &cfm.condition {
            let loc = || f.at(&seg_path(&base, &[Key("condition")]));
            if !is_forecast {
                ctx.error(loc(), "only a forecast can have a `condition`").help =
                    Some("a condition makes a forecast conditional on another forecast resolving `yes`".into());
            }
            if let Some(t) = refs.lookup(ctx, cond, b, loc) {
                if t == ix {
                    ctx.error(loc(), "a forecast cannot be its own condition");
                } else if Some(claims[t].kind) != forecast_type {
                    ctx.error(loc(), format!("the condition `{cond}` is not a forecast")).help =
                        Some("a condition must refer to a forecast, whose resolution decides it".into());
                } else {
                    condition = Some(t);
                }
            }
        }
        let [disputes, supports] = [("disputes", &cfm.disputes), ("supports", &cfm.supports)].map(|(key, list)| {
            let mut found = Vec::new();
            for (j, r) in list.iter().enumerate() {
                let loc = || f.at(&seg_path(&base, &[Key(key), Index(j)]));
                if let Some(t) = refs.lookup(ctx, r, b, loc) {
                    if t == ix {
                        ctx.error(loc(), format!("a claim cannot list itself in `{key}`"));
                    } else {
                        found.push(t);
                    }
                }
            }
            found
        });
        let [updates, revises] = [(Link::Updates, &cfm.updates), (Link::Revises, &cfm.revises)].map(|(link, r)| {
            let r = r.as_ref()?;
            let loc = || f.at(&seg_path(&base, &[Key(link.key())]));
            let t = refs.lookup(ctx, r, b, loc)?;
            // `updates` on a claim that is not a forecast is reported in pass 1.
            if Some(claims[ix].kind) != link.kind(kinds) {
                return None;
            }
            let (own, theirs) = (&briefings[b].date, &briefings[claims[t].briefing].date);
            if t == ix {
                ctx.error(loc(), format!("a claim cannot name itself in `{}`", link.key())).help =
                    Some(format!("`{}` names an earlier claim of the same kind", link.key()));
            } else if Some(claims[t].kind) != link.kind(kinds) {
                ctx.error(loc(), format!("`{r}` is not {}", link.what())).help = Some(format!(
                    "`{}` names the earlier {} this claim replaces; `{r}` is {} {}",
                    link.key(),
                    link.what().trim_start_matches("an ").trim_start_matches("a "),
                    article(kinds.id(&claims[t])),
                    kinds.id(&claims[t])
                ));
            } else if dated(own) && dated(theirs) && theirs.instant > own.instant {
                ctx.error(loc(), format!("`{r}` is in a later briefing ({}) than this one ({})", theirs.text, own.text))
                    .help = Some(format!(
                    "`{}` names an earlier claim, from a briefing dated on or before this one; to replace this claim with `{r}`, put `{}` on `{r}` instead",
                    link.key(),
                    link.key()
                ));
            } else {
                return Some(t);
            }
            None
        });
        out.push(ClaimLinks { condition, disputes, supports, updates, revises });
    }
    out
}

struct Refs<'a> {
    /// Briefing id -> its index in site order.
    briefings: HashMap<&'a str, usize>,
    /// Per briefing, claim id -> claim.
    local: &'a [HashMap<&'a str, ClaimIx>],
}

impl Refs<'_> {
    /// Resolves `c2` (in briefing `b`) or `<briefing-id>#<claim-id>`.
    fn lookup(&self, ctx: &mut Ctx<'_>, r: &str, b: usize, loc: impl FnOnce() -> Loc) -> Option<ClaimIx> {
        // Briefing ids are valid ids, without `#`: the first `#` ends one.
        let found = match r.split_once('#') {
            Some((bid, cid)) => self.briefings.get(bid).and_then(|&o| self.local[o].get(cid)),
            None => self.local[b].get(r),
        };
        if let Some(&ix) = found {
            return Some(ix);
        }
        let scope = ctx.scope;
        if r.split_once('#').is_some_and(|(bid, _)| scope.failed.briefings.contains(bid)) {
            return None; // that briefing's own error is already reported
        }
        // The hint, and the ref it means when that is a likely typo.
        let (help, meant) = if let Some((bid, cid)) = r.split_once('#') {
            if let Some(&o) = self.briefings.get(bid) {
                let ids: Vec<String> = self.local[o].keys().map(|c| format!("{bid}#{c}")).collect();
                match did_you_mean(r, ids.iter().map(String::as_str)) {
                    Some(s) => (format!("did you mean `{s}`?"), Some(s.to_string())),
                    None => (format!("briefing `{bid}` has no such claim"), None),
                }
            } else {
                match did_you_mean(bid, self.briefings.keys().copied()) {
                    Some(s) => (format!("no briefing `{bid}`; did you mean `{s}`?"), Some(format!("{s}#{cid}"))),
                    None => (format!("no briefing has the id `{bid}` (drafts count only with --drafts)"), None),
                }
            }
        } else {
            match did_you_mean(r, self.local[b].keys().copied()) {
                Some(s) => (format!("did you mean `{s}`?"), Some(s.to_string())),
                None => ("a claim in another briefing is written `<briefing-id>#<claim-id>`".into(), None),
            }
        };
        let d = ctx.error(loc(), format!("unknown claim `{r}`"));
        d.help = Some(help);
        d.fix = meant.map(|s| Box::new(Fix::Replace(s)));
        None
    }
}

/// Each claim's id: explicit, or `c<position>`; collisions are errors.
/// A forecast's question page is `/forecasts/<briefing>/<claim>/`, and the ledger's own pages
/// are `/forecasts/page/<n>/`: a forecast `page#2` would take the ledger's second page.
fn check_question_urls(acc: &Accepted<'_>, ids: &[String], ctx: &mut Ctx<'_>) {
    if acc.id != "page" {
        return;
    }
    for (i, (c, id)) in acc.file.front.claims.iter().zip(ids).enumerate() {
        if c.kind == BuiltinType::Forecast.id() && !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            let loc = acc.file.at(&[Key("claims"), Index(i), Key("id")]);
            ctx.error(loc, format!("the forecast `page#{id}` would have the address of the ledger's page {id}")).help =
                Some(format!(
                    "`/forecasts/page/{id}/` is the forecast ledger's page {id}: give the forecast an id with a letter, such as `f{id}`, or the briefing another id"
                ));
        }
    }
}

fn claim_ids(f: &Parsed<BriefingFm>, ctx: &mut Ctx<'_>) -> Vec<String> {
    let claims = &f.front.claims;
    let ids: Vec<String> =
        claims.iter().enumerate().map(|(i, c)| c.id.clone().unwrap_or_else(|| format!("c{}", i + 1))).collect();
    for (i, c) in claims.iter().enumerate() {
        let Some(id) = &c.id else { continue };
        let loc = || f.at(&[Key("claims"), Index(i), Key("id")]);
        if !is_valid_id(id) {
            ctx.error(loc(), format!("`{id}` is not a valid claim id")).help =
                Some(format!("use lowercase letters, digits and `-`, such as `{}`", suggest_id(id)));
            continue;
        }
        let earlier_explicit = claims[..i].iter().any(|o| o.id.as_deref() == Some(id));
        let default_owner = claims.iter().enumerate().find(|(j, o)| o.id.is_none() && ids[*j] == *id);
        if earlier_explicit {
            ctx.error(loc(), format!("duplicate claim id `{id}`")).help =
                Some("claim ids must be unique within a briefing".into());
        } else if let Some((j, _)) = default_owner {
            ctx.error(loc(), format!("claim id `{id}` collides with the default id of claim {}", j + 1)).help = Some(
                format!(
                    "claims without an `id` are numbered c1, c2, ...; choose another id or give claim {} an explicit one",
                    j + 1
                ),
            );
        }
    }
    ids
}

fn resolve_sources(f: &Parsed<BriefingFm>, ctx: &mut Ctx<'_>) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    for (i, s) in f.front.sources.iter().enumerate() {
        let base = [Key("sources"), Index(i)];
        let id_loc = || f.at(&seg_path(&base, &[Key("id")]));
        if !is_valid_id(&s.id) {
            ctx.error(id_loc(), format!("`{}` is not a valid source id", s.id)).help =
                Some(format!("use lowercase letters, digits and `-`, such as `{}`", suggest_id(&s.id)));
        } else if out.iter().any(|o| o.id == s.id) {
            ctx.error(id_loc(), format!("duplicate source id `{}`", s.id)).help =
                Some("source ids must be unique within a briefing".into());
        }
        if let Some(url) = &s.url
            && !is_http_url(url)
        {
            ctx.error(f.at(&seg_path(&base, &[Key("url")])), format!("`{url}` is not an http(s) URL")).help =
                Some("source URLs must start with `https://` or `http://`".into());
        }
        let published = s
            .published
            .as_ref()
            .and_then(|p| plain_date(ctx, p, || f.at(&seg_path(&base, &[Key("published")])), "publication date"));
        let reliability = s.reliability.as_ref().and_then(|r| {
            let mut chars = r.chars();
            match (chars.next(), chars.next()) {
                (Some(c @ 'A'..='F'), None) => Some(c),
                (first, second) => {
                    let grade = "an Admiralty reliability grade, one capital letter `A` (completely reliable) to `F` (cannot be judged)";
                    let help = match (first.map(|c| c.to_ascii_uppercase()), second) {
                        (Some(c @ 'A'..='F'), None) => format!("did you mean `{c}`? use {grade}"),
                        (Some(c @ 'A'..='F'), Some('1'..='6')) => format!(
                            "did you mean `{c}`? a source's `reliability` is the letter alone; give the number as `credibility` where a claim cites the source"
                        ),
                        _ => format!("use {grade}"),
                    };
                    ctx.error(f.at(&seg_path(&base, &[Key("reliability")])), format!("invalid reliability `{r}`")).help =
                        Some(help);
                    None
                }
            }
        });
        out.push(Source {
            id: s.id.clone(),
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            url: s.url.clone(),
            published,
            reliability,
        });
    }
    out
}

/// Whether `url` is an absolute http(s) URL with a host, as a source's `url` must be.
pub fn is_http_url(url: &str) -> bool {
    !url.contains(char::is_whitespace)
        && url::Url::parse(url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()))
}

#[allow(clippy::too_many_arguments)]
fn resolve_claim(
    f: &Parsed<BriefingFm>,
    i: usize,
    c: &ClaimFm,
    id: String,
    briefing: usize,
    sources: &[Source],
    config: &Config,
    ctx: &mut Ctx<'_>,
) -> Claim {
    let base = [Key("claims"), Index(i)];
    let at = |more: &[Seg<'_>]| f.at(&seg_path(&base, more));
    let item = || f.key_at(&base);
    let kind = match config.claim_types.iter().position(|t| t.id == c.kind) {
        Some(k) => k,
        None => {
            let names: Vec<&str> = config.claim_types.iter().map(|t| t.id.as_str()).collect();
            let synonyms: Vec<(&str, &str)> = BuiltinType::SYNONYMS.iter().map(|(w, t)| (*w, t.id())).collect();
            let help = match suggest(&c.kind, &names, &synonyms) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("claim types: {} (sitpress.yaml may add more under `claim_types`)", names.join(", ")),
            };
            ctx.error(at(&[Key("type")]), format!("unknown claim type `{}`", c.kind)).help = Some(help);
            0
        }
    };
    let builtin = config.claim_types[kind].builtin;
    if c.text.trim().is_empty() {
        ctx.error(at(&[Key("text")]), "the claim's `text` is empty");
    }
    let by = c.by.as_ref().and_then(|a| ctx.actor(a, || at(&[Key("by")])));
    let about: Vec<ActorIx> =
        c.about.iter().enumerate().filter_map(|(j, a)| ctx.actor(a, || at(&[Key("about"), Index(j)]))).collect();
    if let Some(t) = builtin {
        if t.needs_by() && c.by.is_none() {
            ctx.error(item(), format!("a {} needs `by`: the actor who said it", t.id())).help =
                Some("add `by: <actor id>`".into());
        }
        if t == BuiltinType::Denial && c.disputes.is_empty() {
            ctx.error(item(), "a denial needs `disputes`: the claims it rejects").help =
                Some("add `disputes: [<claim id>]`, such as `c1` or `<briefing-id>#<claim-id>`".into());
        }
        if t == BuiltinType::Forecast {
            if c.likelihood.is_none() {
                ctx.error(item(), "a forecast needs `likelihood`").help = Some(format!(
                    "add `likelihood:` with an ICD 203 term: {}",
                    Likelihood::ALL.map(Likelihood::id).join(", ")
                ));
            }
            if c.resolves_by.is_none() {
                ctx.error(item(), "a forecast needs `resolves_by`").help =
                    Some("add `resolves_by: YYYY-MM-DD`, the date by which it can be judged".into());
            }
        }
    }
    let date = c.date.as_ref().and_then(|d| date_of(ctx, d, || at(&[Key("date")]), "date"));
    let mut claim_sources = Vec::new();
    for (j, r) in c.sources.iter().enumerate() {
        let (sid, cred) = match r {
            SourceRefFm::Id(s) => (s, None),
            SourceRefFm::Graded(g) => (&g.source, g.credibility),
        };
        let loc = || at(&[Key("sources"), Index(j)]);
        let Some(source) = sources.iter().position(|s| s.id == *sid) else {
            let meant = did_you_mean(sid, sources.iter().map(|s| s.id.as_str()));
            let help = match meant {
                Some(s) => format!("did you mean `{s}`?"),
                None if sources.is_empty() => "this briefing has no `sources`; add one with this id".into(),
                None => format!(
                    "sources of this briefing: {}",
                    sources.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            };
            let d = ctx.error(loc(), format!("unknown source `{sid}`"));
            d.help = Some(help);
            d.fix = meant.map(|s| Box::new(Fix::Replace(s.to_string())));
            continue;
        };
        let credibility = match cred {
            None => None,
            Some(n @ 1..=6) => Some(n as u8),
            Some(n) => {
                let loc = at(&[Key("sources"), Index(j), Key("credibility")]);
                ctx.error(loc, format!("invalid credibility `{n}`")).help = Some(
                    "use an Admiralty credibility grade from 1 (confirmed by other sources) to 6 (cannot be judged)"
                        .into(),
                );
                None
            }
        };
        claim_sources.push(ClaimSource { source, credibility });
    }
    let confidence = c.confidence.as_ref().and_then(|v| {
        parse_enum(
            ctx,
            v,
            || at(&[Key("confidence")]),
            "confidence",
            Confidence::ALL.map(|x| (x.id(), x)),
            &Confidence::SYNONYMS,
        )
    });
    let likelihood = c.likelihood.as_ref().and_then(|v| parse_likelihood(ctx, v, || at(&[Key("likelihood")])));
    let probability = c.probability.and_then(|p| check_probability(ctx, p, likelihood, || at(&[Key("probability")])));
    let judgment = matches!(builtin, Some(BuiltinType::Assessment | BuiltinType::Forecast));
    if !c.alternatives.is_empty() && !judgment {
        ctx.error(at(&[Key("alternatives")]), format!("{} {} cannot list `alternatives`", article(&c.kind), c.kind))
            .help =
            Some("alternatives are the competing explanations or outcomes of an assessment or a forecast".into());
    }
    let alternatives = c
        .alternatives
        .iter()
        .enumerate()
        .map(|(j, a)| alternative(ctx, a, |more| at(&[&[Key("alternatives"), Index(j)], more].concat())))
        .collect();
    if c.updates.is_some() && builtin != Some(BuiltinType::Forecast) {
        ctx.error(
            at(&[Key("updates")]),
            format!("only a forecast can have `updates`, not {} {}", article(&c.kind), c.kind),
        )
        .help = Some(match builtin {
            Some(BuiltinType::Assessment) => "an assessment replaces an earlier one with `revises`".into(),
            _ => "`updates` names the earlier forecast that a forecast restates".into(),
        });
    }
    if c.revises.is_some() && builtin != Some(BuiltinType::Assessment) {
        ctx.error(
            at(&[Key("revises")]),
            format!("only an assessment can have `revises`, not {} {}", article(&c.kind), c.kind),
        )
        .help = Some(match builtin {
            Some(BuiltinType::Forecast) => "a forecast restates an earlier one with `updates`".into(),
            _ => "`revises` names the earlier assessment that an assessment replaces".into(),
        });
    }
    if c.change.is_some() && c.updates.is_none() && c.revises.is_none() {
        ctx.error(at(&[Key("change")]), "`change` explains an update or a revision, but this claim has neither").help =
            Some("add `updates: <forecast ref>` (a forecast) or `revises: <assessment ref>` (an assessment), or remove `change`".into());
    }
    let resolves_by = c.resolves_by.as_ref().and_then(|d| plain_date(ctx, d, || at(&[Key("resolves_by")]), "date"));
    Claim {
        briefing,
        id,
        kind,
        text: c.text.clone(),
        quote: c.quote.clone(),
        by,
        about,
        date,
        sources: claim_sources,
        confidence,
        likelihood,
        probability,
        resolves_by,
        condition: None,
        disputes: Vec::new(),
        supports: Vec::new(),
        indicators: c.indicators.clone(),
        updates: None,
        revises: None,
        change: c.change.clone(),
        alternatives,
    }
}

/// `a` or `an` before a claim type's id, by its first letter.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// A probability in 0..1 and inside `likelihood`'s range, ends included; else an error at `loc`.
fn check_probability(ctx: &mut Ctx<'_>, p: f64, likelihood: Option<Likelihood>, loc: impl Fn() -> Loc) -> Option<f64> {
    if !(0.0..=1.0).contains(&p) || p.is_nan() {
        ctx.error(loc(), format!("probability `{p}` is outside 0..1")).help =
            Some("write a probability as a number between 0 and 1, such as `0.7`".into());
        return None;
    }
    if let Some(l) = likelihood
        && !l.admits(p)
    {
        ctx.error(loc(), format!("probability `{p}` lies outside `{}` ({})", l.id(), l.range_label())).help =
            Some(match Likelihood::ALL.into_iter().find(|t| t.admits(p)) {
                Some(t) => format!("use a probability in {}, or the term `{}`", l.range_label(), t.id()),
                None => format!("use a probability in {}", l.range_label()),
            });
        return None;
    }
    Some(p)
}

/// One of a claim's `alternatives`; `at` locates a key of it.
/// An ICD 203 likelihood term, or an error that suggests one.
fn parse_likelihood(ctx: &mut Ctx<'_>, value: &str, loc: impl FnOnce() -> Loc) -> Option<Likelihood> {
    let terms = Likelihood::ALL.map(|x| (x.id(), x));
    parse_enum(ctx, value, loc, "likelihood term", terms, &Likelihood::SYNONYMS)
}

fn alternative(ctx: &mut Ctx<'_>, a: &AlternativeFm, at: impl Fn(&[Seg<'_>]) -> Loc) -> Alternative {
    if a.text.trim().is_empty() {
        ctx.error(at(&[Key("text")]), "the alternative's `text` is empty");
    }
    let likelihood = a.likelihood.as_ref().and_then(|v| parse_likelihood(ctx, v, || at(&[Key("likelihood")])));
    let probability = a.probability.and_then(|p| check_probability(ctx, p, likelihood, || at(&[Key("probability")])));
    Alternative { text: a.text.clone(), likelihood, probability }
}

fn resolve_pages(files: &[std::sync::Arc<Parsed<PageFm>>], ctx: &mut Ctx<'_>) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    for f in files {
        let loc = Loc::new(&f.path, 1, 1);
        if !is_valid_id(&f.stem) {
            ctx.error(loc, format!("`{}` is not a valid page id", f.stem)).help =
                Some(format!("a page's id is its file name: rename the file to `{}.md`", suggest_id(&f.stem)));
            continue;
        }
        if RESERVED_PAGE_IDS.contains(&f.stem.as_str()) {
            ctx.error(loc, format!("page id `{}` collides with the built-in path `/{}/`", f.stem, f.stem)).help =
                Some("rename the page file".into());
            continue;
        }
        if let Some(first) = pages.iter().find(|p| p.id == f.stem) {
            ctx.error(loc, format!("duplicate page id `{}`", f.stem)).help =
                Some(format!("`{}` already uses it", first.path));
            continue;
        }
        pages.push(Page {
            id: f.stem.clone(),
            path: f.path.clone(),
            title: f.front.title.clone(),
            body: f.body.clone(),
            body_line: f.body_line,
            links: f.links.clone(),
        });
    }
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    pages
}

/// Every `@/` link in every body must name something that exists.
fn check_links(
    briefings: &[Briefing],
    claims: &[Claim],
    actors: &[Actor],
    pages: &[Page],
    config: &Config,
    ctx: &mut Ctx<'_>,
) {
    let mut known = super::links::Known::default();
    for b in briefings {
        let ids = b.claims.iter().map(|&c| claims[c].id.as_str()).collect();
        known.briefings.insert(b.id.as_str(), ids);
    }
    known.actors = actors.iter().map(|a| a.id.as_str()).collect();
    known.claim_types = config.claim_types.iter().map(|t| t.id.as_str()).collect();
    known.pages = pages.iter().map(|p| p.id.as_str()).collect();
    let scope = ctx.scope;
    known.failed = scope.failed.briefings.iter().chain(&scope.failed.actors).map(String::as_str).collect();
    // Every body on its own, in parallel; the diagnostics keep the bodies' order.
    let bodies: Vec<(&str, &str, usize, &BodyLinks)> =
        (briefings.iter().map(|b| (b.path.as_str(), &*b.body, b.body_line, &b.links)))
            .chain(actors.iter().map(|a| (a.path.as_str(), &*a.description, a.body_line, &a.links)))
            .chain(pages.iter().map(|p| (p.path.as_str(), &*p.body, p.body_line, &p.links)))
            .collect();
    let diags: Vec<Diagnostic> = bodies
        .par_iter()
        .flat_map_iter(|&(path, body, body_line, links)| {
            let mut diags = Vec::new();
            super::links::check(path, body, body_line, links, &known, &mut diags);
            diags
        })
        .collect();
    ctx.diags.extend(diags);
}

/// A valid id close to `s`, for hints.
fn suggest_id(s: &str) -> String {
    let slug = slug::slugify(s);
    if slug.is_empty() { "my-id".into() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::parent_cycles;

    #[test]
    fn parent_cycles_are_found_once_at_their_smallest_member() {
        // 0 -> 1 -> 2 -> 0; 3 -> 1 (a tail into that cycle); 4 -> 4; 5 -> 6 -> 7 -> 6; 8 alone.
        let parents = [Some(1), Some(2), Some(0), Some(1), Some(4), Some(6), Some(7), Some(6), None];
        assert_eq!(parent_cycles(&parents), vec![0, 4, 6]);
        assert_eq!(parent_cycles(&[None, Some(0), Some(1)]), Vec::<usize>::new());
    }

    #[test]
    fn a_deep_parent_chain_is_walked_once() {
        // 50,000 actors each the parent of the one before, closed into one cycle at the end:
        // quadratic or worse walks would not finish.
        let n = 50_000;
        let mut parents: Vec<Option<usize>> = (0..n).map(|i| (i + 1 < n).then_some(i + 1)).collect();
        assert!(parent_cycles(&parents).is_empty());
        parents[n - 1] = Some(n / 2);
        assert_eq!(parent_cycles(&parents), vec![n / 2]);
    }
}
