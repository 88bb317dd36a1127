/*
 * parser.h - labeled dependency parser (arc-eager, averaged perceptron;
 * greedy or beam search).
 *
 * Method: the arc-eager transition system (Nivre 2003) with a root token at
 * the bottom of the stack, one joint class per transition and label (SHIFT,
 * REDUCE, LEFT-l, RIGHT-l: ~100 classes for UD English), scored by the
 * linear model of tag/linear.h over the rich non-local feature set of Zhang
 * & Nivre (2011): words, tags, heads, leftmost/rightmost children, their
 * labels, distance, valency and label sets of the top of the stack and the
 * front of the buffer.
 *
 * Two ways to train and decode, chosen when training (the width is stored in
 * the model file):
 *
 *  - greedy (beam 1): the dynamic oracle of Goldberg & Nivre (2012).  At
 *    every state the cost of each transition (gold arcs it makes
 *    unreachable) is computed, the model is updated towards the best-scoring
 *    minimum-cost transition, and after the first epoch the parser follows
 *    its own prediction most of the time, so it learns to recover from its
 *    own mistakes.  2n transitions for n words, one lm_scores() call each.
 *
 *  - beam search (beam k > 1): k partial parses advance together, ranked by
 *    the sum of their transitions' scores, trained globally with the
 *    max-violation perceptron (Huang, Fayong & Guo 2012) along the static
 *    oracle's path.  About 1.2 points more UAS on EWT for k times the scoring
 *    work.  A beam-trained model ranks whole parses, not single transitions,
 *    so it must be decoded with a beam (greedily it loses ~3 points); a model
 *    directory therefore ships both (parser.bin, parser-beam.bin).
 *
 * Non-projective gold trees need no preprocessing: the oracle simply loses
 * the crossing arcs.
 */
#ifndef DYAD_PARSER_H
#define DYAD_PARSER_H

#include "core/doc.h"

#include <stdio.h>

#define PARSER_VERSION 3
/* The file names of the two parsers in a model directory. */
#define PARSER_FILE "parser.bin"
#define PARSER_BEAM_FILE "parser-beam.bin"

typedef struct parser parser;

typedef struct parser_opts {
    int epochs;          /* default 15 */
    unsigned min_count;  /* default 2 */
    unsigned beam;       /* beam width, 0 or 1 = greedy */
    FILE *log;
} parser_opts;

/* Trains on the gold trees of train using the tags present in train (gold or
 * predicted); dev (may be NULL) is scored after training. */
parser *parser_train(const dyad_doc *train, const dyad_doc *dev, const parser_opts *o,
                     char *err, size_t errlen);
int parser_save(const parser *p, const char *path, char *err, size_t errlen);
parser *parser_load(const char *path, char *err, size_t errlen);
void parser_free(parser *p);
/* The beam width the model was trained for and parses with (1 = greedy). */
unsigned parser_beam(const parser *p);

/* Fills head and deprel of the tokens of s (tags must be set).  Returns 0 or
 * -1 when out of memory. */
int parser_parse(const parser *p, dyad_doc *doc, const sentence *s);

typedef struct dep_score {
    size_t n, uas, las, las_sub;
} dep_score;
/* Attachment scores of pred against gold (same tokens; all words count,
 * punctuation included, as in the CoNLL 2018 evaluation).  las compares the
 * universal relation (nmod:poss = nmod), as CoNLL 2018 does; las_sub the
 * full label with its subtype. */
void dep_score_add(dep_score *s, const dyad_doc *gold, const dyad_doc *pred);

#endif
