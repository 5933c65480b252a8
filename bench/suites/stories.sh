#!/bin/sh
# stories benchmark: quality of `gema stories` on ECB+ (file order and
# shuffled orders, the two halves of the topics apart), the plain TF-IDF +
# average-link baseline tuned on the same file, the seeds, and speed and
# memory on a generated dated stream.  Writes $RESULTS/stories.json.
#
#   1. ECB+ dev ($GEMA_EVAL/ecbplus-dev.jsonl): default settings, file order
#      and shuffles 1..5 (stories_eval shuffle: ECB+ has no dates and its
#      file order groups articles by story, which flatters a stream);
#      odd and even topics on their own (a threshold chosen on one half can
#      be checked on the other); plain cosine (--neighbours 0 -t 0.2) and
#      no revisit for comparison;
#   2. baseline: stories_eval baseline (TF-IDF + average link, cosine
#      distance cut swept 0.50..0.95; the best cut is tuned on the file);
#   3. seeds ($GEMA_SEEDS): which articles share a story; PolNeAR train
#      (no story labels): how many stories, how many single, the largest;
#      a negative control of unrelated generated articles with planted
#      copies (precision where articles have no story-mates); the density
#      floor 0.25 (default) against 0.15 on ECB+, the control and PolNeAR;
#      a control of real news: ECB+ and PolNeAR in one file, where a story
#      holding articles of both is a false merge;
#   4. speed and memory: gen_corpus --docs N (news-like articles of ~3.5 KB
#      dated at 100,000 a year, near-duplicate groups planted) at -j1 and -j2,
#      articles per second of wall and of CPU time (user + sys), peak RSS
#      from --stats, peak live stories and held
#      articles (memory follows the window, not the corpus);
#   5. undated: the first size's articles without dates, one window against
#      --window-articles 5000.
set -eu
: "${GEMA:?}" "${BUILD:?}" "${RESULTS:?}" "${BENCH_DATA:?}" "${GEMA_EVAL:?}"
EVAL=$BUILD/bench/stories_eval
GEN=$BUILD/bench/gen_corpus
D=$BENCH_DATA/stories
mkdir -p "$D"
ECB=$GEMA_EVAL/ecbplus-dev.jsonl
SEEDS=${GEMA_SEEDS:-$ROOT/../shared/seeds}
DOCS=${STORIES_DOCS:-"100000 200000"}
OUTJ=$RESULTS/stories.json.tmp
T0=$(date +%s)
say() { echo "stories [$(( $(date +%s) - T0 ))s] $*" >&2; }
num() { sed -n "s/^ *\"$2\": \([-0-9.e+]*\),\{0,1\}\$/\1/p" "$1" | head -n 1; }

score() { # NAME FILE GOLD [gema options...]
    name=$1 file=$2 gold=$3
    shift 3
    nice -n 10 "$GEMA" stories "$file" -q -o "$D/s.jsonl" --assignments "$D/a.jsonl" "$@"
    r=$("$EVAL" score "$gold" "$D/a.jsonl")
    printf '    {"run": "%s", "options": "%s", %s' "$name" "$*" "${r#\{}"
}

{
echo '{'
echo '  "suite": "stories",'
echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
echo "  \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\","
if [ -f "$ECB" ]; then
    say "ECB+ quality"
    echo '  "ecbplus": ['
    score "file order" "$ECB" "$ECB"; echo ','
    for s in 1 2 3 4 5; do
        "$EVAL" shuffle "$s" "$ECB" "$D/ecb-shuffle$s.jsonl"
        score "shuffle $s" "$D/ecb-shuffle$s.jsonl" "$ECB"; echo ','
    done
    for half in odd even; do
        awk -v h=$half '{ if (match($0, /"topic": "[0-9]+"/)) { t = substr($0, RSTART + 10, RLENGTH - 11) + 0;
            if ((h == "odd") == (t % 2 == 1)) print } }' "$ECB" >"$D/ecb-$half.jsonl"
        for t in 0.55 0.6 0.65 0.7 0.75; do
            score "$half topics" "$D/ecb-$half.jsonl" "$D/ecb-$half.jsonl" -t $t; echo ','
        done
    done
    score "floor 0.15, file order" "$ECB" "$ECB" --density-floor 0.15; echo ','
    for s in 1 2 3 4 5; do
        score "floor 0.15, shuffle $s" "$D/ecb-shuffle$s.jsonl" "$ECB" --density-floor 0.15; echo ','
    done
    score "plain cosine, file order" "$ECB" "$ECB" --neighbours 0 -t 0.2; echo ','
    score "plain cosine, shuffle 1" "$D/ecb-shuffle1.jsonl" "$ECB" --neighbours 0 -t 0.2; echo ','
    score "no revisit, shuffle 1" "$D/ecb-shuffle1.jsonl" "$ECB" --no-revisit
    echo
    echo '  ],'
    say "baseline"
    echo '  "baseline_tfidf_average_link_tuned_on_file": ['
    "$EVAL" baseline "$ECB" | sed 's/^/    /; $!s/$/,/'
    echo '  ],'
fi
# A negative control: generated articles are unrelated to each other (random
# walks through a bigram model; their words overlap far more than real
# unrelated news does) except planted near-duplicate groups, so every story
# holding two different base articles is a false merge.  Gold: the group of
# a planted copy, else the article itself.
C=$D/control20k
if [ ! -s "$C.jsonl" ]; then
    say "generating the negative control"
    nice -n 10 "$GEN" --docs 20000 --seed 9 --days 73 -o "$C.jsonl" --truth "$C.truth.jsonl" -q
fi
sed -n 's/^{"kind":"doc","id":"\([^"]*\)".*"group":\(null\|[0-9]*\),.*/{"id":"\1","story":"\2 \1"}/p' "$C.truth.jsonl" |
    sed 's/"story":"null \([^"]*\)"/"story":"\1"/; s/"story":"\([0-9]*\) [^"]*"/"story":"g\1"/' >"$C.gold.jsonl"
say "negative control"
echo '  "control_unrelated": ['
score "dated" "$C.jsonl" "$C.gold.jsonl"; echo ','
score "dated, floor 0.15" "$C.jsonl" "$C.gold.jsonl" --density-floor 0.15; echo ','
score "undated" "$C.jsonl" "$C.gold.jsonl" --half-life 0; echo ','
score "undated, floor 0.15" "$C.jsonl" "$C.gold.jsonl" --half-life 0 --density-floor 0.15; echo ','
score "undated, plain cosine" "$C.jsonl" "$C.gold.jsonl" --half-life 0 --neighbours 0 -t 0.2
echo
echo '  ],'
POL=$GEMA_EVAL/polnear-train.jsonl
if [ -f "$POL" ]; then
    # No story labels: a sanity check that real news of one season (US
    # politics, 2015-2016, no dates) does not run together.
    say "polnear"
    echo '  "polnear_train": ['
    for fl in 0.25 0.15; do
        nice -n 10 "$GEMA" stories "$POL" -q -o "$D/pol.jsonl" --stats "$D/pol.stats" --density-floor $fl
        big=$(sed 's/^{"story":[0-9]*,"size":\([0-9]*\).*/\1/' "$D/pol.jsonl" | sort -n | tail -n 1)
        [ $fl = 0.25 ] || echo ','
        printf '    {"density_floor": %s, "articles": %s, "stories": %s, "singletons": %s, "largest": %s}' \
            $fl "$(num "$D/pol.stats" articles)" "$(num "$D/pol.stats" stories)" "$(num "$D/pol.stats" singletons)" "$big"
    done
    echo
    echo '  ],'
fi
POLDEV=$GEMA_EVAL/polnear-dev.jsonl
if [ -f "$POL" ] && [ -f "$POLDEV" ]; then
    # A control of real news: ECB+ and PolNeAR (US politics 2015-2016) in one
    # undated file.  A story holding articles of both files is certainly
    # wrong, so B-cubed precision against the file each article came from
    # (1.0 = no story crosses) measures false merges among real unrelated
    # news; PolNeAR's own story count shows how far its articles run together.
    say "real-news control"
    { sed 's/^{/{"source": "ecbplus", /' "$ECB"
      sed 's/^{/{"source": "polnear", /' "$POL" "$POLDEV"; } >"$D/realmix.jsonl"
    echo '  "control_real": ['
    for fl in 0.25 0.15; do
        nice -n 10 "$GEMA" stories "$D/realmix.jsonl" -q -o /dev/null --density-floor $fl \
            --assignments "$D/realmix.a.jsonl" --stats "$D/realmix.stats"
        "$EVAL" score "$D/realmix.jsonl" "$D/realmix.a.jsonl" source >"$D/realmix.score"
        ecb=$("$EVAL" score "$ECB" "$D/realmix.a.jsonl" | sed -n 's/.*"bcubed_f1": \([0-9.]*\).*/\1/p')
        pol=$(grep -v '"id":"[0-9]*_[0-9]*ecb' "$D/realmix.a.jsonl" | sed 's/.*"story":\([0-9]*\).*/\1/' | sort -u | wc -l)
        [ $fl = 0.25 ] || echo ','
        printf '    {"density_floor": %s, "articles": %s, "stories": %s, "source_bcubed_p": %s, "ecbplus_bcubed_f1": %s, "polnear_stories": %s}' \
            $fl "$(num "$D/realmix.stats" articles)" "$(num "$D/realmix.stats" stories)" \
            "$(sed -n 's/.*"bcubed_p": \([0-9.]*\).*/\1/p' "$D/realmix.score")" "$ecb" "$pol"
    done
    echo
    echo '  ],'
fi
if [ -d "$SEEDS" ]; then
    say "seeds"
    nice -n 10 "$GEMA" stories "$SEEDS" -q -o "$D/seeds.jsonl"
    echo '  "seeds": ['
    sed 's/.*"members":\(\[[^]]*\]\).*/    \1/; $!s/$/,/' "$D/seeds.jsonl"
    echo '  ],'
fi
echo '  "speed": ['
first=1
for n in $DOCS; do
    f=$D/news$n.jsonl
    if [ ! -s "$f" ]; then
        say "generating $n articles"
        # The same rate (100,000 articles a year) at every size: live stories
        # and held articles should stay flat while the corpus grows.
        nice -n 10 "$GEN" --docs "$n" --seed 5 --days $((n * 365 / 100000)) -o "$f" -q
    fi
    for j in 1 2; do
        say "speed $n articles -j$j"
        # CPU time as well as wall time: the machine is shared.
        /usr/bin/time -f '%U %S' -o "$D/big.time" nice -n 10 "$GEMA" stories "$f" -q -j $j -o "$D/big.jsonl" --stats "$D/big.stats"
        cpu=$(awk '{printf "%.2f", $1 + $2}' "$D/big.time")
        apc=$(awk -v n="$(num "$D/big.stats" articles)" '{printf "%.0f", n / ($1 + $2)}' "$D/big.time")
        [ $first -eq 1 ] || echo ','
        first=0
        printf '    {"articles": %s, "threads": %s, "bytes": %s, "seconds": %s, "cpu_seconds": %s, "articles_per_s": %s, "articles_per_cpu_s": %s, "seconds_dedup": %s, "seconds_scan": %s, "seconds_cluster": %s, "stories": %s, "peak_live_stories": %s, "peak_pending": %s, "peak_story_bytes": %s, "peak_rss_bytes": %s, "command": "gema stories news%s.jsonl -j%s --stats"}' \
            "$(num "$D/big.stats" articles)" "$j" "$(num "$D/big.stats" bytes)" "$(num "$D/big.stats" seconds)" "$cpu" \
            "$(num "$D/big.stats" articles_per_s)" "$apc" "$(num "$D/big.stats" seconds_dedup)" \
            "$(num "$D/big.stats" seconds_scan)" "$(num "$D/big.stats" seconds_cluster)" \
            "$(num "$D/big.stats" stories)" "$(num "$D/big.stats" peak_live_stories)" \
            "$(num "$D/big.stats" peak_pending)" "$(num "$D/big.stats" peak_story_bytes)" \
            "$(num "$D/big.stats" peak_rss_bytes)" "$n" "$j"
    done
done
echo
echo '  ],'
# Undated input: the same articles without their dates are one window unless
# --window-articles cuts the stream by position.
n=${DOCS%% *}
u=$D/news$n-undated.jsonl
[ -s "$u" ] || sed 's/"date":"[^"]*",//' "$D/news$n.jsonl" >"$u"
echo '  "undated": ['
first=1
for w in 0 5000; do
    say "undated $n articles --window-articles $w"
    /usr/bin/time -f '%U %S' -o "$D/big.time" nice -n 10 "$GEMA" stories "$u" -q -j1 --window-articles $w -o "$D/big.jsonl" --stats "$D/big.stats"
    cpu=$(awk '{printf "%.2f", $1 + $2}' "$D/big.time")
    apc=$(awk -v n="$(num "$D/big.stats" articles)" '{printf "%.0f", n / ($1 + $2)}' "$D/big.time")
    [ $first -eq 1 ] || echo ','
    first=0
    printf '    {"articles": %s, "dated": %s, "window_articles": %s, "cpu_seconds": %s, "articles_per_cpu_s": %s, "seconds_cluster": %s, "stories": %s, "peak_live_stories": %s, "peak_pending": %s, "peak_story_bytes": %s, "peak_rss_bytes": %s, "command": "gema stories news%s-undated.jsonl -j1 --window-articles %s --stats"}' \
        "$(num "$D/big.stats" articles)" "$(num "$D/big.stats" dated)" "$(num "$D/big.stats" window_articles)" "$cpu" "$apc" \
        "$(num "$D/big.stats" seconds_cluster)" "$(num "$D/big.stats" stories)" \
        "$(num "$D/big.stats" peak_live_stories)" "$(num "$D/big.stats" peak_pending)" \
        "$(num "$D/big.stats" peak_story_bytes)" "$(num "$D/big.stats" peak_rss_bytes)" "$n" "$w"
done
echo
echo '  ]'
echo '}'
} >"$OUTJ"
mv "$OUTJ" "$RESULTS/stories.json"
say "wrote $RESULTS/stories.json"
