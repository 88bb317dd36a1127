/*
 * legacy.h - pieces shared by the readers of the TABARI-lineage dictionary
 * formats (petrarch.c for PETRARCH2, tabari.c for TABARI): the two formats
 * write codes, dates and comments the same way and differ in their verb
 * syntax, so the common lexical layer lives here once.
 */
#ifndef DYAD_LEGACY_H
#define DYAD_LEGACY_H

#include "dict/dict.h"

#include <stddef.h>

char *legacy_skip_blank(char *s);
void legacy_trim_end(char *s);
void legacy_upcase(char *s);

/* YYMMDD (YY <= 30 is 20YY, else 19YY, as PETRARCH reads it) or YYYYMMDD ->
 * yyyymmdd; 0 when not a valid date. */
int legacy_date(const char *s, size_t n);

/* "CODE" or "CODE RESTRICTION" (the inside of [...]): RESTRICTION is <DATE
 * (before), >DATE (from) or DATE-DATE.  Writes the upper-cased code and the
 * range (yyyymmdd, 0 = open); -1 with a file:line error otherwise, or 1
 * (skip this code) when L->skip_bad_codes is set. */
int legacy_parse_code(dict_loader *L, char *in, char *code, size_t cap, int *from, int *to);

/* Reads path and begins a lenient loader on it (a re-coded duplicate keeps
 * its first code, as the legacy coders did), after checking that the file is
 * UTF-8 without NUL bytes.  On success *buf holds the NUL-free text (*n
 * bytes), to be free()d after dict_loader_end(L); on failure L is ended and
 * err says why. */
int legacy_open(dict_loader *L, dyad_dict *d, const char *path, char **buf, size_t *n,
                char *err, size_t errlen);

/* A named synonym set of the verb files (&NAME with +member lines), as both
 * formats write it. */
typedef struct legacy_synset {
    char name[64];
    char **members;
    int n, cap;
} legacy_synset;

/* Appends a copy of member to s; -1 with an error on L when out of memory. */
int legacy_synset_add(dict_loader *L, legacy_synset *s, const char *member);

/* Frees the members of the n sets and the array itself. */
void legacy_synsets_free(legacy_synset *sets, int n);

#endif
