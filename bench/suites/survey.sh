#!/bin/sh
# survey benchmark: does cleaning first pay, and does the survey that
# decides it choose right?  Writes $RESULTS/survey.json.
#
#   1. gema dedup on corpora with and without page furniture: what the
#      survey saw and decided, CPU seconds (user + sys, /usr/bin/time, best
#      of 3) of the default, --no-clean and --clean, and the clusters each
#      found.
#   2. gema stories on the furniture benchmark's corpora (bench/furniture.c,
#      seeds 1-3: ECB+ and PolNeAR articles on twelve generated sites),
#      scored on their ECB+ articles against the source article's story:
#      "ecb" keeps only the documents made from ECB+ articles, "whole"
#      clusters every document and scores the ECB+ ones.  B-cubed with
#      --no-clean and with the default (the survey says clean).
#   3. gema passages on the furniture benchmark's seed 1: passages, how many
#      are same-site, CPU seconds, with --no-clean and the default.
set -eu
: "${GEMA:?}" "${BUILD:?}" "${RESULTS:?}" "${BENCH_DATA:?}" "${GEMA_EVAL:?}" "${ROOT:?}"
GEN=$BUILD/bench/gen_corpus
FURN=$BUILD/bench/furniture
EVAL=$BUILD/bench/stories_eval
D=$BENCH_DATA/survey
mkdir -p "$D"
T0=$(date +%s)
say() { echo "survey [$(( $(date +%s) - T0 ))s] $*" >&2; }
num() { sed -n "s/^ *\"$2\": \([-0-9.e+]*\),\{0,1\}\$/\1/p" "$1" | head -n 1; }

# cpu FILE OUT [options]: best CPU seconds of 3 runs of gema dedup; the
# stats and clusters of the last run stay in OUT.stats.json, OUT.c.jsonl.
cpu() {
    file=$1 out=$2
    shift 2
    best=""
    for r in 1 2 3; do
        /usr/bin/time -f '%U %S' -o "$out.time" nice -n 10 "$GEMA" dedup -q "$file" -o /dev/null \
            --clusters "$out.c.jsonl" --stats "$out.stats.json" "$@"
        t=$(awk '{ printf "%.2f", $1 + $2 }' "$out.time")
        best=$(echo "${best:-$t} $t" | awk '{ print ($2 < $1) ? $2 : $1 }')
    done
    echo "$best"
}

# ---- 1. dedup ------------------------------------------------------------------
[ -s "$D/near-100M.jsonl" ] || "$GEN" --bytes 100M --seed 1 --eval "$GEMA_EVAL" --output "$D/near-100M.jsonl" 2>/dev/null
[ -s "$D/furnished-30M.jsonl" ] ||
    "$GEN" --bytes 30M --seed 3 --furniture --eval "$GEMA_EVAL" --output "$D/furnished-30M.jsonl" 2>/dev/null
[ -s "$D/f1.jsonl" ] || "$FURN" gen "$GEMA_EVAL" "$D/f1.jsonl" "$D/f1.truth.jsonl" --seed 1 2>/dev/null
dedup=""
for c in near-100M furnished-30M f1 news ecbplus-dev; do
    case $c in
    news) file=$ROOT/samples/news.jsonl ;;
    ecbplus-dev) file=$GEMA_EVAL/ecbplus-dev.jsonl ;;
    *) file=$D/$c.jsonl ;;
    esac
    o=$D/dd-$c
    t_none=$(cpu "$file" "$o-none" --no-clean)
    t_clean=$(cpu "$file" "$o-clean" --clean)
    t_def=$(cpu "$file" "$o-def")
    s=$o-def.stats.json
    row=$(printf '"corpus": "%s", "bytes": %s, "records": %s, "clean": %s, "survey_sampled": %s, "survey_sites": %s, "survey_site_docs": %s, "survey_furnished": %s, "survey_share": %s, "seconds_survey": %s, "cpu_default": %s, "cpu_no_clean": %s, "cpu_clean": %s, "clusters_default": %s, "clusters_no_clean": %s, "clusters_clean": %s' \
        "$c" "$(num "$s" bytes)" "$(num "$s" records)" "$(num "$s" clean)" \
        "$(num "$s" survey_sampled)" "$(num "$s" survey_sites)" "$(num "$s" survey_site_docs)" \
        "$(num "$s" survey_furnished)" "$(num "$s" survey_share)" "$(num "$s" seconds_survey)" \
        "$t_def" "$t_none" "$t_clean" \
        "$(wc -l <"$o-def.c.jsonl" | tr -d ' ')" "$(wc -l <"$o-none.c.jsonl" | tr -d ' ')" \
        "$(wc -l <"$o-clean.c.jsonl" | tr -d ' ')")
    say "dedup $c: clean $(num "$s" clean) (share $(num "$s" survey_share)); CPU s default $t_def, --no-clean $t_none, --clean $t_clean"
    dedup="$dedup${dedup:+,
}    {$row}"
done

# ---- 2. stories ------------------------------------------------------------------
# Gold: each ECB+ document's story, under the furnished copies' ids
# (SITE/SOURCE-ID/N).
awk '{
    if (match($0, /"id": *"[^"]*"/)) { id = substr($0, RSTART, RLENGTH); sub(/^"id": *"/, "", id); sub(/"$/, "", id) }
    if (match($0, /"story": *"[^"]*"/)) { st = substr($0, RSTART, RLENGTH); sub(/^"story": *"/, "", st); sub(/"$/, "", st) }
    print id "\t" st
}' "$GEMA_EVAL/ecbplus-dev.jsonl" >"$D/ecb-stories.tsv"
stories=""
for seed in 1 2 3; do
    [ -s "$D/f$seed.jsonl" ] || "$FURN" gen "$GEMA_EVAL" "$D/f$seed.jsonl" "$D/f$seed.truth.jsonl" --seed "$seed" 2>/dev/null
    awk -v gold="$D/g$seed.jsonl" -v ecb="$D/fe$seed.jsonl" -F'\t' '
        FILENAME == ARGV[1] { story[$1] = $2; next }
        match($0, /^\{"id":"[^"]*"/) {
            id = substr($0, 8, RLENGTH - 8)
            n = split(id, part, "/")
            if (n == 3 && (part[2] in story)) {
                print > ecb
                printf "{\"id\":\"%s\",\"story\":\"%s\"}\n", id, story[part[2]] > gold
            }
        }' "$D/ecb-stories.tsv" "$D/f$seed.jsonl"
    for corpus in ecb whole; do
        [ $corpus = ecb ] && file=$D/fe$seed.jsonl || file=$D/f$seed.jsonl
        for v in no-clean default; do
            [ $v = no-clean ] && opt=--no-clean || opt=""
            # shellcheck disable=SC2086
            nice -n 10 "$GEMA" stories -q "$file" $opt -o /dev/null --assignments "$D/a.jsonl" \
                --stats "$D/st.json"
            r=$("$EVAL" score "$D/g$seed.jsonl" "$D/a.jsonl")
            say "stories seed $seed $corpus $v: $(echo "$r" | grep -o '"bcubed_f1": [0-9.]*'), clean $(num "$D/st.json" clean)"
            stories="$stories${stories:+,
}    {\"seed\": $seed, \"corpus\": \"$corpus\", \"run\": \"$v\", \"documents\": $(wc -l <"$file" | tr -d ' '), \"clean\": $(num "$D/st.json" clean), ${r#\{}"
        done
    done
done

# ---- 3. passages -----------------------------------------------------------------
passages=""
for v in no-clean default; do
    [ $v = no-clean ] && opt=--no-clean || opt=""
    # shellcheck disable=SC2086
    /usr/bin/time -f '%U %S' -o "$D/p.time" nice -n 10 "$GEMA" passages -q "$D/f1.jsonl" $opt \
        --no-text -o "$D/p-$v.jsonl" --stats "$D/p-$v.stats.json"
    t=$(awk '{ printf "%.2f", $1 + $2 }' "$D/p.time")
    n=$(wc -l <"$D/p-$v.jsonl" | tr -d ' ')
    same=$(grep -c '"class":"same-site"' "$D/p-$v.jsonl" || true)
    say "passages seed 1 $v: $n passages, $same same-site, $t CPU s"
    passages="$passages${passages:+,
}    {\"corpus\": \"f1\", \"run\": \"$v\", \"clean\": $(num "$D/p-$v.stats.json" clean), \"passages\": $n, \"same_site\": $same, \"cpu_seconds\": $t}"
done

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
    printf '{\n  "suite": "survey",\n  "date": "%s",\n  "commit": "%s",\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" "$commit"
    printf '  "dedup": [\n%s\n  ],\n' "$dedup"
    printf '  "stories": [\n%s\n  ],\n' "$stories"
    printf '  "passages": [\n%s\n  ]\n}\n' "$passages"
} >"$RESULTS/survey.json.tmp"
mv "$RESULTS/survey.json.tmp" "$RESULTS/survey.json"
say "done: $RESULTS/survey.json"
