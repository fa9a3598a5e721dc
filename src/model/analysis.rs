//! Analysis of the whole record: the forecast ledger's scores (time-averaged Brier per author,
//! from `questions`; calibration per ICD 203 term), which forecasts fall due soon, and
//! timelines of briefings and dated claims. Computed once, in [`Site::new`] or on demand from facts already there; all linear
//! in the number of claims.

use super::{AuthorScore, BriefingIx, ClaimIx, Likelihood, Outcome, Site, Status};
use jiff::civil::Date;

/// An open forecast is "due soon" when its `resolves_by` is at most this many days after today.
pub const DUE_SOON_DAYS: i64 = 30;

/// Forecasts of one ICD 203 term and how those resolved `yes` or `no` came out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibration {
    pub term: Likelihood,
    /// Every question whose latest forecast states this term, whatever its status (a
    /// restated forecast counts once, at its current term).
    pub forecasts: usize,
    pub yes: usize,
    pub no: usize,
}

impl Calibration {
    /// The observed share of `yes` among forecasts resolved `yes` or `no`, if any were.
    pub fn observed(&self) -> Option<f64> {
        let n = self.yes + self.no;
        (n > 0).then(|| self.yes as f64 / n as f64)
    }
}

/// The ledger's derived numbers beyond [`super::ForecastSummary`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    /// One row per ICD 203 term, in scale order (terms nobody used have zero counts).
    pub calibration: Vec<Calibration>,
    /// Authors named on briefings with forecasts, by name.
    pub authors: Vec<AuthorScore>,
}

/// An entry of a timeline: a briefing (at its date) or a claim with a `date` (at that date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineItem {
    Briefing(BriefingIx),
    Claim(ClaimIx),
}

impl Site {
    /// The outcome a forecast is scored against: 1 for `yes`, 0 for `no`, else not scored.
    pub fn scored_outcome(&self, claim: ClaimIx) -> Option<f64> {
        match self.claim_facts[claim].status? {
            Status::Resolved(Outcome::Yes) => Some(1.0),
            Status::Resolved(Outcome::No) => Some(0.0),
            _ => None,
        }
    }

    /// Whether an open forecast falls due within [`DUE_SOON_DAYS`] of today.
    pub fn due_soon(&self, claim: ClaimIx) -> bool {
        if self.claim_facts[claim].superseded() {
            return false; // its question is due by its latest forecast
        }
        let limit = self.today.saturating_add(jiff::Span::new().days(DUE_SOON_DAYS));
        self.claim_facts[claim].status == Some(Status::Open)
            && self.claims[claim].resolves_by.is_some_and(|d| d <= limit)
    }

    /// Whether some denial disputes the claim.
    pub fn contested(&self, claim: ClaimIx) -> bool {
        !self.claim_facts[claim].disputed_by.is_empty()
    }

    pub(super) fn compute_ledger(&self) -> Ledger {
        let mut calibration: Vec<Calibration> =
            Likelihood::ALL.iter().map(|&term| Calibration { term, forecasts: 0, yes: 0, no: 0 }).collect();
        for q in &self.questions {
            let Some(term) = self.claims[q.latest()].likelihood else { continue };
            let row = &mut calibration[term as usize];
            row.forecasts += 1;
            match self.scored_outcome(q.latest()) {
                Some(o) if o > 0.5 => row.yes += 1,
                Some(_) => row.no += 1,
                None => {}
            }
        }
        Ledger { calibration, authors: self.author_scores() }
    }

    /// The calendar date an entry is filed under: a briefing's date, a claim's `date`, as
    /// written (a datetime's own offset, as pages show it).
    pub fn timeline_date(&self, item: TimelineItem) -> Option<Date> {
        let when = match item {
            TimelineItem::Briefing(b) => &self.briefings[b].date,
            TimelineItem::Claim(c) => self.claims[c].date.as_ref()?,
        };
        Some(when.text.get(..10).and_then(|d| d.parse().ok()).unwrap_or(when.date))
    }

    /// The briefings and the dated claims among `claims`, newest first: by date as written,
    /// then time, then a briefing before claims, then site order. Linear in the input, plus
    /// the sort.
    pub fn timeline(
        &self,
        briefings: impl IntoIterator<Item = BriefingIx>,
        claims: impl IntoIterator<Item = ClaimIx>,
    ) -> Vec<(Date, TimelineItem)> {
        let items = briefings
            .into_iter()
            .map(TimelineItem::Briefing)
            .chain(claims.into_iter().map(TimelineItem::Claim))
            .filter_map(|item| Some((self.timeline_date(item)?, item)));
        let mut out: Vec<(Date, TimelineItem)> = items.collect();
        let key = |item: &TimelineItem| match *item {
            TimelineItem::Briefing(b) => (std::cmp::Reverse(self.briefings[b].date.instant), 0, b),
            TimelineItem::Claim(c) => {
                let instant = self.claims[c].date.as_ref().map_or(0, |w| w.instant);
                (std::cmp::Reverse(instant), 1, c)
            }
        };
        out.sort_by(|(da, a), (db, b)| db.cmp(da).then_with(|| key(a).cmp(&key(b))));
        out
    }
}
