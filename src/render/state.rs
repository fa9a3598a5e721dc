//! The render state: the views a render makes once, before any page, and every page shares
//! (the site view, actor references, claim views and fragments, briefing cards and bodies),
//! and the [`Renderer`] that holds them with the site, config and theme they come from.

use super::cache::{Body, PageCache, key_of};
use super::markdown::{self, BodyOptions};
use super::pages::{analysis, tags};
use super::templates::Theme;
use super::urls::{self, Urls};
use super::views::*;
use super::{GENERATOR, PageProgress, graph};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::mentions::Matcher;
use crate::model::{ClaimIx, Site, When};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What renders pages: the site, config and theme, and the render state made from them.
pub(super) struct Renderer<'a> {
    pub(super) site: &'a Site,
    pub(super) config: &'a Config,
    pub(super) theme: &'a Theme,
    pub(super) progress: &'a dyn PageProgress,
    /// Everything made from the site before pages render; kept by a serve session to render
    /// one page again at once ([`super::render_briefing`]).
    pub(super) state: RenderState,
}

/// The views a build makes once and every page shares.
pub struct RenderState {
    /// Whether this render fills a cache for the next, so that keys are worth making.
    pub(super) caching: bool,
    /// What every page shares (the site view and the theme), hashed once: every page key
    /// starts from it.
    pub(super) site_key: u64,
    pub(super) urls: Urls,
    pub(super) site_view: SiteView,
    /// `site_view` as a Tera value, made once and shared by every page.
    pub(super) site_value: tera::Value,
    pub(super) actor_refs: Vec<ActorRef>,
    pub(super) claim_links: Vec<ClaimLink>,
    pub(super) claim_views: Vec<Shared<ClaimView>>,
    /// Each claim view's key, when the render makes keys (else empty): the view's stand-in in
    /// its fragments' keys and in the keys of the briefing pages that show it.
    pub(super) claim_keys: Vec<u64>,
    /// Every claim rendered once through `partials/claim_card.html` and `partials/claim_row.html`.
    pub(super) claim_cards: Vec<Fragment>,
    pub(super) claim_rows: Vec<Fragment>,
    /// Every forecast rendered once through `partials/forecast_row.html` (`None` for other
    /// claims).
    pub(super) forecast_rows: Vec<Option<Fragment>>,
    pub(super) cards: Vec<Shared<BriefingCard>>,
    /// Each briefing's body as HTML, shared with its page's view and the page cache.
    pub(super) bodies: Vec<std::sync::Arc<str>>,
    /// Actor names and aliases, and each actor's URL, for autolinking in bodies (when
    /// `autolink_actors` is on).
    pub(super) autolink: Option<(Matcher<usize>, Vec<String>)>,
    pub(super) site_timeline: analysis::SiteTimeline,
    pub(super) typed: graph::Typed,
}

impl std::fmt::Debug for RenderState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderState").field("briefings", &self.cards.len()).finish_non_exhaustive()
    }
}

impl std::ops::Deref for Renderer<'_> {
    type Target = RenderState;

    fn deref(&self) -> &RenderState {
        &self.state
    }
}

impl std::ops::DerefMut for Renderer<'_> {
    fn deref_mut(&mut self) -> &mut RenderState {
        &mut self.state
    }
}

pub(super) fn date_view(iso: &str, date: jiff::civil::Date) -> DateView {
    DateView { iso: iso.to_string(), display: date.strftime("%-d %B %Y").to_string() }
}

/// Every claim's text, by claim, in the two forms it is shown in: inline HTML (claim views)
/// and plain text (claim views, the search index, the STIX bundle).
/// Shared: each is listed by a claim link and a claim view, and kept for the next render.
pub(super) struct ClaimTexts {
    pub(super) html: Vec<Arc<str>>,
    pub(super) plain: Vec<Arc<str>>,
}

impl ClaimTexts {
    /// Both forms of every claim's text; a text the previous render (`old`) converted is taken
    /// from it, since both forms are functions of the text alone, so a rebuild converts only
    /// the texts it has not seen.
    pub(super) fn new(site: &Site, old: Option<&PageCache>) -> ClaimTexts {
        let (html, plain) = site
            .claims
            .par_iter()
            .map(|c| match old.and_then(|o| o.claim_texts.get(c.text.as_str())) {
                Some((html, plain)) => (html.clone(), plain.clone()),
                None => (markdown::render_inline(&c.text).into(), markdown::plain_text(&c.text).into()),
            })
            .unzip();
        ClaimTexts { html, plain }
    }

    /// The conversions of this render, by text, for the next render to take from.
    pub(super) fn into_cache(self, site: &Site) -> HashMap<String, (Arc<str>, Arc<str>)> {
        site.claims.iter().map(|c| c.text.clone()).zip(self.html.into_iter().zip(self.plain)).collect()
    }
}

pub(super) fn when_view(w: &When) -> DateView {
    // Show the calendar date as written (a datetime's own offset), not shifted to UTC.
    let date = w.text.get(..10).and_then(|d| d.parse().ok()).unwrap_or(w.date);
    date_view(&w.text, date)
}

pub(super) fn plain_date_view(d: jiff::civil::Date) -> DateView {
    date_view(&d.to_string(), d)
}

impl<'a> Renderer<'a> {
    pub(super) fn new(
        site: &'a Site,
        config: &'a Config,
        theme: &'a Theme,
        texts: &ClaimTexts,
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let urls = Urls::new(config.base_url.clone());
        let actor_refs: Vec<ActorRef> = site
            .actors
            .iter()
            .map(|a| {
                ActorRef::new(a.id.clone(), a.name.clone(), a.kind.id().to_string(), urls.link(&urls::actor(&a.id)))
            })
            .collect();
        let mut counts = vec![0usize; site.claim_types.len()];
        for c in &site.claims {
            counts[c.kind] += 1;
        }
        let site_view = SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: urls.base_url().to_string(),
            origin: urls.base_url().strip_suffix(urls.root()).unwrap_or_default().to_string(),
            root: urls.root().to_string(),
            language: config.language.clone(),
            generator: GENERATOR.to_string(),
            claim_types: site
                .claim_types
                .iter()
                .zip(&counts)
                .map(|(t, &count)| ClaimTypeView {
                    id: t.id.clone(),
                    label: t.label.clone(),
                    description: t.description.clone(),
                    url: urls.link(&urls::claim_type(&t.id)),
                    count,
                })
                .collect(),
            pages: site
                .pages
                .iter()
                .map(|p| LinkView { title: p.title.clone(), url: urls.link(&urls::page(&p.id)) })
                .collect(),
            feed_url: urls.link(&urls::feed()),
            data_url: urls.link(&urls::data()),
            home_url: urls.link(&urls::home()),
            briefings_url: urls.link(&urls::briefings(1)),
            actors_url: urls.link(&urls::actors()),
            forecasts_url: urls.link(&urls::forecasts()),
            judgments_url: urls.link(&urls::judgments()),
            disputes_url: urls.link(&urls::disputes(1)),
            timeline_url: urls.link(&urls::timeline(1)),
            search_url: urls.link(&urls::search()),
            graph_url: urls.link(&urls::graph()),
            tags_url: urls.link(&urls::tags()),
        };
        let claim_links: Vec<ClaimLink> = (0..site.claims.len())
            .into_par_iter()
            .map(|c| {
                let claim = &site.claims[c];
                let b = &site.briefings[claim.briefing];
                ClaimLink {
                    id: site.claim_ref(c),
                    url: format!("{}#{}", urls.link(&urls::briefing(&b.id)), urls::claim_anchor(&claim.id)),
                    r#type: site.claim_type(claim).id.clone(),
                    type_label: site.claim_type(claim).label.clone(),
                    text_html: Arc::clone(&texts.html[c]),
                    briefing_title: b.title.clone(),
                    contested: site.contested(c),
                }
            })
            .collect();
        let tag_links = tags::tag_links(site, &urls);
        let cards: Vec<Shared<BriefingCard>> = (0..site.briefings.len())
            .into_par_iter()
            .map(|b| {
                let br = &site.briefings[b];
                Shared::new(BriefingCard {
                    id: br.id.clone(),
                    title: br.title.clone(),
                    url: urls.link(&urls::briefing(&br.id)),
                    date: when_view(&br.date),
                    summary: br.summary.clone().unwrap_or_default(),
                    authors: br.authors.clone(),
                    actors: site.briefing_actors[b].iter().map(|&a| actor_refs[a].clone()).collect(),
                    tags: br.tags.clone(),
                    tag_links: site.briefing_tags[b].iter().map(|&t| tag_links[t].clone()).collect(),
                    claim_count: br.claims.len(),
                    draft: br.draft,
                })
            })
            .collect();
        let autolink = config.autolink_actors.then(|| {
            let urls = actor_refs.iter().map(|a| a.url.clone()).collect();
            (crate::model::mentions::actor_matcher(&site.actors), urls)
        });
        let state = RenderState {
            caching: false,
            site_key: 0,
            urls,
            site_value: tera::Value::from_serializable(&site_view),
            site_view,
            actor_refs,
            claim_links,
            claim_views: Vec::new(),
            claim_keys: Vec::new(),
            claim_cards: Vec::new(),
            claim_rows: Vec::new(),
            forecast_rows: Vec::new(),
            cards,
            bodies: Vec::new(),
            autolink,
            site_timeline: analysis::SiteTimeline::new(site, config.paginate),
            typed: graph::Typed::new(site),
        };
        let mut r = Renderer { site, config, theme, progress: &(), state };
        r.claim_views = (0..site.claims.len())
            .into_par_iter()
            .map(|c| Shared::new(r.claim_view(c, &texts.html[c], &texts.plain[c])))
            .collect();
        Ok(r)
    }

    fn claim_view(&self, c: ClaimIx, text_html: &Arc<str>, plain: &Arc<str>) -> ClaimView {
        let site = self.site;
        let claim = &site.claims[c];
        let b = &site.briefings[claim.briefing];
        let briefing_url = self.urls.link(&urls::briefing(&b.id));
        let facts = &site.claim_facts[c];
        let links = |ixs: &[ClaimIx]| ixs.iter().map(|&i| self.claim_links[i].clone()).collect::<Vec<_>>();
        let resolution = facts.resolution.map(|(rb, ri)| {
            let rbr = &site.briefings[rb];
            let res = &rbr.resolutions[ri];
            Box::new(ResolutionRef {
                outcome: res.outcome.id().to_string(),
                note: res.note.clone().unwrap_or_default(),
                briefing_title: rbr.title.clone(),
                url: format!("{}#{}", self.urls.link(&urls::briefing(&rbr.id)), urls::RESOLUTIONS_ANCHOR),
                date: when_view(&rbr.date),
            })
        });
        let mut view = ClaimView {
            id: claim.id.clone(),
            global_id: site.claim_ref(c),
            anchor: urls::claim_anchor(&claim.id),
            url: format!("{briefing_url}#{}", urls::claim_anchor(&claim.id)),
            r#type: site.claim_type(claim).id.clone(),
            type_label: site.claim_type(claim).label.clone(),
            text_html: Arc::clone(text_html),
            text: Arc::clone(plain),
            quote: claim.quote.clone(),
            by: claim.by.map(|a| self.actor_refs[a].clone()),
            about: claim.about.iter().map(|&a| self.actor_refs[a].clone()).collect(),
            date: claim.date.as_ref().map(when_view),
            sources: claim
                .sources
                .iter()
                .map(|cs| {
                    let s = &b.sources[cs.source];
                    let grade = format!(
                        "{}{}",
                        s.reliability.map(String::from).unwrap_or_default(),
                        cs.credibility.map(|n| n.to_string()).unwrap_or_default()
                    );
                    ClaimSourceView {
                        id: s.id.clone(),
                        title: s.title.clone(),
                        grade,
                        url: format!("{briefing_url}#{}", urls::source_anchor(&s.id)),
                    }
                })
                .collect(),
            confidence: claim.confidence.map(|x| x.id().to_string()),
            likelihood: claim.likelihood.map(|l| LikelihoodView {
                term: l.id().to_string(),
                label: l.label(),
                range: l.range_label(),
            }),
            probability: claim.probability,
            resolves_by: claim.resolves_by.map(plain_date_view),
            status: facts.status.map(|s| s.id().to_string()),
            scoring_probability: facts.status.and(site.scoring_probability(claim)),
            due_soon: site.due_soon(c),
            contested: site.contested(c),
            resolution,
            condition: claim.condition.map(|i| Box::new(self.claim_links[i].clone())),
            disputes: links(&claim.disputes),
            disputed_by: links(&facts.disputed_by),
            supports: links(&claim.supports),
            supported_by: links(&facts.supported_by),
            indicators: claim.indicators.clone(),
            briefing: LinkView { title: b.title.clone(), url: briefing_url },
            briefing_date: when_view(&b.date),
            question: None,
            updated_from: None,
            superseded_by: None,
            revised_from: None,
            revised_by: None,
            change_html: None,
            judgment_url: None,
            alternatives: Vec::new(),
        };
        self.chain_fields(c, &mut view);
        view
    }

    /// The URL of an `@/` link target (the part after `@/`). Content validation has checked
    /// that the target exists.
    pub(super) fn internal_link(&self, link: &str) -> Option<String> {
        Some(self.urls.link(&urls::internal(link)?))
    }

    /// Renders every briefing body, or reuses `old`'s when its text, anchors and everything it
    /// may link to are unchanged (keeping them in `fresh`); returns each body as plain text, for
    /// the search index.
    pub(super) fn render_bodies(&mut self, old: Option<&PageCache>, fresh: &mut PageCache) -> Vec<Arc<str>> {
        let caching = self.caching;
        // Autolinks depend on every actor's names; `@/` links on ids and the base path only.
        let shared = caching.then(|| {
            let names: Vec<(&str, &str, &[String])> =
                self.site.actors.iter().map(|a| (a.id.as_str(), a.name.as_str(), a.aliases.as_slice())).collect();
            key_of(&(names, self.config.autolink_actors, format!("{:?}", self.config.raw_html), self.urls.root()))
        });
        let bodies: Vec<(u64, Body)> = self
            .site
            .briefings
            .par_iter()
            .map(|b| {
                let key = shared.map_or(0, |shared| {
                    let claims: Vec<&str> = b.claims.iter().map(|&c| self.site.claims[c].id.as_str()).collect();
                    let sources: Vec<&str> = b.sources.iter().map(|s| s.id.as_str()).collect();
                    key_of(&(shared, &*b.body, claims, sources))
                });
                if let Some(body) = old.filter(|_| caching).and_then(|o| o.bodies.get(&key)) {
                    return (key, body.clone());
                }
                (key, self.body(b, &b.body))
            })
            .collect();
        if caching {
            fresh.bodies.extend(bodies.iter().cloned());
        }
        let texts;
        (self.bodies, texts) = bodies.into_iter().map(|(_, body)| (body.html, body.text)).unzip();
        texts
    }

    /// Briefing `b`'s Markdown `body` (its own, or a new text of it) as its page shows it, and
    /// as plain text.
    pub(super) fn body(&self, b: &crate::model::Briefing, body: &str) -> Body {
        let internal = |t: &str| self.internal_link(t);
        let reserved: HashSet<String> = b
            .claims
            .iter()
            .map(|&c| urls::claim_anchor(&self.site.claims[c].id))
            .chain(b.sources.iter().map(|s| urls::source_anchor(&s.id)))
            .chain(RESERVED_ANCHORS.iter().map(|s| s.to_string()))
            .collect();
        let opts = BodyOptions {
            raw_html: self.config.raw_html,
            actors: self.autolink.as_ref().map(|(m, urls)| (m, urls.as_slice())),
            internal: &internal,
            reserved_ids: &reserved,
        };
        let mut text = markdown::PlainText::for_markdown(body.len());
        let html = markdown::render_body_with_text(body, &opts, Some(&mut text));
        Body { html: html.into(), text: text.into_string().into() }
    }

    pub(super) fn simple_body(&self, md: &str) -> String {
        let internal = |t: &str| self.internal_link(t);
        let reserved = HashSet::new();
        let opts =
            BodyOptions { raw_html: self.config.raw_html, actors: None, internal: &internal, reserved_ids: &reserved };
        markdown::render_body(md, &opts)
    }
}

/// Ids the built-in briefing template uses for its own sections, kept free of heading ids.
const RESERVED_ANCHORS: &[&str] = &[
    "main",
    "briefing-bluf",
    "briefing-takeaways",
    "briefing-claims",
    "briefing-claims-heading",
    urls::RESOLUTIONS_ANCHOR,
    "briefing-resolutions-heading",
    "briefing-sources",
    "briefing-sources-heading",
];
