//! Claim type pages: every claim of one type, newest briefing first, `paginate` cards a page
//! (`/claims/<type>/`, `/claims/<type>/page/N/`).

use crate::model::ClaimIx;
use crate::render::context::page_jobs;
use crate::render::state::Renderer;
use crate::render::{Dest, Done, urls};
use rayon::prelude::*;

impl Renderer<'_> {
    pub(super) fn claim_type_pages(&self, dest: Dest) -> Vec<Done> {
        let site = self.site;
        let per = self.config.paginate.max(1);
        // Claim types, `paginate` claims per page.
        let mut by_type: Vec<Vec<ClaimIx>> = vec![Vec::new(); site.claim_types.len()];
        for (c, claim) in site.claims.iter().enumerate() {
            by_type[claim.kind].push(c);
        }
        page_jobs(&by_type, per)
            .into_par_iter()
            .map(|(t, page, total)| {
                let ct = &site.claim_types[t];
                let path = urls::claim_type_page(&ct.id, page);
                let cards = by_type[t].iter().skip((page - 1) * per).take(per).map(|&c| &self.claim_cards[c]);
                let title = if page == 1 {
                    format!("{} claims", ct.label)
                } else {
                    format!("{} claims, page {page}", ct.label)
                };
                let mut ctx = self.context(&path, &title, &ct.description, "claims");
                ctx.insert("claim_type", &self.site_view.claim_types[t]);
                ctx.insert_fragments("claim_cards", cards);
                ctx.insert("pagination", self.pagination(page, total, |p| urls::claim_type_page(&ct.id, p)));
                self.page(dest, &path, "claims.html", ctx)
            })
            .collect()
    }
}
