/*
 * inflect.h - English inflection for dictionary entries.
 *
 * Dictionaries list lemmas ("praise", "stand firm against"); dyad generates
 * the inflected forms so that editors never have to.  Irregular verbs come
 * from a built-in table; regular forms follow the spelling rules (e-final,
 * y-final, consonant doubling in stressed closed syllables).
 */
#ifndef DYAD_INFLECT_H
#define DYAD_INFLECT_H

#include <stddef.h>

enum { INFLECT_MAX = 64 };

/* Writes base, 3rd person singular, past, past participle and gerund of a
 * lower-case verb into forms; returns the number written (5), or 0 when the
 * verb is too long. */
int inflect_verb(const char *verb, char forms[5][INFLECT_MAX]);

/* Plural of a lower-case noun; returns 0 when too long. */
int inflect_plural(const char *noun, char out[INFLECT_MAX]);

#endif
