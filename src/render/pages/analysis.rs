//! Analysis pages: the forecast ledger (`/forecasts/`, rows paginated under
//! `/forecasts/page/N/`), contested claims (`/disputes/`), the site timeline (`/timeline/`),
//! and the dossier's share of them (open and resolved forecasts, the actor's timeline).
//!
//! The numbers come from the model (`Site::ledger`, `Site::timeline`); this file only orders,
//! paginates and draws them. Pages borrow the shared claim views rather than copying them, and
//! every list is paginated, so no page grows with the size of the site.

use crate::model::{ActorIx, BriefingIx, ClaimIx, DUE_SOON_DAYS, Site, Status, TimelineItem};
use crate::render::state::Renderer;
use crate::render::urls;
use crate::render::views::*;
use crate::render::{Dest, Done};
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Forecasts per ledger page: compact table rows, so a page stays far below 1 MB.
pub(super) const LEDGER_ROWS: usize = 200;
/// A timeline page never holds more entries than this, even inside one busy month.
const TIMELINE_MAX: usize = 1000;
/// A dossier shows its latest months up to about this many entries, then links to the rest.
const DOSSIER_TIMELINE: usize = 100;
/// A dossier lists at most this many open, and this many resolved, forecasts; its claim
/// sections and the ledger have them all.
const DOSSIER_FORECASTS: usize = 100;

/// The site timeline, paginated once and shared by its pages and the dossiers that link to it.
#[derive(Debug, Default)]
pub(in crate::render) struct SiteTimeline {
    /// Entries, newest first, with their dates.
    entries: Vec<(Date, TimelineItem)>,
    /// Start of each page in `entries`; page `n` (1-based) is `starts[n - 1]..starts[n]`.
    starts: Vec<usize>,
    /// The first page on which each month (year, month) appears.
    month_page: BTreeMap<(i16, i8), usize>,
}

impl SiteTimeline {
    /// Every briefing and every dated claim, cut into pages of whole months holding at least
    /// `per` entries each (the last may hold fewer); a month larger than [`TIMELINE_MAX`]
    /// continues on the next page.
    pub(in crate::render) fn new(site: &Site, per: usize) -> SiteTimeline {
        let entries = site.timeline(0..site.briefings.len(), 0..site.claims.len());
        let starts = page_starts(&entries, per.max(1), TIMELINE_MAX);
        let mut month_page = BTreeMap::new();
        for (p, &start) in starts.iter().enumerate() {
            let end = starts.get(p + 1).copied().unwrap_or(entries.len());
            for (d, _) in &entries[start..end] {
                month_page.entry(month_of(*d)).or_insert(p + 1);
            }
        }
        SiteTimeline { entries, starts, month_page }
    }

    fn pages(&self) -> usize {
        self.starts.len().max(1)
    }

    fn page(&self, page: usize) -> &[(Date, TimelineItem)] {
        let start = self.starts.get(page - 1).copied().unwrap_or(0);
        let end = self.starts.get(page).copied().unwrap_or(self.entries.len());
        &self.entries[start..end]
    }
}

fn month_of(d: Date) -> (i16, i8) {
    (d.year(), d.month())
}

/// Where pages start: a new page begins at a month boundary once the page holds `per`
/// entries, or anywhere once it holds `max`.
fn page_starts(entries: &[(Date, TimelineItem)], per: usize, max: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut count = 0;
    for (i, (d, _)) in entries.iter().enumerate() {
        let new_month = i == 0 || month_of(entries[i - 1].0) != month_of(*d);
        if i == 0 || (count >= per && new_month) || count >= max {
            starts.push(i);
            count = 0;
        }
        count += 1;
    }
    starts
}

fn percent(x: f64) -> String {
    format!("{}%", (x * 100.0).round())
}

impl Renderer<'_> {
    /// Groups timeline entries into months, newest first. `continued`: the first month began
    /// on an earlier page.
    fn months(&self, entries: &[(Date, TimelineItem)], continued: bool) -> Vec<TimelineMonthView> {
        let site = self.site;
        let mut months: Vec<TimelineMonthView> = Vec::new();
        for &(d, item) in entries {
            let (year, month) = month_of(d);
            if months.last().is_none_or(|m| m.anchor != urls::month_anchor(year, month)) {
                months.push(TimelineMonthView {
                    anchor: urls::month_anchor(year, month),
                    iso: format!("{year:04}-{month:02}"),
                    label: d.strftime("%B %Y").to_string(),
                    continued: continued && months.is_empty(),
                    entries: Vec::new(),
                });
            }
            let entry = match item {
                TimelineItem::Briefing(b) => TimelineEntryView {
                    iso: d.to_string(),
                    day: d.strftime("%-d %b").to_string(),
                    r#type: "briefing".to_string(),
                    type_label: "Briefing".to_string(),
                    text: site.briefings[b].title.clone(),
                    url: self.cards[b].url.clone(),
                    draft: site.briefings[b].draft,
                    contested: false,
                },
                TimelineItem::Claim(c) => {
                    let v = &self.claim_views[c];
                    TimelineEntryView {
                        iso: d.to_string(),
                        day: d.strftime("%-d %b").to_string(),
                        r#type: v.r#type.clone(),
                        type_label: v.type_label.clone(),
                        text: v.text.to_string(),
                        url: v.url.clone(),
                        draft: false,
                        contested: v.contested,
                    }
                }
            };
            if let Some(m) = months.last_mut() {
                m.entries.push(entry);
            }
        }
        months
    }

    /// The site timeline's pages.
    pub(super) fn timeline_pages(&self, dest: Dest) -> Vec<Done> {
        let t = &self.site_timeline;
        let total = t.pages();
        (1..=total)
            .into_par_iter()
            .map(|page| {
                let entries = t.page(page);
                let continued = page > 1
                    && t.starts
                        .get(page - 1)
                        .is_some_and(|&s| s > 0 && month_of(t.entries[s - 1].0) == month_of(t.entries[s].0));
                let title = if page == 1 { "Timeline".to_string() } else { format!("Timeline, page {page}") };
                let description = "Briefings and dated claims by month, newest first.";
                let mut ctx = self.context(&urls::timeline(page), &title, description, "timeline");
                ctx.insert("months", self.months(entries, continued));
                ctx.insert("entry_total", t.entries.len());
                ctx.insert("pagination", self.pagination(page, total, urls::timeline));
                self.page(dest, &urls::timeline(page), "timeline.html", ctx)
            })
            .collect()
    }

    /// A dossier's timeline: its latest months, and where the rest continue.
    pub(super) fn actor_timeline(
        &self,
        briefings: &[BriefingIx],
        claims: &[ClaimIx],
    ) -> (Vec<TimelineMonthView>, usize, Option<TimelineMoreView>) {
        let entries = self.site.timeline(briefings.iter().copied(), claims.iter().copied());
        let shown =
            page_starts(&entries, DOSSIER_TIMELINE, TIMELINE_MAX * 3 / 10).get(1).copied().unwrap_or(entries.len());
        let more = entries.get(shown).map(|&(d, _)| {
            let page = self.site_timeline.month_page.get(&month_of(d)).copied().unwrap_or(1);
            let (year, month) = month_of(d);
            TimelineMoreView {
                count: entries.len() - shown,
                month: d.strftime("%B %Y").to_string(),
                url: format!("{}#{}", self.urls.link(&urls::timeline(page)), urls::month_anchor(year, month)),
            }
        });
        (self.months(&entries[..shown], false), entries.len(), more)
    }

    /// A dossier's forecasts among `claims`: unresolved (soonest due first) and resolved
    /// (latest resolution first), each list cut at [`DOSSIER_FORECASTS`], with the full counts.
    pub(super) fn actor_forecasts(&self, claims: &[ClaimIx]) -> (Vec<Fragment>, Vec<Fragment>, (usize, usize)) {
        let (mut open, mut resolved): (Vec<ClaimIx>, Vec<ClaimIx>) = claims
            .iter()
            .copied()
            .filter(|&c| self.site.claim_facts[c].status.is_some())
            .partition(|&c| matches!(self.site.claim_facts[c].status, Some(Status::Open | Status::Overdue)));
        open.sort_by_key(|&c| self.pending_key(c));
        resolved.sort_by_key(|&c| self.resolved_key(c));
        let counts = (open.len(), resolved.len());
        let rows = |v: Vec<ClaimIx>| {
            v.into_iter().take(DOSSIER_FORECASTS).filter_map(|c| self.forecast_rows[c].clone()).collect()
        };
        (rows(open), rows(resolved), counts)
    }

    fn pending_key(&self, c: ClaimIx) -> (Option<Date>, ClaimIx) {
        (self.site.claims[c].resolves_by, c)
    }

    /// Latest resolving briefing first (briefings are newest first); forecasts annulled by
    /// their condition, which have no resolution of their own, last.
    fn resolved_key(&self, c: ClaimIx) -> (BriefingIx, ClaimIx) {
        (self.site.claim_facts[c].resolution.map_or(usize::MAX, |(b, _)| b), c)
    }

    /// `/forecasts/` (scores, calibration and the first rows) and `/forecasts/page/N/`.
    pub(super) fn ledger_pages(&self, dest: Dest) -> Vec<Done> {
        let site = self.site;
        // One row per question: its latest forecast, which links to the question's page.
        let forecasts: Vec<ClaimIx> = site.questions.iter().map(|q| q.latest()).collect();
        let (mut pending, mut resolved): (Vec<ClaimIx>, Vec<ClaimIx>) = forecasts
            .iter()
            .partition(|&&c| matches!(site.claim_facts[c].status, Some(Status::Open | Status::Overdue)));
        pending.sort_by_key(|&c| self.pending_key(c));
        resolved.sort_by_key(|&c| self.resolved_key(c));
        let rows: Vec<ClaimIx> = pending.iter().chain(&resolved).copied().collect();
        let total = rows.len().div_ceil(LEDGER_ROWS).max(1);
        (1..=total)
            .into_par_iter()
            .map(|page| {
                let first = (page - 1) * LEDGER_ROWS;
                let chunk = &rows[first.min(rows.len())..(first + LEDGER_ROWS).min(rows.len())];
                let views: Vec<&Shared<ClaimView>> = chunk.iter().map(|&c| &self.claim_views[c]).collect();
                let title = if page == 1 { "Forecasts".to_string() } else { format!("Forecasts, page {page}") };
                let description = "Every forecast question, its status and latest likelihood; the time-averaged Brier score overall and per author; calibration by likelihood term.";
                let about = crate::render::jsonld::Subject::Claims(&views);
                let mut ctx = self.context_about(&urls::forecasts_page(page), &title, description, "forecasts", about);
                ctx.insert("ledger", (page == 1).then(|| self.ledger_view()));
                ctx.insert("rows", RowRangeView { first: first + 1, last: first + chunk.len(), total: rows.len() });
                ctx.insert("pending", pending.len());
                ctx.insert_fragments("forecast_rows", chunk.iter().filter_map(|&c| self.forecast_rows[c].as_ref()));
                ctx.insert("pagination", self.pagination(page, total, urls::forecasts_page));
                self.page(dest, &urls::forecasts_page(page), "forecasts.html", ctx)
            })
            .collect()
    }

    fn ledger_view(&self) -> LedgerView {
        let site = self.site;
        let calibration = site
            .ledger
            .calibration
            .iter()
            .map(|row| CalibrationRowView {
                likelihood: LikelihoodView {
                    term: row.term.id().to_string(),
                    label: row.term.label(),
                    range: row.term.range_label(),
                },
                point: percent(row.term.point()),
                forecasts: row.forecasts,
                yes: row.yes,
                no: row.no,
                observed: row.observed().map(percent),
            })
            .collect();
        LedgerView {
            summary: self.forecast_summary(),
            calibration,
            chart_svg_html: calibration_svg(site),
            authors: site
                .ledger
                .authors
                .iter()
                .map(|a| AuthorScoreView {
                    name: a.name.clone(),
                    forecasts: a.forecasts,
                    scored: a.scored,
                    brier: a.brier.map(|b| format!("{b:.3}")),
                })
                .collect(),
            due_soon_days: DUE_SOON_DAYS,
        }
    }

    /// `/disputes/`: every contested claim, most recently disputed first, paginated by
    /// `paginate`.
    pub(super) fn dispute_pages(&self, dest: Dest) -> Vec<Done> {
        let site = self.site;
        // The newest denial's briefing: briefings are newest first, so the smallest index.
        let mut contested: Vec<(BriefingIx, ClaimIx)> = (0..site.claims.len())
            .filter_map(|c| {
                let newest = site.claim_facts[c].disputed_by.iter().map(|&d| site.claims[d].briefing).min()?;
                Some((newest, c))
            })
            .collect();
        contested.sort_unstable();
        let per = self.config.paginate.max(1);
        let total = contested.len().div_ceil(per).max(1);
        let count = contested.len();
        (1..=total)
            .into_par_iter()
            .map(|page| {
                let disputes: Vec<DisputeView> =
                    contested.iter().skip((page - 1) * per).take(per).map(|&(_, c)| self.dispute_view(c)).collect();
                let title = if page == 1 { "Disputes".to_string() } else { format!("Disputes, page {page}") };
                let description = "Every contested claim, the denials against it, and what came after.";
                let mut ctx = self.context(&urls::disputes(page), &title, description, "disputes");
                ctx.insert("disputes", disputes);
                ctx.insert("dispute_count", count);
                ctx.insert("pagination", self.pagination(page, total, urls::disputes));
                self.page(dest, &urls::disputes(page), "disputes.html", ctx)
            })
            .collect()
    }

    fn dispute_view(&self, c: ClaimIx) -> DisputeView<'_> {
        let site = self.site;
        let facts = &site.claim_facts[c];
        let own = site.claims[c].briefing;
        let since = site.briefings[own].date.instant;
        // Claims are in newest-briefing-first order: reverse for oldest first.
        let denials = facts.disputed_by.iter().rev().map(|&d| &self.claim_views[d]).collect();
        let corroborations = facts
            .supported_by
            .iter()
            .rev()
            .filter(|&&s| {
                site.claims[s].briefing != own && site.briefings[site.claims[s].briefing].date.instant >= since
            })
            .map(|&s| &self.claim_views[s])
            .collect();
        DisputeView { claim: &self.claim_views[c], denials, corroborations }
    }

    /// A dossier's feed entries: the briefings that tag or name the actor and the claims about
    /// it (rolled up), newest first, at most `cap`.
    pub(super) fn actor_feed_entries(&self, a: ActorIx, cap: usize) -> Vec<TimelineItem> {
        let facts = &self.site.actor_facts[a];
        // Both lists are in briefing order (newest first): merge them, a briefing before its
        // own claims.
        let (mut bs, mut cs) = (facts.briefings.iter().peekable(), facts.claims_about.iter().peekable());
        let mut out = Vec::with_capacity(cap);
        while out.len() < cap {
            let item = match (bs.peek(), cs.peek()) {
                (Some(&&b), Some(&&c)) if b <= self.site.claims[c].briefing => TimelineItem::Briefing(b),
                (_, Some(&&c)) => TimelineItem::Claim(c),
                (Some(&&b), None) => TimelineItem::Briefing(b),
                (None, None) => break,
            };
            match item {
                TimelineItem::Briefing(_) => bs.next(),
                TimelineItem::Claim(_) => cs.next(),
            };
            out.push(item);
        }
        out
    }
}

/// The calibration chart: per ICD 203 term, its stated range as a band and the observed share
/// of `yes` as a dot, on a 0–100% axis. Numbers and fixed words only, so nothing to escape.
fn calibration_svg(site: &Site) -> String {
    const W: f64 = 640.0;
    const LABEL_END: f64 = 150.0;
    const X0: f64 = 160.0;
    const X1: f64 = 580.0;
    const TOP: f64 = 34.0;
    const ROW: f64 = 28.0;
    let rows = &site.ledger.calibration;
    let bottom = TOP + ROW * rows.len() as f64;
    let height = bottom + 30.0;
    let x = |p: f64| X0 + (X1 - X0) * p;
    let mut desc = String::from(
        "For each likelihood term, its stated probability range and the share of its forecasts resolved yes \
         among those resolved yes or no.",
    );
    for row in rows {
        let _ = match row.observed() {
            Some(o) => write!(
                desc,
                " {}: range {}, observed {} of {}.",
                row.term.label(),
                row.term.range_label(),
                percent(o),
                row.yes + row.no
            ),
            None => write!(desc, " {}: range {}, none resolved yes or no.", row.term.label(), row.term.range_label()),
        };
    }
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {height}" role="img" aria-labelledby="calibration-chart-title calibration-chart-desc"><title id="calibration-chart-title">Calibration chart: stated range against observed share of yes</title><desc id="calibration-chart-desc">{desc}</desc>"#
    );
    // Legend.
    let _ = write!(
        s,
        r#"<rect class="chart__range" x="{X0}" y="6" width="18" height="12"/><text x="{}" y="16">stated range</text><circle class="chart__dot" cx="{}" cy="12" r="5"/><text x="{}" y="16">observed share of yes (resolved yes/no)</text>"#,
        X0 + 24.0,
        X0 + 130.0,
        X0 + 140.0
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let tx = x(tick);
        let _ = write!(
            s,
            r#"<line class="chart__grid" x1="{tx}" y1="{}" x2="{tx}" y2="{bottom}"/><text class="chart__tick" x="{tx}" y="{}" text-anchor="middle">{}</text>"#,
            TOP - 4.0,
            bottom + 18.0,
            percent(tick)
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let yc = TOP + ROW * i as f64 + ROW / 2.0;
        let (lo, hi) = row.term.range();
        let _ = write!(
            s,
            r#"<text x="{LABEL_END}" y="{}" text-anchor="end">{}</text><rect class="chart__range" x="{:.1}" y="{}" width="{:.1}" height="14"/>"#,
            yc + 4.0,
            row.term.label(),
            x(lo),
            yc - 7.0,
            x(hi) - x(lo)
        );
        let count = match row.observed() {
            Some(o) => {
                let _ = write!(s, r#"<circle class="chart__dot" cx="{:.1}" cy="{yc}" r="5"/>"#, x(o));
                format!("{}/{}", row.yes, row.yes + row.no)
            }
            None => "–".to_string(),
        };
        let _ = write!(s, r#"<text class="chart__tick" x="{}" y="{}">{count}</text>"#, X1 + 12.0, yc + 4.0);
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: i8) -> Date {
        jiff::civil::date(2024, 10, d)
    }

    #[test]
    fn pages_keep_months_whole_until_the_cap() {
        let e = |d: Date, i| (d, TimelineItem::Briefing(i));
        let nov = jiff::civil::date(2024, 11, 1);
        let entries = vec![e(nov, 0), e(nov, 1), e(day(9), 2), e(day(8), 3), e(day(7), 4), e(day(1), 5)];
        // Two entries per page, but October stays whole.
        assert_eq!(page_starts(&entries, 2, 100), vec![0, 2]);
        // A cap of three cuts October.
        assert_eq!(page_starts(&entries, 2, 3), vec![0, 2, 5]);
        assert!(page_starts(&[], 2, 3).is_empty());
    }
}
