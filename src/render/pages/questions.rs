//! How judgments change, on the page: each claim's place in its chain (the question a forecast
//! belongs to, what it updated or was superseded by, what an assessment revised, its
//! alternatives), one page per question (`/forecasts/<briefing-id>/<claim-id>/`, with a step
//! chart of the probability over time), `/judgments/` (every chain of revisions, latest change
//! first) and a dossier's share of those judgments.
//!
//! The chains and scores come from the model (`Site::questions`, `Site::judgments`); this file
//! only arranges and draws them.

use crate::model::{ClaimIx, Outcome, Question, Site, Status, day_number};
use crate::render::state::{Renderer, when_view};
use crate::render::views::*;
use crate::render::{Dest, Done, markdown, urls};
use rayon::prelude::*;
use std::fmt::Write as _;

impl Renderer<'_> {
    /// Fills claim `c`'s view with its place in its chain: question, update and revision links,
    /// `change` and alternatives. Runs while the claim views are made, with the claim links.
    pub(in crate::render) fn chain_fields(&self, c: ClaimIx, view: &mut ClaimView) {
        let site = self.site;
        let claim = &site.claims[c];
        let facts = &site.claim_facts[c];
        view.question = facts.question.map(|q| {
            let question = &site.questions[q];
            Box::new(QuestionRef {
                id: site.claim_ref(question.first()),
                url: self.question_url(question),
                forecasts: question.forecasts.len(),
                position: question.forecasts.iter().position(|&f| f == c).map_or(1, |i| i + 1),
            })
        });
        view.updated_from = claim.updates.map(|u| Box::new(self.step_ref(u)));
        view.superseded_by = facts.updated_by.map(|u| Box::new(self.claim_links[u].clone()));
        view.revised_from = claim.revises.map(|r| Box::new(self.step_ref(r)));
        view.revised_by = facts.revised_by.map(|r| Box::new(self.claim_links[r].clone()));
        view.change_html = claim.change.as_deref().map(markdown::render_inline);
        view.judgment_url = facts.judgment.map(|j| self.judgment_url(site.judgments[j].steps[0]));
        view.alternatives = claim
            .alternatives
            .iter()
            .map(|a| AlternativeView {
                text_html: markdown::render_inline(&a.text),
                likelihood: a.likelihood.map(likelihood_view),
                probability: a.probability,
            })
            .collect();
    }

    fn step_ref(&self, c: ClaimIx) -> StepRef {
        let claim = &self.site.claims[c];
        StepRef {
            link: self.claim_links[c].clone(),
            likelihood: claim.likelihood.map(likelihood_view),
            probability: claim.probability,
            confidence: claim.confidence.map(|x| x.id().to_string()),
            date: when_view(&self.site.briefings[claim.briefing].date),
        }
    }

    fn question_url(&self, q: &Question) -> String {
        let first = &self.site.claims[q.first()];
        self.urls.link(&urls::question(&self.site.briefings[first.briefing].id, &first.id))
    }

    fn judgment_url(&self, first_step: ClaimIx) -> String {
        let claim = &self.site.claims[first_step];
        let anchor = urls::judgment_anchor(&self.site.briefings[claim.briefing].id, &claim.id);
        format!("{}#{anchor}", self.urls.link(&urls::judgments()))
    }

    fn history_step(&self, c: ClaimIx) -> HistoryStepView {
        let site = self.site;
        let claim = &site.claims[c];
        let briefing = &site.briefings[claim.briefing];
        HistoryStepView {
            link: self.claim_links[c].clone(),
            date: when_view(&briefing.date),
            authors: briefing.authors.clone(),
            likelihood: claim.likelihood.map(likelihood_view),
            probability: claim.probability,
            scoring_probability: site.claim_facts[c].status.and(site.scoring_probability(claim)),
            confidence: claim.confidence.map(|x| x.id().to_string()),
            change_html: claim.change.as_deref().map(markdown::render_inline),
        }
    }

    /// One page per question, at its first forecast's path.
    pub(super) fn question_pages(&self, dest: Dest) -> Vec<Done> {
        let site = self.site;
        site.questions
            .par_iter()
            .map(|q| {
                let first = &site.claims[q.first()];
                let path = urls::question(&site.briefings[first.briefing].id, &first.id);
                let latest = &self.claim_views[q.latest()];
                let view = QuestionView {
                    id: site.claim_ref(q.first()),
                    url: self.urls.link(&path),
                    latest: latest.clone(),
                    steps: q.forecasts.iter().map(|&f| self.history_step(f)).collect(),
                    status: q.status.id().to_string(),
                    brier: q.brier.map(|b| format!("{b:.3}")),
                    scored_days: scored_days(site, q),
                    chart_svg_html: step_chart(site, q),
                };
                let title = format!("Question: {}", latest.text);
                let description = match q.forecasts.len() {
                    1 => "A forecast, its status and its score.".to_string(),
                    n => format!(
                        "A forecast updated {} times: every estimate, its status and its time-averaged score.",
                        n - 1
                    ),
                };
                // Its own section, not the ledger's: a WebPage in JSON-LD about one question, where
                // the ledger's section makes a collection.
                let mut ctx = self.context(&path, &title, &description, "question");
                ctx.insert("question", view);
                self.page(dest, &path, "question.html", ctx)
            })
            .collect()
    }

    /// `/judgments/`: every judgment with more than one step, latest change first.
    pub(super) fn judgments_page(&self, dest: Dest) -> Done {
        let site = self.site;
        let all: Vec<usize> = (0..site.judgments.len()).collect();
        let views = self.judgment_views(&all);
        let claims: Vec<&Shared<ClaimView>> =
            site.judgments.iter().map(|j| &self.claim_views[j.steps[j.steps.len() - 1]]).collect();
        let about = crate::render::jsonld::Subject::Claims(&claims);
        let description =
            "Every assessment revised as evidence arrived: each step's likelihood, confidence, date and reason.";
        let mut ctx = self.context_about(&urls::judgments(), "Judgments", description, "judgments", about);
        ctx.insert("judgments", views);
        self.page(dest, &urls::judgments(), "judgments.html", ctx)
    }

    /// The judgments among `judgments` (indices), latest change first (then by first step).
    fn judgment_views(&self, judgments: &[usize]) -> Vec<JudgmentView> {
        let site = self.site;
        let mut order: Vec<usize> = judgments.to_vec();
        // Briefings are newest first: the smallest briefing index is the latest change.
        let key = |j: usize| {
            let steps = &site.judgments[j].steps;
            (site.claims[steps[steps.len() - 1]].briefing, steps[0])
        };
        order.sort_by_key(|&j| key(j));
        order
            .into_iter()
            .map(|j| {
                let steps = &site.judgments[j].steps;
                let first = &site.claims[steps[0]];
                let latest = steps[steps.len() - 1];
                JudgmentView {
                    anchor: urls::judgment_anchor(&site.briefings[first.briefing].id, &first.id),
                    url: self.judgment_url(steps[0]),
                    latest: self.claim_links[latest].clone(),
                    changed: when_view(&site.briefings[site.claims[latest].briefing].date),
                    steps: steps.iter().map(|&c| self.history_step(c)).collect(),
                }
            })
            .collect()
    }

    /// The judgments with a step among `involved` (an actor's claims), latest change first.
    pub(super) fn actor_judgments(&self, involved: &[ClaimIx]) -> Vec<JudgmentView> {
        let mut js: Vec<usize> = involved.iter().filter_map(|&c| self.site.claim_facts[c].judgment).collect();
        js.sort_unstable();
        js.dedup();
        self.judgment_views(&js)
    }
}

fn likelihood_view(l: crate::model::Likelihood) -> LikelihoodView {
    LikelihoodView { term: l.id().to_string(), label: l.label(), range: l.range_label() }
}

/// The days a scored question's score is averaged over: [d0, dr), or 0 when resolved on or
/// before its first day.
fn scored_days(site: &Site, q: &Question) -> i64 {
    let Some((steps, resolved, _)) = site.scoring_input(q) else { return 0 };
    (resolved - steps[0].day).max(0)
}

fn percent(p: f64) -> String {
    let pct = (p * 1000.0).round() / 10.0;
    if pct.fract() == 0.0 { format!("{pct:.0}%") } else { format!("{pct:.1}%") }
}

/// The `text-anchor` that keeps a short label at `x` inside [left, right]: it ends at `x` near
/// the right edge, starts there near the left, and is centred elsewhere.
fn anchor(x: f64, left: f64, right: f64) -> &'static str {
    const ROOM: f64 = 40.0;
    if x > right - ROOM {
        "end"
    } else if x < left + ROOM {
        "start"
    } else {
        "middle"
    }
}

fn display(d: jiff::civil::Date) -> String {
    d.strftime("%-d %B %Y").to_string()
}

/// The question's probability over time as a step chart: each forecast holds from its
/// briefing's day until the next, up to the resolution (marked, with the outcome) or, while
/// open, to the latest of the last forecast and `resolves_by` (marked, dashed). Numbers, dates
/// and fixed words only, so nothing to escape; the page's table is its text alternative too.
fn step_chart(site: &Site, q: &Question) -> String {
    const W: f64 = 640.0;
    const H: f64 = 240.0;
    const LEFT: f64 = 48.0;
    const RIGHT: f64 = 24.0;
    const TOP: f64 = 20.0;
    const BOTTOM: f64 = 44.0;
    let steps: Vec<(jiff::civil::Date, f64)> = q
        .forecasts
        .iter()
        .filter_map(|&f| {
            let claim = &site.claims[f];
            Some((site.briefings[claim.briefing].date.date, site.scoring_probability(claim)?))
        })
        .collect();
    let Some(&(first_day, _)) = steps.first() else { return String::new() };
    let resolved = q.resolution.map(|(b, _)| site.briefings[b].date.date);
    let due = site.claims[q.latest()].resolves_by;
    let last = steps.iter().map(|s| s.0).chain(resolved).chain(due).max().unwrap_or(first_day);
    let (d0, d1) = (day_number(first_day), day_number(last).max(day_number(first_day) + 1));
    let x = |d: jiff::civil::Date| LEFT + (W - LEFT - RIGHT) * ((day_number(d) - d0) as f64 / (d1 - d0) as f64);
    let y = |p: f64| TOP + (H - TOP - BOTTOM) * (1.0 - p);
    let end = resolved.unwrap_or(last).max(first_day);

    let mut desc = String::from("Probability over time:");
    for (i, (d, p)) in steps.iter().enumerate() {
        let _ = write!(desc, "{} {} from {}", if i == 0 { "" } else { ";" }, percent(*p), display(*d));
    }
    desc.push('.');
    if let Some(d) = due {
        let _ = write!(desc, " Resolves by {}.", display(d));
    }
    if let (Some(d), Status::Resolved(o)) = (resolved, q.status) {
        let _ = write!(desc, " Resolved {} on {}.", o.id(), display(d));
    }

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart chart--steps" viewBox="0 0 {W} {H}" role="img" aria-labelledby="question-chart-title question-chart-desc"><title id="question-chart-title">Probability over time</title><desc id="question-chart-desc">{desc}</desc>"#
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let ty = y(tick);
        let _ = write!(
            s,
            r#"<line class="chart__grid" x1="{LEFT}" y1="{ty:.1}" x2="{}" y2="{ty:.1}"/><text class="chart__tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - RIGHT,
            LEFT - 6.0,
            ty + 4.0,
            percent(tick)
        );
    }
    let axis_y = H - BOTTOM + 16.0;
    let _ = write!(
        s,
        r#"<text class="chart__tick" x="{LEFT}" y="{axis_y}">{}</text><text class="chart__tick" x="{}" y="{axis_y}" text-anchor="end">{}</text>"#,
        display(first_day),
        W - RIGHT,
        display(last.max(first_day))
    );
    if let Some(d) = due {
        let dx = x(d);
        let _ = write!(
            s,
            r#"<line class="chart__due" x1="{dx:.1}" y1="{TOP}" x2="{dx:.1}" y2="{}"/><text class="chart__tick" x="{dx:.1}" y="{}" text-anchor="{}">resolves by</text>"#,
            H - BOTTOM,
            TOP - 6.0,
            anchor(dx, LEFT, W - RIGHT)
        );
    }
    // The steps: horizontal while a forecast stands, vertical at each update.
    let mut path = String::new();
    for (i, (d, p)) in steps.iter().enumerate() {
        let (px, py) = (x(*d), y(*p));
        if i == 0 {
            let _ = write!(path, "M{px:.1} {py:.1}");
        } else {
            let _ = write!(path, " H{px:.1} V{py:.1}");
        }
    }
    let _ = write!(path, " H{:.1}", x(end));
    let _ = write!(s, r#"<path class="chart__step" d="{path}"/>"#);
    for (d, p) in &steps {
        let _ = write!(s, r#"<circle class="chart__dot" cx="{:.1}" cy="{:.1}" r="4"/>"#, x(*d), y(*p));
    }
    if let (Some(d), Status::Resolved(o)) = (resolved, q.status) {
        let rx = x(d);
        let _ = write!(
            s,
            r#"<line class="chart__resolution" x1="{rx:.1}" y1="{TOP}" x2="{rx:.1}" y2="{}"/><text class="chart__tick" x="{rx:.1}" y="{}" text-anchor="{}">resolved {}</text>"#,
            H - BOTTOM,
            H - 6.0,
            // Kept inside the view box at either end of the axis.
            anchor(rx, LEFT, W - RIGHT),
            o.id()
        );
        let outcome = match o {
            Outcome::Yes => Some(1.0),
            Outcome::No => Some(0.0),
            _ => None,
        };
        if let Some(v) = outcome {
            let _ = write!(
                s,
                r#"<rect class="chart__outcome" x="{:.1}" y="{:.1}" width="8" height="8"/>"#,
                rx - 4.0,
                y(v) - 4.0
            );
        }
    }
    s.push_str("</svg>");
    s
}
