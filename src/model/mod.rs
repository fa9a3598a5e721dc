//! The domain: briefings, actors, claims, forecasts and the relations between them.
//!
//! Everything here is already validated and resolved: references are indices, not ids. The
//! content layer builds a [`Site`] with [`Site::new`], which computes every derived fact once
//! (which briefings name an actor, roll-ups through `parent`, related actors, forecast status,
//! questions and judgments (chains of updates and revisions), the time-averaged Brier score
//! overall, per author and per likelihood term) exactly as docs/format.md defines them. No I/O,
//! no serde, no templates.

mod analysis;
pub mod countries;
pub mod mentions;
mod questions;
mod tags;
mod types;

pub use analysis::{DUE_SOON_DAYS, Ledger, TimelineItem};
pub use questions::{AuthorScore, Judgment, JudgmentIx, Question, QuestionIx, day_number};
pub use tags::{Tag, TagIx, tag_slug};
pub use types::*;

use jiff::civil::Date;
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<Date>,
    pub reliability: Option<char>,
}

#[derive(Debug, Clone)]
pub struct ClaimSource {
    /// Index into the briefing's `sources`.
    pub source: usize,
    pub credibility: Option<u8>,
}

#[derive(Debug, Clone)]
pub struct Claim {
    pub briefing: BriefingIx,
    /// The id within the briefing (`c1` or explicit).
    pub id: String,
    pub kind: TypeIx,
    pub text: String,
    pub quote: Option<String>,
    pub by: Option<ActorIx>,
    pub about: Vec<ActorIx>,
    pub date: Option<When>,
    pub sources: Vec<ClaimSource>,
    pub confidence: Option<Confidence>,
    pub likelihood: Option<Likelihood>,
    pub probability: Option<f64>,
    pub resolves_by: Option<Date>,
    pub condition: Option<ClaimIx>,
    pub disputes: Vec<ClaimIx>,
    pub supports: Vec<ClaimIx>,
    pub indicators: Vec<String>,
    /// The earlier forecast this one restates (`updates`).
    pub updates: Option<ClaimIx>,
    /// The earlier assessment this one replaces (`revises`).
    pub revises: Option<ClaimIx>,
    /// Why the estimate moved (inline Markdown).
    pub change: Option<String>,
    /// The competing explanations or outcomes the analyst weighed.
    pub alternatives: Vec<Alternative>,
}

/// An alternative to an assessment or forecast (`alternatives`).
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    pub text: String,
    pub likelihood: Option<Likelihood>,
    pub probability: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Resolution {
    pub claim: ClaimIx,
    pub outcome: Outcome,
    pub evidence: Vec<ClaimIx>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Briefing {
    pub id: String,
    /// Path relative to the site root, for diagnostics.
    pub path: String,
    pub title: String,
    pub date: When,
    pub updated: Option<When>,
    pub draft: bool,
    pub summary: Option<String>,
    pub authors: Vec<String>,
    pub key_takeaways: Vec<String>,
    /// Actors tagged in front matter (`actors`), in the order written.
    pub tagged: Vec<ActorIx>,
    /// Tags as written; `Site::briefing_tags` has them as tags of the site.
    pub tags: Vec<String>,
    pub sources: Vec<Source>,
    /// The briefing's claims, in the order written.
    pub claims: Vec<ClaimIx>,
    pub resolutions: Vec<Resolution>,
    /// Markdown body, shared with the parsed file it came from.
    pub body: Arc<str>,
    /// File line of the body's first line, to report body problems at file lines.
    pub body_line: usize,
    /// The body's link and image destinations.
    pub links: BodyLinks,
}

#[derive(Debug, Clone)]
pub struct Relation {
    pub kind: RelationKind,
    pub target: ActorIx,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub path: String,
    pub name: String,
    pub kind: ActorKind,
    pub aliases: Vec<String>,
    pub parent: Option<ActorIx>,
    pub country: Option<String>,
    pub wikidata: Option<String>,
    pub relations: Vec<Relation>,
    /// Markdown body, shared with the parsed file it came from.
    pub description: Arc<str>,
    pub body_line: usize,
    /// The description's link and image destinations.
    pub links: BodyLinks,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub path: String,
    pub title: String,
    pub body: Arc<str>,
    pub body_line: usize,
    /// The body's link and image destinations.
    pub links: BodyLinks,
}

/// The link and image destinations of a Markdown body, each with the byte range of its link:
/// found once when the model is built, then checked by content validation (`@/` links) and
/// after rendering (links into the built site).
pub type BodyLinks = Vec<(std::ops::Range<usize>, String)>;

/// Per-actor facts derived from the briefings.
#[derive(Debug, Clone, Default)]
pub struct ActorFacts {
    /// Briefings that tag the actor or name it in a claim (`by`/`about`), newest first.
    pub briefings: Vec<BriefingIx>,
    /// Claims by the actor or a descendant, in site claim order.
    pub claims_by: Vec<ClaimIx>,
    /// Claims about the actor or a descendant, in site claim order.
    pub claims_about: Vec<ClaimIx>,
    /// Co-occurring actors with weights: weight descending, then id ascending.
    pub related: Vec<(ActorIx, usize)>,
    pub children: Vec<ActorIx>,
}

/// Per-claim facts derived from the whole site.
#[derive(Debug, Clone, Default)]
pub struct ClaimFacts {
    pub disputed_by: Vec<ClaimIx>,
    pub supported_by: Vec<ClaimIx>,
    /// The briefing and the index of its resolution that resolves this forecast.
    pub resolution: Option<(BriefingIx, usize)>,
    pub status: Option<Status>,
    /// The later forecast that restates this one (its `updates` names this claim).
    pub updated_by: Option<ClaimIx>,
    /// The later assessment that replaces this one.
    pub revised_by: Option<ClaimIx>,
    /// Forecasts only: the question the forecast belongs to.
    pub question: Option<QuestionIx>,
    /// Assessments in a judgment of more than one step: that judgment.
    pub judgment: Option<JudgmentIx>,
}

impl ClaimFacts {
    /// A forecast restated by a later one: it shows its question's status and is superseded.
    pub fn superseded(&self) -> bool {
        self.updated_by.is_some()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ForecastSummary {
    /// Forecasts (every forecast of every question).
    pub total: usize,
    /// Questions (chains of updates; a forecast nobody updates is a question of its own).
    pub questions: usize,
    pub resolved: usize,
    pub scored: usize,
    pub open: usize,
    pub overdue: usize,
    /// The mean time-averaged Brier score over scored questions.
    pub brier: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub claim_types: Vec<ClaimType>,
    /// Newest first, ties by id.
    pub briefings: Vec<Briefing>,
    /// Sorted by id.
    pub actors: Vec<Actor>,
    /// Claims grouped by briefing in briefing order, each briefing's in written order.
    pub claims: Vec<Claim>,
    /// Sorted by id.
    pub pages: Vec<Page>,
    pub today: Date,
    /// Per briefing: tagged actors plus every actor named in its claims, sorted by id.
    pub briefing_actors: Vec<Vec<ActorIx>>,
    pub actor_facts: Vec<ActorFacts>,
    pub claim_facts: Vec<ClaimFacts>,
    pub forecasts: ForecastSummary,
    /// Chains of forecast updates, sorted by id (the first forecast's ref).
    pub questions: Vec<Question>,
    /// Chains of assessment revisions with more than one step, by their first assessment.
    pub judgments: Vec<Judgment>,
    /// Brier per author and calibration per likelihood term.
    pub ledger: Ledger,
    /// Every tag, one per slug, sorted by slug.
    pub tags: Vec<Tag>,
    /// Per briefing: its tags in the order written, each once.
    pub briefing_tags: Vec<Vec<TagIx>>,
}

/// The input of [`Site::new`]: validated and resolved content, in any order.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    pub claim_types: Vec<ClaimType>,
    pub briefings: Vec<Briefing>,
    pub actors: Vec<Actor>,
    pub claims: Vec<Claim>,
    pub pages: Vec<Page>,
}

impl Site {
    /// Builds the site and computes every derived fact.
    ///
    /// `parts` must already be ordered as [`Site`] documents (the content layer sorts before it
    /// resolves ids to indices) and every index must be in range.
    pub fn new(parts: Parts, today: Date) -> Site {
        let Parts { claim_types, briefings, actors, claims, pages } = parts;
        let mut site = Site {
            claim_types,
            briefings,
            actors,
            claims,
            pages,
            today,
            briefing_actors: Vec::new(),
            actor_facts: Vec::new(),
            claim_facts: Vec::new(),
            forecasts: ForecastSummary::default(),
            questions: Vec::new(),
            judgments: Vec::new(),
            ledger: Ledger::default(),
            tags: Vec::new(),
            briefing_tags: Vec::new(),
        };
        site.briefing_actors = site.compute_briefing_actors();
        site.actor_facts = site.compute_actor_facts();
        site.claim_facts = site.compute_claim_facts();
        site.compute_chains();
        site.forecasts = site.compute_forecast_summary();
        site.ledger = site.compute_ledger();
        (site.tags, site.briefing_tags) = tags::collect(&site.briefings);
        site
    }

    pub fn claim_type(&self, claim: &Claim) -> &ClaimType {
        &self.claim_types[claim.kind]
    }

    pub fn builtin(&self, claim: &Claim) -> Option<BuiltinType> {
        self.claim_types[claim.kind].builtin
    }

    pub fn is_forecast(&self, claim: ClaimIx) -> bool {
        self.builtin(&self.claims[claim]) == Some(BuiltinType::Forecast)
    }

    /// `<briefing-id>#<claim-id>`.
    pub fn claim_ref(&self, claim: ClaimIx) -> String {
        let c = &self.claims[claim];
        format!("{}#{}", self.briefings[c.briefing].id, c.id)
    }

    /// The actor and its ancestors through `parent`, nearest first.
    pub fn ancestors_and_self(&self, actor: ActorIx) -> Vec<ActorIx> {
        let mut out = vec![actor];
        let mut cur = actor;
        while let Some(p) = self.actors[cur].parent {
            if out.contains(&p) {
                break; // cycles are rejected at load; never loop here
            }
            out.push(p);
            cur = p;
        }
        out
    }

    fn compute_briefing_actors(&self) -> Vec<Vec<ActorIx>> {
        self.briefings
            .iter()
            .map(|b| {
                let mut set: BTreeSet<&str> = BTreeSet::new();
                let mut ixs: Vec<ActorIx> = Vec::new();
                let named = b.claims.iter().flat_map(|&c| {
                    let claim = &self.claims[c];
                    claim.by.into_iter().chain(claim.about.iter().copied())
                });
                for a in b.tagged.iter().copied().chain(named) {
                    if set.insert(self.actors[a].id.as_str()) {
                        ixs.push(a);
                    }
                }
                ixs.sort_by(|&x, &y| self.actors[x].id.cmp(&self.actors[y].id));
                ixs
            })
            .collect()
    }

    fn compute_actor_facts(&self) -> Vec<ActorFacts> {
        let n = self.actors.len();
        let mut facts = vec![ActorFacts::default(); n];
        for (b, actors) in self.briefing_actors.iter().enumerate() {
            for &a in actors {
                facts[a].briefings.push(b); // briefings are already newest first
            }
        }
        for (c, claim) in self.claims.iter().enumerate() {
            if let Some(by) = claim.by {
                for a in self.ancestors_and_self(by) {
                    push_unique(&mut facts[a].claims_by, c);
                }
            }
            for &about in &claim.about {
                for a in self.ancestors_and_self(about) {
                    push_unique(&mut facts[a].claims_about, c);
                }
            }
        }
        // Every ordered pair of actors in one briefing, once per briefing: sorted, each run of
        // equal pairs is one related actor and its weight.
        let mut pairs: Vec<(ActorIx, ActorIx)> = Vec::new();
        for actors in &self.briefing_actors {
            for &a in actors {
                pairs.extend(actors.iter().filter(|&&b| b != a).map(|&b| (a, b)));
            }
        }
        pairs.sort_unstable();
        for run in pairs.chunk_by(|x, y| x == y) {
            let (a, b) = run[0];
            facts[a].related.push((b, run.len()));
        }
        for f in &mut facts {
            // Actors are sorted by id, so index order is id order.
            f.related.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        }
        for (a, actor) in self.actors.iter().enumerate() {
            if let Some(p) = actor.parent {
                facts[p].children.push(a);
            }
        }
        facts
    }

    fn compute_claim_facts(&self) -> Vec<ClaimFacts> {
        let mut facts = vec![ClaimFacts::default(); self.claims.len()];
        for (c, claim) in self.claims.iter().enumerate() {
            for &d in &claim.disputes {
                push_unique(&mut facts[d].disputed_by, c);
            }
            for &s in &claim.supports {
                push_unique(&mut facts[s].supported_by, c);
            }
        }
        for (b, briefing) in self.briefings.iter().enumerate() {
            for (r, res) in briefing.resolutions.iter().enumerate() {
                facts[res.claim].resolution = Some((b, r));
            }
        }
        for (c, claim) in self.claims.iter().enumerate() {
            if let Some(u) = claim.updates {
                facts[u].updated_by = Some(c);
            }
            if let Some(r) = claim.revises {
                facts[r].revised_by = Some(c);
            }
        }
        facts
    }

    /// The probability used for scoring: `probability` if given, else the term's point value.
    pub fn scoring_probability(&self, claim: &Claim) -> Option<f64> {
        claim.probability.or(claim.likelihood.map(Likelihood::point))
    }

    /// Questions and judgments, and what they decide for each claim: a forecast's question and
    /// status (its question's), a resolution shown on every forecast of the question it
    /// resolves, a question's score.
    fn compute_chains(&mut self) {
        let mut questions = self.compute_questions();
        let mut question_of = vec![None; self.claims.len()];
        for (q, question) in questions.iter().enumerate() {
            for &f in &question.forecasts {
                question_of[f] = Some(q);
            }
        }
        let statuses = self.question_statuses(&questions, &question_of);
        for (q, status) in questions.iter_mut().zip(statuses) {
            q.status = status;
        }
        for (q, question) in questions.iter().enumerate() {
            for &f in &question.forecasts {
                let facts = &mut self.claim_facts[f];
                facts.question = Some(q);
                facts.status = Some(question.status);
                facts.resolution = question.resolution;
            }
        }
        for q in &mut questions {
            q.brier = self.question_brier(q);
        }
        self.questions = questions;
        self.judgments = self.compute_judgments();
        for (j, judgment) in self.judgments.iter().enumerate() {
            for &c in &judgment.steps {
                self.claim_facts[c].judgment = Some(j);
            }
        }
    }

    /// The question of a forecast.
    pub fn question_of(&self, claim: ClaimIx) -> Option<&Question> {
        self.claim_facts[claim].question.map(|q| &self.questions[q])
    }

    /// A question's id: its first forecast's ref.
    pub fn question_id(&self, q: QuestionIx) -> String {
        self.claim_ref(self.questions[q].first())
    }

    fn compute_forecast_summary(&self) -> ForecastSummary {
        let mut s = ForecastSummary { questions: self.questions.len(), ..ForecastSummary::default() };
        for f in &self.claim_facts {
            let Some(status) = f.status else { continue };
            s.total += 1;
            match status {
                Status::Open => s.open += 1,
                Status::Overdue => s.overdue += 1,
                Status::Resolved(outcome) => {
                    s.resolved += 1;
                    if matches!(outcome, Outcome::Yes | Outcome::No) {
                        s.scored += 1;
                    }
                }
            }
        }
        let scores: Vec<f64> = self.questions.iter().filter_map(|q| q.brier).collect();
        s.brier = (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
        s
    }
}

/// Pushes `x` unless it was the last pushed: callers push in increasing order, so this is
/// enough to keep lists free of repeats without a quadratic scan.
fn push_unique(v: &mut Vec<usize>, x: usize) {
    if v.last() != Some(&x) {
        v.push(x);
    }
}
