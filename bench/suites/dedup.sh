#!/bin/sh
# dedup benchmark: speed, memory, scaling and quality of `gema dedup`, and
# the sweep that chooses its defaults.  Writes $RESULTS/dedup.json.
#
#   1. corpora from bench/gen_corpus (cached in $BENCH_DATA/dedup; made again
#      only when missing): near-duplicate groups planted in news-like text,
#      100 MB, 250 MB, 500 MB, 1 GB (seed 1) and 20,000 documents (seed 7);
#   2. determinism: -j1 and -j2 outputs compared byte for byte;
#   3. throughput: gema dedup at -j1 and -j2 on every size, twice each, end to
#      end (read -> kept documents, clusters and pairs written), --stats for
#      seconds, MB/s and peak RSS;
#   4. quality: bench/dedup_eval, brute-force exact Jaccard on a 20,000-document
#      sample of the 1 GB and 100 MB runs, and on the 20k corpus for a sweep of
#      shingle size, threshold, signature length, scheme and LSH weights;
#   5. a reference for how much unrelated real articles share: dedup_eval over
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
    "$GEMA" dedup -q -j "$j" --stats "$OUT/$tag.stats.json" --clusters "$OUT/$tag.clusters.jsonl" \
        --pairs "$OUT/$tag.pairs.jsonl" -o "$OUT/$tag.kept.jsonl" "$@" "$c"
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
            tag=tp-$sz-j$j-r$r
            dedup "$tag" "$c" "$j"
            st=$OUT/$tag.stats.json
            bytes=$(num "$st" bytes) recs=$(num "$st" records) rss=$(num "$st" peak_rss_bytes)
            secs=$(num "$st" seconds) mbs=$(num "$st" mb_per_s)
            mem=$(echo "$rss $bytes $recs" | awk '{printf "%.0f", ($1 - $2) / $3}')
            say "near-$sz -j$j run $r: $secs s, $mbs MB/s, peak RSS $((rss / 1048576)) MiB, $mem bytes/doc beyond input"
            printf '{"corpus": "near-%s", "threads": %s, "rep": %s, "wall_seconds": %s, "memory_bytes_per_doc": %s, "mb_per_s_per_core": %s, "stats": %s}\n' \
                "$sz" "$j" "$r" "$(cat "$OUT/$tag.wall")" "$mem" \
                "$(echo "$mbs $j" | awk '{printf "%.1f", $1 / $2}')" "$(tr -d '\n' <"$st")" >>"$TP"
            [ "$sz" = "$last" ] && [ "$j" = 2 ] && [ "$r" = 1 ] || rm -f "$OUT/$tag.clusters.jsonl" "$OUT/$tag.pairs.jsonl"
            rm -f "$OUT/$tag.kept.jsonl"
            r=$((r + 1))
        done
    done
done

# Scaling: the best of the repetitions per size and thread count.
SC=$OUT/scaling.jsonl
: >"$SC"
base1="" base2=""
for sz in $SIZES; do
    for j in 1 2; do
        best=""
        r=1
        while [ "$r" -le "$REPS" ]; do
            s=$(num "$OUT/tp-$sz-j$j-r$r.stats.json" seconds)
            best=$(echo "$best $s" | awk 'NF == 1 {print $1; next} {print ($2 < $1 ? $2 : $1)}')
            r=$((r + 1))
        done
        bytes=$(num "$OUT/tp-$sz-j$j-r1.stats.json" bytes)
        per100=$(echo "$best $bytes" | awk '{printf "%.3f", $1 / ($2 / 1e8)}')
        if [ "$j" = 1 ] && [ -z "$base1" ]; then base1=$per100; fi
        if [ "$j" = 2 ] && [ -z "$base2" ]; then base2=$per100; fi
        base=$base1
        [ "$j" = 2 ] && base=$base2
        printf '{"corpus": "near-%s", "bytes": %s, "threads": %s, "best_seconds": %s, "seconds_per_100MB": %s, "relative_to_smallest": %s, "mb_per_s": %s, "mb_per_s_per_core": %s}\n' \
            "$sz" "$bytes" "$j" "$best" "$per100" "$(echo "$per100 $base" | awk '{printf "%.3f", $1 / $2}')" \
            "$(echo "$bytes $best" | awk '{printf "%.1f", $1 / 1e6 / $2}')" \
            "$(echo "$bytes $best $j" | awk '{printf "%.1f", $1 / 1e6 / $2 / $3}')" >>"$SC"
    done
done
say "scaling:"
sed 's/^/    /' "$SC"

# ---- 4. quality -----------------------------------------------------------------------
Q_LAST=$OUT/quality-$last.json
say "quality: brute force on a 20,000-document sample of near-$last (default settings, -j2 run)"
"$EVAL" -q --truth "$D/near-$last.truth.jsonl" --sample 20000 --check-naive 1500 \
    --run "$(num "$OUT/tp-$last-j2-r1.stats.json" threshold),$OUT/tp-$last-j2-r1.clusters.jsonl,$OUT/tp-$last-j2-r1.pairs.jsonl,default" \
    -o "$Q_LAST" "$D/near-$last.jsonl"
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
rm -f "$OUT"/sw-*.clusters.jsonl "$OUT"/sw-*.pairs.jsonl

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
    dedup "ecb-t$t" "$GEMA_EVAL/ecbplus-dev.jsonl" 2 -t "$t"
    dedup "ecb-t$t-fn0.8" "$GEMA_EVAL/ecbplus-dev.jsonl" 2 -t "$t" --fp-weight 0.2 --fn-weight 0.8
    ecb_runs="$ecb_runs --run $t,$OUT/ecb-t$t.clusters.jsonl,$OUT/ecb-t$t.pairs.jsonl,t$t"
    ecb_runs="$ecb_runs --run $t,$OUT/ecb-t$t-fn0.8.clusters.jsonl,$OUT/ecb-t$t-fn0.8.pairs.jsonl,t$t-fp0.2-fn0.8"
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
    printf '  "machine": {"cpu": "%s", "cores": %s},\n' \
        "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)" "$(nproc)"
    printf '  "memory_per_doc": "(peak_rss_bytes - bytes) / records, from gema --stats; input is mmapped and counts in RSS",\n'
    printf '  "corpora": [\n'
    first_c=1
    for n in $(for sz in $SIZES; do echo "near-$sz"; done) near-20k; do
        [ $first_c = 1 ] || printf ',\n'
        first_c=0
        printf '    %s' "$(corpus_json "$n")"
    done
    printf '\n  ],\n  "determinism": %s,\n' "$DET"
    printf '  "throughput": [\n'; joinl "$TP"; printf '  ],\n'
    printf '  "scaling": [\n'; joinl "$SC"; printf '  ],\n'
    printf '  "quality_%s": ' "$last"; cat "$Q_LAST" | sed '$ s/$/,/'
    printf '  "sweep": {\n    "corpus": "near-20k",\n    "configs": [\n'; joinl "$SW"; printf '    ],\n'
    printf '    "eval_shingle3": '; sed '$ s/$/,/' "$OUT/sweep-eval-s3.json"
    printf '    "eval_shingle5": '; sed '$ s/$/,/' "$OUT/sweep-eval-s5.json"
    printf '    "eval_shingle7": '; cat "$OUT/sweep-eval-s7.json"
    printf '  },\n  "real_polnear_train": '; sed '$ s/$/,/' "$REAL"
    printf '  "real_ecbplus_dev": '; cat "$REAL_ECB"
    printf '}\n'
} >"$RESULTS/dedup.json.tmp"
mv "$RESULTS/dedup.json.tmp" "$RESULTS/dedup.json"
say "wrote $RESULTS/dedup.json"
