//! `/data.json`: the whole model, exactly as docs/format.md specifies it.

use super::json;
use super::{GENERATOR, urls};
use crate::model::{ClaimIx, Site};
use serde::{Serialize, Serializer};

#[derive(Serialize)]
struct Data<'a> {
    generator: &'a str,
    site: SiteData<'a>,
    briefings: Vec<BriefingData<'a>>,
    actors: Vec<ActorData<'a>>,
    claims: Vec<ClaimData<'a>>,
    forecasts: ForecastData,
    questions: Vec<QuestionData<'a>>,
    tags: Vec<TagData<'a>>,
}

#[derive(Serialize)]
struct SiteData<'a> {
    title: &'a str,
    base_url: &'a str,
}

#[derive(Serialize)]
struct BriefingData<'a> {
    id: &'a str,
    title: &'a str,
    date: &'a str,
    url: String,
    actors: Vec<&'a str>,
    claims: Refs<'a>,
}

/// Claims as their global ids (`<briefing>#<claim>`), written straight into the output.
struct Refs<'a>(&'a Site, &'a [ClaimIx]);

impl Serialize for Refs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.iter().map(|&c| Ref(self.0, c)))
    }
}

/// One claim's global id, formatted as it is written rather than into a `String` first.
struct Ref<'a>(&'a Site, ClaimIx);

impl Serialize for Ref<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let claim = &self.0.claims[self.1];
        s.collect_str(&format_args!("{}#{}", self.0.briefings[claim.briefing].id, claim.id))
    }
}

#[derive(Serialize)]
struct Related<'a> {
    id: &'a str,
    weight: usize,
}

#[derive(Serialize)]
struct ActorData<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    parent: Option<&'a str>,
    url: String,
    briefings: Vec<&'a str>,
    claims_by: Refs<'a>,
    claims_about: Refs<'a>,
    related: Vec<Related<'a>>,
}

#[derive(Serialize)]
struct ClaimData<'a> {
    id: Ref<'a>,
    briefing: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    text: &'a str,
    by: Option<&'a str>,
    about: Vec<&'a str>,
    confidence: Option<&'a str>,
    likelihood: Option<&'a str>,
    probability: Option<f64>,
    resolves_by: Option<String>,
    status: Option<&'a str>,
    disputes: Refs<'a>,
    disputed_by: Refs<'a>,
    updates: Option<Ref<'a>>,
    updated_by: Option<Ref<'a>>,
    revises: Option<Ref<'a>>,
    revised_by: Option<Ref<'a>>,
    change: Option<&'a str>,
    alternatives: Vec<AlternativeData<'a>>,
    /// Forecasts only: the question's id (its first forecast's ref).
    question: Option<Ref<'a>>,
}

#[derive(Serialize)]
struct AlternativeData<'a> {
    text: &'a str,
    likelihood: Option<&'a str>,
    probability: Option<f64>,
}

/// A chain of forecast updates: `id` is its first forecast, `forecasts` oldest first.
#[derive(Serialize)]
struct QuestionData<'a> {
    id: Ref<'a>,
    forecasts: Refs<'a>,
    status: &'a str,
    brier: Option<f64>,
}

/// A tag: its slug, its name (as its oldest briefing spells it) and its briefings' ids,
/// newest first; tags by slug.
#[derive(Serialize)]
struct TagData<'a> {
    slug: &'a str,
    name: &'a str,
    briefings: Vec<&'a str>,
}

fn tags_data(site: &Site) -> Vec<TagData<'_>> {
    let ids = |bs: &[usize]| bs.iter().map(|&b| site.briefings[b].id.as_str()).collect();
    site.tags.iter().map(|t| TagData { slug: &t.slug, name: &t.name, briefings: ids(&t.briefings) }).collect()
}

#[derive(Serialize)]
struct ForecastData {
    total: usize,
    questions: usize,
    resolved: usize,
    scored: usize,
    brier: Option<f64>,
}

/// The file's bytes: compact JSON (tens of MB on a large site, read by programs).
pub(super) fn data_json<'a>(site: &'a Site, title: &'a str, u: &urls::Urls) -> Vec<u8> {
    let actor_id = |a: usize| site.actors[a].id.as_str();
    let refs = |cs: &'a [ClaimIx]| Refs(site, cs);
    let data = Data {
        generator: GENERATOR,
        site: SiteData { title, base_url: u.base_url() },
        briefings: site
            .briefings
            .iter()
            .enumerate()
            .map(|(b, br)| BriefingData {
                id: &br.id,
                title: &br.title,
                date: &br.date.text,
                url: u.link(&urls::briefing(&br.id)),
                actors: site.briefing_actors[b].iter().map(|&a| actor_id(a)).collect(),
                claims: refs(&br.claims),
            })
            .collect(),
        actors: site
            .actors
            .iter()
            .enumerate()
            .map(|(a, actor)| {
                let f = &site.actor_facts[a];
                ActorData {
                    id: &actor.id,
                    name: &actor.name,
                    kind: actor.kind.id(),
                    parent: actor.parent.map(actor_id),
                    url: u.link(&urls::actor(&actor.id)),
                    briefings: f.briefings.iter().map(|&b| site.briefings[b].id.as_str()).collect(),
                    claims_by: refs(&f.claims_by),
                    claims_about: refs(&f.claims_about),
                    related: f.related.iter().map(|&(o, w)| Related { id: actor_id(o), weight: w }).collect(),
                }
            })
            .collect(),
        claims: site
            .claims
            .iter()
            .enumerate()
            .map(|(c, claim)| ClaimData {
                id: Ref(site, c),
                briefing: &site.briefings[claim.briefing].id,
                kind: &site.claim_type(claim).id,
                text: &claim.text,
                by: claim.by.map(actor_id),
                about: claim.about.iter().map(|&a| actor_id(a)).collect(),
                confidence: claim.confidence.map(|x| x.id()),
                likelihood: claim.likelihood.map(|x| x.id()),
                probability: claim.probability,
                resolves_by: claim.resolves_by.map(|d| d.to_string()),
                status: site.claim_facts[c].status.map(|s| s.id()),
                disputes: refs(&claim.disputes),
                disputed_by: refs(&site.claim_facts[c].disputed_by),
                updates: claim.updates.map(|x| Ref(site, x)),
                updated_by: site.claim_facts[c].updated_by.map(|x| Ref(site, x)),
                revises: claim.revises.map(|x| Ref(site, x)),
                revised_by: site.claim_facts[c].revised_by.map(|x| Ref(site, x)),
                change: claim.change.as_deref(),
                alternatives: claim
                    .alternatives
                    .iter()
                    .map(|a| AlternativeData {
                        text: &a.text,
                        likelihood: a.likelihood.map(|l| l.id()),
                        probability: a.probability,
                    })
                    .collect(),
                question: site.question_of(c).map(|q| Ref(site, q.first())),
            })
            .collect(),
        questions: site
            .questions
            .iter()
            .map(|q| QuestionData {
                id: Ref(site, q.first()),
                forecasts: refs(&q.forecasts),
                status: q.status.id(),
                brier: q.brier,
            })
            .collect(),
        forecasts: ForecastData {
            total: site.forecasts.total,
            questions: site.forecasts.questions,
            resolved: site.forecasts.resolved,
            scored: site.forecasts.scored,
            brier: site.forecasts.brier,
        },
        tags: tags_data(site),
    };
    let mut out = Vec::with_capacity(size_hint(site));
    if json::write(&mut out, &data).is_err() {
        out.extend_from_slice(b"null");
    }
    out.push(b'\n');
    out
}

/// Room for the whole file, more than it needs: grown from empty, the buffer of a large site
/// is copied a dozen times into ever larger allocations, touching twice its size in new
/// pages. Room left unused is never touched. A claim is written in several lists (its own
/// entry, its briefing's, its actors'), a few hundred bytes with its text.
fn size_hint(site: &Site) -> usize {
    let claims: usize = site.claims.iter().map(|c| c.text.len() + 768).sum();
    let tags: usize = site
        .tags
        .iter()
        .map(|t| {
            t.slug.len()
                + t.name.len()
                + 48
                + t.briefings.iter().map(|&b| site.briefings[b].id.len() + 3).sum::<usize>()
        })
        .sum();
    claims + tags + 512 * (site.briefings.len() + site.actors.len())
}

#[cfg(test)]
mod tests {
    use super::json;

    #[test]
    fn markup_characters_are_escaped_and_mean_the_same() {
        let value = serde_json::json!({ "text": "</script> & <b> \u{2028}\u{2029} — ’", "n": [1, 2] });
        let mut out = Vec::new();
        json::write(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains(['<', '>', '&']), "{text}");
        assert!(text.contains(r"\u003c/script\u003e \u0026 \u003cb\u003e \u2028\u2029 — ’"), "{text}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), value);
    }
}
