/*
 * doc.c - document life cycle and the growable arrays every stage appends to.
 */
#include "core/doc.h"
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds that keep hostile input from exhausting memory: a document is at most
 * DOC_MAX_TEXT (doc.h) of text and its arena at most 4 GiB. */
#define DOC_ARENA_LIMIT ((size_t)4 << 30)

dyad_doc *dyad_doc_new(void)
{
    dyad_doc *doc = calloc(1, sizeof *doc);
    if (doc)
        arena_init(&doc->mem, DOC_ARENA_LIMIT);
    return doc;
}

void dyad_doc_free(dyad_doc *doc)
{
    if (!doc)
        return;
    arena_free(&doc->mem);
    free(doc);
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_parse(const char *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    int v[3] = {0, 0, 0};
    const int pos[3] = {0, 5, 8}, len[3] = {4, 2, 2};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < len[k]; i++) {
            char c = s[pos[k] + i];
            if (c < '0' || c > '9')
                return 0;
            v[k] = v[k] * 10 + (c - '0');
        }
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1)
        return 0;
    int md = mdays[v[1] - 1] + (v[1] == 2 && is_leap(v[0]));
    if (v[2] > md)
        return 0;
    return v[0] * 10000 + v[1] * 100 + v[2];
}

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

int doc_set_text(dyad_doc *doc, const char *text, size_t len)
{
    arena_reset(&doc->mem);
    doc->toks = NULL;
    doc->sents = NULL;
    doc->events = NULL;
    doc->quotes = NULL;
    doc->ntoks = doc->captoks = doc->nsents = doc->capsents = doc->nevents = doc->capevents = 0;
    doc->nquotes = doc->capquotes = 0;
    doc->id = doc->date = doc->source = doc->title = "";
    doc->ymd = 0;
    char *t = arena_strndup(&doc->mem, text, len);
    doc->text = t ? t : "";
    doc->len = t ? len : 0;
    return t ? 0 : -1;
}

int dyad_doc_set(dyad_doc *doc, const char *id, const char *date, const char *source,
                 const char *title, const char *text, size_t len, char *err, size_t errlen)
{
    doc_set_text(doc, "", 0);
    if (len > DOC_MAX_TEXT) {
        if (err && errlen)
            snprintf(err, errlen, "document of %zu bytes exceeds the limit of %zu bytes", len,
                     DOC_MAX_TEXT);
        return -1;
    }
    if (memchr(text, '\0', len)) {
        set_err(err, errlen, "text contains a NUL byte");
        return -1;
    }
    size_t bad = utf8_invalid_at(text, len);
    if (bad != len) {
        if (err && errlen)
            snprintf(err, errlen, "invalid UTF-8 at byte %zu of the text", bad);
        return -1;
    }
    doc->ymd = date ? date_parse(date, strlen(date)) : 0;
    if (!doc->ymd) {
        set_err(err, errlen, "date must be a valid YYYY-MM-DD date");
        return -1;
    }
    doc->id = arena_strdup(&doc->mem, id ? id : "");
    doc->date = arena_strdup(&doc->mem, date);
    doc->source = arena_strdup(&doc->mem, source ? source : "");
    doc->title = arena_strdup(&doc->mem, title ? title : "");
    char *t = arena_strndup(&doc->mem, text, len);
    if (!doc->id || !doc->date || !doc->source || !doc->title || !t) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    doc->text = t;
    doc->len = len;
    return 0;
}

#define DEFINE_ADD(fn, type, arr, n, cap)                                                    \
    type *fn(dyad_doc *doc)                                                                  \
    {                                                                                        \
        if (doc->n == doc->cap) {                                                            \
            size_t ncap = doc->cap ? doc->cap * 2 : 64;                                      \
            type *p = arena_grow(&doc->mem, doc->arr, doc->cap * sizeof(type),               \
                                 ncap * sizeof(type));                                       \
            if (!p)                                                                          \
                return NULL;                                                                 \
            doc->arr = p;                                                                    \
            doc->cap = ncap;                                                                 \
        }                                                                                    \
        type *e = &doc->arr[doc->n++];                                                       \
        memset(e, 0, sizeof *e);                                                             \
        return e;                                                                            \
    }

DEFINE_ADD(doc_add_token, token, toks, ntoks, captoks)
DEFINE_ADD(doc_add_sentence, sentence, sents, nsents, capsents)
DEFINE_ADD(doc_add_event, dyad_event, events, nevents, capevents)
DEFINE_ADD(doc_add_quote, dyad_quote, quotes, nquotes, capquotes)

const char *dyad_doc_id(const dyad_doc *doc) { return doc->id ? doc->id : ""; }
const char *dyad_doc_date(const dyad_doc *doc) { return doc->date ? doc->date : ""; }

const char *dyad_doc_text(const dyad_doc *doc, size_t *len)
{
    if (len)
        *len = doc->len;
    return doc->text ? doc->text : "";
}

size_t dyad_doc_nsentences(const dyad_doc *doc) { return doc->nsents; }

dyad_span dyad_doc_sentence(const dyad_doc *doc, size_t i)
{
    dyad_span s = {0, 0};
    if (i < doc->nsents) {
        s.start = doc->sents[i].start;
        s.end = doc->sents[i].end;
    }
    return s;
}

size_t dyad_doc_nevents(const dyad_doc *doc) { return doc->nevents; }

const dyad_event *dyad_doc_event(const dyad_doc *doc, size_t i)
{
    return i < doc->nevents ? &doc->events[i] : NULL;
}

size_t dyad_doc_nquotes(const dyad_doc *doc) { return doc->nquotes; }

const dyad_quote *dyad_doc_quote(const dyad_doc *doc, size_t i)
{
    return i < doc->nquotes ? &doc->quotes[i] : NULL;
}

const char *dyad_modality_name(dyad_modality m)
{
    static const char *const names[] = {"asserted", "reported", "intended", "hypothetical",
                                        "negated"};
    return (unsigned)m < sizeof names / sizeof names[0] ? names[m] : "asserted";
}
