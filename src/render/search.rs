//! The search index: every briefing, claim and actor as one script, `/search-index.js`, read
//! by the client-side search of the `/search/` page (`static/search.js`).
//!
//! A script that assigns a global rather than JSON, because a page opened from `file://` may
//! load a script but may not `fetch()` a file. The index is compact because a 10,000-briefing
//! site sends it whole: rows are arrays, not objects; actors and claim types are referenced by
//! index; a briefing's date is written once and its claims point at it; URLs are not written
//! per row but as patterns from [`urls`] (`briefings/{id}/`), relative to the site root,
//! which the script finds from its own URL. Text is plain (Markdown stripped) and as written:
//! the script folds case and diacritics once, when the index loads.
//!
//! The format, version 1, every list in site order (briefings newest first, actors by id):
//!
//! ```text
//! {"v": 1,
//!  "urls": {"briefing": "briefings/{id}/", "actor": "actors/{id}/", "claim": "claim-{id}"},
//!  "types": [[id, label]],
//!  "actors": [[id, name, aliases joined by ", ", recency]],
//!  "briefings": [[id, title, date, summary, tags joined by ", ", [actor], [tag]]],
//!  "claims": [[briefing, claim id, type, text, quote, [actor]]],
//!  "tags": [[slug, name]]}
//! ```
//!
//! `tags` (by slug, as in `data.json`) and each briefing's `[tag]` (indices into it) came
//! after version 1 was first written; the script reads both as empty when absent, so the
//! format grew without a new version. A claim has its briefing's tags.
//!
//! `recency` is the index of the newest briefing that names the actor (the number of
//! briefings when none does), so "newer" is "smaller" for every kind of result. A briefing's
//! actors are those of `data.json` (tagged or named in a claim); a claim's are its `by` and
//! `about`, without roll-up through `parent`.

use super::jsonld::write_inert;
use super::urls;
use crate::model::{ActorIx, BriefingIx, Site, TagIx, TypeIx};
use rayon::prelude::*;
use serde::Serialize;

/// The global the index script assigns; `static/search.js` reads it.
const GLOBAL: &str = "SITPRESS_SEARCH_INDEX";

/// What stands for the id in a URL pattern.
const ID: &str = "{id}";

/// `[id, name, aliases, recency]`
type ActorRow<'a> = (&'a str, &'a str, String, usize);
/// `[id, title, date, summary, tags, [actor], [tag]]`
type BriefingRow<'a> = (&'a str, &'a str, &'a str, &'a str, String, &'a [ActorIx], &'a [TagIx]);
/// `[briefing, claim id, type, text, quote, [actor]]`
type ClaimRow<'a> = (BriefingIx, &'a str, TypeIx, String, &'a str, Vec<ActorIx>);

#[derive(Serialize)]
struct Index<'a> {
    v: u32,
    urls: Patterns,
    types: Vec<(&'a str, &'a str)>,
    actors: Vec<ActorRow<'a>>,
    briefings: Vec<BriefingRow<'a>>,
    claims: Vec<ClaimRow<'a>>,
    tags: Vec<(&'a str, &'a str)>,
}

#[derive(Serialize)]
struct Patterns {
    briefing: String,
    actor: String,
    claim: String,
}

/// Room for the whole index, more than it needs (as for `data.json`): a claim's text and
/// quote with its ids, a briefing's title and summary with its tags and actors.
fn size_hint(site: &Site) -> usize {
    let claims: usize = site.claims.iter().map(|c| c.text.len() + c.quote.as_ref().map_or(0, String::len) + 64).sum();
    let briefings: usize =
        site.briefings.iter().map(|b| b.title.len() + b.summary.as_ref().map_or(0, String::len) + 192).sum();
    let tags: usize = site.tags.iter().map(|t| t.slug.len() + t.name.len() + 8).sum();
    claims + briefings + tags + 128 * site.actors.len()
}

/// `/search-index.js`: `window.SITPRESS_SEARCH_INDEX = {…};`.
/// `plain`: every claim's text as plain text, by claim.
pub(super) fn index_js(site: &Site, plain: &[String]) -> Vec<u8> {
    let index = Index {
        v: 1,
        urls: Patterns { briefing: urls::briefing(ID), actor: urls::actor(ID), claim: urls::claim_anchor(ID) },
        types: site.claim_types.iter().map(|t| (t.id.as_str(), t.label.as_str())).collect(),
        actors: site
            .actors
            .iter()
            .zip(&site.actor_facts)
            .map(|(a, f)| {
                let recency = f.briefings.first().copied().unwrap_or(site.briefings.len());
                (a.id.as_str(), a.name.as_str(), a.aliases.join(", "), recency)
            })
            .collect(),
        briefings: site
            .briefings
            .iter()
            .zip(&site.briefing_actors)
            .zip(&site.briefing_tags)
            .map(|((b, actors), tags)| {
                let date = b.date.text.get(..10).unwrap_or(&b.date.text);
                (
                    b.id.as_str(),
                    b.title.as_str(),
                    date,
                    b.summary.as_deref().unwrap_or(""),
                    b.tags.join(", "),
                    &actors[..],
                    &tags[..],
                )
            })
            .collect(),
        claims: site
            .claims
            .par_iter()
            .zip(plain)
            .map(|(c, plain)| {
                let mut actors: Vec<ActorIx> = c.by.iter().chain(&c.about).copied().collect();
                actors.sort_unstable();
                actors.dedup();
                let quote = c.quote.as_deref().unwrap_or("");
                (c.briefing, c.id.as_str(), c.kind, plain.trim().to_string(), quote, actors)
            })
            .collect(),
        tags: site.tags.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect(),
    };
    let mut out = Vec::with_capacity(size_hint(site));
    out.extend_from_slice(b"window.");
    out.extend_from_slice(GLOBAL.as_bytes());
    out.extend_from_slice(b" = ");
    // As in `data.json`: `<`, `>` and `&` escaped.
    if write_inert(&mut out, &index).is_err() {
        out.extend_from_slice(b"null");
    }
    out.extend_from_slice(b";\n");
    out
}
