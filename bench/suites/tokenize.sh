#!/bin/sh
# tokenize benchmark: throughput of the tokeniser's paths (hashes only; spans,
# the block path with hand-overs; spans through the general path alone) over
# the texts of a generated news corpus, and whether the two spans paths
# agree token for token.  Writes $RESULTS/tokenize.json.
#
#   gen_corpus --docs N (default 20,000; news-like articles of ~3.5 KB, the
#   stories benchmark's generator and seed), then tokenize_speed: CPU time,
#   best of three passes per path.
set -eu
: "${BUILD:?}" "${RESULTS:?}" "${BENCH_DATA:?}" "${GEMA_EVAL:?}"
N=${TOKENIZE_DOCS:-20000}
D=$BENCH_DATA/tokenize
mkdir -p "$D"
F=$D/gen$N.jsonl
if [ ! -s "$F" ]; then
    "$BUILD/bench/gen_corpus" --docs "$N" --seed 5 --days $((N * 365 / 100000 + 1)) \
        --eval "$GEMA_EVAL" --output "$F.tmp"
    mv "$F.tmp" "$F"
fi
R=$("$BUILD/bench/tokenize_speed" "$F" --rounds 3)
{
    printf '{\n  "suite": "tokenize",\n  "date": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '  "load": "%s",\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
    printf '  "build": "%s",\n  "docs": %s,\n' \
        "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$N"
    printf '  "result": %s\n}\n' "$R"
} > "$RESULTS/tokenize.json"
echo "tokenize: $R" >&2
