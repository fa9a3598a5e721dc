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
///
/// Deserialized by hand rather than `#[serde(untagged)]`, whose errors carry no position.
#[derive(Debug, Clone)]
pub enum Scalar {
    Str(String),
    Int(i64),
    Float(f64),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a date or a single value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Str(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }
        }
        d.deserialize_any(V)
    }
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
    pub updates: Option<String>,
    pub revises: Option<String>,
    pub change: Option<String>,
    #[serde(default)]
    pub alternatives: Vec<AlternativeFm>,
}

/// One of a claim's `alternatives`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlternativeFm {
    pub text: String,
    pub likelihood: Option<String>,
    pub probability: Option<f64>,
}

/// `s1` or `{ref: s1, credibility: 2}`; deserialized by hand for positioned errors.
#[derive(Debug)]
pub enum SourceRefFm {
    Id(String),
    Graded(GradedRefFm),
}

impl<'de> Deserialize<'de> for SourceRefFm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SourceRefFm, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = SourceRefFm;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a source id or `{ref: <source id>, credibility: 1..6}`")
            }
            fn visit_str<E>(self, v: &str) -> Result<SourceRefFm, E> {
                Ok(SourceRefFm::Id(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<SourceRefFm, A::Error> {
                GradedRefFm::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(SourceRefFm::Graded)
            }
        }
        d.deserialize_any(V)
    }
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

/// Allowed keys per mapping, by the key names on the path to it (for all-at-once reporting of
/// unknown keys; serde's `deny_unknown_fields` stays as the backstop).
pub fn briefing_schema(path: &[&str]) -> Option<&'static [&'static str]> {
    match path {
        [] => Some(&[
            "title",
            "date",
            "id",
            "summary",
            "updated",
            "draft",
            "authors",
            "key_takeaways",
            "actors",
            "tags",
            "sources",
            "claims",
            "resolves",
        ]),
        ["sources"] => Some(&["id", "title", "publisher", "url", "published", "reliability"]),
        ["claims"] => Some(&[
            "id",
            "type",
            "text",
            "quote",
            "by",
            "about",
            "date",
            "sources",
            "confidence",
            "likelihood",
            "probability",
            "resolves_by",
            "condition",
            "disputes",
            "supports",
            "indicators",
            "updates",
            "revises",
            "change",
            "alternatives",
        ]),
        ["claims", "sources"] => Some(&["ref", "credibility"]),
        ["claims", "alternatives"] => Some(&["text", "likelihood", "probability"]),
        ["resolves"] => Some(&["claim", "outcome", "evidence", "note"]),
        _ => None,
    }
}

pub fn actor_schema(path: &[&str]) -> Option<&'static [&'static str]> {
    match path {
        [] => Some(&["name", "kind", "aliases", "parent", "country", "wikidata", "relations"]),
        ["relations"] => Some(&["type", "target", "from", "to"]),
        _ => None,
    }
}

pub fn page_schema(path: &[&str]) -> Option<&'static [&'static str]> {
    match path {
        [] => Some(&["title"]),
        _ => None,
    }
}

/// Front matter types with a schema for [`crate::yaml::from_str_checked`].
pub trait FrontMatter: serde::de::DeserializeOwned {
    const SCHEMA: crate::yaml::Schema;
}

impl FrontMatter for BriefingFm {
    const SCHEMA: crate::yaml::Schema = briefing_schema;
}

impl FrontMatter for ActorFm {
    const SCHEMA: crate::yaml::Schema = actor_schema;
}

impl FrontMatter for PageFm {
    const SCHEMA: crate::yaml::Schema = page_schema;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter::split;
    use serde::de::DeserializeOwned;

    /// The fast reader's value of `text` as `T` (`None` when it leaves `text` to serde_yaml),
    /// after checking that serde_yaml reads the same.
    fn fast_and_agreed<T: DeserializeOwned + std::fmt::Debug>(text: &str, path: &str) -> Option<String> {
        let fast = crate::yaml::tree::from_str::<T>(text).map(|v| format!("{v:?}"));
        if let Some(fast) = &fast {
            let slow = serde_yaml::from_str::<T>(text).map(|v| format!("{v:?}")).map_err(|e| e.to_string());
            assert_eq!(Ok(fast), slow.as_ref(), "{path}");
        }
        fast
    }

    #[test]
    fn every_front_matter_of_the_example_site_and_fixtures_reads_the_same_fast() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut fast_briefings, mut briefings) = (0, 0);
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
                let entry = entry.expect("readable");
                let path = entry.path().to_string_lossy().into_owned();
                if !path.ends_with(".md") {
                    continue;
                }
                let text = std::fs::read_to_string(entry.path()).expect("readable");
                let Ok(split) = split(&text) else { continue };
                fast_and_agreed::<serde_yaml::Value>(split.yaml, &path);
                if path.contains("/actors/") {
                    fast_and_agreed::<ActorFm>(split.yaml, &path);
                } else if path.contains("/pages/") {
                    fast_and_agreed::<PageFm>(split.yaml, &path);
                } else {
                    let fast = fast_and_agreed::<BriefingFm>(split.yaml, &path);
                    if entry.path().starts_with(root.join("content/briefings")) {
                        briefings += 1;
                        fast_briefings += usize::from(fast.is_some());
                    }
                }
            }
        }
        // The example site is written the usual way: every briefing takes the fast path.
        assert!(briefings > 0 && fast_briefings == briefings, "{fast_briefings} of {briefings} briefings read fast");
    }
}
