//! Tags: the free-form `tags` of briefings, one tag per slug.
//!
//! Two spellings whose slugs are equal (`Nuclear`, `nuclear`) are one tag, named as its oldest
//! briefing spells it: the earliest date, ties broken by file-path order (the order the
//! content walk reads files in: by path component, as [`std::path::Path`] compares). A
//! briefing's own spellings stay in `Briefing::tags`; everything that shows a tag as a link
//! (its page, its feed, its search facet) uses the one name here.

use super::{Briefing, BriefingIx};
use std::collections::BTreeMap;
use std::path::Path;

/// Index into `Site::tags`.
pub type TagIx = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The URL segment (`/tags/<slug>/`): never empty, the content layer rejects a tag without
    /// one.
    pub slug: String,
    /// The spelling of the oldest briefing that uses the tag.
    pub name: String,
    /// The briefings with the tag, newest first (ties by id), as in site order.
    pub briefings: Vec<BriefingIx>,
}

/// The slug a tag's page is named by: the one definition, shared by validation and rendering.
pub fn tag_slug(name: &str) -> String {
    slug::slugify(name)
}

/// Every tag of `briefings` (in site order), sorted by slug, and each briefing's tags in the
/// order written, each once.
pub(super) fn collect(briefings: &[Briefing]) -> (Vec<Tag>, Vec<Vec<TagIx>>) {
    struct Found<'a> {
        name: &'a str,
        /// The briefing the name comes from: oldest first, then first in file-path order.
        from: BriefingIx,
        briefings: Vec<BriefingIx>,
    }
    let older = |x: &Briefing, y: &Briefing| {
        x.date.instant.cmp(&y.date.instant).then_with(|| Path::new(&x.path).cmp(Path::new(&y.path))).is_lt()
    };
    let mut found: BTreeMap<String, Found> = BTreeMap::new();
    let mut slugs: Vec<Vec<String>> = Vec::with_capacity(briefings.len());
    for (b, briefing) in briefings.iter().enumerate() {
        let mut own: Vec<String> = Vec::with_capacity(briefing.tags.len());
        for name in &briefing.tags {
            let slug = tag_slug(name);
            if slug.is_empty() || own.contains(&slug) {
                continue; // empty slugs are rejected before the model is built
            }
            let f = found.entry(slug.clone()).or_insert_with(|| Found { name, from: b, briefings: Vec::new() });
            // Site order is newest first: each briefing is pushed once, in order.
            f.briefings.push(b);
            if older(briefing, &briefings[f.from]) {
                (f.name, f.from) = (name, b);
            }
            own.push(slug);
        }
        slugs.push(own);
    }
    let ix: BTreeMap<&str, TagIx> = found.keys().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let per_briefing = slugs.iter().map(|own| own.iter().map(|s| ix[s.as_str()]).collect()).collect();
    let tags =
        found.into_iter().map(|(slug, f)| Tag { slug, name: f.name.to_string(), briefings: f.briefings }).collect();
    (tags, per_briefing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::When;

    fn briefing(id: &str, path: &str, date: &str, tags: &[&str]) -> Briefing {
        Briefing {
            id: id.into(),
            path: path.into(),
            title: id.into(),
            date: When::parse(date).expect("a date"),
            updated: None,
            draft: false,
            summary: None,
            authors: Vec::new(),
            key_takeaways: Vec::new(),
            tagged: Vec::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            sources: Vec::new(),
            claims: Vec::new(),
            resolutions: Vec::new(),
            body: "".into(),
            body_line: 1,
            links: Vec::new(),
        }
    }

    fn names(tags: &[Tag]) -> Vec<(&str, &str, &[BriefingIx])> {
        tags.iter().map(|t| (t.slug.as_str(), t.name.as_str(), t.briefings.as_slice())).collect()
    }

    #[test]
    fn one_tag_per_slug_named_by_its_oldest_briefing() {
        // Site order: newest first, ties by id.
        let briefings = [
            briefing("new", "content/briefings/new.md", "2024-06-01", &["nuclear", "Arms control"]),
            briefing("mid", "content/briefings/mid.md", "2024-03-01T10:00:00+02:00", &["NUCLEAR", "nuclear"]),
            briefing("old", "content/briefings/old.md", "2024-01-01", &["Nuclear", "Energy", "nuclear!"]),
        ];
        let (tags, per) = collect(&briefings);
        assert_eq!(
            names(&tags),
            [
                ("arms-control", "Arms control", &[0][..]),
                ("energy", "Energy", &[2][..]),
                ("nuclear", "Nuclear", &[0, 1, 2][..]),
            ]
        );
        assert_eq!(per, [vec![2, 0], vec![2], vec![2, 1]], "in the order written, each slug once");
    }

    #[test]
    fn same_date_ties_go_by_file_path_not_by_id() {
        // `aa` sorts first by id (site order) but its file comes second in path order; a path
        // compares by component, as the content walk reads folders.
        let briefings = [
            briefing("aa", "content/briefings/b.md", "2024-01-01", &["CYBER"]),
            briefing("zz", "content/briefings/a.md", "2024-01-01", &["Cyber"]),
            briefing("yy", "content/briefings/c.md", "2024-01-01", &["cyber"]),
        ];
        let (tags, _) = collect(&briefings);
        assert_eq!(names(&tags), [("cyber", "Cyber", &[0, 1, 2][..])]);
        let nested = [
            briefing("x", "content/briefings/a-b.md", "2024-01-01", &["Sub"]),
            briefing("y", "content/briefings/a/b.md", "2024-01-01", &["sub"]),
        ];
        assert_eq!(collect(&nested).0[0].name, "sub", "`a/b.md` is read before `a-b.md`");
    }
}
