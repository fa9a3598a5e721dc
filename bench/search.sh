#!/usr/bin/env bash
# Search benchmark: for each corpus size, builds the generated corpus with release sitpress and
# reports the index's size and its share of the build time, then what a reader's browser
# downloads for one-word queries and how soon the first results show (bench/search_latency.mjs,
# headless Debian Chromium). Everything it writes goes to $BENCH_DIR, on tmpfs by default.
#
#   bench/search.sh                 # 1k, 10k and 50k briefings
#   bench/search.sh 1000 10000      # the sizes given
#
# Environment: BENCH_DIR (/dev/shm/sitpress-search), ACTORS (400), SEED (1), SITPRESS
# (target/release/sitpress, built if missing), GEN_CORPUS (a gen_corpus binary; by default
# built with `cargo build --release --example gen_corpus`), QUERIES (passed to the latency
# script). Needs `npm ci --ignore-scripts` (playwright-core) and chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${*:-"1000 10000 50000"}
BENCH_DIR=${BENCH_DIR:-/dev/shm/sitpress-search}
ACTORS=${ACTORS:-400}
SEED=${SEED:-1}
SITPRESS=${SITPRESS:-target/release/sitpress}
[ -x "$SITPRESS" ] || cargo build --release
if [ -z "${GEN_CORPUS:-}" ]; then
    cargo build --release --example gen_corpus
    GEN_CORPUS=target/release/examples/gen_corpus
fi
mkdir -p "$BENCH_DIR"
for n in $SIZES; do
    corpus=$BENCH_DIR/c$n
    out=$BENCH_DIR/out$n
    [ -d "$corpus/sitpress" ] || "$GEN_CORPUS" --briefings "$n" --actors "$ACTORS" --seed "$SEED" "$corpus" >/dev/null
    rm -rf "$out"
    start=$(date +%s.%N)
    SITPRESS_TIMINGS=1 "$SITPRESS" build --quiet --root "$corpus/sitpress" --output "$out" 2>"$BENCH_DIR/timings$n.txt"
    end=$(date +%s.%N)
    index_ms=$(awk '/\(beside\)  search index$/ {print $1}' "$BENCH_DIR/timings$n.txt")
    # The index's share of the build's work: on one thread nothing runs beside it, so its wall
    # time is its own (the bodies' plain text, made with their HTML, is counted in the views).
    rm -rf "$out"
    start1=$(date +%s.%N)
    RAYON_NUM_THREADS=1 SITPRESS_TIMINGS=1 "$SITPRESS" build --quiet --root "$corpus/sitpress" --output "$out" 2>"$BENCH_DIR/timings$n-1thread.txt"
    end1=$(date +%s.%N)
    index1_ms=$(awk '/\(beside\)  search index$/ {print $1}' "$BENCH_DIR/timings$n-1thread.txt")
    files=$(find "$out/search-index" -type f | wc -l)
    size=$(du -sk "$out/search-index" | cut -f1)
    awk -v n="$n" -v s="$start" -v e="$end" -v ix="$index_ms" -v s1="$start1" -v e1="$end1" -v ix1="$index1_ms" -v f="$files" -v k="$size" 'BEGIN {
        printf "== %s briefings: build %.2f s wall; search index %.0f ms wall beside the pages (%.1f%% of the build); %d files, %d KiB\n", n, e - s, ix, 100 * ix / 1000 / (e - s), f, k
        printf "   on one thread: build %.2f s; search index %.0f ms (%.1f%% of the build'"'"'s work)\n", e1 - s1, ix1, 100 * ix1 / 1000 / (e1 - s1)
    }'
    # shellcheck disable=SC2086
    node bench/search_latency.mjs "$out" ${QUERIES:-}
done
