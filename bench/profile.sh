#!/usr/bin/env bash
# Where a sitpress build spends its time: perf profiles of one build of a generated corpus.
#
#   bench/profile.sh              # 10k briefings
#   N=1000 bench/profile.sh
#
# Writes to $BENCH_DIR (tmpfs): perf-flat.txt (self time per function) and phases.txt (the
# build's phases in time order, from call chains; see bench/phases.py), and prints both. Needs perf
# (Debian: linux-perf) and kernel.perf_event_paranoid <= 2. The release profile keeps line
# tables, so inlined frames have names.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-10000}
ACTORS=${ACTORS:-400}
SEED=${SEED:-1}
BENCH_DIR=${BENCH_DIR:-/dev/shm/sitpress-bench}
NICE=${NICE:-10}

command -v perf >/dev/null 2>&1 || apt-get install -y linux-perf >/dev/null
nice -n "$NICE" cargo build --release --quiet --bin sitpress --example gen_corpus
mkdir -p "$BENCH_DIR"
corpus=$BENCH_DIR/c$N
[ -f "$corpus/sitpress/sitpress.yaml" ] ||
    target/release/examples/gen_corpus --briefings "$N" --actors "$ACTORS" --seed "$SEED" "$corpus"
out=$BENCH_DIR/out-profile-$N
build=(target/release/sitpress build --quiet --root "$corpus/sitpress" --output "$out")

# Self time: many samples, no call chains.
rm -rf "$out"
nice -n "$NICE" perf record -q -F 999 -o "$BENCH_DIR/perf-flat.data" -- "${build[@]}"
perf report -i "$BENCH_DIR/perf-flat.data" --stdio --no-children --percent-limit 0.5 2>/dev/null \
    | grep -v '^#' | grep -v '^$' >"$BENCH_DIR/perf-flat.txt"

# Phases: fewer samples, DWARF call chains deep enough for Tera's recursion, read in time order.
rm -rf "$out"
nice -n "$NICE" perf record -q -F 97 --call-graph dwarf,65528 -o "$BENCH_DIR/perf-tree.data" -- "${build[@]}"
perf script -i "$BENCH_DIR/perf-tree.data" -F time,ip,sym 2>/dev/null >"$BENCH_DIR/perf-tree.script"
python3 bench/phases.py "$BENCH_DIR/perf-tree.script" >"$BENCH_DIR/phases.txt"
rm -rf "$out"

echo "== self time ($BENCH_DIR/perf-flat.txt)"
head -30 "$BENCH_DIR/perf-flat.txt"
echo "== phases ($BENCH_DIR/phases.txt)"
cat "$BENCH_DIR/phases.txt"
