//! How judgments change: questions (chains of forecast `updates`), judgments (chains of
//! assessment `revises`), and the time-averaged Brier score of a question, overall and per
//! author, as docs/format.md defines them ("v2: how judgments change").
//!
//! Chains are built once in [`super::Site::new`] from links the content layer has validated
//! (each claim updated or revised at most once, no cycles, never forward in time), so every
//! chain here is a simple path, oldest first.

use super::{BriefingIx, ClaimIx, Outcome, Site, Status};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// Index of a question in [`Site::questions`] (sorted by id).
pub type QuestionIx = usize;
/// Index of a judgment in [`Site::judgments`].
pub type JudgmentIx = usize;

/// A chain of forecasts, each updating the one before: one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Oldest first; the first forecast's ref is the question's id, the last is its current
    /// wording, likelihood, probability and `resolves_by`.
    pub forecasts: Vec<ClaimIx>,
    /// The briefing and index of the resolution that resolves the question (through any of its
    /// forecasts).
    pub resolution: Option<(BriefingIx, usize)>,
    pub status: Status,
    /// The time-averaged Brier score, for a question resolved `yes` or `no`.
    pub brier: Option<f64>,
}

impl Question {
    pub fn first(&self) -> ClaimIx {
        self.forecasts[0]
    }

    pub fn latest(&self) -> ClaimIx {
        self.forecasts[self.forecasts.len() - 1]
    }
}

/// A chain of assessments, each revising the one before, with more than one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgment {
    /// Oldest first.
    pub steps: Vec<ClaimIx>,
}

/// One forecast of a question, as scoring sees it: the day of its briefing and its probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Days since 1970-01-01 of the briefing's (UTC) date.
    pub day: i64,
    pub p: f64,
}

/// Days since 1970-01-01.
pub fn day_number(d: Date) -> i64 {
    // Civil dates are always in range for a UTC conversion; fall back to 0 rather than panic.
    d.to_zoned(jiff::tz::TimeZone::UTC).map_or(0, |z| z.timestamp().as_second().div_euclid(86_400))
}

/// The time-averaged squared error of a question's forecasts `steps` (oldest first, days not
/// decreasing) against outcome `o`, resolved on day `resolved`, counting only the days whose
/// standing forecast `i` passes `keep(i)`; `None` when no day counts.
///
/// For each day d in [d0, dr), the standing forecast is the latest one dated on or before d;
/// the score is the mean of (p_d - o)^2 over those days. If dr <= d0, it is (p - o)^2 of the
/// latest forecast dated on or before dr, or on d0 when the question was resolved before it
/// was asked (so that a lone forecast always scores as v1 did). Computed per run of days with
/// one standing forecast, not day by day.
pub fn time_averaged(steps: &[Step], resolved: i64, o: f64, keep: impl Fn(usize) -> bool) -> Option<f64> {
    let d0 = steps.first()?.day;
    let err = |i: usize| (steps[i].p - o) * (steps[i].p - o);
    if resolved <= d0 {
        let i = steps.iter().rposition(|s| s.day <= d0)?;
        return keep(i).then(|| err(i));
    }
    let (mut sum, mut days) = (0.0, 0i64);
    for i in 0..steps.len() {
        let start = steps[i].day.min(resolved);
        let end = steps.get(i + 1).map_or(resolved, |n| n.day).min(resolved);
        if end > start && keep(i) {
            sum += (end - start) as f64 * err(i);
            days += end - start;
        }
    }
    (days > 0).then(|| sum / days as f64)
}

/// One author's share of the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorScore {
    pub name: String,
    /// Forecasts of the briefings they wrote or co-wrote.
    pub forecasts: usize,
    /// Scored questions on which a forecast of theirs stood for at least one day.
    pub scored: usize,
    /// The mean of their time-averaged scores over those questions.
    pub brier: Option<f64>,
}

impl Site {
    /// Each chain of `next` links (`updated_by`, `revised_by`) from a claim that `is_start`,
    /// oldest first.
    fn chains(
        &self,
        is_start: impl Fn(ClaimIx) -> bool,
        next: impl Fn(ClaimIx) -> Option<ClaimIx>,
    ) -> Vec<Vec<ClaimIx>> {
        let mut out = Vec::new();
        for c in (0..self.claims.len()).filter(|&c| is_start(c)) {
            let mut chain = vec![c];
            let mut cur = c;
            // Validation rules out cycles; the length bound keeps a bad model from looping.
            while let Some(n) = next(cur).filter(|_| chain.len() <= self.claims.len()) {
                chain.push(n);
                cur = n;
            }
            out.push(chain);
        }
        out
    }

    /// Every question, sorted by id (its first forecast's ref), with its resolution and status
    /// but not yet its score. Needs `claim_facts` with `updated_by` and each forecast's own
    /// resolution.
    pub(super) fn compute_questions(&self) -> Vec<Question> {
        let facts = &self.claim_facts;
        let chains = self.chains(|c| self.is_forecast(c) && self.claims[c].updates.is_none(), |c| facts[c].updated_by);
        let mut questions: Vec<(String, Question)> = chains
            .into_iter()
            .map(|forecasts| {
                let resolution = forecasts.iter().find_map(|&f| facts[f].resolution);
                let q = Question { forecasts, resolution, status: Status::Open, brier: None };
                (self.claim_ref(q.first()), q)
            })
            .collect();
        questions.sort_by(|a, b| a.0.cmp(&b.0));
        questions.into_iter().map(|(_, q)| q).collect()
    }

    /// The questions' statuses: resolved by their resolution, else annulled when the latest
    /// forecast's condition (a question, through any of its forecasts) resolved `no`, else open
    /// or overdue by the latest forecast's `resolves_by`. `question_of` maps forecasts to
    /// questions.
    pub(super) fn question_statuses(&self, questions: &[Question], question_of: &[Option<QuestionIx>]) -> Vec<Status> {
        let outcome = |q: &Question| q.resolution.map(|(b, r)| self.briefings[b].resolutions[r].outcome);
        questions
            .iter()
            .map(|q| {
                let latest = &self.claims[q.latest()];
                let condition = latest.condition.and_then(|c| question_of[c]).and_then(|cq| outcome(&questions[cq]));
                if condition == Some(Outcome::No) {
                    Status::Resolved(Outcome::Annulled)
                } else if let Some(o) = outcome(q) {
                    Status::Resolved(o)
                } else if latest.resolves_by.is_some_and(|d| d < self.today) {
                    Status::Overdue
                } else {
                    Status::Open
                }
            })
            .collect()
    }

    /// Every judgment with more than one step, in the order of their first assessment.
    pub(super) fn compute_judgments(&self) -> Vec<Judgment> {
        let facts = &self.claim_facts;
        self.chains(|c| self.claims[c].revises.is_none() && facts[c].revised_by.is_some(), |c| facts[c].revised_by)
            .into_iter()
            .map(|steps| Judgment { steps })
            .collect()
    }

    /// The scoring steps of question `q` and its outcome and resolution day, when it is
    /// resolved `yes` or `no`.
    pub fn scoring_input(&self, q: &Question) -> Option<(Vec<Step>, i64, f64)> {
        let o = match q.status {
            Status::Resolved(Outcome::Yes) => 1.0,
            Status::Resolved(Outcome::No) => 0.0,
            _ => return None,
        };
        let (rb, _) = q.resolution?;
        let steps = q
            .forecasts
            .iter()
            .map(|&f| {
                let claim = &self.claims[f];
                let p = self.scoring_probability(claim)?;
                Some(Step { day: day_number(self.briefings[claim.briefing].date.date), p })
            })
            .collect::<Option<Vec<Step>>>()?;
        Some((steps, day_number(self.briefings[rb].date.date), o))
    }

    /// A question's time-averaged Brier score, if it is scored.
    pub(super) fn question_brier(&self, q: &Question) -> Option<f64> {
        let (steps, resolved, o) = self.scoring_input(q)?;
        time_averaged(&steps, resolved, o, |_| true)
    }

    /// Per author (by name): their forecasts, and their time-averaged score over the days on
    /// which the standing forecast came from a briefing listing them, averaged over the
    /// questions where they have such a day.
    pub(super) fn author_scores(&self) -> Vec<AuthorScore> {
        let authors_of = |c: ClaimIx| {
            // An author listed twice on one briefing still counts once.
            let mut names: Vec<&str> =
                self.briefings[self.claims[c].briefing].authors.iter().map(String::as_str).collect();
            names.sort_unstable();
            names.dedup();
            names
        };
        // name -> (forecasts, scored questions, sum of question scores)
        let mut by_name: BTreeMap<&str, (usize, usize, f64)> = BTreeMap::new();
        for q in &self.questions {
            for &f in &q.forecasts {
                for name in authors_of(f) {
                    by_name.entry(name).or_default().0 += 1;
                }
            }
            let Some((steps, resolved, o)) = self.scoring_input(q) else { continue };
            let mut names: Vec<&str> = q.forecasts.iter().flat_map(|&f| authors_of(f)).collect();
            names.sort_unstable();
            names.dedup();
            for name in names {
                let keep = |i: usize| authors_of(q.forecasts[i]).contains(&name);
                if let Some(score) = time_averaged(&steps, resolved, o, keep) {
                    let entry = by_name.entry(name).or_default();
                    entry.1 += 1;
                    entry.2 += score;
                }
            }
        }
        by_name
            .into_iter()
            .map(|(name, (forecasts, scored, sum))| AuthorScore {
                name: name.to_string(),
                forecasts,
                scored,
                brier: (scored > 0).then(|| sum / scored as f64),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The contract, day by day, as written: the reference the fast version must equal.
    fn naive(steps: &[Step], dr: i64, o: f64, keep: impl Fn(usize) -> bool) -> Option<f64> {
        let d0 = steps[0].day;
        if dr <= d0 {
            let i = steps.iter().rposition(|s| s.day <= dr).unwrap_or_else(|| {
                // Resolved before it was asked: the standing forecast of its first day.
                steps.iter().rposition(|s| s.day <= d0).expect("the first is on d0")
            });
            return keep(i).then(|| (steps[i].p - o).powi(2));
        }
        let mut errors = Vec::new();
        for d in d0..dr {
            let i = steps.iter().rposition(|s| s.day <= d).expect("d >= d0");
            if keep(i) {
                errors.push((steps[i].p - o).powi(2));
            }
        }
        (!errors.is_empty()).then(|| errors.iter().sum::<f64>() / errors.len() as f64)
    }

    /// A chain of 1..6 forecasts on non-decreasing days (same-day restatements included), a
    /// resolution day that may fall before, on or after them, and an outcome.
    fn question() -> impl Strategy<Value = (Vec<Step>, i64, f64)> {
        (prop::collection::vec((0i64..40, 0.0f64..=1.0), 1..6), -5i64..80, any::<bool>()).prop_map(|(raw, dr, yes)| {
            let mut day = 100;
            let steps = raw
                .into_iter()
                .enumerate()
                .map(|(i, (gap, p))| {
                    if i > 0 {
                        day += gap / 3; // often 0: same-day updates
                    }
                    Step { day, p }
                })
                .collect();
            (steps, 100 + dr, if yes { 1.0 } else { 0.0 })
        })
    }

    fn close(a: Option<f64>, b: Option<f64>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-12,
            (None, None) => true,
            _ => false,
        }
    }

    proptest! {
        #[test]
        fn equals_the_day_by_day_definition((steps, dr, o) in question(), mask in any::<u8>()) {
            prop_assert!(close(time_averaged(&steps, dr, o, |_| true), naive(&steps, dr, o, |_| true)));
            // An author's share: the days of some of the forecasts only.
            let keep = |i: usize| mask & (1 << i) != 0;
            prop_assert!(close(time_averaged(&steps, dr, o, keep), naive(&steps, dr, o, keep)));
        }

        #[test]
        fn a_lone_forecast_scores_as_in_v1(day in 0i64..1000, dr in 0i64..1000, p in 0.0f64..=1.0, yes: bool) {
            let o = if yes { 1.0 } else { 0.0 };
            let score = time_averaged(&[Step { day, p }], dr, o, |_| true);
            prop_assert!(close(score, Some((p - o) * (p - o))));
        }

        #[test]
        fn scores_lie_in_zero_to_one((steps, dr, o) in question()) {
            let score = time_averaged(&steps, dr, o, |_| true).expect("every question has a day");
            prop_assert!((0.0..=1.0).contains(&score), "{score}");
        }

        #[test]
        fn an_update_toward_the_outcome_never_worsens_the_score(
            (steps, dr, o) in question(),
            after in 0i64..30,
            toward in 0.0f64..=1.0,
        ) {
            let last = *steps.last().expect("one at least");
            // A new forecast, dated on or after the last, whose p is closer to the outcome.
            let p = last.p + (o - last.p) * toward;
            let mut updated = steps.clone();
            updated.push(Step { day: last.day + after, p });
            let before = time_averaged(&steps, dr, o, |_| true).expect("scored");
            let now = time_averaged(&updated, dr, o, |_| true).expect("scored");
            prop_assert!(now <= before + 1e-12, "{before} -> {now}");
        }
    }

    #[test]
    fn an_update_halfway_counts_by_days() {
        // 0.7 for 10 days, then 0.9 for 30 days, resolved yes:
        // (10 * 0.09 + 30 * 0.01) / 40 = 1.2 / 40 = 0.03.
        let steps = [Step { day: 0, p: 0.7 }, Step { day: 10, p: 0.9 }];
        assert!(close(time_averaged(&steps, 40, 1.0, |_| true), Some(0.03)));
        // Only the first forecast's days: 0.09.
        assert!(close(time_averaged(&steps, 40, 1.0, |i| i == 0), Some(0.09)));
    }
}
