/*
 * ptb.h - Penn Treebank bracketed trees -> dependency trees (head rules).
 *
 * PETRARCH-style input carries constituency parses such as
 *   (ROOT (S (NP (NNP Iran)) (VP (VBD signed) (NP (DT the) (NN deal))) (. .)))
 * The reader turns each tree into one dyad sentence: leaves become tokens
 * (XPOS from the preterminal, UPOS mapped from it), empty elements (-NONE-)
 * are dropped, -LRB-/-RRB- style escapes are undone, and every constituent's
 * head child is chosen by a Collins/Magerman-style head table adapted to UD
 * (content words head: the main verb heads a VP with auxiliaries, the noun
 * heads a PP's object, the predicate heads a copular clause is NOT attempted
 * -- copulas head as in the PTB).  Non-head children attach to the head word
 * of their constituent with a UD relation guessed from the categories
 * (nsubj, obj, det, amod, case, obl/nmod, aux, punct, ..., else dep).
 *
 * doc->text is the words joined by single spaces (one sentence per line), and
 * errors read "file:line: what was expected".  Trees are bounded by
 * CONLLU_MAX_WORDS leaves and 1000 levels of nesting.
 */
#ifndef DYAD_PTB_H
#define DYAD_PTB_H

#include "core/doc.h"

int ptb_read_mem(const char *name, const char *data, size_t len, dyad_doc *doc, char *err,
                 size_t errlen);
int ptb_read(const char *path, dyad_doc *doc, char *err, size_t errlen);

#endif
