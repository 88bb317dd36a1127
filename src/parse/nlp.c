/*
 * nlp.c - public API of the NLP stage (dyad.h): model loading, tag+parse of a
 * document, token accessors.
 *
 * A dyad_model is the tagger, the parser (parser.bin, greedy; or with
 * DYAD_MODEL_ACCURATE parser-beam.bin, beam search) and (when the directory
 * has splitter.bin) the learned sentence splitter side by side; all are
 * immutable after loading, so one model serves any number of threads.
 * Without splitter.bin the rule-based text_split is used, so older model
 * directories keep working.
 */
#include "dyad.h"

#include "core/doc.h"
#include "parse/parser.h"
#include "tag/tagger.h"
#include "tag/tagset.h"
#include "text/sbd.h"
#include "text/text.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct dyad_model {
    tagger *tagger;
    parser *parser;
    sbd *splitter; /* NULL: rule-based splitting */
};

dyad_model *dyad_model_load(const char *dir, char *err, size_t errlen)
{
    return dyad_model_open(dir, 0, err, errlen);
}

dyad_model *dyad_model_open(const char *dir, unsigned flags, char *err, size_t errlen)
{
    char path[PATH_MAX];
    dyad_model *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if ((size_t)snprintf(path, sizeof path, "%s/tagger.bin", dir) >= sizeof path) {
        snprintf(err, errlen, "%s: model directory path too long", dir);
        free(m);
        return NULL;
    }
    m->tagger = tagger_load(path, err, errlen);
    if (m->tagger) {
        snprintf(path, sizeof path, "%s/%s", dir,
                 flags & DYAD_MODEL_ACCURATE ? PARSER_BEAM_FILE : PARSER_FILE);
        m->parser = parser_load(path, err, errlen);
    }
    if (m->parser) {
        snprintf(path, sizeof path, "%s/splitter.bin", dir);
        if (access(path, F_OK) == 0 && !(m->splitter = sbd_load(path, err, errlen))) {
            dyad_model_free(m);
            return NULL;
        }
    }
    if (!m->tagger || !m->parser) {
        dyad_model_free(m);
        return NULL;
    }
    return m;
}

void dyad_model_free(dyad_model *m)
{
    if (!m)
        return;
    tagger_free(m->tagger);
    parser_free(m->parser);
    sbd_free(m->splitter);
    free(m);
}

int dyad_tag_parse(const dyad_model *m, dyad_doc *doc, char *err, size_t errlen)
{
    if (doc->ntoks == 0 && doc->len > 0 &&
        (text_tokenize(doc) || (m->splitter ? sbd_split(m->splitter, doc) : text_split(doc)))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < doc->nsents; i++)
        if (tagger_tag(m->tagger, doc, &doc->sents[i]) ||
            parser_parse(m->parser, doc, &doc->sents[i])) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    return 0;
}

size_t dyad_doc_ntokens(const dyad_doc *doc) { return doc->ntoks; }

int dyad_doc_token(const dyad_doc *doc, size_t i, dyad_token *t)
{
    if (i >= doc->ntoks)
        return -1;
    const token *k = &doc->toks[i];
    t->span.start = k->start;
    t->span.end = k->end;
    t->form = k->form;
    t->lemma = k->lemma ? k->lemma : "_";
    t->upos = upos_name(k->upos);
    t->xpos = xpos_name(k->xpos);
    t->deprel = k->head == -1 ? "root" : deprel_name(k->deprel);
    t->head = -2;
    t->sent = 0;
    /* sentences are sorted token ranges: binary search for i */
    size_t lo = 0, hi = doc->nsents;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->sents[mid].tok + doc->sents[mid].ntok <= i)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < doc->nsents && doc->sents[lo].tok <= i) {
        t->sent = lo;
        if (k->head >= 0 && (uint32_t)k->head < doc->sents[lo].ntok)
            t->head = (long)doc->sents[lo].tok + k->head;
        else if (k->head == -1)
            t->head = -1;
    }
    return 0;
}
