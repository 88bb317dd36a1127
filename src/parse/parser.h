/*
 * parser.h - labeled dependency parser (greedy arc-eager, averaged perceptron).
 *
 * Method: the arc-eager transition system (Nivre 2003) with a root token at
 * the bottom of the stack, one joint class per transition and label (SHIFT,
 * REDUCE, LEFT-l, RIGHT-l: ~100 classes for UD English), scored by the
 * linear model of tag/linear.h over the rich non-local feature set of Zhang
 * & Nivre (2011): words, tags, heads, leftmost/rightmost children, their
 * labels, distance, valency and label sets of the top of the stack and the
 * front of the buffer.
 *
 * Training uses the dynamic oracle of Goldberg & Nivre (2012): at every
 * state the cost of each transition (gold arcs it makes unreachable) is
 * computed, the model is updated towards the best-scoring zero-cost (more
 * exactly: minimum-cost) transition, and after the first epoch the parser
 * follows its own prediction most of the time, so it learns to recover from
 * its own mistakes.  Non-projective gold trees need no preprocessing: the
 * oracle simply loses the crossing arcs.
 *
 * Decoding is greedy: 2n transitions for n words, each one lm_scores() call,
 * so parsing is linear in sentence length.
 */
#ifndef DYAD_PARSER_H
#define DYAD_PARSER_H

#include "core/doc.h"

#include <stdio.h>

#define PARSER_VERSION 2

typedef struct parser parser;

typedef struct parser_opts {
    int epochs;          /* default 15 */
    unsigned min_count;  /* default 2 */
    FILE *log;
} parser_opts;

/* Trains on the gold trees of train using the tags present in train (gold or
 * predicted); dev (may be NULL) is scored after training. */
parser *parser_train(const dyad_doc *train, const dyad_doc *dev, const parser_opts *o,
                     char *err, size_t errlen);
int parser_save(const parser *p, const char *path, char *err, size_t errlen);
parser *parser_load(const char *path, char *err, size_t errlen);
void parser_free(parser *p);

/* Fills head and deprel of the tokens of s (tags must be set).  Returns 0 or
 * -1 when out of memory. */
int parser_parse(const parser *p, dyad_doc *doc, const sentence *s);

typedef struct dep_score {
    size_t n, uas, las;
} dep_score;
/* Attachment scores of pred against gold (same tokens; all words count,
 * punctuation included, as in the CoNLL 2018 evaluation). */
void dep_score_add(dep_score *s, const dyad_doc *gold, const dyad_doc *pred);

#endif
