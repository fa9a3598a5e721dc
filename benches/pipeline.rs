//! Micro-benchmarks of the build's hot spots (`cargo bench`), on a generated corpus of 1,000
//! briefings and 400 actors made in-process with the logic of `examples/gen_corpus.rs`:
//!
//! - `front_matter`: splitting and deserializing one realistic briefing (5 claims);
//! - `markdown`: that briefing's ~600-word body with actor autolinking;
//! - `dossier`: one actor page of a mid-size actor (the median by claims by and about it),
//!   from views built once, as a build renders it;
//! - `briefing`: one briefing page with its claims' fragments (the claim body rendered once
//!   for the card and the page, card, row, forecast row), as a build renders them.
//!
//! Whole builds are timed by `bench/build.sh`.

use criterion::{Criterion, criterion_group, criterion_main};
use sitpress::internals::{
    Config, Site, Theme, bench, dto::BriefingFm, frontmatter, load, markdown, parse_file, relative,
};
use std::collections::HashSet;
use std::hint::black_box;
use std::path::{Path, PathBuf};

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

/// The generated corpus: its site root, loaded site and config.
struct Corpus {
    _dir: tempfile::TempDir,
    root: PathBuf,
    config: Config,
    site: Site,
}

fn corpus() -> Corpus {
    let dir = tempfile::tempdir().expect("temp dir");
    gen_corpus::generate(dir.path(), 1000, 400, 1).expect("corpus");
    let root = dir.path().join("sitpress");
    let config = Config::load(&root).expect("readable").expect("valid config");
    let today = jiff::civil::date(2025, 1, 1);
    let loaded = load(&root, &config, false, today, None, &Default::default()).expect("readable");
    let site = loaded.site.expect("the corpus is valid");
    Corpus { _dir: dir, root, config, site }
}

/// A briefing file in the middle of the corpus, as (relative path, path, text).
fn a_briefing(root: &Path) -> (String, PathBuf, String) {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/briefings"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let path = files[files.len() / 2].clone();
    let text = std::fs::read_to_string(&path).expect("readable");
    (relative(root, &path), path, text)
}

fn benches(c: &mut Criterion) {
    let corpus = corpus();
    let (rel, path, text) = a_briefing(&corpus.root);

    c.bench_function("front_matter", |b| {
        b.iter(|| {
            let mut diags = Vec::new();
            let parsed = parse_file::<BriefingFm>(&rel, &path, black_box(&text), &mut diags);
            assert!(parsed.is_some() && diags.is_empty());
            parsed
        })
    });

    let body = frontmatter::split(&text).expect("front matter").body.to_string();
    let matcher = sitpress::internals::actor_matcher(&corpus.site.actors);
    let urls: Vec<String> = corpus.site.actors.iter().map(|a| format!("/actors/{}/", a.id)).collect();
    let internal = |_: &str| None;
    let reserved: HashSet<String> = (1..=5).map(|i| format!("c{i}")).collect();
    let opts = markdown::BodyOptions {
        raw_html: corpus.config.raw_html,
        actors: Some((&matcher, &urls)),
        internal: &internal,
        reserved_ids: &reserved,
    };
    c.bench_function("markdown", |b| b.iter(|| markdown::render_body(black_box(&body), &opts)));

    let theme = Theme::new(Vec::new()).expect("built-in theme");
    let pages = bench::Pages::new(&corpus.site, &corpus.config, &theme).expect("views");
    let mut actors: Vec<usize> = (0..corpus.site.actors.len()).collect();
    let size = |a: usize| corpus.site.actor_facts[a].claims_by.len() + corpus.site.actor_facts[a].claims_about.len();
    actors.sort_by_key(|&a| (size(a), a));
    let mid = actors[actors.len() / 2];
    c.bench_function("dossier", |b| b.iter(|| pages.dossier(black_box(mid)).expect("renders")));
    // The newest briefing: its five claims' fragments and its page.
    c.bench_function("briefing", |b| b.iter(|| pages.briefing(black_box(0)).expect("renders")));
}

criterion_group! {
    name = pipeline;
    // Short runs: the machine is shared and these are for comparing changes, not for papers.
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_secs(1));
    targets = benches
}
criterion_main!(pipeline);
