//! Deterministic benchmark corpus: the same briefings as a sitpress site and as a Hugo site.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --briefings 10000 --actors 400 --seed 1 OUT
//! ```
//!
//! writes `OUT/sitpress/` (sitpress.yaml, `content/actors/*.md`,
//! `content/briefings/YYYY/MM/*.md`) and `OUT/hugo/` (hugo.toml with an `actors` taxonomy,
//! `content/briefings/*.md` with the same bodies, `content/actors/<id>/_index.md` for the term
//! pages, and a minimal set of layouts). The same arguments give byte-identical output.
//!
//! The sitpress site is meant to pass `sitpress check --strict`: bodies mention only tagged
//! actors, assessments hedge only when they state a confidence, forecasts use only the words
//! of their own likelihood, every forecast whose `resolves_by` has passed is resolved by a
//! later briefing (the last few, with no later briefing to resolve them, are due in 2040 or
//! after), every actor is tagged somewhere (the first `--actors` briefings tag one each, so
//! this needs `--briefings` >= `--actors`; fewer leave some dossiers orphans), and every date
//! is in 2010–2025.

use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// A file the generator leaves in each output folder, so that a rerun may replace it.
const MARKER: &str = ".gen_corpus";

fn main() {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            eprintln!("usage: gen_corpus [--briefings N] [--actors N] [--seed N] OUT");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("gen_corpus: {e}");
        std::process::exit(1);
    }
}

struct Args {
    briefings: usize,
    actors: usize,
    seed: u64,
    out: PathBuf,
}

impl Args {
    fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
        let (mut briefings, mut actors, mut seed, mut out) = (1000, 400, 1, None);
        while let Some(a) = it.next() {
            let mut num = |name: &str| -> Result<u64, String> {
                let v = it.next().ok_or(format!("{name} needs a value"))?;
                v.parse().map_err(|_| format!("{name}: `{v}` is not a number"))
            };
            match a.as_str() {
                "--briefings" => briefings = num("--briefings")? as usize,
                "--actors" => actors = num("--actors")? as usize,
                "--seed" => seed = num("--seed")?,
                s if s.starts_with('-') => return Err(format!("unknown option `{s}`")),
                _ if out.is_some() => return Err("only one OUT folder".into()),
                _ => out = Some(PathBuf::from(a)),
            }
        }
        if actors < 20 {
            return Err("--actors must be at least 20".into());
        }
        if briefings == 0 {
            return Err("--briefings must be at least 1".into());
        }
        Ok(Args { briefings, actors, seed, out: out.ok_or("missing OUT folder")? })
    }
}

// ---------------------------------------------------------------------------------------------
// Randomness: xorshift64*, seeded through splitmix64 so that nearby seeds differ.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n as u64) as usize
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    fn pick_string<'a>(&mut self, xs: &'a [String]) -> &'a str {
        &xs[self.below(xs.len())]
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            xs.swap(i, self.below(i + 1));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Actors.

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    State,
    Person,
    Organisation,
    Alliance,
    Igo,
    ArmedGroup,
    Media,
}

impl Kind {
    fn id(self) -> &'static str {
        match self {
            Kind::State => "state",
            Kind::Person => "person",
            Kind::Organisation => "organisation",
            Kind::Alliance => "alliance",
            Kind::Igo => "igo",
            Kind::ArmedGroup => "armed-group",
            Kind::Media => "media",
        }
    }
    /// Whether the actor speaks for itself (so it can be the `by` of a statement).
    fn speaks(self) -> bool {
        !matches!(self, Kind::State)
    }
}

struct Actor {
    id: String,
    name: String,
    kind: Kind,
    aliases: Vec<String>,
    parent: Option<usize>,
    /// (type, target)
    relations: Vec<(&'static str, usize)>,
    /// For states: the adjective ("Velkorian"); for others: the name.
    adjective: String,
    /// For persons: a role ("foreign minister").
    role: &'static str,
}

/// Invented capitalised words, never twice and never an English word of the generated text.
struct Words {
    used: HashSet<String>,
}

impl Words {
    fn new() -> Words {
        let mut used = HashSet::new();
        for w in VOCABULARY.split_whitespace() {
            used.insert(w.to_lowercase());
        }
        for t in SENTENCES.iter().chain(DEVELOPMENTS).chain(WATCH).chain(TOPICS) {
            for w in t.split(|c: char| !c.is_ascii_alphabetic()) {
                if !w.is_empty() {
                    used.insert(w.to_lowercase());
                }
            }
        }
        Words { used }
    }

    fn fresh(&mut self, rng: &mut Rng, syllables: usize, ending: &str) -> String {
        const ONSETS: &[&str] =
            &["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "st", "tr", "sk"];
        const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ei", "ou"];
        const CODAS: &[&str] = &["", "", "", "n", "r", "l", "s", "k", "v"];
        loop {
            let mut w = String::new();
            for _ in 0..syllables {
                w.push_str(rng.pick(ONSETS));
                w.push_str(rng.pick(VOWELS));
            }
            if !ending.is_empty() && w.ends_with(['a', 'i', 'u']) {
                w.pop();
                w.push(rng.pick(&['r', 'n', 'l', 'v']));
            }
            if ending.is_empty() {
                w.push_str(rng.pick(CODAS));
            } else {
                w.push_str(ending);
            }
            let mut cs = w.chars();
            let cap: String = cs.next().unwrap().to_ascii_uppercase().to_string() + cs.as_str();
            // Also keep the state adjective (`-n`) free, so "Velkorian" never names anyone.
            if self.used.insert(w.clone()) && self.used.insert(format!("{w}n")) {
                return cap;
            }
        }
    }
}

fn make_actors(rng: &mut Rng, words: &mut Words, count: usize) -> Vec<Actor> {
    let share = |pct: usize| (count * pct / 100).max(1);
    let (n_states, n_alliances, n_igos, n_groups, n_media) = (share(10), share(3), share(3), share(5), share(6));
    let n_orgs = share(27);
    let mut actors: Vec<Actor> = Vec::with_capacity(count);
    let add = |actors: &mut Vec<Actor>, name: String, kind: Kind, adjective: String| {
        actors.push(Actor {
            id: slug::slugify(&name),
            name,
            kind,
            aliases: Vec::new(),
            parent: None,
            relations: Vec::new(),
            adjective,
            role: "",
        });
        actors.len() - 1
    };

    let states: Vec<usize> = (0..n_states)
        .map(|_| {
            let syl = rng.range(2, 3);
            let name = words.fresh(rng, syl, "ia");
            let adjective = format!("{name}n");
            let capital = words.fresh(rng, 2, "");
            let a = add(&mut actors, name, Kind::State, adjective);
            actors[a].aliases.push(capital);
            a
        })
        .collect();
    let alliances: Vec<usize> = (0..n_alliances)
        .map(|_| {
            let w = words.fresh(rng, 2, "");
            let name = format!("{w} {}", rng.pick(&["Pact", "Compact", "Treaty Organisation", "Defence Union"]));
            add(&mut actors, name.clone(), Kind::Alliance, name)
        })
        .collect();
    for _ in 0..n_igos {
        let w = words.fresh(rng, 2, "");
        let name = format!("{w} {}", rng.pick(&["Council", "Commission", "Assembly", "Monitoring Mission"]));
        add(&mut actors, name.clone(), Kind::Igo, name);
    }
    for _ in 0..n_groups {
        let w = words.fresh(rng, 2, "");
        let name = format!("{w} {}", rng.pick(&["Front", "Brigades", "Liberation Army", "Movement"]));
        add(&mut actors, name.clone(), Kind::ArmedGroup, name);
    }
    for _ in 0..n_media {
        let w = words.fresh(rng, 2, "");
        let name = format!("{w} {}", rng.pick(&["Herald", "Wire", "Broadcasting", "Daily"]));
        let a = add(&mut actors, name.clone(), Kind::Media, name);
        if rng.chance(0.5) {
            actors[a].parent = Some(rng.pick(&states));
        }
    }
    // Organisations: one of each body per state at most, so names stay unique.
    const BODIES: &[&str] = &[
        "Defence Ministry",
        "Foreign Ministry",
        "Interior Ministry",
        "General Staff",
        "Border Guard",
        "Security Service",
        "National Assembly",
        "Navy",
        "Air Force",
        "Central Bank",
        "Energy Ministry",
        "Coast Guard",
    ];
    let mut orgs = Vec::new();
    let mut taken = HashSet::new();
    while orgs.len() < n_orgs {
        let s = rng.pick(&states);
        let b = rng.below(BODIES.len());
        if !taken.insert((s, b)) {
            if taken.len() >= states.len() * BODIES.len() {
                break;
            }
            continue;
        }
        let name = format!("{} {}", actors[s].adjective, BODIES[b]);
        let a = add(&mut actors, name.clone(), Kind::Organisation, name);
        actors[a].parent = Some(s);
        orgs.push(a);
    }
    const ROLES: &[&str] =
        &["president", "prime minister", "foreign minister", "defence minister", "army chief", "spokesperson", "envoy"];
    const GIVEN: usize = 80;
    let given: Vec<String> = (0..GIVEN).map(|_| words.fresh(rng, 2, "")).collect();
    while actors.len() < count {
        let surname = {
            let syl = rng.range(2, 3);
            words.fresh(rng, syl, "")
        };
        let name = format!("{} {surname}", rng.pick_string(&given));
        let a = add(&mut actors, name.clone(), Kind::Person, name);
        actors[a].aliases.push(surname);
        actors[a].role = rng.pick(ROLES);
        let u = rng.unit();
        actors[a].parent = if u < 0.7 {
            Some(rng.pick(&states))
        } else if u < 0.9 && !orgs.is_empty() {
            Some(rng.pick(&orgs))
        } else {
            None
        };
        if let Some(p) = actors[a].parent
            && rng.chance(0.1)
        {
            actors[a].relations.push(("leads", p));
        }
    }
    for &s in &states {
        if rng.chance(0.6) {
            let al = rng.pick(&alliances);
            actors[s].relations.push(("member-of", al));
        }
    }
    actors.truncate(count);
    actors
}

fn actor_file(actors: &[Actor], a: usize) -> String {
    let actor = &actors[a];
    let mut s = String::from("---\n");
    let _ = writeln!(s, "name: {}", q(&actor.name));
    let _ = writeln!(s, "kind: {}", actor.kind.id());
    if !actor.aliases.is_empty() {
        s.push_str("aliases:\n");
        for al in &actor.aliases {
            let _ = writeln!(s, "  - {}", q(al));
        }
    }
    if let Some(p) = actor.parent {
        let _ = writeln!(s, "parent: {}", actors[p].id);
    }
    if !actor.relations.is_empty() {
        s.push_str("relations:\n");
        for (t, target) in &actor.relations {
            let _ = writeln!(s, "  - type: {t}\n    target: {}", actors[*target].id);
        }
    }
    s.push_str("---\n\n");
    s.push_str(&actor_description(actors, a));
    s
}

fn actor_description(actors: &[Actor], a: usize) -> String {
    let actor = &actors[a];
    let what = match actor.kind {
        Kind::State => "a state".to_string(),
        Kind::Person => format!("the {}", actor.role),
        Kind::Organisation => "a government body".to_string(),
        Kind::Alliance => "a defence alliance".to_string(),
        Kind::Igo => "an intergovernmental organisation".to_string(),
        Kind::ArmedGroup => "a non-state armed group".to_string(),
        Kind::Media => "a news outlet".to_string(),
    };
    let of = match actor.parent {
        Some(p) => format!(" of {}", actors[p].name),
        None => String::new(),
    };
    format!(
        "{} is {what}{of} that appears in this corpus of generated briefings. \
         Its statements and the claims about it are collected on this page.\n",
        actor.name
    )
}

// ---------------------------------------------------------------------------------------------
// Briefings: first a plan for the whole corpus (dates, actors, claims, who resolves what), then
// the text of each file.

#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Yes,
    No,
    Ambiguous,
    Annulled,
}

impl Outcome {
    fn id(self) -> &'static str {
        match self {
            Outcome::Yes => "yes",
            Outcome::No => "no",
            Outcome::Ambiguous => "ambiguous",
            Outcome::Annulled => "annulled",
        }
    }
}

struct Resolution {
    claim: String,
    outcome: Outcome,
    evidence: bool,
}

struct Forecast {
    likelihood: usize,
    resolves_by: Date,
    /// Resolved by this briefing (index) with this outcome; `None` for forecasts still open.
    resolved: Option<(usize, Outcome)>,
}

enum Claim {
    Report { about: Vec<usize>, supports: Option<String> },
    Statement { by: usize, about: Vec<usize> },
    Denial { by: usize, disputes: String },
    Assessment { about: Vec<usize>, confidence: Option<usize> },
    Assumption { about: Vec<usize> },
    Forecast { about: Vec<usize>, f: Forecast, condition: bool },
}

struct Briefing {
    id: String,
    date: Date,
    title: String,
    actors: Vec<usize>,
    claims: Vec<Claim>,
    resolves: Vec<Resolution>,
    tags: Vec<&'static str>,
}

const LIKELIHOODS: &[(&str, f64, f64)] = &[
    ("almost-no-chance", 0.01, 0.05),
    ("very-unlikely", 0.05, 0.20),
    ("unlikely", 0.20, 0.45),
    ("roughly-even-chance", 0.45, 0.55),
    ("likely", 0.55, 0.80),
    ("very-likely", 0.80, 0.95),
    ("almost-certain", 0.95, 0.99),
];
const CONFIDENCE: &[&str] = &["low", "moderate", "high"];
const TAGS: &[&str] = &[
    "border",
    "energy",
    "sanctions",
    "maritime",
    "elections",
    "ceasefire",
    "arms-transfers",
    "cyber",
    "migration",
    "nuclear",
];

fn plan(rng: &mut Rng, actors: &[Actor], n: usize) -> Vec<Briefing> {
    let start = Date::constant(2010, 1, 1);
    let span = 5843; // days to 2025-12-31
    let mut offsets: Vec<i64> = (0..n).map(|_| rng.below(span + 1) as i64).collect();
    offsets.sort_unstable();
    // Popularity: a shuffled order of actors, drawn with a skew so some actors are busy.
    let mut popular: Vec<usize> = (0..actors.len()).collect();
    rng.shuffle(&mut popular);
    let mut briefings: Vec<Briefing> = Vec::with_capacity(n);
    for (i, off) in offsets.iter().enumerate() {
        let date = start.checked_add(off.days()).unwrap();
        let k = rng.range(2, 6);
        let mut tagged: Vec<usize> = Vec::with_capacity(k);
        // The first briefings tag every actor once, so no dossier is an orphan.
        if i < actors.len() {
            tagged.push(popular[i]);
        }
        while tagged.len() < k {
            let u = rng.unit();
            let a = popular[((u * u) * actors.len() as f64) as usize];
            if !tagged.contains(&a) {
                tagged.push(a);
            }
        }
        let topic = rng.pick(TOPICS);
        let title = format!("{} and {}: {topic}", actors[tagged[0]].name, actors[tagged[1]].name);
        let slug: String = slug::slugify(&title).chars().take(48).collect::<String>().trim_end_matches('-').to_string();
        let id = format!("b{i:06}-{slug}");
        let mut tags = vec![rng.pick(TAGS)];
        let t2 = rng.pick(TAGS);
        if t2 != tags[0] {
            tags.push(t2);
        }
        briefings.push(Briefing { id, date, title, actors: tagged, claims: Vec::new(), resolves: Vec::new(), tags });
    }

    for i in 0..n {
        let tagged = briefings[i].actors.clone();
        let about = |rng: &mut Rng| -> Vec<usize> {
            let mut v = vec![rng.pick(&tagged)];
            if rng.chance(0.4) {
                let b = rng.pick(&tagged);
                if b != v[0] {
                    v.push(b);
                }
            }
            v
        };
        let speaker = |rng: &mut Rng| -> usize {
            let speakers: Vec<usize> = tagged.iter().copied().filter(|&a| actors[a].kind.speaks()).collect();
            if speakers.is_empty() { rng.pick(&tagged) } else { rng.pick(&speakers) }
        };
        let earlier = |rng: &mut Rng| -> Option<String> {
            (i > 0).then(|| briefings[i - 1 - rng.below(i.min(50))].id.clone() + "#c1")
        };
        let mut claims = Vec::with_capacity(5);
        claims.push(Claim::Report { about: about(rng), supports: earlier(rng).filter(|_| rng.chance(0.2)) });
        claims.push(match earlier(rng) {
            Some(disputes) if rng.chance(0.3) => Claim::Denial { by: speaker(rng), disputes },
            _ => Claim::Statement { by: speaker(rng), about: about(rng) },
        });
        let confidence = rng.chance(0.5).then(|| rng.below(3));
        claims.push(Claim::Assessment { about: about(rng), confidence });
        let (f4, o4) = forecast(rng, &briefings, i, None);
        claims.push(Claim::Forecast { about: about(rng), f: f4, condition: false });
        let u = rng.unit();
        claims.push(if u < 0.3 {
            let (f5, _) = forecast(rng, &briefings, i, Some(o4));
            Claim::Forecast { about: about(rng), f: f5, condition: true }
        } else if u < 0.5 {
            Claim::Assumption { about: about(rng) }
        } else if u < 0.75 {
            Claim::Statement { by: speaker(rng), about: about(rng) }
        } else {
            Claim::Report { about: about(rng), supports: None }
        });
        for (c, claim) in claims.iter().enumerate() {
            if let Claim::Forecast { f: Forecast { resolved: Some((j, outcome)), .. }, .. } = claim {
                let claim = format!("{}#c{}", briefings[i].id, c + 1);
                let evidence = rng.chance(0.4);
                briefings[*j].resolves.push(Resolution { claim, outcome: *outcome, evidence });
            }
        }
        briefings[i].claims = claims;
    }
    briefings
}

/// A forecast made in briefing `i`, with the later briefing that resolves it. `condition` is
/// the plan of the forecast this one is conditional on: (resolver, outcome) or open.
fn forecast(
    rng: &mut Rng,
    briefings: &[Briefing],
    i: usize,
    condition: Option<Option<(usize, Outcome)>>,
) -> (Forecast, Option<(usize, Outcome)>) {
    let n = briefings.len();
    let likelihood = rng.below(LIKELIHOODS.len());
    let resolver = match condition {
        None => Some(i + 1 + rng.below(60)),
        Some(None) => None,
        Some(Some((j, _))) => Some(j + rng.below(20)),
    }
    .filter(|&j| j < n);
    let date = briefings[i].date;
    let resolved = resolver.map(|j| {
        let outcome = match condition {
            Some(Some((_, Outcome::No))) => Outcome::Annulled,
            _ => match rng.below(20) {
                0..=8 => Outcome::Yes,
                9..=17 => Outcome::No,
                _ => Outcome::Ambiguous,
            },
        };
        (j, outcome)
    });
    let resolves_by = match resolved {
        Some((j, _)) => {
            let due = briefings[j].date.checked_sub((rng.below(15) as i64).days()).unwrap();
            due.max(date.checked_add(7.days()).unwrap())
        }
        // No later briefing to resolve it: due far enough ahead to stay open for years.
        None => Date::constant(2040, 1, 1).checked_add((rng.below(3650) as i64).days()).unwrap(),
    };
    (Forecast { likelihood, resolves_by, resolved }, resolved)
}

// ---------------------------------------------------------------------------------------------
// Text.

/// Filler words; together with the templates below, the words no actor name may be.
const VOCABULARY: &str = "the a an and or of in on to for with by from at as over under after before \
    during since about against between into towards while this that these those it its their they \
    officials analysts sources reports units troops talks forces border region week month year \
    statement denial assessment forecast claim briefing pressure deployment exercise agreement";

/// Sentence templates: `{a}` and `{b}` are tagged actors, `{p}` a place, `{n}` a number,
/// `{d}` the briefing's date.
const SENTENCES: &[&str] = &[
    "{a} moved additional units towards {p} over the past week, according to officials familiar with the matter.",
    "Satellite imagery reviewed by independent analysts shows new construction near {p}, including storage sheds, a rail spur and fuel tanks.",
    "{a} and {b} held a second round of talks on {d}, the first since the spring, without announcing an agreement.",
    "A spokesperson for {a} described the measures as routine and said they were not aimed at any neighbour.",
    "Traffic at the crossings near {p} fell by about {n} percent in the month to {d}, according to customs data.",
    "The exercise involved roughly {n} hundred personnel, armoured vehicles and at least two helicopter squadrons.",
    "Local officials in {p} reported power cuts lasting several hours after strikes on a substation.",
    "{b} summoned the ambassador of {a} and handed over a formal protest note.",
    "Shipping data shows {n} tankers loitering outside the port of {p} for more than a week.",
    "Diplomats in the capital say the talks stalled over the sequencing of sanctions relief and troop withdrawals.",
    "{a} published a decree extending the state of emergency in {p} for another ninety days.",
    "Opposition deputies demanded a parliamentary hearing on the costs of the deployment.",
    "Commercial flights over {p} were rerouted after air defence units were placed on heightened alert.",
    "Prices of bread and fuel in {p} rose by {n} percent over the quarter, the statistics office said.",
    "Both delegations agreed to set up a working group on prisoner exchanges and the return of remains.",
    "{b} said it would send observers to {p} once the security situation allowed.",
    "Humanitarian agencies counted about {n} thousand displaced people in camps around {p}.",
    "A convoy of {n} trucks carrying engineering equipment was filmed on the highway north of {p}.",
    "The foreign ministry of {a} rejected the reports as fabricated and called for an inquiry.",
    "Markets reacted calmly, with the currency of {b} little changed against the dollar.",
    "Earlier rounds of the same talks ended with joint statements that were never carried out.",
    "Analysts note that the timing coincides with the budget debate and the annual conscription call.",
    "{a} has not commented on the incident, and its state media did not report it.",
    "Witnesses in {p} described explosions shortly after midnight, followed by sirens and smoke.",
    "The agreement would cap deployments at {n} battalions on each side of the line.",
];
const DEVELOPMENTS: &[&str] = &[
    "new units sighted near the border",
    "talks resumed after a pause",
    "formal protest note delivered",
    "decree on emergency powers signed",
    "exercise announced at short notice",
    "sanctions package adopted",
    "prisoner exchange completed",
    "observers denied access",
    "ceasefire violation reported",
    "energy supplies cut",
];
const WATCH: &[&str] = &[
    "Whether the units near {p} return to their garrisons after the exercise ends.",
    "Any date set for the next round of talks, and who leads each delegation.",
    "Statements by {a} on the status of the observers in {p}.",
    "Movement of air defence systems towards the coast.",
    "The vote on the budget and the defence spending line in it.",
    "Further strikes on energy infrastructure around {p}.",
    "Whether {b} widens the sanctions list to cover shipping companies.",
];
const TOPICS: &[&str] = &[
    "talks stall over border crossings",
    "troop build-up near the frontier",
    "sanctions and the energy trade",
    "a disputed naval incident",
    "ceasefire under strain",
    "new arms deliveries",
    "prisoner exchange talks",
    "election tensions rise",
    "strikes on power plants",
    "a crisis at the ports",
];

struct Text<'a> {
    actors: &'a [Actor],
    briefing: &'a Briefing,
    places: &'a [String],
}

impl Text<'_> {
    /// A tagged actor's name or, now and then, its first alias.
    fn name(&self, rng: &mut Rng) -> &str {
        let a = rng.pick(&self.briefing.actors);
        self.mention(rng, a)
    }
    fn mention(&self, rng: &mut Rng, a: usize) -> &str {
        let a = &self.actors[a];
        if !a.aliases.is_empty() && rng.chance(0.3) { &a.aliases[0] } else { &a.name }
    }
    fn fill(&self, rng: &mut Rng, template: &str) -> String {
        let tagged = &self.briefing.actors;
        let a = rng.below(tagged.len());
        let b = (a + 1 + rng.below(tagged.len() - 1)) % tagged.len();
        let mut s = template.to_string();
        for (key, value) in [
            ("{a}", self.mention(rng, tagged[a]).to_string()),
            ("{b}", self.mention(rng, tagged[b]).to_string()),
            ("{p}", rng.pick_string(self.places).to_string()),
            ("{n}", rng.range(3, 90).to_string()),
            ("{d}", display(self.briefing.date)),
        ] {
            s = s.replace(key, &value);
        }
        s
    }
    fn fill_from(&self, rng: &mut Rng, templates: &[&str]) -> String {
        let template = rng.pick(templates);
        self.fill(rng, template)
    }
    fn paragraph(&self, rng: &mut Rng, sentences: usize) -> String {
        let mut p = String::new();
        for k in 0..sentences {
            if k > 0 {
                p.push(' ');
            }
            p.push_str(&self.fill_from(rng, SENTENCES));
        }
        p
    }
}

fn display(d: Date) -> String {
    const MONTHS: &[&str] = &[
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {} {}", d.day(), MONTHS[d.month() as usize - 1], d.year())
}

/// The Markdown body, ~600 words, with `@/` links (sitpress's form; Hugo's copy drops the `@`).
fn body(rng: &mut Rng, t: &Text, prev: Option<&Briefing>) -> String {
    let b = t.briefing;
    let mut s = String::with_capacity(5000);
    s.push_str("## Bottom line\n\n");
    s.push_str(&t.paragraph(rng, 4));
    if let Some(p) = prev {
        let _ = write!(s, " This follows our [briefing of {}](@/briefings/{}/).", display(p.date), p.id);
    }
    let lead = &t.actors[b.actors[0]];
    let _ = write!(s, " See the [dossier](@/actors/{}/) for the background.\n\n", lead.id);
    s.push_str("## Background\n\n");
    s.push_str(&t.paragraph(rng, 5));
    s.push_str("\n\n");
    s.push_str(&t.paragraph(rng, 5));
    s.push_str("\n\n## Key developments\n\n| Date | Actor | Development |\n|---|---|---|\n");
    for k in 0..4 {
        let d = b.date.checked_sub((((3 - k) * rng.range(1, 5)) as i64).days()).unwrap();
        let _ = writeln!(s, "| {} | {} | {} |", display(d), t.name(rng), rng.pick(DEVELOPMENTS));
    }
    s.push_str("\n## Analysis\n\n");
    s.push_str(&t.paragraph(rng, 6));
    s.push_str("\n\nThree factors shape the outlook:\n\n");
    for k in 1..=3 {
        let _ = writeln!(s, "{k}. {}", t.fill_from(rng, SENTENCES));
    }
    s.push('\n');
    s.push_str(&t.paragraph(rng, 5));
    s.push_str("\n\n## What to watch\n\n");
    for _ in 0..4 {
        let _ = writeln!(s, "- {}", t.fill_from(rng, WATCH));
    }
    s
}

/// A YAML (and TOML) double-quoted string.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn briefing_file(rng: &mut Rng, t: &Text, body: &str) -> String {
    let b = t.briefing;
    let actors = t.actors;
    let name = |a: usize| actors[a].name.as_str();
    let mut s = String::with_capacity(8000);
    s.push_str("---\n");
    let _ = writeln!(s, "title: {}", q(&b.title));
    let _ = writeln!(s, "date: {}", b.date);
    let _ = writeln!(
        s,
        "summary: {}",
        q(&format!(
            "{} and {} traded positions on {}; the situation in {} remains tense.",
            name(b.actors[0]),
            name(b.actors[1]),
            TOPICS[rng.below(TOPICS.len())].trim_start_matches("a "),
            rng.pick_string(t.places)
        ))
    );
    s.push_str("authors: [\"Generated desk\"]\nkey_takeaways:\n");
    for _ in 0..2 {
        let _ = writeln!(s, "  - {}", q(&t.fill_from(rng, SENTENCES)));
    }
    s.push_str("actors:\n");
    for &a in &b.actors {
        let _ = writeln!(s, "  - {}", actors[a].id);
    }
    let _ = writeln!(s, "tags: [{}]", b.tags.join(", "));
    s.push_str("sources:\n");
    const PUBLISHERS: &[&str] = &["Wire Service One", "Regional Monitor", "Defence Weekly", "Open Source Digest"];
    for k in 1..=3 {
        let published = b.date.checked_sub((rng.below(3) as i64).days()).unwrap();
        let _ = write!(
            s,
            "  - id: s{k}\n    title: {}\n    publisher: {}\n    url: \"https://example.org/news/{}/{k}\"\n    \
             published: {published}\n    reliability: {}\n",
            q(&t.fill(rng, "{a} and {b} on the situation in {p}")),
            q(rng.pick(PUBLISHERS)),
            b.id,
            rng.pick(&["A", "B", "B", "C", "C", "D", "F"]),
        );
    }
    s.push_str("claims:\n");
    let sources = |rng: &mut Rng, s: &mut String| {
        let _ =
            writeln!(s, "    sources:\n      - ref: s{}\n        credibility: {}", rng.range(1, 3), rng.range(1, 4));
    };
    let about = |s: &mut String, about: &[usize]| {
        let ids: Vec<&str> = about.iter().map(|&a| actors[a].id.as_str()).collect();
        let _ = writeln!(s, "    about: [{}]", ids.join(", "));
    };
    let claim_date = |rng: &mut Rng| b.date.checked_sub((rng.below(3) as i64).days()).unwrap();
    for claim in &b.claims {
        match claim {
            Claim::Report { about: ab, supports } => {
                s.push_str("  - type: report\n");
                about(&mut s, ab);
                let _ = writeln!(s, "    date: {}", claim_date(rng));
                let _ = writeln!(
                    s,
                    "    text: {}",
                    q(&format!("{} {}", name(ab[0]), rng.pick(REPORTS).replace("{p}", rng.pick_string(t.places))))
                );
                sources(rng, &mut s);
                if let Some(sup) = supports {
                    let _ = writeln!(s, "    supports: [\"{sup}\"]");
                }
            }
            Claim::Statement { by, about: ab } => {
                s.push_str("  - type: statement\n");
                let _ = writeln!(s, "    by: {}", actors[*by].id);
                about(&mut s, ab);
                let _ = writeln!(s, "    date: {}", claim_date(rng));
                let _ = writeln!(s, "    text: {}", q(&format!("{} said {}", name(*by), rng.pick(SAID))));
                let _ = writeln!(s, "    quote: {}", q(rng.pick(QUOTES)));
                sources(rng, &mut s);
            }
            Claim::Denial { by, disputes } => {
                s.push_str("  - type: denial\n");
                let _ = writeln!(s, "    by: {}", actors[*by].id);
                let _ =
                    writeln!(s, "    text: {}", q(&format!("{} rejected the earlier reports as false.", name(*by))));
                let _ = writeln!(s, "    quote: {}", q("These reports are fabricated and we reject them."));
                let _ = writeln!(s, "    disputes: [\"{disputes}\"]");
                sources(rng, &mut s);
            }
            Claim::Assessment { about: ab, confidence } => {
                s.push_str("  - type: assessment\n");
                about(&mut s, ab);
                let text = match confidence {
                    // Hedging is fine with a stated confidence.
                    Some(_) => format!("{} may be {}", name(ab[0]), rng.pick(JUDGMENTS)),
                    None => format!("{} is {}", name(ab[0]), rng.pick(JUDGMENTS)),
                };
                let _ = writeln!(s, "    text: {}", q(&text));
                if let Some(c) = confidence {
                    let _ = writeln!(s, "    confidence: {}", CONFIDENCE[*c]);
                }
                if rng.chance(0.3) {
                    s.push_str("    indicators:\n      - \"A return of units to their garrisons\"\n");
                }
            }
            Claim::Assumption { about: ab } => {
                s.push_str("  - type: assumption\n");
                about(&mut s, ab);
                let _ = writeln!(
                    s,
                    "    text: {}",
                    q(&format!("{} keeps its current policy through the year.", name(ab[0])))
                );
            }
            Claim::Forecast { about: ab, f, condition } => {
                s.push_str("  - type: forecast\n");
                about(&mut s, ab);
                let (term, lo, hi) = LIKELIHOODS[f.likelihood];
                let mut label = term.replace('-', " ");
                label[..1].make_ascii_uppercase();
                let text =
                    format!("{label}: {} will {} by {}.", name(ab[0]), rng.pick(FUTURES), display(f.resolves_by));
                let _ = writeln!(s, "    text: {}", q(&text));
                let _ = writeln!(s, "    likelihood: {term}");
                if rng.chance(0.5) {
                    let p = lo + (hi - lo) * rng.unit();
                    let _ = writeln!(s, "    probability: {:.2}", p.clamp(lo, hi));
                }
                if rng.chance(0.5) {
                    let _ = writeln!(s, "    confidence: {}", rng.pick(CONFIDENCE));
                }
                let _ = writeln!(s, "    resolves_by: {}", f.resolves_by);
                if *condition {
                    s.push_str("    condition: c4\n");
                }
            }
        }
    }
    if !b.resolves.is_empty() {
        s.push_str("resolves:\n");
        for r in &b.resolves {
            let _ = writeln!(s, "  - claim: \"{}\"\n    outcome: \"{}\"", r.claim, r.outcome.id());
            if r.evidence {
                s.push_str("    evidence: [c1]\n");
            }
            let _ = writeln!(s, "    note: {}", q("Resolved on the evidence of this briefing's reporting."));
        }
    }
    s.push_str("---\n\n");
    s.push_str(body);
    s
}

const REPORTS: &[&str] = &[
    "moved armoured units to positions near {p}.",
    "closed two border crossings near {p} to civilian traffic.",
    "began a large-scale exercise around {p}.",
    "detained a group of foreign nationals in {p}.",
    "suspended gas deliveries through the pipeline at {p}.",
];
const SAID: &[&str] = &[
    "the talks would continue next month.",
    "the exercise was planned long in advance.",
    "no troops would cross the line of contact.",
    "the sanctions were a violation of international law.",
    "the observers were welcome once conditions allowed.",
];
const QUOTES: &[&str] = &[
    "We remain committed to a negotiated settlement.",
    "Our forces act only in self-defence.",
    "This decision was taken in full accordance with the law.",
    "We will respond to any provocation.",
];
/// Plain judgments: no hedging word, no likelihood term.
const JUDGMENTS: &[&str] = &[
    "using the exercise to test the readiness of its reserves.",
    "seeking leverage before the next round of talks.",
    "under growing economic pressure from the sanctions.",
    "trying to keep the dispute below the threshold of open conflict.",
    "signalling resolve to a domestic audience.",
];
const FUTURES: &[&str] = &[
    "sign a ceasefire agreement",
    "withdraw its units from the border area",
    "announce new sanctions",
    "hold a further round of talks",
    "reopen the border crossings",
    "complete a prisoner exchange",
];

/// The Hugo copy of a briefing: the same title, date, summary and body, actors as a taxonomy.
fn hugo_briefing(actors: &[Actor], b: &Briefing, summary_line: &str, body: &str) -> String {
    let mut s = String::with_capacity(body.len() + 500);
    s.push_str("---\n");
    let _ = writeln!(s, "title: {}", q(&b.title));
    let _ = writeln!(s, "date: {}", b.date);
    s.push_str(summary_line);
    s.push_str("actors:\n");
    for &a in &b.actors {
        let _ = writeln!(s, "  - {}", actors[a].id);
    }
    let _ = writeln!(s, "tags: [{}]", b.tags.join(", "));
    s.push_str("---\n\n");
    s.push_str(&body.replace("](@/", "](/"));
    s
}

// ---------------------------------------------------------------------------------------------
// Output.

fn prepare(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let empty = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.next().is_none();
        if !empty && !dir.join(MARKER).exists() {
            return Err(format!("{} exists and was not written by gen_corpus; not replacing it", dir.display()));
        }
        fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    write(&dir.join(MARKER), "written by examples/gen_corpus.rs; a rerun replaces this folder\n")
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes the corpus of `briefings` briefings and `actors` actors into `out`, as the command
/// does; `cargo bench` includes this file to make its corpus in-process.
#[allow(dead_code)]
pub fn generate(out: &Path, briefings: usize, actors: usize, seed: u64) -> Result<(), String> {
    run(&Args { briefings, actors, seed, out: out.to_path_buf() })
}

fn run(args: &Args) -> Result<(), String> {
    let mut rng = Rng::new(args.seed);
    let mut words = Words::new();
    let actors = make_actors(&mut rng, &mut words, args.actors);
    let places: Vec<String> = (0..60).map(|_| words.fresh(&mut rng, 2, "")).collect();
    let briefings = plan(&mut rng, &actors, args.briefings);

    let sp = args.out.join("sitpress");
    let hugo = args.out.join("hugo");
    prepare(&sp)?;
    prepare(&hugo)?;
    write(
        &sp.join("sitpress.yaml"),
        &format!(
            "title: \"Generated situation reports\"\ndescription: \"A benchmark corpus from gen_corpus (seed {}).\"\n\
             base_url: \"https://example.org/\"\nlanguage: en\n",
            args.seed
        ),
    )?;
    write(&hugo.join("hugo.toml"), HUGO_CONFIG)?;
    for (name, text) in HUGO_LAYOUTS {
        write(&hugo.join("layouts/_default").join(name), text)?;
    }
    for (a, actor) in actors.iter().enumerate() {
        write(&sp.join("content/actors").join(format!("{}.md", actor.id)), &actor_file(&actors, a))?;
        write(
            &hugo.join("content/actors").join(&actor.id).join("_index.md"),
            &format!("---\ntitle: {}\n---\n\n{}", q(&actor.name), actor_description(&actors, a)),
        )?;
    }
    let mut words_total = 0usize;
    for (i, b) in briefings.iter().enumerate() {
        // Each briefing's text has its own stream, so the plan above fixes everything else.
        let mut rng = Rng::new(args.seed ^ (i as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407));
        let t = Text { actors: &actors, briefing: b, places: &places };
        let prev = (i > 0).then(|| &briefings[i - 1 - rng.below(i.min(30))]);
        let body = body(&mut rng, &t, prev);
        words_total += body.split_whitespace().count();
        let file = briefing_file(&mut rng, &t, &body);
        let summary_line = file.lines().find(|l| l.starts_with("summary: ")).unwrap_or_default().to_string() + "\n";
        let dir = format!("content/briefings/{:04}/{:02}", b.date.year(), b.date.month());
        write(&sp.join(dir).join(format!("{}.md", b.id)), &file)?;
        write(
            &hugo.join("content/briefings").join(format!("{}.md", b.id)),
            &hugo_briefing(&actors, b, &summary_line, &body),
        )?;
    }
    eprintln!(
        "gen_corpus: {} briefings ({} body words on average), {} actors in {}",
        briefings.len(),
        words_total / briefings.len(),
        actors.len(),
        args.out.display()
    );
    Ok(())
}

const HUGO_CONFIG: &str = r#"baseURL = "https://example.org/"
title = "Generated situation reports"
disableKinds = ["robotsTXT"]

[taxonomies]
actor = "actors"

[pagination]
pagerSize = 50

# sitpress's feeds carry the latest 50 briefings.
[services.rss]
limit = 50
"#;

const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "baseof.html",
        r#"<!doctype html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<nav><a href="{{ "/" | relURL }}">{{ site.Title }}</a> · <a href="{{ "/briefings/" | relURL }}">Briefings</a> · <a href="{{ "/actors/" | relURL }}">Actors</a></nav>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"#,
    ),
    (
        "single.html",
        r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
{{ with .GetTerms "actors" }}<ul class="actors">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>
{{ end }}
"#,
    ),
    (
        "list.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = where site.RegularPages "Section" "briefings" }}{{ end }}
{{ $paginator := .Paginate $pages }}
<ul>
{{ range $paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time><p>{{ .Params.summary }}</p></li>
{{ end }}
</ul>
{{ with $paginator.Prev }}<a href="{{ .URL }}">newer</a>{{ end }}
{{ with $paginator.Next }}<a href="{{ .URL }}">older</a>{{ end }}
{{ end }}
"#,
    ),
    (
        "taxonomy.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}
</ul>
{{ end }}
"#,
    ),
    (
        "term.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}
</ul>
{{ end }}
"#,
    ),
];
