#!/bin/sh
# mojibake benchmark: encoding repair (lib/mojibake.c, run by gema clean).
# Writes $RESULTS/mojibake.json.
#
#   1. bench/mojibake_eval over correct text: the project's multilingual
#      corpus (tests/data/multilingual), the five seed articles, 300 ECB+
#      articles, the 84 PolNeAR dev articles and the 30 Indonesian id-reuse
#      source documents.  Mojibake generated through each code page (whole
#      text, one to three words, double, one word double); repair rate per
#      page and case, false-repair rate on the correct text; library speed
#      (suspect check and repair) on clean news, clean multilingual text and
#      broken text.
#   2. the seeds through `gema clean --no-furniture`: the spans repaired.
#   3. the multilingual corpus through `gema clean --no-furniture`: nothing
#      may change.
#   4. end to end on the 100 MB dedup corpus (bench/data/dedup/near-100M.jsonl,
#      made here if missing) and on a copy with every 10th document broken
#      whole (the six pages in turn): `gema clean --no-furniture --one-pass
#      -j1` with --no-repair and with repair, best of 3; the cleaned broken
#      documents must equal the cleaned originals.
set -eu
: "${GEMA:?}" "${BUILD:?}" "${RESULTS:?}" "${BENCH_DATA:?}" "${GEMA_EVAL:?}" "${GEMA_SEEDS:?}"
EVAL=$BUILD/bench/mojibake_eval
D=$BENCH_DATA/mojibake
mkdir -p "$D"
T0=$(date +%s)
say() { echo "mojibake [$(( $(date +%s) - T0 ))s] $*"; }
num() { sed -n "s/^ *\"$2\": \([-0-9.e+]*\),\{0,1\}\$/\1/p" "$1" | head -n 1; }
flat() { tr -d '\n' <"$1"; }

# ---- 1. generated mojibake -------------------------------------------------
say "eval: generated mojibake, false repairs, library speed"
"$EVAL" --speed-mb 100 --failures "$D/failures.txt" --out "$D/eval.json" \
    multilingual="$ROOT/tests/data/multilingual" seeds="$GEMA_SEEDS" \
    ecbplus="$GEMA_EVAL/ecbplus-dev.jsonl" polnear="$GEMA_EVAL/polnear-dev.jsonl" \
    id-reuse="$GEMA_EVAL/id-reuse/source-documents" 2>"$D/eval.log"
cat "$D/eval.log"

# ---- 2. seeds ----------------------------------------------------------------
say "seeds"
"$GEMA" clean -q --no-furniture --report "$D/seeds.report.jsonl" --stats "$D/seeds.stats.json" \
    -o "$D/seeds.clean.jsonl" "$GEMA_SEEDS"/*.txt
seed_repairs=$(num "$D/seeds.stats.json" repairs)
seed_spans=$(grep -o '"from":"[^"]*","to":"[^"]*"' "$D/seeds.report.jsonl" | sed 's/^/{/; s/$/}/' | paste -sd, -)
say "seeds: $seed_repairs spans repaired"

# ---- 3. multilingual corpus unchanged --------------------------------------
"$GEMA" clean -q --no-furniture --stats "$D/multi.stats.json" -o "$D/multi.clean.jsonl" \
    "$ROOT/tests/data/multilingual"
multi_docs=$(num "$D/multi.stats.json" documents)
multi_changed=$(num "$D/multi.stats.json" changed)
say "multilingual: $multi_changed of $multi_docs documents changed"

# ---- 4. end to end -----------------------------------------------------------
CORPUS=$BENCH_DATA/dedup/near-100M.jsonl
if [ ! -s "$CORPUS" ]; then
    CORPUS=$D/near-100M.jsonl
    [ -s "$CORPUS" ] || "$BUILD/bench/gen_corpus" --bytes 100M --seed 1 --mode near -o "$CORPUS" \
        --truth "$D/near-100M.truth.jsonl" 2>"$D/gen.log"
fi
BROKEN=$D/near-100M.broken10.jsonl
"$EVAL" break 10 "$CORPUS" "$BROKEN" 2>"$D/break.log"
runs=""
for input in orig broken; do
    [ $input = orig ] && f=$CORPUS || f=$BROKEN
    for mode in no-repair repair; do
        [ $mode = repair ] && opt="" || opt="--no-repair"
        best=""
        for r in 1 2 3; do
            st=$D/e2e-$input-$mode.stats.json
            # shellcheck disable=SC2086
            "$GEMA" clean -q --no-furniture --one-pass $opt -j1 --stats "$st" -o "$D/e2e-$input-$mode.jsonl" "$f"
            s=$(num "$st" seconds)
            if [ -z "$best" ]; then best=$s; else best=$(echo "$best $s" | awk '{ print ($2 < $1) ? $2 : $1 }'); fi
        done
        bytes=$(num "$st" bytes)
        mbs=$(echo "$bytes $best" | awk '{printf "%.1f", $1 / 1e6 / $2}')
        reps=$(num "$st" repairs) docs=$(num "$st" repaired_docs) rss=$(num "$st" peak_rss_bytes)
        say "end to end $input $mode: $best s, $mbs MB/s, $reps spans in $docs documents"
        runs="$runs${runs:+, }{\"input\": \"$input\", \"mode\": \"$mode\", \"bytes\": $bytes, \"seconds\": $best, \"mb_per_s\": $mbs, \"repairs\": $reps, \"repaired_docs\": $docs, \"peak_rss_bytes\": $rss}"
    done
done
same=$("$EVAL" same 10 "$D/e2e-orig-repair.jsonl" "$D/e2e-broken-repair.jsonl")
say "broken documents cleaned like their originals: $same"

{
    printf '{\n  "eval": %s,\n' "$(flat "$D/eval.json")"
    printf '  "seeds": {"repairs": %s, "spans": [%s]},\n' "$seed_repairs" "$seed_spans"
    printf '  "multilingual_clean": {"documents": %s, "changed": %s},\n' "$multi_docs" "$multi_changed"
    printf '  "end_to_end": {"corpus": "%s", "broken_every": 10, "command": "gema clean --no-furniture --one-pass [--no-repair] -j1", "runs": [%s],\n' \
        "$(basename "$CORPUS")" "$runs"
    printf '    "broken_docs_like_original": %s}\n}\n' "$same"
} >"$RESULTS/mojibake.json"
say "wrote $RESULTS/mojibake.json"
