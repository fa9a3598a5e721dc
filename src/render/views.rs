//! Views: the only `Serialize` types, built from the model for templates and `data.json`.
//!
//! Templates never see the domain types. Each view is a flat, already-decided picture of one
//! thing: URLs are complete paths under the site's base path, dates are both machine
//! (`2024-10-24`) and human (`24 October 2024`) strings, Markdown is already HTML (`*_html`
//! fields, marked safe by the templates). docs/templates.md documents these fields for theme
//! authors; keep the two in step.

use serde::{Serialize, Serializer};
use std::sync::Arc;

/// HTML rendered once from a partial (a claim card, a claim row) and shared by every page that
/// lists it; templates print it with `| safe`. Pages built from fragments are cheap: the
/// template concatenates strings instead of rendering each claim again.
///
/// Its compact form (what a serializer that is not human-readable gets: the page cache's
/// `KeyHasher`, and only it) is its key, not its HTML, so a page key costs 8 bytes a fragment.
#[derive(Debug, Clone)]
pub struct Fragment {
    /// The HTML, as a safe (never escaped) template string: cloning it shares the text.
    pub html: tera::Value,
    /// A hash of the view the fragment was rendered from, its template and the theme (0 when
    /// not caching).
    pub key: u64,
}

impl Fragment {
    pub fn new(html: &str, key: u64) -> Fragment {
        Fragment { html: tera::Value::safe_string(html), key }
    }
}

impl Serialize for Fragment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Into a Tera value, the shared text passes through as it is (no copy).
        if s.is_human_readable() { self.html.serialize(s) } else { s.serialize_u64(self.key) }
    }
}

/// A view shared by many pages (a claim, a briefing card), or by a page's context and its
/// JSON-LD: cloning it counts a reference instead of copying every string of the view. It
/// serializes as the view.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Shared<T> {
    pub fn new(view: T) -> Shared<T> {
        Shared(Arc::new(view))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Shared<T> {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// A claim on its briefing's page: its shared view and, when the claim's fragments were just
/// rendered from it, the view as a Tera value. Into the page's context that value passes as it
/// is, so the view is converted once for its fragments and its page together. Its compact form
/// (a page key's) is the view's key, or the view where the render makes no keys, however the
/// page gets its value.
#[derive(Debug, Clone)]
pub struct PageClaim {
    pub view: Shared<ClaimView>,
    pub value: Option<tera::Value>,
    /// The view's key, when the render makes keys: it stands for the view in a page key, so
    /// a view is hashed once a render, not once for each page and group that shows it.
    pub key: Option<u64>,
}

impl std::ops::Deref for PageClaim {
    type Target = ClaimView;

    fn deref(&self) -> &ClaimView {
        &self.view
    }
}

impl Serialize for PageClaim {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (&self.value, self.key) {
            (Some(value), _) if s.is_human_readable() => value.serialize(s),
            (_, Some(key)) if !s.is_human_readable() => s.serialize_u64(key),
            _ => self.view.serialize(s),
        }
    }
}

/// Site-wide values, available to every template as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    /// Absolute base URL, ending in `/`.
    pub base_url: String,
    /// Scheme and host of `base_url` (`https://example.org`), without a trailing `/`: the
    /// absolute form of any URL path in these views is `origin` + path (for metadata).
    pub origin: String,
    /// The URL path every link starts with: `/` or e.g. `/reports/`.
    pub root: String,
    pub language: String,
    pub generator: String,
    /// Claim types in display order, with their page URL and number of claims.
    pub claim_types: Vec<ClaimTypeView>,
    /// Plain pages (`content/pages`), for navigation.
    pub pages: Vec<LinkView>,
    pub feed_url: String,
    pub data_url: String,
    pub home_url: String,
    pub briefings_url: String,
    pub actors_url: String,
    pub forecasts_url: String,
    pub judgments_url: String,
    pub disputes_url: String,
    pub timeline_url: String,
    pub search_url: String,
    pub graph_url: String,
    pub tags_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimTypeView {
    pub id: String,
    pub label: String,
    pub description: String,
    pub url: String,
    pub count: usize,
}

/// A date as the machine and the reader want it.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2024-10-24` (or the RFC 3339 datetime as written).
    pub iso: String,
    /// `24 October 2024`.
    pub display: String,
}

/// An actor where a view names one. Made once per actor ([`ActorRef::new`]) and shared by
/// every view that names it (a clone counts a reference), with its Tera value made beside it:
/// views name actors hundreds of thousands of times on a large site, and each of those would
/// otherwise be four strings copied and a Tera value rebuilt. Its compact form (a page key's)
/// is its fields in their fixed order, since a Tera map's order is not fixed.
#[derive(Debug, Clone)]
pub struct ActorRef(Arc<ActorData>);

/// What an [`ActorRef`] names; read through the reference (`actor.name`).
#[derive(Debug)]
pub struct ActorData {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub url: String,
    value: tera::Value,
}

impl std::ops::Deref for ActorRef {
    type Target = ActorData;

    fn deref(&self) -> &ActorData {
        &self.0
    }
}

#[derive(Serialize)]
struct ActorFields<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    url: &'a str,
}

impl ActorRef {
    pub fn new(id: String, name: String, kind: String, url: String) -> ActorRef {
        let value = tera::Value::from_serializable(&ActorFields { id: &id, name: &name, kind: &kind, url: &url });
        ActorRef(Arc::new(ActorData { id, name, kind, url, value }))
    }

    fn fields(&self) -> ActorFields<'_> {
        ActorFields { id: &self.id, name: &self.name, kind: &self.kind, url: &self.url }
    }
}

impl Serialize for ActorRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Into a Tera value, the value made beforehand passes through as it is.
        if s.is_human_readable() { self.value.serialize(s) } else { self.fields().serialize(s) }
    }
}

/// A briefing as it appears in lists.
#[derive(Debug, Clone, Serialize)]
pub struct BriefingCard {
    pub id: String,
    pub title: String,
    pub url: String,
    pub date: DateView,
    pub summary: String,
    pub authors: Vec<String>,
    pub actors: Vec<ActorRef>,
    /// Tags as written, for metadata.
    pub tags: Vec<String>,
    /// The briefing's tags as the site names them, each with its page.
    pub tag_links: Vec<LinkView>,
    pub claim_count: usize,
    pub draft: bool,
}

/// A short reference to a claim, for dispute/support/condition links.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimLink {
    /// `<briefing-id>#<claim-id>`.
    pub id: String,
    pub url: String,
    /// Type id (`denial`) and label (`Denial`).
    pub r#type: String,
    pub type_label: String,
    /// The claim's text as HTML (inline Markdown rendered), shared with its view.
    pub text_html: std::sync::Arc<str>,
    pub briefing_title: String,
    /// Whether some denial disputes this claim.
    pub contested: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LikelihoodView {
    /// `very-likely`.
    pub term: String,
    /// `very likely`.
    pub label: String,
    /// `80–95%`.
    pub range: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimSourceView {
    pub id: String,
    pub title: String,
    /// Admiralty grade such as `B2`, `B` or `2`; empty when neither part is known.
    pub grade: String,
    /// Link to the source entry on the briefing page.
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResolutionRef {
    pub outcome: String,
    pub note: String,
    pub briefing_title: String,
    pub url: String,
    pub date: DateView,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    /// Local id within the briefing (`c1`, `nis-estimate`).
    pub id: String,
    /// `<briefing-id>#<claim-id>`.
    pub global_id: String,
    /// Fragment id on the briefing page (`claim-c1`).
    pub anchor: String,
    /// The briefing's URL with the anchor.
    pub url: String,
    /// Type id (`forecast`) and label (`Forecast`).
    pub r#type: String,
    pub type_label: String,
    pub text_html: std::sync::Arc<str>,
    /// The claim's text as plain text, Markdown removed (for metadata).
    pub text: std::sync::Arc<str>,
    pub quote: Option<String>,
    pub by: Option<ActorRef>,
    pub about: Vec<ActorRef>,
    pub date: Option<DateView>,
    pub sources: Vec<ClaimSourceView>,
    pub confidence: Option<String>,
    pub likelihood: Option<LikelihoodView>,
    /// The probability as written, or `None`.
    pub probability: Option<f64>,
    pub resolves_by: Option<DateView>,
    /// Forecasts only: `open`, `overdue`, `yes`, `no`, `ambiguous`, `annulled`.
    pub status: Option<String>,
    /// Forecasts only: the probability the Brier score uses (`probability`, else the term's
    /// point value).
    pub scoring_probability: Option<f64>,
    /// An open forecast due within 30 days of the build's day.
    pub due_soon: bool,
    /// Whether some denial disputes this claim.
    pub contested: bool,
    /// Boxed, as few claims have one: a claim view is kept for every claim of the site.
    pub resolution: Option<Box<ResolutionRef>>,
    pub condition: Option<Box<ClaimLink>>,
    pub disputes: Vec<ClaimLink>,
    pub disputed_by: Vec<ClaimLink>,
    pub supports: Vec<ClaimLink>,
    pub supported_by: Vec<ClaimLink>,
    pub indicators: Vec<String>,
    /// The briefing the claim belongs to.
    pub briefing: LinkView,
    pub briefing_date: DateView,
    /// Forecasts only: the question the forecast belongs to. Boxed, as the fields below: most
    /// claims have none.
    pub question: Option<Box<QuestionRef>>,
    /// The earlier forecast this one restates, and the later one that restates it (then this
    /// one is superseded).
    pub updated_from: Option<Box<StepRef>>,
    pub superseded_by: Option<Box<ClaimLink>>,
    /// The earlier assessment this one replaces, and the later one that replaces it.
    pub revised_from: Option<Box<StepRef>>,
    pub revised_by: Option<Box<ClaimLink>>,
    /// Why the estimate moved (`change`), as HTML.
    pub change_html: Option<String>,
    /// The judgment's history on `/judgments/`, for an assessment in a chain of revisions.
    pub judgment_url: Option<String>,
    pub alternatives: Vec<AlternativeView>,
}

/// A forecast's question: its id (the first forecast's ref), page and size.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionRef {
    pub id: String,
    pub url: String,
    /// Forecasts in the question, and this forecast's 1-based place among them.
    pub forecasts: usize,
    pub position: usize,
}

/// The earlier step of a chain (the claim an update or revision replaces), as it stood.
#[derive(Debug, Clone, Serialize)]
pub struct StepRef {
    pub link: ClaimLink,
    pub likelihood: Option<LikelihoodView>,
    pub probability: Option<f64>,
    pub confidence: Option<String>,
    /// Its briefing's date.
    pub date: DateView,
}

/// One of the alternatives an analyst weighed against a claim.
#[derive(Debug, Clone, Serialize)]
pub struct AlternativeView {
    pub text_html: String,
    pub likelihood: Option<LikelihoodView>,
    pub probability: Option<f64>,
}

/// One step of a question or a judgment, in a history table.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryStepView {
    pub link: ClaimLink,
    pub date: DateView,
    pub authors: Vec<String>,
    pub likelihood: Option<LikelihoodView>,
    /// The probability as written, and the one scoring uses (written, else the point value).
    pub probability: Option<f64>,
    pub scoring_probability: Option<f64>,
    pub confidence: Option<String>,
    pub change_html: Option<String>,
}

/// A question's page, `/forecasts/<briefing-id>/<claim-id>/`.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub url: String,
    /// Its latest forecast, whose text, likelihood and `resolves_by` are the question's.
    pub latest: Shared<ClaimView>,
    /// Every forecast, oldest first.
    pub steps: Vec<HistoryStepView>,
    pub status: String,
    /// The time-averaged Brier score to three decimals, when scored.
    pub brier: Option<String>,
    /// Days the score is averaged over (0 for a question resolved on its first day).
    pub scored_days: i64,
    /// The step chart of the probability over time, as inline SVG from numbers and dates only.
    pub chart_svg_html: String,
}

/// A judgment (a chain of revisions) on `/judgments/` and on dossiers.
#[derive(Debug, Clone, Serialize)]
pub struct JudgmentView {
    /// Fragment id on `/judgments/`, and the URL with it.
    pub anchor: String,
    pub url: String,
    /// Its latest assessment.
    pub latest: ClaimLink,
    /// The date of the latest step.
    pub changed: DateView,
    /// Oldest first.
    pub steps: Vec<HistoryStepView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub id: String,
    /// Fragment id on the briefing page (`source-reuters-1`).
    pub anchor: String,
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    /// The host `url` names, without a leading `www.` (`example.org`).
    pub host: Option<String>,
    pub published: Option<DateView>,
    /// `B`, and its meaning `usually reliable`.
    pub reliability: Option<String>,
    pub reliability_label: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResolutionView {
    pub claim: ClaimLink,
    pub outcome: String,
    pub evidence: Vec<ClaimLink>,
    pub note: String,
}

/// One briefing page, as `briefing` in `briefing.html`.
#[derive(Debug, Clone, Serialize)]
pub struct BriefingView {
    #[serde(flatten)]
    pub card: BriefingCard,
    pub updated: Option<DateView>,
    pub key_takeaways: Vec<String>,
    /// The rendered Markdown body, shared with the render state (and a serve session's cache).
    pub content_html: std::sync::Arc<str>,
    pub claims: Vec<PageClaim>,
    /// `claims` by type, in claim-type order, types without claims left out: grouping them
    /// here costs a pass over the claims, grouping them in the template one pass per type.
    pub claim_groups: Vec<PageClaimGroup>,
    pub sources: Vec<SourceView>,
    pub resolutions: Vec<ResolutionView>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    pub r#type: String,
    pub label: String,
    pub target: ActorRef,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedView {
    pub actor: ActorRef,
    pub weight: usize,
}

/// A briefing's claims of one type.
#[derive(Debug, Clone, Serialize)]
pub struct PageClaimGroup {
    pub r#type: String,
    pub label: String,
    pub count: usize,
    pub claims: Vec<PageClaim>,
}

/// Claims of one type, for grouped lists on dossiers: the newest few as rendered claim cards.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimGroup {
    pub r#type: String,
    pub label: String,
    /// How many claims of this type there are in all.
    pub count: usize,
    /// The newest `claims.len() <= count` of them, as rendered `partials/claim_card.html`.
    pub claims: Vec<Fragment>,
}

/// An actor in the actors index: the actor's fields, and these.
#[derive(Debug, Clone)]
pub struct ActorCard {
    pub actor: ActorRef,
    pub kind_label: String,
    pub parent: Option<ActorRef>,
    pub briefing_count: usize,
    pub claim_count: usize,
}

/// Written out rather than derived with `#[serde(flatten)]` on `actor`: serde's flattening
/// hides from the flattened value what it is serialized into (`is_human_readable` is then
/// always true), so a page key would hash the actor's Tera value, a map whose order is not
/// fixed, and no key naming an actor card would ever match. The fields read the same either
/// way.
impl Serialize for ActorCard {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(8))?;
        let a = &self.actor;
        map.serialize_entry("id", &a.id)?;
        map.serialize_entry("name", &a.name)?;
        map.serialize_entry("kind", &a.kind)?;
        map.serialize_entry("url", &a.url)?;
        map.serialize_entry("kind_label", &self.kind_label)?;
        map.serialize_entry("parent", &self.parent)?;
        map.serialize_entry("briefing_count", &self.briefing_count)?;
        map.serialize_entry("claim_count", &self.claim_count)?;
        map.end()
    }
}

/// One dossier page, as `actor` in `actor.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ActorView {
    #[serde(flatten)]
    pub card: ActorCard,
    pub feed_url: String,
    pub description_html: String,
    pub aliases: Vec<String>,
    pub country: Option<String>,
    pub wikidata: Option<String>,
    pub wikidata_url: Option<String>,
    pub children: Vec<ActorRef>,
    pub relations: Vec<RelationView>,
    pub related: Vec<RelatedView>,
    /// The newest briefings (at most 50) that tag or name the actor, newest first; the
    /// timeline has them all.
    pub briefings: Vec<Shared<BriefingCard>>,
    /// Claims by the actor (and its descendants), grouped by type in type order.
    pub claims_by: Vec<ClaimGroup>,
    /// Claims about the actor (and its descendants), grouped by type.
    pub claims_about: Vec<ClaimGroup>,
    /// Every claim by or about the actor, one line each, on pages of their own.
    pub claims_url: String,
    /// Number of claims by or about the actor (and its descendants).
    pub involved_count: usize,
    /// The newest denials by or about the actor, and claims they dispute, as claim cards.
    pub disputes: Vec<Fragment>,
    pub dispute_count: usize,
    /// Forecasts by or about the actor not yet resolved (open or overdue), soonest due first.
    /// As rendered `partials/forecast_row.html`.
    pub forecasts_open: Vec<Fragment>,
    /// Forecasts by or about the actor that are resolved, latest resolution first.
    pub forecasts_resolved: Vec<Fragment>,
    /// How many forecasts are open and resolved in all: the two lists stop at 100 each.
    pub forecast_counts: (usize, usize),
    /// Briefings and dated claims by or about the actor by month, newest first: the latest
    /// months only, when there are many (`timeline_more` then says where the rest are).
    pub timeline: Vec<TimelineMonthView>,
    /// Entries in the whole timeline (shown or not).
    pub timeline_count: usize,
    pub timeline_more: Option<TimelineMoreView>,
    /// The ego graph of the Network section; None for an actor with no connection.
    pub ego: Option<EgoView>,
    /// Judgments (chains of revisions) with a step by or about the actor, latest change first.
    pub judgments: Vec<JudgmentView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaginationView {
    /// 1-based.
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForecastSummaryView {
    pub total: usize,
    pub questions: usize,
    pub resolved: usize,
    pub scored: usize,
    pub open: usize,
    pub overdue: usize,
    /// Brier score formatted to three decimals, or `None` when nothing is scored.
    pub brier: Option<String>,
}

/// Per-actor activity, for the home page.
#[derive(Debug, Clone, Serialize)]
pub struct ActiveActorView {
    pub actor: ActorRef,
    pub briefing_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub content_html: String,
}

/// The forecast ledger's scores, on the first page of `/forecasts/`.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerView {
    pub summary: ForecastSummaryView,
    /// One row per ICD 203 term that some forecast uses, in scale order.
    pub calibration: Vec<CalibrationRowView>,
    /// The calibration chart as inline SVG (built from numbers only), with its own title and
    /// description; the calibration table is its text alternative.
    pub chart_svg_html: String,
    /// Authors of briefings with forecasts, by name.
    pub authors: Vec<AuthorScoreView>,
    pub due_soon_days: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CalibrationRowView {
    pub likelihood: LikelihoodView,
    /// The point value used for scoring, as `70%`.
    pub point: String,
    pub forecasts: usize,
    pub yes: usize,
    pub no: usize,
    /// Observed share of yes among yes + no, as `67%`; `None` when nothing resolved yes or no.
    pub observed: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthorScoreView {
    pub name: String,
    pub forecasts: usize,
    pub scored: usize,
    /// Three decimals, or `None` when nothing of theirs is scored.
    pub brier: Option<String>,
}

/// A ledger page: its rows are the `forecasts` of the page context (ClaimViews), so page
/// metadata lists exactly the forecasts shown.
#[derive(Debug, Clone, Serialize)]
pub struct RowRangeView {
    /// 1-based position of the first and last row shown, and the number of rows in all.
    pub first: usize,
    pub last: usize,
    pub total: usize,
}

/// One month of a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineMonthView {
    /// Fragment id (`month-2024-10`).
    pub anchor: String,
    /// `2024-10`, and `October 2024`.
    pub iso: String,
    pub label: String,
    /// The month began on an earlier page.
    pub continued: bool,
    pub entries: Vec<TimelineEntryView>,
}

/// One line of a timeline: a briefing, or a dated claim.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntryView {
    /// `2024-10-24`, and `24 Oct`.
    pub iso: String,
    pub day: String,
    /// `briefing`, or the claim's type id; and its label (`Briefing`, `Denial`).
    pub r#type: String,
    pub type_label: String,
    /// The briefing's title, or the claim's text as plain text (pages shorten it with CSS).
    pub text: String,
    pub url: String,
    pub draft: bool,
    pub contested: bool,
}

/// Where a dossier's timeline continues: the site timeline, from the first month not shown.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineMoreView {
    /// Entries not shown on the dossier.
    pub count: usize,
    /// `September 2024`.
    pub month: String,
    pub url: String,
}

/// A contested claim on `/disputes/`, with what happened to it since.
#[derive(Debug, Clone, Serialize)]
pub struct DisputeView<'a> {
    pub claim: &'a Shared<ClaimView>,
    /// The denials against it, oldest first.
    pub denials: Vec<&'a Shared<ClaimView>>,
    /// Claims of later briefings (dated no earlier than the claim's) that support it.
    pub corroborations: Vec<&'a Shared<ClaimView>>,
}

/// An actor graph, laid out, for `partials/graph.html` to draw as inline SVG. Coordinates are
/// SVG numbers already (strings such as `412.5`), in a `0 0 width height` view box.
#[derive(Debug, Clone, Serialize)]
pub struct GraphView {
    /// Prefix of the ids inside the SVG (`graph`, `ego`): unique on its page.
    pub id: String,
    pub width: u32,
    pub height: u32,
    /// The SVG's `<title>`.
    pub title: String,
    /// The SVG's `<desc>`: what is drawn and what was left out.
    pub description: String,
    /// Drawn under the nodes, shared-briefing links first.
    pub edges: Vec<GraphEdgeView>,
    /// In drawing order: the most covered last, so on top.
    pub nodes: Vec<GraphNodeView>,
    /// For the legend: the kinds of actor drawn, in kind order, and the kinds of relation.
    pub kinds: Vec<GraphKindView>,
    pub has_hierarchy: bool,
    pub has_alignment: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphKindView {
    pub id: String,
    pub label: String,
    /// The kind's outline around `0 0` at radius 6; empty for a circle.
    pub points: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphNodeView {
    pub actor: ActorRef,
    pub kind_label: String,
    pub briefing_count: usize,
    /// The subject of an ego graph.
    pub ego: bool,
    /// `circle` (drawn from `cx`, `cy`, `r`) or `polygon` (from `points`), by kind.
    pub shape: String,
    pub cx: String,
    pub cy: String,
    pub r: String,
    pub points: String,
    /// The name, cut short to stay readable (the full name is in the node's title); empty when
    /// the node is not labelled.
    pub label: String,
    /// Where the label's middle and baseline are (kept inside the view box).
    pub label_x: String,
    pub label_y: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphEdgeView {
    /// `shared` (briefings in common), `hierarchy` (parent, part of, member of, leads, speaks
    /// for) or `alignment` (allied with, party to, related to).
    pub class: String,
    /// SVG path data.
    pub d: String,
    /// Stroke width (shared links: thicker for more briefings in common).
    pub width: String,
    /// Whether it ends in an arrow (typed relations point from the actor that declares them).
    pub directed: bool,
    /// `Russia – North Korea: 12 shared briefings`, `Lloyd Austin leads US DoD`; empty for
    /// the site graph's shared links (the list beside it gives their numbers).
    pub title: String,
}

/// The site-wide graph page: the drawing and its text alternative.
#[derive(Debug, Clone, Serialize)]
pub struct GraphPageView {
    /// None when no two actors are connected.
    pub graph: Option<GraphView>,
    /// Every drawn actor with its drawn connections, by name.
    pub entries: Vec<GraphEntryView>,
    /// What the drawing leaves out, in a sentence or two.
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphEntryView {
    pub actor: ActorRef,
    pub kind_label: String,
    pub briefing_count: usize,
    /// Drawn shared-briefing links, most shared first.
    pub shared: Vec<RelatedView>,
    /// Drawn typed relations, both ways: `member of` NATO, `has member` United States.
    pub typed: Vec<TypedLinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TypedLinkView {
    pub label: String,
    pub actor: ActorRef,
}

/// A dossier's ego graph and the relations other dossiers declare towards the actor (the
/// dossier's own lists cover the rest of what the graph shows).
#[derive(Debug, Clone, Serialize)]
pub struct EgoView {
    pub graph: GraphView,
    /// `United States` `member of` (this actor), in actor order.
    pub incoming: Vec<TypedLinkView>,
}

/// A tag in the tag index, or the subject of a tag page.
#[derive(Debug, Clone, Serialize)]
pub struct TagView {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub feed_url: String,
    /// Its number of briefings.
    pub count: usize,
}
