/*
 * testutil.h - shared helpers for dyad's cmocka unit tests.
 */
#ifndef DYAD_TESTUTIL_H
#define DYAD_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "dict/dict.h"
#include "dyad.h"
#include "text/text.h"

/* A dictionary set read from text (named name in messages), or NULL after
 * printing why: for a suite's setup, which then returns -1. */
static inline dyad_dict *tu_dict_string(const char *name, const char *text)
{
    char err[512];
    dyad_dict *d = dict_new();
    if (!d || dict_load_string(d, name, text, strlen(text), err, sizeof err) ||
        dict_finish(d, err, sizeof err)) {
        fprintf(stderr, "%s\n", d ? err : "out of memory");
        dyad_dict_free(d);
        return NULL;
    }
    return d;
}

/* A document holding text (story date 2025-08-09), not yet tokenized. */
static inline dyad_doc *tu_doc_text(const char *text)
{
    dyad_doc *doc = dyad_doc_new();
    char err[256];
    assert_non_null(doc);
    assert_int_equal(dyad_doc_set(doc, "t", "2025-08-09", "", "", text, strlen(text), err,
                                  sizeof err),
                     0);
    return doc;
}

/* A document holding text, tokenized and split. */
static inline dyad_doc *tu_doc(const char *text)
{
    dyad_doc *doc = tu_doc_text(text);
    assert_int_equal(text_tokenize(doc), 0);
    assert_int_equal(text_split(doc), 0);
    return doc;
}

/* The token forms of doc joined by '|'. */
static inline const char *tu_forms(const dyad_doc *doc, char *buf, size_t cap)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < doc->ntoks && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%s", i ? "|" : "", doc->toks[i].form);
    return buf;
}

/* Codes text (story date 2025-08-09, every modality) with d and returns its
 * events as "SRC>TGT CODE|" (with_rules: "SRC>TGT CODE VERBRULE SRCRULE|")
 * in a malloc'd string, for comparing two dictionaries' results. */
static inline char *tu_events(const dyad_dict *d, const char *text, int with_rules)
{
    dyad_doc *doc = tu_doc_text(text);
    char err[256];
    assert_int_equal(dyad_code(d, doc, DYAD_ALL_MODALITIES, err, sizeof err), 0);
    size_t cap = 1 << 16, k = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    for (size_t i = 0; i < dyad_doc_nevents(doc); i++) {
        const dyad_event *e = dyad_doc_event(doc, i);
        if (with_rules)
            k += (size_t)snprintf(out + k, cap - k, "%s>%s %s %s %s|", e->source, e->target,
                                  e->code, e->verb_rule, e->source_rule);
        else
            k += (size_t)snprintf(out + k, cap - k, "%s>%s %s|", e->source, e->target, e->code);
        assert_true(k < cap);
    }
    dyad_doc_free(doc);
    return out;
}

/* Path of the shared data folder (../shared next to the repository), or NULL. */
static inline const char *tu_shared(void)
{
    static const char *const candidates[] = {"../shared", "../../shared", NULL};
    const char *env = getenv("DYAD_SHARED");
    if (env && *env)
        return env;
    for (const char *const *c = candidates; *c; c++) {
        char probe[256];
        snprintf(probe, sizeof probe, "%s/reference/cameo-event-codes.tsv", *c);
        FILE *f = fopen(probe, "r");
        if (f) {
            fclose(f);
            return *c;
        }
    }
    return NULL;
}

#endif
