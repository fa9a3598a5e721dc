//! The home page: the latest briefings, the most active actors, the forecasts due soonest and
//! the forecast ledger's summary.

use crate::model::{ActorIx, ClaimIx, Status};
use crate::render::state::Renderer;
use crate::render::views::*;
use crate::render::{Dest, Done, urls};

/// Number of entries on the home page lists (and see `feeds::FEED_ITEMS`).
const HOME_ITEMS: usize = 10;

impl Renderer<'_> {
    pub(super) fn home_page(&self, dest: Dest) -> Done {
        let site = self.site;
        let mut ctx = self.context(&urls::home(), &self.config.title, "", "home");
        ctx.insert("latest", self.cards.iter().take(HOME_ITEMS).collect::<Vec<_>>());
        let mut active: Vec<(ActorIx, usize)> =
            site.actor_facts.iter().enumerate().map(|(a, f)| (a, f.briefings.len())).filter(|x| x.1 > 0).collect();
        active.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let active: Vec<ActiveActorView> = active
            .into_iter()
            .take(HOME_ITEMS)
            .map(|(a, n)| ActiveActorView { actor: self.actor_refs[a].clone(), briefing_count: n })
            .collect();
        ctx.insert("active_actors", active);
        // A question is due by its latest forecast: superseded ones are left out.
        let mut due: Vec<ClaimIx> = (0..site.claims.len())
            .filter(|&c| site.claim_facts[c].status == Some(Status::Open) && !site.claim_facts[c].superseded())
            .collect();
        due.sort_by_key(|&c| (site.claims[c].resolves_by, c));
        ctx.insert("due_forecasts", due.iter().take(HOME_ITEMS).map(|&c| &self.claim_views[c]).collect::<Vec<_>>());
        ctx.insert("forecast_summary", self.forecast_summary());
        self.page(dest, &urls::home(), "index.html", ctx)
    }

    pub(super) fn forecast_summary(&self) -> ForecastSummaryView {
        let f = &self.site.forecasts;
        ForecastSummaryView {
            total: f.total,
            questions: f.questions,
            resolved: f.resolved,
            scored: f.scored,
            open: f.open,
            overdue: f.overdue,
            brier: f.brier.map(|b| format!("{b:.3}")),
        }
    }
}
