//! Actor pages: each actor's dossier (`/actors/<id>/`) and its claims pages, every claim by
//! or about it one line each (`/actors/<id>/claims/`, paginated), with the actor cards and
//! claim groups they show.

use crate::model::{ActorIx, BuiltinType, ClaimIx};
use crate::render::context::page_jobs;
use crate::render::state::Renderer;
use crate::render::views::*;
use crate::render::{Dest, Done, graph, jsonld, markdown, urls};
use rayon::prelude::*;
use std::sync::Arc;

/// Claim cards shown per type on a dossier, and denials shown in its disputes section; the
/// rest are one line each on the actor's claims pages.
const GROUP_CARDS: usize = 5;
const DOSSIER_DISPUTES: usize = 10;
/// Lines per page of an actor's claims pages.
const CLAIM_ROWS_PER_PAGE: usize = 100;

impl Renderer<'_> {
    /// Every actor's dossier, in parallel.
    pub(super) fn dossiers(&self, dest: Dest) -> Vec<Done> {
        (0..self.site.actors.len()).into_par_iter().map(|a| self.dossier(dest, a)).collect()
    }

    /// One actor's dossier page.
    pub(in crate::render) fn dossier(&self, dest: Dest, a: ActorIx) -> Done {
        let site = self.site;
        let view = Arc::new(self.actor_view(a));
        let desc = markdown::plain_text(&site.actors[a].description);
        let desc = jsonld::short_description(&desc, 200);
        let path = urls::actor(&view.card.actor.id);
        let mut ctx =
            self.context_deferred(&path, &view.card.actor.name, &desc, "actors", &view, |v| jsonld::Subject::Actor(v));
        ctx.insert("feed", view.feed_url.clone());
        ctx.insert("actor", Shared(view));
        self.page(dest, &urls::actor(&site.actors[a].id), "actor.html", ctx)
    }

    /// Every claim by or about an actor, one line each.
    pub(super) fn actor_claim_pages(&self, dest: Dest) -> Vec<Done> {
        let site = self.site;
        let involved: Vec<Vec<ClaimIx>> = (0..site.actors.len()).into_par_iter().map(|a| self.involved(a)).collect();
        page_jobs(&involved, CLAIM_ROWS_PER_PAGE)
            .into_par_iter()
            .map(|(a, page, total)| {
                let actor = &self.actor_refs[a];
                let path = urls::actor_claims(&actor.id, page);
                let involved = &involved[a];
                let rows = involved
                    .iter()
                    .skip((page - 1) * CLAIM_ROWS_PER_PAGE)
                    .take(CLAIM_ROWS_PER_PAGE)
                    .map(|&c| &self.claim_rows[c]);
                let title = match page {
                    1 => format!("Claims by and about {}", actor.name),
                    _ => format!("Claims by and about {}, page {page}", actor.name),
                };
                let mut ctx = self.context(&path, &title, "", "actors");
                ctx.insert("subject", actor);
                ctx.insert("count", involved.len());
                ctx.insert_fragments("claim_cards", rows);
                ctx.insert("pagination", self.pagination(page, total, |p| urls::actor_claims(&actor.id, p)));
                self.page(dest, &path, "actor_claims.html", ctx)
            })
            .collect()
    }

    pub(super) fn actor_card(&self, a: ActorIx) -> ActorCard {
        let site = self.site;
        let facts = &site.actor_facts[a];
        let mut claims: Vec<ClaimIx> = facts.claims_by.iter().chain(&facts.claims_about).copied().collect();
        claims.sort_unstable();
        claims.dedup();
        ActorCard {
            actor: self.actor_refs[a].clone(),
            kind_label: site.actors[a].kind.singular().to_string(),
            parent: site.actors[a].parent.map(|p| self.actor_refs[p].clone()),
            briefing_count: facts.briefings.len(),
            claim_count: claims.len(),
        }
    }

    /// Claims by or about actor `a` (rolled up), newest briefing first.
    fn involved(&self, a: ActorIx) -> Vec<ClaimIx> {
        let facts = &self.site.actor_facts[a];
        let mut involved: Vec<ClaimIx> = facts.claims_by.iter().chain(&facts.claims_about).copied().collect();
        involved.sort_unstable();
        involved.dedup();
        involved
    }

    /// Claims grouped by type in type order, each group with its newest cards.
    fn groups(&self, claims: &[ClaimIx]) -> Vec<ClaimGroup> {
        let site = self.site;
        let mut groups: Vec<ClaimGroup> = site
            .claim_types
            .iter()
            .map(|ct| ClaimGroup { r#type: ct.id.clone(), label: ct.label.clone(), count: 0, claims: Vec::new() })
            .collect();
        for &c in claims {
            let g = &mut groups[site.claims[c].kind];
            g.count += 1;
            if g.claims.len() < GROUP_CARDS {
                g.claims.push(self.claim_cards[c].clone());
            }
        }
        groups.retain(|g| g.count > 0);
        groups
    }

    fn actor_view(&self, a: ActorIx) -> ActorView {
        let site = self.site;
        let actor = &site.actors[a];
        let facts = &site.actor_facts[a];
        let involved = self.involved(a);
        let disputes: Vec<ClaimIx> = involved
            .iter()
            .copied()
            .filter(|&c| {
                site.builtin(&site.claims[c]) == Some(BuiltinType::Denial)
                    || !site.claim_facts[c].disputed_by.is_empty()
            })
            .collect();
        let (forecasts_open, forecasts_resolved, forecast_counts) = self.actor_forecasts(&involved);
        let (timeline, timeline_count, timeline_more) = self.actor_timeline(&facts.briefings, &involved);
        ActorView {
            card: self.actor_card(a),
            feed_url: self.urls.link(&urls::actor_feed(&actor.id)),
            description_html: self.simple_body(&actor.description),
            aliases: actor.aliases.clone(),
            country: actor.country.clone(),
            wikidata: actor.wikidata.clone(),
            wikidata_url: actor.wikidata.as_ref().map(|q| format!("https://www.wikidata.org/wiki/{q}")),
            children: facts.children.iter().map(|&c| self.actor_refs[c].clone()).collect(),
            relations: actor
                .relations
                .iter()
                .map(|r| RelationView {
                    r#type: r.kind.id().to_string(),
                    label: r.kind.label().to_string(),
                    target: self.actor_refs[r.target].clone(),
                    from: r.from.clone(),
                    to: r.to.clone(),
                })
                .collect(),
            related: facts
                .related
                .iter()
                .map(|&(o, w)| RelatedView { actor: self.actor_refs[o].clone(), weight: w })
                .collect(),
            briefings: facts.briefings.iter().take(jsonld::SUBJECT_OF_MAX).map(|&b| self.cards[b].clone()).collect(),
            claims_by: self.groups(&facts.claims_by),
            claims_about: self.groups(&facts.claims_about),
            claims_url: self.urls.link(&urls::actor_claims(&actor.id, 1)),
            involved_count: involved.len(),
            dispute_count: disputes.len(),
            disputes: disputes.iter().take(DOSSIER_DISPUTES).map(|&c| self.claim_cards[c].clone()).collect(),
            forecasts_open,
            forecasts_resolved,
            forecast_counts,
            timeline,
            timeline_count,
            timeline_more,
            ego: graph::ego(site, &self.actor_refs, &self.typed, a),
            judgments: self.actor_judgments(&involved),
        }
    }
}
