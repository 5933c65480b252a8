#!/bin/sh
# dedup benchmark: speed, memory, scaling and quality of `gema dedup`, and
# the sweep that chooses its defaults.  Writes $RESULTS/dedup.json.
#
#   1. corpora from bench/gen_corpus (cached in $BENCH_DATA/dedup; made again
#      only when missing): near-duplicate groups planted in news-like text,
#      100 MB, 250 MB, 500 MB, 1 GB (seed 1) and 20,000 documents (seed 7);
#   2. determinism: -j1 and -j2 outputs compared byte for byte;
#   3. throughput: gema dedup at -j1 and -j2 on every size, twice each, in two
#      ways: end to end (read -> kept documents, clusters and pairs written to
#      files) and compute (the same, but kept documents to /dev/null: writing
#      ~0.9 GB of kept documents is bounded by this VM's disk, ~210 MB/s with
#      dd); --stats for seconds, MB/s and peak RSS;
#   4. quality: bench/dedup_eval, brute-force exact Jaccard on a 20,000-document
#      sample of the largest corpus (default run, and explicit LSH bands x rows
#      to show what tuning LSH below the threshold buys at 1 GB), and on the 20k
#      corpus for a sweep of shingle size, threshold, signature length, scheme,
#      LSH weights, explicit bands x rows at t 0.7 and containment;
#   5. site furniture (every page of a site with its header and footer lines):
#      candidates and false merges for three LSH curves, with and without
#      --clean, on a 20k corpus;
#   6. a reference for how much unrelated real articles share: dedup_eval over
#      PolNeAR train ($GEMA_EVAL) with no planted groups.
#
# Memory per document = (peak RSS - input bytes) / documents.  gema mmaps
# plain input files, and the pages it touches count in its RSS; subtracting
# the input size leaves what gema allocates on top of the input.
set -eu
: "${GEMA:?}" "${BUILD:?}" "${RESULTS:?}" "${BENCH_DATA:?}" "${GEMA_EVAL:?}"
GEN=$BUILD/bench/gen_corpus
EVAL=$BUILD/bench/dedup_eval
D=$BENCH_DATA/dedup
OUT=$D/out
mkdir -p "$D" "$OUT"
T0=$(date +%s)
SIZES=${DEDUP_SIZES:-"100M 250M 500M 1G"}
REPS=${DEDUP_REPS:-2}

say() { echo "dedup [$(( $(date +%s) - T0 ))s] $*"; }
now() { date +%s.%N; }
# num FILE KEY: a number from a one-key-per-line JSON file (gema --stats).
num() { sed -n "s/^ *\"$2\": \([-0-9.e+]*\),\{0,1\}\$/\1/p" "$1" | head -n 1; }

# ---- 1. corpora ------------------------------------------------------------
gen() { # NAME SIZE-OPTION SEED
    name=$1
    if [ -s "$D/$name.jsonl" ] && [ -s "$D/$name.truth.jsonl" ] && [ -s "$D/$name.gen.json" ]; then
        say "corpus $name: cached"
        return
    fi
    say "corpus $name: generating"
    cmd="gen_corpus $2 --seed $3 --mode near -o $name.jsonl --truth $name.truth.jsonl"
    s=$(now)
    # shellcheck disable=SC2086
    "$GEN" $2 --seed "$3" --mode near -o "$D/$name.jsonl" --truth "$D/$name.truth.jsonl" 2>"$D/$name.gen.log"
    e=$(now)
    tail -n 3 "$D/$name.gen.log" | sed 's/^/    /'
    secs=$(echo "$s $e" | awk '{printf "%.2f", $2 - $1}')
    bytes=$(wc -c <"$D/$name.jsonl")
    printf '{"command": "%s", "seconds": %s, "mb_per_s": %s}\n' "$cmd" "$secs" \
        "$(echo "$bytes $secs" | awk '{printf "%.1f", $1 / 1e6 / $2}')" >"$D/$name.gen.json"
}
for sz in $SIZES; do gen "near-$sz" "--bytes $sz" 1; done
gen near-20k "--docs 20000" 7
# Every site's pages carry its header and footer lines, as crawled news does.
gen near-20k-furniture "--docs 20000 --furniture" 11

corpus_json() { # NAME
    f=$D/$1.jsonl
    printf '{"name": "%s", "bytes": %s, "documents": %s, "generated": %s}' "$1" \
        "$(wc -c <"$f" | tr -d ' ')" "$(wc -l <"$f" | tr -d ' ')" "$(cat "$D/$1.gen.json")"
}

# ---- gema runs ---------------------------------------------------------------
# dedup TAG CORPUS THREADS [OPTIONS...]: one run, outputs under $OUT/TAG.*
dedup() {
    tag=$1 c=$2 j=$3
    shift 3
    s=$(now)
    kept=$OUT/$tag.kept.jsonl
    [ "${KEPT:-file}" = null ] && kept=/dev/null
    "$GEMA" dedup -q -j "$j" --stats "$OUT/$tag.stats.json" --clusters "$OUT/$tag.clusters.jsonl" \
        --pairs "$OUT/$tag.pairs.jsonl" -o "$kept" "$@" "$c"
    e=$(now)
    echo "$s $e" | awk '{printf "%.3f", $2 - $1}' >"$OUT/$tag.wall"
}

# ---- 2. determinism ------------------------------------------------------------
first=$(echo "$SIZES" | awk '{print $1}')
say "determinism: near-$first at -j1 and -j2"
dedup det-j1 "$D/near-$first.jsonl" 1
dedup det-j2 "$D/near-$first.jsonl" 2
same() { if cmp -s "$OUT/det-j1.$1" "$OUT/det-j2.$1"; then echo true; else echo false; fi; }
DET=$(printf '{"corpus": "near-%s", "kept_identical": %s, "clusters_identical": %s, "pairs_identical": %s, "command": "gema dedup -j1|-j2 --clusters C --pairs P -o K near-%s.jsonl; cmp"}' \
    "$first" "$(same kept.jsonl)" "$(same clusters.jsonl)" "$(same pairs.jsonl)" "$first")
say "determinism: $DET"
rm -f "$OUT"/det-*.kept.jsonl

# ---- 3. throughput ---------------------------------------------------------------
last=$(echo "$SIZES" | awk '{print $NF}') # its -j2 run is kept for the quality check
TP=$OUT/throughput.jsonl
: >"$TP"
for sz in $SIZES; do
    c=$D/near-$sz.jsonl
    cat "$c" >/dev/null # warm the page cache: every run reads from memory
    for j in 1 2; do
        r=1
        while [ "$r" -le "$REPS" ]; do
            # Alternate the two modes so that load from other users hits both alike.
            for mode in file null; do
                tag=tp-$sz-j$j-r$r
                [ "$mode" = null ] && tag=tpc-$sz-j$j-r$r
                KEPT=$mode dedup "$tag" "$c" "$j"
                st=$OUT/$tag.stats.json
                bytes=$(num "$st" bytes) recs=$(num "$st" records) rss=$(num "$st" peak_rss_bytes)
                secs=$(num "$st" seconds) mbs=$(num "$st" mb_per_s)
                mem=$(echo "$rss $bytes $recs" | awk '{printf "%.0f", ($1 - $2) / $3}')
                what="end to end"
                [ "$mode" = null ] && what="compute (kept to /dev/null)"
                say "near-$sz -j$j run $r, $what: $secs s, $mbs MB/s, peak RSS $((rss / 1048576)) MiB, $mem bytes/doc beyond input"
                printf '{"corpus": "near-%s", "threads": %s, "rep": %s, "kept_output": "%s", "wall_seconds": %s, "memory_bytes_per_doc": %s, "mb_per_s_per_core": %s, "stats": %s}\n' \
                    "$sz" "$j" "$r" "$(if [ "$mode" = null ]; then echo /dev/null; else echo file; fi)" \
                    "$(cat "$OUT/$tag.wall")" "$mem" \
                    "$(echo "$mbs $j" | awk '{printf "%.1f", $1 / $2}')" "$(tr -d '\n' <"$st")" >>"$TP"
                [ "$sz" = "$last" ] && [ "$j" = 2 ] && [ "$r" = 1 ] && [ "$mode" = file ] ||
                    rm -f "$OUT/$tag.clusters.jsonl" "$OUT/$tag.pairs.jsonl"
                rm -f "$OUT/$tag.kept.jsonl"
            done
            r=$((r + 1))
        done
    done
done

# Scaling: the best of the repetitions per size and thread count.
SC=$OUT/scaling.jsonl
: >"$SC"
for pre in tp tpc; do
base1="" base2=""
for sz in $SIZES; do
    for j in 1 2; do
        best=""
        r=1
        while [ "$r" -le "$REPS" ]; do
            s=$(num "$OUT/$pre-$sz-j$j-r$r.stats.json" seconds)
            best=$(echo "$best $s" | awk 'NF == 1 {print $1; next} {print ($2 < $1 ? $2 : $1)}')
            r=$((r + 1))
        done
        bytes=$(num "$OUT/$pre-$sz-j$j-r1.stats.json" bytes)
        per100=$(echo "$best $bytes" | awk '{printf "%.3f", $1 / ($2 / 1e8)}')
        if [ "$j" = 1 ] && [ -z "$base1" ]; then base1=$per100; fi
        if [ "$j" = 2 ] && [ -z "$base2" ]; then base2=$per100; fi
        base=$base1
        [ "$j" = 2 ] && base=$base2
        printf '{"kept_output": "%s", "corpus": "near-%s", "bytes": %s, "threads": %s, "best_seconds": %s, "seconds_per_100MB": %s, "relative_to_smallest": %s, "mb_per_s": %s, "mb_per_s_per_core": %s}\n' \
            "$(if [ "$pre" = tpc ]; then echo /dev/null; else echo file; fi)" "$sz" "$bytes" "$j" "$best" "$per100" "$(echo "$per100 $base" | awk '{printf "%.3f", $1 / $2}')" \
            "$(echo "$bytes $best" | awk '{printf "%.1f", $1 / 1e6 / $2}')" \
            "$(echo "$bytes $best $j" | awk '{printf "%.1f", $1 / 1e6 / $2 / $3}')" >>"$SC"
    done
done
done
say "scaling:"
sed 's/^/    /' "$SC"

# ---- 4. quality -----------------------------------------------------------------------
Q_LAST=$OUT/quality-$last.json
# LSH bands x rows at the default threshold: how much recall tuning LSH
# below the verification threshold buys at full size, and its cost.
lsh_runs=""
: >"$OUT/lsh-$last.jsonl"
for br in 14x9 18x7 22x5; do
    say "quality: near-$last -j2 --bands ${br%x*} --rows ${br#*x}"
    KEPT=null dedup "lsh-$last-$br" "$D/near-$last.jsonl" 2 --bands "${br%x*}" --rows "${br#*x}"
    lsh_runs="$lsh_runs --run $(num "$OUT/lsh-$last-$br.stats.json" threshold),$OUT/lsh-$last-$br.clusters.jsonl,,bands$br"
    printf '{"name": "bands%s", "options": "--bands %s --rows %s", "kept_output": "/dev/null", "stats": %s}\n' "$br" \
        "${br%x*}" "${br#*x}" "$(tr -d '\n' <"$OUT/lsh-$last-$br.stats.json")" >>"$OUT/lsh-$last.jsonl"
done
say "quality: brute force on a 20,000-document sample of near-$last (default settings, -j2 run)"
# shellcheck disable=SC2086
"$EVAL" -q --truth "$D/near-$last.truth.jsonl" --sample 20000 --check-naive 1500 \
    --run "$(num "$OUT/tp-$last-j2-r1.stats.json" threshold),$OUT/tp-$last-j2-r1.clusters.jsonl,$OUT/tp-$last-j2-r1.pairs.jsonl,default" \
    $lsh_runs -o "$Q_LAST" "$D/near-$last.jsonl"
rm -f "$OUT"/lsh-"$last"-*.clusters.jsonl "$OUT"/lsh-"$last"-*.pairs.jsonl
grep -E '"(precision|recall|representative_precision|missing_from_index|extra_in_index)"' "$Q_LAST" | head -n 8 | sed 's/^/    /'

# The sweep, on the 20k corpus.
C20=$D/near-20k.jsonl
SW=$OUT/sweep.jsonl
: >"$SW"
runs3="" runs5="" runs7=""
sweep() { # NAME SHINGLE THRESHOLD [OPTIONS...]
    name=$1 sh=$2 t=$3
    shift 3
    dedup "sw-$name" "$C20" 2 --shingle "$sh" -t "$t" "$@"
    rm -f "$OUT/sw-$name.kept.jsonl"
    printf '{"name": "%s", "options": "--shingle %s -t %s %s", "stats": %s}\n' "$name" "$sh" "$t" "$*" \
        "$(tr -d '\n' <"$OUT/sw-$name.stats.json")" >>"$SW"
    spec="$t,$OUT/sw-$name.clusters.jsonl,$OUT/sw-$name.pairs.jsonl,$name"
    case $sh in
    3) runs3="$runs3 --run $spec" ;;
    5) runs5="$runs5 --run $spec" ;;
    7) runs7="$runs7 --run $spec" ;;
    esac
}
say "sweep on near-20k: shingle x threshold"
for sh in 5 3 7; do
    for t in 0.7 0.5 0.6 0.8 0.9; do sweep "s$sh-t$t" "$sh" "$t"; done
done
# Candidates are verified on the real shingle sets, so an LSH curve that sits
# below the threshold costs comparisons, not precision: explicit bands x rows
# at t 0.7 from the balanced choice (14x9) down to 3 rows.
say "sweep: LSH bands x rows at t 0.7"
for br in 14x9 16x8 18x7 20x6 22x5 25x5 32x4 42x3; do
    sweep "s5-t0.7-b$br" 5 0.7 --bands "${br%x*}" --rows "${br#*x}"
done
for br in 28x9 36x7 44x5 64x4; do
    sweep "s5-t0.7-k256-b$br" 5 0.7 --num-hashes 256 --bands "${br%x*}" --rows "${br#*x}"
done
sweep "s5-t0.7-k64-b12x5" 5 0.7 --num-hashes 64 --bands 12 --rows 5
sweep "s5-t0.7-perm-b22x5" 5 0.7 --scheme perm --bands 22 --rows 5
for t in 0.65 0.75 0.85; do sweep "s5-t$t" 5 "$t"; done
say "sweep: signature length, scheme, LSH weights"
for t in 0.5 0.6 0.7; do
    sweep "s5-t$t-k64" 5 "$t" --num-hashes 64
    sweep "s5-t$t-k256" 5 "$t" --num-hashes 256
    sweep "s5-t$t-perm" 5 "$t" --scheme perm
    for w in "0.3 0.7" "0.2 0.8" "0.1 0.9"; do
        set -- $w
        sweep "s5-t$t-fp$1-fn$2" 5 "$t" --fp-weight "$1" --fn-weight "$2"
        sweep "s5-t$t-k256-fp$1-fn$2" 5 "$t" --num-hashes 256 --fp-weight "$1" --fn-weight "$2"
    done
done
for sh in 3 5 7; do
    say "sweep: brute force for shingle $sh"
    eval "runs=\$runs$sh"
    naive=""
    [ "$sh" = 5 ] && naive="--check-naive 1500"
    # shellcheck disable=SC2086
    "$EVAL" -q --truth "$D/near-20k.truth.jsonl" --sample 0 --shingle "$sh" $naive $runs \
        -o "$OUT/sweep-eval-s$sh.json" "$C20"
done
# Containment counts a truncated copy as a duplicate; brute-force Jaccard is
# not its yardstick, so these runs are scored against the planted groups
# (pairs across groups) and by what each edit type finds.
say "sweep: containment"
cruns=""
for t in 0.7 0.8 0.9; do
    sweep "s5-t$t-containment" 5 "$t" --similarity containment
    cruns="$cruns --run $t,$OUT/sw-s5-t$t-containment.clusters.jsonl,,s5-t$t-containment"
done
# shellcheck disable=SC2086
"$EVAL" -q --truth "$D/near-20k.truth.jsonl" --sample 0 $cruns -o "$OUT/sweep-eval-containment.json" "$C20"
rm -f "$OUT"/sw-*.clusters.jsonl "$OUT"/sw-*.pairs.jsonl

# Site furniture: do 5-row bands (or furniture itself) make junk candidates or
# false merges when unrelated pages of one site share header and footer lines?
say "furniture: near-20k-furniture, bands x rows, with and without --clean"
CF=$D/near-20k-furniture.jsonl
FU=$OUT/furniture.jsonl
: >"$FU"
fruns=""
for br in 14x9 18x7 22x5; do
    for cl in no-clean clean; do
        dedup "fu-$br-$cl" "$CF" 2 --bands "${br%x*}" --rows "${br#*x}" "--$cl"
        rm -f "$OUT/fu-$br-$cl.kept.jsonl"
        printf '{"name": "%s-%s", "options": "--bands %s --rows %s --%s", "stats": %s}\n' "$br" "$cl" \
            "${br%x*}" "${br#*x}" "$cl" "$(tr -d '\n' <"$OUT/fu-$br-$cl.stats.json")" >>"$FU"
        fruns="$fruns --run 0.7,$OUT/fu-$br-$cl.clusters.jsonl,,$br-$cl"
    done
done
# shellcheck disable=SC2086
"$EVAL" -q --truth "$D/near-20k-furniture.truth.jsonl" --sample 0 $fruns -o "$OUT/furniture-eval.json" "$CF"
rm -f "$OUT"/fu-*.clusters.jsonl "$OUT"/fu-*.pairs.jsonl

# ---- 5. real text reference ---------------------------------------------------------------
REAL=$OUT/real-polnear.json
say "reference: shingles shared between real articles (PolNeAR train)"
"$EVAL" -q --sample 0 --unrelated 200000 -o "$REAL" "$GEMA_EVAL/polnear-train.jsonl"
# ECB+ holds real wire copies: the same agency story as printed by several
# outlets.  Its story labels say which pairs may be copies; a pair across
# stories at or above the threshold would be a real false positive.
say "reference: real copies in ECB+ (story labels)"
ecb_runs=""
for t in 0.5 0.6 0.7 0.8; do
    # default weights, balanced weights (the old default) and misses weighed 49x
    dedup "ecb-t$t" "$GEMA_EVAL/ecbplus-dev.jsonl" 2 -t "$t"
    dedup "ecb-t$t-fp0.5" "$GEMA_EVAL/ecbplus-dev.jsonl" 2 -t "$t" --fp-weight 0.5 --fn-weight 0.5
    dedup "ecb-t$t-fn0.98" "$GEMA_EVAL/ecbplus-dev.jsonl" 2 -t "$t" --fp-weight 0.02 --fn-weight 0.98
    ecb_runs="$ecb_runs --run $t,$OUT/ecb-t$t.clusters.jsonl,$OUT/ecb-t$t.pairs.jsonl,t$t"
    ecb_runs="$ecb_runs --run $t,$OUT/ecb-t$t-fp0.5.clusters.jsonl,$OUT/ecb-t$t-fp0.5.pairs.jsonl,t$t-fp0.5-fn0.5"
    ecb_runs="$ecb_runs --run $t,$OUT/ecb-t$t-fn0.98.clusters.jsonl,$OUT/ecb-t$t-fn0.98.pairs.jsonl,t$t-fp0.02-fn0.98"
done
REAL_ECB=$OUT/real-ecbplus.json
# shellcheck disable=SC2086
"$EVAL" -q --label-field story --sample 0 $ecb_runs -o "$REAL_ECB" "$GEMA_EVAL/ecbplus-dev.jsonl"
rm -f "$OUT"/ecb-*

# ---- results ----------------------------------------------------------------------------------
joinl() { awk 'NR > 1 {printf ",\n"} {printf "    %s", $0} END {printf "\n"}' "$1"; }
{
    printf '{\n  "suite": "dedup",\n  "date": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '  "commit": "%s",\n' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    # The build may hold uncommitted library changes (others work in this checkout).
    printf '  "uncommitted_lib_cli_files": "%s",\n' \
        "$(git -C "$ROOT" status --porcelain -- lib cli include 2>/dev/null | awk '{printf "%s%s", (NR > 1 ? " " : ""), $2}')"
    printf '  "machine": {"cpu": "%s", "cores": %s},\n' \
        "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)" "$(nproc)"
    printf '  "memory_per_doc": "(peak_rss_bytes - bytes) / records, from gema --stats; input is mmapped and counts in RSS",\n'
    printf '  "corpora": [\n'
    first_c=1
    for n in $(for sz in $SIZES; do echo "near-$sz"; done) near-20k near-20k-furniture; do
        [ $first_c = 1 ] || printf ',\n'
        first_c=0
        printf '    %s' "$(corpus_json "$n")"
    done
    printf '\n  ],\n  "determinism": %s,\n' "$DET"
    printf '  "throughput": [\n'; joinl "$TP"; printf '  ],\n'
    printf '  "scaling": [\n'; joinl "$SC"; printf '  ],\n'
    printf '  "quality_%s": ' "$last"; cat "$Q_LAST" | sed '$ s/$/,/'
    printf '  "lsh_%s": [\n' "$last"; joinl "$OUT/lsh-$last.jsonl"; printf '  ],\n'
    printf '  "sweep": {\n    "corpus": "near-20k",\n    "configs": [\n'; joinl "$SW"; printf '    ],\n'
    printf '    "eval_shingle3": '; sed '$ s/$/,/' "$OUT/sweep-eval-s3.json"
    printf '    "eval_shingle5": '; sed '$ s/$/,/' "$OUT/sweep-eval-s5.json"
    printf '    "eval_shingle7": '; sed '$ s/$/,/' "$OUT/sweep-eval-s7.json"
    printf '    "eval_containment": '; cat "$OUT/sweep-eval-containment.json"
    printf '  },\n  "furniture_20k": {\n    "configs": [\n'; joinl "$FU"; printf '    ],\n'
    printf '    "eval": '; cat "$OUT/furniture-eval.json"
    printf '  },\n  "real_polnear_train": '; sed '$ s/$/,/' "$REAL"
    printf '  "real_ecbplus_dev": '; cat "$REAL_ECB"
    printf '}\n'
} >"$RESULTS/dedup.json.tmp"
mv "$RESULTS/dedup.json.tmp" "$RESULTS/dedup.json"
say "wrote $RESULTS/dedup.json"
