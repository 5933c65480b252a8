# gema passages: golden passages and groups, options, input forms, bad input,
# determinism at any -j and shard count, and the seed articles.

NEWS=$DATA/passages/news.jsonl

case="passages golden output and groups"
run 0 "$GEMA" passages "$NEWS" --groups "$TMP/g.jsonl" --stats "$TMP/s.json" -o "$TMP/p.jsonl" -q
same "$TMP/p.jsonl" "$EXPECTED/passages_news.jsonl"
same "$TMP/g.jsonl" "$EXPECTED/passages_news_groups.jsonl"
has "$TMP/s.json" '"records": 6'
has "$TMP/s.json" '"passages": 9'
has "$TMP/s.json" '"groups": 2'
# The wire's own earlier quote is same-site; reposts elsewhere are cross-site;
# the earlier-dated side is named, and nobody is earlier than an undated blog.
has "$TMP/p.jsonl" '"b":{"id":"wire-1","start":530,"end":725,"words":27,'
grep -F '"id":"wire-2"' "$TMP/p.jsonl" | grep -F '"id":"wire-1"' >"$TMP/self"
has "$TMP/self" '"class":"same-site","earlier":"a"'
grep -F '"id":"wire-1"' "$TMP/p.jsonl" | grep -F '"id":"daily-1"' >"$TMP/edit"
# One edited paragraph (a word changed, a clause and a word dropped) is one passage.
lines "$TMP/edit" 1
has "$TMP/edit" '"score":0.9,"matched":36,"class":"cross-site","earlier":"a"'
grep -F '"id":"blog-1"' "$TMP/p.jsonl" >"$TMP/blog"
lines "$TMP/blog" 3
hasnt "$TMP/blog" '"earlier":"a"'
hasnt "$TMP/blog" '"earlier":"b"'
# The quote's group starts with its earliest appearance, undated last.
has "$TMP/g.jsonl" '"occurrences":[{"id":"wire-2","start":76,"end":285,"date":"2024-02-28"},{"id":"wire-1"'
has "$TMP/g.jsonl" '{"id":"blog-1","start":28,"end":245,"date":null}]}'
hasnt "$TMP/p.jsonl" '"id":"other"'

# Shards can drop a few of the shortest passages on big corpora (see
# doc/BENCHMARKS.md); these passages are long enough to survive 8 shards.
case="passages identical at -j 2 and with the index in shards"
run 0 "$GEMA" passages "$NEWS" -j 2 --groups "$TMP/g2.jsonl" -q
same "$OUT" "$TMP/p.jsonl"
same "$TMP/g2.jsonl" "$TMP/g.jsonl"
run 0 "$GEMA" passages "$NEWS" --shards 8 -j 2 --groups "$TMP/g8.jsonl" --stats "$TMP/s8.json" -q
same "$OUT" "$TMP/p.jsonl"
same "$TMP/g8.jsonl" "$TMP/g.jsonl"
has "$TMP/s8.json" '"shards": 8'
# Sharded, every n-gram is indexed by default; one shard winnows with 4.
has "$TMP/s8.json" '"window": 1'
has "$TMP/s.json" '"window": 4'

case="passages candidate options: --window, --rare-df"
# Every n-gram indexed, or chains for n-grams in more than 1 document:
# the same passages on this small corpus.
run 0 "$GEMA" passages "$NEWS" --window 1 -q
same "$OUT" "$TMP/p.jsonl"
run 0 "$GEMA" passages "$NEWS" --rare-df 1 --groups "$TMP/gr.jsonl" --stats "$TMP/sr.json" -q
has "$TMP/sr.json" '"rare_df": 1'
has "$TMP/gr.jsonl" '"id":"blog-1"'
run 2 "$GEMA" passages "$NEWS" --window 65
has "$ERR" 'window'

case="passages options: --cross-site, --min-words, --min-similarity, --no-text"
run 0 "$GEMA" passages "$NEWS" --cross-site -q
lines "$OUT" 8
hasnt "$OUT" '"same-site"'
run 0 "$GEMA" passages "$NEWS" --min-words 40 -q
lines "$OUT" 2
hasnt "$OUT" '"id":"daily-1","start":108,"end":385,'
run 0 "$GEMA" passages "$NEWS" --min-similarity 0.95 -q
lines "$OUT" 6
hasnt "$OUT" '"score":0.9,'
run 0 "$GEMA" passages "$NEWS" --no-text --groups "$TMP/gn.jsonl" -q
hasnt "$OUT" '"text"'
hasnt "$TMP/gn.jsonl" '"text"'
lines "$OUT" 9
run 2 "$GEMA" passages "$NEWS" --min-similarity 2
has "$ERR" 'min-similarity'
run 2 "$GEMA" passages "$NEWS" --ngram 0
run 2 "$GEMA" passages "$NEWS" --bogus
has "$ERR" "Try 'gema passages --help'"

case="passages reads stdin, gzip and a directory of text files"
run 0 "$GEMA" passages - -q <"$NEWS"
same "$OUT" "$TMP/p.jsonl"
gzip -c "$NEWS" >"$TMP/news.jsonl.gz"
run 0 "$GEMA" passages "$TMP/news.jsonl.gz" -q
same "$OUT" "$TMP/p.jsonl"
mkdir -p "$TMP/txt/a" "$TMP/txt/b"
grep -F '"id": "wire-1"' "$NEWS" | sed 's/.*"text": "//; s/"}$//' | sed 's/\\n/\n/g' >"$TMP/txt/a/wire.txt"
grep -F '"id": "daily-1"' "$NEWS" | sed 's/.*"text": "//; s/"}$//' | sed 's/\\n/\n/g' >"$TMP/txt/b/daily.txt"
run 0 "$GEMA" passages "$TMP/txt" -q
lines "$OUT" 1
has "$OUT" '"a":{"id":"a/wire.txt"'
has "$OUT" '"b":{"id":"b/daily.txt","start":108,"end":385,'

case="passages on the output of gema clean"
"$GEMA" clean "$NEWS" -q -o "$TMP/clean.jsonl"
run 0 "$GEMA" passages "$TMP/clean.jsonl" -q
lines "$OUT" 9
has "$OUT" '"a":{"id":"wire-1","start":11,"end":320,"words":43,'

case="passages cleans first where sites repeat their furniture"
# tests/data/furnished.jsonl (see test_dedup.sh).  Raw, every pair of pages of
# a site shares its menu and footer; cleaned, what is left is the wire story
# carried by two sites (and the footer of gamma, too small a site to learn
# from), at offsets in the text as read: after each site's menu line.
run 0 "$GEMA" passages "$DATA/furnished.jsonl" --no-clean --stats "$TMP/fs0.json" -q
lines "$OUT" 136
has "$OUT" '"a":{"id":"alpha-1","start":0,"end":304,"words":47,"text":"Beranda | Berita'
run 0 "$GEMA" passages "$DATA/furnished.jsonl" --stats "$TMP/fs.json" -q
cp "$OUT" "$TMP/fs-j1.jsonl"
lines "$OUT" 11
hasnt "$OUT" 'Beranda'
hasnt "$OUT" '"id":"alpha-1"'
has "$OUT" '"a":{"id":"alpha-wire","start":52,"end":218,"words":25,"text":"Gempa berkekuatan 5,6'
has "$OUT" '"b":{"id":"beta-wire","start":51,"end":217,"words":25,'
has "$TMP/fs.json" '"clean": 1'
has "$TMP/fs.json" '"clean_decided_by": "survey"'
has "$TMP/fs0.json" '"clean_decided_by": "option"'
has "$TMP/s.json" '"clean": 0'
run 0 "$GEMA" passages "$DATA/furnished.jsonl" -j 2 -q
same "$OUT" "$TMP/fs-j1.jsonl"

case="passages bad input: every record accounted for, FILE:LINE reported"
{
    sed -n 1,2p "$NEWS"
    printf '{"id":"broken","text":"no closing brace"\n'
    printf '{"id":"no-text"}\n'
    sed -n 3,6p "$NEWS"
} >"$TMP/bad.jsonl"
run 0 "$GEMA" passages "$TMP/bad.jsonl" --rejects "$TMP/rej.jsonl" --stats "$TMP/bs.json" -q
lines "$OUT" 9
lines "$TMP/rej.jsonl" 2
has "$TMP/rej.jsonl" '"line":3,'
has "$TMP/rej.jsonl" '"reason":"malformed-json"'
has "$TMP/rej.jsonl" '"reason":"missing-text"'
has "$TMP/bs.json" '"documents": 6'
has "$TMP/bs.json" '"rejected": 2'
run 0 "$GEMA" passages "$TMP/bad.jsonl" -o /dev/null
has "$ERR" 'bad.jsonl:3: '
run 3 "$GEMA" passages "$TMP/bad.jsonl" --strict -o "$TMP/strict.jsonl" -q
absent "$TMP/strict.jsonl"

# The five crawled seed articles (../shared/seeds, not part of the
# repository): the Xi quote is found in every article that carries it, in
# the same words (000, 001, 002) or reworded (004), and the long run of
# paragraphs that 001 and 002 share comes out as one passage.
SEEDS=${GEMA_SEEDS:-$ROOT/../shared/seeds}
if [ -d "$SEEDS" ]; then
    case="passages on the seed articles"
    run 0 "$GEMA" passages "$SEEDS" --groups "$TMP/sg.jsonl" -o "$TMP/sp.jsonl" -q
    for pair in "000_ 001_" "000_ 002_" "000_ 004_" "001_ 004_" "002_ 004_" "001_ 002_"; do
        first=${pair% *} second=${pair#* }
        grep -F "\"a\":{\"id\":\"$first" "$TMP/sp.jsonl" | grep -F "\"b\":{\"id\":\"$second" |
            grep -F 'dengan kedok' >"$TMP/quote"
        lines "$TMP/quote" 1
    done
    grep -F '"a":{"id":"001_' "$TMP/sp.jsonl" | grep -F '"b":{"id":"002_' >"$TMP/long"
    lines "$TMP/long" 1
    has "$TMP/long" '"a":{"id":"001_94fd509057129462.txt","start":286,"end":1852,"words":214,'
    has "$TMP/long" '"b":{"id":"002_a8e77b1af4aae60f.txt","start":0,"end":1721,"words":238,'
    # One group holds every occurrence of the quote: all four articles.
    grep -F '"id":"004_' "$TMP/sg.jsonl" | grep -F '"id":"000_' | grep -F '"id":"001_' |
        grep -F '"id":"002_' >"$TMP/qg"
    lines "$TMP/qg" 1
    hasnt "$TMP/sp.jsonl" '"id":"003_'
else
    echo "note: $SEEDS absent, seed article checks skipped"
fi
