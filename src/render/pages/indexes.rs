//! The index pages: the briefing list (`/briefings/`, `paginate` a page) and the actors
//! index (`/actors/`, grouped by kind).

use crate::render::state::Renderer;
use crate::render::views::*;
use crate::render::{Dest, Done, jsonld, urls};
use rayon::prelude::*;

impl Renderer<'_> {
    /// Every page of the briefing list, newest first.
    pub(super) fn briefing_list_pages(&self, dest: Dest) -> Vec<Done> {
        let per = self.config.paginate.max(1);
        let total = self.cards.len().div_ceil(per).max(1);
        (1..=total)
            .into_par_iter()
            .map(|page| {
                let chunk: Vec<&Shared<BriefingCard>> = self.cards.iter().skip((page - 1) * per).take(per).collect();
                let title = if page == 1 { "Briefings".to_string() } else { format!("Briefings, page {page}") };
                let about = jsonld::Subject::Reports(&chunk);
                let mut ctx = self.context_about(&urls::briefings(page), &title, "", "briefings", about);
                ctx.insert("briefings", chunk);
                ctx.insert("pagination", self.pagination(page, total, urls::briefings));
                self.page(dest, &urls::briefings(page), "briefings.html", ctx)
            })
            .collect()
    }

    /// `/actors/`: every actor, grouped by kind, by name within a kind.
    pub(super) fn actors_index(&self, dest: Dest) -> Done {
        let site = self.site;
        let mut kinds = Vec::new();
        for kind in crate::model::ActorKind::ALL {
            let mut actors: Vec<ActorCard> =
                (0..site.actors.len()).filter(|&a| site.actors[a].kind == kind).map(|a| self.actor_card(a)).collect();
            actors.sort_by(|x, y| {
                x.actor.name.to_lowercase().cmp(&y.actor.name.to_lowercase()).then(x.actor.id.cmp(&y.actor.id))
            });
            if !actors.is_empty() {
                kinds.push(KindGroup { id: kind.id().to_string(), label: kind.label().to_string(), actors });
            }
        }
        let mut ctx = self.context(&urls::actors(), "Actors", "", "actors");
        ctx.insert("kinds", kinds);
        self.page(dest, &urls::actors(), "actors.html", ctx)
    }
}

#[derive(serde::Serialize)]
struct KindGroup {
    id: String,
    label: String,
    actors: Vec<ActorCard>,
}
