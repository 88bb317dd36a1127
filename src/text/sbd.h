/*
 * sbd.h - learned sentence boundary detection (issue 3).
 *
 * The rule-based splitter (split.c) ends sentences at . ! ? and blank lines;
 * edited text (news) is well served by it, web text is not: e-mail
 * signatures ("Best, || Jeff"), headers and run-on posts end sentences with
 * no punctuation at all, and on UD English-EWT the rules reach only ~85%
 * sentence F1.  This module decides, at every token boundary inside a
 * paragraph, whether a sentence ends there, with a binary averaged
 * perceptron (the linear model of tag/linear.h) over features of the tokens
 * around the boundary: the words and shapes of two tokens either side, the
 * gap between them (glued, space, newline), the length of the sentence so
 * far, the distance to the paragraph's end - and the rule-based splitter's
 * own decision, so that the model learns corrections to the rules rather
 * than the rules themselves, and keeps their news conventions (U.S., Dr.,
 * quotes) where the training data has nothing to say.
 *
 * Trade-offs: only positions where a sentence could plausibly end are scored
 * (a rule boundary, or a next token that is not a lower-case word after a
 * word), which keeps the cost to a few lookups per token in a table that
 * fits the cache, at the price of never splitting "... word word" run-ons
 * whose second sentence starts in lower case.  Blank lines still always end
 * a sentence; sentences are still cut at TEXT_MAX_SENT_TOKENS.
 *
 * Trained on the raw text of a CoNLL-U treebank (rebuilt by conllu_read)
 * tokenized by dyad's own tokenizer, against the treebank's gold sentence
 * ends; the model file is `DYAD` `SBDM` (data/models/splitter.bin).
 */
#ifndef DYAD_SBD_H
#define DYAD_SBD_H

#include "core/doc.h"

#include <stdio.h>

#define SBD_VERSION 2

typedef struct sbd sbd;

typedef struct sbd_opts {
    int epochs;   /* training passes (default 10) */
    FILE *log;    /* progress lines, or NULL */
} sbd_opts;

/* Trains on the raw text and gold sentences of train (as read by
 * conllu_read); dev (may be NULL) selects the best epoch by sentence F1. */
sbd *sbd_train(const dyad_doc *train, const dyad_doc *dev, const sbd_opts *o, char *err,
               size_t errlen);
int sbd_save(const sbd *m, const char *path, char *err, size_t errlen);
sbd *sbd_load(const char *path, char *err, size_t errlen);
void sbd_free(sbd *m);

/* Fills doc->sents from doc->toks (replacing any sentences there), like
 * text_split.  Returns 0, or -1 when out of memory. */
int sbd_split(const sbd *m, dyad_doc *doc);

/* Sentences of pred matching gold exactly (byte spans): counts for P/R/F1. */
typedef struct sbd_score {
    size_t gold, pred, match;
} sbd_score;
void sbd_score_add(sbd_score *s, const dyad_doc *gold, const dyad_doc *pred);

#endif
