# gema align: the passages of two documents shown to a person.

NEWS=$DATA/passages/news.jsonl

case="align marks the edits of one reused paragraph"
run 0 "$GEMA" align "$NEWS" "$NEWS" --a-id wire-1 --b-id daily-1 --color never --width 100
# Lines 1-2 name the input paths, which depend on where the tests run.
sed 1,2d "$OUT" >"$TMP/al-body"
sed 1,2d "$EXPECTED/passages_align_wire_daily.txt" >"$TMP/al-want"
same "$TMP/al-body" "$TMP/al-want"
has "$OUT" 'news.jsonl (id wire-1)'
has "$OUT" '1 shared passage'
has "$OUT" 'hujan [-lebat-] {+deras+} disertai'
has "$OUT" '[-selama tiga hari ke depan,-]'

case="align side by side"
run 0 "$GEMA" align "$NEWS" "$NEWS" --a-id wire-1 --b-id daily-1 -y --width 80 --color never
has "$OUT" 'lebat                                  | deras'
has "$OUT" 'selama tiga hari ke depan,             < '
# No line is wider than asked.
awk 'length > 80 { bad = 1 } END { exit bad }' "$OUT" || bad "side-by-side line wider than 80"

case="align --json: offsets in code points and an edit script"
run 0 "$GEMA" align "$NEWS" "$NEWS" --a-id wire-1 --b-id daily-1 --json
lines "$OUT" 1
has "$OUT" '"a":{"start":11,"end":320,"words":43,'
has "$OUT" '"b":{"start":108,"end":385,"words":37,'
has "$OUT" '"op":"replace"'
has "$OUT" '"op":"delete"'
# Same spans as gema passages reports for the pair.
has "$EXPECTED/passages_news.jsonl" '"b":{"id":"daily-1","start":108,"end":385,"words":37,'

case="align of unrelated documents, colour, output file"
run 0 "$GEMA" align "$NEWS" "$NEWS" --a-id wire-1 --b-id other --color never
has "$OUT" '0 shared passages'
run 0 "$GEMA" align "$NEWS" "$NEWS" --a-id wire-1 --b-id daily-1 --color always -o "$TMP/al.txt"
lines "$OUT" 0
has "$TMP/al.txt" "$(printf '\033[')"

case="align plain-text files"
printf 'Kemarin sore hujan deras mengguyur Kota Semarang selama lebih dari tiga jam sehingga puluhan rumah warga di kawasan Kaligawe terendam air setinggi lutut orang dewasa.\n' >"$TMP/a.txt"
printf 'Berita lokal. Kemarin sore hujan lebat mengguyur Kota Semarang selama lebih dari tiga jam sehingga puluhan rumah warga di kawasan Kaligawe terendam air setinggi lutut orang dewasa.\n' >"$TMP/b.txt"
run 0 "$GEMA" align "$TMP/a.txt" "$TMP/b.txt" --json
has "$OUT" '"a":{"start":0,"end":166,"words":25,'
has "$OUT" '"b":{"start":14,"end":180,"words":25,'

case="align errors: missing file, unknown id, unusable record, one input"
run 1 "$GEMA" align "$NEWS" "$TMP/none.txt"
has "$ERR" 'none.txt'
run 1 "$GEMA" align "$NEWS" "$NEWS" --a-id nope
has "$ERR" "no document with id 'nope'"
printf '{"id":"x"}\n' >"$TMP/notext.jsonl"
run 1 "$GEMA" align "$TMP/notext.jsonl" "$NEWS"
has "$ERR" 'notext.jsonl:1: '
run 3 "$GEMA" align "$TMP/notext.jsonl" "$NEWS" --strict
run 2 "$GEMA" align "$NEWS"
has "$ERR" "Try 'gema align --help'"
