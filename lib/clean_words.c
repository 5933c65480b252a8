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

typedef struct {
    const char *w;
    int lang;
} stopword;

/* Sorted by strcmp (a unit test checks it); lang 1 Indonesian, 2 English. */
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

int gema_stopword_lang(const char *w, size_t len)
{
    if (len == 0 || len > 12) return 0;
    size_t lo = 0, hi = sizeof stop / sizeof stop[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(stop[mid].w, w, len);
        if (c == 0 && stop[mid].w[len] != '\0') c = 1;
        if (c < 0) lo = mid + 1;
        else if (c > 0) hi = mid;
        else return stop[mid].lang;
    }
    return 0;
}

typedef struct {
    const char *s;
    int kind;
} label;

#define L_LABEL GEMA_CLEAN_LABEL
#define L_LINKS GEMA_CLEAN_LINK_LIST
#define L_BYLINE GEMA_CLEAN_BYLINE
#define L_CAPTION GEMA_CLEAN_CAPTION
#define L_MENU GEMA_CLEAN_MENU

/* Lines that are nothing but a label (trailing ':' and the like ignored). */
static const label whole[] = {
    /* advertising */
    { "advertisement", L_LABEL }, { "advertisment", L_LABEL }, { "iklan", L_LABEL },
    { "sponsored", L_LABEL }, { "sponsored content", L_LABEL }, { "konten bersponsor", L_LABEL },
    { "ads", L_LABEL }, { "ad", L_LABEL }, { "promoted", L_LABEL },
    { "scroll to continue with content", L_LABEL }, { "scroll untuk melanjutkan", L_LABEL },
    { "scroll untuk melanjutkan membaca", L_LABEL }, { "lanjutkan membaca", L_LABEL },
    { "continue reading", L_LABEL }, { "continue reading below", L_LABEL },
    { "story continues below", L_LABEL }, { "article continues below", L_LABEL },
    { "artikel berlanjut di bawah", L_LABEL }, { "loading", L_LABEL }, { "loading...", L_LABEL },
    /* sharing and page actions */
    { "bagikan", L_LABEL }, { "bagikan artikel", L_LABEL }, { "bagikan artikel ini", L_LABEL },
    { "bagikan berita", L_LABEL }, { "share", L_LABEL }, { "share this", L_LABEL },
    { "share this article", L_LABEL }, { "share this story", L_LABEL }, { "share article", L_LABEL },
    { "share on facebook", L_LABEL }, { "share on twitter", L_LABEL }, { "tweet", L_LABEL },
    { "facebook", L_LABEL }, { "twitter", L_LABEL }, { "whatsapp", L_LABEL }, { "telegram", L_LABEL },
    { "linkedin", L_LABEL }, { "email", L_LABEL }, { "e-mail", L_LABEL }, { "print", L_LABEL },
    { "cetak", L_LABEL }, { "copy link", L_LABEL }, { "salin link", L_LABEL }, { "salin tautan", L_LABEL },
    { "komentar", L_LABEL }, { "comments", L_LABEL }, { "comment", L_LABEL }, { "0 comments", L_LABEL },
    { "0 komentar", L_LABEL }, { "tulis komentar", L_LABEL }, { "leave a comment", L_LABEL },
    { "follow us", L_LABEL }, { "ikuti kami", L_LABEL }, { "subscribe", L_LABEL },
    { "berlangganan", L_LABEL }, { "newsletter", L_LABEL }, { "sign up", L_LABEL },
    { "click here", L_LABEL }, { "klik di sini", L_LABEL }, { "back to top", L_LABEL },
    { "kembali ke atas", L_LABEL }, { "listen", L_LABEL }, { "dengarkan", L_LABEL },
    { "listen to this article", L_LABEL }, { "dengarkan artikel ini", L_LABEL },
    { "font", L_LABEL }, { "ukuran font", L_LABEL }, { "text size", L_LABEL },
    /* categories, tags */
    { "uncategorized", L_LABEL }, { "uncategorised", L_LABEL }, { "tanpa kategori", L_LABEL },
    { "tags", L_LABEL }, { "tag", L_LABEL }, { "topik", L_LABEL }, { "topics", L_LABEL },
    { "kategori", L_LABEL }, { "category", L_LABEL }, { "breaking news", L_LABEL },
    { "berita terkini", L_LABEL }, { "headline", L_LABEL }, { "headlines", L_LABEL },
    { "video", L_LABEL }, { "foto", L_LABEL }, { "photo", L_LABEL }, { "galeri", L_LABEL },
    { "gallery", L_LABEL }, { "infografis", L_LABEL }, { "advertorial", L_LABEL },
    /* navigation */
    { "home", L_MENU }, { "beranda", L_MENU }, { "menu", L_MENU }, { "search", L_MENU },
    { "cari", L_MENU }, { "login", L_MENU }, { "log in", L_MENU }, { "masuk", L_MENU },
    { "daftar", L_MENU }, { "register", L_MENU }, { "previous", L_MENU }, { "next", L_MENU },
    { "sebelumnya", L_MENU }, { "selanjutnya", L_MENU }, { "next article", L_MENU },
    { "previous article", L_MENU }, { "next post", L_MENU }, { "previous post", L_MENU },
    { "artikel selanjutnya", L_MENU }, { "artikel sebelumnya", L_MENU }, { "halaman", L_MENU },
    { "page", L_MENU }, { "all", L_MENU }, { "semua", L_MENU }, { "more", L_MENU },
    /* link list leads */
    { "baca juga", L_LINKS }, { "read also", L_LINKS }, { "also read", L_LINKS },
    { "see also", L_LINKS }, { "lihat juga", L_LINKS }, { "simak juga", L_LINKS },
    { "baca lagi", L_LINKS }, { "related", L_LINKS }, { "related articles", L_LINKS },
    { "related stories", L_LINKS }, { "related news", L_LINKS }, { "related posts", L_LINKS },
    { "related content", L_LINKS }, { "berita terkait", L_LINKS }, { "artikel terkait", L_LINKS },
    { "read more", L_LINKS }, { "baca selengkapnya", L_LINKS }, { "selengkapnya", L_LINKS },
    { "more stories", L_LINKS }, { "more news", L_LINKS }, { "recommended", L_LINKS },
    { "recommended for you", L_LINKS }, { "rekomendasi", L_LINKS }, { "rekomendasi untuk anda", L_LINKS },
    { "berita lainnya", L_LINKS }, { "artikel lainnya", L_LINKS }, { "berita lain", L_LINKS },
    { "terpopuler", L_LINKS }, { "populer", L_LINKS }, { "most popular", L_LINKS },
    { "most read", L_LINKS }, { "paling banyak dibaca", L_LINKS }, { "trending", L_LINKS },
    { "terkini", L_LINKS }, { "latest", L_LINKS }, { "latest news", L_LINKS },
    { "you may also like", L_LINKS }, { "you might also like", L_LINKS },
    { "pilihan editor", L_LINKS }, { "pilihan redaksi", L_LINKS }, { "editor's picks", L_LINKS },
    { "top stories", L_LINKS }, { "in other news", L_LINKS },
    { NULL, 0 }
};

/* Labels followed by ':' and more on the same line ("Editor: Joko"). */
static const label prefix[] = {
    { "baca juga", L_LINKS }, { "read also", L_LINKS }, { "also read", L_LINKS },
    { "see also", L_LINKS }, { "lihat juga", L_LINKS }, { "simak juga", L_LINKS },
    { "baca lagi", L_LINKS }, { "related", L_LINKS }, { "berita terkait", L_LINKS },
    { "artikel terkait", L_LINKS }, { "read more", L_LINKS }, { "baca selengkapnya", L_LINKS },
    { "simak", L_LINKS }, { "tonton juga", L_LINKS }, { "watch", L_LINKS },
    { "editor", L_BYLINE }, { "penulis", L_BYLINE }, { "reporter", L_BYLINE },
    { "pewarta", L_BYLINE }, { "wartawan", L_BYLINE }, { "kontributor", L_BYLINE },
    { "penyunting", L_BYLINE }, { "redaktur", L_BYLINE }, { "posted by", L_BYLINE },
    { "diposting oleh", L_BYLINE }, { "ditulis oleh", L_BYLINE }, { "oleh", L_BYLINE },
    { "author", L_BYLINE }, { "writer", L_BYLINE }, { "written by", L_BYLINE },
    { "by", L_BYLINE }, { "reporting by", L_BYLINE }, { "editing by", L_BYLINE },
    { "foto", L_CAPTION }, { "photo", L_CAPTION }, { "image", L_CAPTION },
    { "gambar", L_CAPTION }, { "ilustrasi", L_CAPTION }, { "caption", L_CAPTION },
    { "keterangan foto", L_CAPTION }, { "sumber foto", L_CAPTION }, { "photo credit", L_CAPTION },
    { "image credit", L_CAPTION }, { "video", L_CAPTION },
    { "tags", L_LABEL }, { "tag", L_LABEL }, { "topik", L_LABEL }, { "kategori", L_LABEL },
    { "category", L_LABEL }, { "categories", L_LABEL }, { "filed under", L_LABEL },
    { "sumber", L_LABEL }, { "source", L_LABEL }, { "baca berita", L_LINKS },
    { NULL, 0 }
};

static int is_trim(char c)
{
    return c == ' ' || c == ':' || c == '.' || c == '-' || c == '|' || c == '>' || c == '*' ||
           c == '=' || c == '~';
}

int gema_label_kind(const char *s, size_t len)
{
    while (len > 0 && is_trim(s[len - 1])) len--;
    size_t b = 0;
    while (b < len && is_trim(s[b])) b++;
    if (len - b > 40 || len == b) return 0;
    for (int i = 0; whole[i].s; i++)
        if (strlen(whole[i].s) == len - b && memcmp(whole[i].s, s + b, len - b) == 0)
            return whole[i].kind;
    return 0;
}

int gema_label_prefix_kind(const char *s, size_t len)
{
    for (int i = 0; prefix[i].s; i++) {
        size_t m = strlen(prefix[i].s);
        if (len <= m || memcmp(prefix[i].s, s, m) != 0) continue;
        size_t j = m;
        while (j < len && s[j] == ' ') j++;
        if (j < len && s[j] == ':') return prefix[i].kind;
    }
    return 0;
}
