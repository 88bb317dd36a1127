/*
 * tagger.h - part-of-speech tagger and lemmatizer.
 *
 * A greedy left-to-right averaged perceptron (Collins 2002) over one joint
 * class per (UPOS, XPOS) pair seen in training (~100 classes for EWT), so a
 * single decision yields both tags and they never contradict each other.
 * Features (tagger.c) are the word, its prefixes/suffixes/shape, the two
 * previous predicted tags, two words of context either side and, for the
 * right context that has no predicted tag yet, the most frequent tag of each
 * word from a tag dictionary built from the training data.
 *
 * The lemmatizer is a rule set keyed on XPOS (lemma.c) plus an exception
 * list learned from the training data: every (form, XPOS) whose majority
 * lemma the rules get wrong.  Both live in the same model file.
 */
#ifndef DYAD_TAGGER_H
#define DYAD_TAGGER_H

#include "core/doc.h"

#include <stdio.h>

#define TAGGER_VERSION 2

typedef struct tagger tagger;

typedef struct tagger_opts {
    int epochs;          /* training passes over the data (default 10) */
    unsigned min_count;  /* features seen fewer times are dropped (default 2) */
    FILE *log;           /* progress lines, or NULL */
} tagger_opts;

/* Trains on the sentences of train (gold upos/xpos/lemma); dev may be NULL. */
tagger *tagger_train(const dyad_doc *train, const dyad_doc *dev, const tagger_opts *o, char *err,
                     size_t errlen);
int tagger_save(const tagger *t, const char *path, char *err, size_t errlen);
tagger *tagger_load(const char *path, char *err, size_t errlen);
void tagger_free(tagger *t);

/* Fills upos, xpos and lemma of the tokens of s (lemmas in doc's arena).
 * Returns 0, or -1 when out of memory. */
int tagger_tag(const tagger *t, dyad_doc *doc, const sentence *s);

/* Lemma of a token given its tags (exceptions first, then rules). */
const char *tagger_lemma(const tagger *t, arena *a, const token *tok);

/* Accuracy counts of doc's current tags against gold (same tokens). */
typedef struct tag_score {
    size_t n, upos, xpos, lemma;
} tag_score;
void tag_score_add(tag_score *s, const dyad_doc *gold, const dyad_doc *pred);

/* Rule-only lemma of a lower-cased word w with tags (exposed for tests).
 * Writes into buf (bufsize >= strlen(w) + 4) and returns buf, or returns
 * NULL when the lemma is the lower-cased word itself. */
const char *lemma_rule(const char *w, unsigned upos, unsigned xpos, char *buf, size_t bufsize);

#endif
