//! Property tests: no input, however odd, panics the loader or the renderer.

use proptest::prelude::*;
use sitpress::internals::markdown::{self, BodyOptions};
use sitpress::internals::{Matcher, RawHtml, dto, parse_file, tree};
use std::collections::HashSet;
use std::path::Path;

/// YAML-ish text: keys from the format, odd values, indentation, brackets and quotes.
fn yamlish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "title",
        "date",
        "id",
        "actors",
        "claims",
        "sources",
        "type",
        "by",
        "about",
        "likelihood",
        "probability",
        "resolves",
        "claim",
        "outcome",
        "- ",
        "  - ",
        "ref",
        "credibility",
        "disputes",
        "condition",
        "x",
    ]);
    let value = prop::sample::select(vec![
        "",
        "x",
        "2024-10-24",
        "[a, b]",
        "{a: 1}",
        "'q",
        "\"q\"",
        "-1",
        "0.5",
        "1e99",
        "yes",
        "~",
        "|",
        ">",
        "[",
        "]",
        "- c1",
        "russia",
        "c1",
        "b#c1",
        "@",
        "&a",
        "*a",
        "!!str",
        "é",
        "\t",
        "#",
    ]);
    prop::collection::vec((0usize..6, key, value), 0..25)
        .prop_map(|lines| lines.into_iter().map(|(indent, k, v)| format!("{}{k}: {v}\n", " ".repeat(indent))).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn front_matter_never_panics(yaml in yamlish(), body in ".{0,200}", raw in ".{0,200}") {
        let mut diags = Vec::new();
        for text in [format!("---\n{yaml}---\n{body}"), raw.clone(), format!("---\n{raw}")] {
            let _ = parse_file::<dto::BriefingFm>("content/briefings/x.md", Path::new("x.md"), &text, &mut diags);
            let _ = parse_file::<dto::ActorFm>("content/actors/x.md", Path::new("x.md"), &text, &mut diags);
        }
        let loc = tree::Locator::new(&yaml);
        let _ = loc.value(&tree::parse_path("claims[3].sources[1].ref"));
        let _ = loc.key(&tree::parse_path(&raw));
        for d in &diags {
            let _ = d.render(Some(&yaml), false);
        }
    }

    #[test]
    fn markdown_never_panics(body in "(.|\n){0,400}", mention in "[A-Za-z ]{0,12}") {
        let matcher = Matcher::new([(0, mention.as_str()), (1, "Russia")], false);
        let urls = vec!["/a/".to_string(), "/b/".to_string()];
        let internal = |t: &str| t.len().is_multiple_of(2).then(|| format!("/{t}"));
        let reserved = HashSet::new();
        for raw_html in [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Allow] {
            let opts = BodyOptions { raw_html, actors: Some((&matcher, urls.as_slice())), internal: &internal, reserved_ids: &reserved };
            let html = markdown::render_body(&body, &opts);
            if raw_html == RawHtml::Escape {
                prop_assert!(!html.contains("<script"));
            }
        }
        let _ = markdown::render_inline(&body);
        let _ = markdown::plain_text(&body);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Whole builds of a site whose one briefing is arbitrary: exit 0 or 1, never a crash.
    #[test]
    fn whole_build_never_crashes(yaml in yamlish(), body in "(.|\n){0,200}") {
        let site = crate::support::fixture_copy("data-site");
        std::fs::write(site.path().join("content/briefings/zz.md"), format!("---\ntitle: t\ndate: 2024-01-01\n{yaml}---\n{body}")).unwrap();
        let out = crate::support::sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).output().unwrap();
        let code = out.status.code();
        prop_assert!(code == Some(0) || code == Some(1), "exit {:?}: {}", code, String::from_utf8_lossy(&out.stderr));
        prop_assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}
