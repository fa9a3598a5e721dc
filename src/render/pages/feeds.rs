//! Atom feeds and the sitemap. A feed's entries are briefings and, in an actor's feed, the
//! claims about the actor, each with a stable id: the absolute URL of the briefing or of the
//! claim's anchor in it.

use crate::model::TimelineItem;
use crate::render::cache::key_of;
use crate::render::state::Renderer;
use crate::render::{Dest, Done, urls};
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::str::FromStr;

/// Entries in the site feed, an actor's and a tag's.
pub(super) const FEED_ITEMS: usize = 50;

impl Renderer<'_> {
    /// The site's Atom feed: the newest briefings, in full.
    pub(super) fn site_feed(&self, dest: Dest) -> Done {
        let entries: Vec<TimelineItem> =
            (0..self.site.briefings.len()).take(FEED_ITEMS).map(TimelineItem::Briefing).collect();
        let key = self.feed_key(&self.config.title, &entries, true);
        dest.make(urls::feed(), key, || Ok(feed(self, &urls::feed(), &self.config.title, &entries, true)))
    }

    /// Each actor's feed: its briefings and the claims about it, summaries only.
    pub(super) fn actor_feeds(&self, dest: Dest) -> Vec<Done> {
        self.site
            .actors
            .par_iter()
            .enumerate()
            .map(|(a, actor)| {
                let title = format!("{} · {}", actor.name, self.config.title);
                let entries = self.actor_feed_entries(a, FEED_ITEMS);
                let path = urls::actor_feed(&actor.id);
                let key = self.feed_key(&title, &entries, false);
                dest.make(path.clone(), key, || Ok(feed(self, &path, &title, &entries, false)))
            })
            .collect()
    }

    /// A feed's cache key (when caching): everything its entries show.
    pub(super) fn feed_key(&self, title: &str, entries: &[TimelineItem], full: bool) -> Option<u64> {
        let site = self.site;
        self.caching.then(|| {
            let items: Vec<_> = entries
                .iter()
                .map(|&item| {
                    let (b, claim) = match item {
                        TimelineItem::Briefing(b) => (b, None),
                        TimelineItem::Claim(c) => (site.claims[c].briefing, Some(&self.claim_links[c])),
                    };
                    let br = &site.briefings[b];
                    (&self.cards[b], br.updated.as_ref().map(|u| &u.text), full.then(|| &self.bodies[b]), claim)
                })
                .collect();
            key_of(&(self.site_key, title, items))
        })
    }
}

fn datetime(rfc3339: &str) -> FixedDateTime {
    FixedDateTime::from_str(rfc3339).unwrap_or_else(|_| epoch())
}

/// The epoch, for feeds with nothing in them (deterministic, unlike "now").
fn epoch() -> FixedDateTime {
    FixedDateTime::from_str("1970-01-01T00:00:00Z").unwrap_or_default()
}

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l.set_mime_type(mime.map(str::to_string));
    l
}

/// An Atom feed of `entries` (briefings and claims, newest first). `full`: include briefing
/// bodies.
pub(super) fn feed(r: &Renderer<'_>, self_path: &str, title: &str, entries: &[TimelineItem], full: bool) -> Vec<u8> {
    let site = r.site;
    let mut feed = Feed::default();
    feed.set_title(Text::plain(title));
    feed.set_id(r.urls.absolute(self_path));
    feed.set_lang(Some(r.config.language.clone()));
    let mut author = Person::default();
    author.set_name(r.config.title.clone());
    feed.set_authors(vec![author]);
    let mut generator = Generator::default();
    generator.set_value("sitpress");
    generator.set_version(Some(env!("CARGO_PKG_VERSION").to_string()));
    feed.set_generator(Some(generator));
    feed.set_links(vec![
        link(r.urls.absolute(self_path), "self", Some("application/atom+xml")),
        link(r.urls.absolute(&urls::home()), "alternate", Some("text/html")),
    ]);
    if !r.config.description.is_empty() {
        feed.set_subtitle(Some(Text::plain(r.config.description.clone())));
    }
    let mut newest = epoch();
    let mut out = Vec::with_capacity(entries.len());
    for &item in entries {
        let (b, claim) = match item {
            TimelineItem::Briefing(b) => (b, None),
            TimelineItem::Claim(c) => (site.claims[c].briefing, Some(c)),
        };
        let br = &site.briefings[b];
        let card = &r.cards[b];
        let mut e = Entry::default();
        let mut url = r.urls.absolute(&urls::briefing(&br.id));
        match claim {
            None => e.set_title(Text::plain(br.title.clone())),
            Some(c) => {
                let view = &r.claim_views[c];
                url = format!("{url}#{}", view.anchor);
                e.set_title(Text::plain(format!("{}: {}", view.type_label, view.text)));
                e.set_summary(Some(Text::plain(format!("{} In “{}”.", view.text, br.title))));
            }
        }
        e.set_id(url.clone());
        let published = datetime(&br.date.rfc3339());
        let updated = br.updated.as_ref().map_or(published, |u| datetime(&u.rfc3339()));
        newest = newest.max(updated);
        e.set_published(Some(published));
        e.set_updated(updated);
        e.set_links(vec![link(url, "alternate", Some("text/html"))]);
        e.set_authors(
            br.authors
                .iter()
                .map(|a| {
                    let mut p = Person::default();
                    p.set_name(a.clone());
                    p
                })
                .collect::<Vec<_>>(),
        );
        if claim.is_none() && !card.summary.is_empty() {
            e.set_summary(Some(Text::plain(card.summary.clone())));
        }
        if full && claim.is_none() {
            let mut content = Content::default();
            content.set_content_type(Some("html".to_string()));
            content.set_value(Some(r.bodies[b].to_string()));
            e.set_content(Some(content));
        }
        out.push(e);
    }
    feed.set_updated(newest);
    feed.set_entries(out);
    let mut xml = Vec::new();
    // Writing to a Vec cannot fail; fall back to an empty feed body rather than panic.
    let _ = feed.write_to(&mut xml);
    let mut with_decl = b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".to_vec();
    if xml.starts_with(b"<?xml") {
        xml
    } else {
        with_decl.extend(xml);
        with_decl
    }
}

/// `sitemap.xml` listing every HTML page but the 404 page.
pub(super) fn sitemap(r: &Renderer<'_>, paths: &BTreeSet<String>) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        let Some(dir) = path.strip_suffix("index.html") else {
            continue;
        };
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&r.urls.absolute(dir)));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}
