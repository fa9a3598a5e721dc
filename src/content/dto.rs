//! Front matter as written: serde DTOs that reject unknown keys.
//!
//! Values whose rules serde cannot express well (ids, dates, enumerations with suggestions) stay
//! strings here and are checked in [`super::resolve`], which knows their positions.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefingFm {
    pub title: String,
    pub date: Scalar,
    pub id: Option<String>,
    pub summary: Option<String>,
    pub updated: Option<Scalar>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub key_takeaways: Vec<String>,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub sources: Vec<SourceFm>,
    #[serde(default)]
    pub claims: Vec<ClaimFm>,
    #[serde(default)]
    pub resolves: Vec<ResolutionFm>,
}

/// A string-like scalar: YAML may read `2024` or `1.5` as numbers where text is meant.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Str(String),
    Int(i64),
    Float(f64),
}

impl Scalar {
    pub fn text(&self) -> String {
        match self {
            Scalar::Str(s) => s.clone(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFm {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<Scalar>,
    pub reliability: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimFm {
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    pub quote: Option<String>,
    pub by: Option<String>,
    #[serde(default)]
    pub about: Vec<String>,
    pub date: Option<Scalar>,
    #[serde(default)]
    pub sources: Vec<SourceRefFm>,
    pub confidence: Option<String>,
    pub likelihood: Option<String>,
    pub probability: Option<f64>,
    pub resolves_by: Option<Scalar>,
    pub condition: Option<String>,
    #[serde(default)]
    pub disputes: Vec<String>,
    #[serde(default)]
    pub supports: Vec<String>,
    #[serde(default)]
    pub indicators: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum SourceRefFm {
    Id(String),
    Graded(GradedRefFm),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradedRefFm {
    #[serde(rename = "ref")]
    pub source: String,
    pub credibility: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolutionFm {
    pub claim: String,
    pub outcome: String,
    #[serde(default)]
    pub evidence: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorFm {
    pub name: String,
    pub kind: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub parent: Option<String>,
    pub country: Option<String>,
    pub wikidata: Option<String>,
    #[serde(default)]
    pub relations: Vec<RelationFm>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationFm {
    #[serde(rename = "type")]
    pub kind: String,
    pub target: String,
    pub from: Option<Scalar>,
    pub to: Option<Scalar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFm {
    pub title: String,
}
