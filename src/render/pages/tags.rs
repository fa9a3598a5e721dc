//! Tag pages: `/tags/` (every tag with its number of briefings), `/tags/<slug>/` (its
//! briefings, newest first, `paginate` a page, under `/tags/<slug>/page/N/`) and each tag's
//! Atom feed, `/tags/<slug>/atom.xml`, made like an actor's (summaries, not bodies).
//!
//! Which tags there are, their names and their briefings come from the model (`Site::tags`);
//! this file only lays them out. The index is sorted by slug, that is alphabetically: a
//! reader comes to it looking for a subject by name, and sees each one's count beside it.

use super::feeds::{self, FEED_ITEMS};
use crate::model::{Site, TimelineItem};
use crate::render::state::Renderer;
use crate::render::views::{LinkView, TagView};
use crate::render::{Dest, Done, jsonld, urls};
use rayon::prelude::*;

const INDEX_DESCRIPTION: &str = "Every tag used by a briefing, with its number of briefings.";

/// Every tag as a link to its page, by tag: what briefing cards show.
pub(in crate::render) fn tag_links(site: &Site, u: &urls::Urls) -> Vec<LinkView> {
    site.tags.iter().map(|t| LinkView { title: t.name.clone(), url: u.link(&urls::tag(&t.slug, 1)) }).collect()
}

impl Renderer<'_> {
    fn tag_view(&self, t: usize) -> TagView {
        let tag = &self.site.tags[t];
        TagView {
            name: tag.name.clone(),
            slug: tag.slug.clone(),
            url: self.urls.link(&urls::tag(&tag.slug, 1)),
            feed_url: self.urls.link(&urls::tag_feed(&tag.slug)),
            count: tag.briefings.len(),
        }
    }

    /// The tag index and every page of every tag, in that order.
    pub(super) fn tag_pages(&self, dest: Dest) -> Vec<Done> {
        let site = self.site;
        let per = self.config.paginate.max(1);
        let mut done = Vec::with_capacity(1 + site.tags.len());
        {
            let tags: Vec<TagView> = (0..site.tags.len()).map(|t| self.tag_view(t)).collect();
            let mut ctx = self.context(&urls::tags(), "Tags", INDEX_DESCRIPTION, "tags");
            ctx.insert("tags", tags);
            done.push(self.page(dest, &urls::tags(), "tags.html", ctx));
        }
        let jobs: Vec<(usize, usize, usize)> = site
            .tags
            .iter()
            .enumerate()
            .flat_map(|(t, tag)| {
                let total = tag.briefings.len().div_ceil(per).max(1);
                (1..=total).map(move |page| (t, page, total))
            })
            .collect();
        done.par_extend(jobs.into_par_iter().map(|(t, page, total)| {
            let view = self.tag_view(t);
            let briefings = &site.tags[t].briefings;
            let chunk: Vec<_> = briefings.iter().skip((page - 1) * per).take(per).map(|&b| &self.cards[b]).collect();
            let path = urls::tag(&view.slug, page);
            let title = match page {
                1 => format!("Tag: {}", view.name),
                _ => format!("Tag: {}, page {page}", view.name),
            };
            let description = format!("Briefings tagged “{}”, newest first.", view.name);
            let about = jsonld::Subject::Reports(&chunk);
            let mut ctx = self.context_about(&path, &title, &description, "tags", about);
            ctx.insert("feed", view.feed_url.clone());
            ctx.insert("pagination", self.pagination(page, total, |p| urls::tag(&view.slug, p)));
            ctx.insert("briefings", chunk);
            ctx.insert("tag", view);
            self.page(dest, &path, "tag.html", ctx)
        }));
        done
    }

    /// Each tag's Atom feed: its newest briefings, summaries only, as an actor's feed.
    pub(super) fn tag_feeds(&self, dest: Dest) -> Vec<Done> {
        self.site
            .tags
            .par_iter()
            .map(|tag| {
                let title = format!("{} · {}", tag.name, self.config.title);
                let entries: Vec<TimelineItem> =
                    tag.briefings.iter().take(FEED_ITEMS).map(|&b| TimelineItem::Briefing(b)).collect();
                let path = urls::tag_feed(&tag.slug);
                let key = self.feed_key(&title, &entries, false);
                dest.make(path.clone(), key, || Ok(feeds::feed(self, &path, &title, &entries, false)))
            })
            .collect()
    }
}
