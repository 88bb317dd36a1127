/*
 * tagset.h - the three tag inventories of the NLP stage as small integer ids.
 *
 * token.upos, token.xpos and token.deprel are uint8 ids so that a token stays
 * small and feature extraction never touches strings.  Id 0 always means
 * "unset"; the tables below give names for ids 1..N.  The inventories are
 * fixed at compile time (UD v2 UPOS, the Penn Treebank tags used by UD
 * English, and the UD relations with the English subtypes), and model files
 * store tag *names*, not ids, so that a table change cannot silently corrupt
 * an old model: the loader maps names back to ids and rejects unknown ones.
 */
#ifndef DYAD_TAGSET_H
#define DYAD_TAGSET_H

#include <stddef.h>
#include <stdint.h>

#define UPOS_COUNT 17   /* ids 1..17 */
#define XPOS_MAX 64     /* ids 1..XPOS_MAX-1 at most */
#define DEPREL_MAX 64   /* ids 1..63: label sets fit in one uint64_t bitmask */

/* Name of an id, or "_" for 0 / out of range. */
const char *upos_name(unsigned id);
const char *xpos_name(unsigned id);
const char *deprel_name(unsigned id);

/* Number of defined ids (the largest valid id). */
unsigned xpos_count(void);
unsigned deprel_count(void);

/* Id of a name of n bytes, 0 when unknown.  deprel_id falls back to the
 * universal relation for an unknown subtype ("obl:foo" -> obl). */
unsigned upos_id(const char *s, size_t n);
unsigned xpos_id(const char *s, size_t n);
unsigned deprel_id(const char *s, size_t n);

/* Frequently tested ids, so that rules read as words. */
enum {
    UPOS_ADJ = 1, UPOS_ADP, UPOS_ADV, UPOS_AUX, UPOS_CCONJ, UPOS_DET, UPOS_INTJ, UPOS_NOUN,
    UPOS_NUM, UPOS_PART, UPOS_PRON, UPOS_PROPN, UPOS_PUNCT, UPOS_SCONJ, UPOS_SYM, UPOS_VERB,
    UPOS_X
};

#endif
