# gema clean: seeds, plain-text directories, sites, the report, bad input,
# accounting, determinism.  Files go under $TMP/clean, apart from the other
# test files' (they share $TMP).

C=$TMP/clean
mkdir -p "$C"

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
mk_site "$C/web/alpha" alpha 8
mk_site "$C/web/beta" beta 3
run 0 "$GEMA" clean "$C/web" -o "$C/web.jsonl" --report "$C/web-report.jsonl" \
    --stats "$C/web-stats.json" -q
lines "$C/web.jsonl" 11
has "$C/web.jsonl" '{"id":"alpha/page0.txt","text":"'
# alpha is learned (8 pages): its header and footer go; beta (3) is too small.
hasnt "$C/web.jsonl" 'Redaksi alpha menerima'
has "$C/web.jsonl" 'Redaksi beta menerima'
has "$C/web.jsonl" 'Warga alpha nomor a memperbaiki'
has "$C/web-report.jsonl" '"reason":"repeated-in-site","count":8,"text":"Redaksi alpha menerima'
has "$C/web-stats.json" '"sites": 2'
has "$C/web-stats.json" '"sites_learned": 1'
has "$C/web-stats.json" '"documents": 11'

case="clean --site puts every document in one site"
run 0 "$GEMA" clean "$C/web/beta" "$C/web/alpha" --site one -o "$C/one.jsonl" -q
has "$C/one.jsonl" 'Warga beta nomor a'
hasnt "$C/one.jsonl" 'Redaksi beta menerima'
# Site names come from the files, not the order given: same as without --site
# for alpha.
hasnt "$C/one.jsonl" 'Redaksi alpha menerima'

case="clean --site-field and the URL host"
{
    i=0
    while [ $i -lt 8 ]; do
        w=$(printf '%s' "$i" | tr 0-9 a-j)
        printf '{"id":"f%s","source":"koran","url":"https://a.example/%s","text":"Ikuti kami di media sosial untuk berita terbaru setiap hari.\\nPetani %s menanam padi di sawah yang baru selesai diairi oleh dinas pengairan setempat.","n":%s}\n' "$i" "$i" "$w" "$i"
        i=$((i + 1))
    done
} >"$C/fields.jsonl"
run 0 "$GEMA" clean "$C/fields.jsonl" --site-field source -o "$C/f1.jsonl" -q
hasnt "$C/f1.jsonl" 'Ikuti kami'
# Every other field is kept as it was.
has "$C/f1.jsonl" '{"id":"f3","source":"koran","url":"https://a.example/3","text":"Petani d menanam padi'
has "$C/f1.jsonl" '","n":3}'
run 0 "$GEMA" clean "$C/fields.jsonl" -o "$C/f2.jsonl" -q
same "$C/f2.jsonl" "$C/f1.jsonl"
# One pass: no learning, the line is no label the rules know: kept.
run 0 "$GEMA" clean "$C/fields.jsonl" --one-pass -o "$C/f3.jsonl" -q
has "$C/f3.jsonl" 'Ikuti kami'

case="clean --report: reasons, code points of the original, repairs"
# "ยฉ" is "©" read as cp874 and saved as UTF-8: repaired, then the
# copyright line goes.
printf '{"id":"t","text":"\340\270\242\340\270\211 2025 PT Contoh\\nHarga \342\200\234beras\342\200\235 naik lagi di pasar induk Cipinang pada pekan ini menurut pedagang.\\nADVERTISEMENT\\nPedagang berharap pemerintah segera menggelar operasi pasar agar harga kembali turun."}\n' >"$C/thai.jsonl"
run 0 "$GEMA" clean "$C/thai.jsonl" --report "$C/tr.jsonl" -o "$C/t.jsonl" -q
has "$C/tr.jsonl" "$(printf '{"line":1,"start":0,"end":17,"reason":"copyright","text":"\302\251 2025 PT Contoh"}')"
has "$C/tr.jsonl" '{"line":3,"start":99,"end":112,"reason":"label","text":"ADVERTISEMENT"}'
has "$C/tr.jsonl" "$(printf '"repaired":[{"start":0,"end":2,"codepage":"cp874","from":"\340\270\242\340\270\211","to":"\302\251"}]')"
has "$C/t.jsonl" "$(printf '"text":"Harga \342\200\234beras\342\200\235 naik')"
# Without repair the broken sign stays, and is no copyright sign.
run 0 "$GEMA" clean "$C/thai.jsonl" --no-repair --report "$C/tr2.jsonl" -q
hasnt "$C/tr2.jsonl" 'cp874'
# Without furniture removal only the repair is done.
run 0 "$GEMA" clean "$C/thai.jsonl" --no-furniture -q
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
} >"$C/bad.jsonl"
run 0 "$GEMA" clean "$C/bad.jsonl" --max-doc-bytes 200000 --rejects "$C/rej.jsonl" \
    --stats "$C/bad-stats.json" -o "$C/bad-out.jsonl"
lines "$C/bad-out.jsonl" 5
lines "$C/rej.jsonl" 4
has "$C/rej.jsonl" '"line":2,'
has "$C/rej.jsonl" '"reason":"malformed-json"'
has "$C/rej.jsonl" '"reason":"not-an-object"'
has "$C/rej.jsonl" '"reason":"missing-text"'
has "$C/rej.jsonl" '"reason":"too-big"'
has "$C/bad-out.jsonl" "$(printf '"id":"badutf8","text":"caf\357\277\275 au lait')"
has "$C/bad-out.jsonl" '"id":"nul"'
has "$C/bad-out.jsonl" '"text":"Warga memperbaiki jalan desa yang rusak sejak musim hujan tahun lalu."}'
has "$C/bad-stats.json" '"records": 9'
has "$C/bad-stats.json" '"rejected": 4'
has "$C/bad-stats.json" '"written": 5'
# Without --rejects the first ones are named on standard error.
run 0 "$GEMA" clean "$C/bad.jsonl" --max-doc-bytes 200000 -o /dev/null
has "$ERR" 'bad.jsonl:2: '
# --strict stops at the first: exit 3, no output file.
run 3 "$GEMA" clean "$C/bad.jsonl" --strict -o "$C/strict.jsonl" --report "$C/strict-r.jsonl" -q
absent "$C/strict.jsonl"
absent "$C/strict-r.jsonl"
has "$ERR" 'bad.jsonl:2'
# A binary file among plain-text inputs is rejected as binary.
mkdir -p "$C/bin"
head -c 4096 /dev/urandom >"$C/bin/junk.txt"
printf 'Warga memperbaiki jalan desa yang rusak.\n' >"$C/bin/page.txt"
run 0 "$GEMA" clean "$C/bin" --rejects "$C/bin-rej.jsonl" -o "$C/bin-out.jsonl" -q
lines "$C/bin-out.jsonl" 1
has "$C/bin-rej.jsonl" '"reason":"binary"'
# Usage errors.
run 2 "$GEMA" clean --min-share 2 "$C/bad.jsonl"
run 2 "$GEMA" clean --min-repeat 1 "$C/bad.jsonl"
run 2 "$GEMA" clean --no-such-option "$C/bad.jsonl"
run 1 "$GEMA" clean "$C/does-not-exist.jsonl"

case="clean output identical at -j 1 and -j 2"
{
    i=0
    while [ $i -lt 700 ]; do
        w=$(printf '%s' "$i" | tr 0-9 a-j)
        s=$((i % 5))
        printf '{"id":"d%s","url":"https://site%s.example/%s","text":"Menu Utama Situs %s\\nJudul berita %s hari ini\\n12 Maret 2021\\nWarga kampung %s memperbaiki saluran air yang rusak setelah hujan deras mengguyur wilayah itu.\\nADVERTISEMENT\\nKepala desa %s mengatakan perbaikan selesai berkat gotong royong seluruh warga.\\nHak cipta dilindungi undang-undang situs %s."}\n' "$i" "$s" "$i" "$s" "$w" "$w" "$w" "$s"
        i=$((i + 1))
    done
} >"$C/many.jsonl"
run 0 "$GEMA" clean "$C/many.jsonl" -j 1 -o "$C/j1.jsonl" --report "$C/j1r.jsonl" -q
run 0 "$GEMA" clean "$C/many.jsonl" -j 2 -o "$C/j2.jsonl" --report "$C/j2r.jsonl" -q
same "$C/j2.jsonl" "$C/j1.jsonl"
same "$C/j2r.jsonl" "$C/j1r.jsonl"
lines "$C/j1.jsonl" 700
hasnt "$C/j1.jsonl" 'Menu Utama Situs'
hasnt "$C/j1.jsonl" 'ADVERTISEMENT'

# The five crawled seed articles (../shared/seeds, not part of the
# repository): every furniture line removed, with its reason; "ยฉ" repaired;
# the Kim Yong Ju item appended to 002 cut off; 004's headline printed twice
# read once; every article sentence kept.
SEEDS=${GEMA_SEEDS:-$ROOT/../shared/seeds}
if [ -d "$SEEDS" ]; then
    case="clean the seed articles"
    ( cd "$SEEDS" && "$GEMA" clean . -o "$C/seeds.jsonl" --report "$C/seeds-report.jsonl" -q )
    same "$C/seeds-report.jsonl" "$EXPECTED/clean-seeds-report.jsonl"
    lines "$C/seeds.jsonl" 5
    has "$C/seeds-report.jsonl" "$(printf '"from":"\340\270\242\340\270\211","to":"\302\251"')"
    has "$C/seeds-report.jsonl" '{"line":13,"start":1752,"end":1826,"reason":"appended-story","text":"4. Kim Yong Ju'
    hasnt "$C/seeds.jsonl" 'Kim Yong'
    hasnt "$C/seeds.jsonl" 'ADVERTISEMENT'
    hasnt "$C/seeds.jsonl" 'Baca juga'
    hasnt "$C/seeds.jsonl" 'Uncategorized'
    has "$C/seeds.jsonl" 'China berada ditekan atas isu hak asasi manusia'
    has "$C/seeds.jsonl" 'Diketahui, Wang Yi berada di perhentian terakhir'
    # Nothing else goes: the non-blank lines out are the lines in minus the
    # reported ones.
    total=$(for f in "$SEEDS"/*.txt; do grep -c '[^[:space:]]' "$f"; done | awk '{ s += $1 } END { print s }')
    removed=$(grep -o '"reason":' "$C/seeds-report.jsonl" | wc -l)
    out=$(sed -e 's/^{"id":"[^"]*","text":"//' -e 's/"}$//' -e 's/\\n/\n/g' "$C/seeds.jsonl" |
        grep -c '[^[:space:]]')
    if [ $((total - removed)) -eq "$out" ]; then pass=$((pass + 1)); else bad "$total lines - $removed removed != $out out"; fi
else
    echo "note: $SEEDS absent, seed article checks skipped"
fi
