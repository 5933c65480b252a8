#!/bin/sh
# clean benchmark: page furniture removal (gema clean).  Writes
# $RESULTS/clean.json.
#
#   1. the furniture benchmark (bench/furniture.c): real articles (ECB+ dev,
#      PolNeAR train and dev) wrapped in twelve generated site templates,
#      seeds 1 to 3; line precision and recall of removal, per kind, the
#      syndicated lines removed, and the CCNet-style baseline (drop every
#      line found in more than one document).  Seed 1 also with the
#      in-document rules alone (--one-pass) and without the cross-site
#      checks (--shared-sites 0).
#   2. the five seed articles: lines removed by reason, spans repaired, the
#      appended Kim Yong Ju item, lines in = lines out + lines removed.
#   3. speed on one core: the furniture corpus published 20 times over
#      (--copies 20, about 180 MB), gema clean -j1, CPU seconds of the
#      learning and the cleaning pass from --stats (best of 2); the cleaning
#      proper alone (furniture speed: parsed documents, no JSON); -j2.
#   4. memory: peak RSS at 5, 10, 20 and 40 copies (45 to 360 MB), with
#      learning and --one-pass.  The input is mapped, so RSS counts it;
#      rss_beyond_input is the working memory.
set -eu
: "${GEMA:?}" "${BUILD:?}" "${RESULTS:?}" "${BENCH_DATA:?}" "${GEMA_EVAL:?}" "${GEMA_SEEDS:?}"
FURN=$BUILD/bench/furniture
D=$BENCH_DATA/clean
mkdir -p "$D"
T0=$(date +%s)
say() { echo "clean [$(( $(date +%s) - T0 ))s] $*"; }
num() { sed -n "s/^ *\"$2\": \([-0-9.e+]*\),\{0,1\}\$/\1/p" "$1" | head -n 1; }
flat() { tr -d '\n' <"$1"; }

# ---- 1. furniture benchmark ------------------------------------------------
bench=""
for seed in 1 2 3; do
    "$FURN" gen "$GEMA_EVAL" "$D/f$seed.jsonl" "$D/f$seed.truth.jsonl" --seed "$seed" 2>"$D/gen$seed.log"
    "$GEMA" clean -q "$D/f$seed.jsonl" -o "$D/f$seed.out.jsonl" --report "$D/f$seed.report.jsonl" \
        --stats "$D/f$seed.stats.json"
    "$FURN" score "$D/f$seed.jsonl" "$D/f$seed.truth.jsonl" "$D/f$seed.report.jsonl" \
        "$D/f$seed.score.json" 2>"$D/f$seed.false.txt"
    say "furniture seed $seed: precision $(num "$D/f$seed.score.json" precision), recall $(num "$D/f$seed.score.json" recall), syndicated removed $(num "$D/f$seed.score.json" syndicated_removed)"
    bench="$bench${bench:+, }\"seed$seed\": $(flat "$D/f$seed.score.json")"
done
for v in one-pass shared-sites-0; do
    [ $v = one-pass ] && opt="--one-pass" || opt="--shared-sites 0"
    # shellcheck disable=SC2086
    "$GEMA" clean -q $opt "$D/f1.jsonl" -o /dev/null --report "$D/f1.$v.report.jsonl"
    "$FURN" score "$D/f1.jsonl" "$D/f1.truth.jsonl" "$D/f1.$v.report.jsonl" "$D/f1.$v.score.json" 2>/dev/null
    say "furniture seed 1, $v: precision $(num "$D/f1.$v.score.json" precision), recall $(num "$D/f1.$v.score.json" recall), syndicated removed $(num "$D/f1.$v.score.json" syndicated_removed)"
    bench="$bench, \"seed1_$v\": $(flat "$D/f1.$v.score.json")"
done

# ---- 2. seeds ----------------------------------------------------------------
( cd "$GEMA_SEEDS" && "$GEMA" clean -q . -o "$D/seeds.jsonl" --report "$D/seeds.report.jsonl" \
    --stats "$D/seeds.stats.json" )
lines_in=$(for f in "$GEMA_SEEDS"/*.txt; do grep -c '[^[:space:]]' "$f"; done | awk '{ s += $1 } END { print s }')
removed=$(grep -o '"reason":' "$D/seeds.report.jsonl" | wc -l | tr -d ' ')
lines_out=$(sed -e 's/^{"id":"[^"]*","text":"//' -e 's/"}$//' -e 's/\\n/\n/g' "$D/seeds.jsonl" | grep -c '[^[:space:]]')
by_reason=$(grep -o '"reason":"[a-z-]*"' "$D/seeds.report.jsonl" | sort | uniq -c |
    awk '{ split($2, a, "\""); printf "%s\"%s\": %s", n++ ? ", " : "", a[4], $1 }')
kim=$(grep -o '"reason":"appended-story","text":"[^"]*Kim Yong' "$D/seeds.report.jsonl" | wc -l | tr -d ' ')
kim_left=$(grep -c 'Kim Yong' "$D/seeds.jsonl" || true)
spans=$(grep -o '"from":"[^"]*","to":"[^"]*"' "$D/seeds.report.jsonl" | sed 's/^/{/; s/$/}/' | paste -sd, -)
say "seeds: $lines_in lines, $removed removed, $lines_out out; Kim Yong Ju lines cut: $kim, left: $kim_left"

# ---- 3. speed ----------------------------------------------------------------
BIG=$D/copies20.jsonl
[ -s "$BIG" ] || "$FURN" gen "$GEMA_EVAL" "$BIG" "$D/copies20.truth.jsonl" --copies 20 --seed 7 2>/dev/null
best_learn="" best_clean=""
for r in 1 2; do
    nice -n 10 "$GEMA" clean -q -j1 "$BIG" -o /dev/null --stats "$D/speed$r.stats.json"
    l=$(num "$D/speed$r.stats.json" cpu_seconds_learn)
    c=$(num "$D/speed$r.stats.json" cpu_seconds_clean)
    best_learn=$(echo "${best_learn:-$l} $l" | awk '{ print ($2 < $1) ? $2 : $1 }')
    best_clean=$(echo "${best_clean:-$c} $c" | awk '{ print ($2 < $1) ? $2 : $1 }')
done
big_bytes=$(num "$D/speed1.stats.json" bytes)
learn_mbs=$(echo "$big_bytes $best_learn" | awk '{ printf "%.1f", $1 / 1e6 / $2 }')
clean_mbs=$(echo "$big_bytes $best_clean" | awk '{ printf "%.1f", $1 / 1e6 / $2 }')
say "speed -j1 on $big_bytes bytes: learn $best_learn CPU s ($learn_mbs MB/s), clean $best_clean CPU s ($clean_mbs MB/s)"
nice -n 10 "$FURN" speed "$D/f1.jsonl" 10 >"$D/apply.json"
say "cleaning proper (gema_cleaner_apply on parsed documents): $(cat "$D/apply.json")"
nice -n 10 "$GEMA" clean -q -j2 "$BIG" -o "$D/j2.jsonl" --stats "$D/speed-j2.stats.json"
nice -n 10 "$GEMA" clean -q -j1 "$BIG" -o "$D/j1.jsonl"
if cmp -s "$D/j1.jsonl" "$D/j2.jsonl"; then same_j=true; else same_j=false; fi
rm -f "$D/j1.jsonl" "$D/j2.jsonl"
say "-j2: wall $(num "$D/speed-j2.stats.json" seconds) s, output identical to -j1: $same_j"

# ---- 4. memory ---------------------------------------------------------------
mem=""
for k in 5 10 20 40; do
    f=$D/copies$k.jsonl
    [ -s "$f" ] || "$FURN" gen "$GEMA_EVAL" "$f" "$D/copies$k.truth.jsonl" --copies "$k" --seed 7 2>/dev/null
    nice -n 10 "$GEMA" clean -q -j1 "$f" -o /dev/null --stats "$D/mem$k.stats.json"
    nice -n 10 "$GEMA" clean -q -j1 --one-pass "$f" -o /dev/null --stats "$D/mem$k.one.stats.json"
    b=$(num "$D/mem$k.stats.json" bytes) rss=$(num "$D/mem$k.stats.json" peak_rss_bytes)
    sk=$(num "$D/mem$k.stats.json" sketch_bytes) recs=$(num "$D/mem$k.stats.json" records)
    one=$(num "$D/mem$k.one.stats.json" peak_rss_bytes)
    say "memory at $k copies: $b bytes, $recs records, peak RSS $rss (one pass $one), sketches $sk"
    mem="$mem${mem:+, }{\"copies\": $k, \"bytes\": $b, \"records\": $recs, \"peak_rss_bytes\": $rss, \"rss_beyond_input\": $((rss - b)), \"sketch_bytes\": $sk, \"one_pass_peak_rss_bytes\": $one, \"one_pass_rss_beyond_input\": $((one - b))}"
    [ "$k" = 20 ] || rm -f "$f" "$D/copies$k.truth.jsonl"
done

{
    printf '{\n  "furniture": {%s},\n' "$bench"
    printf '  "seeds": {"lines_in": %s, "removed": %s, "lines_out": %s, "removed_by": {%s}, "kim_yong_ju_lines_cut": %s, "kim_yong_ju_left": %s, "repaired": [%s]},\n' \
        "$lines_in" "$removed" "$lines_out" "$by_reason" "$kim" "$kim_left" "$spans"
    printf '  "speed": {"corpus": "furniture gen --copies 20 --seed 7", "bytes": %s, "threads": 1, "cpu_seconds_learn": %s, "mb_per_cpu_s_learn": %s, "cpu_seconds_clean": %s, "mb_per_cpu_s_clean": %s,\n' \
        "$big_bytes" "$best_learn" "$learn_mbs" "$best_clean" "$clean_mbs"
    printf '    "cleaning_proper": %s,\n' "$(flat "$D/apply.json")"
    printf '    "j2": {"seconds": %s, "seconds_learn": %s, "seconds_clean": %s, "identical_to_j1": %s}},\n' \
        "$(num "$D/speed-j2.stats.json" seconds)" "$(num "$D/speed-j2.stats.json" seconds_learn)" \
        "$(num "$D/speed-j2.stats.json" seconds_clean)" "$same_j"
    printf '  "memory": [%s]\n}\n' "$mem"
} >"$RESULTS/clean.json"
say "wrote $RESULTS/clean.json"
