# gema stories: golden stories and assignments on a small dated corpus (two
# earthquakes half a year apart, a budget vote, an aggregator's copy),
# options, bad input and --strict, determinism at any -j, and the seeds.

STORIES=$DATA/stories/news.jsonl

case="stories golden output and assignments"
run 0 "$GEMA" stories "$STORIES" --assignments "$TMP/sa.jsonl" --stats "$TMP/ss.json" -o "$TMP/s.jsonl" -q
same "$TMP/s.jsonl" "$EXPECTED/stories_news.jsonl"
same "$TMP/sa.jsonl" "$EXPECTED/stories_news_assignments.jsonl"
lines "$TMP/s.jsonl" 3
# The Peru quake with the aggregator's copy, the vote, the Chile quake.
has "$TMP/s.jsonl" '"members":["quake-a1","quake-a2","quake-a1-copy","quake-a3"]'
has "$TMP/s.jsonl" '"members":["vote-1","vote-2"]'
has "$TMP/s.jsonl" '"members":["quake-b1","quake-b2"]'
has "$TMP/s.jsonl" '"first":"2024-03-04T06:10:00Z","last":"2024-03-05T10:00:00Z"'
has "$TMP/s.jsonl" '"sites":["daily.example","wire.example","aggregator.example","news.example"]'
has "$TMP/sa.jsonl" '{"id":"quake-a1-copy","story":0,"decision":"duplicate","score":'
has "$TMP/sa.jsonl" '"duplicate_of":"quake-a1","language":"en"}'
has "$TMP/ss.json" '"records": 8'
has "$TMP/ss.json" '"stories": 3'
has "$TMP/ss.json" '"duplicates": 1'
has "$TMP/ss.json" '"dated": 8'

case="stories identical at -j 1, 2 and 4"
run 0 "$GEMA" stories "$STORIES" -j 2 --assignments "$TMP/sa2.jsonl" -q
same "$OUT" "$TMP/s.jsonl"
same "$TMP/sa2.jsonl" "$TMP/sa.jsonl"
run 0 "$GEMA" stories "$STORIES" -j 4 --assignments "$TMP/sa4.jsonl" -q
same "$OUT" "$TMP/s.jsonl"
same "$TMP/sa4.jsonl" "$TMP/sa.jsonl"

case="stories options: no time, no dedup, no revisit, plain cosine, forced language"
# Without decay the half-year gap no longer separates the quakes' windows;
# their words and names still do.
run 0 "$GEMA" stories "$STORIES" --half-life 0 -q
lines "$OUT" 3
run 0 "$GEMA" stories "$STORIES" --no-dedup --assignments "$TMP/nd.jsonl" -q
hasnt "$TMP/nd.jsonl" '"duplicate"'
has "$OUT" '"quake-a1-copy"'
run 0 "$GEMA" stories "$STORIES" --no-revisit --assignments "$TMP/nr.jsonl" -q
hasnt "$TMP/nr.jsonl" '"moved"'
lines "$OUT" 3
run 0 "$GEMA" stories "$STORIES" --neighbours 0 -t 0.2 -q
lines "$OUT" 3
run 0 "$GEMA" stories "$STORIES" --density-floor 0.15 --stats "$TMP/df.json" -q
lines "$OUT" 3
has "$TMP/df.json" '"density_floor": 0.15'

run 0 "$GEMA" stories "$STORIES" --language id --assignments "$TMP/id.jsonl" -q
has "$TMP/id.jsonl" '"language":"id"'
# A threshold no article reaches: every article its own story, copies still follow.
run 0 "$GEMA" stories "$STORIES" -t 10 -q
lines "$OUT" 7

case="stories bad input: malformed JSON, missing text, --rejects, --strict"
printf '%s\n' '{"id":"ok-1","text":"The budget vote passed in parliament on Tuesday."}' \
    '{"id":"broken","text":"unterminated' '{"id":"notext"}' '[1,2]' >"$TMP/bad.jsonl"
run 0 "$GEMA" stories "$TMP/bad.jsonl" --rejects "$TMP/rej.jsonl" --assignments "$TMP/ba.jsonl" -q
lines "$OUT" 1
lines "$TMP/rej.jsonl" 3
has "$TMP/rej.jsonl" 'bad.jsonl'
has "$TMP/rej.jsonl" '"reason":"malformed-json"'
has "$TMP/rej.jsonl" '"reason":"missing-text"'
has "$TMP/rej.jsonl" '"reason":"not-an-object"'
has "$TMP/ba.jsonl" '"story":null,"decision":"rejected","reason":"missing-text"}'
lines "$TMP/ba.jsonl" 4
run 3 "$GEMA" stories "$TMP/bad.jsonl" --strict -o "$TMP/strict.jsonl" -q
has "$ERR" 'bad.jsonl:2'
absent "$TMP/strict.jsonl"
# Stories go out as they close, so --strict looks at every record first:
# nothing reaches stdout either.
run 3 "$GEMA" stories "$TMP/bad.jsonl" --strict -q
lines "$OUT" 0

case="stories cleans first where sites repeat their furniture"
# tests/data/furnished.jsonl (see test_dedup.sh): raw, a site's menu and
# footer outweigh its pages' one line of news, so each learned site's pages
# become one story; cleaned, only the wire story's two copies share one.
# (gamma's five pages are too few to learn furniture from, and stay together.)
run 0 "$GEMA" stories "$DATA/furnished.jsonl" --no-clean --stats "$TMP/fs0.json" -q
has "$OUT" '"members":["alpha-1","alpha-2","alpha-3","alpha-4","alpha-5","alpha-wire","beta-wire"]'
has "$TMP/fs0.json" '"clean_decided_by": "option"'
run 0 "$GEMA" stories "$DATA/furnished.jsonl" --stats "$TMP/fs.json" -q
has "$OUT" '"members":["alpha-wire","beta-wire"]'
has "$OUT" '"members":["alpha-1"]'
has "$OUT" '"members":["beta-10"]'
has "$TMP/fs.json" '"clean": 1'
has "$TMP/fs.json" '"clean_decided_by": "survey"'
# Headlines come from the cleaned text, not the menu line.
has "$OUT" '"headline":"Gempa berkekuatan 5,6'
hasnt "$OUT" '"headline":"Beranda'
run 0 "$GEMA" stories "$STORIES" --stats "$TMP/st.json" -q
has "$TMP/st.json" '"clean": 0'

case="stories --window-articles: windows by position where dates give none"
sed 's/"date": "[^"]*", //' "$STORIES" >"$TMP/undated.jsonl"
run 0 "$GEMA" stories "$TMP/undated.jsonl" --assignments "$TMP/ua.jsonl" --stats "$TMP/us.json" -q
cp "$OUT" "$TMP/u.jsonl"
has "$TMP/us.json" '"dated": 0'
has "$TMP/us.json" '"window_articles": 0'
# No larger than one window (7 articles are clustered, the copy follows): unchanged.
run 0 "$GEMA" stories "$TMP/undated.jsonl" --window-articles 7 --assignments "$TMP/ua7.jsonl" --stats "$TMP/us7.json" -q
same "$OUT" "$TMP/u.jsonl"
same "$TMP/ua7.jsonl" "$TMP/ua.jsonl"
has "$TMP/us7.json" '"window_articles": 0'
# Two-article windows: each story's reports are next to each other in the
# input, so the stories are the same.
run 0 "$GEMA" stories "$TMP/undated.jsonl" --window-articles 2 --stats "$TMP/us2.json" -q
has "$TMP/us2.json" '"window_articles": 2'
lines "$OUT" 3
has "$OUT" '"members":["quake-a1","quake-a2","quake-a3","quake-a1-copy"]'
# 90 unrelated undated articles: one window holds all of them; windows of 5
# hold the articles and live stories of the last three windows (and of those
# just arrived), and every article is still accounted for.
awk 'BEGIN { for (i = 0; i < 90; i++) { t = ""; for (j = 0; j < 30; j++) t = t " w" i "x" j; printf "{\"id\":\"a%d\",\"text\":\"Report%s.\"}\n", i, t } }' >"$TMP/many.jsonl"
run 0 "$GEMA" stories "$TMP/many.jsonl" --stats "$TMP/m0.json" -q
has "$TMP/m0.json" '"peak_pending": 90,'
run 0 "$GEMA" stories "$TMP/many.jsonl" --window-articles 5 --assignments "$TMP/m5a.jsonl" --stats "$TMP/m5.json" -q
lines "$OUT" 90
lines "$TMP/m5a.jsonl" 90
peak=$(sed -n 's/^ *"peak_pending": \([0-9]*\),$/\1/p' "$TMP/m5.json")
[ -n "$peak" ] && [ "$peak" -le 20 ] && pass=$((pass + 1)) || bad "peak_pending $peak with 5-article windows"
live=$(sed -n 's/^ *"peak_live_stories": \([0-9]*\),$/\1/p' "$TMP/m5.json")
[ -n "$live" ] && [ "$live" -le 20 ] && pass=$((pass + 1)) || bad "peak_live_stories $live with 5-article windows"
run 2 "$GEMA" stories "$STORIES" --window-articles -1

case="stories usage errors"
run 2 "$GEMA" stories "$STORIES" -t 11
run 2 "$GEMA" stories "$STORIES" --neighbours 65
run 2 "$GEMA" stories "$STORIES" --density-floor 0
run 2 "$GEMA" stories "$STORIES" --language xx
run 2 "$GEMA" stories "$STORIES" --bogus
run 0 "$GEMA" stories --help
has "$OUT" '--assignments FILE'
has "$OUT" '--neighbours K'
has "$OUT" '--density-floor F'
has "$OUT" '--no-clean'

# The five crawled seed articles (../shared/seeds, not part of the
# repository): the four reports of the Putin-Xi video call are one story,
# the Putin-Wang Yi meeting a year later another.
SEEDS=${GEMA_SEEDS:-$ROOT/../shared/seeds}
if [ -d "$SEEDS" ]; then
    case="stories on the seed articles"
    run 0 "$GEMA" stories "$SEEDS" --assignments "$TMP/seeds.jsonl" -q
    lines "$OUT" 2
    has "$OUT" '"members":["000_5552822aaa6812bb.txt","001_94fd509057129462.txt","002_a8e77b1af4aae60f.txt","004_8c81cf253c36d0e9.txt"]'
    has "$OUT" '"members":["003_11267f4ae99b6947.txt"]'
    has "$TMP/seeds.jsonl" '"language":"id"'
    run 0 "$GEMA" stories "$SEEDS" -j 2 -q
    has "$OUT" '"members":["003_11267f4ae99b6947.txt"]'
else
    echo "note: $SEEDS absent, seed article checks skipped"
fi
