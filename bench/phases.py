"""Phases of one sitpress build from `perf script -F time,ip,sym` (DWARF call chains).

The build is one thread that runs its phases in turn, so each sample is labelled by the
functions on its call chain and the labels, in time order, give a timeline. Samples whose
chain names no phase (page rendering inside Tera, process start and exit) take the label of
the sample before them. Prints each label's share, the two main labels of every second, and
the share of samples whose chain contains some cross-cutting functions.

    python3 bench/phases.py perf.script
"""
import collections
import re
import sys

# Most specific first: the first rule whose pattern matches the joined call chain wins.
RULES = [
    ("load: YAML parse + deserialize", r"from_str_checked|yaml_serde"),
    ("load: YAML positions (locate)", r"yaml::locate"),
    ("load: resolve", r"content::resolve"),
    ("load: Site::new (derived facts)", r"Site::new"),
    ("load: lints", r"lint::lint\b"),
    ("load: other", r"content::load"),
    ("theme: compile templates", r"Theme::new"),
    ("render: views (markdown bodies)", r"render_bodies|markdown::render_body"),
    ("render: views (other)", r"Renderer::new"),
    ("render: briefing pages", r"briefing_view|BriefingView"),
    ("render: actor pages", r"actor_view|ActorView|ClaimGroup"),
    ("render: data.json", r"data_json|render::data"),
    ("render: feeds, sitemap", r"render::feeds|atom_syndication"),
    ("render: pages named by no view (Tera, lists, claims, forecasts)", r"render_all"),
    ("render: other", r"render_site"),
    ("dangling-link lint", r"dangling_links"),
    ("output: write", r"output::write"),
    ("teardown (drop)", r"build::build|drop_in_place"),
]
MARKERS = {
    "Tera template execution (VirtualMachine::render)": r"VirtualMachine::render",
    "  escape_html": r"escape_html",
    "views into Tera values (Value::try_from_serializable)": r"try_from_serializable",
    "dropping Tera contexts and values": r"drop_in_place<tera::context::Context>|drop_in_place<tera::value::Value>",
    "ClaimView::clone": r"ClaimView as core::clone::Clone",
    "dropping views": r"drop_in_place<sitpress::render::views::",
    "pulldown-cmark": r"pulldown_cmark",
    "aho-corasick": r"aho_corasick",
    "kernel page faults": r"exc_page_fault",
}


def read(path):
    samples, cur = [], None
    for line in open(path):
        m = re.match(r"^\s*(\d+\.\d+):\s*$", line)
        if m:
            cur = (float(m.group(1)), [])
            samples.append(cur)
        elif line.strip() and cur is not None:
            parts = line.strip().split(" ", 1)
            if len(parts) == 2:
                cur[1].append(parts[1])
    return samples


def main(path):
    samples = read(path)
    if not samples:
        sys.exit("no samples (was perf script run with -F time,ip,sym on a call-graph recording?)")
    rules = [(name, re.compile(rx)) for name, rx in RULES]
    labels = []
    for _, frames in samples:
        chain = "\n".join(frames)
        label = next((name for name, rx in rules if rx.search(chain)), None)
        labels.append(label or (labels[-1] if labels else "start"))
    t0, n = samples[0][0], len(samples)
    print(f"{n} samples over {samples[-1][0] - t0:.1f} s")
    counts = collections.Counter(labels)
    for name, _ in RULES:
        if counts[name]:
            print(f"{100 * counts[name] / n:5.1f}%  {name}")
    print("\nper second, the main labels:")
    seconds = collections.defaultdict(collections.Counter)
    for (t, _), label in zip(samples, labels):
        seconds[int(t - t0)][label] += 1
    for s in sorted(seconds):
        print(f"  {s:4d}s  " + "; ".join(f"{l} {c}" for l, c in seconds[s].most_common(2)))
    print("\nsamples whose call chain contains:")
    for name, rx in MARKERS.items():
        r = re.compile(rx)
        c = sum(1 for _, frames in samples if any(r.search(f) for f in frames))
        print(f"{100 * c / n:5.1f}%  {name}")


if __name__ == "__main__":
    main(sys.argv[1])
