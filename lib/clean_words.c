/*
 * clean_words.c - the word lists behind the in-document furniture rules:
 * stop words of Indonesian and English, and the labels pages print.
 *
 * The lists are written for gema.  Stop words are the most frequent function
 * words of each language (for the density measure jusText uses and to tell
 * content words apart); labels are a supplement to the shape rules in
 * furniture.c, for the furniture a page writes in words: ad and share
 * labels, "Baca juga"/"Read also" leads, bylines and credits.  Every entry
 * is a whole normalised line (lower case, digits as 0, single spaces), so a
 * label inside a sentence never matches.
 */
#include "furniture.h"

#include <pthread.h>

typedef struct {
    const char *w;
    int lang;
} stopword;

/* Sorted by strcmp, at most 16 bytes each (a unit test checks both); lang 1
 * Indonesian, 2 English. */
static const stopword stop[] = {
    { "a", 2 }, { "about", 2 }, { "ada", 1 }, { "adalah", 1 }, { "after", 2 }, { "again", 2 },
    { "against", 2 }, { "agar", 1 }, { "akan", 1 }, { "aku", 1 }, { "all", 2 }, { "also", 2 },
    { "an", 2 }, { "and", 2 }, { "anda", 1 }, { "antara", 1 }, { "any", 2 }, { "apa", 1 },
    { "apabila", 1 }, { "apakah", 1 }, { "are", 2 }, { "as", 2 }, { "at", 2 }, { "atas", 1 },
    { "atau", 1 }, { "bagaimana", 1 }, { "bagi", 1 }, { "bahkan", 1 }, { "bahwa", 1 },
    { "baik", 1 }, { "banyak", 1 }, { "baru", 1 }, { "be", 2 }, { "beberapa", 1 },
    { "because", 2 }, { "been", 2 }, { "before", 2 }, { "begitu", 1 }, { "being", 2 },
    { "belum", 1 }, { "berada", 1 }, { "bersama", 1 }, { "between", 2 }, { "bila", 1 },
    { "bisa", 1 }, { "boleh", 1 }, { "both", 2 }, { "bukan", 1 }, { "but", 2 }, { "by", 2 },
    { "can", 2 }, { "could", 2 }, { "cukup", 1 }, { "dalam", 1 }, { "dan", 1 }, { "dapat", 1 },
    { "dari", 1 }, { "demi", 1 }, { "dengan", 1 }, { "di", 1 }, { "dia", 1 }, { "did", 2 },
    { "diri", 1 }, { "do", 2 }, { "does", 2 }, { "dulu", 1 }, { "during", 2 }, { "each", 2 },
    { "for", 2 }, { "from", 2 }, { "had", 2 }, { "hal", 1 }, { "hampir", 1 }, { "hanya", 1 },
    { "harus", 1 }, { "has", 2 }, { "have", 2 }, { "he", 2 }, { "her", 2 }, { "here", 2 },
    { "him", 2 }, { "hingga", 1 }, { "his", 2 }, { "how", 2 }, { "i", 2 }, { "ia", 1 },
    { "if", 2 }, { "in", 2 }, { "ini", 1 }, { "into", 2 }, { "is", 2 }, { "it", 2 },
    { "its", 2 }, { "itu", 1 }, { "jadi", 1 }, { "jika", 1 }, { "juga", 1 }, { "just", 2 },
    { "kalau", 1 }, { "kali", 1 }, { "kami", 1 }, { "kamu", 1 }, { "kan", 1 }, { "karena", 1 },
    { "kata", 1 }, { "ke", 1 }, { "kecuali", 1 }, { "kemudian", 1 }, { "kepada", 1 },
    { "ketika", 1 }, { "kini", 1 }, { "kita", 1 }, { "lagi", 1 }, { "lain", 1 }, { "lalu", 1 },
    { "lebih", 1 }, { "maka", 1 }, { "masih", 1 }, { "mau", 1 }, { "may", 2 }, { "me", 2 },
    { "melalui", 1 }, { "memang", 1 }, { "mereka", 1 }, { "meski", 1 }, { "meskipun", 1 },
    { "more", 2 }, { "most", 2 }, { "much", 2 }, { "mungkin", 1 }, { "my", 2 }, { "namun", 1 },
    { "no", 2 }, { "not", 2 }, { "now", 2 }, { "nya", 1 }, { "of", 2 }, { "oleh", 1 },
    { "on", 2 }, { "once", 2 }, { "one", 2 }, { "only", 2 }, { "or", 2 }, { "other", 2 },
    { "our", 2 }, { "out", 2 }, { "over", 2 }, { "pada", 1 }, { "para", 1 }, { "per", 1 },
    { "pula", 1 }, { "pun", 1 }, { "saat", 1 }, { "said", 2 }, { "saja", 1 }, { "sambil", 1 },
    { "sampai", 1 }, { "sang", 1 }, { "sangat", 1 }, { "satu", 1 }, { "saya", 1 },
    { "says", 2 }, { "sebagai", 1 }, { "sebelum", 1 }, { "sebuah", 1 }, { "secara", 1 },
    { "sedang", 1 }, { "sedangkan", 1 }, { "sehingga", 1 }, { "sejak", 1 }, { "sekarang", 1 },
    { "selain", 1 }, { "selama", 1 }, { "seluruh", 1 }, { "sementara", 1 }, { "semua", 1 },
    { "seperti", 1 }, { "sering", 1 }, { "serta", 1 }, { "setelah", 1 }, { "she", 2 },
    { "should", 2 }, { "si", 1 }, { "siapa", 1 }, { "so", 2 }, { "some", 2 }, { "suatu", 1 },
    { "such", 2 }, { "sudah", 1 }, { "tak", 1 }, { "tanpa", 1 }, { "tapi", 1 }, { "telah", 1 },
    { "tengah", 1 }, { "tentang", 1 }, { "terhadap", 1 }, { "tersebut", 1 }, { "tetapi", 1 },
    { "than", 2 }, { "that", 2 }, { "the", 2 }, { "their", 2 }, { "them", 2 }, { "then", 2 },
    { "there", 2 }, { "these", 2 }, { "they", 2 }, { "this", 2 }, { "those", 2 },
    { "through", 2 }, { "tidak", 1 }, { "to", 2 }, { "too", 2 }, { "under", 2 },
    { "until", 2 }, { "untuk", 1 }, { "up", 2 }, { "very", 2 }, { "was", 2 }, { "we", 2 },
    { "were", 2 }, { "what", 2 }, { "when", 2 }, { "where", 2 }, { "which", 2 },
    { "while", 2 }, { "who", 2 }, { "whom", 2 }, { "why", 2 }, { "will", 2 }, { "with", 2 },
    { "would", 2 }, { "yaitu", 1 }, { "yakni", 1 }, { "yang", 1 }, { "you", 2 }, { "your", 2 },
};

#define NSTOP (sizeof stop / sizeof stop[0])
#define STOP_SLOTS 1024   /* a power of two, over four times NSTOP */
#define STOP_MAX 16       /* longest word the table can hold */

/* Words packed into two 64-bit halves and looked up in an open-addressing
 * table built once: a probe costs two compares, not a string search. */
typedef struct {
    uint64_t a, b;
} key16;

static key16 pack(const char *w, size_t len)
{
    char tmp[STOP_MAX] = { 0 };
    memcpy(tmp, w, len);
    key16 k;
    memcpy(&k.a, tmp, 8);
    memcpy(&k.b, tmp + 8, 8);
    return k;
}

static size_t slot_of(key16 k)
{
    return (size_t)(((k.a ^ (k.b * 0xC2B2AE3D27D4EB4FULL)) * 0x9E3779B97F4A7C15ULL) >> 54);
}

static key16 stop_key[STOP_SLOTS];
static unsigned char stop_lang[STOP_SLOTS];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static void stop_build(void)
{
    for (size_t i = 0; i < NSTOP; i++) {
        size_t n = strlen(stop[i].w);
        if (n > STOP_MAX) continue;
        key16 k = pack(stop[i].w, n);
        size_t h = slot_of(k);
        while (stop_key[h].a) h = (h + 1) & (STOP_SLOTS - 1);
        stop_key[h] = k;
        stop_lang[h] = (unsigned char)stop[i].lang;
    }
}

int gema_stopword_lang(const char *w, size_t len)
{
    if (len == 0 || len > STOP_MAX) return 0;
    pthread_once(&stop_once, stop_build);
    key16 k = pack(w, len);
    for (size_t h = slot_of(k); stop_key[h].a; h = (h + 1) & (STOP_SLOTS - 1))
        if (stop_key[h].a == k.a && stop_key[h].b == k.b) return stop_lang[h];
    return 0;
}

/* For the unit test: the list is sorted and every word fits the table. */
int gema_stopword_check(void)
{
    for (size_t i = 0; i < NSTOP; i++) {
        if (strlen(stop[i].w) > STOP_MAX) return -1;
        if (i && strcmp(stop[i - 1].w, stop[i].w) >= 0) return -1;
    }
    return 0;
}

typedef struct {
    const char *s;
    size_t len;
    int kind;
} label;

#define W(s, k) { s, sizeof(s) - 1, k }

#define L_LABEL GEMA_CLEAN_LABEL
#define L_LINKS GEMA_CLEAN_LINK_LIST
#define L_BYLINE GEMA_CLEAN_BYLINE
#define L_CAPTION GEMA_CLEAN_CAPTION
#define L_MENU GEMA_CLEAN_MENU

/* Lines that are nothing but a label (trailing ':' and the like ignored). */
static const label whole[] = {
    /* advertising */
    W("advertisement", L_LABEL), W("advertisment", L_LABEL), W("iklan", L_LABEL),
    W("sponsored", L_LABEL), W("sponsored content", L_LABEL), W("konten bersponsor", L_LABEL),
    W("ads", L_LABEL), W("ad", L_LABEL), W("promoted", L_LABEL),
    W("scroll to continue with content", L_LABEL), W("scroll untuk melanjutkan", L_LABEL),
    W("scroll untuk melanjutkan membaca", L_LABEL), W("lanjutkan membaca", L_LABEL),
    W("continue reading", L_LABEL), W("continue reading below", L_LABEL),
    W("story continues below", L_LABEL), W("article continues below", L_LABEL),
    W("artikel berlanjut di bawah", L_LABEL), W("loading", L_LABEL), W("loading...", L_LABEL),
    /* sharing and page actions */
    W("bagikan", L_LABEL), W("bagikan artikel", L_LABEL), W("bagikan artikel ini", L_LABEL),
    W("bagikan berita", L_LABEL), W("share", L_LABEL), W("share this", L_LABEL),
    W("share this article", L_LABEL), W("share this story", L_LABEL), W("share article", L_LABEL),
    W("share on facebook", L_LABEL), W("share on twitter", L_LABEL), W("tweet", L_LABEL),
    W("facebook", L_LABEL), W("twitter", L_LABEL), W("whatsapp", L_LABEL), W("telegram", L_LABEL),
    W("linkedin", L_LABEL), W("email", L_LABEL), W("e-mail", L_LABEL), W("print", L_LABEL),
    W("cetak", L_LABEL), W("copy link", L_LABEL), W("salin link", L_LABEL), W("salin tautan", L_LABEL),
    W("komentar", L_LABEL), W("comments", L_LABEL), W("comment", L_LABEL), W("0 comments", L_LABEL),
    W("0 komentar", L_LABEL), W("tulis komentar", L_LABEL), W("leave a comment", L_LABEL),
    W("follow us", L_LABEL), W("ikuti kami", L_LABEL), W("subscribe", L_LABEL),
    W("berlangganan", L_LABEL), W("newsletter", L_LABEL), W("sign up", L_LABEL),
    W("click here", L_LABEL), W("klik di sini", L_LABEL), W("back to top", L_LABEL),
    W("kembali ke atas", L_LABEL), W("listen", L_LABEL), W("dengarkan", L_LABEL),
    W("listen to this article", L_LABEL), W("dengarkan artikel ini", L_LABEL),
    W("font", L_LABEL), W("ukuran font", L_LABEL), W("text size", L_LABEL),
    /* categories, tags */
    W("uncategorized", L_LABEL), W("uncategorised", L_LABEL), W("tanpa kategori", L_LABEL),
    W("tags", L_LABEL), W("tag", L_LABEL), W("topik", L_LABEL), W("topics", L_LABEL),
    W("kategori", L_LABEL), W("category", L_LABEL), W("breaking news", L_LABEL),
    W("berita terkini", L_LABEL), W("headline", L_LABEL), W("headlines", L_LABEL),
    W("video", L_LABEL), W("foto", L_LABEL), W("photo", L_LABEL), W("galeri", L_LABEL),
    W("gallery", L_LABEL), W("infografis", L_LABEL), W("advertorial", L_LABEL),
    /* navigation */
    W("home", L_MENU), W("beranda", L_MENU), W("menu", L_MENU), W("search", L_MENU),
    W("cari", L_MENU), W("login", L_MENU), W("log in", L_MENU), W("masuk", L_MENU),
    W("daftar", L_MENU), W("register", L_MENU), W("previous", L_MENU), W("next", L_MENU),
    W("sebelumnya", L_MENU), W("selanjutnya", L_MENU), W("next article", L_MENU),
    W("previous article", L_MENU), W("next post", L_MENU), W("previous post", L_MENU),
    W("artikel selanjutnya", L_MENU), W("artikel sebelumnya", L_MENU), W("halaman", L_MENU),
    W("page", L_MENU), W("all", L_MENU), W("semua", L_MENU), W("more", L_MENU),
    /* link list leads */
    W("baca juga", L_LINKS), W("read also", L_LINKS), W("also read", L_LINKS),
    W("see also", L_LINKS), W("lihat juga", L_LINKS), W("simak juga", L_LINKS),
    W("baca lagi", L_LINKS), W("related", L_LINKS), W("related articles", L_LINKS),
    W("related stories", L_LINKS), W("related news", L_LINKS), W("related posts", L_LINKS),
    W("related content", L_LINKS), W("berita terkait", L_LINKS), W("artikel terkait", L_LINKS),
    W("read more", L_LINKS), W("baca selengkapnya", L_LINKS), W("selengkapnya", L_LINKS),
    W("more stories", L_LINKS), W("more news", L_LINKS), W("recommended", L_LINKS),
    W("recommended for you", L_LINKS), W("rekomendasi", L_LINKS), W("rekomendasi untuk anda", L_LINKS),
    W("berita lainnya", L_LINKS), W("artikel lainnya", L_LINKS), W("berita lain", L_LINKS),
    W("terpopuler", L_LINKS), W("populer", L_LINKS), W("most popular", L_LINKS),
    W("most read", L_LINKS), W("paling banyak dibaca", L_LINKS), W("trending", L_LINKS),
    W("terkini", L_LINKS), W("latest", L_LINKS), W("latest news", L_LINKS),
    W("you may also like", L_LINKS), W("you might also like", L_LINKS),
    W("pilihan editor", L_LINKS), W("pilihan redaksi", L_LINKS), W("editor's picks", L_LINKS),
    W("top stories", L_LINKS), W("in other news", L_LINKS),
    { NULL, 0, 0 }
};

/* Labels followed by ':' and more on the same line ("Editor: Joko"). */
static const label prefix[] = {
    W("baca juga", L_LINKS), W("read also", L_LINKS), W("also read", L_LINKS),
    W("see also", L_LINKS), W("lihat juga", L_LINKS), W("simak juga", L_LINKS),
    W("baca lagi", L_LINKS), W("related", L_LINKS), W("berita terkait", L_LINKS),
    W("artikel terkait", L_LINKS), W("read more", L_LINKS), W("baca selengkapnya", L_LINKS),
    W("simak", L_LINKS), W("tonton juga", L_LINKS), W("watch", L_LINKS),
    W("editor", L_BYLINE), W("penulis", L_BYLINE), W("reporter", L_BYLINE),
    W("pewarta", L_BYLINE), W("wartawan", L_BYLINE), W("kontributor", L_BYLINE),
    W("penyunting", L_BYLINE), W("redaktur", L_BYLINE), W("posted by", L_BYLINE),
    W("diposting oleh", L_BYLINE), W("ditulis oleh", L_BYLINE), W("oleh", L_BYLINE),
    W("author", L_BYLINE), W("writer", L_BYLINE), W("written by", L_BYLINE),
    W("by", L_BYLINE), W("reporting by", L_BYLINE), W("editing by", L_BYLINE),
    W("foto", L_CAPTION), W("photo", L_CAPTION), W("image", L_CAPTION),
    W("gambar", L_CAPTION), W("ilustrasi", L_CAPTION), W("caption", L_CAPTION),
    W("keterangan foto", L_CAPTION), W("sumber foto", L_CAPTION), W("photo credit", L_CAPTION),
    W("image credit", L_CAPTION), W("video", L_CAPTION),
    W("tags", L_LABEL), W("tag", L_LABEL), W("topik", L_LABEL), W("kategori", L_LABEL),
    W("category", L_LABEL), W("categories", L_LABEL), W("filed under", L_LABEL),
    W("sumber", L_LABEL), W("source", L_LABEL), W("baca berita", L_LINKS),
    { NULL, 0, 0 }
};

static int is_trim(char c)
{
    return c == ' ' || c == ':' || c == '.' || c == '-' || c == '|' || c == '>' || c == '*' ||
           c == '=' || c == '~';
}

/* The whole-line labels in an open-addressing table by FNV-1a hash, built
 * once: a short line costs one hash and one probe, not a pass over the
 * list. */
#define LABEL_SLOTS 1024     /* a power of two, over four times the list */
#define LABEL_MAX 40         /* longest label */

static short label_slot[LABEL_SLOTS];  /* index + 1 into whole[], 0 = empty */
static pthread_once_t label_once = PTHREAD_ONCE_INIT;

static size_t label_hash(const char *s, size_t len)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001B3ULL;
    return (size_t)(h >> 54);  /* 10 bits: LABEL_SLOTS */
}

static void label_build(void)
{
    for (int i = 0; whole[i].s; i++) {
        size_t h = label_hash(whole[i].s, whole[i].len);
        while (label_slot[h]) h = (h + 1) & (LABEL_SLOTS - 1);
        label_slot[h] = (short)(i + 1);
    }
}

int gema_label_kind(const char *s, size_t len)
{
    while (len > 0 && is_trim(s[len - 1])) len--;
    size_t b = 0;
    while (b < len && is_trim(s[b])) b++;
    if (len - b > LABEL_MAX || len == b) return 0;
    pthread_once(&label_once, label_build);
    for (size_t h = label_hash(s + b, len - b); label_slot[h]; h = (h + 1) & (LABEL_SLOTS - 1)) {
        const label *w = &whole[label_slot[h] - 1];
        if (w->len == len - b && memcmp(w->s, s + b, len - b) == 0) return w->kind;
    }
    return 0;
}

/* For the unit test: every whole-line label fits the table and is found. */
int gema_label_check(void)
{
    size_t n = 0;
    for (int i = 0; whole[i].s; i++, n++)
        if (whole[i].len > LABEL_MAX || gema_label_kind(whole[i].s, whole[i].len) != whole[i].kind)
            return -1;
    return n * 4 <= LABEL_SLOTS ? 0 : -1;
}

int gema_label_prefix_kind(const char *s, size_t len)
{
    /* Every prefix label is short: no colon early on, no label. */
    if (!memchr(s, ':', GEMA_MIN(len, (size_t)32))) return 0;
    for (int i = 0; prefix[i].s; i++) {
        size_t m = prefix[i].len;
        if (len <= m || prefix[i].s[0] != s[0] || memcmp(prefix[i].s, s, m) != 0) continue;
        size_t j = m;
        while (j < len && s[j] == ' ') j++;
        if (j < len && s[j] == ':') return prefix[i].kind;
    }
    return 0;
}
