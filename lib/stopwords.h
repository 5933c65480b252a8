/*
 * stopwords.h - per-language function words, quote verbs and month names,
 * looked up by the tokeniser's hash of a normalised token.
 *
 * Nothing here removes words from a text: a stage asks whether a token is a
 * stop word for the language it works in and decides for itself.  Quote
 * verbs ("said", "kata", "ujarnya") are flagged apart from function words:
 * topic features drop both, while quote attribution needs exactly the verbs.
 */
#ifndef GEMA_STOPWORDS_H
#define GEMA_STOPWORDS_H

#include "common.h"
#include "langid.h"

enum {
    GEMA_STOP_FUNCTION = 1, /* function word: article, pronoun, preposition, auxiliary */
    GEMA_STOP_QUOTE = 2     /* verb or phrase word introducing a quote or source */
};

/* Build the lookup table (once per process; later calls return the first
 * result).  Thread-safe.  GEMA_OK or GEMA_ERR_NOMEM. */
GEMA_INTERNAL int gema_stopwords_init(void);

/* What the table knows of one word, for callers that ask several questions
 * of each token: one probe instead of one per question. */
typedef struct gema_stopword {
    uint64_t hash;
    uint32_t function_langs; /* bit per gema_lang */
    uint32_t quote_langs;
    uint8_t month;           /* 1..12, 0 if not a month */
    uint8_t weekday;
    uint8_t used;
} gema_stopword;

/* The entry of a token hash, or NULL when the word is in no list. */
GEMA_INTERNAL const gema_stopword *gema_stopword_find(uint64_t token_hash);

/* gema_stopword_flags() of an entry found by gema_stopword_find(). */
static inline unsigned gema_stopword_entry_flags(const gema_stopword *e, gema_lang lang)
{
    if (!e || lang <= GEMA_LANG_UND || lang >= GEMA_LANG_COUNT) return 0;
    uint32_t bit = 1u << lang;
    return ((e->function_langs & bit) ? GEMA_STOP_FUNCTION : 0u) |
           ((e->quote_langs & bit) ? GEMA_STOP_QUOTE : 0u);
}

/* GEMA_STOP_* flags of a token (by its tokeniser hash) in a language; 0 when
 * the token is a content word there or the table is not built. */
GEMA_INTERNAL unsigned gema_stopword_flags(gema_lang lang, uint64_t token_hash);

/* Bit (1u << lang) set for every language whose function words include the
 * token.  Used by the language guess. */
GEMA_INTERNAL uint32_t gema_stopword_langs(uint64_t token_hash);

/* Month 1..12 if the token names a month in one of the languages with lists
 * ("december", "desember", "dezember", "dec", ...), else 0. */
GEMA_INTERNAL unsigned gema_month_of(uint64_t token_hash);

/* 1 if the token names a day of the week in one of those languages. */
GEMA_INTERNAL int gema_is_weekday(uint64_t token_hash);

/* The word list of a language for tests and tools: space-separated words,
 * function words first then quote verbs in *quotes.  Static storage. */
GEMA_INTERNAL const char *gema_stopword_list(gema_lang lang, const char **quotes);

#endif
