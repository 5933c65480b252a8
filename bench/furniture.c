/*
 * furniture.c - the furniture benchmark: wrap real articles in generated site
 * templates, then score what gema clean removed, line by line.
 *
 *   furniture gen EVAL_DIR CORPUS.jsonl TRUTH.jsonl [--copies K] [--seed N]
 *   furniture score CORPUS.jsonl TRUTH.jsonl REPORT.jsonl [RESULT.json]
 *
 * gen reads every article of ecbplus-dev.jsonl, polnear-train.jsonl and
 * polnear-dev.jsonl under EVAL_DIR and publishes each on one site (a share on
 * two or three sites: syndication), wrapped in that site's template:
 *   header   menu (glued, |-separated, or one item a line), site name,
 *            tagline, dateline, byline, reading time
 *   body     the article's lines, with ad labels between paragraphs, a photo
 *            caption with a credit, a "Read also:" lead and links (headlines
 *            of other articles) or inline "Baca juga: Headline" lines
 *   footer   share labels, tags, related links, footer navigation, copyright,
 *            address, a newsletter pitch and a disclaimer written as prose,
 *            and on every third site a comment form shared by the platform
 *   appended now and then the heading and first paragraphs of an article
 *            from another topic
 * Sites differ in size (from 300 documents to a single one, where only the
 * in-document rules can work), language of their labels (Indonesian or
 * English), and which elements they use and how often.  Everything comes
 * from a seeded generator: the same seed gives the same corpus.  Syndicated
 * copies after the first credit the wire ("(Reuters)") after a tenth of
 * their paragraphs; 3% of the other articles come out in two or three versions on
 * one site, each a paragraph shorter.  A share of the ad and share labels
 * are worded in ways gema's word lists do not know ("PARIWARA", "Send to a
 * friend"): only repetition can find those.  TRUTH has
 * one line per document: {"id","site","labels"} with one letter per line:
 * lower case for content (c; s if the article is syndicated), 'b' for blank
 * lines, upper case for furniture by kind (M menu, N name/tagline, D dateline,
 * Y byline, R reading time, A ad, L link list, P caption, S share, T tags,
 * F footer navigation, C copyright, W footer prose, X appended story).
 *
 * score compares with a `gema clean --report` file: precision (removed lines
 * that were furniture), recall (furniture lines removed), per-kind recall,
 * syndicated lines removed (must be 0), and the same for a CCNet-style
 * baseline that drops every line occurring in more than one document
 * (Wenzek et al., "CCNet", LREC 2020, section 3.3).  --copies K publishes each
 * article K times over (for speed runs; not for scoring).
 *
 *   furniture speed CORPUS.jsonl [REPS]
 *
 * times gema_cleaner_apply alone (see speed() below).
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <sys/resource.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "gema.h"

/* ------------------------------------------------------------------------ */
/* Small utilities                                                          */
/* ------------------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static size_t rndn(size_t n) { return n ? (size_t)(rnd() % n) : 0; }
static int chance(double p) { return (double)(rnd() >> 11) / 9007199254740992.0 < p; }

typedef struct {
    char *s;
    size_t len, cap;
} str;

static void put(str *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) { perror("realloc"); exit(1); }
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void puts_(str *b, const char *s) { put(b, s, strlen(s)); }

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    str b = { 0 };
    char tmp[1 << 16];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) put(&b, tmp, n);
    fclose(f);
    if (!b.s) put(&b, "", 0);
    *len = b.len;
    return b.s;
}

/* ------------------------------------------------------------------------ */
/* Articles                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct {
    char *id;
    char *topic;
    char **line;   /* non-blank lines */
    size_t n;
    char *headline;
} article;

static article *arts;
static size_t narts, arts_cap;

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static int is_small(const char *w, size_t n)
{
    static const char *const small[] = { "a", "an", "the", "of", "to", "in", "on", "and", "or",
                                         "for", "at", "by", "with", "is", "as", NULL };
    for (int i = 0; small[i]; i++)
        if (strlen(small[i]) == n && strncasecmp(small[i], w, n) == 0) return 1;
    return 0;
}

/* A headline from an article's first line: up to ten words, title case, no
 * final punctuation. */
static char *make_headline(const char *first)
{
    str b = { 0 };
    const char *p = first;
    int words = 0;
    while (*p && words < 10) {
        while (*p == ' ') p++;
        const char *w = p;
        while (*p && *p != ' ') p++;
        size_t n = (size_t)(p - w);
        if (!n) break;
        if (words) put(&b, " ", 1);
        size_t at = b.len;
        put(&b, w, n);
        if (words == 0 || !is_small(w, n)) b.s[at] = (char)toupper((unsigned char)b.s[at]);
        words++;
    }
    while (b.len && strchr(".,;:!?\"'", b.s[b.len - 1])) b.s[--b.len] = '\0';
    if (!b.s) put(&b, "News", 4);
    return b.s;
}

static void load_articles(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len;
    char *data = read_file(path, &len);
    if (!data) {
        fprintf(stderr, "furniture: %s: cannot read\n", path);
        exit(1);
    }
    char *p = data, *end = data + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        cJSON *o = cJSON_ParseWithLength(p, (size_t)(nl - p));
        p = nl + 1;
        if (!o) continue;
        cJSON *t = cJSON_GetObjectItem(o, "text"), *id = cJSON_GetObjectItem(o, "id");
        cJSON *topic = cJSON_GetObjectItem(o, "topic");
        if (!cJSON_IsString(t) || !cJSON_IsString(id)) {
            cJSON_Delete(o);
            continue;
        }
        if (narts == arts_cap) {
            arts_cap = arts_cap ? arts_cap * 2 : 1024;
            arts = realloc(arts, arts_cap * sizeof *arts);
        }
        article *a = &arts[narts];
        memset(a, 0, sizeof *a);
        a->id = strdup(id->valuestring);
        /* ECB+ has topics; PolNeAR articles each count as their own. */
        char tb[256];
        if (cJSON_IsString(topic)) snprintf(tb, sizeof tb, "ecb-%s", topic->valuestring);
        else snprintf(tb, sizeof tb, "pol-%s", id->valuestring);
        a->topic = strdup(tb);
        const char *s = t->valuestring;
        size_t cap = 0;
        while (*s) {
            const char *e = strchr(s, '\n');
            if (!e) e = s + strlen(s);
            const char *b = s;
            while (b < e && (*b == ' ' || *b == '\t' || *b == '\r')) b++;
            const char *f = e;
            while (f > b && (f[-1] == ' ' || f[-1] == '\t' || f[-1] == '\r')) f--;
            if (f > b) {
                if (a->n == cap) {
                    cap = cap ? cap * 2 : 16;
                    a->line = realloc(a->line, cap * sizeof *a->line);
                }
                a->line[a->n++] = dupn(b, (size_t)(f - b));
            }
            s = *e ? e + 1 : e;
        }
        cJSON_Delete(o);
        if (a->n < 2) continue;
        a->headline = make_headline(a->line[0]);
        narts++;
    }
    free(data);
}

/* ------------------------------------------------------------------------ */
/* Sites                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct {
    const char *host;
    const char *name;
    const char *tagline;
    int indonesian;          /* labels in Indonesian */
    int menu_style;          /* 0 glued, 1 separated, 2 one item a line */
    int date_style;
    int weight;              /* share of the corpus */
    double p_ad, p_links, p_inline, p_caption, p_byline, p_reading, p_tags, p_related,
        p_share, p_pitch, p_disclaimer, p_appended;
    const char *authors[4];
    const char *address;
    const char *pitch;
    const char *disclaimer;
    const char *credit;
} site;

/* Weights make sizes from about 300 documents down to one. */
static site sites[] = {
    { "harian-nusantara.id", "Harian Nusantara", "Tepercaya Sejak 1998", 1, 0, 0, 300,
      0.6, 0.5, 0.3, 0.5, 0.8, 0.9, 0.6, 0.4, 0.8, 0.7, 0.3, 0.03,
      { "Rina Wulandari", "Ahmad Fauzi", "Dewi Lestari", "Bambang Sutrisno" },
      "Jl. Palmerah Barat No. 29, Jakarta 10270",
      "Dapatkan berita pilihan setiap pagi langsung di kotak masuk Anda dengan berlangganan buletin kami.",
      "Setiap tulisan di rubrik ini sepenuhnya menjadi tanggung jawab penulis dan tidak mewakili pandangan redaksi.",
      "Foto" },
    { "dailyledger.com", "The Daily Ledger", "Independent journalism since 1987", 0, 1, 1, 260,
      0.7, 0.4, 0.0, 0.6, 0.9, 0.5, 0.7, 0.5, 0.9, 0.8, 0.5, 0.03,
      { "Jane Whitfield", "Marcus Bell", "Priya Raman", "Tom Okafor" },
      "1200 Market Street, Suite 400, Philadelphia, PA 19107",
      "Sign up for our morning newsletter to get the day's most important stories delivered to your inbox.",
      "The views expressed in reader comments are those of the commenters and do not reflect the views of the publisher.",
      "Photo" },
    { "kabarkini.co.id", "KabarKini", "Berita Terkini Hari Ini", 1, 2, 2, 200,
      0.8, 0.2, 0.6, 0.4, 0.7, 0.0, 0.5, 0.6, 0.7, 0.4, 0.6, 0.05,
      { "Tim Redaksi", "Yusuf Hamdani", "Sri Rahayu", "Joko Prasetyo" },
      "Gedung Graha Kabar Lt. 5, Jl. Gatot Subroto Kav. 12, Jakarta Selatan",
      "Ikuti terus perkembangan berita terbaru dan terpercaya hanya di kanal kami setiap hari.",
      "Redaksi menerima tulisan opini dengan panjang maksimal seribu kata yang dikirim melalui surel resmi kami.",
      "Dok" },
    { "metrowire.net", "Metro Wire", "News that matters", 0, 0, 3, 140,
      0.5, 0.5, 0.0, 0.7, 0.6, 0.8, 0.3, 0.7, 0.6, 0.9, 0.2, 0.04,
      { "Alex Moreno", "Sarah Lindqvist", "Daniel Cho", "Hannah Brooks" },
      "Metro Wire Media Group, 77 Harbour Road, Boston, MA 02110",
      "Support local reporting by becoming a member today; it takes less than a minute and makes a real difference.",
      "This article was produced with support from a foundation grant; our editors retain full editorial control.",
      "Image" },
    { "suaraindonesia.news", "Suara Indonesia", "Suara Rakyat, Suara Bangsa", 1, 1, 0, 90,
      0.4, 0.6, 0.4, 0.3, 0.9, 0.7, 0.7, 0.3, 0.9, 0.6, 0.4, 0.02,
      { "Andi Saputra", "Maria Ulfa", "Hendra Gunawan", "Lia Amalia" },
      "Jl. Diponegoro No. 45, Surabaya 60241",
      "Kirimkan informasi dan berita dari daerah Anda kepada redaksi melalui nomor layanan pembaca yang tersedia.",
      "Artikel ini telah diperbarui untuk menambahkan informasi terbaru yang diterima redaksi setelah terbit.",
      "Sumber" },
    { "thecapitalpost.org", "The Capital Post", "Politics, policy and power", 0, 2, 1, 60,
      0.6, 0.3, 0.0, 0.5, 0.8, 0.6, 0.8, 0.4, 0.7, 0.5, 0.7, 0.03,
      { "Eleanor Grant", "Victor Hale", "Nadia Petrov", "Sam Whitaker" },
      "The Capital Post, 900 K Street NW, Washington, DC 20001",
      "Get our politics briefing every weekday afternoon, with the analysis you need to understand what happened.",
      "Corrections and clarifications: if you spot an error in our reporting, please let our standards editor know.",
      "Photo" },
    { "warta-daerah.com", "Warta Daerah", "Dari Daerah untuk Indonesia", 1, 0, 2, 30,
      0.7, 0.4, 0.5, 0.6, 0.7, 0.6, 0.4, 0.5, 0.8, 0.5, 0.3, 0.05,
      { "Rahmat Hidayat", "Fitri Handayani", "Agus Salim", "Nur Aini" },
      "Jl. Ahmad Yani No. 8, Makassar 90111",
      "Saksikan juga tayangan video berita daerah kami yang diperbarui setiap sore di kanal resmi.",
      "Isi komentar sepenuhnya menjadi tanggung jawab pengirim dan dapat dihapus bila melanggar pedoman.",
      "Foto" },
    { "northbaytimes.com", "North Bay Times", "Your community, your news", 0, 1, 3, 20,
      0.5, 0.3, 0.0, 0.4, 0.8, 0.4, 0.5, 0.3, 0.6, 0.6, 0.5, 0.03,
      { "Chris Doyle", "Megan Ortiz", "Luke Harrington", "Ivy Chen" },
      "North Bay Times, 15 Pier Avenue, Sausalito, CA 94965",
      "Local journalism depends on readers like you; subscribe today for unlimited access to every story we publish.",
      "Letters to the editor may be edited for length and clarity and must include the writer's full name.",
      "Photo" },
    { "lensaberita.id", "Lensa Berita", "Melihat Lebih Dekat", 1, 2, 0, 8,
      0.6, 0.5, 0.3, 0.5, 0.6, 0.6, 0.5, 0.5, 0.7, 0.5, 0.3, 0.03,
      { "Dian Purnama", "Taufik Ismail", "Ratna Sari", "Eko Wibowo" },
      "Jl. Merdeka No. 3, Bandung 40111",
      "Jangan lewatkan berita menarik lainnya dengan mengikuti akun media sosial resmi kami hari ini.",
      "Hak jawab dan koreksi dapat disampaikan kepada redaksi sesuai ketentuan Undang-Undang Pers.",
      "Foto" },
    { "riverside-herald.com", "Riverside Herald", "Since 1921", 0, 0, 1, 4,
      0.5, 0.3, 0.0, 0.5, 0.7, 0.5, 0.5, 0.5, 0.7, 0.5, 0.3, 0.03,
      { "Paul Jensen", "Amy Lowell", "Greg Fischer", "Rosa Diaz" },
      "Riverside Herald, 4 Main Street, Riverside, CA 92501",
      "Have a news tip? Send it to our newsroom and a reporter will look into it as soon as possible.",
      "Riverside Herald is a member of the regional press council and follows its code of practice.",
      "Photo" },
    { "kilasjatim.com", "Kilas Jatim", "Cepat dan Akurat", 1, 1, 2, 2,
      0.6, 0.5, 0.5, 0.5, 0.7, 0.7, 0.5, 0.5, 0.8, 0.5, 0.3, 0.03,
      { "Wahyu Nugroho", "Siti Aminah", "Dedi Kurniawan", "Yuni Astuti" },
      "Jl. Pahlawan No. 17, Malang 65111",
      "Berlangganan notifikasi agar tidak ketinggalan kabar terbaru dari seluruh penjuru Jawa Timur.",
      "Seluruh materi dalam situs ini dilindungi dan tidak boleh digunakan tanpa izin tertulis redaksi.",
      "Foto" },
    { "onewordblog.net", "One Word Blog", "Thoughts, mostly", 0, 2, 3, 1,
      0.3, 0.3, 0.0, 0.3, 0.7, 0.5, 0.7, 0.3, 0.8, 0.5, 0.5, 0.0,
      { "Admin", "Admin", "Admin", "Admin" },
      "Made with care somewhere on the internet",
      "If you liked this post, consider sharing it with a friend who might enjoy it as well.",
      "All opinions are my own and do not represent those of any employer past or present.",
      "Image" },
};
#define NSITES (sizeof sites / sizeof sites[0])

static const char *const menu_en[] = { "Home", "News", "Politics", "Business", "World", "Sports",
                                       "Technology", "Opinion", "Entertainment", "Health",
                                       "Science", "Video" };
static const char *const menu_id[] = { "Beranda", "Nasional", "Internasional", "Ekonomi",
                                       "Olahraga", "Teknologi", "Hiburan", "Gaya Hidup",
                                       "Otomotif", "Opini", "Video", "Foto" };
static const char *const foot_en[] = { "About Us", "Contact", "Privacy Policy", "Terms of Use",
                                       "Advertise", "Careers" };
static const char *const foot_id[] = { "Tentang Kami", "Redaksi", "Pedoman Media Siber",
                                       "Kebijakan Privasi", "Kontak", "Karir" };
static const char *const mon_en[] = { "January", "February", "March", "April", "May", "June",
                                      "July", "August", "September", "October", "November",
                                      "December" };
static const char *const mon_id[] = { "Januari", "Februari", "Maret", "April", "Mei", "Juni",
                                      "Juli", "Agustus", "September", "Oktober", "November",
                                      "Desember" };
static const char *const day_id[] = { "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu",
                                      "Minggu" };
static const char *const tags_pool[] = { "politics", "election", "economy", "health", "crime",
                                         "world", "usa", "europe", "asia", "courts", "business",
                                         "media", "technology", "disaster", "sports" };
static const char *const photographers[] = { "Reuters/Kevin Lamarque", "AP/Evan Vucci",
                                             "ANTARA/Aprillio Akbar", "AFP/Mandel Ngan",
                                             "Getty Images/Chip Somodevilla", "Istimewa" };

/* ------------------------------------------------------------------------ */
/* Generation                                                               */
/* ------------------------------------------------------------------------ */

typedef struct {
    str text;
    str labels;
    int lines;
} doc;

static void add_line(doc *d, const char *s, char label)
{
    if (d->lines) put(&d->text, "\n", 1);
    puts_(&d->text, s);
    put(&d->labels, &label, 1);
    d->lines++;
}

static void blank(doc *d, int paragraphs)
{
    if (paragraphs) add_line(d, "", 'b');
}

static void dateline(doc *d, const site *s)
{
    char b[128];
    int day = 1 + (int)rndn(28), mon = (int)rndn(12), year = 2015 + (int)rndn(9);
    int hh = (int)rndn(24), mm = (int)rndn(60);
    switch (s->date_style) {
    case 0: snprintf(b, sizeof b, "%s, %d %s %d %02d:%02d WIB", day_id[rndn(7)], day, mon_id[mon], year, hh, mm); break;
    case 1: snprintf(b, sizeof b, "Published %d %s %d %02d:%02d", day, mon_en[mon], year, hh, mm); break;
    case 2: snprintf(b, sizeof b, "%d %s %d | %02d:%02d WIB", day, mon_id[mon], year, hh, mm); break;
    default: snprintf(b, sizeof b, "%s %d, %d", mon_en[mon], day, year); break;
    }
    add_line(d, b, 'D');
}

static void menu(doc *d, const site *s)
{
    const char *const *items = s->indonesian ? menu_id : menu_en;
    str b = { 0 };
    if (s->menu_style == 2) {
        for (int i = 0; i < 6; i++) add_line(d, items[i], 'M');
        return;
    }
    for (int i = 0; i < 12; i++) {
        if (i && s->menu_style == 1) puts_(&b, " | ");
        puts_(&b, items[i]);
    }
    add_line(d, b.s, 'M');
    free(b.s);
}

static void links(doc *d, const site *s, int inline_style)
{
    int n = 2 + (int)rndn(3);
    char b[512];
    if (inline_style) {
        for (int i = 0; i < (n > 2 ? 2 : n); i++) {
            snprintf(b, sizeof b, "%s: %s", s->indonesian ? "Baca juga" : "Read also",
                     arts[rndn(narts)].headline);
            add_line(d, b, 'L');
        }
        return;
    }
    add_line(d, s->indonesian ? "Baca juga:" : "Read also:", 'L');
    for (int i = 0; i < n; i++) {
        snprintf(b, sizeof b, "- %s", arts[rndn(narts)].headline);
        add_line(d, b, 'L');
    }
}

static void caption(doc *d, const site *s, const article *a)
{
    /* The caption repeats the headline's subject, as captions do. */
    char b[768];
    snprintf(b, sizeof b, "%s. (%s: %s)", a->headline, s->credit, photographers[rndn(6)]);
    add_line(d, b, 'P');
}

/* One article line; a syndicated copy (edit set) credits the wire after a
 * paragraph now and then, as outlets do. */
static void article_line(doc *d, const char *line, char label, int edit)
{
    int words = 0;
    for (const char *p = line; *p; p++) words += *p == ' ';
    if (edit && words >= 8 && chance(0.1)) {
        str t = { 0 };
        puts_(&t, line);
        puts_(&t, chance(0.5) ? " (Reuters)" : " (ANTARA)");
        add_line(d, t.s, label);
        free(t.s);
        return;
    }
    add_line(d, line, label);
}

/* Publish article a on site s.  syndicated: other sites carry it too (its
 * lines are labelled 's'); edit: this copy may credit the wire on a few
 * paragraphs; skip: a later version of the article on the same site, which
 * leaves out paragraph `skip` (0 = none). */
static void publish(doc *d, const site *s, const article *a, int syndicated, int paragraphs,
                    int edit, size_t skip)
{
    char b[1024];
    memset(d, 0, sizeof *d);
    menu(d, s);
    if (chance(0.7)) add_line(d, s->name, 'N');
    if (chance(0.5)) add_line(d, s->tagline, 'N');
    blank(d, paragraphs);
    /* Headline and article. */
    add_line(d, a->line[0], syndicated ? 's' : 'c');
    if (chance(0.9)) dateline(d, s);
    if (chance(s->p_byline)) {
        if (s->indonesian) snprintf(b, sizeof b, "Penulis: %s", s->authors[rndn(4)]);
        else snprintf(b, sizeof b, "By %s", s->authors[rndn(4)]);
        add_line(d, b, 'Y');
    }
    if (chance(s->p_reading)) {
        if (s->indonesian) snprintf(b, sizeof b, "waktu baca %d menit", 1 + (int)rndn(9));
        else snprintf(b, sizeof b, "%d min read", 1 + (int)rndn(9));
        add_line(d, b, 'R');
    }
    blank(d, paragraphs);
    int cap_at = chance(s->p_caption) ? 1 : -1;
    int links_at = chance(s->p_links) ? 2 + (int)rndn(a->n > 3 ? a->n - 2 : 1) : -1;
    int inline_links = chance(s->p_inline);
    for (size_t i = 1; i < a->n; i++) {
        if (i == skip) continue;
        article_line(d, a->line[i], syndicated ? 's' : 'c', edit);
        blank(d, paragraphs);
        if ((int)i == cap_at) {
            caption(d, s, a);
            blank(d, paragraphs);
        }
        if ((int)i == links_at && i + 1 < a->n) {
            links(d, s, inline_links);
            blank(d, paragraphs);
        }
        if (i + 1 < a->n && i % 3 == 0 && chance(s->p_ad)) {
            /* The last two of each list are in no word list of gema's. */
            static const char *const ad_en[] = { "ADVERTISEMENT", "Advertisement",
                                                 "SCROLL TO CONTINUE WITH CONTENT",
                                                 "Sponsored Links", "AD CONTENT" };
            static const char *const ad_id[] = { "ADVERTISEMENT", "Iklan",
                                                 "Scroll untuk melanjutkan", "PARIWARA",
                                                 "Konten Promosi" };
            add_line(d, (s->indonesian ? ad_id : ad_en)[rndn(5)], 'A');
            blank(d, paragraphs);
        }
    }
    /* An appended story: a heading and two paragraphs from another topic. */
    if (chance(s->p_appended)) {
        const article *o = NULL;
        for (int tries = 0; tries < 20 && !o; tries++) {
            const article *c = &arts[rndn(narts)];
            if (strcmp(c->topic, a->topic) != 0 && c->n >= 3) o = c;
        }
        if (o) {
            if (chance(0.5)) snprintf(b, sizeof b, "%d. %s", 2 + (int)rndn(8), o->headline);
            else snprintf(b, sizeof b, "%s", o->headline);
            add_line(d, b, 'X');
            add_line(d, o->line[1], 'X');
            add_line(d, o->line[2], 'X');
            blank(d, paragraphs);
        }
    }
    if (chance(s->p_tags)) {
        str t = { 0 };
        puts_(&t, s->indonesian ? "Tag: " : "Tags: ");
        int n = 2 + (int)rndn(4);
        for (int i = 0; i < n; i++) {
            if (i) puts_(&t, ", ");
            puts_(&t, tags_pool[rndn(15)]);
        }
        add_line(d, t.s, 'T');
        free(t.s);
    }
    if (chance(s->p_share)) {
        static const char *const sh_en[] = { "Share this article", "Share", "Tweet",
                                             "Send to a friend", "Spread the word" };
        static const char *const sh_id[] = { "Bagikan:", "Bagikan artikel ini", "Share",
                                             "Bagikan ke teman", "Sebarkan berita ini" };
        add_line(d, (s->indonesian ? sh_id : sh_en)[rndn(5)], 'S');
        if (chance(0.5)) add_line(d, "Facebook", 'S');
    }
    if (chance(s->p_related)) {
        add_line(d, s->indonesian ? "Berita Terkait" : "Related Stories", 'L');
        int n = 3 + (int)rndn(3);
        for (int i = 0; i < n; i++) {
            snprintf(b, sizeof b, "- %s", arts[rndn(narts)].headline);
            add_line(d, b, 'L');
        }
    }
    blank(d, paragraphs);
    if (chance(s->p_pitch)) add_line(d, s->pitch, 'W');
    if (chance(s->p_disclaimer)) add_line(d, s->disclaimer, 'W');
    /* Sites built on one publishing platform share its comment form. */
    if ((s - sites) % 3 == 0 && chance(0.6)) {
        add_line(d, "Leave a Reply", 'W');
        add_line(d, "Your email address will not be published. Required fields are marked *", 'W');
    }
    const char *const *foot = s->indonesian ? foot_id : foot_en;
    for (int i = 0; i < 6; i++)
        if (chance(0.8)) add_line(d, foot[i], 'F');
    add_line(d, s->address, 'W');
    snprintf(b, sizeof b, "%s %d %s. %s", s->indonesian ? "Hak Cipta \xC2\xA9" : "\xC2\xA9",
             2015 + (int)rndn(9), s->name, s->indonesian ? "Seluruh hak dilindungi." : "All rights reserved.");
    add_line(d, b, 'C');
}

static size_t pick_site(void)
{
    int total = 0;
    for (size_t i = 0; i < NSITES; i++) total += sites[i].weight;
    int r = (int)rndn((size_t)total);
    for (size_t i = 0; i < NSITES; i++) {
        if (r < sites[i].weight) return i;
        r -= sites[i].weight;
    }
    return 0;
}

static void json_str(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c == '\n') fputs("\\n", f);
        else if (c == '\t') fputs("\\t", f);
        else if (c == '\r') fputs("\\r", f);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static int gen(int argc, char **argv)
{
    if (argc < 5) return 2;
    const char *dir = argv[2];
    int copies = 1;
    uint64_t seed = 20260101;
    for (int i = 5; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--copies") == 0) copies = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--seed") == 0) seed = strtoull(argv[i + 1], NULL, 10);
    }
    if (copies < 1) copies = 1;
    rng_state = seed;
    load_articles(dir, "ecbplus-dev.jsonl");
    load_articles(dir, "polnear-train.jsonl");
    load_articles(dir, "polnear-dev.jsonl");
    FILE *corpus = fopen(argv[3], "wb"), *truth = fopen(argv[4], "wb");
    if (!corpus || !truth) {
        perror("furniture: output");
        return 1;
    }
    /* Shuffle publication order so sites interleave. */
    size_t total = narts * (size_t)copies;
    size_t *order = malloc(total * sizeof *order);
    for (size_t i = 0; i < total; i++) order[i] = i;
    for (size_t i = total; i > 1; i--) {
        size_t j = rndn(i);
        size_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    size_t ndocs = 0;
    for (size_t k = 0; k < total; k++) {
        const article *a = &arts[order[k] % narts];
        int paragraphs = strncmp(a->topic, "pol-", 4) == 0;
        /* A share of articles is syndicated: published on two or three sites.
         * A few others come out in versions: the same site publishes the
         * article again, a paragraph shorter (an update, a correction). */
        int outlets = chance(0.15) ? 2 + (int)rndn(2) : 1;
        int versions = outlets == 1 && a->n >= 4 && chance(0.03) ? 2 + (int)rndn(2) : 1;
        size_t used[3] = { SIZE_MAX, SIZE_MAX, SIZE_MAX };
        for (int o = 0; o < outlets * versions; o++) {
            size_t si;
            int tries = 0;
            if (o >= outlets) si = used[0];
            else {
                do si = pick_site();
                while ((si == used[0] || si == used[1]) && ++tries < 50);
                used[o] = si;
            }
            const site *s = &sites[si];
            doc d;
            publish(&d, s, a, outlets > 1, paragraphs, outlets > 1 && o > 0,
                    o >= outlets ? 1 + (size_t)o % (a->n - 1) : 0);
            char id[512];
            snprintf(id, sizeof id, "%s/%s/%zu", s->host, a->id, ndocs);
            fputs("{\"id\":", corpus);
            json_str(corpus, id, strlen(id));
            char url[600];
            snprintf(url, sizeof url, "https://www.%s/read/%zu", s->host, ndocs);
            fputs(",\"url\":", corpus);
            json_str(corpus, url, strlen(url));
            fputs(",\"text\":", corpus);
            json_str(corpus, d.text.s, d.text.len);
            fputs("}\n", corpus);
            fputs("{\"id\":", truth);
            json_str(truth, id, strlen(id));
            fputs(",\"site\":", truth);
            json_str(truth, s->host, strlen(s->host));
            fputs(",\"labels\":", truth);
            json_str(truth, d.labels.s, d.labels.len);
            fputs("}\n", truth);
            free(d.text.s);
            free(d.labels.s);
            ndocs++;
        }
    }
    fclose(corpus);
    fclose(truth);
    fprintf(stderr, "furniture gen: %zu articles, %zu documents on %zu sites\n", narts, ndocs,
            (size_t)NSITES);
    free(order);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Scoring                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct {
    char *id;
    char *site;
    char *labels;
    size_t n;
    unsigned char *removed;  /* per line: 0 or the reason's index + 1 */
} tdoc;

static tdoc *tdocs;
static size_t ntdocs;

/* Hash table id -> tdoc index. */
static size_t *idx;
static size_t idx_cap;

static size_t find_doc(const char *id)
{
    uint64_t h = XXH3_64bits(id, strlen(id));
    for (size_t i = h & (idx_cap - 1);; i = (i + 1) & (idx_cap - 1)) {
        if (idx[i] == SIZE_MAX) return SIZE_MAX;
        if (strcmp(tdocs[idx[i]].id, id) == 0) return idx[i];
    }
}

static const char *const reason_names[] = { "repeated-in-site", "label", "link-list", "menu",
                                            "dateline", "copyright", "byline", "caption",
                                            "no-text", "edge-fragment", "appended-story",
                                            "duplicate-line", "unknown", NULL };

/* Index of a reason name; a name this scorer does not know (from a newer
 * gema) counts as "unknown", the last. */
static int reason_index(const char *s)
{
    int i = 0;
    for (; reason_names[i + 1]; i++)
        if (strcmp(reason_names[i], s) == 0) return i;
    return i;
}

typedef struct {
    uint64_t removed, furniture, hit, content, content_removed, synd, synd_removed;
} counts;

static double ratio(uint64_t a, uint64_t b) { return b ? (double)a / (double)b : 1.0; }

static int score(int argc, char **argv)
{
    if (argc < 5) return 2;
    size_t len;
    char *truth = read_file(argv[3], &len);
    if (!truth) {
        fprintf(stderr, "furniture: %s: cannot read\n", argv[3]);
        return 1;
    }
    size_t cap = 0;
    for (char *p = truth; p < truth + len;) {
        char *nl = memchr(p, '\n', (size_t)(truth + len - p));
        if (!nl) nl = truth + len;
        cJSON *o = cJSON_ParseWithLength(p, (size_t)(nl - p));
        p = nl + 1;
        if (!o) continue;
        if (ntdocs == cap) {
            cap = cap ? cap * 2 : 4096;
            tdocs = realloc(tdocs, cap * sizeof *tdocs);
        }
        tdoc *t = &tdocs[ntdocs++];
        t->id = strdup(cJSON_GetObjectItem(o, "id")->valuestring);
        t->site = strdup(cJSON_GetObjectItem(o, "site")->valuestring);
        t->labels = strdup(cJSON_GetObjectItem(o, "labels")->valuestring);
        t->n = strlen(t->labels);
        t->removed = calloc(t->n + 1, 1);
        cJSON_Delete(o);
    }
    free(truth);
    idx_cap = 1;
    while (idx_cap < ntdocs * 2) idx_cap *= 2;
    idx = malloc(idx_cap * sizeof *idx);
    for (size_t i = 0; i < idx_cap; i++) idx[i] = SIZE_MAX;
    for (size_t k = 0; k < ntdocs; k++) {
        uint64_t h = XXH3_64bits(tdocs[k].id, strlen(tdocs[k].id));
        size_t i = h & (idx_cap - 1);
        while (idx[i] != SIZE_MAX) i = (i + 1) & (idx_cap - 1);
        idx[i] = k;
    }
    char *rep = read_file(argv[4], &len);
    if (!rep) {
        fprintf(stderr, "furniture: %s: cannot read\n", argv[4]);
        return 1;
    }
    for (char *p = rep; p < rep + len;) {
        char *nl = memchr(p, '\n', (size_t)(rep + len - p));
        if (!nl) nl = rep + len;
        cJSON *o = cJSON_ParseWithLength(p, (size_t)(nl - p));
        p = nl + 1;
        if (!o) continue;
        size_t k = find_doc(cJSON_GetObjectItem(o, "id")->valuestring);
        cJSON *rm = cJSON_GetObjectItem(o, "removed"), *e;
        if (k != SIZE_MAX)
            cJSON_ArrayForEach(e, rm) {
                size_t line = (size_t)cJSON_GetObjectItem(e, "line")->valuedouble;
                int why = reason_index(cJSON_GetObjectItem(e, "reason")->valuestring);
                if (line >= 1 && line <= tdocs[k].n) tdocs[k].removed[line - 1] = (unsigned char)(why + 1);
            }
        cJSON_Delete(o);
    }
    free(rep);

    /* CCNet-style baseline: drop every line whose normalised hash occurs in
     * more than one document. */
    char *corpus = read_file(argv[2], &len);
    if (!corpus) {
        fprintf(stderr, "furniture: %s: cannot read\n", argv[2]);
        return 1;
    }
    size_t hcap = 1 << 22;
    uint64_t *hk = calloc(hcap, sizeof *hk);
    uint32_t *hv = calloc(hcap, sizeof *hv);
    uint32_t *hlast = calloc(hcap, sizeof *hlast);
    unsigned char **ccnet = calloc(ntdocs, sizeof *ccnet);
    uint64_t **lh = calloc(ntdocs, sizeof *lh);
    size_t docno = 0;
    for (char *p = corpus; p < corpus + len;) {
        char *nl = memchr(p, '\n', (size_t)(corpus + len - p));
        if (!nl) nl = corpus + len;
        cJSON *o = cJSON_ParseWithLength(p, (size_t)(nl - p));
        p = nl + 1;
        if (!o) continue;
        size_t k = find_doc(cJSON_GetObjectItem(o, "id")->valuestring);
        const char *t = cJSON_GetObjectItem(o, "text")->valuestring;
        if (k != SIZE_MAX) {
            lh[k] = calloc(tdocs[k].n + 1, sizeof **lh);
            size_t line = 0;
            for (const char *s = t; line < tdocs[k].n; line++) {
                const char *e = strchr(s, '\n');
                if (!e) e = s + strlen(s);
                /* Normalise as CCNet does: lower case, digits to 0. */
                char buf[4096];
                size_t m = 0;
                for (const char *q = s; q < e && m < sizeof buf; q++)
                    buf[m++] = isdigit((unsigned char)*q) ? '0' : (char)tolower((unsigned char)*q);
                uint64_t h = m ? XXH3_64bits(buf, m) | 1 : 0;
                lh[k][line] = h;
                if (h) {
                    size_t i = h & (hcap - 1);
                    while (hk[i] && hk[i] != h) i = (i + 1) & (hcap - 1);
                    hk[i] = h;
                    if (hlast[i] != docno + 1) hv[i]++;
                    hlast[i] = (uint32_t)(docno + 1);
                }
                s = *e ? e + 1 : e;
            }
        }
        docno++;
        cJSON_Delete(o);
    }
    free(corpus);
    for (size_t k = 0; k < ntdocs; k++) {
        ccnet[k] = calloc(tdocs[k].n + 1, 1);
        for (size_t line = 0; lh[k] && line < tdocs[k].n; line++) {
            uint64_t h = lh[k][line];
            if (!h) continue;
            size_t i = h & (hcap - 1);
            while (hk[i] != h) i = (i + 1) & (hcap - 1);
            ccnet[k][line] = hv[i] > 1;
        }
    }

    /* Tally. */
    counts g = { 0 }, cc = { 0 }, big = { 0 }, small = { 0 };
    uint64_t kind_total[128] = { 0 }, kind_hit[128] = { 0 };
    uint64_t fp_by[16] = { 0 }, tp_by[16] = { 0 }, synd_by[16] = { 0 };
    int shown = 0;
    /* Site sizes, to split learned and tiny sites. */
    for (size_t k = 0; k < ntdocs; k++) {
        tdoc *t = &tdocs[k];
        size_t site_docs = 0;
        for (size_t j = 0; j < ntdocs && site_docs < 10; j++) site_docs += strcmp(tdocs[j].site, t->site) == 0;
        counts *part = site_docs >= 10 ? &big : &small;
        for (size_t i = 0; i < t->n; i++) {
            char l = t->labels[i];
            if (l == 'b') continue;
            int furn = l >= 'A' && l <= 'Z';
            int rm = t->removed[i] != 0;
            counts *cs[2] = { &g, part };
            for (int c = 0; c < 2; c++) {
                counts *x = cs[c];
                x->removed += (uint64_t)rm;
                if (furn) {
                    x->furniture++;
                    x->hit += (uint64_t)rm;
                } else {
                    x->content++;
                    x->content_removed += (uint64_t)rm;
                    if (l == 's') {
                        x->synd++;
                        x->synd_removed += (uint64_t)rm;
                    }
                }
            }
            if (furn) {
                kind_total[(int)l]++;
                kind_hit[(int)l] += (uint64_t)rm;
                if (rm) tp_by[t->removed[i] - 1]++;
            } else if (rm) {
                fp_by[t->removed[i] - 1]++;
                if (l == 's') synd_by[t->removed[i] - 1]++;
                if (shown < 25) {
                    fprintf(stderr, "false removal (%s) %s line %zu\n",
                            reason_names[t->removed[i] - 1], t->id, i + 1);
                    shown++;
                }
            }
            int crm = ccnet[k][i];
            cc.removed += (uint64_t)crm;
            if (furn) {
                cc.furniture++;
                cc.hit += (uint64_t)crm;
            } else {
                cc.content++;
                cc.content_removed += (uint64_t)crm;
                if (l == 's') {
                    cc.synd++;
                    cc.synd_removed += (uint64_t)crm;
                }
            }
        }
    }
    FILE *out = argc > 5 ? fopen(argv[5], "wb") : stdout;
    if (!out) {
        perror(argv[5]);
        return 1;
    }
    fprintf(out, "{\n  \"documents\": %zu,\n  \"content_lines\": %llu,\n  \"furniture_lines\": %llu,\n",
            ntdocs, (unsigned long long)g.content, (unsigned long long)g.furniture);
    fprintf(out, "  \"precision\": %.4f,\n  \"recall\": %.4f,\n  \"content_kept\": %.4f,\n",
            ratio(g.hit, g.removed), ratio(g.hit, g.furniture), 1 - ratio(g.content_removed, g.content));
    fprintf(out, "  \"syndicated_lines\": %llu,\n  \"syndicated_removed\": %llu,\n",
            (unsigned long long)g.synd, (unsigned long long)g.synd_removed);
    fprintf(out, "  \"syndicated_removed_for_repetition\": %llu,\n", (unsigned long long)synd_by[0]);
    fprintf(out, "  \"learned_sites\": {\"precision\": %.4f, \"recall\": %.4f, \"furniture_lines\": %llu},\n",
            ratio(big.hit, big.removed), ratio(big.hit, big.furniture), (unsigned long long)big.furniture);
    fprintf(out, "  \"small_sites\": {\"precision\": %.4f, \"recall\": %.4f, \"furniture_lines\": %llu},\n",
            ratio(small.hit, small.removed), ratio(small.hit, small.furniture), (unsigned long long)small.furniture);
    static const char kinds[] = "MNDYRALPSTFCWX";
    static const char *const kind_names[] = { "menu", "name_tagline", "dateline", "byline",
                                              "reading_time", "ad", "link_list", "caption",
                                              "share", "tags", "footer_nav", "copyright",
                                              "footer_prose", "appended" };
    fputs("  \"recall_by_kind\": {", out);
    for (int i = 0; kinds[i]; i++)
        fprintf(out, "%s\"%s\": %.4f", i ? ", " : "", kind_names[i],
                ratio(kind_hit[(int)kinds[i]], kind_total[(int)kinds[i]]));
    fputs("},\n  \"removed_furniture_by_reason\": {", out);
    for (int i = 0; reason_names[i]; i++)
        fprintf(out, "%s\"%s\": %llu", i ? ", " : "", reason_names[i], (unsigned long long)tp_by[i]);
    fputs("},\n  \"removed_content_by_reason\": {", out);
    for (int i = 0; reason_names[i]; i++)
        fprintf(out, "%s\"%s\": %llu", i ? ", " : "", reason_names[i], (unsigned long long)fp_by[i]);
    fprintf(out, "},\n  \"ccnet_baseline\": {\"precision\": %.4f, \"recall\": %.4f, \"content_kept\": %.4f, \"syndicated_removed\": %llu}\n}\n",
            ratio(cc.hit, cc.removed), ratio(cc.hit, cc.furniture),
            1 - ratio(cc.content_removed, cc.content), (unsigned long long)cc.synd_removed);
    if (out != stdout) fclose(out);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Speed of the cleaning proper                                             */
/* ------------------------------------------------------------------------ */

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/*
 * `gema clean` spends its cleaning pass reading JSON (cJSON), cleaning, and
 * writing JSON.  This times the middle alone, on one thread: furniture is
 * learned from the corpus, every document is parsed once and kept in
 * memory, then gema_cleaner_apply runs over all of them `reps` times.
 * Prints JSON: text bytes, CPU seconds, MB of text per CPU second.
 */
static int speed(int argc, char **argv)
{
    if (argc < 3) return 2;
    int reps = argc > 3 ? atoi(argv[3]) : 3;
    if (reps < 1) reps = 1;
    gema_corpus *c = NULL;
    if (gema_corpus_new(NULL, &c) != GEMA_OK || gema_corpus_add_path(c, argv[2]) != GEMA_OK) {
        fprintf(stderr, "furniture: %s: cannot read\n", argv[2]);
        return 1;
    }
    gema_clean_options opt;
    gema_clean_options_default(&opt);
    gema_cleaner *cl = NULL;
    gema_reader *rd = NULL;
    gema_cleaned *r = NULL;
    if (gema_cleaner_learn(c, &opt, &cl) != GEMA_OK || gema_reader_new(c, &rd) != GEMA_OK ||
        gema_cleaned_new(&r) != GEMA_OK) {
        fprintf(stderr, "furniture: speed: setup failed\n");
        return 1;
    }
    size_t n = gema_corpus_count(c), text_bytes = 0;
    gema_doc *docs = calloc(n ? n : 1, sizeof *docs);
    for (size_t i = 0; i < n; i++) {
        gema_doc d;
        gema_reader_get(rd, i, &d);
        docs[i] = d;
        docs[i].text = d.text ? dupn(d.text, d.text_len) : NULL;
        docs[i].id = d.id ? dupn(d.id, d.id_len) : NULL;
        docs[i].site = d.site ? dupn(d.site, d.site_len) : NULL;
        text_bytes += d.text_len;
    }
    double t0 = cpu_seconds();
    size_t out = 0;
    for (int k = 0; k < reps; k++)
        for (size_t i = 0; i < n; i++) {
            size_t len;
            gema_cleaner_apply(cl, &docs[i], r);
            gema_cleaned_text(r, &len);
            out += len;
        }
    double sec = cpu_seconds() - t0;
    printf("{\"documents\": %zu, \"text_bytes\": %zu, \"input_bytes\": %llu, \"reps\": %d, "
           "\"cpu_seconds\": %.4f, \"mb_text_per_cpu_s\": %.1f, \"mb_input_per_cpu_s\": %.1f, "
           "\"bytes_out\": %zu}\n",
           n, text_bytes, (unsigned long long)gema_corpus_bytes(c), reps, sec,
           (double)text_bytes * reps / 1e6 / sec, (double)gema_corpus_bytes(c) * reps / 1e6 / sec,
           out / (size_t)reps);
    for (size_t i = 0; i < n; i++) {
        free((char *)docs[i].text);
        free((char *)docs[i].id);
        free((char *)docs[i].site);
    }
    free(docs);
    gema_cleaned_free(r);
    gema_reader_free(rd);
    gema_cleaner_free(cl);
    gema_corpus_free(c);
    return 0;
}

int main(int argc, char **argv)
{
    int rc = 2;
    if (argc >= 2 && strcmp(argv[1], "gen") == 0) rc = gen(argc, argv);
    else if (argc >= 2 && strcmp(argv[1], "score") == 0) rc = score(argc, argv);
    else if (argc >= 2 && strcmp(argv[1], "speed") == 0) rc = speed(argc, argv);
    if (rc == 2)
        fprintf(stderr, "usage: furniture gen EVAL_DIR CORPUS.jsonl TRUTH.jsonl [--copies K] [--seed N]\n"
                        "       furniture score CORPUS.jsonl TRUTH.jsonl REPORT.jsonl [RESULT.json]\n"
                        "       furniture speed CORPUS.jsonl [REPS]\n");
    return rc;
}
