//! Briefing pages (`/briefings/<id>/`), rendered briefing by briefing together with their
//! claims' fragments (card, row, forecast row), which every list of claims then shows.

use crate::diagnostic::Diagnostic;
use crate::model::{BriefingIx, ClaimIx, RELIABILITY};
use crate::render::cache::{PageCache, key_of};
use crate::render::context::PageCtx;
use crate::render::state::{Renderer, plain_date_view, when_view};
use crate::render::views::*;
use crate::render::{Dest, Done, Sink, jsonld, urls};
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

/// A claim's card, row and (for a forecast) forecast row, rendered once and listed by pages.
const FRAGMENT_TEMPLATES: [&str; 3] =
    ["partials/claim_card.html", "partials/claim_row.html", "partials/forecast_row.html"];
type Fragments = (Fragment, Fragment, Option<Fragment>);
/// A briefing's claims with their fragments, and its page if one was asked for.
type PerBriefing = (Vec<(ClaimIx, Fragments)>, Option<Done>);

/// The part of a claim its briefing page and its card share, rendered once for both.
const CLAIM_BODY: &str = "partials/claim_body.html";

impl Renderer<'_> {
    /// Renders every claim's fragments (its card, its row and, for a forecast, its forecast
    /// row) and, given `pages`, every briefing's page, briefing by briefing. A claim's view
    /// becomes a Tera value once, for its fragments and its briefing's page together; that
    /// value lives only until the page is done. Fragments whose view is unchanged since the
    /// cached build are reused. Returns the briefing pages.
    pub(in crate::render) fn render_briefings(
        &mut self,
        pages: Option<Dest>,
        old: Option<&PageCache>,
        fresh: &mut PageCache,
    ) -> Result<Vec<Done>, Vec<Diagnostic>> {
        if self.caching {
            self.state.claim_keys = self.claim_views.par_iter().map(|v| key_of(&**v)).collect();
        }
        let this = &*self;
        // The briefings just edited (see `Sink::Shown`) are made, and shown, before the others.
        let edited: HashSet<&str> = match pages.map(|d| d.sink) {
            Some(Sink::Shown(_, paths)) => paths.iter().map(String::as_str).collect(),
            _ => HashSet::new(),
        };
        let (first, rest): (Vec<BriefingIx>, Vec<BriefingIx>) =
            (0..this.site.briefings.len()).partition(|&b| edited.contains(this.site.briefings[b].path.as_str()));
        let make = |bs: Vec<BriefingIx>| -> Result<Vec<(BriefingIx, PerBriefing)>, Vec<Diagnostic>> {
            bs.into_par_iter()
                .map(|b| Ok((b, this.briefing_with_fragments(b, pages, old)?)))
                // One template error is reported once, not once per claim.
                .collect::<Result<_, Diagnostic>>()
                .map_err(|d| vec![d])
        };
        let mut made = make(first)?;
        if let Some(dest) = pages
            && !made.is_empty()
        {
            let shown = made.iter().filter_map(|(_, (_, page))| page.as_ref());
            dest.sink.show(shown.filter_map(|d| Some((&d.path, d.result.as_ref().ok()?.as_ref()?))));
        }
        made.extend(make(rest)?);
        made.sort_unstable_by_key(|(b, _)| *b);
        let made = made.into_iter().map(|(_, m)| m);
        let mut done = Vec::with_capacity(made.len());
        let mut all = Vec::with_capacity(self.site.claims.len());
        for (fragments, page) in made {
            all.extend(fragments);
            done.extend(page);
        }
        // Every claim belongs to exactly one briefing: sorted by claim, these are all claims.
        all.sort_unstable_by_key(|&(c, _)| c);
        let n = all.len();
        let (mut cards, mut rows, mut forecast_rows) =
            (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        for (_, (card, row, forecast_row)) in all {
            cards.push(card);
            rows.push(row);
            forecast_rows.push(forecast_row);
        }
        (self.state.claim_cards, self.state.claim_rows, self.state.forecast_rows) = (cards, rows, forecast_rows);
        if self.caching {
            let all = self.claim_cards.iter().chain(&self.claim_rows).chain(self.forecast_rows.iter().flatten());
            for f in all {
                fresh.fragments.insert(f.key, f.clone());
            }
        }
        Ok(done)
    }

    /// Briefing `b`'s claim fragments and, given `pages`, its page: a claim's view becomes a
    /// Tera value once, for its fragments and the page together.
    pub(in crate::render) fn briefing_with_fragments(
        &self,
        b: BriefingIx,
        pages: Option<Dest>,
        old: Option<&PageCache>,
    ) -> Result<PerBriefing, Diagnostic> {
        let claims = &self.site.briefings[b].claims;
        let mut fragments = Vec::with_capacity(claims.len());
        let mut values = Vec::with_capacity(claims.len());
        for &c in claims {
            let (f, value) = self.claim_fragments(c, old)?;
            fragments.push((c, f));
            values.push(value);
        }
        let page = pages.map(|dest| {
            let (path, ctx) = self.briefing_page(b, values);
            self.page(dest, &path, "briefing.html", ctx)
        });
        Ok((fragments, page))
    }

    /// Claim `c`'s fragments, reused or rendered, and its view's Tera value if one was made.
    fn claim_fragments(
        &self,
        c: ClaimIx,
        old: Option<&PageCache>,
    ) -> Result<(Fragments, Option<tera::Value>), Diagnostic> {
        let caching = self.caching;
        let view = &self.claim_views[c];
        let keys = if caching {
            let key = key_of(&(self.claim_keys[c], self.theme.fingerprint()));
            FRAGMENT_TEMPLATES.map(|t| key ^ key_of(t))
        } else {
            [0; 3]
        };
        let forecast = view.status.is_some();
        let reused = |i: usize| old.filter(|_| caching).and_then(|o| o.fragments.get(&keys[i])).cloned();
        if let (Some(card), Some(row)) = (reused(0), reused(1)) {
            match (forecast, reused(2)) {
                (false, _) => return Ok(((card, row, None), None)),
                (true, Some(forecast_row)) => return Ok(((card, row, Some(forecast_row)), None)),
                (true, None) => {}
            }
        }
        // Views are plain data (strings, numbers, lists, maps): they always serialize.
        let value = tera::Value::try_from_serializable(&**view).unwrap_or(tera::Value::none());
        let value = self.with_body(value)?;
        let mut ctx = tera::Context::new();
        ctx.insert_value("claim", value.clone());
        let render =
            |i: usize| self.theme.render(FRAGMENT_TEMPLATES[i], &ctx).map(|html| Fragment::new(&html, keys[i]));
        let fragments = (render(0)?, render(1)?, if forecast { Some(render(2)?) } else { None });
        Ok((fragments, Some(value)))
    }

    /// A claim's Tera value with `body_html`: its `partials/claim_body.html`, rendered once
    /// for the card and the briefing page that both print it.
    fn with_body(&self, value: tera::Value) -> Result<tera::Value, Diagnostic> {
        let body = {
            let mut ctx = tera::Context::new();
            ctx.insert_value("claim", value.clone());
            self.theme.render(CLAIM_BODY, &ctx)?
        };
        // The context is gone: the map is not shared, so this takes it without a copy.
        let Some(mut map) = value.into_map() else {
            return Ok(tera::Value::none());
        };
        map.insert("body_html".into(), tera::Value::safe_string(&body));
        Ok(tera::Value::from(map))
    }

    /// Briefing `b`'s page: its site path and context (for `briefing.html`).
    ///
    /// `values` are the Tera values of the briefing's claim views, where they were made
    /// already (see [`PageClaim`]); missing ones are converted with the page.
    pub(in crate::render) fn briefing_page<'c>(
        &self,
        b: BriefingIx,
        values: Vec<Option<tera::Value>>,
    ) -> (String, PageCtx<'c>) {
        let view = Arc::new(self.briefing_view(b, values));
        let path = urls::briefing(&self.site.briefings[b].id);
        let mut ctx = self.context_deferred(&path, &view.card.title, &view.card.summary, "briefings", &view, |v| {
            jsonld::Subject::Briefing(v)
        });
        ctx.insert("briefing", Shared(view));
        (path, ctx)
    }

    fn briefing_view(&self, b: BriefingIx, values: Vec<Option<tera::Value>>) -> BriefingView {
        let site = self.site;
        let br = &site.briefings[b];
        let link = |i: BriefingIx| LinkView { title: site.briefings[i].title.clone(), url: self.cards[i].url.clone() };
        let claims: Vec<PageClaim> = br
            .claims
            .iter()
            .zip(values.into_iter().chain(std::iter::repeat(None)))
            .map(|(&c, value)| PageClaim {
                view: self.claim_views[c].clone(),
                value,
                key: self.claim_keys.get(c).copied(),
            })
            .collect();
        let mut claim_groups: Vec<PageClaimGroup> = Vec::new();
        for (t, ct) in site.claim_types.iter().enumerate() {
            let of_type = br.claims.iter().zip(&claims).filter(|&(&c, _)| site.claims[c].kind == t);
            let group: Vec<PageClaim> = of_type.map(|(_, claim)| claim.clone()).collect();
            if !group.is_empty() {
                claim_groups.push(PageClaimGroup {
                    r#type: ct.id.clone(),
                    label: ct.label.clone(),
                    count: group.len(),
                    claims: group,
                });
            }
        }
        BriefingView {
            card: BriefingCard::clone(&self.cards[b]),
            updated: br.updated.as_ref().map(when_view),
            key_takeaways: br.key_takeaways.clone(),
            content_html: self.bodies[b].clone(),
            claims,
            claim_groups,
            sources: br
                .sources
                .iter()
                .map(|s| SourceView {
                    id: s.id.clone(),
                    anchor: urls::source_anchor(&s.id),
                    title: s.title.clone(),
                    publisher: s.publisher.clone(),
                    url: s.url.clone(),
                    host: s.url.as_deref().and_then(urls::host),
                    published: s.published.map(plain_date_view),
                    reliability: s.reliability.map(String::from),
                    reliability_label: s
                        .reliability
                        .and_then(|r| RELIABILITY.iter().find(|(c, _)| *c == r).map(|(_, l)| (*l).to_string())),
                })
                .collect(),
            resolutions: br
                .resolutions
                .iter()
                .map(|r| ResolutionView {
                    claim: self.claim_links[r.claim].clone(),
                    outcome: r.outcome.id().to_string(),
                    evidence: r.evidence.iter().map(|&c| self.claim_links[c].clone()).collect(),
                    note: r.note.clone().unwrap_or_default(),
                })
                .collect(),
            prev: (b + 1 < site.briefings.len()).then(|| link(b + 1)),
            next: (b > 0).then(|| link(b - 1)),
        }
    }
}
