#!/bin/sh
# passages benchmark: quality of `gema passages` on labelled reuse (PAN
# id-reuse, per obfuscation type) and on planted passages, the seed
# articles, speed and memory on 1 GB, determinism, sharding, and whether to
# clean first.  Writes $RESULTS/passages.json.
#
#   1. corpora from bench/gen_corpus --mode passages (cached in
#      $BENCH_DATA/passages): 1 GB (seed 1), 100 MB (seed 2), and 30 MB with
#      site furniture (seed 3, --furniture);
#   2. PAN: all 48 id-reuse documents in one run (candidates from the whole
#      collection, as a real run); only suspicious-source pairs are scored
#      (bench/pan_eval, measures of bench/pan.h); defaults, then a sweep of
#      the n-gram length and alignment settings that chose them;
#   3. seeds: passages between the five crawled articles;
#   4. speed: 1 GB at -j1 and -j2 (page cache warm) and with --rare-df 4,
#      100 MB at the defaults and at those before winnowing (--ngram 5
#      --window 1);
#   5. planted-passage recall on the 1 GB run (passages of >= 15 words);
#   6. determinism (-j1 vs -j2) and sharding (1 vs 8 shards; 1 GB with
#      --memory 256M): outputs compared byte for byte, peak RSS;
#   7. clean first or not: furnished 30 MB corpus with --no-clean, with
#      --no-clean --cross-site, with the default (the survey finds the
#      furniture: cleaned inside the run, offsets in the original text), and
#      on the output of gema clean (offsets in the cleaned text); scored by
#      document pair and by character against the original text.
set -eu
: "${GEMA:?}" "${BUILD:?}" "${RESULTS:?}" "${BENCH_DATA:?}" "${GEMA_EVAL:?}" "${GEMA_SEEDS:?}"
GEN=$BUILD/bench/gen_corpus
PAN=$BUILD/bench/pan_eval
D=$BENCH_DATA/passages
OUT=$D/out
mkdir -p "$D" "$OUT"
T0=$(date +%s)
say() { echo "passages [$(( $(date +%s) - T0 ))s] $*"; }
num() { sed -n "s/^ *\"$2\": \([-0-9.e+]*\),\{0,1\}\$/\1/p" "$1" | head -n 1; }
flat() { tr -d '\n\t' <"$1"; }

# ---- 1. corpora ------------------------------------------------------------
gen() { # NAME SIZE SEED [OPTIONS]
    name=$1 size=$2 seed=$3
    shift 3
    if [ -s "$D/$name.jsonl" ] && [ -s "$D/$name.truth.jsonl" ]; then
        say "corpus $name: cached"
        return
    fi
    say "corpus $name: generating"
    "$GEN" --bytes "$size" --seed "$seed" --mode passages "$@" -o "$D/$name.jsonl" \
        --truth "$D/$name.truth.jsonl" 2>"$D/$name.gen.log"
}
gen pass-1G 1G 1
gen pass-100M 100M 2
gen furn-30M 30M 3 --furniture

# ---- 2. PAN id-reuse ----------------------------------------------------------
IDR=$GEMA_EVAL/id-reuse
PANJ=$OUT/pan.jsonl
: >"$PANJ"
pan() { # NAME [OPTIONS]
    name=$1
    shift
    "$GEMA" passages -q --no-text --stats "$OUT/pan-$name.stats.json" -o "$OUT/pan-$name.jsonl" "$@" \
        "$IDR"/source-documents/*.txt "$IDR"/suspicious-documents/*.txt
    "$PAN" "$IDR" "$OUT/pan-$name.jsonl" "$OUT/pan-$name.eval.json" 2>"$OUT/pan-$name.table"
    printf '{"name": "%s", "options": "%s", "seconds": %s, "eval": %s}\n' "$name" "$*" \
        "$(num "$OUT/pan-$name.stats.json" seconds)" "$(flat "$OUT/pan-$name.eval.json")" >>"$PANJ"
}
say "PAN id-reuse: defaults"
pan default
sed 's/^/    /' "$OUT/pan-default.table"
say "PAN id-reuse: sweep"
pan ngram5 --ngram 5
pan ngram5-window1 --ngram 5 --window 1
pan window1 --window 1
pan ngram3 --ngram 3
pan raredf4 --rare-df 4
pan xdrop24 --xdrop 24
pan seed2 --seed-words 2
pan minwords10 --min-words 10
pan minwords25 --min-words 25
pan sim05 --min-similarity 0.5
pan gap60 --max-gap 60
sed -n 2p "$OUT/pan-ngram5-window1.table" | sed 's/^/    ngram 5, window 1 (the defaults before winnowing): /'

# ---- 3. seeds ------------------------------------------------------------------
say "seeds"
"$GEMA" passages -q "$GEMA_SEEDS" --groups "$OUT/seeds.groups.jsonl" -o "$OUT/seeds.jsonl" \
    --stats "$OUT/seeds.stats.json"
quote_pairs=$(grep -c 'dengan kedok' "$OUT/seeds.jsonl" || true)
long=$(grep -F '"a":{"id":"001_' "$OUT/seeds.jsonl" | grep -F '"b":{"id":"002_' |
    sed -n 's/.*"a":{[^}]*"words":\([0-9]*\).*"b":{[^}]*"words":\([0-9]*\).*/\1 \2/p' | head -n 1)
SEEDS=$(printf '{"passages": %s, "groups": %s, "pairs_with_the_xi_quote": %s, "articles_with_the_quote": 4, "passage_001_002_words": [%s]}' \
    "$(num "$OUT/seeds.stats.json" passages)" "$(num "$OUT/seeds.stats.json" groups)" \
    "$quote_pairs" "$(echo "$long" | tr ' ' ',')")
say "seeds: $SEEDS"

# ---- 4. speed ------------------------------------------------------------------------
run() { # TAG CORPUS [OPTIONS]: --no-text, the shape of a bulk run
    tag=$1 c=$2
    shift 2
    "$GEMA" passages -q --no-text --stats "$OUT/$tag.stats.json" --groups "$OUT/$tag.groups.jsonl" \
        -o "$OUT/$tag.jsonl" "$@" "$c"
}
SP=$OUT/speed.jsonl
: >"$SP"
speed() { # TAG CORPUS THREADS [OPTIONS]
    tag=$1 c=$2 j=$3
    shift 3
    run "$tag" "$c" -j "$j" "$@"
    st=$OUT/$tag.stats.json
    mbs=$(num "$st" mb_per_s)
    say "$tag: $(num "$st" seconds) s, $mbs MB/s, peak RSS $(( $(num "$st" peak_rss_bytes) / 1048576 )) MiB"
    printf '{"run": "%s", "options": "-j %s %s", "mb_per_s_per_core": %s, "stats": %s}\n' "$tag" "$j" "$*" \
        "$(echo "$mbs $j" | awk '{printf "%.1f", $1 / $2}')" "$(flat "$st")" >>"$SP"
}
cat "$D/pass-1G.jsonl" >/dev/null
say "speed: 1 GB"
speed 1G-j1 "$D/pass-1G.jsonl" 1
speed 1G-j2 "$D/pass-1G.jsonl" 2
speed 1G-j1-raredf4 "$D/pass-1G.jsonl" 1 --rare-df 4
cat "$D/pass-100M.jsonl" >/dev/null
speed 100M-j1 "$D/pass-100M.jsonl" 1
# The defaults before winnowing, for comparison.
speed 100M-j1-ngram5-window1 "$D/pass-100M.jsonl" 1 --ngram 5 --window 1
speed 100M-j1-window1 "$D/pass-100M.jsonl" 1 --window 1

# ---- 5. planted recall --------------------------------------------------------------
say "planted passages: 1 GB (-j2 run), passages of at least 15 words"
"$PAN" --planted --corpus "$D/pass-1G.jsonl" --min-words 15 "$D/pass-1G.truth.jsonl" \
    "$OUT/1G-j2.jsonl" "$OUT/planted-1G.json" 2>"$OUT/planted-1G.table"
sed 's/^/    /' "$OUT/planted-1G.table"
"$PAN" --planted "$D/pass-1G.truth.jsonl" "$OUT/1G-j2.jsonl" "$OUT/planted-1G-all.json" 2>/dev/null
"$PAN" --planted --corpus "$D/pass-100M.jsonl" --min-words 15 "$D/pass-100M.truth.jsonl" \
    "$OUT/100M-j1-ngram5-window1.jsonl" "$OUT/planted-100M-ngram5-window1.json" 2>/dev/null
"$PAN" --planted --corpus "$D/pass-1G.jsonl" --min-words 15 "$D/pass-1G.truth.jsonl" \
    "$OUT/1G-j1-raredf4.jsonl" "$OUT/planted-1G-raredf4.json" 2>/dev/null
"$PAN" --planted --corpus "$D/pass-100M.jsonl" --min-words 15 "$D/pass-100M.truth.jsonl" \
    "$OUT/100M-j1.jsonl" "$OUT/planted-100M.json" 2>/dev/null

# ---- 6. determinism and shards ----------------------------------------------------------
same() { if cmp -s "$1" "$2"; then echo true; else echo false; fi; }
say "determinism: -j1 vs -j2, 1 vs 8 shards"
run 100M-j2 "$D/pass-100M.jsonl" -j 2
run 100M-s8 "$D/pass-100M.jsonl" -j 2 --shards 8
# The same 8 shards without the n-gram cache (its 133 MB exceed half of 64M).
run 100M-s8-nocache "$D/pass-100M.jsonl" -j 2 --shards 8 --memory 64M
run 1G-m256 "$D/pass-1G.jsonl" -j 2 --memory 256M
DET=$(printf '{"j1_vs_j2_1G": {"passages": %s, "groups": %s}, "j1_vs_j2_100M": {"passages": %s, "groups": %s}, "shards1_vs_8_100M": {"passages": %s, "groups": %s}, "shards8_cache_vs_none_100M": {"passages": %s, "seconds_index": %s, "seconds_index_nocache": %s, "seconds": %s, "seconds_nocache": %s}, "memory256M_vs_default_1G": {"passages": %s, "groups": %s, "shards": %s, "peak_rss_bytes": %s, "index_peak_bytes": %s, "default_shards": %s, "default_peak_rss_bytes": %s, "default_index_peak_bytes": %s, "seconds": %s, "default_seconds": %s}}' \
    "$(same "$OUT/1G-j1.jsonl" "$OUT/1G-j2.jsonl")" "$(same "$OUT/1G-j1.groups.jsonl" "$OUT/1G-j2.groups.jsonl")" \
    "$(same "$OUT/100M-j1.jsonl" "$OUT/100M-j2.jsonl")" "$(same "$OUT/100M-j1.groups.jsonl" "$OUT/100M-j2.groups.jsonl")" \
    "$(same "$OUT/100M-j2.jsonl" "$OUT/100M-s8.jsonl")" "$(same "$OUT/100M-j2.groups.jsonl" "$OUT/100M-s8.groups.jsonl")" \
    "$(same "$OUT/100M-s8.jsonl" "$OUT/100M-s8-nocache.jsonl")" \
    "$(num "$OUT/100M-s8.stats.json" seconds_index)" "$(num "$OUT/100M-s8-nocache.stats.json" seconds_index)" \
    "$(num "$OUT/100M-s8.stats.json" seconds)" "$(num "$OUT/100M-s8-nocache.stats.json" seconds)" \
    "$(same "$OUT/1G-j2.jsonl" "$OUT/1G-m256.jsonl")" "$(same "$OUT/1G-j2.groups.jsonl" "$OUT/1G-m256.groups.jsonl")" \
    "$(num "$OUT/1G-m256.stats.json" shards)" "$(num "$OUT/1G-m256.stats.json" peak_rss_bytes)" \
    "$(num "$OUT/1G-m256.stats.json" index_peak_bytes)" "$(num "$OUT/1G-j2.stats.json" shards)" \
    "$(num "$OUT/1G-j2.stats.json" peak_rss_bytes)" "$(num "$OUT/1G-j2.stats.json" index_peak_bytes)" \
    "$(num "$OUT/1G-m256.stats.json" seconds)" "$(num "$OUT/1G-j2.stats.json" seconds)")
say "determinism: $DET"

# ---- 7. clean first? ------------------------------------------------------------------------
say "clean first: furnished 30 MB corpus"
F=$D/furn-30M
cat "$F.jsonl" >/dev/null
CL=$OUT/clean.jsonl
: >"$CL"
clean_case() { # NAME OUTPUT STATS SECONDS
    "$PAN" --planted --pairs-only "$F.truth.jsonl" "$2" "$OUT/clean-$1.eval.json" 2>/dev/null
    "$PAN" --planted --corpus "$F.jsonl" --min-words 15 "$F.truth.jsonl" "$2" "$OUT/clean-$1.chars.json" 2>/dev/null
    printf '{"name": "%s", "seconds": %s, "passages": %s, "same_site_passages": %s, "pairs_eval": %s, "chars_eval": %s}\n' "$1" "$4" \
        "$(num "$3" passages)" "$(grep -c '"same-site"' "$2" || true)" "$(flat "$OUT/clean-$1.eval.json")" \
        "$(flat "$OUT/clean-$1.chars.json")" >>"$CL"
}
run furn-raw "$F.jsonl" --no-clean
clean_case raw "$OUT/furn-raw.jsonl" "$OUT/furn-raw.stats.json" "$(num "$OUT/furn-raw.stats.json" seconds)"
run furn-cross "$F.jsonl" --no-clean --cross-site
clean_case raw-cross-site "$OUT/furn-cross.jsonl" "$OUT/furn-cross.stats.json" "$(num "$OUT/furn-cross.stats.json" seconds)"
run furn-default "$F.jsonl"
clean_case default "$OUT/furn-default.jsonl" "$OUT/furn-default.stats.json" "$(num "$OUT/furn-default.stats.json" seconds)"
"$GEMA" clean -q --stats "$OUT/furn-clean.stats.json" -o "$OUT/furn-clean.jsonl" "$F.jsonl"
run furn-cleaned "$OUT/furn-clean.jsonl"
clean_case cleaned "$OUT/furn-cleaned.jsonl" "$OUT/furn-cleaned.stats.json" \
    "$(echo "$(num "$OUT/furn-clean.stats.json" seconds) $(num "$OUT/furn-cleaned.stats.json" seconds)" | awk '{printf "%.3f", $1 + $2}')"
sed 's/"pairs_eval".*"all": *{/ ... {/' "$CL" | cut -c1-220 | sed 's/^/    /'
rm -f "$OUT/furn-clean.jsonl"

# ---- results -------------------------------------------------------------------------------------
{
    printf '{\n"suite": "passages",\n"date": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '"commands": {"pan": "gema passages --no-text $GEMA_EVAL/id-reuse/source-documents/*.txt $GEMA_EVAL/id-reuse/suspicious-documents/*.txt -o P; pan_eval $GEMA_EVAL/id-reuse P", "speed": "gema passages -j N --no-text --groups G -o P pass-1G.jsonl", "planted": "pan_eval --planted --corpus pass-1G.jsonl --min-words 15 pass-1G.truth.jsonl P", "corpus_1G": "gen_corpus --bytes 1G --seed 1 --mode passages", "corpus_100M": "gen_corpus --bytes 100M --seed 2 --mode passages", "corpus_furniture": "gen_corpus --bytes 30M --seed 3 --mode passages --furniture"},\n'
    printf '"targets": {"pan_none_plagdet": 0.95, "pan_random_shuffling_recall_at_precision_0.9": 0.7, "pan_semantic_variation_recall_at_precision_0.9": 0.7, "mb_per_s_per_core_1G": 50, "planted_recall_1G": 0.95},\n'
    printf '"pan_id_reuse": [\n'
    sed '$!s/$/,/' "$PANJ"
    printf '],\n"seeds": %s,\n"speed": [\n' "$SEEDS"
    sed '$!s/$/,/' "$SP"
    printf '],\n"planted_1G_min15": %s,\n"planted_1G_all": %s,\n"planted_100M_min15": %s,\n"planted_100M_min15_ngram5_window1": %s,\n"planted_1G_min15_raredf4": %s,\n' \
        "$(flat "$OUT/planted-1G.json")" "$(flat "$OUT/planted-1G-all.json")" \
        "$(flat "$OUT/planted-100M.json")" "$(flat "$OUT/planted-100M-ngram5-window1.json")" \
        "$(flat "$OUT/planted-1G-raredf4.json")"
    printf '"determinism": %s,\n"clean_first": [\n' "$DET"
    sed '$!s/$/,/' "$CL"
    printf ']\n}\n'
} >"$RESULTS/passages.json"
rm -f "$OUT"/1G-*.jsonl "$OUT"/100M-*.jsonl
say "wrote $RESULTS/passages.json"
