//! Every family of pages, one file each, and the order they render and are accepted in
//! ([`Renderer::render_all`]). A new page gets its file here and its place in `render_all`.
//!
//! Each family renders through [`Renderer::page`] and returns [`Done`] files; the order they
//! are accepted in is fixed, whichever thread made them.

mod actor;
pub(super) mod analysis;
mod briefing;
mod claim_type;
pub(super) mod feeds;
mod graph;
mod home;
mod indexes;
mod plain;
pub(super) mod questions;
mod search;
pub(super) mod tags;

use super::state::Renderer;
use super::{Dest, Done, Made, Out, PageCache, urls};
use crate::diagnostic::Diagnostic;

impl Renderer<'_> {
    /// Renders every page, feed and the sitemap, after the claim fragments every list shows.
    pub(in crate::render) fn render_all(&mut self, dest: Dest, fresh: &mut PageCache) -> Result<Made, Vec<Diagnostic>> {
        // Claim fragments and briefing pages first: every other page may list fragments.
        let briefing_pages = self.render_briefings(Some(dest), dest.old, fresh)?;
        dest.sink.show(briefing_pages.iter().filter_map(|d| Some((&d.path, d.result.as_ref().ok()?.as_ref()?))));
        crate::timings::phase("render: claim fragments, briefing pages");
        let mut out = Out { made: Made::default(), errors: Vec::new(), fresh };
        let site = self.site;
        // Home, lists, briefings, actors, dossiers, claim types, forecasts, pages.
        let lists = self.cards.len().div_ceil(self.config.paginate.max(1)).max(1);
        let pages = 1 + lists + site.briefings.len() + 1 + site.actors.len() + site.claim_types.len() + 1;
        self.progress.pages(pages + site.pages.len() + site.questions.len() + 1);

        out.accept(self.home_page(dest));
        let list_pages = self.briefing_list_pages(dest);
        crate::timings::phase("render: home, briefing lists");
        // Dossiers in parallel, and meanwhile, on whichever core frees up first, the pages made
        // one at a time (each is one serial job): the actors index, search, the actor graph,
        // plain pages and the site feed. They are accepted below in the order they had when
        // made one after another, so the sitemap lists them in the same order.
        let (actor_pages, (single_pages, site_feed)) =
            rayon::join(|| self.dossiers(dest), || (self.single_pages(dest), self.site_feed(dest)));
        crate::timings::phase("render: dossiers");
        let type_pages = self.claim_type_pages(dest);
        crate::timings::phase("render: claim types");
        let actor_claim_pages = self.actor_claim_pages(dest);
        crate::timings::phase("render: actor claims");

        out.accept_all(single_pages);
        out.accept_all(list_pages);
        out.accept_all(briefing_pages);
        out.accept_all(actor_pages);
        out.accept_all(type_pages);
        out.accept_all(actor_claim_pages);
        crate::timings::phase("render: misc pages");
        out.accept_all(self.ledger_pages(dest));
        out.accept_all(self.question_pages(dest));
        out.accept(self.judgments_page(dest));
        crate::timings::phase("render: ledger, questions, judgments");
        out.accept_all(self.dispute_pages(dest));
        crate::timings::phase("render: disputes");
        out.accept_all(self.timeline_pages(dest));
        crate::timings::phase("render: timeline");
        out.accept_all(self.tag_pages(dest));
        crate::timings::phase("render: tags");
        out.accept(self.not_found_page(dest));
        if !out.errors.is_empty() {
            return Err(out.errors);
        }
        // Every page is made: the pages that list an edited briefing are shown before the feeds.
        dest.sink.show(out.made.files.iter());

        out.accept(site_feed);
        out.accept_all(self.actor_feeds(dest));
        out.accept_all(self.tag_feeds(dest));
        crate::timings::phase("render: feeds");
        let sitemap = feeds::sitemap(self, &out.made.paths);
        let sitemap = dest.sink.take(&urls::sitemap(), sitemap);
        out.made.insert(urls::sitemap(), sitemap);
        Ok(out.made)
    }

    /// The pages made one at a time, in the order they are listed: the actors index, search
    /// (its index is added elsewhere), the actor graph, plain pages.
    fn single_pages(&self, dest: Dest) -> Vec<Done> {
        let mut done = vec![self.actors_index(dest), self.search_page(dest), self.graph_page(dest)];
        done.extend(self.plain_pages(dest));
        done
    }
}
