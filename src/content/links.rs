//! Internal links (`@/briefings/<id>/`, `@/actors/<id>/`, ...) in Markdown bodies: each must
//! name something that exists. Checked here, with the other content rules, so a dangling link
//! is reported in the same run as every other problem; render only turns targets into URLs.

use crate::diagnostic::{Diagnostic, Loc};
use crate::model::{BodyLinks, Target};
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::collections::{HashMap, HashSet};

/// Everything a link may point at.
#[derive(Debug, Default)]
pub struct Known<'a> {
    /// Briefing id -> its claim ids.
    pub briefings: HashMap<&'a str, HashSet<&'a str>>,
    pub actors: HashSet<&'a str>,
    pub claim_types: HashSet<&'a str>,
    pub pages: HashSet<&'a str>,
    /// Briefings and actors whose files did not parse: links to them are not reported again.
    pub failed: HashSet<&'a str>,
}

impl Known<'_> {
    fn exists(&self, target: &Target<'_>) -> bool {
        match target {
            Target::Home
            | Target::Briefings
            | Target::Actors
            | Target::Forecasts
            | Target::Disputes
            | Target::Timeline => true,
            Target::Briefing(id, claim) => match (self.briefings.get(id), claim) {
                (Some(_), None) => true,
                (Some(claims), Some(c)) => claims.contains(c),
                (None, _) => self.failed.contains(id),
            },
            Target::Actor(id) => self.actors.contains(id) || self.failed.contains(id),
            Target::ClaimType(t) => self.claim_types.contains(t),
            Target::Page(id) => self.pages.contains(id),
        }
    }
}

/// Reports every `@/` link of `body` (starting at file line `body_line`, its destinations
/// `links`) that names nothing.
pub fn check(
    path: &str,
    body: &str,
    body_line: usize,
    links: &BodyLinks,
    known: &Known<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    for (range, dest) in links {
        let Some(link) = dest.strip_prefix("@/") else { continue };
        if !Target::parse(link).is_some_and(|(t, _)| known.exists(&t)) {
            diags.push(
                Diagnostic::error(
                    body_loc(path, body, body_line, range.start),
                    format!("link to `{dest}`, which does not exist"),
                )
                .with_help(HELP),
            );
        }
    }
}

/// Link and image destinations of a Markdown body, with the byte range of each link.
pub fn destinations(body: &str) -> BodyLinks {
    if !body.contains("](") && !body.contains("]:") && !body.contains('<') {
        return Vec::new(); // no inline, reference or autolink: no Markdown parse needed
    }
    Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH)
        .into_offset_iter()
        .filter_map(|(e, r)| match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => Some((r, dest_url.to_string())),
            _ => None,
        })
        .collect()
}

/// The file position of byte `offset` of a body that starts at file line `body_line`.
pub fn body_loc(path: &str, body: &str, body_line: usize, offset: usize) -> Loc {
    let before = &body[..offset.min(body.len())];
    let line = body_line + before.matches('\n').count();
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Loc::new(path, line, col)
}

const HELP: &str = "internal links are written `@/briefings/<id>/`, `@/briefings/<id>/#<claim-id>`, `@/actors/<id>/`, `@/claims/<type>/`, `@/forecasts/`, `@/disputes/`, `@/timeline/` or `@/<page-id>/`";
