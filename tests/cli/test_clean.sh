# gema clean: seeds, plain-text directories, sites, the report, bad input,
# accounting, determinism.

# A small site of plain-text pages: every page carries the same header and
# footer; the article lines differ.
mk_site() {  # DIR SITE N
    mkdir -p "$1"
    i=0
    while [ $i -lt "$3" ]; do
        {
            printf 'Beranda Nasional Ekonomi Olahraga %s\n' "$2"
            printf 'Berita ke-%s dari %s\n' "$i" "$2"
            printf 'Warga %s nomor %s memperbaiki jalan desa yang rusak sejak musim hujan tahun lalu bersama aparat.\n' "$2" "$(printf '%s' "$i" | tr 0-9 a-j)"
            printf 'Kepala desa %s mengucapkan terima kasih kepada %s relawan yang datang dari kota sebelah.\n' "$(printf '%s' "$i" | tr 0-9 k-t)" "$2"
            printf 'Redaksi %s menerima tulisan pembaca melalui surel resmi setiap hari kerja.\n' "$2"
        } >"$1/page$i.txt"
        i=$((i + 1))
    done
}

case="clean plain-text directories: the site is the directory"
mk_site "$TMP/web/alpha" alpha 8
mk_site "$TMP/web/beta" beta 3
run 0 "$GEMA" clean "$TMP/web" -o "$TMP/web.jsonl" --report "$TMP/web-report.jsonl" \
    --stats "$TMP/web-stats.json" -q
lines "$TMP/web.jsonl" 11
has "$TMP/web.jsonl" '{"id":"alpha/page0.txt","text":"'
# alpha is learned (8 pages): its header and footer go; beta (3) is too small.
hasnt "$TMP/web.jsonl" 'Redaksi alpha menerima'
has "$TMP/web.jsonl" 'Redaksi beta menerima'
has "$TMP/web.jsonl" 'Warga alpha nomor a memperbaiki'
has "$TMP/web-report.jsonl" '"reason":"repeated-in-site","count":8,"text":"Redaksi alpha menerima'
has "$TMP/web-stats.json" '"sites": 2'
has "$TMP/web-stats.json" '"sites_learned": 1'
has "$TMP/web-stats.json" '"documents": 11'

case="clean --site puts every document in one site"
run 0 "$GEMA" clean "$TMP/web/beta" "$TMP/web/alpha" --site one -o "$TMP/one.jsonl" -q
has "$TMP/one.jsonl" 'Warga beta nomor a'
hasnt "$TMP/one.jsonl" 'Redaksi beta menerima'
# Site names come from the files, not the order given: same as without --site
# for alpha.
hasnt "$TMP/one.jsonl" 'Redaksi alpha menerima'

case="clean --site-field and the URL host"
{
    i=0
    while [ $i -lt 8 ]; do
        w=$(printf '%s' "$i" | tr 0-9 a-j)
        printf '{"id":"f%s","source":"koran","url":"https://a.example/%s","text":"Ikuti kami di media sosial untuk berita terbaru setiap hari.\\nPetani %s menanam padi di sawah yang baru selesai diairi oleh dinas pengairan setempat.","n":%s}\n' "$i" "$i" "$w" "$i"
        i=$((i + 1))
    done
} >"$TMP/fields.jsonl"
run 0 "$GEMA" clean "$TMP/fields.jsonl" --site-field source -o "$TMP/f1.jsonl" -q
hasnt "$TMP/f1.jsonl" 'Ikuti kami'
# Every other field is kept as it was.
has "$TMP/f1.jsonl" '{"id":"f3","source":"koran","url":"https://a.example/3","text":"Petani d menanam padi'
has "$TMP/f1.jsonl" '","n":3}'
run 0 "$GEMA" clean "$TMP/fields.jsonl" -o "$TMP/f2.jsonl" -q
same "$TMP/f2.jsonl" "$TMP/f1.jsonl"
# One pass: no learning, the line is no label the rules know: kept.
run 0 "$GEMA" clean "$TMP/fields.jsonl" --one-pass -o "$TMP/f3.jsonl" -q
has "$TMP/f3.jsonl" 'Ikuti kami'

case="clean --report: reasons, code points of the original, repairs"
# "ยฉ" is "©" read as cp874 and saved as UTF-8: repaired, then the
# copyright line goes.
printf '{"id":"t","text":"\340\270\242\340\270\211 2025 PT Contoh\\nHarga \342\200\234beras\342\200\235 naik lagi di pasar induk Cipinang pada pekan ini menurut pedagang.\\nADVERTISEMENT\\nPedagang berharap pemerintah segera menggelar operasi pasar agar harga kembali turun."}\n' >"$TMP/thai.jsonl"
run 0 "$GEMA" clean "$TMP/thai.jsonl" --report "$TMP/tr.jsonl" -o "$TMP/t.jsonl" -q
has "$TMP/tr.jsonl" "$(printf '{"line":1,"start":0,"end":17,"reason":"copyright","text":"\302\251 2025 PT Contoh"}')"
has "$TMP/tr.jsonl" '{"line":3,"start":99,"end":112,"reason":"label","text":"ADVERTISEMENT"}'
has "$TMP/tr.jsonl" "$(printf '"repaired":[{"start":0,"end":2,"codepage":"cp874","from":"\340\270\242\340\270\211","to":"\302\251"}]')"
has "$TMP/t.jsonl" "$(printf '"text":"Harga \342\200\234beras\342\200\235 naik')"
# Without repair the broken sign stays, and is no copyright sign.
run 0 "$GEMA" clean "$TMP/thai.jsonl" --no-repair --report "$TMP/tr2.jsonl" -q
hasnt "$TMP/tr2.jsonl" 'cp874'
# Without furniture removal only the repair is done.
run 0 "$GEMA" clean "$TMP/thai.jsonl" --no-furniture -q
has "$OUT" "$(printf '"text":"\302\251 2025 PT Contoh\nHarga')"
has "$OUT" 'ADVERTISEMENT'

case="clean bad input: every record accounted for, FILE:LINE, no crash"
{
    printf '{"id":"ok1","text":"Warga memperbaiki jalan desa yang rusak sejak musim hujan tahun lalu.\\nBagikan:"}\n'
    printf '{"id":"broken","text":"no closing brace"\n'
    printf '[1,2,3]\n'
    printf '{"id":"notext","body":"x"}\n'
    printf '{"id":"nul","text":"before\\u0000after and \000 a raw NUL"}\n'
    printf '{"id":"badutf8","text":"caf\351 au lait \377\376 with invalid bytes"}\n'
    printf '{"id":"long","text":"%s"}\n' "$(head -c 5000 /dev/zero | tr '\0' a)"
    printf '{"id":"longline","text":"%s"}\n' "$(head -c 300000 /dev/zero | tr '\0' 'ab c.')"
    printf '{"id":"ok2","text":"Pedagang berharap harga kembali turun."}\n'
} >"$TMP/bad.jsonl"
run 0 "$GEMA" clean "$TMP/bad.jsonl" --max-doc-bytes 200000 --rejects "$TMP/rej.jsonl" \
    --stats "$TMP/bad-stats.json" -o "$TMP/bad-out.jsonl"
lines "$TMP/bad-out.jsonl" 5
lines "$TMP/rej.jsonl" 4
has "$TMP/rej.jsonl" '"line":2,'
has "$TMP/rej.jsonl" '"reason":"malformed-json"'
has "$TMP/rej.jsonl" '"reason":"not-an-object"'
has "$TMP/rej.jsonl" '"reason":"missing-text"'
has "$TMP/rej.jsonl" '"reason":"too-big"'
has "$TMP/bad-out.jsonl" "$(printf '"id":"badutf8","text":"caf\357\277\275 au lait')"
has "$TMP/bad-out.jsonl" '"id":"nul"'
has "$TMP/bad-out.jsonl" '"text":"Warga memperbaiki jalan desa yang rusak sejak musim hujan tahun lalu."}'
has "$TMP/bad-stats.json" '"records": 9'
has "$TMP/bad-stats.json" '"rejected": 4'
has "$TMP/bad-stats.json" '"written": 5'
# Without --rejects the first ones are named on standard error.
run 0 "$GEMA" clean "$TMP/bad.jsonl" --max-doc-bytes 200000 -o /dev/null
has "$ERR" 'bad.jsonl:2: '
# --strict stops at the first: exit 3, no output file.
run 3 "$GEMA" clean "$TMP/bad.jsonl" --strict -o "$TMP/strict.jsonl" --report "$TMP/strict-r.jsonl" -q
absent "$TMP/strict.jsonl"
absent "$TMP/strict-r.jsonl"
has "$ERR" 'bad.jsonl:2'
# A binary file among plain-text inputs is rejected as binary.
mkdir -p "$TMP/bin"
head -c 4096 /dev/urandom >"$TMP/bin/junk.txt"
printf 'Warga memperbaiki jalan desa yang rusak.\n' >"$TMP/bin/page.txt"
run 0 "$GEMA" clean "$TMP/bin" --rejects "$TMP/bin-rej.jsonl" -o "$TMP/bin-out.jsonl" -q
lines "$TMP/bin-out.jsonl" 1
has "$TMP/bin-rej.jsonl" '"reason":"binary"'
# Usage errors.
run 2 "$GEMA" clean --min-share 2 "$TMP/bad.jsonl"
run 2 "$GEMA" clean --min-repeat 1 "$TMP/bad.jsonl"
run 2 "$GEMA" clean --no-such-option "$TMP/bad.jsonl"
run 1 "$GEMA" clean "$TMP/does-not-exist.jsonl"

case="clean output identical at -j 1 and -j 2"
{
    i=0
    while [ $i -lt 700 ]; do
        w=$(printf '%s' "$i" | tr 0-9 a-j)
        s=$((i % 5))
        printf '{"id":"d%s","url":"https://site%s.example/%s","text":"Menu Utama Situs %s\\nJudul berita %s hari ini\\n12 Maret 2021\\nWarga kampung %s memperbaiki saluran air yang rusak setelah hujan deras mengguyur wilayah itu.\\nADVERTISEMENT\\nKepala desa %s mengatakan perbaikan selesai berkat gotong royong seluruh warga.\\nHak cipta dilindungi undang-undang situs %s."}\n' "$i" "$s" "$i" "$s" "$w" "$w" "$w" "$s"
        i=$((i + 1))
    done
} >"$TMP/many.jsonl"
run 0 "$GEMA" clean "$TMP/many.jsonl" -j 1 -o "$TMP/j1.jsonl" --report "$TMP/j1r.jsonl" -q
run 0 "$GEMA" clean "$TMP/many.jsonl" -j 2 -o "$TMP/j2.jsonl" --report "$TMP/j2r.jsonl" -q
same "$TMP/j2.jsonl" "$TMP/j1.jsonl"
same "$TMP/j2r.jsonl" "$TMP/j1r.jsonl"
lines "$TMP/j1.jsonl" 700
hasnt "$TMP/j1.jsonl" 'Menu Utama Situs'
hasnt "$TMP/j1.jsonl" 'ADVERTISEMENT'

# The five crawled seed articles (../shared/seeds, not part of the
# repository): every furniture line removed, with its reason; "ยฉ" repaired;
# the Kim Yong Ju item appended to 002 cut off; 004's headline printed twice
# read once; every article sentence kept.
SEEDS=${GEMA_SEEDS:-$ROOT/../shared/seeds}
if [ -d "$SEEDS" ]; then
    case="clean the seed articles"
    ( cd "$SEEDS" && "$GEMA" clean . -o "$TMP/seeds.jsonl" --report "$TMP/seeds-report.jsonl" -q )
    same "$TMP/seeds-report.jsonl" "$EXPECTED/clean-seeds-report.jsonl"
    lines "$TMP/seeds.jsonl" 5
    has "$TMP/seeds-report.jsonl" "$(printf '"from":"\340\270\242\340\270\211","to":"\302\251"')"
    has "$TMP/seeds-report.jsonl" '{"line":13,"start":1752,"end":1826,"reason":"appended-story","text":"4. Kim Yong Ju'
    hasnt "$TMP/seeds.jsonl" 'Kim Yong'
    hasnt "$TMP/seeds.jsonl" 'ADVERTISEMENT'
    hasnt "$TMP/seeds.jsonl" 'Baca juga'
    hasnt "$TMP/seeds.jsonl" 'Uncategorized'
    has "$TMP/seeds.jsonl" 'China berada ditekan atas isu hak asasi manusia'
    has "$TMP/seeds.jsonl" 'Diketahui, Wang Yi berada di perhentian terakhir'
    # Nothing else goes: the non-blank lines out are the lines in minus the
    # reported ones.
    total=$(for f in "$SEEDS"/*.txt; do grep -c '[^[:space:]]' "$f"; done | awk '{ s += $1 } END { print s }')
    removed=$(grep -o '"reason":' "$TMP/seeds-report.jsonl" | wc -l)
    out=$(sed -e 's/^{"id":"[^"]*","text":"//' -e 's/"}$//' -e 's/\\n/\n/g' "$TMP/seeds.jsonl" |
        grep -c '[^[:space:]]')
    if [ $((total - removed)) -eq "$out" ]; then pass=$((pass + 1)); else bad "$total lines - $removed removed != $out out"; fi
else
    echo "note: $SEEDS absent, seed article checks skipped"
fi
