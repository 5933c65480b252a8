/*
 * langid.h - a per-document language guess, good enough to pick a stemmer
 * and a stop-word list.
 *
 * Scripts other than Latin mostly name their language outright (Cyrillic,
 * Greek, Arabic, Devanagari, Han, Hangul, Thai, ...).  Latin-script text is
 * told apart by its function words (the stop-word lists of stopwords.c,
 * looked up by token hash) with letters that only some languages use
 * (ß, ñ, ã, ğ, ø, ...) as a tie-breaker for short texts.  Indonesian and
 * Malay share most function words; each list carries the words where the
 * two differ (bahwa/bahawa, karena/kerana, yaitu/iaitu, saja/sahaja), so
 * the count of those decides.
 */
#ifndef GEMA_LANGID_H
#define GEMA_LANGID_H

#include "common.h"
#include "tokenize.h"

/* Languages gema knows something about.  Values are internal (not stored
 * anywhere) and may change; codes (ISO 639-1) are what leaves the library. */
typedef enum {
    GEMA_LANG_UND = 0, /* undetermined */
    /* Latin script, told apart by function words */
    GEMA_LANG_EN, GEMA_LANG_ID, GEMA_LANG_MS, GEMA_LANG_FR, GEMA_LANG_DE,
    GEMA_LANG_ES, GEMA_LANG_PT, GEMA_LANG_IT, GEMA_LANG_NL, GEMA_LANG_SV,
    GEMA_LANG_DA, GEMA_LANG_NO, GEMA_LANG_FI, GEMA_LANG_TR, GEMA_LANG_RO,
    GEMA_LANG_HU, GEMA_LANG_CA,
    /* other scripts */
    GEMA_LANG_RU, GEMA_LANG_EL, GEMA_LANG_AR, GEMA_LANG_HI, GEMA_LANG_NE,
    GEMA_LANG_HY, GEMA_LANG_TA, GEMA_LANG_HE, GEMA_LANG_ZH, GEMA_LANG_JA,
    GEMA_LANG_KO, GEMA_LANG_TH,
    GEMA_LANG_COUNT
} gema_lang;

/* Last Latin-script language (told apart by function words). */
#define GEMA_LANG_LATIN_LAST GEMA_LANG_CA

/* ISO 639-1 code ("en", "id", ...; "und" for GEMA_LANG_UND).  Static. */
GEMA_INTERNAL const char *gema_lang_code(gema_lang lang);
/* Language for a code, or GEMA_LANG_UND if unknown. */
GEMA_INTERNAL gema_lang gema_lang_from_code(const char *code);
/* Snowball algorithm name for the language ("english", "indonesian"; Malay
 * uses the Indonesian stemmer), or NULL when there is none. */
GEMA_INTERNAL const char *gema_lang_stemmer(gema_lang lang);

/* Guess the language of text[0..len) already tokenised by t with
 * GEMA_TOKENIZE_SPANS.  Pure function of the tokens; thread-safe once
 * gema_stopwords_init() has succeeded (it is called here if needed and a
 * failure there gives GEMA_LANG_UND). */
GEMA_INTERNAL gema_lang gema_langid_tokens(const gema_tokenizer *t, const char *text, size_t len);

/* The same, with the stop-word facts of every token already looked up
 * (info[i] = gema_stopword_info(t->hash[i]), a gema_swinfo), as the
 * featurizer has them. */
GEMA_INTERNAL gema_lang gema_langid_tokens_info(const gema_tokenizer *t, const char *text,
                                               size_t len, const uint64_t *info);

#endif
