//! The vocabulary of the domain, with the fixed scales docs/format.md defines.

use jiff::civil::Date;

/// Index of a briefing in [`super::Site::briefings`] (newest first).
pub type BriefingIx = usize;
/// Index of an actor in [`super::Site::actors`] (sorted by id).
pub type ActorIx = usize;
/// Index of a claim in [`super::Site::claims`].
pub type ClaimIx = usize;
/// Index of a claim type in [`super::Site::claim_types`].
pub type TypeIx = usize;

/// A publication or event time as written: a date, or an RFC 3339 datetime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    /// The text as the author wrote it (`2024-10-24` or `2024-10-24T09:00:00+03:00`).
    pub text: String,
    /// The calendar date (UTC for datetimes).
    pub date: Date,
    /// Sort key: seconds since the epoch, midnight UTC for plain dates.
    pub instant: i64,
}

impl When {
    /// Parses a `YYYY-MM-DD` date or an RFC 3339 datetime.
    pub fn parse(text: &str) -> Option<When> {
        let text = text.trim();
        if text.len() == 10 {
            let date: Date = text.parse().ok()?;
            let instant = date.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp().as_second();
            return Some(When { text: text.to_string(), date, instant });
        }
        let ts: jiff::Timestamp = text.parse().ok()?;
        let date = ts.to_zoned(jiff::tz::TimeZone::UTC).date();
        Some(When { text: text.to_string(), date, instant: ts.as_second() })
    }

    /// Parses a date only (`YYYY-MM-DD`).
    pub fn parse_date(text: &str) -> Option<Date> {
        let text = text.trim();
        if text.len() != 10 {
            return None;
        }
        text.parse().ok()
    }

    /// RFC 3339 for feeds: the datetime as written, or midnight UTC.
    pub fn rfc3339(&self) -> String {
        if self.text.len() == 10 { format!("{}T00:00:00Z", self.text) } else { self.text.clone() }
    }
}

/// What the built-in claim types require; extra types from the config have no rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinType {
    Report,
    Statement,
    Denial,
    Assessment,
    Assumption,
    Forecast,
}

impl BuiltinType {
    pub const ALL: [BuiltinType; 6] = [
        BuiltinType::Report,
        BuiltinType::Statement,
        BuiltinType::Denial,
        BuiltinType::Assessment,
        BuiltinType::Assumption,
        BuiltinType::Forecast,
    ];

    /// Other words authors use for a built-in type (Sherman Kent's fact, judgment and estimate
    /// among them), for the "did you mean" of an unknown type. Written with `-` for spaces.
    pub const SYNONYMS: [(&'static str, BuiltinType); 9] = [
        ("fact", BuiltinType::Report),
        ("event", BuiltinType::Report),
        ("quote", BuiltinType::Statement),
        ("rejection", BuiltinType::Denial),
        ("judgment", BuiltinType::Assessment),
        ("judgement", BuiltinType::Assessment),
        ("premise", BuiltinType::Assumption),
        ("estimate", BuiltinType::Forecast),
        ("prediction", BuiltinType::Forecast),
    ];

    pub fn id(self) -> &'static str {
        match self {
            BuiltinType::Report => "report",
            BuiltinType::Statement => "statement",
            BuiltinType::Denial => "denial",
            BuiltinType::Assessment => "assessment",
            BuiltinType::Assumption => "assumption",
            BuiltinType::Forecast => "forecast",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BuiltinType::Report => "Report",
            BuiltinType::Statement => "Statement",
            BuiltinType::Denial => "Denial",
            BuiltinType::Assessment => "Assessment",
            BuiltinType::Assumption => "Assumption",
            BuiltinType::Forecast => "Forecast",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            BuiltinType::Report => "Something reported to have happened.",
            BuiltinType::Statement => "An actor's on-record words.",
            BuiltinType::Denial => "An actor rejects another claim.",
            BuiltinType::Assessment => "Analyst judgment about the present or past.",
            BuiltinType::Assumption => "A premise the analysis rests on.",
            BuiltinType::Forecast => "An estimate about the future.",
        }
    }

    /// Whether `by` is required.
    pub fn needs_by(self) -> bool {
        matches!(self, BuiltinType::Statement | BuiltinType::Denial)
    }

    /// Whether a claim of this type should cite sources (a lint, not an error).
    pub fn wants_sources(self) -> bool {
        matches!(self, BuiltinType::Report | BuiltinType::Statement | BuiltinType::Denial)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimType {
    pub id: String,
    pub label: String,
    pub description: String,
    pub builtin: Option<BuiltinType>,
}

impl From<BuiltinType> for ClaimType {
    fn from(b: BuiltinType) -> ClaimType {
        ClaimType {
            id: b.id().to_string(),
            label: b.label().to_string(),
            description: b.description().to_string(),
            builtin: Some(b),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    Low,
    Moderate,
    High,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [Confidence::Low, Confidence::Moderate, Confidence::High];

    /// Other words for the levels, for the "did you mean" of an unknown one.
    pub const SYNONYMS: [(&'static str, Confidence); 3] =
        [("medium", Confidence::Moderate), ("mid", Confidence::Moderate), ("limited", Confidence::Low)];

    pub fn id(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Moderate => "moderate",
            Confidence::High => "high",
        }
    }
}

/// ICD 203's likelihood scale, in scale order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Likelihood {
    AlmostNoChance,
    VeryUnlikely,
    Unlikely,
    RoughlyEvenChance,
    Likely,
    VeryLikely,
    AlmostCertain,
}

impl Likelihood {
    pub const ALL: [Likelihood; 7] = [
        Likelihood::AlmostNoChance,
        Likelihood::VeryUnlikely,
        Likelihood::Unlikely,
        Likelihood::RoughlyEvenChance,
        Likelihood::Likely,
        Likelihood::VeryLikely,
        Likelihood::AlmostCertain,
    ];

    /// ICD 203's own synonyms of its terms (its table puts two words on each step of the
    /// scale), for the "did you mean" of an unknown term. Written with `-` for spaces.
    pub const SYNONYMS: [(&'static str, Likelihood); 11] = [
        ("remote", Likelihood::AlmostNoChance),
        ("highly-improbable", Likelihood::VeryUnlikely),
        ("improbable", Likelihood::Unlikely),
        ("improbably", Likelihood::Unlikely),
        ("roughly-even-odds", Likelihood::RoughlyEvenChance),
        ("even-chance", Likelihood::RoughlyEvenChance),
        ("probable", Likelihood::Likely),
        ("probably", Likelihood::Likely),
        ("highly-probable", Likelihood::VeryLikely),
        ("nearly-certain", Likelihood::AlmostCertain),
        ("almost-certainly", Likelihood::AlmostCertain),
    ];

    pub fn id(self) -> &'static str {
        match self {
            Likelihood::AlmostNoChance => "almost-no-chance",
            Likelihood::VeryUnlikely => "very-unlikely",
            Likelihood::Unlikely => "unlikely",
            Likelihood::RoughlyEvenChance => "roughly-even-chance",
            Likelihood::Likely => "likely",
            Likelihood::VeryLikely => "very-likely",
            Likelihood::AlmostCertain => "almost-certain",
        }
    }

    pub fn from_id(id: &str) -> Option<Likelihood> {
        Likelihood::ALL.into_iter().find(|l| l.id() == id)
    }

    /// The words as a reader sees them: `roughly even chance`.
    pub fn label(self) -> String {
        self.id().replace('-', " ")
    }

    /// The stated probability range, ends included.
    pub fn range(self) -> (f64, f64) {
        match self {
            Likelihood::AlmostNoChance => (0.01, 0.05),
            Likelihood::VeryUnlikely => (0.05, 0.20),
            Likelihood::Unlikely => (0.20, 0.45),
            Likelihood::RoughlyEvenChance => (0.45, 0.55),
            Likelihood::Likely => (0.55, 0.80),
            Likelihood::VeryLikely => (0.80, 0.95),
            Likelihood::AlmostCertain => (0.95, 0.99),
        }
    }

    /// `55–80%`.
    pub fn range_label(self) -> String {
        let (lo, hi) = self.range();
        format!("{}–{}%", (lo * 100.0).round(), (hi * 100.0).round())
    }

    /// The point value used for scoring when no probability is given (STIX 2.1 mapping).
    pub fn point(self) -> f64 {
        match self {
            Likelihood::AlmostNoChance => 0.05,
            Likelihood::VeryUnlikely => 0.15,
            Likelihood::Unlikely => 0.30,
            Likelihood::RoughlyEvenChance => 0.50,
            Likelihood::Likely => 0.70,
            Likelihood::VeryLikely => 0.85,
            Likelihood::AlmostCertain => 0.95,
        }
    }

    /// Whether `p` lies inside the range, ends included (with a little float tolerance).
    pub fn admits(self, p: f64) -> bool {
        let (lo, hi) = self.range();
        p >= lo - 1e-9 && p <= hi + 1e-9
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Yes,
    No,
    Ambiguous,
    Annulled,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Outcome::Yes, Outcome::No, Outcome::Ambiguous, Outcome::Annulled];

    /// Other words for the outcomes, for the "did you mean" of an unknown one.
    pub const SYNONYMS: [(&'static str, Outcome); 9] = [
        ("true", Outcome::Yes),
        ("happened", Outcome::Yes),
        ("false", Outcome::No),
        ("did-not-happen", Outcome::No),
        ("unclear", Outcome::Ambiguous),
        ("indeterminate", Outcome::Ambiguous),
        ("void", Outcome::Annulled),
        ("cancelled", Outcome::Annulled),
        ("canceled", Outcome::Annulled),
    ];

    pub fn id(self) -> &'static str {
        match self {
            Outcome::Yes => "yes",
            Outcome::No => "no",
            Outcome::Ambiguous => "ambiguous",
            Outcome::Annulled => "annulled",
        }
    }
}

/// A forecast's status on the build's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Overdue,
    Resolved(Outcome),
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Overdue => "overdue",
            Status::Resolved(o) => o.id(),
        }
    }
}

/// Admiralty source reliability `A`..`F`.
pub const RELIABILITY: [(char, &str); 6] = [
    ('A', "completely reliable"),
    ('B', "usually reliable"),
    ('C', "fairly reliable"),
    ('D', "not usually reliable"),
    ('E', "unreliable"),
    ('F', "reliability cannot be judged"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    State,
    Person,
    Organisation,
    Alliance,
    Igo,
    ArmedGroup,
    Media,
    Other,
}

impl ActorKind {
    pub const ALL: [ActorKind; 8] = [
        ActorKind::State,
        ActorKind::Person,
        ActorKind::Organisation,
        ActorKind::Alliance,
        ActorKind::Igo,
        ActorKind::ArmedGroup,
        ActorKind::Media,
        ActorKind::Other,
    ];

    /// Other words for the kinds (American spellings among them), for the "did you mean" of an
    /// unknown kind. Written with `-` for spaces.
    pub const SYNONYMS: [(&'static str, ActorKind); 16] = [
        ("country", ActorKind::State),
        ("nation", ActorKind::State),
        ("individual", ActorKind::Person),
        ("people", ActorKind::Person),
        ("leader", ActorKind::Person),
        ("organization", ActorKind::Organisation),
        ("org", ActorKind::Organisation),
        ("ministry", ActorKind::Organisation),
        ("international-organisation", ActorKind::Igo),
        ("international-organization", ActorKind::Igo),
        ("intergovernmental-organisation", ActorKind::Igo),
        ("intergovernmental-organization", ActorKind::Igo),
        ("militia", ActorKind::ArmedGroup),
        ("non-state-armed-group", ActorKind::ArmedGroup),
        ("press", ActorKind::Media),
        ("outlet", ActorKind::Media),
    ];

    pub fn id(self) -> &'static str {
        match self {
            ActorKind::State => "state",
            ActorKind::Person => "person",
            ActorKind::Organisation => "organisation",
            ActorKind::Alliance => "alliance",
            ActorKind::Igo => "igo",
            ActorKind::ArmedGroup => "armed-group",
            ActorKind::Media => "media",
            ActorKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ActorKind::State => "States",
            ActorKind::Person => "People",
            ActorKind::Organisation => "Organisations",
            ActorKind::Alliance => "Alliances",
            ActorKind::Igo => "International organisations",
            ActorKind::ArmedGroup => "Armed groups",
            ActorKind::Media => "Media",
            ActorKind::Other => "Other",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            ActorKind::State => "State",
            ActorKind::Person => "Person",
            ActorKind::Organisation => "Organisation",
            ActorKind::Alliance => "Alliance",
            ActorKind::Igo => "International organisation",
            ActorKind::ArmedGroup => "Armed group",
            ActorKind::Media => "Media",
            ActorKind::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    PartOf,
    MemberOf,
    Leads,
    SpeaksFor,
    AlliedWith,
    PartyTo,
    RelatedTo,
}

impl RelationKind {
    pub const ALL: [RelationKind; 7] = [
        RelationKind::PartOf,
        RelationKind::MemberOf,
        RelationKind::Leads,
        RelationKind::SpeaksFor,
        RelationKind::AlliedWith,
        RelationKind::PartyTo,
        RelationKind::RelatedTo,
    ];

    /// Other ways of writing the relation types, for the "did you mean" of an unknown one.
    pub const SYNONYMS: [(&'static str, RelationKind); 9] = [
        ("part", RelationKind::PartOf),
        ("member", RelationKind::MemberOf),
        ("leader-of", RelationKind::Leads),
        ("spokesperson-for", RelationKind::SpeaksFor),
        ("ally", RelationKind::AlliedWith),
        ("ally-of", RelationKind::AlliedWith),
        ("allied", RelationKind::AlliedWith),
        ("party", RelationKind::PartyTo),
        ("related", RelationKind::RelatedTo),
    ];

    pub fn id(self) -> &'static str {
        match self {
            RelationKind::PartOf => "part-of",
            RelationKind::MemberOf => "member-of",
            RelationKind::Leads => "leads",
            RelationKind::SpeaksFor => "speaks-for",
            RelationKind::AlliedWith => "allied-with",
            RelationKind::PartyTo => "party-to",
            RelationKind::RelatedTo => "related-to",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RelationKind::PartOf => "part of",
            RelationKind::MemberOf => "member of",
            RelationKind::Leads => "leads",
            RelationKind::SpeaksFor => "speaks for",
            RelationKind::AlliedWith => "allied with",
            RelationKind::PartyTo => "party to",
            RelationKind::RelatedTo => "related to",
        }
    }
}

/// What an internal link (`@/...` in Markdown) points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    Home,
    Briefings,
    /// A briefing, and optionally one of its claims (`@/briefings/<id>/#<claim-id>`).
    Briefing(&'a str, Option<&'a str>),
    Actors,
    Actor(&'a str),
    ClaimType(&'a str),
    Forecasts,
    Disputes,
    Timeline,
    Page(&'a str),
}

impl<'a> Target<'a> {
    /// Parses the part after `@/`: `briefings/<id>/`, `actors/<id>/#x`, `<page-id>/`, ...
    /// Returns the target and a fragment to keep (fragments on briefings name claims).
    pub fn parse(link: &'a str) -> Option<(Target<'a>, Option<&'a str>)> {
        let (path, fragment) = match link.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (link, None),
        };
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let target = match parts.as_slice() {
            [""] => Target::Home,
            ["briefings"] => Target::Briefings,
            ["briefings", id] => {
                let claim = fragment.map(|f| f.strip_prefix("claim-").unwrap_or(f));
                return Some((Target::Briefing(id, claim), None));
            }
            ["actors"] => Target::Actors,
            ["actors", id] => Target::Actor(id),
            ["claims", t] => Target::ClaimType(t),
            ["forecasts"] => Target::Forecasts,
            ["disputes"] => Target::Disputes,
            ["timeline"] => Target::Timeline,
            [id] => Target::Page(id),
            _ => return None,
        };
        Some((target, fragment))
    }
}

/// Whether `s` is a valid id: `[a-z0-9][a-z0-9-]*`.
pub fn is_valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("north-korea"));
        assert!(is_valid_id("c1"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("North"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("a_b"));
    }

    #[test]
    fn likelihood_ranges_include_ends() {
        assert!(Likelihood::Likely.admits(0.55));
        assert!(Likelihood::Likely.admits(0.8));
        assert!(!Likelihood::Likely.admits(0.81));
        assert_eq!(Likelihood::VeryLikely.range_label(), "80–95%");
    }

    #[test]
    fn when_parses_dates_and_datetimes() {
        let d = When::parse("2024-10-24").unwrap();
        assert_eq!(d.rfc3339(), "2024-10-24T00:00:00Z");
        let t = When::parse("2024-10-24T23:30:00-02:00").unwrap();
        assert_eq!(t.date.to_string(), "2024-10-25");
        assert!(When::parse("24/10/2024").is_none());
        assert!(When::parse("2024-02-30").is_none());
    }
}
