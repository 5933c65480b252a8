# gema dedup: sample clusters, input forms, bad input, accounting, determinism.

case="dedup sample clusters"
run 0 "$GEMA" dedup "$SAMPLES/news.jsonl" --clusters "$TMP/c.jsonl" -o "$TMP/kept.jsonl" \
    --stats "$TMP/stats.json" --pairs "$TMP/pairs.jsonl" -q
same "$TMP/c.jsonl" "$EXPECTED/dedup-sample-clusters.jsonl"
lines "$TMP/kept.jsonl" 6
has "$TMP/stats.json" '"records": 11'
has "$TMP/stats.json" '"kept": 6'
# Eleven articles from eight sites; the one site with three pages has no line
# in all three, so the survey sees no furniture and leaves cleaning off.
has "$TMP/stats.json" '"clean": 0'
has "$TMP/stats.json" '"clean_decided_by": "survey"'
# Kept records are the input lines byte for byte.
for id in semarang-banjir bike-lanes-wire beras-cipinang; do
    grep -F "\"id\": \"$id\"" "$SAMPLES/news.jsonl" >"$TMP/want"
    grep -F "\"id\": \"$id\"" "$TMP/kept.jsonl" >"$TMP/got"
done
same "$TMP/got" "$TMP/want"

case="dedup --clean on the sample: the same clusters, copies closer once furniture is gone"
run 0 "$GEMA" dedup "$SAMPLES/news.jsonl" --clean --clusters "$TMP/cc.jsonl" --stats "$TMP/cs.json" -q
has "$TMP/cc.jsonl" '"id":"semarang-banjir-sindikasi","similarity":0.981,"match":"near"'
has "$TMP/cs.json" '"clean_decided_by": "option"'
lines "$TMP/cc.jsonl" 2

case="dedup cleans by default where sites repeat their furniture"
# tests/data/furnished.jsonl: three sites of five pages, each page wrapped
# in its site's menu and footer, and one wire story carried by two of them
# (alpha-wire, beta-wire).  Raw, the two copies differ by their wrappers;
# cleaned, they are the same article.
run 0 "$GEMA" dedup "$DATA/furnished.jsonl" --clusters "$TMP/fc.jsonl" --stats "$TMP/fs.json" -q
has "$TMP/fs.json" '"clean": 1'
has "$TMP/fs.json" '"clean_decided_by": "survey"'
has "$TMP/fs.json" '"survey_furnished": 17'
lines "$TMP/fc.jsonl" 1
has "$TMP/fc.jsonl" '"representative":"alpha-wire","members":[{"id":"beta-wire","similarity":1,"match":"exact"}]'
run 0 "$GEMA" dedup "$DATA/furnished.jsonl" --no-clean --clusters "$TMP/fc0.jsonl" --stats "$TMP/fs0.json" -q
has "$TMP/fs0.json" '"clean": 0'
has "$TMP/fs0.json" '"clean_decided_by": "option"'
lines "$TMP/fc0.jsonl" 0

case="dedup writes /dev/stdout and /dev/fd/N through the open descriptor"
# Renamed over, the file the shell redirected to would be replaced and what
# the shell writes after would be lost.
{ echo before; "$GEMA" dedup "$SAMPLES/news.jsonl" -q -o /dev/null --clusters /dev/stdout; echo after; } >"$TMP/fd.txt"
lines "$TMP/fd.txt" 4
{ echo before; "$GEMA" dedup "$SAMPLES/news.jsonl" -q -o /dev/null --clusters /dev/fd/3 3>&1; echo after; } >"$TMP/fd3.txt"
same "$TMP/fd3.txt" "$TMP/fd.txt"
head -n 1 "$TMP/fd.txt" >"$TMP/fd-first"
echo before >"$TMP/fd-want"
same "$TMP/fd-first" "$TMP/fd-want"

case="dedup output identical at -j 1 and -j 2"
run 0 "$GEMA" dedup "$SAMPLES/news.jsonl" -j 2 --clusters "$TMP/c2.jsonl" -o "$TMP/kept2.jsonl" \
    --pairs "$TMP/pairs2.jsonl" -q
same "$TMP/c2.jsonl" "$TMP/c.jsonl"
same "$TMP/kept2.jsonl" "$TMP/kept.jsonl"
same "$TMP/pairs2.jsonl" "$TMP/pairs.jsonl"

case="dedup reads stdin, gzip and zstd alike"
run 0 "$GEMA" dedup - --clusters "$TMP/c-stdin.jsonl" -q <"$SAMPLES/news.jsonl"
same "$TMP/c-stdin.jsonl" "$TMP/c.jsonl"
same "$OUT" "$TMP/kept.jsonl"
gzip -c "$SAMPLES/news.jsonl" >"$TMP/news.jsonl.gz"
run 0 "$GEMA" dedup "$TMP/news.jsonl.gz" --clusters "$TMP/c-gz.jsonl" -q
same "$TMP/c-gz.jsonl" "$TMP/c.jsonl"
if command -v zstd >/dev/null 2>&1; then
    zstd -q -c "$SAMPLES/news.jsonl" >"$TMP/news.jsonl.zst"
    run 0 "$GEMA" dedup "$TMP/news.jsonl.zst" --clusters "$TMP/c-zst.jsonl" -q
    same "$TMP/c-zst.jsonl" "$TMP/c.jsonl"
fi

case="dedup --drop-all and --keep longest"
run 0 "$GEMA" dedup "$SAMPLES/news.jsonl" --drop-all -q
lines "$OUT" 4
hasnt "$OUT" '"id": "semarang-banjir"'
run 0 "$GEMA" dedup "$SAMPLES/news.jsonl" --keep longest --clusters "$TMP/cl.jsonl" -q
lines "$TMP/cl.jsonl" 2
hasnt "$TMP/cl.jsonl" '"representative":"semarang-banjir"'

case="dedup directory of plain-text files: id is the relative path"
mkdir -p "$TMP/dir/site-a" "$TMP/dir/site-b"
printf 'Hujan deras mengguyur Semarang sejak Minggu malam sehingga banyak jalan tergenang air.\nWarga mengungsi ke balai kelurahan.\n' >"$TMP/dir/site-a/one.txt"
cp "$TMP/dir/site-a/one.txt" "$TMP/dir/site-b/copy.txt"
printf 'Harga beras medium naik menjadi Rp14.500 per kilogram pekan ini di pasar Jakarta.\n' >"$TMP/dir/site-b/other.txt"
run 0 "$GEMA" dedup "$TMP/dir" --clusters "$TMP/cd.jsonl" -q
lines "$OUT" 2
has "$TMP/cd.jsonl" '"representative":"site-a/one.txt"'
has "$TMP/cd.jsonl" '"id":"site-b/copy.txt","similarity":1,"match":"exact"'

case="dedup bad input: every record accounted for, FILE:LINE reported"
{
    sed -n 1,2p "$SAMPLES/news.jsonl"
    printf '{"id":"broken","text":"no closing brace"\n'
    printf '{"id":"no-text"}\n'
    printf '{"id":"bad-utf8","text":"caf\351 au lait with an invalid byte"}\n'
    printf '{"id":"long","text":"%s"}\n' "$(head -c 3000 /dev/zero | tr '\0' a)"
    sed -n 3p "$SAMPLES/news.jsonl"
} >"$TMP/bad.jsonl"
run 0 "$GEMA" dedup "$TMP/bad.jsonl" --max-doc-bytes 2000 --rejects "$TMP/rej.jsonl" \
    --stats "$TMP/bad-stats.json"
lines "$OUT" 4
lines "$TMP/rej.jsonl" 3
has "$TMP/rej.jsonl" '"file":"'
has "$TMP/rej.jsonl" '"line":3,'
has "$TMP/rej.jsonl" '"reason":"malformed-json"'
has "$TMP/rej.jsonl" '"line":4,'
has "$TMP/rej.jsonl" '"reason":"missing-text"'
has "$TMP/rej.jsonl" '"line":6,'
has "$TMP/rej.jsonl" '"reason":"too-big"'
has "$OUT" '"id":"bad-utf8"'
has "$TMP/bad-stats.json" '"rejected": 3'
has "$TMP/bad-stats.json" '"invalid_utf8_docs": 1'
# Without --rejects the first few are named on stderr.
run 0 "$GEMA" dedup "$TMP/bad.jsonl" --max-doc-bytes 2000 -o /dev/null
has "$ERR" 'bad.jsonl:3: '
has "$ERR" 'bad.jsonl:4: '

case="dedup --strict stops at the first bad record and writes nothing"
run 3 "$GEMA" dedup "$TMP/bad.jsonl" --strict -o "$TMP/strict-out.jsonl"
has "$ERR" 'bad.jsonl:3:'
absent "$TMP/strict-out.jsonl"

case="dedup binary file among text inputs is rejected, not read as text"
mkdir -p "$TMP/bin"
cp "$TMP/dir/site-a/one.txt" "$TMP/bin/"
head -c 4096 /dev/urandom >"$TMP/bin/blob.txt"
printf '\000\001\002\003' >>"$TMP/bin/blob.txt"
run 0 "$GEMA" dedup "$TMP/bin" --rejects "$TMP/rej-bin.jsonl" -q
lines "$OUT" 1
has "$TMP/rej-bin.jsonl" '"reason":"binary"'

case="dedup usage errors"
run 2 "$GEMA" dedup --bogus "$SAMPLES/news.jsonl"
run 2 "$GEMA" dedup --threshold 1.5 "$SAMPLES/news.jsonl"
run 2 "$GEMA" dedup --bands 3 "$SAMPLES/news.jsonl"
run 1 "$GEMA" dedup "$TMP/does-not-exist.jsonl"
has "$ERR" 'does-not-exist.jsonl'

case="dedup --help and --version"
run 0 "$GEMA" dedup --help
has "$OUT" '--threshold'
run 0 "$GEMA" --version
has "$OUT" 'gema '
