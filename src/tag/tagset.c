/*
 * tagset.c - name <-> id tables for UPOS, Penn XPOS and UD relations.
 *
 * Lookups are linear scans: the tables are tiny (<= 64 entries) and lookups
 * happen only when reading CoNLL-U or loading a model, never per token at
 * tagging time.
 */
#include "tag/tagset.h"

#include <string.h>

static const char *const UPOS[UPOS_COUNT + 1] = {
    "_",     "ADJ",  "ADP",  "ADV",   "AUX",   "CCONJ", "DET", "INTJ", "NOUN",
    "NUM",   "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"};

/* Penn Treebank tags as used by UD English (EWT and GUM), including the web
 * tags ADD, AFX, GW, HYPH, NFP, XX. */
static const char *const XPOS[] = {
    "_",   "$",   "''",  ",",    "-LRB-", "-RRB-", ".",   ":",   "ADD", "AFX", "CC",
    "CD",  "DT",  "EX",  "FW",   "GW",    "HYPH",  "IN",  "JJ",  "JJR", "JJS", "LS",
    "MD",  "NFP", "NN",  "NNP",  "NNPS",  "NNS",   "PDT", "POS", "PRP", "PRP$", "RB",
    "RBR", "RBS", "RP",  "SYM",  "TO",    "UH",    "VB",  "VBD", "VBG", "VBN", "VBP",
    "VBZ", "WDT", "WP",  "WP$",  "WRB",   "XX",    "``",  "#",   NULL};

static const char *const DEPREL[] = {
    "_",          "acl",         "acl:relcl",     "advcl",        "advcl:relcl",
    "advmod",     "amod",        "appos",         "aux",          "aux:pass",
    "case",       "cc",          "cc:preconj",    "ccomp",        "clf",
    "compound",   "compound:prt", "conj",         "cop",          "csubj",
    "csubj:outer", "csubj:pass", "dep",           "det",          "det:predet",
    "discourse",  "dislocated",  "expl",          "fixed",        "flat",
    "flat:foreign", "goeswith",  "iobj",          "list",         "mark",
    "nmod",       "nmod:desc",   "nmod:npmod",    "nmod:poss",    "nmod:tmod",
    "nmod:unmarked", "nsubj",    "nsubj:outer",   "nsubj:pass",   "nummod",
    "obj",        "obl",         "obl:agent",     "obl:npmod",    "obl:tmod",
    "obl:unmarked", "orphan",    "parataxis",     "punct",        "reparandum",
    "root",       "vocative",    "xcomp",         "det:poss",     "flat:name",
    NULL};

static unsigned table_count(const char *const *t)
{
    unsigned n = 0;
    while (t[n + 1])
        n++;
    return n;
}

unsigned xpos_count(void) { return table_count(XPOS); }
unsigned deprel_count(void) { return table_count(DEPREL); }

const char *upos_name(unsigned id) { return id >= 1 && id <= UPOS_COUNT ? UPOS[id] : "_"; }
const char *xpos_name(unsigned id) { return id >= 1 && id <= xpos_count() ? XPOS[id] : "_"; }
const char *deprel_name(unsigned id)
{
    return id >= 1 && id <= deprel_count() ? DEPREL[id] : "_";
}

static unsigned lookup(const char *const *t, const char *s, size_t n)
{
    for (unsigned i = 1; t[i]; i++)
        if (strlen(t[i]) == n && memcmp(t[i], s, n) == 0)
            return i;
    return 0;
}

unsigned upos_id(const char *s, size_t n)
{
    for (unsigned i = 1; i <= UPOS_COUNT; i++)
        if (strlen(UPOS[i]) == n && memcmp(UPOS[i], s, n) == 0)
            return i;
    return 0;
}

unsigned xpos_id(const char *s, size_t n) { return lookup(XPOS, s, n); }

unsigned deprel_id(const char *s, size_t n)
{
    unsigned id = lookup(DEPREL, s, n);
    if (id)
        return id;
    const char *colon = memchr(s, ':', n);
    return colon ? lookup(DEPREL, s, (size_t)(colon - s)) : 0;
}
