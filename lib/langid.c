/*
 * langid.c - which language a document is in, from its tokens.
 *
 * Two kinds of evidence, both cheap because the tokens are already there:
 *
 *   - script: the first character of every token.  A script used by one
 *     language we handle (Greek, Armenian, Hebrew, Thai, Hangul) names it;
 *     Cyrillic is taken as Russian (the only Cyrillic stemmer that matters
 *     for news here), Arabic script as Arabic, Han with more than a tenth
 *     of kana as Japanese, else Chinese, Devanagari as Hindi unless Nepali
 *     function words win.
 *   - function words, for Latin script: every token is looked up by hash in
 *     the stop-word table, which says for which languages it is a function
 *     word, and each of those languages scores a point.  A news article of
 *     a few hundred words gives dozens of hits, so the largest score is
 *     rarely in doubt; the lists carry the words that tell close languages
 *     apart (Indonesian bahwa/karena/yaitu against Malay bahawa/kerana/iaitu,
 *     Danish/Norwegian/Swedish spellings).
 *
 * Letters only some languages write (ß, ñ, ã, ğ, ø, å, ő, ș ...) add a
 * quarter point per occurrence to those languages: enough to decide a title
 * or a two-line text, too little to outvote function words in an article.
 *
 * Ties go to the language listed first in gema_lang (English, Indonesian,
 * Malay, ...).  A Latin text with no function word at all is undetermined:
 * it is then neither stemmed nor stop-worded, which costs little (IDF still
 * damps frequent words) and is better than stemming with the wrong rules.
 */
#include "langid.h"

#include "stopwords.h"
#include "utf8.h"

static const struct {
    const char *code;
    const char *stemmer;
} langs[GEMA_LANG_COUNT] = {
    [GEMA_LANG_UND] = { "und", NULL },
    [GEMA_LANG_EN] = { "en", "english" },
    [GEMA_LANG_ID] = { "id", "indonesian" },
    [GEMA_LANG_MS] = { "ms", "indonesian" }, /* Snowball has no Malay; the affixes are shared */
    [GEMA_LANG_FR] = { "fr", "french" },
    [GEMA_LANG_DE] = { "de", "german" },
    [GEMA_LANG_ES] = { "es", "spanish" },
    [GEMA_LANG_PT] = { "pt", "portuguese" },
    [GEMA_LANG_IT] = { "it", "italian" },
    [GEMA_LANG_NL] = { "nl", "dutch" },
    [GEMA_LANG_SV] = { "sv", "swedish" },
    [GEMA_LANG_DA] = { "da", "danish" },
    [GEMA_LANG_NO] = { "no", "norwegian" },
    [GEMA_LANG_FI] = { "fi", "finnish" },
    [GEMA_LANG_TR] = { "tr", "turkish" },
    [GEMA_LANG_RO] = { "ro", "romanian" },
    [GEMA_LANG_HU] = { "hu", "hungarian" },
    [GEMA_LANG_CA] = { "ca", "catalan" },
    [GEMA_LANG_RU] = { "ru", "russian" },
    [GEMA_LANG_EL] = { "el", "greek" },
    [GEMA_LANG_AR] = { "ar", "arabic" },
    [GEMA_LANG_HI] = { "hi", "hindi" },
    [GEMA_LANG_NE] = { "ne", "nepali" },
    [GEMA_LANG_HY] = { "hy", "armenian" },
    [GEMA_LANG_TA] = { "ta", "tamil" },
    [GEMA_LANG_HE] = { "he", NULL },
    [GEMA_LANG_ZH] = { "zh", NULL },
    [GEMA_LANG_JA] = { "ja", NULL },
    [GEMA_LANG_KO] = { "ko", NULL },
    [GEMA_LANG_TH] = { "th", NULL },
};

const char *gema_lang_code(gema_lang lang)
{
    if (lang < 0 || lang >= GEMA_LANG_COUNT) return "und";
    return langs[lang].code;
}

gema_lang gema_lang_from_code(const char *code)
{
    if (!code) return GEMA_LANG_UND;
    for (int i = 1; i < GEMA_LANG_COUNT; i++)
        if (strcmp(code, langs[i].code) == 0) return (gema_lang)i;
    return GEMA_LANG_UND;
}

const char *gema_lang_stemmer(gema_lang lang)
{
    if (lang < 0 || lang >= GEMA_LANG_COUNT) return NULL;
    return langs[lang].stemmer;
}

enum {
    SC_NONE, SC_LATIN, SC_GREEK, SC_CYRILLIC, SC_ARMENIAN, SC_HEBREW, SC_ARABIC,
    SC_DEVANAGARI, SC_TAMIL, SC_THAI, SC_HANGUL, SC_KANA, SC_HAN, SC_COUNT
};

static int script_of(int32_t c)
{
    if (c < 0x80) return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? SC_LATIN : SC_NONE;
    if (c <= 0x24F || (c >= 0x1E00 && c <= 0x1EFF)) return SC_LATIN;
    if ((c >= 0x370 && c <= 0x3FF) || (c >= 0x1F00 && c <= 0x1FFF)) return SC_GREEK;
    if (c >= 0x400 && c <= 0x52F) return SC_CYRILLIC;
    if (c >= 0x530 && c <= 0x58F) return SC_ARMENIAN;
    if (c >= 0x590 && c <= 0x5FF) return SC_HEBREW;
    if ((c >= 0x600 && c <= 0x6FF) || (c >= 0x750 && c <= 0x77F) ||
        (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF))
        return SC_ARABIC;
    if (c >= 0x900 && c <= 0x97F) return SC_DEVANAGARI;
    if (c >= 0xB80 && c <= 0xBFF) return SC_TAMIL;
    if (c >= 0xE00 && c <= 0xE7F) return SC_THAI;
    if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) ||
        (c >= 0x3130 && c <= 0x318F))
        return SC_HANGUL;
    if (c >= 0x3040 && c <= 0x30FF) return SC_KANA;
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) return SC_HAN;
    return SC_NONE;
}

#define BIT(l) (1u << (l))
#define LANGID_TOKENS 400

/* Languages that write a letter, for the letters that narrow the choice. */
static uint32_t letter_langs(int32_t c)
{
    switch (c) {
    case 0xDF: return BIT(GEMA_LANG_DE);                                   /* ß */
    case 0xF1: return BIT(GEMA_LANG_ES);                                   /* ñ */
    case 0xE3: case 0xF5: return BIT(GEMA_LANG_PT);                        /* ã õ */
    case 0xE7: return BIT(GEMA_LANG_FR) | BIT(GEMA_LANG_PT) | BIT(GEMA_LANG_TR) | BIT(GEMA_LANG_CA);
    case 0x11F: case 0x131: return BIT(GEMA_LANG_TR);                      /* ğ ı */
    case 0x15F: return BIT(GEMA_LANG_TR) | BIT(GEMA_LANG_RO);              /* ş */
    case 0x151: case 0x171: return BIT(GEMA_LANG_HU);                      /* ő ű */
    case 0x103: case 0x219: case 0x21B: case 0x163: return BIT(GEMA_LANG_RO); /* ă ș ț ţ */
    case 0xF8: case 0xE6: return BIT(GEMA_LANG_DA) | BIT(GEMA_LANG_NO);    /* ø æ */
    case 0xE5: return BIT(GEMA_LANG_SV) | BIT(GEMA_LANG_DA) | BIT(GEMA_LANG_NO); /* å */
    case 0xE4: return BIT(GEMA_LANG_DE) | BIT(GEMA_LANG_SV) | BIT(GEMA_LANG_FI); /* ä */
    case 0xF6: return BIT(GEMA_LANG_DE) | BIT(GEMA_LANG_SV) | BIT(GEMA_LANG_FI) |
                      BIT(GEMA_LANG_TR) | BIT(GEMA_LANG_HU);                /* ö */
    case 0xFC: return BIT(GEMA_LANG_DE) | BIT(GEMA_LANG_TR) | BIT(GEMA_LANG_HU); /* ü */
    case 0xE8: return BIT(GEMA_LANG_FR) | BIT(GEMA_LANG_IT) | BIT(GEMA_LANG_CA); /* è */
    case 0xF2: return BIT(GEMA_LANG_IT) | BIT(GEMA_LANG_CA);               /* ò */
    case 0xEA: return BIT(GEMA_LANG_FR) | BIT(GEMA_LANG_PT);               /* ê */
    case 0xE2: return BIT(GEMA_LANG_FR) | BIT(GEMA_LANG_PT) | BIT(GEMA_LANG_RO) | BIT(GEMA_LANG_TR);
    case 0xEB: return BIT(GEMA_LANG_FR) | BIT(GEMA_LANG_NL);               /* ë */
    case 0xE0: return BIT(GEMA_LANG_FR) | BIT(GEMA_LANG_IT) | BIT(GEMA_LANG_PT) | BIT(GEMA_LANG_CA);
    case 0x140: return BIT(GEMA_LANG_CA);                                  /* ŀ */
    default: return 0;
    }
}

gema_lang gema_langid_tokens(const gema_tokenizer *t, const char *text, size_t len)
{
    return gema_langid_tokens_info(t, text, len, NULL);
}

/* Does s[from..to) hold a byte >= 0x80?  Eight bytes at a time where the
 * text goes on far enough (a word-sized load may read past the token, never
 * past the text). */
static int has_high_byte(const unsigned char *s, size_t from, size_t to, size_t len)
{
    size_t p = from;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (p + 8 <= len && p < to) {
        uint64_t w;
        memcpy(&w, s + p, 8);
        size_t left = to - p;
        if (left < 8) w &= (1ULL << (8 * left)) - 1; /* the token's bytes are the low ones */
        if (w & 0x8080808080808080ULL) return 1;
        p += 8;
    }
#else
    (void)len;
#endif
    unsigned char any = 0;
    for (; p < to; p++) any |= s[p];
    return any >= 0x80;
}

/* Four 16-bit counters in a word, one per bit of a nibble: adding
 * spread[m] counts the languages of the nibble m in one addition. */
static const uint64_t spread[16] = {
#define S4(m) (((m) & 1 ? 1ULL : 0) | ((m) & 2 ? 1ULL << 16 : 0) | ((m) & 4 ? 1ULL << 32 : 0) | \
               ((m) & 8 ? 1ULL << 48 : 0))
    S4(0), S4(1), S4(2), S4(3), S4(4), S4(5), S4(6), S4(7),
    S4(8), S4(9), S4(10), S4(11), S4(12), S4(13), S4(14), S4(15)
#undef S4
};

/* Languages with function words all have bits below this (stopwords.c
 * checks it when it builds the table). */
#define COUNTED_LANGS GEMA_SWINFO_STOP_LANGS
_Static_assert(COUNTED_LANGS % 4 == 0, "counters go four to a word");
_Static_assert(LANGID_TOKENS < 65536, "the packed counters are 16 bits");

/* Scores count quarter points (a function word 4, a distinctive letter 1):
 * integers, exact, and the same comparisons as the points themselves.
 * Function words are counted without a branch per language: a token's
 * languages go into packed counters, nibble by nibble (at most
 * LANGID_TOKENS tokens, so 16 bits do not overflow). */
gema_lang gema_langid_tokens_info(const gema_tokenizer *t, const char *text, size_t len,
                                  const uint64_t *info)
{
    if (gema_stopwords_init() != GEMA_OK || !t->tok) return GEMA_LANG_UND;
    size_t script[SC_COUNT] = { 0 };
    uint32_t score[GEMA_LANG_COUNT] = { 0 };
    uint64_t count[COUNTED_LANGS / 4] = { 0 };
    const unsigned char *s = (const unsigned char *)text;
    /* The first LANGID_TOKENS tokens decide: a news article names its
     * language long before that, and the guess stays a bounded cost. */
    size_t ntok = t->count < LANGID_TOKENS ? t->count : LANGID_TOKENS;
    for (size_t i = 0; i < ntok; i++) {
        const gema_token *k = &t->tok[i];
        if (k->start >= len) break;
        int32_t c = s[k->start];
        int sc;
        if (c < 0x80) {
            sc = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? SC_LATIN : SC_NONE;
        } else {
            gema_utf8_decode(s + k->start, len - k->start, &c);
            sc = script_of(c);
        }
        script[sc]++;
        uint32_t in = gema_swinfo_function_langs(info ? info[i] : gema_stopword_info(t->hash[i]));
        in &= (sc == SC_LATIN || sc == SC_DEVANAGARI) ? ~0u : 0u;
        for (unsigned q = 0; q < COUNTED_LANGS / 4; q++) count[q] += spread[(in >> (4 * q)) & 15];
        /* Distinctive letters anywhere in a Latin token; most tokens are
         * plain ASCII. */
        if (sc != SC_LATIN || !has_high_byte(s, k->start, k->end, len)) continue;
        for (uint32_t p = k->start; p < k->end;) {
            if (s[p] < 0x80) {
                p++;
                continue;
            }
            int32_t d;
            size_t n = gema_utf8_decode(s + p, len - p, &d);
            p += (uint32_t)(n ? n : 1);
            /* Upper-case Latin-1 letters fold onto their lower case. */
            if ((d >= 0xC0 && d <= 0xDE && d != 0xD7)) d += 0x20;
            uint32_t lm = letter_langs(d);
            for (int l = 1; lm && l <= GEMA_LANG_LATIN_LAST; l++)
                if (lm & BIT(l)) score[l] += 1;
        }
    }
    for (unsigned l = 0; l < COUNTED_LANGS; l++)
        score[l] += 4 * (uint32_t)((count[l / 4] >> (16 * (l % 4))) & 0xFFFF);
    int best = SC_NONE;
    for (int sc = SC_LATIN; sc < SC_COUNT; sc++)
        if (script[sc] > script[best]) best = sc;
    switch (best) {
    case SC_NONE: return GEMA_LANG_UND;
    case SC_GREEK: return GEMA_LANG_EL;
    case SC_CYRILLIC: return GEMA_LANG_RU;
    case SC_ARMENIAN: return GEMA_LANG_HY;
    case SC_HEBREW: return GEMA_LANG_HE;
    case SC_ARABIC: return GEMA_LANG_AR;
    case SC_DEVANAGARI: return score[GEMA_LANG_NE] > score[GEMA_LANG_HI] ? GEMA_LANG_NE : GEMA_LANG_HI;
    case SC_TAMIL: return GEMA_LANG_TA;
    case SC_THAI: return GEMA_LANG_TH;
    case SC_HANGUL: return GEMA_LANG_KO;
    case SC_KANA:
    case SC_HAN:
        /* Japanese mixes kana into kanji; Chinese has none. */
        return script[SC_KANA] * 10 >= script[SC_KANA] + script[SC_HAN] ? GEMA_LANG_JA : GEMA_LANG_ZH;
    default: break;
    }
    int lang = GEMA_LANG_UND;
    uint32_t top = 0;
    for (int l = 1; l <= GEMA_LANG_LATIN_LAST; l++)
        if (score[l] > top) {
            top = score[l];
            lang = l;
        }
    /* A single short word or a few accents are not a language. */
    return top >= 4 ? (gema_lang)lang : GEMA_LANG_UND;
}
