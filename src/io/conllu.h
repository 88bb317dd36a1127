/*
 * conllu.h - CoNLL-U reader and writer (Universal Dependencies format).
 *
 * The reader loads a whole treebank into one dyad_doc so that the tagger and
 * parser see gold data through the same structure as raw text: one token per
 * syntactic word (multi-word token ranges like "don't" = do + n't are
 * expanded, empty nodes "8.1" are skipped), one sentence per tree, and the
 * gold annotation in token.upos/xpos/lemma/head/deprel.
 *
 * doc->text is the raw text rebuilt from the surface tokens: SpaceAfter=No is
 * honoured, sentences of a paragraph are joined by a space and paragraphs
 * (# newpar, # newdoc) by a blank line, as in the UD .txt files.  Each word's
 * byte offsets point into that text (the words of a multi-word token split
 * its surface when they spell it exactly, else they all share its span), so
 * the same doc also serves as the gold standard for tokenization and
 * sentence splitting.
 *
 * Untrusted input is bounded: lines of at most 1 MiB, sentences of at most
 * CONLLU_MAX_WORDS words; errors read "file:line: what was expected".
 */
#ifndef DYAD_CONLLU_H
#define DYAD_CONLLU_H

#include "core/doc.h"

#include <stdio.h>

#define CONLLU_MAX_WORDS 4096

/* Reads path ("-" = stdin) into doc.  Returns 0, or -1 with err set. */
int conllu_read(const char *path, dyad_doc *doc, char *err, size_t errlen);
/* Same over an in-memory buffer; name is used in messages. */
int conllu_read_mem(const char *name, const char *data, size_t len, dyad_doc *doc, char *err,
                    size_t errlen);

/* Writes sentence s of doc as a CoNLL-U block (comments, words, blank line). */
void conllu_write_sentence(FILE *f, const dyad_doc *doc, const sentence *s, const char *sent_id);

#endif
