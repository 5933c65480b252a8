/*
 * status.c - version, status codes and reject reasons as text.
 *
 * The numbers behind these strings are pinned in gema.h; the strings may be
 * reworded but a code never changes meaning.
 */
#include "common.h"

const char *gema_version(void)
{
    return GEMA_VERSION_STRING;
}

const char *gema_strerror(int status)
{
    switch (status) {
    case GEMA_OK: return "success";
    case GEMA_ERR_NOMEM: return "out of memory";
    case GEMA_ERR_ARG: return "invalid argument";
    case GEMA_ERR_IO: return "input/output error";
    case GEMA_ERR_FORMAT: return "malformed input";
    case GEMA_ERR_DECOMPRESS: return "corrupt or truncated compressed input";
    case GEMA_ERR_TOO_BIG: return "input too large";
    case GEMA_ERR_THREAD: return "could not start a thread";
    case GEMA_ERR_STATE: return "call out of order";
    case GEMA_ERR_RANGE: return "index out of range";
    case GEMA_ERR_ENCODING: return "character set conversion unavailable";
    default: return "unknown error";
    }
}

const char *gema_reject_name(gema_reject reason)
{
    switch (reason) {
    case GEMA_REJECT_NONE: return "none";
    case GEMA_REJECT_MALFORMED_JSON: return "malformed-json";
    case GEMA_REJECT_NOT_OBJECT: return "not-an-object";
    case GEMA_REJECT_MISSING_TEXT: return "missing-text";
    case GEMA_REJECT_TEXT_NOT_STRING: return "text-not-string";
    case GEMA_REJECT_TOO_BIG: return "too-big";
    case GEMA_REJECT_BINARY: return "binary";
    }
    return "unknown";
}

const char *gema_reject_message(gema_reject reason)
{
    switch (reason) {
    case GEMA_REJECT_NONE: return "no problem";
    case GEMA_REJECT_MALFORMED_JSON: return "line is not valid JSON";
    case GEMA_REJECT_NOT_OBJECT: return "line is JSON but not an object";
    case GEMA_REJECT_MISSING_TEXT: return "text field is missing";
    case GEMA_REJECT_TEXT_NOT_STRING: return "text field is not a string";
    case GEMA_REJECT_TOO_BIG: return "record is longer than --max-doc-bytes";
    case GEMA_REJECT_BINARY: return "file is binary, not text (NUL bytes or mostly invalid UTF-8)";
    }
    return "unknown reason";
}

void gema_free(void *p)
{
    free(p);
}
